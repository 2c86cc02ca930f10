"""Every invariant and every required element the guide defines has an invalid fixture.

The rules are read from the compiled StructureDefinitions, so a new invariant or a tightened
cardinality without a fixture fails here, before anyone forgets it.
"""

from __future__ import annotations

from typing import Any

from tests.ig.conftest import INVALID, invalid_fixture_files, load_json

OUR_PREFIX = "rg-"


def _invariants(sd: dict[str, Any]) -> set[str]:
    keys = set()
    for element in sd.get("differential", {}).get("element", []):
        for constraint in element.get("constraint", []):
            if constraint.get("key", "").startswith(OUR_PREFIX):
                keys.add(constraint["key"])
    return keys


def _slice_discriminators(snapshot: list[dict[str, Any]]) -> set[str]:
    """Element ids that only select a slice: removing them changes the slice, not the count."""
    paths = set()
    for element in snapshot:
        slicing = element.get("slicing")
        if not slicing:
            continue
        for discriminator in slicing.get("discriminator", []):
            if discriminator.get("path") in ("url", "$this"):
                continue
            paths.add((element["path"], discriminator["path"]))
    selectors = set()
    for element in snapshot:
        if ":" not in element["id"]:
            continue
        for base_path, discriminator in paths:
            if element["path"] == f"{base_path}.{discriminator}":
                selectors.add(element["id"])
    return selectors


def _required_elements(sd: dict[str, Any]) -> set[str]:
    """Element ids the guide makes required where the base resource does not."""
    snapshot = sd.get("snapshot", {}).get("element", [])
    by_id = {e["id"]: e for e in snapshot}
    selectors = _slice_discriminators(snapshot)
    changed = {e["id"] for e in sd.get("differential", {}).get("element", [])}
    required = set()
    for element_id in changed:
        element = by_id.get(element_id)
        if element is None or element.get("min", 0) < 1:
            continue
        base_min = element.get("base", {}).get("min", 0)
        slice_with_min = ":" in element_id.rsplit(".", 1)[-1]
        if base_min >= 1 and not slice_with_min:
            continue
        if element_id in selectors or element_id.endswith(".url"):
            continue
        # A sliced element's minimum is the sum of its slices'; the slices' fixtures cover it.
        if "slicing" in element:
            continue
        # value[x] 1..1 on an extension restates the core rule ext-1 (value or extensions).
        if sd["type"] == "Extension" and element_id in ("Extension.value[x]",):
            continue
        if element_id.endswith(".value[x]") and element_id.startswith("Extension.extension:"):
            continue
        required.add(element_id)
    return required


def _defined_rules(structure_definitions: dict[str, dict[str, Any]]) -> set[tuple[str, str]]:
    rules = set()
    for url, sd in structure_definitions.items():
        rules |= {(url, key) for key in _invariants(sd)}
        rules |= {(url, element) for element in _required_elements(sd)}
    return rules


def _fixture_rules() -> set[tuple[str, str]]:
    rules = set()
    for path in invalid_fixture_files():
        expected = load_json(path.with_name(path.stem + ".expected.json"))
        rules.add((expected["definedIn"], expected["rule"]))
    return rules


def test_every_rule_has_an_invalid_fixture(structure_definitions):
    missing = _defined_rules(structure_definitions) - _fixture_rules()
    assert not missing, "rules without an invalid fixture:\n" + "\n".join(
        f"  {url.rsplit('/', 1)[-1]}: {rule}" for url, rule in sorted(missing)
    )


def test_every_fixture_names_a_rule_the_guide_defines(structure_definitions):
    unknown = _fixture_rules() - _defined_rules(structure_definitions)
    assert not unknown, f"fixtures for rules the guide does not define: {sorted(unknown)}"


def test_each_fixture_has_its_expected_outcome_beside_it():
    fixtures = invalid_fixture_files()
    assert len(fixtures) >= 100
    for path in fixtures:
        expected = path.with_name(path.stem + ".expected.json")
        assert expected.exists(), f"{path.name} has no expected outcome beside it"
        outcome = load_json(expected)
        assert outcome["kind"] in ("invariant", "cardinality")
        assert outcome["expression"].split(".")[0] == load_json(path)["resourceType"]


def test_coverage_detector_sees_a_rule_without_fixture(structure_definitions):
    """The coverage check itself must be able to fail: drop one fixture and it notices."""
    rules = _fixture_rules()
    some_rule = sorted(rules)[0]
    assert some_rule in _defined_rules(structure_definitions)
    assert _defined_rules(structure_definitions) - (rules - {some_rule}) == {some_rule}


def test_generated_fixtures_are_up_to_date():
    import tools.invalid_fixtures as generator

    files = generator.render_all(generator.load_examples())
    stale = [name for name, text in files.items()
             if (INVALID / name).read_text(encoding="utf-8") != text]
    assert not stale, f"run `python tools/invalid_fixtures.py`: stale {stale}"
