"""Search: token, _lastUpdated, _count, paging by next links, _include/_revinclude
(FHIR R4 search.html)."""

from __future__ import annotations

import time
from datetime import datetime

from fhir_regie.client import FhirClient, bundle_entry, make_bundle
from tests.contract.helpers import observation, patient


def _create_many(client: FhirClient, system: str, count: int) -> set[str]:
    bundle = make_bundle("transaction", [bundle_entry("POST", patient(system, str(n)))
                                         for n in range(count)])
    response = client.transaction(bundle, as_dict=True)
    return {entry["response"]["location"].split("/")[-3] for entry in response["entry"]}


def test_token_search_on_system_and_value(contract_client: FhirClient, system: str) -> None:
    wanted = contract_client.create(patient(system, "a"))
    contract_client.create(patient(system, "b"))
    found = [p.id for p in contract_client.search("Patient", {"identifier": f"{system}|a"})]
    assert found == [wanted.id]


def test_token_search_on_system_only(contract_client: FhirClient, system: str) -> None:
    ids = {contract_client.create(patient(system, v)).id for v in ("a", "b")}
    found = {p.id for p in contract_client.search("Patient", {"identifier": f"{system}|"})}
    assert found == ids


def test_last_updated_search(contract_client: FhirClient, system: str) -> None:
    old = contract_client.create(patient(system, "old"))
    time.sleep(0.05)
    new = contract_client.create(patient(system, "new"))
    moment = new.resource.meta.lastUpdated
    assert isinstance(moment, datetime)
    cutoff = moment.isoformat()
    newer = {p.id for p in contract_client.search(
        "Patient", [("identifier", f"{system}|"), ("_lastUpdated", f"ge{cutoff}")])}
    older = {p.id for p in contract_client.search(
        "Patient", [("identifier", f"{system}|"), ("_lastUpdated", f"lt{cutoff}")])}
    assert newer == {new.id}
    assert older == {old.id}


def test_count_limits_the_page_size(contract_client: FhirClient, system: str) -> None:
    _create_many(contract_client, system, 7)
    first = next(contract_client.pages("Patient", {"identifier": f"{system}|", "_count": "3"},
                                       as_dict=True))
    assert len(first["entry"]) == 3
    assert any(link["relation"] == "next" for link in first["link"])


def test_paging_by_next_links_returns_every_match_once(contract_client: FhirClient,
                                                       system: str) -> None:
    created = _create_many(contract_client, system, 23)
    pages = list(contract_client.pages("Patient", {"identifier": f"{system}|", "_count": "5"},
                                       as_dict=True))
    ids = [e["resource"]["id"] for page in pages for e in page.get("entry", [])]
    assert len(pages) == 5
    assert sorted(ids) == sorted(created)


def test_include_returns_the_referenced_resource(contract_client: FhirClient,
                                                 system: str) -> None:
    person = contract_client.create(patient(system))
    contract_client.create(observation(system, f"Patient/{person.id}"))
    entries = list(contract_client.search_entries(
        "Observation", {"identifier": f"{system}|1", "_include": "Observation:subject"},
        as_dict=True))
    modes = sorted((e.mode, e.resource["resourceType"]) for e in entries)
    assert modes == [("include", "Patient"), ("match", "Observation")]


def test_revinclude_returns_the_referring_resources(contract_client: FhirClient,
                                                    system: str) -> None:
    person = contract_client.create(patient(system))
    obs = contract_client.create(observation(system, f"Patient/{person.id}"))
    entries = list(contract_client.search_entries(
        "Patient", {"_id": person.id, "_revinclude": "Observation:subject"}, as_dict=True))
    assert sorted((e.mode, e.resource["id"]) for e in entries) == [
        ("include", obs.id), ("match", person.id)]
