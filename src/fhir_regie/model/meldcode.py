"""Builders for the meldcode trail (docs/ig/meldcode.md): signals (step 1) and one Task per
meldcode step with the documentation that step requires."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.task import Task

from fhir_regie.model._base import (
    SDV,
    DateTimeLike,
    Ref,
    as_list,
    builds,
    coded_extension,
    complex_extension,
    concept,
    core_code,
    extension,
    fhir_datetime,
    finish,
    notes,
    optional_reference,
    reference,
    references,
    sub_extension,
)

PEOPLE = ("Patient", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization")
PROFESSIONALS = ("Practitioner", "PractitionerRole", "Organization")


@builds("regie-signal")
def signal(*, description: str, client: Ref, recorded_by: Ref | Sequence[Ref], on: DateTimeLike,
           certainty: str, source: Ref | None = None, source_text: str | None = None,
           violence_types: str | Sequence[str] = (), hypothesis_outcome: str | None = None,
           follows_up: Ref | None = None, note: str | Sequence[str] | None = None,
           status: str = "final", id: str | None = None,
           security_label: str | None = None) -> Observation:
    """A signal (*signaal*) of possible domestic violence or child abuse, meldcode step 1
    (profile ``regie-signal``).

    Parameters:
        description: the signal, described factually.
        client: the client (``regie-patient``) it concerns; ``recorded_by``: who recorded it.
        certainty: fact (*feit*) or hypothesis (*hypothese*).
        source / source_text: who told the professional, for third-party information: a
            reference or words (one of the two).
        violence_types: kinds of violence (``regie-violence-type``).
        hypothesis_outcome: on a follow-up note, confirmed or refuted; then ``follows_up``
            names the hypothesis (``rg-sig-1``).

    Example::

        >>> seen = signal(client="Patient/vdberg-henk",
        ...     recorded_by="Practitioner/vdberg-pract-nurse", on="2026-08-12T10:00:00+02:00",
        ...     certainty="fact",
        ...     description="Blauwe plekken op beide bovenarmen.")
    """
    if source is not None and source_text is not None:
        raise ValueError("source, source_text: give one of the two")
    extensions = [coded_extension("regie-signal-certainty", "regie-signal-certainty", certainty)]
    if source is not None:
        extensions.append(extension("regie-information-source", valueReference=reference(
            source, *PEOPLE, parameter="source")))
    if source_text is not None:
        extensions.append(extension("regie-information-source", valueString=source_text))
    if hypothesis_outcome is not None:
        extensions.append(coded_extension("regie-hypothesis-outcome", "regie-hypothesis-outcome",
                                          hypothesis_outcome))
    extensions += [coded_extension("regie-violence-type", "regie-violence-type", kind)
                   for kind in as_list(violence_types)]
    return finish(
        Observation, "regie-signal", id=id, security_label=security_label, sensitivity=(SDV,),
        extension=extensions,
        status=core_code("observation-status", status, "status"),
        code=concept("regie-observation-type", "signal"),
        subject=reference(client, "Patient", parameter="client"),
        effectiveDateTime=fhir_datetime(on, "on"),
        performer=references(recorded_by, "Practitioner", "PractitionerRole", "Organization",
                             "CareTeam", "Patient", "RelatedPerson", parameter="recorded_by"),
        valueString=description,
        derivedFrom=references(follows_up, "Observation", parameter="follows_up"),
        note=notes(note),
    )


@dataclass(frozen=True)
class Consultation:
    """A consultation (*consultatie*, step 2): the kind of consultee (colleague,
    aandachtsfunctionaris, veilig-thuis, specialist, gi), who exactly (optional), the advice,
    whether it was followed and, when not, why (``rg-csl-1``), and when."""

    consultee: str
    advice: str
    who: Ref | None = None
    followed: bool | None = None
    deviation_reason: str | None = None
    on: DateTimeLike | None = None

    def to_fhir(self) -> Extension:
        who = optional_reference(self.who, *PROFESSIONALS, parameter="consultations.who")
        return complex_extension(
            "regie-consultation",
            sub_extension("consultee", valueCodeableConcept=concept("regie-consultee-type",
                                                                    self.consultee)),
            sub_extension("who", valueReference=who),
            sub_extension("advice", valueString=self.advice),
            sub_extension("followed", valueBoolean=self.followed),
            sub_extension("deviation-reason", valueString=self.deviation_reason),
            sub_extension("date", valueDateTime=fhir_datetime(self.on, "consultations.on")))


@dataclass(frozen=True)
class Conversation:
    """The conversation with the client (*gesprek met de cliënt*, step 3): held with the
    client's reaction (``rg-cnv-1``), or skipped with the reason (``rg-cnv-2``):
    safety-at-stake or would-break-contact. ``spoken_with``: who the conversation was with
    (the client, a parent, a representative; Patient or RelatedPerson)."""

    held: bool
    spoken_with: Sequence[Ref] = ()
    reaction: str | None = None
    skip_reason: str | None = None
    on: DateTimeLike | None = None

    def to_fhir(self) -> Extension:
        skip = (concept("regie-conversation-skip-reason", self.skip_reason)
                if self.skip_reason is not None else None)
        return complex_extension(
            "regie-client-conversation",
            sub_extension("held", valueBoolean=self.held),
            *(sub_extension("with", valueReference=person) for person in references(
                tuple(self.spoken_with), "Patient", "RelatedPerson",
                parameter="conversation.spoken_with")),
            sub_extension("reaction", valueString=self.reaction),
            sub_extension("skip-reason", valueCodeableConcept=skip),
            sub_extension("date", valueDateTime=fhir_datetime(self.on, "conversation.on")))


@dataclass(frozen=True)
class DecisionAnswer:
    """An answer to a question of the decision framework (*afwegingskader*): question
    q1-suspicion ... q5-lasting-safety, answer yes / no / unknown, optional explanation."""

    question: str
    answer: str
    explanation: str | None = None

    def to_fhir(self) -> Extension:
        return complex_extension(
            "regie-decision-answer",
            sub_extension("question", valueCodeableConcept=concept("regie-decision-question",
                                                                   self.question)),
            sub_extension("answer", valueCodeableConcept=concept("regie-decision-answer",
                                                                 self.answer)),
            sub_extension("explanation", valueString=self.explanation))


@dataclass(frozen=True)
class VtContact:
    """A contact with Veilig Thuis: advice (anonymous case) or report (*melding*), with the
    meldcode step the professional stated (``step-0`` ... ``step-6``)."""

    contact_type: str
    stated_step: str
    on: DateTimeLike | None = None

    def to_fhir(self) -> Extension:
        return complex_extension(
            "regie-vt-contact",
            sub_extension("contact-type", valueCodeableConcept=concept("regie-vt-contact-type",
                                                                       self.contact_type)),
            sub_extension("stated-step", valueCodeableConcept=concept("regie-meldcode-step",
                                                                      self.stated_step)),
            sub_extension("date", valueDateTime=fhir_datetime(self.on, "vt_contacts.on")))


@builds("regie-meldcode-step")
def meldcode_step(*, step: str, client: Ref, professional: Ref, status: str,
                  status_reason: str | None = None, description: str | None = None,
                  authored_on: DateTimeLike | None = None, started: DateTimeLike | None = None,
                  ended: DateTimeLike | None = None, violence_types: str | Sequence[str] = (),
                  consultations: Sequence[Consultation] = (),
                  conversation: Conversation | None = None,
                  decision_answers: Sequence[DecisionAnswer] = (), decision: str | None = None,
                  vt_contacts: Sequence[VtContact] = (),
                  note: str | Sequence[str] | None = None, id: str | None = None,
                  security_label: str | None = None) -> Task:
    """One step of the meldcode (*stap van de meldcode*) for one client (profile
    ``regie-meldcode-step``).

    Parameters:
        step: ``step-0`` ... ``step-6``.
        client: the client (``regie-patient``); ``professional``: who takes the step.
        status: FHIR task status. A completed step carries its documentation: step 2
            ``consultations`` (``rg-mcs-1``), step 3 ``conversation`` (``rg-mcs-2``), step 4
            ``decision_answers`` (``rg-mcs-3``), step 5 ``decision`` (``rg-mcs-4``:
            report-to-vt, organise-help, continue-help, close).
        started, ended: when the step was worked on; ``note``: the step's documentation.
        vt_contacts: every contact with Veilig Thuis, with the step stated.

    Example::

        >>> weigh = meldcode_step(step="step-4", client="Patient/vdberg-henk",
        ...     professional="Practitioner/vdberg-pract-nurse", status="completed",
        ...     decision_answers=[DecisionAnswer("q1-suspicion", "yes")])
    """
    extensions = [coded_extension("regie-violence-type", "regie-violence-type", kind)
                  for kind in as_list(violence_types)]
    extensions += [c.to_fhir() for c in consultations]
    if conversation is not None:
        extensions.append(conversation.to_fhir())
    extensions += [answer.to_fhir() for answer in decision_answers]
    if decision is not None:
        extensions.append(coded_extension("regie-meldcode-decision", "regie-meldcode-decision",
                                          decision))
    extensions += [contact.to_fhir() for contact in vt_contacts]
    period = (Period(start=fhir_datetime(started, "started"), end=fhir_datetime(ended, "ended"))
              if started is not None or ended is not None else None)
    owner: Reference = reference(professional, "Practitioner", "PractitionerRole",
                                 parameter="professional")
    return finish(
        Task, "regie-meldcode-step", id=id, security_label=security_label, sensitivity=(SDV,),
        extension=extensions,
        status=core_code("task-status", status, "status"),
        statusReason=CodeableConcept(text=status_reason) if status_reason else None,
        intent="order",
        code=concept("regie-meldcode-step", step),
        description=description,
        for_fhir=reference(client, "Patient", parameter="client"),
        authoredOn=fhir_datetime(authored_on, "authored_on"),
        executionPeriod=period,
        owner=owner,
        note=notes(note),
    )
