"""The minimal action-transition rule the gateway relies on (lane #21 owns the full table)."""

from __future__ import annotations

import pytest

from fhir_regie.workflow.transitions import check_transition

TASK = {"resourceType": "Task", "status": "requested", "owner": {"reference": "Organization/gp"}}


@pytest.mark.parametrize("status", ["accepted", "rejected", "in-progress", "completed"])
def test_the_owner_may_take_up_a_requested_action(status: str) -> None:
    assert check_transition(TASK, {**TASK, "status": status}, actor="Organization/gp") is None


@pytest.mark.parametrize(("before", "after", "actor", "reason"), [
    (TASK, {**TASK, "status": "accepted"}, "Organization/jgz", "only the owner"),
    (TASK, {**TASK, "status": "cancelled"}, "Organization/gp", "from requested to cancelled"),
    ({**TASK, "status": "accepted"}, {**TASK, "status": "completed"}, "Organization/gp",
     "from accepted to completed"),
    (TASK, {**TASK, "owner": {"reference": "Organization/jgz"}, "status": "accepted"},
     "Organization/gp", "only the owner"),
    (None, TASK, "Organization/gp", "cannot be created"),
    ({**TASK, "resourceType": "CarePlan"}, TASK, "Organization/gp", "only agreed actions"),
])
def test_everything_else_is_refused_with_a_reason(before: dict | None, after: dict, actor: str,
                                                  reason: str) -> None:
    assert reason in (check_transition(before, after, actor=actor) or "")
