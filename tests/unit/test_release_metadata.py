"""Release metadata of the package and the light install's one-line errors."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from fhir_regie.cli import main
from fhir_regie.ig import load_package
from fhir_regie.ig.build import manifest, read_config, write_installed_package

ROOT = Path(__file__).resolve().parents[2]


def test_package_json_carries_the_npm_package_fields() -> None:
    data = load_package().manifest
    for key in ("name", "version", "canonical", "url", "title", "description", "fhirVersions",
                "type", "license", "date", "jurisdiction", "author", "maintainers",
                "dependencies"):
        assert data.get(key), f"package.json lacks {key}"
    assert re.fullmatch(r"\d{14}", data["date"])
    assert data["jurisdiction"] == "urn:iso:std:iso:3166#NL"
    assert data["dependencies"] == {"hl7.fhir.r4.core": "4.0.1"}
    assert data == manifest(read_config(ROOT / "sushi-config.yaml"))


def test_every_released_conformance_resource_is_active() -> None:
    drafts = [f"{r['resourceType']}/{r['id']}" for r in load_package().conformance.values()
              if r.get("status") != "active"]
    assert not drafts, f"not active (a stock HAPI server skips these): {drafts}"


def test_ig_package_writes_the_tarball_of_the_installed_guide(tmp_path: Path) -> None:
    target = write_installed_package(tmp_path)
    version = load_package().version
    assert target.name == f"nl.fhir-regie.r4-{version}.tgz"
    with tarfile.open(target) as tar:
        names = tar.getnames()
        manifest_file = tar.extractfile("package/package.json")
        assert manifest_file is not None
        assert json.load(manifest_file)["version"] == version
    assert "package/example/.index.json" in names
    assert any(name.startswith("package/StructureDefinition-") for name in names)


def test_a_missing_extra_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "sekmet" else real(name, *a))
    out, err = io.StringIO(), io.StringIO()
    # `demo` (it ends on its own) rather than `server` (which would run until interrupted).
    code = main(["demo", "--out", str(tmp_path)], stdout=out, stderr=err)
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert "pip install 'fhir-regie[server]'" in lines[0]
