"""Running jobs: once (``sync run --once``) or on their schedules, one worker per job at a
time (a lease in the state store), stopping cleanly on SIGTERM between batches. Any number of
workers may share one state store (on PostgreSQL also across hosts): each takes the jobs whose
lease is free, so they split the jobs between them and never run one job twice at once.

``run_once`` repeats a job's run while it has work: after a run, rows waiting for a retry that
is due within ``wait`` seconds are waited for, so one call ends with the job in step, or with
what could not be done reported (dead letter, conflicts, a side that cannot be reached).

Example::

    reports = run_once(load_config("sync.yaml"))
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fhir_regie.sync.config import Config, Job
from fhir_regie.sync.engine import JobReport, run_job
from fhir_regie.sync.state import StateStore, open_state

log = logging.getLogger("fhir_regie.sync")
LEASE = 600.0


@dataclass
class Outcome:
    """Everything one ``run_once`` did, per job."""

    reports: dict[str, JobReport] = field(default_factory=dict)
    busy: list[str] = field(default_factory=list)  # jobs another worker was running
    backlog: dict[str, int] = field(default_factory=dict)  # rows still pending per job

    @property
    def ok(self) -> bool:
        """Everything in step: no job busy elsewhere, nothing waiting, every side reached
        (the last run), no new dead-letter entry and no new conflict for a person."""
        return not self.busy and not any(self.backlog.values()) and not any(
            r.errors or r.pull.dead or r.push.dead or r.pull.conflicts or r.push.conflicts
            for r in self.reports.values())


def _merge(into: JobReport, report: JobReport) -> None:
    for direction in ("pull", "push"):
        into.counts(direction).add(report.counts(direction))
    into.exports += report.exports
    into.followup = report.followup
    into.errors = report.errors  # an earlier run's failure that a later run got past is over


class Stop:
    """Set by SIGTERM/SIGINT (or a test): the worker ends after the current job run."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __bool__(self) -> bool:
        return self.event.is_set()

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def stop(signum: int, frame: object) -> None:  # noqa: ARG001 (signal API)
            self.event.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def sleep(self, seconds: float) -> None:
        self.event.wait(max(0.0, seconds))


def run_once(config: Config, *, jobs: Sequence[str] = (), wait: float = 60.0,
             clients: dict[str, Any] | None = None,
             clock: Callable[[], datetime] | None = None,
             progress: Callable[[str, str, int, int], None] | None = None,
             stop: Stop | None = None, max_runs: int = 50) -> Outcome:
    """Run the jobs (all, or those named) until each is in step or stuck.

    Parameters:
        wait: how long to wait for rows whose retry is due soon (backoff after a 429/5xx), and
            for a job another worker is running (its lease) before reporting it busy.
        clients: FHIR clients to use instead of the configured ones (``local``, and per job
            name the partner's), for tests.
        progress: ``(job, direction, done, total)`` after each batch.
    """
    outcome = Outcome()
    owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    wanted = [job for job in config.jobs if not jobs or job.name in jobs]
    deadline = time.monotonic() + wait
    with open_state(config.state) as state:
        while wanted and not stop:
            busy = []
            for job in wanted:
                if stop:
                    break
                if not state.acquire(job.name, owner, LEASE):
                    busy.append(job)
                    continue
                try:
                    outcome.reports[job.name] = _until_done(
                        config, job, state, wait=wait, clients=clients, clock=clock,
                        progress=progress, stop=stop, max_runs=max_runs)
                finally:
                    state.release(job.name, owner)
                counts = state.counts(job.name)
                outcome.backlog[job.name] = sum(c.get("pending", 0) + c.get("sending", 0)
                                                for c in counts.values())
            wanted = busy
            if wanted and time.monotonic() < deadline:
                # Another worker runs these jobs now (several workers share one state): wait
                # for its lease (freed at the end of its run, or when it dies) and run them
                # after it, so ``--once`` still ends with every job in step.
                (stop or Stop()).sleep(min(0.5, max(0.0, deadline - time.monotonic())))
                continue
            for job in wanted:
                outcome.busy.append(job.name)
                # On a schedule (no wait) another worker running it is the normal way of
                # sharing the jobs: not worth a warning.
                (log.warning if wait else log.info)("job %s: another worker is running it",
                                                     job.name)
            break
    return outcome


def _until_done(config: Config, job: Job, state: StateStore, *, wait: float,
                clients: dict[str, Any] | None, clock: Callable[[], datetime] | None,
                progress: Callable[[str, str, int, int], None] | None, stop: Stop | None,
                max_runs: int) -> JobReport:
    total = JobReport(job.name)
    job_clients = None
    if clients:
        job_clients = {"local": clients.get("local"), "partner": clients.get(job.name)}

    def step(direction: str, done: int, count: int) -> None:
        if progress:
            progress(job.name, direction, done, count)

    for _ in range(max_runs):
        report = run_job(config, job, state, clients=job_clients, clock=clock, progress=step)
        _merge(total, report)
        if stop:
            break
        # One run brings the job in step as of its start (the push scan follows the pull, so
        # it sees the pull's writes); another is needed when a merge gave one side something
        # the other lacks, or for retries that are due soon.
        if report.followup:
            continue
        upcoming = state.next_retry(job.name)
        if upcoming is None or upcoming - time.time() > wait:
            break
        (stop or Stop()).sleep(upcoming - time.time())
    return total


def run_forever(config: Config, *, stop: Stop, clients: dict[str, Any] | None = None,
                progress: Callable[[str, str, int, int], None] | None = None,
                on_report: Callable[[JobReport], None] | None = None) -> None:
    """Run every job on its schedule until ``stop`` is set (SIGTERM)."""
    due = dict.fromkeys((j.name for j in config.jobs), 0.0)
    while not stop:
        moment = time.time()
        for job in config.jobs:
            if stop or due[job.name] > moment:
                continue
            outcome = run_once(config, jobs=[job.name], wait=0.0, clients=clients,
                               progress=progress, stop=stop, max_runs=5)
            report = outcome.reports.get(job.name)
            if report is not None and on_report is not None:
                on_report(report)
            due[job.name] = time.time() + job.schedule.every
        with open_state(config.state) as state:
            retries = [state.next_retry(j.name) for j in config.jobs]
        upcoming = min([*due.values(), *(r for r in retries if r is not None)])
        stop.sleep(min(max(upcoming - time.time(), 0.2), 60.0))
