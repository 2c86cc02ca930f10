"""Several embedded servers (two organisations), the server command and the demo."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from fhir_regie.cli import main
from fhir_regie.client import FhirClient, NotFound
from fhir_regie.client.server import EmbeddedServer
from tests import identities
from tests.conftest import RunningServer


def test_two_servers_are_independent(two_servers: list[RunningServer]) -> None:
    vt, team = (FhirClient(server.base_url) for server in two_servers)
    assert two_servers[0].base_url != two_servers[1].base_url
    # An id of this run (tests/identities.py): the servers may keep earlier runs' data.
    rid = identities.tag("handover-")
    case = {"resourceType": "Patient", "id": rid, "name": [{"family": "Over"}]}
    vt.update(case)
    with pytest.raises(NotFound):
        team.read("Patient", rid)
    team.update(vt.read("Patient", rid, as_dict=True), if_match=False)
    assert team.read("Patient", rid).name[0].family == "Over"


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


def test_demo_tells_the_whole_story_on_two_servers(tmp_path: Path) -> None:
    import json

    out, err = io.StringIO(), io.StringIO()
    code = main(["demo", "--out", str(tmp_path)], stdout=out, stderr=err)
    text = out.getvalue()
    assert code == 0, text + err.getvalue()
    assert "Veilig Thuis Gelderland-Midden: http://127.0.0.1:" in text
    assert "Lokaal team Arnhem: http://127.0.0.1:" in text
    assert "[FOUT]" not in text
    for check in ("binnen 5 werkdagen", "bevat niets van de casus",
                  "overdrachtsmoment 2026-11-19T09:15:27+01:00 vastgelegd bij Veilig Thuis en "
                  "bij het lokale team",
                  "de monitoringsmomenten staan ook op de server van Veilig Thuis: 2027-02-19, "
                  "2027-11-19",
                  "zijn dezelfde als bij Veilig Thuis", "niets gedeeld met de organisatie van "
                  "de vermoedelijke pleger", "eerste contact op 2026-11-24",
                  "naam en nummer van de melder staan nergens"):
        assert f"[ok] {check}" in text or check in text, check
    assert text.count("[ok] ") == 12  # 12th: the family copy has the safety person's number
    # a sync round with the municipality's case system: status changes both ways
    assert "[ok] in step met het zaaksysteem: 25 resources binnen, 1 gewijzigde actie(s) " \
           "terug, 1 verstrekking(en) vastgelegd" in text
    assert (tmp_path / "sync" / "state" / "sync.db").exists()
    # the workflow rules at the end: deadlines and the safety phase of the plan
    # (columns as wide as their longest value: matched on the words, not the spaces)
    assert re.search(r"gehaald +2026-12-03 +local-team-first-contact +Task/hoekstra-handover",
                     text)
    assert re.search(r"gehaald +2026-11-09 +vt-safety-assessment", text)  # the record is there
    assert re.search(r"open +2027-02-19 +vt-monitoring", text)
    assert "(direct, actief): fase veiligheid; nog niet klaar voor risicogestuurde zorg" in text
    # one language: the whole story is Dutch (no message id, no English text of the catalogue)
    from tests.unit.test_messages import assert_dutch

    assert_dutch(text)
    assert "Task/hoekstra-handover versie 1 (aangeboden) op http://127.0.0.1:" in text
    assert "afgeschermd: Composition/hoekstra-document" in text
    assert "reporter identity" not in text      # the guard's English reason, told in Dutch
    timeline = text.split("\nTijdlijn:\n", 1)[1].splitlines()
    assert timeline[0].startswith("  ma 02-11-2026 08:40  Veilig Thuis  melding")
    assert timeline[5].startswith("  do 19-11-2026 09:15  Lokaal team   overdracht aangenomen")
    gp = json.loads((tmp_path / "huisarts-veiligheidsplan.json").read_text(encoding="utf-8"))
    kinds = {entry["resource"]["resourceType"] for entry in gp["entry"]}
    assert "CarePlan" in kinds
    assert not kinds & {"Patient", "RelatedPerson", "Observation"}   # not in the consent
    assert "Verbeek" not in json.dumps(gp)
    case = json.loads((tmp_path / "vt-casus.json").read_text(encoding="utf-8"))
    assert "Verbeek" in json.dumps(case)   # VT's own record knows who called
    # the household's safety plan as HTML and PDF, their paths printed
    from pypdf import PdfReader

    [html] = sorted((tmp_path / "documenten").glob("*.html"))
    [pdf] = sorted((tmp_path / "documenten").glob("*.pdf"))
    assert f"HTML: {html}" in text
    assert f"PDF: {pdf}" in text
    pdf_text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    for words in ("Veiligheidsplan Huishouden Hoekstra", "Voorwaarden van Veilig Thuis",
                  "veiligheidsschaal"):
        assert words in pdf_text, words
    assert "Verbeek" not in html.read_text(encoding="utf-8")   # the reporter is not named
    # made for Linda and the children (not for Erik): their safety person's number is in it
    assert "06-33445566" in html.read_text(encoding="utf-8")
