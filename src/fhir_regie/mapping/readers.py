"""Partner input into typed JSON records: CSV tables (grouped into records), XML, JSON, and FHIR
Bundles (the input of a from-fhir map).

Readers are pure: they take text, not files. Each returns the records that could be read, and a
:class:`RecordError` for every record that could not, with its row number (CSV), element path
(XML) or JSON path, and its original text; nothing is skipped without a record of it.

XML is parsed with ``defusedxml``: a DTD, entity declarations and external references are
refused (no entity expansion, no network or file access while parsing).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from fhir_regie.limits import LimitError, loads
from fhir_regie.mapping.cells import restore
from fhir_regie.mapping.errors import FieldError, RecordError
from fhir_regie.mapping.schema import Field, read_value
from fhir_regie.mapping.spec import Partner, Table


@dataclass(frozen=True)
class SourceRecord:
    """One input record: its typed ``data``, where it came from, its business key, and the
    original text (``original``: ``content_type`` + ``text``, kept as a Binary)."""

    location: str
    key: str
    data: Any
    original: dict[str, Any]


@dataclass
class ReadResult:
    records: list[SourceRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.records) + len(self.errors)


def _key_of(data: Any, path: str | None) -> str:
    value = data
    for part in (path or "").split(".") if path else []:
        value = value.get(part) if isinstance(value, Mapping) else None
    return str(value) if isinstance(value, str | int) else ""


# ---------------------------------------------------------------------------------------- CSV
@dataclass
class _Row:
    table: Table
    number: int  # the header is row 1
    line: str
    values: dict[str, str]
    typed: dict[str, Any] | None
    errors: list[FieldError]

    @property
    def location(self) -> str:
        return f"{self.table.file}:row {self.number}"


def _physical_rows(text: str, table: Table,
                   delimiter: str) -> Iterable[tuple[int, str, list[str] | None, str]]:
    """(row number, raw text, cells or None, csv error) per row. Without multi-line fields every
    line is parsed on its own, so a broken quote costs one row, not the rest of the file."""
    lines = text.splitlines()
    if not table.multiline:
        for index, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                cells = next(csv.reader([line], delimiter=delimiter, strict=True))
                yield index, line, cells, ""
            except (csv.Error, StopIteration) as failure:
                yield index, line, None, str(failure)
        return
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as failure:
            yield start, "\n".join(lines[start - 1:reader.line_num]), None, str(failure)
            start = reader.line_num + 1
            continue
        if cells:
            yield start, "\n".join(lines[start - 1:reader.line_num]), cells, ""
        start = reader.line_num + 1


def _read_table(table: Table, text: str, partner: Partner) -> tuple[list[str], list[_Row]]:
    rows = list(_physical_rows(text.lstrip("\ufeff"), table, partner.delimiter))
    if not rows:
        return [], []
    _, header_line, header, _ = rows[0]
    header = [h.strip() for h in header or []]
    missing = [f.name for f in table.schema.fields if f.required and f.name not in header]
    found = []
    for number, line, raw, failure in rows[1:]:
        # a cell written with a ' against formula injection reads back as it was (cells.py)
        cells = None if raw is None else [restore(cell) for cell in raw]
        errors: list[FieldError] = []
        values: dict[str, str] = {}
        if cells is None:
            errors.append(FieldError(f"{table.file}:row {number}", "csv-quoting",
                                     f"the row is not valid CSV ({failure})"))
            # only to find the record the broken row belongs to, so it fails with it
            loose = [restore(cell.strip().strip('"')) for cell in line.split(partner.delimiter)]
            values = dict(zip(header, loose, strict=False))
        elif len(cells) != len(header):
            errors.append(FieldError(f"{table.file}:row {number}", "csv-field-count",
                                     f"{len(cells)} fields, the header has {len(header)}"))
            values = dict(zip(header, cells, strict=False))
        else:
            values = dict(zip(header, cells, strict=True))
        errors += [FieldError(f"{table.file}:row {number}:{name}", "missing-column",
                              "required column is not in the header") for name in missing]
        typed = None
        if not errors:
            field_errors: list[FieldError] = []
            typed = read_value(values, table.schema, "", partner.clock, field_errors)
            errors += [FieldError(f"{table.file}:row {number}:{e.path}", e.rule, e.message)
                       for e in field_errors]
        found.append(_Row(table, number, line, values, None if errors else typed, errors))
    return [header_line], found


def read_csv_tables(partner: Partner, texts: Mapping[str, str]) -> ReadResult:
    """Read a CSV export (file name -> text) into one record per key (``partner.key``).

    Each table row joins the record named in its ``group`` column, or through ``via``/``link`` the
    record of a row it points to. A record with a broken row fails as a whole (a household
    without one of its members would be a false picture); a row that belongs to no record fails
    on its own (``orphan-row``). Row numbers count the header as row 1.

    Example::

        >>> from fhir_regie.mapping.spec import load_partner
        >>> result = read_csv_tables(load_partner("gemeente-suite"), {})
        >>> result.count
        0
    """
    headers: dict[str, list[str]] = {}
    rows: list[_Row] = []
    for table in partner.tables:
        text = texts.get(table.file)
        if text is None:
            continue
        headers[table.name], table_rows = _read_table(table, text, partner)
        rows += table_rows
    groups: dict[str, list[_Row]] = {}
    orphans: list[_Row] = []
    owner: dict[tuple[str, str, str], str] = {}  # (table, column, value) -> record key
    for table in partner.tables:  # tables in metadata order: a `via` table comes after its target
        for row in (r for r in rows if r.table is table):
            key = None
            if table.group:
                key = row.values.get(table.group, "").strip() or None
            elif table.via and table.link:
                key = owner.get((table.via, table.link, row.values.get(table.link, "").strip()))
            if key is None:
                orphans.append(row)
                continue
            groups.setdefault(key, []).append(row)
            for column, value in row.values.items():
                owner.setdefault((table.name, column, value.strip()), key)
    result = ReadResult()
    for key, members in groups.items():
        original = {"content_type": "application/json", "tables": {}}
        for row in members:
            original["tables"].setdefault(row.table.file, list(headers[row.table.name])).append(
                row.line)
        failed = [r for r in members if r.errors]
        if failed:
            result.errors.append(RecordError(
                failed[0].location, key, tuple(e for r in failed for e in r.errors), original))
            continue
        data: dict[str, Any] = {partner.key or "key": key}
        for table in partner.tables:
            data[table.name] = [r.typed for r in members if r.table is table]
        result.records.append(SourceRecord(members[0].location, key, data, original))
    for row in orphans:
        errors = row.errors or [FieldError(row.location, "orphan-row",
                                           "belongs to no record: its link column matches "
                                           "no row it can join")]
        original = {"content_type": "application/json",
                    "tables": {row.table.file: [*headers[row.table.name], row.line]}}
        result.errors.append(RecordError(row.location, "", tuple(errors), original))
    return result


# ---------------------------------------------------------------------------------------- XML
def _xml_data(element: Element, spec: Field) -> Any:
    """An element as partner data shaped by the schema (text stays text until read_value)."""
    if spec.type == "object":
        found: dict[str, Any] = {}
        for sub in spec.fields:
            if sub.attribute:
                value: Any = element.get(sub.name)
            elif sub.text:
                value = element.text or ""
            else:
                child = element.find(sub.name)
                if child is None:
                    continue
                value = _xml_data(child, sub)
            if value is not None:
                found[sub.name] = value
        return found
    if spec.type == "list":
        assert spec.item is not None
        return [_xml_data(child, spec.item) for child in element.findall(spec.item.name)]
    return element.text or ""


def _xml_root(text: str) -> tuple[Element | None, RecordError | None]:
    try:
        return SafeET.fromstring(text), None
    except DefusedXmlException as refused:
        return None, RecordError("$", "", (FieldError("$", "xml-forbidden",
                                 f"refused: {refused.__class__.__name__} (DTDs and entities "
                                 "are not accepted)"),), {"content_type": "application/xml",
                                                          "text": text})
    except ParseError as failure:
        line, column = failure.position
        return None, RecordError(f"line {line}", "", (FieldError(
            f"line {line}, column {column}", "xml-syntax", "the file is not well-formed XML"),),
            {"content_type": "application/xml", "text": text})


def read_xml(partner: Partner, text: str) -> ReadResult:
    """Read an XML export: one record per ``record.element`` under the root element."""
    result = ReadResult()
    root, failure = _xml_root(text)
    if failure is not None or root is None:
        result.errors.append(failure)  # type: ignore[arg-type]
        return result
    assert partner.record is not None
    assert partner.record_element is not None
    if partner.root_element and root.tag != partner.root_element:
        result.errors.append(RecordError("/", "", (FieldError(
            "/", "xml-root", f"expected root element {partner.root_element}"),),
            {"content_type": "application/xml", "text": text}))
        return result
    for index, element in enumerate(root.findall(partner.record_element), start=1):
        location = f"/{root.tag}/{partner.record_element}[{index}]"
        original = {"content_type": "application/xml",
                    "text": tostring(element, encoding="unicode").strip()}
        _add(result, partner, _xml_data(element, partner.record), location, original)
    return result


def _add(result: ReadResult, partner: Partner, raw: Any, location: str,
         original: dict[str, Any]) -> None:
    assert partner.record is not None
    errors: list[FieldError] = []
    data = read_value(raw, partner.record, "", partner.clock, errors)
    key = _key_of(raw, partner.key).strip()
    if errors:
        result.errors.append(RecordError(location, key, tuple(errors), original))
    else:
        result.records.append(SourceRecord(location, key, data, original))


# --------------------------------------------------------------------------------------- JSON
def _json_items(text: str) -> tuple[list[tuple[str, Any]], RecordError | None]:
    """(location, value) per record of a JSON array, one JSON value, or JSON lines."""
    try:
        value = loads(text)
    except LimitError as failure:
        return [], RecordError("$", "", (FieldError("$", "json-limit", str(failure)),),
                               {"content_type": "application/json", "text": ""})
    except json.JSONDecodeError:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((f"line {number}", loads(line)))
            except LimitError as failure:
                items.append((f"line {number}", _Broken("", str(failure))))
            except json.JSONDecodeError as failure:
                if number == 1:
                    return [], RecordError("$", "", (FieldError(
                        f"line {failure.lineno}, column {failure.colno}", "json-syntax",
                        failure.msg),), {"content_type": "application/json", "text": text})
                items.append((f"line {number}", _Broken(line, failure.msg)))
        return items, None
    if isinstance(value, list):
        return [(f"$[{i}]", v) for i, v in enumerate(value)], None
    return [("$", value)], None


@dataclass(frozen=True)
class _Broken:
    text: str
    message: str


def read_json(partner: Partner, text: str) -> ReadResult:
    """Read a JSON export: an array of records, one record, or JSON lines."""
    result = ReadResult()
    items, failure = _json_items(text)
    if failure is not None:
        result.errors.append(failure)
        return result
    for location, value in items:
        if isinstance(value, _Broken):
            result.errors.append(RecordError(location, "", (FieldError(
                location, "json-syntax", value.message),),
                {"content_type": "application/json", "text": value.text}))
            continue
        original = {"content_type": "application/json",
                    "text": json.dumps(value, ensure_ascii=False)}
        _add(result, partner, value, location, original)
    return result


def read_bundles(text: str) -> ReadResult:
    """FHIR input of a from-fhir map: a Bundle, an array of Bundles, or Bundles as JSON lines.
    The key of a record is the Bundle's id when it has one."""
    result = ReadResult()
    items, failure = _json_items(text)
    if failure is not None:
        result.errors.append(failure)
        return result
    for location, value in items:
        raw = value.text if isinstance(value, _Broken) else json.dumps(value, ensure_ascii=False)
        original = {"content_type": "application/fhir+json", "text": raw}
        if isinstance(value, _Broken):
            result.errors.append(RecordError(location, "", (FieldError(
                location, "json-syntax", value.message),), original))
        elif not isinstance(value, dict) or value.get("resourceType") != "Bundle":
            result.errors.append(RecordError(location, "", (FieldError(
                location, "not-a-bundle", "expected a FHIR Bundle"),), original))
        else:
            result.records.append(SourceRecord(location, str(value.get("id", "")), value,
                                               original))
    return result
