"""Builders for plans and safety planning (docs/ig/plans.md): the support plan, the safety plan,
goals, concerns, strengths, agreed actions, safety-scale scores and safety-log entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.goal import Goal, GoalTarget
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.provenance import Provenance, ProvenanceAgent
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.signature import Signature as FhirSignature
from fhir.resources.R4B.task import Task, TaskRestriction

from fhir_regie.model._base import (
    DateLike,
    DateTimeLike,
    Ref,
    builds,
    coded_extension,
    coding,
    complex_extension,
    concept,
    core_code,
    extension,
    fhir_date,
    fhir_datetime,
    finish,
    hl7_concept,
    notes,
    optional_reference,
    reference,
    references,
    sub_extension,
    versioned_reference,
)

SUBJECTS = ("Group", "Patient")
SIGNERS = ("Patient", "RelatedPerson", "Practitioner", "PractitionerRole")
AUTHORS = ("Patient", "Practitioner", "PractitionerRole", "Device", "RelatedPerson",
           "Organization", "CareTeam")
OWNERS = ("Patient", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization",
          "CareTeam")


def _period(start: DateTimeLike | None, end: DateTimeLike | None) -> Period | None:
    if start is None and end is None:
        return None
    return Period(start=fhir_datetime(start, "period_start"), end=fhir_datetime(end, "period_end"))


#: ISO/ASTM E1762-95 signature types (the code system core R4 binds ``Signature.type`` to).
SIGNATURE_TYPES = "urn:iso-astm:E1762-95:2013"
#: Agreeing to the plan (a household member or network member): "Consent Signature".
CONSENT_SIGNATURE = "1.2.840.10065.1.12.1.7"
#: A professional signing as the plan's author: "Author's Signature".
AUTHOR_SIGNATURE = "1.2.840.10065.1.12.1.1"
_SIGNATURE_DISPLAYS = {CONSENT_SIGNATURE: "Consent Signature",
                       AUTHOR_SIGNATURE: "Author's Signature"}


@dataclass(frozen=True)
class Signature:
    """Who signed a plan (*ondertekening*), when, and as what (``kind``: ``CONSENT_SIGNATURE``
    for agreeing to the plan, the default; ``AUTHOR_SIGNATURE`` for its author). A signature
    holds for one version of the plan (:func:`plan_signature`); a safety plan is signed again
    at every progress meeting."""

    signer: Ref
    on: DateTimeLike
    kind: str = CONSENT_SIGNATURE

    def to_fhir(self) -> FhirSignature:
        if self.kind not in _SIGNATURE_DISPLAYS:
            raise ValueError(f"signatures.kind: unknown signature type {self.kind!r}")
        return FhirSignature(
            type=[Coding(system=SIGNATURE_TYPES, code=self.kind,
                         display=_SIGNATURE_DISPLAYS[self.kind])],
            when=fhir_datetime(self.on, "signatures.on"),
            who=reference(self.signer, *SIGNERS, parameter="signatures.signer"))


@builds("regie-plan-signature")
def plan_signature(*, plan: Ref | Mapping[str, object], signatures: Sequence[Signature],
                   version: str | None = None, recorded: DateTimeLike | None = None,
                   id: str | None = None, security_label: str | None = None) -> Provenance:
    """The signing of one version of a support or safety plan (profile
    ``regie-plan-signature``): a Provenance whose target is ``CarePlan/<id>/_history/<n>``.

    Parameters:
        plan: the plan as stored (its ``meta.versionId`` is the version signed), or a
            reference with ``version=``.
        signatures: who signed and when (:class:`Signature`), at least one; each signer is
            also an agent of the Provenance (``rg-psg-2``).
        recorded: when the signing was recorded (default: the latest signature's moment).
        security_label: give it the plan's label (the signers say something about the case).

    Example::

        >>> signed = plan_signature(plan="CarePlan/devries-safety-plan", version="3",
        ...     signatures=[Signature("Patient/devries-sanne", "2026-11-05T16:00:00+01:00")])
        >>> signed.target[0].reference
        'CarePlan/devries-safety-plan/_history/3'
    """
    if not signatures:
        raise ValueError("signatures: a signing needs at least one signature")
    made = [s.to_fhir() for s in signatures]
    agents: list[ProvenanceAgent] = []
    for signed in made:
        if signed.who.reference not in [a.who.reference for a in agents]:
            agents.append(ProvenanceAgent(who=Reference(reference=signed.who.reference)))
    moments = [s.on for s in signatures]
    return finish(
        Provenance, "regie-plan-signature", id=id, security_label=security_label,
        target=[versioned_reference(plan, "CarePlan", version, parameter="plan")],
        recorded=fhir_datetime(recorded if recorded is not None else max(
            moments, key=lambda m: str(fhir_datetime(m, "signatures.on"))), "recorded"),
        agent=agents, signature=made)


def _activities(actions: Ref | Sequence[Ref] | None) -> list[CarePlanActivity]:
    return [CarePlanActivity(reference=ref)
            for ref in references(actions, "Task", parameter="actions")]


def _next_meeting(next_meeting: DateTimeLike | None) -> Extension | None:
    if next_meeting is None:
        return None
    return extension("regie-next-meeting",
                     valueDateTime=fhir_datetime(next_meeting, "next_meeting"))


@builds("regie-support-plan")
def support_plan(*, subject: Ref, title: str, care_team: Ref, phase: str,
                 responsibilities: Mapping[str, str], status: str = "active",
                 description: str | None = None, period_start: DateTimeLike | None = None,
                 period_end: DateTimeLike | None = None, created: DateTimeLike | None = None,
                 author: Ref | None = None, next_meeting: DateTimeLike | None = None,
                 concerns: Sequence[Ref] = (),
                 strengths: Sequence[Ref] = (), goals: Sequence[Ref] = (),
                 actions: Sequence[Ref] = (), note: str | Sequence[str] | None = None,
                 id: str | None = None, security_label: str | None = None,
                 text_for_perpetrator_side: bool = False) -> CarePlan:
    """The household's support plan (*ondersteuningsplan*): one household, one plan (profile
    ``regie-support-plan``).

    Parameters:
        subject: the household (Group) or one client (Patient).
        care_team: the team around the household (``regie-care-team``).
        phase: the 1G1P1R phase (*fase*): registration, intake, start-meeting-preparation,
            start-meeting, progress, progress-meeting, professional-handover, closing.
        responsibilities: the fixed responsibility statements (*vaste verantwoordelijkheden*),
            area -> statement in plain words; all four areas are required (``rg-spl-1``):
            execution, day-to-day-direction, facilitating-cooperation, resolving-stagnation.
        concerns, strengths, goals, actions: ``regie-concern``, ``regie-strength``,
            ``regie-goal`` and ``regie-agreed-action`` resources (or references).
        next_meeting: the next (progress) meeting (*volgend overleg*).

    Example::

        >>> plan = support_plan(subject="Group/household-de-vries", title="Ons plan",
        ...     care_team="CareTeam/devries-careteam", phase="progress", responsibilities={
        ...         "execution": "Iedereen voert de eigen afspraken uit.",
        ...         "day-to-day-direction": "De casusregisseur houdt de dagelijkse regie.",
        ...         "facilitating-cooperation": "De procesregisseur zorgt voor samenwerking.",
        ...         "resolving-stagnation": "De procesregisseur lost vastlopen op."})
    """
    extensions = [coded_extension("regie-1g1p1r-phase", "regie-1g1p1r-phase", phase)]
    extensions += [
        complex_extension("regie-responsibility",
                          sub_extension("area", valueCoding=coding("regie-responsibility-area",
                                                                   area)),
                          sub_extension("statement", valueString=statement))
        for area, statement in responsibilities.items()]
    extensions += [e for e in [_next_meeting(next_meeting)] if e]
    return finish(
        CarePlan, "regie-support-plan", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        extension=extensions,
        status=core_code("care-plan-status", status, "status"),
        intent="plan",
        category=[concept("regie-plan-category", "support-plan")],
        title=title, description=description,
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        period=_period(period_start, period_end),
        created=fhir_datetime(created, "created"),
        author=optional_reference(author, *AUTHORS, parameter="author"),
        careTeam=[reference(care_team, "CareTeam", parameter="care_team")],
        addresses=references(concerns, "Condition", parameter="concerns"),
        supportingInfo=references(strengths, "Observation", parameter="strengths"),
        goal=references(goals, "Goal", parameter="goals"),
        activity=_activities(actions),
        note=notes(note),
    )


@dataclass(frozen=True)
class DangerStatement:
    """A danger statement (*gevaarsomschrijving*) the safety plan works on: a ``regie-concern``
    of kind danger-statement, its priority (1 first) and status (active, resolved, replaced).
    At most four are active (``rg-sfp-1``)."""

    concern: Ref
    priority: int
    status: str = "active"

    def to_fhir(self) -> Extension:
        return complex_extension(
            "regie-danger-statement",
            sub_extension("statement", valueReference=reference(
                self.concern, "Condition", parameter="danger_statements.concern")),
            sub_extension("priority", valuePositiveInt=self.priority),
            sub_extension("status", valueCode=coding("regie-danger-statement-status",
                                                     self.status).code))


@builds("regie-safety-plan")
def safety_plan(*, subject: Ref, title: str, kind: str, routekaart_phase: str,
                danger_statements: Sequence[DangerStatement] = (),
                safe_object: str | None = None,
                next_meeting: DateTimeLike | None = None,
                status: str = "active", description: str | None = None,
                support_plan: Ref | None = None, period_start: DateTimeLike | None = None,
                period_end: DateTimeLike | None = None, created: DateTimeLike | None = None,
                author: Ref | None = None, care_team: Ref | None = None,
                risk_factors: Sequence[Ref] = (), goals: Sequence[Ref] = (),
                actions: Sequence[Ref] = (), note: str | Sequence[str] | None = None,
                id: str | None = None, security_label: str | None = None,
                text_for_perpetrator_side: bool = False) -> CarePlan:
    """A safety plan (*veiligheidsplan*), part of the support plan (profile
    ``regie-safety-plan``).

    Parameters:
        kind: direct, stable or long-term (*direct / stabiel veiligheidsplan*).
        routekaart_phase: alignment, safety, risk-guided, recovery (*Routekaart naar Veiligheid*).
        danger_statements: :class:`DangerStatement` in priority order.
        safe_object: the safe object (*veilig voorwerp*) and what moving it means.
        care_team: the team around the household; its participants with role
            ``veiligheidspersoon`` are the plan's safety persons (named there, not here).
        support_plan: the support plan this safety plan is part of (``partOf``).
        risk_factors: risk and complicating factors (``regie-concern``); ``addresses`` lists
            them and then every danger statement (``rg-sfp-2``).
        goals: safety goals and Veilig Thuis safety conditions (``regie-goal``).
        actions: safety agreements and checks (``regie-agreed-action``).

    Example::

        >>> plan = safety_plan(subject="Group/household-de-vries", title="Veiligheidsplan",
        ...     kind="direct", routekaart_phase="safety",
        ...     danger_statements=[DangerStatement("Condition/devries-danger-1", priority=1)])
    """
    extensions = [coded_extension("regie-safety-plan-kind", "regie-safety-plan-kind", kind),
                  coded_extension("regie-routekaart-phase", "regie-routekaart-phase",
                                  routekaart_phase)]
    extensions += [statement.to_fhir() for statement in danger_statements]
    # The safety person (*veiligheidspersoon*) is a participant of ``care_team`` with that
    # role (:func:`fhir_regie.model.care_team`), named there once.
    if safe_object is not None:
        extensions.append(extension("regie-safe-object", valueString=safe_object))
    extensions += [e for e in [_next_meeting(next_meeting)] if e]
    return finish(
        CarePlan, "regie-safety-plan", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        extension=extensions,
        status=core_code("care-plan-status", status, "status"),
        intent="plan",
        category=[concept("regie-plan-category", "safety-plan")],
        title=title, description=description,
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        partOf=references(support_plan, "CarePlan", parameter="support_plan"),
        period=_period(period_start, period_end),
        created=fhir_datetime(created, "created"),
        author=optional_reference(author, *AUTHORS, parameter="author"),
        careTeam=references(care_team, "CareTeam", parameter="care_team"),
        addresses=_addresses(risk_factors, danger_statements),
        goal=references(goals, "Goal", parameter="goals"),
        activity=_activities(actions),
        note=notes(note),
    )


def _addresses(risk_factors: Sequence[Ref], danger_statements: Sequence[DangerStatement]
               ) -> list[Reference]:
    """Risk and complicating factors, then every danger statement not among them: a core
    CarePlan reader sees all the plan addresses (rg-sfp-2)."""
    found = references(risk_factors, "Condition", parameter="risk_factors")
    named = {r.reference for r in found}
    for statement in danger_statements:
        ref = reference(statement.concern, "Condition", parameter="danger_statements.concern")
        if ref.reference not in named:
            named.add(ref.reference)
            found.append(ref)
    return found


@builds("regie-goal")
def goal(*, kind: str, description: str, subject: Ref, lifecycle_status: str = "active",
         achievement_status: str | None = None, life_domain: str | None = None,
         consequence: str | None = None, start: DateLike | None = None,
         due: DateLike | None = None, expressed_by: Ref | None = None,
         addresses: Sequence[Ref] = (), note: str | Sequence[str] | None = None,
         id: str | None = None, security_label: str | None = None,
         text_for_perpetrator_side: bool = False) -> Goal:
    """A support goal (*ondersteuningsdoel*), safety goal (*veiligheidsdoel*) or a Veilig Thuis
    safety condition (*veiligheidsvoorwaarde*) (profile ``regie-goal``).

    Parameters:
        kind: support-goal, safety-goal or safety-condition.
        description: what people want to see, in plain words (never a service: a course is a
            means, not a safety goal).
        life_domain: the life domain (*leefgebied*); required for a support goal (``rg-gol-3``).
        due: the term (*termijn*); required for a safety condition (``rg-gol-1``).
        consequence: what happens if a safety condition is not met (*consequentie*); required
            for a safety condition (``rg-gol-2``).
        achievement_status: FHIR goal-achievement code (in-progress, achieved, ...).
        expressed_by: whose goal this is; ``addresses``: the concerns it answers.

    Example::

        >>> condition = goal(kind="safety-condition", subject="Group/household-hv-0417",
        ...     description="Vader neemt geen contact op.", due="2026-10-21",
        ...     consequence="Veilig Thuis schakelt de politie in.")
    """
    extensions = []
    if life_domain is not None:
        extensions.append(coded_extension("regie-life-domain", "regie-life-domain", life_domain))
    if consequence is not None:
        extensions.append(extension("regie-consequence", valueString=consequence))
    achievement = (hl7_concept("goal-achievement", achievement_status, "achievement_status")
                   if achievement_status is not None else None)
    return finish(
        Goal, "regie-goal", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        extension=extensions,
        lifecycleStatus=core_code("goal-status", lifecycle_status, "lifecycle_status"),
        achievementStatus=achievement,
        category=[concept("regie-goal-type", kind)],
        description=CodeableConcept(text=description),
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        startDate=fhir_date(start, "start"),
        target=[GoalTarget(dueDate=fhir_date(due, "due"))] if due is not None else None,
        expressedBy=optional_reference(expressed_by, "Patient", "Practitioner",
                                       "PractitionerRole", "RelatedPerson",
                                       parameter="expressed_by"),
        addresses=references(addresses, "Condition", parameter="addresses"),
        note=notes(note),
    )


@builds("regie-concern")
def concern(*, kind: str, description: str, subject: Ref, asserted_by: Ref | None = None,
            life_domain: str | None = None, clinical_status: str | None = "active",
            recorded: DateLike | None = None, note: str | Sequence[str] | None = None,
            id: str | None = None, security_label: str | None = None,
            text_for_perpetrator_side: bool = False) -> Condition:
    """A concern (*zorg*), danger statement (*gevaarsomschrijving*), complicating factor or risk
    factor (profile ``regie-concern``).

    Parameters:
        kind: concern, danger-statement, complicating-factor or risk-factor.
        description: the concern in the household's own words (``code.text``).
        asserted_by: whose words these are.
        clinical_status: FHIR condition-clinical code (active, inactive, resolved, ...).
        recorded: when it was written down.

    Example::

        >>> danger = concern(kind="danger-statement", subject="Group/household-de-vries",
        ...     description="We zijn bang dat ...", asserted_by="Patient/devries-sanne")
    """
    extensions = []
    if life_domain is not None:
        extensions.append(coded_extension("regie-life-domain", "regie-life-domain", life_domain))
    clinical = (hl7_concept("condition-clinical", clinical_status, "clinical_status")
                if clinical_status is not None else None)
    return finish(
        Condition, "regie-concern", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        extension=extensions,
        clinicalStatus=clinical,
        category=[concept("regie-concern-type", kind)],
        code=CodeableConcept(text=description),
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        recordedDate=fhir_datetime(recorded, "recorded"),
        asserter=optional_reference(asserted_by, "Patient", "RelatedPerson", "Practitioner",
                                    "PractitionerRole", parameter="asserted_by"),
        note=notes(note),
    )


@builds("regie-strength")
def strength(*, description: str, subject: Ref, kind: str = "strength",
             named_by: Ref | Sequence[Ref] | None = None, life_domain: str | None = None,
             on: DateTimeLike | None = None, status: str = "final",
             id: str | None = None, security_label: str | None = None,
             text_for_perpetrator_side: bool = False) -> Observation:
    """A strength (*kracht*) or sign of safety (*teken van veiligheid*) (profile
    ``regie-strength``).

    Parameters:
        description: the strength in plain words.
        kind: strength or sign-of-safety.
        named_by: who named it; ``on``: when.

    Example::

        >>> grandma = strength(subject="Group/household-de-vries", life_domain="social-support",
        ...     description="Oma Ria woont vlakbij.", named_by="Patient/devries-sanne")
    """
    extensions = []
    if life_domain is not None:
        extensions.append(coded_extension("regie-life-domain", "regie-life-domain", life_domain))
    return finish(
        Observation, "regie-strength", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        extension=extensions,
        status=core_code("observation-status", status, "status"),
        code=concept("regie-observation-type", kind, valueset="regie-strength-type"),
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        effectiveDateTime=fhir_datetime(on, "on"),
        performer=references(named_by, "Patient", "RelatedPerson", "Practitioner",
                             "PractitionerRole", "Organization", "CareTeam",
                             parameter="named_by"),
        valueString=description,
    )


@builds("regie-agreed-action")
def agreed_action(*, what: str, who: Ref, for_whom: Ref, plan: Ref, status: str,
                  kind: str = "action", goal: Ref | None = None, due: DateTimeLike | None = None,
                  status_reason: str | None = None, life_domain: str | None = None,
                  authored_on: DateTimeLike | None = None,
                  note: str | Sequence[str] | None = None,
                  id: str | None = None, security_label: str | None = None,
                  text_for_perpetrator_side: bool = False) -> Task:
    """An agreed action (*afspraak*) from a plan (profile ``regie-agreed-action``).

    Parameters:
        what: what will be done, in plain words.
        who: who carries it out (the client, a household member, a network member or a
            professional, or the team).
        for_whom: the household or the client it is for.
        plan: the support or safety plan it comes from.
        status: FHIR task status (requested, accepted, in-progress, on-hold, completed, ...).
            A rejected, cancelled, on-hold or failed action needs ``status_reason`` (``rg-act-1``).
        kind: action, safety-agreement (*veiligheidsafspraak*) or monitoring-check
            (*controlemoment*).
        goal: the goal it serves; ``due``: by when (required for kind action, ``rg-act-2``).

    Example::

        >>> walk = agreed_action(what="Mark gaat wandelen als hij boos wordt.",
        ...     who="Patient/devries-mark", for_whom="Group/household-de-vries",
        ...     plan="CarePlan/devries-safety-plan", kind="safety-agreement",
        ...     status="in-progress")
    """
    extensions = []
    if life_domain is not None:
        extensions.append(coded_extension("regie-life-domain", "regie-life-domain", life_domain))
    restriction = (TaskRestriction(period=Period(end=fhir_datetime(due, "due")))
                   if due is not None else None)
    return finish(
        Task, "regie-agreed-action", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        extension=extensions,
        basedOn=[reference(plan, "CarePlan", parameter="plan")],
        status=core_code("task-status", status, "status"),
        statusReason=CodeableConcept(text=status_reason) if status_reason else None,
        intent="plan",
        code=concept("regie-agreed-action-kind", kind),
        description=what,
        # The goal the action serves (the reason for it), not what it acts on.
        reasonReference=optional_reference(goal, "Goal", parameter="goal"),
        for_fhir=reference(for_whom, *SUBJECTS, parameter="for_whom"),
        authoredOn=fhir_datetime(authored_on, "authored_on"),
        owner=reference(who, *OWNERS, parameter="who"),
        restriction=restriction,
        note=notes(note),
    )


@builds("regie-safety-scale-score")
def safety_scale_score(*, danger_statement: Ref, scored_by: Ref, score: int, on: DateTimeLike,
                       subject: Ref, observed_behaviour: str | None = None,
                       safety_plan: Ref | None = None, status: str = "final",
                       id: str | None = None,
                       security_label: str | None = None,
                       text_for_perpetrator_side: bool = False) -> Observation:
    """One person's score on a safety scale (*score op de veiligheidsschaal*) (profile
    ``regie-safety-scale-score``).

    Parameters:
        danger_statement: the danger statement (``regie-concern``) or safety goal
            (``regie-goal``) the scale scores.
        scored_by: who gave the score.
        score: 0 (the danger statement happens) to 10 (the safety goal is reached)
            (``rg-ssc-1``).
        observed_behaviour: the concretely observed behaviour behind the score; required from
            6 up (``rg-ssc-2``).
        on: when it was scored; ``subject``: the household or client.
        safety_plan: the safety plan the scale belongs to.

    Example::

        >>> score = safety_scale_score(danger_statement="Condition/devries-danger-1",
        ...     scored_by="Patient/devries-sanne", score=3, subject="Group/household-de-vries",
        ...     on="2026-10-01T10:00:00+02:00")
    """
    return finish(
        Observation, "regie-safety-scale-score", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        status=core_code("observation-status", status, "status"),
        code=concept("regie-observation-type", "safety-scale-score"),
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        focus=[reference(danger_statement, "Condition", "Goal", parameter="danger_statement")],
        basedOn=references(safety_plan, "CarePlan", parameter="safety_plan"),
        effectiveDateTime=fhir_datetime(on, "on"),
        performer=[reference(scored_by, *SIGNERS, parameter="scored_by")],
        valueInteger=score,
        note=notes(observed_behaviour),
    )


@builds("regie-safety-log-entry")
def safety_log_entry(*, kind: str, what_happened: str | Sequence[str], subject: Ref,
                     on: DateTimeLike, recorded_by: Ref | Sequence[Ref] | None = None,
                     danger_statement: Ref | None = None, safety_plan: Ref | None = None,
                     status: str = "final", id: str | None = None,
                     security_label: str | None = None,
                     text_for_perpetrator_side: bool = False) -> Observation:
    """An entry in the household's safety log (*veiligheidslogboek*) (profile
    ``regie-safety-log-entry``).

    Parameters:
        kind: good-moment (*goed moment*), near-miss (*bijna-incident*) or incident.
        what_happened: what happened and what was done (one or more notes, at least one).
        danger_statement: the danger statement it concerns; ``on``: when it happened.

    Example::

        >>> entry = safety_log_entry(kind="good-moment", subject="Group/household-de-vries",
        ...     on="2026-10-25T12:00:00+02:00", what_happened="Samen naar de markt geweest.")
    """
    return finish(
        Observation, "regie-safety-log-entry", id=id, security_label=security_label,
        text_for_perpetrator_side=text_for_perpetrator_side,
        status=core_code("observation-status", status, "status"),
        code=concept("regie-observation-type", "safety-log-entry"),
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        focus=references(danger_statement, "Condition", parameter="danger_statement"),
        basedOn=references(safety_plan, "CarePlan", parameter="safety_plan"),
        effectiveDateTime=fhir_datetime(on, "on"),
        performer=references(recorded_by, "Patient", "RelatedPerson", "Practitioner",
                             "PractitionerRole", "Organization", "CareTeam",
                             parameter="recorded_by"),
        valueCodeableConcept=concept("regie-safety-log-kind", kind),
        note=notes(what_happened),
    )
