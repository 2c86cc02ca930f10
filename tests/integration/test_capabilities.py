"""The servers meet the guide's server CapabilityStatements (kind = requirements).

For every server statement of the package (Veilig Thuis, the local team, a partner under sync)
and every resource it lists, each declared interaction and each declared search parameter is
exercised on the embedded server (sekmet) and on HAPI (``fhir_server``):

* the guide's examples are written in one transaction under ids of this run (transaction);
* read, vread, update (with the current version in If-Match, and refused with a stale one when
  the statement says ``versioned-update``), create, search-type (``_id``), history-system;
* a search parameter is tried with a value taken from an example through the parameter's
  FHIRPath (ours from the package, R4 core's from ``CORE_EXPRESSIONS``): the example must be
  found, and with a value that matches nothing (same ``_id``) it must not be, so a server that
  ignores the parameter fails.

What a server lacks is listed in ``KNOWN_GAPS`` (server kind, resource, parameter -> reason) and
runs as a strict xfail: when the server starts to support it, the test says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import fhirpathpy
import pytest
from fhirpathpy.models import models

from fhir_regie.client import FhirClient, HttpError, bundle_entry, make_bundle
from fhir_regie.ig import load_package
from tests import identities
from tests.conftest import RunningServer

TAG = uuid.uuid4().hex[:8]
R4 = models["r4"]  # choice types: an extension's `value` is its valueCodeableConcept
BSN = "http://fhir.nl/fhir/NamingSystem/bsn"
HOUSEHOLD_NUMBER = "https://fhir-regie.nl/fhir/NamingSystem/gemeente-suite-household"

# R4 core search parameters the statements use, by definition url: their FHIRPath.
CORE = "http://hl7.org/fhir/SearchParameter/"
CORE_EXPRESSIONS = {
    "Resource-id": "id",
    "Task-code": "Task.code", "Task-status": "Task.status", "Task-based-on": "Task.basedOn",
    "Task-identifier": "Task.identifier", "Task-subject": "Task.for",
    "Flag-subject": "Flag.subject",
    "CarePlan-subject": "CarePlan.subject", "Goal-subject": "Goal.subject",
    "Condition-subject": "Condition.subject", "Observation-subject": "Observation.subject",
    "CareTeam-subject": "CareTeam.subject", "RelatedPerson-patient": "RelatedPerson.patient",
    "Group-member": "Group.member.entity", "Group-identifier": "Group.identifier",
    "Patient-identifier": "Patient.identifier",
    "Organization-identifier": "Organization.identifier",
    "AuditEvent-entity": "AuditEvent.entity.what", "AuditEvent-agent": "AuditEvent.agent.who",
}

# (server kind, resource type, search parameter) -> why that server does not support it.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {
    ("sekmet", "CarePlan", "household"):
        "sekmet-fhir 0.1.1 knows only R4 core search parameters",
    ("sekmet", "Task", "handover-status"):
        "sekmet-fhir 0.1.1 knows only R4 core search parameters",
    ("sekmet", "Task", "handover-route"):
        "sekmet-fhir 0.1.1 knows only R4 core search parameters",
    ("sekmet", "Goal", "subject"):
        "sekmet-fhir 0.1.1 ignores Goal?subject (answers as if it were not there)",
    ("sekmet", "CareTeam", "subject"):
        "sekmet-fhir 0.1.1 ignores CareTeam?subject (answers as if it were not there)",
}


def _statements() -> list[dict[str, Any]]:
    return sorted((resource for resource in load_package().conformance.values()
                   if resource["resourceType"] == "CapabilityStatement"
                   and resource.get("kind") == "requirements"
                   # The gateway is ours (fhir_regie.gateway): tests/unit/gateway checks it.
                   and resource["id"] != "regie-gateway"
                   and any(rest.get("mode") == "server" for rest in resource.get("rest", []))),
                  key=lambda resource: resource["id"])


def _declared() -> list[tuple[str, str, str]]:
    """(statement id, resource type, interaction or ``search:<param>``) for every item."""
    items = []
    for statement in _statements():
        for rest in statement["rest"]:
            for interaction in rest.get("interaction", []):
                items.append((statement["id"], "*", interaction["code"]))
            for resource in rest.get("resource", []):
                for interaction in resource.get("interaction", []):
                    items.append((statement["id"], resource["type"], interaction["code"]))
                for param in resource.get("searchParam", []):
                    items.append((statement["id"], resource["type"],
                                  f"search:{param['name']}"))
    return items


@pytest.fixture(scope="module")
def client(fhir_server: RunningServer) -> FhirClient:
    return FhirClient(fhir_server.base_url, timeout=(5, 120))


@pytest.fixture(scope="module")
def examples() -> dict[str, dict[str, Any]]:
    """Every example of the guide under an id of this run, references renamed to match."""
    found = load_package().examples
    ids = {key: f"{key}-{TAG}" for key in found}
    renamed = {}
    for key, resource in found.items():
        copy = identities.renamed(resource, ids)
        copy["id"] = f"{resource['id']}-{TAG}"
        if copy["resourceType"] == "Group" and not copy.get("identifier"):
            # The example households carry no number; a partner's case system gives one (the
            # sync matches households by it), so the identifier search has something to find.
            copy["identifier"] = [{"system": HOUSEHOLD_NUMBER, "value": copy["id"]}]
        renamed[ids[key]] = copy
    return renamed


@pytest.fixture(scope="module")
def loaded(client: FhirClient, examples: dict[str, dict[str, Any]]) -> dict[str, Any]:
    started = datetime.now(UTC)
    bundle = make_bundle("transaction", [bundle_entry("PUT", resource)
                                         for _, resource in sorted(examples.items())])
    response = client.transaction(bundle, as_dict=True)
    assert response["type"] == "transaction-response"
    return {"since": started, "examples": examples}


def _of_type(loaded: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [resource for key, resource in sorted(loaded["examples"].items())
            if key.startswith(f"{resource_type}/")]


def _found(client: FhirClient, resource_type: str, params: dict[str, str]) -> set[str]:
    return {resource["id"] for resource in client.search(resource_type, params, as_dict=True,
                                                         fresh=True)}


def _search_values(value: Any) -> Iterator[str]:
    """Query values for one FHIRPath result: Reference, Identifier, CodeableConcept, Coding,
    code/string."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        if "reference" in value:
            yield value["reference"]
        elif "coding" in value:
            for coding in value["coding"]:
                yield from _search_values(coding)
        elif "code" in value and "system" in value:
            yield f"{value['system']}|{value['code']}"
        elif "value" in value and "system" in value:
            yield f"{value['system']}|{value['value']}"


def _expression(definition: str) -> str:
    if definition.startswith(CORE):
        return CORE_EXPRESSIONS[definition.removeprefix(CORE)]
    return str(load_package().by_url(definition)["expression"])


def _evaluate(resource: dict[str, Any], expression: str) -> list[Any]:
    """FHIRPath on the example; ``.where(resolve() is X)`` becomes a filter on the reference."""
    target = None
    marker = ".where(resolve() is "
    if marker in expression:
        expression, rest = expression.split(marker, 1)
        target = rest.rstrip(")")
    values = fhirpathpy.evaluate(resource, expression, model=R4)
    if target is not None:
        values = [v for v in values if isinstance(v, dict)
                  and str(v.get("reference", "")).startswith(f"{target}/")]
    return values


def _param(statement_id: str, resource_type: str, name: str) -> dict[str, Any]:
    statement = next(s for s in _statements() if s["id"] == statement_id)
    resource = next(r for rest in statement["rest"] for r in rest["resource"]
                    if r["type"] == resource_type)
    return next(p for p in resource["searchParam"] if p["name"] == name)


def _resource_entry(statement_id: str, resource_type: str) -> dict[str, Any]:
    statement = next(s for s in _statements() if s["id"] == statement_id)
    return next(r for rest in statement["rest"] for r in rest["resource"]
                if r["type"] == resource_type)


def test_every_server_statement_declares_something() -> None:
    ids = {statement["id"] for statement in _statements()}
    assert ids == {"regie-vt-server", "regie-team-server", "regie-sync-partner"}
    assert len(_declared()) > 100


@pytest.mark.parametrize(("statement_id", "resource_type", "item"), _declared(),
                         ids=str)
def test_declared_item_works(request: pytest.FixtureRequest, client: FhirClient,
                             loaded: dict[str, Any],
                             statement_id: str, resource_type: str, item: str) -> None:
    kind = request.node.callspec.params["fhir_server"]
    reason = KNOWN_GAPS.get((kind, resource_type, item.removeprefix("search:")))
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    if resource_type == "*":
        _system_interaction(client, loaded, item)
        return
    candidates = _of_type(loaded, resource_type)
    assert candidates, f"no example of {resource_type} to exercise {item} with"
    if item.startswith("search:"):
        _search(client, candidates, _param(statement_id, resource_type,
                                           item.removeprefix("search:")))
    else:
        _interaction(client, candidates[0], item,
                     _resource_entry(statement_id, resource_type))


def _system_interaction(client: FhirClient, loaded: dict[str, Any], code: str) -> None:
    some = next(iter(sorted(loaded["examples"])))
    if code == "transaction":
        # The examples went in as one transaction (the fixture); reading one back proves it.
        resource_type, resource_id = some.split("/", 1)
        assert client.read(resource_type, resource_id, as_dict=True)["id"] == resource_id
    elif code == "history-system":
        seen = {f"{entry.resource_type}/{entry.id}" for entry in
                client.history(since=loaded["since"], as_dict=True)}
        missing = sorted(set(loaded["examples"]) - seen)
        assert not missing, f"not in the system history since the load: {missing[:5]}"
    else:
        pytest.fail(f"no check written for the system interaction {code}")


def _interaction(client: FhirClient, example: dict[str, Any], code: str,
                 entry: dict[str, Any]) -> None:
    resource_type, resource_id = example["resourceType"], example["id"]
    current = client.read(resource_type, resource_id, as_dict=True)
    if code == "read":
        assert current["id"] == resource_id
        assert current["resourceType"] == resource_type
    elif code == "vread":
        version = current["meta"]["versionId"]
        again = client.vread(resource_type, resource_id, version, as_dict=True)
        assert (again["id"], again["meta"]["versionId"]) == (resource_id, version)
    elif code == "update":
        result = client.update(current, as_dict=True)
        assert result.status in (200, 201)
        if entry.get("versioning") == "versioned-update":
            with pytest.raises(HttpError) as refused:
                client.update(current, if_match='W/"999999"')
            assert refused.value.status in (409, 412)
    elif code == "create":
        copy = {key: value for key, value in example.items() if key not in ("id", "meta")}
        result = client.create(copy, as_dict=True)
        assert result.status == 201
        assert result.id
        assert result.id != resource_id
        assert client.read(resource_type, result.id, as_dict=True)["id"] == result.id
    elif code == "search-type":
        assert resource_id in _found(client, resource_type, {"_id": resource_id})
    else:
        pytest.fail(f"no check written for the interaction {code}")


def _search(client: FhirClient, candidates: list[dict[str, Any]],
            param: dict[str, Any]) -> None:
    name, expression = param["name"], _expression(param["definition"])
    for example in candidates:
        values = [v for value in _evaluate(example, expression) for v in _search_values(value)]
        if not values:
            continue
        resource_type, resource_id = example["resourceType"], example["id"]
        value = values[0]
        assert resource_id in _found(client, resource_type, {name: value, "_id": resource_id}), \
            f"{resource_type}?{name}=... did not find the example it describes"
        if name != "_id":
            nothing = _no_match(param["type"], value)
            assert resource_id not in _found(client, resource_type,
                                             {name: nothing, "_id": resource_id}), \
                f"{resource_type}?{name} seems ignored: a value matching nothing found the example"
        return
    pytest.fail(f"no example has a value for {name} ({expression})")


def _no_match(kind: str, value: str) -> str:
    if kind == "reference":
        return f"{value.split('/', 1)[0]}/nothing-{TAG}"
    if "|" in value:
        return f"{value.split('|', 1)[0]}|nothing-{TAG}"
    return f"nothing-{TAG}"


def test_a_person_is_found_by_bsn_across_household_members(client: FhirClient,
                                                          loaded: dict[str, Any]) -> None:
    """The team server statement: ``Group?member:Patient.identifier=<bsn system>|<bsn>``."""
    for group in _of_type(loaded, "Group"):
        for member in group.get("member", []):
            person = loaded["examples"].get(member["entity"].get("reference", ""))
            bsns = [i["value"] for i in (person or {}).get("identifier", [])
                    if i.get("system") == BSN]
            if person is None or person["resourceType"] != "Patient" or not bsns:
                continue
            params = {"member:Patient.identifier": f"{BSN}|{bsns[0]}", "_id": group["id"]}
            assert group["id"] in _found(client, "Group", params)
            params["member:Patient.identifier"] = f"{BSN}|000000000"
            assert group["id"] not in _found(client, "Group", params)
            return
    pytest.fail("no example household has a member Patient with a BSN")


# Household-level resources found for one member (docs/ig/household.md, Household or person):
# the chained search the team server statement requires, per resource type, on both servers.
MEMBER_SEARCH = ("CarePlan", "Goal", "Condition", "Observation", "Task")


@pytest.mark.parametrize("resource_type", MEMBER_SEARCH)
def test_household_level_resources_are_found_for_a_member(
        request: pytest.FixtureRequest, client: FhirClient, loaded: dict[str, Any],
        resource_type: str) -> None:
    """``{type}?subject:Group.member=Patient/{id}`` finds a resource whose subject is the
    household of that member, and does not find it for someone outside the household."""
    reason = KNOWN_GAPS.get((request.node.callspec.params["fhir_server"], resource_type,
                             "subject"))
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    element = "for" if resource_type == "Task" else "subject"
    for example in _of_type(loaded, resource_type):
        group = loaded["examples"].get(example.get(element, {}).get("reference", ""))
        if group is None or group["resourceType"] != "Group":
            continue
        member = group["member"][0]["entity"]["reference"]
        params = {"subject:Group.member": member, "_id": example["id"]}
        assert example["id"] in _found(client, resource_type, params), \
            f"{resource_type}?subject:Group.member did not find the household's resource"
        outsider = f"Patient/nothing-{TAG}"
        params["subject:Group.member"] = outsider
        assert example["id"] not in _found(client, resource_type, params), \
            f"{resource_type}?subject:Group.member seems ignored"
        # All of a member's household-level resources at once, the way a GP's system asks.
        everything = _found(client, resource_type, {"subject:Group.member": member})
        assert example["id"] in everything
        ours = [loaded["examples"][f"{resource_type}/{found}"] for found in everything
                if f"{resource_type}/{found}" in loaded["examples"]]
        assert {r[element]["reference"] for r in ours} == {f"Group/{group['id']}"}, \
            f"{resource_type}: the chain found resources of another subject"
        return
    pytest.fail(f"no example {resource_type} has a household as its subject")
