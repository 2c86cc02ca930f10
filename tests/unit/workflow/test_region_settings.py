"""Every regional setting is read by a rule: with a non-default value, a rule answers differently.

One scenario per key of ``regions/default.yaml``; a setting that quietly turned back into a
constant fails its scenario, and a new setting without a scenario fails the completeness test.
The non-default value goes through a region file, so the loader and schema accept it too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from fhir_regie.ig import codesystem_url, extension_url
from fhir_regie.workflow.checks import case_weight_route, planning_duration
from fhir_regie.workflow.deadlines import deadlines
from fhir_regie.workflow.guards import stagnation_signals
from fhir_regie.workflow.regions import RegionSettings, load_region
from fhir_regie.workflow.safety import informal_network, safety_progress

from .conftest import build, example_resources, set_phase
from .test_safety import MONTHLY, risk_guided

DE_VRIES, HV = "household-de-vries", "household-hv-0417"
AT = date(2026, 11, 25)


def _handover(resources: dict, extension_id: str, **value: Any) -> None:
    task = resources["Task/devries-handover"]
    url = extension_url(extension_id)
    task["extension"] = [e for e in task["extension"] if e["url"] != url] + \
        [{"url": url, **value}]


def _obligations(resources: dict, household: str, region: RegionSettings, at: date,
                 rule: str, subject: str | None = None) -> list:
    return [o for o in deadlines(build(resources, household), region, at)
            if o.rule == rule and (subject is None or o.subject == subject)]


def _due(resources: dict, household: str, rule: str, at: date = AT,
         subject: str | None = None) -> Callable[[RegionSettings], Any]:
    return lambda region: tuple(o.due for o in _obligations(resources, household, region, at,
                                                            rule, subject))


def _criterion(resources: dict, at: date, criterion: str) -> Callable[[RegionSettings], str]:
    def fact(region: RegionSettings) -> str:
        [progress] = safety_progress(build(resources, DE_VRIES), region, at)
        found = {c.id: c for c in (*progress.criteria, *progress.stable_safety)}
        return found[criterion].status
    return fact


def _evidence(resources: dict, region: RegionSettings, criterion: str) -> tuple[str, ...]:
    [progress] = safety_progress(build(resources, DE_VRIES), region, AT)
    return {c.id: c for c in progress.criteria}[criterion].evidence


def _too_low(resources: dict, region: RegionSettings, criterion: str) -> list[str]:
    return [line for line in _evidence(resources, region, criterion) if "(needs" in line]


def _de_vries(**changes: Any) -> dict:
    resources = example_resources(DE_VRIES)
    for extension_id, value in changes.items():
        _handover(resources, extension_id.replace("_", "-"), **value)
        if extension_id == "regie_report_date":   # the report itself says it first
            resources["Communication/devries-report"]["received"] = value["valueDateTime"]
    return resources


def _restraining_order() -> dict:
    resources = _de_vries(regie_handover_route={"valueCodeableConcept": {"coding": [{
        "system": codesystem_url("regie-handover-route"), "code": "restraining-order"}]}})
    resources["Task/devries-handover"]["restriction"] = {"period": {"start": "2026-09-16"}}
    return resources


def _extension_until(region: RegionSettings) -> str:
    [decision] = _obligations(_restraining_order(), DE_VRIES, region, AT,
                              "restraining-order-extension-decision")
    return decision.description.rsplit("until ", 1)[1]


def _acute() -> dict:
    resources = _de_vries()
    task = resources["Task/devries-handover"]
    task["priority"] = "asap"
    task["executionPeriod"] = {"start": "2026-04-24T16:00:00+02:00"}
    return resources


def _recovery() -> dict:
    resources = example_resources(DE_VRIES)
    set_phase(resources["CarePlan/devries-safety-plan"], "recovery")
    return resources


def _first_contact(region: RegionSettings) -> tuple[date | None, bool]:
    [contact] = _obligations(example_resources(DE_VRIES), DE_VRIES, region, AT,
                             "local-team-first-contact")
    return contact.due, contact.late


def _talk_with_lotte(region: RegionSettings) -> tuple[date | None, bool]:
    [talk] = _obligations(example_resources(DE_VRIES), DE_VRIES, region, AT, "talk-with-child",
                          "Patient/devries-lotte")
    return talk.due, talk.late


def _stagnation(at: date) -> Callable[[RegionSettings], bool]:
    return lambda region: bool(stagnation_signals(build(example_resources(DE_VRIES), DE_VRIES),
                                                  region, at))


def _gap() -> dict:
    return risk_guided([m for m in MONTHLY if m != "2027-03-05"] + ["2027-08-05"])


def _route_findings(weight: str, route: str) -> Callable[[RegionSettings], int]:
    resources = _de_vries(
        regie_case_weight={"valueCodeableConcept": {"coding": [{
            "system": codesystem_url("regie-case-weight"), "code": weight}]}},
        regie_handover_route={"valueCodeableConcept": {"coding": [{
            "system": codesystem_url("regie-handover-route"), "code": route}]}})
    return lambda region: len(case_weight_route(build(resources, DE_VRIES), region, AT))


def _planning_advice(region: RegionSettings) -> int:
    resources = example_resources(DE_VRIES)
    plan = resources["CarePlan/devries-safety-plan"]
    plan["status"], plan["period"]["end"] = "completed", "2027-06-01"
    return len(planning_duration(build(resources, DE_VRIES), region, date(2027, 7, 1)))


DANGER_1, DANGER_2 = "Condition/devries-danger-1", "Condition/devries-danger-2"

#: setting -> (non-default value, what a rule answers, answer with the default, with the value)
SCENARIOS: dict[str, tuple[Any, Callable[[RegionSettings], Any], Any, Any]] = {
    # 2026 is not a lustrum year: 5 May is a working day for `lustrum`.
    "calendar.liberation_day": (
        "lustrum", _due(_de_vries(regie_report_date={"valueDateTime": "2026-04-30T09:00:00+02:00"}),
                        DE_VRIES, "vt-safety-assessment"),
        (date(2026, 5, 8),), (date(2026, 5, 7),)),
    "vt.safety_assessment_working_days": (
        3, _due(example_resources(DE_VRIES), DE_VRIES, "vt-safety-assessment"),
        (date(2026, 9, 23),), (date(2026, 9, 21),)),
    "local_team.first_contact_days": (
        5, _first_contact, (date(2026, 10, 8), False), (date(2026, 9, 29), True)),
    "local_team.first_contact_acute_days": (
        0, _due(_acute(), DE_VRIES, "local-team-first-contact", date(2026, 4, 29)),
        (date(2026, 4, 25),), (date(2026, 4, 24),)),
    "restraining_order.duration_days": (
        12, _due(_restraining_order(), DE_VRIES, "restraining-order-extension-decision"),
        (date(2026, 9, 26),), (date(2026, 9, 28),)),
    "restraining_order.extension_days": (20, _extension_until, "2026-10-14)", "2026-10-16)"),
    "restraining_order.inform_local_team_by_day": (
        1, _due(_restraining_order(), DE_VRIES, "restraining-order-inform-local-team"),
        (date(2026, 9, 18),), (date(2026, 9, 17),)),
    "restraining_order.joint_talk_working_days": (
        3, _due(_restraining_order(), DE_VRIES, "restraining-order-joint-talk"),
        (date(2026, 9, 18),), (date(2026, 9, 21),)),
    "restraining_order.advice_on_day": (
        6, _due(_restraining_order(), DE_VRIES, "restraining-order-advice"),
        (date(2026, 9, 24),), (date(2026, 9, 22),)),
    "case_weight.licht_routes": (
        ["after-onderzoek"], _route_findings("licht", "direct-after-assessment"), 0, 1),
    "case_weight.middelzwaar_routes": (
        ["after-onderzoek"], _route_findings("middelzwaar", "direct-after-assessment"), 0, 1),
    "case_weight.zwaar_routes": (
        ["direct-after-assessment"], _route_findings("zwaar", "after-onderzoek"), 0, 1),
    "safety.planning_months_advice": (
        6, _planning_advice, 1, 0),
    "monitoring.moments_months": (
        [2, 12], _due(example_resources(HV), HV, "vt-monitoring"),
        (date(2027, 1, 20), date(2027, 10, 20)), (date(2026, 12, 20), date(2027, 10, 20))),
    "safety.stable_months_without_incident": (
        1, _criterion(example_resources(DE_VRIES), AT, "stable.no-incidents"), "unmet", "met"),
    "safety.direct_min_score": (
        5, lambda region: _too_low(example_resources(DE_VRIES), region,
                                   "safety.everyone-scores"),
        ["danger statement 1 (Condition/devries-danger-1): "
         "PractitionerRole/devries-role-jansen scored 5 on 2026-11-05 (needs 6)"], []),
    "safety.risk_guided_min_score": (
        7, _criterion(risk_guided(MONTHLY, value=6), date(2027, 6, 10),
                      f"risk-guided.held:{DANGER_1}"), "met", "unmet"),
    "safety.risk_guided_months": (
        3, _criterion(risk_guided(MONTHLY[:4]), date(2027, 3, 20),
                      f"risk-guided.held:{DANGER_2}"), "unmet", "met"),
    "safety.scoring_interval_months": (
        2, _criterion(_gap(), date(2027, 8, 10), f"risk-guided.held:{DANGER_1}"), "unmet", "met"),
    "safety.recovery_min_score": (
        5, lambda region: len(_too_low(_recovery(), region, "recovery.everyone-scores")), 3, 0),
    "safety.max_danger_statements": (
        1, _criterion(risk_guided(MONTHLY), date(2027, 6, 10),
                      "risk-guided.max-danger-statements"), "met", "unmet"),
    "safety.talk_with_child_days": (
        31, _talk_with_lotte, (date(2026, 10, 15), True), (date(2026, 11, 1), False)),
    # 1 December: the addiction-care intake is 16 days overdue (threshold 14).
    "plan.stagnation_overdue_days": (30, _stagnation(date(2026, 12, 1)), True, False),
    # 25 November: one action overdue, 10 days (threshold 3 actions, 14 days).
    "plan.stagnation_overdue_actions": (1, _stagnation(AT), False, True),
    "plan.min_informal_network_before_closing": (
        1, lambda region: informal_network(build(example_resources(DE_VRIES), DE_VRIES), region,
                                           AT).status, "unmet", "met"),
}


def _default_keys() -> list[str]:
    data = yaml.safe_load(Path(__file__).parents[3].joinpath(
        "src/fhir_regie/regions/default.yaml").read_text(encoding="utf-8"))
    return sorted(f"{section}.{key}" for section, values in data.items()
                  if isinstance(values, dict) for key in values)


def test_every_setting_has_a_scenario_with_a_non_default_value():
    assert sorted(SCENARIOS) == _default_keys()


def _region_with(setting: str, value: Any, tmp_path: Path) -> RegionSettings:
    section, key = setting.split(".")
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump({"name": "variant", "title": "Variant",
                                    section: {key: value}}), encoding="utf-8")
    return load_region(str(path))


@pytest.mark.parametrize("setting", sorted(SCENARIOS))
def test_a_non_default_value_changes_what_the_rule_says(setting, tmp_path):
    value, fact, with_default, with_value = SCENARIOS[setting]
    default = load_region("default")
    section, key = setting.split(".")
    assert getattr(getattr(default, section), key) != (
        tuple(value) if isinstance(value, list) else value)
    assert fact(default) == with_default
    assert fact(_region_with(setting, value, tmp_path)) == with_value


def test_below_6_a_regional_threshold_asks_the_observed_behaviour_from_there(tmp_path):
    """Invariant rg-ssc-2 asks the behaviour for every score of 6 or more (the national floor);
    a region that passes a phase at 5 gets it asked for the 5s by the workflow."""
    region = _region_with("safety.direct_min_score", 5, tmp_path)
    evidence = _evidence(example_resources(DE_VRIES), region, "safety.everyone-scores")
    assert ("danger statement 1 (Condition/devries-danger-1): PractitionerRole/devries-role-"
            "jansen scored 5 on 2026-11-05 without the observed behaviour that justifies it"
            in evidence)


@pytest.mark.parametrize(("text", "message"), [
    ("safety:\n  max_danger_statements: 5\n", "safety.max_danger_statements: Input should be "
                                                "less than or equal to 4"),
    ("local_team:\n  first_contact_acute_days: 15\n", "local_team.first_contact_acute_days"),
    ("local_team:\n  first_contact_days: 3\n  first_contact_acute_days: 5\n",
     "first_contact_acute_days (5) exceeds first_contact_days (3)"),
])
def test_a_region_may_not_loosen_the_national_maximum_or_delay_immediately(text, message,
                                                                           tmp_path):
    from fhir_regie.workflow.regions import RegionError
    path = tmp_path / "loose.yaml"
    path.write_text("name: loose\ntitle: L\n" + text, encoding="utf-8")
    with pytest.raises(RegionError, match=r"loose\.yaml") as error:
        load_region(str(path))
    assert message in str(error.value)
