"""``fhir-regie sync``: usage errors in one line (exit 2), status, dead letter, retry and
conflicts from a state store (no server needed)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fhir_regie.cli import main
from fhir_regie.sync.state import StateStore

CONFIG = """\
state: state.db
organisation: Organization/sync-org-wijkteam
local: {url: "http://127.0.0.1:9/fhir"}
jobs:
  - name: jeugdhulp
    partner: {kind: fhir, url: "http://127.0.0.1:9/partner"}
    recipient: Organization/sync-org-jeugdhulp
    schedule: {every: 1m}
"""


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(["sync", *args], stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "sync.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    with StateStore(tmp_path / "state.db") as state:
        state.enqueue("jeugdhulp", "push", [
            {"rtype": "Task", "rid": f"t{i}", "version": "1",
             "last_updated": "2026-12-01T10:00:00.000Z",
             "content": {"resourceType": "Task", "id": f"t{i}"}} for i in range(3)])
        rows = state.rows("jeugdhulp", "push", "pending")
        state.set_cursor("jeugdhulp", "push", "2026-12-01T10:00:00.000Z", "t2")
        state.finish([rows[0].seq], "done")
        state.dead_letter("jeugdhulp", "push", rows[1], "http-422",
                          "HTTP 422 on PUT Task (processing)")
        state.park(job="jeugdhulp", key="Task|urn:x|A1", rtype="Task", kind="edit",
                   direction="pull", local_id="t2", partner_id="rgp", base={"status": "a"},
                   ours={"status": "b"}, theirs={"status": "c"}, ours_version="2",
                   theirs_version="7", fields=["status"])
    return path


def test_a_bad_configuration_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "sync.yaml"
    path.write_text(CONFIG.replace("    recipient: Organization/sync-org-jeugdhulp\n", ""))
    code, out, err = run("status", "--config", str(path))
    assert code == 2
    assert err == f"fhir-regie sync: {path}: jobs[0].recipient: required\n"
    assert out == ""
    code, _, err = run("run", "--config", str(tmp_path / "absent.yaml"), "--once")
    assert code == 2
    assert "cannot read" in err


def test_an_unknown_job_is_a_usage_error(config):
    code, _, err = run("status", "--config", str(config), "--job", "elsewhere")
    assert (code, err) == (2, f"fhir-regie sync: {config}: no job named 'elsewhere'\n")


def test_status_shows_cursor_backlog_dead_letter_and_conflicts(config):
    code, out, _ = run("status", "--config", str(config))
    assert code == 0
    assert out.splitlines() == [
        "job jeugdhulp (fhir partner, both, every 60 s)",
        "  push: cursor 2026-12-01T10:00:00.000Z; dead 1, done 1, pending 1",
        "  backlog 1 (next retry in 0 s); dead letter 1 open; conflicts 1 open; "
        "failed attempts 0"]
    code, out, _ = run("status", "--config", str(config), "--format", "json")
    [job] = json.loads(out)
    assert job["queue"] == {"push": {"dead": 1, "done": 1, "pending": 1}}
    assert (job["backlog"], job["dead_letter"], job["conflicts"]) == (1, 1, 1)


def test_dead_letter_lists_rules_and_retry_puts_entries_back(config):
    code, out, _ = run("dead-letter", "--config", str(config))
    assert code == 0
    assert out.splitlines() == ["1: job jeugdhulp push Task: http-422: HTTP 422 on PUT Task "
                                "(processing)",
                                "    Niet verwerkt: de server weigerde het gegeven (HTTP 422)",
                                "1 open"]
    code, out, _ = run("dead-letter", "--config", str(config), "--show", "1")
    outcome = json.loads(out.splitlines()[2])
    assert outcome["resourceType"] == "OperationOutcome"
    assert [(i["severity"], i["code"], i["details"]["text"]) for i in outcome["issue"]] == [
        ("error", "processing", "Niet verwerkt: de server weigerde het gegeven (HTTP 422)")]
    assert outcome["issue"][0]["diagnostics"] == "http-422: HTTP 422 on PUT Task (processing)"
    code, out, _ = run("retry", "--config", str(config))
    assert code == 0
    assert out.startswith("1 entry back in the queue; 0 left in the dead letter")
    with StateStore(config.parent / "state.db") as state:
        assert len(state.rows("jeugdhulp", "push", "pending")) == 2


def test_conflicts_list_and_show(config):
    code, out, _ = run("conflicts", "--config", str(config))
    assert code == 0
    assert out.splitlines()[0].startswith("1: job jeugdhulp Task edit (fields: status), parked ")
    code, out, _ = run("conflicts", "--config", str(config), "--show", "1")
    assert code == 0
    assert '  status: base "a" | ours "b" | theirs "c"' in out.splitlines()
    assert "--- theirs" in out
    code, _, err = run("conflicts", "--config", str(config), "--show", "9")
    assert (code, err) == (1, "fhir-regie sync: no conflict 9\n")


def test_resolving_an_unknown_or_closed_conflict_is_refused(config):
    code, _, err = run("resolve", "9", "--take", "ours", "--config", str(config))
    assert (code, err) == (1, "fhir-regie sync resolve: no conflict 9\n")
    with StateStore(config.parent / "state.db") as state:
        state.resolve_conflict(1, "ours")
    code, _, err = run("resolve", "1", "--take", "theirs", "--config", str(config))
    assert (code, err) == (1, "fhir-regie sync resolve: conflict 1 is already resolved\n")


def test_status_lists_the_review_flags_the_sync_raised(config):
    with StateStore(config.parent / "state.db") as state:
        state.note_flag("jeugdhulp", "Patient/in-1", "controle-abc", "Identiteit controleren")
        state.note_flag("jeugdhulp", "Patient/in-1", "controle-abc", "Identiteit controleren")
        assert state.flagged("jeugdhulp", "Patient/in-1", "controle-abc")
        assert not state.flagged("jeugdhulp", "Patient/in-2", "controle-abc")
    code, out, _ = run("status", "--config", str(config))
    assert code == 0
    [line] = [x for x in out.splitlines() if x.startswith("  review ")]
    assert line.startswith("  review Patient/in-1 (Flag/controle-abc, since ")
    assert line.endswith("): Identiteit controleren")
    code, out, _ = run("status", "--config", str(config), "--format", "json")
    [job] = json.loads(out)
    assert [(f["record"], f["flag"]) for f in job["review_flags"]] == [
        ("Patient/in-1", "Flag/controle-abc")]
