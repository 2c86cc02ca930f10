"""Conflicts for a person (fhir_regie.sync.conflicts): how one is shown, and what a resolution
from a file must be (resolutions against servers: tests/integration/sync/test_conflicts.py)."""

from __future__ import annotations

import json

import pytest

from fhir_regie.sync.conflicts import ResolveError, _read_choice, describe
from fhir_regie.sync.state import Conflict


def conflict(**changes) -> Conflict:
    values = {"id": 4, "job": "gemeente", "key": "Task|urn:x|A1", "rtype": "Task",
              "kind": "edit", "direction": "pull", "local_id": "rgl", "partner_id": "gs-1",
              "base": {"status": "requested", "restriction": {"period": {"end": "2026-12-31"}}},
              "ours": {"status": "completed", "restriction": {"period": {"end": "2027-01-15"}}},
              "theirs": {"status": "cancelled", "restriction": {"period": {"end": "2027-02-01"}}},
              "ours_version": "3", "theirs_version": "20261201T0900#ab",
              "fields": ("status", "restriction.period.end"), "status": "open",
              "created_at": "2026-12-01T10:00:00.000Z", "resolution": None}
    values.update(changes)
    return Conflict(**values)


def test_a_conflict_shows_the_three_values_of_each_field():
    lines = describe(conflict())
    assert lines[0] == "conflict 4 (open): job gemeente, Task, edit, found while pulling"
    assert lines[1] == ("  ours: Task/rgl version 3; theirs: Task/gs-1 version "
                        "20261201T0900#ab")
    assert lines[2] == '  status: base "requested" | ours "completed" | theirs "cancelled"'
    assert lines[3].startswith("  restriction.period.end: base {")
    assert "2027-02-01" in lines[3]


def test_a_deletion_says_which_side_deleted():
    lines = describe(conflict(kind="deleted-on-partner", theirs=None, fields=()))
    assert lines[-1] == "  theirs: deleted"


def test_a_chosen_file_must_be_json_of_the_type_and_valid(tmp_path):
    path = tmp_path / "chosen.json"
    with pytest.raises(ResolveError, match="cannot read"):
        _read_choice(path, conflict())
    path.write_text("{not json")
    with pytest.raises(ResolveError, match="not JSON"):
        _read_choice(path, conflict())
    path.write_text(json.dumps({"resourceType": "Patient"}))
    with pytest.raises(ResolveError, match="expected a Task resource"):
        _read_choice(path, conflict())
    path.write_text(json.dumps({"resourceType": "Task", "status": "on-hold", "intent": "plan"}))
    assert _read_choice(path, conflict())["status"] == "on-hold"  # base R4: valid
    path.write_text(json.dumps({"resourceType": "Task", "status": 42, "intent": "plan"}))
    with pytest.raises(ResolveError) as caught:
        _read_choice(path, conflict())
    assert str(caught.value) == (f"{path}: Task.status: Task.status: expected a JSON string "
                                 "(code), found a JSON number")
