"""The sync state store on PostgreSQL: the second implementation of :class:`StateStore`,
chosen by the configuration (``state: postgresql://user@host:5432/db``; docs/sync.md).

The same tables, queries and transactions as the SQLite store (``state.py`` keeps the single
definition of both), through a thin connection layer that speaks PostgreSQL's dialect:

- ``?`` placeholders become ``%s``; ``INSERT OR IGNORE`` becomes ``ON CONFLICT DO NOTHING``;
  ``INSERT OR REPLACE`` an ``ON CONFLICT (primary key) DO UPDATE`` of every column; the id of a
  new conflict or dead-letter entry comes back with ``RETURNING id``;
- ``AUTOINCREMENT`` keys are ``BIGSERIAL``, ``REAL`` is ``DOUBLE PRECISION``;
- a write transaction (``BEGIN IMMEDIATE`` in SQLite) is a PostgreSQL transaction at ``READ
  COMMITTED``; durability is PostgreSQL's (``synchronous_commit = on``);
- **leases** are session advisory locks (``pg_try_advisory_lock``): held while the worker's
  connection lives, released by PostgreSQL the moment a killed worker's connection drops. So
  any number of workers (``fhir-regie sync run``, on any host) share one state: each job runs
  in one worker at a time, and a dead worker's jobs are free at once. The ``leases`` table still
  says who holds what (``sync status``).

The credentials never stand in the file: the URL names user, host and database; the password
comes from the environment (``PGPASSWORD``, or a ``~/.pgpass`` file: libpq's own rules). A URL
with a password is refused by the configuration.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import time
from collections.abc import Iterator, Sequence
from typing import Any

from fhir_regie.sync.state import SCHEMA, SCHEMA_VERSION, StateError, StateStore

#: INSERT OR REPLACE targets: table -> (primary key, columns in order).
_UPSERT = {
    "links": (("job", "key"), ("job", "key", "rtype", "local_id", "local_version",
                               "partner_id", "partner_version", "base", "updated_at")),
    "exports": (("job", "name", "digest"), ("job", "name", "digest", "status", "seen_at")),
    "dead_letter_outcome": (("letter",), ("letter", "reason", "outcome")),
    "leases": (("job",), ("job", "owner", "host", "pid", "expires")),
}
_RETURNING_ID = ("conflicts", "dead_letter")
#: The advisory lock that serialises creating the schema (workers starting together).
_SCHEMA_LOCK = 0x72656769  # "regi"


def is_postgres_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def _translate(sql: str) -> tuple[str, bool]:
    """SQLite's dialect as used by state.py in PostgreSQL's; True when ``RETURNING id``."""
    text = sql.strip()
    returning = False
    if text.upper().startswith("BEGIN"):
        return "BEGIN", False
    match = re.match(r"INSERT OR (IGNORE|REPLACE) INTO (\w+)\s*(.*)$", text, re.S)
    if match:
        how, table, rest = match.groups()
        if how == "REPLACE" and not rest.upper().startswith("("):
            rest = f"({', '.join(_UPSERT[table][1])}) {rest}"
        if how == "IGNORE":
            text = f"INSERT INTO {table} {rest} ON CONFLICT DO NOTHING"
        else:
            key, columns = _UPSERT[table]
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in key)
            text = (f"INSERT INTO {table} {rest} ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
                    f"{updates}")
        returning = table in _RETURNING_ID
    elif re.match(r"INSERT INTO (conflicts|dead_letter)\b", text):
        returning = True
    if returning:
        text += " RETURNING id"
    return text.replace("?", "%s"), returning


class PgRow:
    """A result row read by name or by position (as ``sqlite3.Row``)."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: Sequence[str], values: Sequence[Any]) -> None:
        self._names, self._values = names, values

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, int):
            return self._values[key]
        return self._values[self._names.index(key)]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class _Result:
    """What ``execute`` answers: rows, ``rowcount`` and ``lastrowid`` as sqlite3's cursor."""

    def __init__(self, rows: list[PgRow], rowcount: int, lastrowid: int | None) -> None:
        self._rows, self.rowcount, self.lastrowid = rows, rowcount, lastrowid

    def fetchone(self) -> PgRow | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[PgRow]:
        return list(self._rows)

    def __iter__(self) -> Iterator[PgRow]:
        return iter(self._rows)


class PgConnection:
    """The part of ``sqlite3.Connection`` that state.py uses, on a psycopg connection in
    autocommit mode (transactions are explicit: ``BEGIN`` ... ``COMMIT``)."""

    def __init__(self, url: str, timeout: float) -> None:
        import psycopg

        self._psycopg = psycopg
        self.raw = psycopg.connect(url, autocommit=True, connect_timeout=int(timeout),
                                   application_name="fhir-regie-sync")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Result:
        text, returning = _translate(sql)
        with self.raw.cursor() as cursor:
            cursor.execute(text, tuple(params) or None)  # type: ignore[arg-type]
            rows: list[PgRow] = []
            lastrowid = None
            if cursor.description is not None:
                names = [c.name for c in cursor.description]
                rows = [PgRow(names, values) for values in cursor.fetchall()]
                if returning and rows:
                    lastrowid = int(rows[0][0])
            return _Result(rows, cursor.rowcount, lastrowid)

    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        text, _ = _translate(sql)
        items = [tuple(p) for p in seq]
        if items:
            with self.raw.cursor() as cursor:
                cursor.executemany(text, items)

    def close(self) -> None:
        self.raw.close()


def _schema_statements() -> list[str]:
    text = SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    text = text.replace("queue_seq INTEGER", "queue_seq BIGINT").replace(
        "letter INTEGER PRIMARY KEY", "letter BIGINT PRIMARY KEY")
    return [s.strip() for s in text.split(";") if s.strip()]


def _lock_key(job: str) -> int:
    """A job's advisory lock: 63 bits of SHA-256 of its name (signed bigint)."""
    return int.from_bytes(hashlib.sha256(f"fhir-regie-sync:{job}".encode()).digest()[:8],
                          "big", signed=True)


class PostgresStateStore(StateStore):
    """The state of every job in one PostgreSQL database (see the module's documentation).

    Parameters:
        url: ``postgresql://user@host:port/database`` (the password from the environment).
        timeout: seconds to wait for the connection.
    """

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.path = url  # type: ignore[assignment]  # what messages name
        self._depth = 0
        self._by_key = {}
        self._by_id = {}
        self._leases: set[str] = set()
        shown = re.sub(r"//[^@/]*@", "//", url)
        try:
            import psycopg
        except ImportError:
            raise StateError(f"{shown}: PostgreSQL state needs psycopg (pip install "
                             "'fhir-regie[postgresql]')") from None
        try:
            self.conn = PgConnection(url, timeout)  # type: ignore[assignment]
            if self._made():
                return
            with self.tx() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
                for statement in _schema_statements():
                    conn.execute(statement)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)",
                             (SCHEMA_VERSION,))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('secret', ?)",
                             (secrets.token_hex(32),))
            version = self._meta("schema")
            if version != SCHEMA_VERSION:
                raise StateError(f"{shown}: state schema {version}, this version needs "
                                 f"{SCHEMA_VERSION}")
        except psycopg.Error as error:
            raise StateError(f"{shown}: not a usable state store "
                             f"({error.__class__.__name__})") from None

    def _made(self) -> bool:
        """Is the schema of this version there already (most opens: a worker opens the store
        per job run)? Then no DDL, and no lock, is needed."""
        import psycopg

        try:
            return self._meta("schema") == SCHEMA_VERSION and self._meta("secret") is not None
        except psycopg.errors.UndefinedTable:
            return False

    def close(self) -> None:
        for job in list(self._leases):
            self.release(job, "")
        self.conn.close()

    # ------------------------------------------------------------------ leases
    def acquire(self, job: str, owner: str, ttl: float) -> bool:
        """Take a job's lease: a session advisory lock, held until :meth:`release` or until
        this connection ends (a killed worker's lease is free at once)."""
        if job not in self._leases:
            row = self.conn.execute("SELECT pg_try_advisory_lock(?)",
                                    (_lock_key(job),)).fetchone()
            if not (row and row[0]):
                return False
            self._leases.add(job)
        with self.tx() as conn:
            conn.execute("INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?, ?)",
                         (job, owner, socket.gethostname(), os.getpid(), time.time() + ttl))
        return True

    def release(self, job: str, owner: str) -> None:
        if job not in self._leases:
            return
        with self.tx() as conn:
            if owner:
                conn.execute("DELETE FROM leases WHERE job = ? AND owner = ?", (job, owner))
            conn.execute("SELECT pg_advisory_unlock(?)", (_lock_key(job),))
        self._leases.discard(job)

    def lease_holder(self, job: str) -> int | None:
        """The process id that holds a job's lease, as recorded (None when free)."""
        row = self.conn.execute("SELECT pid FROM leases WHERE job = ?", (job,)).fetchone()
        return int(row[0]) if row else None
