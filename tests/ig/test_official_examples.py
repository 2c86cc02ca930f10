"""Our validator against the HL7 reference validator's recorded verdicts on the official R4
examples (content this project did not write), in Python only: no JVM on this path.

The recording (``tests/ig/agreement/r4-examples.json``) is written by ``tools/agreement.py
record`` from one offline HL7 run; ``compare --update`` stores which files we disagree on and
the measured agreement. This test fails when the agreement drops below that level, or when a
file we agreed on before now disagrees. The remaining differences and their causes are listed
in docs/development.md ("Agreement on the official R4 examples").
"""

from __future__ import annotations

import json
import os

import pytest

from tools.agreement import RECORDING, compare, example_files, ours_verdicts


@pytest.fixture(scope="module")
def recording() -> dict:
    return json.loads(RECORDING.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def comparison(recording: dict) -> dict:
    files = [p for p in example_files() if p.name in recording["files"]]
    if not files:
        reason = "hl7.fhir.r4.examples#4.0.1 is not in the FHIR package cache " \
                 "(run `python tools/fhir_cache.py`)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    ours, _ = ours_verdicts(files)
    return compare(recording, ours)


def test_the_recording_covers_the_package(recording: dict):
    files = example_files()
    if not files:
        pytest.skip("hl7.fhir.r4.examples#4.0.1 is not in the FHIR package cache")
    names = {p.name for p in files}
    assert set(recording["files"]) <= names
    assert len(recording["files"]) >= recording["agreement"]["files"] > 700
    assert recording["offline"], "the ignored offline artefacts are named"


def test_agreement_does_not_drop(recording: dict, comparison: dict):
    floor = recording["agreement"]["percent"]
    assert comparison["percent"] >= floor, (
        f"same verdict as HL7 on {comparison['percent']} % of the official examples, "
        f"was {floor} %")


def test_no_file_that_agreed_disagrees_now(recording: dict, comparison: dict):
    before = set(recording["agreement"]["falseErrors"]) | set(
        recording["agreement"]["missedErrors"])
    false_errors = sorted(set(comparison["falseErrors"]) - before)
    missed = sorted(set(comparison["missedErrors"]) - before)
    assert not false_errors, f"now false errors on {false_errors[:10]}"
    assert not missed, f"now missed errors on {missed[:10]}"
