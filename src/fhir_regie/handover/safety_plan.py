"""The local team's safety plan after a handover, with Veilig Thuis's conditions (pure).

DOMAIN.md §4: the local team's safety plan contains at least VT's safety conditions, the
deadline for meeting them and the consequences of not meeting them. The conditions reach the
plan *unchanged*: the plan refers to the very ``regie-goal`` resources Veilig Thuis handed over
(description, term and consequence as VT wrote them), never to a retelling. A household that
already has an active safety plan at the local team gets the conditions added to it; otherwise
a direct safety plan in the alignment phase (*afstemming*: the local team now holds case
direction) is started, to be made with the household (§5).

Example::

    >>> plan = plan_with_conditions(group, ["Goal/vt-condition-1"], None,
    ...                             local_team="Organization/lokaal-team", at=at)  # doctest: +SKIP
    >>> plan["goal"]  # doctest: +SKIP
    [{'reference': 'Goal/vt-condition-1'}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from fhir_regie.handover._fhir import Resource, codes, highest_label, key, reference, stable_id
from fhir_regie.model import safety_plan, to_json

#: Plan states in which a plan is still being worked with (FHIR CarePlan.status).
OPEN_PLAN_STATES = ("draft", "active", "on-hold")


def conditions_of(document: Resource) -> list[str]:
    """``Goal/<id>`` of the safety conditions in a handover document, in its order."""
    found: list[str] = []
    for section in document.get("section", []):
        if "safety-conditions" in codes(section.get("code"), "regie-handover-section"):
            found += [ref for ref in (reference(e) for e in section.get("entry", []))
                      if ref and ref.startswith("Goal/")]
    return found


def current_plan(plans: Iterable[Resource], household: str) -> Resource | None:
    """The household's open safety plan among ``plans`` (the most recently started)."""
    mine = [p for p in plans if reference(p.get("subject")) == household
            and p.get("status") in OPEN_PLAN_STATES
            and "safety-plan" in codes(p.get("category"), "regie-plan-category")]
    mine.sort(key=lambda p: (p.get("period", {}).get("start", ""), p.get("id", "")))
    return mine[-1] if mine else None


def plan_with_conditions(group: Resource, conditions: Sequence[str], existing: Resource | None,
                         *, local_team: str, at: datetime) -> Resource | None:
    """The plan to write: ``existing`` with the conditions it lacks added, a new plan when
    there is none, or None when ``existing`` already has every condition.

    Parameters:
        group: the household Group (the plan's subject).
        conditions: ``Goal/<id>`` of VT's safety conditions, as handed over.
        existing: the household's open safety plan at the local team, if any.
        local_team: ``Organization/<id>`` of the local team (the new plan's author).
        at: the moment of acceptance (the new plan starts that day).
    """
    if existing is not None:
        have = [reference(g) for g in existing.get("goal", [])]
        missing = [c for c in conditions if c not in have]
        if not missing:
            return None
        return {**existing, "goal": [*existing.get("goal", []),
                                     *({"reference": c} for c in missing)]}
    name = group.get("name") or "huishouden"
    day = at.date()
    built = safety_plan(
        id=stable_id("veiligheidsplan", key(group)), subject=key(group),
        title=f"Veiligheidsplan {name}", kind="direct", routekaart_phase="alignment",
        description=(f"Gestart bij de overdracht door Veilig Thuis op {day:%d-%m-%Y}. De "
                     "veiligheidsvoorwaarden van Veilig Thuis staan erin zoals Veilig Thuis ze "
                     "stelde, met termijn en consequentie; het plan wordt met het huishouden "
                     "en het netwerk verder gemaakt."),
        period_start=day, created=day, author=local_team, goals=list(conditions),
        security_label=highest_label([group]))
    return to_json(built)
