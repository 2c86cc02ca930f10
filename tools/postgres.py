"""Start and stop a throw-away PostgreSQL server for the tests and benchmarks (Debian's
PostgreSQL 15, the ``postgresql`` package; tools/system_packages.sh installs it).

A cluster in a directory of its own (``initdb``), listening on 127.0.0.1 only on a free port,
``trust`` authentication for loopback (nothing but this machine can reach it; the tests need no
password), run with ``pg_ctl``. PostgreSQL refuses to run as root: when this runs as root (CI
on a fresh machine), the cluster belongs to the unprivileged user ``nobody`` and the commands run
as that user with ``runuser``.

Python use (the pytest fixture ``postgres_url`` does this)::

    from tools import postgres
    with postgres.PostgresServer() as server:   # temporary directory, removed on exit
        url = server.create_database("sync_test")   # postgresql://regie@127.0.0.1:PORT/sync_test

Command line::

    python tools/postgres.py start [--dir DIR] [--port N]   # prints the server's URL
    python tools/postgres.py stop [--dir DIR]
    python tools/postgres.py status [--dir DIR]

``FHIR_REGIE_PG_URL`` (a server URL, e.g. ``postgresql://regie@127.0.0.1:5432/postgres``) makes
the fixtures use an already running server instead of starting one.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent / "build" / "postgres"
USER = "regie"
HOST = "127.0.0.1"


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL's programs are not installed (one line: what to install)."""


def binary(name: str) -> str:
    """A PostgreSQL program: on PATH, else in Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    raise PostgresUnavailableError(f"{name} not found: install Debian's postgresql package "
                                   "(tools/system_packages.sh)")


def available() -> tuple[bool, str]:
    try:
        binary("initdb")
        binary("pg_ctl")
    except PostgresUnavailableError as error:
        return False, str(error)
    return True, ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    """Run as the cluster's owner: ``nobody`` when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "nobody", "--", *command]
    return command


class PostgresServer:
    """A PostgreSQL cluster in ``directory`` (a temporary one when None), started on enter."""

    def __init__(self, directory: Path | None = None, port: int | None = None) -> None:
        self._temporary = directory is None
        self.directory = Path(directory or tempfile.mkdtemp(prefix="regie-pg-"))
        self.port = port or _free_port()

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@{HOST}:{self.port}/postgres"

    def start(self) -> PostgresServer:
        initdb, pg_ctl = binary("initdb"), binary("pg_ctl")
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # nobody must reach the directory and own the cluster.
            self.directory.chmod(0o755)
            parent = self.directory.parent
            while parent != parent.parent:
                if parent.stat().st_mode & 0o001 == 0:
                    parent.chmod(parent.stat().st_mode | 0o001)
                parent = parent.parent
            shutil.chown(self.directory, "nobody")
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(_as_owner([initdb, "-D", str(self.data), "-U", USER, "-A", "trust",
                                      "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"]),
                           check=True, capture_output=True, timeout=120)
        options = (f"-c listen_addresses={HOST} -p {self.port} -k {self.data} "
                   "-c fsync=on -c synchronous_commit=on -c max_connections=200 "
                   "-c shared_buffers=64MB")
        subprocess.run(_as_owner([pg_ctl, "-D", str(self.data), "-o", options, "-l",
                                  str(self.data / "server.log"), "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, timeout=90)
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1):
                return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start (see {self.data / 'server.log'})")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(_as_owner([binary("pg_ctl"), "-D", str(self.data), "-m", "fast",
                                      "-w", "stop"]), check=False, capture_output=True,
                           timeout=60)
        if self._temporary:
            shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, name: str) -> str:
        """A new empty database on this server; its URL."""
        return create_database(self.url, name)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def create_database(server_url: str, name: str) -> str:
    """Create database ``name`` (letters, digits, underscores) on the server; its URL."""
    import psycopg

    if not name.replace("_", "").isalnum():
        raise ValueError("a database name of letters, digits and underscores")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    port_file = args.dir / "port"
    if args.command == "start":
        port = args.port or (int(port_file.read_text()) if port_file.exists() else None)
        server = PostgresServer(args.dir, port).start()
        port_file.write_text(str(server.port))
        print(server.url)
        return 0
    if not port_file.exists():
        print("not running", file=sys.stderr)
        return 1
    server = PostgresServer(args.dir, int(port_file.read_text()))
    if args.command == "stop":
        server.stop()
        return 0
    running = (server.data / "postmaster.pid").exists()
    print(server.url if running else "not running")
    return 0 if running else 1


if __name__ == "__main__":
    sys.exit(main())
