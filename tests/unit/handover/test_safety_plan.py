"""The local team's safety plan after a handover: VT's conditions, unchanged (pure)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fhir_regie.demo_case import named, vt_case
from fhir_regie.handover.safety_plan import conditions_of, current_plan, plan_with_conditions
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count

AT = datetime(2026, 11, 19, 9, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))
CONDITIONS = ["Goal/hoekstra-condition-geweld", "Goal/hoekstra-condition-verslavingszorg",
              "Goal/hoekstra-condition-plan"]


def test_the_conditions_of_a_document_in_its_order():
    case = vt_case()
    assert conditions_of(named(case, "Composition/hoekstra-document")) == CONDITIONS
    direct = vt_case(route="direct-after-assessment")
    assert conditions_of(named(direct, "Composition/hoekstra-document")) == []


def test_a_new_plan_refers_to_the_conditions_themselves():
    group = named(vt_case(), "Group/hoekstra-household")
    plan = plan_with_conditions(group, CONDITIONS, None, local_team="Organization/t", at=AT)
    assert error_count(validate_resource(plan)) == 0
    assert [g["reference"] for g in plan["goal"]] == CONDITIONS
    assert plan["subject"] == {"reference": "Group/hoekstra-household"}
    assert plan["title"] == "Veiligheidsplan Huishouden Hoekstra"
    assert plan["period"]["start"] == "2026-11-19"
    again = plan_with_conditions(group, CONDITIONS, None, local_team="Organization/t", at=AT)
    assert again["id"] == plan["id"]   # the same household, the same plan


def test_an_existing_plan_gets_only_what_it_lacks_and_nothing_when_complete():
    group = named(vt_case(), "Group/hoekstra-household")
    existing = plan_with_conditions(group, CONDITIONS[:1], None, local_team="Organization/t",
                                    at=AT)
    existing["goal"].insert(0, {"reference": "Goal/eigen-veiligheidsdoel"})
    updated = plan_with_conditions(group, CONDITIONS, existing, local_team="Organization/t",
                                   at=AT)
    assert [g["reference"] for g in updated["goal"]] == ["Goal/eigen-veiligheidsdoel",
                                                         *CONDITIONS]
    assert plan_with_conditions(group, CONDITIONS, updated, local_team="Organization/t",
                                at=AT) is None


def test_the_current_plan_is_an_open_safety_plan_of_this_household():
    group = named(vt_case(), "Group/hoekstra-household")
    plan = plan_with_conditions(group, [], None, local_team="Organization/t", at=AT)
    closed = {**plan, "id": "oud", "status": "completed"}
    other = {**plan, "id": "ander", "subject": {"reference": "Group/ander"}}
    assert current_plan([closed, other], "Group/hoekstra-household") is None
    assert current_plan([closed, plan, other], "Group/hoekstra-household") is plan
