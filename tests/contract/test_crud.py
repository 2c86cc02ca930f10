"""Create, read, update, delete, patch; 404 and 410 (FHIR R4 http.html §3.1.0.2-3.1.0.7)."""

from __future__ import annotations

import pytest

from fhir_regie.client import FhirClient, Gone, NotFound
from tests import identities
from tests.contract.helpers import patient


def test_metadata_is_an_r4_capability_statement(contract_client: FhirClient) -> None:
    statement = contract_client.capabilities(as_dict=True)
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"].startswith("4.0")


def test_create_assigns_id_version_1_and_location(contract_client: FhirClient,
                                                  system: str) -> None:
    result = contract_client.create(patient(system))
    assert result.status == 201
    assert result.id
    assert result.version_id == "1"
    assert result.location
    assert f"Patient/{result.id}" in result.location


def test_read_returns_what_was_created(contract_client: FhirClient, system: str) -> None:
    created = contract_client.create(patient(system, family="Lezen"))
    read = contract_client.read("Patient", created.id, as_dict=True)
    assert read["id"] == created.id
    assert read["name"][0]["family"] == "Lezen"
    assert read["identifier"][0] == {"system": system, "value": "1"}
    assert read["meta"]["versionId"] == "1"


def test_read_of_unknown_id_is_404(contract_client: FhirClient) -> None:
    with pytest.raises(NotFound) as caught:
        contract_client.read("Patient", "does-not-exist-contract-0")
    assert caught.value.status == 404


def test_update_increments_version(contract_client: FhirClient, system: str) -> None:
    created = contract_client.create(patient(system)).resource
    created.gender = "female"
    updated = contract_client.update(created)
    assert updated.status == 200
    assert updated.version_id == "2"
    assert contract_client.read("Patient", created.id).gender == "female"


def test_update_with_client_id_creates(contract_client: FhirClient, system: str) -> None:
    resource = {**patient(system), "id": identities.tag("contract-")}
    result = contract_client.update(resource)
    assert result.status == 201
    assert result.version_id == "1"
    assert contract_client.read("Patient", resource["id"]).id == resource["id"]


def test_read_after_delete_is_410_gone(contract_client: FhirClient, system: str) -> None:
    created = contract_client.create(patient(system))
    contract_client.delete("Patient", created.id)
    with pytest.raises(Gone) as caught:
        contract_client.read("Patient", created.id)
    assert caught.value.status == 410


def test_json_patch_changes_one_element(contract_client: FhirClient, system: str) -> None:
    created = contract_client.create(patient(system))
    result = contract_client.patch("Patient", created.id,
                                   [{"op": "replace", "path": "/gender", "value": "male"}],
                                   if_match=created.version_id, as_dict=True)
    assert result.version_id == "2"
    read = contract_client.read("Patient", created.id, as_dict=True)
    assert read["gender"] == "male"
    assert read["name"][0]["family"] == "Contract"


def test_prefer_return_minimal_sends_no_body(contract_client: FhirClient, system: str) -> None:
    result = contract_client.create(patient(system), prefer="minimal")
    assert result.status == 201
    assert result.resource is None
    assert result.location
    assert result.id
    assert contract_client.read("Patient", result.id).id == result.id


def test_prefer_return_representation_sends_the_resource(contract_client: FhirClient,
                                                         system: str) -> None:
    result = contract_client.create(patient(system), prefer="representation", as_dict=True)
    assert result.resource["id"] == result.id
    assert result.resource["meta"]["versionId"] == "1"


def test_if_none_match_on_current_version_is_304(contract_client: FhirClient,
                                                  system: str) -> None:
    created = contract_client.create(patient(system))
    assert contract_client.read("Patient", created.id, if_none_match=created.version_id) is None


def test_if_none_match_on_old_version_returns_resource(contract_client: FhirClient,
                                                        system: str) -> None:
    created = contract_client.create(patient(system)).resource
    created.gender = "female"  # a real change: some servers keep the version of a no-op PUT
    contract_client.update(created)
    read = contract_client.read("Patient", created.id, if_none_match="1", as_dict=True)
    assert read is not None
    assert read["meta"]["versionId"] == "2"


@pytest.mark.sekmet_gap(
    "an unchanged PUT writes a new version; HAPI (like Microsoft's FHIR server) keeps the "
    "version, so a client must never count on a version bump from an unchanged resource")
def test_update_without_change_keeps_the_version(contract_client: FhirClient,
                                                 system: str) -> None:
    created = contract_client.create(patient(system)).resource
    result = contract_client.update(created)
    assert result.status == 200
    assert result.version_id == "1"
    assert [e.version_id for e in contract_client.history("Patient", created.id)] == ["1"]
