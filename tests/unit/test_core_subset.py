"""tools/core_subset.py: the R4 core distilled into package data, deterministic, with a drift
check; value sets expanded locally or listed as not enumerable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tools import core_subset

HL7 = "http://hl7.org/fhir"
FHIR_TYPE = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"


def _write(folder: Path, resource: dict[str, Any]) -> None:
    name = f"{resource['resourceType']}-{resource['id']}.json"
    (folder / name).write_text(json.dumps(resource), encoding="utf-8")


def _primitive(name: str, regex: str) -> dict[str, Any]:
    return {"resourceType": "StructureDefinition", "id": name, "type": name,
            "url": f"{HL7}/StructureDefinition/{name}", "kind": "primitive-type",
            "derivation": "specialization", "snapshot": {"element": [
                {"path": name, "min": 0, "max": "*"},
                {"path": f"{name}.value", "min": 0, "max": "1", "type": [{
                    "code": "http://hl7.org/fhirpath/System.String", "extension": [
                        {"url": FHIR_TYPE, "valueUrl": name},
                        {"url": core_subset.REGEX, "valueString": regex}]}]}]}}


@pytest.fixture
def core(tmp_path: Path) -> Path:
    """A miniature core package: one resource, two primitives, a hierarchical code system,
    value sets of every expansion kind."""
    folder = tmp_path / "package"
    folder.mkdir()
    _write(folder, _primitive("code", r"[^\s]+(\s[^\s]+)*"))
    _write(folder, _primitive("date", r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"))
    _write(folder, {
        "resourceType": "StructureDefinition", "id": "Patient", "type": "Patient",
        "url": f"{HL7}/StructureDefinition/Patient", "kind": "resource",
        "derivation": "specialization", "snapshot": {"element": [
            {"path": "Patient", "min": 0, "max": "*", "constraint": [
                {"key": "dom-2", "severity": "error", "human": "no nested contained",
                 "expression": "contained.contained.empty()", "xpath": "not(...)"}]},
            {"path": "Patient.id", "min": 0, "max": "1", "type": [{
                "code": "http://hl7.org/fhirpath/System.String",
                "extension": [{"url": FHIR_TYPE, "valueUrl": "string"}]}]},
            {"path": "Patient.gender", "min": 0, "max": "1", "type": [{"code": "code"}],
             "binding": {"strength": "required", "valueSet": f"{HL7}/ValueSet/gender|4.0.1"}},
            {"path": "Patient.kind", "min": 1, "max": "1", "type": [{"code": "code"}],
             "binding": {"strength": "required", "valueSet": f"{HL7}/ValueSet/kinds"}},
            {"path": "Patient.language", "min": 0, "max": "1", "type": [{"code": "code"}],
             "binding": {"strength": "required", "valueSet": f"{HL7}/ValueSet/languages"}},
            {"path": "Patient.deceased[x]", "min": 0, "max": "1",
             "type": [{"code": "boolean"}, {"code": "dateTime"}]},
            {"path": "Patient.link", "min": 0, "max": "*", "contentReference": "#Patient.x"},
            {"path": "Patient.other", "min": 0, "max": "1", "type": [{
                "code": "Reference", "targetProfile": [f"{HL7}/StructureDefinition/Patient"]}],
             "binding": {"strength": "extensible", "valueSet": f"{HL7}/ValueSet/ignored"}},
            {"path": "Patient.maritalStatus", "min": 0, "max": "1",
             "type": [{"code": "CodeableConcept"}],
             "binding": {"strength": "extensible", "valueSet": f"{HL7}/ValueSet/not-other"}},
            {"path": "Patient.low", "min": 0, "max": "1", "type": [{
                "code": "Quantity", "profile": [f"{HL7}/StructureDefinition/SimpleQuantity"]}]},
            {"path": "Patient.photo", "min": 0, "max": "*", "type": [{"code": "Attachment"}],
             "binding": {"strength": "preferred", "valueSet": f"{HL7}/ValueSet/languages"}},
        ]}})
    _write(folder, {"resourceType": "StructureDefinition", "id": "vitals", "type": "Patient",
                    "url": f"{HL7}/StructureDefinition/vitals", "kind": "resource",
                    "derivation": "constraint", "snapshot": {"element": []}})
    _write(folder, {"resourceType": "CodeSystem", "id": "gender", "url": f"{HL7}/gender",
                    "content": "complete", "caseSensitive": True, "concept": [
                        {"code": "female"}, {"code": "male"},
                        {"code": "other", "concept": [{"code": "unknown"}]}]})
    _write(folder, {"resourceType": "ValueSet", "id": "gender", "url": f"{HL7}/ValueSet/gender",
                    "compose": {"include": [{"system": f"{HL7}/gender"}],
                                "exclude": [{"system": f"{HL7}/gender",
                                             "concept": [{"code": "male"}]}]}})
    _write(folder, {"resourceType": "ValueSet", "id": "other", "url": f"{HL7}/ValueSet/other",
                    "compose": {"include": [{"system": f"{HL7}/gender", "filter": [
                        {"property": "concept", "op": "is-a", "value": "other"}]}]}})
    _write(folder, {"resourceType": "ValueSet", "id": "not-other",
                    "url": f"{HL7}/ValueSet/not-other",
                    "compose": {"include": [{"system": f"{HL7}/gender", "filter": [
                        {"property": "concept", "op": "is-not-a", "value": "other"}]}]}})
    _write(folder, {"resourceType": "ValueSet", "id": "kinds", "url": f"{HL7}/ValueSet/kinds",
                    "compose": {"include": [{"valueSet": [f"{HL7}/ValueSet/other"]}]}})
    _write(folder, {"resourceType": "ValueSet", "id": "languages",
                    "url": f"{HL7}/ValueSet/languages",
                    "compose": {"include": [{"system": "urn:ietf:bcp:47"}]}})
    return folder


def test_elements_types_and_constraints(core):
    subset = core_subset.build(core)
    assert set(subset["types"]) == {"Patient"}  # the vitals profile stays out
    elements = subset["types"]["Patient"]["elements"]
    assert elements["Patient.id"]["types"] == [{"code": "id", "attribute": True}]
    assert elements["Patient.deceased[x]"]["types"] == ["boolean", "dateTime"]
    assert elements["Patient.link"]["contentReference"] == "#Patient.x"
    assert elements["Patient.other"]["types"] == [{"code": "Reference", "targets": ["Patient"]}]
    assert elements["Patient.low"]["types"] == [{"code": "Quantity", "profile": "SimpleQuantity"}]
    # required and extensible bindings; preferred and example ones mean nothing to validation
    assert "binding" not in elements["Patient.other"]
    assert elements["Patient.other"]["extensible"] == f"{HL7}/ValueSet/ignored"
    assert elements["Patient.maritalStatus"]["extensible"] == f"{HL7}/ValueSet/not-other"
    assert set(elements["Patient.photo"]) == {"min", "max", "types"}
    assert elements["Patient.gender"]["binding"] == f"{HL7}/ValueSet/gender"
    [index] = elements["Patient"]["constraints"]
    assert subset["constraints"][index] == {"key": "dom-2", "severity": "error",
                                            "human": "no nested contained",
                                            "expression": "contained.contained.empty()"}
    assert subset["primitives"]["date"] == {"json": "string",
                                            "regex": "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"}


def test_value_sets_expanded_locally(core):
    subset = core_subset.build(core)
    # whole system with nested concepts, minus an exclusion
    assert subset["valueSets"][f"{HL7}/ValueSet/gender"] == {
        f"{HL7}/gender": ["female", "other", "unknown"]}
    # an import of an is-a filter
    assert subset["valueSets"][f"{HL7}/ValueSet/kinds"] == {f"{HL7}/gender": ["other", "unknown"]}
    # is-not-a: the system less the concept and what lies below it
    assert subset["valueSets"][f"{HL7}/ValueSet/not-other"] == {
        f"{HL7}/gender": ["female", "male"]}
    assert subset["notEnumerable"] == {
        f"{HL7}/ValueSet/languages": "code system urn:ietf:bcp:47 is not defined in the core "
                                     "package",
        f"{HL7}/ValueSet/ignored": "value set not in the core package"}
    # not enumerable, but a coding from another system is outside it all the same
    assert subset["valueSetSystems"] == {f"{HL7}/ValueSet/languages": ["urn:ietf:bcp:47"]}


def test_codes_of_the_systems_fhir_defines(core):
    _write(core, {"resourceType": "CodeSystem", "id": "tho", "content": "complete",
                  "caseSensitive": True, "url": "http://terminology.hl7.org/CodeSystem/tho",
                  "concept": [{"code": "a"}]})
    _write(core, {"resourceType": "CodeSystem", "id": "part", "content": "fragment",
                  "caseSensitive": True, "url": f"{HL7}/part", "concept": [{"code": "a"}]})
    # complete and case-sensitive, defined by FHIR itself or by HL7 Terminology (the core
    # package's copies, issue 19); fragments out
    assert core_subset.build(core)["codeSystems"] == {
        f"{HL7}/gender": ["female", "male", "other", "unknown"],
        "http://terminology.hl7.org/CodeSystem/tho": ["a"]}


def test_output_is_deterministic(core):
    assert core_subset.render(core_subset.build(core)) == core_subset.render(
        core_subset.build(core))


def test_drift_check(core, tmp_path, capsys):
    output = tmp_path / "r4core.json"
    shipped = core_subset.DEFINITIONS_OUTPUT.read_bytes()
    assert core_subset.main(["--core", str(core), "--output", str(output)]) == 0
    # both files are written beside --output; the checkout's package data stays as it was
    assert (tmp_path / "r4definitions.json").exists()
    assert core_subset.DEFINITIONS_OUTPUT.read_bytes() == shipped
    assert core_subset.main(["--core", str(core), "--output", str(output), "--check"]) == 0
    (core / "CodeSystem-gender.json").write_text(json.dumps({
        "resourceType": "CodeSystem", "id": "gender", "url": f"{HL7}/gender",
        "content": "complete", "concept": [{"code": "female"}]}), encoding="utf-8")
    assert core_subset.main(["--core", str(core), "--output", str(output), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err


def test_missing_core_package_is_a_clear_message(tmp_path, capsys):
    assert core_subset.main(["--core", str(tmp_path), "--output",
                             str(tmp_path / "x.json")]) == 2
    assert "tools/fhir_cache.py" in capsys.readouterr().err

