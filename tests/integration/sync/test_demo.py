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
from fhir_regie.sync.demo import sync_round
from tests.conftest import RunningServer


@pytest.fixture(scope="module")
def team_server() -> Iterator[EmbeddedServer]:
    """A server of its own with De Vries on it (the shared one must keep its example ids new)."""
    with EmbeddedServer() as server, FhirClient(server.base_url) as client:
        resources = household_resources(load_package(), "household-de-vries")
        client.transaction(make_bundle("transaction", [
            bundle_entry("PUT", r) for _, r in sorted(resources.items())]), as_dict=True)
        yield server


def check(server_url: str, workdir: Path) -> str:
    out = io.StringIO()
    summary = sync_round(server_url, workdir, out)
    text = out.getvalue()
    assert summary.first.pull.applied == 21  # 2 households: 12 + 9 resources, with records
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
    assert summary.disclosures == 1
    assert "verstuurd: A0024172 afgerond in export" in text
    assert "(A0024171 is hier nu klaar)" in text
    assert "tegengehouden door de toestemmingscontrole: 1 wijziging(en)" in text
    assert "TRACE" not in text
    return text


def test_a_sync_round_with_the_municipal_case_system(team_server: EmbeddedServer,
                                                     tmp_path: Path) -> None:
    text = check(team_server.base_url, tmp_path / "demo")
    assert text.splitlines()[0].startswith("In step met het zaaksysteem van de gemeente")


@pytest.mark.hapi
def test_a_sync_round_on_hapi(hapi_server: RunningServer, tmp_path: Path) -> None:
    # HAPI validates every write against the profiles: what the round writes is valid.
    check(hapi_server.base_url, tmp_path / "demo")
