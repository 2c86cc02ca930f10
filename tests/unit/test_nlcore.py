"""The recorded nl-core (zib 2020) constraints do not contradict the regie-* profiles.

``src/fhir_regie/ig/nlcore.yaml`` records, per profile, the cardinalities nl-core's published
differentials set on elements our profile also constrains. Each range must overlap ours in the
compiled snapshot, or no resource could claim both profiles.
"""

from __future__ import annotations

from typing import Any

import pytest

from fhir_regie.ig import load_package, profile_url
from fhir_regie.ig.site import nlcore_alignment

ALIGNMENT = nlcore_alignment()
CASES = [(profile, *constraint) for profile, entry in ALIGNMENT["profiles"].items()
         for constraint in entry["constraints"]]


def _max(value: Any) -> float:
    return float("inf") if str(value) == "*" else float(value)


def overlaps(ours: tuple[int, str], theirs: tuple[int, str]) -> bool:
    return max(ours[0], theirs[0]) <= min(_max(ours[1]), _max(theirs[1]))


@pytest.mark.parametrize(("profile", "element", "low", "high"), CASES)
def test_cardinality_overlaps_nl_core(profile: str, element: str, low: int, high: str) -> None:
    definition = load_package().by_url(profile_url(profile))
    found = [e for e in definition["snapshot"]["element"] if e["id"] == element]
    assert found, f"{profile} has no element {element}"
    ours = (found[0]["min"], found[0]["max"])
    assert overlaps(ours, (low, high)), f"{profile} {element} {ours} vs nl-core {low}..{high}"


def test_the_overlap_check_can_fail() -> None:
    assert not overlaps((1, "1"), (0, "0"))
    assert not overlaps((2, "*"), (0, "1"))
    assert overlaps((1, "1"), (0, "*"))


def test_every_aligned_profile_exists_and_names_an_nl_core_profile() -> None:
    package = load_package()
    for profile, entry in ALIGNMENT["profiles"].items():
        assert package.by_url(profile_url(profile))["derivation"] == "constraint"
        assert entry["nlcore"].startswith("http://nictiz.nl/fhir/StructureDefinition/nl-core-")
        assert entry["mapping"]
