"""The terms an accepted handover starts, from the workflow rules (pure)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fhir_regie.demo_case import named, vt_case
from fhir_regie.handover.deadlines import RULES, setting_value, terms
from fhir_regie.handover.reply import answered
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count
from fhir_regie.workflow.regions import load_region

AMS = ZoneInfo("Europe/Amsterdam")
ACCEPTED = datetime(2026, 11, 19, 9, 15, tzinfo=AMS)


def accepted_terms(route, region="gelderland-midden", acute=False, at=ACCEPTED):
    case = vt_case(route=route, acute=acute)
    task = answered(named(case, "Task/hoekstra-handover"), "accepted", at, transfer=at)
    return terms(case, task, load_region(region), at)


def summary(found):
    return sorted((t.rule, t.due, t.status, t.resource["owner"]["reference"].rsplit("-", 1)[-1],
                   t.shared_with_vt) for t in found)


def test_after_a_vt_service_the_monitoring_moments_are_for_vt_and_shared():
    assert summary(accepted_terms("after-voorwaarden-en-vervolg")) == [
        ("local-team-first-contact", "2026-12-03", "requested", "team", False),
        ("vt-monitoring", "2027-02-19", "requested", "vt", True),
        ("vt-monitoring", "2027-11-19", "requested", "vt", True)]


def test_the_monitoring_moments_follow_the_region():
    found = accepted_terms("after-onderzoek", region="flevoland")
    assert [t.due for t in found if t.rule == "vt-monitoring"] == [
        "2027-02-19", "2027-05-19", "2027-11-19"]
    reason = next(t for t in found if t.rule == "vt-monitoring").resource["reasonCode"]["text"]
    assert reason == "Regio Flevoland: monitoring.moments_months = 3, 6, 12"


def test_no_monitoring_after_a_direct_handover():
    assert summary(accepted_terms("direct-after-assessment")) == [
        ("local-team-first-contact", "2026-12-03", "requested", "team", False)]


def test_acute_means_immediately_the_weekend_included():
    # Accepted on Friday 18 December: "immediately" is Saturday 19 December at the latest
    # (local_team.first_contact_acute_days = 1, calendar days), not Monday the 21st.
    friday = datetime(2026, 12, 18, 16, 30, tzinfo=AMS)
    found = accepted_terms("after-voorwaarden-en-vervolg", acute=True, at=friday)
    first = next(t for t in found if t.rule == "local-team-first-contact")
    assert first.due == "2026-12-19"
    assert "binnen 1 dag)" in first.resource["description"]


def test_the_restraining_order_timeline_counts_from_the_order():
    assert summary(accepted_terms("restraining-order")) == [
        ("local-team-first-contact", "2026-12-03", "requested", "team", False),
        ("restraining-order-advice", "2026-11-24", "requested", "vt", True),
        ("restraining-order-inform-local-team", "2026-11-18", "completed", "vt", True),
        ("restraining-order-joint-talk", "2026-11-18", "requested", "team", True)]
    informed = next(t for t in accepted_terms("restraining-order")
                    if t.rule == "restraining-order-inform-local-team")
    assert informed.resource["executionPeriod"]["end"] == "2026-11-18"


@pytest.mark.parametrize("route", ["after-onderzoek", "restraining-order"])
def test_every_term_is_a_valid_deadline_with_a_stable_id(route):
    first, again = accepted_terms(route), accepted_terms(route)
    assert [t.resource["id"] for t in first] == [t.resource["id"] for t in again]
    for term in first:
        assert error_count(validate_resource(term.resource)) == 0
        assert term.resource["basedOn"] == [{"reference": "Task/hoekstra-handover"}]
        assert term.rule in RULES


def test_setting_values_are_read_by_key():
    region = load_region("gelderland-midden")
    assert setting_value(region, "local_team.first_contact_days") == 14
    assert setting_value(region, "monitoring.moments_months") == (3, 12)
