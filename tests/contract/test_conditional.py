"""Conditional create and conditional update (FHIR R4 http.html §3.1.0.8, §3.1.0.5.3)."""

from __future__ import annotations

import pytest

from fhir_regie.client import FhirClient, PreconditionFailed
from tests.contract.helpers import patient


def _count(client: FhirClient, system: str) -> int:
    return len(list(client.search("Patient", {"identifier": f"{system}|"})))


def test_conditional_create_without_match_creates(contract_client: FhirClient,
                                                  system: str) -> None:
    result = contract_client.create(patient(system), if_none_exist={"identifier": f"{system}|1"})
    assert result.status == 201
    assert _count(contract_client, system) == 1


def test_conditional_create_with_one_match_returns_it(contract_client: FhirClient,
                                                      system: str) -> None:
    first = contract_client.create(patient(system))
    again = contract_client.create(patient(system, family="Anders"),
                                   if_none_exist={"identifier": f"{system}|1"})
    assert again.status == 200
    assert not again.created
    assert again.id == first.id
    assert _count(contract_client, system) == 1
    assert contract_client.read("Patient", first.id).name[0].family == "Contract"


def test_conditional_create_with_several_matches_is_412(contract_client: FhirClient,
                                                        system: str) -> None:
    contract_client.create(patient(system))
    contract_client.create(patient(system))
    with pytest.raises(PreconditionFailed):
        contract_client.create(patient(system), if_none_exist={"identifier": f"{system}|1"})
    assert _count(contract_client, system) == 2


def test_conditional_update_without_match_creates(contract_client: FhirClient,
                                                  system: str) -> None:
    result = contract_client.update_by_identifier(patient(system), system)
    assert result.status == 201
    assert _count(contract_client, system) == 1


def test_conditional_update_with_one_match_updates_it(contract_client: FhirClient,
                                                      system: str) -> None:
    first = contract_client.create(patient(system))
    result = contract_client.update_by_identifier(patient(system, family="Nieuw"), system)
    assert result.status == 200
    assert result.id == first.id
    assert result.version_id == "2"
    assert contract_client.read("Patient", first.id).name[0].family == "Nieuw"
    assert _count(contract_client, system) == 1


def test_conditional_update_with_several_matches_is_412(contract_client: FhirClient,
                                                        system: str) -> None:
    a = contract_client.create(patient(system))
    contract_client.create(patient(system))
    with pytest.raises(PreconditionFailed):
        contract_client.update_by_identifier(patient(system, family="Nieuw"), system)
    assert contract_client.read("Patient", a.id).name[0].family == "Contract"
