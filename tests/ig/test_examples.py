"""The example instances form complete, connected cases that cover the whole guide."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from fhir_regie.ig import CANONICAL, load_package
from tests.ig.conftest import example_files, load_json

HOUSEHOLDS = ("household-de-vries", "household-van-den-berg", "household-hv-0417")


def _references(value: Any, where: str = "") -> list[tuple[str, str]]:
    """(location, reference) of every literal reference inside a resource."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str):
            found.append((where, reference))
        for key, item in value.items():
            found.extend(_references(item, f"{where}.{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_references(item, f"{where}[{index}]"))
    return found


@pytest.fixture(scope="module")
def examples() -> dict[str, dict[str, Any]]:
    resources = [load_json(path) for path in example_files()]
    return {f"{r['resourceType']}/{r['id']}": r for r in resources}


def test_example_ids_are_unique():
    keys = Counter(f"{r['resourceType']}/{r['id']}" for r in map(load_json, example_files()))
    assert [key for key, count in keys.items() if count > 1] == []


def _resolves(reference: str, examples: dict) -> bool:
    """``Type/id`` is an example; ``Type/id/_history/n`` is an example of that version."""
    if "/_history/" not in reference:
        return reference in examples
    key, _, version = reference.partition("/_history/")
    return key in examples and examples[key].get("meta", {}).get("versionId") == version


def test_every_reference_points_to_an_example(examples):
    dangling = [
        f"{key}{where}: {reference}"
        for key, resource in examples.items()
        for where, reference in _references(resource)
        if not reference.startswith("#") and not _resolves(reference, examples)
    ]
    assert dangling == [], "references to no example:\n" + "\n".join(dangling)


def test_every_profile_has_an_example(examples):
    claimed = {url for r in examples.values() for url in r.get("meta", {}).get("profile", [])}
    profiles = {sd["url"] for sd in load_package().profiles()}
    assert profiles, "the guide defines no profiles"
    assert sorted(profiles - claimed) == []


def test_every_example_claims_a_profile_of_the_guide(examples):
    without = [key for key, r in examples.items()
               if not any(url.startswith(f"{CANONICAL}/StructureDefinition/")
                          for url in r.get("meta", {}).get("profile", []))
               and r["resourceType"] not in ("Organization", "Practitioner", "PractitionerRole")]
    assert without == []


@pytest.mark.parametrize("household", HOUSEHOLDS)
def test_each_case_is_complete(examples, household):
    """Each household has members, a care team, a support plan, a safety plan and consent."""
    group = examples[f"Group/{household}"]
    members = {m["entity"]["reference"] for m in group["member"]}
    subjects = {household, *(m.split("/", 1)[1] for m in members)}

    def about(resource: dict[str, Any]) -> bool:
        for field in ("subject", "for", "patient"):
            reference = resource.get(field, {}).get("reference", "")
            if reference.split("/", 1)[-1] in subjects:
                return True
        return False

    profiles = Counter(
        url.rsplit("/", 1)[-1]
        for r in examples.values() if about(r)
        for url in r.get("meta", {}).get("profile", [])
    )
    for profile in ("regie-care-team", "regie-support-plan", "regie-safety-plan",
                    "regie-sharing-consent", "regie-safety-scale-score", "regie-agreed-action"):
        assert profiles[profile] >= 1, f"{household} has no {profile}"
    assert len(members) >= 2


def test_strict_confidentiality_case_is_labelled_very_restricted(examples):
    """Case 3 (honour-related violence): every resource carries confidentiality V."""
    case = [r for key, r in examples.items() if r["id"].startswith(("hv0417", "household-hv"))]
    assert len(case) > 10
    unlabelled = [r["id"] for r in case
                  if not any(label.get("code") == "V"
                             for label in r.get("meta", {}).get("security", []))]
    assert unlabelled == []
