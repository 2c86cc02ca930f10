"""A sync job between two real FHIR servers (``two_servers``: sekmet and HAPI), one per test.

The servers of the session are shared with other tests: each test's job starts "now" (nothing
written before it is ever read) and uses its own household copy (``Jansen(tag)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from fhir_regie.client import FhirClient
from fhir_regie.sync.config import Config, load_config
from fhir_regie.sync.state import StateStore
from fhir_regie.sync.worker import Outcome, run_once
from tests.conftest import RunningServer
from tests.integration.sync.household import Jansen, ensure_organisations, write_config


@dataclass
class SyncEnv:
    local: FhirClient
    partner: FhirClient
    config_path: Path
    home: Jansen
    folder: Path

    @property
    def config(self) -> Config:
        return load_config(self.config_path)

    def run(self, wait: float = 10.0) -> Outcome:
        outcome = run_once(self.config, wait=wait)
        assert not any(r.errors for r in outcome.reports.values()), outcome.reports
        return outcome

    def state(self) -> StateStore:
        return StateStore(self.config.state)

    def rows(self, direction: str, status: str) -> list[Any]:
        with self.state() as state:
            return state.rows("jeugdhulp", direction, status)


def fresh_client(url: str) -> FhirClient:
    """A client whose searches HAPI does not answer from its 60 s search cache."""
    session = requests.Session()
    session.headers["Cache-Control"] = "no-cache"
    return FhirClient(url, session, timeout=(5, 120))


def make_env(servers: list[RunningServer], folder: Path, **job: Any) -> SyncEnv:
    local, partner = servers
    env = SyncEnv(fresh_client(local.base_url), fresh_client(partner.base_url),
                  write_config(folder, local.base_url, partner.base_url, **job), Jansen(),
                  folder)
    ensure_organisations(env.local, env.partner)
    env.run()  # the job starts now: later writes only
    return env


@pytest.fixture
def env(two_servers: list[RunningServer], tmp_path: Path) -> Iterator[SyncEnv]:
    made = make_env(two_servers, tmp_path)
    yield made
    made.local.close()
    made.partner.close()
