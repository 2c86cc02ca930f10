"""Taking in with the local team's own credentials per server (HTTP mocked: which token goes
where is the point; the whole flow runs on real servers in tests/integration)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import responses

from fhir_regie.client import BearerToken
from fhir_regie.handover import Credentials, take_in
from fhir_regie.handover.notification import TaskAddress
from fhir_regie.model import Organisation, handover_notification, to_json

OWN, VT, ELSEWHERE = ("https://fhir.lokaalteam.example/fhir", "https://fhir.vt.example/fhir",
                      "https://fhir.elders.example/fhir")
AT = datetime(2026, 11, 18, 16, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def note(base: str, identifier: str) -> dict:
    address = TaskAddress(base, "vt-handover-1", "2")
    built = to_json(handover_notification(
        identifier=identifier, task_url=address.url, vt=Organisation("Veilig Thuis", "90001231"),
        local_team=Organisation("Lokaal team Arnhem", "90004620"),
        authored_on="2026-11-18T14:00:00+01:00"))
    return {**built, "id": identifier[:8], "meta": {**built["meta"], "versionId": "1"}}


@responses.activate
def test_each_server_gets_its_own_token_and_an_unknown_one_gets_none():
    from_vt, from_elsewhere = note(VT, "a1b2c3d4-0000"), note(ELSEWHERE, "e5f6a7b8-0000")
    responses.get(f"{OWN}/Task", json={"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": from_vt, "search": {"mode": "match"}},
        {"resource": from_elsewhere, "search": {"mode": "match"}}]})
    cancelled = {"resourceType": "Task", "id": "vt-handover-1", "meta": {"versionId": "2"},
                 "status": "cancelled", "statusReason": {"text": "Verhuisd."}, "intent": "order"}
    responses.get(f"{VT}/Task/vt-handover-1", json=cancelled)
    responses.get(f"{OWN}/Task/vt-handover-1", status=404,
                  json={"resourceType": "OperationOutcome", "issue": []})
    responses.put(f"{OWN}/Task/{from_vt['id']}", json={**from_vt, "status": "completed"})
    credentials = Credentials(OWN, BearerToken("own-server"),
                              {VT: BearerToken("the-teams-token-for-vt")})
    taken = take_in(credentials, at=AT)
    assert [(t.notification, t.outcome) for t in taken] == [
        (f"Task/{from_vt['id']}", "cancelled"), (f"Task/{from_elsewhere['id']}", "waiting")]
    tokens = {(c.request.method, c.request.url.split("?")[0]): c.request.headers.get(
        "Authorization") for c in responses.calls}
    assert tokens[("GET", f"{VT}/Task/vt-handover-1")] == "Bearer the-teams-token-for-vt"
    assert tokens[("GET", f"{OWN}/Task")] == "Bearer own-server"
    assert tokens[("PUT", f"{OWN}/Task/{from_vt['id']}")] == "Bearer own-server"
    assert not any(c.request.url.startswith(ELSEWHERE) for c in responses.calls)
    put = json.loads(next(c.request.body for c in responses.calls if c.request.method == "PUT"))
    assert put["status"] == "completed"
    assert "Verhuisd." in put["businessStatus"]["text"]   # never pulled: VT's reason kept


@responses.activate
def test_one_notification_that_fails_unexpectedly_does_not_block_the_next(monkeypatch):
    import importlib

    inbox_module = importlib.import_module("fhir_regie.handover.inbox")
    from fhir_regie.handover.inbox import Taken

    first, second = note(VT, "0badc0de-0000"), note(VT, "600dc0de-0000")
    responses.get(f"{OWN}/Task", json={"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": first, "search": {"mode": "match"}},
        {"resource": second, "search": {"mode": "match"}}]})
    responses.post(f"{OWN}/Binary", status=201, json={"resourceType": "Binary", "id": "kept1",
                                                    "contentType": "application/fhir+json"},
                   headers={"Location": f"{OWN}/Binary/kept1/_history/1"})
    responses.put(f"{OWN}/Task/{first['id']}", json=first)

    def fake(credentials, one, all_notes, at):
        if one["id"] == first["id"]:
            raise KeyError("Hoekstra")   # e.g. data nobody foresaw; its text names a person
        return Taken(f"Task/{one['id']}", "taken-in", "Task/vt-handover-1", "2")

    monkeypatch.setattr(inbox_module, "take_in_one", fake)
    taken = take_in(Credentials(OWN, None, {VT: None}), at=AT)

    assert [(t.notification, t.outcome) for t in taken] == [
        (f"Task/{first['id']}", "refused"), (f"Task/{second['id']}", "taken-in")]
    assert taken[0].reason == "Geweigerd: onverwachte fout bij het verwerken (KeyError)"
    assert taken[0].kept == "Binary/kept1"
    [written] = [json.loads(c.request.body) for c in responses.calls
                 if c.request.method == "PUT"]
    assert written["status"] == "failed"
    assert written["statusReason"]["text"] == taken[0].reason
    assert written["output"][0]["valueReference"]["reference"] == "Binary/kept1"
    assert "Hoekstra" not in json.dumps(written)   # only the error's type is recorded
