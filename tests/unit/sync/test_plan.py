"""The sync planner (fhir_regie.sync.plan) is pure: laws that hold for any batch (hypothesis).

The law that matters most for safety: the planner never writes over a target resource that the
sync did not put there (no common base), and never writes over a change of the target's own that
the incoming change did not also make; both are parked for a person instead."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from fhir_regie.sync.keys import same_content
from fhir_regie.sync.plan import (
    INBOUND_CHECKS,
    Outcome,
    PlanInput,
    Rules,
    plan_batch,
    plan_item,
    register_inbound_check,
)

STATUSES = ["requested", "in-progress", "on-hold", "completed"]
texts = st.sampled_from(["Huisbezoek plannen", "Schoolgesprek", "Wachtlijst bellen", ""])


@st.composite
def tasks(draw, version: bool = False):
    task = {"resourceType": "Task", "id": "t1", "intent": "plan",
            "status": draw(st.sampled_from(STATUSES))}
    text = draw(texts)
    if text:
        task["description"] = text
    if draw(st.booleans()):
        task["priority"] = draw(st.sampled_from(["routine", "urgent"]))
    if version:
        task["meta"] = {"versionId": str(draw(st.integers(1, 9)))}
    return task


def no_errors(resource):
    return []


RULES = Rules(no_errors)


@st.composite
def inputs(draw):
    base = draw(st.none() | tasks())
    current = draw(st.none() | tasks(version=True))
    incoming = draw(tasks())
    return PlanInput("Task", "rg-target", incoming, current, base,
                     duplicate_on_target=draw(st.integers(0, 9)) == 0)


@given(st.lists(inputs(), max_size=8), st.sampled_from(["pull", "push"]))
@settings(deadline=None)
def test_one_action_per_item_in_order_and_the_input_is_not_changed(batch, direction):
    before = copy.deepcopy(batch)
    actions = plan_batch(batch, direction, RULES)
    assert [a.index for a in actions] == list(range(len(batch)))
    assert batch == before
    assert actions == plan_batch(batch, direction, RULES)  # the same input, the same plan


@given(inputs(), st.sampled_from(["pull", "push"]))
@settings(deadline=None)
def test_never_written_over_what_the_sync_did_not_write(item, direction):
    action = plan_item(item, 0, direction, RULES)
    if action.outcome is Outcome.WRITE and item.current is not None:
        # Only a target version in step once (a base) is ever written over, with If-Match.
        assert item.base is not None
        assert action.if_match == item.current["meta"]["versionId"]
    if item.current is not None and item.base is None:
        assert action.outcome in (Outcome.UNCHANGED, Outcome.PARK, Outcome.DEAD_LETTER)
        if action.outcome is Outcome.PARK:
            assert action.kind == "no-common-base"


@given(inputs(), st.sampled_from(["pull", "push"]))
@settings(deadline=None)
def test_a_change_of_the_target_is_kept_or_parked_never_lost(item, direction):
    action = plan_item(item, 0, direction, RULES)
    if action.outcome is not Outcome.WRITE or item.current is None:
        return
    written, current, base = action.resource, item.current, item.base
    for name in ("status", "description", "priority"):
        if current.get(name) != base.get(name):
            # The target changed this element since the base: the write keeps its value.
            assert written.get(name) == current.get(name), name


@given(tasks(), tasks(version=True), st.sampled_from(["pull", "push"]))
@settings(deadline=None)
def test_one_sided_changes(base, current, direction):
    # Only the source changed (the target is at the base): the incoming version, whole.
    at_base = dict(copy.deepcopy(base), meta={"versionId": "3"})
    action = plan_item(PlanInput("Task", "x", current, at_base, base), 0, direction, RULES)
    if same_content(current, base):
        assert action.outcome is Outcome.UNCHANGED
    else:
        assert action.outcome is Outcome.WRITE
        assert action.pure
        assert same_content(action.resource, current)
        assert action.resource["id"] == "x"
    # Only the target changed (the incoming version is the base): nothing to write.
    action = plan_item(PlanInput("Task", "x", base, current, base), 0, direction, RULES)
    assert action.outcome is Outcome.UNCHANGED


@given(tasks(), st.sampled_from(["pull", "push"]))
@settings(deadline=None)
def test_the_same_content_is_unchanged_and_new_is_written(task, direction):
    current = dict(copy.deepcopy(task), meta={"versionId": "7"})
    assert plan_item(PlanInput("Task", "x", task, current, None), 0, direction,
                     RULES).outcome is Outcome.UNCHANGED
    created = plan_item(PlanInput("Task", "x", task, None, None), 0, direction, RULES)
    assert created.outcome is Outcome.WRITE
    assert created.if_match is None
    assert created.pure
    gone = plan_item(PlanInput("Task", "x", task, None, task), 0, direction, RULES)
    assert gone.outcome is Outcome.PARK
    assert gone.kind == "deleted-on-target"


def test_both_sides_changing_one_element_differently_is_parked_as_an_edit():
    base = {"resourceType": "Task", "status": "requested", "intent": "plan"}
    ours = dict(base, status="completed", meta={"versionId": "2"})
    theirs = dict(base, status="on-hold")
    action = plan_item(PlanInput("Task", "x", theirs, ours, base), 0, "pull", RULES)
    assert action.outcome is Outcome.PARK
    assert action.kind == "edit"
    assert action.fields == ("status",)


def test_a_merge_that_fails_validation_is_parked():
    base = {"resourceType": "Task", "status": "requested", "intent": "plan"}
    ours = dict(base, description="Bellen", meta={"versionId": "2"})
    theirs = dict(base, status="on-hold")
    strict = Rules(lambda r: [("rg-act-1", "on hold without a reason")]
                   if r.get("status") == "on-hold" and "statusReason" not in r else [])
    action = plan_item(PlanInput("Task", "x", theirs, ours, base), 0, "pull", strict)
    assert action.outcome is Outcome.PARK
    assert action.kind == "invalid-merge"
    assert action.fields == ("rg-act-1",)
    assert plan_item(PlanInput("Task", "x", theirs, ours, base), 0, "pull",
                     RULES).outcome is Outcome.WRITE


def test_several_resources_on_the_target_with_its_identifier_is_a_dead_letter():
    task = {"resourceType": "Task", "status": "requested", "intent": "plan"}
    action = plan_item(PlanInput("Task", "x", task, None, None, duplicate_on_target=True), 0,
                       "pull", RULES)
    assert action.outcome is Outcome.DEAD_LETTER
    assert action.rule == "duplicate-on-target"


@given(inputs())
@settings(deadline=None)
def test_an_inbound_check_parks_what_comes_in_and_never_what_goes_out(item):
    def no_completion(plan_input, result):
        return "completed by a partner" if result.get("status") == "completed" else None

    rules = Rules(no_errors, [no_completion])
    plain = plan_item(item, 0, "pull", RULES)
    checked = plan_item(item, 0, "pull", rules)
    if plain.outcome is Outcome.WRITE and plain.resource.get("status") == "completed":
        assert checked.outcome is Outcome.PARK
        assert checked.kind == "refused"
        assert checked.fields == ("completed by a partner",)
    else:
        assert checked == plain
    assert plan_item(item, 0, "push", rules) == plan_item(item, 0, "push", RULES)


def test_registered_inbound_checks_are_kept_once():
    def check(plan_input, result):
        return None

    try:
        register_inbound_check(check)
        register_inbound_check(check)
        assert INBOUND_CHECKS.count(check) == 1
    finally:
        INBOUND_CHECKS.remove(check)
