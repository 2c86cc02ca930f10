"""Shared locations for the implementation-guide tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "fhir_regie" / "ig" / "package"
EXAMPLES = PACKAGE / "example"
INVALID = ROOT / "tests" / "fixtures" / "invalid"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _resources(folder: Path) -> list[Path]:
    """Resource files of a package folder (not package.json, not the .index.json)."""
    return sorted(p for p in folder.glob("*.json")
                  if p.name != "package.json" and not p.name.startswith("."))


def conformance_files() -> list[Path]:
    return _resources(PACKAGE)


def example_files() -> list[Path]:
    return _resources(EXAMPLES)


def invalid_fixture_files() -> list[Path]:
    return sorted(p for p in INVALID.glob("*.json") if not p.name.endswith(".expected.json"))


@pytest.fixture(scope="session")
def structure_definitions() -> dict[str, dict[str, Any]]:
    """Compiled StructureDefinitions of the guide keyed by canonical url."""
    definitions = {}
    for path in conformance_files():
        resource = load_json(path)
        if resource.get("resourceType") == "StructureDefinition":
            definitions[resource["url"]] = resource
    return definitions


def _package_tgz() -> Path:
    package = load_json(ROOT / "src" / "fhir_regie" / "ig" / "package" / "package.json")
    return ROOT / "dist" / f"{package['name']}-{package['version']}.tgz"


@pytest.fixture(scope="session")
def probe_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The agreement probes (``tests/ig/probes.py``) as files, by probe name."""
    from tests.ig.probes import write_probes

    return write_probes(tmp_path_factory.mktemp("probes"))


@pytest.fixture(scope="session")
def reference_results(probe_paths: dict[str, Path]) -> dict[str, list[Any]]:
    """HL7 reference validator results for every conformance resource, example, invalid
    fixture and agreement probe, from one JVM, keyed by absolute path. Required in CI;
    skipped elsewhere when Java or the validator's Maven dependencies are missing."""
    from tools import hl7_validator

    ready, reason = hl7_validator.available()
    tgz = _package_tgz()
    if not tgz.exists():
        ready, reason = False, f"{tgz.name} not built (run `fhir-regie ig build`)"
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(f"HL7 reference validator required in CI: {reason}")
        pytest.skip(f"HL7 reference validator not available: {reason}")
    paths = conformance_files() + example_files() + invalid_fixture_files() + list(
        probe_paths.values())
    results = hl7_validator.validate(paths, tgz)
    return {str(Path(k).resolve()): v for k, v in results.items()}


