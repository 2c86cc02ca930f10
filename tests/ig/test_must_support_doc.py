"""docs/ig/must-support.md lists, per profile, exactly the elements the compiled package marks
must-support and the ones it requires (issue 28 item 7: say in each profile what is MS)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from fhir_regie.ig import load_package

DOC = Path(__file__).resolve().parents[2] / "docs" / "ig" / "must-support.md"


def _profiles() -> list[dict[str, Any]]:
    return sorted((r for r in load_package().conformance.values()
                   if r["resourceType"] == "StructureDefinition" and r.get("kind") == "resource"
                   and r.get("derivation") == "constraint"), key=lambda r: r["id"])


def _must_support(sd: dict[str, Any]) -> list[str]:
    return [e["id"].split(".", 1)[1] for e in sd["snapshot"]["element"]
            if "." in e["id"] and e.get("mustSupport")]


def _documented() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for section in DOC.read_text(encoding="utf-8").split("\n## ")[1:]:
        profile = re.match(r"`([^`]+)`", section)
        line = next((row for row in section.splitlines() if row.startswith("- must-support:")),
                    "")
        if profile:
            found[profile.group(1)] = re.findall(r"`([^`]+)`", line)
    return found


def test_every_profile_has_a_section() -> None:
    assert sorted(_documented()) == [sd["id"] for sd in _profiles()]


@pytest.mark.parametrize("sd", _profiles(), ids=lambda sd: sd["id"])
def test_the_must_support_list_is_the_package_s(sd: dict[str, Any]) -> None:
    assert _documented().get(sd["id"]) == _must_support(sd)
