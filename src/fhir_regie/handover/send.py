"""Veilig Thuis's side of the notified pull: put the handover on VT's own server, then tell the
local team where it waits (DOMAIN.md §4; ARCHITECTURE.md §5).

``send`` assembles the package (``package.py``) through the consent guard, writes it to VT's
server in one transaction together with the disclosure records, and leaves a notification on
the local team's server. It is safe to repeat:

- resources that did not change are not written again, so a repeated send of the same case
  writes nothing and its notification (same Task version, same identifier) is not created
  twice (conditional create on the identifier);
- a changed case (VT corrected the document, added a condition) writes the changes, bumps the
  Task to a new version and notifies again: the receiver sees the new version;
- the handover's state on VT's server is kept: an accepted handover stays accepted with its
  transfer moment; a rejected one is offered again (``requested``); a cancelled one cannot be
  sent again (a new offer needs a new Task).

``cancel`` withdraws a handover that the local team has not accepted, and notifies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fhir_regie.client import Conflict, FhirClient, NotFound, bundle_entry, make_bundle
from fhir_regie.consent import LegalClaim, Request, share
from fhir_regie.handover import conformance
from fhir_regie.handover._fhir import (
    Resource,
    key,
    labels,
    portable,
    reference,
    same_content,
    version_in,
)
from fhir_regie.handover.errors import CaseError, StateError
from fhir_regie.handover.notification import TaskAddress, build
from fhir_regie.handover.package import (
    LEGAL_BASIS,
    PURPOSE,
    Package,
    check,
    default_justification,
    describe,
    prepare,
    route_of,
    with_document_version,
)
from fhir_regie.messages import MESSAGES, say
from fhir_regie.model import to_json
from fhir_regie.model.handover import NOTIFICATION_SYSTEM

#: Task states in which responsibility has passed to the local team (rg-hnd-1).
TAKEN_OVER = ("accepted", "in-progress", "completed")
#: The state the receiver's answer leaves on VT's Task that a new send must keep.
ANSWER_ELEMENTS = ("status", "statusReason", "businessStatus")


@dataclass(frozen=True)
class Sent:
    """What ``send`` or ``cancel`` did."""

    address: TaskAddress
    status: str
    written: tuple[str, ...]
    notification_id: str | None
    notified: bool
    package: Package | None = None

    def lines(self, lang: str = "nl") -> list[str]:
        """A readable account without personal data, in ``lang`` (the message catalogue)."""
        found = [say("handover.sent", lang, task=f"Task/{self.address.task_id}",
                     version=self.address.version, server=self.address.base_url,
                     status=say(f"handover.status.{self.status}", lang)
                     if f"handover.status.{self.status}" in MESSAGES else self.status)]
        if self.package is not None:
            found += describe(self.package, lang)
        found.append(say("handover.written", lang, count=len(self.written)) if self.written
                     else say("handover.nothing_written", lang))
        if self.notification_id is None:
            found.append(say("handover.not_notified", lang))
        else:
            found.append(say("handover.notified" if self.notified else "handover.already_notified",
                             lang, task=f"Task/{self.notification_id}"))
        return found


def _current(client: FhirClient, ref: str) -> Resource | None:
    resource_type, resource_id = ref.split("/", 1)
    try:
        return client.read(resource_type, resource_id, as_dict=True)
    except NotFound:
        return None


def _keep_answer(task: Resource, current: Resource | None) -> Resource:
    """The case's Task with the state the lifecycle left on VT's server."""
    if current is None:
        return task
    status = current.get("status")
    if status == "cancelled":
        raise StateError(f"{key(task)} was cancelled; a new offer needs a new handover Task")
    merged = {k: v for k, v in task.items() if k not in ANSWER_ELEMENTS}
    if status == "rejected":
        # Offered again after a refusal: the refusal stays in the Task's history.
        merged["status"] = "requested"
        merged["businessStatus"] = {"text": "Opnieuw aangeboden na afwijzing"}
        return merged
    for name in ANSWER_ELEMENTS:
        if name in current:
            merged[name] = current[name]
    # The moment responsibility passed and the version accepted are the local team's answer:
    # they stay as the local team recorded them (a later document version is not accepted by
    # them, docs/handover.md).
    if status in TAKEN_OVER:
        for name in ("executionPeriod", "output"):
            if name in current:
                merged[name] = current[name]
    return merged


def _notify(team_client: FhirClient, task: Resource, resources: dict[str, Resource],
            address: TaskAddress, at: datetime) -> tuple[str | None, bool]:
    notification = build(task, resources, address, at)
    result = team_client.create(
        notification, if_none_exist={"identifier": f"{NOTIFICATION_SYSTEM}|{address.identifier}"})
    return result.id, result.created


def send(case: Iterable[Resource], vt_client: FhirClient, team_client: FhirClient, *, at: datetime,
         reporter_contact_needed: bool = False, justification: str | None = None) -> Sent:
    """Put the handover of ``case`` on Veilig Thuis's server and notify the local team.

    Parameters:
        case: VT's resources of the case (see ``package.py``).
        vt_client: a client for VT's own server, with VT's credentials.
        team_client: a client for the local team's server, with VT's credentials for it.
        at: the moment (time-zone aware); recorded in the disclosure and the notification.
        reporter_contact_needed: the local team needs to contact the reporter (§4).

    Raises :class:`CaseError` (the case cannot become a handover; nothing is written),
    :class:`StateError` (the handover was cancelled), or the client's errors.

    Example::

        >>> sent = send(case, vt, team, at=datetime.now(UTC))  # doctest: +SKIP
        >>> sent.address.url  # doctest: +SKIP
        'http://127.0.0.1:8081/fhir/Task/vt-handover-VTGM-2026-09120/_history/1'
    """
    prepared = prepare(case, at=at, reporter_contact_needed=reporter_contact_needed,
                       justification=justification)
    shared = share(prepared.context, prepared.request, data=list(prepared.data))
    package = check(prepared, shared)
    current = {k: _current(vt_client, k) for k in package.keys}
    task_key = key(package.task)
    document_key = reference(package.task.get("focus")) or ""
    task = _keep_answer(package.task, current[task_key])
    # The Task names the exact version of the document (rg-hnd-3); checked here with the
    # version on the server now, set below to the version this send leaves there.
    verdict = conformance.check([with_document_version(task, document_key, _version_of(
        current.get(document_key)) or "1")], {task_key: "regie-handover"})
    if not verdict.valid:
        raise CaseError(f"the handover Task breaks its profile: {verdict.summary}",
                        verdict.outcome)
    writes = [r for r in package.resources if key(r) != task_key
              and not same_content(r, current[key(r)])]
    written: tuple[str, ...] = ()
    document_version = _version_of(current.get(document_key))
    if writes:
        # First the content, so the Task can name the version of the document it hands over.
        entries = [bundle_entry("PUT", r, if_match=_etag(current[key(r)])) for r in writes]
        try:
            response = vt_client.transaction(make_bundle("transaction", entries), as_dict=True)
        except Conflict:
            raise StateError("the handover changed on Veilig Thuis's server while it was being "
                             "sent; send again") from None
        if any(key(r) == document_key for r in writes):
            document_version = version_in(response, document_key) or _version_of(
                _current(vt_client, document_key))
        written = tuple(key(r) for r in writes)
    if document_version is None:
        raise StateError(f"{document_key} has no version on Veilig Thuis's server")
    task = with_document_version(task, document_key, document_version)
    old_task = current[task_key]
    unchanged_task = old_task is not None and same_content(_without_moment(task),
                                                           _without_moment(old_task))
    if written or not unchanged_task:
        task = {**task, "lastModified": at.isoformat()}
        entries = [bundle_entry("PUT", task, if_match=_etag(old_task))]
        entries += [bundle_entry("POST", event) for event in package.audit_events]
        try:
            response = vt_client.transaction(make_bundle("transaction", entries), as_dict=True)
        except Conflict:
            raise StateError("the handover changed on Veilig Thuis's server while it was being "
                             "sent; send again") from None
        version = version_in(response, task_key) or str(
            vt_client.read("Task", package.task["id"], as_dict=True)["meta"]["versionId"])
        written = (*written, task_key)
    else:
        version = str(old_task["meta"]["versionId"])  # type: ignore[index]
    address = TaskAddress(vt_client.base_url, package.task["id"], version)
    if not written and str(task.get("status")) in TAKEN_OVER:
        # Nothing new, and the current version is the local team's own answer: it knows it.
        return Sent(address, str(task.get("status")), written, None, False, package)
    resources = {key(r): r for r in package.resources}
    notification_id, created = _notify(team_client, task, resources, address, at)
    return Sent(address, str(task.get("status")), written, notification_id, created, package)


def _version_of(resource: Resource | None) -> str | None:
    version = (resource or {}).get("meta", {}).get("versionId")
    return str(version) if version else None


def _without_moment(task: Resource) -> Resource:
    return {k: v for k, v in task.items() if k != "lastModified"}


def _etag(current: Resource | None) -> str | None:
    version = (current or {}).get("meta", {}).get("versionId")
    return f'W/"{version}"' if version else None


def cancel(vt_client: FhirClient, team_client: FhirClient, task_id: str, *, reason: str,
           at: datetime, justification: str | None = None) -> Sent:
    """Withdraw a handover the local team has not accepted, and notify it.

    The reason is required (``rg-hnd-2``) and goes to the local team: write it without
    names. Raises :class:`StateError` when the handover was already accepted (responsibility
    has passed: agree its return with the local team instead).
    """
    if not reason.strip():
        raise StateError("a cancellation needs a reason (rg-hnd-2)")
    original = vt_client.read("Task", task_id, as_dict=True)
    status = original.get("status")
    if status in TAKEN_OVER:
        raise StateError(f"Task/{task_id} was already accepted by the local team; "
                         "responsibility has passed, so it cannot be cancelled")
    task = portable(original)
    if status != "cancelled":
        task |= {"status": "cancelled", "statusReason": {"text": reason},
                 "businessStatus": {"text": "Ingetrokken door Veilig Thuis"},
                 "lastModified": at.isoformat()}
    verdict = conformance.check([task], {f"Task/{task_id}": "regie-handover"})
    if not verdict.valid:
        raise StateError(f"the cancelled Task would break its profile: {verdict.summary}",
                         verdict.outcome)
    vt_org, team_org = reference(task.get("requester")), reference(task.get("owner"))
    if vt_org is None or team_org is None:
        raise StateError(f"Task/{task_id} names no requester and owner organisations")
    organisations = {ref: found for ref in (vt_org, team_org)
                     if (found := _current(vt_client, ref)) is not None}
    request = Request(recipient=team_org, purpose=PURPOSE, at=at, discloser=vt_org,
                      legal_claim=LegalClaim(
                          LEGAL_BASIS, justification or default_justification(
                              route_of(task) or "onbekend"),
                          covers_labels=tuple(sorted(labels(task) & {"R", "V"}))))
    shared = share([task, *organisations.values()], request, data=[task])
    if not shared.decision.resources[0].permit:
        raise StateError(f"Task/{task_id} may not go to the local team: "
                         f"{shared.decision.resources[0].reasons[0]}")
    written: tuple[str, ...] = ()
    if status != "cancelled":
        task = portable(shared.bundle["entry"][0]["resource"])
        entries = [bundle_entry("PUT", task, if_match=_etag(original))]
        entries += [bundle_entry("POST", to_json(event)) for event in shared.audit_events]
        try:
            response = vt_client.transaction(make_bundle("transaction", entries), as_dict=True)
        except Conflict:
            raise StateError("the handover changed on Veilig Thuis's server meanwhile; "
                             "cancel again") from None
        version = version_in(response, f"Task/{task_id}") or str(
            vt_client.read("Task", task_id, as_dict=True)["meta"]["versionId"])
        written = (f"Task/{task_id}",)
    else:
        version = str(original["meta"]["versionId"])
    address = TaskAddress(vt_client.base_url, task_id, version)
    notification_id, created = _notify(team_client, task, organisations, address, at)
    return Sent(address, "cancelled", written, notification_id, created)
