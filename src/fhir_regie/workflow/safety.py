"""Safety progress: per safety plan, the Routekaart phase and its exit criteria with evidence.

Phases and their minimum outcomes come from DOMAIN.md §5 (Routekaart naar Veiligheid), stable
safety from §4; every threshold is a regional setting (``safety.*``, ``plan.*``). A criterion is
``met``, ``unmet`` or ``unknown`` (the data cannot tell), always with the evidence: which scores,
since when, and what is missing. Advisory criteria (rules of thumb) never block a phase.

Example::

    >>> from datetime import date
    >>> from fhir_regie.workflow.sources import load_household_from_example
    >>> from fhir_regie.workflow.regions import load_region
    >>> [progress] = safety_progress(load_household_from_example("household-de-vries"),
    ...                              load_region("default"), at=date(2026, 11, 25))
    >>> progress.phase, progress.ready_for_next_phase
    ('safety', False)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from fhir_regie.messages import said
from fhir_regie.workflow._fhir import (
    Resource,
    active_on,
    code,
    codes,
    extension,
    key,
    period_bounds,
    reference,
    to_date,
    value,
)
from fhir_regie.workflow.calendar import add_months, months_between
from fhir_regie.workflow.household import Household, safety_persons
from fhir_regie.workflow.regions import RegionSettings

CriterionStatus = Literal["met", "unmet", "unknown"]
PHASES = ("alignment", "safety", "risk-guided", "recovery")
CLOSED_PLAN_STATES = ("completed", "revoked", "entered-in-error")


@dataclass(frozen=True)
class Criterion:
    """One exit criterion of a phase (or of stable safety) and why it is (not) met."""

    id: str
    description: str
    status: CriterionStatus
    evidence: tuple[str, ...]
    setting: str | None = None
    advisory: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "description": self.description, "status": self.status,
                "evidence": list(self.evidence), "setting": self.setting,
                "advisory": self.advisory}


@dataclass(frozen=True)
class SafetyProgress:
    """A safety plan's phase, the exit criteria of that phase, and stable safety."""

    plan: str
    plan_status: str
    kind: str | None
    phase: str | None
    next_phase: str | None
    criteria: tuple[Criterion, ...]
    stable_safety: tuple[Criterion, ...]

    @property
    def ready_for_next_phase(self) -> bool:
        return all(c.status == "met" for c in self.criteria if not c.advisory)

    @property
    def is_stable(self) -> bool:
        return all(c.status == "met" for c in self.stable_safety)

    @property
    def is_active(self) -> bool:
        return self.plan_status not in CLOSED_PLAN_STATES

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "plan_status": self.plan_status, "kind": self.kind,
                "phase": self.phase, "next_phase": self.next_phase,
                "ready_for_next_phase": self.ready_for_next_phase,
                "criteria": [c.to_dict() for c in self.criteria],
                "stable_safety": {"stable": self.is_stable,
                                  "criteria": [c.to_dict() for c in self.stable_safety]}}


@dataclass(frozen=True)
class _Score:
    day: date
    focus: str
    performer: str
    value: int
    justified: bool
    resource: str


def _criterion(id_: str, description: str, ok: bool | None, evidence: list[str], *,
               setting: str | None = None, advisory: bool = False) -> Criterion:
    status: CriterionStatus = "unknown" if ok is None else ("met" if ok else "unmet")
    return Criterion(id_, description, status, tuple(evidence), setting, advisory)


# ------------------------------------------------------------------------------ reading

def _scores(household: Household, plan: Resource, at: date) -> list[_Score]:
    statements = {ref for _, ref, _ in household.danger_statements(plan)}
    goals = {reference(g) for g in plan.get("goal", [])}
    found = []
    for obs in household.of_profile("regie-safety-scale-score"):
        focus = reference((obs.get("focus") or [{}])[0])
        based_on = {reference(b) for b in obs.get("basedOn", [])}
        if key(plan) not in based_on and focus not in statements | goals:
            continue
        day, score = to_date(obs.get("effectiveDateTime")), obs.get("valueInteger")
        performer = reference((obs.get("performer") or [{}])[0])
        if day is None or day > at or not isinstance(score, int) or not focus or not performer:
            continue
        found.append(_Score(day, focus, performer, score, bool(obs.get("note")), key(obs)))
    return sorted(found, key=lambda s: (s.day, s.focus, s.performer))


def _log(household: Household, at: date, kind: str) -> list[tuple[date, str]]:
    """Safety-log entries of one kind (incident, near-miss, good-moment) up to ``at``."""
    return sorted((day, key(obs)) for obs in household.of_profile("regie-safety-log-entry")
                  if code(obs.get("valueCodeableConcept"), "regie-safety-log-kind") == kind
                  and (day := to_date(obs.get("effectiveDateTime"))) is not None and day <= at)


def _active_roles(household: Household, at: date) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = defaultdict(list)
    for _, participant in household.care_team_participants():
        if active_on(participant.get("period"), at):
            member = reference(participant.get("member")) or "?"
            for role in codes(participant.get("role"), "regie-role"):
                roles[role].append(member)
    return roles


def informal_network(household: Household, region: RegionSettings, at: date) -> Criterion:
    """§5 rule of thumb (advice): at least N non-professionals actively involved."""
    roles = _active_roles(household, at)
    informal = sorted({ref for role, refs in roles.items()
                       if role in ("informeel-netwerk", "veiligheidspersoon",
                                   "netwerkberaad-voorzitter")
                       for ref in refs if ref.startswith("RelatedPerson/")})
    minimum = region.plan.min_informal_network_before_closing
    return _criterion(
        "network.informal", said("safety.network.informal", minimum=minimum),
        len(informal) >= minimum,
        [said("safety.n_active_list", count=len(informal),
               names=", ".join(informal) or said("workflow.none"))],
        setting="plan.min_informal_network_before_closing", advisory=True)


def _plan_start(plan: Resource) -> date | None:
    return period_bounds(plan.get("period"))[0] or to_date(plan.get("created"))


def _label(household: Household, plan: Resource, focus: str) -> str:
    for priority, ref, _ in household.danger_statements(plan):
        if ref == focus:
            return said("safety.danger_statement", priority=priority, ref=ref)
    return focus


# ------------------------------------------------------------------------------ criteria

def _everyone_scores(household: Household, plan: Resource, scores: list[_Score], *,
                     minimum: int, id_: str, setting: str,
                     foci: list[str] | None = None) -> Criterion:
    """Everyone's latest score per scale is at least ``minimum``, justified by behaviour."""
    latest: dict[tuple[str, str], _Score] = {}
    for score in scores:
        latest[(score.focus, score.performer)] = score
    foci = foci if foci is not None else sorted({s.focus for s in scores})
    evidence, ok = [], True
    if not foci:
        return _criterion(id_, said("safety.everyone_scores", minimum=minimum), None,
                          [said("safety.no_scale")],
                          setting=setting)
    for focus in foci:
        mine = sorted((s for (f, _), s in latest.items() if f == focus), key=lambda s: s.day)
        label = _label(household, plan, focus)
        if not mine:
            ok = False
            evidence.append(said("safety.not_scored", label=label))
            continue
        low = [s for s in mine if s.value < minimum]
        unjustified = [s for s in mine if s.value >= minimum and not s.justified]
        for s in low:
            evidence.append(said("safety.scored_low", label=label, performer=s.performer,
                                 value=s.value, day=s.day, minimum=minimum))
        for s in unjustified:
            evidence.append(said("safety.scored_unjustified", label=label,
                                 performer=s.performer, value=s.value, day=s.day))
        if not low and not unjustified:
            evidence.append(said("safety.all_scored", label=label, count=len(mine),
                                 minimum=minimum,
                                 scores=", ".join(f"{s.performer} {s.value}" for s in mine)))
        ok = ok and not low and not unjustified
    return _criterion(id_, said("safety.everyone_scores_behaviour", minimum=minimum),
                      ok, evidence, setting=setting)


def _held(household: Household, plan: Resource, focus: str, *, scores: list[_Score],
          incidents: list[tuple[date, str]], region: RegionSettings, at: date) -> Criterion:
    """§5 risk-guided: the scale is at least N for at least M months, scored at least monthly."""
    settings = region.safety
    minimum, months, interval = (settings.risk_guided_min_score, settings.risk_guided_months,
                                 settings.scoring_interval_months)
    label = _label(household, plan, focus)
    rounds: dict[date, list[int]] = defaultdict(list)
    for score in scores:
        if score.focus == focus:
            rounds[score.day].append(score.value)
    days = sorted(rounds)
    description = said("safety.held", label=label, minimum=minimum, months=months,
                       interval=interval)
    setting = "safety.risk_guided_min_score, safety.risk_guided_months, " \
              "safety.scoring_interval_months"
    if not days:
        return _criterion(f"risk-guided.held:{focus}", description, False,
                          [said("safety.not_scored", label=label)], setting=setting)
    streak: date | None = None
    notes: list[str] = []
    previous: date | None = None
    for day in days:
        if previous is not None and add_months(previous, interval) < day:
            streak = None
            notes = [said("safety.gap", previous=previous, day=day, interval=interval)]
        hit = [d for d, _ in incidents if (previous or date.min) < d <= day]
        if hit:
            streak = None
            notes = [said("safety.incident_resets", day=hit[-1], months=months)]
        if min(rounds[day]) >= minimum:
            streak = streak or day
        else:
            streak = None
            notes = [said("safety.round_low", value=min(rounds[day]), day=day, minimum=minimum)]
        previous = day
    late = [d for d, _ in incidents if days[-1] < d <= at]
    if late:
        streak, notes = None, [said("safety.incident_resets", day=late[-1], months=months)]
    if add_months(days[-1], interval) < at:
        notes.append(said("safety.no_score_since", day=days[-1], interval=interval))
        return _criterion(f"risk-guided.held:{focus}", description, False, notes,
                          setting=setting)
    if streak is None:
        return _criterion(f"risk-guided.held:{focus}", description, False,
                          notes or [said("safety.no_high_score", label=label, minimum=minimum)],
                          setting=setting)
    held = months_between(streak, at)
    evidence = [said("safety.held_so_far", label=label, minimum=minimum,
                     held=min(held, months), months=months, since=streak), *notes]
    if held < months:
        evidence.append(said("safety.reached_on", months=months, day=add_months(streak, months)))
    return _criterion(f"risk-guided.held:{focus}", description, held >= months, evidence,
                      setting=setting)


def _no_incidents(plan: Resource, incidents: list[tuple[date, str]], region: RegionSettings,
                  at: date) -> Criterion:
    months = region.safety.stable_months_without_incident
    start = _plan_start(plan)
    since, why = (incidents[-1][0], said("safety.incident_resets_ref", day=incidents[-1][0],
                                         ref=incidents[-1][1], months=months)) if incidents \
        else (start, said("safety.no_incident_since_start", day=start))
    if since is None:
        return _criterion("stable.no-incidents", said("safety.no_incidents", months=months), None,
                          [said("safety.no_start")],
                          setting="safety.stable_months_without_incident")
    held = months_between(since, at)
    evidence = [why, said("safety.months_of", held=min(held, months), months=months)]
    if held < months:
        evidence.append(said("safety.reached_on", months=months, day=add_months(since, months)))
    return _criterion("stable.no-incidents", said("safety.no_incidents", months=months),
                      held >= months, evidence,
                      setting="safety.stable_months_without_incident")


def _stable_safety(household: Household, plan: Resource, incidents: list[tuple[date, str]],
                   region: RegionSettings, at: date) -> tuple[Criterion, ...]:
    """§4: stable safety = no incidents for N months, risk factors addressed, recovery begun."""
    risks = [household.resolve(r) for r in plan.get("addresses", [])]
    risk_factors = [r for r in risks if r and "risk-factor" in codes(r.get("category"),
                                                                     "regie-concern-type")]
    still = [key(r) for r in risk_factors
             if code(r.get("clinicalStatus")) in (None, "active", "recurrence", "relapse")]
    if not risk_factors:
        risk = _criterion("stable.risk-factors", said("safety.risk_factors"), None,
                          [said("safety.no_risk_factor")])
    else:
        risk = _criterion("stable.risk-factors", said("safety.risk_factors"),
                          not still, [said("safety.still_active", ref=ref) for ref in still]
                          or [said("safety.risks_done", count=len(risk_factors))])
    recovery = [key(p) for p in household.of_type("CarePlan")
                if "recovery-plan" in codes(p.get("category"), "regie-plan-category")
                and p.get("status") in ("active", "completed", "on-hold")]
    started = _criterion("stable.recovery-started", said("safety.recovery_started"),
                         bool(recovery), [said("safety.recovery_plan", plans=", ".join(recovery))]
                         if recovery else [said("safety.no_recovery_plan")])
    return _no_incidents(plan, incidents, region, at), risk, started


def _phase_criteria(household: Household, plan: Resource, phase: str | None,
                    region: RegionSettings, at: date) -> list[Criterion]:
    scores = _scores(household, plan, at)
    incidents = _log(household, at, "incident")
    roles = _active_roles(household, at)
    active = [ref for _, ref, status in household.danger_statements(plan) if status == "active"]
    actions = [t for t in household.of_profile("regie-agreed-action")
               if key(plan) in {reference(b) for b in t.get("basedOn", [])}
               and t.get("status") in ("accepted", "in-progress", "completed", "ready")]
    kinds = {code(t.get("code"), "regie-agreed-action-kind") for t in actions}
    network = informal_network(household, region, at)

    def has_role(role: str) -> tuple[bool, str]:
        holders = roles.get(role, [])
        return bool(holders), (f"{role}: {', '.join(holders)}" if holders
                               else said("safety.no_role", role=role))

    if phase == "alignment":
        ok_c, why_c = has_role("casusregisseur")
        return [_criterion("alignment.case-direction",
                           said("safety.case_direction"), ok_c, [why_c])]
    if phase == "safety":
        log = _log(household, at, "near-miss") + _log(household, at, "good-moment")
        latest = {(s.focus, s.performer): s for s in scores if s.focus in active}
        if incidents:
            last = incidents[-1]
            stale = sorted({s.resource for s in latest.values() if s.day <= last[0]})
            violence = _criterion(
                "safety.no-new-violence", said("safety.no_new_violence"), not stale,
                [said("safety.incident_on", day=last[0], ref=last[1]),
                 *([said("safety.redo_scores", scores=", ".join(stale))] if stale
                   else [said("safety.scores_after")])])
        elif not log:
            violence = _criterion("safety.no-new-violence", said("safety.no_new_violence"),
                                  None, [said("safety.empty_log")])
        else:
            violence = _criterion("safety.no-new-violence", said("safety.no_new_violence"),
                                  True, [said("safety.no_incident_in_log", count=len(log))])
        ok_c, why_c = has_role("casusregisseur")
        ok_p, why_p = has_role("veiligheidsplanner")
        return [
            _criterion("safety.agreements-made", said("safety.agreements_made"),
                       "safety-agreement" in kinds,
                       [said("safety.agreements_running", count=len(
                           [t for t in actions if code(t.get("code")) == "safety-agreement"]))]
                       if "safety-agreement" in kinds else [said("safety.no_agreement")]),
            _criterion("safety.agreements-monitored", said("safety.monitored"),
                       "monitoring-check" in kinds,
                       [said("safety.monitoring_running")] if "monitoring-check" in kinds
                       else [said("safety.no_monitoring")]),
            _everyone_scores(household, plan, scores, minimum=region.safety.direct_min_score,
                             id_="safety.everyone-scores", setting="safety.direct_min_score",
                             foci=active),
            violence,
            _criterion("safety.next-phases-decided",
                       said("safety.next_phases"), ok_c and ok_p, [why_c, why_p]),
        ]
    if phase == "risk-guided":
        maximum = region.safety.max_danger_statements
        found = [_criterion("risk-guided.max-danger-statements",
                            said("safety.max_dangers", maximum=maximum),
                            len(active) <= maximum, [said("safety.n_active", count=len(active))],
                            setting="safety.max_danger_statements")]
        found += [_held(household, plan, focus, scores=scores, incidents=incidents, region=region,
                        at=at) for focus in active]
        found += [_no_incidents(plan, incidents, region, at), network]
        return found
    if phase == "recovery":
        ok_h, why_h = has_role("netwerkberaad-voorzitter")
        holders = [r for r in roles.get("netwerkberaad-voorzitter", [])
                   if r.startswith("RelatedPerson/")]
        safe_person = next(iter(safety_persons(plan, household.get, at)), None)
        ok_s, why_s = has_role("veiligheidspersoon")
        return [
            _everyone_scores(household, plan, scores, minimum=region.safety.recovery_min_score,
                             id_="recovery.everyone-scores", setting="safety.recovery_min_score"),
            _criterion("recovery.network-holds-plan",
                       said("safety.network_holds"), ok_h and bool(holders),
                       [why_h if holders or not ok_h else
                        said("safety.chaired_by_professional")]),
            _criterion("recovery.safe-person-stays", said("safety.safe_person_stays"),
                       ok_s and safe_person is not None,
                       [why_s, said("safety.safe_person_named") if safe_person
                        else said("safety.no_safe_person")]),
            network,
        ]
    return [_criterion("phase.known", said("safety.phase_known"), None,
                       [said("safety.unknown_phase", phase=repr(phase)) if phase
                        else said("safety.no_phase")])]


def safety_progress(household: Household, region: RegionSettings,
                    at: date) -> list[SafetyProgress]:
    """Each safety plan of the household with its phase, exit criteria and stable safety.

    Args:
        household: the household's resources.
        region: the regional thresholds.
        at: the day to evaluate for; scores and log entries after it are ignored.
    """
    found = []
    for plan in household.of_profile("regie-safety-plan"):
        phase = code(value(extension(plan, "regie-routekaart-phase")), "regie-routekaart-phase")
        kind = code(value(extension(plan, "regie-safety-plan-kind")), "regie-safety-plan-kind")
        index = PHASES.index(phase) if phase in PHASES else None
        next_phase = PHASES[index + 1] if index is not None and index + 1 < len(PHASES) else None
        incidents = _log(household, at, "incident")
        found.append(SafetyProgress(
            plan=key(plan), plan_status=str(plan.get("status", "unknown")), kind=kind,
            phase=phase, next_phase=next_phase,
            criteria=tuple(_phase_criteria(household, plan, phase, region, at)),
            stable_safety=_stable_safety(household, plan, incidents, region, at)))
    return found
