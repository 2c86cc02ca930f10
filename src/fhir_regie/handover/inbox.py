"""The local team's side of the notified pull: take the notifications in, and list the inbox.

For every new notification on the local team's own server (``take_in``):

1. it must point to a Task version on a server the local team has credentials for (an unknown
   server gets no request; the notification waits until one is configured);
2. the same notification twice (same identifier), or an older or equal version of a handover
   already taken in, is marked a duplicate: one handover, however often it is delivered;
3. the Task and everything it refers to are pulled from Veilig Thuis's server with the local
   team's own credentials for it, and validated against the profiles (``conformance.py``);
4. valid: stored on the local team's server with the local team's own identities
   (``identity.py``: persons by BSN, organisations by URA, the household by identifiers and
   members; no match is a new record with a local id; a person without BSN is flagged for
   review; nothing is written over that did not come from this sender); a Provenance links
   every local record to VT's version; the notification is completed and points to the
   handover. After acceptance, new safety conditions join the safety plan;
5. invalid or incomplete: refused. What was pulled is **kept** (a Binary on the local team's
   server holding the pulled resources, the OperationOutcome and the record of what was told to
   VT), the notification fails with the reason and points to it, and Veilig Thuis's Task is
   rejected with that reason (through the consent guard), so VT can correct and send again;
6. a cancelled handover: the local copy, if any, is marked cancelled; nothing else is pulled.

A server that cannot be reached leaves the notification waiting (``requested``): nothing is
lost, the next ``take_in`` tries again. An answer that breaks a limit (size, depth, deadline:
``fhir_regie.limits``) or anything else that fails on one notification marks that one failed,
with an OperationOutcome kept in a Binary; the others are processed as usual.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir_regie.client import (
    FhirClient,
    FhirClientError,
    Gone,
    HttpError,
    InvalidResponse,
    LimitExceeded,
    NotFound,
    bundle_entry,
    make_bundle,
)
from fhir_regie.consent import share
from fhir_regie.handover import conformance, identity
from fhir_regie.handover._fhir import (
    Resource,
    codes,
    display,
    extension_value,
    highest_label,
    is_acute,
    key,
    organisation_identifier,
    portable,
    reference,
    same_content,
    source_of,
    transfer_moment,
)
from fhir_regie.handover.credentials import Credentials
from fhir_regie.handover.errors import HandoverError, UnknownServerError
from fhir_regie.handover.notification import (
    TaskAddress,
    address_of,
    identifier_of,
    parse_address,
)
from fhir_regie.handover.pull import Pulled, closure
from fhir_regie.handover.reply import answer_request, answered
from fhir_regie.handover.safety_plan import conditions_of, current_plan, plan_with_conditions
from fhir_regie.ig import codesystem_url
from fhir_regie.messages import MESSAGES, say
from fhir_regie.model import to_json
from fhir_regie.workflow.transitions import (
    ActionParties,
    action_parties_from,
    check_transition,
    is_agreed_action,
)

NOTIFICATION_CODE = f"{codesystem_url('regie-task-type')}|handover-notification"
TAKEN_OVER = ("accepted", "in-progress", "completed")
KEPT_TEXT = "Bewaarde inhoud van de geweigerde overdracht, met de uitkomst van de controle"


@dataclass(frozen=True)
class Taken:
    """What became of one notification.

    ``outcome``: taken-in, updated (a newer version), duplicate, superseded (a newer
    notification of the same handover waits), cancelled, refused (kept in ``kept``), waiting
    (the sender could not be reached or is not configured; try again).
    """

    notification: str
    outcome: str
    handover: str | None = None
    version: str | None = None
    reason: str | None = None
    kept: str | None = None
    flagged: int = 0

    def line(self, lang: str = "nl") -> str:
        """One line in ``lang`` (the message catalogue)."""
        parts = [f"{self.notification}: {say(f'handover.taken.{self.outcome}', lang)}"]
        if self.handover:
            parts.append(f"{self.handover}" + (" " + say("handover.version", lang,
                                                         version=self.version)
                                               if self.version else ""))
        if self.kept:
            parts.append(say("handover.kept", lang, where=self.kept))
        if self.flagged:
            parts.append(say("handover.flagged", lang, count=self.flagged))
        if self.reason:
            parts.append(self.reason)
        return " - ".join(parts)


def notifications(own_client: FhirClient) -> list[Resource]:
    """Every handover notification on the local team's server, oldest first (not from a
    search cache: what was just written must be seen)."""
    found = list(own_client.search("Task", {"code": NOTIFICATION_CODE, "_count": "200"},
                                   as_dict=True, fresh=True))
    found = [n for n in found if "handover-notification" in codes(n.get("code"),
                                                                  "regie-task-type")]
    return sorted(found, key=lambda n: (str(n.get("authoredOn", "")), str(n.get("id"))))


def taken_in(own_client: FhirClient, task_id: str) -> tuple[Resource | None, TaskAddress | None]:
    """The local copy of a handover and the version at Veilig Thuis it was taken in from
    (its ``meta.source``); (None, None) when it was never taken in."""
    try:
        copy = own_client.read("Task", task_id, as_dict=True)
    except (NotFound, Gone):
        return None, None
    try:
        return copy, parse_address(source_of(copy) or "")
    except ValueError:
        return copy, None


def _superseded(note: Resource, address: TaskAddress, all_notes: list[Resource]) -> int | None:
    """The version of a newer notification of the same handover still waiting, if any."""
    newer = []
    for other in all_notes:
        if other.get("id") == note.get("id") or other.get("status") != "requested":
            continue
        try:
            found = address_of(other)
        except ValueError:
            continue
        if (found.base_url, found.task_id) == (address.base_url, address.task_id) and\
                int(found.version) > int(address.version):
            newer.append(int(found.version))
    return max(newer, default=None)


def _finish(own_client: FhirClient, note: Resource, status: str, at: datetime, *,
            business: str | None = None, reason: str | None = None,
            output: tuple[str, str] | None = None) -> None:
    """Record on the notification what became of it (the local team's own server)."""
    updated = {k: v for k, v in note.items() if k not in ("statusReason", "businessStatus")}
    updated["status"] = status
    updated["lastModified"] = at.isoformat()
    if business:
        updated["businessStatus"] = {"text": business}
    if reason:
        updated["statusReason"] = {"text": reason}
    if output:
        updated["output"] = [{"type": {"text": output[0]},
                              "valueReference": {"reference": output[1]}}]
    verdict = conformance.check([updated])
    if not verdict.valid:   # e.g. a moment before the notification was written (inv-1)
        raise HandoverError(f"the notification cannot record this: {verdict.summary}",
                            verdict.outcome)
    own_client.update(updated)


def _required(pulled: Pulled, task: Resource) -> dict[str, str]:
    """The profile each pulled resource must meet by its place in the handover."""
    required = {key(task): "regie-handover"}
    document_ref = reference(task.get("focus"))
    if document_ref:
        required[document_ref] = "regie-handover-document"
        document = pulled.resources.get(document_ref) or {}
        required |= dict.fromkeys(conditions_of(document), "regie-goal")
    subject = reference(task.get("for")) or ""
    if subject.startswith("Group/"):
        required[subject] = "regie-household"
        group = pulled.resources.get(subject) or {}
        required |= {ref: "regie-patient" for ref in (reference(m.get("entity"))
                                                      for m in group.get("member", []))
                     if ref and ref.startswith("Patient/")}
    elif subject:
        required[subject] = "regie-patient"
    return required


def _pull_problems(pulled: Pulled, task: Resource, note: Resource) -> list[str]:
    problems = pulled.problems()
    if "handover" not in codes(task.get("code"), "regie-task-type"):
        problems.append(f"{key(task)}: not a handover Task (code regie-task-type#handover)")
    owner = pulled.resources.get(reference(task.get("owner")) or "")
    named = (note.get("owner") or {}).get("identifier", {})
    carried = {i.get("value") for i in (owner or {}).get("identifier", [])
               if isinstance(i, dict) and i.get("system") == named.get("system")}
    if owner is not None and named.get("value") and carried and named["value"] not in carried:
        problems.append(f"{key(task)}: its owner is not the organisation the notification "
                        "was left for")
    return problems


def _outcome_with(verdict: conformance.Verdict, problems: list[str]) -> dict[str, Any]:
    issues = [{"severity": "error", "code": "processing", "diagnostics": p} for p in problems]
    issues += [i for i in verdict.outcome["issue"] if i.get("severity") in ("error", "fatal")]
    return {"resourceType": "OperationOutcome", "issue": issues or verdict.outcome["issue"]}


def _tell_vt(vt_client: FhirClient, task: Resource, pulled: Pulled, reason: str,
             at: datetime) -> tuple[list[Resource], str | None]:
    """Reject VT's Task with the reason, through the guard; (disclosure records, problem)."""
    if task.get("status") in ("rejected", "cancelled", *TAKEN_OVER):
        return [], f"Veilig Thuis niet ingelicht: de overdracht is al {task.get('status')}"
    try:
        owner = pulled.resources.get(reference(task.get("owner")) or "") or {}
        refused = answered(task, "rejected", at, reason=reason, by=owner.get("name"))
        request = answer_request(task, at)
        context = [refused, *(r for r in pulled.resources.values()
                              if r.get("resourceType") == "Organization")]
        shared = share(context, request, data=[refused])
        if not shared.decision.resources[0].permit:
            return [], ("Veilig Thuis niet ingelicht: "
                        f"{shared.decision.resources[0].reasons[0]}")
        version = (task.get("meta") or {}).get("versionId")
        vt_client.update(portable(shared.bundle["entry"][0]["resource"]),
                         if_match=str(version) if version else False)
    except (FhirClientError, ValueError) as error:
        return [], f"Veilig Thuis niet ingelicht: {error}"
    return [to_json(e) for e in shared.audit_events], None


def _keep(own_client: FhirClient, pulled: Pulled, outcome: dict[str, Any],
          records: list[Resource]) -> str:
    """Keep what was pulled, why it was refused and what VT was told: nothing is lost."""
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in pulled.resources.values()]
              + [{"resource": outcome}] + [{"resource": r} for r in records]}
    binary: Resource = {"resourceType": "Binary", "contentType": "application/fhir+json",
                        "data": base64.b64encode(json.dumps(bundle, ensure_ascii=False)
                                                 .encode()).decode()}
    label = highest_label(list(pulled.resources.values()))
    if label:
        binary["meta"] = {"security": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
            "code": label}]}
    return f"Binary/{own_client.create(binary).id}"


@dataclass(frozen=True)
class _Job:
    """One notification being taken in: both servers, what it points to, what was pulled."""

    own_client: FhirClient
    vt_client: FhirClient
    note: Resource
    address: TaskAddress
    task: Resource
    pulled: Pulled
    at: datetime


def _refuse(job: _Job, outcome: dict[str, Any], summary: str, *, tell_vt: bool,
            reason: str | None = None) -> Taken:
    reason = reason or f"Geweigerd: de overdracht voldoet niet aan de profielen: {summary}"
    records: list[Resource] = []
    problem = None
    if tell_vt:
        records, problem = _tell_vt(job.vt_client, job.task, job.pulled, reason, job.at)
    kept = _keep(job.own_client, job.pulled, outcome, records)
    _finish(job.own_client, job.note, "failed", job.at, reason=reason, output=(KEPT_TEXT, kept))
    text = reason if problem is None else f"{reason}; {problem}"
    return Taken(f"Task/{job.note['id']}", "refused", key(job.task), job.address.version, text,
                 kept)


def _store(job: _Job, placement: identity.Placement, *, update: bool) -> Taken:
    """Write the local copies (docs/handover.md, "Matching"): local persons and household,
    nothing written over that another sender or the local team wrote, review flags for what
    was not matched automatically, and the Provenance of this version."""
    own_client, pulled, task, at, address, note = (job.own_client, job.pulled, job.task, job.at,
                                                   job.address, job.note)
    copies = {placement.local[k]: placement.copy(r) for k, r in pulled.resources.items()
              if k not in placement.kept}
    current = {ref: _read_local(own_client, ref) for ref in copies}
    refused = _illegal_moves(own_client, copies, current, copies.get(key(task)) or task,
                             current.get(key(task)))
    writes = [c for ref, c in copies.items() if ref not in refused and (
              not same_content(c, current[ref]) or source_of(c) != source_of(current[ref]))]
    for local_key, why in sorted(refused.items()):
        placement.review[local_key] = why
    local_task = current.get(key(task))
    if local_task is not None and local_task.get("status") in TAKEN_OVER:
        plan = _plan_update(own_client, copies, copies[key(task)], at)
        if plan is not None:
            writes.append(plan)
    for local_key, why in sorted(placement.review.items()):
        flag = identity.review_flag(placement, local_key, why, at)
        if _read_local(own_client, key(flag)) is None:
            writes.append(flag)
    version = str((task.get("meta") or {}).get("versionId") or address.version)
    if writes:
        sender = pulled.resources.get(reference(task.get("requester")) or "")
        writes.append(identity.provenance(placement, pulled.resources, key(task),
                                          version=version, at=at,
                                          sender=organisation_identifier(sender)))
        entries = [bundle_entry("PUT", w) for w in writes]
        own_client.transaction(make_bundle("transaction", entries), as_dict=True)
    text = (f"Bijgewerkt naar versie {version}" if update else f"Opgehaald: versie {version}")
    if placement.review:
        text += f"; {len(placement.review)} ter controle gemarkeerd"
    _finish(own_client, note, "completed", at, business=text,
            output=("Opgenomen overdracht", key(task)))
    return Taken(f"Task/{note['id']}", "updated" if update else "taken-in", key(task), version,
                 flagged=len(placement.review))


def _illegal_moves(own_client: FhirClient, copies: dict[str, Resource],
                   current: dict[str, Resource | None], handover: Resource,
                   local_handover: Resource | None) -> dict[str, str]:
    """Agreed actions in a newer handover version that move a local copy's status in a way
    the state machine does not allow Veilig Thuis (``workflow.transitions``): local key →
    the reason. They are not written; the copy is flagged for review. VT coordinates the
    actions of its own plan until the local team has accepted the handover; after that the
    local team's coordinator does. A first copy is VT's record as it stands, not a move."""
    vt = reference(handover.get("requester"))
    if not vt:
        return {}
    taken_over = (local_handover or {}).get("status") in TAKEN_OVER

    def read(ref: str) -> Resource | None:
        return current.get(ref) or copies.get(ref) or _read_local(own_client, ref)

    refused: dict[str, str] = {}
    for ref, copy in copies.items():
        before = current.get(ref)
        if before is None or not is_agreed_action(copy):
            continue
        parties = action_parties_from(read, before)
        if not taken_over:
            parties = ActionParties(frozenset({vt}), {
                k: (v | {vt} if k.split("/")[0] in ("Patient", "RelatedPerson") else v)
                for k, v in parties.acting_for.items()})
        problem = check_transition(before, copy, actor=vt, parties=parties)
        if problem:
            refused[ref] = (f"Statuswijziging van deze afspraak niet overgenomen "
                            f"({before.get('status')} naar {copy.get('status')}): Veilig Thuis "
                            f"mag die stap niet zetten")
    return refused


def _read_local(own_client: FhirClient, ref: str) -> Resource | None:
    try:
        return own_client.read(*ref.split("/", 1), as_dict=True)
    except (NotFound, Gone):
        return None


def _plan_update(own_client: FhirClient, copies: dict[str, Resource], task: Resource,
                 at: datetime) -> Resource | None:
    """After acceptance: conditions VT added later join the household's safety plan (the
    local copies: local household, local references)."""
    document = copies.get(reference(task.get("focus")) or "") or {}
    group_ref = reference(task.get("for")) or ""
    group = copies.get(group_ref) or (_read_local(own_client, group_ref)
                                      if group_ref.startswith("Group/") else None)
    if group is None:
        return None
    plans = own_client.search("CarePlan", {"subject": group_ref}, as_dict=True, fresh=True)
    existing = current_plan(plans, group_ref)
    return plan_with_conditions(group, conditions_of(document), existing,
                                local_team=reference(task.get("owner")) or "", at=at)


def _cancelled(own_client: FhirClient, note: Resource, task: Resource, at: datetime,
               address: TaskAddress) -> Taken:
    reason = (task.get("statusReason") or {}).get("text") or "geen reden opgegeven"
    try:
        local_task = own_client.read("Task", address.task_id, as_dict=True)
    except (NotFound, Gone):
        local_task = None
    if local_task is not None and local_task.get("status") not in ("cancelled", *TAKEN_OVER):
        copy = portable(local_task) | {
            "status": "cancelled", "statusReason": {"text": reason},
            "businessStatus": {"text": "Ingetrokken door Veilig Thuis"},
            "lastModified": at.isoformat(), "meta": local_task.get("meta", {})}
        own_client.update(copy)
        _finish(own_client, note, "completed", at, business="Ingetrokken door Veilig Thuis",
                output=("Ingetrokken overdracht", f"Task/{address.task_id}"))
    else:
        # Never pulled: nothing of the case comes in; the notification keeps VT's reason.
        _finish(own_client, note, "completed", at,
                business="Ingetrokken door Veilig Thuis voordat het lokale team de overdracht "
                         f"ophaalde: {reason}")
    return Taken(f"Task/{note['id']}", "cancelled", f"Task/{address.task_id}", address.version,
                 reason)


def take_in_one(credentials: Credentials, note: Resource, all_notes: list[Resource],
                at: datetime) -> Taken:
    """Process one notification (see the module docstring)."""
    own_client = credentials.own()
    name = f"Task/{note['id']}"
    try:
        address = address_of(note)
    except ValueError as error:
        reason = f"Geweigerd: {error}"
        _finish(own_client, note, "failed", at, reason=reason)
        return Taken(name, "refused", reason=reason)
    same = [n for n in all_notes if n.get("id") != note.get("id")
            and n.get("status") in ("completed", "failed")
            and identifier_of(n) == identifier_of(note)]
    if same:
        _finish(own_client, note, "completed", at,
                business=f"Dubbel bericht: al verwerkt als Task/{same[0]['id']}")
        return Taken(name, "duplicate", f"Task/{address.task_id}", address.version)
    newer = _superseded(note, address, all_notes)
    if newer is not None:
        _finish(own_client, note, "completed", at,
                business=f"Vervangen door het bericht over versie {newer}")
        return Taken(name, "superseded", f"Task/{address.task_id}", address.version)
    copy, source = taken_in(own_client, address.task_id)
    done = int(source.version) if source and source.base_url == address.base_url else None
    if done is not None and done >= int(address.version):
        _finish(own_client, note, "completed", at,
                business=f"Dubbel bericht: versie {done} is al opgehaald")
        return Taken(name, "duplicate", f"Task/{address.task_id}", address.version)
    try:
        vt_client = credentials.client(address.base_url)
    except UnknownServerError as error:
        return Taken(name, "waiting", f"Task/{address.task_id}", address.version, str(error))
    try:
        task = vt_client.read("Task", address.task_id, as_dict=True)
        if task.get("status") == "cancelled":
            return _cancelled(own_client, note, task, at, address)
        pulled = closure(vt_client, task)
    except (NotFound, Gone):
        reason = "Geweigerd: de afzender heeft deze overdracht niet (meer)"
        _finish(own_client, note, "failed", at, reason=reason)
        return Taken(name, "refused", f"Task/{address.task_id}", address.version, reason)
    except (LimitExceeded, InvalidResponse) as error:
        # What the sender answered cannot be read safely: refused, kept, never retried blindly.
        return _failed(own_client, note, at, f"Geweigerd: het antwoord van de afzender is "
                       f"onbruikbaar: {_plain(error)}", "too-costly"
                       if isinstance(error, LimitExceeded) else "structure",
                       handover=f"Task/{address.task_id}", version=address.version)
    except FhirClientError as error:
        return Taken(name, "waiting", f"Task/{address.task_id}", address.version,
                     f"de afzender is niet bereikbaar: {error}")
    job = _Job(own_client, vt_client, note, address, task, pulled, at)
    problems = _pull_problems(pulled, task, note)
    verdict = conformance.check(pulled.resources.values(), _required(pulled, task))
    if problems or not verdict.valid:
        return _refuse(job, _outcome_with(verdict, problems),
                       problems[0] if problems else verdict.summary, tell_vt=True)
    placement = identity.place(own_client, pulled.resources, address.base_url)
    if placement.collisions:
        kinds = ", ".join(sorted({c.split("/", 1)[0] for c in placement.collisions}))
        outcome = {"resourceType": "OperationOutcome", "issue": [
            {"severity": "error", "code": "conflict",
             "diagnostics": f"{c}: held by a resource from another source"}
            for c in placement.collisions]}
        return _refuse(job, outcome, "", tell_vt=False, reason=(
            f"Geweigerd: id-botsing met een eigen record ({kinds}); er is niets overschreven"))
    try:
        return _store(job, placement, update=copy is not None)
    except HttpError as error:
        if error.status not in (400, 412, 422):
            raise
        # Our own server refused what our validator accepted: keep it, do not blame VT.
        outcome = error.outcome or {"resourceType": "OperationOutcome", "issue": [
            {"severity": "error", "code": "processing", "diagnostics": str(error)}]}
        return _refuse(job, outcome, f"de eigen server weigerde de opslag ({error.status})",
                       tell_vt=False)


def take_in(credentials: Credentials, *, at: datetime) -> list[Taken]:
    """Process every new notification on the local team's own server, oldest first.

    Example::

        >>> for taken in take_in(credentials, at=now):  # doctest: +SKIP
        ...     print(taken.line())
    """
    own_client = credentials.own()
    all_notes = notifications(own_client)
    results = []
    for note in [n for n in all_notes if n.get("status") == "requested"]:
        try:
            taken = take_in_one(credentials, note, all_notes, at)
        except Exception as error:
            taken = _failed_safely(own_client, note, at, error)
        results.append(taken)
        all_notes = notifications(own_client)  # what this one changed counts for the next
    return results


def counts_line(counts: dict[str, int], lang: str = "nl") -> str:
    """``Verwerkt: 2 opgehaald, 1 geweigerd`` (the outcomes of one ``take_in``), in ``lang``."""
    shown = [f"{n} {say(f'handover.taken.{outcome}', lang)}"
             for outcome, n in sorted(counts.items())]
    return say("handover.processed", lang, outcomes=", ".join(shown) if shown
               else say("handover.no_new", lang))


def _plain(error: Exception) -> str:
    """The limit or problem in an error's message, without the request line before it."""
    text = str(error)
    return text.split(": ", 1)[1] if ": " in text else text


def _failed(own_client: FhirClient, note: Resource, at: datetime, reason: str, code: str, *,
            handover: str | None = None, version: str | None = None,
            diagnostics: str | None = None) -> Taken:
    """Mark a notification failed with a Dutch one-line reason, keeping an OperationOutcome
    (in a Binary the notification points to) for whoever inspects it."""
    outcome = {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": code, "diagnostics": diagnostics or reason}]}
    kept = _keep(own_client, Pulled(), outcome, [])
    _finish(own_client, note, "failed", at, reason=reason, output=(KEPT_TEXT, kept))
    return Taken(f"Task/{note['id']}", "refused", handover, version, reason, kept)


def _failed_safely(own_client: FhirClient, note: Resource, at: datetime,
                   error: Exception) -> Taken:
    """An unexpected failure on one notification: refused and kept when the own server lets
    us record it; otherwise it stays waiting for the next run. Only the error's type is
    recorded (its message may quote the sender's data)."""
    kind = type(error).__name__
    reason = f"Geweigerd: onverwachte fout bij het verwerken ({kind})"
    try:
        address = address_of(note)
        handover, version = f"Task/{address.task_id}", address.version
    except ValueError:
        handover = version = None
    try:
        return _failed(own_client, note, at, reason, "exception", handover=handover,
                       version=version)
    except Exception as second:
        return Taken(f"Task/{note.get('id')}", "waiting", handover, version,
                     f"niet verwerkt ({kind}); vastleggen mislukte ({type(second).__name__})")


# ------------------------------------------------------------------------------ the inbox
@dataclass(frozen=True)
class Handover:
    """One handover in the inbox: the local copy's state and its notifications."""

    task_id: str
    sender: str
    status: str
    route: str | None
    case_weight: str | None
    acute: bool | None
    household: str | None
    transfer: str | None
    messages: tuple[tuple[str, str, str, str], ...]  # (authoredOn, version, status, text)
    review: tuple[tuple[str, str], ...] = ()  # active review flags: (subject, text)

    @property
    def versions(self) -> int:
        return len({m[1] for m in self.messages if m[2] == "completed" and m[1]})


def inbox(own_client: FhirClient) -> list[Handover]:
    """The handovers on the local team's server, by the notifications that announced them."""
    grouped: dict[tuple[str, str], list[Resource]] = {}
    for note in notifications(own_client):
        try:
            address = address_of(note)
        except ValueError:
            continue
        grouped.setdefault((address.base_url, address.task_id), []).append(note)
    entries = []
    for (sender, task_id), notes in grouped.items():
        try:
            copy: Resource | None = own_client.read("Task", task_id, as_dict=True)
        except (NotFound, Gone):
            copy = None
        household = None
        review: list[tuple[str, str]] = []
        if copy is not None:
            group_ref = reference(copy.get("for")) or ""
            try:
                group = own_client.read(*group_ref.split("/", 1), as_dict=True) if group_ref else {}
                household = group.get("name")
            except (NotFound, Gone, ValueError):
                group = {}
                household = None
            review = _review(own_client, group_ref, group)
        if copy is not None:
            status = str(copy.get("status"))
        elif any(n.get("status") == "failed" for n in notes):
            status = "failed"
        elif any("Ingetrokken" in str((n.get("businessStatus") or {}).get("text")) for n in notes):
            status = "cancelled"
        else:
            status = "waiting"
        messages = []
        for note in notes:
            text = ((note.get("statusReason") or {}).get("text")
                    or (note.get("businessStatus") or {}).get("text") or "")
            messages.append((str(note.get("authoredOn", "")), address_of(note).version,
                             str(note.get("status")), text))
        route = codes(extension_value(copy, "regie-handover-route"), "regie-handover-route")
        weight = codes(extension_value(copy, "regie-case-weight"), "regie-case-weight")
        entries.append(Handover(
            task_id, sender, status, route[0] if route else None, weight[0] if weight else None,
            is_acute(copy) if copy else None, household,
            transfer_moment(copy) if copy else None,
            tuple(messages), tuple(review)))
    return entries


def _review(own_client: FhirClient, group_ref: str, group: Resource) -> list[tuple[str, str]]:
    """The active review flags on the household and its members (identity.review_flag)."""
    subjects = [group_ref] if group_ref else []
    subjects += [ref for ref in (reference(m.get("entity")) for m in group.get("member", [])
                                 if isinstance(m, dict)) if ref]
    found = []
    for subject in dict.fromkeys(subjects):
        # R4 has no Flag search parameter for status: filter here
        for flag in own_client.search("Flag", {"subject": subject}, as_dict=True, fresh=True):
            if flag.get("status") == "active":
                found.append((subject, str((flag.get("code") or {}).get("text") or "")))
    return found


def _status(status: str, lang: str) -> str:
    message_id = f"handover.status.{status}"
    return say(message_id, lang) if message_id in MESSAGES else status


def inbox_lines(entries: list[Handover], lang: str = "nl") -> list[str]:
    """The inbox as text in ``lang``: one block per handover. Route and case weight are the
    guide's (Dutch) displays; the messages' texts are what Veilig Thuis wrote."""
    if not entries:
        return [say("handover.inbox_empty", lang)]
    lines = []
    for entry in entries:
        facts = [_status(entry.status, lang)]
        if entry.route:
            facts.append(str(display("regie-handover-route", entry.route)))
        if entry.case_weight:
            facts.append(say("handover.case_weight", lang,
                             weight=display("regie-case-weight", entry.case_weight)))
        if entry.acute is not None:
            facts.append(say("handover.acute" if entry.acute else "handover.not_acute", lang))
        if entry.transfer:
            facts.append(say("handover.responsible_since", lang, transfer=entry.transfer))
        household = entry.household or say("handover.no_household", lang)
        lines.append(f"Task/{entry.task_id} ({household}): " + ", ".join(facts))
        for authored, version, status, text in entry.messages:
            lines.append(f"  {authored}  {say('handover.version', lang, version=version)}  "
                         f"{_status(status, lang)}" + (f"  {text}" if text else ""))
        for subject, text in entry.review:
            lines.append(say("handover.review", lang, subject=subject, text=text))
    return lines
