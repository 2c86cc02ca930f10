"""Small readers for FHIR JSON values used by the consent rules (internal).

They never raise on missing or malformed data: they return None or an empty list, and the rule
that needed the value denies with a reason (default deny).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fhir_regie.ig import codesystem_url, extension_url

Resource = dict[str, Any]
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
#: v3 ActCode: sexual assault, abuse, or domestic violence information sensitivity;
#: v3 ObservationValue: pseudonymised (docs/ig/README.md, Sensitivity labels).
SDV, PSEUDED = "SDV", "PSEUDED"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"


def key(resource: Resource) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


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


def references(elements: Any) -> list[str]:
    items = elements if isinstance(elements, list) else [elements]
    return [r for r in (reference(e) for e in items) if r]


def codes(concept: Any, codesystem_id: str | None = None, *,
          system: str | None = None) -> list[str]:
    """Codes of a CodeableConcept, Coding, or a list of either, optionally of one system."""
    if isinstance(concept, list):
        return [c for item in concept for c in codes(item, codesystem_id, system=system)]
    if not isinstance(concept, dict):
        return []
    codings = concept.get("coding", [concept] if "code" in concept else [])
    wanted = system or (codesystem_url(codesystem_id) if codesystem_id else None)
    return [c["code"] for c in codings if isinstance(c, dict) and isinstance(c.get("code"), str)
            and (wanted is None or c.get("system") == wanted)]


def extensions(element: Any, extension_id: str) -> list[Resource]:
    if not isinstance(element, dict):
        return []
    url = extension_url(extension_id)
    return [e for e in element.get("extension", []) if isinstance(e, dict) and e.get("url") == url]


def value(ext: Any) -> Any:
    """The value[x] of an extension."""
    if not isinstance(ext, dict):
        return None
    for name, item in ext.items():
        if name.startswith("value"):
            return item
    return None


def moment(text: Any, *, end: bool = False) -> datetime | None:
    """A FHIR date or dateTime as an aware datetime. A date (or partial date) means its first
    instant, or with ``end`` its last one, so a period ending "2027-10-08" includes that day."""
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=UTC)
    if isinstance(text, date):
        text = text.isoformat()
    if not isinstance(text, str) or len(text) < 4:
        return None
    try:
        if len(text) <= 10:
            year, month, day = [*text.split("-"), "", ""][:3]
            first = date(int(year), int(month or 1), int(day or 1))
            if not end:
                return datetime(first.year, first.month, first.day, tzinfo=UTC)
            last = _last_day(int(year), int(month) if month else None, int(day) if day else None)
            return datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _last_day(year: int, month: int | None, day: int | None) -> date:
    if month is None:
        return date(year, 12, 31)
    if day is not None:
        return date(year, month, day)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def within(period: Any, at: datetime) -> bool:
    """True when ``at`` lies in a FHIR Period (ends inclusive, to the end of that day)."""
    if not isinstance(period, dict):
        return False
    start, end = moment(period.get("start")), moment(period.get("end"), end=True)
    if period.get("start") is not None and start is None:
        return False
    if period.get("end") is not None and end is None:
        return False
    return (start is None or start <= at) and (end is None or at <= end)


def age_on(birth: Any, day: date) -> int | None:
    born = moment(birth)
    if born is None:
        return None
    b = born.date()
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def security_labels(resource: Resource) -> set[str]:
    """Security labels in ``meta.security`` (and ``Composition.confidentiality``): the
    confidentiality codes, and the sensitivity ``SDV`` and integrity ``PSEUDED`` labels."""
    meta = resource.get("meta")
    security = meta.get("security", []) if isinstance(meta, dict) else []
    found = set(codes(security, system=CONFIDENTIALITY))
    found |= set(codes(security, system=ACT_CODE)) & {SDV}
    found |= set(codes(security, system=OBSERVATION_VALUE)) & {PSEUDED}
    if resource.get("resourceType") == "Composition" and isinstance(
            resource.get("confidentiality"), str):
        found.add(resource["confidentiality"])
    return found
