"""1Gezin1Plan1Regisseur guards (DOMAIN.md §2 step 6, §4, §5).

- A plan is never closed while there are open unsafety signals or an active safety plan short of
  stable safety (the rule of thumb of three informal-network members is advice only).
- A procesregisseur or casusregisseur role is never ended without a successor.
- Agreed actions overdue beyond the regional threshold raise a stagnation signal for the
  procesregisseur, who resolves stagnation.

Example::

    >>> from datetime import date
    >>> from fhir_regie.workflow.sources import load_household_from_example
    >>> from fhir_regie.workflow.regions import load_region
    >>> check = can_close_plan(load_household_from_example("household-de-vries"),
    ...                        load_region("default"), at=date(2026, 11, 25))
    >>> check.allowed
    False
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fhir_regie.messages import MESSAGES, said
from fhir_regie.workflow._fhir import active_on, codes, key, period_bounds, reference, to_date
from fhir_regie.workflow.calendar import add_months
from fhir_regie.workflow.deadlines import deadlines
from fhir_regie.workflow.household import Household
from fhir_regie.workflow.meldcode import meldcode_advice
from fhir_regie.workflow.regions import RegionSettings
from fhir_regie.workflow.safety import informal_network, safety_progress

GUARDED_ROLES = ("procesregisseur", "casusregisseur")


@dataclass(frozen=True)
class Finding:
    """One reason a guard blocks (or advises against) something, about one resource."""

    rule: str
    subject: str
    message: str
    advisory: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "subject": self.subject, "message": self.message,
                "advisory": self.advisory}


@dataclass(frozen=True)
class GuardResult:
    allowed: bool
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "findings": [f.to_dict() for f in self.findings]}


def _result(findings: list[Finding]) -> GuardResult:
    return GuardResult(not any(not f.advisory for f in findings), tuple(findings))


def open_unsafety_signals(household: Household, region: RegionSettings,
                          at: date) -> list[Finding]:
    """Signals of unsafety that are still open at ``at``.

    A meldcode trail stays open until it closes (question 1: no) or reaches lasting safety
    (question 5: yes); a safety-log incident stays open for the stable-safety period.
    """
    found = [Finding("open-signal", advice.client,
                     said("guard.meldcode_open", outcome=said(f"workflow.outcome.{advice.outcome}"),
                          reason=advice.reasons[-1] if advice.reasons
                          else said("guard.no_answers")))
             for advice in meldcode_advice(household, at)
             if advice.outcome not in ("close", "continue-help")]
    months = region.safety.stable_months_without_incident
    for log in household.of_profile("regie-safety-log-entry"):
        kind = codes(log.get("valueCodeableConcept"), "regie-safety-log-kind")
        day = to_date(log.get("effectiveDateTime"))
        if "incident" in kind and day is not None and day <= at < add_months(day, months):
            found.append(Finding("open-signal", key(log),
                                 said("guard.recent_incident", day=day, months=months)))
    return found


def can_close_plan(household: Household, region: RegionSettings, at: date) -> GuardResult:
    """May the household's plan be closed at ``at``? (DOMAIN.md §2 step 6b: never with unsafety)"""
    findings = open_unsafety_signals(household, region, at)
    for progress in safety_progress(household, region, at):
        if progress.is_active and not progress.is_stable:
            unmet = [said(f"workflow.criterion.{c.id}")
                     if f"workflow.criterion.{c.id}" in MESSAGES else c.id
                     for c in progress.stable_safety if c.status != "met"]
            findings.append(Finding("safety-plan-not-stable", progress.plan,
                                    said("guard.not_stable", criteria=unmet)))
    # §4: a local team that closes while Veilig Thuis still monitors informs Veilig Thuis.
    monitoring = [o for o in deadlines(household, region, at)
                  if o.rule == "vt-monitoring" and o.status != "met" and o.due is not None]
    if monitoring:
        last = max(o.due for o in monitoring if o.due is not None)
        findings.append(Finding("close-during-vt-monitoring", monitoring[0].subject,
                                said("guard.vt_monitoring", day=last), advisory=True))
    network = informal_network(household, region, at)
    if network.status != "met":
        findings.append(Finding("informal-network", household.reference,
                                said("guard.network", description=network.description,
                                     evidence=network.evidence[0]),
                                advisory=True))
    return _result(findings)


def _holders(household: Household, role: str, at: date) -> list[tuple[str, str]]:
    """(CareTeam, member) of the participants holding ``role`` on ``at``."""
    return [(team, reference(p.get("member")) or "?")
            for team, p in household.care_team_participants()
            if role in codes(p.get("role"), "regie-role") and active_on(p.get("period"), at)]


def can_end_role(household: Household, member: str, role: str, at: date) -> GuardResult:
    """May ``member`` stop holding ``role`` on ``at``? Only with a successor already in place.

    Args:
        member: the participant's reference (e.g. ``Practitioner/x``).
        role: a ``regie-role`` code; procesregisseur and casusregisseur are guarded.
    """
    if role not in GUARDED_ROLES:
        return GuardResult(True, ())
    others = [m for _, m in _holders(household, role, at) if m != member]
    if others:
        return GuardResult(True, ())
    return _result([Finding("role-without-successor", member,
                            said("guard.no_successor", role=role))])


def role_gaps(household: Household, at: date) -> list[Finding]:
    """Guarded roles that nobody holds on ``at``, or that were ended without a successor."""
    found = []
    for role in GUARDED_ROLES:
        if _holders(household, role, at):
            continue
        ended = sorted((end, reference(p.get("member")) or "?")
                       for _, p in household.care_team_participants()
                       if role in codes(p.get("role"), "regie-role")
                       and (end := period_bounds(p.get("period"))[1]) is not None and end < at)
        message = (said("guard.role_ended", role=role, day=ended[-1][0]) if ended
                   else said("guard.role_empty", role=role))
        found.append(Finding("role-without-successor", ended[-1][1] if ended
                             else household.reference, message))
    return found


def stagnation_signals(household: Household, region: RegionSettings,
                       at: date) -> list[Finding]:
    """Overdue agreed actions beyond the regional threshold, addressed to the procesregisseur."""
    overdue = [o for o in deadlines(household, region, at)
               if o.rule == "agreed-action" and o.status == "overdue" and o.due is not None]
    days, count = region.plan.stagnation_overdue_days, region.plan.stagnation_overdue_actions
    late = [(o, (at - o.due).days) for o in overdue if o.due and (at - o.due).days > days]
    if not late and len(overdue) < count:
        return []
    to = ", ".join(m for _, m in _holders(household, "procesregisseur", at)) or \
        said("guard.no_procesregisseur")
    found = [Finding("stagnation", o.subject,
                     said("guard.overdue_since", day=o.due, late=late_days, threshold=days, to=to))
             for o, late_days in late]
    if len(overdue) >= count:
        found.append(Finding("stagnation", household.reference,
                             said("guard.overdue_actions", count=len(overdue), threshold=count,
                                  to=to)))
    return found
