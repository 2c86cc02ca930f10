"""Deadlines: terms from the regional settings, counted in (Dutch) working days where stated."""

from __future__ import annotations

from datetime import date

import pytest

from fhir_regie.ig import codesystem_url, extension_url
from fhir_regie.model import handover, to_json
from fhir_regie.workflow.deadlines import deadlines
from fhir_regie.workflow.regions import load_region

from .conftest import add, build, example_resources


def handover_ext(task: dict, extension_id: str, **value) -> None:
    url = extension_url(extension_id)
    task["extension"] = [e for e in task["extension"] if e["url"] != url] + \
        [{"url": url, **value}]


def by_rule(found, rule):
    return [o for o in found if o.rule == rule]


@pytest.fixture
def de_vries():
    return example_resources("household-de-vries")


@pytest.mark.parametrize(("reported", "due", "why"), [
    ("2026-09-16T11:20:00+02:00", date(2026, 9, 23), "Wednesday: five working days"),
    ("2026-04-01T09:00:00+02:00", date(2026, 4, 10), "Easter: Good Friday and Easter Monday"),
    ("2026-12-22T09:00:00+01:00", date(2026, 12, 30), "Christmas Day on a Friday"),
    ("2026-04-23T09:00:00+02:00", date(2026, 5, 1), "King's Day, Monday 27 April"),
    ("2026-09-15T23:30:00Z", date(2026, 9, 23), "UTC late evening is already the 16th in NL"),
])
def test_vt_safety_assessment_counts_working_days(de_vries, default_region, reported, due, why):
    handover_ext(de_vries["Task/devries-handover"], "regie-report-date", valueDateTime=reported)
    de_vries["Communication/devries-report"]["received"] = reported
    [found] = by_rule(deadlines(build(de_vries, "household-de-vries"), default_region,
                                at=date(2026, 11, 25)), "vt-safety-assessment")
    assert found.due == due, why
    assert found.setting == "vt.safety_assessment_working_days"


def _without_assessment_date(resources):
    for section in resources["Composition/devries-handover-document"]["section"]:
        section["extension"] = [e for e in section.get("extension", [])
                                if not e["url"].endswith("/regie-assessment-date")]


def test_vt_safety_assessment_handed_over_after_the_term_is_met_late(de_vries, default_region):
    _without_assessment_date(de_vries)   # the direct route: the handover is the evidence
    de_vries["Task/devries-handover"]["authoredOn"] = "2026-09-25T10:00:00+02:00"
    de_vries["Composition/devries-handover-document"]["date"] = "2026-09-25T10:00:00+02:00"
    [found] = by_rule(deadlines(build(de_vries, "household-de-vries"), default_region,
                                at=date(2026, 11, 25)), "vt-safety-assessment")
    assert (found.status, found.met_on, found.late) == ("met", date(2026, 9, 25), True)


def test_acute_first_contact_is_due_the_next_calendar_day(de_vries, default_region):
    task = de_vries["Task/devries-handover"]
    task["priority"] = "asap"
    task["executionPeriod"] = {"start": "2026-04-24T16:00:00+02:00"}
    found = deadlines(build(de_vries, "household-de-vries"), default_region,
                      at=date(2026, 4, 29))
    [contact] = by_rule(found, "local-team-first-contact")
    # Friday 24 April: "immediately" is Saturday 25 at the latest; the weekend and King's Day
    # (Monday 27) do not stretch it (as a next-working-day term they would, to Tuesday 28).
    assert contact.due == date(2026, 4, 25)
    assert contact.setting == "local_team.first_contact_acute_days"
    assert contact.status == "overdue"  # nothing from the household before the 29th


def test_acute_first_contact_same_day_when_the_region_says_so(de_vries, default_region):
    task = de_vries["Task/devries-handover"]
    task["priority"] = "asap"
    task["executionPeriod"] = {"start": "2026-04-24T16:00:00+02:00"}
    region = default_region.model_copy(update={"local_team": default_region.local_team.model_copy(
        update={"first_contact_acute_days": 0})})
    [contact] = by_rule(deadlines(build(de_vries, "household-de-vries"), region,
                                  at=date(2026, 4, 29)), "local-team-first-contact")
    assert contact.due == date(2026, 4, 24)
    assert "the same day" in contact.description


def test_first_contact_not_yet_transferred_is_unknown(de_vries, default_region):
    task = de_vries["Task/devries-handover"]
    del task["executionPeriod"]
    task["status"] = "requested"
    [contact] = by_rule(deadlines(build(de_vries, "household-de-vries"), default_region,
                                  at=date(2026, 11, 25)), "local-team-first-contact")
    assert contact.status == "unknown"
    assert "no transfer moment" in contact.evidence[0]


def test_any_priority_above_routine_is_acute(de_vries, default_region):
    """A sender that writes urgent or stat is not treated as less urgent than asap."""
    task = de_vries["Task/devries-handover"]
    task["executionPeriod"] = {"start": "2026-04-24T16:00:00+02:00"}
    for priority, setting in (("routine", "local_team.first_contact_days"),
                              ("urgent", "local_team.first_contact_acute_days"),
                              ("stat", "local_team.first_contact_acute_days")):
        task["priority"] = priority
        [contact] = by_rule(deadlines(build(de_vries, "household-de-vries"), default_region,
                                      at=date(2026, 4, 29)), "local-team-first-contact")
        assert contact.setting == setting, priority


def test_evidence_after_at_is_not_known_yet(de_vries, default_region):
    found = deadlines(build(de_vries, "household-de-vries"), default_region,
                      at=date(2026, 9, 28))
    [contact] = by_rule(found, "local-team-first-contact")
    assert (contact.status, contact.met_on) == ("open", None)


def test_restraining_order_timeline(de_vries, default_region):
    task = de_vries["Task/devries-handover"]
    handover_ext(task, "regie-handover-route", valueCodeableConcept={"coding": [
        {"system": codesystem_url("regie-handover-route"), "code": "restraining-order"}]})
    task["restriction"] = {"period": {"start": "2026-09-24T10:00:00+02:00"}}  # a Thursday
    found = {o.rule: o for o in deadlines(build(de_vries, "household-de-vries"),
                                          default_region, at=date(2026, 10, 5))}
    assert found["restraining-order-inform-local-team"].due == date(2026, 9, 26)
    assert found["restraining-order-inform-local-team"].status == "met"  # handover 23 Sept
    assert found["restraining-order-joint-talk"].due == date(2026, 9, 28)  # Thu + 2 working
    # first from the household: 30 Sept
    assert found["restraining-order-joint-talk"].status == "met"
    assert found["restraining-order-joint-talk"].late is True
    assert found["restraining-order-advice"].due == date(2026, 10, 2)
    assert found["restraining-order-advice"].status == "unknown"
    assert found["restraining-order-extension-decision"].due == date(2026, 10, 4)
    assert "until 2026-10-22" in found["restraining-order-extension-decision"].description
    assert found["restraining-order-extension-decision"].setting == \
        "restraining_order.duration_days"


def test_monitoring_moments_follow_the_region_and_audit_events():
    resources = example_resources("household-hv-0417")
    add(resources, {"resourceType": "AuditEvent", "id": "monitoring-1",
                    "recorded": "2027-01-22T10:00:00+01:00",
                    "purposeOfEvent": [{"coding": [{
                        "system": codesystem_url("regie-sharing-purpose"),
                        "code": "vt-monitoring"}]}]})
    household = build(resources, "household-hv-0417")
    default = by_rule(deadlines(household, load_region("default"), at=date(2027, 5, 1)),
                      "vt-monitoring")
    flevoland = by_rule(deadlines(household, load_region("flevoland"), at=date(2027, 5, 1)),
                        "vt-monitoring")
    assert [o.due for o in default] == [date(2027, 1, 20), date(2027, 10, 20)]
    assert [o.due for o in flevoland] == [date(2027, 1, 20), date(2027, 4, 20),
                                          date(2027, 10, 20)]
    assert [(o.status, o.late) for o in flevoland] == [("met", True), ("overdue", False),
                                                       ("open", False)]


def test_no_monitoring_after_a_direct_handover(de_vries, default_region):
    found = deadlines(build(de_vries, "household-de-vries"), default_region,
                      at=date(2026, 11, 25))
    assert by_rule(found, "vt-monitoring") == []


def test_talk_with_the_child_only_for_minors(default_region):
    resources = example_resources("household-hv-0417")
    found = deadlines(build(resources, "household-hv-0417"), default_region,
                      at=date(2026, 11, 25))
    assert by_rule(found, "talk-with-child") == []  # the "child" is 19


def test_a_completed_action_for_the_child_counts_as_the_talk(de_vries, default_region):
    de_vries["Task/devries-action-gesprek-kinderen"]["for"] = {
        "reference": "Patient/devries-lotte"}
    found = deadlines(build(de_vries, "household-de-vries"), default_region,
                      at=date(2026, 11, 25))
    [lotte] = [o for o in by_rule(found, "talk-with-child")
               if o.subject == "Patient/devries-lotte"]
    assert (lotte.status, lotte.met_on, lotte.late) == ("met", date(2026, 10, 6), False)


def test_on_hold_reason_is_pointed_to_not_copied(de_vries, default_region):
    [action] = [o for o in deadlines(build(de_vries, "household-de-vries"), default_region,
                                     at=date(2026, 11, 25))
                if o.subject == "Task/devries-action-verslavingszorg"]
    assert action.status == "overdue"
    assert "on hold; reason in statusReason" in action.evidence
    assert not any("Mark" in line for line in action.evidence)


def test_to_dict_is_json_ready(de_vries, default_region):
    found = deadlines(build(de_vries, "household-de-vries"), default_region,
                      at=date(2026, 11, 25))
    data = found[0].to_dict()
    assert data["due"] == found[0].due.isoformat()
    assert isinstance(data["evidence"], list)


def test_vt_safety_assessment_counts_from_the_report_and_sees_the_recorded_assessment(
        de_vries, default_region):
    """The term counts from the regie-report the handover refers to (its own record of the
    moment), and is met on the assessment date the document records, on any route."""
    de_vries["Communication/devries-report"]["received"] = "2026-09-14T09:00:00+02:00"  # Mon
    handover_ext(de_vries["Task/devries-handover"], "regie-handover-route",
                 valueCodeableConcept={"coding": [{
                     "system": codesystem_url("regie-handover-route"),
                     "code": "after-voorwaarden-en-vervolg"}]})
    [found] = by_rule(deadlines(build(de_vries, "household-de-vries"), default_region,
                                at=date(2026, 11, 25)), "vt-safety-assessment")
    assert (found.start, found.due) == (date(2026, 9, 14), date(2026, 9, 21))
    assert (found.status, found.met_on, found.late) == ("met", date(2026, 9, 22), True)
    assert any("Communication/devries-report" in e for e in found.evidence)
    # without the recorded date, a service route cannot tell: unknown, never a guess
    _without_assessment_date(de_vries)
    [found] = by_rule(deadlines(build(de_vries, "household-de-vries"), default_region,
                                at=date(2026, 11, 25)), "vt-safety-assessment")
    assert found.status == "unknown"


def test_an_information_only_report_starts_no_safety_assessment(de_vries, default_region):
    de_vries["Communication/devries-report"]["category"] = [{"coding": [{
        "system": codesystem_url("regie-report-kind"), "code": "radar"}]}]
    assert by_rule(deadlines(build(de_vries, "household-de-vries"), default_region,
                             at=date(2026, 11, 25)), "vt-safety-assessment") == []


def test_the_handover_builder_records_the_restraining_orders_moment():
    common = {"route": "restraining-order", "case_weight": "zwaar", "acute": True,
              "reported_on": "2026-11-16T08:00:00+01:00", "vt": "Organization/t-vt",
              "local_team": "Organization/t-team", "subject": "Group/t-huis",
              "document": "Composition/t-doc/_history/1",
              "authored_on": "2026-11-17T10:00:00+01:00",
              "status": "requested"}
    with pytest.raises(ValueError, match="restraining_order_imposed"):
        handover(**common)
    task = to_json(handover(**common, restraining_order_imposed="2026-11-16T02:30:00+01:00",
                            restraining_order_ends="2026-11-26"))
    assert task["restriction"]["period"] == {"start": "2026-11-16T02:30:00+01:00",
                                             "end": "2026-11-26"}
