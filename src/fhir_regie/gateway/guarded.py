"""Reads through the disclosure guard: what the gateway answers a partner system.

Every answer is made the same way as the viewer's (``fhir_regie.viewer.app``): read the
household the asked-for resources belong to from the care record's server
(:func:`~fhir_regie.client.household.fetch_household`), let :func:`fhir_regie.consent.share`
decide at this moment for the caller's organisation and purpose, answer only
``Shared.bundle``'s projected copies, and write ``Shared.audit_events`` to the care record's
server *before* answering (no record, no answer). A resource that belongs to no household the
walk can find is withheld (deny by default).

The I/O is the upstream :class:`~fhir_regie.client.FhirClient` given to each call; the clock is
injected. Nothing here logs; errors carry no personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fhir_regie.client import FhirClient, bundle_entry, make_bundle
from fhir_regie.client.errors import Gone, NotFound, PreconditionFailed
from fhir_regie.client.household import fetch_household
from fhir_regie.consent import Request, share

Resource = dict[str, Any]

#: The plan resources the gateway serves (read, vread, search): the household and what the
#: guard decides on as data. Consents, AuditEvents and Provenance are records about sharing;
#: Organization, Practitioner, PractitionerRole go only as context (the household read).
SERVED_TYPES = ("CarePlan", "Task", "Goal", "Condition", "Observation", "CareTeam", "Group",
                "Patient", "RelatedPerson", "Composition")
HOUSEHOLD_SYSTEM = "https://fhir-regie.nl/fhir/CodeSystem/regie-group-type"
#: Reference elements followed (one step) to find the household of a resource.
LINKS = ("subject", "for", "patient", "focus", "basedOn", "partOf", "addresses", "member")


#: Households one search may touch: each is read whole, so a search across the region is
#: refused (narrow it, e.g. by subject) rather than walking every household on the server.
MAX_HOUSEHOLDS = 25


class TooBroadError(Exception):
    """A search whose matches lie in more households than :data:`MAX_HOUSEHOLDS`."""


@dataclass(frozen=True)
class Caller:
    """Who asks: from the access token and the registry."""

    client_id: str
    organization: str
    purpose: str
    practitioner_role: str | None = None
    directory: dict[str, str] = field(default_factory=dict)


class UpstreamError(Exception):
    """The care record's server failed (its class name only: no data)."""


def _refs(value: Any) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        ref = value.get("reference")
        if isinstance(ref, str) and ref.count("/") == 1 and "://" not in ref:
            found.append(ref)
        for item in value.values():
            found += _refs(item)
    elif isinstance(value, list):
        for item in value:
            found += _refs(item)
    return found


def is_household(group: Resource) -> bool:
    """A Group coded ``regie-group-type#household``."""
    codings = (group.get("code") or {}).get("coding") or []
    return group.get("resourceType") == "Group" and any(
        isinstance(c, dict) and c.get("system") == HOUSEHOLD_SYSTEM
        and c.get("code") == "household" for c in codings)


class Households:
    """The households read during one answer (each read once), and how to find a resource's
    household."""

    def __init__(self, client: FhirClient) -> None:
        self.client = client
        self.read: dict[str, dict[str, Resource]] = {}
        self._seen: dict[str, Resource | None] = {}
        self._members: dict[str, list[str]] = {}

    def get(self, household_id: str) -> dict[str, Resource]:
        if household_id not in self.read:
            # Fresh: a consent revoked a moment ago must count (HAPI caches searches 60 s).
            self.read[household_id] = fetch_household(self.client, household_id, fresh=True)
        return self.read[household_id]

    def candidates(self, resource: Resource) -> list[str]:
        """Ids of households the resource may belong to: a household Group it is or names, or
        one with a member it names; one step through the plans and tasks it refers to."""
        found: list[str] = []
        seen: set[str] = set()
        frontier = [resource]
        for _ in range(2):
            following: list[Resource] = []
            for item in frontier:
                if is_household(item):
                    found.append(str(item["id"]))
                refs = [f"{item['resourceType']}/{item.get('id')}"] \
                    if item.get("resourceType") == "Patient" else []
                for name in LINKS:
                    refs += _refs(item.get(name))
                for ref in refs:
                    if ref in seen:
                        continue
                    seen.add(ref)
                    kind, rid = ref.split("/", 1)
                    if kind == "Group":
                        group = self._read(kind, rid)
                        if group is not None and is_household(group):
                            found.append(rid)
                    elif kind == "Patient":
                        found += self._households_with(ref)
                    elif kind in ("CarePlan", "Task", "Goal", "Condition", "Composition"):
                        linked = self._read(kind, rid)
                        if linked is not None:
                            following.append(linked)
            if found:
                break
            frontier = following
        return sorted(set(found))

    def _read(self, kind: str, rid: str) -> Resource | None:
        """A read for finding households, each resource read once per answer."""
        key = f"{kind}/{rid}"
        if key not in self._seen:
            try:
                self._seen[key] = self.client.read(kind, rid, as_dict=True)
            except (NotFound, Gone):
                self._seen[key] = None
        return self._seen[key]

    def _households_with(self, member: str) -> list[str]:
        if member not in self._members:
            self._members[member] = [
                str(g["id"]) for g in self.client.search("Group", {"member": member},
                                                         as_dict=True, fresh=True)
                if is_household(g) and member in _refs(g.get("member"))]
        return self._members[member]

    def home_of(self, resource: Resource) -> tuple[str, dict[str, Resource]] | None:
        """The first household (by id) that really holds the resource, and its resources."""
        key = f"{resource.get('resourceType')}/{resource.get('id')}"
        for household_id in self.candidates(resource):
            try:
                members = self.get(household_id)
            except (NotFound, Gone):
                continue
            if key in members:
                return household_id, members
        return None


def discloser_of(resources: dict[str, Resource], household_id: str,
                 fallback: str | None) -> str | None:
    """Who discloses: the household's managing organisation (as in the viewer), else the
    gateway's configured organisation."""
    group = resources.get(f"Group/{household_id}", {})
    managing = (group.get("managingEntity") or {}).get("reference")
    return managing if isinstance(managing, str) and managing.startswith("Organization/") \
        else fallback


def disclose(client: FhirClient, caller: Caller, household_id: str,  # noqa: PLR0917
             resources: dict[str, Resource], data: Iterable[Resource] | None, at: datetime,
             discloser: str | None) -> list[Resource]:
    """The guard's copies for the caller, after its ``regie-disclosure`` records were written
    to the care record's server. ``data`` None: the whole household (context included)."""
    source = discloser_of(resources, household_id, discloser)
    if source is None:
        return []   # nobody to record as discloser: nothing may go
    request = Gatekeeper._request(caller, at, source)
    shared = share(resources.values(), request, data=None if data is None else list(data),
                   household=household_id)
    copies = [e["resource"] for e in shared.bundle["entry"]]
    if not copies:
        return []
    for event in shared.audit_events:
        # The partner's system asked (a pull); the client id tells which system.
        event.agent[0].requestor = False
        event.agent[1].requestor = True
        event.agent[1].altId = caller.client_id
    if len(shared.audit_events) == 1:
        client.create(shared.audit_events[0])
    elif shared.audit_events:
        # One event per basis: written together or not at all (one round trip).
        client.transaction(make_bundle("transaction", [
            bundle_entry("POST", event) for event in shared.audit_events]))
    return copies


class Gatekeeper:
    """The guarded answers. ``connect`` gives a client for the care record's server (one per
    answer or per thread); ``clock`` the current moment (time-zone aware); ``discloser`` the
    organisation recorded as discloser when a household names no managing organisation."""

    def __init__(self, connect: Callable[[], FhirClient], clock: Callable[[], datetime],
                 discloser: str | None = None) -> None:
        self.connect, self.clock, self.discloser = connect, clock, discloser

    def read(self, caller: Caller, kind: str, rid: str, version: str | None = None
             ) -> Resource | None:
        """The guarded copy of ``kind/rid`` (a version with ``version``), or None when it does
        not exist or may not go: the caller cannot tell the two apart."""
        client = self.connect()
        try:
            current = client.read(kind, rid, as_dict=True)
            wanted = current if version is None else client.vread(kind, rid, version,
                                                                  as_dict=True)
        except (NotFound, Gone):
            return None
        households = Households(client)
        home = households.home_of(current)
        if home is None:
            return None
        household_id, resources = home
        copies = disclose(client, caller, household_id, resources, [wanted], self.clock(),
                          self.discloser)
        return copies[0] if copies else None

    def search(self, caller: Caller, found: Iterable[Resource],
               keep: Callable[[Resource], bool], offset: int, count: int
               ) -> tuple[int, list[Resource]]:
        """Search matches through the guard: the total of what may go *and* still matches
        (``keep`` is asked of each projected copy, so a match on an element the caller does
        not get is no match), and the copies of one page (``offset``, ``count``).

        The guard is pure, so it runs twice: over every match to know the total and the page,
        then over the page alone, whose answer goes with its disclosure records."""
        client = self.connect()
        households = Households(client)
        at = self.clock()
        by_household: dict[str, list[Resource]] = {}
        home: dict[str, str] = {}
        order: list[str] = []
        for resource in found:
            key = f"{resource['resourceType']}/{resource.get('id')}"
            if key in home:
                continue
            place = households.home_of(resource)
            if place is None:
                continue
            if len(households.read) > MAX_HOUSEHOLDS:
                raise TooBroadError
            by_household.setdefault(place[0], []).append(resource)
            home[key] = place[0]
            order.append(key)
        going: set[str] = set()
        for household_id, data in by_household.items():
            resources = households.get(household_id)
            source = discloser_of(resources, household_id, self.discloser)
            if source is None:
                continue
            request = self._request(caller, at, source)
            shared = share(resources.values(), request, data=data, household=household_id)
            going |= {f"{e['resource']['resourceType']}/{e['resource'].get('id')}"
                      for e in shared.bundle["entry"] if keep(e["resource"])}
        matches = [k for k in order if k in going]
        page = matches[offset:offset + count]
        copies: dict[str, Resource] = {}
        for household_id, data in by_household.items():
            chosen = [r for r in data if f"{r['resourceType']}/{r.get('id')}" in page]
            if not chosen:
                continue
            for copy in disclose(client, caller, household_id, households.get(household_id),
                                 chosen, at, self.discloser):
                copies[f"{copy['resourceType']}/{copy.get('id')}"] = copy
        return len(matches), [copies[k] for k in page if k in copies]

    @staticmethod
    def _request(caller: Caller, at: datetime, discloser: str) -> Request:
        return Request(recipient=caller.organization, purpose=caller.purpose, at=at,
                       discloser=discloser, role=caller.practitioner_role,
                       directory=dict(caller.directory))

    def household(self, caller: Caller, household_id: str) -> list[Resource] | None:
        """The guarded copy of a whole household (its data and the professionals and
        organisations that go with it), or None when nothing may go."""
        client = self.connect()
        try:
            resources = Households(client).get(household_id)
        except (NotFound, Gone):
            return None
        if not is_household(resources[f"Group/{household_id}"]):
            return None
        copies = disclose(client, caller, household_id, resources, None, self.clock(),
                          self.discloser)
        return copies or None


#: What a partner may change on an agreed action it owns: its status and the reason for it
#: (FHIR R4 Task.status, Task.statusReason). The rest is kept as the care record holds it.
CHANGEABLE = ("status", "statusReason")
#: Elements that differ between what the caller sent and the copy it was given without being
#: a change it makes (the server keeps them).
IGNORED = ("meta", "text", "lastModified")


class WriteRefusedError(Exception):
    """A write the gateway refuses: ``status`` (403, 409, 412, 422) and an English reason
    without personal data."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def update_status(gate: Gatekeeper, caller: Caller, task_id: str, sent: Resource, *,
                  if_match: str | None,
                  check: Callable[..., str | None],
                  validate: Callable[[Resource], list[str]]) -> Resource:
    """Apply a partner's status change to an agreed action it owns.

    The caller sends the Task as it got it (the guarded copy) with a new ``status`` (and
    ``statusReason``); anything else that differs from that copy is refused. The change is
    made on the care record's own version (elements the caller never saw stay as they are),
    checked with ``check`` (``workflow.transitions.check_transition``), validated against the
    profiles (``validate`` returns error messages), written with ``If-Match`` on the version
    read, and answered with the guarded copy of the result (recorded as a disclosure).
    Raises :class:`WriteRefusedError`; a Task that does not exist or that the caller may not see
    is refused the same way as one it may not change.
    """
    client = gate.connect()
    try:
        before = client.read("Task", task_id, as_dict=True)
    except (NotFound, Gone):
        raise WriteRefusedError(403, "this agreed action cannot be changed by you") from None
    households = Households(client)
    home = households.home_of(before)
    if home is None:
        raise WriteRefusedError(403, "this agreed action cannot be changed by you")
    household_id, resources = home
    source = discloser_of(resources, household_id, gate.discloser)
    at = gate.clock()
    seen = None
    if source is not None:
        shared = share(resources.values(), Gatekeeper._request(caller, at, source),
                       data=[before], household=household_id)
        seen = shared.bundle["entry"][0]["resource"] if shared.bundle["entry"] else None
    if seen is None:
        raise WriteRefusedError(403, "this agreed action cannot be changed by you")
    version = str((before.get("meta") or {}).get("versionId") or "")
    if if_match is not None and if_match.strip() not in (f'W/"{version}"', f'"{version}"'):
        raise WriteRefusedError(412, "the agreed action changed since you read it")
    skip = (*CHANGEABLE, *IGNORED)
    if {k: v for k, v in sent.items() if k not in skip} != \
            {k: v for k, v in seen.items() if k not in skip}:
        raise WriteRefusedError(403, "only the status of an agreed action (and its statusReason) "
                                "may be changed through the gateway")
    after = {k: v for k, v in before.items() if k not in ("statusReason",)}
    for name in CHANGEABLE:
        if name in sent:
            after[name] = sent[name]
    after["lastModified"] = at.isoformat(timespec="seconds")
    reason = check(before, after, actor=caller.organization)
    if reason is not None:
        raise WriteRefusedError(403, reason)
    errors = validate(after)
    if errors:
        raise WriteRefusedError(422, "the changed agreed action is not valid against its profile")
    try:
        client.update(after, if_match=f'W/"{version}"' if version else False)
    except PreconditionFailed:
        raise WriteRefusedError(412, "the agreed action changed since you read it") from None
    written = client.read("Task", task_id, as_dict=True)
    copies = disclose(client, caller, household_id, households.get(household_id) | {
        f"Task/{task_id}": written}, [written], at, gate.discloser)
    if not copies:
        raise WriteRefusedError(403, "this agreed action cannot be changed by you")
    return copies[0]
