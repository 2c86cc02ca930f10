"""The agreed action's state machine by role: every edge of the table allowed to its roles and
refused to the others, every move outside the table refused, final statuses final."""

from __future__ import annotations

import pytest

from fhir_regie.workflow.transitions import (
    COORDINATOR,
    FINAL,
    OWNER,
    REQUESTER,
    TRANSITIONS,
    ActionParties,
    TransitionError,
    action_parties,
    check_transition,
    is_agreed_action,
    transition,
)

from .conftest import example_resources

OWNER_ORG, REQUESTER_ORG, COORD_ORG, OUTSIDER = (
    "Organization/t-verslavingszorg", "Organization/t-ggz", "Organization/t-wijkteam",
    "Organization/t-school")
ACTOR = {OWNER: OWNER_ORG, REQUESTER: REQUESTER_ORG, COORDINATOR: COORD_ORG}
PARTIES = ActionParties(coordinators=frozenset({COORD_ORG}))
#: Every R4 Task status (task-status value set).
R4_STATUSES = ("draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
               "in-progress", "on-hold", "failed", "completed", "entered-in-error")


def _task(status: str, *, reason: bool = False) -> dict:
    task = {"resourceType": "Task", "id": "t-action", "status": status, "intent": "plan",
            "owner": {"reference": OWNER_ORG}, "requester": {"reference": REQUESTER_ORG}}
    if reason:
        task["statusReason"] = {"text": "Wachtlijst tot januari."}
    return task


def _edge_id(edge) -> str:
    return f"{edge.before or 'new'}->{edge.after}"


@pytest.mark.parametrize("edge", TRANSITIONS, ids=_edge_id)
@pytest.mark.parametrize("role", [OWNER, REQUESTER, COORDINATOR])
def test_every_edge_allowed_to_its_roles_and_refused_to_the_others(edge, role):
    before = None if edge.before is None else _task(edge.before)
    after = _task(edge.after, reason=edge.needs_reason)
    problem = check_transition(before, after, actor=ACTOR[role], parties=PARTIES)
    if role in edge.by:
        assert problem is None
    else:
        assert problem is not None
        assert f"rule agreed-action.{edge.name}" in problem
        assert f"to {edge.after}" in problem
        assert (edge.before or "(new)") in problem


@pytest.mark.parametrize("edge", TRANSITIONS, ids=_edge_id)
def test_every_edge_refused_to_an_outsider(edge):
    before = None if edge.before is None else _task(edge.before)
    after = _task(edge.after, reason=edge.needs_reason)
    problem = check_transition(before, after, actor=OUTSIDER, parties=PARTIES)
    assert problem is not None
    assert OUTSIDER in problem


@pytest.mark.parametrize("edge", [e for e in TRANSITIONS if e.needs_reason], ids=_edge_id)
def test_moves_into_a_reason_status_need_the_reason(edge):
    actor = ACTOR[sorted(edge.by)[0]]
    before = None if edge.before is None else _task(edge.before)
    problem = check_transition(before, _task(edge.after), actor=actor, parties=PARTIES)
    assert problem is not None
    assert "rg-act-1" in problem


OUTSIDE_TABLE = [(before, after) for before in (None, *R4_STATUSES) for after in R4_STATUSES
                 if before != after and not any(e.before == before and e.after == after
                                                for e in TRANSITIONS)]


@pytest.mark.parametrize(("before", "after"), OUTSIDE_TABLE,
                         ids=[f"{b or 'new'}->{a}" for b, a in OUTSIDE_TABLE])
def test_moves_outside_the_table_are_refused_to_everyone(before, after):
    for actor in (*ACTOR.values(), OUTSIDER):
        problem = check_transition(None if before is None else _task(before),
                                   _task(after, reason=True), actor=actor, parties=PARTIES)
        assert problem is not None
        rule = "final" if before in FINAL else "table"
        assert f"rule agreed-action.{rule}" in problem, problem


def test_a_partner_cannot_reopen_a_cancelled_action():
    problem = check_transition(_task("cancelled", reason=True), _task("in-progress"),
                               actor=COORD_ORG, parties=PARTIES)
    assert problem is not None
    assert "final" in problem
    assert "cancelled" in problem


def test_addiction_care_cannot_complete_the_coordinators_action():
    action = _task("in-progress")
    action["owner"] = {"reference": COORD_ORG}
    problem = check_transition(action, dict(action, status="completed"), actor=OWNER_ORG,
                               parties=PARTIES)
    assert problem is not None
    assert "only the owner" in problem


def test_without_parties_only_organisation_references_count():
    assert check_transition(_task("requested"), _task("accepted"), actor=OWNER_ORG) is None
    assert check_transition(_task("requested"), _task("cancelled", reason=True),
                            actor=COORD_ORG) is not None


def test_edits_without_a_status_move_are_for_the_parties_only():
    before = _task("in-progress")
    after = dict(before, description="Nieuwe omschrijving")
    assert check_transition(before, after, actor=OWNER_ORG, parties=PARTIES) is None
    assert "neither owner" in check_transition(before, after, actor=OUTSIDER, parties=PARTIES)


def test_only_requester_or_coordinator_reassigns():
    before = _task("in-progress")
    after = dict(before, owner={"reference": OUTSIDER})
    assert "reassign" in check_transition(before, after, actor=OWNER_ORG, parties=PARTIES)
    assert check_transition(before, after, actor=COORD_ORG, parties=PARTIES) is None
    # nor can the owner dodge the rule by completing and reassigning in one write
    done = dict(before, status="completed", owner={"reference": OUTSIDER})
    assert "reassign" in check_transition(before, done, actor=OWNER_ORG, parties=PARTIES)


def test_a_status_without_a_status_is_refused():
    assert "no status" in check_transition(_task("requested"), {"resourceType": "Task"},
                                           actor=OWNER_ORG)


def test_only_tasks_have_transitions():
    plan = {**_task("requested"), "resourceType": "CarePlan"}
    assert "only agreed actions" in check_transition(plan, _task("accepted"), actor=OWNER_ORG)
    assert "only agreed actions" in check_transition(None, plan, actor=OWNER_ORG)


def test_the_owner_starts_before_completing():
    """The gateway's partner case (issue 26): accepted, then started, then completed."""
    problem = check_transition(_task("accepted"), _task("completed"), actor=OWNER_ORG)
    assert problem is not None
    assert "from accepted to completed" in problem


def test_transition_builds_the_moved_task_or_raises():
    started = transition(_task("accepted"), "in-progress", actor=OWNER_ORG,
                         at="2026-11-20T10:00:00+01:00")
    assert started["status"] == "in-progress"
    assert started["executionPeriod"]["start"] == "2026-11-20T10:00:00+01:00"
    held = transition(started, "on-hold", actor=REQUESTER_ORG, reason="Wachtlijst")
    assert held["statusReason"] == {"text": "Wachtlijst"}
    resumed = transition(held, "in-progress", actor=COORD_ORG, parties=PARTIES)
    assert "statusReason" not in resumed
    done = transition(resumed, "completed", actor=OWNER_ORG, at="2026-11-30T09:00:00+01:00")
    assert done["executionPeriod"]["end"] == "2026-11-30T09:00:00+01:00"
    with pytest.raises(TransitionError, match=r"agreed-action\.final"):
        transition(done, "in-progress", actor=OWNER_ORG)
    with pytest.raises(TransitionError, match=r"rg-act-1"):
        transition(started, "on-hold", actor=REQUESTER_ORG)


def test_reasons_name_no_person_data():
    action = _task("requested")
    action["description"] = "Mark gaat naar de verslavingszorg"
    problem = check_transition(action, dict(action, status="completed"), actor=OUTSIDER)
    assert "Mark" not in problem


def test_parties_from_the_example_household():
    resources = example_resources("household-de-vries")
    action = resources["Task/devries-action-schuldhulp"]
    assert is_agreed_action(action)
    parties = action_parties(resources, action)
    # procesregisseur Smit on behalf of the wijkteam; casusregisseur via a PractitionerRole
    assert "Organization/devries-org-wijkteam" in parties.coordinators
    # Sanne owns the action; she has no system, the coordinator records her moves
    owner = action["owner"]["reference"]
    assert parties.organisations(owner) == parties.coordinators
    held = transition(action, "on-hold", actor="Organization/devries-org-wijkteam",
                      reason="Schuldhulp heeft een wachtlijst.", parties=parties)
    assert held["status"] == "on-hold"
    with pytest.raises(TransitionError):
        transition(action, "completed", actor="Organization/devries-org-school",
                   parties=parties)
