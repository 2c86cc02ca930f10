"""The HL7 reference validator agrees with the guide: examples clean, invalid fixtures rejected.

One JVM validates every conformance resource, every example and every invalid fixture (the
validator is slow to start, fast once warm). In CI the validator must be present; elsewhere the
tests are skipped with the reason when Java or its Maven dependencies are missing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.ig.conftest import (
    ROOT,
    conformance_files,
    example_files,
    invalid_fixture_files,
    load_json,
)

ERRORS = ("error", "fatal")


def _package_tgz() -> Path:
    package = load_json(ROOT / "src" / "fhir_regie" / "ig" / "package" / "package.json")
    return ROOT / "dist" / f"{package['name']}-{package['version']}.tgz"


@pytest.fixture(scope="session")
def reference_results() -> dict[str, list[Any]]:
    from tools import hl7_validator

    ready, reason = hl7_validator.available()
    tgz = _package_tgz()
    if not tgz.exists():
        ready, reason = False, f"{tgz.name} not built (run `fhir-regie ig build`)"
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(f"HL7 reference validator required in CI: {reason}")
        pytest.skip(f"HL7 reference validator not available: {reason}")
    paths = conformance_files() + example_files() + invalid_fixture_files()
    results = hl7_validator.validate(paths, tgz)
    return {str(Path(k).resolve()): v for k, v in results.items()}


def _errors(results: dict[str, list[Any]], path: Path) -> list[Any]:
    key = str(path.resolve())
    assert key in results, f"the validator returned nothing for {path.name}"
    return [issue for issue in results[key] if issue.severity in ERRORS]


def _describe(issues: list[Any]) -> str:
    return "\n".join(f"  {i.severity} {i.location}: {i.message}" for i in issues)


@pytest.mark.parametrize("path", conformance_files(), ids=lambda p: p.stem)
def test_conformance_resource_is_valid(reference_results, path):
    errors = _errors(reference_results, path)
    assert not errors, f"{path.name}:\n{_describe(errors)}"


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_example_is_valid(reference_results, path):
    errors = _errors(reference_results, path)
    assert not errors, f"{path.name}:\n{_describe(errors)}"


def reports_rule(issue: Any, expected: dict[str, Any]) -> bool:
    """True when the validator's issue is the violation the fixture exists for."""
    rule = expected["rule"]
    message = issue.message
    if expected["kind"] == "invariant":
        return re.search(rf"(^|\W){re.escape(rule)}(\W|$)", message) is not None
    # Cardinality: the validator names the element (by id or by its last path step) with the
    # word minimum. A missing slice is also reported on the sliced element itself, whose
    # minimum is the sum of its slices' ("Group.member.extension" for ":role"): same problem.
    if "minimum" not in message.lower():
        return False
    last_step = rule.rsplit(".", 1)[-1].split(":")[-1].replace("[x]", "")
    unsliced = re.sub(r":[^.]+$", "", rule)
    return (rule in message or unsliced + ":" in message or f"{unsliced}:" in message
            or re.search(rf"\b{re.escape(unsliced)}\b", message) is not None
            or re.search(rf"\b{re.escape(last_step)}\b", message) is not None)


@pytest.mark.parametrize("path", invalid_fixture_files(), ids=lambda p: p.stem)
def test_invalid_fixture_fails_for_its_reason(reference_results, path):
    expected = load_json(path.with_name(path.stem + ".expected.json"))
    errors = _errors(reference_results, path)
    assert errors, f"{path.name} passed the reference validator but must break {expected['rule']}"
    matching = [issue for issue in errors if reports_rule(issue, expected)]
    assert matching, (
        f"{path.name} must fail on {expected['rule']} ({expected['reason']}), but the errors "
        f"were:\n{_describe(errors)}"
    )
    unrelated = [issue for issue in errors if issue not in matching]
    assert not unrelated, (
        f"{path.name} breaks more than {expected['rule']}:\n{_describe(unrelated)}"
    )
