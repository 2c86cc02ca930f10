"""The terms a handover starts, as ``regie-deadline`` Tasks (pure).

The terms are not computed here: the workflow rules (``fhir_regie.workflow.deadlines``,
docs/workflow.md) compute them from the accepted handover — the transfer moment, the route,
acute or not, the order date — with the region's settings. This module turns the rules'
obligations for the handover into Tasks with an owner, and says which of them Veilig Thuis
must see too:

| rule (workflow) | owner | on VT's server too | source |
|---|---|---|---|
| ``local-team-first-contact`` | the local team | no | §4: within 14 days; acute: at once |
| ``restraining-order-inform-local-team`` | Veilig Thuis | yes | §4: by day 2 |
| ``restraining-order-joint-talk`` | the local team, with VT | yes | §4: within 2 working days |
| ``restraining-order-advice`` | Veilig Thuis | yes | §4: day 8 |
| ``vt-monitoring`` (each moment) | Veilig Thuis | yes | §4: 3 and 12 months [regional] |

The deadline of the mayor's decision on extending an order is the mayor's, not a task of
either organisation; the workflow dashboard still shows it. A term that is already met when
the handover is accepted (VT informed the local team by sending it) is written as completed,
with the day it was met.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir_regie.handover._fhir import Resource, highest_label, key, reference, stable_id
from fhir_regie.model import deadline, to_json
from fhir_regie.workflow.deadlines import Obligation, deadlines
from fhir_regie.workflow.household import Household
from fhir_regie.workflow.regions import RegionSettings

VT, LOCAL_TEAM = "vt", "local-team"
#: rule -> (owner, also on Veilig Thuis's server)
RULES: dict[str, tuple[str, bool]] = {
    "local-team-first-contact": (LOCAL_TEAM, False),
    "restraining-order-inform-local-team": (VT, True),
    "restraining-order-joint-talk": (LOCAL_TEAM, True),
    "restraining-order-advice": (VT, True),
    "vt-monitoring": (VT, True),
}


@dataclass(frozen=True)
class Term:
    """One deadline Task and whether Veilig Thuis gets it too."""

    resource: Resource
    rule: str
    shared_with_vt: bool

    @property
    def due(self) -> str:
        return str(self.resource["restriction"]["period"]["end"])

    @property
    def status(self) -> str:
        return str(self.resource["status"])


def setting_value(region: RegionSettings, dotted: str) -> Any:
    """The value of a settings key such as ``local_team.first_contact_days``."""
    value: Any = region
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _setting_text(region: RegionSettings, dotted: str | None) -> str | None:
    if not dotted:
        return None
    value = setting_value(region, dotted)
    shown = ", ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)
    return f"Regio {region.title}: {dotted} = {shown}"


def _description(rule: str, obligation: Obligation, region: RegionSettings,
                 index: int) -> str:
    """The Dutch work description (the rules describe in English for developers)."""
    order = region.restraining_order
    if rule == "local-team-first-contact":
        if obligation.setting == "local_team.first_contact_acute_days":
            days = region.local_team.first_contact_acute_days
            when = "dezelfde dag" if days == 0 else f"binnen {days} dag{'en' if days != 1 else ''}"
            return (f"Het lokale team neemt contact op met het huishouden (acute onveiligheid: "
                    f"{when})")
        return (f"Het lokale team neemt contact op met het huishouden (uiterlijk "
                f"{region.local_team.first_contact_days} dagen na ontvangst)")
    if rule == "restraining-order-inform-local-team":
        return (f"Veilig Thuis informeert het lokale team uiterlijk op dag "
                f"{order.inform_local_team_by_day} van het tijdelijk huisverbod")
    if rule == "restraining-order-joint-talk":
        return (f"Veilig Thuis en het lokale team spreken samen met het huishouden, binnen "
                f"{order.joint_talk_working_days} werkdagen na het huisverbod waar dat kan")
    if rule == "restraining-order-advice":
        return (f"Veilig Thuis adviseert op dag {order.advice_on_day} van het huisverbod "
                "over de vervolghulp")
    months = region.monitoring.moments_months[index]
    return (f"Veilig Thuis monitort {months} maanden na zijn dienst of de veiligheids"
            "voorwaarden worden nageleefd en de veiligheid blijft")


def terms(resources: Iterable[Resource], handover: Resource, region: RegionSettings,
          at: datetime) -> list[Term]:
    """The deadline Tasks of an accepted ``handover``, given the household's resources.

    Parameters:
        resources: the household as the local team has it (Group, members, the document,
            the conditions); ``handover`` (the accepted Task, with its transfer moment) is
            added to them.
        region: the local team's regional settings.
        at: the moment of acceptance (the Tasks' ``authoredOn``; statuses as known then).

    Example::

        >>> found = terms(household, accepted, load_region("gelderland-midden"),
        ...               at)  # doctest: +SKIP
        >>> [(t.rule, t.due) for t in found]  # doctest: +SKIP
        [('local-team-first-contact', '2026-12-03'), ('vt-monitoring', '2027-02-19'), ...]
    """
    table = {key(r): r for r in resources} | {key(handover): handover}
    about = reference(handover.get("for")) or ""
    household = Household.from_resources(
        table.values(), about.split("/", 1)[1] if about.startswith("Group/") else None)
    subject = key(handover)
    label = highest_label([handover])
    owners = {VT: handover.get("requester"), LOCAL_TEAM: handover.get("owner")}
    found: list[Term] = []
    counts: dict[str, int] = {}
    for obligation in deadlines(household, region, at.date()):
        if obligation.subject != subject or obligation.rule not in RULES:
            continue
        if obligation.due is None:
            continue  # nothing to count from (the workflow dashboard says why)
        index = counts.get(obligation.rule, 0)
        counts[obligation.rule] = index + 1
        owner, shared = RULES[obligation.rule]
        met = obligation.status == "met" and obligation.met_on is not None
        built = deadline(
            id=stable_id("termijn", subject, obligation.rule, str(index)),
            rule=obligation.rule, handover=subject, subject=handover["for"]["reference"],
            owner=owners[owner]["reference"], description=_description(
                obligation.rule, obligation, region, index),
            due=obligation.due, start=obligation.start, authored_on=at,
            status="completed" if met else "requested",
            met_on=obligation.met_on if met else None,
            regional_setting=_setting_text(region, obligation.setting),
            security_label=label)
        found.append(Term(to_json(built), obligation.rule, shared))
    return found
