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
import io
import json
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from fhir_regie.limits import MAX_BYTES, LimitError, loads
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

    @classmethod
    def of(cls, items: Iterable[SourceRecord | RecordError]) -> ReadResult:
        """Records and errors as a reader yields them, gathered."""
        found = cls()
        for item in items:
            (found.errors if isinstance(item, RecordError) else found.records).append(item)
        return found


def _key_of(data: Any, path: str | None) -> str:
    value = data
    for part in (path or "").split(".") if path else []:
        value = value.get(part) if isinstance(value, Mapping) else None
    return str(value) if isinstance(value, str | int) else ""


# ---------------------------------------------------------------------------------------- CSV
# A CSV export is read in two passes, so that memory does not grow with the export's rows:
# the first pass reads every row once to learn which record it joins and remembers only where
# the row is (byte offsets); the second reads one record's rows at a time. A household's rows
# may be anywhere in its files, so a record cannot be built before the first pass has ended.

Opener = Callable[[], BinaryIO]


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


@dataclass(frozen=True)
class _Physical:
    """One CSV row as found: row number, byte span in the file, text, cells (None when the row
    is not valid CSV) and the parser's complaint."""

    number: int
    start: int
    end: int
    text: str
    cells: list[str] | None
    failure: str


_BOM = b"\xef\xbb\xbf"


def _lines(handle: BinaryIO, max_row: int) -> Iterator[tuple[int, int, int, str, bool]]:
    """(line number, start, end, text, too long) per line of the file; the span leaves out the
    line end (and a byte order mark). A line longer than ``max_row`` bytes is never held whole:
    its text is its first ``max_row`` bytes (enough to find the record it belongs to) and the
    rest is skipped."""
    offset = 0
    number = 0
    while True:
        raw = handle.readline(max_row + 1)
        if not raw:
            return
        number += 1
        length = len(raw)
        too_long = not raw.endswith(b"\n") and length > max_row
        while too_long:  # skip the rest of the line
            rest = handle.readline(max_row + 1)
            length += len(rest)
            if not rest or rest.endswith(b"\n"):
                break
        text = raw[len(_BOM):] if number == 1 and raw.startswith(_BOM) else raw
        stripped = text.rstrip(b"\r\n")
        begin = offset + len(raw) - len(text)
        end = offset + length - (len(text) - len(stripped) if not too_long else 0)
        offset += length
        yield number, begin, end, stripped.decode("utf-8", "replace" if too_long else "strict"), \
            too_long


def _physical_rows(handle: BinaryIO, table: Table, delimiter: str,
                   max_row: int) -> Iterator[_Physical]:
    """Every row of a table file, in order. Without multi-line fields every line is parsed on
    its own, so a broken quote costs one row, not the rest of the file; with them, a row whose
    open quote would swallow more than ``max_row`` bytes fails on its own and reading resumes
    at the next line."""
    too_long = f"the row is longer than {max_row} bytes"
    lines = _lines(handle, max_row)
    if not table.multiline:
        for number, begin, end, line, oversize in lines:
            if not line.strip():
                continue
            if oversize:  # the text is the row's start: enough to find its record
                yield _Physical(number, begin, end, line, None, too_long)
                continue
            try:
                cells = next(csv.reader([line], delimiter=delimiter, strict=True))
                yield _Physical(number, begin, end, line, cells, "")
            except (csv.Error, StopIteration) as failure:
                yield _Physical(number, begin, end, line, None, str(failure))
        return
    yield from _multiline_rows(lines, delimiter, max_row, too_long)


def _multiline_rows(lines: Iterator[tuple[int, int, int, str, bool]], delimiter: str,
                    max_row: int, too_long: str) -> Iterator[_Physical]:
    """Rows of a table whose quoted cells may hold line ends."""
    pending: list[tuple[int, int, int, str, bool]] = []  # the lines of the row being read
    replay: list[tuple[int, int, int, str, bool]] = []  # lines to read again after a failure
    overflow: list[bool] = []

    def feed() -> Iterator[str]:
        while True:
            item = replay.pop(0) if replay else next(lines, None)
            if item is None:
                return
            pending.append(item)
            if item[4] or item[2] - pending[0][1] > max_row:
                overflow.append(True)
                return
            yield item[3] + "\n"  # a line end inside a quoted cell stays in the cell

    while True:
        reader = csv.reader(feed(), delimiter=delimiter, strict=True)
        while True:
            failure: str | None = ""
            cells: list[str] | None = None
            try:
                cells = next(reader)
            except StopIteration:
                failure = None
            except csv.Error as error:
                failure = str(error)
            if overflow:
                overflow.clear()
                failure = too_long
            elif failure is None:
                return
            if not pending:
                continue
            first, last = pending[0], pending[-1]
            if failure and len(pending) > 1:
                # an open quote took the lines after it: only its first line fails, the
                # others are read again as rows of their own, so none is lost unseen
                replay[:0] = pending[1:]
                pending.clear()
                yield _Physical(first[0], first[1], first[2], first[3], None, failure)
                break  # a fresh parser for the lines read again
            text = "\n".join(item[3] for item in pending)
            pending.clear()
            if failure:
                yield _Physical(first[0], first[1], last[2], text, None, failure)
                if failure == too_long:
                    break
            elif cells:
                yield _Physical(first[0], first[1], last[2], text, cells, "")


def _row_values(table: Table, header: list[str], physical: _Physical,
                delimiter: str) -> tuple[dict[str, str], list[FieldError]]:
    """A row's cells by column name, and what is wrong with its shape."""
    number = physical.number
    # a cell written with a ' against formula injection reads back as it was (cells.py)
    cells = None if physical.cells is None else [restore(cell) for cell in physical.cells]
    errors: list[FieldError] = []
    if cells is None:
        rule = "csv-row-size" if physical.failure.startswith("the row is longer") else \
            "csv-quoting"
        message = physical.failure if rule == "csv-row-size" else \
            f"the row is not valid CSV ({physical.failure})"
        errors.append(FieldError(f"{table.file}:row {number}", rule, message))
        # only to find the record the broken row belongs to, so it fails with it
        loose = [restore(cell.strip().strip('"')) for cell in physical.text.split(delimiter)]
        return dict(zip(header, loose, strict=False)), errors
    if len(cells) != len(header):
        errors.append(FieldError(f"{table.file}:row {number}", "csv-field-count",
                                 f"{len(cells)} fields, the header has {len(header)}"))
        return dict(zip(header, cells, strict=False)), errors
    return dict(zip(header, cells, strict=True)), errors


@dataclass
class _TableIndex:
    table: Table
    opener: Opener
    header_line: str = ""
    header: list[str] = field(default_factory=list)


class CsvRecords:
    """The records of a CSV export, read in two passes (see above): ``count`` is known after
    the first; iterating yields a :class:`SourceRecord` or a :class:`RecordError` per record, in
    the order their first row appears, then the rows that belong to no record.

    Memory: per record its key and the byte spans of its rows (a few dozen bytes a row), never
    the rows' text; one record's rows are read back when it is its turn."""

    def __init__(self, partner: Partner, openers: Mapping[str, Opener], *,
                 max_row: int = MAX_BYTES) -> None:
        self.partner = partner
        self.max_row = max_row
        self._tables = [_TableIndex(t, openers[t.file]) for t in partner.tables
                        if t.file in openers]
        # record key -> flat (table index, row number, start, end) per row
        self._groups: dict[str, array[int]] = {}
        self._orphans: array[int] = array("q")
        self._index()

    @property
    def count(self) -> int:
        return len(self._groups) + len(self._orphans) // 4

    def _index(self) -> None:
        linked = {(t.via, t.link) for t in self.partner.tables if t.via and t.link}
        # (table, column) -> value -> record key, for the columns another table links to
        owner: dict[tuple[str, str], dict[str, str]] = {pair: {} for pair in linked}
        for position, entry in enumerate(self._tables):
            table = entry.table
            keep = [column for name, column in linked if name == table.name]
            with entry.opener() as handle:
                rows = _physical_rows(handle, table, self.partner.delimiter, self.max_row)
                first = next(rows, None)
                if first is None:
                    continue
                entry.header_line = first.text
                entry.header = [h.strip() for h in first.cells or []]
                for physical in rows:
                    values, _ = _row_values(table, entry.header, physical,
                                            self.partner.delimiter)
                    key = None
                    if table.group:
                        key = values.get(table.group, "").strip() or None
                    elif table.via and table.link:
                        key = owner[(table.via, table.link)].get(
                            values.get(table.link, "").strip())
                    span = (position, physical.number, physical.start, physical.end)
                    if key is None:
                        self._orphans.extend(span)
                        continue
                    self._groups.setdefault(key, array("q")).extend(span)
                    for column in keep:
                        owner[(table.name, column)].setdefault(values.get(column, "").strip(),
                                                               key)

    def _rows(self, spans: array[int], handles: dict[int, BinaryIO]) -> list[_Row]:
        found = []
        for i in range(0, len(spans), 4):
            position, number, start, end = spans[i:i + 4]
            entry = self._tables[position]
            table = entry.table
            handle = handles.get(position)
            if handle is None:
                handle = handles[position] = entry.opener()
            line = ""
            if end - start <= self.max_row:  # a longer row failed in the first pass
                handle.seek(start)
                try:
                    line = handle.read(end - start).decode("utf-8").replace("\r\n", "\n")
                except UnicodeDecodeError:  # the file changed after the first pass
                    line = ""
            if end - start > self.max_row:
                physical = _Physical(number, start, end, "", None,
                                     f"the row is longer than {self.max_row} bytes")
            elif table.multiline:
                try:
                    parsed = next(csv.reader(io.StringIO(line), delimiter=self.partner.delimiter,
                                             strict=True), [])
                    physical = _Physical(number, start, end, line, parsed, "")
                except csv.Error as failure:
                    physical = _Physical(number, start, end, line, None, str(failure))
            else:
                try:
                    parsed = next(csv.reader([line], delimiter=self.partner.delimiter,
                                             strict=True))
                    physical = _Physical(number, start, end, line, parsed, "")
                except (csv.Error, StopIteration) as failure:
                    physical = _Physical(number, start, end, line, None, str(failure))
            values, errors = _row_values(table, entry.header, physical, self.partner.delimiter)
            missing = [f.name for f in table.schema.fields
                       if f.required and f.name not in entry.header]
            errors += [FieldError(f"{table.file}:row {number}:{name}", "missing-column",
                                  "required column is not in the header") for name in missing]
            typed = None
            if not errors:
                field_errors: list[FieldError] = []
                typed = read_value(values, table.schema, "", self.partner.clock, field_errors)
                errors += [FieldError(f"{table.file}:row {number}:{e.path}", e.rule, e.message)
                           for e in field_errors]
            found.append(_Row(table, number, physical.text, values,
                              None if errors else typed, errors))
        return found

    def _original(self, members: list[_Row]) -> dict[str, Any]:
        headers = {e.table.name: e.header_line for e in self._tables}
        original: dict[str, Any] = {"content_type": "application/json", "tables": {}}
        for row in members:
            original["tables"].setdefault(row.table.file, [headers[row.table.name]]).append(
                row.line)
        return original

    def __iter__(self) -> Iterator[SourceRecord | RecordError]:
        handles: dict[int, BinaryIO] = {}
        try:
            for key, spans in self._groups.items():
                members = self._rows(spans, handles)
                original = self._original(members)
                failed = [r for r in members if r.errors]
                if failed:
                    yield RecordError(failed[0].location, key,
                                      tuple(e for r in failed for e in r.errors), original)
                    continue
                data: dict[str, Any] = {self.partner.key or "key": key}
                for entry in self._tables:
                    data[entry.table.name] = [r.typed for r in members
                                              if r.table is entry.table]
                for table in self.partner.tables:
                    data.setdefault(table.name, [])
                yield SourceRecord(members[0].location, key, data, original)
            for i in range(0, len(self._orphans), 4):
                row = self._rows(self._orphans[i:i + 4], handles)[0]
                errors = row.errors or [FieldError(row.location, "orphan-row",
                                                   "belongs to no record: its link column "
                                                   "matches no row it can join")]
                yield RecordError(row.location, "", tuple(errors), self._original([row]))
        finally:
            for handle in handles.values():
                handle.close()


def read_csv_tables(partner: Partner, texts: Mapping[str, str]) -> ReadResult:
    """Read a CSV export (file name -> text) into one record per key (``partner.key``).

    Each table row joins the record named in its ``group`` column, or through ``via``/``link`` the
    record of a row it points to. A record with a broken row fails as a whole (a household
    without one of its members would be a false picture); a row that belongs to no record fails
    on its own (``orphan-row``). Row numbers count the header as row 1. Files are read as
    :class:`CsvRecords` (``fhir_regie.mapping.files`` streams them from disk).

    Example::

        >>> from fhir_regie.mapping.spec import load_partner
        >>> result = read_csv_tables(load_partner("gemeente-suite"), {})
        >>> result.count
        0
    """
    openers = {name: partial(io.BytesIO, text.encode("utf-8")) for name, text in texts.items()}
    return ReadResult.of(CsvRecords(partner, openers))


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


class JsonLines:
    """A large JSON-lines file read one line at a time: ``count`` (lines that are not blank) is
    known after a first pass; iterating yields a :class:`SourceRecord` or :class:`RecordError`
    per line, each line under the size and depth limits. ``bundles`` reads FHIR Bundles (the
    input of a from-fhir map) instead of partner records. A file whose first line is not JSON
    on its own (a JSON array, a pretty-printed document) fails as one record: only JSON lines
    can be larger than the limit of one document."""

    def __init__(self, partner: Partner | None, opener: Opener, *, bundles: bool = False) -> None:
        self.partner = partner
        self.opener = opener
        self.bundles = bundles
        with opener() as handle:
            self.count = sum(1 for raw in handle if raw.strip())

    def __iter__(self) -> Iterator[SourceRecord | RecordError]:
        content_type = "application/fhir+json" if self.bundles else "application/json"
        with self.opener() as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                location = f"line {number}"
                try:
                    line = raw.decode("utf-8").rstrip("\r\n")
                    value = loads(line)
                except UnicodeDecodeError:
                    line, value = "", _Broken("", "the line is not UTF-8 text")
                except LimitError as failure:
                    line, value = "", _Broken("", str(failure))
                except json.JSONDecodeError as failure:
                    if number == 1:
                        yield RecordError("$", "", (FieldError(
                            "$", "json-lines", "the file is larger than one JSON document may "
                            f"be; only JSON lines are read in parts ({failure.msg} on line 1)"),),
                            {"content_type": content_type, "text": ""})
                        return
                    value = _Broken(line, failure.msg)
                yield from self._items(location, value, content_type)

    def _items(self, location: str, value: Any,
               content_type: str) -> Iterator[SourceRecord | RecordError]:
        # as the whole-file readers keep it, so a record's original does not depend on the
        # size of the file it came in
        original = {"content_type": content_type,
                    "text": value.text if isinstance(value, _Broken)
                    else json.dumps(value, ensure_ascii=False)}
        if isinstance(value, _Broken):
            yield RecordError(location, "", (FieldError(location, "json-syntax",
                                                        value.message),), original)
        elif self.bundles:
            if not isinstance(value, dict) or value.get("resourceType") != "Bundle":
                yield RecordError(location, "", (FieldError(
                    location, "not-a-bundle", "expected a FHIR Bundle"),), original)
            else:
                yield SourceRecord(location, str(value.get("id", "")), value, original)
        else:
            assert self.partner is not None
            found = ReadResult()
            _add(found, self.partner, value, location, original)
            yield from found.errors
            yield from found.records


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
