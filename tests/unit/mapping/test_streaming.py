"""Large exports are read in parts: a CSV export is indexed by byte offsets and read back one
record at a time, a large JSON-lines file a line at a time. The records must be exactly those
of the whole-file reader, whatever the line ends, the order of the rows or the size."""

from __future__ import annotations

import dataclasses
import json
import random
import tracemalloc
from datetime import UTC, datetime
from functools import partial
from io import BytesIO
from pathlib import Path

import pytest

from fhir_regie.mapping.files import InputError, map_file, open_input
from fhir_regie.mapping.readers import CsvRecords, RecordError, SourceRecord, read_csv_tables
from fhir_regie.mapping.spec import load_partner

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]
EXPORT = ROOT / "mappings/gemeente-suite/fixtures/export"
BUNDLES = ROOT / "mappings/gemeente-suite/fixtures/expected-to-fhir.json"
GS = load_partner("gemeente-suite")


def _texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in EXPORT.glob("*.csv")}


def _as_tuples(items) -> list[tuple]:
    return [(type(i).__name__, i.location, i.key,
             i.data if isinstance(i, SourceRecord) else [e.rule for e in i.errors],
             json.dumps(i.original, sort_keys=True)) for i in items]


def _write(folder: Path, texts: dict[str, str], *, newline: str = "\n",
           bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        data = newline.join(text.splitlines()) + newline
        (folder / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return folder


@pytest.mark.parametrize(("newline", "bom"), [("\n", False), ("\r\n", False), ("\r\n", True)])
def test_files_read_in_parts_give_the_records_of_the_whole_text(tmp_path, newline, bom):
    whole = read_csv_tables(GS, _texts())
    parts = open_input(GS, "to-fhir", _write(tmp_path / "export", _texts(),
                                             newline=newline, bom=bom))
    assert parts.count == whole.count == 2
    assert _as_tuples(parts) == _as_tuples([*whole.records, *whole.errors])


def test_rows_in_any_order_join_the_same_records(tmp_path):
    texts = _texts()
    shuffled = {}
    for name, text in texts.items():
        header, *rows = text.splitlines()
        random.Random(name).shuffle(rows)
        shuffled[name] = "\n".join([header, *reversed(rows)]) + "\n"
    before = {r.key: r.data for r in read_csv_tables(GS, texts).records}
    after = {r.key: r.data for r in open_input(GS, "to-fhir", _write(tmp_path / "e", shuffled))}

    def by_number(data: dict) -> dict:  # rows of one table in another order
        return {k: sorted(v, key=json.dumps) if isinstance(v, list) else v
                for k, v in data.items()}
    assert {k: by_number(v) for k, v in after.items()} == {k: by_number(v)
                                                           for k, v in before.items()}


def _multiline_partner():
    tables = tuple(dataclasses.replace(t, multiline=True) if t.name == "acties" else t
                   for t in GS.tables)
    return dataclasses.replace(GS, tables=tables)


def test_a_multiline_cell_is_one_row_and_an_open_quote_costs_only_its_own_rows():
    partner = _multiline_partner()
    texts = _texts()
    header, *rows = texts["acties.csv"].splitlines()
    by_plan: dict[str, list[str]] = {}
    for row in rows:
        by_plan.setdefault(row.split(";")[1], []).append(row)
    (first_plan, first_rows), (_, second_rows) = list(by_plan.items())[:2]
    cells = first_rows[0].split(";")
    cells[2] = '"eerste regel\ntweede regel"'
    broken = second_rows[0].split(";")
    broken[2] = '"nooit gesloten'
    # the open quote comes before rows of the other household
    texts["acties.csv"] = "\n".join([header, ";".join(broken), ";".join(cells),
                                     *first_rows[1:], *second_rows[1:]]) + "\n"
    openers = {n: partial(BytesIO, t.encode()) for n, t in texts.items()}
    for max_row in (300, 1_000_000):  # stopped by the size limit or by the end of the file
        items = list(CsvRecords(partner, openers, max_row=max_row))
        records = {i.key: i for i in items if isinstance(i, SourceRecord)}
        errors = {i.key: i for i in items if isinstance(i, RecordError)}
        first_household = next(r for r in read_csv_tables(GS, _texts()).records
                               if any(a["plannummer"] == first_plan for a in r.data["acties"]))
        # the other household fails for its broken row, and only for that row
        failed = next(e for e in errors.values() if e.location == "acties.csv:row 2")
        assert [e.rule for e in failed.errors] == ["csv-quoting"]
        # the household whose rows came after the open quote lost none of them
        actions = records[first_household.key].data["acties"]
        assert len(actions) == len(first_rows)
        assert actions[0]["omschrijving"] == "eerste regel\ntweede regel"


def _export(households: int, folder: Path) -> int:
    """The fixture's households repeated with renumbered keys; returns the export's size."""
    texts = _texts()
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for name, text in texts.items():
        header, *rows = text.splitlines()
        lines = [header]
        for copy in range(households // 2):
            for row in rows:
                lines.append(";".join(_renumber(cell, copy) for cell in row.split(";")))
        data = ("\n".join(lines) + "\n").encode()
        (folder / name).write_bytes(data)
        size += len(data)
    return size


def _renumber(cell: str, copy: int) -> str:
    for letter, width in (("H", 5), ("C", 6), ("P", 6), ("A", 7), ("MW", 4)):
        rest = cell[len(letter):]
        if cell.startswith(letter) and rest.isdigit() and len(rest) == width:
            if letter == "MW":
                return cell
            return f"{letter}{(int(rest) % 100 + copy * 100) % 10 ** width:0{width}d}"
    return cell


def _peak(read) -> int:
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_in_parts_holds_a_small_part_of_what_the_whole_reader_holds(tmp_path):
    _export(1000, tmp_path / "export")
    texts = {p.name: p.read_text() for p in (tmp_path / "export").iterdir()}
    held: list = []
    whole = _peak(lambda: held.append(read_csv_tables(GS, texts)))
    index = _peak(lambda: held.append(open_input(GS, "to-fhir", tmp_path / "export")))
    records = held[-1]
    assert records.count == held[0].count == 1000

    def read_all() -> None:
        for _ in records:  # one record at a time, nothing kept
            pass
    walk = _peak(read_all)
    # the whole reader holds every row's text and typed values; the parts reader an index of
    # keys and byte offsets, and while iterating one record at a time
    assert index < whole / 4, (index, whole)
    assert walk < whole / 20, (walk, whole)


def test_an_export_over_the_export_limit_is_refused_before_reading(tmp_path, monkeypatch):
    _export(20, tmp_path / "export")
    monkeypatch.setenv("FHIR_REGIE_MAX_EXPORT_BYTES", "1000")
    with pytest.raises(InputError, match="FHIR_REGIE_MAX_EXPORT_BYTES"):
        open_input(GS, "to-fhir", tmp_path / "export")


def test_a_row_over_the_document_limit_fails_alone(tmp_path, monkeypatch):
    texts = _texts()
    header, first, *rows = texts["clienten.csv"].splitlines()
    cells = first.split(";")
    cells[5] = "x" * 5000
    texts["clienten.csv"] = "\n".join([header, ";".join(cells), *rows]) + "\n"
    monkeypatch.setenv("FHIR_REGIE_MAX_BYTES", "4096")
    items = list(open_input(GS, "to-fhir", _write(tmp_path / "e", texts)))
    failed = [i for i in items if isinstance(i, RecordError)]
    assert [e.rule for f in failed for e in f.errors] == ["csv-row-size"]
    assert len([i for i in items if isinstance(i, SourceRecord)]) == 1


def test_a_non_utf8_export_is_an_input_error_naming_the_file(tmp_path):
    folder = _write(tmp_path / "e", _texts())
    (folder / "plannen.csv").write_bytes((folder / "plannen.csv").read_bytes() + b"\xff\xfe;\n")
    with pytest.raises(InputError, match="not UTF-8"):
        open_input(GS, "to-fhir", folder)


def test_bundles_over_the_document_limit_are_read_as_json_lines(tmp_path, monkeypatch):
    bundles = json.loads(BUNDLES.read_text())
    lines = [json.dumps(b) for b in bundles] * 3
    lines.insert(2, "{not json")
    source = tmp_path / "bundles.ndjson"
    source.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("FHIR_REGIE_MAX_BYTES", str(max(len(x) for x in lines) + 10))
    records = open_input(GS, "from-fhir", source)
    assert records.count == len(lines)
    items = list(records)
    assert [i.location for i in items if isinstance(i, RecordError)] == ["line 3"]
    summary = map_file(GS, "from-fhir", source, tmp_path / "out", at=AT)
    assert (summary.records_in, summary.failed) == (len(lines), 1)
    assert summary.mapped == len(lines) - 1


def test_a_large_file_that_is_not_json_lines_fails_as_one_record(tmp_path, monkeypatch):
    source = tmp_path / "bundles.json"
    source.write_text(json.dumps(json.loads(BUNDLES.read_text()), indent=2))
    monkeypatch.setenv("FHIR_REGIE_MAX_BYTES", "1000")
    items = list(open_input(GS, "from-fhir", source))
    assert [(i.location, [e.rule for e in i.errors]) for i in items] == [("$", ["json-lines"])]
