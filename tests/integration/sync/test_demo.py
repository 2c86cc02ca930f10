"""The demo's sync round (``fhir_regie.sync.demo.sync_round``) between a local team's server
holding the De Vries household (the guide's example) and the case system's drop directory."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from fhir_regie.client import FhirClient, bundle_entry, make_bundle
from fhir_regie.client.server import EmbeddedServer
from fhir_regie.demo import household_resources
from fhir_regie.ig import load_package
from fhir_regie.sync.demo import ACTION_SYSTEM, GEMEENTE, sync_round
from tests.conftest import RunningServer, _start_hapi, _stop


@pytest.fixture(scope="module")
def team_server() -> Iterator[EmbeddedServer]:
    """A server of its own with De Vries on it (the shared one must keep its example ids new)."""
    with EmbeddedServer() as server, FhirClient(server.base_url) as client:
        resources = household_resources(load_package(), "household-de-vries")
        client.transaction(make_bundle("transaction", [
            bundle_entry("PUT", r) for _, r in sorted(resources.items())]), as_dict=True)
        yield server


def disclosures(server_url: str) -> int:
    """The demo's disclosure records already on a server (a shared one keeps earlier runs').
    Asked fresh, and not as the demo asks (HAPI would answer the demo's count from its search
    cache)."""
    with FhirClient(server_url) as client:
        return sum(1 for _ in client.search("AuditEvent", {"agent": GEMEENTE, "_count": "50"},
                                            as_dict=True, fresh=True))


def check(server_url: str, workdir: Path) -> str:
    out = io.StringIO()
    before = disclosures(server_url)
    summary = sync_round(server_url, workdir, out)
    text = out.getvalue()
    # 2 households: 12 + 9 resources, with records; on the session's shared server a few (the
    # organisations) may already be there as they are, from other tests in any order
    assert summary.first.pull.read == 21
    assert summary.first.pull.applied + summary.first.pull.unchanged == 21
    assert summary.first.pull.dead == summary.first.pull.conflicts == 0
    assert summary.statuses == {"A0024171": "completed",  # done in the case system
                                "A0024172": "completed",  # done by the team
                                "A0024173": "requested",
                                "A0024181": "on-hold"}
    assert summary.export is not None
    assert summary.export.parent == workdir / "gemeente" / "in"
    [row] = summary.sent_rows  # only the changed row goes
    assert row.split(";")[0] == "A0024172"
    assert row.split(";")[6] == "afgerond"
    for table in ("clienten.csv", "gezinssamenstelling.csv", "plannen.csv"):
        assert (summary.export / table).read_text(encoding="utf-8").count("\n") == 1  # header
    assert summary.second.push.denied == 1  # the Smit household: no consent
    assert summary.disclosures == before + 1   # this round's one disclosure
    assert "verstuurd: A0024172 afgerond in export" in text
    assert "(A0024171 is hier nu klaar)" in text
    assert "tegengehouden door de toestemmingscontrole: 1 wijziging(en)" in text
    assert "TRACE" not in text
    return text


def test_a_sync_round_with_the_municipal_case_system(team_server: EmbeddedServer,
                                                     tmp_path: Path) -> None:
    text = check(team_server.base_url, tmp_path / "demo")
    assert text.splitlines()[0].startswith("In step met het zaaksysteem van de gemeente")


@pytest.fixture
def demo_hapi(hapi_server: RunningServer) -> Iterator[RunningServer]:
    """A HAPI server that has not seen the demo: the session's, unless it already holds the
    demo's households (a server kept from earlier runs: the demo's numbers are fixed, and a
    new state store makes new copies of them, so the round cannot be played there twice); then
    a fresh one of its own (a JVM: only on such a server, never in CI, whose server is new)."""
    with FhirClient(hapi_server.base_url) as client:
        seen = next(iter(client.search("Task", {"identifier": f"{ACTION_SYSTEM}|A0024171",
                                                "_count": "1"}, as_dict=True, fresh=True)),
                    None)
    if seen is None:
        yield hapi_server
        return
    servers = _start_hapi(1)
    try:
        yield servers[0]
    finally:
        _stop(servers)


@pytest.mark.hapi
def test_a_sync_round_on_hapi(demo_hapi: RunningServer, tmp_path: Path) -> None:
    # HAPI validates every write against the profiles: what the round writes is valid.
    check(demo_hapi.base_url, tmp_path / "demo")
