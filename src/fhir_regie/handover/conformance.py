"""Everything that leaves Veilig Thuis or enters the local team is checked against the profiles
(ARCHITECTURE.md §1: "everything that enters passes validation").

A resource is checked against the profiles it claims and against the profile its place in the
handover demands (the Task must be a ``regie-handover``, its focus a
``regie-handover-document``, a safety condition a ``regie-goal``), whether it claims that or
not: a sender that leaves out ``meta.profile`` does not escape the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fhir_regie.handover._fhir import Resource, claims, key
from fhir_regie.ig import profile_url
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count

FAILING = ("error", "fatal")


@dataclass(frozen=True)
class Verdict:
    """The result over a set of resources: one OperationOutcome (each issue's diagnostics
    starts with the resource it is about) and one line per error."""

    outcome: dict[str, Any]
    errors: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        """The first error and how many more: one line without personal data."""
        if not self.errors:
            return "valid"
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        return f"{self.errors[0]}{more}"


def check(resources: Iterable[Resource], required: Mapping[str, str] | None = None) -> Verdict:
    """Validate every resource; ``required`` maps ``Type/id`` to a profile id it must meet.

    Example::

        >>> from fhir_regie.ig import load_package
        >>> task = load_package().get("Task", "devries-handover")
        >>> check([task], {"Task/devries-handover": "regie-handover"}).valid
        True
    """
    required = required or {}
    issues: list[dict[str, Any]] = []
    errors: list[str] = []
    for resource in resources:
        name = key(resource)
        outcomes = [validate_resource(resource)]
        wanted = required.get(name)
        if wanted and not claims(resource, wanted):
            outcomes.append(validate_resource(resource, profile=profile_url(wanted)))
        for outcome in outcomes:
            if not error_count(outcome):
                continue
            for found in outcome.get("issue", []):
                if found.get("severity") not in FAILING:
                    continue
                issues.append({**found, "diagnostics": f"{name}: {found.get('diagnostics', '')}"})
                where = (found.get("expression") or [""])[0]
                text = found.get("details", {}).get("text", found.get("diagnostics", ""))
                errors.append(f"{name}: {where}: {text}")
    outcome = {"resourceType": "OperationOutcome", "issue": issues or [
        {"severity": "information", "code": "informational", "diagnostics": "valid"}]}
    return Verdict(outcome, tuple(dict.fromkeys(errors)))
