"""The validator's API: ``Validator.iter_issues`` yields issues as values (message id, structured
path, the rule they came from), the OperationOutcome is their rendering, and the caches a
Validator owns are bounded (STYLE.md, "Errors")."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fhir_regie.ig import load_package, profile_url
from fhir_regie.model.errors import InvalidResourceError
from fhir_regie.validation import (
    Issue,
    Validator,
    iter_issues,
    parse_path,
    render_path,
    to_operation_outcome,
    validate_resource,
    validate_source,
    validator_for,
)
from fhir_regie.validation.engine import _Bounded


def _example(reference: str) -> dict[str, Any]:
    resource_type, resource_id = reference.split("/")
    return copy.deepcopy(load_package().get(resource_type, resource_id))


def _errors(found: list[Issue]) -> list[Issue]:
    return [i for i in found if i.is_error]


def test_issue_path_message_id_and_rule_of_a_missing_element():
    task = _example("Task/devries-action-schuldhulp")
    del task["owner"]
    [found] = _errors(list(Validator().iter_issues(task)))
    assert found.message_id == "regie-min"
    assert found.path == ("Task",)
    assert found.expression == "Task"
    assert found.source == "Task.owner"  # the profile element it came from
    assert (found.severity, found.code) == ("error", "required")


def test_issue_path_has_indexes_as_integers():
    patient = _example("Patient/devries-sanne")
    patient["identifier"][0]["system"] = "not a uri with spaces"
    found = [i for i in iter_issues(patient) if i.message_id == "regie-format"]
    assert [i.path for i in found] == [("Patient", "identifier", 0, "system")]
    assert [i.expression for i in found] == ["Patient.identifier[0].system"]


def test_bundle_entry_issues_have_paths_from_the_bundle():
    patient = _example("Patient/devries-sanne")
    del patient["birthDate"]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:00000000-0000-4000-8000-000000000001", "resource": patient},
        {"resource": "not a resource"}]}
    assert [(i.message_id, i.path, i.source) for i in _errors(list(iter_issues(bundle)))] == [
        ("regie-not-resource", ("Bundle", "entry", 1, "resource"), ""),
        ("regie-invariant", ("Bundle", "entry", 0, "resource"), "rg-pat-1"),
    ]


@pytest.mark.parametrize(("source", "message_id"), [
    ("{", "regie-json"),
    ("[1]", "regie-not-resource"),
])
def test_input_that_is_not_a_resource_is_one_fatal_issue_without_a_path(source, message_id):
    [found] = list(Validator().iter_source_issues(source))
    assert (found.severity, found.message_id, found.path, found.expression) == (
        "fatal", message_id, (), "$")


def test_outcome_is_the_rendering_of_the_issues():
    patient = _example("Patient/devries-sanne")
    patient["birthDate"] = "2019-02-30"
    found = list(iter_issues(patient))
    assert "regie-format" in {i.message_id for i in found}
    assert validate_resource(patient) == to_operation_outcome(found)
    text = '{"resourceType": "Patient", "gender": NaN}'
    assert validate_source(text) == to_operation_outcome(
        list(Validator().iter_source_issues(text)))


@pytest.mark.parametrize("expression", [
    "Patient", "Patient.identifier[0].system", "Bundle.entry[12].resource.meta.profile[0]",
    "Observation.value.ofType(Quantity)",
])
def test_path_renders_back_to_its_expression(expression):
    assert render_path(parse_path(expression)) == expression
    assert all(isinstance(step, int) for step in parse_path(expression)
               if str(step).isdigit())


def test_every_path_the_validator_reports_on_the_guide_examples_renders_back():
    seen = 0
    for resource in list(load_package().examples.values()):
        broken = copy.deepcopy(resource)
        broken["unknownElement"] = [{"x": 1}]
        for found in iter_issues(broken):
            assert render_path(found.path) == found.expression, found
            seen += 1
    assert seen >= len(load_package().examples)


def test_profile_cache_is_bounded_and_results_do_not_depend_on_it():
    package = load_package()
    claimed = [r for r in package.examples.values() if r.get("meta", {}).get("profile")]
    profiles = {r["meta"]["profile"][0] for r in claimed}
    assert len(profiles) > 3
    small = Validator(package, cache_size=2)
    for resource in claimed:
        assert list(small.iter_issues(resource)) == list(iter_issues(resource))
        info = small.cache_info()
        assert info["snapshots"] <= 2
        assert info["invariants"] <= 2
    assert small.cache_info()["size"] == 2
    assert validator_for().cache_info()["snapshots"] > 2  # the default keeps all of the guide's


def test_bounded_map_evicts_the_least_recently_used():
    cache = _Bounded(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)
    with pytest.raises(ValueError, match="at least one"):
        _Bounded(0)


def test_another_definition_under_the_same_url_is_not_served_from_the_cache():
    validator = Validator()
    profile = validator.definitions.by_url(profile_url("regie-patient"))
    changed = copy.deepcopy(profile)
    changed["snapshot"]["element"] = changed["snapshot"]["element"][:1]
    assert validator.snapshot(profile) is validator.snapshot(profile)
    assert set(validator.snapshot(changed).elements) == {"Patient"}
    assert len(validator.snapshot(profile).elements) > 1


def test_a_package_keeps_one_validator():
    assert validator_for() is validator_for(load_package())
    assert validator_for() is not Validator()


def test_builder_error_carries_the_issues_with_their_paths():
    from fhir_regie.model import patient

    with pytest.raises(InvalidResourceError) as caught:
        patient(given="Sanne", family="de Vries", birth_date="1990-04-12", bsn="123456789")
    assert [(i.source, i.path) for i in caught.value.issues if i.is_error] == [
        ("rg-bsn-1", ("Patient", "identifier", 0))]
    assert caught.value.outcome == to_operation_outcome(list(caught.value.issues))
