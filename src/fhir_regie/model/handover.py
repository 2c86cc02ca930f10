"""Builders for the Veilig Thuis -> local team handover (docs/ig/handover.md): the workflow Task,
the handover document, the notification of the notified pull, and the deadlines a handover
starts."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.composition import Composition, CompositionSection
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.narrative import Narrative
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.task import Task, TaskOutput, TaskRestriction

from fhir_regie.ig import CANONICAL
from fhir_regie.ig.sharing import KVK, OIN, URA
from fhir_regie.model._base import (
    DateLike,
    DateTimeLike,
    Ref,
    as_list,
    builds,
    coded_extension,
    coding,
    concept,
    confidentiality_coding,
    core_code,
    extension,
    fhir_date,
    fhir_datetime,
    finish,
    notes,
    optional_reference,
    reference,
    references,
    versioned_reference,
)

SUBJECTS = ("Group", "Patient")
AUTHORS = ("Organization", "PractitionerRole", "Practitioner")
#: Identifier system of handover notifications (one value per notified Task version).
NOTIFICATION_SYSTEM = f"{CANONICAL}/NamingSystem/handover-notification"
#: Identifier system of an absolute URL (RFC 3986), as the notification names the Task it
#: points to.
URI_SYSTEM = "urn:ietf:rfc:3986"


def narrative(text: str) -> Narrative:
    """Plain text as a FHIR narrative: one XHTML paragraph per blank-line-separated block."""
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    paragraphs = "".join(f"<p>{html.escape(block, quote=False)}</p>" for block in blocks)
    return Narrative(status="generated",
                     div=f'<div xmlns="http://www.w3.org/1999/xhtml">{paragraphs}</div>')


@dataclass(frozen=True)
class Section:
    """A section of the handover document: the human-readable ``text`` (required), an optional
    ``title`` (default: the section's Dutch name) and ``entries`` (resources it points to)."""

    text: str
    title: str | None = None
    entries: Sequence[Ref] = ()

    def _extensions(self) -> list[Extension]:
        return []

    def to_fhir(self, code: str, entry_types: tuple[str, ...]) -> CompositionSection:
        section_code = coding("regie-handover-section", code)
        return CompositionSection(
            extension=self._extensions() or None,
            code=CodeableConcept(coding=[section_code]),
            title=self.title if self.title is not None else section_code.display,
            text=narrative(self.text),
            entry=references(self.entries, *entry_types, parameter=f"{code}.entries") or None)


@dataclass(frozen=True)
class AssessmentSection(Section):
    """The outcome of the safety assessment (*uitkomst veiligheidsbeoordeling*): where
    follow-up lies (``vt_decision``: vt, local-team, involved-organisation,
    multidisciplinary-team, household), the Veilig Thuis service (``vt_service``:
    voorwaarden-en-vervolg, onderzoek), the unsafety found (acute, structural) and when the
    assessment was completed (``assessed_on``: the evidence for Veilig Thuis's term)."""

    vt_decision: str | None = None
    vt_service: str | None = None
    unsafety: Sequence[str] = field(default_factory=tuple)
    assessed_on: DateTimeLike | None = None

    def _extensions(self) -> list[Extension]:
        found = []
        if self.assessed_on is not None:
            found.append(extension("regie-assessment-date", valueDateTime=fhir_datetime(
                self.assessed_on, "safety_assessment.assessed_on")))
        if self.vt_decision is not None:
            found.append(coded_extension("regie-vt-decision", "regie-vt-decision",
                                         self.vt_decision))
        if self.vt_service is not None:
            found.append(coded_extension("regie-vt-service", "regie-vt-service", self.vt_service))
        found += [coded_extension("regie-unsafety-type", "regie-unsafety-type", kind)
                  for kind in as_list(self.unsafety)]
        return found


@dataclass(frozen=True)
class JudgementSection(Section):
    """Veilig Thuis's judgement whether abuse took place (*oordeel*): abuse-established,
    abuse-not-established, undetermined. Only after an Onderzoek (``rg-hdc-1``)."""

    judgement: str | None = None

    def _extensions(self) -> list[Extension]:
        if self.judgement is None:
            return []
        return [coded_extension("regie-vt-judgement", "regie-vt-judgement", self.judgement)]


def _text_section(value: Section | str | None) -> Section | None:
    return Section(value) if isinstance(value, str) else value


@builds("regie-handover-document")
def handover_document(*, subject: Ref, route: str, reporter_anonymous: bool,
                      report_content: Section | str, date: DateTimeLike,
                      author: Ref | Sequence[Ref], title: str,
                      reporter_contact: Section | str | None = None,
                      safety_assessment: AssessmentSection | None = None,
                      vt_judgement: JudgementSection | None = None,
                      safety_conditions: Section | None = None,
                      safety_plan: Section | None = None,
                      consequences: Section | str | None = None,
                      plan_agreements: Section | str | None = None,
                      monitoring_agreements: Section | str | None = None,
                      status: str = "final", confidentiality: str | None = None,
                      custodian: Ref | None = None, id: str | None = None,
                      security_label: str | None = None) -> Composition:
    """The handover document Veilig Thuis gives the local team (*overdrachtsdocument*)
    (profile ``regie-handover-document``). Sections are written in the profile's order.

    Parameters:
        subject: the household or client.
        route: direct-after-assessment, after-voorwaarden-en-vervolg, after-onderzoek,
            restraining-order.
        reporter_anonymous: whether the reporter (*melder*) stays anonymous; then
            ``reporter_contact`` must be absent (``rg-hdc-2``).
        report_content: the report (*inhoud melding*), required.
        safety_assessment: required on the direct route (``rg-hdc-3``).
        vt_judgement: only after an Onderzoek (``rg-hdc-1``).
        safety_conditions (entries: ``regie-goal`` safety conditions) and
            ``monitoring_agreements``: required after a Veilig Thuis service (``rg-hdc-4``).
        safety_plan, consequences, plan_agreements: further sections.
        date, author, title: of the document; ``confidentiality``: its HL7 confidentiality
            code (``R``, ``V``); ``custodian``: the organisation that keeps it.

    Example::

        >>> document = handover_document(subject="Group/household-de-vries",
        ...     route="direct-after-assessment", reporter_anonymous=True,
        ...     report_content="Melding van school.", date="2026-09-23T14:00:00+02:00",
        ...     author="Organization/devries-org-vt", title="Overdracht",
        ...     safety_assessment=AssessmentSection("Structurele onveiligheid.",
        ...                                         vt_decision="local-team"))
    """
    sections = [
        ("report-content", _text_section(report_content), ()),
        ("reporter-contact", _text_section(reporter_contact),
         ("RelatedPerson", "Practitioner", "PractitionerRole", "Organization")),
        ("safety-assessment", safety_assessment, ()),
        ("vt-judgement", vt_judgement, ()),
        ("safety-conditions", safety_conditions, ("Goal",)),
        ("safety-plan", safety_plan, ("CarePlan", "Task")),
        ("consequences", _text_section(consequences), ()),
        ("plan-agreements", _text_section(plan_agreements), ()),
        ("monitoring-agreements", _text_section(monitoring_agreements), ()),
    ]
    return finish(
        Composition, "regie-handover-document", id=id, security_label=security_label,
        extension=[coded_extension("regie-handover-route", "regie-handover-route", route),
                   extension("regie-reporter-anonymous", valueBoolean=reporter_anonymous)],
        status=core_code("composition-status", status, "status"),
        type=concept("regie-document-type", "handover-document"),
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        date=fhir_datetime(date, "date"),
        author=references(author, *AUTHORS, parameter="author"),
        title=title,
        confidentiality=(confidentiality_coding(confidentiality, "confidentiality").code
                         if confidentiality is not None else None),
        custodian=optional_reference(custodian, "Organization", parameter="custodian"),
        section=[section.to_fhir(code, types) for code, section, types in sections if section],
    )


@builds("regie-handover")
def handover(*, route: str, case_weight: str, acute: bool, reported_on: DateTimeLike | None = None,
             vt: Ref, local_team: Ref, subject: Ref, document: Ref, authored_on: DateTimeLike,
             status: str, report: Ref | None = None, document_version: str | None = None,
             restraining_order_imposed: DateTimeLike | None = None,
             restraining_order_ends: DateTimeLike | None = None,
             responsibility_transferred_at: DateTimeLike | None = None,
             accepted_version: str | None = None,
             status_reason: str | None = None, business_status: str | None = None,
             last_modified: DateTimeLike | None = None,
             identifier: Identifier | Sequence[Identifier] | None = None,
             note: str | Sequence[str] | None = None, id: str | None = None,
             security_label: str | None = None) -> Task:
    """The handover of a case from Veilig Thuis to a local team (*overdracht*) (profile
    ``regie-handover``).

    Parameters:
        route: direct-after-assessment, after-voorwaarden-en-vervolg, after-onderzoek,
            restraining-order; ``case_weight``: licht, middelzwaar, zwaar (*casuszwaarte*).
        acute: acute unsafety found (the local team then acts at once): ``Task.priority``
            ``asap``, otherwise ``routine``.
        reported_on: when Veilig Thuis received the report (*melding*); taken from
            ``report`` when that is a built ``regie-report`` and ``reported_on`` is not given.
        report: the ``regie-report`` the handover follows from (``Task.reasonReference``).
        restraining_order_imposed: on the restraining-order route, the moment the mayor
            imposed the order (``Task.restriction.period.start``, required there: ``rg-hnd-5``);
            the chain's terms count from it (regional settings ``restraining_order.*``);
            ``restraining_order_ends``: when it ends (after 10 days, or later when extended).
        vt: the Veilig Thuis organisation (requester); ``local_team``: who takes over (owner).
        subject: the household or client; ``document``: the ``regie-handover-document`` as
            stored (its ``meta.versionId`` is the version handed over), ``Composition/<id>``
            with ``document_version``, or ``Composition/<id>/_history/<n>`` (``rg-hnd-3``).
        status: FHIR task status. Once accepted, in-progress or completed the exact moment
            responsibility passed is required: ``responsibility_transferred_at``, in
            ``Task.executionPeriod.start`` (``rg-hnd-1``), and the version of the document
            accepted: ``accepted_version`` (default: the version handed over; ``rg-hnd-4``);
            rejected, cancelled or failed needs ``status_reason`` (``rg-hnd-2``).
        business_status: the workflow state in words; ``identifier``: the case number(s).

    Example::

        >>> task = handover(route="direct-after-assessment", case_weight="middelzwaar",
        ...     acute=False, reported_on="2026-09-16T11:20:00+02:00",
        ...     vt="Organization/devries-org-vt", local_team="Organization/devries-org-wijkteam",
        ...     subject="Group/household-de-vries",
        ...     document="Composition/devries-handover-document/_history/1",
        ...     authored_on="2026-09-23T14:05:00+02:00", status="requested")
        >>> task.focus.reference, task.priority
        ('Composition/devries-handover-document/_history/1', 'routine')
    """
    if reported_on is None and report is not None and not isinstance(report, str | Reference):
        reported_on = getattr(report, "received", None)
    if reported_on is None:
        raise ValueError("reported_on: when Veilig Thuis received the report is required "
                         "(or pass the built regie-report as report=)")
    if route == "restraining-order" and restraining_order_imposed is None:
        raise ValueError("restraining_order_imposed: the restraining-order route needs the "
                         "moment the order was imposed (rg-hnd-5)")
    restriction = None
    if restraining_order_imposed is not None or restraining_order_ends is not None:
        restriction = TaskRestriction(period=Period(
            start=fhir_datetime(restraining_order_imposed, "restraining_order_imposed"),
            end=fhir_datetime(restraining_order_ends, "restraining_order_ends")))
    extensions = [
        coded_extension("regie-handover-route", "regie-handover-route", route),
        coded_extension("regie-case-weight", "regie-case-weight", case_weight),
        extension("regie-report-date", valueDateTime=fhir_datetime(reported_on, "reported_on")),
    ]
    focus = versioned_reference(document, "Composition", document_version, parameter="document")
    output = []
    if responsibility_transferred_at is not None or accepted_version is not None:
        accepted = focus if accepted_version is None else versioned_reference(
            focus.reference.split("/_history/")[0], "Composition", accepted_version,
            parameter="accepted_version")
        output.append(TaskOutput(type=concept("regie-handover-output", "accepted-document"),
                                 valueReference=accepted))
    moment = fhir_datetime(responsibility_transferred_at, "responsibility_transferred_at")
    return finish(
        Task, "regie-handover", id=id, security_label=security_label,
        extension=extensions,
        identifier=as_list(identifier),
        status=core_code("task-status", status, "status"),
        statusReason=CodeableConcept(text=status_reason) if status_reason else None,
        businessStatus=CodeableConcept(text=business_status) if business_status else None,
        intent="order",
        priority="asap" if acute else "routine",
        code=concept("regie-task-type", "handover"),
        focus=focus,
        for_fhir=reference(subject, *SUBJECTS, parameter="subject"),
        executionPeriod=Period(start=moment) if moment is not None else None,
        authoredOn=fhir_datetime(authored_on, "authored_on"),
        lastModified=fhir_datetime(last_modified, "last_modified"),
        requester=reference(vt, "Organization", parameter="vt"),
        owner=reference(local_team, "Organization", parameter="local_team"),
        restriction=restriction,
        reasonReference=optional_reference(report, "Communication", parameter="report"),
        note=notes(note),
        output=output,
    )


@dataclass(frozen=True)
class Organisation:
    """An organisation named by its identifier and name, for a reference that need not resolve
    on the server it is written to (the notification lives on the other organisation's
    server). The URA number where it has one; else its OIN or KvK number (a municipality's
    local team often has no URA). None of them: by name only."""

    name: str
    ura: str | None = None
    kvk: str | None = None
    oin: str | None = None

    @classmethod
    def of(cls, name: str, identifiers: Sequence[tuple[str, str]]) -> Organisation:
        """From (system, value) pairs; systems other than URA, KvK and OIN are left out."""
        found = dict(reversed(list(identifiers)))
        return cls(name, ura=found.get(URA), kvk=found.get(KVK), oin=found.get(OIN))

    def to_fhir(self) -> Reference:
        system, value = next(((s, v) for s, v in ((URA, self.ura), (OIN, self.oin),
                                                  (KVK, self.kvk)) if v), (None, None))
        return Reference(type="Organization", display=self.name,
                         identifier=Identifier(system=system, value=value) if value else None)


@dataclass(frozen=True)
class Output:
    """A result the receiver records on a notification: what ``text`` says it is, and the
    resource (on the receiver's own server)."""

    text: str
    reference: Ref

    def to_fhir(self) -> TaskOutput:
        return TaskOutput(type=CodeableConcept(text=self.text),
                          valueReference=reference(self.reference, parameter="outputs"))


@builds("regie-handover-notification")
def handover_notification(*, identifier: str, task_url: str, vt: Organisation,
                          local_team: Organisation, authored_on: DateTimeLike,
                          status: str = "requested", status_reason: str | None = None,
                          business_status: str | None = None,
                          last_modified: DateTimeLike | None = None,
                          outputs: Sequence[Output] = (), id: str | None = None,
                          security_label: str | None = None) -> Task:
    """The notification Veilig Thuis leaves on the local team's server (*overdrachtsbericht*,
    profile ``regie-handover-notification``): where the handover waits, nothing of the case.

    Parameters:
        identifier: the notification's value in :data:`NOTIFICATION_SYSTEM`; the same
            notification delivered twice carries the same value.
        task_url: the absolute URL of the workflow Task on Veilig Thuis's server, with its
            version (``.../Task/<id>/_history/<n>``, ``rg-hnn-1``).
        vt, local_team: sender (requester) and receiver (owner), by URA number, or KvK
            number or OIN when it has no URA.
        status: requested (new), completed (taken in), failed (refused: ``status_reason``
            required, ``rg-hnn-2``).
        outputs: what the receiver made of it (the handover taken in, or the content kept).

    Example::

        >>> note = handover_notification(identifier="5b0c9f8e-3a4d-5e6f-8a9b-0c1d2e3f4a5b",
        ...     task_url="https://vt.example/fhir/Task/vt-handover-1/_history/1",
        ...     vt=Organisation("Veilig Thuis Gelderland-Midden", "90001231"),
        ...     local_team=Organisation("Lokaal team Arnhem", "90004620"),
        ...     authored_on="2026-11-18T14:00:00+01:00")
        >>> note.focus.identifier.value
        'https://vt.example/fhir/Task/vt-handover-1/_history/1'
    """
    return finish(
        Task, "regie-handover-notification", id=id, security_label=security_label,
        identifier=[Identifier(system=NOTIFICATION_SYSTEM, value=identifier)],
        status=core_code("task-status", status, "status"),
        statusReason=CodeableConcept(text=status_reason) if status_reason else None,
        businessStatus=CodeableConcept(text=business_status) if business_status else None,
        intent="proposal",
        code=concept("regie-task-type", "handover-notification"),
        focus=Reference(type="Task", identifier=Identifier(system=URI_SYSTEM, value=task_url)),
        authoredOn=fhir_datetime(authored_on, "authored_on"),
        lastModified=fhir_datetime(last_modified, "last_modified"),
        requester=vt.to_fhir(),
        owner=local_team.to_fhir(),
        output=[output.to_fhir() for output in outputs],
    )


@builds("regie-deadline")
def deadline(*, rule: str, handover: Ref, subject: Ref, owner: Ref, description: str,
             due: DateLike, authored_on: DateTimeLike, start: DateLike | None = None,
             status: str = "requested", met_on: DateLike | None = None,
             requester: Ref | None = None, regional_setting: str | None = None,
             status_reason: str | None = None, last_modified: DateTimeLike | None = None,
             note: str | Sequence[str] | None = None, id: str | None = None,
             security_label: str | None = None) -> Task:
    """A term a handover starts, as work with an owner and a due date (*termijn*, profile
    ``regie-deadline``).

    Parameters:
        rule: local-team-first-contact, restraining-order-inform-local-team,
            restraining-order-joint-talk, restraining-order-advice, vt-monitoring
            (``regie-deadline-rule``; the workflow rule of the same name computes the term).
        handover: the ``regie-handover`` Task it follows from; ``subject``: the household.
        owner: the organisation that has to meet it; ``requester``: who set it.
        due: the due date (``rg-ddl-1``); ``start``: from when the term counts.
        status: requested, or completed with ``met_on`` (``rg-ddl-2``).
        regional_setting: the regional agreement it comes from, in words
            (``reasonCode.text``), e.g. ``"Regio Gelderland-Midden:
            local_team.first_contact_days = 14"``.

    Example::

        >>> term = deadline(rule="local-team-first-contact",
        ...     handover="Task/vt-handover-1", subject="Group/household-1",
        ...     owner="Organization/lokaal-team-arnhem", due="2026-12-03",
        ...     description="Het lokale team neemt contact op met het huishouden",
        ...     authored_on="2026-11-19T09:15:00+01:00")
        >>> term.restriction.period.end
        datetime.date(2026, 12, 3)
    """
    return finish(
        Task, "regie-deadline", id=id, security_label=security_label,
        basedOn=[reference(handover, "Task", parameter="handover")],
        status=core_code("task-status", status, "status"),
        statusReason=CodeableConcept(text=status_reason) if status_reason else None,
        intent="order",
        code=concept("regie-deadline-rule", rule),
        description=description,
        for_fhir=reference(subject, *SUBJECTS, parameter="subject"),
        authoredOn=fhir_datetime(authored_on, "authored_on"),
        lastModified=fhir_datetime(last_modified, "last_modified"),
        requester=optional_reference(requester, "Organization", parameter="requester"),
        owner=reference(owner, "Organization", parameter="owner"),
        reasonCode=CodeableConcept(text=regional_setting) if regional_setting else None,
        restriction=TaskRestriction(period=Period(start=fhir_date(start, "start"),
                                                  end=fhir_date(due, "due"))),
        executionPeriod=Period(end=fhir_date(met_on, "met_on")) if met_on is not None else None,
        note=notes(note),
    )
