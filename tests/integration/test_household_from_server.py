"""Reading a household back from a FHIR server finds exactly what the guide connects to it,
and the workflow commands give the same answers from the server as from the example."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from fhir_regie.cli import main
from fhir_regie.client import FhirClient, bundle_entry, make_bundle
from fhir_regie.client.household import fetch_household
from fhir_regie.client.server import EmbeddedServer
from fhir_regie.demo import household_resources
from fhir_regie.ig import load_package
from fhir_regie.workflow.sources import SourceError, load_household_from_server

HOUSEHOLDS = ("household-de-vries", "household-van-den-berg", "household-hv-0417")


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    """A server of its own holding all three example households (other tests count versions)."""
    package = load_package()
    everything: dict[str, dict[str, Any]] = {}
    for household in HOUSEHOLDS:
        everything.update(household_resources(package, household))
    with EmbeddedServer() as started, FhirClient(started.base_url) as client:
        client.transaction(make_bundle("transaction", [
            bundle_entry("PUT", resource) for _, resource in sorted(everything.items())]))
        yield started


@pytest.mark.parametrize("household", HOUSEHOLDS)
def test_the_walk_finds_what_the_guide_connects(server: EmbeddedServer, household: str) -> None:
    expected = household_resources(load_package(), household)
    with FhirClient(server.base_url) as client:
        found = fetch_household(client, household)
    assert sorted(found) == sorted(expected)
    assert all(found[key]["id"] == expected[key]["id"] for key in expected)
    # The alleged-perpetrator alerts come along: the guard needs them to shield the victims.
    alerts = {key for key in expected if key.startswith("Flag/")}
    assert alerts
    assert alerts <= set(found)


def test_households_do_not_leak_into_each_other(server: EmbeddedServer) -> None:
    with FhirClient(server.base_url) as client:
        de_vries = fetch_household(client, "household-de-vries")
        hv = fetch_household(client, "household-hv-0417")
    patients = {key for key in de_vries if key.startswith("Patient/")}
    assert patients
    assert not patients & {key for key in hv if key.startswith("Patient/")}


@pytest.mark.parametrize("command", ["status", "deadlines", "safety", "meldcode"])
def test_commands_answer_the_same_from_the_server(server: EmbeddedServer, command: str) -> None:
    answers = []
    for source in (["--example", "household-hv-0417"],
                   ["--server", server.base_url, "--household", "household-hv-0417"]):
        out, err = io.StringIO(), io.StringIO()
        code = main([command, *source, "--at", "2026-11-20", "--format", "json"], out, err)
        answers.append((code, out.getvalue(), err.getvalue()))
    assert answers[0][2] == answers[1][2] == ""
    assert answers[0] == answers[1]


def test_unknown_household_is_one_line(server: EmbeddedServer) -> None:
    with pytest.raises(SourceError, match=r"Group/nobody not found$"):
        load_household_from_server(server.base_url, "nobody")
    out, err = io.StringIO(), io.StringIO()
    code = main(["status", "--server", server.base_url, "--household", "nobody"], out, err)
    assert code == 2
    assert err.getvalue().count("\n") == 1
    assert "Group/nobody niet gevonden" in err.getvalue()  # Dutch for the coordinator


def test_unreachable_server_is_one_line() -> None:
    with pytest.raises(SourceError, match=r"cannot read Group/x \(TransportError\)"):
        load_household_from_server("http://127.0.0.1:9/fhir", "x")
