"""Version-aware updates, vread and history (FHIR R4 http.html §3.1.0.5.1, §3.1.0.4, §3.1.0.12)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from fhir_regie.client import Conflict, FhirClient, PreconditionFailed
from tests.contract.helpers import patient


def test_update_with_stale_if_match_is_refused(contract_client: FhirClient, system: str) -> None:
    stale = contract_client.create(patient(system)).resource
    fresh = stale.model_copy(deep=True)
    fresh.gender = "female"
    contract_client.update(fresh)
    stale.gender = "male"
    with pytest.raises(Conflict) as caught:  # 412, or HAPI's 409: catch Conflict
        contract_client.update(stale)
    assert caught.value.status in (409, 412)
    assert contract_client.read("Patient", stale.id).gender == "female"


@pytest.mark.hapi_gap(
    "a stale If-Match is answered 409 Conflict (HAPI-0989 'not the current version'), not the "
    "412 Precondition Failed of FHIR R4 http.html; the update is refused all the same")
def test_update_with_stale_if_match_is_412(contract_client: FhirClient, system: str) -> None:
    stale = contract_client.create(patient(system)).resource
    fresh = stale.model_copy(deep=True)
    fresh.gender = "female"
    contract_client.update(fresh)
    stale.gender = "male"
    with pytest.raises(PreconditionFailed) as caught:
        contract_client.update(stale)  # If-Match: W/"1", current is 2
    assert caught.value.status == 412
    assert contract_client.read("Patient", stale.id).gender == "female"


def test_update_with_current_if_match_succeeds(contract_client: FhirClient, system: str) -> None:
    created = contract_client.create(patient(system)).resource
    created.gender = "female"
    result = contract_client.update(created, if_match='W/"1"')
    assert result.version_id == "2"


def test_vread_returns_each_version(contract_client: FhirClient, system: str) -> None:
    created = contract_client.create(patient(system)).resource
    created.gender = "female"
    contract_client.update(created)
    first = contract_client.vread("Patient", created.id, 1, as_dict=True)
    second = contract_client.vread("Patient", created.id, 2, as_dict=True)
    assert first["gender"] == "unknown"
    assert first["meta"]["versionId"] == "1"
    assert second["gender"] == "female"


def test_instance_history_lists_every_version_newest_first(contract_client: FhirClient,
                                                           system: str) -> None:
    created = contract_client.create(patient(system)).resource
    created.gender = "female"
    current = contract_client.update(created).resource
    current.gender = "male"
    contract_client.update(current)
    entries = list(contract_client.history("Patient", created.id))
    assert [e.version_id for e in entries] == ["3", "2", "1"]
    assert {e.id for e in entries} == {created.id}


def test_instance_history_records_the_delete(contract_client: FhirClient, system: str) -> None:
    created = contract_client.create(patient(system))
    contract_client.delete("Patient", created.id)
    entries = list(contract_client.history("Patient", created.id))
    assert entries[0].deleted
    assert entries[0].resource is None
    assert entries[-1].version_id == "1"


def test_type_history_contains_new_versions(contract_client: FhirClient, system: str) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    created = contract_client.create(patient(system))
    ids = {e.id for e in contract_client.history("Patient", since=before)}
    assert created.id in ids


def test_history_since_excludes_older_versions(contract_client: FhirClient,
                                               system: str) -> None:
    created = contract_client.create(patient(system)).resource
    time.sleep(0.05)
    created.gender = "female"
    second = contract_client.update(created)
    entries = list(contract_client.history("Patient", created.id, since=second.last_modified))
    assert [e.version_id for e in entries] == ["2"]


@pytest.mark.sekmet_gap(
    "_since is compared as text with the stored UTC instants ('...Z'): with "
    "_since=<moment>+01:00 the version written after that moment is missing (empty history)")
def test_history_since_accepts_an_instant_with_a_zone_offset(contract_client: FhirClient,
                                                             system: str) -> None:
    # A moment between the two versions, written in Dutch winter time (+01:00).
    created = contract_client.create(patient(system)).resource
    time.sleep(0.05)
    moment = datetime.now(timezone(timedelta(hours=1)))
    time.sleep(0.05)
    created.gender = "female"
    contract_client.update(created)
    entries = list(contract_client.history("Patient", created.id, since=moment.isoformat()))
    assert [e.version_id for e in entries] == ["2"]


def test_system_history_with_since(contract_client: FhirClient, system: str) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    created = contract_client.create(patient(system))
    found = [e for e in contract_client.history(since=before) if e.id == created.id]
    assert [(e.resource_type, e.version_id) for e in found] == [("Patient", "1")]


def test_history_pages_by_next_links(contract_client: FhirClient, system: str) -> None:
    current = contract_client.create(patient(system)).resource
    for n in range(4):
        current.name[0].family = f"Versie {n + 2}"
        current = contract_client.update(current).resource
    entries = list(contract_client.history("Patient", current.id, count=2))
    assert [e.version_id for e in entries] == ["5", "4", "3", "2", "1"]


@pytest.mark.sekmet_gap(
    "the next links of a _history read drop _since: page 2 onwards lists versions older than "
    "the moment (the sync engine stops at the first older entry itself)")
def test_history_since_keeps_the_moment_on_every_page(contract_client: FhirClient,
                                                      system: str) -> None:
    current = contract_client.create(patient(system)).resource
    for n in range(2):
        current.name[0].family = f"Versie {n + 2}"
        current = contract_client.update(current).resource
    time.sleep(0.05)
    # The server's own instant as it sent it (UTC with Z on sekmet: see the gap above).
    since = contract_client.read("Patient", current.id, as_dict=True)["meta"]["lastUpdated"]
    time.sleep(0.05)
    for n in range(3):
        current.name[0].family = f"Na {n}"
        current = contract_client.update(current).resource
    entries = list(contract_client.history("Patient", current.id, since=since, count=1))
    assert [e.version_id for e in entries] == ["6", "5", "4", "3"]  # 3: written at the moment
