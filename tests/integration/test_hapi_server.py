"""Our HAPI FHIR server (tools/hapi): the package is installed and writes are validated.

What HAPI adds over the embedded server: every create/update, also inside a transaction, is
validated against the Regie profiles the resource claims, and refused on an error. HAPI refuses
with 412 (its RepositoryValidatingInterceptor), not 422: docs/hapi.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from fhir_regie.client import FhirClient, HttpError, NotFound, bundle_entry, make_bundle
from fhir_regie.ig import CANONICAL
from tests import identities
from tests.conftest import RunningServer
from tests.ig.conftest import EXAMPLES, INVALID, load_json

pytestmark = pytest.mark.hapi

# One fixture per kind of rule: an invariant and a cardinality of a profile, and a slice.
REFUSED = ["action-on-hold-without-reason", "action-without-description",
           "handover-without-route"]


@pytest.fixture(scope="module")
def hapi(hapi_server: RunningServer) -> FhirClient:
    return FhirClient(hapi_server.base_url, timeout=(5, 120))


def _fixture(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    return load_json(INVALID / f"{name}.json"), load_json(INVALID / f"{name}.expected.json")


def _diagnostics(error: HttpError) -> str:
    assert error.outcome is not None
    return " ".join(issue.get("diagnostics", "") for issue in error.outcome.get("issue", []))


def test_the_package_is_installed(hapi: FhirClient) -> None:
    url = f"{CANONICAL}/StructureDefinition/regie-agreed-action"
    found = list(hapi.search("StructureDefinition", {"url": url}, as_dict=True))
    assert [sd["url"] for sd in found] == [url]
    assert found[0]["snapshot"]["element"]
    assert list(hapi.search("CodeSystem", {"url": f"{CANONICAL}/CodeSystem/regie-role"},
                            as_dict=True))


@pytest.mark.parametrize("name", REFUSED)
def test_a_write_that_breaks_a_profile_is_refused(hapi: FhirClient, name: str) -> None:
    resource, expected = _fixture(name)
    resource["id"] = identities.tag("hapi-refused-")   # never there before (shared servers)
    with pytest.raises(HttpError) as caught:
        hapi.update(resource, if_match=False)
    assert caught.value.status == 412  # HAPI's answer for a failed repository validation
    assert expected["rule"] in _diagnostics(caught.value)
    with pytest.raises(NotFound):
        hapi.read(resource["resourceType"], resource["id"])


def test_a_transaction_with_one_invalid_entry_stores_nothing(hapi: FhirClient) -> None:
    resource, expected = _fixture("action-without-description")
    patient = {"resourceType": "Patient", "id": identities.tag("hapi-tx-refused-"),
               "gender": "unknown"}
    bundle = make_bundle("transaction", [bundle_entry("PUT", patient),
                                         bundle_entry("PUT", resource)])
    with pytest.raises(HttpError) as caught:
        hapi.transaction(bundle)
    assert caught.value.status == 412
    assert expected["rule"] in _diagnostics(caught.value)
    with pytest.raises(NotFound):
        hapi.read("Patient", patient["id"])


def test_an_unknown_profile_is_refused(hapi: FhirClient) -> None:
    resource = {"resourceType": "Patient", "id": identities.tag("hapi-unknown-profile-"),
                "meta": {"profile": [f"{CANONICAL}/StructureDefinition/regie-does-not-exist"]}}
    with pytest.raises(HttpError) as caught:
        hapi.update(resource, if_match=False)
    assert caught.value.status == 412
    assert "regie-does-not-exist" in _diagnostics(caught.value)


def test_a_valid_profiled_resource_is_stored(hapi: FhirClient) -> None:
    # An example that refers to nothing, so it stands alone; an id (and BSN) of this run, so it
    # is new even on a server that kept earlier runs' data.
    [resource] = identities.fresh_bsns([load_json(EXAMPLES / "Patient-hv0417-father.json")])
    resource["id"] = identities.tag("hapi-valid-")
    result = hapi.update(resource, if_match=False)
    assert result.status == 201
    stored = hapi.read("Patient", resource["id"], as_dict=True)
    assert stored["meta"]["profile"] == resource["meta"]["profile"]
