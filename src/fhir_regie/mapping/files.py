"""The file-level wrapper around the engine: read a partner file (or a folder of CSV files),
map every record, write the output and a dead-letter file, and count.

Dead-letter file: JSON lines, one failed record per line: ``location`` (row number, element path
or JSON path), ``key``, ``errors`` (path, rule, message), ``original`` (the record's original
text), plus ``partner``, ``direction``, ``source`` (the input file) and ``at``. It is written only
when a record failed; it is the only place a failed record's content goes (never the terminal).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Protocol, TextIO

from fhir_regie.limits import LimitError, Limits, positive_setting, read_text
from fhir_regie.mapping.engine import MappedRecord, iter_mapped
from fhir_regie.mapping.errors import RecordError
from fhir_regie.mapping.readers import (
    CsvRecords,
    JsonLines,
    Opener,
    ReadResult,
    SourceRecord,
    read_bundles,
    read_json,
    read_xml,
)
from fhir_regie.mapping.spec import Partner
from fhir_regie.mapping.writers import write_csv_tables, write_json_lines, write_xml
from fhir_regie.private_files import open_private, write_private

MAX_EXPORT_BYTES = 1024 ** 3
ENV_EXPORT_BYTES = "FHIR_REGIE_MAX_EXPORT_BYTES"


class InputError(ValueError):
    """The input cannot be read at all (missing, not UTF-8); nothing was mapped."""


@dataclass
class FileSummary:
    records_in: int = 0
    mapped: int = 0
    errors: list[RecordError] = field(default_factory=list)
    dead_letter: Path | None = None
    outputs: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


def _text(path: Path) -> str:
    try:
        return read_text(path)
    except LimitError as failure:
        raise InputError(f"{path}: {failure}") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as failure:
        raise InputError(f"{path}: cannot read ({failure.strerror})") from None


def max_export_bytes() -> int:
    """The largest export file read in parts (CSV, JSON lines): ``FHIR_REGIE_MAX_EXPORT_BYTES``,
    1 GiB by default. Each row or line of it stays under the limit of one document
    (``FHIR_REGIE_MAX_BYTES``)."""
    try:
        return int(positive_setting(ENV_EXPORT_BYTES, MAX_EXPORT_BYTES, int))
    except ValueError as failure:
        raise InputError(str(failure)) from None


def _opener(path: Path) -> Opener:
    """Open ``path`` for reading in parts, refused when it is larger than an export may be."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as failure:
        raise InputError(f"{path}: cannot read ({failure.strerror})") from None
    limit = max_export_bytes()
    if size > limit:
        raise InputError(f"{path}: te groot: meer dan {limit} bytes ({ENV_EXPORT_BYTES}), "
                         f"{size} bytes aangeboden")
    return partial(path.open, "rb")


class Records(Protocol):
    """Records to map, counted before the first is read (progress bars)."""

    count: int

    def __iter__(self) -> Iterator[SourceRecord | RecordError]: ...


@dataclass
class _Read:
    """A whole-file read as :class:`Records`: the errors first, then the records."""

    read: ReadResult

    @property
    def count(self) -> int:
        return self.read.count

    def __iter__(self) -> Iterator[SourceRecord | RecordError]:
        yield from self.read.errors
        yield from self.read.records


def _csv_records(partner: Partner, source: Path) -> CsvRecords:
    if source.is_dir():
        openers = {t.file: _opener(source / t.file) for t in partner.tables
                   if (source / t.file).exists()}
        if not openers:
            raise InputError(f"{source}: none of the tables "
                             f"({', '.join(t.file for t in partner.tables)})")
    elif source.name in {t.file for t in partner.tables}:
        openers = {source.name: _opener(source)}
    else:
        raise InputError(f"{source}: expected a folder with "
                         f"{', '.join(t.file for t in partner.tables)}")
    try:
        return CsvRecords(partner, openers, max_row=Limits.from_env().max_bytes)
    except UnicodeDecodeError as failure:
        raise InputError(f"{source}: not UTF-8 text (byte {failure.start} of a row)") from None
    except OSError as failure:
        raise InputError(f"{source}: cannot read ({failure.strerror})") from None


def open_input(partner: Partner, direction: str, source: Path) -> Records:
    """The records of ``source`` for ``direction``, read in parts where the format allows:
    a CSV export is indexed first and read one record at a time; a JSON or FHIR file larger
    than one document may be (``FHIR_REGIE_MAX_BYTES``) is read as JSON lines, a line at a
    time. XML and smaller JSON files are read whole. Raises :class:`InputError` when the input
    cannot be read at all."""
    if direction != "from-fhir" and partner.format == "csv":
        return _csv_records(partner, source)
    if partner.format != "xml" or direction == "from-fhir":
        try:
            large = source.is_file() and source.stat().st_size > Limits.from_env().max_bytes
        except OSError:
            large = False
        if large:
            try:
                return JsonLines(None if direction == "from-fhir" else partner, _opener(source),
                                 bundles=direction == "from-fhir")
            except OSError as failure:
                raise InputError(f"{source}: cannot read ({failure.strerror})") from None
    return _Read(read_input(partner, direction, source))


def read_input(partner: Partner, direction: str, source: Path) -> ReadResult:
    """All records of ``source`` for ``direction`` at once (a folder of CSV files for CSV
    partners); :func:`open_input` reads large inputs in parts."""
    if direction == "from-fhir":
        return read_bundles(_text(source))
    if partner.format == "csv":
        return ReadResult.of(_csv_records(partner, source))
    if partner.format == "xml":
        return read_xml(partner, _text(source))
    return read_json(partner, _text(source))


def _write_output(partner: Partner, direction: str, values: list[object],
                  target: Path) -> list[Path]:
    if direction == "to-fhir" or partner.format in ("fhir", "json"):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(target, write_json_lines(values))
        return [target]
    if partner.format == "xml":
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(target, write_xml(partner, values))
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in write_csv_tables(partner, values).items():  # type: ignore[arg-type]
        write_private(target / name, text)
        written.append(target / name)
    return written


def dead_letter_path(output: Path) -> Path:
    """Default dead-letter file beside the output: ``OUT.dead-letter.jsonl``."""
    return output.with_name(output.name + ".dead-letter.jsonl")


def map_file(partner: Partner, direction: str, source: Path, output: Path, *, at: datetime,
             dead_letter: Path | None = None,
             on_record: Callable[[int, int], None] | None = None) -> FileSummary:
    """Map a partner file to ``output`` (to-fhir: Bundles as JSON lines; from-fhir: the
    partner's format); failed records go to ``dead_letter`` (default beside the output).

    ``on_record(total, failed_so_far)`` is called after every record (progress bars)."""
    records = open_input(partner, direction, source)
    summary = FileSummary(records_in=records.count)

    def readable() -> Iterator[SourceRecord]:
        # what could not be read goes to the dead letters in its place, the rest to the map
        for item in records:
            if isinstance(item, RecordError):
                summary.errors.append(item)
                if on_record:
                    on_record(records.count, len(summary.errors))
            else:
                yield item

    # JSON lines (to-fhir, FHIR and JSON partners) are written as records are mapped, so the
    # outputs of a large export are never all in memory; CSV and XML are written at the end
    streamed = direction == "to-fhir" or partner.format in ("fhir", "json")
    values: list[object] = []
    sink: TextIO | None = None
    try:
        for item in iter_mapped(partner, direction, readable(), at=at):
            if isinstance(item, MappedRecord):
                summary.mapped += 1
                if not streamed:
                    values.append(item.value)
                else:
                    if sink is None:
                        output.parent.mkdir(parents=True, exist_ok=True)
                        sink = open_private(output)
                    sink.write(json.dumps(item.data, ensure_ascii=False) + "\n")
                    sink.flush()  # whole lines on disk as they are mapped
            else:
                summary.errors.append(item)
            if on_record:
                on_record(records.count, len(summary.errors))
    finally:
        if sink is not None:
            sink.close()
    if streamed and sink is not None:
        summary.outputs = [output]
    else:  # CSV or XML, or nothing mapped: an empty output all the same
        summary.outputs = _write_output(partner, direction, values, output)
    target = dead_letter or dead_letter_path(output)
    if summary.errors:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open_private(target) as sink:
            for error in summary.errors:
                line = {"partner": partner.name, "direction": direction, "source": str(source),
                        "at": at.isoformat(), **error.to_dict()}
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")
        summary.dead_letter = target
    return summary
