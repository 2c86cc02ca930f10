"""1G1P1R guards: closing, role succession, stagnation."""

from __future__ import annotations

from datetime import date

from fhir_regie.ig import codesystem_url
from fhir_regie.workflow.guards import (
    can_close_plan,
    can_end_role,
    role_gaps,
    stagnation_signals,
)
from fhir_regie.workflow.regions import load_region

from .conftest import add, build, example_resources, log_entry

REGION = load_region("default")


def test_closing_is_blocked_by_an_active_safety_plan_short_of_stable_safety():
    household = build(example_resources("household-de-vries"), "household-de-vries")
    result = can_close_plan(household, REGION, date(2026, 11, 25))
    assert not result.allowed
    assert [f.rule for f in result.findings if not f.advisory] == ["safety-plan-not-stable"]


def test_closing_is_blocked_by_an_open_meldcode_trail():
    resources = example_resources("household-van-den-berg")
    resources["CarePlan/vdberg-safety-plan"]["status"] = "completed"
    result = can_close_plan(build(resources, "household-van-den-berg"), REGION,
                            date(2026, 11, 25))
    assert [f.subject for f in result.findings if not f.advisory] == ["Patient/vdberg-henk"]
    # Question 5 answered yes (lasting safety): the trail is finished, closing is allowed.
    step5 = resources["Task/vdberg-meldcode-step-5"]
    step5["extension"].append({
        "url": "https://fhir-regie.nl/fhir/StructureDefinition/regie-decision-answer",
        "extension": [
            {"url": "question", "valueCodeableConcept": {"coding": [{
                "system": codesystem_url("regie-decision-question"),
                "code": "q5-lasting-safety"}]}},
            {"url": "answer", "valueCodeableConcept": {"coding": [{
                "system": codesystem_url("regie-decision-answer"), "code": "yes"}]}}]})
    result = can_close_plan(build(resources, "household-van-den-berg"), REGION,
                            date(2026, 11, 25))
    assert result.allowed
    assert [f.rule for f in result.findings] == ["informal-network"]  # advice only


def test_a_recent_incident_is_an_open_signal():
    resources = example_resources("household-hv-0417")
    resources["CarePlan/hv0417-safety-plan"]["status"] = "completed"
    add(resources, log_entry("incident", "2026-11-01T20:00:00+01:00", "incident"))
    result = can_close_plan(build(resources, "household-hv-0417"), REGION, date(2026, 11, 25))
    assert not result.allowed
    assert result.findings[0].subject == "Observation/incident"
    later = can_close_plan(build(resources, "household-hv-0417"), REGION, date(2027, 5, 2))
    assert later.allowed


def test_a_role_ends_only_with_a_successor():
    resources = example_resources("household-de-vries")
    household = build(resources, "household-de-vries")
    blocked = can_end_role(household, "Practitioner/devries-pract-smit", "procesregisseur",
                           date(2026, 11, 25))
    assert not blocked.allowed
    assert blocked.findings[0].rule == "role-without-successor"
    resources["CareTeam/devries-careteam"]["participant"].append({
        "role": [{"coding": [{"system": codesystem_url("regie-role"),
                              "code": "procesregisseur"}]}],
        "member": {"reference": "Practitioner/devries-pract-visser"},
        "period": {"start": "2026-11-20"}})
    household = build(resources, "household-de-vries")
    assert can_end_role(household, "Practitioner/devries-pract-smit", "procesregisseur",
                        date(2026, 11, 25)).allowed
    assert can_end_role(household, "RelatedPerson/devries-oma-ria", "veiligheidspersoon",
                        date(2026, 11, 25)).allowed


def test_a_role_ended_without_successor_is_a_gap():
    resources = example_resources("household-de-vries")
    resources["CareTeam/devries-careteam"]["participant"][0]["period"]["end"] = "2026-11-10"
    gaps = role_gaps(build(resources, "household-de-vries"), date(2026, 11, 25))
    assert [(g.subject, g.message) for g in gaps] == [
        ("Practitioner/devries-pract-smit",
         "procesregisseur role ended on 2026-11-10 without a successor")]


def test_stagnation_after_the_regional_threshold(tmp_path):
    household = build(example_resources("household-de-vries"), "household-de-vries")
    # due 15 November: 10 days overdue on the 25th, 16 days on 1 December (threshold 14)
    assert stagnation_signals(household, REGION, date(2026, 11, 25)) == []
    [signal] = stagnation_signals(household, REGION, date(2026, 12, 1))
    assert signal.subject == "Task/devries-action-verslavingszorg"
    assert "for Practitioner/devries-pract-smit" in signal.message
    strict = tmp_path / "strict.yaml"
    strict.write_text("name: strict\ntitle: S\nplan:\n  stagnation_overdue_days: 7\n",
                      encoding="utf-8")
    assert stagnation_signals(household, load_region(str(strict)), date(2026, 11, 25))


def test_many_overdue_actions_are_stagnation_too():
    resources = example_resources("household-de-vries")
    for task_id in ("devries-action-schuldhulp", "devries-action-gesprek-kinderen"):
        task = resources[f"Task/{task_id}"]
        task["status"] = "in-progress"
        task["restriction"] = {"period": {"end": "2026-11-20"}}
    signals = stagnation_signals(build(resources, "household-de-vries"), REGION,
                                 date(2026, 11, 25))
    assert [s.subject for s in signals] == ["Group/household-de-vries"]
    assert signals[0].message.startswith("3 agreed actions overdue (threshold 3)")
