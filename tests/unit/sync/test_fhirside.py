"""Reading a FHIR side (fhir_regie.sync.fhirside), with ``responses`` (no network): history
newest first, stopping at the moment even when the server's next links lose it, deletions."""

from __future__ import annotations

import responses

from fhir_regie.client import FhirClient, RetryPolicy
from fhir_regie.sync.fhirside import FhirSide

BASE = "https://fhir.partner.example/fhir"


def entry(rid: str, version: str, moment: str | None, method: str = "PUT") -> dict:
    found = {"fullUrl": f"{BASE}/Task/{rid}",
             "request": {"method": method, "url": f"Task/{rid}"},
             "response": {"status": "200 OK", "etag": f'W/"{version}"'}}
    if moment:
        found["response"]["lastModified"] = moment
    if method != "DELETE":
        found["resource"] = {"resourceType": "Task", "id": rid,
                             "meta": {"versionId": version}}
    return found


@responses.activate
def test_history_stops_at_the_first_older_entry_whatever_the_next_link_says():
    side = FhirSide(FhirClient(BASE, retry=RetryPolicy.none()), "partner")
    responses.get(f"{BASE}/_history", json={
        "resourceType": "Bundle", "type": "history",
        "link": [{"relation": "next", "url": f"{BASE}/_history?_offset=2"}],
        "entry": [entry("b", "2", "2026-12-01T10:00:02.000+01:00"),
                  entry("a", "1", "2026-12-01T09:00:01.000Z")]},
        match=[responses.matchers.query_param_matcher(
            {"_since": "2026-12-01T09:00:00.000Z", "_count": "1000"})])
    responses.get(f"{BASE}/_history", json={  # a next page without _since (sekmet 0.1.1)
        "resourceType": "Bundle", "type": "history",
        "entry": [entry("z", "1", "2026-11-01T09:00:00.000Z")]},
        match=[responses.matchers.query_param_matcher({"_offset": "2"})])
    changes = list(side.history("2026-12-01T09:00:00.000Z", {"Task"}))
    assert [(c.rid, c.version, c.last_updated) for c in changes] == [
        ("b", "2", "2026-12-01T09:00:02.000Z"),  # HAPI's offsets normalised to UTC
        ("a", "1", "2026-12-01T09:00:01.000Z")]


@responses.activate
def test_a_deletion_without_a_moment_does_not_end_the_read():
    side = FhirSide(FhirClient(BASE, retry=RetryPolicy.none()), "partner")
    responses.get(f"{BASE}/_history", json={
        "resourceType": "Bundle", "type": "history",
        "entry": [entry("c", "3", "2026-12-01T09:00:05.000Z"),
                  entry("b", "2", None, method="DELETE"),
                  entry("a", "1", "2026-12-01T09:00:01.000Z"),
                  {**entry("x", "1", "2026-12-01T09:00:01.000Z"),
                   "resource": {"resourceType": "Patient", "id": "x"}}]})
    changes = list(side.history("2026-12-01T09:00:00.000Z", {"Task"}))
    assert [(c.rid, c.deleted) for c in changes] == [("c", False), ("b", True), ("a", False)]
    assert changes[1].last_updated == "2026-12-01T09:00:05.000Z"


@responses.activate
def test_a_newest_deletion_without_a_moment_has_none():
    side = FhirSide(FhirClient(BASE, retry=RetryPolicy.none()), "partner")
    responses.get(f"{BASE}/_history", json={
        "resourceType": "Bundle", "type": "history",
        "entry": [entry("b", "2", None, method="DELETE"),
                  entry("a", "1", "2026-12-01T09:00:01.000Z")]})
    changes = list(side.history(None, {"Task"}))
    assert [(c.rid, c.last_updated) for c in changes] == [("b", ""),
                                                          ("a", "2026-12-01T09:00:01.000Z")]


@responses.activate
def test_the_newest_moment_skips_a_deletion_without_one():
    # HAPI answers a deletion in the history without lastModified: a job that starts "now"
    # must take the newest moment there is, never an empty one (it was stored as year 0 and
    # every later run of the job failed on it)
    side = FhirSide(FhirClient(BASE, retry=RetryPolicy.none()), "partner")
    responses.get(f"{BASE}/_history", json={
        "resourceType": "Bundle", "type": "history",
        "entry": [entry("c", "3", None, method="DELETE"),
                  entry("b", "2", "2026-12-01T10:00:02.000+01:00")]})
    assert side.newest() == "2026-12-01T09:00:02.000Z"


@responses.activate
def test_no_moment_in_sight_is_no_moment():
    side = FhirSide(FhirClient(BASE, retry=RetryPolicy.none()), "partner")
    responses.get(f"{BASE}/_history", json={
        "resourceType": "Bundle", "type": "history",
        "entry": [entry("c", "3", None, method="DELETE")]})
    assert side.newest() is None
