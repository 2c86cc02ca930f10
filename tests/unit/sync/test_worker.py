"""The worker (fhir_regie.sync.worker): one worker per job, and a clean stop."""

from __future__ import annotations

import os
import threading
import time

from fhir_regie.sync.config import load_config
from fhir_regie.sync.state import StateStore
from fhir_regie.sync.worker import Stop, run_once

CONFIG = """\
state: state.db
organisation: Organization/sync-org-wijkteam
local: {url: "http://127.0.0.1:9/fhir"}
jobs:
  - {name: jeugdhulp, recipient: Organization/sync-org-jeugdhulp,
     partner: {kind: fhir, url: "http://127.0.0.1:9/partner"}}
"""


def test_a_job_another_live_worker_holds_is_left_alone(tmp_path):
    path = tmp_path / "sync.yaml"
    path.write_text(CONFIG)
    config = load_config(path)
    with StateStore(config.state) as state:
        assert state.acquire("jeugdhulp", "the-other-worker", 600)
        state.conn.execute("UPDATE leases SET pid = ?", (os.getppid(),))  # alive, not us
    started = time.monotonic()
    # Would fail to connect if it tried: it must not try. It waits for the lease up to `wait`.
    outcome = run_once(config, wait=0.6)
    assert time.monotonic() - started >= 0.5
    assert outcome.busy == ["jeugdhulp"]
    assert outcome.reports == {}
    assert not outcome.ok


def test_stop_ends_a_wait_at_once():
    stop = Stop()
    threading.Timer(0.05, stop.event.set).start()
    started = time.monotonic()
    stop.sleep(10)
    assert time.monotonic() - started < 2
    assert stop
