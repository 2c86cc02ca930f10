"""Drop directories: how a file-based partner and the sync engine hand each other exports.

Convention (both ways, docs/sync.md "File partners"):

- an export is one **sub-folder** for a CSV partner (its table files inside) or one **file** for
  an XML or JSON partner; exports are read in name order, so partners name them sortably
  (``20261201T101500-0001``);
- a name starting with ``.`` is still being written and is skipped; the writer renames it when
  complete (a rename is atomic on one file system), which is how this module writes;
- an export is read once per content: the engine records its name and a SHA-256 of its bytes,
  so a re-delivered export with the same content is not read again, a corrected one is.

File I/O only; mapping and everything after it is the engine's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fhir_regie.mapping.files import read_input
from fhir_regie.mapping.readers import ReadResult
from fhir_regie.mapping.spec import Partner
from fhir_regie.mapping.writers import write_csv_tables, write_json_lines, write_xml
from fhir_regie.private_files import open_private

SUFFIXES = {"xml": (".xml",), "json": (".json", ".jsonl", ".ndjson"),
            "fhir": (".json", ".jsonl", ".ndjson")}


def exports(inbox: Path, partner: Partner) -> list[Path]:
    """The complete exports in a drop directory, in name order."""
    if not inbox.is_dir():
        return []
    found = []
    for path in sorted(inbox.iterdir(), key=lambda p: p.name):
        if path.name.startswith((".", "_")):
            continue
        folder = partner.format == "csv" and path.is_dir()
        single = partner.format != "csv" and path.is_file() and \
            path.suffix.lower() in SUFFIXES.get(partner.format, ())
        if folder or single:
            found.append(path)
    return found


def digest(export: Path) -> str:
    """SHA-256 over the export's files (names and bytes)."""
    sha = hashlib.sha256()
    files = sorted(p for p in export.rglob("*") if p.is_file()) if export.is_dir() else [export]
    for path in files:
        sha.update(str(path.relative_to(export) if export.is_dir() else path.name).encode())
        sha.update(b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()


def read_export(partner: Partner, export: Path) -> ReadResult:
    """The records of an export (the mapping layer's readers; errors per record)."""
    return read_input(partner, "to-fhir", export)


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_file(path: Path, text: str) -> None:
    with open_private(path) as sink:  # an export holds personal data: mode 0600
        sink.write(text)
        sink.flush()
        os.fsync(sink.fileno())


def export_path(outbox: Path, partner: Partner, name: str) -> Path:
    if partner.format == "csv":
        return outbox / name
    suffix = ".xml" if partner.format == "xml" else ".jsonl"
    return outbox / f"{name}{suffix}"


def write_export(outbox: Path, partner: Partner, name: str,
                 records: Iterable[Mapping[str, Any]]) -> Path:
    """Write records in the partner's format as export ``name`` (written under a ``.`` name,
    synced to disk, then renamed). An export of that name already there is left as it is and
    returned: a redone batch must not change what the partner may already have read."""
    outbox.mkdir(parents=True, exist_ok=True)
    final = export_path(outbox, partner, name)
    if final.exists():
        return final
    temporary = outbox / f".{final.name}.tmp"
    if temporary.exists():
        shutil.rmtree(temporary) if temporary.is_dir() else temporary.unlink()
    values = list(records)
    if partner.format == "csv":
        temporary.mkdir()
        for file_name, text in write_csv_tables(partner, values).items():
            _write_file(temporary / file_name, text)
        _fsync_dir(temporary)
    elif partner.format == "xml":
        _write_file(temporary, write_xml(partner, values))
    else:
        _write_file(temporary, write_json_lines(values))
    temporary.rename(final)
    _fsync_dir(outbox)
    return final
