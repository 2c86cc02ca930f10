"""The functions a JSONata map may call besides JSONata's own (docs/mapping.md, "Helpers").

They keep canonical URLs out of the maps (defined once, in ``fhir_regie.ig``), give codes of the
guide their Dutch display, and let a map fail a record on a named rule.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fhir_regie.ig import CANONICAL, codesystem_url, extension_url, load_package, profile_url
from fhir_regie.mapping.errors import RuleError
from fhir_regie.model.handover import narrative

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9\-.]")
MAX_ID = 64


@cache
def _codes(codesystem_id: str) -> dict[str, str]:
    try:
        codesystem = load_package().by_url(codesystem_url(codesystem_id))
    except KeyError:
        raise RuleError("unknown-code-system",
                        f"{codesystem_id} is not a code system of the guide") from None
    found: dict[str, str] = {}
    stack = list(codesystem.get("concept", []))
    while stack:
        concept = stack.pop()
        found[concept["code"]] = concept.get("display", "")
        stack.extend(concept.get("concept", []))
    return found


def coding(codesystem_id: str, code: Any) -> dict[str, str]:
    """``$coding("regie-household-role", "parent")``: a Coding with the Dutch display; an unknown
    code fails the record (rule ``unknown-code``)."""
    codes = _codes(codesystem_id)
    if not isinstance(code, str) or code not in codes:
        raise RuleError("unknown-code", f"not a code of {codesystem_id}")
    return {"system": codesystem_url(codesystem_id), "code": code, "display": codes[code]}


def concept(codesystem_id: str, code: Any) -> dict[str, Any]:
    """``$concept(system, code)``: a CodeableConcept of one :func:`coding`."""
    return {"coding": [coding(codesystem_id, code)]}


def display(codesystem_id: str, code: Any) -> str:
    """``$display(system, code)``: the Dutch display of a code of the guide."""
    return coding(codesystem_id, code)["display"]


def resource_id(prefix: str, value: Any) -> str:
    """``$id("gs-client", "C000123")`` -> ``gs-client-C000123``: a FHIR id derived from a
    partner key (the same key always gives the same id, so repeated loads update rather than
    duplicate). Characters FHIR ids do not allow become ``-``; a too long id is hashed."""
    if value is None or str(value) == "":
        raise RuleError("resource-id", f"no key for an id with prefix {prefix}")
    text = f"{prefix}-{_ID_UNSAFE.sub('-', str(value))}"
    if len(text) <= MAX_ID:
        return text
    digest = hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:24]
    return f"{prefix[:MAX_ID - 25]}-{digest}"


def naming_system(name: str) -> str:
    """``$naming("vt-dossier")``: the identifier system of one of a partner's numbers."""
    return f"{CANONICAL}/NamingSystem/{name}"


def fail(rule: str, message: str = "rule failed") -> None:
    """``$fail("actie-status", "unknown status")``: fail the current record on ``rule``."""
    raise RuleError(str(rule), str(message))


def text_narrative(text: Any) -> dict[str, Any]:
    """``$narrative(text)``: a generated XHTML narrative, escaped, a paragraph per block."""
    return narrative(str(text)).model_dump(mode="json", exclude_none=True)


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def dutch_date(value: Any) -> str | None:
    """``$datum("2026-09-23T14:00:00+02:00")`` -> ``23 september 2026 om 14:00`` (Amsterdam
    time): a FHIR date or dateTime in plain Dutch for people."""
    if not isinstance(value, str) or not value:
        return None
    if "T" in value:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(AMSTERDAM)
        return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} om {moment:%H:%M}"
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


HELPERS: dict[str, Callable[..., Any]] = {
    "datum": dutch_date,
    "profile": profile_url,
    "ext": extension_url,
    "cs": codesystem_url,
    "naming": naming_system,
    "coding": coding,
    "concept": concept,
    "display": display,
    "id": resource_id,
    "fail": fail,
    "narrative": text_narrative,
}
