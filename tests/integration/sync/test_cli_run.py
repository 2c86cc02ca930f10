"""``fhir-regie sync run`` as a service: on its schedule until SIGTERM (sekmet), and ``--once``
when no server answers."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from pathlib import Path

from fhir_regie.cli import main
from tests.conftest import RunningServer
from tests.integration.sync.conftest import make_env
from tests.integration.sync.household import load

CONFIG = """\
state: state.db
organisation: Organization/sync-org-wijkteam
local: {url: "http://127.0.0.1:9/fhir", retry: {attempts: 1}}
jobs:
  - name: jeugdhulp
    partner: {kind: fhir, url: "http://127.0.0.1:9/partner", retry: {attempts: 1}}
    recipient: Organization/sync-org-jeugdhulp
"""


def until(check, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_run_follows_the_schedule_and_stops_on_sigterm(sekmet_pair: list[RunningServer],
                                                       tmp_path: Path) -> None:
    env = make_env(sekmet_pair, tmp_path, schedule={"every": "1s"})
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen([sys.executable, "-m", "fhir_regie.sync", "run", "--config",
                               str(env.config_path)], stdout=log, stderr=subprocess.STDOUT)
    try:
        home = env.home
        load(env.local, [*home.resources(), home.action(1)])
        assert until(lambda: "ours:A00001" in home.actions_on(env.partner))
        load(env.local, [home.action(2)])  # a later change: the next scheduled run takes it
        assert until(lambda: "ours:A00002" in home.actions_on(env.partner))
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0  # finishes its run, then stops
    finally:
        if worker.poll() is None:
            worker.kill()
        log.close()
    output = (tmp_path / "worker.log").read_text(encoding="utf-8")
    assert "jeugdhulp push: read" in output  # a summary per run
    assert "Traceback" not in output


def test_run_once_with_no_server_reports_and_exits_1(tmp_path):
    # Port 9 on loopback refuses: each side is "not reached", nothing crashes.
    path = tmp_path / "sync.yaml"
    path.write_text(CONFIG)
    out, err = io.StringIO(), io.StringIO()
    code = main(["sync", "run", "--config", str(path), "--once", "--wait", "0"], stdout=out,
                stderr=err)
    assert code == 1
    assert out.getvalue().splitlines() == ["jeugdhulp: pull: GET _history: ConnectionError",
                                           "jeugdhulp: push: GET _history: ConnectionError"]
    assert err.getvalue().splitlines() == [
        "fhir-regie sync: job jeugdhulp: pull stopped for this run: TransportError",
        "fhir-regie sync: job jeugdhulp: push stopped for this run: TransportError"]
