"""Who may move an agreed action (``regie-agreed-action`` Task), and to what (docs/ig/plans.md,
"The agreed action's state machine").

One table, ``TRANSITIONS``: every allowed status move with the roles that may make it. The
**owner** (who carries the action out) accepts, rejects, starts, completes or reports it failed;
the **requester** (who asked for it) or the household's **coordinator** (the organisation of the
active procesregisseur or casusregisseur) proposes, cancels, puts on hold and resumes it. Nobody
else moves it, and nothing leaves a final status (completed, cancelled, rejected, failed): a
partner's export cannot reopen a cancelled action. Moves into rejected, cancelled, on-hold and
failed carry a reason (``statusReason``, invariant ``rg-act-1``).

Actors are organisations, as they appear in ``Task.owner`` / ``Task.requester``
(``Organization/vt-gm``). A reference to someone else stands for an organisation through
``ActionParties.acting_for``: a PractitionerRole for its organisation, a professional for the
organisation they work for in the care team, a CareTeam for its managing organisation, and a
household member or someone from their network (who has no system of their own) for the
coordinator, who records their moves. ``action_parties`` derives all of this from the
household's resources; without it only direct Organization references count.

``check_transition`` is the single check every path calls: ``transition()`` (the library), the
client's ``move_action``, the handover intake and the sync engine (an illegal move from a
partner is parked as a conflict, never written) and the gateway.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fhir_regie.workflow._fhir import codes

Resource = dict[str, Any]

AGREED_ACTION = "https://fhir-regie.nl/fhir/StructureDefinition/regie-agreed-action"
OWNER, REQUESTER, COORDINATOR = "owner", "requester", "coordinator"
#: Statuses an agreed action never leaves.
FINAL = frozenset({"completed", "cancelled", "rejected", "failed", "entered-in-error"})
#: Statuses that must say why (``rg-act-1``).
NEEDS_REASON = frozenset({"rejected", "cancelled", "on-hold", "failed"})
#: CareTeam roles (``regie-role``) whose organisation is the household's coordinator.
COORDINATOR_ROLES = frozenset({"procesregisseur", "casusregisseur"})
_ASKER = frozenset({REQUESTER, COORDINATOR})


class TransitionError(ValueError):
    """A status move the table does not allow to this actor; the message names the rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Edge:
    """One allowed move: from ``before`` (None = creation) to ``after``, by one of ``by``."""

    name: str
    before: str | None
    after: str
    by: frozenset[str]

    @property
    def needs_reason(self) -> bool:
        return self.after in NEEDS_REASON


def _edges(name: str, befores: Iterable[str | None], after: str,
           by: frozenset[str]) -> tuple[Edge, ...]:
    return tuple(Edge(name, before, after, by) for before in befores)


#: The agreed action's state machine (docs/ig/plans.md has the same table for implementers).
TRANSITIONS: tuple[Edge, ...] = (
    *_edges("create", [None], "draft", _ASKER),
    *_edges("create", [None], "requested", _ASKER),
    # An action agreed at a meeting where its owner was present is recorded by the coordinator.
    *_edges("record-agreed", [None], "accepted", frozenset({COORDINATOR})),
    *_edges("record-agreed", [None], "in-progress", frozenset({COORDINATOR})),
    *_edges("propose", ["draft"], "requested", _ASKER),
    *_edges("accept", ["requested"], "accepted", frozenset({OWNER})),
    *_edges("reject", ["requested"], "rejected", frozenset({OWNER})),
    *_edges("start", ["requested", "accepted"], "in-progress", frozenset({OWNER})),
    *_edges("complete", ["in-progress"], "completed", frozenset({OWNER})),
    *_edges("fail", ["in-progress"], "failed", frozenset({OWNER})),
    *_edges("hold", ["requested", "accepted", "in-progress"], "on-hold", _ASKER),
    *_edges("resume", ["on-hold"], "accepted", _ASKER),
    *_edges("resume", ["on-hold"], "in-progress", _ASKER),
    *_edges("cancel", ["draft", "requested", "accepted", "in-progress", "on-hold"], "cancelled",
            _ASKER),
)
_TABLE: dict[tuple[str | None, str], Edge] = {(e.before, e.after): e for e in TRANSITIONS}
#: Every status the table knows.
STATUSES = frozenset(e.after for e in TRANSITIONS) | frozenset(
    e.before for e in TRANSITIONS if e.before)


@dataclass(frozen=True)
class ActionParties:
    """Who the coordinator is, and which organisation acts for a non-organisation reference."""

    coordinators: frozenset[str] = frozenset()
    acting_for: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def organisations(self, ref: str | None) -> frozenset[str]:
        if not ref:
            return frozenset()
        if ref.startswith("Organization/"):
            return frozenset({ref})
        return frozenset(self.acting_for.get(ref, frozenset()))


NO_PARTIES = ActionParties()


def is_agreed_action(resource: Any) -> bool:
    """A Task claiming ``regie-agreed-action``, or a Task with an agreed-action kind code."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Task":
        return False
    profiles = (resource.get("meta") or {}).get("profile") or []
    if any(isinstance(p, str) and p.split("|")[0] == AGREED_ACTION for p in profiles):
        return True
    return bool(codes(resource.get("code"), "regie-agreed-action-kind"))


def _ref(element: Any) -> str | None:
    if isinstance(element, dict) and isinstance(element.get("reference"), str):
        return element["reference"]
    return None


def _has_reason(task: Resource) -> bool:
    reason = task.get("statusReason")
    if not isinstance(reason, dict):
        return False
    return bool(str(reason.get("text") or "").strip()) or bool(codes(reason))


def _roles(actor: str, task: Resource, parties: ActionParties) -> set[str]:
    roles = set()
    if actor in parties.organisations(_ref(task.get("owner"))):
        roles.add(OWNER)
    if actor in parties.organisations(_ref(task.get("requester"))):
        roles.add(REQUESTER)
    if actor in parties.coordinators:
        roles.add(COORDINATOR)
    return roles


def _who(by: frozenset[str]) -> str:
    order = [r for r in (OWNER, REQUESTER, COORDINATOR) if r in by]
    return " or the ".join(order)


def check_transition(before: dict | None, after: dict, *, actor: str,
                     parties: ActionParties | None = None) -> str | None:
    """None when `actor` (a reference to the acting Organization as it appears in Task.owner /
    Task.requester, e.g. "Organization/vt-gm") may move the agreed action from `before` to `after`
    (before None = creation); otherwise an English reason naming the rule and the two statuses.

    ``parties`` says who the coordinator is and which organisation acts for a Patient,
    RelatedPerson, Practitioner(Role) or CareTeam owner (``action_parties``); without it only
    Organization references in owner and requester are matched.
    """
    parties = parties or NO_PARTIES
    if not isinstance(after, dict) or after.get("resourceType") != "Task" or (
            isinstance(before, dict) and before.get("resourceType") != "Task"):
        return "rule agreed-action.type: only agreed actions (Task) have status transitions"
    if not isinstance(after.get("status"), str):
        return "rule agreed-action.status: the new version has no status"
    new = after["status"]
    old = before.get("status") if isinstance(before, dict) else None
    if before is not None and not isinstance(old, str):
        return f"rule agreed-action.status: the current version has no status (moving to {new})"
    shown_old = old or "(new)"
    if old == new:
        roles = _roles(actor, before or {}, parties)
        if not roles:
            return (f"rule agreed-action.parties: {actor} is neither owner, requester nor "
                    f"coordinator of this agreed action, so it may not change it "
                    f"({old} to {new})")
        if (_ref((before or {}).get("owner")) != _ref(after.get("owner"))
                or _ref((before or {}).get("requester")) != _ref(after.get("requester"))) \
                and not roles & _ASKER:
            return (f"rule agreed-action.reassign: only the requester or the coordinator may "
                    f"change who carries out or asked for an agreed action ({old} to {new})")
        if new in NEEDS_REASON and not _has_reason(after):
            return f"rule rg-act-1: an agreed action in status {new} records why (statusReason)"
        return None
    if old in FINAL:
        return (f"rule agreed-action.final: an agreed action in status {old} is final; nobody "
                f"may move it to {new}")
    edge = _TABLE.get((old, new))
    if edge is None:
        return (f"rule agreed-action.table: the state machine has no move from {shown_old} to "
                f"{new}")
    # Who may move it is decided on the version being moved (a mover cannot make itself the
    # owner in the same write); a new action on its own content.
    judged = before if before is not None else after
    roles = _roles(actor, judged, parties)
    if not roles & edge.by:
        return (f"rule agreed-action.{edge.name}: only the {_who(edge.by)} may move an agreed "
                f"action from {shown_old} to {new}; {actor} is not")
    if before is not None and (_ref(before.get("owner")) != _ref(after.get("owner")) or
                               _ref(before.get("requester")) != _ref(after.get("requester"))) \
            and not roles & _ASKER:
        return (f"rule agreed-action.reassign: only the requester or the coordinator may "
                f"change who carries out or asked for an agreed action ({shown_old} to {new})")
    if edge.needs_reason and not _has_reason(after):
        return (f"rule rg-act-1: moving an agreed action from {shown_old} to {new} needs a "
                f"reason (statusReason)")
    return None


def transition(task: Resource, status: str, *, actor: str, reason: str | None = None,
               at: datetime | str | None = None,
               parties: ActionParties | None = None) -> Resource:
    """The agreed action moved to ``status`` by ``actor`` (a new dict; ``task`` is unchanged).

    ``reason`` becomes ``statusReason.text`` (required for rejected, cancelled, on-hold and
    failed); a move to any other status drops an earlier reason. ``at`` sets ``lastModified``
    and, when starting or completing, ``executionPeriod.start`` / ``.end``. Raises
    ``TransitionError`` naming the rule when the table does not allow the move.

        >>> action = {"resourceType": "Task", "status": "requested", "intent": "plan",
        ...           "owner": {"reference": "Organization/verslavingszorg"},
        ...           "requester": {"reference": "Organization/wijkteam"}}
        >>> transition(action, "accepted", actor="Organization/verslavingszorg")["status"]
        'accepted'
        >>> transition(action, "completed", actor="Organization/wijkteam")
        ... # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        TransitionError: rule agreed-action.table: no move from requested to completed
    """
    if not isinstance(task, dict):
        raise TransitionError("rule agreed-action.status: not a Task")
    moved = copy.deepcopy(task)
    moved["status"] = status
    if reason is not None and str(reason).strip():
        moved["statusReason"] = {"text": str(reason).strip()}
    elif status not in NEEDS_REASON:
        moved.pop("statusReason", None)
    when = at.isoformat() if isinstance(at, datetime) else at
    if when:
        moved["lastModified"] = when
        period = dict(moved.get("executionPeriod") or {})
        if status == "in-progress" and "start" not in period:
            period["start"] = when
        if status == "completed":
            period.setdefault("start", when)
            period["end"] = when
        if period:
            moved["executionPeriod"] = period
    problem = check_transition(task, moved, actor=actor, parties=parties)
    if problem:
        raise TransitionError(problem)
    return moved


# ------------------------------------------------------------------ who is who, from the records

def _period_open(element: Any) -> bool:
    period = element.get("period") if isinstance(element, dict) else None
    return not (isinstance(period, dict) and period.get("end"))


def action_parties(resources: Iterable[Resource] | Mapping[str, Resource],
                   task: Resource | None = None) -> ActionParties:
    """The coordinator and who acts for whom, from a household's resources.

    The coordinator is the organisation of every active procesregisseur and casusregisseur in
    the care team of the action's plan (``Task.basedOn`` → ``CarePlan.careTeam``), or of every
    care team when the plan or its team is not among ``resources``.
    """
    items = resources.values() if isinstance(resources, Mapping) else resources
    table = {f"{r.get('resourceType')}/{r.get('id')}": r for r in items
             if isinstance(r, dict) and r.get("id")}
    return _parties(table.get, task)


def action_parties_from(read: Callable[[str], Resource | None],
                        task: Resource) -> ActionParties:
    """Like ``action_parties``, reading only what it needs (plan, care team, roles) with
    ``read("Type/id")`` (None when absent): for a server or a sync target."""
    return _parties(read, task)


def _parties(read: Callable[[str], Resource | None], task: Resource | None) -> ActionParties:
    teams: list[Resource] = []
    for plan_ref in (_ref(b) for b in (task or {}).get("basedOn", []) or []):
        plan = read(plan_ref) if plan_ref else None
        for team_ref in (_ref(t) for t in (plan or {}).get("careTeam", []) or []):
            team = read(team_ref) if team_ref else None
            if isinstance(team, dict):
                teams.append(team)
    if not teams:  # every care team we can see
        teams = [r for r in _all(read) if r.get("resourceType") == "CareTeam"]
    acting: dict[str, set[str]] = {}
    coordinators: set[str] = set()

    def orgs_of(ref: str | None) -> set[str]:
        if not ref:
            return set()
        if ref.startswith("Organization/"):
            return {ref}
        if ref.startswith("PractitionerRole/"):
            org = _ref((read(ref) or {}).get("organization"))
            return {org} if org else set()
        return set()

    for team in teams:
        managing = {o for m in team.get("managingOrganization", []) or []
                    for o in orgs_of(_ref(m))}
        acting.setdefault(f"CareTeam/{team.get('id')}", set()).update(managing)
        for participant in team.get("participant", []) or []:
            if not isinstance(participant, dict) or not _period_open(participant):
                continue
            member = _ref(participant.get("member"))
            orgs = orgs_of(member) | orgs_of(_ref(participant.get("onBehalfOf")))
            if member and not member.startswith("Organization/"):
                acting.setdefault(member, set()).update(orgs)
            if COORDINATOR_ROLES & set(codes(participant.get("role", []), "regie-role")):
                coordinators |= orgs
    # Household members and their network record nothing themselves: the coordinator does.
    for ref in _people(task):
        acting.setdefault(ref, set()).update(coordinators)
    return ActionParties(frozenset(coordinators),
                         {k: frozenset(v) for k, v in acting.items()})


def _people(task: Resource | None) -> list[str]:
    found = []
    for name in ("owner", "requester"):
        ref = _ref((task or {}).get(name))
        if ref and ref.split("/")[0] in ("Patient", "RelatedPerson"):
            found.append(ref)
    return found


def _all(read: Callable[[str], Resource | None]) -> list[Resource]:
    """Every resource behind a mapping's ``get`` (``action_parties``); nothing for a reader."""
    owner = getattr(read, "__self__", None)
    if isinstance(owner, Mapping):
        return [r for r in owner.values() if isinstance(r, dict)]
    return []
