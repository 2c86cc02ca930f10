"""Slice discriminators (value, pattern, exists, type, profile) and what the validator makes of
them: cardinality per slice, closed slicing, and slices it cannot tell apart left alone.

The guide itself slices only by value and pattern; R4 core's own profiles slice choice elements
by type (``bodyweight``: ``Observation.value[x]`` on ``$this``), and a Bundle profile would slice
its entries by profile. These tests give the validator small hand-written profiles of that kind
(FHIR R4 profiling.html#discriminator) in a copy of the guide's package.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fhir_regie.ig import IGPackage, load_package, profile_url
from fhir_regie.validation import validate_resource
from fhir_regie.validation.slicing import SliceContext, slice_test

TYPED = "https://fhir-regie.nl/fhir/StructureDefinition/test-typed-value"
BUNDLE = "https://fhir-regie.nl/fhir/StructureDefinition/test-household-bundle"
HOUSEHOLD = profile_url("regie-household")


def _element(element_id: str, minimum: int = 0, maximum: str = "*", **more: Any
             ) -> dict[str, Any]:
    path = ".".join(part.split(":")[0] for part in element_id.split("."))
    return {"id": element_id, "path": path, "min": minimum, "max": maximum,
            "base": {"path": path, "min": minimum, "max": maximum}, **more}


def _profile(url: str, resource_type: str, elements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "StructureDefinition", "url": url, "name": url.rsplit("/", 1)[1],
            "kind": "resource", "type": resource_type, "derivation": "constraint",
            "snapshot": {"element": [_element(resource_type), *elements]}}


def _typed_value_profile() -> dict[str, Any]:
    """Observation.value[x] as Quantity or string, sliced by type: a Quantity needs a unit, a
    string is not allowed twice (a choice holds one anyway) and a CodeableConcept never."""
    return _profile(TYPED, "Observation", [
        _element("Observation.value[x]", 0, "1",
                 type=[{"code": "Quantity"}, {"code": "string"}],
                 slicing={"discriminator": [{"type": "type", "path": "$this"}],
                          "rules": "open"}),
        _element("Observation.value[x]:valueQuantity", 0, "1", sliceName="valueQuantity",
                 type=[{"code": "Quantity"}]),
        _element("Observation.value[x]:valueQuantity.unit", 1, "1", type=[{"code": "string"}]),
        _element("Observation.value[x]:valueString", 0, "0", sliceName="valueString",
                 type=[{"code": "string"}]),
    ])


def _bundle_profile(rules: str = "open") -> dict[str, Any]:
    """A Bundle of one household: exactly one entry whose resource is a valid
    regie-household (profile discriminator), at least one Patient (type discriminator)."""
    return _profile(BUNDLE, "Bundle", [
        _element("Bundle.entry", 0, "*", slicing={"discriminator": [
            {"type": "profile", "path": "resource"}, {"type": "type", "path": "resource"}],
            "rules": rules}),
        _element("Bundle.entry:household", 1, "1", sliceName="household"),
        _element("Bundle.entry:household.resource", 1, "1",
                 type=[{"code": "Resource", "profile": [HOUSEHOLD]}]),
        _element("Bundle.entry:patient", 1, "*", sliceName="patient"),
        _element("Bundle.entry:patient.resource", 1, "1",
                 type=[{"code": "Patient", "profile": [
                     "http://hl7.org/fhir/StructureDefinition/Patient"]}]),
    ])


def _package(*profiles: dict[str, Any]) -> IGPackage:
    base = load_package()
    return IGPackage(manifest=base.manifest,
                     conformance={**base.conformance, **{p["url"]: p for p in profiles}},
                     examples=base.examples)


def _score(**value: Any) -> dict[str, Any]:
    observation = copy.deepcopy(load_package().get("Observation", "devries-sign-mark"))
    for key in [k for k in observation if k.startswith("value")]:
        del observation[key]
    observation.update(value)
    observation["meta"] = {"profile": [TYPED]}
    return observation


def _errors(outcome: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(message id, rule, location) of every error, in order."""
    return [(i["details"]["coding"][0]["code"], i["diagnostics"], i["expression"][0])
            for i in outcome["issue"] if i["severity"] in ("error", "fatal")]


# ----------------------------------------------------------------------- type discriminator
def test_type_slice_of_a_choice_element_checks_its_own_rules():
    package = _package(_typed_value_profile())
    missing_unit = _score(valueQuantity={"value": 7, "system": "http://unitsofmeasure.org",
                                         "code": "kg"})
    assert _errors(validate_resource(missing_unit, package=package)) == [
        ("regie-min", "Observation.value[x]:valueQuantity.unit", "Observation.valueQuantity")]
    missing_unit["valueQuantity"]["unit"] = "kg"
    assert _errors(validate_resource(missing_unit, package=package)) == []


def test_type_slice_with_maximum_zero_forbids_that_type():
    package = _package(_typed_value_profile())
    assert _errors(validate_resource(_score(valueString="zeven"), package=package)) == [
        ("regie-max", "Observation.value[x]:valueString", "Observation")]


def test_type_outside_the_choice_of_the_profile_is_named():
    package = _package(_typed_value_profile())
    found = _errors(validate_resource(_score(valueBoolean=True), package=package))
    assert found == [("regie-type", "Observation.value[x]", "Observation.valueBoolean")]
    [text] = [i["details"]["text"] for i in validate_resource(
        _score(valueBoolean=True), package=package)["issue"] if i["severity"] == "error"]
    assert "type boolean is not allowed here, only Quantity, string" in text


def test_type_discriminator_on_bundle_entries_counts_resource_types():
    package = _package(_bundle_profile())
    bundle = _household_bundle()
    assert _errors(validate_resource(bundle, package=package)) == []
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Patient"]
    assert ("regie-min", "Bundle.entry:patient", "Bundle") in _errors(
        validate_resource(bundle, package=package))


# -------------------------------------------------------------------- profile discriminator
def _household_bundle() -> dict[str, Any]:
    package = load_package()
    group = copy.deepcopy(package.get("Group", "household-de-vries"))
    group.pop("meta")  # the slice must be recognised by conformance, not by a claim
    sanne = copy.deepcopy(package.get("Patient", "devries-sanne"))
    return {"resourceType": "Bundle", "meta": {"profile": [BUNDLE]}, "type": "collection",
            "entry": [{"fullUrl": "https://fhir.gemeente-zwolle.example/fhir/Group/"
                                  "household-de-vries", "resource": group},
                      {"fullUrl": "https://fhir.gemeente-zwolle.example/fhir/Patient/"
                                  "devries-sanne", "resource": sanne}]}


def test_profile_discriminator_recognises_an_entry_by_conformance():
    package = _package(_bundle_profile())
    bundle = _household_bundle()
    assert _errors(validate_resource(bundle, package=package)) == []
    bundle["entry"][0]["resource"]["type"] = "animal"  # no longer a regie-household
    found = _errors(validate_resource(bundle, package=package))
    assert ("regie-min", "Bundle.entry:household", "Bundle") in found


def test_profile_discriminator_counts_matching_entries():
    package = _package(_bundle_profile())
    bundle = _household_bundle()
    bundle["entry"].append(copy.deepcopy(bundle["entry"][0]))
    bundle["entry"][2]["fullUrl"] = "urn:uuid:5b1f7c0e-3c9d-4f3e-9d8e-2a6b7c8d9e0f"
    assert ("regie-max", "Bundle.entry:household", "Bundle") in _errors(
        validate_resource(bundle, package=package))


def test_closed_slicing_reports_an_item_of_no_slice():
    package = _package(_bundle_profile(rules="closed"))
    bundle = _household_bundle()
    note = copy.deepcopy(load_package().get("Observation", "devries-sign-mark"))
    bundle["entry"].append({"fullUrl": "urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100",
                            "resource": note})
    assert ("regie-slice-closed", "Bundle.entry", "Bundle.entry[2]") in _errors(
        validate_resource(bundle, package=package))
    bundle["entry"].pop()
    assert _errors(validate_resource(bundle, package=package)) == []


# ------------------------------------------------------------------- the slice tests alone
def _elements(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in profile["snapshot"]["element"]}


def test_profile_discriminator_without_the_validator_cannot_tell():
    test = slice_test(_elements(_bundle_profile()), "Bundle.entry:household",
                      lambda url: "Group")
    assert test is not None
    assert test(({"resource": {"resourceType": "Group"}}, "Bundle.entry[0]"), None) is None
    context = SliceContext(lambda value, url: url == HOUSEHOLD and value["type"] == "person")
    group = {"resourceType": "Group", "type": "person"}
    assert test(({"resource": group}, "Bundle.entry[0]"), context) is True
    assert test(({"resource": {"resourceType": "Group", "type": "animal"}}, "Bundle.entry[1]"),
                context) is False


def test_profile_verdicts_are_asked_once_per_item():
    asked: list[str] = []
    context = SliceContext(lambda value, url: asked.append(url) or True)
    test = slice_test(_elements(_bundle_profile()), "Bundle.entry:household",
                      lambda url: "Group")
    assert test is not None
    entry = {"resource": {"resourceType": "Group"}}
    for _ in range(3):
        test((entry, "Bundle.entry[0]"), context)
    assert asked == [HOUSEHOLD]


@pytest.mark.parametrize(("kind", "path", "wanted", "item", "verdict"), [
    ("value", "system", {"fixedUri": "http://fhir.nl/fhir/NamingSystem/bsn"},
     {"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999990007"}, True),
    ("value", "system", {"fixedUri": "http://fhir.nl/fhir/NamingSystem/bsn"},
     {"system": "http://fhir.nl/fhir/NamingSystem/agb", "value": "1"}, False),
    ("pattern", "type", {"patternCodeableConcept": {"coding": [{"code": "NIIP"}]}},
     {"type": {"coding": [{"system": "x", "code": "NIIP"}], "text": "BSN"}}, True),
    ("exists", "period", {"min": 1}, {"period": {"start": "2026-01-01"}}, True),
    ("exists", "period", {"min": 1}, {"value": "1"}, False),
    ("exists", "period", {"min": 0}, {"value": "1"}, None),  # neither required nor forbidden
    ("type", "value", {"type": [{"code": "Reference"}]}, {"valueReference": {}}, True),
    ("type", "value", {"type": [{"code": "Reference"}]}, {"valueString": "x"}, False),
    ("value", "resolve().name", {"fixedString": "x"}, {}, None),  # a path we do not follow
])
def test_discriminators(kind, path, wanted, item, verdict):
    child = path.split(".")[0].replace("()", "")
    child_path = f"Identifier.{child}[x]" if kind == "type" else f"Identifier.{child}"
    elements = {
        "Identifier": _element("Identifier", slicing={
            "discriminator": [{"type": kind, "path": path}]}),
        "Identifier:one": _element("Identifier:one", sliceName="one"),
        f"Identifier:one.{child}" + ("[x]" if kind == "type" else ""): {
            "id": "x", "path": child_path, **wanted},
    }
    test = slice_test(elements, "Identifier:one")
    if verdict is None and test is None:
        return  # told at compile time: this slice cannot be told apart
    assert test is not None
    assert test((item, "Identifier[0]"), None) is verdict
