"""The door of the sync engine: every write it makes, and the consent guard in front of every
write that leaves the organisation (ARCHITECTURE.md §1, docs/consent.md "The guard contract").

- :class:`Guard` decides, per push batch, what may go to the job's recipient:
  :func:`fhir_regie.consent.share` over each household's context (the Group, its members,
  their RelatedPersons, CareTeams and Consents: a bounded set, not the household's whole record)
  plus the changed resources. Denied resources are reported with their reasons and never sent;
  permitted ones go as the guard's redacted copies. After the write, :meth:`Guard.audit_events`
  makes the ``regie-disclosure`` AuditEvents of exactly what went (and what was withheld), with
  ids derived from the batch, so redoing an interrupted batch overwrites them, never doubles them.
- :func:`write` sends PUTs with client-chosen ids and ``If-Match`` as one transaction, with
  ``Prefer: return=minimal``. A write to the partner's side must carry a copy the guard
  permitted (:class:`GuardError` otherwise): the check is in the code path, not only in review.
  What the answer means:

  * all applied: each entry's new version comes from its ETag;
  * a stale ``If-Match`` (412, or 409 from HAPI) or a refused entry (400/422/403/404): the
    batch is written again entry by entry, so one stale or invalid resource costs only itself;
  * no answer, 429, 5xx or a garbled answer: nothing is known (the transaction may or may not
    have been applied), so every entry is retried later, from fresh reads. Writes to
    client-chosen ids with ``If-Match`` cannot apply a change twice.

Example::

    guard = Guard(local_side, job, discloser="Organization/devries-org-wijkteam")
    permitted = guard.share(resources, at=datetime.now(UTC))
    results = write(partner_side, writes, permitted)
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fhir_regie.client import (
    Conflict,
    FhirClientError,
    HttpError,
    InvalidResponse,
    ServerError,
    TooManyRequests,
    TransportError,
    bundle_entry,
    make_bundle,
)
from fhir_regie.consent import Decision, Request, share
from fhir_regie.consent.classes import DIRECTORY_TYPES
from fhir_regie.consent.guard import audit_events as disclosure_events
from fhir_regie.sync.config import Job
from fhir_regie.sync.fhirside import FhirSide
from fhir_regie.sync.keys import references

Resource = dict[str, Any]
Ref = tuple[str, str]
#: Failures after which nothing is known of a write: retry later, from fresh reads.
RETRYABLE = (ServerError, TooManyRequests, TransportError, InvalidResponse)
AUDIT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://fhir-regie.nl/fhir/sync/disclosure")


class GuardError(RuntimeError):
    """A write to the partner without a copy the consent guard permitted (a programming error:
    it must never happen, so it stops the run)."""


@dataclass(frozen=True)
class Write:
    """One PUT: ``source`` is the (type, id) of the change on its own side (a write to the
    partner must have it among the guard's permitted copies)."""

    rtype: str
    rid: str
    resource: Resource = field(repr=False)
    if_match: str | None  # the version the change was based on; None creates
    source: Ref | None = None


@dataclass(frozen=True)
class Written:
    """What became of one write: ``ok`` (with the new version), ``conflict`` (the target moved
    on), ``retry`` (unknown: try later, ``wait`` seconds at least) or ``refused`` (the server
    will not take it; ``rule`` and ``message`` name status and issue codes, no content)."""

    kind: str
    version: str | None = None
    rule: str = ""
    message: str = ""
    wait: float = 0.0


def _failure(error: FhirClientError) -> Written:
    if isinstance(error, Conflict):
        return Written("conflict", rule=f"http-{error.status}", message=str(error))
    if isinstance(error, TooManyRequests):
        return Written("retry", rule="http-429", message=str(error),
                       wait=error.retry_after or 0.0)
    if isinstance(error, HttpError) and not isinstance(error, ServerError):
        return Written("refused", rule=f"http-{error.status}", message=str(error))
    return Written("retry", rule=type(error).__name__, message=str(error))


def _version(etag: str | None) -> str | None:
    if not etag:
        return None
    return etag.removeprefix("W/").strip('"') or None


@dataclass
class Permitted:
    """What the guard decided for one batch.

    ``copies``: (type, id) -> the redacted copy that may go; ``denied``: (type, id) -> the
    reasons (they name rules and references, no personal data); ``decisions``: one per
    household decided, for the AuditEvents of what went.
    """

    copies: dict[Ref, Resource] = field(default_factory=dict)
    denied: dict[Ref, tuple[str, ...]] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)


def _ref(resource: Resource) -> Ref:
    return str(resource.get("resourceType")), str(resource.get("id"))


def _subject(resource: Resource) -> str | None:
    """Whom a resource is about, as ``Type/id`` (the element ``consent.classes.about`` reads)."""
    kind = resource.get("resourceType")
    element = {"RelatedPerson": "patient", "Task": "for", "Consent": "patient"}.get(
        str(kind), "subject")
    value = resource.get(element)
    if isinstance(value, dict) and isinstance(value.get("reference"), str):
        parts = value["reference"].split("/")
        return "/".join(parts[-2:]) if len(parts) >= 2 else None
    return None


class Guard:
    """The consent guard for one job's push batches.

    Parameters:
        local: our own server (where the household context is read).
        job: the job (recipient, purpose, role).
        discloser: our organisation, ``Organization/<id>``.
    """

    def __init__(self, local: FhirSide, job: Job, discloser: str) -> None:
        self.local = local
        self.job = job
        self.discloser = discloser
        self._contexts: dict[str, dict[str, Resource]] = {}
        self._groups_of: dict[str, str | None] = {}

    def request(self, at: datetime) -> Request:
        return Request(recipient=self.job.recipient, purpose=self.job.purpose, at=at,
                       discloser=self.discloser, role=self.job.role)

    # ------------------------------------------------------------------ households
    def group_of_patient(self, patient_id: str) -> str | None:
        """The household Group a Patient is a member of (searched once per run)."""
        if patient_id not in self._groups_of:
            wanted = f"Patient/{patient_id}"
            found = None
            for group in self.local.client.search("Group", {"member": wanted}, as_dict=True):
                if any(m.get("entity", {}).get("reference") == wanted
                       for m in group.get("member", [])):
                    found = group["id"]
                    break
            self._groups_of[patient_id] = found
        return self._groups_of[patient_id]

    def household_of(self, resource: Resource) -> str | None:
        """The id of the household Group a resource belongs to, or None (a professional, an
        organisation, or a client outside any household)."""
        kind = resource.get("resourceType")
        if kind == "Group":
            return str(resource.get("id"))
        if kind == "Patient":
            return self.group_of_patient(str(resource.get("id")))
        subject = _subject(resource)
        if subject is None:
            return None
        if subject.startswith("Group/"):
            return subject.split("/", 1)[1]
        if subject.startswith("Patient/"):
            return self.group_of_patient(subject.split("/", 1)[1])
        return None

    def context(self, group_id: str | None, patients: Iterable[str] = ()) -> dict[str, Resource]:
        """What the consent rules need of a household (read once per run): the Group, its
        members, their RelatedPersons, CareTeams and Consents, and the PractitionerRoles in its
        CareTeams. Bounded by the size of the household, not of its record."""
        label = group_id or "|".join(sorted(patients))
        if label in self._contexts:
            return self._contexts[label]
        found: dict[str, Resource] = {}
        client = self.local.client
        members: list[str] = list(patients)
        if group_id is not None:
            group = self.local.read("Group", group_id)
            if group is not None:
                found[f"Group/{group_id}"] = group
                members = [m["entity"]["reference"].split("/", 1)[1]
                           for m in group.get("member", [])
                           if m.get("entity", {}).get("reference", "").startswith("Patient/")]
        for patient in self.local.read_many("Patient", members).values():
            found[f"Patient/{patient['id']}"] = patient
        refs = [f"Patient/{m}" for m in members]
        for start in range(0, len(refs), 20):
            chunk = ",".join(refs[start:start + 20])
            for kind, parameter in (("RelatedPerson", "patient"), ("Consent", "patient"),
                                    ("CareTeam", "subject")):
                for resource in client.search(kind, {parameter: chunk}, as_dict=True):
                    found[f"{kind}/{resource['id']}"] = resource
        if group_id is not None:
            for team in client.search("CareTeam", {"subject": f"Group/{group_id}"},
                                      as_dict=True):
                found[f"CareTeam/{team['id']}"] = team
        roles = {rid for r in found.values() for (kind, rid) in references(r)
                 if kind == "PractitionerRole"}
        for role in self.local.read_many("PractitionerRole", roles).values():
            found[f"PractitionerRole/{role['id']}"] = role
        self._contexts[label] = found
        return found

    # ------------------------------------------------------------------ deciding
    def share(self, items: Sequence[Resource], at: datetime) -> Permitted:
        """Decide every item (the guard: :func:`fhir_regie.consent.share`), per household.

        Professionals and organisations are decided with each household of an item that refers
        to them (they go only as its context): permitted when one of those households' decision
        permits them; alone they stay behind.
        """
        permitted = Permitted()
        by_ref = {_ref(item): item for item in items}
        groups: dict[str | None, list[Resource]] = {}
        directory: list[Resource] = []
        for item in items:
            if item.get("resourceType") in DIRECTORY_TYPES:
                directory.append(item)
                continue
            groups.setdefault(self.household_of(item), []).append(item)
        for item in directory:
            # Decided with every household in the batch that refers to it: a professional or
            # organisation two households share goes as the context of the one whose consent
            # permits it, though the other's keeps it back (one denial must not spread to a
            # household that may have it).
            wanted = _ref(item)
            owners = [g for g, members in groups.items()
                      if any(wanted in references(m) for m in members)]
            for owner in owners or [None]:
                groups.setdefault(owner, []).append(item)
        request = self.request(at)
        for group_id, data in groups.items():
            patients = [] if group_id is not None else [
                str(r.get("id")) for r in data if r.get("resourceType") == "Patient"]
            context = dict(self.context(group_id, patients)) if (group_id or patients) else {}
            for item in data:
                context[f"{item['resourceType']}/{item['id']}"] = item
            shared = share(list(context.values()), request, data=data, household=group_id)
            permitted.decisions.append(shared.decision)
            copies = iter(e["resource"] for e in shared.bundle["entry"])
            for verdict, resource in zip(shared.decision.resources, shared.decision.items,
                                         strict=True):
                ref = _ref(resource)
                if verdict.permit:
                    permitted.copies[ref] = next(copies)
                    permitted.denied.pop(ref, None)
                elif ref not in permitted.copies:
                    permitted.denied[ref] = verdict.reasons
        assert set(permitted.copies) | set(permitted.denied) == set(by_ref)
        return permitted

    def audit_events(self, permitted: Permitted, sent: Iterable[Ref],
                     batch: str) -> list[Resource]:
        """The ``regie-disclosure`` AuditEvents of what went in a batch (and, in the first of
        each household, what was withheld). Ids derive from the batch: redoing it overwrites."""
        went = set(sent)
        events: list[Resource] = []
        for decision in permitted.decisions:
            keep = [(v, r) for v, r in zip(decision.resources, decision.items, strict=True)
                    if (v.permit and _ref(r) in went) or not v.permit]
            if not any(v.permit for v, _ in keep):
                continue
            narrowed = dataclasses.replace(decision, resources=tuple(v for v, _ in keep),
                                           items=tuple(r for _, r in keep))
            for event in disclosure_events(narrowed):
                data = event.model_dump(mode="json", by_alias=True, exclude_none=True)
                data["id"] = str(uuid.uuid5(AUDIT_NAMESPACE, f"{batch}|{len(events)}"))
                events.append(data)
        return events


# ---------------------------------------------------------------------------------- writes
def write(side: FhirSide, writes: Sequence[Write],
          permitted: Permitted | None = None) -> list[Written]:
    """Write a batch to one side (see the module docstring). Writes to the ``partner`` side
    must each carry a ``source`` among ``permitted.copies``."""
    if side.name == "partner":
        allowed = permitted.copies if permitted is not None else {}
        if any(w.source is None or w.source not in allowed for w in writes):
            raise GuardError("a write to the partner without a copy the consent guard "
                             "permitted")
    if not writes:
        return []
    if len(writes) == 1:
        return [write_one(side, writes[0])]
    entries = [bundle_entry("PUT", w.resource, url=f"{w.rtype}/{w.rid}",
                            if_match=f'W/"{w.if_match}"' if w.if_match else None)
               for w in writes]
    try:
        answer = side.client.transaction(make_bundle("transaction", entries),
                                         prefer="minimal", as_dict=True)
    except RETRYABLE as error:
        return [_failure(error)] * len(writes)
    except HttpError:
        return [write_one(side, w) for w in writes]
    responses = (answer or {}).get("entry") or []
    if len(responses) != len(writes):
        # An answer that cannot be paired with what was sent: the next attempt's reads tell.
        return [Written("retry", rule="InvalidResponse",
                        message="transaction answer without one entry per write")] * len(writes)
    return [Written("ok", version=_version(r.get("response", {}).get("etag")))
            for r in responses]


def write_one(side: FhirSide, entry: Write) -> Written:
    """One PUT (retried by the client: a PUT to a chosen id is idempotent)."""
    resource = dict(entry.resource, id=entry.rid)
    try:
        result = side.client.update(resource, if_match=entry.if_match or False,
                                    prefer="minimal", as_dict=True)
    except FhirClientError as error:
        return _failure(error)
    return Written("ok", version=result.version_id)


def store_own(local: FhirSide, resources: Iterable[Resource]) -> None:
    """Keep records of our own on our own server (the disclosure AuditEvents): PUT with their
    deterministic ids, so doing it twice changes nothing."""
    for resource in resources:
        local.client.update(resource, if_match=False, prefer="minimal", as_dict=True)


def delete_local(local: FhirSide, rtype: str, rid: str) -> None:
    """Delete on our own server (a person chose the partner's deletion in ``sync resolve``)."""
    local.client.delete(rtype, rid)
