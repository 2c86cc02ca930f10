"""The Python validator agrees with the guide on every example and every invalid fixture.

Every example is clean; every invalid fixture fails with exactly the rule it exists for, at the
FHIRPath location its expected outcome names, and with nothing else.
"""

from __future__ import annotations

from typing import Any

import pytest

from fhir_regie.validation import validate_resource
from tests.ig.conftest import example_files, invalid_fixture_files, load_json

ERRORS = ("error", "fatal")


def _errors(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    return [issue for issue in outcome["issue"] if issue["severity"] in ERRORS]


def _describe(issues: list[dict[str, Any]]) -> str:
    return "\n".join(f"  {i['expression'][0]}: {i['details']['text']} [{i['diagnostics']}]"
                     for i in issues)


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_example_is_valid(path):
    errors = _errors(validate_resource(load_json(path)))
    assert not errors, f"{path.name}:\n{_describe(errors)}"


@pytest.mark.parametrize("path", invalid_fixture_files(), ids=lambda p: p.stem)
def test_invalid_fixture_fails_for_its_reason(path):
    expected = load_json(path.with_name(path.stem + ".expected.json"))
    outcome = validate_resource(load_json(path))
    errors = _errors(outcome)
    if expected.get("severity") == "warning":
        # An advice rule: the resource is valid, and the rule is reported as a warning there.
        assert not errors, f"{path.name} is only advice but has errors:\n{_describe(errors)}"
        warned = [[i["expression"][0]] for i in outcome["issue"]
                  if i["severity"] == "warning" and i["diagnostics"] == expected["rule"]]
        assert [expected["expression"]] in warned, (
            f"{path.name} must warn on {expected['rule']} at {expected['expression']}; "
            f"warnings: {warned}")
        return
    reported = [issue for issue in errors if issue["diagnostics"] == expected["rule"]]
    assert reported, (f"{path.name} must fail on {expected['rule']} ({expected['reason']}); "
                      f"errors:\n{_describe(errors)}")
    assert [expected["expression"]] in [issue["expression"] for issue in reported], (
        f"{path.name}: {expected['rule']} reported at {[i['expression'] for i in reported]}, "
        f"expected at {expected['expression']}")
    others = [issue for issue in errors if issue not in reported
              and issue["diagnostics"] not in expected.get("alsoBreaks", [])]
    assert not others, f"{path.name} breaks more than {expected['rule']}:\n{_describe(others)}"
