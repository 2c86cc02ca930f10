"""Durability: the sync worker (``python -m fhir_regie.sync run --once``) is killed with SIGKILL
at random moments, at least 20 times, while a few hundred changes on both servers are being
synchronised; restarted each time; then run to the end. Both servers must hold exactly the
expected state: every change, once, nothing that the guard kept back.

The moments: at a random request (counted by fault proxies in front of both servers), either
before the request reaches the server or after the server applied it but before the worker hears
back; or at a random time after the worker's first request (which may be during a SQLite
commit). Randomness is seeded; the waves of changes are the same on every run, only the exact
timing differs, and the final state does not depend on it.

The same with **three workers on PostgreSQL** (``state: postgresql://...``): every life starts
three worker processes on one state; they share the job through its lease (an advisory lock),
the one holding it is killed, and another takes over at once (PostgreSQL frees the lock with the
killed worker's connection) and finishes the job. Nothing may be lost or doubled.

sekmet only (a pair of its own: the test writes a lot); docs/sync.md, "Durability".
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fhir_regie.client.server import start_servers
from fhir_regie.sync.state import open_state
from tests.integration.sync.conftest import fresh_client
from tests.integration.sync.household import (
    Jansen,
    ensure_organisations,
    load,
    write_config,
)
from tools.faultproxy import FaultProxy

pytestmark = [pytest.mark.kill, pytest.mark.slow]

SEED = 20261201
MIN_KILLS = 20
#: Three workers: every life starts three processes and each runs the job in turn, so a life
#: costs about three; fewer kills keep the test within the suite's time (measured: docs/sync.md).
MIN_KILLS_SHARED = 10
MAX_LIVES = 40
LIFE_LIMIT = 60.0  # seconds one worker life may take before the test gives up


@dataclass
class Killer:
    """Kills the worker when the shared request counter reaches ``at`` (only writes counted
    when ``writes``: the most dangerous moment, a transaction the server is about to apply or
    has applied), or at a moment (a timer)."""

    at: int | None = None
    writes: bool = False
    forward: bool = True
    pid: int | None = None
    #: Several workers: the pid of the one holding the job's lease (the one doing requests).
    holder: Callable[[], int | None] | None = None
    count: int = 0
    written: int = 0
    killed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, number: int, method: str, target: str) -> bool:
        with self.lock:
            self.count += 1
            self.written += method in ("POST", "PUT")
            reached = self.written if self.writes else self.count
            if self.at is not None and not self.killed and reached >= self.at \
                    and (method in ("POST", "PUT") or not self.writes) \
                    and (self.pid is not None or self.holder is not None):
                self.kill()
                # False: it still goes through (applied, the answer lost); True: dropped.
                return not self.forward
        return False

    def kill(self) -> None:
        pid = self.holder() if self.holder is not None else self.pid
        if pid is not None and not self.killed:
            self.killed = True
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                self.killed = False


@dataclass
class World:
    """The expected state, kept by the driver as it changes the servers."""

    home: Jansen
    ours: dict[str, dict[str, Any]] = field(default_factory=dict)  # number -> expected
    theirs: dict[str, dict[str, Any]] = field(default_factory=dict)
    health: set[str] = field(default_factory=set)
    changes: int = 0


@pytest.fixture
def servers() -> Iterator[list[Any]]:
    with start_servers(2) as started:
        yield started


def expected(task: dict[str, Any]) -> dict[str, Any]:
    return {"status": task["status"], "description": task["description"],
            "statusReason": task.get("statusReason")}


def wave(number: int, rng: random.Random, world: World, local: Any, partner: Any) -> None:
    """One wave of changes on both servers (while no worker runs)."""
    home = world.home
    start = len(world.ours) + 1
    new = []
    for index in range(start, start + 8):
        health = index % 6 == 0
        task = home.action(index, health=health, what=f"Wave {number}: afspraak {index}")
        new.append(task)
        world.ours[f"ours:A{index:05d}"] = expected(task)
        if health:
            world.health.add(f"ours:A{index:05d}")
    load(local, new)
    world.changes += len(new)
    existing = sorted(world.ours)
    for name in rng.sample(existing, min(4, len(existing))):
        task = local.read("Task", f"{home.tag}-action-{int(name[-5:])}", as_dict=True)
        status = rng.choice(["in-progress", "completed", "on-hold", "requested"])
        task.update(status=status, description=f"{task['description'].split(' |')[0]} | "
                                              f"w{number}")
        task.pop("statusReason", None)
        if status == "on-hold":
            task["statusReason"] = {"text": "Wacht op de wachtlijst"}
        local.update(task, as_dict=True)
        world.ours[name] = expected(task)
        world.changes += 1
    anchor = home.actions_on(partner).get("ours:A00001")
    if anchor is None:
        return  # the household has not reached the partner yet
    refs = {"group": anchor["for"]["reference"], "plan": anchor["basedOn"][0]["reference"],
            "owner": anchor["owner"]["reference"]}
    start = len(world.theirs) + 1
    created = []
    for index in range(start, start + 5):
        # started at once: the partner completes some of them later, and only an action in
        # progress may be completed (the agreed-action state machine, docs/ig/plans.md)
        task = home.action(index, partner=True, rid=f"{home.tag}-theirs-{index}",
                           status="in-progress", what=f"Jeugdhulp wave {number}: {index}",
                           **refs)
        created.append(task)
        world.theirs[f"theirs:A{index:05d}"] = expected(task)
    load(partner, created)
    world.changes += len(created)
    for name in rng.sample(sorted(world.theirs), min(2, len(world.theirs))):
        task = partner.read("Task", f"{home.tag}-theirs-{int(name[-5:])}", as_dict=True)
        task.update(status="completed", description=f"{task['description']} (gedaan)")
        partner.update(task, as_dict=True)
        world.theirs[name] = expected(task)
        world.changes += 1


@dataclass
class Pace:
    """How long an unkilled life ran (requests, seconds after its first request): kill points
    are drawn inside that, so most lives are killed while they work."""

    requests: int = 30
    seconds: float = 0.8


def live(config: Path, killer: Killer, rng: random.Random, log: Path, pace: Pace,
         workers: int = 1) -> str:
    """One life of ``workers`` worker processes on one state: started, one maybe killed (with
    several: the one holding the job's lease); returns how it ended."""
    killer.killed, killer.count, killer.written = False, 0, 0
    kind = rng.random()
    by_request = kind < 0.75
    killer.writes = kind < 0.4
    killer.at = (rng.randint(1, 3) if killer.writes else rng.randint(1, max(2, pace.requests))) \
        if by_request else None
    killer.forward = rng.random() < 0.5
    delay = rng.uniform(0.0, max(0.05, pace.seconds))
    first: list[float] = []
    # Several workers wait for each other's lease (up to --wait) and take over a killed one's.
    wait = "3" if workers == 1 else "30"
    with log.open("ab") as sink:
        processes = [subprocess.Popen(
            [sys.executable, "-m", "fhir_regie.sync", "run", "--config", str(config),
             "--once", "--wait", wait], stdout=sink, stderr=subprocess.STDOUT)
            for _ in range(workers)]
    killer.pid = processes[0].pid if workers == 1 else None

    def running() -> bool:
        return any(p.poll() is None for p in processes)

    def watch() -> None:
        deadline = time.monotonic() + LIFE_LIMIT
        while killer.count == 0 and running() and time.monotonic() < deadline:
            time.sleep(0.005)
        first.append(time.monotonic())
        if not by_request:
            # A moment after the worker's first request: mid-batch, maybe mid-commit.
            time.sleep(delay)
            if running():
                killer.kill()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    codes = []
    try:
        for process in processes:
            codes.append(process.wait(timeout=LIFE_LIMIT))
    except subprocess.TimeoutExpired:
        for process in processes:
            process.kill()
        raise AssertionError("a worker life took too long") from None
    ended = time.monotonic()
    watcher.join(timeout=5)
    killer.pid = None
    if killer.killed and -signal.SIGKILL in codes:
        # The others (several workers) ended normally: one of them took the job over.
        others = [c for c in codes if c != -signal.SIGKILL]
        assert all(c in (0, 1) for c in others), codes
        return "killed"
    pace.requests = max(2, killer.count)
    pace.seconds = max(0.05, ended - first[0]) if first else pace.seconds
    return f"exit {','.join(map(str, codes))}"


def test_killed_at_random_moments_the_sync_ends_in_the_expected_state(
        servers: list[Any], tmp_path: Path) -> None:
    killed_at_random_moments(servers, tmp_path, state="state.db", workers=1, kills=MIN_KILLS,
                             limit=170)


@pytest.mark.postgres
def test_three_workers_on_postgresql_killed_at_random_moments_lose_and_double_nothing(
        servers: list[Any], tmp_path: Path, postgres_server: str) -> None:
    import psycopg

    from tests.conftest import new_database

    url = new_database(postgres_server)
    with psycopg.connect(url, autocommit=True) as watcher:
        lock = threading.Lock()

        def holder() -> int | None:
            with lock:
                try:
                    row = watcher.execute("SELECT pid FROM leases WHERE job = 'jeugdhulp'"
                                          ).fetchone()
                except psycopg.Error:  # the table is made by the first worker
                    return None
            return int(row[0]) if row else None

        killed_at_random_moments(servers, tmp_path, state=url, workers=3, holder=holder,
                                 kills=MIN_KILLS_SHARED, limit=400)


def killed_at_random_moments(servers: list[Any], tmp_path: Path, *, state: str, workers: int,
                             kills: int, limit: float,
                             holder: Callable[[], int | None] | None = None) -> None:
    started = time.monotonic()
    rng = random.Random(SEED)
    killer = Killer(holder=holder)
    direct = [fresh_client(s.base_url) for s in servers]
    proxies = [FaultProxy(s.base_url, on_request=killer.request).start() for s in servers]
    try:
        local, partner = direct
        world = World(Jansen())
        ensure_organisations(local, partner)
        config = write_config(tmp_path, proxies[0].base_url, proxies[1].base_url,
                              start="beginning", batch=20, overlap="5s",
                              retry_backoff="100ms", retry_cap="1s", state=state)
        load(local, world.home.resources())
        lives: list[str] = []
        log = tmp_path / "worker.log"
        pace = Pace()
        for number in range(MAX_LIVES):
            wave(number, rng, world, local, partner)
            lives.append(live(config, killer, rng, log, pace, workers))
            if lives.count("killed") >= kills:
                break
        assert lives.count("killed") >= kills, lives
        assert world.changes >= 15 * kills
        # The last run, without kills, must end with everything in step.
        killer.at = None
        finals = [subprocess.Popen(
            [sys.executable, "-m", "fhir_regie.sync", "run", "--config", str(config),
             "--once", "--wait", "5" if workers == 1 else "60"], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True) for _ in range(workers)]
        for final in finals:
            output, _ = final.communicate(timeout=120)
            assert final.returncode == 0, output
        check(world, local, partner, state if workers > 1 else tmp_state(config))
    finally:
        for proxy in proxies:
            proxy.stop()
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"{elapsed:.0f} s: too slow for the suite ({lives})"


def check(world: World, local: Any, partner: Any, state_at: str | Path) -> None:
    home = world.home
    ours, theirs = home.actions_on(local), home.actions_on(partner)  # each number once
    shared = {n for n in world.ours if n not in world.health}
    assert set(ours) == set(world.ours) | set(world.theirs)
    assert set(theirs) == shared | set(world.theirs)
    for number, want in {**world.ours, **world.theirs}.items():
        if expected(ours[number]) != want:
            raise AssertionError(f"{number}: {expected(ours[number])} != {want}\n"
                                 f"{history(state_at, ours[number]['id'])}")
        if number in theirs:
            assert expected(theirs[number]) == want, number
    # References point at each server's own copies; the household is there once.
    group = {t["for"]["reference"] for t in theirs.values()}
    assert len(group) == 1
    assert {t["for"]["reference"] for t in ours.values()} == {home.group}
    bsn = "http://fhir.nl/fhir/NamingSystem/bsn"
    for person in ("fenna", "milan", "sara"):
        patient = local.read("Patient", f"{home.tag}-{person}", as_dict=True)
        token = next(f"{bsn}|{i['value']}" for i in patient["identifier"] if i["system"] == bsn)
        assert len(list(partner.search("Patient", {"identifier": token}, as_dict=True))) == 1
    with open_state(state_at) as state:
        counts = state.counts("jeugdhulp")
        assert counts.get("pull", {}).get("pending", 0) == 0
        assert counts.get("push", {}).get("pending", 0) == 0
        assert counts.get("push", {}).get("sending", 0) == 0
        assert state.conflicts("jeugdhulp") == []
        assert state.dead_letters("jeugdhulp") == []
        denied = {r.rid for r in state.rows("jeugdhulp", "push", "denied")}
    assert {f"{home.tag}-action-{int(n[-5:])}" for n in world.health} <= denied


def history(state_at: str | Path, rid: str) -> str:
    """What the state store knows of one resource (for a failure's message)."""
    with open_state(state_at) as state:
        link = state.link_by_id("jeugdhulp", "local", "Task", rid)
        rows = state.rows_of_resources("jeugdhulp", [rid, link.partner_id if link else ""])
    return "\n".join([f"link: {link}", *(str((r.seq, r.direction, r.rid, r.version,
                                                r.last_updated, r.status, r.reason,
                                                (r.content or {}).get("description")))
                                          for r in rows)])


def tmp_state(config: Path) -> Path:
    return config.parent / "state.db"
