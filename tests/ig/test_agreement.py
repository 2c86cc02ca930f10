"""Our validator and the HL7 reference validator give the same verdict on every input.

Valid means: no issue of severity error or fatal. The HL7 results come from the same single
JVM run the reference tests use (``reference_results``), so this costs no extra start-up.
Which rule each invalid fixture breaks is checked per validator in
``test_python_validator.py`` and ``test_reference_validator.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count
from tests.ig.conftest import example_files, invalid_fixture_files, load_json

INPUTS = example_files() + invalid_fixture_files()


def _ours_valid(path: Path) -> bool:
    return error_count(validate_resource(load_json(path))) == 0


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_verdict_as_the_reference(reference_results, path):
    theirs = [i for i in reference_results[str(path.resolve())] if i.is_error]
    ours_valid = _ours_valid(path)
    assert ours_valid == (not theirs), (
        f"{path.name}: ours says {'valid' if ours_valid else 'invalid'}, HL7 says "
        f"{'valid' if not theirs else 'invalid'}: "
        + "; ".join(f"{i.location}: {i.message}" for i in theirs[:5]))


def test_agreement_covers_every_example_and_fixture():
    assert len(example_files()) >= 100
    assert len(invalid_fixture_files()) >= 100
    assert len(INPUTS) == len(set(INPUTS))
