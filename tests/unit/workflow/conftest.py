"""Helpers: example households as editable copies, so variants never touch the guide."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from fhir_regie.demo import household_resources
from fhir_regie.ig import codesystem_url, extension_url, load_package, profile_url
from fhir_regie.workflow.household import Household
from fhir_regie.workflow.regions import RegionSettings, load_region

Resource = dict[str, Any]


def example_resources(household_id: str) -> dict[str, Resource]:
    """A deep copy of an example household's resources, keyed Type/id."""
    return copy.deepcopy(household_resources(load_package(), household_id))


def build(resources: dict[str, Resource], household_id: str) -> Household:
    return Household.from_resources(resources.values(), household_id)


def score(id_: str, plan: str, focus: str, when: str, who: str, value: int,
          note: str | None = "gedrag gezien") -> Resource:
    """A safety-scale score (note = the observed behaviour that justifies a 6 or more)."""
    resource: Resource = {
        "resourceType": "Observation", "id": id_,
        "meta": {"profile": [profile_url("regie-safety-scale-score")]}, "status": "final",
        "code": {"coding": [{"system": codesystem_url("regie-observation-type"),
                             "code": "safety-scale-score"}]},
        "focus": [{"reference": focus}], "basedOn": [{"reference": plan}],
        "effectiveDateTime": when, "performer": [{"reference": who}], "valueInteger": value}
    if note:
        resource["note"] = [{"text": note}]
    return resource


def log_entry(id_: str, when: str, kind: str) -> Resource:
    return {
        "resourceType": "Observation", "id": id_,
        "meta": {"profile": [profile_url("regie-safety-log-entry")]}, "status": "final",
        "code": {"coding": [{"system": codesystem_url("regie-observation-type"),
                             "code": "safety-log-entry"}]},
        "effectiveDateTime": when,
        "valueCodeableConcept": {"coding": [{"system": codesystem_url("regie-safety-log-kind"),
                                             "code": kind}]},
        "note": [{"text": "wat er gebeurde"}]}


def set_phase(plan: Resource, phase: str) -> None:
    for item in plan["extension"]:
        if item["url"] == extension_url("regie-routekaart-phase"):
            item["valueCodeableConcept"]["coding"][0]["code"] = phase


def add(resources: dict[str, Resource], *items: Resource) -> None:
    for item in items:
        resources[f"{item['resourceType']}/{item['id']}"] = item


@pytest.fixture
def default_region() -> RegionSettings:
    return load_region("default")


@pytest.fixture
def example() -> Callable[[str], dict[str, Resource]]:
    return example_resources
