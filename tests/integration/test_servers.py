"""Several embedded servers (two organisations), the server command and the demo."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from fhir_regie.cli import main
from fhir_regie.client import FhirClient, NotFound
from fhir_regie.client.server import EmbeddedServer
from tests.conftest import RunningServer


def test_two_servers_are_independent(two_servers: list[RunningServer]) -> None:
    vt, team = (FhirClient(server.base_url) for server in two_servers)
    assert two_servers[0].base_url != two_servers[1].base_url
    case = {"resourceType": "Patient", "id": "handover-1", "name": [{"family": "Over"}]}
    vt.update(case)
    with pytest.raises(NotFound):
        team.read("Patient", "handover-1")
    team.update(vt.read("Patient", "handover-1", as_dict=True), if_match=False)
    assert team.read("Patient", "handover-1").name[0].family == "Over"


def test_location_headers_use_the_real_port(fhir_server: RunningServer) -> None:
    result = FhirClient(fhir_server.base_url).create({"resourceType": "Patient"})
    assert result.location.startswith(f"{fhir_server.base_url}/Patient/")


def test_a_temporary_data_dir_is_removed_on_stop() -> None:
    server = EmbeddedServer().start()
    data_dir = server.data_dir
    assert data_dir is not None
    assert (data_dir / "sekmet.db").exists()
    server.stop()
    assert not data_dir.exists()
    assert not server.running


def test_server_command_prints_the_url_and_stops_cleanly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fhir_regie.cli", "server", "--data", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/fhir")
        assert requests.get(f"{url}/metadata", timeout=5).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (tmp_path / "sekmet.db").exists()  # a given data dir is kept
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/metadata", timeout=2)


def test_server_command_reports_a_taken_port_in_one_line(fhir_server: RunningServer) -> None:
    err = io.StringIO()
    code = main(["server", "--port", str(fhir_server.port)], stdout=io.StringIO(), stderr=err)
    assert code == 1
    assert err.getvalue().startswith("fhir-regie server: ")
    assert len(err.getvalue().strip().splitlines()) == 1


def test_demo_loads_the_household_into_an_embedded_server() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["demo"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("loaded 56 resources into the embedded FHIR server at "
                           "http://127.0.0.1:")
    assert last.endswith(", read back 56")
    assert "Huishouden:" in out.getvalue()  # the existing summary is still there
