"""The core structure walk: one test per rule, each with a small Dutch resource that breaks exactly
that rule, asserting the message id and the FHIRPath location."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhir_regie.validation.outcome import Issue
from fhir_regie.validation.structure import (
    check_structure,
    core_constraints,
    is_resource_type,
)

SANNE: dict[str, Any] = {
    "resourceType": "Patient",
    "id": "devries-sanne",
    "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999990007"}],
    "name": [{"family": "de Vries", "given": ["Sanne"]}],
    "gender": "female",
    "birthDate": "1990-04-12",
    "address": [{"line": ["Klarendalseweg 101"], "city": "Arnhem", "postalCode": "6822 GD"}],
}

SCORE: dict[str, Any] = {
    "resourceType": "Observation",
    "id": "devries-score-1",
    "status": "final",
    "code": {"text": "Veiligheidsschaal"},
    "subject": {"reference": "Patient/devries-sanne"},
    "effectiveDateTime": "2024-11-05T10:30:00+01:00",
    "valueInteger": 4,
}

ACTION: dict[str, Any] = {
    "resourceType": "Task",
    "id": "devries-action-schuldhulp",
    "status": "in-progress",
    "intent": "plan",
    "description": "Aanmelding bij de schuldhulpverlening van de gemeente Arnhem",
    "for": {"reference": "Group/devries-household"},
}


def _found(resource: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i.message_id, i.expression) for i in check_structure(resource, "")]


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            changed.pop(key, None)
        else:
            changed[key] = value
    return changed


@pytest.mark.parametrize("resource", [SANNE, SCORE, ACTION])
def test_valid_resources_have_no_issues(resource):
    assert check_structure(resource, resource["resourceType"]) == []


def test_location_is_where_the_caller_says_the_resource_sits():
    broken = _with(SANNE, gender="vrouw")
    [found] = check_structure(broken, "Bundle.entry[3].resource")
    assert found.expression == "Bundle.entry[3].resource.gender"


# ----------------------------------------------------------------------- types and elements
def test_unknown_resource_type():
    assert _found({"resourceType": "Huishouden", "id": "devries"}) == [
        ("regie-unknown-type", "Huishouden")]


@pytest.mark.parametrize("abstract", ["Resource", "DomainResource"])
def test_abstract_resource_type_is_unknown(abstract):
    assert _found({"resourceType": abstract}) == [("regie-unknown-type", abstract)]


def test_not_a_resource():
    assert _found([SANNE]) == [("regie-not-resource", "$")]  # type: ignore[arg-type]


def test_unknown_element():
    assert _found(_with(SANNE, geboortedatum="1990-04-12")) == [
        ("regie-unknown-element", "Patient.geboortedatum")]


def test_unknown_element_inside_a_datatype():
    broken = _with(SANNE, name=[{"family": "de Vries", "roepnaam": "San"}])
    assert _found(broken) == [("regie-unknown-element", "Patient.name[0].roepnaam")]


def test_wrong_choice_suffix():
    broken = _with(SCORE, valueInteger=None, valueFoo=4)
    assert _found(broken) == [("regie-unknown-element", "Observation.valueFoo")]


def test_choice_type_not_allowed_for_the_element():
    # effective[x] allows dateTime, Period, Timing and instant; not date
    broken = _with(SCORE, effectiveDateTime=None, effectiveDate="2024-11-05")
    assert _found(broken) == [("regie-unknown-element", "Observation.effectiveDate")]


def test_two_types_of_one_choice_element():
    broken = _with(SCORE, valueString="vier")
    [found] = check_structure(broken, "Observation")
    assert (found.message_id, found.expression, found.source) == (
        "regie-max", "Observation", "Observation.value[x]")


def test_resource_type_only_at_a_resource_root():
    broken = _with(SANNE, name=[{"resourceType": "HumanName", "family": "de Vries"}])
    assert _found(broken) == [("regie-unknown-element", "Patient.name[0].resourceType")]


# --------------------------------------------------------------- primitive extension siblings
def test_primitive_extension_sibling_is_allowed():
    unknown_birth = {"extension": [{
        "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
        "valueCode": "asked-declined"}]}
    assert _found(_with(SANNE, birthDate=None, _birthDate=unknown_birth)) == []


def test_primitive_extension_sibling_in_an_array_lines_up_with_nulls():
    name = {"family": "de Vries", "given": [None, "Sanne"],
            "_given": [{"extension": [{"url": "http://example.org/roepnaam",
                                       "valueBoolean": True}]}, None]}
    assert _found(_with(SANNE, name=[name])) == []


def test_null_without_its_extension_is_refused():
    name = {"family": "de Vries", "given": [None, "Sanne"]}
    assert _found(_with(SANNE, name=[name])) == [("regie-json-type", "Patient.name[0].given[0]")]


def test_primitive_extension_sibling_of_a_complex_element():
    broken = _with(SANNE, _name=[{"extension": []}])
    assert _found(broken) == [("regie-unknown-element", "Patient._name")]


def test_primitive_extension_sibling_holds_only_id_and_extension():
    broken = _with(SANNE, _birthDate={"value": "1990-04-12"})
    assert _found(broken) == [("regie-unknown-element", "Patient._birthDate.value")]


def test_attribute_has_no_extension_sibling():
    # Extension.url is an attribute in JSON: no _url
    extension = {"url": "http://example.org/x", "_url": {"id": "a"}, "valueString": "ja"}
    assert _found(_with(SANNE, extension=[extension])) == [
        ("regie-unknown-element", "Patient.extension[0]._url")]


# -------------------------------------------------------------------------------- JSON shape
def test_single_value_where_an_array_is_required():
    broken = _with(SANNE, name={"family": "de Vries"})
    assert _found(broken) == [("regie-json-type", "Patient.name")]


def test_array_where_a_single_value_is_required():
    broken = _with(SANNE, gender=["female"])
    assert _found(broken) == [("regie-json-type", "Patient.gender")]


@pytest.mark.parametrize(("key", "value", "location"), [
    ("active", "true", "Patient.active"),  # boolean as a string
    ("birthDate", 19900412, "Patient.birthDate"),  # date as a number
    ("multipleBirthInteger", True, "Patient.multipleBirthInteger"),  # a boolean is no number
    ("multipleBirthInteger", 2.5, "Patient.multipleBirthInteger"),
    ("gender", None, "Patient.gender"),  # null
])
def test_wrong_json_type_for_a_primitive(key, value, location):
    broken = copy.deepcopy(SANNE)
    broken[key] = value
    assert _found(broken) == [("regie-json-type", location)]


def test_object_expected_for_a_complex_type():
    broken = _with(SCORE, subject="Patient/devries-sanne")
    assert _found(broken) == [("regie-json-type", "Observation.subject")]


@pytest.mark.parametrize(("change", "location"), [
    ({"managingOrganization": {}}, "Patient.managingOrganization"),
    ({"telecom": []}, "Patient.telecom"),
    ({"gender": ""}, "Patient.gender"),
    ({"name": [{"family": ""}]}, "Patient.name[0].family"),
])
def test_no_empty_objects_arrays_or_strings(change, location):
    assert _found(_with(SANNE, **change)) == [("regie-empty", location)]


# ----------------------------------------------------------------------------------- formats
@pytest.mark.parametrize(("resource", "key", "value", "type_name"), [
    (SANNE, "birthDate", "12-04-1990", "date"),
    (SANNE, "birthDate", "1990-02-30", "date"),  # no such day
    (SANNE, "birthDate", "1990-04-12T00:00:00", "date"),
    (SCORE, "effectiveDateTime", "2024-11-05T10:30:00", "dateTime"),  # a time needs a zone
    (SCORE, "issued", "2024-11-05", "instant"),
    (SCORE, "valueTime", "25:00:00", "time"),
    (SANNE, "id", "devries sanne", "id"),
    (SANNE, "id", "a" * 65, "id"),
    (SANNE, "implicitRules", "https://fhir-regie.nl/regels met spatie", "uri"),
    (SANNE, "language", "nl  NL", "code"),
    (SANNE, "multipleBirthInteger", 2**31, "integer"),
    (SCORE, "valueInteger", -(2**31) - 1, "integer"),
])
def test_primitive_formats(resource, key, value, type_name):
    broken = copy.deepcopy(resource)
    if key.startswith("value"):
        broken.pop("valueInteger", None)
    broken[key] = value
    issues = check_structure(broken, "")
    location = f"{resource['resourceType']}.{key}"
    assert [(i.message_id, i.expression) for i in issues] == [("regie-format", location)]
    assert dict(issues[0].values)["type"] == type_name
    # the value may be personal data: it never reaches the message
    for language in ("en", "nl"):
        assert str(value) not in issues[0].message(language)


@pytest.mark.parametrize(("path", "value", "type_name"), [
    ("positiveInt", 0, "positiveInt"),
    ("unsignedInt", -1, "unsignedInt"),
    ("decimal", math.inf, "decimal"),
    ("oid", "2.16.840.1.113883", "oid"),
    ("uuid", "urn:uuid:NIET-EEN-UUID", "uuid"),
    ("base64Binary", "SGFsbG8=x", "base64Binary"),
])
def test_formats_of_other_primitives_in_an_extension(path, value, type_name):
    key = "value" + path[:1].upper() + path[1:]
    extension = {"url": "https://fhir-regie.nl/fhir/StructureDefinition/test", key: value}
    issues = check_structure(_with(SANNE, extension=[extension]), "Patient")
    assert [(i.message_id, i.expression) for i in issues] == [
        ("regie-format", f"Patient.extension[0].{key}")]
    assert dict(issues[0].values)["type"] == type_name


@pytest.mark.parametrize(("key", "value"), [
    ("valuePositiveInt", 1), ("valueUnsignedInt", 0), ("valueDecimal", 1.5),
    ("valueOid", "urn:oid:2.16.840.1.113883.2.4.6.3"),
    ("valueUuid", "urn:uuid:6f1c3e2a-8d4b-4c7e-9a0f-2b5d8e1c4a7f"),
    ("valueBase64Binary", "SGFsbG8gQXJuaGVt"), ("valueInstant", "2024-11-05T10:30:00.123Z"),
    ("valueDate", "2024-02-29"), ("valueMarkdown", "**Let op**: \u00a0 alleen 's middags"),
])
def test_valid_formats_pass(key, value):
    extension = {"url": "https://fhir-regie.nl/fhir/StructureDefinition/test", key: value}
    assert _found(_with(SANNE, extension=[extension])) == []


def test_narrative_div_must_be_a_div():
    text = {"status": "generated", "div": "Sanne de Vries, geboren 12-04-1990"}
    issues = check_structure(_with(SANNE, text=text), "Patient")
    assert [(i.message_id, i.expression) for i in issues] == [("regie-format", "Patient.text.div")]
    assert "Sanne" not in issues[0].message()
    good = {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Sanne</div>'}
    assert _found(_with(SANNE, text=good)) == []


# ------------------------------------------------------------------------------ cardinality
def test_core_minimum():
    [found] = check_structure(_with(SCORE, status=None), "Observation")
    assert (found.message_id, found.expression, found.source) == (
        "regie-min", "Observation", "Observation.status")


def test_core_minimum_counts_a_primitive_extension_sibling():
    absent = {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                             "valueCode": "unknown"}]}
    assert _found(_with(SCORE, status=None, _status=absent)) == []


def test_core_minimum_inside_a_datatype():
    extension = {"valueString": "ja"}
    [found] = check_structure(_with(SANNE, extension=[extension]), "Patient")
    assert (found.message_id, found.expression, found.source) == (
        "regie-min", "Patient.extension[0]", "Extension.url")


def test_core_minimum_inside_a_backbone_element():
    broken = _with(ACTION, restriction={"repetitions": 1}, input=[{"valueString": "dossier"}])
    [found] = check_structure(broken, "Task")
    assert (found.message_id, found.expression, found.source) == (
        "regie-min", "Task.input[0]", "Task.input.type")


def test_content_reference_is_followed():
    bundle = {"resourceType": "Bundle", "type": "searchset",
              "entry": [{"link": [{"url": "https://fhir.example.nl/Patient/1"}],
                         "resource": SANNE}]}
    [found] = check_structure(bundle, "Bundle")
    assert (found.message_id, found.expression, found.source) == (
        "regie-min", "Bundle.entry[0].link[0]", "Bundle.link.relation")


def test_content_reference_recurses():
    questionnaire = {"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "1", "type": "group", "item": [
            {"linkId": "1.1", "type": "boolean", "item": [{"linkId": "1.1.1", "type": "ja"}]}]}]}
    assert _found(questionnaire) == [
        ("regie-binding", "Questionnaire.item[0].item[0].item[0].type")]


# ---------------------------------------------------------------------------- nested resources
def test_contained_resource_is_checked_as_its_own_type():
    organisation = {"resourceType": "Organization", "id": "wijkteam", "naam": "Wijkteam Arnhem"}
    broken = _with(SANNE, contained=[organisation])
    assert _found(broken) == [("regie-unknown-element", "Patient.contained[0].naam")]


def test_contained_resource_of_unknown_type():
    broken = _with(SANNE, contained=[{"resourceType": "Wijkteam", "id": "w"}])
    assert _found(broken) == [("regie-unknown-type", "Patient.contained[0]")]


def test_bundle_entry_resource_is_checked():
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": SANNE}, {"resource": _with(ACTION, status="bezig")}]}
    assert _found(bundle) == [("regie-binding", "Bundle.entry[1].resource.status")]


def test_bundle_entry_that_is_not_a_resource():
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": "Sanne"}]}
    assert _found(bundle) == [("regie-not-resource", "Bundle.entry[0].resource")]


def test_parameters_resource_is_checked():
    parameters = {"resourceType": "Parameters", "parameter": [
        {"name": "patient", "resource": _with(SANNE, birthDate="12-04-1990")}]}
    assert _found(parameters) == [
        ("regie-format", "Parameters.parameter[0].resource.birthDate")]


# --------------------------------------------------------------------------------- bindings
@pytest.mark.parametrize(("resource", "key", "code"), [
    (SANNE, "gender", "vrouw"),
    (SCORE, "status", "definitief"),
    (ACTION, "status", "bezig"),
    ({"resourceType": "Consent", "status": "actief", "scope": {"text": "privacy"},
      "category": [{"text": "toestemming"}]}, "status", "actief"),
])
def test_required_binding_on_a_code(resource, key, code):
    broken = copy.deepcopy(resource)
    broken[key] = code
    # errors only: the Consent's text-only scope and category draw extensible-binding warnings
    issues = [i for i in check_structure(broken, "") if i.severity == "error"]
    assert [(i.message_id, i.expression) for i in issues] == [
        ("regie-binding", f"{resource['resourceType']}.{key}")]
    assert code in issues[0].message()  # codes are no personal data; they help the reader


def test_required_binding_on_a_codeable_concept():
    concern = {"resourceType": "Condition", "subject": {"reference": "Patient/devries-sanne"},
               "clinicalStatus": {"coding": [{
                   "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                   "code": "lopend"}]}}
    assert _found(concern) == [("regie-binding", "Condition.clinicalStatus")]
    concern["clinicalStatus"]["coding"].append({
        "system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"})
    assert _found(concern) == []


def test_binding_code_from_another_system_does_not_count():
    concern = {"resourceType": "Condition", "subject": {"reference": "Patient/devries-sanne"},
               "clinicalStatus": {"coding": [{"system": "https://fhir-regie.nl/status",
                                              "code": "active"}]}}
    assert _found(concern) == [("regie-binding", "Condition.clinicalStatus")]


# ------------------------------------------------------------------------------ constraints
def test_core_constraints_per_path():
    patient = core_constraints("Patient")
    assert {"dom-2", "dom-3", "dom-4", "dom-5", "dom-6"} <= {c["key"] for c in patient["Patient"]}
    ele = next(c for c in patient["Patient.name"] if c["key"] == "ele-1")
    assert ele["severity"] == "error"
    assert ele["expression"] == "hasValue() or (children().count() > id.count())"
    assert "ext-1" in {c["key"] for c in core_constraints("Extension")["Extension"]}
    assert core_constraints("Huishouden") == {}


def test_resource_types():
    assert is_resource_type("Patient")
    assert not is_resource_type("DomainResource")
    assert not is_resource_type("HumanName")


# --------------------------------------------------------------------------- never raises
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                      st.text(max_size=12),
                      st.sampled_from(["", "female", "1990-04-12", "<div>x</div>", "Patient"]))
ELEMENT_NAMES = st.sampled_from([
    "resourceType", "id", "meta", "text", "div", "extension", "url", "valueString", "valueFoo",
    "_birthDate", "birthDate", "name", "given", "_given", "gender", "contained", "entry",
    "resource", "identifier", "value", "coding", "system", "code", "status", "item", "link",
    "parameter", "contact", "relationship", "reference", "clinicalStatus", "subject"])
json_tree = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(ELEMENT_NAMES, st.text(max_size=6)), children, max_size=5)),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(resource_type=st.sampled_from(["Patient", "Bundle", "Observation", "Questionnaire",
                                      "Condition", "Parameters", "Onbekend"]),
       body=st.dictionaries(ELEMENT_NAMES, json_tree, max_size=6))
def test_never_raises_on_any_json(resource_type, body):
    resource = {**body, "resourceType": resource_type}
    issues = check_structure(resource, resource_type)
    assert all(isinstance(i, Issue) for i in issues)
    assert all(i.expression.startswith(resource_type) for i in issues)
    for found in issues:
        found.message("en")
        found.message("nl")


@settings(max_examples=100, deadline=None)
@given(json_tree)
def test_never_raises_on_any_json_at_all(value):
    issues = check_structure(value, "$")
    assert issues  # nothing here is a resource
    json.dumps([i.expression for i in issues])


def test_non_string_keys_of_a_python_dict():
    assert _found({"resourceType": "Patient", 7: "zeven"}) == [("regie-unknown-element",
                                                               "Patient.7")]


def test_deep_nesting_is_an_issue_not_a_crash():
    resource: dict[str, Any] = {"resourceType": "Patient", "extension": []}
    node = resource
    for _ in range(500):
        child: dict[str, Any] = {"url": "http://example.org/x", "extension": []}
        node["extension"].append(child)
        node = child
    node["valueString"] = "diep"
    node.pop("extension")
    assert ("regie-structure" in {i.message_id for i in check_structure(resource, "Patient")})


# ----------------------------------------------------------- extensible core bindings (warnings)
V3 = "http://terminology.hl7.org/CodeSystem"


def _warnings(resource: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(i.message_id, i.source, i.expression) for i in check_structure(resource, "")
            if i.severity == "warning"]


@pytest.mark.parametrize(("marital", "expected"), [
    ({"coding": [{"system": f"{V3}/v3-MaritalStatus", "code": "M"}]}, []),
    ({"coding": [{"system": f"{V3}/v3-NullFlavor", "code": "UNK"}]}, []),  # in the set too
    ({"coding": [{"system": f"{V3}/v3-NullFlavor", "code": "NI"}]},
     [("regie-binding-extensible", "Patient.maritalStatus", "Patient.maritalStatus")]),
    ({"coding": [{"system": "https://example.org/burgerlijke-staat", "code": "getrouwd"}]},
     [("regie-binding-extensible", "Patient.maritalStatus", "Patient.maritalStatus")]),
    ({"coding": [{"system": "https://example.org/burgerlijke-staat", "code": "getrouwd"},
                 {"system": f"{V3}/v3-MaritalStatus", "code": "M"}]}, []),
    ({"text": "getrouwd"},
     [("regie-binding-no-code", "Patient.maritalStatus", "Patient.maritalStatus")]),
    ({"coding": [{"display": "getrouwd"}]}, []),  # no system and code: not judged
])
def test_extensible_core_binding_warns_when_no_coding_is_in_the_set(marital, expected):
    assert _warnings(_with(SANNE, maritalStatus=marital)) == expected
    assert [i for i in check_structure(_with(SANNE, maritalStatus=marital), "")
            if i.severity == "error"] == []  # extensible: never an error


def test_extensible_binding_inside_a_datatype():
    """Identifier.type (identifier-type, extensible) wherever an Identifier is used."""
    patient = copy.deepcopy(SANNE)
    patient["identifier"][0]["type"] = {"coding": [{"system": f"{V3}/v2-0203", "code": "XX"}]}
    assert _warnings(patient) == [
        ("regie-binding-extensible", "Identifier.type", "Patient.identifier[0].type")]
    patient["identifier"][0]["type"]["coding"][0]["code"] = "NIIP"
    assert _warnings(patient) == []


def test_extensible_binding_to_a_set_that_cannot_be_enumerated_judges_by_system():
    """consent-content-class imports IHE format codes (not in the core package): a coding
    from a system the set does not draw on is outside it; one from a system it draws on
    cannot be judged here and passes."""
    consent = {"resourceType": "Consent", "status": "active",
               "scope": {"coding": [{"system": f"{V3}/consentscope", "code": "patient-privacy"}]},
               "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
               "provision": {"class": [
                   {"system": "https://fhir-regie.nl/fhir/CodeSystem/regie-data-class",
                    "code": "health-data"},
                   {"system": "http://hl7.org/fhir/resource-types", "code": "Observation"}]}}
    assert _warnings(consent) == [("regie-binding-extensible", "Consent.provision.class",
                                   "Consent.provision.class[0]")]


def test_simple_quantity_has_no_comparator():
    """R4 core types Range.low and Observation.referenceRange.low as SimpleQuantity (sqty-1);
    a Quantity elsewhere may have a comparator."""
    observation = _with(SCORE, valueInteger=None, valueRange={"low": {"value": 2,
                                                                      "comparator": ">"}},
                        referenceRange=[{"high": {"value": 9, "comparator": "<"}}])
    found = [(i.source, i.expression) for i in check_structure(observation, "")
             if i.severity == "error"]
    assert found == [("sqty-1", "Observation.valueRange.low"),
                     ("sqty-1", "Observation.referenceRange[0].high")]
    observation = _with(SCORE, valueInteger=None, valueQuantity={"value": 2, "comparator": ">"})
    assert [i for i in check_structure(observation, "") if i.severity == "error"] == []
