"""tools/hapi.py without Java: the package tarball, the JVM command line, the state handling."""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path

import pytest

from tools import hapi

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "fhir_regie" / "ig" / "package"


def test_package_tarball_holds_the_committed_package_data(tmp_path: Path) -> None:
    tarball = hapi.package_tarball(tmp_path)
    assert tarball.name == "nl.fhir-regie.r4-0.2.0.tgz"
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
        index = json.load(tar.extractfile("package/.index.json"))  # type: ignore[arg-type]
    committed = {f"package/{p.relative_to(PACKAGE)}" for p in PACKAGE.rglob("*") if p.is_file()}
    assert names == committed
    assert manifest["name"] == "nl.fhir-regie.r4"
    assert manifest["dependencies"] == {"hl7.fhir.r4.core": "4.0.1"}
    assert any(f["resourceType"] == "StructureDefinition" for f in index["files"])


def test_package_tarball_is_reproducible(tmp_path: Path) -> None:
    first = hapi.package_tarball(tmp_path / "a").read_bytes()
    second = hapi.package_tarball(tmp_path / "b").read_bytes()
    assert first == second


def test_java_command_bounds_the_heap_and_passes_the_package(tmp_path: Path) -> None:
    command = hapi.java_command("a.jar:b.jar", port=18123, data_dir=tmp_path,
                                package=tmp_path / "p.tgz", nonce="abc123", heap="768m")
    assert command[0] == "java"
    assert "-Xmx768m" in command
    main = command.index(hapi.MAIN_CLASS)
    assert command[command.index("-cp") + 1] == "a.jar:b.jar"
    options = command[main + 1:]
    assert options[options.index("--port") + 1] == "18123"
    assert options[options.index("--data") + 1] == str(tmp_path)
    assert options[options.index("--package") + 1] == str(tmp_path / "p.tgz")
    assert options[options.index("--description") + 1].endswith("abc123")


@pytest.fixture
def run_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(hapi, "RUN_DIR", tmp_path)
    monkeypatch.setattr(hapi, "STATE_FILE", tmp_path / "hapi.json")
    monkeypatch.setattr(hapi, "PID_FILE", tmp_path / "hapi.pid")
    return tmp_path


def test_status_without_a_server_exits_1(run_dir: Path, capsys: pytest.CaptureFixture[str],
                                         ) -> None:
    assert hapi.main(["status"]) == 1
    assert capsys.readouterr().out.strip() == "hapi: not running"


def test_state_of_a_process_that_is_not_our_server_is_ignored(
        run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The pid of this pytest process is alive, but it is not the HAPI server: never kill it.
    (run_dir / "hapi.json").write_text(json.dumps({"pid": os.getpid(), "base_url": "x",
                                                   "log": "y"}), encoding="utf-8")
    (run_dir / "hapi.pid").write_text(f"{os.getpid()}\n", encoding="utf-8")
    assert hapi.main(["status"]) == 1
    assert hapi.main(["stop"]) == 0
    assert "not running" in capsys.readouterr().out
    assert not (run_dir / "hapi.pid").exists()


def test_build_without_maven_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hapi.shutil, "which", lambda tool: None if tool == "mvn" else "/x")
    assert hapi.available() == (False, "mvn is not installed")
    with pytest.raises(hapi.HapiUnavailableError, match="mvn is not installed"):
        hapi.build()
