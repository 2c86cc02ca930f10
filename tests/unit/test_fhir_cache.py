"""The FHIR package cache is filled from npm tarballs: assembled, unpacked, idempotent."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from tools import fhir_cache
from tools.fhir_cache import CacheError, CorePackage, NpmPackage, ensure, is_complete

CORE = CorePackage(name="hl7.fhir.r4.core", version="4.0.1", fhir_version="4.0.1",
                   source="hl7.fhir.r4.examples@4.0.1", canonical="http://hl7.org/fhir",
                   title="R4 core")


def _tarball(path: Path, members: dict[str, object]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            data = (content if isinstance(content, str) else json.dumps(content)).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _examples_tarball(path: Path) -> Path:
    return _tarball(path, {
        "package/package.json": {"name": "hl7.fhir.r4.examples", "version": "4.0.1"},
        "package/StructureDefinition-Patient.json": {
            "resourceType": "StructureDefinition", "id": "Patient",
            "url": "http://hl7.org/fhir/StructureDefinition/Patient", "kind": "resource",
            "type": "Patient"},
        "package/ValueSet-gender.json": {"resourceType": "ValueSet", "id": "gender",
                                         "url": "http://hl7.org/fhir/ValueSet/gender"},
        "package/Patient-example.json": {"resourceType": "Patient", "id": "example"},
        "package/other/StructureDefinition-x.json": {"resourceType": "StructureDefinition"},
    })


def test_core_is_assembled_from_conformance_resources_only(tmp_path):
    target = tmp_path / "cache" / "hl7.fhir.r4.core#4.0.1"
    count = fhir_cache.assemble(CORE, _examples_tarball(tmp_path / "ex.tgz"), target)
    assert count == 2
    package = target / "package"
    assert sorted(p.name for p in package.iterdir()) == [
        ".index.json", "StructureDefinition-Patient.json", "ValueSet-gender.json",
        "package.json"]
    manifest = json.loads((package / "package.json").read_text())
    assert (manifest["name"], manifest["version"], manifest["type"]) == (
        "hl7.fhir.r4.core", "4.0.1", "Core")
    index = json.loads((package / ".index.json").read_text())
    assert [f["filename"] for f in index["files"]] == [
        "StructureDefinition-Patient.json", "ValueSet-gender.json"]
    assert is_complete(CORE, target)


def test_a_changed_source_or_a_lost_file_makes_the_package_incomplete(tmp_path):
    target = tmp_path / "hl7.fhir.r4.core#4.0.1"
    fhir_cache.assemble(CORE, _examples_tarball(tmp_path / "ex.tgz"), target)
    other_source = CorePackage(**{**CORE.__dict__, "source": "hl7.fhir.r4.examples@4.0.2"})
    assert not is_complete(other_source, target)
    (target / "package" / "ValueSet-gender.json").unlink()
    assert not is_complete(CORE, target)


def test_a_tarball_without_conformance_resources_is_refused(tmp_path):
    tarball = _tarball(tmp_path / "empty.tgz", {"package/package.json": {"name": "x"}})
    with pytest.raises(CacheError, match="no conformance resources"):
        fhir_cache.assemble(CORE, tarball, tmp_path / "target")


def test_unpack_drops_the_named_dependencies_and_records_it(tmp_path):
    spec = NpmPackage("hl7.terminology.r4", "7.0.1",
                      drop_dependencies=("hl7.fhir.uv.extensions.r4",))
    tarball = _tarball(tmp_path / "tho.tgz", {
        "package/package.json": {"name": "hl7.terminology.r4", "version": "7.0.1",
                                 "dependencies": {"hl7.fhir.r4.core": "4.0.1",
                                                  "hl7.fhir.uv.extensions.r4": "5.2.0"}},
        "package/CodeSystem-v3-RoleCode.json": {"resourceType": "CodeSystem"},
    })
    target = tmp_path / "hl7.terminology.r4#7.0.1"
    fhir_cache.unpack(spec, tarball, target)
    manifest = json.loads((target / "package" / "package.json").read_text())
    assert manifest["dependencies"] == {"hl7.fhir.r4.core": "4.0.1"}
    marker = json.loads((target / fhir_cache.MARKER).read_text())
    assert "without hl7.fhir.uv.extensions.r4" in marker["source"]
    assert is_complete(spec, target)


def test_unpack_refuses_paths_that_leave_the_package(tmp_path):
    tarball = _tarball(tmp_path / "evil.tgz", {"package/../../escape.json": {"x": 1}})
    with pytest.raises(CacheError, match="unsafe path"):
        fhir_cache.unpack(NpmPackage("evil", "1.0.0"), tarball, tmp_path / "evil#1.0.0")
    assert not (tmp_path / "escape.json").exists()


def test_ensure_downloads_nothing_when_the_package_is_present(tmp_path, monkeypatch):
    calls: list[str] = []

    def fake_pack(spec: str, workdir: Path) -> Path:
        calls.append(spec)
        return _examples_tarball(workdir / "ex.tgz")

    monkeypatch.setattr(fhir_cache, "_npm_pack", fake_pack)
    ensure(CORE, tmp_path, quiet=True)
    ensure(CORE, tmp_path, quiet=True)
    assert calls == ["hl7.fhir.r4.examples@4.0.1"]
    assert not (tmp_path / "hl7.fhir.r4.core#4.0.1.partial").exists()
