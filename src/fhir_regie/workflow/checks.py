"""Rules of the domain brief that are neither a deadline nor a phase criterion (DOMAIN.md §1-§6).

Each function checks one rule over one household at ``at`` and returns :class:`Finding` objects
(the rule id, the resource it is about, what is wrong). ``process_findings`` runs them all; the
dashboard (``status``) shows them and they make the CLI exit 1. Where each rule of the brief lives
(here, in a profile invariant, in another workflow module or in a regional setting) is listed in
docs/workflow.md, "Every rule of the domain brief".

Example::

    >>> from datetime import date
    >>> from fhir_regie.workflow.sources import load_household_from_example
    >>> from fhir_regie.workflow.regions import load_region
    >>> found = process_findings(load_household_from_example("household-de-vries"),
    ...                          load_region("default"), at=date(2026, 11, 25))
    >>> found
    []
"""

from __future__ import annotations

from datetime import date

from fhir_regie.messages import Said, said
from fhir_regie.workflow._fhir import (
    Resource,
    active_on,
    code,
    codes,
    extension,
    extensions,
    key,
    part,
    reference,
    to_date,
    value,
)
from fhir_regie.workflow.calendar import add_months
from fhir_regie.workflow.guards import Finding
from fhir_regie.workflow.household import Household, safety_persons
from fhir_regie.workflow.meldcode import is_honour_related, meldcode_advice
from fhir_regie.workflow.regions import RegionSettings

CLOSED = ("entered-in-error", "revoked", "cancelled")
V_CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
#: Household flag of a parent suspected of the violence (``regie-household-flag``).
PERPETRATOR = "alleged-perpetrator"


def _either(choices: list[str] | tuple[str, ...]) -> str | Said:
    """"a or b" in the reader's language (routes are codes and stay as they are)."""
    if len(choices) < 2:
        return ", ".join(choices)
    return said("check.either", first=_either(choices[:-1]), last=choices[-1])


def _plans(household: Household, category: str) -> list[Resource]:
    return [p for p in household.of_type("CarePlan")
            if category in codes(p.get("category"), "regie-plan-category")
            and p.get("status") not in CLOSED]


def _household_signatures(household: Household, plan: Resource) -> list[date]:
    """The days household members signed this version of the plan (the client's signature,
    §2): a signature counts only for the version of the plan it names."""
    members = household.member_references()
    return sorted(day for when, who in household.signatures(plan)
                  if reference(who) in members and (day := to_date(when)) is not None)


# ------------------------------------------------------------------------- §1-2: 1G1P1R

def one_casusregisseur(household: Household, at: date) -> list[Finding]:
    """§1: the casusregisseur is the household's one fixed face: at most one holds the role.

    (The procesregisseur's twin rule is invariant rg-ctm-1 on the CareTeam profile.)
    """
    holders = sorted({reference(p.get("member")) or "?"
                      for _, p in household.care_team_participants()
                      if "casusregisseur" in codes(p.get("role"), "regie-role")
                      and active_on(p.get("period"), at)})
    if len(holders) <= 1:
        return []
    return [Finding("one-casusregisseur", household.reference,
                    said("check.one_casusregisseur", count=len(holders), names=", ".join(holders)))]


def _unsafety_evidence(household: Household, at: date) -> list[str]:
    """What shows unsafety surfaced: a meldcode trail with a suspicion or a report, a handover
    from Veilig Thuis, a danger statement, an incident in the safety log."""
    found = [f"meldcode {advice.client}: {advice.outcome}"
             for advice in meldcode_advice(household, at)
             if advice.outcome == "report" or "q1-suspicion: yes" in advice.reasons]
    found += [key(t) for t in household.of_profile("regie-handover")
              if t.get("status") not in ("cancelled", "rejected", "entered-in-error")
              and (to_date(t.get("authoredOn")) or date.min) <= at]
    found += [key(c) for c in household.of_profile("regie-concern")
              if "danger-statement" in codes(c.get("category"), "regie-concern-type")
              and (to_date(c.get("recordedDate")) or date.min) <= at]
    found += [key(o) for o in household.of_profile("regie-safety-log-entry")
              if code(o.get("valueCodeableConcept"), "regie-safety-log-kind") == "incident"
              and (to_date(o.get("effectiveDateTime")) or date.min) <= at]
    return found


def safety_track_started(household: Household, at: date) -> list[Finding]:
    """§2: unsafety surfacing in any phase always starts the safety track (a safety plan) and
    1G1P1R (a support plan)."""
    evidence = _unsafety_evidence(household, at)
    if not evidence:
        return []
    found = []

    def started(profile: str) -> bool:
        return any((_start(p) or date.min) <= at and p.get("status") != "entered-in-error"
                   for p in household.of_profile(profile))

    if not started("regie-safety-plan"):
        found.append(Finding("safety-track-started", household.reference,
                             said("check.no_safety_plan", evidence=", ".join(evidence[:3]))))
    if not started("regie-support-plan"):
        found.append(Finding("safety-track-started", household.reference,
                             said("check.no_support_plan", evidence=", ".join(evidence[:3]))))
    return found


def _start(plan: Resource) -> date | None:
    return to_date((plan.get("period") or {}).get("start")) or to_date(plan.get("created"))


def safety_plan_signed_first(household: Household, at: date) -> list[Finding]:
    """§2 step 3b: when unsafe, the safety plan comes first, signed by the client, then the
    support plan (compared by the plans' start). A signature counts only for the version of the
    plan it names, so a plan edited after the meeting is unsigned until the client signs it
    again (as at every progress meeting)."""
    found = []
    safety_plans = [p for p in household.of_profile("regie-safety-plan")
                    if p.get("status") not in CLOSED and p.get("status") != "draft"]
    for plan in safety_plans:
        if not [day for day in _household_signatures(household, plan) if day <= at]:
            found.append(Finding("safety-plan-signed-first", key(plan),
                                 said("check.not_signed")))
    safety_started = [day for p in safety_plans if (day := _start(p)) is not None]
    support_started = [day for p in household.of_profile("regie-support-plan")
                       if p.get("status") not in CLOSED and (day := _start(p)) is not None]
    if safety_started and support_started and min(support_started) < min(safety_started):
        found.append(Finding("safety-plan-signed-first", household.reference,
                             said("check.safety_plan_first", support=min(support_started),
                                  safety=min(safety_started))))
    return found


def next_meeting_fixed(household: Household, at: date) -> list[Finding]:
    """§2 steps 3b and 5: the next meeting's date is fixed before leaving a meeting."""
    found = []
    for plan in household.of_profile("regie-support-plan"):
        if plan.get("status") != "active":
            continue
        meeting = to_date(value(extension(plan, "regie-next-meeting")))
        if meeting is None:
            found.append(Finding("next-meeting-fixed", key(plan),
                                 said("check.no_next_meeting")))
        elif meeting < at:
            found.append(Finding("next-meeting-fixed", key(plan),
                                 said("check.meeting_passed", day=meeting)))
    return found


RESPONSIBILITY_AREAS = ("execution", "day-to-day-direction", "facilitating-cooperation",
                        "resolving-stagnation")


def support_plan_complete(household: Household, _at: date) -> list[Finding]:
    """§2: the support plan names its 1G1P1R phase, has a title and a care team, and states the
    four fixed responsibility areas. Since 0.2 the profile does not require these (a plan
    exported from a municipal case system validates with what it has); this check reports
    what is missing, one finding per plan."""
    found = []
    for plan in household.of_profile("regie-support-plan"):
        if plan.get("status") in CLOSED:
            continue
        missing: list[str | Said] = []
        if extension(plan, "regie-1g1p1r-phase") is None:
            missing.append(said("check.plan_part.phase"))
        if not plan.get("title"):
            missing.append(said("check.plan_part.title"))
        if not plan.get("careTeam"):
            missing.append(said("check.plan_part.care_team"))
        stated = {code(value(part(e, "area")), "regie-responsibility-area")
                  for e in extensions(plan, "regie-responsibility")}
        absent = [area for area in RESPONSIBILITY_AREAS if area not in stated]
        if absent:
            missing.append(said("check.plan_part.responsibility", areas=", ".join(absent)))
        if missing:
            found.append(Finding("support-plan-complete", key(plan),
                                 said("check.support_plan_incomplete", missing=missing)))
    return found


def start_meeting_consent(household: Household, at: date) -> list[Finding]:
    """§2 step 3a: the start meeting is prepared with the client's consent (*toestemming*): a
    household with a support plan has an active consent of at least one member."""
    plans = [p for p in household.of_profile("regie-support-plan")
             if p.get("status") in ("active", "on-hold") and (_start(p) or date.min) <= at]
    members = household.member_references()
    consents = [c for c in household.of_type("Consent")
                if c.get("status") == "active" and reference(c.get("patient")) in members
                and (to_date(c.get("dateTime")) or date.max) <= at]
    if not plans or consents:
        return []
    return [Finding("start-meeting-consent", key(plans[0]),
                    said("check.no_consent"))]


def perpetrator_consents_alone(household: Household, at: date) -> list[Finding]:
    """§1 (consent under 12) and §6: a parent flagged as alleged perpetrator is the only parent
    who consented for a child under 12.

    When he holds authority (recorded on the child with ``regie-parental-authority``, or
    presumed when nothing is recorded) the consent counts for the consent rules; the finding
    makes that visible: check the other holder's consent and whether sharing on his word alone
    is safe. When authority is recorded and he does not hold it, his consent does not count
    at all (the consent engine refuses it) and the finding still shows the attempt.
    """
    members = {m.reference: m for m in household.members()}
    flagged = {ref for ref, m in members.items() if PERPETRATOR in m.flags}
    parents = {ref for ref, m in members.items() if m.role == "parent"}
    found = []
    for consent in household.of_type("Consent"):
        child = members.get(reference(consent.get("patient")) or "")
        given = to_date(consent.get("dateTime"))
        if consent.get("status") != "active" or child is None or given is None or given > at:
            continue
        age = child.age_on(at)
        performers = {reference(p) for p in consent.get("performer", [])}
        by_parents = performers & parents
        if age is not None and age < 12 and by_parents and by_parents <= flagged:
            found.append(Finding(
                "perpetrator-consents-alone", key(consent),
                said("check.perpetrator_consents", child=child.reference)))
    return found


# ------------------------------------------------------------------------- §3: meldcode

def _steps(household: Household, client: str, at: date) -> list[Resource]:
    return [t for t in household.of_profile("regie-meldcode-step")
            if reference(t.get("for")) == client
            and (to_date(t.get("authoredOn")) or date.min) <= at
            and t.get("status") not in ("cancelled", "entered-in-error")]


def _conversations(tasks: list[Resource]) -> list[tuple[bool, set[str], bool]]:
    """(held, with whom, skip reason recorded) per recorded client conversation."""
    found = []
    for task in tasks:
        for item in extensions(task, "regie-client-conversation"):
            found.append((value(part(item, "held")) is True,
                          {reference(value(p)) or "" for p in item.get("extension", [])
                           if isinstance(p, dict) and p.get("url") == "with"},
                          value(part(item, "skip-reason")) is not None))
    return found


def conversation_before_report(household: Household, at: date) -> list[Finding]:
    """§1 and §3 step 5: a report is discussed beforehand with a client aged 12 or over and/or
    with the parent when the client is under 16 (unless the conversation was skipped for a
    recorded reason; with honour-related violence the parents of a minor are not spoken to)."""
    found = []
    members = {m.reference: m for m in household.members()}
    for advice in meldcode_advice(household, at):
        if "report" not in (advice.outcome, advice.recorded_decision):
            continue
        tasks = _steps(household, advice.client, at)
        talks = _conversations(tasks)
        if any(skipped for held, _, skipped in talks if not held):
            continue
        spoken: set[str] = set()
        for held, people, _ in talks:
            if held:
                spoken |= people or {advice.client}  # no one named: step 3 is with the client
        member = members.get(advice.client)
        age = member.age_on(at) if member else None
        honour = is_honour_related(household, advice.client, tasks)
        eligible, whom = set(), []
        if age is None or age >= 12:
            eligible.add(advice.client)
            whom.append(said("check.whom.client"))
        if age is not None and age < 16 and not honour:
            eligible |= {ref for ref, m in members.items()
                         if m.role == "parent" and ref != advice.client}
            whom.append(said("check.whom.parent"))
        if whom and not spoken & eligible:
            found.append(Finding(
                "conversation-before-report", advice.client,
                said("check.not_discussed", whom=said("check.whom.both") if len(whom) > 1
                     else whom[0])))
    return found


def fgm_specialist(household: Household, at: date) -> list[Finding]:
    """§3 step 2: female genital mutilation needs the specialist (GGD/VT) consulted.

    (Honour-related violence has its own, stricter rule in ``meldcode``.)
    """
    found = []
    for advice in meldcode_advice(household, at):
        tasks = _steps(household, advice.client, at)
        signals = [s for s in household.of_profile("regie-signal")
                   if reference(s.get("subject")) == advice.client]
        named = {code(value(e), "regie-violence-type") for item in [*tasks, *signals]
                 for e in extensions(item, "regie-violence-type")}
        if "female-genital-mutilation" not in named:
            continue
        consulted = any(
            code(value(part(item, "consultee")), "regie-consultee-type") == "specialist"
            for task in tasks for item in extensions(task, "regie-consultation"))
        if not consulted:
            found.append(Finding("fgm-specialist", advice.client,
                                 said("check.fgm")))
    return found


# ------------------------------------------------------------------------- §4: after handover

def local_team_safety_plan(household: Household, at: date) -> list[Finding]:
    """§4: after a handover the local team's safety plan names the risk factors and the help,
    and carries Veilig Thuis's safety conditions when VT set them."""
    handovers = [t for t in household.of_profile("regie-handover")
                 if t.get("status") in ("accepted", "in-progress", "completed")
                 and (to_date(t.get("authoredOn")) or date.min) <= at]
    if not handovers:
        return []
    conditions = {key(g) for g in household.of_profile("regie-goal")
                  if "safety-condition" in codes(g.get("category"), "regie-goal-type")}
    found = []
    for plan in household.of_profile("regie-safety-plan"):
        if plan.get("status") in CLOSED or plan.get("status") == "completed":
            continue
        risks = [household.resolve(r) for r in plan.get("addresses", [])]
        if not any(r and "risk-factor" in codes(r.get("category"), "regie-concern-type")
                   for r in risks):
            found.append(Finding("local-team-safety-plan", key(plan),
                                 said("check.no_risk_factor")))
        if not plan.get("activity"):
            found.append(Finding("local-team-safety-plan", key(plan),
                                 said("check.no_activity")))
        missing = conditions - {reference(g) for g in plan.get("goal", [])}
        if missing:
            found.append(Finding("local-team-safety-plan", key(plan),
                                 said("check.vt_conditions",
                                      conditions=", ".join(sorted(missing)))))
    return found


def case_weight_route(household: Household, region: RegionSettings,
                      at: date) -> list[Finding]:
    """§4 [regional]: the handover route fits the case weight (licht and middelzwaar: a written
    handover after the assessment; zwaar: a Veilig Thuis service first)."""
    found = []
    for handover in household.of_profile("regie-handover"):
        if handover.get("status") in ("cancelled", "rejected", "entered-in-error") or \
                (to_date(handover.get("authoredOn")) or date.min) > at:
            continue
        weight = code(value(extension(handover, "regie-case-weight")), "regie-case-weight")
        route = code(value(extension(handover, "regie-handover-route")), "regie-handover-route")
        if weight not in ("licht", "middelzwaar", "zwaar") or route is None:
            continue
        allowed = getattr(region.case_weight, f"{weight}_routes")
        if route not in allowed:
            found.append(Finding("case-weight-route", key(handover),
                                 said("check.case_weight", weight=weight, allowed=_either(allowed),
                                      region=region.name, route=route)))
    return found


# ------------------------------------------------------------------------- §5: safety planning

def planning_duration(household: Household, region: RegionSettings,
                      at: date) -> list[Finding]:
    """§5 (advice): safety planning takes at least 12-18 months of intensive work; a safety
    plan completed sooner is worth a second look."""
    months = region.safety.planning_months_advice
    found = []
    for plan in household.of_profile("regie-safety-plan"):
        start = _start(plan)
        end = to_date((plan.get("period") or {}).get("end"))
        if plan.get("status") != "completed" or start is None or end is None or end > at:
            continue
        if end < add_months(start, months):
            found.append(Finding("planning-duration", key(plan),
                                 said("check.planning_duration", end=end, months=months,
                                      start=start),
                                 advisory=True))
    return found


def safety_goal_per_danger(household: Household, _at: date) -> list[Finding]:
    """§5: every active danger statement has its own safety goal (a Goal of type safety-goal
    in the plan that addresses it)."""
    found = []
    for plan in household.of_profile("regie-safety-plan"):
        if plan.get("status") in CLOSED:
            continue
        goals = [household.resolve(g) for g in plan.get("goal", [])]
        covered = {reference(a) for g in goals
                   if g and "safety-goal" in codes(g.get("category"), "regie-goal-type")
                   for a in g.get("addresses", [])}
        for _, statement, status in household.danger_statements(plan):
            if status == "active" and statement not in covered:
                found.append(Finding("safety-goal-per-danger", key(plan),
                                     said("check.no_safety_goal", ref=statement)))
    return found


def direct_plan_contents(household: Household, at: date) -> list[Finding]:
    """§5 fase veiligheid: a direct safety plan with a child in the household names a safe
    person for the child and a safe object, keeps a safety log and has check moments."""
    children = [m for m in household.members() if m.role == "child" and not m.inactive
                and (m.age_on(at) is None or (m.age_on(at) or 0) < 18)]
    found = []
    for plan in household.of_profile("regie-safety-plan"):
        if plan.get("status") in CLOSED or plan.get("status") == "completed" or \
                code(value(extension(plan, "regie-safety-plan-kind"))) != "direct":
            continue
        log = [o for o in household.of_profile("regie-safety-log-entry")
               if (to_date(o.get("effectiveDateTime")) or date.max) <= at]
        checks = [t for t in household.of_profile("regie-agreed-action")
                  if key(plan) in {reference(b) for b in t.get("basedOn", [])}
                  and code(t.get("code"), "regie-agreed-action-kind") == "monitoring-check"]
        missing = []
        if children and not safety_persons(plan, household.get, at):
            missing.append(said("check.lacks.person"))
        if children and not extension(plan, "regie-safe-object"):
            missing.append(said("check.lacks.object"))
        if not log:
            missing.append(said("check.lacks.log"))
        if not checks:
            missing.append(said("check.lacks.checks"))
        if missing:
            found.append(Finding("direct-plan-contents", key(plan),
                                 said("check.direct_lacks", items=missing)))
    return found


def plans_support_safety_plan(household: Household, _at: date) -> list[Finding]:
    """§5: an assistance plan and a recovery plan always support the safety plan (basedOn or
    partOf points to it)."""
    safety = {key(p) for p in household.of_profile("regie-safety-plan")}
    found = []
    for category in ("assistance-plan", "recovery-plan"):
        for plan in _plans(household, category):
            linked = {reference(r) for r in [*plan.get("basedOn", []), *plan.get("partOf", [])]}
            if not linked & safety:
                found.append(Finding("plans-support-safety-plan", key(plan),
                                     said("check.not_linked", plan=said(f"check.plan.{category}"))))
    return found


# ------------------------------------------------------------------------- §6: confidentiality

def _labels(resource: Resource) -> set[str]:
    meta = resource.get("meta")
    security = meta.get("security", []) if isinstance(meta, dict) else []
    return {c.get("code") for c in security
            if isinstance(c, dict) and c.get("system") == V_CONFIDENTIALITY}


def honour_related_very_restricted(household: Household, _at: date) -> list[Finding]:
    """§6: data about honour-related violence needs the highest confidentiality: the records that
    name it (signals, meldcode steps) carry the security label V (very restricted)."""
    found = []
    for resource in [*household.of_profile("regie-signal"),
                     *household.of_profile("regie-meldcode-step")]:
        named = {code(value(e), "regie-violence-type")
                 for e in extensions(resource, "regie-violence-type")}
        if "honour-related-violence" in named and "V" not in _labels(resource):
            found.append(Finding("honour-related-very-restricted", key(resource),
                                 said("check.honour_label")))
    return found


HANDOVER_OUTPUT = "https://fhir-regie.nl/fhir/CodeSystem/regie-handover-output"


def _named_version(element: object) -> str | None:
    """The version a Reference names: ``Type/id/_history/n`` on the sender's server, or in a
    receiver's copy the sender's versioned URL in ``identifier`` (rg-hnd-3)."""
    if not isinstance(element, dict):
        return None
    text = element.get("reference")
    if isinstance(text, str) and "/_history/" in text:
        return text
    value = (element.get("identifier") or {}).get("value")
    return value if isinstance(value, str) and "/_history/" in value else None


def handover_version_accepted(household: Household, at: date) -> list[Finding]:
    """§4: responsibility passes for what was handed over at the recorded moment. An accepted
    handover names the version of the document the local team accepted (rg-hnd-4); when the
    Task now names another version (Veilig Thuis changed the document afterwards), that
    content was not accepted: the local team must look at it and accept it again."""
    found = []
    for task in household.of_profile("regie-handover"):
        if task.get("status") not in ("accepted", "in-progress", "completed"):
            continue
        if (to_date((task.get("executionPeriod") or {}).get("start")) or date.min) > at:
            continue
        focus = _named_version(task.get("focus")) or ""
        accepted = [_named_version(o.get("valueReference")) or ""
                    for o in task.get("output", []) if isinstance(o, dict)
                    and any(c.get("system") == HANDOVER_OUTPUT and c.get("code") ==
                            "accepted-document" for c in (o.get("type") or {}).get("coding", [])
                            if isinstance(c, dict))]
        if not accepted or not accepted[0]:
            found.append(Finding("handover-version-accepted", key(task),
                                 said("check.no_accepted_version")))
        elif focus != accepted[0]:
            found.append(Finding("handover-version-accepted", key(task),
                                 said("check.other_version_accepted", accepted=accepted[0],
                                      current=focus or "?")))
    return found


RULES = (one_casusregisseur, support_plan_complete, safety_track_started, start_meeting_consent,
         safety_plan_signed_first, next_meeting_fixed, handover_version_accepted,
         perpetrator_consents_alone, conversation_before_report, fgm_specialist,
         local_team_safety_plan, safety_goal_per_danger, direct_plan_contents,
         plans_support_safety_plan, honour_related_very_restricted)


REGIONAL_RULES = (case_weight_route, planning_duration)


def process_findings(household: Household, region: RegionSettings,
                     at: date) -> list[Finding]:
    """Every rule of this module for one household at ``at``."""
    return [*(finding for rule in RULES for finding in rule(household, at)),
            *(finding for rule in REGIONAL_RULES for finding in rule(household, region, at))]
