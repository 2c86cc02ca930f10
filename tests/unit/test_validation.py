"""The Python profile validator: rules checked exactly, OperationOutcomes, never an exception."""

from __future__ import annotations

import copy
import json
import re
import string
from typing import Any

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhir_regie.ig import load_package, profile_url
from fhir_regie.validation import validate_resource, validate_source
from fhir_regie.validation.messages import MESSAGES, render

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _example(reference: str) -> dict[str, Any]:
    resource_type, resource_id = reference.split("/")
    return copy.deepcopy(load_package().get(resource_type, resource_id))


def _rules(outcome: dict[str, Any]) -> set[str]:
    """The rules (constraint keys or element ids) an outcome reports as errors."""
    return {issue["diagnostics"] for issue in outcome["issue"]
            if issue["severity"] in ("error", "fatal")}


def eleven_check(bsn: str) -> bool:
    """Reference implementation of the BSN eleven-check, independent of the FHIRPath rule."""
    if not re.fullmatch(r"\d{9}", bsn) or bsn == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(bsn, weights, strict=True)) % 11 == 0


@FAST
@given(st.one_of(st.text(alphabet=string.digits, min_size=9, max_size=9),
                 st.text(alphabet=string.digits + "x ", min_size=7, max_size=11)))
def test_bsn_rule_agrees_with_the_eleven_check(bsn):
    patient = _example("Patient/devries-sanne")
    patient["identifier"][0]["value"] = bsn
    reported = "rg-bsn-1" in _rules(validate_resource(patient))
    assert reported is not eleven_check(bsn)


@pytest.mark.parametrize(("bsn", "valid"), [
    ("999990007", True), ("111222333", True), ("123456782", True),
    ("123456789", False), ("000000000", False), ("12345678", False)])
def test_bsn_known_numbers(bsn, valid):
    assert eleven_check(bsn) is valid
    patient = _example("Patient/devries-sanne")
    patient["identifier"][0]["value"] = bsn
    assert ("rg-bsn-1" in _rules(validate_resource(patient))) is not valid


@FAST
@given(score=st.integers(min_value=-3, max_value=14), with_note=st.booleans())
def test_safety_score_range_and_note_rules(score, with_note):
    observation = _example("Observation/devries-score-1-sanne-nov05")
    observation["valueInteger"] = score
    observation.pop("note", None)
    if with_note:
        observation["note"] = [{"text": "Mark ging wandelen toen de ruzie begon."}]
    rules = _rules(validate_resource(observation)) & {"rg-ssc-1", "rg-ssc-2"}
    expected = set()
    if not 0 <= score <= 10:
        expected.add("rg-ssc-1")
    if score >= 6 and not with_note:
        expected.add("rg-ssc-2")
    assert rules == expected


def test_every_repeat_of_an_extension_is_checked():
    """A fifth active danger statement breaks rg-sfp-1 (at most four), whatever its position."""
    plan = _example("CarePlan/devries-safety-plan")
    statements = [e for e in plan["extension"] if e["url"].endswith("regie-danger-statement")]
    for priority in range(3, 6):
        extra = copy.deepcopy(statements[0])
        for part in extra["extension"]:
            if part["url"] == "priority":
                part["valuePositiveInt"] = priority
        plan["extension"].append(extra)
    assert "rg-sfp-1" in _rules(validate_resource(plan))
    plan["extension"].pop()
    assert "rg-sfp-1" not in _rules(validate_resource(plan))


def test_issue_carries_message_id_location_and_both_languages():
    patient = _example("Patient/devries-sanne")
    del patient["birthDate"]
    english = [i for i in validate_resource(patient)["issue"] if i["severity"] != "information"]
    assert len(english) == 1
    issue = english[0]
    assert issue["severity"] == "error"
    assert issue["code"] == "invariant"
    assert issue["details"]["coding"][0]["code"] == "regie-invariant"
    assert issue["expression"] == ["Patient"]
    assert issue["details"]["text"].startswith("Constraint failed: rg-pat-1")
    OperationOutcome.model_validate(validate_resource(patient))


def test_missing_required_element_is_named_with_its_location():
    task = _example("Task/devries-action-schuldhulp")
    del task["owner"]
    [issue] = [i for i in validate_resource(task)["issue"] if i["severity"] == "error"]
    assert issue["details"]["coding"][0]["code"] == "regie-min"
    assert issue["diagnostics"] == "Task.owner"
    assert issue["expression"] == ["Task"]
    assert "minimum required = 1, but only found 0" in issue["details"]["text"]


def test_clean_resource_gives_an_informational_outcome():
    outcome = validate_resource(_example("Patient/devries-sanne"))
    # Only information: dom-6 (best practice: no narrative) is not a problem.
    assert [(i["severity"], i["diagnostics"]) for i in outcome["issue"]] == [
        ("information", "dom-6")]


@pytest.mark.parametrize(("source", "message_id", "severity"), [
    ("{not json", "regie-json", "fatal"),
    ("[1, 2]", "regie-not-resource", "fatal"),
    ('{"resourceType": 7}', "regie-not-resource", "fatal"),
    ('{"resourceType": "Patiënt"}', "regie-unknown-type", "error"),
    ('{"resourceType": "Patient", "birthDate": "2019-02-08"}', "regie-no-profile", "warning"),
    ('{"resourceType": "Patient", "meta": {"profile": ["https://example.org/x"]}}',
     "regie-unknown-profile", "warning"),
    ('{"resourceType": "Group", "type": "person", "actual": true, "meta": {"profile": ["'
     + profile_url("regie-patient") + '"]}}', "regie-wrong-type", "error"),
    ('{"resourceType": "Patient", "birthDate": "yesterday"}', "regie-format", "error"),
    # Python 3.11 cannot parse this deep an array (regie-json); 3.13's parser can, and then it
    # is an array, not a resource (regie-not-resource). Fatal either way, never a traceback.
    ("[" * 5000 + "]" * 5000, "regie-json|regie-not-resource", "fatal"),
])
def test_bad_input_becomes_an_issue(source, message_id, severity):
    outcome = validate_source(source)
    ids = {(i["details"]["coding"][0]["code"], i["severity"])
           for i in outcome["issue"] if "details" in i}
    assert any((code, severity) in ids for code in message_id.split("|"))
    OperationOutcome.model_validate(outcome)


def test_deeply_nested_resource_is_refused_not_crashed():
    nested: dict[str, Any] = {"resourceType": "Patient", "extension": []}
    node = nested
    for _ in range(200):
        child: dict[str, Any] = {"url": "https://example.org/x", "extension": []}
        node["extension"].append(child)
        node = child
    outcome = validate_resource(nested)
    assert outcome["issue"][0]["severity"] == "fatal"


def test_explicit_profile_overrides_meta_profile():
    patient = _example("Patient/devries-sanne")
    outcome = validate_resource(patient, profile=profile_url("regie-household"))
    assert "regie-wrong-type" in {i["details"]["coding"][0]["code"] for i in outcome["issue"]}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["resourceType", "meta", "profile", "extension", "url",
                                       "identifier", "value", "birthDate", "status", "code",
                                       "valueInteger", "note", "member", "entity"]),
                      children, max_size=5),
    max_leaves=25)


@settings(max_examples=150, deadline=None)
@given(st.one_of(
    json_values,
    st.fixed_dictionaries({"resourceType": st.sampled_from(
        ["Patient", "Observation", "CarePlan", "Task", "Group", "Consent"])}, optional={
        "meta": st.fixed_dictionaries({"profile": st.lists(st.sampled_from(
            [profile_url(p) for p in ("regie-patient", "regie-safety-scale-score",
                                      "regie-safety-plan", "regie-household")]), max_size=2)}),
        "extension": json_values, "identifier": json_values, "status": json_values,
        "valueInteger": json_values, "member": json_values})))
def test_validator_never_raises(value):
    outcome = validate_resource(value)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_validate_source_never_raises_on_text(text):
    assert validate_source(text)["issue"]


def test_message_catalogue_has_matching_placeholders():
    for message_id, (english, dutch) in MESSAGES.items():
        fields = set(re.findall(r"{(\w+)}", english))
        assert fields == set(re.findall(r"{(\w+)}", dutch)), message_id
        values = {name: f"<{name}>" for name in fields}
        for language in ("en", "nl"):
            text = render(message_id, language, **values)
            assert all(value in text for value in values.values()), (message_id, language)


def test_bundle_is_validated_entry_by_entry_with_entry_locations():
    from fhir_regie.demo import household_resources

    resources = household_resources(load_package(), "household-de-vries")
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"urn:uuid:00000000-0000-4000-8000-{index:012d}", "resource": resource}
        for index, resource in enumerate(copy.deepcopy(list(resources.values())))]}
    assert _rules(validate_resource(bundle)) == set()
    broken = next(i for i, e in enumerate(bundle["entry"])
                  if e["resource"]["resourceType"] == "Patient")
    del bundle["entry"][broken]["resource"]["birthDate"]
    bundle["entry"].append({"resource": "not a resource"})
    outcome = validate_resource(bundle)
    errors = [(i["diagnostics"], i["expression"][0]) for i in outcome["issue"]
              if i["severity"] in ("error", "fatal")]
    # the Bundle's structure walk (entries included) reports before the entries' profiles
    assert errors == [("regie-not-resource", f"Bundle.entry[{len(resources)}].resource"),
                      ("rg-pat-1", f"Bundle.entry[{broken}].resource")]


def test_model_input_is_accepted():
    from fhir.resources.R4B.patient import Patient

    patient = Patient.model_validate(_example("Patient/devries-sanne"))
    assert _rules(validate_resource(patient)) == set()


@pytest.mark.parametrize("meta", [5, "x", {"profile": "not-a-list"}, {"profile": [5]}])
def test_malformed_meta_is_an_issue(meta):
    outcome = validate_resource({"resourceType": "Patient", "meta": meta})
    assert outcome["issue"]
    OperationOutcome.model_validate(outcome)


def _located(outcome: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(message id, rule, location) of every error."""
    return {(i["details"]["coding"][0]["code"], i["diagnostics"], i["expression"][0])
            for i in outcome["issue"] if i["severity"] in ("error", "fatal")}


def test_pattern_value_must_be_contained():
    score = _example("Observation/devries-score-1-sanne-nov05")
    score["code"]["coding"][0]["code"] = "safety-log-entry"
    assert _located(validate_resource(score)) == {
        ("regie-pattern", "Observation.code", "Observation.code")}
    score["code"]["coding"].insert(0, {"system": "http://loinc.org", "code": "00000-0"})
    score["code"]["coding"][1]["code"] = "safety-scale-score"
    assert _located(validate_resource(score)) == set()  # extra codings are fine in a pattern


def test_code_outside_a_required_value_set_of_the_guide():
    plan = _example("CarePlan/devries-safety-plan")
    plan["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = "urgent"
    found = _located(validate_resource(plan))
    # 'urgent' is no code of the guide's system at all, and so not in the value set either:
    # both, as the HL7 validator reports them
    assert found == {
        ("regie-binding", "Extension.value[x]", "CarePlan.extension[0].valueCodeableConcept"),
        ("regie-code-unknown", "https://fhir-regie.nl/fhir/CodeSystem/regie-safety-plan-kind",
         "CarePlan.extension[0].valueCodeableConcept.coding[0]")}


def test_unknown_code_of_a_guide_system_is_an_error_where_nothing_binds_it():
    score = _example("Observation/devries-score-1-sanne-nov05")
    score["code"]["coding"].append({"system": "https://fhir-regie.nl/fhir/CodeSystem/"
                                              "regie-observation-type", "code": "bestaat-niet"})
    assert _located(validate_resource(score)) == {(
        "regie-code-unknown", "https://fhir-regie.nl/fhir/CodeSystem/regie-observation-type",
        "Observation.code.coding[1]")}


@pytest.mark.parametrize(("value", "message_id"), [
    ({"text": "direct"}, "regie-binding-required-no-code"),  # no code at all
    ({"coding": [{"code": "direct"}]}, "regie-binding"),  # a code without its system
])
def test_required_binding_needs_a_coding_with_system_and_code(value, message_id):
    plan = _example("CarePlan/devries-safety-plan")
    plan["extension"][0]["valueCodeableConcept"] = value
    assert _located(validate_resource(plan)) == {
        (message_id, "Extension.value[x]", "CarePlan.extension[0].valueCodeableConcept")}


def test_extensible_binding_warns_only_when_no_code_of_the_set_is_used():
    team = _example("CareTeam/devries-careteam")
    role = team["participant"][0]["role"][0]
    role["coding"] = [{"system": "http://snomed.info/sct", "code": "224608005"}]
    warnings = [(i["details"]["coding"][0]["code"], i["expression"][0])
                for i in validate_resource(team)["issue"] if i["severity"] == "warning"]
    assert warnings == [("regie-binding-extensible", "CareTeam.participant[0].role[0]")]
    assert _located(validate_resource(team)) == set()  # a warning, never an error
    role["coding"].append({"system": "https://fhir-regie.nl/fhir/CodeSystem/regie-role",
                           "code": "procesregisseur"})
    assert not [i for i in validate_resource(team)["issue"] if i["severity"] == "warning"]


def test_every_code_of_the_value_set_is_accepted():
    package = load_package()
    codesystem = package.by_url("https://fhir-regie.nl/fhir/CodeSystem/regie-safety-plan-kind")
    for concept in codesystem["concept"]:
        plan = _example("CarePlan/devries-safety-plan")
        plan["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = concept["code"]
        assert not {m for m, _, _ in _located(validate_resource(plan))} & {"regie-binding"}


@pytest.mark.parametrize(("reference", "reported"), [
    ("Location/safe-house", True),
    ("https://other.example.nl/fhir/Location/safe-house", True),
    ("RelatedPerson/devries-oma-ria", False),
    ("https://other.example.nl/fhir/Practitioner/p1/_history/2", False),
    ("urn:uuid:1b6f1c2e-8f0a-4f57-9f3c-0d1f2e3a4b5c", False),
])
def test_reference_must_name_an_allowed_type(reference, reported):
    task = _example("Task/devries-action-schuldhulp")
    task["owner"]["reference"] = reference
    found = _located(validate_resource(task))
    assert (("regie-reference-type", "Task.owner", "Task.owner.reference") in found) is reported


def _household_bundle() -> dict[str, Any]:
    from fhir_regie.demo import household_resources

    resources = household_resources(load_package(), "household-de-vries")
    return {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"https://fhir.gemeente-zwolle.example/fhir/{key}",
         "resource": copy.deepcopy(resource)} for key, resource in sorted(resources.items())]}


def test_references_inside_a_bundle_must_meet_their_target_profile():
    bundle = _household_bundle()
    assert not [i for i in validate_resource(bundle)["issue"] if i["severity"] == "error"]
    group = next(e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "Group")
    group.pop("meta")  # no longer claims regie-household ...
    group["type"] = "animal"  # ... and no longer is one
    errors = [(i["details"]["coding"][0]["code"], i["expression"][0])
              for i in validate_resource(bundle)["issue"] if i["severity"] == "error"]
    pointing = [where for code, where in errors if code == "regie-reference-profile"]
    assert pointing, errors
    assert all(where.startswith("Bundle.entry[") and where.endswith(".reference")
               for where in pointing)


def test_a_target_that_meets_the_profile_without_claiming_it_is_fine():
    bundle = _household_bundle()
    group = next(e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "Group")
    group.pop("meta")
    assert not [i for i in validate_resource(bundle)["issue"]
                if i["details"]["coding"][0]["code"] == "regie-reference-profile"
                if "details" in i]


def test_choice_type_outside_the_profile_is_an_error_at_the_typed_key():
    score = _example("Observation/devries-score-1-sanne-nov05")
    del score["valueInteger"]
    score["valueString"] = "7"
    assert ("regie-type", "Observation.value[x]", "Observation.valueString") in _located(
        validate_resource(score))


def _danger_statement(plan: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return next((i, e) for i, e in enumerate(plan["extension"])
                if e["url"] == profile_url("regie-danger-statement"))


def test_nested_extension_value_type_is_checked_against_its_definition():
    plan = _example("CarePlan/devries-safety-plan")
    index, statement = _danger_statement(plan)
    part = next(i for i, e in enumerate(statement["extension"]) if e["url"] == "priority")
    statement["extension"][part] = {"url": "priority", "valueString": "1"}
    assert _located(validate_resource(plan)) >= {(
        "regie-type", "Extension.extension:priority.value[x]",
        f"CarePlan.extension[{index}].extension[{part}].valueString")}


def test_nested_extension_with_an_unknown_part_is_an_error():
    plan = _example("CarePlan/devries-safety-plan")
    index, statement = _danger_statement(plan)
    statement["extension"].append({"url": "urgentie", "valueString": "hoog"})
    found = _located(validate_resource(plan))
    where = f"CarePlan.extension[{index}].extension[{len(statement['extension']) - 1}]"
    assert found == {("regie-extension-unknown-part", "Extension.extension", where)}
    # An absolute url is another extension, not a part: judged as any extension, so one no
    # loaded package defines is unknown (as the HL7 validator's Extension_EXT_Unknown_NotHere)
    statement["extension"][-1]["url"] = "https://other.example.nl/fhir/StructureDefinition/x"
    assert _located(validate_resource(plan)) == {
        ("regie-extension-unknown", "https://other.example.nl/fhir/StructureDefinition/x", where)}


def test_nested_extension_missing_its_required_part():
    plan = _example("CarePlan/devries-safety-plan")
    index, statement = _danger_statement(plan)
    statement["extension"] = [e for e in statement["extension"] if e["url"] != "statement"]
    assert ("regie-min", "Extension.extension:statement",
            f"CarePlan.extension[{index}]") in _located(validate_resource(plan))


def test_simple_extension_value_type_is_checked():
    plan = _example("CarePlan/devries-safety-plan")
    index = next(i for i, e in enumerate(plan["extension"])
                 if e["url"] == profile_url("regie-safe-object"))
    plan["extension"][index] = {"url": profile_url("regie-safe-object"), "valueBoolean": True}
    assert _located(validate_resource(plan)) == {
        ("regie-type", "Extension.value[x]", f"CarePlan.extension[{index}].valueBoolean")}


def _warned(outcome: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["details"]["coding"][0]["code"], i["expression"][0])
            for i in outcome["issue"] if i["severity"] == "warning"]


def test_a_profile_binding_replaces_the_extensible_core_binding():
    """regie-consent binds provision.class to the guide's data classes: there R4 core's
    consent-content-class no longer applies; in a nested provision, which the profile does not
    constrain, it does (as the HL7 validator reports for this example)."""
    consent = _example("Consent/devries-consent-lotte")
    assert _warned(validate_resource(consent)) == [
        ("regie-binding-extensible", "Consent.policyRule"),
        ("regie-binding-extensible", "Consent.provision.provision[0].class[0]")]


def test_extensible_core_binding_warnings_inside_a_bundle_are_overridden_per_entry():
    consent = _example("Consent/devries-consent-lotte")
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "https://fhir.gemeente-zwolle.example/fhir/Consent/devries-consent-lotte",
         "resource": consent}]}
    assert _warned(validate_resource(bundle)) == [
        ("regie-binding-extensible", "Bundle.entry[0].resource.policyRule"),
        ("regie-binding-extensible", "Bundle.entry[0].resource.provision.provision[0].class[0]")]


REGIE_ROLE = "https://fhir-regie.nl/fhir/CodeSystem/regie-role"


def _participant(member: str) -> dict[str, Any]:
    return {"role": [{"coding": [{"system": REGIE_ROLE, "code": "informeel-netwerk"}]}],
            "member": {"reference": member},
            "onBehalfOf": {"reference": "Organization/devries-org-wijkteam"}}


def test_resolve_finds_a_contained_resource_in_an_invariant():
    """ctm-1: onBehalfOf only for a Practitioner member; the member is contained here, so
    resolve() sees it is a Patient (as the HL7 validator does)."""
    team = _example("CareTeam/devries-careteam")
    team["contained"] = [{"resourceType": "Patient", "id": "buurvrouw",
                          "name": [{"family": "Bakker", "given": ["Anja"]}]}]
    team["participant"].append(_participant("#buurvrouw"))
    where = f"CareTeam.participant[{len(team['participant']) - 1}]"
    found = _located(validate_resource(team))
    assert ("regie-invariant", "ctm-1", where) in found
    # and the contained Patient is not a regie-patient, which the member must be
    assert ("regie-reference-profile", "CareTeam.participant.member",
            f"{where}.member.reference") in found
    team["contained"][0]["resourceType"] = "Practitioner"
    team["contained"][0]["id"] = "buurvrouw"
    assert ("regie-invariant", "ctm-1", where) not in _located(validate_resource(team))


def test_resolve_finds_another_entry_of_the_bundle_in_an_invariant():
    bundle = _household_bundle()
    team_entry = next(i for i, e in enumerate(bundle["entry"])
                      if e["resource"]["id"] == "devries-careteam")
    team = bundle["entry"][team_entry]["resource"]
    team["participant"].append(_participant("Patient/devries-sanne"))
    where = f"Bundle.entry[{team_entry}].resource.participant[{len(team['participant']) - 1}]"
    assert ("regie-invariant", "ctm-1", where) in _located(validate_resource(bundle))
    # on its own, the member cannot be resolved: ctm-1 holds, as in the HL7 validator
    assert not {r for _, r, _ in _located(validate_resource(team))} & {"ctm-1"}


def test_a_uuid_reference_to_an_entry_of_the_wrong_type():
    bundle = _household_bundle()
    task_entry = next(i for i, e in enumerate(bundle["entry"])
                      if e["resource"]["id"] == "devries-action-schuldhulp")
    location = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Group")
    location["fullUrl"] = "urn:uuid:6d3c1a9e-2b4f-4e8a-9c7d-1f2e3d4c5b6a"
    bundle["entry"][task_entry]["resource"]["owner"] = {"reference": location["fullUrl"]}
    assert ("regie-reference-type", "Task.owner",
            f"Bundle.entry[{task_entry}].resource.owner.reference") in _located(
        validate_resource(bundle))


# ------------------------------------------------------------------ garbage of every shape
# Whatever arrives, the answer is an OperationOutcome (valid FHIR, by fhir.resources' model)
# that names what is wrong, never a traceback (issue 3, "Done when").

def _checked(outcome: dict[str, Any]) -> dict[str, Any]:
    OperationOutcome.model_validate(outcome)
    assert outcome["issue"]
    json.dumps(outcome, ensure_ascii=False).encode("utf-8")  # printable as it is
    return outcome


def _fatal(outcome: dict[str, Any]) -> str:
    [found] = [i for i in _checked(outcome)["issue"] if i["severity"] == "fatal"]
    assert found["expression"] == ["$"]
    return str(found["details"]["text"])


SANNE_TEXT = json.dumps(load_package().get("Patient", "devries-sanne"), ensure_ascii=False)


@pytest.mark.parametrize("cut", range(1, len(SANNE_TEXT), 37))
def test_truncated_json_is_one_fatal_issue(cut):
    assert _fatal(validate_source(SANNE_TEXT[:cut])).startswith("Not valid JSON: ")


@pytest.mark.parametrize(("source", "reason"), [
    (b'{"resourceType": "Patient", "name": [{"family": "M\xfcller"}]}',
     "not UTF-8 text (byte 50)"),  # Latin-1, where UTF-8 belongs
    (b"\x00\x01\x02\xff\xfe", "not UTF-8 text (byte 3)"),
    ('{"resourceType": "Patient", "multipleBirthInteger": NaN}', "NaN is not a JSON number"),
    ('{"resourceType": "Patient", "multipleBirthInteger": -Infinity}',
     "-Infinity is not a JSON number"),
    ('{"resourceType": "Patient", "multipleBirthInteger": ' + "9" * 5000 + "}",
     "a number too long"),
    ('{"resourceType": "Patient", "gender": "male", "gender": "female"}',
     "the key 'gender' occurs twice in one object"),
    ('{"resourceType": "Patient", "name": [{"given": ["Sanne"], "given": ["Anna"]}]}',
     "the key 'given' occurs twice in one object"),
    ('{"resourceType": "Patient", "name": [' * 10_000 + "]}" * 10_000, "nested too deep"),
    ("[" * 10_000 + "]" * 10_000, "nested too deep"),
    ("", "Expecting value (line 1, column 1)"),
    ("\ufeff", "Expecting value (line 1, column 1)"),
])
def test_input_that_is_not_fhir_json_is_named(source, reason):
    assert _fatal(validate_source(source)) == f"Not valid JSON: {reason}"


@pytest.mark.parametrize("source", [
    "\ufeff" + SANNE_TEXT, b"\xef\xbb\xbf" + SANNE_TEXT.encode(), SANNE_TEXT.encode()])
def test_a_byte_order_mark_and_bytes_are_fine(source):
    assert _rules(validate_source(source)) == set()


def test_huge_numbers_are_format_or_type_errors_not_crashes():
    patient = _example("Patient/devries-sanne")
    text = json.dumps(patient)[:-1] + ', "multipleBirthInteger": 1e400}'
    assert ("regie-json-type", "Patient.multipleBirth[x]", "Patient.multipleBirthInteger") \
        in _located(_checked(validate_source(text)))  # 1e400 is a float: infinity
    patient["multipleBirthInteger"] = 10 ** 40
    assert ("regie-format", "Patient.multipleBirth[x]", "Patient.multipleBirthInteger") \
        in _located(_checked(validate_resource(patient)))


def test_ten_megabyte_strings_are_validated_and_never_quoted_back_whole():
    big = "x" * 10_000_000
    patient = _example("Patient/devries-sanne")
    patient["name"][0]["family"] = big  # a valid string: no error
    assert _rules(_checked(validate_resource(patient))) == set()
    patient["gender"] = big  # not a code of the value set: reported, quoted short
    outcome = _checked(validate_resource(patient))
    assert ("regie-binding", "Patient.gender", "Patient.gender") in _located(outcome)
    patient["gender"] = "female"
    patient[big] = "?"  # an unknown element with a 10 MB name
    outcome = _checked(validate_resource(patient))
    assert any(code == "regie-unknown-element" for code, _, _ in _located(outcome))
    assert max(len(json.dumps(i)) for i in outcome["issue"]) < 2_000


def test_unpaired_surrogates_are_quoted_as_escapes():
    text = '{"resourceType": "Patient", "gender": "\\ud800", "\\udc00": 1}'
    outcome = _checked(validate_source(text))
    texts = " ".join(i["details"]["text"] for i in outcome["issue"])
    assert "\\ud800" in texts
    assert ("regie-unknown-element", "regie-unknown-element", "Patient.\\udc00") in _located(
        outcome)


def test_ten_thousand_levels_of_python_dicts():
    resource: dict[str, Any] = {"resourceType": "Patient"}
    node = resource
    for _ in range(10_000):
        node["extension"] = [{"url": "https://example.org/x"}]
        node = node["extension"][0]
    assert _checked(validate_resource(resource))["issue"][0]["severity"] == "fatal"


@pytest.mark.parametrize("value", [None, 0, -1, 1.5, "", "x", True, [], {}, [None], [{}],
                                   {"x": 1}, [[1]], float("inf")])
def test_wrong_types_everywhere(value):
    """Every element of a full example, in turn, holding a value of the wrong shape: an
    outcome, always; and null, empty arrays, objects and strings are always errors there
    (json.html: FHIR JSON has none of them)."""
    for reference in ("Patient/devries-sanne", "CarePlan/devries-safety-plan",
                      "CareTeam/devries-careteam", "Observation/devries-score-1-sanne-nov05"):
        example = _example(reference)
        for key in example:
            broken = copy.deepcopy(example)
            broken[key] = value
            outcome = _checked(validate_resource(broken))
            if value in (None, "", [], {}) and value is not False:
                assert _rules(outcome), (reference, key)


@pytest.mark.parametrize("value", [(1, 2), {1, 2}, b"bytes", object(), Ellipsis])
def test_python_values_that_are_not_json(value):
    patient = _example("Patient/devries-sanne")
    patient["name"][0]["given"] = value
    _checked(validate_resource(patient))


json_with_everything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10) | st.sampled_from(
        ["resourceType", "extension", "url", "valueString", "meta", "profile", "contained",
         "entry", "resource", "coding", "system", "code", "reference", "id"]),
        children, max_size=5),
    max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(json_with_everything)
def test_generated_json_text_never_raises(value):
    _checked(validate_source(json.dumps(value)))  # NaN and Infinity included


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_generated_bytes_never_raise(data):
    _checked(validate_source(data))


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reference=st.sampled_from(sorted(load_package().examples)), data=st.data())
def test_mutated_examples_never_raise(reference, data):
    """A real example with values replaced at generated paths, as JSON text."""
    resource = _example(reference)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        node: Any = resource
        while isinstance(node, dict | list) and node and data.draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            child = node[data.draw(st.sampled_from(keys))]
            if not isinstance(child, dict | list) or not child:
                break
            node = child
        if isinstance(node, dict) and node:
            node[data.draw(st.sampled_from(list(node)))] = data.draw(json_with_everything)
        elif isinstance(node, list) and node:
            node[data.draw(st.integers(0, len(node) - 1))] = data.draw(json_with_everything)
    text = json.dumps(resource)
    cut = data.draw(st.sampled_from([None, len(text) // 2]))
    _checked(validate_source(text if cut is None else text[:cut]))


@pytest.mark.parametrize(("display", "reported"), [
    ("Score veiligheidsschaal", False),  # the display
    ("Safety scale score", False),  # the English designation
    ("score  VEILIGHEIDSSCHAAL", False),  # case and spacing do not matter
    ("Iets heel anders", True),
])
def test_display_of_a_guide_code(display, reported):
    score = _example("Observation/devries-score-1-sanne-nov05")
    score["code"]["coding"][0]["display"] = display
    found = ("regie-display", "https://fhir-regie.nl/fhir/CodeSystem/regie-observation-type",
             "Observation.code.coding[0].display")
    assert (found in _located(validate_resource(score))) is reported


@pytest.mark.parametrize("system", [["a"], {"a": 1}, 7, None])
def test_coding_system_of_the_wrong_type_is_a_type_error_not_a_crash(system):
    score = _example("Observation/devries-score-1-sanne-nov05")
    score["code"]["coding"][0]["system"] = system
    assert _checked(validate_resource(score))


def test_unknown_code_of_a_system_r4_defines():
    consent = _example("Consent/devries-consent-lotte")
    consent["provision"]["provision"][0]["class"] = [
        {"system": "http://hl7.org/fhir/resource-types", "code": "Observatie"}]
    assert ("regie-code-unknown", "http://hl7.org/fhir/resource-types",
            "Consent.provision.provision[0].class[0]") in _located(validate_resource(consent))
    consent["provision"]["provision"][0]["class"][0]["code"] = "Observation"
    assert _located(validate_resource(consent)) == set()


def test_full_url_must_end_in_the_type_and_id_of_its_resource():
    bundle = _household_bundle()
    assert _located(validate_resource(bundle)) == set()
    index = next(i for i, e in enumerate(bundle["entry"])
                 if e["resource"]["id"] == "devries-sanne")
    bundle["entry"][index]["resource"]["id"] = "devries-sanne-2"
    assert ("regie-bundle-full-url", "Bundle.entry.fullUrl", f"Bundle.entry[{index}]") in \
        _located(validate_resource(bundle))


def test_narrative_rules_at_every_depth():
    """txt-1 wherever a Narrative is: the resource's, a contained one's, a Bundle entry's."""
    bad = {"status": "generated",
           "div": '<div xmlns="http://www.w3.org/1999/xhtml"><script>x()</script>Sanne</div>'}
    patient = _example("Patient/devries-sanne")
    patient["text"] = bad
    assert _located(validate_resource(patient)) == {
        ("regie-narrative", "txt-1", "Patient.text.div")}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "https://fhir.gemeente-zwolle.example/fhir/Patient/devries-sanne",
         "resource": patient}]}
    assert ("regie-narrative", "txt-1", "Bundle.entry[0].resource.text.div") in _located(
        validate_resource(bundle))


@pytest.mark.parametrize("resource_type", ["", " ", "x" * 100_000, "Patient\n", "<script>"])
def test_resource_types_that_are_no_resource_type(resource_type):
    for resource in ({"resourceType": resource_type},
                     {"resourceType": resource_type, "a": {"a": {"a": {}}} | {"b": [[[[[1]]]]]}}):
        outcome = _checked(validate_resource(resource))
        assert [i["details"]["coding"][0]["code"] for i in outcome["issue"]] == [
            "regie-unknown-type"]
        assert len(outcome["issue"][0]["expression"][0]) <= 64


def test_unknown_profile_is_a_warning_unless_strict():
    """A profile outside every loaded package is not checked and says so (as the HL7
    validator does); --strict-profiles makes that an error. R4 core's own profiles are
    known and checked."""
    other = '{"resourceType": "Patient", "meta": {"profile": ["https://example.org/x"]}}'
    lenient = {(i["details"]["coding"][0]["code"], i["severity"])
               for i in validate_source(other)["issue"] if "details" in i}
    strict = {(i["details"]["coding"][0]["code"], i["severity"])
              for i in validate_source(other, strict_profiles=True)["issue"] if "details" in i}
    assert ("regie-unknown-profile", "warning") in lenient
    assert ("regie-unknown-profile", "error") in strict
    typo = validate_source('{"resourceType": "Patient", "meta": {"profile": ["'
                           + profile_url("regie-patiënt") + '"]}}')
    assert ("regie-unknown-profile", "error") in {
        (i["details"]["coding"][0]["code"], i["severity"]) for i in typo["issue"]
        if "details" in i}  # the guide's own namespace: an error always
    vital = {"resourceType": "Observation", "status": "final",
             "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
             "code": {"text": "lengte"}, "subject": {"reference": "Patient/x"},
             "effectiveDateTime": "2025-11-05"}
    found = {(i["details"]["coding"][0]["code"], i["expression"][0])
             for i in validate_resource(vital)["issue"] if i["severity"] == "error"}
    assert ("regie-min", "Observation") in found  # vitalsigns: category VSCat 1..1
    assert not any(code == "regie-unknown-profile" for code, _ in found)


def test_an_unknown_modifier_extension_is_always_an_error():
    """Whatever the url, with or without a profile: a receiver must not process what it
    cannot understand (extensibility.html#modifierExtension)."""
    for url in ("https://example.org/fhir/x", "https://zorg.example/StructureDefinition/x",
                "http://hl7.org/fhir/StructureDefinition/bestaat-niet"):
        outcome = validate_resource({"resourceType": "Basic", "code": {"text": "x"},
                                     "modifierExtension": [{"url": url, "valueBoolean": True}]})
        assert [(i["details"]["coding"][0]["code"], i["expression"][0])
                for i in outcome["issue"] if i["severity"] == "error"] == [
            ("regie-modifier-unknown", "Basic.modifierExtension[0]")]
