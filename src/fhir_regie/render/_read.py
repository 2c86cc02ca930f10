"""Small readers for the FHIR JSON of a shared bundle (internal to render and viewer).

They never raise on missing or malformed data: a document shows what is there and leaves out
what is not.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fhir_regie.ig import codesystem_url, extension_url, load_package

Resource = dict[str, Any]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def key(resource: Resource) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def reference(element: Any) -> str | None:
    if isinstance(element, dict) and isinstance(element.get("reference"), str):
        return element["reference"]
    return None


def extensions(element: Any, extension_id: str) -> list[Resource]:
    if not isinstance(element, dict):
        return []
    url = extension_url(extension_id)
    return [e for e in element.get("extension", []) if isinstance(e, dict) and e.get("url") == url]


def part(complex_extension: Resource | None, name: str) -> Resource | None:
    for item in (complex_extension or {}).get("extension", []):
        if isinstance(item, dict) and item.get("url") == name:
            return item
    return None


def value(element: Resource | None) -> Any:
    for name, item in (element or {}).items():
        if name.startswith("value"):
            return item
    return None


def codes(concept: Any, codesystem_id: str | None = None) -> list[str]:
    concepts = concept if isinstance(concept, list) else [concept]
    system = codesystem_url(codesystem_id) if codesystem_id else None
    return [c["code"] for item in concepts if isinstance(item, dict)
            for c in item.get("coding", []) if isinstance(c, dict) and "code" in c
            and (system is None or c.get("system") == system)]


def code(concept: Any, codesystem_id: str | None = None) -> str | None:
    found = codes(concept, codesystem_id)
    return found[0] if found else None


@cache
def _displays() -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for resource in load_package().conformance.values():
        if resource.get("resourceType") == "CodeSystem":
            for concept in resource.get("concept", []):
                table[(resource["url"], concept["code"])] = concept.get("display",
                                                                        concept["code"])
    return table


def display(codesystem_id: str, code_: str | None) -> str:
    """The Dutch display of a code of the guide (the code itself when unknown)."""
    if code_ is None:
        return ""
    return _displays().get((codesystem_url(codesystem_id), code_), code_)


def moment(text: Any) -> datetime | None:
    """A FHIR date or dateTime as an Amsterdam moment (a date at noon)."""
    if not isinstance(text, str) or len(text) < 4:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time().replace(
                hour=12), AMSTERDAM)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=AMSTERDAM)).astimezone(AMSTERDAM)


def dutch_date(text: Any, *, with_time: bool = False) -> str:
    """``5 november 2026`` (and ``om 15.30 uur``), the way Dutch letters write dates."""
    when = moment(text)
    if when is None:
        return ""
    day = f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    if with_time and isinstance(text, str) and len(text) > 10:
        return f"{day} om {when.hour}.{when.minute:02d} uur"
    return day


def name(resource: Resource | None) -> str:
    """A person's or organisation's name as written on a plan."""
    if not resource:
        return ""
    names = resource.get("name")
    if isinstance(names, str):
        return names
    if isinstance(names, list) and names and isinstance(names[0], dict):
        first = names[0]
        if first.get("text"):
            return str(first["text"])
        parts = [*first.get("prefix", []), *first.get("given", []), first.get("family", "")]
        return " ".join(p for p in parts if p).strip()
    return ""


def phones(resource: Resource | None) -> list[str]:
    return [str(t["value"]) for t in (resource or {}).get("telecom", [])
            if isinstance(t, dict) and t.get("system") == "phone" and t.get("value")]
