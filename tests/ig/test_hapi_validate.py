"""HAPI's ``$validate`` with our package installed agrees with ``fhir-regie validate``.

Same verdict (valid = no issue of severity error or fatal) on every example of the guide and
every invalid fixture; for a fixture, HAPI's errors must also name the rule the fixture exists
to break (the invariant key, or the element/slice of a cardinality rule), so agreement is not
an accident of some other error.

Where the two may differ for a reason we accept, the file goes into ``KNOWN_DIFFERENCES`` with
that reason (docs/hapi.md). The list is strict: a listed file on which they agree fails, so the
list only ever holds real differences.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fhir_regie.client import FhirClient
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count
from tests.ig.conftest import example_files, invalid_fixture_files, load_json

INPUTS = example_files() + invalid_fixture_files()
# file name -> why HAPI's verdict differs from ours (none at present; see docs/hapi.md)
KNOWN_DIFFERENCES: dict[str, str] = {}


@pytest.fixture(scope="module")
def hapi(hapi_server: Any) -> FhirClient:
    return FhirClient(hapi_server.base_url, timeout=(5, 120))


def _errors(outcome: dict[str, Any]) -> list[str]:
    return [issue.get("diagnostics", "") for issue in outcome.get("issue", [])
            if issue.get("severity") in ("error", "fatal")]


def names_rule(diagnostics: str, rule: str, kind: str) -> bool:
    """Whether one of HAPI's messages reports ``rule`` (an invariant key or an element id).

    HAPI writes ``Constraint failed: rg-act-1: '...'`` for an invariant and
    ``Task.description: minimum required = 1`` or ``Slice 'Task.extension:route' ...`` for
    cardinality.
    """
    if kind == "invariant":
        return f"{rule}:" in diagnostics
    return f"{rule}:" in diagnostics or f"'{rule}'" in diagnostics


@pytest.mark.hapi
@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_verdict_as_fhir_regie_validate(hapi: FhirClient, path: Path) -> None:
    resource = load_json(path)
    ours_valid = error_count(validate_resource(resource)) == 0
    outcome = hapi.validate(resource, as_dict=True)
    errors = _errors(outcome)
    agree = ours_valid == (not errors)
    if path.name in KNOWN_DIFFERENCES:
        assert not agree, (f"{path.name} is listed as a known difference "
                           f"({KNOWN_DIFFERENCES[path.name]}) but HAPI now agrees: remove it")
        return
    assert agree, (f"{path.name}: fhir-regie says {'valid' if ours_valid else 'invalid'}, HAPI "
                   f"says {'valid' if not errors else 'invalid'}: " + "; ".join(errors[:5]))
    expected_path = path.with_name(f"{path.stem}.expected.json")
    if expected_path.exists():
        expected = load_json(expected_path)
        if expected.get("severity") == "warning":   # an advice rule: valid, and a warning
            warnings = [issue.get("diagnostics", "") for issue in outcome.get("issue", [])
                        if issue.get("severity") == "warning"]
            assert any(names_rule(w, expected["rule"], expected["kind"]) for w in warnings), (
                f"{path.name} must warn on {expected['rule']}, but HAPI said: "
                + "; ".join(warnings[:5]))
            return
        assert any(names_rule(e, expected["rule"], expected["kind"]) for e in errors), (
            f"{path.name} must fail on {expected['rule']} ({expected['reason']}), but HAPI "
            "said: " + "; ".join(errors[:5]))


def test_names_rule_reads_hapi_messages() -> None:
    assert names_rule("Constraint failed: rg-act-1: 'on hold needs a reason'", "rg-act-1",
                      "invariant")
    assert not names_rule("Constraint failed: rg-act-10: '...'", "rg-act-1", "invariant")
    assert names_rule("Task.description: minimum required = 1, but only found 0",
                      "Task.description", "cardinality")
    assert names_rule("Slice 'Task.extension:route' for extension '...': a matching slice is "
                      "required, but not found", "Task.extension:route", "cardinality")
    assert not names_rule("Task.descriptionX: minimum required = 1", "Task.description",
                          "cardinality")


def test_agreement_covers_every_example_and_fixture() -> None:
    assert len(example_files()) >= 100
    assert len(invalid_fixture_files()) >= 100
    assert set(KNOWN_DIFFERENCES) <= {p.name for p in INPUTS}
