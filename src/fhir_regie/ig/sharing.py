"""The codes of information sharing as the guide writes them (docs/ig/consent.md), one table.

The library speaks of purposes, data classes and kinds of audit event by short names
(``care-coordination``, ``safety-scores``, ``disclosure``). In FHIR they are standard codes where
a standard has the concept (HL7 v3 ActReason for purposes, a profile's canonical URL for a data
class that is exactly one profile, DICOM and ISO 21089 for audit events, as IHE BALP does) and
the guide's own codes only where none has. This module translates both ways; a code it does not
know reads as None, so the consent rules deny (default deny).

Organisations are known by one of the Dutch identifier systems in :data:`ORGANISATION_SYSTEMS`
(URA for care providers; KvK and OIN for the many local teams and municipalities without one).

Example::

    >>> purpose_coding("care-coordination")["code"]
    'COC'
    >>> purpose_key({"system": V3_ACT_REASON, "code": "THREAT"})
    'safety-planning'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from fhir_regie.ig import codesystem_url, load_package, profile_url

V3_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
LIFECYCLE = "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle"
URI = "urn:ietf:rfc:3986"

#: Purposes HL7 v3 ActReason (purpose of use) has: short name -> (system, code, display).
STANDARD_PURPOSES = {
    "care-coordination": (V3_ACT_REASON, "COC", "coordination of care"),
    "safety-planning": (V3_ACT_REASON, "THREAT", "threat"),
}
#: Data classes that are exactly one profile of the guide: short name -> profile id.
PROFILE_CLASSES = {
    "safety-scores": "regie-safety-scale-score",
    "safety-log": "regie-safety-log-entry",
    "signals": "regie-signal",
}
#: Kinds of audit event: short name -> (type, subtype) codings (IHE BALP).
AUDIT_KINDS = {
    "disclosure": ((DICOM, "110106", "Export"),
                   (LIFECYCLE, "disclose", "Disclose Record Lifecycle Event")),
    "view": ((DICOM, "110110", "Patient Record"),
             (LIFECYCLE, "access", "Access/View Record Lifecycle Event")),
}

URA = "http://fhir.nl/fhir/NamingSystem/ura"
KVK = "http://fhir.nl/fhir/NamingSystem/kvk"
OIN = "https://fhir-regie.nl/fhir/NamingSystem/oin"
AGB = "http://fhir.nl/fhir/NamingSystem/agb-z"
#: Identifier systems that name an organisation, in the order a writer prefers them: the URA
#: of a care provider, the OIN of a government organisation or part of one (a municipality's
#: local team), the KvK number of a legal entity (which may have many departments).
ORGANISATION_SYSTEMS = (URA, OIN, KVK)


@cache
def _displays(codesystem_id: str) -> dict[str, str]:
    system = load_package().by_url(codesystem_url(codesystem_id)) or {}
    return {c["code"]: c.get("display", "") for c in system.get("concept", [])}


def _local(codesystem_id: str) -> tuple[str, ...]:
    return tuple(_displays(codesystem_id))


def _local_coding(codesystem_id: str, code: str) -> dict[str, str]:
    coding = {"system": codesystem_url(codesystem_id), "code": code}
    if _displays(codesystem_id).get(code):
        coding["display"] = _displays(codesystem_id)[code]
    return coding


def purpose_keys() -> frozenset[str]:
    """Every purpose the guide knows, by short name."""
    return frozenset(STANDARD_PURPOSES) | frozenset(_local("regie-sharing-purpose"))


def class_keys() -> frozenset[str]:
    """Every data class the guide knows, by short name."""
    return frozenset(PROFILE_CLASSES) | frozenset(_local("regie-data-class"))


def purpose_coding(name: str) -> dict[str, str]:
    """The Coding of a purpose; ValueError for a name the guide does not know."""
    if name in STANDARD_PURPOSES:
        system, code, display = STANDARD_PURPOSES[name]
        return {"system": system, "code": code, "display": display}
    if name not in _local("regie-sharing-purpose"):
        raise ValueError(f"unknown purpose {name!r}; known: {', '.join(sorted(purpose_keys()))}")
    return _local_coding("regie-sharing-purpose", name)


def class_coding(name: str) -> dict[str, str]:
    """The Coding of a data class; ValueError for a name the guide does not know."""
    if name in PROFILE_CLASSES:
        url = profile_url(PROFILE_CLASSES[name])
        title = (load_package().by_url(url) or {}).get("title")
        return {"system": URI, "code": url, **({"display": title} if title else {})}
    if name not in _local("regie-data-class"):
        raise ValueError(f"unknown data class {name!r}; known: "
                         f"{', '.join(sorted(class_keys()))}")
    return _local_coding("regie-data-class", name)


def _codings(concept: Any) -> list[dict[str, Any]]:
    if isinstance(concept, list):
        return [c for item in concept for c in _codings(item)]
    if not isinstance(concept, dict):
        return []
    found = concept.get("coding", [concept] if "code" in concept else [])
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def purpose_key(coding: Any) -> str | None:
    """The short name of a purpose Coding; None for a code the guide does not know."""
    if not isinstance(coding, dict):
        return None
    system, code = coding.get("system"), coding.get("code")
    for name, (s, c, _) in STANDARD_PURPOSES.items():
        if (system, code) == (s, c):
            return name
    if system == codesystem_url("regie-sharing-purpose") and code in _local(
            "regie-sharing-purpose"):
        return str(code)
    return None


def class_key(coding: Any) -> str | None:
    """The short name of a data class Coding; None for a code (a resource type, another
    profile) the guide does not read as one of its classes."""
    if not isinstance(coding, dict):
        return None
    system, code = coding.get("system"), coding.get("code")
    if system == URI:
        return next((name for name, pid in PROFILE_CLASSES.items()
                     if code == profile_url(pid)), None)
    if system == codesystem_url("regie-data-class") and code in _local("regie-data-class"):
        return str(code)
    return None


def purposes_in(concept: Any) -> list[str]:
    """Short names of the purposes in a Coding, CodeableConcept or a list of them."""
    return [k for c in _codings(concept) if (k := purpose_key(c)) is not None]


def classes_in(concept: Any) -> list[str]:
    """Short names of the data classes in a Coding or a list of them."""
    return [k for c in _codings(concept) if (k := class_key(c)) is not None]


def audit_codings(kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """The type and the lifecycle subtype Coding of an audit event kind."""
    if kind not in AUDIT_KINDS:
        raise ValueError(f"unknown audit event kind {kind!r}; known: "
                         f"{', '.join(sorted(AUDIT_KINDS))}")
    return tuple(  # type: ignore[return-value]
        {"system": s, "code": c, "display": d} for s, c, d in AUDIT_KINDS[kind])


def audit_kind(event: Any) -> str | None:
    """``disclosure`` or ``view`` from an AuditEvent's lifecycle subtype; None otherwise."""
    if not isinstance(event, dict):
        return None
    found = {(c.get("system"), c.get("code")) for c in _codings(event.get("subtype", []))}
    return next((name for name, (_, (s, c, _d)) in AUDIT_KINDS.items() if (s, c) in found),
                None)


def organisation_identifiers(resource: Any) -> list[tuple[str, str]]:
    """(system, value) of an Organization's URA, OIN and KvK identifiers, in that order."""
    if not isinstance(resource, dict):
        return []
    found = [(i.get("system"), i.get("value")) for i in resource.get("identifier", [])
             if isinstance(i, dict) and isinstance(i.get("value"), str)]
    return sorted(((s, v) for s, v in found if s in ORGANISATION_SYSTEMS),
                  key=lambda pair: ORGANISATION_SYSTEMS.index(pair[0]))


def identifier_tokens(pairs: Iterable[tuple[str, str]]) -> frozenset[str]:
    """``system|value`` tokens, the form search and matching use."""
    return frozenset(f"{s}|{v}" for s, v in pairs)
