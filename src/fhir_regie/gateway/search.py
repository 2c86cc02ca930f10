"""Which searches the gateway answers, and the check that a match still matches after the guard.

Deny by default: a search parameter not in :data:`PARAMETERS` for its type is refused (400),
and so is every parameter the guard cannot stand behind — ``_include``, ``_revinclude``,
``_has``, chained parameters (``subject.name``), modifiers (``name:contains``), ``_summary``
(``_summary=count`` would count what is withheld), ``_elements``, ``_contained``, ``_total``,
``_sort``, ``_filter``, ``_query``, ``_text``, ``_content``, ``_list``. FHIR R4 lets a server
ignore parameters it does not support (search.html §3.1.1.3); the gateway refuses them
instead, so a client never mistakes a wider answer for the one it asked.

A parameter is answered by the upstream server and then checked again on the *projected copy*
(:func:`matches`): a search on an element the caller does not get (an address the projection
cut) finds nothing, so the criteria cannot probe withheld data.

The parameters are standard R4 search parameters (searchparameter-registry); each is listed
with the elements it reads and its kind: ``reference`` (values ``Type/id``), ``token``
(``code``, ``system|code``, ``system|``, ``|code``) over codes, Codings, CodeableConcepts and
Identifiers, ``id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Resource = dict[str, Any]
Param = tuple[str, tuple[str, ...]]   # (kind, elements)

_REF, _TOKEN = "reference", "token"
_SUBJECT = (_REF, ("subject",))
_PATIENT = (_REF, ("subject",))
PARAMETERS: dict[str, dict[str, Param]] = {
    "CarePlan": {"subject": _SUBJECT, "patient": _PATIENT, "status": (_TOKEN, ("status",)),
                 "intent": (_TOKEN, ("intent",)), "category": (_TOKEN, ("category",)),
                 "based-on": (_REF, ("basedOn",)), "part-of": (_REF, ("partOf",))},
    "Task": {"subject": (_REF, ("for",)), "patient": (_REF, ("for",)),
             "owner": (_REF, ("owner",)), "requester": (_REF, ("requester",)),
             "status": (_TOKEN, ("status",)), "intent": (_TOKEN, ("intent",)),
             "code": (_TOKEN, ("code",)), "focus": (_REF, ("focus",)),
             "based-on": (_REF, ("basedOn",)), "part-of": (_REF, ("partOf",))},
    "Goal": {"subject": _SUBJECT, "patient": _PATIENT,
             "lifecycle-status": (_TOKEN, ("lifecycleStatus",)),
             "category": (_TOKEN, ("category",))},
    "Condition": {"subject": _SUBJECT, "patient": _PATIENT, "category": (_TOKEN, ("category",)),
                  "clinical-status": (_TOKEN, ("clinicalStatus",)), "code": (_TOKEN, ("code",))},
    "Observation": {"subject": _SUBJECT, "patient": _PATIENT, "focus": (_REF, ("focus",)),
                    "based-on": (_REF, ("basedOn",)), "status": (_TOKEN, ("status",)),
                    "category": (_TOKEN, ("category",)), "code": (_TOKEN, ("code",))},
    "CareTeam": {"subject": _SUBJECT, "patient": _PATIENT, "status": (_TOKEN, ("status",)),
                 "category": (_TOKEN, ("category",))},
    "Group": {"member": (_REF, ("member.entity",)), "code": (_TOKEN, ("code",))},
    "Patient": {"identifier": (_TOKEN, ("identifier",))},
    "RelatedPerson": {"patient": (_REF, ("patient",)), "identifier": (_TOKEN, ("identifier",))},
    "Composition": {"subject": _SUBJECT, "patient": _PATIENT, "status": (_TOKEN, ("status",)),
                    "type": (_TOKEN, ("type",))},
}
COMMON: dict[str, Param] = {"_id": ("id", ("id",))}
#: Paging of the gateway's own answers (the matches are counted after the guard).
CONTROL = ("_count", "_offset")
DEFAULT_COUNT, MAX_COUNT = 50, 200
REFUSED = ("_include", "_revinclude", "_has", "_summary", "_elements", "_contained",
           "_containedType", "_total", "_sort", "_filter", "_query", "_text", "_content",
           "_list", "_format", "_pretty", "_security", "_tag", "_profile", "_source")


class SearchRefusedError(ValueError):
    """A search the gateway does not answer; the message names the parameter (never values)."""


def check(resource_type: str, params: Iterable[tuple[str, str]]
          ) -> tuple[list[tuple[str, str]], int, int]:
    """The criteria to send upstream, and the page asked for (offset, count).
    Raises :class:`SearchRefusedError` for anything outside the allow-list."""
    allowed = {**COMMON, **PARAMETERS.get(resource_type, {})}
    criteria: list[tuple[str, str]] = []
    offset, count = 0, DEFAULT_COUNT
    for name, value in params:
        if name in CONTROL:
            if not value.isdigit() or len(value) > 6:
                raise SearchRefusedError(f"{name} needs a whole number")
            if name == "_count":
                count = min(max(int(value), 1), MAX_COUNT)
            else:
                offset = int(value)
            continue
        if name.startswith("_has") or name in REFUSED:
            raise SearchRefusedError(f"parameter {name} is not supported by this gateway (it could "
                                "reveal what the consent guard withholds)")
        if ":" in name or "." in name:
            raise SearchRefusedError("modifiers and chained parameters are not supported "
                                     f"({_safe(name)})")
        if name not in allowed:
            raise SearchRefusedError(f"parameter {_safe(name)} is not supported for "
                                     f"{resource_type}")
        if not value or len(value) > 512:
            raise SearchRefusedError(f"parameter {name} needs a value of at most 512 characters")
        criteria.append((name, value))
    return criteria, offset, count


def _safe(name: str) -> str:
    """A parameter name as it may be echoed: only name characters, cut short."""
    return "".join(c for c in name if c.isalnum() or c in "-_.:")[:40] or "?"


def _values(resource: Any, path: str) -> list[Any]:
    found = [resource]
    for step in path.split("."):
        following = []
        for item in found:
            if isinstance(item, dict) and step in item:
                value = item[step]
                following += value if isinstance(value, list) else [value]
        found = following
    return found


def _codes(value: Any) -> list[tuple[str | None, str]]:
    """(system, code) pairs of a code, Coding, CodeableConcept or Identifier."""
    if isinstance(value, str):
        return [(None, value)]
    if not isinstance(value, dict):
        return []
    if "coding" in value:
        return [pair for coding in value.get("coding") or [] for pair in _codes(coding)]
    code = value.get("code", value.get("value"))
    return [(value.get("system"), code)] if isinstance(code, str) else []


def _token_matches(value: Any, wanted: str) -> bool:
    if "|" in wanted:
        system, code = wanted.split("|", 1)
    else:
        system, code = None, wanted
    for has_system, has_code in _codes(value):
        if system is not None and system not in ("", has_system):
            continue
        if system == "" and has_system:
            continue
        if code in ("", has_code):
            return True
    return False


def _reference_matches(value: Any, wanted: str) -> bool:
    ref = value.get("reference") if isinstance(value, dict) else None
    if not isinstance(ref, str):
        return False
    return ref == wanted or ("/" not in wanted and ref.endswith("/" + wanted))


def matches(copy: Resource, criteria: Iterable[tuple[str, str]]) -> bool:
    """Does the projected copy satisfy every criterion (values of one parameter: any)?"""
    allowed = {**COMMON, **PARAMETERS.get(str(copy.get("resourceType")), {})}
    for name, value in criteria:
        kind, elements = allowed[name]
        values = [v for element in elements for v in _values(copy, element)]
        wanted = value.split(",")
        if kind == "id":
            ok = any(str(copy.get("id")) == w for w in wanted)
        elif kind == _REF:
            ok = any(_reference_matches(v, w) for v in values for w in wanted)
        else:
            ok = any(_token_matches(v, w) for v in values for w in wanted)
        if not ok:
            return False
    return True
