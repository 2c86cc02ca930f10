"""Every docstring example in the library runs and shows what it says (STYLE.md: public
functions have a short example; an example that has rotted misleads its reader)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import fhir_regie

# Covered with their worked example in tests/unit/model/test_docs.py.
ELSEWHERE = ("fhir_regie.model",)


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(fhir_regie.__path__, "fhir_regie."):
        if info.name.startswith(ELSEWHERE) or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return sorted(names)


def _with_examples(name: str) -> bool:
    module = importlib.import_module(name)
    return any(test.examples for test in doctest.DocTestFinder().find(module))


@pytest.mark.parametrize("name", [n for n in _modules() if _with_examples(n)])
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
