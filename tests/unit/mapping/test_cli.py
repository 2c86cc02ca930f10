"""``fhir-regie map``: exit codes, summary line, one-line errors naming file, record and rule."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

from fhir_regie.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXPORT = ROOT / "mappings/gemeente-suite/fixtures/export"
MALFORMED = ROOT / "tests/fixtures/mapping/gemeente-suite-malformed"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_to_fhir_and_back_exit_0_with_summary(tmp_path):
    code, out, err = run("map", "--partner", "gemeente-suite", "--to-fhir", str(EXPORT),
                         "-o", str(tmp_path / "b.ndjson"))
    assert (code, err) == (0, "")
    assert "2 record(s) in, 2 mapped, 0 failed" in out
    assert "dead-letter: none" in out
    code, out, _ = run("map", "--partner", "gemeente-suite", "--from-fhir",
                       str(tmp_path / "b.ndjson"), "-o", str(tmp_path / "csv"))
    assert code == 0
    assert (tmp_path / "csv/acties.csv").read_text() == (EXPORT / "acties.csv").read_text()
    # Mapped records hold personal data: readable by their owner only (issue 17).
    assert stat.S_IMODE((tmp_path / "b.ndjson").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "csv/acties.csv").stat().st_mode) == 0o600


def test_some_failed_exit_1_one_line_errors_and_dead_letter(tmp_path):
    code, out, err = run("map", "--partner", "gemeente-suite", "--to-fhir", str(MALFORMED),
                         "-o", str(tmp_path / "b.ndjson"), "--dead-letter",
                         str(tmp_path / "dead.jsonl"))
    assert code == 1
    assert "3 record(s) in, 1 mapped, 2 failed" in out
    lines = err.splitlines()
    assert f"fhir-regie map: {MALFORMED}: clienten.csv:row 5: type-date at " \
           "clienten.csv:row 5:geboortedatum: expected a date like 31-12-2026" in lines
    assert "Traceback" not in err
    assert "31-02-1941" not in err
    assert len((tmp_path / "dead.jsonl").read_text().splitlines()) == 2
    assert stat.S_IMODE((tmp_path / "dead.jsonl").stat().st_mode) == 0o600


def test_vt_feedback_to_xml(tmp_path):
    code, _, _ = run("map", "--partner", "vt-registratie", "--from-fhir",
                     str(ROOT / "mappings/vt-registratie/fixtures/feedback-input.json"),
                     "-o", str(tmp_path / "feedback.xml"))
    assert code == 0
    assert "<dossiernummer>VTGM-2026-09120</dossiernummer>" in (tmp_path /
                                                                "feedback.xml").read_text()


def test_usage_errors_exit_2(tmp_path):
    code, _, err = run("map", "--partner", "nobody", "--to-fhir", str(EXPORT), "-o",
                       str(tmp_path / "x"))
    assert code == 2
    assert "unknown partner 'nobody'" in err
    code, _, err = run("map", "--partner", "huisarts-jgz", "--to-fhir", str(EXPORT), "-o",
                       str(tmp_path / "x"))
    assert code == 2
    assert "has no to-fhir map" in err
    code, _, err = run("map", "--partner", "vt-registratie", "--to-fhir",
                       str(tmp_path / "missing.xml"), "-o", str(tmp_path / "x"))
    assert code == 2
    assert "missing.xml: no such file" in err
    code, _, _ = run("map", "--partner", "gemeente-suite", "-o", str(tmp_path / "x"))
    assert code == 2


def test_progress_on_many_records(tmp_path):
    bundles = json.loads((ROOT / "mappings/gemeente-suite/fixtures/expected-to-fhir.json")
                         .read_text())
    many = tmp_path / "many.json"
    many.write_text(json.dumps(bundles * 12))  # 24 records: above the progress threshold
    code, _, err = run("map", "--partner", "huisarts-jgz", "--from-fhir", str(many), "-o",
                       str(tmp_path / "s.ndjson"))
    assert code == 0
    assert "mapped 24/24, 0 with errors" in err


def test_to_fhir_output_is_written_while_mapping(tmp_path):
    # streaming: each Bundle is on disk when its record is counted, not only at the end
    from datetime import UTC, datetime

    from fhir_regie.mapping.files import map_file
    from fhir_regie.mapping.spec import load_partner

    target = tmp_path / "b.ndjson"
    seen: list[int] = []

    def lines_so_far(total: int, failed: int) -> None:
        seen.append(target.read_text().count("\n") if target.exists() else 0)

    summary = map_file(load_partner("gemeente-suite"), "to-fhir", EXPORT, target,
                       at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC), on_record=lines_so_far)
    assert (summary.mapped, summary.failed) == (2, 0)
    assert seen == [1, 2]  # each Bundle was on disk before the next record was mapped
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [b["resourceType"] for b in lines] == ["Bundle", "Bundle"]
