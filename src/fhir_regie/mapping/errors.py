"""Per-record mapping errors: values with a location and the rule that failed.

A record that cannot be mapped is never dropped: the engine returns a :class:`RecordError` for it,
and the file-level wrapper writes it with the original record to the dead-letter file. Messages
name rules, fields and locations, never values from the record (they may hold names, BSNs or
addresses and end up in logs and terminals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One broken rule inside a record: ``path`` is the field (``acties[2].deadline``,
    ``Bundle.entry[3].resource.status``), ``rule`` a stable rule id (``type-date``,
    ``required``, ``rg-act-1``), ``message`` a short text without record values."""

    path: str
    rule: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "rule": self.rule, "message": self.message}


class RuleError(ValueError):
    """Raised by a map helper (``$fail``, ``$coding``) to fail the current record on a named
    rule; the engine catches it and turns it into a :class:`FieldError`."""

    def __init__(self, rule: str, message: str, path: str = "") -> None:
        super().__init__(f"{rule}: {message}")
        self.rule, self.message, self.path = rule, message, path


@dataclass(frozen=True)
class RecordError:
    """A record that could not be mapped.

    Attributes:
        location: where the record is in its source: ``clienten.csv:row 4`` (CSV, counting the
            header as row 1), ``$[2]`` (a JSON path) or ``/vtExport/registratie[3]`` (XML).
        key: the record's business key when known (a case or household number), else ``""``.
        errors: what failed, each with its path and rule.
        original: the original record: its raw text and content type (kept for the
            dead-letter file, so nothing is lost).
    """

    location: str
    key: str
    errors: tuple[FieldError, ...]
    original: dict[str, Any] = field(default_factory=dict)

    @property
    def rules(self) -> list[str]:
        return [e.rule for e in self.errors]

    def one_line(self, source: str = "") -> str:
        """``source: location: rule at path: message`` for the first error (+ how many more)."""
        first = self.errors[0]
        more = f" (+{len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        where = f"{first.path}: " if first.path else ""
        prefix = f"{source}: " if source else ""
        return f"{prefix}{self.location}: {first.rule} at {where}{first.message}{more}"

    def to_dict(self) -> dict[str, Any]:
        """The dead-letter line: location, key, errors and the original record."""
        return {"location": self.location, "key": self.key,
                "errors": [e.to_dict() for e in self.errors], "original": self.original}
