"""The local team's answer to a handover it has taken in: accept or reject (DOMAIN.md §4).

**Accepting** is the moment responsibility for sight on safety passes. That moment is recorded
exactly, once, on both sides: on Veilig Thuis's workflow Task (written with ``If-Match`` on the
version the local team pulled, so it accepts exactly what it saw; a handover VT changed since
is refused with "take it in again") and on the local team's copy. From it follow, by the
workflow rules and the local team's regional settings (``deadlines.py``), the terms as
``regie-deadline`` Tasks: the first contact on the local team's server, and everything
Veilig Thuis takes part in (monitoring moments, the restraining-order timeline) on both
servers. The household's safety plan is started or extended with VT's safety conditions,
unchanged (``safety_plan.py``). Everything that goes to VT goes through the consent guard;
its disclosure records stay with the local team.

Accepting again is harmless: an accepted handover is reported as it is; if an earlier
acceptance reached VT but not the local server, the moment VT recorded is used, not a new one.

**Rejecting** needs a reason (``rg-hnd-2``), which goes to Veilig Thuis; an accepted handover
cannot be rejected (responsibility has passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fhir_regie.client import Conflict, FhirClient, Gone, NotFound, bundle_entry, make_bundle
from fhir_regie.consent import share
from fhir_regie.handover import conformance
from fhir_regie.handover._fhir import (
    Resource,
    key,
    portable,
    reference,
    transfer_moment,
    version_in,
)
from fhir_regie.handover.credentials import Credentials
from fhir_regie.handover.deadlines import Term, terms
from fhir_regie.handover.errors import StateError
from fhir_regie.handover.identity import paired_references, pin_versions, relabel
from fhir_regie.handover.inbox import TAKEN_OVER, taken_in
from fhir_regie.handover.notification import TaskAddress
from fhir_regie.handover.pull import closure
from fhir_regie.handover.reply import answer_request, answered
from fhir_regie.handover.safety_plan import conditions_of, current_plan, plan_with_conditions
from fhir_regie.messages import say
from fhir_regie.model import to_json
from fhir_regie.workflow.regions import RegionSettings


@dataclass(frozen=True)
class Answered:
    """What ``accept`` or ``reject`` recorded."""

    task: str
    status: str
    transfer: str | None = None
    terms: tuple[Term, ...] = ()
    plan: str | None = None
    already: bool = False
    reason: str | None = None

    def lines(self, lang: str = "nl") -> list[str]:
        """The answer as text in ``lang`` (the message catalogue); the terms' descriptions are
        the Dutch texts of the guide's Tasks."""
        if self.status == "accepted":
            head = say("handover.accepted", lang, task=self.task, transfer=self.transfer) + (
                " " + say("handover.accepted_before", lang) if self.already else "")
            lines = [head]
            lines += [say("handover.term", lang, due=t.due, rule=t.rule,
                          description=t.resource["description"])
                      + ("  " + say("handover.term_vt", lang) if t.shared_with_vt else "")
                      + ("  " + say("handover.term_met", lang) if t.status == "completed" else "")
                      for t in sorted(self.terms, key=lambda t: t.due)]
            if self.plan:
                lines.append(say("handover.plan", lang, plan=self.plan))
            return lines
        return [say("handover.rejected", lang, task=self.task)
                + (" " + say("handover.rejected_before", lang) if self.already else "")
                + (f": {self.reason}" if self.reason else "")]


def _local_task(own_client: FhirClient, task_id: str) -> Resource:
    try:
        return own_client.read("Task", task_id, as_dict=True)
    except (NotFound, Gone):
        raise StateError(f"no handover Task/{task_id} on this server: take the inbox in first "
                         "(fhir-regie handover inbox)") from None


def _vt_task(credentials: Credentials, task_id: str) -> tuple[FhirClient, TaskAddress, Resource]:
    """Veilig Thuis's Task now, and the version of it the local team took in."""
    _, address = taken_in(credentials.own(), task_id)
    if address is None:
        raise StateError(f"Task/{task_id} was not taken in from Veilig Thuis (its copy does "
                         "not say where from)")
    vt_client = credentials.client(address.base_url)
    return vt_client, address, vt_client.read("Task", task_id, as_dict=True)


def _check_current(vt_task: Resource, address: TaskAddress) -> None:
    status = vt_task.get("status")
    if status == "cancelled":
        raise StateError(f"Task/{address.task_id} was cancelled by Veilig Thuis")
    version = str((vt_task.get("meta") or {}).get("versionId"))
    if version != address.version:
        raise StateError(f"Veilig Thuis changed Task/{address.task_id} (now version {version}) "
                         f"after version {address.version} was taken in: take the inbox in "
                         "again and look at the new version first")


def _owner_name(resources: dict[str, Resource], task: Resource) -> str | None:
    owner = resources.get(reference(task.get("owner")) or "")
    name = (owner or {}).get("name")
    return str(name) if name else None


def _version(vt_client: FhirClient, task_id: str) -> str:
    return str(vt_client.read("Task", task_id, as_dict=True)["meta"]["versionId"])


def _sourced(task: Resource, address: TaskAddress, version: str) -> Resource:
    """The local copy of VT's Task, saying which version at VT it equals (``meta.source``)."""
    copy = portable(task)
    copy.setdefault("meta", {})["source"] = (f"{address.base_url}/Task/{address.task_id}"
                                             f"/_history/{version}")
    return copy


def _etag(resource: Resource) -> str | None:
    version = (resource.get("meta") or {}).get("versionId")
    return f'W/"{version}"' if version else None


def accept(credentials: Credentials, task_id: str, *, at: datetime,
           region: RegionSettings) -> Answered:
    """Accept a handover taken in: the transfer moment is ``at``.

    Parameters:
        credentials: the local team's own server and its credentials for VT's server.
        task_id: the handover Task (the same id on both servers; its references differ:
            the local copy names the local persons and household, identity.py).
        at: the moment of acceptance (time-zone aware): responsibility passes now.
        region: the local team's regional settings (terms).

    Raises :class:`StateError` when the handover is not (or no longer) open to acceptance.

    Example::

        >>> done = accept(credentials, "vt-handover-VTGM-2026-09120", at=now,
        ...               region=load_region("gelderland-midden"))  # doctest: +SKIP
        >>> done.transfer  # doctest: +SKIP
        '2026-11-19T09:15:00+01:00'
    """
    own_client = credentials.own()
    copy = _local_task(own_client, task_id)
    if copy.get("status") in TAKEN_OVER:
        return Answered(key(copy), "accepted",
                        transfer_moment(copy), already=True)
    if copy.get("status") not in ("requested", "received"):
        raise StateError(f"Task/{task_id} is {copy.get('status')}: only an offered handover "
                         "can be accepted")
    vt_client, address, vt_task = _vt_task(credentials, task_id)
    household = closure(own_client, copy).resources
    # The local copy refers to the local persons and household (identity.py): the answer to
    # VT goes in VT's references, the local copy keeps the local ones.
    mapping = paired_references(vt_task, copy)
    vt_household = _vt_view(household, mapping)
    earlier = transfer_moment(vt_task)
    reused = vt_task.get("status") in TAKEN_OVER and earlier is not None
    if reused:
        accepted = portable(vt_task)  # VT already has the moment: never a second one
    else:
        _check_current(vt_task, address)
        accepted = answered(vt_task, "accepted", at, transfer=at,
                            by=_owner_name(household, copy))
    verdict = conformance.check([accepted], {key(accepted): "regie-handover"})
    if not verdict.valid:
        raise StateError(f"the accepted Task would break its profile: {verdict.summary}",
                         verdict.outcome)
    local_accepted = relabel(pin_versions(accepted, address.base_url), mapping)
    found = terms(household.values(), local_accepted, region, at)
    if reused:
        records: list[Resource] = []
        version = str((vt_task.get("meta") or {}).get("versionId"))
    else:
        records, version = _tell_vt(vt_client, vt_task, accepted, found=found,
                                    household=vt_household, at=at, mapping=mapping)
    plan = _plan(own_client, copy, household, at)
    entries = [bundle_entry("PUT", _sourced(local_accepted, address, version),
                            if_match=_etag(copy))]
    entries += [bundle_entry("PUT", t.resource) for t in found]
    if plan is not None:
        entries.append(bundle_entry("PUT", portable(plan), if_match=_etag(plan)))
    # The disclosure records stay here: in the local references (a server with referential
    # integrity refuses an AuditEvent naming VT's ids for the organisations and household).
    entries += [bundle_entry("POST", relabel(r, mapping)) for r in records]
    own_client.transaction(make_bundle("transaction", entries), as_dict=True)
    return Answered(key(accepted), "accepted",
                    str(transfer_moment(accepted)),
                    tuple(found), key(plan) if plan else _plan_key(own_client, copy))


def _vt_view(household: dict[str, Resource], mapping: dict[str, str]) -> dict[str, Resource]:
    """The local records under VT's ids and references, where the handover named them."""
    back = {local: theirs for theirs, local in mapping.items()}
    return {back.get(ref, ref): relabel(resource, back) for ref, resource in household.items()}


def _tell_vt(vt_client: FhirClient, vt_task: Resource, accepted: Resource, *,
             found: list[Term], household: dict[str, Resource],
             at: datetime, mapping: dict[str, str]) -> tuple[list[Resource], str]:
    """The acceptance and VT's terms to VT's server, through the guard, with If-Match on the
    version taken in; (the disclosure records, VT's new version of the Task)."""
    back = {local: theirs for theirs, local in mapping.items()}
    for_vt = [relabel(t.resource, back) for t in found if t.shared_with_vt]
    request = answer_request(accepted, at, for_vt)
    shared = share([accepted, *household.values()], request, data=[accepted, *for_vt])
    denied = [d for d in shared.decision.resources if not d.permit]
    if denied:
        raise StateError(f"{denied[0].reference} may not go to Veilig Thuis: "
                         f"{denied[0].reasons[0]}")
    copies = [portable(e["resource"]) for e in shared.bundle["entry"]]
    entries = [bundle_entry("PUT", c, if_match=_etag(vt_task) if key(c) == key(accepted)
                            else None) for c in copies]
    try:
        response = vt_client.transaction(make_bundle("transaction", entries), as_dict=True)
    except Conflict:
        raise StateError(f"Veilig Thuis changed {key(vt_task)} meanwhile: take the inbox in "
                         "again") from None
    version = version_in(response, key(accepted)) or _version(vt_client, str(vt_task["id"]))
    return [to_json(e) for e in shared.audit_events], version


def _plan(own_client: FhirClient, copy: Resource, household: dict[str, Resource],
          at: datetime) -> Resource | None:
    """The household's safety plan with VT's conditions (None: nothing to write)."""
    group_ref = reference(copy.get("for")) or ""
    group = household.get(group_ref)
    if group is None or not group_ref.startswith("Group/"):
        return None
    document = household.get(reference(copy.get("focus")) or "") or {}
    plans = own_client.search("CarePlan", {"subject": group_ref}, as_dict=True, fresh=True)
    return plan_with_conditions(group, conditions_of(document), current_plan(plans, group_ref),
                                local_team=reference(copy.get("owner")) or "", at=at)


def _plan_key(own_client: FhirClient, copy: Resource) -> str | None:
    group_ref = reference(copy.get("for")) or ""
    if not group_ref.startswith("Group/"):
        return None
    plans = own_client.search("CarePlan", {"subject": group_ref}, as_dict=True, fresh=True)
    existing = current_plan(plans, group_ref)
    return key(existing) if existing else None


def reject(credentials: Credentials, task_id: str, *, at: datetime, reason: str) -> Answered:
    """Reject a handover taken in; the reason goes to Veilig Thuis (write it without names).

    Raises :class:`StateError` without a reason, for an accepted handover, or when VT changed
    the handover after it was taken in.
    """
    if not reason.strip():
        raise StateError("a rejection needs a reason (rg-hnd-2)")
    own_client = credentials.own()
    copy = _local_task(own_client, task_id)
    status = copy.get("status")
    if status in TAKEN_OVER:
        raise StateError(f"Task/{task_id} was accepted: responsibility has passed to the local "
                         "team, so it cannot be rejected")
    if status == "rejected":
        return Answered(key(copy), "rejected", already=True,
                        reason=(copy.get("statusReason") or {}).get("text"))
    if status not in ("requested", "received"):
        raise StateError(f"Task/{task_id} is {status}: only an offered handover can be rejected")
    vt_client, address, vt_task = _vt_task(credentials, task_id)
    _check_current(vt_task, address)
    household = closure(own_client, copy).resources
    mapping = paired_references(vt_task, copy)
    refused = answered(vt_task, "rejected", at, reason=reason, by=_owner_name(household, copy))
    shared = share([refused, *_vt_view(household, mapping).values()],
                   answer_request(refused, at), data=[refused])
    if not shared.decision.resources[0].permit:
        raise StateError(f"the rejection may not go to Veilig Thuis: "
                         f"{shared.decision.resources[0].reasons[0]}")
    try:
        written = vt_client.update(portable(shared.bundle["entry"][0]["resource"]),
                                   if_match=_etag(vt_task) or False)
    except Conflict:
        raise StateError(f"Veilig Thuis changed Task/{task_id} meanwhile: take the inbox in "
                         "again") from None
    version = written.version_id or _version(vt_client, task_id)
    entries = [bundle_entry("PUT", _sourced(relabel(refused, mapping), address, version),
                            if_match=_etag(copy))]
    entries += [bundle_entry("POST", relabel(to_json(e), mapping)) for e in shared.audit_events]
    own_client.transaction(make_bundle("transaction", entries), as_dict=True)
    return Answered(key(refused), "rejected", reason=reason)
