"""A partner's record schema: field names, types, required, formats (docs/mapping.md).

Partner files carry text; maps work on typed JSON. :func:`read_value` turns a partner's text into
the typed value (and is the partner-side check of incoming records); :func:`write_value` turns a
typed value back into the partner's text (and is the partner-side check of outgoing records).
Both report problems as :class:`FieldError` values with the field path and a rule id.

Typed values: ``string`` and ``code`` are ``str`` (leading and trailing white space, non-breaking
spaces included, removed; an empty text is an absent value); ``date`` is ISO ``YYYY-MM-DD``;
``datetime`` is ISO 8601 with the UTC offset; ``boolean`` is ``bool``; ``integer`` is ``int``;
``object`` a dict of fields; ``list`` a list of items.

Local times and summer time: partner exports write wall-clock time without an offset. It is read
in the partner's time zone (``timezone`` in the metadata, default Europe/Amsterdam). A wall-clock
time that did not exist there (the hour skipped when summer time starts, 2026-03-29 02:30) fails
the record with rule ``datetime-nonexistent``: we do not guess which moment was meant. A time that
happened twice (the hour repeated when summer time ends, 2026-10-25 02:30) is read as the first
occurrence (summer time, +02:00); the original text stays in the record's Binary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fhir_regie.mapping.errors import FieldError

TYPES = ("string", "code", "date", "datetime", "boolean", "integer", "object", "list")


class SchemaError(ValueError):
    """The metadata's schema itself is malformed (a mapping author's mistake)."""


@dataclass(frozen=True)
class Field:
    """One field of a partner record.

    ``format`` is a ``strftime`` pattern for dates and date-times; ``values`` the allowed
    codes; ``true_text``/``false_text`` the partner's words for booleans; ``pattern`` a regular
    expression the whole text must match; ``max_length`` in characters. XML only:
    ``attribute`` reads an attribute instead of a child element, ``text`` the element's own
    text beside its attributes, ``element`` the tag of one item of a list. ``fields`` /
    ``item``: the parts of an object / the item of a list."""

    name: str
    type: str = "string"
    required: bool = False
    format: str | None = None
    values: tuple[str, ...] = ()
    true_text: str = "ja"
    false_text: str = "nee"
    pattern: str | None = None
    max_length: int | None = None
    attribute: bool = False
    text: bool = False
    element: str | None = None
    fields: tuple[Field, ...] = ()
    item: Field | None = None

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def parse_field(name: str, spec: Mapping[str, Any] | str) -> Field:
    """A :class:`Field` from its metadata YAML (a mapping, or just the type name)."""
    if isinstance(spec, str):
        spec = {"type": spec}
    kind = spec.get("type", "object" if "fields" in spec else "string")
    if kind not in TYPES:
        raise SchemaError(f"field {name}: unknown type {kind!r} (one of {', '.join(TYPES)})")
    if kind in ("date", "datetime") and not spec.get("format"):
        raise SchemaError(f"field {name}: a {kind} needs a format")
    sub = tuple(parse_field(k, v) for k, v in (spec.get("fields") or {}).items())
    item = None
    if kind == "list":
        item_spec = spec.get("item")
        if item_spec is None:
            raise SchemaError(f"field {name}: a list needs an item")
        item = parse_field(spec.get("element", name), item_spec)
    known = {"type", "required", "format", "values", "true_text", "false_text", "pattern",
             "max_length", "text",
             "attribute", "element", "fields", "item", "description"}
    unknown = set(spec) - known
    if unknown:
        raise SchemaError(f"field {name}: unknown keys {sorted(unknown)}")
    return Field(name=name, type=kind, required=bool(spec.get("required", False)),
                 format=spec.get("format"), values=tuple(str(v) for v in spec.get("values", ())),
                 true_text=str(spec.get("true_text", "ja")),
                 false_text=str(spec.get("false_text", "nee")),
                 pattern=spec.get("pattern"), max_length=spec.get("max_length"),
                 attribute=bool(spec.get("attribute", False)), text=bool(spec.get("text", False)),
                 element=spec.get("element"),
                 fields=sub, item=item)


def record_field(name: str, fields: Mapping[str, Any]) -> Field:
    """An object field made of the metadata's ``fields`` mapping (a CSV row, an XML record)."""
    return parse_field(name, {"type": "object", "fields": fields})


# ----------------------------------------------------------------------------- date and time
@dataclass(frozen=True)
class Clock:
    """The partner's time zone, for wall-clock times without an offset."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Amsterdam"))

    def aware(self, wall: datetime) -> datetime:
        """Attach the zone to a wall-clock time; ValueError when that time never existed there.

        Ambiguous times (fold) get ``fold=0``: the first occurrence, before the clocks go back."""
        local = wall.replace(tzinfo=self.zone, fold=0)
        back = local.astimezone(UTC).astimezone(self.zone)
        if back.replace(tzinfo=None) != wall:
            raise ValueError("nonexistent")
        return local

    def wall(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)


def _read_datetime(text: str, spec: Field, clock: Clock) -> str:
    parsed = datetime.strptime(text, spec.format or "")
    if parsed.tzinfo is None:
        parsed = clock.aware(parsed)
    return parsed.isoformat()


def _parse_iso_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


# ------------------------------------------------------------------------------------ reading
def _example(spec: Field) -> str:
    """A format in words for messages (``31-12-2026 14:30``), never the offending value."""
    sample = datetime(2026, 12, 31, 14, 30, tzinfo=UTC)
    return sample.strftime(spec.format or "") if spec.format else ""


def _check_text(text: str, spec: Field, path: str) -> Iterator[FieldError]:
    if spec.max_length is not None and len(text) > spec.max_length:
        yield FieldError(path, "max-length", f"longer than {spec.max_length} characters")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
        yield FieldError(path, "pattern", f"does not match the pattern {spec.pattern}")


def read_value(raw: Any, spec: Field, path: str, clock: Clock,
               errors: list[FieldError]) -> Any:
    """The typed value of partner data ``raw`` (text, or a dict/list for objects and lists;
    JSON partners may send numbers and booleans); None when absent. Problems go to ``errors``."""
    if spec.type == "object":
        if raw is None:
            if spec.required:
                errors.append(FieldError(path, "required", "is missing"))
            return None
        if not isinstance(raw, Mapping):
            errors.append(FieldError(path, "type-object", "expected a group of fields"))
            return None
        found: dict[str, Any] = {}
        for sub in spec.fields:
            value = read_value(raw.get(sub.name), sub, f"{path}.{sub.name}" if path else sub.name,
                               clock, errors)
            if value is not None:
                found[sub.name] = value
        return found
    if spec.type == "list":
        items = [] if raw is None else raw if isinstance(raw, list) else [raw]
        if spec.required and not items:
            errors.append(FieldError(path, "required", "needs at least one item"))
        assert spec.item is not None
        typed = [read_value(item, spec.item, f"{path}[{i}]", clock, errors)
                 for i, item in enumerate(items)]
        return [t for t in typed if t is not None] or None
    if isinstance(raw, bool) and spec.type == "boolean":
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool) and spec.type == "integer":
        return raw
    if raw is not None and not isinstance(raw, str):
        raw = str(raw)
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        if spec.required:
            errors.append(FieldError(path, "required", "is missing or empty"))
        return None
    return _read_scalar(text, spec, path, clock, errors)


def _read_scalar(text: str, spec: Field, path: str, clock: Clock,
                 errors: list[FieldError]) -> Any:
    before = len(errors)
    errors.extend(_check_text(text, spec, path))
    if len(errors) > before:
        return None
    if spec.type in ("string", "code"):
        if spec.values and text not in spec.values:
            errors.append(FieldError(path, "code-unknown",
                                     f"not one of {', '.join(spec.values)}"))
            return None
        return text
    if spec.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", text):
            errors.append(FieldError(path, "type-integer", "expected a whole number"))
            return None
        return int(text)
    if spec.type == "boolean":
        if text not in (spec.true_text, spec.false_text):
            errors.append(FieldError(path, "type-boolean",
                                     f"expected {spec.true_text} or {spec.false_text}"))
            return None
        return text == spec.true_text
    if spec.type == "date":
        try:
            return datetime.strptime(text, spec.format or "").date().isoformat()
        except ValueError:
            errors.append(FieldError(path, "type-date", f"expected a date like {_example(spec)}"))
            return None
    try:
        return _read_datetime(text, spec, clock)
    except ValueError as failure:
        if str(failure) == "nonexistent":
            errors.append(FieldError(path, "datetime-nonexistent",
                                     "this local time does not exist (summer time starts)"))
        else:
            errors.append(FieldError(path, "type-datetime",
                                     f"expected a date and time like {_example(spec)}"))
        return None


# ------------------------------------------------------------------------------------ writing
def write_value(value: Any, spec: Field, path: str, clock: Clock,
                errors: list[FieldError]) -> Any:
    """The partner's text for typed ``value`` (objects and lists keep their shape); None when
    absent. This is the partner-schema check of records a from-fhir map produced."""
    if value is None or value in ("", []):
        if spec.required:
            errors.append(FieldError(path, "required", "is missing"))
        return None
    if spec.type == "object":
        if not isinstance(value, Mapping):
            errors.append(FieldError(path, "type-object", "expected a group of fields"))
            return None
        known = {f.name for f in spec.fields}
        errors.extend(FieldError(f"{path}.{k}" if path else k, "unknown-field",
                                 "not a field of the partner schema")
                      for k in value if k not in known)
        found = {}
        for sub in spec.fields:
            text = write_value(value.get(sub.name), sub, f"{path}.{sub.name}" if path else sub.name,
                               clock, errors)
            if text is not None:
                found[sub.name] = text
        return found
    if spec.type == "list":
        assert spec.item is not None
        items = value if isinstance(value, list) else [value]
        return [write_value(item, spec.item, f"{path}[{i}]", clock, errors)
                for i, item in enumerate(items)]
    return _write_scalar(value, spec, path, clock, errors)


def _write_scalar(value: Any, spec: Field, path: str, clock: Clock,
                  errors: list[FieldError]) -> str | None:
    text: str | None = None
    if spec.type == "boolean":
        if not isinstance(value, bool):
            errors.append(FieldError(path, "type-boolean", "expected true or false"))
            return None
        return spec.true_text if value else spec.false_text
    if spec.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(FieldError(path, "type-integer", "expected a whole number"))
            return None
        return str(value)
    if not isinstance(value, str):
        errors.append(FieldError(path, f"type-{spec.type}", "expected text"))
        return None
    if spec.type == "date":
        try:
            text = date.fromisoformat(value).strftime(spec.format or "")
        except ValueError:
            errors.append(FieldError(path, "type-date", "expected an ISO date"))
            return None
    elif spec.type == "datetime":
        try:
            text = clock.wall(_parse_iso_datetime(value)).strftime(spec.format or "")
        except ValueError:
            errors.append(FieldError(path, "type-datetime",
                                     "expected an ISO date-time with an offset"))
            return None
    else:
        text = value
        if spec.values and text not in spec.values:
            errors.append(FieldError(path, "code-unknown",
                                     f"not one of {', '.join(spec.values)}"))
            return None
    errors.extend(_check_text(text, spec, path))
    return text
