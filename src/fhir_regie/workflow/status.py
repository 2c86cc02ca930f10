"""One dashboard for a household: deadlines, safety progress, meldcode, guards; and text tables.

``household_status`` combines the rules; the ``*_lines`` functions render results as plain text
tables for the command line and the demo (the rules stay free of formatting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fhir_regie.workflow.checks import process_findings
from fhir_regie.workflow.deadlines import Obligation, deadlines
from fhir_regie.workflow.guards import (
    Finding,
    GuardResult,
    can_close_plan,
    role_gaps,
    stagnation_signals,
)
from fhir_regie.workflow.household import Household
from fhir_regie.workflow.meldcode import MeldcodeAdvice, meldcode_advice
from fhir_regie.workflow.regions import RegionSettings
from fhir_regie.workflow.safety import SafetyProgress, safety_progress


@dataclass(frozen=True)
class HouseholdStatus:
    household: str
    region: str
    at: date
    deadlines: tuple[Obligation, ...]
    safety: tuple[SafetyProgress, ...]
    meldcode: tuple[MeldcodeAdvice, ...]
    close_plan: GuardResult
    role_gaps: tuple[Finding, ...]
    stagnation: tuple[Finding, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def problems(self) -> bool:
        """Something needs attention: overdue terms, role gaps, stagnation, meldcode findings,
        findings of the other rules of the domain brief (``checks``)."""
        return (any(o.status == "overdue" for o in self.deadlines) or bool(self.role_gaps)
                or bool(self.stagnation) or any(a.findings for a in self.meldcode)
                or bool(self.findings))

    def to_dict(self) -> dict[str, Any]:
        return {"household": self.household, "region": self.region, "at": self.at.isoformat(),
                "deadlines": [o.to_dict() for o in self.deadlines],
                "safety": [p.to_dict() for p in self.safety],
                "meldcode": [a.to_dict() for a in self.meldcode],
                "close_plan": self.close_plan.to_dict(),
                "role_gaps": [f.to_dict() for f in self.role_gaps],
                "stagnation": [f.to_dict() for f in self.stagnation],
                "findings": [f.to_dict() for f in self.findings]}


def household_status(household: Household, region: RegionSettings, at: date) -> HouseholdStatus:
    """Every workflow rule for one household at ``at``."""
    return HouseholdStatus(
        household.reference, region.name, at, tuple(deadlines(household, region, at)),
        tuple(safety_progress(household, region, at)), tuple(meldcode_advice(household, at)),
        can_close_plan(household, region, at), tuple(role_gaps(household, at)),
        tuple(stagnation_signals(household, region, at)),
        tuple(process_findings(household, region, at)))


# ------------------------------------------------------------------------------ text

def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def deadline_lines(obligations: list[Obligation] | tuple[Obligation, ...],
                   only_pending: bool = False) -> list[str]:
    """A table of obligations (``only_pending``: open, overdue and unknown ones)."""
    chosen = [o for o in obligations if not only_pending or o.status != "met"]
    if not chosen:
        return ["(no deadlines)"]
    rows = [["STATUS", "DUE", "RULE", "SUBJECT", "MET", "SETTING"]]
    rows += [[o.status + (" (late)" if o.late else ""), str(o.due or "?"), o.rule, o.subject,
              str(o.met_on or ""), o.setting or "-"] for o in chosen]
    return _table(rows)


def safety_lines(progress: list[SafetyProgress] | tuple[SafetyProgress, ...]) -> list[str]:
    if not progress:
        return ["(no safety plan)"]
    lines = []
    for plan in progress:
        ready = "ready for " + str(plan.next_phase) if plan.ready_for_next_phase \
            else "not ready for " + str(plan.next_phase or "closing")
        lines.append(f"{plan.plan} ({plan.kind}, {plan.plan_status}): phase {plan.phase}; "
                     f"{ready}")
        for criterion in plan.criteria:
            mark = {"met": "[x]", "unmet": "[ ]", "unknown": "[?]"}[criterion.status]
            advice = " (advice)" if criterion.advisory else ""
            lines.append(f"  {mark} {criterion.description}{advice}")
            lines += [f"        {item}" for item in criterion.evidence]
        stable = "yes" if plan.is_stable else "no"
        lines.append(f"  stable safety: {stable}")
        for criterion in plan.stable_safety:
            mark = {"met": "[x]", "unmet": "[ ]", "unknown": "[?]"}[criterion.status]
            lines.append(f"  {mark} {criterion.description}: {'; '.join(criterion.evidence)}")
    return lines


def meldcode_lines(advice: list[MeldcodeAdvice] | tuple[MeldcodeAdvice, ...]) -> list[str]:
    if not advice:
        return ["(no meldcode trail)"]
    lines = []
    for item in advice:
        steps = ", ".join(f"{s.step} {s.status}" for s in item.steps)
        lines.append(f"{item.client}: {steps}")
        lines.append(f"  next step: {item.next_step or 'none (closed)'}; outcome: {item.outcome}"
                     f" (recorded: {item.recorded_decision or 'none'})")
        lines += [f"  because: {reason}" for reason in item.reasons]
        lines += [f"  to document: {entry}" for entry in item.to_document]
        lines += [f"  ! {finding}" for finding in item.findings]
    return lines


def status_lines(status: HouseholdStatus) -> list[str]:
    lines = [f"{status.household} on {status.at} (region {status.region})", "", "Deadlines:"]
    lines += [f"  {line}" for line in deadline_lines(status.deadlines)]
    lines += ["", "Safety plans:", *[f"  {line}" for line in safety_lines(status.safety)]]
    lines += ["", "Meldcode:", *[f"  {line}" for line in meldcode_lines(status.meldcode)]]
    lines += ["", "Closing the plan: " + ("allowed" if status.close_plan.allowed else "blocked")]
    lines += [f"  - {f.subject}: {f.message}{' (advice)' if f.advisory else ''}"
              for f in status.close_plan.findings]
    lines += ["", "Roles: " + ("procesregisseur and casusregisseur in place"
                               if not status.role_gaps else "gaps")]
    lines += [f"  ! {f.message}" for f in status.role_gaps]
    lines += ["", "Stagnation: " + ("none" if not status.stagnation else "signalled")]
    lines += [f"  ! {f.subject}: {f.message}" for f in status.stagnation]
    lines += ["", "Other rules: " + ("no findings" if not status.findings else "findings")]
    lines += [f"  ! {f.rule}: {f.subject}: {f.message}" for f in status.findings]
    return lines
