"""Build, start and stop a HAPI FHIR JPA server with the fhir-regie package installed.

The server is our small application in ``tools/hapi/`` (HAPI FHIR JPA 8.4 from Maven Central,
R4, H2, embedded Jetty on 127.0.0.1). At start-up it installs the FHIR package built from the
committed package data (``src/fhir_regie/ig/package/``), so it validates every create/update and
``$validate`` against the Regie profiles. Nothing is fetched at run time; Maven fetches the jars
once on the first build. docs/hapi.md says what is configured and why.

Python use (the pytest fixture ``hapi_server`` does this)::

    from tools import hapi
    with hapi.HapiServer() as server:     # free port, temporary data dir, removed on exit
        client = FhirClient(server.base_url)

Command line (``tools/hapi.sh`` runs this with the project's Python)::

    python tools/hapi.py build                     # mvn package when sources changed
    python tools/hapi.py start [--port N] [--data DIR] [--heap 1g] [--stock-package-install]
                               [--postgres postgresql://USER@HOST:PORT/DB]   # JPA on PostgreSQL
    python tools/hapi.py status                    # base URL, pid, RSS; exit 1 when not running
    python tools/hapi.py stop
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROJECT = HERE / "hapi"
TARGET = PROJECT / "target"
JAR = TARGET / "regie-hapi.jar"
CLASSPATH_FILE = TARGET / "classpath.txt"
RUN_DIR = TARGET / "run"
STATE_FILE = RUN_DIR / "hapi.json"
PID_FILE = RUN_DIR / "hapi.pid"
MAIN_CLASS = "nl.fhirregie.hapi.RegieHapiServer"
HOST = "127.0.0.1"
DEFAULT_HEAP = "1g"
# Start-up on the 2-core CI machine: JVM, Spring, schema, then the package (~60-90 s).
DEFAULT_STARTUP_TIMEOUT = 300.0

if str(ROOT / "src") not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT / "src"))


class HapiUnavailableError(Exception):
    """Java or Maven is missing, or the server application could not be built."""


class HapiStartError(RuntimeError):
    """The server did not come up (it exited, or did not answer in time)."""


def available() -> tuple[bool, str]:
    """Whether the server can be built and run here, and if not, why."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            return False, f"{tool} is not installed"
    if not (PROJECT / "pom.xml").exists():
        return False, f"{PROJECT / 'pom.xml'} is missing"
    return True, ""


def _stale() -> bool:
    if not JAR.exists() or not CLASSPATH_FILE.exists():
        return True
    inputs = [PROJECT / "pom.xml", *(PROJECT / "src").rglob("*.*")]
    return JAR.stat().st_mtime < max(p.stat().st_mtime for p in inputs)


def build(*, quiet: bool = False) -> str:
    """Package the server with Maven when its sources changed; return the java classpath."""
    ready, reason = available()
    if not ready:
        raise HapiUnavailableError(reason)
    if _stale():
        if not quiet:
            print("hapi: building the HAPI FHIR server with Maven (the first build downloads "
                  "its dependencies) ...", file=sys.stderr, flush=True)
        result = subprocess.run(
            ["mvn", "-B", "-q", "-f", str(PROJECT / "pom.xml"), "package"],
            capture_output=True, text=True, timeout=1800, check=False)
        if result.returncode != 0 or not JAR.exists() or not CLASSPATH_FILE.exists():
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise HapiUnavailableError(f"Maven could not build tools/hapi:\n{tail}")
    return f"{JAR}:{CLASSPATH_FILE.read_text(encoding='utf-8').strip()}"


def package_tarball(folder: Path = TARGET) -> Path:
    """The FHIR NPM package of the guide, written from the committed package data.

    The same bytes ``fhir-regie ig build`` writes to ``dist/`` (sorted entries, fixed times),
    but without SUSHI: the server must not depend on an IG rebuild.
    """
    from fhir_regie.ig.build import write_tarball

    source = ROOT / "src" / "fhir_regie" / "ig" / "package"
    manifest = json.loads((source / "package.json").read_text(encoding="utf-8"))
    files = {str(p.relative_to(source)): p.read_text(encoding="utf-8")
             for p in source.rglob("*") if p.is_file()}
    target = folder / f"{manifest['name']}-{manifest['version']}.tgz"
    write_tarball(files, target)
    return target


def free_port() -> int:
    from fhir_regie.client.server import free_port as pick

    return pick(HOST)


def jdbc_url(url: str) -> str:
    """``postgresql://user@host:port/db`` as the JDBC driver's URL (no password: it comes from
    ``PGPASSWORD`` in the server's environment)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or parts.password:
        raise ValueError("expected postgresql://USER@HOST:PORT/DATABASE (no password)")
    user = f"?user={parts.username}" if parts.username else ""
    return f"jdbc:postgresql://{parts.hostname}:{parts.port or 5432}{parts.path}{user}"


def java_command(classpath: str, *, port: int, data_dir: Path, package: Path, nonce: str,
                 heap: str = DEFAULT_HEAP, stock_package_install: bool = False,
                 postgres: str | None = None) -> list[str]:
    """The JVM command line: bounded heap, serial GC (2 cores), C1 only (faster start-up).

    ``stock_package_install`` keeps HAPI's default package installation, which skips every
    resource whose status is not ``active`` (what a vendor's server does with our package).
    """
    stock = ["--stock-package-install"] if stock_package_install else []
    if postgres:
        stock += ["--jdbc", jdbc_url(postgres)]
    return ["java", f"-Xmx{heap}", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true", "-cp", classpath, MAIN_CLASS,
            "--port", str(port), "--data", str(data_dir), "--package", str(package),
            "--description", f"fhir-regie HAPI FHIR server {nonce}", *stock]


class HapiServer:
    """One HAPI FHIR JPA server process on 127.0.0.1 (start/stop, or a context manager).

    Parameters:
        data_dir: where H2 keeps its files and the server its log; temporary (removed on stop)
            when None.
        port: a free one when None.
        heap: the JVM's ``-Xmx``.
        detach: start in its own session so it outlives this Python process (the command line).
        stock_package_install: install the package with HAPI's default settings (only
            ``active`` resources), as a vendor's server would.
        postgres: ``postgresql://user@host:port/db``: the JPA server's database on PostgreSQL
            instead of H2 (an empty database; HAPI makes its schema).
    """

    def __init__(self, data_dir: str | os.PathLike[str] | None = None, port: int | None = None,
                 *, heap: str = DEFAULT_HEAP, startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
                 detach: bool = False, stock_package_install: bool = False,
                 postgres: str | None = None) -> None:
        self._given_dir = Path(data_dir) if data_dir is not None else None
        self._given_port = port
        self.heap = heap
        self.startup_timeout = startup_timeout
        self.detach = detach
        self.stock_package_install = stock_package_install
        self.postgres = postgres
        self.data_dir: Path | None = None
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._temp: str | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise HapiStartError("the HAPI server is not running")
        return f"http://{HOST}:{self.port}/fhir"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def log_path(self) -> Path | None:
        return self.data_dir / "server.log" if self.data_dir is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> HapiServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self, on_launch: Callable[[HapiServer], None] | None = None) -> HapiServer:
        """Build when needed, launch, and wait until ``/metadata`` answers with our nonce.

        ``on_launch`` is called as soon as the process exists (before it answers), e.g. to
        write a pid file so the server can be stopped while it is still starting.
        """
        if self.running:
            return self
        classpath = build()
        if self._given_dir is not None:
            self.data_dir = self._given_dir
            self.data_dir.mkdir(parents=True, exist_ok=True)
        else:
            self._temp = tempfile.mkdtemp(prefix="fhir-regie-hapi-")
            self.data_dir = Path(self._temp)
        package = package_tarball(self.data_dir)
        self.port = self._given_port or free_port()
        try:
            self._launch(classpath, package, on_launch)
        except BaseException:
            self._terminate()
            self._cleanup()
            raise
        return self

    def _launch(self, classpath: str, package: Path,
                on_launch: Callable[[HapiServer], None] | None) -> None:
        assert self.data_dir is not None
        assert self.port is not None
        assert self.log_path is not None
        nonce = secrets.token_hex(8)
        command = java_command(classpath, port=self.port, data_dir=self.data_dir,
                               package=package, nonce=nonce, heap=self.heap,
                               stock_package_install=self.stock_package_install,
                               postgres=self.postgres)
        started = time.monotonic()
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, cwd=self.data_dir, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=self.detach)
        if on_launch is not None:
            on_launch(self)
        deadline = started + self.startup_timeout
        url = f"{self.base_url}/metadata"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise HapiStartError(f"the HAPI server exited with code "
                                     f"{self._process.returncode} (see {self.log_path})")
            with contextlib.suppress(requests.RequestException, ValueError):
                answer = requests.get(url, timeout=(1, 30))
                if answer.status_code == 200:
                    description = answer.json().get("implementation", {}).get("description", "")
                    if nonce not in description:
                        raise HapiStartError(f"port {self.port} is used by another server")
                    self.startup_seconds = time.monotonic() - started
                    return
            time.sleep(0.5)
        raise HapiStartError(f"the HAPI server did not answer within {self.startup_timeout:.0f} s"
                             f" (see {self.log_path})")

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()  # SIGTERM: Jetty stops, H2 closes cleanly
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _cleanup(self) -> None:
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def stop(self) -> None:
        """Stop the server; a temporary data dir is removed with everything in it."""
        self._terminate()
        self._cleanup()
        if self._given_port is None:
            self.port = None


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process in KiB (Linux), or None when it cannot be read."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    return not cmdline.exists() or MAIN_CLASS.encode() in cmdline.read_bytes()


def _read_state() -> dict[str, object] | None:
    with contextlib.suppress(OSError, ValueError):
        state = json.loads(STATE_FILE.read_text(encoding="utf-8"))
        if isinstance(state, dict) and _alive(int(state["pid"])):
            return state
    return None


def _command_start(args: argparse.Namespace) -> int:
    state = _read_state()
    if state is not None:
        print(f"hapi: already running at {state['base_url']} (pid {state['pid']})")
        return 0
    data_dir = Path(args.data) if args.data else RUN_DIR / "data"
    if not args.data and data_dir.exists():
        shutil.rmtree(data_dir)  # the default store is fresh on every start
    server = HapiServer(data_dir, args.port, heap=args.heap, detach=True,
                        stock_package_install=args.stock_package_install,
                        postgres=args.postgres)

    def record(launched: HapiServer) -> None:
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        PID_FILE.write_text(f"{launched.pid}\n", encoding="utf-8")
        STATE_FILE.write_text(json.dumps({
            "pid": launched.pid, "base_url": launched.base_url,
            "stock_package_install": launched.stock_package_install,
            "data_dir": str(launched.data_dir), "log": str(launched.log_path),
        }, indent=2) + "\n", encoding="utf-8")

    try:
        server.start(on_launch=record)
    except (HapiUnavailableError, HapiStartError) as error:
        PID_FILE.unlink(missing_ok=True)
        STATE_FILE.unlink(missing_ok=True)
        print(f"hapi: {error}", file=sys.stderr)
        return 1
    assert server.pid is not None
    rss = rss_kib(server.pid)
    print(f"hapi: {server.base_url} (pid {server.pid}, started in "
          f"{server.startup_seconds:.1f} s, RSS {rss // 1024 if rss else '?'} MiB)")
    return 0


def _command_status(_: argparse.Namespace) -> int:
    state = _read_state()
    if state is None:
        print("hapi: not running")
        return 1
    rss = rss_kib(int(state["pid"]))
    print(f"hapi: {state['base_url']} (pid {state['pid']}, RSS "
          f"{rss // 1024 if rss else '?'} MiB, log {state['log']})")
    return 0


def _command_stop(_: argparse.Namespace) -> int:
    state = _read_state()
    if state is None:
        print("hapi: not running")
        PID_FILE.unlink(missing_ok=True)
        STATE_FILE.unlink(missing_ok=True)
        return 0
    pid = int(state["pid"])
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    PID_FILE.unlink(missing_ok=True)
    STATE_FILE.unlink(missing_ok=True)
    print(f"hapi: stopped (pid {pid})")
    return 0


def _command_build(_: argparse.Namespace) -> int:
    started = time.monotonic()
    try:
        build()
    except HapiUnavailableError as error:
        print(f"hapi: {error}", file=sys.stderr)
        return 1
    print(f"hapi: {JAR.relative_to(ROOT)} ready ({time.monotonic() - started:.1f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/hapi.sh", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="package the server with Maven when its sources changed")
    start = commands.add_parser("start", help="start in the background, wait until it answers")
    start.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    start.add_argument("--data", help="data dir to use and keep (default: a fresh one under "
                                      "tools/hapi/target/run)")
    start.add_argument("--heap", default=os.environ.get("FHIR_REGIE_HAPI_HEAP", DEFAULT_HEAP),
                       help="JVM -Xmx (default %(default)s)")
    start.add_argument("--stock-package-install", action="store_true",
                       help="install the package with HAPI's default settings: resources that "
                            "are not active are skipped, as on a vendor's server")
    start.add_argument("--postgres", metavar="URL",
                       help="run the JPA server on PostgreSQL: postgresql://USER@HOST:PORT/DB "
                            "(an empty database; password from PGPASSWORD)")
    commands.add_parser("status", help="print the base URL; exit 1 when not running")
    commands.add_parser("stop", help="stop the server started by 'start'")
    args = parser.parse_args(argv)
    handlers = {"build": _command_build, "start": _command_start, "status": _command_status,
                "stop": _command_stop}
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
