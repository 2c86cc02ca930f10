"""The door of the sync (fhir_regie.sync.outbound): no partner write without the guard's copy;
what a transaction's answer means; the guard's decisions per household and its records of what
went. HTTP edge cases with ``responses`` (no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import responses

from fhir_regie.client import FhirClient, RetryPolicy
from fhir_regie.sync.config import Job
from fhir_regie.sync.fhirside import FhirSide
from fhir_regie.sync.outbound import Guard, GuardError, Permitted, Write, write

BASE = "https://fhir.partner.example/fhir"


def side(name: str = "partner") -> FhirSide:
    return FhirSide(FhirClient(BASE, retry=RetryPolicy.none()), name)


def task(rid: str) -> dict[str, Any]:
    return {"resourceType": "Task", "id": rid, "status": "requested", "intent": "plan"}


WRITES = [Write("Task", "t1", task("t1"), "3", ("Task", "l1")),
          Write("Task", "t2", task("t2"), None, ("Task", "l2"))]
ALLOWED = Permitted(copies={("Task", "l1"): task("l1"), ("Task", "l2"): task("l2")})


def test_a_partner_write_without_the_guards_copy_stops_the_run():
    with pytest.raises(GuardError, match="without a copy the consent guard permitted"):
        write(side(), WRITES, Permitted(copies={("Task", "l1"): task("l1")}))
    with pytest.raises(GuardError):
        write(side(), WRITES, None)


@responses.activate
def test_our_own_server_needs_no_guard_and_versions_come_from_the_etags():
    responses.post(BASE, json={"resourceType": "Bundle", "type": "transaction-response",
                               "entry": [{"response": {"status": "200", "etag": 'W/"4"'}},
                                         {"response": {"status": "201", "etag": 'W/"1"'}}]})
    results = write(side("local"), WRITES)
    assert [(r.kind, r.version) for r in results] == [("ok", "4"), ("ok", "1")]
    sent = json.loads(responses.calls[0].request.body)
    assert [e["request"] for e in sent["entry"]] == [
        {"method": "PUT", "url": "Task/t1", "ifMatch": 'W/"3"'},
        {"method": "PUT", "url": "Task/t2"}]
    assert responses.calls[0].request.headers["Prefer"] == "return=minimal"


@responses.activate
def test_a_stale_if_match_writes_entry_by_entry():
    responses.post(BASE, status=412, json={"resourceType": "OperationOutcome",
                                           "issue": [{"severity": "error", "code": "conflict"}]})
    responses.put(f"{BASE}/Task/t1", status=412, json={"resourceType": "OperationOutcome",
                                                       "issue": [{"severity": "error",
                                                                  "code": "conflict"}]})
    responses.put(f"{BASE}/Task/t2", status=201, headers={"ETag": 'W/"1"'}, body="")
    results = write(side(), WRITES, ALLOWED)
    assert [(r.kind, r.version, r.rule) for r in results] == [
        ("conflict", None, "http-412"), ("ok", "1", "")]
    assert responses.calls[1].request.headers["If-Match"] == 'W/"3"'
    assert "If-Match" not in responses.calls[2].request.headers


@responses.activate
def test_hapis_409_is_a_conflict_too_and_a_refusal_is_named():
    responses.post(BASE, status=409)
    responses.put(f"{BASE}/Task/t1", status=409)
    responses.put(f"{BASE}/Task/t2", status=422, json={
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "processing", "diagnostics": "Sanne"}]})
    first, second = write(side(), WRITES, ALLOWED)
    assert first.kind == "conflict"
    assert (second.kind, second.rule) == ("refused", "http-422")
    assert "processing" in second.message
    assert "Sanne" not in second.message  # diagnostics may name persons: never copied


@responses.activate
@pytest.mark.parametrize(("status", "rule"), [(503, "ServerError"), (429, "http-429")])
def test_no_answer_to_rely_on_means_retry_everything(status, rule):
    responses.post(BASE, status=status, headers={"Retry-After": "7"})
    results = write(side(), WRITES, ALLOWED)
    assert {(r.kind, r.rule) for r in results} == {("retry", rule)}
    if status == 429:
        assert results[0].wait == 7.0
    assert len(responses.calls) == 1  # a transaction is never repeated blindly


@responses.activate
def test_an_answer_that_does_not_pair_with_the_writes_means_retry():
    responses.post(BASE, json={"resourceType": "Bundle", "type": "transaction-response",
                               "entry": [{"response": {"status": "200"}}]})
    assert {r.kind for r in write(side("local"), WRITES)} == {"retry"}
    responses.replace(responses.POST, BASE, body="<html>oops</html>", status=200)
    assert {r.rule for r in write(side("local"), WRITES)} == {"InvalidResponse"}


class Memory:
    """An in-memory stand-in for our server, for the guard's reads (no HTTP)."""

    def __init__(self, resources: list[dict[str, Any]]) -> None:
        self.data = {(r["resourceType"], r["id"]): r for r in resources}
        self.client = self

    def read(self, rtype: str, rid: str) -> dict[str, Any] | None:
        return self.data.get((rtype, rid))

    def read_many(self, rtype: str, ids: Any) -> dict[str, dict[str, Any]]:
        return {i: self.data[(rtype, i)] for i in ids if (rtype, i) in self.data}

    def search(self, rtype: str, params: dict[str, str], as_dict: bool = True) -> Any:
        (name, value), = params.items()
        wanted = set(value.split(","))
        for (kind, _), resource in self.data.items():
            if kind != rtype:
                continue
            element = resource.get({"member": "member", "patient": "patient",
                                    "subject": "subject"}[name])
            refs = [m.get("entity", m) for m in element] if isinstance(element, list) \
                else [element]
            if any(isinstance(r, dict) and r.get("reference") in wanted for r in refs):
                yield resource


def jansen() -> list[dict[str, Any]]:
    from tests.integration.sync.household import Jansen

    home = Jansen("unit")
    return [*home.resources(), home.action(1), home.action(2, health=True)]


def test_the_guard_decides_per_household_and_records_only_what_went():
    resources = jansen()
    memory = Memory(resources)
    job = Job(name="jeugdhulp", partner={"kind": "fhir", "url": BASE},
              recipient="Organization/sync-org-jeugdhulp")
    guard = Guard(memory, job, "Organization/sync-org-wijkteam")  # type: ignore[arg-type]
    data = [r for r in resources if r["resourceType"] in ("Task", "Practitioner", "Group")]
    permitted = guard.share(data, datetime(2026, 12, 1, 10, tzinfo=UTC))
    assert ("Task", "unit-action-1") in permitted.copies
    assert ("Group", "unit-household") in permitted.copies
    assert ("Practitioner", "unit-deboer") in permitted.copies  # as context of the action
    assert any("health-data" in reason
               for reason in permitted.denied[("Task", "unit-action-2")])
    events = guard.audit_events(permitted, [("Task", "unit-action-1")], "batch-1")
    assert len(events) == 1
    entities = {e["what"]["reference"]: e for e in events[0]["entity"]}
    assert set(entities) == {"Task/unit-action-1", "Task/unit-action-2"}
    assert "extension" in entities["Task/unit-action-2"]  # withheld, with the reason
    again = guard.audit_events(permitted, [("Task", "unit-action-1")], "batch-1")
    assert [e["id"] for e in again] == [e["id"] for e in events]  # redone: the same ids
    assert guard.audit_events(permitted, [], "batch-2") == []  # nothing went: no record


def test_an_organisation_two_households_share_goes_with_the_one_that_may_have_it():
    """A batch with two households that both refer to our organisation: the first has no
    consent for this recipient, the second has. The organisation goes as the second's context,
    and the first's denial does not spread to the second's resources (it did: issue 24's
    region benchmark)."""
    from tests.integration.sync.household import Jansen

    allowed, other = Jansen("unitb"), Jansen("unita")
    elsewhere = [json.loads(json.dumps(r).replace("Organization/sync-org-jeugdhulp",
                                                  "Organization/sync-org-elders"))
                 if r["resourceType"] == "Consent" else r for r in other.resources()]
    resources = [*elsewhere, other.action(1), *allowed.resources(), allowed.action(1)]
    memory = Memory(resources)
    job = Job(name="jeugdhulp", partner={"kind": "fhir", "url": BASE},
              recipient="Organization/sync-org-jeugdhulp")
    guard = Guard(memory, job, "Organization/sync-org-wijkteam")  # type: ignore[arg-type]
    ours = {"resourceType": "Organization", "id": "sync-org-wijkteam", "active": True,
            "name": "Sociaal Wijkteam Arnhem-Zuid"}
    # The denied household comes first, as in a batch ordered by change.
    data = [r for r in resources if r["resourceType"] in ("Task", "Group")]
    data.insert(0, ours)
    permitted = guard.share(data, datetime(2026, 12, 1, 10, tzinfo=UTC))
    assert ("Task", "unita-action-1") in permitted.denied
    assert ("Group", "unita-household") in permitted.denied
    assert ("Task", "unitb-action-1") in permitted.copies
    assert ("Group", "unitb-household") in permitted.copies
    assert ("Organization", "sync-org-wijkteam") in permitted.copies
    assert not set(permitted.copies) & set(permitted.denied)
