"""The executor (fhir_regie.sync.executor): a batch's decisions reach the state store together,
in one transaction, or not at all (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import time

import pytest

from fhir_regie.sync.executor import BatchActions
from fhir_regie.sync.state import Link, open_state


@pytest.fixture
def state(state_location):
    with open_state(state_location) as store:
        yield store


def queued(state, *rids):
    state.enqueue("j", "pull", [{"rtype": "Task", "rid": rid, "version": "1",
                                 "last_updated": "2026-12-01T10:00:00.000Z",
                                 "content": {"resourceType": "Task", "id": rid}}
                                for rid in rids])
    return {r.rid: r for r in state.due("j", "pull", at=time.time(), limit=10)}


def record(actions, rows):
    actions.dead_letter(rows["a"], "Task.status", "expected a code")
    actions.park(rows["b"].seq, key="Task|s|b", rtype="Task", kind="edit", direction="pull",
                 local_id="lb", partner_id="b", base=None, ours=None, theirs=None,
                 ours_version=None, theirs_version="1", fields=("status",))
    actions.finish(rows["c"].seq, "done", "applied")
    actions.save_link(Link("j", "Task|s|c", "Task", "lc", "1", "c", "1", {"status": "x"}))
    actions.retry(rows["d"].seq, 5.0, "TooManyRequests")


def test_everything_a_batch_decided_is_applied_together(state):
    rows = queued(state, "a", "b", "c", "d")
    actions = BatchActions("j", "pull")
    record(actions, rows)
    assert actions.seqs() == {r.seq for r in rows.values()}
    applied = actions.apply(state, max_attempts=8)
    assert applied.retried == 1
    assert [state.status_of(rows[r].seq) for r in "abcd"] == ["dead", "held", "done", "pending"]
    assert [e["rule"] for e in state.dead_letters("j")] == ["Task.status"]
    assert [c.fields for c in state.conflicts("j")] == [("status",)]
    assert state.link("j", "Task|s|c").local_id == "lc"
    assert state.due("j", "pull", at=time.time(), limit=10) == []  # d waits for its retry
    assert actions.seqs() == set()  # applied once, then empty


def test_a_batch_that_fails_to_apply_leaves_nothing_behind(state, monkeypatch):
    rows = queued(state, "a", "b", "c", "d")
    actions = BatchActions("j", "pull")
    record(actions, rows)

    def broken(link):
        raise RuntimeError("disk full")

    monkeypatch.setattr(state, "save_link", broken)
    with pytest.raises(RuntimeError):
        actions.apply(state, max_attempts=8)
    assert [state.status_of(rows[r].seq) for r in "abcd"] == ["pending"] * 4
    assert state.dead_letters("j") == []
    assert state.conflicts("j") == []
