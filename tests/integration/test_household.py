"""A whole example household on the embedded FHIR server: create, read back, conflict, paging."""

from __future__ import annotations

from typing import Any

import pytest

from fhir_regie.client import Conflict, FhirClient, bundle_entry, make_bundle
from fhir_regie.demo import household_resources
from fhir_regie.ig import load_package
from tests import identities
from tests.conftest import RunningServer

# Own ids for this run (tests/identities.py): the session's server is shared with other tests
# (some write example organisations of the guide) and may keep earlier runs' data, and this
# module needs every resource to be new.
TAG = identities.tag("v")
HOUSEHOLD = f"household-de-vries-{TAG}"


def without_meta(resource: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in resource.items() if key != "meta"}


@pytest.fixture(scope="module")
def client(fhir_server: RunningServer) -> FhirClient:
    return FhirClient(fhir_server.base_url, timeout=(5, 120))


@pytest.fixture(scope="module")
def household() -> dict[str, dict[str, Any]]:
    found = household_resources(load_package(), "household-de-vries")
    ids = {key: f"{key}-{TAG}" for key in found}
    renamed = {}
    for key, resource in found.items():
        copy = identities.renamed(resource, ids)
        copy["id"] = f"{resource['id']}-{TAG}"
        renamed[ids[key]] = copy
    return renamed


@pytest.fixture(scope="module")
def loaded(client: FhirClient, household: dict[str, dict[str, Any]]) -> dict[str, Any]:
    bundle = make_bundle("transaction", [bundle_entry("PUT", resource)
                                         for _, resource in sorted(household.items())])
    return client.transaction(bundle, as_dict=True)


def test_household_is_created_in_one_transaction(loaded: dict[str, Any],
                                                 household: dict[str, Any]) -> None:
    # 56 in 0.1; the report (issue 21), the GP's PractitionerRole, the alleged-perpetrator alert,
    # the two plan signatures (regie-plan-signature)
    assert len(household) == 61
    assert loaded["type"] == "transaction-response"
    assert [e["response"]["status"][:3] for e in loaded["entry"]] == ["201"] * 61


def test_every_resource_reads_back_unchanged(client: FhirClient, loaded: dict[str, Any],
                                             household: dict[str, Any]) -> None:
    for key, sent in household.items():
        rtype, rid = key.split("/")
        stored = client.read(rtype, rid, as_dict=True)
        assert without_meta(stored) == without_meta(sent), key
        assert stored["meta"]["versionId"] == "1"
        assert stored["meta"].get("profile") == sent.get("meta", {}).get("profile")


def test_plans_are_found_from_the_household(client: FhirClient, loaded: dict[str, Any]) -> None:
    entries = list(client.search_entries(
        "Group", {"_id": HOUSEHOLD, "_revinclude": "CarePlan:subject"}, as_dict=True))
    assert [e.resource["id"] for e in entries if e.mode == "match"] == [HOUSEHOLD]
    assert sorted(e.resource["id"] for e in entries if e.mode == "include") == [
        f"devries-safety-plan-{TAG}", f"devries-support-plan-{TAG}"]


def test_updating_a_plan_from_a_stale_copy_fails(client: FhirClient, loaded: dict[str, Any],
                                                 household: dict[str, Any]) -> None:
    # Its own copy of the plan (for a copy of the household Group): the other tests of the
    # module, in any order, see the loaded household unchanged (version 1, two plans).
    group = dict(household[f"Group/{HOUSEHOLD}"], id=f"{HOUSEHOLD}-update")
    plan = dict(household[f"CarePlan/devries-support-plan-{TAG}"],
                id=f"devries-support-plan-{TAG}-update",
                subject={"reference": f"Group/{HOUSEHOLD}-update"})
    client.transaction(make_bundle("transaction", [bundle_entry("PUT", group),
                                                   bundle_entry("PUT", plan)]))
    stale = client.read("CarePlan", plan["id"])
    fresh = client.read("CarePlan", plan["id"])
    fresh.description = "Bijgewerkt na het voortgangsoverleg."
    assert client.update(fresh).version_id == "2"
    stale.description = "Een andere wijziging op een oude versie."
    with pytest.raises(Conflict) as caught:  # 412; HAPI answers 409 (docs/hapi.md)
        client.update(stale)
    assert caught.value.status in (409, 412)
    assert caught.value.outcome is not None
    current = client.read("CarePlan", plan["id"])
    assert current.meta.versionId == "2"
    assert current.description == "Bijgewerkt na het voortgangsoverleg."


def test_paging_through_250_tasks(client: FhirClient, loaded: dict[str, Any]) -> None:
    system = identities.system("paging")
    tasks = [{"resourceType": "Task", "status": "requested", "intent": "order",
              "identifier": [{"system": system, "value": str(n)}],
              "for": {"reference": f"Group/{HOUSEHOLD}"},
              "description": f"Afspraak {n}"} for n in range(250)]
    client.transaction(make_bundle("transaction", [bundle_entry("POST", t) for t in tasks]))
    pages = list(client.pages("Task", {"identifier": f"{system}|", "_count": "50"},
                              as_dict=True))
    values = [e["resource"]["identifier"][0]["value"] for p in pages for e in p.get("entry", [])]
    assert len(pages) == 5
    assert sorted(values, key=int) == [str(n) for n in range(250)]
    assert len(list(client.search("Task", {"identifier": f"{system}|", "_count": "100"}))) == 250
