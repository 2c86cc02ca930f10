"""Transaction and batch bundles (FHIR R4 http.html §3.1.0.11)."""

from __future__ import annotations

import uuid

import pytest

from fhir_regie.client import FhirClient, HttpError, bundle_entry, make_bundle
from tests import identities
from tests.contract.helpers import observation, patient


def test_transaction_applies_every_entry(contract_client: FhirClient, system: str) -> None:
    bundle = make_bundle("transaction", [bundle_entry("POST", patient(system, "a")),
                                         bundle_entry("POST", patient(system, "b"))])
    response = contract_client.transaction(bundle, as_dict=True)
    assert response["type"] == "transaction-response"
    assert [e["response"]["status"][:3] for e in response["entry"]] == ["201", "201"]
    assert len(list(contract_client.search("Patient", {"identifier": f"{system}|"}))) == 2


def test_transaction_is_rolled_back_when_one_entry_fails(contract_client: FhirClient,
                                                         system: str) -> None:
    existing = contract_client.create(patient(system, "existing")).resource
    changed = existing.model_dump(mode="json", by_alias=True, exclude_none=True)
    changed["gender"] = "female"
    bundle = make_bundle("transaction", [
        bundle_entry("POST", patient(system, "new")),
        bundle_entry("PUT", changed),
        bundle_entry("PUT", {**changed, "gender": "male"}, if_match='W/"99"'),  # stale: fails
    ])
    with pytest.raises(HttpError) as caught:
        contract_client.transaction(bundle)
    assert 400 <= caught.value.status < 500
    assert [p.identifier[0].value for p in contract_client.search(
        "Patient", {"identifier": f"{system}|"})] == ["existing"]
    assert contract_client.read("Patient", existing.id).gender == "unknown"


def test_transaction_rewrites_urn_uuid_references(contract_client: FhirClient,
                                                  system: str) -> None:
    temporary = f"urn:uuid:{uuid.uuid4()}"
    bundle = make_bundle("transaction", [
        bundle_entry("POST", observation(system, temporary)),
        bundle_entry("POST", patient(system), full_url=temporary),
    ])
    contract_client.transaction(bundle)
    person = next(contract_client.search("Patient", {"identifier": f"{system}|1"}))
    obs = next(contract_client.search("Observation", {"identifier": f"{system}|1"}))
    assert obs.subject.reference == f"Patient/{person.id}"


def test_transaction_put_with_client_ids_keeps_references(contract_client: FhirClient,
                                                          system: str) -> None:
    pid = identities.tag("ct-")
    bundle = make_bundle("transaction", [
        bundle_entry("PUT", {**observation(system, f"Patient/{pid}"), "id": f"{pid}-obs"}),
        bundle_entry("PUT", {**patient(system), "id": pid}),
    ])
    response = contract_client.transaction(bundle, as_dict=True)
    assert [e["response"]["status"][:3] for e in response["entry"]] == ["201", "201"]
    assert contract_client.read("Observation", f"{pid}-obs").subject.reference == f"Patient/{pid}"


def test_batch_entries_succeed_or_fail_independently(contract_client: FhirClient,
                                                     system: str) -> None:
    bundle = make_bundle("batch", [
        bundle_entry("POST", patient(system, "ok")),
        bundle_entry("GET", url="Patient/does-not-exist-contract-1"),
    ])
    response = contract_client.batch(bundle, as_dict=True)
    assert response["type"] == "batch-response"
    assert [e["response"]["status"][:3] for e in response["entry"]] == ["201", "404"]
    assert len(list(contract_client.search("Patient", {"identifier": f"{system}|ok"}))) == 1


def test_validate_operation_returns_an_operation_outcome(contract_client: FhirClient,
                                                         system: str) -> None:
    outcome = contract_client.validate(patient(system), as_dict=True)
    assert outcome["resourceType"] == "OperationOutcome"
    assert not [i for i in outcome.get("issue", []) if i["severity"] in ("error", "fatal")]


def test_transaction_conditional_create_does_not_duplicate(contract_client: FhirClient,
                                                           system: str) -> None:
    first = contract_client.create(patient(system))
    bundle = make_bundle("transaction", [
        bundle_entry("POST", patient(system, family="Dubbel"), full_url=f"urn:uuid:{uuid.uuid4()}",
                     if_none_exist=f"identifier={system}|1")])
    response = contract_client.transaction(bundle, as_dict=True)
    assert response["entry"][0]["response"]["status"][:3] == "200"
    found = list(contract_client.search("Patient", {"identifier": f"{system}|"}))
    assert [p.id for p in found] == [first.id]
    assert found[0].name[0].family == "Contract"
