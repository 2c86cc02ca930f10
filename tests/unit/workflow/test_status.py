"""The dashboard and the workflow commands of the CLI: text, JSON, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from fhir_regie.cli import main
from fhir_regie.workflow.regions import load_region
from fhir_regie.workflow.sources import load_household_from_example
from fhir_regie.workflow.status import household_status, status_lines

from .conftest import example_resources


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_dashboard_for_van_den_berg():
    status = household_status(load_household_from_example("household-van-den-berg"),
                              load_region("default"), date(2026, 11, 25))
    lines = status_lines(status)                 # Dutch for the coordinator by default
    assert lines[0] == "Group/household-van-den-berg op 2026-11-25 (regio default)"
    assert "Plan afsluiten: geblokkeerd" in lines
    english = status_lines(status, "en")
    assert english[0] == "Group/household-van-den-berg on 2026-11-25 (region default)"
    assert "Closing the plan: blocked" in english
    assert not status.problems
    assert json.loads(json.dumps(status.to_dict()))["meldcode"][0]["outcome"] == "organise-help"


@pytest.mark.parametrize("command", ["deadlines", "safety", "meldcode", "status"])
def test_every_command_gives_json(command):
    code, out, err = run(command, "--example", "household-hv-0417", "--region", "haaglanden",
                         "--at", "2026-11-25", "--format", "json")
    assert err == ""
    assert code in (0, 1)
    json.loads(out)


def test_deadlines_text_table_and_exit_1_when_overdue():
    code, out, _ = run("deadlines", "--example", "household-hv-0417", "--at", "2026-11-25")
    assert code == 1
    header, *rows = out.splitlines()
    assert header.split() == ["STAND", "UITERLIJK", "REGEL", "OVER", "GEHAALD", "INSTELLING"]
    assert rows[2].split()[:4] == ["verlopen", "2026-10-21", "vt-safety-condition",
                                   "Goal/hv0417-condition-no-contact"]
    code, out, _ = run("deadlines", "--example", "household-hv-0417", "--at", "2026-11-25",
                       "--lang", "en")
    assert code == 1
    header, *rows = out.splitlines()
    assert header.split() == ["STATUS", "DUE", "RULE", "SUBJECT", "MET", "SETTING"]
    assert rows[2].split()[:4] == ["overdue", "2026-10-21", "vt-safety-condition",
                                   "Goal/hv0417-condition-no-contact"]


def test_deadlines_before_anything_was_due_exit_0():
    code, _, _ = run("deadlines", "--example", "household-van-den-berg", "--at", "2026-11-25")
    assert code == 0


def test_bundle_source(tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": r} for r in example_resources("household-de-vries").values()]}),
        encoding="utf-8")
    code, out, _ = run("safety", "--bundle", str(path), "--at", "2026-11-25",
                       "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["phase"] == "safety"


@pytest.mark.parametrize(("argv", "message"), [
    (("--region", "utrecht"), "fhir-regie status: unknown region 'utrecht'"),
    (("--at", "25-11-2026"), "fhir-regie status: --at '25-11-2026': expected a date"),
    (("--bundle", "/nonexistent.json"), "fhir-regie status: /nonexistent.json: cannot read"),
    (("--server", "http://127.0.0.1:9/fhir"), "fhir-regie status: --server needs --household"),
    (("--server", "http://127.0.0.1:9/fhir", "--household", "x"),
     "fhir-regie status: http://127.0.0.1:9/fhir: cannot read Group/x (TransportError)"),
    (("--server", "ftp://example.nl/fhir", "--household", "x"),
     "fhir-regie status: ftp://example.nl/fhir: base_url must be an absolute http(s) URL"),
])
def test_errors_are_one_line_exit_2(argv, message, monkeypatch):
    monkeypatch.delenv("FHIR_REGIE_TOKEN", raising=False)
    monkeypatch.delenv("FHIR_REGIE_TOKEN_URL", raising=False)
    code, out, err = run("status", *argv, "--lang", "en")
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1


@pytest.mark.parametrize(("argv", "message"), [
    (("--region", "utrecht"), "fhir-regie status: onbekende regio 'utrecht' (bekend: "),
    (("--at", "25-11-2026"), "fhir-regie status: --at '25-11-2026': verwacht een datum"),
    (("--bundle", "/nonexistent.json"),
     "fhir-regie status: /nonexistent.json: kan het bestand niet lezen (FileNotFoundError)"),
    (("--server", "http://127.0.0.1:9/fhir"),
     "fhir-regie status: --server heeft --household ID nodig"),
    (("--server", "http://127.0.0.1:9/fhir", "--household", "x"),
     "fhir-regie status: http://127.0.0.1:9/fhir: kan Group/x niet lezen (TransportError)"),
    (("--example", "nergens"), "fhir-regie status: onbekend voorbeeldhuishouden 'nergens'"),
])
def test_errors_speak_dutch_to_the_coordinator_by_default(argv, message, monkeypatch):
    """Issue 22: the coordinators' commands say what went wrong in Dutch (the catalogue);
    ``--lang en`` in English (above); the exception's own text stays English for developers."""
    monkeypatch.delenv("FHIR_REGIE_TOKEN", raising=False)
    monkeypatch.delenv("FHIR_REGIE_TOKEN_URL", raising=False)
    code, out, err = run("status", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_a_region_file_with_a_typo_names_file_and_key(tmp_path):
    region = tmp_path / "flevoland.yaml"
    region.write_text("name: flevoland\ntitle: F\nmonitoring:\n  moment_months: [3]\n",
                      encoding="utf-8")
    code, _, err = run("status", "--region", str(region))
    assert code == 2
    assert err == (f"fhir-regie status: {region}: monitoring.moment_months: unknown key "
                   "(did you mean 'moments_months'?)\n")
