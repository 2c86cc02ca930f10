"""The server the contract suite runs against.

By default the embedded sekmet-fhir server; with ``FHIR_REGIE_CONTRACT_URL`` any FHIR R4 server
(e.g. a HAPI FHIR JPA server), optionally with ``FHIR_REGIE_CONTRACT_TOKEN`` as a bearer token.

A semantic the embedded server is known to lack is marked ``@pytest.mark.sekmet_gap(reason)``:
against the embedded server that test is an ``xfail(strict=True)`` (so it turns red the day the
server gains the semantic), against any other server it runs as a normal test.
"""

from __future__ import annotations

import os
import uuid

import pytest

from fhir_regie.client import BearerToken, FhirClient

CONTRACT_URL = os.environ.get("FHIR_REGIE_CONTRACT_URL", "").strip()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sekmet_gap(reason): a REST semantic the embedded sekmet-fhir server lacks")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CONTRACT_URL:
        return
    for item in items:
        gap = item.get_closest_marker("sekmet_gap")
        if gap is not None:
            reason = gap.args[0] if gap.args else gap.kwargs.get("reason", "")
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"sekmet-fhir: {reason}"))


@pytest.fixture(scope="session")
def contract_client(request: pytest.FixtureRequest) -> FhirClient:
    if CONTRACT_URL:
        token = os.environ.get("FHIR_REGIE_CONTRACT_TOKEN")
        return FhirClient(CONTRACT_URL, auth=BearerToken(token) if token else None,
                          timeout=(5, 60))
    server = request.getfixturevalue("fhir_server")
    return FhirClient(server.base_url)


@pytest.fixture
def system() -> str:
    """An identifier system of this test alone, so tests never see each other's data."""
    return f"urn:uuid:{uuid.uuid4()}"
