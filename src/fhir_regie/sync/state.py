"""The sync state store: one SQLite file in WAL mode (ARCHITECTURE.md §5).

What it holds, per job:

- ``cursors``: how far each direction has read its source (``(lastUpdated, id)`` of the newest
  change seen, or the last export of a drop directory);
- ``queue``: every change seen, one row per (direction, type, id, version): the pull *inbox* and
  the push *outbox*. A row is ``pending`` until it is ``done``, ``skipped`` (nothing to do),
  ``denied`` (the consent guard kept it back), ``held`` (its resource has an open conflict),
  ``superseded`` (a newer version came), ``dead`` (dead-letter) or ``sending`` (a push batch in
  flight). Because a version is queued once, re-reading the overlap window never duplicates;
- ``links``: per business key, the resource's id and version on our server and on the
  partner's side, and the *base*: the content both sides last agreed on (partner form), which
  three-way merges start from;
- ``conflicts`` with base, ours (our server) and theirs (the partner), parked for a person;
- ``dead_letter``: what could not be processed, with the rule and the content, never dropped;
- ``attempts``: one row per failed attempt (error class and wait, no personal data);
- ``disclosures``: push batches decided by the guard (batch id and moment), so a restarted
  worker redoes an interrupted batch under the same decision and the same AuditEvent ids;
- ``exports`` (drop directories read) and ``records`` (file partners' records as last seen and
  last sent), ``leases`` (which worker runs which job).

Durability: WAL with ``synchronous=FULL``: a commit is on disk before the call returns, so a
killed process loses at most the work after its last commit, and every step after a commit is
idempotent (docs/sync.md, "Durability"). The file holds personal data (queued resources,
conflict versions): it is created readable by its owner only.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cursors (
  job TEXT NOT NULL, direction TEXT NOT NULL, position TEXT NOT NULL, rid TEXT NOT NULL DEFAULT '',
  floor TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (job, direction));
CREATE TABLE IF NOT EXISTS queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job TEXT NOT NULL, direction TEXT NOT NULL, rtype TEXT NOT NULL, rid TEXT NOT NULL,
  version TEXT NOT NULL, last_updated TEXT NOT NULL, grp TEXT, deleted INTEGER NOT NULL DEFAULT 0,
  content TEXT, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
  next_at REAL NOT NULL DEFAULT 0, batch TEXT, reason TEXT, updated_at TEXT NOT NULL,
  UNIQUE (job, direction, rtype, rid, version));
CREATE INDEX IF NOT EXISTS queue_due ON queue (job, direction, status, next_at, seq);
CREATE INDEX IF NOT EXISTS queue_order ON queue (job, direction, status, last_updated, seq);
CREATE INDEX IF NOT EXISTS queue_resource ON queue (job, direction, rtype, rid, status);
CREATE INDEX IF NOT EXISTS queue_batch ON queue (batch) WHERE batch IS NOT NULL;
CREATE TABLE IF NOT EXISTS links (
  job TEXT NOT NULL, key TEXT NOT NULL, rtype TEXT NOT NULL,
  local_id TEXT, local_version TEXT, partner_id TEXT, partner_version TEXT, base TEXT,
  updated_at TEXT NOT NULL, PRIMARY KEY (job, key));
CREATE UNIQUE INDEX IF NOT EXISTS links_local ON links (job, rtype, local_id);
CREATE UNIQUE INDEX IF NOT EXISTS links_partner ON links (job, rtype, partner_id);
CREATE TABLE IF NOT EXISTS conflicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, key TEXT NOT NULL,
  rtype TEXT NOT NULL, kind TEXT NOT NULL, direction TEXT NOT NULL, local_id TEXT,
  partner_id TEXT, base TEXT, ours TEXT, theirs TEXT, ours_version TEXT, theirs_version TEXT,
  fields TEXT NOT NULL DEFAULT '[]', status TEXT NOT NULL DEFAULT 'open',
  created_at TEXT NOT NULL, resolved_at TEXT, resolution TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS conflicts_open ON conflicts (job, key) WHERE status = 'open';
CREATE TABLE IF NOT EXISTS dead_letter (
  id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, direction TEXT NOT NULL,
  queue_seq INTEGER, rtype TEXT, rid TEXT, version TEXT, rule TEXT NOT NULL,
  message TEXT NOT NULL, content TEXT, status TEXT NOT NULL DEFAULT 'open',
  created_at TEXT NOT NULL, retried_at TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS dead_letter_row ON dead_letter (queue_seq)
  WHERE queue_seq IS NOT NULL AND status = 'open';
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, direction TEXT NOT NULL,
  at TEXT NOT NULL, items INTEGER NOT NULL, outcome TEXT NOT NULL, error TEXT, wait REAL);
CREATE TABLE IF NOT EXISTS disclosures (
  batch TEXT PRIMARY KEY, job TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
  payload TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exports (
  job TEXT NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL, status TEXT NOT NULL,
  seen_at TEXT NOT NULL, PRIMARY KEY (job, name, digest));
CREATE TABLE IF NOT EXISTS records (
  job TEXT NOT NULL, record TEXT NOT NULL, partner_rows TEXT, partner_at TEXT, sent_rows TEXT,
  sent_at TEXT, PRIMARY KEY (job, record));
CREATE TABLE IF NOT EXISTS dead_letter_outcome (
  letter INTEGER PRIMARY KEY, reason TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS review_flags (
  job TEXT NOT NULL, local_ref TEXT NOT NULL, flag_id TEXT NOT NULL, reason TEXT NOT NULL,
  created_at TEXT NOT NULL, PRIMARY KEY (job, local_ref, flag_id));
CREATE TABLE IF NOT EXISTS leases (
  job TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
  expires REAL NOT NULL);
"""

PENDING, SENDING, DONE, SKIPPED = "pending", "sending", "done", "skipped"
_MISSING = object()
DENIED, HELD, SUPERSEDED, DEAD = "denied", "held", "superseded", "dead"
#: Statuses after which a row needs nothing more.
FINAL = (DONE, SKIPPED, DENIED, SUPERSEDED, DEAD)


def open_state(location: str | os.PathLike[str], timeout: float = 30.0) -> StateStore:
    """The state store a configuration names: a SQLite file (the embedded default), or a
    PostgreSQL database (``postgresql://user@host:port/database``, sync/state_pg.py)."""
    if isinstance(location, str) and location.startswith(("postgresql://", "postgres://")):
        from fhir_regie.sync.state_pg import PostgresStateStore

        return PostgresStateStore(location, timeout)
    return StateStore(location, timeout)


class StateError(RuntimeError):
    """The state file cannot be used (another schema, not SQLite); one line, no data."""


def now_text() -> str:
    """The current UTC moment as a FHIR instant with milliseconds (``...Z``)."""
    return utc_instant(datetime.now(UTC))


def utc_instant(moment: datetime) -> str:
    """A FHIR instant in UTC with milliseconds and ``Z``: the form sekmet compares as text."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_instant(text: str) -> datetime:
    """A FHIR instant (any offset, any precision) as an aware datetime."""
    value = text.strip().replace("Z", "+00:00")
    return datetime.fromisoformat(value)


def normal_instant(text: str | None) -> str:
    """Any server's instant as :func:`utc_instant` text (HAPI answers with its own offset)."""
    if not text:
        return "0000-00-00T00:00:00.000Z"
    try:
        return utc_instant(parse_instant(text))
    except ValueError:
        return text


@dataclass(frozen=True)
class Row:
    """One queued change."""

    seq: int
    job: str
    direction: str
    rtype: str
    rid: str
    version: str
    last_updated: str
    grp: str | None
    deleted: bool
    content: dict[str, Any] | None
    status: str
    attempts: int
    next_at: float
    batch: str | None
    reason: str | None

    @classmethod
    def of(cls, row: sqlite3.Row) -> Row:
        return cls(row["seq"], row["job"], row["direction"], row["rtype"], row["rid"],
                   row["version"], row["last_updated"], row["grp"], bool(row["deleted"]),
                   json.loads(row["content"]) if row["content"] else None, row["status"],
                   row["attempts"], row["next_at"], row["batch"], row["reason"])


@dataclass(frozen=True)
class Link:
    """What the engine knows of one business key on both sides."""

    job: str
    key: str
    rtype: str
    local_id: str | None
    local_version: str | None
    partner_id: str | None
    partner_version: str | None
    base: dict[str, Any] | None

    @classmethod
    def of(cls, row: sqlite3.Row) -> Link:
        return cls(row["job"], row["key"], row["rtype"], row["local_id"], row["local_version"],
                   row["partner_id"], row["partner_version"],
                   json.loads(row["base"]) if row["base"] else None)

    def id_on(self, side: str) -> str | None:
        return self.local_id if side == "local" else self.partner_id

    def version_on(self, side: str) -> str | None:
        return self.local_version if side == "local" else self.partner_version


@dataclass(frozen=True)
class Conflict:
    id: int
    job: str
    key: str
    rtype: str
    kind: str
    direction: str
    local_id: str | None
    partner_id: str | None
    base: dict[str, Any] | None
    ours: dict[str, Any] | None
    theirs: dict[str, Any] | None
    ours_version: str | None
    theirs_version: str | None
    fields: tuple[str, ...]
    status: str
    created_at: str
    resolution: str | None

    @classmethod
    def of(cls, row: sqlite3.Row) -> Conflict:
        def load(name: str) -> Any:
            return json.loads(row[name]) if row[name] else None
        return cls(row["id"], row["job"], row["key"], row["rtype"], row["kind"],
                   row["direction"], row["local_id"], row["partner_id"], load("base"),
                   load("ours"), load("theirs"), row["ours_version"], row["theirs_version"],
                   tuple(json.loads(row["fields"])), row["status"], row["created_at"],
                   row["resolution"])


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                 separators=(",", ":"))


class StateStore:
    """The SQLite state of every job in one file.

    Parameters:
        path: the database file (created with its folder, mode 0600).
        timeout: seconds to wait for another process's write lock.

    Example::

        with StateStore("state/sync.db") as state:
            state.cursor("gemeente", "pull")
    """

    def __init__(self, path: str | os.PathLike[str], timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._depth = 0
        self._by_key: dict[tuple[str, str], Link | None] = {}
        self._by_id: dict[tuple[str, str, str, str], Link | None] = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            # Owner-only from the first byte: the queue and conflicts hold personal data.
            descriptor = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(descriptor)
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                        check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            self.conn.executescript(SCHEMA)
            version = self._meta("schema")
            if version is None:
                with self.tx():
                    self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)",
                                      (SCHEMA_VERSION,))
                    self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('secret', ?)",
                                      (secrets.token_hex(32),))
            elif version != SCHEMA_VERSION:
                raise StateError(f"{self.path}: state schema {version}, this version needs "
                                 f"{SCHEMA_VERSION}")
        except sqlite3.DatabaseError as error:
            raise StateError(f"{self.path}: not a usable state store "
                             f"({error.__class__.__name__})") from None

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return row["v"] if row else None

    @property
    def secret(self) -> bytes:
        """The key of :func:`~fhir_regie.sync.keys.derived_id` (made once per store)."""
        value = self._meta("secret")
        assert value is not None
        return bytes.fromhex(value)

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            self.forget_links()  # links cached during the transaction were not kept
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    # ------------------------------------------------------------------ cursors
    def cursor(self, job: str, direction: str) -> tuple[str, str] | None:
        """``(position, id)`` of the newest change read, or None before the first read."""
        row = self.conn.execute("SELECT position, rid FROM cursors WHERE job = ? AND "
                                "direction = ?", (job, direction)).fetchone()
        return (row["position"], row["rid"]) if row else None

    def set_cursor(self, job: str, direction: str, position: str, rid: str = "") -> None:
        """Move the cursor forward (never back: an older position is ignored)."""
        with self.tx() as conn:
            current = self.cursor(job, direction)
            if current is not None and (position, rid) <= current:
                return
            conn.execute("INSERT INTO cursors (job, direction, position, rid, updated_at) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (job, direction) DO UPDATE SET "
                         "position = excluded.position, rid = excluded.rid, updated_at = "
                         "excluded.updated_at", (job, direction, position, rid, now_text()))

    def start_at(self, job: str, direction: str, position: str) -> None:
        """A job that starts "now": the cursor at ``position`` and nothing at or before it ever
        read (the overlap window must not reach back before the start)."""
        with self.tx() as conn:
            self.set_cursor(job, direction, position, "")
            conn.execute("UPDATE cursors SET floor = ? WHERE job = ? AND direction = ?",
                         (position, job, direction))

    def floor(self, job: str, direction: str) -> str | None:
        row = self.conn.execute("SELECT floor FROM cursors WHERE job = ? AND direction = ?",
                                (job, direction)).fetchone()
        return row["floor"] if row else None

    # ------------------------------------------------------------------ queue
    def enqueue(self, job: str, direction: str, changes: Iterable[dict[str, Any]]) -> int:
        """Queue changes (dicts with rtype, rid, version, last_updated, content, deleted, grp);
        a version already queued is ignored. Returns how many were new."""
        return len(self.enqueue_new(job, direction, changes))

    def enqueue_new(self, job: str, direction: str,
                    changes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """:meth:`enqueue`, returning the changes that were new."""
        added = []
        stamp = now_text()
        with self.tx() as conn:
            for change in changes:
                content = change.get("content")
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO queue (job, direction, rtype, rid, version, "
                    "last_updated, grp, deleted, content, updated_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (job, direction, change["rtype"], change["rid"], str(change["version"]),
                     change["last_updated"], change.get("grp"), int(bool(change.get("deleted"))),
                     None if content is None else json.dumps(content, ensure_ascii=False,
                                                             separators=(",", ":")), stamp))
                if cursor.rowcount:
                    added.append(change)
        return added

    def due(self, job: str, direction: str, *, at: float, limit: int,
            exclude: Iterable[int] = ()) -> list[Row]:
        """Pending rows whose retry time has come, oldest first (without ``exclude``: the rows
        of a batch still being written)."""
        skip = sorted(set(exclude))
        marks = f" AND seq NOT IN ({','.join('?' * len(skip))})" if skip else ""
        rows = self.conn.execute(
            "SELECT * FROM queue WHERE job = ? AND direction = ? AND status = 'pending' AND "  # noqa: S608 (placeholders only)
            f"next_at <= ?{marks} ORDER BY last_updated, seq LIMIT ?",
            (job, direction, at, *skip, limit)).fetchall()
        return [Row.of(r) for r in rows]

    def rows(self, job: str, direction: str, status: str) -> list[Row]:
        return [Row.of(r) for r in self.conn.execute(
            "SELECT * FROM queue WHERE job = ? AND direction = ? AND status = ? ORDER BY seq",
            (job, direction, status)).fetchall()]

    def count(self, job: str, direction: str, status: str) -> int:
        row = self.conn.execute("SELECT COUNT(*) FROM queue WHERE job = ? AND direction = ? AND "
                                "status = ?", (job, direction, status)).fetchone()
        return int(row[0])

    def count_due(self, job: str, direction: str, at: float) -> int:
        row = self.conn.execute("SELECT COUNT(*) FROM queue WHERE job = ? AND direction = ? AND "
                                "status = 'pending' AND next_at <= ?",
                                (job, direction, at)).fetchone()
        return int(row[0])

    def still_due(self, seqs: Sequence[int], at: float) -> list[int]:
        """Of these rows, those still pending and due."""
        found: list[int] = []
        for start in range(0, len(seqs), 500):
            chunk = list(seqs[start:start + 500])
            marks = ",".join("?" * len(chunk))
            found += [r[0] for r in self.conn.execute(
                f"SELECT seq FROM queue WHERE seq IN ({marks}) AND status = 'pending' AND "  # noqa: S608 (placeholders only)
                "next_at <= ?", [*chunk, at])]
        return found

    def status_of(self, seq: int) -> str:
        """The status of one queued row ('' when it is gone)."""
        row = self.conn.execute("SELECT status FROM queue WHERE seq = ?", (seq,)).fetchone()
        return str(row[0]) if row else ""

    def finished_rows(self, job: str, direction: str) -> list[tuple[Row, str]]:
        """Rows done, with the moment each was finished (the commit that settled it)."""
        return [(Row.of(r), r["updated_at"]) for r in self.conn.execute(
            "SELECT * FROM queue WHERE job = ? AND direction = ? AND status = 'done' ORDER BY "
            "seq", (job, direction)).fetchall()]

    def rows_of_resources(self, job: str, rids: Sequence[str]) -> list[Row]:
        """Every queued row of these resource ids, both directions, in order (diagnostics)."""
        marks = ",".join("?" * len(rids))
        return [Row.of(r) for r in self.conn.execute(
            f"SELECT * FROM queue WHERE job = ? AND rid IN ({marks}) ORDER BY seq",  # noqa: S608 (placeholders only)
            (job, *rids)).fetchall()]

    def rows_of_batch(self, batch: str) -> list[Row]:
        return [Row.of(r) for r in self.conn.execute(
            "SELECT * FROM queue WHERE batch = ? ORDER BY seq", (batch,)).fetchall()]

    def pending_for(self, job: str, direction: str, rtype: str, rid: str) -> list[Row]:
        """Unfinished rows of one resource (pending, held or in a batch), oldest first."""
        return [Row.of(r) for r in self.conn.execute(
            "SELECT * FROM queue WHERE job = ? AND direction = ? AND rtype = ? AND rid = ? AND "
            "status IN ('pending', 'held', 'sending') ORDER BY seq",
            (job, direction, rtype, rid)).fetchall()]

    def pending_group(self, job: str, direction: str, grp: str) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM queue WHERE job = ? AND direction = ? AND grp = ? AND "
            "status IN ('pending', 'sending')", (job, direction, grp)).fetchone()
        return int(row[0])

    def finish(self, seqs: Iterable[int], status: str, reason: str | None = None) -> None:
        """Set the status of rows (and a reason without personal data)."""
        stamp = now_text()
        with self.tx() as conn:
            conn.executemany("UPDATE queue SET status = ?, reason = ?, batch = CASE WHEN "
                             "CAST(? AS TEXT) = 'sending' THEN batch ELSE NULL END, "
                             "updated_at = ? WHERE seq = ?",
                             [(status, reason, status, stamp, seq) for seq in seqs])

    def mark_sending(self, seqs: Sequence[int], batch: str) -> None:
        with self.tx() as conn:
            conn.executemany("UPDATE queue SET status = 'sending', batch = ?, updated_at = ? "
                             "WHERE seq = ?", [(batch, now_text(), s) for s in seqs])

    def retry_later(self, seqs: Sequence[int], *, wait: float, error: str, job: str,
                    direction: str, max_attempts: int) -> list[int]:
        """Count a failed attempt on rows; those out of attempts become dead-letter entries.
        Returns the seqs that went to the dead letter."""
        dead: list[int] = []
        stamp = now_text()
        with self.tx() as conn:
            for seq in seqs:
                row = conn.execute("SELECT * FROM queue WHERE seq = ?", (seq,)).fetchone()
                if row is None:
                    continue
                attempts = row["attempts"] + 1
                if attempts >= max_attempts:
                    dead.append(seq)
                    self.dead_letter(job, direction, Row.of(row), "retries-exhausted",
                                     f"gave up after {attempts} attempts ({error})")
                    continue
                conn.execute("UPDATE queue SET status = 'pending', batch = NULL, attempts = ?, "
                             "next_at = ?, reason = ?, updated_at = ? WHERE seq = ?",
                             (attempts, time.time() + wait, error, stamp, seq))
            conn.execute("INSERT INTO attempts (job, direction, at, items, outcome, error, wait) "
                         "VALUES (?, ?, ?, ?, 'retry', ?, ?)",
                         (job, direction, stamp, len(seqs), error, wait))
        return dead

    def count_attempt(self, seqs: Sequence[int], *, error: str, job: str, direction: str,
                      max_attempts: int) -> list[int]:
        """Count a failed attempt on rows that keep their status (a push batch in flight stays
        ``sending`` so it is redone as that batch); out of attempts: dead-letter entries."""
        dead: list[int] = []
        stamp = now_text()
        with self.tx() as conn:
            for seq in seqs:
                row = conn.execute("SELECT * FROM queue WHERE seq = ?", (seq,)).fetchone()
                if row is None:
                    continue
                if row["attempts"] + 1 >= max_attempts:
                    dead.append(seq)
                    self.dead_letter(job, direction, Row.of(row), "retries-exhausted",
                                     f"gave up after {row['attempts'] + 1} attempts ({error})")
                    continue
                conn.execute("UPDATE queue SET attempts = attempts + 1, reason = ?, updated_at "
                             "= ? WHERE seq = ?", (error, stamp, seq))
            conn.execute("INSERT INTO attempts (job, direction, at, items, outcome, error, wait) "
                         "VALUES (?, ?, ?, ?, 'failed', ?, 0)",
                         (job, direction, stamp, len(seqs), error))
        return dead

    def note_attempt(self, job: str, direction: str, error: str) -> None:
        """Record a failed attempt that concerned no queued row (reading the source)."""
        with self.tx() as conn:
            conn.execute("INSERT INTO attempts (job, direction, at, items, outcome, error, wait) "
                         "VALUES (?, ?, ?, 0, 'failed', ?, 0)", (job, direction, now_text(),
                                                                 error))

    def attempts_like(self, job: str, direction: str, pattern: str) -> int:
        """How many failed attempts of a direction were recorded with an error matching the
        SQL ``LIKE`` pattern (``%`` for any text)."""
        row = self.conn.execute("SELECT COUNT(*) FROM attempts WHERE job = ? AND direction = ? "
                                "AND error LIKE ?", (job, direction, pattern)).fetchone()
        return int(row[0])

    def supersede_older(self, job: str, direction: str, exclude: Iterable[int] = ()) -> int:
        """Older pending versions of a resource that has a newer pending version need nothing:
        the newest version carries the whole state. Newer means a higher version number (FHIR
        servers number a resource's versions upwards; a deletion in HAPI's history has no
        moment, only its version), else a later moment, else queued later."""
        skip = set(exclude)  # rows of a batch being written: it finishes them itself
        groups = self.conn.execute(
            "SELECT rtype, rid FROM queue WHERE job = ? AND direction = ? AND status = "
            "'pending' GROUP BY rtype, rid HAVING COUNT(*) > 1", (job, direction)).fetchall()
        older: list[int] = []
        for group in groups:
            rows = self.conn.execute(
                "SELECT seq, version, last_updated FROM queue WHERE job = ? AND direction = ? "
                "AND status = 'pending' AND rtype = ? AND rid = ?",
                (job, direction, group["rtype"], group["rid"])).fetchall()
            newest = max(rows, key=_newness)
            older += [r["seq"] for r in rows if r["seq"] != newest["seq"]
                      and r["seq"] not in skip]
        if older:
            self.finish(older, "superseded")
        return len(older)

    def prune(self, job: str, direction: str, before: str) -> int:
        """Forget finished rows last updated before ``before`` (older than any overlap can
        re-read); their versions can never be queued again."""
        with self.tx() as conn:
            cursor = conn.execute(
                "DELETE FROM queue WHERE job = ? AND direction = ? AND status IN ('done', "
                "'skipped', 'superseded') AND last_updated < ?", (job, direction, before))
            return cursor.rowcount

    # ------------------------------------------------------------------ links
    # Links are read many times per batch (every reference of every resource): they are kept
    # in memory, written through. One process writes them per job (the lease), and a store
    # lives for one run of the worker.
    def link(self, job: str, key: str) -> Link | None:
        cached = self._by_key.get((job, key), _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        row = self.conn.execute("SELECT * FROM links WHERE job = ? AND key = ?",
                                (job, key)).fetchone()
        found = Link.of(row) if row else None
        self._by_key[(job, key)] = found
        return found

    def link_by_id(self, job: str, side: str, rtype: str, rid: str) -> Link | None:
        cached = self._by_id.get((job, side, rtype, rid), _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        column = "local_id" if side == "local" else "partner_id"
        row = self.conn.execute(f"SELECT * FROM links WHERE job = ? AND rtype = ? AND "  # noqa: S608 (column from a fixed pair)
                                f"{column} = ?", (job, rtype, rid)).fetchone()
        found = Link.of(row) if row else None
        self._by_id[(job, side, rtype, rid)] = found
        return found

    def forget_links(self) -> None:
        """Drop the in-memory links (another process changed them, e.g. ``sync resolve``)."""
        self._by_key.clear()
        self._by_id.clear()

    def links_by_ids(self, job: str, side: str,
                     refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Link]:
        found: dict[tuple[str, str], Link] = {}
        for rtype, rid in set(refs):
            link = self.link_by_id(job, side, rtype, rid)
            if link is not None:
                found[(rtype, rid)] = link
        return found

    def save_link(self, link: Link) -> None:
        """Insert or replace a link. Another key holding the same id on a side loses it (that
        resource was re-keyed, e.g. an identifier was added)."""
        old = self.link(link.job, link.key)
        with self.tx() as conn:
            for side, column, value in (("local", "local_id", link.local_id),
                                        ("partner", "partner_id", link.partner_id)):
                if value is None:
                    continue
                holder = self.link_by_id(link.job, side, link.rtype, value)
                if holder is not None and holder.key != link.key:
                    conn.execute(f"UPDATE links SET {column} = NULL WHERE job = ? AND key = ?",  # noqa: S608
                                 (link.job, holder.key))
                    self._by_key.pop((link.job, holder.key), None)
            conn.execute(
                "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (link.job, link.key, link.rtype, link.local_id, link.local_version,
                 link.partner_id, link.partner_version, _json(link.base), now_text()))
        if old is not None:
            for side, value in (("local", old.local_id), ("partner", old.partner_id)):
                if value is not None:
                    self._by_id.pop((link.job, side, link.rtype, value), None)
        self._by_key[(link.job, link.key)] = link
        for side, value in (("local", link.local_id), ("partner", link.partner_id)):
            if value is not None:
                self._by_id[(link.job, side, link.rtype, value)] = link

    def drop_link(self, job: str, key: str) -> None:
        """Forget a key's link (a resolution that deleted ours)."""
        with self.tx() as conn:
            conn.execute("DELETE FROM links WHERE job = ? AND key = ?", (job, key))
        self.forget_links()

    def links(self, job: str) -> list[Link]:
        return [Link.of(r) for r in self.conn.execute(
            "SELECT * FROM links WHERE job = ? ORDER BY key", (job,)).fetchall()]

    # ------------------------------------------------------------------ conflicts
    def open_conflict(self, job: str, key: str) -> Conflict | None:
        row = self.conn.execute("SELECT * FROM conflicts WHERE job = ? AND key = ? AND "
                                "status = 'open'", (job, key)).fetchone()
        return Conflict.of(row) if row else None

    def park(self, *, job: str, key: str, rtype: str, kind: str, direction: str,
             local_id: str | None, partner_id: str | None, base: dict[str, Any] | None,
             ours: dict[str, Any] | None, theirs: dict[str, Any] | None,
             ours_version: str | None, theirs_version: str | None,
             fields: Sequence[str]) -> int:
        """Park a conflict (or refresh the open one of this key with the newest versions)."""
        with self.tx() as conn:
            existing = self.open_conflict(job, key)
            if existing is not None:
                conn.execute("UPDATE conflicts SET ours = COALESCE(?, ours), theirs = "
                             "COALESCE(?, theirs), ours_version = COALESCE(?, ours_version), "
                             "theirs_version = COALESCE(?, theirs_version) WHERE id = ?",
                             (_json(ours), _json(theirs), ours_version, theirs_version,
                              existing.id))
                return existing.id
            cursor = conn.execute(
                "INSERT INTO conflicts (job, key, rtype, kind, direction, local_id, partner_id, "
                "base, ours, theirs, ours_version, theirs_version, fields, created_at) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (job, key, rtype, kind, direction, local_id, partner_id, _json(base),
                 _json(ours), _json(theirs), ours_version, theirs_version,
                 json.dumps(list(fields)), now_text()))
            return int(cursor.lastrowid or 0)

    def conflict(self, conflict_id: int) -> Conflict | None:
        row = self.conn.execute("SELECT * FROM conflicts WHERE id = ?",
                                (conflict_id,)).fetchone()
        return Conflict.of(row) if row else None

    def conflicts(self, job: str | None = None, status: str | None = "open") -> list[Conflict]:
        sql, args = "SELECT * FROM conflicts WHERE 1 = 1", []
        if job:
            sql += " AND job = ?"
            args.append(job)
        if status:
            sql += " AND status = ?"
            args.append(status)
        return [Conflict.of(r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def release_held(self, job: str, conflict_id: int) -> None:
        """The rows a resolved conflict held need nothing more (the resolution carries the
        newest state)."""
        with self.tx() as conn:
            conn.execute("UPDATE queue SET status = 'superseded', updated_at = ? WHERE job = ? "
                         "AND status = 'held' AND reason = ?",
                         (now_text(), job, f"conflict {conflict_id}"))

    def make_due(self, job: str, direction: str, rtype: str, rid: str, version: str) -> None:
        """A queued version pending and due now (again)."""
        with self.tx() as conn:
            conn.execute("UPDATE queue SET status = 'pending', next_at = 0 WHERE job = ? AND "
                         "direction = ? AND rtype = ? AND rid = ? AND version = ?",
                         (job, direction, rtype, rid, version))

    def resolve_conflict(self, conflict_id: int, resolution: str) -> None:
        with self.tx() as conn:
            conn.execute("UPDATE conflicts SET status = 'resolved', resolved_at = ?, "
                         "resolution = ? WHERE id = ?", (now_text(), resolution, conflict_id))

    # ------------------------------------------------------------------ dead letter
    def dead_letter(self, job: str, direction: str, row: Row | None, rule: str, message: str,
                    *, content: Any = None, rtype: str | None = None, rid: str | None = None,
                    version: str | None = None) -> None:
        """Keep what could not be processed, with why (rule and message without personal
        data) and its content; a queue row becomes ``dead``."""
        with self.tx() as conn:
            if row is not None:
                conn.execute("UPDATE queue SET status = 'dead', reason = ?, batch = NULL, "
                             "updated_at = ? WHERE seq = ?", (rule, now_text(), row.seq))
                rtype, rid, version = row.rtype, row.rid, row.version
                content = row.content if content is None else content
            cursor = conn.execute(
                "INSERT OR IGNORE INTO dead_letter (job, direction, queue_seq, rtype, rid, "
                "version, rule, message, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)", (job, direction, row.seq if row else None, rtype, rid, version, rule,
                          message, _json(content), now_text()))
            if cursor.rowcount == 1:
                reason = dutch_reason(rule)
                conn.execute("INSERT OR REPLACE INTO dead_letter_outcome VALUES (?, ?, ?)",
                             (cursor.lastrowid, reason,
                              _json(dead_letter_outcome(rule, message, reason))))

    def flagged(self, job: str, local_ref: str, flag_id: str) -> bool:
        """Was this review flag raised on our server already (``note_flag``)?"""
        return self.conn.execute("SELECT 1 FROM review_flags WHERE job = ? AND local_ref = ? "
                                 "AND flag_id = ?", (job, local_ref, flag_id)).fetchone() \
            is not None

    def note_flag(self, job: str, local_ref: str, flag_id: str, reason: str) -> None:
        """Remember a review flag raised on our server (the Flag itself lives there; its
        status is the reviewer's)."""
        with self.tx() as conn:
            conn.execute("INSERT OR IGNORE INTO review_flags VALUES (?, ?, ?, ?, ?)",
                         (job, local_ref, flag_id, reason, now_text()))

    def review_flags(self, job: str | None = None) -> list[sqlite3.Row]:
        sql, args = "SELECT * FROM review_flags", []
        if job:
            sql += " WHERE job = ?"
            args.append(job)
        return list(self.conn.execute(sql + " ORDER BY created_at, local_ref", args))

    def dead_letters(self, job: str | None = None, status: str = "open") -> list[sqlite3.Row]:
        """Dead-letter entries with their Dutch one-line ``reason`` and ``outcome`` (an
        OperationOutcome as JSON text; both None for an entry kept before they existed)."""
        sql = ("SELECT d.*, o.reason AS reason, o.outcome AS outcome FROM dead_letter d "
               "LEFT JOIN dead_letter_outcome o ON o.letter = d.id WHERE d.status = ?")
        args = [status]
        if job:
            sql += " AND d.job = ?"
            args.append(job)
        return list(self.conn.execute(sql + " ORDER BY d.id", args))

    def retry_dead(self, job: str | None = None, entry: int | None = None) -> int:
        """Put dead-letter entries of queue rows back in the queue (attempts from zero); for an
        entry of a history entry that could not be read, move the cursor back to where that
        read started (the part is read again). Entries without a row (a file record that
        failed to map) stay: they need a corrected export. Returns how many went back."""
        sql, args = ("SELECT * FROM dead_letter WHERE status = 'open' AND queue_seq IS NOT "
                     "NULL"), []
        if job:
            sql += " AND job = ?"
            args.append(job)
        if entry is not None:
            sql += " AND id = ?"
            args.append(entry)
        count = 0
        with self.tx() as conn:
            for letter in self._history_letters(job, entry):
                # A history entry that could not be read: read that part of the history again
                # (the cursor goes back to where that read started).
                window = json.loads(letter["content"])
                conn.execute("UPDATE cursors SET position = ?, rid = '', updated_at = ? WHERE "
                             "job = ? AND direction = ? AND position > ?",
                             (window["since"], now_text(), letter["job"], window["history"],
                              window["since"]))
                conn.execute("UPDATE dead_letter SET status = 'retried', retried_at = ? WHERE "
                             "id = ?", (now_text(), letter["id"]))
                count += 1
            for letter in conn.execute(sql, args).fetchall():
                conn.execute("UPDATE queue SET status = 'pending', attempts = 0, next_at = 0, "
                             "reason = 'retried', updated_at = ? WHERE seq = ? AND status = "
                             "'dead'", (now_text(), letter["queue_seq"]))
                conn.execute("UPDATE dead_letter SET status = 'retried', retried_at = ? WHERE "
                             "id = ?", (now_text(), letter["id"]))
                count += 1
        return count

    def _history_letters(self, job: str | None, entry: int | None) -> list[sqlite3.Row]:
        found = []
        for letter in self.dead_letters(job):
            if letter["queue_seq"] is not None or (entry is not None and letter["id"] != entry):
                continue
            try:
                window = json.loads(letter["content"] or "null")
            except ValueError:
                continue
            if isinstance(window, dict) and window.get("history") and window.get("since"):
                found.append(letter)
        return found

    # ------------------------------------------------------------------ disclosures
    def begin_disclosure(self, job: str, batch: str, at: str, seqs: Sequence[int],
                         payload: Any = None) -> None:
        """Record a push batch before anything is sent: its rows become ``sending``; a
        restarted worker finds it with :meth:`interrupted_batches` and redoes it."""
        with self.tx() as conn:
            conn.execute("INSERT OR IGNORE INTO disclosures VALUES (?, ?, ?, 'sending', ?, ?)",
                         (batch, job, at, _json(payload), now_text()))
            conn.executemany("UPDATE queue SET status = 'sending', batch = ?, updated_at = ? "
                             "WHERE seq = ?", [(batch, now_text(), s) for s in seqs])

    def interrupted_batches(self, job: str) -> list[tuple[str, str, Any]]:
        """(batch, at, payload) of push batches a killed worker left half done."""
        return [(r["batch"], r["at"], json.loads(r["payload"]) if r["payload"] else None)
                for r in self.conn.execute(
                    "SELECT batch, at, payload FROM disclosures WHERE job = ? AND status = "
                    "'sending' ORDER BY created_at", (job,))]

    def end_disclosure(self, batch: str) -> None:
        with self.tx() as conn:
            conn.execute("UPDATE disclosures SET status = 'done' WHERE batch = ?", (batch,))
            conn.execute("UPDATE queue SET status = 'pending', batch = NULL WHERE batch = ? "
                         "AND status = 'sending'", (batch,))

    # ------------------------------------------------------------------ drop directories
    def export_seen(self, job: str, name: str, digest: str) -> bool:
        return self.conn.execute("SELECT 1 FROM exports WHERE job = ? AND name = ? AND "
                                 "digest = ?", (job, name, digest)).fetchone() is not None

    def mark_export(self, job: str, name: str, digest: str) -> None:
        with self.tx() as conn:
            conn.execute("INSERT OR REPLACE INTO exports VALUES (?, ?, ?, 'read', ?)",
                         (job, name, digest, now_text()))

    def record(self, job: str, record: str) -> Any:
        """What the partner has of a record, as far as known: the rows of its last export or
        the rows last sent to it, whichever is newer (None when neither)."""
        row = self.conn.execute("SELECT * FROM records WHERE job = ? AND record = ?",
                                (job, record)).fetchone()
        if row is None:
            return None
        seen = (row["partner_at"] or "", json.loads(row["partner_rows"]) if row["partner_rows"]
                else None)
        sent = (row["sent_at"] or "", json.loads(row["sent_rows"]) if row["sent_rows"]
                else None)
        return max(seen, sent, key=lambda pair: pair[0])[1]

    def save_record(self, job: str, record: str, *, partner_rows: Any = None,
                    sent_rows: Any = None) -> None:
        """Remember a record as the partner exported it (``partner_rows``) or as we sent it
        (``sent_rows``); each with the moment."""
        stamp = now_text()
        with self.tx() as conn:
            conn.execute("INSERT OR IGNORE INTO records (job, record) VALUES (?, ?)",
                         (job, record))
            if partner_rows is not None:
                conn.execute("UPDATE records SET partner_rows = ?, partner_at = ? WHERE job = ? "
                             "AND record = ?", (_json(partner_rows), stamp, job, record))
            if sent_rows is not None:
                conn.execute("UPDATE records SET sent_rows = ?, sent_at = ? WHERE job = ? "
                             "AND record = ?", (_json(sent_rows), stamp, job, record))

    # ------------------------------------------------------------------ leases
    def acquire(self, job: str, owner: str, ttl: float) -> bool:
        """Take (or renew) the lease of a job: one worker per job, so one writer per business
        key of that job. A lease held by a process that no longer runs on this host, or past
        its expiry, is taken over."""
        host, pid = socket.gethostname(), os.getpid()
        with self.tx() as conn:
            row = conn.execute("SELECT * FROM leases WHERE job = ?", (job,)).fetchone()
            if row is not None and row["owner"] != owner and row["expires"] > time.time() \
                    and not (row["host"] == host and not _alive(row["pid"])):
                return False
            conn.execute("INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?, ?)",
                         (job, owner, host, pid, time.time() + ttl))
        return True

    def lease_holder(self, job: str) -> int | None:
        """The process id that holds a job's lease, as recorded (None when free)."""
        row = self.conn.execute("SELECT pid FROM leases WHERE job = ?", (job,)).fetchone()
        return int(row[0]) if row else None

    def release(self, job: str, owner: str) -> None:
        with self.tx() as conn:
            conn.execute("DELETE FROM leases WHERE job = ? AND owner = ?", (job, owner))

    # ------------------------------------------------------------------ status
    def counts(self, job: str) -> dict[str, dict[str, int]]:
        """Queue rows per direction and status."""
        found: dict[str, dict[str, int]] = {}
        for row in self.conn.execute("SELECT direction, status, COUNT(*) n FROM queue WHERE "
                                     "job = ? GROUP BY direction, status", (job,)):
            found.setdefault(row["direction"], {})[row["status"]] = row["n"]
        return found

    def next_retry(self, job: str) -> float | None:
        row = self.conn.execute("SELECT MIN(next_at) FROM queue WHERE job = ? AND status = "
                                "'pending'", (job,)).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def attempt_count(self, job: str) -> int:
        row = self.conn.execute("SELECT COUNT(*) FROM attempts WHERE job = ?", (job,)).fetchone()
        return int(row[0])


#: Dutch one-line reasons of dead-letter entries, by rule (a validation rule is the element
#: path it concerns, e.g. ``Patient.gender``; an HTTP refusal ``http-422``).
REASONS = {
    "invalid-response": ("structure", "Niet verwerkt: het antwoord is geen leesbare FHIR-JSON"),
    "limit-exceeded": ("too-costly", "Niet verwerkt: het antwoord is te groot, te diep genest "
                                     "of te traag (zie de limieten)"),
    "unresolved-reference": ("not-found", "Niet verwerkt: verwijst naar een gegeven dat deze "
                                          "koppeling niet uitwisselt of niet mag delen"),
    "duplicate-key": ("duplicate", "Niet verwerkt: een ander gegeven van dezelfde kant heeft "
                                   "hetzelfde identificatienummer"),
    "duplicate-on-target": ("duplicate", "Niet verwerkt: meerdere gegevens op de doelserver "
                                         "hebben dit identificatienummer"),
    "retries-exhausted": ("transient", "Niet verwerkt: ook na herhaalde pogingen niet gelukt"),
}


def _reason_of(rule: str) -> tuple[str, str]:
    if rule in REASONS:
        code, text = REASONS[rule]
        return code, text
    if rule.startswith("http-"):
        return "processing", f"Niet verwerkt: de server weigerde het gegeven (HTTP {rule[5:]})"
    if "." in rule or rule[:1].isupper():
        return "invalid", f"Niet verwerkt: het gegeven voldoet niet aan het profiel ({rule})"
    return "processing", ("Niet verwerkt: voldoet niet aan de regels van de koppeling (de "
                          "regel staat erbij)")


def dutch_reason(rule: str) -> str:
    """The Dutch one-line reason of a dead-letter rule (no values: rules only)."""
    return _reason_of(rule)[1]


def dead_letter_outcome(rule: str, message: str, reason: str) -> dict[str, Any]:
    """The OperationOutcome kept with a dead-letter entry: the Dutch reason for people, the
    rule and the engine's message (rules and texts, no values) for developers."""
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": _reason_of(rule)[0],
                       "details": {"text": reason}, "diagnostics": f"{rule}: {message}"[:600]}]}


def _newness(row: sqlite3.Row) -> tuple[int, str, int]:
    version = str(row["version"])
    return (int(version) if version.isdigit() else -1, row["last_updated"], row["seq"])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
