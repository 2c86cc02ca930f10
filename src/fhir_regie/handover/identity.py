"""The local team keeps its own identities when it takes a handover in (docs/handover.md,
"Matching").

Veilig Thuis's ids are Veilig Thuis's: an id that happens to be the same on the local team's
server says nothing about who it is. So, for every pulled resource:

- a **person** (Patient) is matched by BSN: exactly one local Patient with that BSN is *the*
  person, and the handover refers to it; no match gives a new Patient with a local id; more
  than one match, or no BSN at all, is never merged automatically: a new Patient with a local
  id, flagged for review (an active ``Flag``, see ``review_flag``);
- an **organisation** is matched by URA number (else OIN, else KvK number with the same name:
  a KvK number names a whole legal entity) the same way (no review needed: a new one is
  just a new record);
- the **household** (Group) is matched by its identifiers, then by its members: the one local
  household any of the matched persons belongs to. A household matched on members that lacks
  some of the handover's persons is flagged for review;
- the **case** itself (the handover Task, its document, the conditions, the reporter) keeps the
  sender's id: the Task is the one workflow object both organisations answer on, and the case
  resources belong to it. Its references are rewritten to the local persons and household.

Nothing is ever written over unless it came from the same sender (``meta.source`` names the
same server): a local resource that matched but was written by someone else is referred to and
left as it is; a case resource whose id is held locally by a resource from elsewhere stops the
intake (a collision, refused and kept: never an overwrite). New identity resources carry the
sender's address as an identifier (``urn:ietf:rfc:3986``), and one Provenance per version
taken in links every local resource to what it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fhir_regie.client import FhirClient, Gone, NotFound
from fhir_regie.handover._fhir import (
    Resource,
    key,
    portable,
    reference,
    reference_strings,
    source_of,
    stable_id,
)
from fhir_regie.ig.sharing import KVK, OIN, URA

BSN = "http://fhir.nl/fhir/NamingSystem/bsn"
URI = "urn:ietf:rfc:3986"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
PROVENANCE_ACTIVITY = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
#: Resource types matched to the local team's own records; other types keep the sender's id.
MATCHED = ("Patient", "Organization", "Group")
_SOURCE = re.compile(r"^(?P<base>https?://.+?)/[A-Z][A-Za-z]{1,63}/[A-Za-z0-9.-]{1,64}"
                     r"(?:/_history/[^/]+)?$")

NO_BSN = ("Identiteit controleren: geen BSN in de overdracht, daarom niet automatisch gekoppeld "
          "aan een bekende persoon")
MANY_BSN = ("Identiteit controleren: meer dan één persoon met dit BSN op de eigen server, "
            "daarom niet gekoppeld")
MEMBERS = ("Huishouden controleren: de overdracht noemt personen die niet in dit huishouden "
           "staan")


def local_id(base_url: str, ref: str) -> str:
    """The local id of a sender's resource that matched nothing (the same every time, so a
    newer version of the handover finds the record it made before)."""
    return stable_id("in", base_url.rstrip("/"), ref)


def source_base(resource: Resource | None) -> str | None:
    """The server a local copy came from (the base of its ``meta.source``), or None."""
    match = _SOURCE.match(source_of(resource) or "")
    return match["base"].rstrip("/") if match else None


def from_sender(resource: Resource | None, base_url: str) -> bool:
    return source_base(resource) == base_url.rstrip("/")


def rewrite_references(node: Any, mapping: dict[str, str]) -> Any:
    """A copy of ``node`` with every relative reference in ``mapping`` replaced (a version in
    the reference is dropped: the local version differs)."""
    if isinstance(node, dict):
        out = {name: rewrite_references(value, mapping) for name, value in node.items()}
        ref = reference(node)
        if ref is not None and ref in mapping and isinstance(node.get("reference"), str):
            out["reference"] = mapping[ref]
        return out
    if isinstance(node, list):
        return [rewrite_references(item, mapping) for item in node]
    return node


def pin_versions(node: Any, base_url: str) -> Any:
    """A copy of ``node`` in which every relative versioned reference (``Type/id/_history/n``,
    the handed-over document and the version accepted) refers to the local copy by ``Type/id``
    and names the sender's version in ``identifier``: the absolute URL of that version on the
    sender's server (rg-hnd-3, rg-hnd-4). The local version numbers differ from the sender's,
    so a relative versioned reference would name the wrong content here."""
    if isinstance(node, dict):
        out = {name: pin_versions(value, base_url) for name, value in node.items()}
        text = node.get("reference")
        if (isinstance(text, str) and "/_history/" in text and "://" not in text
                and not text.startswith(("#", "urn:"))):
            out["reference"] = text.split("/_history/", 1)[0]
            out["identifier"] = {"system": URI, "value": f"{base_url.rstrip('/')}/{text}"}
        return out
    if isinstance(node, list):
        return [pin_versions(item, base_url) for item in node]
    return node


def relabel(resource: Resource, mapping: dict[str, str]) -> Resource:
    """``resource`` under the id ``mapping`` gives it, with its references rewritten."""
    moved = rewrite_references(resource, mapping)
    target = mapping.get(key(resource))
    if target:
        moved["id"] = target.split("/", 1)[1]
    return moved


def paired_references(sender: Resource, local: Resource) -> dict[str, str]:
    """Sender reference -> local reference, by element path, between a sender's resource and
    its local copy (the copy only has its references rewritten, so the paths are the same)."""
    theirs = {path: reference({"reference": text}) for path, text in reference_strings(sender)}
    ours = {path: reference({"reference": text}) for path, text in reference_strings(local)}
    return {ref: ours[path] for path, ref in theirs.items()
            if ref and ours.get(path) and ours[path] != ref}


@dataclass
class Placement:
    """Where each pulled resource goes on the local team's server.

    ``local``: sender ``Type/id`` -> local ``Type/id``; ``kept``: sender keys matched to a
    local record someone else wrote (referred to, never written); ``review``: local key ->
    the Dutch reason it needs a person's look; ``collisions``: local keys held by a resource
    from elsewhere (the intake stops)."""

    base_url: str
    local: dict[str, str] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    review: dict[str, str] = field(default_factory=dict)
    collisions: list[str] = field(default_factory=list)

    def copy(self, resource: Resource) -> Resource:
        """The local copy: local id, local references, ``meta.source`` naming the sender's
        version, and (for a new person, organisation or household) the sender's address as
        an identifier."""
        sender_key = key(resource)
        moved = relabel(pin_versions(portable(resource), self.base_url), self.local)
        version = (resource.get("meta") or {}).get("versionId")
        moved.setdefault("meta", {})["source"] = f"{self.base_url}/{sender_key}" + (
            f"/_history/{version}" if version else "")
        if resource.get("resourceType") in MATCHED:
            address = f"{self.base_url}/{sender_key}"
            identifiers = [i for i in moved.get("identifier", []) if isinstance(i, dict)]
            if not any(i.get("system") == URI and i.get("value") == address for i in identifiers):
                moved["identifier"] = [*identifiers, {"system": URI, "value": address}]
        return moved


def _values(resource: Resource, system: str) -> list[str]:
    return sorted({i["value"] for i in resource.get("identifier", []) if isinstance(i, dict)
                   and i.get("system") == system and isinstance(i.get("value"), str)})


def _search(own_client: FhirClient, resource_type: str, params: dict[str, str]) -> list[Resource]:
    return list(own_client.search(resource_type, {**params, "_count": "20"}, as_dict=True,
                                  fresh=True))


def _read(own_client: FhirClient, ref: str) -> Resource | None:
    try:
        return own_client.read(*ref.split("/", 1), as_dict=True)
    except (NotFound, Gone):
        return None


def _by_identifier(own_client: FhirClient, resource: Resource, system: str) -> list[Resource]:
    found: dict[str, Resource] = {}
    for value in _values(resource, system):
        for hit in _search(own_client, str(resource["resourceType"]),
                           {"identifier": f"{system}|{value}"}):
            found[key(hit)] = hit
    return list(found.values())


def _organisation_hits(own_client: FhirClient, resource: Resource) -> list[Resource]:
    """The local team's Organizations with the sender's organisation identifier: by URA
    where the sender gives one, else by OIN, else by KvK number. A KvK number names the
    whole legal entity (every department of a municipality), so there the name must match
    too; otherwise the organisation is new (never merged with a sibling department)."""
    for system in (URA, OIN, KVK):
        if not _values(resource, system):
            continue
        hits = _by_identifier(own_client, resource, system)
        if system == KVK:
            name = str(resource.get("name") or "").strip().casefold()
            hits = [h for h in hits if name and
                    str(h.get("name") or "").strip().casefold() == name]
        return hits
    return []


def place(own_client: FhirClient, resources: dict[str, Resource], base_url: str) -> Placement:
    """Match the pulled ``resources`` (keyed by the sender's ``Type/id``) to the local team's
    records (see the module docstring)."""
    base_url = base_url.rstrip("/")
    placement = Placement(base_url)
    matched_people: set[str] = set()
    groups = []
    for sender_key, resource in resources.items():
        kind = resource.get("resourceType")
        if kind == "Group":
            groups.append((sender_key, resource))
            continue
        if kind not in MATCHED:
            placement.local[sender_key] = sender_key
            continue
        hits = _by_identifier(own_client, resource, BSN) if kind == "Patient" else \
            _organisation_hits(own_client, resource)
        if len(hits) == 1:
            placement.local[sender_key] = key(hits[0])
            if kind == "Patient":
                matched_people.add(key(hits[0]))
            if not from_sender(hits[0], base_url):
                placement.kept.add(sender_key)
            continue
        placement.local[sender_key] = f"{kind}/{local_id(base_url, sender_key)}"
        if kind == "Patient" and len(hits) > 1:
            placement.review[placement.local[sender_key]] = MANY_BSN
        elif kind == "Patient" and not _values(resource, BSN):
            placement.review[placement.local[sender_key]] = NO_BSN
    for sender_key, group in groups:
        _place_group(own_client, placement, sender_key, group, matched_people)
    for sender_key, local_key in placement.local.items():
        if sender_key in placement.kept:
            continue
        current = _read(own_client, local_key)
        if current is not None and not from_sender(current, base_url):
            placement.collisions.append(local_key)
    return placement


def _place_group(own_client: FhirClient, placement: Placement, sender_key: str,
                 group: Resource, matched_people: set[str]) -> None:
    base_url = placement.base_url
    candidates: dict[str, Resource] = {}
    for identifier in group.get("identifier", []):
        if isinstance(identifier, dict) and identifier.get("system") and identifier.get("value"):
            for hit in _search(own_client, "Group", {
                    "identifier": f"{identifier['system']}|{identifier['value']}"}):
                candidates[key(hit)] = hit
    members = [placement.local.get(reference(m.get("entity")) or "")
               for m in group.get("member", []) if isinstance(m, dict)]
    if not candidates:
        for person in sorted(p for p in members if p in matched_people):
            for hit in _search(own_client, "Group", {"member": person}):
                if hit.get("type") == "person":
                    candidates[key(hit)] = hit
    if len(candidates) == 1:
        local = next(iter(candidates.values()))
        placement.local[sender_key] = key(local)
        if not from_sender(local, base_url):
            placement.kept.add(sender_key)
            present = {reference(m.get("entity")) for m in local.get("member", [])
                       if isinstance(m, dict)}
            if any(m and m not in present for m in members):
                placement.review[key(local)] = MEMBERS
        return
    placement.local[sender_key] = f"Group/{local_id(base_url, sender_key)}"


def local_reference(own_client: FhirClient, base_url: str, ref: str) -> str | None:
    """The local record a sender's ``Type/id`` became, when the intake made it: a new person,
    organisation or household carries the sender's address as an identifier; a case resource
    keeps its id. None when it matched a record the local team already had (the handover
    Task's references and the Provenance name that one)."""
    kind = ref.split("/", 1)[0]
    if kind not in MATCHED:
        return ref
    hits = _search(own_client, kind, {"identifier": f"{URI}|{base_url.rstrip('/')}/{ref}"})
    return key(hits[0]) if len(hits) == 1 else None


def review_flag(placement: Placement, local_key: str, reason: str, at: datetime) -> Resource:
    """The flag a reviewer sees in the inbox listing (see ``flag_for_review``)."""
    return flag_for_review(placement.base_url, local_key, reason, at)


def flag_for_review(origin: str, local_key: str, reason: str, at: datetime) -> Resource:
    """An active ``Flag`` (FHIR R4 Flag, category ``admin``) on a local record that needs a
    person's look, raised by what came from ``origin`` (a sender's or partner's base URL).
    The handover intake and the sync engine's inbound path both use it. The reviewer checks
    the person (or household) and sets the flag's status to ``inactive`` when done (or
    ``entered-in-error``). Its id is the same for the same origin, record and reason, so
    raising it again writes the same flag."""
    return {"resourceType": "Flag",
            "id": stable_id("controle", origin.rstrip("/"), local_key, reason),
            "status": "active",
            "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "admin",
                                      "display": "Administrative"}]}],
            "code": {"text": reason},
            "subject": {"reference": local_key},
            "period": {"start": at.isoformat()}}


def provenance(placement: Placement, resources: dict[str, Resource], task_key: str, *,
               version: str, at: datetime, sender: tuple[str, str] | None) -> Resource:
    """One Provenance per version taken in: every local record the handover now refers to,
    and the sender's address of each resource it came from."""
    targets = sorted(set(placement.local.values()))
    entities = []
    for sender_key in sorted(resources):
        found = resources[sender_key]
        ver = (found.get("meta") or {}).get("versionId")
        entities.append({"role": "source", "what": {"identifier": {
            "system": URI, "value": f"{placement.base_url}/{sender_key}"
                                    + (f"/_history/{ver}" if ver else "")},
            "display": f"{placement.local.get(sender_key, sender_key)}"}})
    who: dict[str, Any] = {"display": "Veilig Thuis (afzender van de overdracht)"}
    if sender:
        who["identifier"] = {"system": sender[0], "value": sender[1]}
    return {"resourceType": "Provenance",
            "id": stable_id("herkomst", placement.base_url, task_key, version),
            "target": [{"reference": t} for t in targets],
            "recorded": at.isoformat(),
            "activity": {"coding": [{"system": PROVENANCE_ACTIVITY, "code": "CREATE"}],
                         "text": "Overdracht opgehaald"},
            "agent": [{"who": who}],
            "entity": entities}
