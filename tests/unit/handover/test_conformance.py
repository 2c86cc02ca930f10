"""What enters or leaves is checked against the profile its place demands, claimed or not."""

from __future__ import annotations

from fhir_regie.demo_case import named, vt_case
from fhir_regie.handover.conformance import check


def test_a_resource_must_meet_the_profile_of_its_place_even_without_claiming_it():
    document = named(vt_case(reporter_anonymous=False), "Composition/hoekstra-document")
    document.pop("meta")   # claims nothing
    document["section"] = [s for s in document["section"]
                           if s["code"]["coding"][0]["code"] != "safety-conditions"]
    assert check([document]).valid   # as a plain Composition it is fine
    verdict = check([document], {"Composition/hoekstra-document": "regie-handover-document"})
    assert not verdict.valid
    assert verdict.summary.startswith("Composition/hoekstra-document: Composition: Constraint "
                                      "failed: rg-hdc-4")
    assert [i["expression"] for i in verdict.outcome["issue"]] == [["Composition"]]


def test_several_errors_are_counted_in_the_summary():
    case = vt_case()
    goal = named(case, "Goal/hoekstra-condition-plan")
    goal.pop("target")
    goal.pop("extension")
    verdict = check([goal])
    assert len(verdict.errors) == 2
    assert verdict.summary.endswith("(and 1 more)")
    assert {e.split(": ")[2].split(":")[0] for e in verdict.errors} == {
        "Constraint failed"}
