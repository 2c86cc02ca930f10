"""Faults between the sync engine and a partner's server, through a fault-injecting TCP proxy
(tools/faultproxy.py) in front of a real embedded server on loopback: 429 with Retry-After,
5xx, timeouts, resets, refused connections, lost answers, garbage and malformed resources, a
refusal that lasts, and a stale If-Match race. Every fault is bounded in count and time; every
test ends with both servers in the expected state and nothing duplicated.

sekmet only: the proxy is the subject here, and starting extra HAPI servers is slow
(docs/sync.md says so).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fhir_regie.sync.worker import run_once
from tests.conftest import RunningServer
from tests.integration.sync.conftest import SyncEnv, make_env
from tests.integration.sync.household import load
from tools.faultproxy import FaultProxy, Rule


class Proxied:
    """A sekmet pair with the partner behind the proxy (rules set per test)."""

    def __init__(self, servers: list[RunningServer], folder: Path, **job: Any) -> None:
        local, partner = servers
        self.proxy = FaultProxy(partner.base_url).start()
        front = type("Front", (), {"base_url": self.proxy.base_url, "port": self.proxy.port})
        if "partner" in job:
            job["partner"] = dict(job["partner"], url=self.proxy.base_url)
        self.env: SyncEnv = make_env([local, front()], folder, **job)  # type: ignore[list-item]
        self.direct = partner.base_url

    def seed(self, actions: int = 6) -> None:
        home = self.env.home
        load(self.env.local, [*home.resources(), *(home.action(i) for i in range(1, actions + 1))])

    def expect_in_step(self, numbers: list[str]) -> None:
        """Both sides hold exactly these actions, once each, with the same content."""
        from fhir_regie.client import FhirClient

        home = self.env.home
        with FhirClient(self.direct) as partner:
            theirs = home.actions_on(partner)
        ours = home.actions_on(self.env.local)
        assert sorted(theirs) == sorted(ours) == sorted(numbers)
        for number in numbers:
            for name in ("status", "description", "identifier"):
                assert theirs[number][name] == ours[number][name], (number, name)


@pytest.fixture
def proxied(sekmet_pair: list[RunningServer], tmp_path: Path) -> Iterator[Proxied]:
    made = Proxied(sekmet_pair, tmp_path, partner={
        "kind": "fhir", "url": "placeholder", "timeout": [2, 1],
        "retry": {"attempts": 4, "backoff": "50ms", "cap": "200ms", "max_retry_after": "5s"}})
    yield made
    made.proxy.stop()


def numbers(count: int) -> list[str]:
    return [f"ours:A{i:05d}" for i in range(1, count + 1)]


def test_429_with_retry_after_is_waited_for(proxied: Proxied) -> None:
    proxied.seed()
    proxied.proxy.rules = [Rule("status", method="POST", status=429, retry_after="1",
                                times=2)]
    started = time.monotonic()
    proxied.env.run()
    assert time.monotonic() - started >= 1.0  # Retry-After obeyed before the transaction again
    assert [f.status for f in proxied.proxy.faults] == [429, 429]
    proxied.expect_in_step(numbers(6))
    with proxied.env.state() as state:
        assert state.attempt_count("jeugdhulp") >= 2


def test_server_errors_on_transactions_and_reads(proxied: Proxied) -> None:
    proxied.seed()
    proxied.proxy.rules = [Rule("status", method="POST", status=503, times=2),
                           Rule("status", method="POST", status=500, times=1),
                           Rule("status", method="GET", path="_id=", status=502, times=2)]
    proxied.env.run()
    assert sorted(f.status for f in proxied.proxy.faults) == [500, 502, 502, 503, 503]
    proxied.expect_in_step(numbers(6))


def test_timeouts_resets_and_refused_connections(proxied: Proxied) -> None:
    proxied.seed()
    proxied.proxy.rules = [Rule("delay", method="GET", path="_id=", delay=2.0, times=1),
                           Rule("reset", method="POST", times=1),
                           Rule("drop", method="GET", after=1, times=1)]
    proxy = proxied.proxy
    proxy.refuse()  # the partner is away when the run starts ...
    threading.Timer(1.0, proxy.accept).start()  # ... and back a second later
    config = proxied.env.config
    outcome = run_once(config, wait=10)
    report = outcome.reports["jeugdhulp"]
    if report.errors:  # the first attempt found the partner away: the next run goes on
        assert "TransportError" in report.errors[0] or "Connection" in report.errors[0]
        time.sleep(1.2)
        proxied.env.run()
    assert {f.fault for f in proxy.faults} == {"delay", "reset", "drop"}
    proxied.expect_in_step(numbers(6))


def test_a_lost_answer_is_not_applied_twice(proxied: Proxied) -> None:
    proxied.seed()
    # The partner applies the transaction, the answer never arrives; twice.
    proxied.proxy.rules = [Rule("lose", method="POST", times=2)]
    before = len(proxied.proxy.seen)
    proxied.env.run()
    assert [f.fault for f in proxied.proxy.faults] == ["lose"]
    # The retry read the partner first, found everything there and sent nothing again.
    assert [s.method for s in proxied.proxy.seen[before:]].count("POST") == 1
    proxied.expect_in_step(numbers(6))  # once each, though written before the answer was lost


def test_a_garbage_answer_is_a_dead_letter_entry_not_a_crash(proxied: Proxied) -> None:
    proxied.seed(actions=2)
    proxied.proxy.rules = [Rule("garbage", method="GET", path="_history", times=1)]
    run_once(proxied.env.config, wait=5)
    with proxied.env.state() as state:
        [letter] = [r for r in state.dead_letters("jeugdhulp")
                    if r["rule"] == "invalid-response"]
    assert letter["direction"] == "pull"
    assert "body is not JSON" in letter["message"]
    proxied.env.run()  # the fault was bounded: the next run completes
    proxied.expect_in_step(numbers(2))


def test_a_malformed_resource_in_a_history_page_is_dead_lettered(proxied: Proxied) -> None:
    proxied.seed(actions=3)
    proxied.env.run()
    from fhir_regie.client import FhirClient

    home = proxied.env.home
    with FhirClient(proxied.direct) as partner:
        for number in ("ours:A00001", "ours:A00002"):
            task = home.actions_on(partner)[number]
            # the partner starts them (a move the agreed-action state machine allows it)
            partner.update(dict(task, status="in-progress"), as_dict=True)

    def corrupt(bundle: dict[str, Any]) -> dict[str, Any]:
        for entry in bundle.get("entry", []):
            resource = entry.get("resource") or {}
            if resource.get("status") == "in-progress" and any(
                    i.get("value") == "A00001" for i in resource.get("identifier", [])):
                resource["status"] = 42  # not a code
        return bundle

    proxied.proxy.rules = [Rule("rewrite", method="GET", path="_history", rewrite=corrupt,
                                times=1)]
    proxied.env.run()
    ours = home.actions_on(proxied.env.local)
    assert ours["ours:A00002"]["status"] == "in-progress"  # the rest applied
    assert ours["ours:A00001"]["status"] == "requested"  # the malformed one not
    with proxied.env.state() as state:
        [letter] = [r for r in state.dead_letters("jeugdhulp") if r["rule"] == "Task.status"]
    assert "expected a JSON string" in letter["message"]
    assert '"status":42' in letter["content"]
    # `sync retry` takes it again from the partner (the stored copy is the broken answer).
    with proxied.env.state() as state:
        assert state.retry_dead("jeugdhulp", letter["id"]) == 1
    proxied.env.run()
    assert home.actions_on(proxied.env.local)["ours:A00001"]["status"] == "in-progress"
    proxied.expect_in_step(numbers(3))


def test_a_lasting_refusal_goes_to_the_dead_letter_and_retry_brings_it_back(
        proxied: Proxied) -> None:
    proxied.seed(actions=3)
    tag = proxied.env.home.tag
    # The transaction is refused (422), and then every write of an action on its own: the
    # rest of the batch goes, the actions go to the dead letter (a refusal is not retried).
    proxied.proxy.rules = [Rule("status", method="POST", status=422, times=1),
                           Rule("status", method="PUT", path="Task/", status=422, times=10)]
    outcome = run_once(proxied.env.config, wait=5)
    assert not outcome.ok
    with proxied.env.state() as state:
        letters = [r for r in state.dead_letters("jeugdhulp") if r["rule"] == "http-422"]
    assert sorted(r["rid"] for r in letters) == [f"{tag}-action-{i}" for i in (1, 2, 3)]
    assert all("HTTP 422 on PUT Task" in r["message"] for r in letters)
    proxied.proxy.rules = []
    from fhir_regie.cli import main

    assert main(["sync", "retry", "--config", str(proxied.env.config_path)]) == 0
    proxied.env.run()
    proxied.expect_in_step(numbers(3))


def test_retries_run_out_into_the_dead_letter(sekmet_pair: list[RunningServer],
                                              tmp_path: Path) -> None:
    made = Proxied(sekmet_pair, tmp_path, max_attempts=3, retry_backoff="50ms",
                   partner={"kind": "fhir", "url": "placeholder", "timeout": [2, 2],
                            "retry": {"attempts": 1}})
    try:
        made.seed(actions=2)
        made.proxy.rules = [Rule("status", method="POST", status=503, times=20),
                            Rule("status", method="PUT", status=503, times=20)]
        outcome = run_once(made.env.config, wait=5)
        assert not outcome.ok
        with made.env.state() as state:
            letters = [r for r in state.dead_letters("jeugdhulp")
                       if r["rule"] == "retries-exhausted"]
        assert letters
        assert all("gave up after 3 attempts" in r["message"] for r in letters)
    finally:
        made.proxy.stop()


def test_a_stale_if_match_race_is_re_read_and_merged(proxied: Proxied) -> None:
    from fhir_regie.client import FhirClient

    proxied.seed(actions=2)
    proxied.env.run()
    home = proxied.env.home
    local = proxied.env.local.read("Task", f"{home.tag}-action-1", as_dict=True)
    proxied.env.local.update(dict(local, description="Gesprek met de mentor"), as_dict=True)

    def meanwhile(method: str, path: str) -> None:
        # Someone at the partner's changes the status between our read and our write.
        with FhirClient(proxied.direct) as partner:
            task = home.actions_on(partner)["ours:A00001"]
            partner.update(dict(task, status="in-progress"), as_dict=True)

    proxied.proxy.rules = [Rule("hook", method="PUT", path="Task/", hook=meanwhile, times=1)]
    proxied.env.run()
    assert [f.fault for f in proxied.proxy.faults] == ["hook"]
    proxied.expect_in_step(numbers(2))
    merged = home.actions_on(proxied.env.local)["ours:A00001"]
    assert merged["status"] == "in-progress"
    assert merged["description"] == "Gesprek met de mentor"
