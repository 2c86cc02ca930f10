"""Small readers for FHIR JSON values used by the workflow rules (internal).

They never raise on missing or malformed data: they return None or an empty list, and the rule
that needed the value says in its evidence that it could not be evaluated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fhir_regie.ig import codesystem_url, extension_url

Resource = dict[str, Any]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def extensions(element: Any, extension_id: str) -> list[Resource]:
    """The Regie extensions with this id on an element (complex ones included)."""
    if not isinstance(element, dict):
        return []
    url = extension_url(extension_id)
    return [e for e in element.get("extension", []) if isinstance(e, dict) and e.get("url") == url]


def extension(element: Any, extension_id: str) -> Resource | None:
    found = extensions(element, extension_id)
    return found[0] if found else None


def part(complex_extension: Resource | None, name: str) -> Resource | None:
    """A named part of a complex extension."""
    if not complex_extension:
        return None
    for item in complex_extension.get("extension", []):
        if isinstance(item, dict) and item.get("url") == name:
            return item
    return None


def value(element: Resource | None) -> Any:
    """The ``value[x]`` of an extension (or part), whatever its type."""
    if not element:
        return None
    for key, item in element.items():
        if key.startswith("value"):
            return item
    return None


def codes(concept: Any, codesystem_id: str | None = None) -> list[str]:
    """Codes in a CodeableConcept or Coding (only from this guide's code system when given)."""
    if isinstance(concept, list):
        return [code for item in concept for code in codes(item, codesystem_id)]
    if not isinstance(concept, dict):
        return []
    codings = concept.get("coding", [concept] if "code" in concept else [])
    system = codesystem_url(codesystem_id) if codesystem_id else None
    return [c["code"] for c in codings if isinstance(c, dict) and isinstance(c.get("code"), str)
            and (system is None or c.get("system") == system)]


def code(concept: Any, codesystem_id: str | None = None) -> str | None:
    found = codes(concept, codesystem_id)
    return found[0] if found else None


def reference(element: Any) -> str | None:
    """The relative reference ``Type/id`` of a Reference (absolute URLs reduced to it)."""
    if not isinstance(element, dict):
        return None
    ref = element.get("reference")
    if not isinstance(ref, str) or "/" not in ref:
        return None
    parts = ref.rstrip("/").split("/")
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    return "/".join(parts[-2:])


def to_date(text: Any) -> date | None:
    """The Dutch calendar date of a FHIR date or dateTime (instants read in Amsterdam time)."""
    if not isinstance(text, str) or len(text) < 4:
        return None
    try:
        if len(text) <= 10:
            padded = (text + "-01-01")[:10] if len(text) < 10 else text
            return date.fromisoformat(padded)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(AMSTERDAM)
    return moment.date()


def period_bounds(period: Any) -> tuple[date | None, date | None]:
    if not isinstance(period, dict):
        return None, None
    return to_date(period.get("start")), to_date(period.get("end"))


def active_on(period: Any, at: date) -> bool:
    """True when ``at`` lies in the period (FHIR ends are inclusive; no end: still running)."""
    start, end = period_bounds(period)
    return (start is None or start <= at) and (end is None or at <= end)


def key(resource: Resource) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"
