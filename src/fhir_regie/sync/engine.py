"""The sync engine: one job, both directions, from source changes to target writes
(ARCHITECTURE.md §5; docs/sync.md explains the model).

A run of a job:

1. **recover**: push batches a killed worker left ``sending`` are redone under the same
   decision moment and batch id (so the same AuditEvent ids);
2. **pull scan**: the partner's changes since the pull cursor minus the overlap window go into the
   queue (a FHIR partner's ``_history``; a file partner's new exports, mapped to FHIR); the
   cursor moves to the newest ``(lastUpdated, id)`` seen;
3. **pull drain**: queued changes are applied to our server in batches;
4. **push scan** and **push drain**: our server's changes go to the partner, each through the
   consent guard (:mod:`fhir_regie.sync.outbound`).

A batch to a FHIR target: validate what comes in; find each change's business key and link;
leave out keys with an open conflict; bring in resources the batch refers to that the target does
not have yet; (push) let the guard decide; choose target ids; translate references; read the
target's current versions; three-way merge against the base; write what changed as one
transaction with ``If-Match``; record links, bases and row states in one SQLite transaction.
Every step before the final commit can be repeated: a killed worker redoes the batch and finds
its own earlier writes already there (the merge result equals the target's version).

Logs: counts, job names and error classes only (logger ``fhir_regie.sync``).
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from fhir_regie.client import FhirClientError, InvalidResponse, LimitExceeded, TooManyRequests
from fhir_regie.handover.identity import BSN, flag_for_review
from fhir_regie.mapping.spec import Partner
from fhir_regie.model.errors import failing
from fhir_regie.sync.config import Config, FilePartner, Job
from fhir_regie.sync.executor import BatchActions
from fhir_regie.sync.fhirside import FhirSide, page_sizes
from fhir_regie.sync.keys import (
    business_key,
    content,
    derived_id,
    is_origin_key,
    key_token,
    origin_key,
    references,
    rewrite_references,
)
from fhir_regie.sync.moves import KIND as MOVE_CONFLICT
from fhir_regie.sync.moves import illegal_move
from fhir_regie.sync.outbound import (
    Guard,
    Permitted,
    Write,
    Written,
    store_own,
    write,
)
from fhir_regie.sync.plan import (
    INBOUND_CHECKS,
    Action,
    Outcome,
    PlanInput,
    Rules,
    differing,
    plan_batch,
)
from fhir_regie.sync.state import (
    DENIED,
    DONE,
    SKIPPED,
    Link,
    Row,
    StateStore,
    now_text,
    parse_instant,
    utc_instant,
)
from fhir_regie.sync.strategies import (  # noqa: F401 (re-exported: the row helpers' old home)
    LOCAL,
    PARTNER,
    RECORD_TYPES,
    PartnerKind,
    _changed_rows,
    _row_sources,
    strategy_for,
)
from fhir_regie.validation import iter_issues

log = logging.getLogger("fhir_regie.sync")
Resource = dict[str, Any]
Ref = tuple[str, str]
PULL, PUSH = "pull", "push"
#: History entries queued at a time while reading a source.
SCAN_CHUNK = 500
#: Rounds of re-read and merge when the target moves on between our read and our write.
CONFLICT_ROUNDS = 3
#: How deep the engine follows references to resources the target does not have yet.
DEPENDENCY_ROUNDS = 4
#: The review flag on a person a partner sent without a BSN (docs/sync.md, "Identity").
NO_BSN = ("Identiteit controleren: geen BSN van de partner ontvangen, daarom niet automatisch "
          "gekoppeld aan een bekende persoon")


def _without_bsn(resource: Resource | None) -> bool:
    """A Patient without a BSN: never matched to a local person automatically."""
    if not resource or resource.get("resourceType") != "Patient":
        return False
    return not any(isinstance(i, dict) and i.get("system") == BSN and i.get("value")
                   for i in resource.get("identifier") or [])


@dataclass
class Counts:
    """What one direction of a run did (counts only: safe to log)."""

    read: int = 0
    applied: int = 0
    unchanged: int = 0
    skipped: int = 0
    denied: int = 0
    conflicts: int = 0
    held: int = 0
    dead: int = 0
    retried: int = 0
    flagged: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        return ", ".join(f"{n} {getattr(self, n)}" for n in self.__dataclass_fields__
                         if getattr(self, n))


@dataclass
class JobReport:
    job: str
    pull: Counts = field(default_factory=Counts)
    push: Counts = field(default_factory=Counts)
    exports: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: A write merged in something the other side does not have yet (a merge, not a copy):
    #: the other direction has work, so ``run --once`` runs again.
    followup: bool = False

    def counts(self, direction: str) -> Counts:
        return self.pull if direction == PULL else self.push


@dataclass
class Item:
    """One resource in a batch: from a queue row, or a dependency read from the source."""

    row: Row | None
    rtype: str
    source_id: str
    version: str
    content: Resource
    key: str = ""
    link: Link | None = None
    payload: Resource | None = None  # what goes, before translation (push: the guard's copy)
    target_id: str | None = None
    out: Resource | None = None  # payload translated to the target's ids
    current: Resource | None = None  # the target's version now
    outcome: str = ""  # write | applied | unchanged | conflict | retry | dead | denied | held
    action: Action | None = None  # the planner's decision
    #: The target ends up with exactly the incoming content (nothing of its own merged in), so
    #: the version it gets is an echo of this change and needs nothing when it comes back.
    pure: bool = False

    @property
    def ref(self) -> Ref:
        return self.rtype, self.source_id

    @classmethod
    def of_row(cls, row: Row) -> Item:
        assert row.content is not None
        return cls(row, row.rtype, row.rid, row.version, row.content)


@dataclass
class _Prepared:
    """A batch ready to be written (see JobRun._prepare)."""

    direction: str
    rows: Sequence[Row]
    items: list[Item]
    ready: list[Item]
    writes: list[Write]
    permitted: Permitted | None
    batch: str | None
    target: FhirSide
    seqs: set[int]
    actions: BatchActions


class _Feed:
    """The source's history read chunk by chunk into the queue, as the drain needs rows. A
    source that fails is recorded (the cursor did not move) and the queued rows still go."""

    def __init__(self, steps: Iterator[int] | None, run: JobRun, direction: str) -> None:
        self.steps, self.run, self.direction = steps, run, direction

    @property
    def done(self) -> bool:
        return self.steps is None

    def fill(self, wanted: int, exclude: int = 0) -> bool:
        """Read until ``wanted`` rows are pending (besides ``exclude`` in flight) or the
        history ends; True when something was read."""
        read = False
        while self.steps is not None and self.run.state.count_due(
                self.run.job.name, self.direction, time.time()) - exclude < wanted:
            try:
                next(self.steps)
                read = True
            except StopIteration:
                self.steps = None
            except FhirClientError as error:
                self.steps = None
                self.run._source_failed(self.direction, error)
        return read

    def drain(self) -> None:
        self.fill(sys.maxsize)


class _Progress:
    def __init__(self, callback: Callable[[str, int, int], None] | None, direction: str,
                 total: int) -> None:
        self.callback, self.direction, self.total, self.done = callback, direction, total, 0

    def step(self, count: int) -> None:
        self.done += count
        if self.callback:
            self.callback(self.direction, min(self.done, self.total),
                          max(self.total, self.done))


def _newer(a: Item, b: Item) -> bool:
    """Is ``a`` a later version of the same resource than ``b`` (version numbers first)?"""
    def rank(item: Item) -> tuple[int, int]:
        return (int(item.version) if item.version.isdigit() else -1,
                item.row.seq if item.row else 0)
    return rank(a) > rank(b)


def _validation_errors(resource: Resource) -> list[tuple[str, str]]:
    """(rule, message) of each error the validator finds (rules and texts, never values)."""
    return [(i.source or i.message_id, i.text()) for i in failing(iter_issues(resource))]


def _differing(a: Resource | None, b: Resource | None) -> list[str]:
    return differing(a, b)


class JobRun:
    """One run of one job.

    Parameters:
        config: the configuration (our organisation).
        job: the job to run.
        state: the state store.
        local: our server; ``partner``: the partner's server (None for a file partner).
        clock: the current moment (time-zone aware); tests pass a fixed one.
        progress: a callback ``(direction, done, total)`` for progress bars.
    """

    def __init__(self, config: Config, job: Job, state: StateStore, local: FhirSide,
                 partner: FhirSide | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 progress: Callable[[str, int, int], None] | None = None,
                 mapping: Partner | None = None) -> None:
        self.config, self.job, self.state = config, job, state
        self.local, self.partner = local, partner
        self.clock = clock
        self.progress = progress
        self.guard = Guard(local, job, config.organisation)
        self.report = JobReport(job.name)
        self.given_mapping = mapping
        #: Source references of the batch being written while the next one is prepared: the
        #: target will have them, so they are no dependencies to bring in again.
        self._inflight: set[Ref] = set()
        if partner is None and not isinstance(job.partner, FilePartner):
            raise ValueError("a FHIR partner job needs the partner's side")
        #: What depends on the kind of partner (sync/strategies.py).
        self.kind: PartnerKind = strategy_for(job)(self)
        self.types = frozenset(job.types) | frozenset(self.kind.extra_types)
        #: The planner's rules: the validator of merge results and the inbound checks.
        self.rules = Rules(_validation_errors, [*INBOUND_CHECKS, self._legal_move])
        #: The state changes of the batch being prepared or completed (sync/executor.py).
        self._actions = BatchActions(job.name, PULL)

    # ================================================================== the run
    def run(self) -> JobReport:
        """Recover, pull, push (as far as the job's direction goes). A side that cannot be read
        (down, refusing, answering garbage) ends that direction for this run: the cursor did
        not move, nothing is lost, the next run tries again. Only programming errors raise."""
        for direction, wanted in ((None, True), (PULL, self.job.pulls), (PUSH, self.job.pushes)):
            if not wanted:
                continue
            try:
                if direction is None:
                    self._recover()
                elif direction == PULL:
                    self.kind.pull()
                else:
                    self.kind.push()
            except FhirClientError as error:
                self._source_failed(direction or PUSH, error)
        for direction in (PULL, PUSH):
            counts = self.report.counts(direction)
            if counts.line():
                log.info("job %s %s: %s", self.job.name, direction, counts.line())
        return self.report

    def _source_failed(self, direction: str, error: FhirClientError) -> None:
        self.report.errors.append(f"{direction}: {error}")
        self.state.note_attempt(self.job.name, direction, type(error).__name__)
        if isinstance(error, (InvalidResponse, LimitExceeded)):
            # A malformed answer, or one over a limit (too large, nested too deep, too slow:
            # fhir_regie.limits), is kept as a dead-letter entry, not a crash (no content: the
            # client does not keep a body it could not read).
            # Kept once: a page that keeps failing run after run is one open entry, not one a
            # run (what was read before it still went, see scan_steps).
            rule = "invalid-response" if isinstance(error, InvalidResponse) else "limit-exceeded"
            message = str(error)[:500]
            if not any(e["rule"] == rule and e["message"] == message and e["queue_seq"] is None
                       and e["rid"] is None and e["direction"] == direction
                       for e in self.state.dead_letters(self.job.name)):
                self.state.dead_letter(self.job.name, direction, None, rule, message)
                self.report.counts(direction).dead += 1
        log.warning("job %s: %s stopped for this run: %s", self.job.name, direction,
                    type(error).__name__)

    def _unreadable_page(self, direction: str, error: FhirClientError, since: str | None,
                         oldest: str | None, newest_seen: tuple[str, str] | None) -> bool:
        """A history page cannot be read (a page of one entry over a limit, or an answer that
        is not JSON). It is kept as one dead-letter entry per place in the history (the moment
        of the entry read just before it) and the cursor stays, so a passing fault costs
        nothing. When the read from the same cursor has failed ``max_attempts`` runs (or that
        place was passed before), the cursor moves past it (True): the history older than
        that place is not read by this job until a person puts the entry back (``sync
        retry``), which reads that part again."""
        name = type(error).__name__
        place = oldest or "-"
        self.state.note_attempt(self.job.name, direction,
                                f"{name} since {since or '-'} after {place}")
        from_cursor = self.state.attempts_like(self.job.name, direction,
                                               f"{name} since {since or '-'} after %")
        at_place = self.state.attempts_like(self.job.name, direction, f"{name} since % after "
                                            f"{place}")
        limit = self.job.max_attempts
        passed_before = oldest is not None and at_place > limit
        if not passed_before:
            # Once passed, meeting it again (the overlap window reaches back over it) is
            # expected: its dead-letter entry says it all.
            self.report.errors.append(f"{direction}: {error}")
        rule = "invalid-response" if isinstance(error, InvalidResponse) else "limit-exceeded"
        window = {"history": direction, "before": oldest or "", "since": since}
        if not any(e["rule"] == rule and e["queue_seq"] is None and e["rid"] is None
                   and e["direction"] == direction
                   and (json.loads(e["content"] or "null") or {}).get("before", 0) == (
                       oldest or "")
                   for e in self.state.dead_letters(self.job.name)):
            self.state.dead_letter(
                self.job.name, direction, None, rule,
                f"a history entry older than {oldest or 'the newest'} cannot be read "
                f"({str(error)[:300]}); the cursor stays for {limit} runs, then moves past it "
                "(sync retry reads that part again)", content=window)
            self.report.counts(direction).dead += 1
        skip = oldest is not None and newest_seen is not None and (
            from_cursor >= limit or at_place > limit)
        log.warning("job %s: a %s history entry cannot be read (%s)%s", self.job.name,
                    direction, name, "; the cursor moves past it" if skip else "")
        return skip

    # ================================================================== scanning
    def scan_steps(self, direction: str) -> Iterator[int]:
        """Read a FHIR source's history in chunks, queueing each (yields how many were new);
        the cursor moves at the end only, so a read cut short is read again."""
        side = self.partner if direction == PULL else self.local
        assert side is not None
        cursor = self.state.cursor(self.job.name, direction)
        if cursor is None and self.job.start == "now":
            self.state.start_at(self.job.name, direction, side.newest() or now_text())
            return
        floor = self.state.floor(self.job.name, direction)
        since = None
        if cursor is not None:
            try:
                since = utc_instant(parse_instant(cursor[0])
                                    - timedelta(seconds=self.job.overlap))
            except (ValueError, OverflowError):
                # a cursor without a real moment (a state written before 0.2 could hold year
                # 0): read from the beginning; what was queued before is not queued twice
                log.warning("job %s: the %s cursor holds no moment; reading from the start",
                            self.job.name, direction)
        newest_seen = cursor
        pending: list[dict[str, Any]] = []
        types = self.types if direction == PULL else frozenset(self.job.types)
        blocked = False
        sizes = page_sizes()
        for size in sizes:
            oldest: str | None = None  # the moment of the last (oldest) entry read
            try:
                for change in side.history(since, types, count=size):
                    if change.last_updated and floor is not None \
                            and change.last_updated <= floor:
                        continue
                    pending.append(change.as_row())
                    position = (change.last_updated, change.rid)
                    if change.last_updated and (newest_seen is None or position > newest_seen):
                        newest_seen = position
                    oldest = change.last_updated or oldest
                    if len(pending) >= SCAN_CHUNK:
                        yield self._enqueue(direction, pending)
                        pending = []
                break
            except (InvalidResponse, LimitExceeded) as error:
                # A page that was answered but cannot be read: what was read before it goes
                # (the newer changes). A page over a limit is read again in smaller pages,
                # which narrows it down to the one entry that cannot be read (the versions
                # queued already are not queued twice); an answer that is not JSON is not an
                # entry's fault.
                yield self._enqueue(direction, pending)
                pending = []
                if isinstance(error, LimitExceeded) and size != sizes[-1]:
                    log.warning("job %s: a %s history page failed (%s); reading it in pages "
                                "of %d", self.job.name, direction, type(error).__name__,
                                sizes[sizes.index(size) + 1])
                    continue
                blocked = not self._unreadable_page(direction, error, since, oldest,
                                                    newest_seen)
                break
            except FhirClientError:
                # Down, refusing, timing out: what was read still goes, the cursor stays.
                self._enqueue(direction, pending)
                raise
        yield self._enqueue(direction, pending)
        if newest_seen is not None and not blocked:
            self.state.set_cursor(self.job.name, direction, *newest_seen)
            # Finished rows older than twice the overlap can never be re-read: forget them.
            horizon = parse_instant(newest_seen[0]) - timedelta(seconds=2 * self.job.overlap)
            self.state.prune(self.job.name, direction, utc_instant(horizon))

    def _enqueue(self, direction: str, changes: list[dict[str, Any]]) -> int:
        added = self.state.enqueue(self.job.name, direction, changes)
        self.report.counts(direction).read += added
        return added

    # ================================================================== draining
    def drain(self, direction: str, feed: Iterator[int] | None = None) -> None:
        """Process the due rows of a direction in batches until none is due.

        To a FHIR target the batches are pipelined: while one batch's transaction is with the
        server (a wait on another process), the next batch is prepared (validation, keys,
        merges: CPU here). Only the HTTP write runs in the second thread; the state store is
        used from this one only."""
        feeding = _Feed(feed, self, direction)
        feeding.fill(self.job.batch * 2)
        self.state.supersede_older(self.job.name, direction)
        progress = self.progress_of(direction)
        with ThreadPoolExecutor(1, thread_name_prefix="fhir-regie-sync-write") as writer:
            inflight: tuple[_Prepared, Future[list[Written]]] | None = None
            while True:
                excluded = inflight[0].seqs if inflight else set()
                if feeding.fill(self.job.batch * 2, exclude=len(excluded)):
                    self.state.supersede_older(self.job.name, direction, exclude=excluded)
                    progress.total = max(progress.total, self.state.count(
                        self.job.name, direction, "pending") + progress.done)
                rows = self.state.due(self.job.name, direction, at=time.time(),
                                      limit=self.job.batch, exclude=excluded)
                prepared = self._try_prepare(direction, rows) if rows else None
                if inflight is not None:
                    self._try_complete(*inflight)
                    progress.step(len(inflight[0].rows))
                    inflight = None
                if prepared is not None:
                    self._inflight = {i.ref for i in prepared.items}
                    future = writer.submit(write, prepared.target, prepared.writes,
                                           prepared.permitted)
                    inflight = (prepared, future)
                elif rows:
                    progress.step(len(rows))
                if inflight is None and not rows and feeding.done:
                    break
        self._inflight = set()

    def feed(self, steps: Iterator[int] | None, direction: str) -> _Feed:
        """The source's history (``scan_steps``) read into the queue as needed."""
        return _Feed(steps, self, direction)

    def progress_of(self, direction: str) -> _Progress:
        return _Progress(self.progress, direction,
                         self.state.count(self.job.name, direction, "pending"))

    def _try_prepare(self, direction: str, rows: Sequence[Row]) -> _Prepared | None:
        try:
            return self._prepare(direction, rows)
        except FhirClientError as error:
            # What was decided before the failure stands (a dead letter, a park, a row that
            # needs nothing): applied, so only the rest of the batch is retried.
            self._apply(self._actions, direction)
            self.batch_failed(direction, rows, error)
            self.settle(direction, rows)
            return None

    def _try_complete(self, prepared: _Prepared, future: Future[list[Written]]) -> None:
        try:
            self._complete(prepared, future.result() if prepared.writes else [])
        except FhirClientError as error:
            self._apply(prepared.actions, prepared.direction)
            self.batch_failed(prepared.direction, prepared.rows, error)
        self.settle(prepared.direction, prepared.rows)

    def batch_failed(self, direction: str, rows: Sequence[Row],
                      error: FhirClientError) -> None:
        """A read or write of a batch failed after the client's own retries. Pulled rows wait
        (backoff); pushed rows already in a batch stay ``sending`` and are redone as that batch
        (so a disclosure that did happen still gets its AuditEvent)."""
        name = type(error).__name__
        counts = self.report.counts(direction)
        sending = [r.seq for r in rows if self._status(r.seq) == "sending"]
        waiting = [r.seq for r in rows if self._status(r.seq) == "pending"]
        attempts = max((r.attempts for r in rows), default=0)
        wait = min(self.job.retry_cap, self.job.retry_backoff * (2 ** attempts))
        if isinstance(error, TooManyRequests) and error.retry_after:
            wait = max(wait, error.retry_after)
        dead = self.state.retry_later(waiting, wait=wait, error=name, job=self.job.name,
                                      direction=direction, max_attempts=self.job.max_attempts)
        dead += self.state.count_attempt(sending, error=name, job=self.job.name,
                                         direction=direction,
                                         max_attempts=self.job.max_attempts)
        counts.retried += len(waiting) + len(sending) - len(dead)
        counts.dead += len(dead)
        log.warning("job %s: a %s batch of %d failed (%s); retried later", self.job.name,
                    direction, len(rows), name)

    def settle(self, direction: str, rows: Iterable[Row]) -> None:
        """A row a batch left pending (a programming slip, or a dependency pulled in twice)
        must not spin the drain loop: it waits for the next run."""
        still = self.state.still_due([r.seq for r in rows], time.time())
        if still:
            self.state.retry_later(still, wait=self.job.retry_backoff, error="unsettled",
                                   job=self.job.name, direction=direction,
                                   max_attempts=self.job.max_attempts)

    def _status(self, seq: int) -> str:
        return self.state.status_of(seq)

    def _recover(self) -> None:
        """Redo push batches a killed worker left half done (same batch id, same moment, so
        the same AuditEvent ids: a disclosure record is overwritten, never doubled)."""
        if not self.job.pushes:
            return
        for batch, at, payload in self.state.interrupted_batches(self.job.name):
            rows = self.state.rows_of_batch(batch)
            if rows:
                log.info("job %s: redoing an interrupted push batch of %d", self.job.name,
                         len(rows))
            if not self.kind.redo(batch, at, payload, rows):
                self.state.end_disclosure(batch)

    # ------------------------------------------------------------------ FHIR target
    def _sides(self, direction: str) -> tuple[str, str, FhirSide | None, FhirSide]:
        """(source name, target name, source side, target side)."""
        if direction == PULL:
            return PARTNER, LOCAL, self.partner, self.local
        assert self.partner is not None
        return LOCAL, PARTNER, self.local, self.partner

    def fhir_batch(self, direction: str, rows: Sequence[Row], *, batch: str | None = None,
                    at: datetime | None = None) -> None:
        """One batch to a FHIR target, start to end (recovery and single batches)."""
        prepared = self._prepare(direction, rows, batch=batch, at=at)
        results = write(prepared.target, prepared.writes, prepared.permitted) \
            if prepared.writes else []
        self._complete(prepared, results)

    def _prepare(self, direction: str, rows: Sequence[Row], *, batch: str | None = None,
                 at: datetime | None = None) -> _Prepared:
        """Everything before the write: validate what comes in; keys and links; leave out
        echoes, duplicates and keys with an open conflict; bring in dependencies; (push) the
        guard; target ids; translation; reserved ids; the target's versions; merges."""
        source_name, target_name, source, target = self._sides(direction)
        at = at or self.clock()
        actions = self._actions = BatchActions(self.job.name, direction)
        items: list[Item] = []
        deferred: list[Row] = []
        for row in rows:
            if (row.rtype, row.rid) in self._inflight:
                # Another version of it is being written: one writer per resource; it waits
                # for the next batch (which reads the result of this one).
                deferred.append(row)
                continue
            if row.deleted or row.content is None:
                self._deleted(direction, row)
                continue
            item = Item.of_row(row)
            if row.reason == "retried" and direction == PULL and source is not None:
                # A dead-letter entry put back (`sync retry`): take it again from the partner,
                # the kept copy is what failed.
                try:
                    fresh = source.read(row.rtype, row.rid)
                except (InvalidResponse, LimitExceeded) as error:
                    self._unreadable(direction, item, error)
                    continue
                if fresh is not None:
                    item.content = fresh
                    item.version = str(fresh.get("meta", {}).get("versionId") or row.version)
            items.append(item)
        if direction == PULL and self.kind.validates_inbound:
            items = [i for i in items if self._valid(direction, i)]
        for item in items:
            item.key, item.link = self._key(item.content, source_name, item.rtype,
                                            item.source_id)
        items = [i for i in items if not self._echo(direction, i, source_name)
                 and not self._older(i, source_name)]
        items = self._unique(direction, items)
        items = [i for i in items if not self._held(direction, i)]
        items += self._dependencies(direction, items, source_name, source)
        permitted: Permitted | None = None
        if direction == PUSH:
            permitted = self.guard.share([i.content for i in items], at)
            items = self._guarded(items, permitted)
            batch = batch or str(uuid.uuid4())
            self.state.begin_disclosure(self.job.name, batch, utc_instant(at),
                                        [i.row.seq for i in items if i.row is not None])
        else:
            for item in items:
                item.payload = item.content
        self._choose_target_ids(items, target_name, target)
        ready = self._translate(direction, items, source_name, target_name, source)
        self._reserve(direction, ready)
        self._read_current(ready, target)
        writes = self._plan(direction, ready)
        seqs = {r.seq for r in rows} | {i.row.seq for i in items if i.row is not None}
        seqs |= actions.seqs()
        taken = [r for r in rows if r not in deferred]
        return _Prepared(direction, taken, items, ready, writes, permitted, batch, target,
                         seqs - {r.seq for r in deferred}, actions)

    def _complete(self, prepared: _Prepared, results: list[Written]) -> None:
        """After the write: what the answers mean (re-read and merge again after a 412),
        links, bases and row states in one SQLite transaction, the disclosure records."""
        direction = prepared.direction
        self._actions = prepared.actions
        self._write_rounds(direction, prepared.ready, prepared.target, prepared.permitted,
                           first=(prepared.writes, results))
        if direction == PULL:
            self._flag_unmatched(prepared.items)
        self._commit(direction, prepared.items, self.report.counts(direction))
        batch, permitted = prepared.batch, prepared.permitted
        if direction == PUSH and permitted is not None and batch is not None:
            sent = [i.ref for i in prepared.items if i.outcome in ("applied", "unchanged-sent")]
            events = self.guard.audit_events(permitted, sent, batch)
            # If this fails the disclosure happened but its record is not kept yet: the batch
            # stays "sending" and is redone with the same AuditEvent ids (batch_failed).
            store_own(self.local, events)
            self.state.end_disclosure(batch)

    def _flag_unmatched(self, items: list[Item]) -> None:
        """A review flag on each new local person that came without a BSN (the handover
        intake's rule, handover/identity.py). Written before the batch is committed: if it
        fails, the batch is retried and the flag is written then (same id, so never twice)."""
        partner = self.kind.address()
        for item in items:
            if item.outcome not in ("applied", "unchanged") or not _without_bsn(item.content):
                continue
            ref = f"Patient/{item.target_id}"
            flag = flag_for_review(partner, ref, NO_BSN, self.clock())
            if self.state.flagged(self.job.name, ref, flag["id"]):
                continue
            store_own(self.local, [flag])
            self.state.note_flag(self.job.name, ref, flag["id"], NO_BSN)
            self.report.pull.flagged += 1

    def _translate(self, direction: str, items: list[Item], source_name: str,
                   target_name: str, source: FhirSide | None) -> list[Item]:
        """Each payload in the target's ids; an item whose references have no target id (a
        type the job does not synchronise, or a resource that may not go) is dead-lettered."""
        ids = self._id_map(items, source_name, target_name)
        base_url = source.base_url if source is not None else None
        ready: list[Item] = []
        for item in items:
            assert item.payload is not None
            assert item.target_id is not None
            out, missing = rewrite_references(item.payload, ids, base_url)
            if missing:
                kinds = ", ".join(sorted({kind for kind, _ in missing}))
                self._dead(direction, item, "unresolved-reference",
                           f"refers to a {kinds} this job does not synchronise (or that may "
                           f"not go)")
                continue
            out["id"] = item.target_id
            item.out = out
            ready.append(item)
        return ready

    def _reserve(self, direction: str, items: list[Item]) -> None:
        """Record which id each item gets on the target before anything is written. When the
        answer to a write is lost, the target holds the resource while the state holds no
        version of it: the reserved ids let both directions recognise it as this key's (not as
        a new resource of the other side) and find it already there."""
        with self.state.tx():
            for item in items:
                link = item.link
                target_name = LOCAL if direction == PULL else PARTNER
                if link is not None and link.id_on(target_name) == item.target_id:
                    continue
                local_id, partner_id = (item.target_id, item.source_id) if direction == PULL \
                    else (item.source_id, item.target_id)
                item.link = Link(self.job.name, item.key, item.rtype, local_id,
                                 link.local_version if link else None, partner_id,
                                 link.partner_version if link else None,
                                 link.base if link else None)
                self.state.save_link(item.link)

    def _write_rounds(self, direction: str, ready: list[Item], target: FhirSide,
                      permitted: Permitted | None, *,
                      first: tuple[list[Write], list[Written]]) -> None:
        """The answers to the first write; when the target moved on in between (412/409),
        read and merge again, a few rounds, then retry later."""
        writes, results = first
        for round_ in range(CONFLICT_ROUNDS):
            if round_:
                # The target moved on: read everything again, the link (base) included.
                for item in ready:
                    item.link = self.state.link(self.job.name, item.key) or item.link
                self._read_current(ready, target)
                writes = self._plan(direction, ready)
                results = write(target, writes, permitted) if writes else []
            by_target = {(w.rtype, w.rid): r for w, r in zip(writes, results, strict=True)}
            again = []
            for item in ready:
                if item.outcome != "write":
                    continue
                written = by_target[(item.rtype, item.target_id or "")]
                self._written(direction, item, written, final=round_ == CONFLICT_ROUNDS - 1)
                if item.outcome == "conflict":
                    again.append(item)
            ready = again
            if not ready:
                break

    def _key(self, resource: Resource, side: str, rtype: str, rid: str
             ) -> tuple[str, Link | None]:
        """The business key of a resource (its link's key when it was synchronised before)."""
        link = self.state.link_by_id(self.job.name, side, rtype, rid)
        if link is not None:
            return link.key, link
        key = business_key(resource, self.job.identifier_systems) or origin_key(rtype, side, rid)
        return key, self.state.link(self.job.name, key)

    def _echo(self, direction: str, item: Item, source_name: str) -> bool:
        """A version the sync itself wrote as a pure copy of the other side's change: done."""
        link = item.link
        if link is None or item.row is None or link.id_on(source_name) != item.source_id \
                or link.version_on(source_name) != item.version:
            return False
        self._actions.finish(item.row.seq, DONE, "echo")
        self.report.counts(direction).unchanged += 1
        return True

    def _older(self, item: Item, source_name: str) -> bool:
        """A version older than the one already taken from that side (the history is read
        newest first, so an older version may come after a newer one was applied): done."""
        link = item.link
        taken = link.version_on(source_name) if link and link.id_on(source_name) == \
            item.source_id else None
        if item.row is None or not (taken and taken.isdigit() and item.version.isdigit()) \
                or int(item.version) >= int(taken):
            return False
        self._actions.finish(item.row.seq, "superseded", "an older version than the one taken")
        return True

    def _valid(self, direction: str, item: Item) -> bool:
        """Everything that comes in passes validation (ARCHITECTURE.md §1); what fails is kept
        in the dead letter with the rules."""
        errors = _validation_errors(item.content)
        if not errors:
            return True
        rule, message = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        self._dead(direction, item, rule, f"{message}{more}"[:500])
        return False

    def _unique(self, direction: str, items: list[Item]) -> list[Item]:
        """One item per key (duplicates inside one bundle are removed before sending): the
        newest version of a resource wins; a second source resource with the same business
        key is a duplicate on the source side and goes to the dead letter."""
        chosen: dict[str, Item] = {}
        for item in items:
            other = chosen.get(item.key)
            linked_id = item.link.id_on(LOCAL if direction == PUSH else PARTNER) \
                if item.link else None
            if linked_id is not None and linked_id != item.source_id:
                self._dead(direction, item, "duplicate-key",
                           "another resource on the source side has the same business "
                           "identifier")
                continue
            if other is None:
                chosen[item.key] = item
            elif other.source_id == item.source_id:
                newer, older = (item, other) if _newer(item, other) else (other, item)
                chosen[item.key] = newer
                self._finish(direction, older, "superseded")
            else:
                self._dead(direction, item, "duplicate-key",
                           "another resource in this batch has the same business identifier")
        return list(chosen.values())

    def _held(self, direction: str, item: Item) -> bool:
        conflict = self.state.open_conflict(self.job.name, item.key)
        if conflict is None:
            return False
        ours, theirs = (None, item.content) if direction == PULL else (item.content, None)
        # The open conflict is refreshed with this newest version; the row waits for it.
        self._actions.park(item.row.seq if item.row is not None else None, key=item.key,
                           rtype=item.rtype, kind=conflict.kind, direction=direction,
                           local_id=None, partner_id=None, base=None, ours=ours, theirs=theirs,
                           ours_version=item.version if direction == PUSH else None,
                           theirs_version=item.version if direction == PULL else None,
                           fields=())
        self.report.counts(direction).held += 1
        return True

    def _dependencies(self, direction: str, items: list[Item], source_name: str,
                      source: FhirSide | None) -> list[Item]:
        """Resources the batch refers to that the target does not have yet (never linked),
        brought into the batch: pending rows of this direction first, else read from a FHIR
        source. A target like HAPI refuses a reference to a resource it does not hold."""
        have = {i.ref for i in items}
        added: list[Item] = []
        frontier = list(items)
        for _ in range(DEPENDENCY_ROUNDS):
            wanted: set[Ref] = set()
            for item in frontier:
                for ref in references(item.content, source.base_url if source else None):
                    if ref in have or ref in self._inflight or ref[0] not in self.types:
                        continue
                    link = self.state.link_by_id(self.job.name, source_name, *ref)
                    # Only a link in step (with a base) means the target has it.
                    if link is None or link.base is None or link.id_on(
                            LOCAL if source_name == PARTNER else PARTNER) is None:
                        wanted.add(ref)
            frontier = []
            for rtype, rid in sorted(wanted):
                have.add((rtype, rid))
                rows = [r for r in self.state.pending_for(self.job.name, direction, rtype, rid)
                        if r.status == "pending" and not r.deleted and r.content]
                if rows:
                    item = Item.of_row(rows[-1])
                    for older in rows[:-1]:
                        self._actions.finish(older.seq, "superseded")
                elif source is not None:
                    try:
                        resource = source.read(rtype, rid)
                    except (InvalidResponse, LimitExceeded) as error:
                        # One unreadable resource: kept as a dead letter of its own; what
                        # refers to it fails on its reference, the rest of the batch goes.
                        self._unreadable(direction, Item(None, rtype, rid, "0", {}), error)
                        continue
                    if resource is None:
                        continue
                    version = str(resource.get("meta", {}).get("versionId") or "0")
                    item = Item(None, rtype, rid, version, resource)
                else:
                    continue
                if direction == PULL and self.kind.validates_inbound \
                        and not self._valid(direction, item):
                    continue
                item.key, item.link = self._key(item.content, source_name, rtype, rid)
                if self.state.open_conflict(self.job.name, item.key) is not None:
                    continue
                added.append(item)
                frontier.append(item)
            if not frontier:
                break
        return added

    def _guarded(self, items: list[Item], permitted: Permitted) -> list[Item]:
        """Keep what the guard permits, as its copies; record the rest as denied. A resource
        that refers to one kept back cannot go either (its reference would dangle)."""
        kept = []
        denied = set(permitted.denied)
        changed = True
        while changed:  # denial spreads to referrers
            changed = False
            for item in items:
                if item.ref not in denied and references(item.content) & denied:
                    denied.add(item.ref)
                    permitted.copies.pop(item.ref, None)
                    permitted.denied[item.ref] = ("refers to a resource that may not go",)
                    changed = True
        for item in items:
            if item.ref in denied:
                reasons = permitted.denied.get(item.ref, ())
                if item.row is not None:
                    self._actions.finish(item.row.seq, DENIED, "; ".join(reasons)[:500])
                self.report.push.denied += 1
                item.outcome = "denied"
                continue
            item.payload = permitted.copies[item.ref]
            kept.append(item)
        return kept

    def _choose_target_ids(self, items: list[Item], target_name: str,
                           target: FhirSide) -> None:
        """The target's id for each item: its link's, else an existing resource with the same
        business identifier (for persons and organisations), else the derived id."""
        secret = self.state.secret
        searching: dict[str, list[Item]] = {}
        for item in items:
            linked = item.link.id_on(target_name) if item.link else None
            if linked:
                item.target_id = linked
            elif item.rtype in self.job.match_by_identifier and not is_origin_key(item.key) \
                    and not (target_name == LOCAL and _without_bsn(item.content)):
                # A partner's person without a BSN is never merged with one of ours on some
                # other identifier: a new record, flagged for review (_flag_unmatched).
                searching.setdefault(item.rtype, []).append(item)
            else:
                item.target_id = derived_id(item.key, secret)
        for rtype, group in searching.items():
            found = target.find_by_identifiers(rtype, [key_token(i.key) for i in group])
            for item in group:
                matches = found.get(key_token(item.key), [])
                ids = sorted({m["id"] for m in matches})
                taken = ids and self.state.link_by_id(self.job.name, target_name, rtype, ids[0])
                if len(ids) == 1 and not (taken and taken.key != item.key):
                    item.target_id = ids[0]
                elif len(ids) > 1:
                    item.outcome = "dead"
                    item.target_id = derived_id(item.key, secret)
                else:
                    item.target_id = derived_id(item.key, secret)

    def _id_map(self, items: list[Item], source_name: str, target_name: str
                ) -> dict[Ref, str]:
        """Source (type, id) -> target id, for the batch and everything its links know (for a
        pull also the references in the bases, which are kept in the partner's ids)."""
        ids: dict[Ref, str] = {i.ref: i.target_id for i in items if i.target_id}
        wanted = {ref for i in items for ref in references(i.payload or i.content)}
        if source_name == PARTNER:
            wanted |= {ref for i in items for ref in self._base_refs(i)}
        for ref, link in self.state.links_by_ids(self.job.name, source_name,
                                                 wanted - set(ids)).items():
            target = link.id_on(target_name)
            if target:
                ids[ref] = target
        return ids

    def _base_refs(self, item: Item) -> set[Ref]:
        return references(item.link.base) if item.link and item.link.base else set()

    def _read_current(self, items: list[Item], target: FhirSide) -> None:
        by_type: dict[str, list[Item]] = {}
        for item in items:
            by_type.setdefault(item.rtype, []).append(item)
        for rtype, group in by_type.items():
            found = target.read_many(rtype, [i.target_id or "" for i in group])
            for item in group:
                item.current = found.get(item.target_id or "")

    def _base_on_target(self, direction: str, item: Item) -> Resource | None:
        """The base (kept in the partner's form) in the target's ids."""
        if item.link is None or item.link.base is None:
            return None
        if direction == PUSH:
            return item.link.base
        ids = {ref: link.local_id for ref, link in self.state.links_by_ids(
            self.job.name, PARTNER, references(item.link.base)).items() if link.local_id}
        translated, _ = rewrite_references(item.link.base, ids)
        return translated

    def _plan(self, direction: str, items: list[Item]) -> list[Write]:
        """The planner's actions for the items (sync/plan.py: pure); the Writes to send. Parks
        and dead-letter entries are recorded in the batch's actions, applied with the rest."""
        inputs = [PlanInput(i.rtype, i.target_id or "", i.out or {}, i.current,
                            self._base_on_target(direction, i),
                            duplicate_on_target=i.outcome == "dead") for i in items]
        writes: list[Write] = []
        for item, action in zip(items, plan_batch(inputs, direction, self.rules), strict=True):
            item.action = action
            if action.outcome is Outcome.WRITE:
                assert action.resource is not None
                item.outcome, item.pure = "write", action.pure
                writes.append(Write(item.rtype, item.target_id or "", action.resource,
                                    action.if_match, item.ref))
            elif action.outcome is Outcome.UNCHANGED:
                item.outcome, item.pure = "unchanged", action.pure
            elif action.outcome is Outcome.PARK:
                self._park(direction, item, action.kind or "edit", fields=action.fields)
            else:
                self._dead(direction, item, action.rule or "dead", action.message or "")
        return writes

    def _legal_move(self, item: PlanInput, candidate: Resource
                    ) -> tuple[str, tuple[str, ...]] | None:
        """Inbound check (sync/plan.py) of issue 21: an agreed action from the partner moves
        only as the state machine allows the partner's organisation (``sync.moves``);
        otherwise it is parked as ``illegal-transition`` (fields: ``status`` and the rule), not
        written. It reads our records (who the partner acts for), so it lives with the run."""
        if item.rtype != "Task":
            return None
        problem = illegal_move(job=self.job.name, actor=self.job.recipient, state=self.state,
                               local=self.local, current=item.current, candidate=candidate)
        return None if problem is None else (MOVE_CONFLICT, ("status", problem))

    def _written(self, direction: str, item: Item, written: Written, *, final: bool) -> None:
        if written.kind == "ok":
            item.outcome = "applied"
            if item.current is None:
                item.current = {"meta": {"versionId": written.version}}
            else:
                item.current = dict(item.current, meta={"versionId": written.version})
        elif written.kind == "conflict" and not final:
            item.outcome = "conflict"
        elif written.kind == "refused":
            self._dead(direction, item, written.rule, written.message[:500])
        else:
            wait = max(written.wait, self._backoff(item))
            item.outcome = "retry"
            if item.row is not None:
                self._actions.retry(item.row.seq, wait, written.rule or "conflict")

    def _backoff(self, item: Item) -> float:
        attempts = item.row.attempts if item.row else 0
        return min(self.job.retry_cap, self.job.retry_backoff * (2 ** attempts))

    def _commit(self, direction: str, items: list[Item], counts: Counts) -> None:
        """The batch's actions — links and bases of what arrived, row states, parked
        conflicts, dead-letter entries, retries — in one transaction (sync/executor.py)."""
        actions = self._actions
        for item in items:
            if item.outcome not in ("applied", "unchanged"):
                continue
            version = str((item.current or {}).get("meta", {}).get("versionId") or "") \
                or None
            # The target's version is kept only when it is a pure echo of this change (see
            # Item.pure); otherwise it carries something of the target's own that the other
            # direction still has to take, and must not be skipped as an echo.
            echo = version if item.pure else None
            if direction == PULL:
                link = Link(self.job.name, item.key, item.rtype, item.target_id, echo,
                            item.source_id, item.version, content(item.content))
            else:
                link = Link(self.job.name, item.key, item.rtype, item.source_id,
                            item.version, item.target_id, echo, content(item.out))
            actions.save_link(link)
            if item.row is not None:
                actions.finish(item.row.seq, DONE, item.outcome)
            if item.outcome == "applied":
                counts.applied += 1
                if not item.pure:
                    self.report.followup = True
            elif item.row is not None:
                counts.unchanged += 1
                if item.row.status == "sending":
                    item.outcome = "unchanged-sent"
        self._apply(actions, direction)

    def _apply(self, actions: BatchActions, direction: str) -> None:
        """The batch's recorded actions, in one transaction of the state store."""
        applied = actions.apply(self.state, max_attempts=self.job.max_attempts)
        counts = self.report.counts(direction)
        counts.retried += applied.retried
        counts.dead += applied.dead_after_retries

    def _park(self, direction: str, item: Item, kind: str, *, fields: Sequence[str]) -> None:
        """Park a conflict for a person: ours = our server's version, theirs = the partner's."""
        local_version = partner_version = None
        if direction == PULL:
            ours, theirs = item.current, item.content
            local_id, partner_id = item.target_id, item.source_id
            partner_version = item.version
            local_version = str((ours or {}).get("meta", {}).get("versionId") or "") or None
        else:
            ours, theirs = item.content, item.current
            local_id, partner_id = item.source_id, item.target_id
            local_version = item.version
            partner_version = str((theirs or {}).get("meta", {}).get("versionId") or "") or None
        self._actions.park(
            item.row.seq if item.row is not None else None, key=item.key, rtype=item.rtype,
            kind=kind, direction=direction, local_id=local_id, partner_id=partner_id,
            base=item.link.base if item.link else None, ours=ours, theirs=theirs,
            ours_version=local_version, theirs_version=partner_version, fields=tuple(fields))
        item.outcome = "held"
        self.report.counts(direction).conflicts += 1
        log.info("job %s: conflict parked (%s, %s)", self.job.name, item.rtype, kind)

    def _unreadable(self, direction: str, item: Item, error: FhirClientError) -> None:
        rule = "invalid-response" if isinstance(error, InvalidResponse) else "limit-exceeded"
        self._dead(direction, item, rule, f"reading it from the source failed: {error}"[:500])

    def _dead(self, direction: str, item: Item, rule: str, message: str) -> None:
        item.outcome = "dead"
        if item.row is not None:
            self._actions.dead_letter(item.row, rule, message)
        else:
            self._actions.dead_letter(None, rule, message, content=item.content,
                                      rtype=item.rtype, rid=item.source_id,
                                      version=item.version)
        self.report.counts(direction).dead += 1

    def _finish(self, direction: str, item: Item, status: str, reason: str = "") -> None:
        if item.row is not None:
            self._actions.finish(item.row.seq, status, reason or None)
        if status == SKIPPED:
            self.report.counts(direction).skipped += 1

    def _deleted(self, direction: str, row: Row) -> None:
        """A deletion is never copied on its own: deleting care records is for a person to
        decide (``sync resolve``). Unlinked: nothing to do."""
        source_name, target_name, _, target = self._sides(direction)
        link = self.state.link_by_id(self.job.name, source_name, row.rtype, row.rid)
        target_id = link.id_on(target_name) if link else None
        if link is None or target_id is None:
            self._actions.finish(row.seq, SKIPPED, "deleted before it was synchronised")
            self.report.counts(direction).skipped += 1
            return
        current = target.read(row.rtype, target_id)
        if current is None:
            self._actions.finish(row.seq, DONE, "deleted on both sides")
            return
        ours, theirs = (current, None) if direction == PULL else (None, current)
        self._actions.park(
            row.seq, key=link.key, rtype=row.rtype,
            kind="deleted-on-partner" if direction == PULL else "deleted-locally",
            direction=direction, local_id=link.local_id, partner_id=link.partner_id,
            base=link.base, ours=ours, theirs=theirs,
            ours_version=str(current.get("meta", {}).get("versionId")) if ours else row.version,
            theirs_version=row.version if ours else str(current.get("meta", {}).get(
                "versionId")), fields=())
        self.report.counts(direction).conflicts += 1


def run_job(config: Config, job: Job, state: StateStore, *,
            clients: dict[str, Any] | None = None,
            clock: Callable[[], datetime] | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> JobReport:
    """Run one job once (see :class:`JobRun`); clients are made from the configuration unless
    given (``{"local": FhirClient, "partner": FhirClient}``).

    Example::

        report = run_job(config, config.job("gemeente"), open_state(config.state))
        print(report.pull.line(), report.push.line())
    """
    clients = dict(clients or {})
    local = clients.get(LOCAL) or config.local.client()
    partner = None
    if not isinstance(job.partner, FilePartner):
        partner = FhirSide(clients.get(PARTNER) or job.partner.client(), PARTNER)
    runner = JobRun(config, job, state, FhirSide(local, LOCAL), partner,
                    clock=clock or (lambda: datetime.now(UTC)), progress=progress)
    return runner.run()


def summary(report: JobReport, out: TextIO) -> None:
    """One line per direction of a run (counts only)."""
    for direction in (PULL, PUSH):
        line = report.counts(direction).line()
        if line:
            print(f"{report.job} {direction}: {line}", file=out)
    for name in report.exports:
        print(f"{report.job}: export {name}", file=out)
    for error in report.errors:
        print(f"{report.job}: {error}", file=out)
