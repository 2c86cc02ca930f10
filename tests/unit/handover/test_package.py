"""Assembling the handover from VT's case: exactly what the route carries, through the guard
(pure: no server). docs/handover.md, "What goes"."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fhir_regie.consent import share
from fhir_regie.demo_case import Reporter, named, vt_case
from fhir_regie.handover.errors import CaseError
from fhir_regie.handover.package import check, prepare

AT = datetime(2026, 11, 18, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def assemble(case, **more):
    prepared = prepare(case, at=AT, **more)
    return check(prepared, share(prepared.context, prepared.request, data=list(prepared.data)))


def _sections(package):
    return [s["code"]["coding"][0]["code"] for s in package.document["section"]]


def test_what_goes_is_what_the_task_and_document_refer_to_and_nothing_else():
    package = assemble(vt_case())
    assert sorted(package.keys) == sorted([
        "Task/hoekstra-handover", "Composition/hoekstra-document", "Group/hoekstra-household",
        "Patient/hoekstra-linda", "Patient/hoekstra-erik", "Patient/hoekstra-sem",
        "Patient/hoekstra-noa", "Goal/hoekstra-condition-geweld",
        "Goal/hoekstra-condition-verslavingszorg", "Goal/hoekstra-condition-plan",
        "Organization/hoekstra-org-vt", "Organization/hoekstra-org-team",
        "Organization/hoekstra-org-huisarts", "Communication/hoekstra-melding",
        # the alleged-perpetrator alert of a person who goes along: the local team must know
        "Flag/hoekstra-alert-erik"])
    assert "RelatedPerson/hoekstra-melder" not in package.keys   # VT's record of who called
    assert "reporter-contact" not in _sections(package)
    [event] = package.audit_events
    assert event["purposeOfEvent"][0]["coding"][0]["code"] == "handover"
    basis = {e["url"].rsplit("/", 1)[-1]: e for e in event["extension"]}["regie-disclosure-basis"]
    assert "vt-statutory-task" in json.dumps(basis)
    assert [s["code"] for s in event["meta"]["security"]] == ["R"]   # the document is R


def test_the_reporter_goes_only_when_named_and_contact_is_needed():
    named_case = vt_case(reporter_anonymous=False)
    needed = assemble(named_case, reporter_contact_needed=True)
    assert "reporter-contact" in _sections(needed)
    assert "RelatedPerson/hoekstra-melder" in needed.keys
    not_needed = assemble(named_case)
    assert "reporter-contact" not in _sections(not_needed)
    assert "RelatedPerson/hoekstra-melder" not in not_needed.keys
    anonymous = assemble(vt_case(reporter_anonymous=True), reporter_contact_needed=True)
    assert "reporter-contact" not in _sections(anonymous)
    assert [r[2] for r in anonymous.redactions] == [
        "reporter identity: the reporter is anonymous or no contact is needed"]


def _report(package):
    return next(r for r in package.resources if r["resourceType"] == "Communication")


def test_the_report_goes_with_the_handover_and_its_reporter_only_when_the_section_may():
    """regie-report: the moment VT received it travels (the terms count from it); who
    reported follows the reporter-contact rule (DOMAIN.md §4, §6)."""
    anonymous = assemble(vt_case(reporter_anonymous=True), reporter_contact_needed=True)
    report = _report(anonymous)
    assert report["received"] == "2026-11-02T08:40:00+01:00"
    assert "sender" not in report
    assert anonymous.task["reasonReference"]["reference"] == f"Communication/{report['id']}"
    assert "Verbeek" not in json.dumps(anonymous.resources)
    assert "sender" not in _report(assemble(vt_case(reporter_anonymous=False)))
    named_report = _report(assemble(vt_case(reporter_anonymous=False),
                                    reporter_contact_needed=True))
    assert named_report["sender"]["reference"] == "RelatedPerson/hoekstra-melder"


def test_the_assessment_date_and_the_restraining_order_moment_go_along():
    package = assemble(vt_case(route="restraining-order"))
    assert package.task["restriction"]["period"]["start"] == "2026-11-16"
    section = next(s for s in package.document["section"]
                   if s["code"]["coding"][0]["code"] == "safety-assessment")
    assert any(e["url"].endswith("/regie-assessment-date") and e["valueDateTime"] ==
               "2026-11-06" for e in section["extension"])


def test_a_case_whose_requester_is_typed_as_another_kind_is_refused():
    case = vt_case()
    named(case, "Organization/hoekstra-org-vt")["type"][0]["coding"][0]["code"] = "school"
    with pytest.raises(CaseError, match="says it is not Veilig Thuis"):
        assemble(case)


def test_the_reporters_name_is_scrubbed_from_the_report_text_when_the_section_is_cut():
    case = vt_case(reporter=Reporter("Greetje", "Wolterink", "06-29384756"),
                   report_extra="Mevrouw Greetje Wolterink (06-29384756) belde.")
    text = json.dumps(list(assemble(case).resources), ensure_ascii=False)
    for secret in ("Greetje", "Wolterink", "06-29384756"):
        assert secret not in text, secret
    assert "Mevrouw [weggelaten] ([weggelaten]) belde." in text


def test_a_route_cut_is_reported_and_the_result_is_valid():
    package = assemble(vt_case(with_judgement=True))
    assert [c.section for c in package.cuts] == ["vt-judgement"]
    assert "vt-judgement" not in _sections(package)
    onderzoek = assemble(vt_case(route="after-onderzoek", with_judgement=True))
    assert "vt-judgement" in _sections(onderzoek)
    assert onderzoek.cuts == ()


def test_a_reference_outside_the_case_is_named_and_nothing_is_assembled():
    case = [r for r in vt_case() if r["id"] != "hoekstra-org-huisarts"]
    with pytest.raises(CaseError, match=r"^Patient/hoekstra-linda generalPractitioner\[0\] "
                                        r"refers to Organization/hoekstra-org-huisarts, which "
                                        r"is not in the case$"):
        assemble(case)


def test_health_data_never_goes_on_vts_statutory_task():
    case = vt_case()
    goal = named(case, "Goal/hoekstra-condition-verslavingszorg")
    goal["extension"].append({
        "url": "https://fhir-regie.nl/fhir/StructureDefinition/regie-life-domain",
        "valueCodeableConcept": {"coding": [{
            "system": "https://fhir-regie.nl/fhir/CodeSystem/regie-life-domain",
            "code": "health"}]}})
    with pytest.raises(CaseError, match=r"^Goal/hoekstra-condition-verslavingszorg may not go "
                                        r"to the local team: legal basis vt-statutory-task "
                                        r"does not carry health-data$"):
        assemble(case)


def test_a_result_that_breaks_the_profile_names_the_rule_and_location():
    case = vt_case()
    document = named(case, "Composition/hoekstra-document")
    document["section"] = [s for s in document["section"]
                           if s["code"]["coding"][0]["code"] != "monitoring-agreements"]
    with pytest.raises(CaseError) as caught:
        assemble(case)
    assert str(caught.value).startswith(
        "the handover breaks the profiles: Composition/hoekstra-document: Composition: "
        "Constraint failed: rg-hdc-4")
    issues = caught.value.outcome["issue"]
    assert [(i["diagnostics"], i["expression"]) for i in issues] == [
        ("Composition/hoekstra-document: rg-hdc-4", ["Composition"])]


@pytest.mark.parametrize(("change", "message"), [
    (lambda case: case.remove(named(case, "Task/hoekstra-handover")),
     "exactly one regie-handover Task, found 0"),
    (lambda case: case.remove(named(case, "Composition/hoekstra-document")),
     "Task/hoekstra-handover: its focus (the handover document) is not in the case"),
    (lambda case: named(case, "Composition/hoekstra-document")["extension"][0][
        "valueCodeableConcept"]["coding"][0].update(code="after-onderzoek"),
     "Composition/hoekstra-document: its route differs from the route of "
     "Task/hoekstra-handover"),
    (lambda case: named(case, "Task/hoekstra-handover").update(
        owner={"reference": "Organization/elders"}),
     "Task/hoekstra-handover: its owner (the local team) must be an Organization in the case"),
    (lambda case: named(case, "Group/hoekstra-household").pop("id"),
     "a Group in the case has no id"),
])
def test_a_case_that_cannot_be_a_handover_says_why(change, message):
    case = vt_case()
    change(case)
    with pytest.raises(CaseError) as caught:
        assemble(case)
    assert message in str(caught.value)
