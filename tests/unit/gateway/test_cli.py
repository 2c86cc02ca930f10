"""``fhir-regie gateway``: configuration mistakes are one line and exit 2."""

from __future__ import annotations

import io
from pathlib import Path

from fhir_regie.cli import main


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["gateway", *args], out, err)
    return code, err.getvalue()


def test_a_bad_registry_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "clients.yaml").write_text("clients:\n  - client_id: x\n")
    code, err = run("--upstream", "http://127.0.0.1:9/fhir", "--registry",
                    str(tmp_path / "clients.yaml"))
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("fhir-regie gateway: client registry: clients.0.client_id")


def test_a_missing_registry_is_one_line(tmp_path: Path) -> None:
    code, err = run("--upstream", "http://127.0.0.1:9/fhir", "--registry",
                    str(tmp_path / "nope.yaml"))
    assert (code, err) == (2, "fhir-regie gateway: client registry nope.yaml: cannot read "
                              "(FileNotFoundError)\n")


def test_rate_must_be_positive(tmp_path: Path) -> None:
    code, err = run("--upstream", "http://x", "--registry", str(tmp_path / "r.yaml"),
                    "--rate", "0")
    assert code == 2
    assert "--rate" in err
