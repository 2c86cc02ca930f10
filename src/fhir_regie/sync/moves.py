"""Agreed actions coming in from a partner obey the state machine (``workflow.transitions``).

A partner's version of an agreed action (``regie-agreed-action`` Task) that moves its status in
a way the table does not allow to the partner's organisation (the job's ``recipient``) — a
completed action its worker does not own, a cancelled one reopened — is parked as a conflict of
kind ``illegal-transition`` and not written; a person decides with ``sync resolve``. A new
action from the partner is its own record as it stands, not a move; every later move is checked.

Who the partner acts for: the organisation of the coordinator and of each owner comes from our
own records (plan → care team → roles, ``action_parties_from``). A partner's case system also
holds the people who work in it: a Practitioner or PractitionerRole that this job brought in or
keeps in step, and that names no organisation of its own in the care team, acts for the partner.
"""

from __future__ import annotations

from typing import Any

from fhir_regie.sync.fhirside import FhirSide
from fhir_regie.sync.state import StateStore
from fhir_regie.workflow.transitions import (
    ActionParties,
    action_parties_from,
    check_transition,
    is_agreed_action,
)

Resource = dict[str, Any]
KIND = "illegal-transition"
_PEOPLE_AT_WORK = ("Practitioner", "PractitionerRole")


def illegal_move(*, job: str, actor: str, state: StateStore, local: FhirSide,
                 current: Resource | None, candidate: Resource) -> str | None:
    """Why the partner ``actor`` may not write ``candidate`` over ``current`` on our server;
    None when it may (or when it is not an agreed action)."""
    if current is None or not is_agreed_action(candidate):
        return None   # a partner's new action is its own record as it stands, not a move
    if current.get("status") == candidate.get("status") and \
            (current.get("owner"), current.get("requester")) == \
            (candidate.get("owner"), candidate.get("requester")):
        return None   # no move: content edits follow the usual merge rules
    cache: dict[str, Resource | None] = {}

    def read(ref: str) -> Resource | None:
        if ref not in cache:
            rtype, _, rid = ref.partition("/")
            cache[ref] = local.read(rtype, rid) if rtype and rid else None
        return cache[ref]

    parties = action_parties_from(read, current)
    acting = {k: set(v) for k, v in parties.acting_for.items()}
    for ref in (r for r in acting if r.split("/")[0] in _PEOPLE_AT_WORK):
        rtype, _, rid = ref.partition("/")
        if not acting[ref] and state.link_by_id(job, "local", rtype, rid) is not None:
            acting[ref].add(actor)
    for name in ("owner", "requester"):
        ref = (current.get(name) or {}).get("reference")
        if isinstance(ref, str) and ref.split("/")[0] in _PEOPLE_AT_WORK and ref not in acting \
                and state.link_by_id(job, "local", *ref.split("/", 1)) is not None:
            acting[ref] = {actor}
    people = {k for k in acting if k.split("/")[0] in ("Patient", "RelatedPerson")}
    coordinators = set(parties.coordinators)
    if not coordinators:
        # the coordinator works in the partner's system (its people act for the partner)
        coordinators = {actor} if _coordinator_at(acting, actor, read,
                                                  current) else set()
        for ref in people:
            acting[ref] |= coordinators
    return check_transition(current, candidate, actor=actor, parties=ActionParties(
        frozenset(coordinators), {k: frozenset(v) for k, v in acting.items()}))


def _coordinator_at(acting: dict[str, set[str]], actor: str,
                    read: Any, task: Resource) -> bool:
    """Is an active procesregisseur or casusregisseur of the action's plan one of the
    partner's people?"""
    from fhir_regie.workflow._fhir import codes
    from fhir_regie.workflow.transitions import COORDINATOR_ROLES

    for plan_ref in ((b or {}).get("reference") for b in task.get("basedOn", []) or []):
        plan = read(plan_ref) if isinstance(plan_ref, str) else None
        for team_ref in ((t or {}).get("reference") for t in (plan or {}).get("careTeam", [])):
            team = read(team_ref) if isinstance(team_ref, str) else None
            for participant in (team or {}).get("participant", []) or []:
                member = (participant.get("member") or {}).get("reference")
                period = participant.get("period") or {}
                if COORDINATOR_ROLES & set(codes(participant.get("role", []), "regie-role")) \
                        and not period.get("end") and actor in acting.get(member, ()):
                    return True
    return False
