"""The IG build's pieces: config reading, SUSHI log triage, reproducible package, drift."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from fhir_regie.ig.build import (
    BuildError,
    IGConfig,
    drift,
    flat_name,
    project_root,
    read_config,
    render_package,
    sushi_problems,
    write_package,
    write_tarball,
)

CONFIG = IGConfig(id="nl.example.r4", version="1.2.3", canonical="https://example.nl/fhir",
                  fhir_version="4.0.1", title="Example", description="An example guide",
                  license="CC0-1.0")


def test_read_config_reads_folded_blocks_and_quotes(tmp_path):
    config = tmp_path / "sushi-config.yaml"
    config.write_text(
        "# comment\nid: nl.example.r4\ncanonical: https://example.nl/fhir\n"
        "title: \"An: example\"\ndescription: >-\n  first line\n  second line\n"
        "version: 1.2.3\nfhirVersion: 4.0.1\nlicense: CC0-1.0\n"
        "dependencies:\n  hl7.terminology.r4: 7.0.1\n", encoding="utf-8")
    read = read_config(config)
    assert read.title == "An: example"
    assert read.description == "first line second line"
    assert (read.id, read.version, read.fhir_version) == ("nl.example.r4", "1.2.3", "4.0.1")


def test_read_config_names_a_missing_key(tmp_path):
    config = tmp_path / "sushi-config.yaml"
    config.write_text("id: nl.example.r4\nversion: 1.0.0\n", encoding="utf-8")
    with pytest.raises(BuildError, match="missing canonical"):
        read_config(config)


SUSHI_LOG = """\
info  Running SUSHI v3.21.0
warn  The FSHOnly property is set to true, so no output specific to IG creation will be generated.
warn  Failed to load automatically-provided hl7.fhir.uv.tools.r4#latest: not found
warn  Element Patient.foo has no binding
  File: /tmp/x/input/fsh/profiles%2Fhousehold.fsh
  Line: 12
error Cannot find definition for Instance: missing-thing
  File: /tmp/x/input/fsh/profiles%2Fexamples%2Fcase1.fsh
  Line: 40 - 44
"""


def test_sushi_problems_separates_errors_unexpected_and_expected_warnings():
    errors, warnings, expected = sushi_problems(SUSHI_LOG)
    assert expected == 2
    assert warnings == ["warn  Element Patient.foo has no binding "
                        "File: /tmp/x/input/fsh/profiles%2Fhousehold.fsh Line: 12"]
    assert len(errors) == 1
    assert "missing-thing" in errors[0]
    assert "Line: 40 - 44" in errors[0]


def test_flat_names_keep_folders_apart(tmp_path):
    a = tmp_path / "profiles" / "examples" / "case.fsh"
    b = tmp_path / "profiles" / "examples__case.fsh"
    assert flat_name(tmp_path, a) != flat_name(tmp_path, b)


def _generated(tmp_path: Path) -> Path:
    folder = tmp_path / "generated"
    folder.mkdir()
    resources = [
        {"resourceType": "StructureDefinition", "id": "p", "url": "https://example.nl/fhir/SD/p",
         "version": "1.2.3", "kind": "resource", "type": "Patient"},
        {"resourceType": "ValueSet", "id": "v", "url": "https://example.nl/fhir/VS/v"},
        {"resourceType": "Patient", "id": "jan", "name": [{"text": "Jan Émile"}]},
    ]
    for resource in resources:
        path = folder / f"{resource['resourceType']}-{resource['id']}.json"
        path.write_text(json.dumps(resource), encoding="utf-8")
    return folder


def test_render_package_splits_conformance_and_examples(tmp_path):
    files = render_package(_generated(tmp_path), CONFIG)
    assert sorted(files) == [".index.json", "StructureDefinition-p.json", "ValueSet-v.json",
                             "example/.index.json", "example/Patient-jan.json", "package.json"]
    index = json.loads(files[".index.json"])
    assert [entry["filename"] for entry in index["files"]] == [
        "StructureDefinition-p.json", "ValueSet-v.json"]
    assert index["files"][0]["type"] == "Patient"
    manifest = json.loads(files["package.json"])
    assert manifest["name"] == "nl.example.r4"
    assert manifest["dependencies"] == {"hl7.fhir.r4.core": "4.0.1"}
    assert "Jan Émile" in files["example/Patient-jan.json"]  # UTF-8, not escaped


def test_tarball_is_byte_for_byte_reproducible_and_a_fhir_package(tmp_path):
    files = render_package(_generated(tmp_path), CONFIG)
    first, second = tmp_path / "a.tgz", tmp_path / "b.tgz"
    write_tarball(files, first)
    write_tarball(dict(reversed(list(files.items()))), second)
    assert first.read_bytes() == second.read_bytes()
    with tarfile.open(first, "r:gz") as tar:
        names = tar.getnames()
        assert "package/package.json" in names
        assert "package/example/Patient-jan.json" in names
        member = tar.getmember("package/package.json")
        assert (member.mtime, member.uid, member.uname) == (0, 0, "")
        manifest = json.load(io.TextIOWrapper(tar.extractfile(member), encoding="utf-8"))
    assert manifest["version"] == "1.2.3"


def test_drift_names_changed_missing_and_stale_files(tmp_path):
    files = render_package(_generated(tmp_path), CONFIG)
    folder = tmp_path / "package"
    assert drift(files, folder) == sorted(files)
    write_package(files, folder)
    assert drift(files, folder) == []

    (folder / "ValueSet-v.json").write_text("{}", encoding="utf-8")
    (folder / "example" / "Patient-old.json").write_text("{}", encoding="utf-8")
    (folder / "StructureDefinition-p.json").unlink()
    assert drift(files, folder) == ["StructureDefinition-p.json", "ValueSet-v.json",
                                    "example/Patient-old.json"]
    write_package(files, folder)
    assert drift(files, folder) == []
    assert not (folder / "example" / "Patient-old.json").exists()


def test_project_root_outside_a_checkout_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("fhir_regie.ig.build.__file__", str(tmp_path / "build.py"))
    with pytest.raises(BuildError, match="source checkout"):
        project_root(tmp_path)
