"""One dashboard for a household: deadlines, safety progress, meldcode, guards; and text tables.

``household_status`` combines the rules; the ``*_lines`` functions render results as plain text
tables for the command line and the demo (the rules stay free of formatting), in Dutch by default
and in English with ``lang="en"``, through the message catalogue (``fhir_regie.messages``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fhir_regie.messages import MESSAGES, say, tell
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


def _word(prefix: str, value: str | None, lang: str) -> str:
    """A code (status, phase, step, outcome) in words; a code the catalogue lacks stays as is."""
    message_id = f"{prefix}.{value}"
    return say(message_id, lang) if message_id in MESSAGES else str(value)


def deadline_lines(obligations: list[Obligation] | tuple[Obligation, ...],
                   only_pending: bool = False, lang: str = "nl") -> list[str]:
    """A table of obligations (``only_pending``: open, overdue and unknown ones)."""
    chosen = [o for o in obligations if not only_pending or o.status != "met"]
    if not chosen:
        return [say("workflow.no_deadlines", lang)]
    rows = [[say(f"workflow.col.{c}", lang)
             for c in ("status", "due", "rule", "subject", "met", "setting")]]
    rows += [[_word("workflow.deadline", o.status, lang)
              + (" " + say("workflow.late", lang) if o.late else ""),
              str(o.due or "?"), o.rule, o.subject, str(o.met_on or ""), o.setting or "-"]
             for o in chosen]
    return _table(rows)


def safety_lines(progress: list[SafetyProgress] | tuple[SafetyProgress, ...],
                 lang: str = "nl") -> list[str]:
    if not progress:
        return [say("workflow.no_safety_plan", lang)]
    lines = []
    marks = {"met": "[x]", "unmet": "[ ]", "unknown": "[?]"}
    for plan in progress:
        ready = say("workflow.ready", lang, phase=_word("workflow.phase", plan.next_phase, lang)) \
            if plan.ready_for_next_phase else \
            say("workflow.not_ready", lang,
                phase=_word("workflow.phase", plan.next_phase or "closing", lang))
        lines.append(say("workflow.plan_line", lang, plan=plan.plan, ready=ready,
                         kind=_word("workflow.kind", plan.kind, lang),
                         status=_word("workflow.resource_status", plan.plan_status, lang),
                         phase=_word("workflow.phase", plan.phase or "none", lang)))
        for criterion in plan.criteria:
            advice = " " + say("workflow.advice", lang) if criterion.advisory else ""
            lines.append(f"  {marks[criterion.status]} {tell(criterion.description, lang)}{advice}")
            lines += [f"        {tell(item, lang)}" for item in criterion.evidence]
        lines.append(say("workflow.stable", lang,
                         answer=say("workflow.yes" if plan.is_stable else "workflow.no", lang)))
        for criterion in plan.stable_safety:
            evidence = "; ".join(tell(item, lang) for item in criterion.evidence)
            lines.append(f"  {marks[criterion.status]} {tell(criterion.description, lang)}: "
                         f"{evidence}")
    return lines


def meldcode_lines(advice: list[MeldcodeAdvice] | tuple[MeldcodeAdvice, ...],
                   lang: str = "nl") -> list[str]:
    if not advice:
        return [say("workflow.no_meldcode", lang)]
    lines = []
    for item in advice:
        steps = ", ".join(f"{_word('workflow.step', s.step, lang)} "
                          f"{_word('workflow.resource_status', s.status, lang)}"
                          for s in item.steps)
        lines.append(f"{item.client}: {steps}")
        step = _word("workflow.step", item.next_step, lang) if item.next_step \
            else say("workflow.next_step.none", lang)
        recorded = _word("workflow.outcome", item.recorded_decision, lang) \
            if item.recorded_decision else say("workflow.none", lang)
        lines.append(say("workflow.next_step", lang, step=step, recorded=recorded,
                         outcome=_word("workflow.outcome", item.outcome, lang)))
        lines += [say("workflow.because", lang, reason=tell(r, lang)) for r in item.reasons]
        lines += [say("workflow.to_document", lang, entry=tell(e, lang))
                  for e in item.to_document]
        lines += [f"  ! {tell(finding, lang)}" for finding in item.findings]
    return lines


def _finding(f: Finding, lang: str, subject: bool = True) -> str:
    text = tell(f.message, lang)
    return (f"{f.subject}: {text}" if subject else text) \
        + (" " + say("workflow.advice", lang) if f.advisory else "")


def status_lines(status: HouseholdStatus, lang: str = "nl") -> list[str]:
    """The whole dashboard as text, in ``lang`` (``nl`` or ``en``)."""
    def answer(message_id: str, value: str) -> str:
        return say(message_id, lang, answer=say(value, lang))

    lines = [say("workflow.status.title", lang, household=status.household, at=status.at,
                 region=status.region), "", say("workflow.status.deadlines", lang)]
    lines += [f"  {line}" for line in deadline_lines(status.deadlines, lang=lang)]
    lines += ["", say("workflow.status.safety", lang),
              *[f"  {line}" for line in safety_lines(status.safety, lang)]]
    lines += ["", say("workflow.status.meldcode", lang),
              *[f"  {line}" for line in meldcode_lines(status.meldcode, lang)]]
    lines += ["", answer("workflow.status.close", "workflow.allowed"
                         if status.close_plan.allowed else "workflow.blocked")]
    lines += [f"  - {_finding(f, lang)}" for f in status.close_plan.findings]
    lines += ["", answer("workflow.status.roles", "workflow.roles.gaps"
                         if status.role_gaps else "workflow.roles.ok")]
    lines += [f"  ! {_finding(f, lang, subject=False)}" for f in status.role_gaps]
    lines += ["", answer("workflow.status.stagnation", "workflow.stagnation.signalled"
                         if status.stagnation else "workflow.none")]
    lines += [f"  ! {_finding(f, lang)}" for f in status.stagnation]
    lines += ["", answer("workflow.status.other", "workflow.findings.some"
                         if status.findings else "workflow.findings.none")]
    lines += [f"  ! {f.rule}: {_finding(f, lang)}" for f in status.findings]
    return lines
