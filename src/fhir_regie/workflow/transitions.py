"""Which status changes of an agreed action (a Task) an organisation may make.

A minimal version for the gateway (issue 26); the domain issue (#21) owns this module and its
full state machine by role. Only the signature is relied upon elsewhere:
``check_transition(before, after, *, actor) -> str | None`` (None: allowed, otherwise an
English reason without personal data).

Rule here: the owner of a ``requested`` action may accept it, reject it, start it or complete
it (FHIR R4 Task state machine, task.html "Task state machine"); nothing else.
"""

from __future__ import annotations

from typing import Any

#: From ``requested`` the owner may move to these (FHIR R4 Task state machine).
OWNER_MOVES: dict[str, frozenset[str]] = {
    "requested": frozenset({"accepted", "rejected", "in-progress", "completed"}),
}


def _reference(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("reference"), str):
        return value["reference"]
    return None


def check_transition(before: dict[str, Any] | None, after: dict[str, Any], *,
                     actor: str) -> str | None:
    """None when ``actor`` (``Organization/<id>``, as in ``Task.owner``) may change the Task
    ``before`` into ``after``; otherwise the reason.

    Example::

        >>> task = {"resourceType": "Task", "status": "requested",
        ...         "owner": {"reference": "Organization/gp"}}
        >>> check_transition(task, {**task, "status": "accepted"}, actor="Organization/gp")
        >>> check_transition(task, {**task, "status": "accepted"}, actor="Organization/x")
        'only the owner of the action may change its status'
    """
    if before is None:
        return "an agreed action cannot be created this way"
    if before.get("resourceType") != "Task" or after.get("resourceType") != "Task":
        return "only agreed actions (Task) have status transitions"
    if _reference(before.get("owner")) != actor or _reference(after.get("owner")) != actor:
        return "only the owner of the action may change its status"
    old, new = before.get("status"), after.get("status")
    if new not in OWNER_MOVES.get(str(old), frozenset()):
        return f"the owner may not move an action from {old} to {new}"
    return None
