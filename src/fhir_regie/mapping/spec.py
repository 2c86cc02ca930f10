"""A partner's mapping: its metadata (``mapping.yaml``) and its JSONata maps, loaded once.

Lookup: ``mappings/<partner>/`` of the source checkout, or a folder given explicitly (a partner
folder or a folder of partner folders, e.g. from ``FHIR_REGIE_MAPPINGS``). The metadata schema
is documented in docs/mapping.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from fhir_regie.mapping.schema import Clock, Field, SchemaError, record_field

FORMATS = ("csv", "xml", "json", "fhir")
DIRECTIONS = ("to-fhir", "from-fhir")
MAPPINGS_ENV = "FHIR_REGIE_MAPPINGS"


class SpecError(ValueError):
    """A partner cannot be found or its metadata is malformed (one line, names the file)."""


@dataclass(frozen=True)
class Table:
    """One CSV file of a partner export and how its rows join the record.

    ``group``: the column holding the record key (``huishoudnummer``), or ``via``/``link``: the
    row belongs to the record of the row in table ``via`` with the same value in column
    ``link``."""

    name: str
    file: str
    schema: Field
    group: str | None = None
    via: str | None = None
    link: str | None = None
    multiline: bool = False


@dataclass(frozen=True)
class Lossless:
    """A field that survives partner -> FHIR -> partner unchanged: its path in the record the
    to-fhir map reads and in the record the from-fhir map writes (the same path for symmetric
    partners). ``[]`` in a path means every item of a list, matched by position."""

    source: str
    back: str


@dataclass(frozen=True)
class Partner:
    """Everything the engine needs to know about one partner."""

    name: str
    folder: Path
    title: str
    format: str  # what the partner sends (to-fhir input) and receives (from-fhir output)
    directions: tuple[str, ...]
    clock: Clock
    source_organisation: dict[str, Any]
    profiles: tuple[str, ...] = ()  # profile ids the to-fhir resources claim
    plain_types: tuple[str, ...] = ()  # base resource types a to-fhir map may make
    record: Field | None = None  # xml/json: one to-fhir input record
    record_element: str | None = None  # xml: tag of one record under the root
    root_element: str | None = None  # xml: the root tag
    key: str | None = None  # path of the record key in a to-fhir input record
    tables: tuple[Table, ...] = ()  # csv
    delimiter: str = ";"
    out_record: Field | None = None  # xml/json: one from-fhir output record
    out_root_element: str | None = None
    out_record_element: str | None = None
    out_tables: tuple[Table, ...] = ()  # csv, from-fhir: defaults to ``tables``
    lossless: tuple[Lossless, ...] = ()
    maps: dict[str, str] = field(default_factory=dict)  # direction -> JSONata text

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    def map_text(self, direction: str) -> str:
        if direction not in self.maps:
            raise SpecError(f"{self.name}: no {direction} map (directions: "
                            f"{', '.join(self.directions)})")
        return self.maps[direction]


def mappings_root(start: Path | None = None) -> Path:
    """The folder holding the partner folders: ``$FHIR_REGIE_MAPPINGS``, else ``mappings/`` of
    the source checkout this module lives in (or above ``start``), else the copy installed with
    the package (``fhir_regie/mapping/maps``, from a wheel)."""
    configured = os.environ.get(MAPPINGS_ENV)
    if configured:
        return Path(configured)
    for base in [start or Path.cwd(), Path(__file__).resolve()]:
        for folder in [base, *base.parents]:
            if (folder / "mappings").is_dir() and (folder / "pyproject.toml").exists():
                return folder / "mappings"
    installed = Path(__file__).resolve().parent / "maps"
    if any(installed.glob("*/mapping.yaml")):
        return installed
    raise SpecError(f"no mappings folder found; set {MAPPINGS_ENV}")


def partner_names(root: Path | None = None) -> list[str]:
    folder = root or mappings_root()
    return sorted(p.name for p in folder.iterdir() if (p / "mapping.yaml").exists())


def _table(name: str, spec: Mapping[str, Any], where: str) -> Table:
    try:
        return Table(name=name, file=spec.get("file", f"{name}.csv"),
                     schema=record_field(name, spec["fields"]), group=spec.get("group"),
                     via=spec.get("via"), link=spec.get("link"),
                     multiline=bool(spec.get("multiline", False)))
    except KeyError as missing:
        raise SpecError(f"{where}: table {name}: missing {missing.args[0]}") from None


def _tables(spec: Mapping[str, Any] | None, where: str) -> tuple[Table, ...]:
    return tuple(_table(name, table, where) for name, table in (spec or {}).items())


def _lossless(entries: list[Any]) -> tuple[Lossless, ...]:
    found = []
    for entry in entries:
        if isinstance(entry, str):
            found.append(Lossless(entry, entry))
        else:
            found.append(Lossless(entry["field"], entry.get("back", entry["field"])))
    return tuple(found)


def load_partner_from(folder: Path) -> Partner:
    """Load a partner folder (``mapping.yaml`` and the maps it names)."""
    meta_file = folder / "mapping.yaml"
    where = str(meta_file)
    try:
        meta = yaml.safe_load(meta_file.read_text(encoding="utf-8"))
    except OSError:
        raise SpecError(f"{where}: cannot read the partner metadata") from None
    except yaml.YAMLError as failure:
        raise SpecError(f"{where}: not valid YAML ({failure.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise SpecError(f"{where}: expected a mapping at the top level")
    try:
        fmt = meta["format"]
        if fmt not in FORMATS:
            raise SpecError(f"{where}: format {fmt!r} is not one of {', '.join(FORMATS)}")
        maps = {}
        for direction in DIRECTIONS:
            section = meta.get(direction.replace("-", "_")) or {}
            if section:
                maps[direction] = (folder / section.get("map", f"{direction}.jsonata")).read_text(
                    encoding="utf-8")
        to_fhir = meta.get("to_fhir") or {}
        from_fhir = meta.get("from_fhir") or {}
        record = meta.get("record") or {}
        out = from_fhir.get("record") or {}
        return Partner(
            name=meta.get("partner", folder.name), folder=folder,
            title=meta.get("title", folder.name), format=fmt,
            directions=tuple(d for d in DIRECTIONS if d in maps),
            clock=Clock(ZoneInfo(meta.get("timezone", "Europe/Amsterdam"))),
            source_organisation=meta.get("source_organisation") or {},
            profiles=tuple(to_fhir.get("profiles", ())),
            plain_types=tuple(to_fhir.get("plain_types", ())),
            record=record_field(record.get("name", "record"), record["fields"])
            if record.get("fields") else None,
            record_element=record.get("element"), root_element=record.get("root"),
            key=record.get("key") or meta.get("key"),
            tables=_tables(meta.get("tables"), where),
            delimiter=meta.get("delimiter", ";"),
            out_record=record_field(out.get("name", "record"), out["fields"])
            if out.get("fields") else None,
            out_root_element=out.get("root"), out_record_element=out.get("element"),
            out_tables=_tables(from_fhir.get("tables"), where),
            lossless=_lossless(meta.get("lossless", [])),
            maps=maps,
        )
    except SchemaError as failure:
        raise SpecError(f"{where}: {failure}") from None
    except ZoneInfoNotFoundError:
        raise SpecError(f"{where}: unknown timezone") from None
    except (KeyError, TypeError) as failure:
        raise SpecError(f"{where}: malformed metadata ({failure})") from None
    except OSError as failure:
        raise SpecError(f"{where}: cannot read a map ({failure.strerror})") from None


@cache
def _load_cached(folder: str) -> Partner:
    return load_partner_from(Path(folder))


def load_partner(name: str, root: Path | None = None) -> Partner:
    """The partner called ``name`` under ``root`` (default :func:`mappings_root`).

    Example::

        >>> load_partner("gemeente-suite").format
        'csv'
    """
    folder = (root or mappings_root()) / name
    if not (folder / "mapping.yaml").exists():
        known = ", ".join(partner_names(root or mappings_root()))
        raise SpecError(f"unknown partner {name!r} (known: {known})")
    return _load_cached(str(folder.resolve()))
