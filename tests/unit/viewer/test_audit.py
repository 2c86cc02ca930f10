"""Who viewed a plan: reading regie-disclosure AuditEvents (the guide's example and the
guard's own records)."""

from __future__ import annotations

from datetime import UTC, datetime

from fhir_regie.consent import Request, share
from fhir_regie.demo import household_resources
from fhir_regie.ig import load_package
from fhir_regie.model import to_json
from fhir_regie.viewer.audit import plan_views, view_lines


def test_the_guides_example_view_is_listed_with_who_when_and_basis():
    package = load_package()
    event = package.examples["AuditEvent/devries-disclosure-gp"]
    [view] = plan_views([event], "devries-safety-plan")
    assert view.recorded == "2026-11-12T09:41:27+01:00"
    assert view.kind == "view"
    assert view.recipient == "PractitionerRole/devries-role-visser"
    assert view.basis == "Consent/devries-consent-lotte"
    assert plan_views([event], "devries-support-plan") == []


def test_the_guards_records_are_read_back_oldest_first():
    found = household_resources(load_package(), "household-de-vries").values()
    events = []
    for day in (20, 10):
        shared = share(found, Request(recipient="Organization/devries-org-jgz",
                                      purpose="shared-plan-view",
                                      at=datetime(2026, 11, day, 9, tzinfo=UTC),
                                      discloser="Organization/devries-org-wijkteam"))
        event = to_json(shared.audit_events[0])
        event["agent"][1]["altId"] = "Practitioner/jgz-arts"
        events.append(event)
    views = plan_views(events, "devries-safety-plan")
    assert [v.recorded[:10] for v in views] == ["2026-11-10", "2026-11-20"]
    assert {v.user for v in views} == {"Practitioner/jgz-arts"}
    lines = view_lines(views, "devries-safety-plan")
    assert lines[0] == "CarePlan/devries-safety-plan: 2 recorded view(s) or disclosure(s)"
    assert "Organization/devries-org-jgz (Practitioner/jgz-arts)" in lines[1]
    assert "purpose shared-plan-view" in lines[1]
