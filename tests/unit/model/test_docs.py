"""The worked example in docs/model.md and the builders' docstring examples still run."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "model.md"
MODULES = ["fhir_regie.model", "fhir_regie.model.errors", "fhir_regie.model.household",
           "fhir_regie.model.plans", "fhir_regie.model.meldcode", "fhir_regie.model.consent",
           "fhir_regie.model.handover"]


def test_worked_example_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})  # our own documentation
    printed = capsys.readouterr().out
    assert printed.startswith("regie-safety-scale-score: 1 error: rg-ssc-2 at Observation: ")
    assert "Noor" not in printed


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
