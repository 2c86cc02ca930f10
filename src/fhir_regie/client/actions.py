"""Moving an agreed action on a server, as the state machine allows (``workflow.transitions``).

``move_action`` reads the Task, the plan and care team it needs to know who the owner, the
requester and the coordinator are, moves it with ``transition()`` and writes it back with
``If-Match`` (someone else's change in between fails with PreconditionFailed, never lost). A
move the table does not allow raises ``TransitionError`` before anything is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fhir_regie.client.client import FhirClient
from fhir_regie.client.errors import Gone, NotFound
from fhir_regie.workflow.transitions import (
    TransitionError,
    action_parties_from,
    is_agreed_action,
    transition,
)

Resource = dict[str, Any]


def move_action(client: FhirClient, task_id: str, status: str, *, actor: str,
                reason: str | None = None, at: datetime | str | None = None) -> Resource:
    """Move ``Task/{task_id}`` (a ``regie-agreed-action``) to ``status`` on behalf of ``actor``
    (``Organization/...``) and return the stored version.

        >>> move_action(client, "devries-action-schuldhulp", "on-hold",  # doctest: +SKIP
        ...             actor="Organization/devries-org-wijkteam", reason="Wachtlijst")
    """
    task = client.read("Task", task_id, as_dict=True)
    if not is_agreed_action(task):
        raise TransitionError(f"rule agreed-action.status: Task/{task_id} is not an agreed "
                              f"action")

    def read(ref: str) -> Resource | None:
        rtype, _, rid = ref.partition("/")
        try:
            return client.read(rtype, rid, as_dict=True)
        except (NotFound, Gone, ValueError):
            return None

    moved = transition(task, status, actor=actor, reason=reason, at=at,
                       parties=action_parties_from(read, task))
    result = client.update(moved, as_dict=True)
    return result.resource if isinstance(getattr(result, "resource", None), dict) else moved
