"""The servers the contract suite runs against.

By default every test runs twice: against the embedded sekmet-fhir server and against our HAPI
FHIR JPA server (``hapi_server`` in tests/conftest.py, marked ``hapi``). With
``FHIR_REGIE_CONTRACT_URL`` it runs once, against that FHIR R4 server only, optionally with
``FHIR_REGIE_CONTRACT_TOKEN`` as a bearer token.

A semantic a server is known to lack is marked ``@pytest.mark.sekmet_gap(reason)`` or
``@pytest.mark.hapi_gap(reason)``: against that server the test is an ``xfail(strict=True)`` (so
it turns red the day the server gains the semantic), against any other server it runs as a
normal test. docs/client.md has the table of every check per server.
"""

from __future__ import annotations

import os

import pytest

from fhir_regie.client import BearerToken, FhirClient
from tests import identities

CONTRACT_URL = os.environ.get("FHIR_REGIE_CONTRACT_URL", "").strip()
# marker -> the server kind (parameter of ``contract_client``) it describes
GAPS = {"sekmet_gap": ("sekmet", "sekmet-fhir"), "hapi_gap": ("hapi", "HAPI FHIR")}
KINDS = ["url"] if CONTRACT_URL else ["sekmet", pytest.param("hapi", marks=pytest.mark.hapi)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sekmet_gap(reason): a REST semantic the embedded sekmet-fhir server lacks")
    config.addinivalue_line(
        "markers", "hapi_gap(reason): a REST semantic our HAPI FHIR JPA server lacks")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        kind = callspec.params.get("contract_client") if callspec is not None else None
        for marker, (gap_kind, server) in GAPS.items():
            gap = item.get_closest_marker(marker)
            if gap is not None and kind == gap_kind:
                reason = gap.args[0] if gap.args else gap.kwargs.get("reason", "")
                item.add_marker(pytest.mark.xfail(strict=True, reason=f"{server}: {reason}"))


@pytest.fixture(scope="session", params=KINDS)
def contract_client(request: pytest.FixtureRequest) -> FhirClient:
    if request.param == "url":
        token = os.environ.get("FHIR_REGIE_CONTRACT_TOKEN")
        return FhirClient(CONTRACT_URL, auth=BearerToken(token) if token else None,
                          timeout=(5, 60))
    server = request.getfixturevalue(f"{request.param}_server")
    return FhirClient(server.base_url, timeout=(5, 120))


@pytest.fixture
def system() -> str:
    """An identifier system of this test alone (and of this run: tests/identities.py), so tests
    never see each other's data, nor an earlier run's on a server that keeps it."""
    return identities.system("contract")
