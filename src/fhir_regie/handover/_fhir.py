"""Small readers and writers of FHIR JSON shared by the handover modules (internal).

They never raise on missing data: a reader returns None or an empty list and the caller
decides what that means.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from fhir_regie.ig import codesystem_url, extension_url, load_package, profile_url
from fhir_regie.ig.sharing import organisation_identifiers

Resource = dict[str, Any]
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
URA = "http://fhir.nl/fhir/NamingSystem/ura"
#: Elements of ``meta`` that belong to the resource, not to the server that stores it.
PORTABLE_META = ("profile", "security", "tag")
LABEL_ORDER = ("U", "L", "M", "N", "R", "V")


def key(resource: Resource) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def reference(element: Any) -> str | None:
    """The relative ``Type/id`` of a Reference whose ``reference`` is relative; None for
    absolute URLs, contained (``#``) and logical references."""
    if not isinstance(element, dict):
        return None
    ref = element.get("reference")
    if not isinstance(ref, str) or ref.startswith("#") or "://" in ref or ref.startswith("urn:"):
        return None
    parts = ref.split("/")
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    return "/".join(parts) if len(parts) == 2 and all(parts) else None


def reference_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """``(element path, reference string)`` for every ``reference`` anywhere in a resource."""
    if isinstance(node, dict):
        ref = node.get("reference")
        if isinstance(ref, str):
            yield path, ref
        for name, item in node.items():
            yield from reference_strings(item, f"{path}.{name}" if path else name)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from reference_strings(item, f"{path}[{index}]")


def codes(concept: Any, codesystem_id: str) -> list[str]:
    """Codes of one of the guide's code systems in a CodeableConcept (or a list of them)."""
    if isinstance(concept, list):
        return [c for item in concept for c in codes(item, codesystem_id)]
    if not isinstance(concept, dict):
        return []
    system = codesystem_url(codesystem_id)
    return [c["code"] for c in concept.get("coding", [])
            if isinstance(c, dict) and c.get("system") == system and isinstance(c.get("code"), str)]


@cache
def _displays(codesystem_id: str) -> dict[str, str]:
    codesystem = load_package().by_url(codesystem_url(codesystem_id))
    return {c["code"]: c.get("display", c["code"]) for c in codesystem.get("concept", [])}


def display(codesystem_id: str, code: str | None) -> str | None:
    """The Dutch display of one of the guide's codes (the code itself when unknown)."""
    if code is None:
        return None
    return _displays(codesystem_id).get(code, code)


def extension_value(resource: Any, extension_id: str) -> Any:
    """The value[x] of the first extension with this id (None when absent)."""
    if not isinstance(resource, dict):
        return None
    url = extension_url(extension_id)
    for item in resource.get("extension", []):
        if isinstance(item, dict) and item.get("url") == url:
            return next((v for k, v in item.items() if k.startswith("value")), None)
    return None


def set_extension(resource: Resource, extension_id: str, **value: Any) -> None:
    """Set (replace) a simple extension of the guide."""
    url = extension_url(extension_id)
    kept = [e for e in resource.get("extension", []) if e.get("url") != url]
    resource["extension"] = [*kept, {"url": url, **value}]


#: Task.priority of a handover after acute unsafety (``regie-handover-priority``).
ACUTE_PRIORITY = "asap"
#: Output type of the accepted version of the handover document (``regie-handover-output``).
ACCEPTED_DOCUMENT = "accepted-document"


def is_acute(task: Resource) -> bool | None:
    """Acute unsafety on a handover: any priority above ``routine`` counts as acute (a sender
    using ``urgent`` or ``stat`` is not treated as less urgent); None without a priority."""
    priority = task.get("priority") if isinstance(task, dict) else None
    return None if priority is None else priority != "routine"


def transfer_moment(task: Resource) -> str | None:
    """The moment responsibility passed to the local team (``Task.executionPeriod.start``)."""
    period = task.get("executionPeriod") if isinstance(task, dict) else None
    start = period.get("start") if isinstance(period, dict) else None
    return str(start) if start else None


def set_transfer_moment(task: Resource, moment: str) -> None:
    task["executionPeriod"] = {**(task.get("executionPeriod") or {}), "start": moment}


def named_version(element: Any) -> str | None:
    """The version a Reference names: its relative ``Type/id/_history/n``, or (in a
    receiver's copy) the sender's versioned URL in ``identifier``; None when it names none."""
    if not isinstance(element, dict):
        return None
    text = element.get("reference")
    if isinstance(text, str) and "/_history/" in text:
        return text
    identifier = element.get("identifier") or {}
    value = identifier.get("value") if isinstance(identifier, dict) else None
    return value if isinstance(value, str) and "/_history/" in value else None


def accepted_document(task: Resource) -> str | None:
    """The version of the handover document the local team accepted (the
    ``accepted-document`` output, as :func:`named_version`), or None."""
    for item in task.get("output", []) if isinstance(task, dict) else []:
        if not isinstance(item, dict):
            continue
        kinds = [c.get("code") for c in (item.get("type") or {}).get("coding", [])
                 if isinstance(c, dict) and c.get("system") == codesystem_url(
                     "regie-handover-output")]
        named = named_version(item.get("valueReference"))
        if ACCEPTED_DOCUMENT in kinds and named:
            return named
    return None


def set_accepted_document(task: Resource, versioned: str) -> None:
    """Record ``versioned`` (``Composition/<id>/_history/<n>``) as the accepted version."""
    kept = [o for o in task.get("output", []) if accepted_document({"output": [o]}) is None]
    task["output"] = [*kept, {
        "type": {"coding": [{"system": codesystem_url("regie-handover-output"),
                             "code": ACCEPTED_DOCUMENT}]},
        "valueReference": {"reference": versioned}}]


def claims(resource: Resource, profile_id: str) -> bool:
    return profile_url(profile_id) in (resource.get("meta") or {}).get("profile", [])


def labels(resource: Resource) -> set[str]:
    """HL7 confidentiality codes in ``meta.security`` (and a Composition's confidentiality)."""
    found = {c.get("code") for c in (resource.get("meta") or {}).get("security", [])
             if isinstance(c, dict) and c.get("system") == CONFIDENTIALITY}
    if resource.get("resourceType") == "Composition" and resource.get("confidentiality"):
        found.add(resource["confidentiality"])
    return {label for label in found if isinstance(label, str)}


def highest_label(resources: list[Resource]) -> str | None:
    """R or V when any of the resources carries it (the most confidential wins)."""
    found = set().union(*(labels(r) for r in resources)) if resources else set()
    for label in ("V", "R"):
        if label in found:
            return label
    return None


def portable(resource: Resource) -> Resource:
    """A copy without the storing server's meta (versionId, lastUpdated, source)."""
    copy = json.loads(json.dumps(resource))
    meta = {k: v for k, v in (copy.pop("meta", None) or {}).items() if k in PORTABLE_META}
    if meta:
        copy["meta"] = meta
    return copy


def source_of(resource: Resource | None) -> str | None:
    """``meta.source`` without what a server appends after ``#`` (HAPI adds a request id)."""
    source = ((resource or {}).get("meta") or {}).get("source")
    return source.split("#", 1)[0] if isinstance(source, str) and source else None


def same_content(first: Resource | None, second: Resource | None) -> bool:
    """Equal apart from the storing server's meta."""
    if first is None or second is None:
        return first is second
    return _canonical(portable(first)) == _canonical(portable(second))


def _canonical(resource: Resource) -> str:
    return json.dumps(resource, sort_keys=True, ensure_ascii=False)


def organisation_identifier(organisation: Resource | None) -> tuple[str, str] | None:
    """(system, value) of an organisation's URA, else OIN, else KvK identifier."""
    return next(iter(organisation_identifiers(organisation or {})), None)


def organisation_ura(organisation: Resource | None) -> str | None:
    for identifier in (organisation or {}).get("identifier", []):
        if isinstance(identifier, dict) and identifier.get("system") == URA:
            value = identifier.get("value")
            return value if isinstance(value, str) else None
    return None


def stable_id(prefix: str, *parts: str) -> str:
    """A FHIR id (at most 64 characters, with a letter, so HAPI accepts it as a client id)
    derived from ``parts``: the same parts give the same id, so a repeated step writes the
    same resource instead of a second one."""
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
    return f"{prefix}-{digest}"[:64]


def version_in(response: dict[str, Any], ref: str) -> str | None:
    """The version of ``ref`` a transaction-response Bundle reports (None when it does not)."""
    for entry in response.get("entry", []):
        answer = entry.get("response", {})
        location = answer.get("location", "")
        parts = location.split("/")
        if "_history" in parts and "/".join(parts[parts.index("_history") - 2:
                                                   parts.index("_history")]) == ref:
            return parts[parts.index("_history") + 1]
        resource = entry.get("resource") or {}
        if key(resource) == ref and resource.get("meta", {}).get("versionId"):
            return str(resource["meta"]["versionId"])
    return None
