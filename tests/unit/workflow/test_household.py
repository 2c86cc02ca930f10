"""The household index: recognition by profile or by fixed codes, members, contributions."""

from __future__ import annotations

from datetime import date

import pytest

from fhir_regie.workflow.household import Household, HouseholdError, contributions

from .conftest import build, example_resources


def test_recognises_resources_without_meta_profile():
    resources = example_resources("household-van-den-berg")
    for resource in resources.values():
        resource.pop("meta", None)
    household = build(resources, "household-van-den-berg")
    assert len(household.of_profile("regie-meldcode-step")) == 5
    assert len(household.of_profile("regie-signal")) == 4
    assert [p["id"] for p in household.of_profile("regie-safety-plan")] == ["vdberg-safety-plan"]
    assert len(household.of_profile("regie-agreed-action")) == 3


def test_members_with_roles_flags_and_ages():
    household = build(example_resources("household-hv-0417"), "household-hv-0417")
    first = household.members()[0]
    assert (first.reference, first.role, first.flags, first.inactive) == (
        "Patient/hv0417-s", "child", ("most-vulnerable-adult",), True)
    assert first.age_on(date(2026, 11, 25)) == 19


def test_one_group_is_found_without_an_id_and_several_need_one():
    resources = example_resources("household-de-vries")
    assert Household.from_resources(resources.values()).id == "household-de-vries"
    resources.update(example_resources("household-hv-0417"))
    with pytest.raises(HouseholdError, match="expected one household Group, found 2"):
        Household.from_resources(resources.values())
    with pytest.raises(HouseholdError, match="Group/nope is not among"):
        Household.from_resources(resources.values(), "nope")


def test_contributions_of_people():
    household = build(example_resources("household-de-vries"), "household-de-vries")
    found = contributions(household, {"Patient/devries-lotte"})
    assert found == [(date(2026, 11, 1), "Patient/devries-lotte",
                      "Observation/devries-log-good-moment")]


def test_absolute_and_versioned_references_resolve():
    resources = example_resources("household-de-vries")
    resources["Task/devries-agreement-daan"]["for"] = {
        "reference": "https://server.example/fhir/Patient/devries-daan/_history/3"}
    household = build(resources, "household-de-vries")
    assert household.resolve(resources["Task/devries-agreement-daan"]["for"])["id"] == \
        "devries-daan"
