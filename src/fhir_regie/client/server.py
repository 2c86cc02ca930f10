"""The embedded FHIR server: ``sekmet-fhir`` run as a subprocess on 127.0.0.1.

ARCHITECTURE.md §3: the default server of the demo and the integration tests. What we configure
and why:

- ``host`` 127.0.0.1 only, on a free port; ``base_url`` set to that real port, because the
  server builds ``Location`` headers and paging links from it;
- a data dir of its own (a temporary one unless given), so each server is a fresh, isolated store;
- sekmet's hospital simulator off: it reacts to writes of Task (and other order resources) by
  changing them a moment later, which would corrupt our data and our tests;
- sekmet's inbound traffic log off: it stores every request and response body in its database,
  which would keep copies of personal data around; uvicorn's access log off too (it prints paths
  and query values, which name persons).

Example::

    with EmbeddedServer() as server:
        client = FhirClient(server.base_url)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import requests
import yaml

HOST = "127.0.0.1"
# sekmet reads these from the environment and would override our settings file with them.
_SEKMET_ENV = ("SEKMET_CONFIG", "SEKMET_BASE_URL", "SEKMET_DB", "SEKMET_PUBLIC_URL", "SEKMET_PORT")
_RUNNER = """
import sys, uvicorn
from sekmet.config import load_settings, set_settings
from sekmet.main import create_app
settings = load_settings(sys.argv[1])
set_settings(settings)
uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
            access_log=False)
"""


class ServerError(RuntimeError):
    """The embedded server did not start (or stopped on its own)."""


def _require_server_extra() -> None:
    """The server runs in a subprocess: check here that sekmet-fhir and uvicorn are installed,
    so a core install gets one line naming the extra, not a dead subprocess."""
    import importlib.util

    from fhir_regie.extras import missing_extra

    for module in ("sekmet", "uvicorn"):
        if importlib.util.find_spec(module) is None:
            raise missing_extra("server", ImportError(name=module), "the embedded FHIR server")


def free_port(host: str = HOST) -> int:
    """A TCP port that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def settings_for(port: int, data_dir: Path, nonce: str = "") -> dict[str, object]:
    """The sekmet settings we run with (see the module docstring for the reasons).

    ``nonce`` goes into the CapabilityStatement (``implementation.description``) so the start-up
    check knows it reached this server and not another one that already had the port.
    """
    return {
        "facility_name": f"fhir-regie embedded server {nonce}".strip(),
        "base_url": f"http://{HOST}:{port}/fhir",
        "host": HOST,
        "port": port,
        "data_dir": str(data_dir),
        "own_private_key_path": str(data_dir / "keys" / "server_private.pem"),
        "log_inbound": False,
        "simulator": {"enabled": False},
        "validation": {"inbound": "strict"},
        "server_auth": {"types": ["none"]},
    }


class EmbeddedServer:
    """One sekmet-fhir server on 127.0.0.1; start/stop it, or use it as a context manager.

    Parameters:
        data_dir: where its SQLite database lives; a temporary dir (removed on stop) when None.
        port: the port; a free one when None.
        startup_timeout: seconds to wait until ``/metadata`` answers.
    """

    def __init__(self, data_dir: str | os.PathLike[str] | None = None, port: int | None = None,
                 startup_timeout: float = 30.0) -> None:
        self._given_dir = Path(data_dir) if data_dir is not None else None
        self._given_port = port
        self.startup_timeout = startup_timeout
        self.data_dir: Path | None = None
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._temp: str | None = None

    @property
    def base_url(self) -> str:
        """The FHIR base URL, e.g. ``http://127.0.0.1:41234/fhir``."""
        if self.port is None:
            raise ServerError("the server is not running")
        return f"http://{HOST}:{self.port}/fhir"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> EmbeddedServer:
        """Start the server and wait until it answers ``GET /metadata``."""
        if self.running:
            return self
        _require_server_extra()
        if self._given_dir is not None:
            self.data_dir = self._given_dir
            self.data_dir.mkdir(parents=True, exist_ok=True)
        else:
            self._temp = tempfile.mkdtemp(prefix="fhir-regie-server-")
            self.data_dir = Path(self._temp)
        # A port picked by the OS can be taken again before the server binds it: try a few.
        tries = 1 if self._given_port else 3
        last = ""
        for _ in range(tries):
            self.port = self._given_port or free_port()
            try:
                self._launch()
                return self
            except ServerError as error:
                last = str(error)
                self._terminate()
        self._cleanup()
        raise ServerError(last)

    def _launch(self) -> None:
        assert self.data_dir is not None
        assert self.port is not None
        nonce = secrets.token_hex(8)
        config = self.data_dir / "sekmet-settings.yaml"
        config.write_text(yaml.safe_dump(settings_for(self.port, self.data_dir, nonce)),
                          encoding="utf-8")
        env = {key: value for key, value in os.environ.items() if key not in _SEKMET_ENV}
        log_path = self.data_dir / "server.log"
        with log_path.open("ab") as log_file:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _RUNNER, str(config)], cwd=self.data_dir, env=env,
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        url = f"{self.base_url}/metadata"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerError(f"the FHIR server exited with code {self._process.returncode}"
                                  f" (see {log_path})")
            with contextlib.suppress(requests.RequestException, ValueError):
                answer = requests.get(url, timeout=(1, 5))
                if answer.status_code == 200:
                    description = answer.json().get("implementation", {}).get("description", "")
                    if nonce in description:
                        return
                    raise ServerError(f"port {self.port} is already used by another server")
            time.sleep(0.1)
        raise ServerError(f"the FHIR server did not answer within {self.startup_timeout:.0f} s "
                          f"(see {log_path})")

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
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
        self.port = None if self._given_port is None else self.port

    def wait(self) -> int:
        """Block until the server process ends (e.g. on Ctrl-C); returns its exit code."""
        if self._process is None:
            raise ServerError("the server is not running")
        return self._process.wait()


@contextlib.contextmanager
def start_servers(count: int, data_root: str | os.PathLike[str] | None = None,
                  ) -> Iterator[list[EmbeddedServer]]:
    """Start ``count`` independent servers (e.g. two organisations), stop them all afterwards.

    >>> with start_servers(2) as (vt, local_team):  # doctest: +SKIP
    ...     ...
    """
    servers: list[EmbeddedServer] = []
    try:
        for index in range(count):
            data_dir = Path(data_root) / f"server-{index + 1}" if data_root else None
            servers.append(EmbeddedServer(data_dir).start())
        yield servers
    finally:
        for server in servers:
            server.stop()
