"""The command line: exit codes, output formats, one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from fhir_regie.cli import main
from fhir_regie.demo import household_resources, summarise
from fhir_regie.ig import load_package


def run(*argv: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    sanne = load_package().get("Patient", "devries-sanne")
    valid = tmp_path / "sanne.json"
    valid.write_text(json.dumps(sanne), encoding="utf-8")
    broken = dict(sanne)
    del broken["birthDate"]
    invalid = tmp_path / "folder" / "no-birthdate.json"
    invalid.parent.mkdir()
    invalid.write_text(json.dumps(broken), encoding="utf-8")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{oops", encoding="utf-8")
    return {"valid": valid, "invalid": invalid, "garbage": garbage}


def test_validate_valid_file_exits_0(files):
    code, out, err = run("validate", str(files["valid"]))
    assert code == 0
    assert out == ""
    assert "1 input(s), 0 with errors" in err


def test_validate_invalid_folder_exits_1_with_one_line_per_issue(files):
    code, out, _ = run("validate", str(files["invalid"].parent))
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith(f"{files['invalid']}: error Patient: Constraint failed: rg-pat-1")


def test_validate_malformed_json_is_reported_not_raised(files):
    code, out, _ = run("validate", str(files["garbage"]))
    assert code == 1
    assert f"{files['garbage']}: fatal $: Not valid JSON" in out


def test_validate_json_format_prints_one_outcome_per_input(files):
    code, out, _ = run("validate", "--format", "json", str(files["valid"]), str(files["invalid"]))
    assert code == 1
    outcomes = [json.loads(line) for line in out.splitlines()]
    assert [o["resourceType"] for o in outcomes] == ["OperationOutcome"] * 2
    assert {i["severity"] for i in outcomes[0]["issue"]} == {"information"}
    assert [i["diagnostics"] for i in outcomes[1]["issue"] if i["severity"] == "error"] == [
        "rg-pat-1"]


def test_validate_stdin(files, monkeypatch):
    code, _, _ = run("validate", "-", stdin=files["valid"].read_text(), monkeypatch=monkeypatch)
    assert code == 0


def test_usage_errors_exit_2(tmp_path):
    code, _, err = run("validate", str(tmp_path / "missing.json"))
    assert code == 2
    assert "missing.json: no such file or directory" in err
    assert run("validate")[0] == 2
    assert run("no-such-command")[0] == 2


def test_a_household_is_summarised_in_dutch():
    package = load_package()
    resources = household_resources(package, "household-de-vries")
    # the report (issue 21), the GP's PractitionerRole, the alleged-perpetrator alert (a Flag),
    # the two plan signatures
    assert len(resources) == 61
    text = "\n".join(summarise(resources, "household-de-vries", date(2026, 11, 25)))
    assert "Sanne de Vries (Ouder, 36 jaar) [Kwetsbare volwassene]" in text
    assert "Ondersteuningsplan: Ons plan - gezin De Vries (fase: Voortgang" in text
    assert "laatste scores 2026-11-05" in text
    assert "Open afspraken:" in text
    assert "(gepauzeerd)" in text  # on-hold action shown in Dutch


def test_demo_out_that_is_a_file_is_a_one_line_error(tmp_path):
    taken = tmp_path / "bestand.txt"
    taken.write_text("al in gebruik", encoding="utf-8")
    code, _, err = run("demo", "--out", str(taken))
    assert code == 2
    assert err == f"fhir-regie demo: --out {taken}: dit is geen map\n"
    code, _, err = run("demo", "--out", str(taken), "--lang", "en")
    assert code == 2
    assert err == f"fhir-regie demo: --out {taken}: not a directory\n"


def test_ig_build_outside_a_checkout_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("fhir_regie.ig.build.__file__", str(tmp_path / "build.py"))
    code, _, err = run("ig", "build", "--check")
    assert code == 1
    assert err.startswith("fhir-regie ig build: no sushi-config.yaml found")


def test_console_script_runs_the_demo(tmp_path):
    result = subprocess.run([sys.executable, "-m", "fhir_regie.cli", "demo", "--out",
                             str(tmp_path)], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "Lokaal team Arnhem: http://127.0.0.1:" in result.stdout
    assert "\nTijdlijn:\n" in result.stdout
    assert "[FOUT]" not in result.stdout


def test_progress_is_reported_for_many_files(tmp_path, files):
    for index in range(25):
        (tmp_path / "many" / f"{index:02d}.json").parent.mkdir(exist_ok=True)
        (tmp_path / "many" / f"{index:02d}.json").write_text(files["valid"].read_text())
    (tmp_path / "many" / ".index.json").write_text("{}")  # hidden: not a resource
    code, _, err = run("validate", str(tmp_path / "many"))
    assert code == 0
    assert "validated 25/25, 0 with errors" in err
    assert "25 input(s), 0 with errors" in err


GARBAGE: dict[str, bytes] = {
    "truncated.json": b'{"resourceType": "Patient", "name": [{"fam',
    "latin1.json": b'{"resourceType": "Patient", "name": [{"family": "M\xfcller"}]}',
    "binary.json": bytes(range(256)),
    "empty.json": b"",
    "nan.json": b'{"resourceType": "Patient", "multipleBirthInteger": NaN}',
    "twice.json": b'{"resourceType": "Patient", "gender": "male", "gender": "female"}',
    "deep.json": b"[" * 10_000 + b"]" * 10_000,
    "huge-number.json": b'{"resourceType": "Patient", "multipleBirthInteger": '
                        + b"9" * 5000 + b"}",
}


@pytest.fixture
def garbage(tmp_path: Path, files: dict[str, Path]) -> Path:
    folder = tmp_path / "garbage"
    folder.mkdir()
    for name, data in GARBAGE.items():
        (folder / name).write_bytes(data)
    # valid ones among them are still validated: a BOM, and a 10 MB name
    sanne = files["valid"].read_bytes()
    (folder / "bom.json").write_bytes(b"\xef\xbb\xbf" + sanne)
    big = json.loads(sanne)
    big["name"][0]["family"] = "x" * 10_000_000
    (folder / "big.json").write_text(json.dumps(big), encoding="utf-8")
    return folder


def test_validate_garbage_gives_one_line_per_file_and_goes_on(garbage):
    code, out, err = run("validate", str(garbage))
    assert code == 1
    lines = out.splitlines()
    for name in GARBAGE:
        [line] = [line for line in lines if line.startswith(f"{garbage / name}: ")]
        if name == "deep.json":   # refused at the file boundary, before the parser (#18)
            assert line == (f"{garbage / name}: fatal $: Input refused: te diep genest: meer "
                            "dan 64 niveaus (FHIR_REGIE_MAX_JSON_DEPTH)"), line
            continue
        assert line.startswith(f"{garbage / name}: fatal $: Not valid JSON: "), line
    assert not [line for line in lines if "bom.json" in line or "big.json" in line]
    assert f"{len(GARBAGE) + 2} input(s), {len(GARBAGE)} with errors" in err
    assert "Traceback" not in out + err


def test_validate_garbage_as_json_is_one_outcome_per_file(garbage):
    code, out, _ = run("validate", "--format", "json", str(garbage))
    assert code == 1
    outcomes = [json.loads(line) for line in out.splitlines()]
    assert len(outcomes) == len(GARBAGE) + 2
    assert all(o["resourceType"] == "OperationOutcome" and o["issue"] for o in outcomes)


def test_validate_stdin_that_is_not_utf8(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(GARBAGE["latin1.json"])))
    code, out, _ = run("validate", "-")
    assert code == 1
    assert out.startswith("-: fatal $: Not valid JSON: not UTF-8 text (byte 50)")


def test_console_script_prints_unpaired_surrogates_without_a_traceback(tmp_path):
    """The real stdout (UTF-8) cannot write an unpaired surrogate; the message quotes it."""
    path = tmp_path / "surrogate.json"
    path.write_text('{"resourceType": "Patient", "gender": "\\ud800"}', encoding="utf-8")
    for output in ("text", "json"):
        result = subprocess.run(
            [sys.executable, "-m", "fhir_regie.cli", "validate", "--format", output, str(path)],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "\\ud800" in result.stdout


def test_a_step_that_fails_ends_the_demo_with_one_line_and_exit_1(tmp_path):
    from fhir_regie.demo import STEPS, run_story

    def broken(story):
        raise RuntimeError("server went away")

    out = io.StringIO()
    code = run_story(out, tmp_path, steps=[STEPS[0], ("kapot", broken), STEPS[1]])
    text = out.getvalue()
    assert code == 1
    assert "[FOUT] stap 2 (kapot) stopte: RuntimeError: server went away" in text
    assert "3. " not in text   # the story stops at the failed step
    assert "Traceback" not in text
