"""The SQLite state store (fhir_regie.sync.state): once per version, cursors never go back,
retries count, dead letters keep content, conflicts refresh, leases and the file itself."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time

import pytest

from fhir_regie.sync.state import (
    Link,
    StateError,
    StateStore,
    normal_instant,
    open_state,
    parse_instant,
    utc_instant,
)


@pytest.fixture
def state(state_location):
    """The state store on SQLite and on PostgreSQL (tests/conftest.py, ``STATE_KINDS``)."""
    with open_state(state_location) as store:
        yield store


@pytest.fixture
def sqlite_state(tmp_path):
    with StateStore(tmp_path / "state" / "sync.db") as store:
        yield store


def change(rid: str, version: str, moment: str = "2026-12-01T10:00:00.000Z", **extra):
    return {"rtype": "Task", "rid": rid, "version": version, "last_updated": moment,
            "content": {"resourceType": "Task", "id": rid, "status": "requested"}, **extra}


def test_the_file_is_wal_owner_only_and_has_a_secret(tmp_path, sqlite_state):
    state = sqlite_state
    path = tmp_path / "state" / "sync.db"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert state.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(state.secret) == 32
    with StateStore(path) as again:
        assert again.secret == state.secret  # made once


def test_another_schema_or_not_sqlite_is_one_line(tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all, just text" * 100)
    with pytest.raises(StateError, match="not a usable state store"):
        StateStore(broken)
    other = tmp_path / "other.db"
    StateStore(other).close()
    with sqlite3.connect(other) as conn:
        conn.execute("UPDATE meta SET v = '99' WHERE k = 'schema'")
    with pytest.raises(StateError, match="state schema 99, this version needs 1"):
        StateStore(other)


def test_a_version_is_queued_once(state):
    assert state.enqueue("j", "pull", [change("a", "1"), change("a", "2")]) == 2
    assert state.enqueue("j", "pull", [change("a", "1"), change("b", "1")]) == 1  # re-read
    assert [(r.rid, r.version) for r in state.due("j", "pull", at=time.time(), limit=10)] == [
        ("a", "1"), ("a", "2"), ("b", "1")]
    assert state.enqueue("j", "push", [change("a", "1")]) == 1  # another direction


def test_older_pending_versions_are_superseded(state):
    state.enqueue("j", "pull", [change("a", "1"), change("a", "2", "2026-12-01T10:00:01.000Z"),
                                change("b", "1")])
    assert state.supersede_older("j", "pull") == 1
    # Oldest change first (by the source's moment), the newest version of each resource.
    assert [(r.rid, r.version) for r in state.due("j", "pull", at=time.time(), limit=10)] == [
        ("b", "1"), ("a", "2")]


def test_a_higher_version_is_newer_even_without_a_moment(state):
    # HAPI's history gives a deletion no moment: its version says it came last.
    state.enqueue("j", "pull", [change("a", "1", "2026-12-01T10:00:00.000Z"),
                                change("a", "2", "", deleted=True, content=None)])
    assert state.supersede_older("j", "pull") == 1
    [row] = state.due("j", "pull", at=time.time(), limit=5)
    assert (row.version, row.deleted) == ("2", True)


def test_the_cursor_never_goes_back_and_a_start_is_a_floor(state):
    state.set_cursor("j", "pull", "2026-12-01T10:00:00.000Z", "b")
    state.set_cursor("j", "pull", "2026-12-01T09:00:00.000Z", "z")
    state.set_cursor("j", "pull", "2026-12-01T10:00:00.000Z", "a")
    assert state.cursor("j", "pull") == ("2026-12-01T10:00:00.000Z", "b")
    assert state.floor("j", "pull") is None
    state.start_at("j", "push", "2026-12-01T11:00:00.000Z")
    assert state.cursor("j", "push") == ("2026-12-01T11:00:00.000Z", "")
    assert state.floor("j", "push") == "2026-12-01T11:00:00.000Z"


def test_retries_wait_and_run_out_into_the_dead_letter(state):
    state.enqueue("j", "push", [change("a", "1")])
    [row] = state.due("j", "push", at=time.time(), limit=5)
    for attempt in (1, 2):
        assert state.retry_later([row.seq], wait=30, error="ServerError", job="j",
                                 direction="push", max_attempts=3) == []
        assert state.due("j", "push", at=time.time(), limit=5) == []  # waits
        [again] = state.rows("j", "push", "pending")
        assert again.attempts == attempt
        assert again.reason == "ServerError"
    assert state.retry_later([row.seq], wait=30, error="ServerError", job="j",
                             direction="push", max_attempts=3) == [row.seq]
    [letter] = state.dead_letters("j")
    assert letter["rule"] == "retries-exhausted"
    assert letter["message"] == "gave up after 3 attempts (ServerError)"
    assert '"status":"requested"' in letter["content"]  # kept, not lost
    assert state.attempt_count("j") == 3
    assert state.retry_dead("j") == 1
    [back] = state.due("j", "push", at=time.time(), limit=5)
    assert (back.attempts, back.reason) == (0, "retried")
    assert state.dead_letters("j") == []


def test_a_dead_letter_without_a_row_stays_when_retried(state):
    state.dead_letter("j", "pull", None, "type-date", "clienten.csv:row 4: ...",
                      content={"original": "..."})
    assert state.retry_dead("j") == 0
    assert len(state.dead_letters("j")) == 1


def test_links_move_an_id_to_its_new_key(state):
    state.save_link(Link("j", "Task|urn:x|1", "Task", "local-1", "2", "rgabc", "1",
                         {"resourceType": "Task"}))
    assert state.link_by_id("j", "local", "Task", "local-1").key == "Task|urn:x|1"
    assert state.link_by_id("j", "partner", "Task", "rgabc").base == {"resourceType": "Task"}
    state.save_link(Link("j", "Task|urn:y|1", "Task", "local-1", None, None, None, None))
    assert state.link("j", "Task|urn:x|1").local_id is None
    assert state.link_by_id("j", "local", "Task", "local-1").key == "Task|urn:y|1"


def test_a_conflict_is_refreshed_not_doubled_and_resolved(state):
    common = {"job": "j", "key": "Task|urn:x|1", "rtype": "Task", "kind": "edit",
              "direction": "pull", "local_id": "l", "partner_id": "p",
              "base": {"status": "requested"}, "fields": ["status"]}
    first = state.park(**common, ours={"status": "a"}, theirs={"status": "b"},
                       ours_version="2", theirs_version="5")
    second = state.park(**common, ours=None, theirs={"status": "c"}, ours_version=None,
                        theirs_version="6")
    assert first == second
    [conflict] = state.conflicts("j")
    assert (conflict.ours, conflict.theirs, conflict.theirs_version) == (
        {"status": "a"}, {"status": "c"}, "6")
    state.resolve_conflict(first, "ours")
    assert state.conflicts("j") == []
    assert state.conflict(first).resolution == "ours"


def test_an_interrupted_push_batch_is_found_again(state):
    state.enqueue("j", "push", [change("a", "1"), change("b", "1")])
    rows = state.due("j", "push", at=time.time(), limit=5)
    state.begin_disclosure("j", "batch-1", "2026-12-01T10:00:00.000Z", [r.seq for r in rows],
                           {"name": "x"})
    assert state.due("j", "push", at=time.time(), limit=5) == []
    assert state.interrupted_batches("j") == [("batch-1", "2026-12-01T10:00:00.000Z",
                                               {"name": "x"})]
    assert [r.status for r in state.rows_of_batch("batch-1")] == ["sending", "sending"]
    state.finish([rows[0].seq], "done")
    state.end_disclosure("batch-1")
    assert state.interrupted_batches("j") == []
    assert [r.rid for r in state.due("j", "push", at=time.time(), limit=5)] == ["b"]


def test_a_record_is_the_newer_of_seen_and_sent(state):
    assert state.record("j", "H1") is None
    state.save_record("j", "H1", partner_rows={"acties": [{"status": "open"}]})
    assert state.record("j", "H1") == {"acties": [{"status": "open"}]}
    time.sleep(0.002)
    state.save_record("j", "H1", sent_rows={"acties": [{"status": "afgerond"}]})
    assert state.record("j", "H1") == {"acties": [{"status": "afgerond"}]}


def test_one_worker_per_job_and_a_dead_one_is_taken_over(sqlite_state, tmp_path):
    state = sqlite_state
    assert state.acquire("j", "me", 60)
    assert state.acquire("j", "me", 60)  # renewed
    with StateStore(tmp_path / "state" / "sync.db") as other:
        assert not other.acquire("j", "someone-else", 60)
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
        other.conn.execute("UPDATE leases SET pid = ?, owner = 'dead' WHERE job = 'j'",
                           (int(gone.stdout),))
        assert other.acquire("j", "someone-else", 60)  # its holder no longer runs
    state.release("j", "someone-else")
    assert state.acquire("j", "me", 60)


def test_prune_forgets_only_finished_old_rows(state):
    state.enqueue("j", "pull", [change("a", "1", "2026-11-01T10:00:00.000Z"),
                                change("b", "1", "2026-11-01T10:00:00.000Z"),
                                change("c", "1", "2026-12-01T10:00:00.000Z")])
    rows = state.due("j", "pull", at=time.time(), limit=5)
    state.finish([rows[0].seq, rows[2].seq], "done")
    assert state.prune("j", "pull", "2026-11-15T00:00:00.000Z") == 1
    assert sorted(r.rid for r in state.rows("j", "pull", "done")) == ["c"]
    assert [r.rid for r in state.rows("j", "pull", "pending")] == ["b"]


def test_instants_are_utc_with_milliseconds():
    moment = parse_instant("2026-12-01T11:00:00.1234+01:00")
    assert utc_instant(moment) == "2026-12-01T10:00:00.123Z"
    assert normal_instant("2026-12-01T11:00:00.000+01:00") == "2026-12-01T10:00:00.000Z"
    assert normal_instant(None) < "2000"


@pytest.mark.parametrize(("rule", "code", "reason"), [
    ("Patient.gender", "invalid",
     "Niet verwerkt: het gegeven voldoet niet aan het profiel (Patient.gender)"),
    ("limit-exceeded", "too-costly",
     "Niet verwerkt: het antwoord is te groot, te diep genest of te traag (zie de limieten)"),
    ("invalid-response", "structure", "Niet verwerkt: het antwoord is geen leesbare FHIR-JSON"),
    ("http-409", "processing", "Niet verwerkt: de server weigerde het gegeven (HTTP 409)"),
    ("retries-exhausted", "transient", "Niet verwerkt: ook na herhaalde pogingen niet gelukt"),
])
def test_each_dead_letter_keeps_a_dutch_reason_and_an_operation_outcome(tmp_path, rule, code,
                                                                        reason):
    with StateStore(tmp_path / "s.db") as state:
        state.dead_letter("j", "pull", None, rule, "what the engine saw", content={"a": 1})
        [entry] = state.dead_letters("j")
    assert entry["reason"] == reason
    outcome = json.loads(entry["outcome"])
    assert [(i["severity"], i["code"], i["details"]["text"], i["diagnostics"])
            for i in outcome["issue"]] == [("error", code, reason,
                                            f"{rule}: what the engine saw")]


def test_a_mapping_rule_gets_a_general_dutch_reason_that_does_not_repeat_the_rule(tmp_path):
    with StateStore(tmp_path / "s.db") as state:
        state.dead_letter("j", "pull", None, "type-date", "clienten.csv:row 4: expected a date")
        [entry] = state.dead_letters("j")
    assert entry["reason"] == ("Niet verwerkt: voldoet niet aan de regels van de koppeling (de "
                               "regel staat erbij)")
    assert "type-date" not in entry["reason"]


@pytest.mark.postgres
def test_on_postgresql_a_lease_is_held_by_the_connection_and_freed_when_it_dies(
        postgres_server):
    from tests.conftest import new_database

    url = new_database(postgres_server)
    first, second = open_state(url), open_state(url)
    try:
        assert first.acquire("j", "first", 60)
        assert first.acquire("j", "first", 60)  # renewed
        assert not second.acquire("j", "second", 60)
        assert second.acquire("k", "second", 60)  # another job: free
        assert second.lease_holder("j") == os.getpid()
        first.conn.raw.close()  # the worker is gone: its connection with it
        # The server ends the session as soon as it notices (a moment): then the lease is free.
        deadline = time.monotonic() + 10
        while not second.acquire("j", "second", 60):
            assert time.monotonic() < deadline, "the lease of a closed connection stayed"
            time.sleep(0.05)
    finally:
        second.close()


@pytest.mark.postgres
def test_on_postgresql_workers_starting_together_make_one_schema_and_one_secret(
        postgres_server):
    from concurrent.futures import ThreadPoolExecutor

    from tests.conftest import new_database

    url = new_database(postgres_server)

    def secret(_):
        with open_state(url) as store:
            return store.secret

    with ThreadPoolExecutor(4) as pool:
        secrets = set(pool.map(secret, range(4)))
    assert len(secrets) == 1


def test_a_postgresql_url_with_a_password_is_refused_by_the_configuration(tmp_path):
    from fhir_regie.sync.config import ConfigError, load_config

    config = tmp_path / "sync.yaml"
    config.write_text("state: postgresql://regie:geheim@db.example:5432/sync\n"
                      "organisation: Organization/o\nlocal: {url: http://127.0.0.1:1/fhir}\n"
                      "jobs: [{name: j, partner: {kind: fhir, url: http://127.0.0.1:2/fhir}, "
                      "recipient: Organization/p}]\n")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert "state" in str(error.value)
    assert "geheim" not in str(error.value)
