"""Diagnostics as values, and their one conversion to a FHIR OperationOutcome."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fhir_regie.ig import codesystem_url
from fhir_regie.validation.messages import render

MESSAGE_SYSTEM = codesystem_url("regie-validation-message")

#: One step of an instance path: an element name, or an index into a repeating element.
Step = str | int
_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def parse_path(expression: str) -> tuple[Step, ...]:
    """The steps of a FHIRPath location as the engine writes it (``Bundle.entry[3].resource``:
    ``("Bundle", "entry", 3, "resource")``); ``$`` (the input as a whole) has none.

    Example::

        >>> parse_path("Patient.identifier[0].system")
        ('Patient', 'identifier', 0, 'system')
    """
    if expression in ("", "$"):
        return ()
    return tuple(int(index) if index else name for name, index in _STEP.findall(expression))


def render_path(path: tuple[Step, ...]) -> str:
    """A path as a FHIRPath expression, the inverse of ``parse_path`` (``$`` for none).

    Example::

        >>> render_path(("Patient", "identifier", 0, "system"))
        'Patient.identifier[0].system'
    """
    text = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)
    return text.removeprefix(".") or "$"


@dataclass(frozen=True)
class Issue:
    """One problem: severity, FHIR issue type, message id + values, and where it is.

    ``expression`` is a FHIRPath location in the instance (``Patient.identifier[0]``), and
    ``path`` the same as a tuple of steps (``("Patient", "identifier", 0)``); ``source`` says
    which rule produced it (a constraint key, a profile element id, a code system url).
    """

    severity: str  # fatal | error | warning | information
    code: str  # FHIR issue-type: structure, required, invariant, value, not-supported, ...
    message_id: str
    expression: str
    values: tuple[tuple[str, object], ...] = ()
    source: str = ""

    @property
    def path(self) -> tuple[Step, ...]:
        """The instance path as steps: element names and list indexes."""
        return parse_path(self.expression)

    @property
    def is_error(self) -> bool:
        """An error or fatal issue (what makes a resource invalid)."""
        return self.severity in ("error", "fatal")

    def message(self, language: str = "en") -> str:
        return render(self.message_id, language, **dict(self.values))

    def text(self, language: str = "en") -> str:
        """The message as any UTF-8 stream can write it (what the OperationOutcome carries)."""
        return _printable(self.message(language))


def issue(severity: str, code: str, message_id: str, expression: str, source: str = "",
          **values: object) -> Issue:
    return Issue(severity, code, message_id, expression, tuple(values.items()), source)


def _printable(text: str) -> str:
    """Text that any UTF-8 stream can write: an unpaired surrogate (JSON allows the escape
    ``\\ud800``, Unicode does not) quoted back as its escape, not a UnicodeEncodeError."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def to_operation_outcome(issues: list[Issue], language: str = "en") -> dict[str, Any]:
    """A FHIR R4 OperationOutcome (JSON) with one issue per problem; 'all OK' when none."""
    if not issues:
        return {"resourceType": "OperationOutcome", "issue": [{
            "severity": "information", "code": "informational",
            "diagnostics": "No issues found" if language == "en" else "Geen problemen gevonden",
        }]}
    return {"resourceType": "OperationOutcome", "issue": [
        {
            "severity": found.severity,
            "code": found.code,
            "details": {"coding": [{"system": MESSAGE_SYSTEM, "code": found.message_id}],
                        "text": found.text(language)},
            "diagnostics": _printable(found.source or found.message_id),
            "expression": [_printable(found.expression) or "$"],
        }
        for found in issues
    ]}


def error_count(outcome: dict[str, Any]) -> int:
    return sum(1 for i in outcome.get("issue", []) if i.get("severity") in ("error", "fatal"))


def format_text(name: str, outcome: dict[str, Any]) -> list[str]:
    """``file: severity expression: message`` lines for errors and warnings (nothing when
    the outcome is clean; information such as dom-6's best practice stays in the JSON)."""
    lines = []
    for found in outcome.get("issue", []):
        if found.get("severity") == "information":
            continue
        where = (found.get("expression") or [""])[0]
        text = found.get("details", {}).get("text", "")
        lines.append(f"{name}: {found['severity']} {where}: {text}")
    return lines
