"""The errors the builders raise.

A builder that would produce a resource its profile rejects raises :class:`InvalidResourceError`
instead of returning it. The exception carries the validator's issues (and their
OperationOutcome) for programs and a one-line summary for people. The summary names only rules,
locations and the guide's own message texts, never values from the resource: exception texts
end up in logs, and logs never contain personal data (STYLE.md, "Errors").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fhir_regie.validation.outcome import Issue, to_operation_outcome

# Validator warnings that mean "this rule could not be checked": a builder cannot call a resource
# valid when one of its rules was never evaluated, so these count as failures too.
UNCHECKED_MESSAGE_IDS = frozenset({"regie-invariant-error"})


def failures(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    """The issues of an OperationOutcome that stop a build: errors, fatals, unchecked rules."""
    found = []
    for entry in outcome.get("issue", []):
        message_id = (entry.get("details", {}).get("coding") or [{}])[0].get("code")
        if entry.get("severity") in ("error", "fatal") or message_id in UNCHECKED_MESSAGE_IDS:
            found.append(entry)
    return found


def failing(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that stop a build: errors, fatals, unchecked rules."""
    return [i for i in issues if i.is_error or i.message_id in UNCHECKED_MESSAGE_IDS]


def _summary(profile_id: str, stopping: list[Issue]) -> str:
    parts = [f"{i.source or i.message_id} at {i.expression or '$'}: {i.message()}"
             for i in stopping]
    count = len(parts)
    return f"{profile_id}: {count} error{'s' if count != 1 else ''}: " + "; ".join(parts)


def summarise(profile_id: str, outcome: dict[str, Any]) -> str:
    """One line: the profile, then ``rule at expression: message`` per failing issue."""
    parts = []
    for entry in failures(outcome):
        rule = entry.get("diagnostics", "")
        where = ", ".join(entry.get("expression") or []) or "?"
        text = entry.get("details", {}).get("text", "")
        parts.append(f"{rule} at {where}: {text}")
    count = len(parts)
    return f"{profile_id}: {count} error{'s' if count != 1 else ''}: " + "; ".join(parts)


class InvalidResourceError(ValueError):
    """A builder's result breaks its profile; nothing was returned.

    Attributes:
        profile_id: the profile the resource was built for (``regie-patient``).
        issues: the validator's issues (``fhir_regie.validation.Issue``), all of them.
        outcome: the same as a FHIR OperationOutcome (JSON).
        rules: the failing rules (constraint keys such as ``rg-bsn-1`` or element ids), in order.

    Example::

        >>> from fhir_regie.model import patient
        >>> try:
        ...     patient(given="Sanne", family="de Vries", birth_date="1990-04-12",
        ...             bsn="123456789")
        ... except InvalidResourceError as error:
        ...     print(error.rules)
        ['rg-bsn-1']
    """

    def __init__(self, profile_id: str, issues: Iterable[Issue]) -> None:
        self.profile_id = profile_id
        self.issues = tuple(issues)
        self.outcome = to_operation_outcome(list(self.issues))
        stopping = failing(self.issues)
        self.rules = [i.source or i.message_id for i in stopping]
        super().__init__(_summary(profile_id, stopping))

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.is_error)
