"""The executor: a batch's outcomes applied to the state store in one transaction.

While a batch is prepared and written, the engine records what it decided for each queued row
here instead of writing it to the state store at once: dead-letter entries, parked conflicts
(with the rows they hold), row states, retries with their wait, and, after the write, the
links and bases of what arrived. :meth:`BatchActions.apply` then writes them all in one
transaction of the state store, so a batch is recorded entirely or not at all; a worker killed
before that commit leaves the rows as they were, and the next run plans them again (every step
before the commit can be repeated, docs/sync.md "Durability").

Two state writes are deliberately not deferred, because they must be durable *before* anything
is sent: the target ids reserved for a batch (links without a version) and, for a push, the
batch's disclosure record with its rows marked ``sending``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fhir_regie.sync.state import HELD, Link, Row, StateStore


@dataclass
class _Park:
    fields: dict[str, Any]
    seq: int | None


@dataclass
class _Dead:
    row: Row | None
    rule: str
    message: str
    content: Any = None
    rtype: str | None = None
    rid: str | None = None
    version: str | None = None


@dataclass
class Applied:
    """What :meth:`BatchActions.apply` did that the engine counts."""

    retried: int = 0
    dead_after_retries: int = 0


@dataclass
class BatchActions:
    """The state changes one batch decided, applied together by :meth:`apply`."""

    job: str
    direction: str
    dead: list[_Dead] = field(default_factory=list)
    parks: list[_Park] = field(default_factory=list)
    finished: list[tuple[int, str, str | None]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    retries: list[tuple[int, float, str]] = field(default_factory=list)

    # ------------------------------------------------------------------ recording
    def dead_letter(self, row: Row | None, rule: str, message: str, *, content: Any = None,
                    rtype: str | None = None, rid: str | None = None,
                    version: str | None = None) -> None:
        self.dead.append(_Dead(row, rule, message, content, rtype, rid, version))

    def park(self, seq: int | None, **fields: Any) -> None:
        """A conflict parked (or the open one of its key refreshed); the row is held by it."""
        self.parks.append(_Park(fields, seq))

    def finish(self, seq: int, status: str, reason: str | None = None) -> None:
        self.finished.append((seq, status, reason))

    def finish_all(self, seqs: Iterable[int], status: str, reason: str | None = None) -> None:
        for seq in seqs:
            self.finish(seq, status, reason)

    def save_link(self, link: Link) -> None:
        self.links.append(link)

    def retry(self, seq: int, wait: float, error: str) -> None:
        self.retries.append((seq, wait, error))

    def discard(self) -> None:
        """Forget what was recorded (the batch failed and is retried as a whole)."""
        self.dead, self.parks, self.finished, self.links, self.retries = [], [], [], [], []

    def seqs(self) -> set[int]:
        """Every queued row this batch settles."""
        found = {seq for seq, _, _ in self.finished} | {seq for seq, _, _ in self.retries}
        found |= {d.row.seq for d in self.dead if d.row is not None}
        found |= {p.seq for p in self.parks if p.seq is not None}
        return found

    # ------------------------------------------------------------------ applying
    def apply(self, state: StateStore, *, max_attempts: int) -> Applied:
        """Everything recorded, in one transaction of the state store; then empty."""
        applied = Applied()
        with state.tx():
            for letter in self.dead:
                state.dead_letter(self.job, self.direction, letter.row, letter.rule,
                                  letter.message, content=letter.content, rtype=letter.rtype,
                                  rid=letter.rid, version=letter.version)
            for parked in self.parks:
                conflict = state.park(job=self.job, **parked.fields)
                if parked.seq is not None:
                    state.finish([parked.seq], HELD, f"conflict {conflict}")
            for seq, status, reason in self.finished:
                state.finish([seq], status, reason)
            for link in self.links:
                state.save_link(link)
            by_wait: dict[tuple[float, str], list[int]] = {}
            for seq, wait, error in self.retries:
                by_wait.setdefault((wait, error), []).append(seq)
            for (wait, error), seqs in by_wait.items():
                dead = state.retry_later(seqs, wait=wait, error=error, job=self.job,
                                         direction=self.direction, max_attempts=max_attempts)
                applied.retried += len(seqs) - len(dead)
                applied.dead_after_retries += len(dead)
        self.discard()
        return applied
