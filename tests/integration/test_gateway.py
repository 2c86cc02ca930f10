"""The consent-enforcing gateway between a GP's system and the care record's server (issue 26).

The De Vries household is on the upstream server (the embedded server, and HAPI under the
marker ``hapi``, there under this run's ids); the gateway runs in front of it; partner systems
use the unchanged Python client with SMART Backend Services keys: the GP, youth health care,
the addiction care serving Mark (the adversary side) and another household's GP.
"""

from __future__ import annotations

import copy
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc.jwk import ECKey

from fhir_regie.client import (
    BadRequest,
    FhirClient,
    Forbidden,
    NotFound,
    PrivateKeyJwt,
    bundle_entry,
    make_bundle,
)
from fhir_regie.client.auth import AuthError
from fhir_regie.client.server import EmbeddedServer
from fhir_regie.demo import household_resources
from fhir_regie.gateway import guarded
from fhir_regie.gateway.app import GatewayConfig, create_app
from fhir_regie.gateway.registry import Registry
from fhir_regie.ig import load_package
from fhir_regie.viewer.audit import fetch_views
from fhir_regie.viewer.demo_launcher import free_port, serve
from tests import identities

GP, JGZ, ADDICTION, OTHER_GP = "his-huisarts", "jgz-dossier", "verslavingszorg", "his-ander"
CLIENTS = {  # name -> (organisation in the examples, role, purposes)
    GP: ("devries-org-huisarts", "gp", ["shared-plan-view"]),
    JGZ: ("devries-org-jgz", "youth-health-care", ["shared-plan-view"]),
    ADDICTION: ("devries-org-verslavingszorg", "care-provider", ["care-coordination"]),
    OTHER_GP: ("vdberg-org-huisarts", "gp", ["shared-plan-view"]),
}
#: Sanne's phone number and street in the example (the adversary rule shields them).
SANNE_FACTS = ("06-12345678", "Klarendalseweg")


#: The gateway's moment: now, unless a test moves it (the gateway runs in this process).
MOVED: list[datetime] = []


def _clock() -> datetime:
    return MOVED[-1] if MOVED else datetime.now(UTC)


@dataclass
class Setup:
    gateway: str
    upstream: str
    ids: dict[str, str]          # example "Type/id" -> "Type/id" on this upstream
    keys: dict[str, ECKey]

    def ref(self, example: str) -> str:
        return self.ids.get(example, example)

    def rid(self, example: str) -> str:
        return self.ref(example).split("/", 1)[1]

    def auth(self, name: str, scope: str = "system/*.rs") -> PrivateKeyJwt:
        return PrivateKeyJwt(f"{self.gateway}/auth/token", name, self.keys[name], kid=name,
                             scope=scope)

    def client(self, name: str, scope: str = "system/*.rs") -> FhirClient:
        return FhirClient(self.gateway, auth=self.auth(name, scope))


def _load(base_url: str, prefix: str) -> dict[str, str]:
    """Put De Vries (and the other GP's Organization) on the server; ids with ``prefix``."""
    package = load_package()
    resources = household_resources(package, "household-de-vries")
    resources["Organization/vdberg-org-huisarts"] = \
        package.examples["Organization/vdberg-org-huisarts"]
    ids = {key: f"{key.split('/')[0]}/{prefix}{key.split('/')[1]}" for key in resources}
    moved = identities.fresh_bsns([identities.renamed(r, ids) for r in resources.values()])
    for resource in moved:
        resource["id"] = f"{prefix}{resource['id']}"
    with FhirClient(base_url, timeout=(5, 300)) as client:   # HAPI validates every entry
        client.transaction(make_bundle("transaction", [
            bundle_entry("PUT", resource) for resource in moved]))
    return ids


@pytest.fixture(scope="module", params=["sekmet", pytest.param("hapi", marks=pytest.mark.hapi)])
def setup(request: pytest.FixtureRequest) -> Iterator[Setup]:
    if request.param == "sekmet":
        with EmbeddedServer() as server:
            yield from _gateway(server.base_url, "")
    else:
        server = request.getfixturevalue("hapi_server")
        yield from _gateway(server.base_url, f"{identities.tag('g')}-")


def _gateway(upstream: str, prefix: str) -> Iterator[Setup]:
    ids = _load(upstream, prefix)
    keys = {name: ECKey.generate_key("P-384") for name in CLIENTS}
    registry = Registry.from_data({"clients": [
        {"client_id": name, "organization": ids[f"Organization/{org}"], "ura": "00001234",
         "role": role, "purposes": purposes, "scopes": ["system/*.rs", "system/Task.u"],
         "jwks": {"keys": [{**keys[name].as_dict(private=False), "kid": name}]}}
        for name, (org, role, purposes) in CLIENTS.items()]})
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(GatewayConfig(upstream=upstream, registry=registry, base_url=base,
                                   rate=1000, burst=1000, clock=_clock))
    with serve(app, port):
        yield Setup(base, upstream, ids, keys)


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- permitted, partial, denied --------------------------------------------------------------

def test_the_gp_reads_the_safety_plan_and_the_read_is_recorded(setup: Setup) -> None:
    plan = setup.rid("CarePlan/devries-safety-plan")
    with setup.client(GP) as gp:
        got = gp.read("CarePlan", plan)               # a fhir.resources model: client unchanged
    assert got.id == plan
    with FhirClient(setup.upstream) as upstream:
        views = fetch_views(upstream, plan)
    assert any(v.recipient == setup.ref("Organization/devries-org-huisarts") and v.user == GP
               for v in views), views


def test_the_gp_gets_part_of_the_household(setup: Setup) -> None:
    with setup.client(GP) as gp:
        answer = gp._json(gp._request(  # the household read is an operation: raw GET
            "GET", gp._url(f"Group/{setup.rid('Group/household-de-vries')}/$regie-household")))
    got = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in answer["entry"]}
    assert {setup.ref("Goal/devries-goal-daan"), setup.ref("CarePlan/devries-safety-plan"),
            setup.ref("Condition/devries-concern-school")} <= got
    assert setup.ref("Observation/devries-log-near-miss") not in got     # not consented
    assert setup.ref("Condition/devries-risk-alcohol") not in got        # Mark's: no consent
    assert not any(key.startswith(("Consent/", "AuditEvent/")) for key in got)


def test_what_the_guard_withholds_is_not_found_like_what_does_not_exist(setup: Setup) -> None:
    with setup.client(GP) as gp:
        with pytest.raises(NotFound) as withheld:
            gp.read("Condition", setup.rid("Condition/devries-risk-alcohol"))
        with pytest.raises(NotFound) as missing:
            gp.read("Condition", f"{setup.rid('Condition/devries-risk-alcohol')}-nope")
    assert withheld.value.diagnostics == missing.value.diagnostics


def test_another_households_gp_is_denied_everything(setup: Setup) -> None:
    with setup.client(OTHER_GP) as other:
        with pytest.raises(NotFound):
            other.read("CarePlan", setup.rid("CarePlan/devries-safety-plan"))
        found = list(other.search("CarePlan", {"subject": setup.ref("Group/household-de-vries")},
                                  as_dict=True))
    assert found == []


def test_the_adversary_side_never_gets_sannes_whereabouts(setup: Setup) -> None:
    with setup.client(ADDICTION, "system/*.rs purpose/care-coordination") as care:
        sanne = care.read("Patient", setup.rid("Patient/devries-sanne"), as_dict=True)
        answer = care._json(care._request(
            "GET", care._url(f"Group/{setup.rid('Group/household-de-vries')}/$regie-household")))
    assert sanne["id"] == setup.rid("Patient/devries-sanne")
    for fact in SANNE_FACTS:
        assert fact not in _text(sanne)
        assert fact not in _text(answer)
    got = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in answer["entry"]}
    assert setup.ref("Patient/devries-lotte") not in got


def test_a_revoked_consent_stops_the_next_read(setup: Setup) -> None:
    plan = setup.rid("CarePlan/devries-safety-plan")
    consent_id = setup.rid("Consent/devries-consent-lotte-jgz")
    with setup.client(JGZ) as jgz, FhirClient(setup.upstream) as upstream:
        assert jgz.read("CarePlan", plan, as_dict=True)["id"] == plan
        consent = upstream.read("Consent", consent_id, as_dict=True)
        revoked = {**copy.deepcopy(consent), "status": "inactive"}
        upstream.update(revoked, if_match=False)
        try:
            with pytest.raises(NotFound):
                jgz.read("CarePlan", plan)
        finally:
            restored = upstream.read("Consent", consent_id, as_dict=True)
            upstream.update({**restored, "status": "active"}, if_match=False)


def test_a_consent_that_expired_between_two_reads_stops_the_second(setup: Setup) -> None:
    plan = setup.rid("CarePlan/devries-safety-plan")
    with setup.client(JGZ) as jgz:
        MOVED.append(datetime(2027, 10, 7, 12, tzinfo=UTC))   # the consent ends 2027-10-08
        try:
            assert jgz.read("CarePlan", plan, as_dict=True)["id"] == plan
            MOVED.append(datetime(2027, 10, 9, 12, tzinfo=UTC))
            with pytest.raises(NotFound):
                jgz.read("CarePlan", plan)
        finally:
            MOVED.clear()


def test_vread_goes_through_the_guard_too(setup: Setup) -> None:
    plan = setup.rid("CarePlan/devries-safety-plan")
    with setup.client(GP) as gp:
        got = gp.vread("CarePlan", plan, "1", as_dict=True)
        assert got["id"] == plan
        with pytest.raises(NotFound):
            gp.vread("Condition", setup.rid("Condition/devries-risk-alcohol"), "1")


# --- searches cannot count or include what is withheld ---------------------------------------

def test_search_totals_count_only_what_goes(setup: Setup) -> None:
    household = setup.ref("Group/household-de-vries")
    with FhirClient(setup.upstream) as upstream:
        everything = list(upstream.search("Observation", {"subject": household}, as_dict=True))
    with setup.client(GP) as gp:
        pages = list(gp.pages("Observation", {"subject": household, "_count": "1"},
                             as_dict=True))
        entries = [e["resource"] for p in pages for e in p.get("entry", [])]
    assert setup.ref("Observation/devries-log-near-miss") in \
        {f"Observation/{o['id']}" for o in everything}
    assert {p["total"] for p in pages} == {len(entries)}
    assert len(entries) < len(everything)
    assert setup.rid("Observation/devries-log-near-miss") not in {o["id"] for o in entries}


@pytest.mark.parametrize("params", [
    {"_include": "CarePlan:subject"}, {"_revinclude": "Observation:subject"},
    {"_has:Observation:subject:code": "x"}, {"subject.name": "Sanne"},
    {"_summary": "count"}, {"_elements": "id"}, {"subject:missing": "false"},
    {"address": "Klarendalseweg"},
])
def test_searches_that_could_reveal_withheld_data_are_refused(setup: Setup,
                                                              params: dict[str, str]) -> None:
    with setup.client(GP) as gp, pytest.raises(BadRequest) as refused:
        list(gp.search("CarePlan", params))
    assert refused.value.outcome["issue"][0]["code"] == "not-supported"


def test_a_search_across_too_many_households_is_refused(setup: Setup,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guarded, "MAX_HOUSEHOLDS", 0)     # the gateway runs in this process
    with setup.client(GP) as gp, pytest.raises(BadRequest) as refused:
        list(gp.search("CarePlan", {"subject": setup.ref("Group/household-de-vries")}))
    assert refused.value.outcome["issue"][0]["code"] == "too-costly"


# --- authentication ----------------------------------------------------------------------------

def _assertion(setup: Setup, name: str, *, key: ECKey | None = None, lifetime: int = 300,
               audience: str | None = None, jti: str | None = None) -> str:
    now = int(time.time())
    return private_key_jwt_sign(
        key or setup.keys[name], client_id=name,
        token_endpoint=audience or f"{setup.gateway}/auth/token", alg="ES384",
        claims={"jti": jti or secrets.token_urlsafe(24)},
        header={"alg": "ES384", "kid": name, "typ": "JWT"}, issued_at=now,
        expires_at=now + lifetime)


def _token(setup: Setup, assertion: str, scope: str = "system/*.rs") -> requests.Response:
    return requests.post(f"{setup.gateway}/auth/token", timeout=10, data={
        "grant_type": "client_credentials", "scope": scope,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion})


def test_a_replayed_assertion_is_refused(setup: Setup) -> None:
    assertion = _assertion(setup, GP)
    first, again = _token(setup, assertion), _token(setup, assertion)
    assert first.status_code == 200
    assert first.json()["scope"] == "system/*.rs purpose/shared-plan-view"
    assert again.status_code == 401
    assert again.json()["error"] == "invalid_client"
    assert "replayed" in again.json()["error_description"]


@pytest.mark.parametrize("case", ["other key", "too long", "other audience", "unknown client"])
def test_forged_or_overlong_assertions_are_refused(setup: Setup, case: str) -> None:
    assertion = {
        "other key": lambda: _assertion(setup, GP, key=ECKey.generate_key("P-384")),
        "too long": lambda: _assertion(setup, GP, lifetime=900),
        "other audience": lambda: _assertion(setup, GP, audience="https://elders.example/token"),
        "unknown client": lambda: _assertion(setup, "intruder", key=setup.keys[GP]),
    }[case]()
    answer = _token(setup, assertion)
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


def test_a_forged_token_reads_nothing(setup: Setup) -> None:
    answer = requests.get(f"{setup.gateway}/CarePlan/{setup.rid('CarePlan/devries-safety-plan')}",
                          headers={"Authorization": f"Bearer {secrets.token_urlsafe(32)}"},
                          timeout=10)
    assert answer.status_code == 401
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert "devries" not in answer.text


def test_scopes_and_purposes_are_limited_to_the_registry(setup: Setup) -> None:
    assert _token(setup, _assertion(setup, GP), "system/Consent.cruds").status_code == 400
    assert _token(setup, _assertion(setup, GP),
                  "system/*.rs purpose/care-coordination").json()["error"] == "invalid_scope"
    with setup.client(GP, "system/Goal.rs") as narrow, pytest.raises(Forbidden):
        narrow.read("CarePlan", setup.rid("CarePlan/devries-safety-plan"))
    with pytest.raises(AuthError), setup.client(GP, "user/*.rs") as wrong:
        wrong.read("CarePlan", setup.rid("CarePlan/devries-safety-plan"))


# --- writes --------------------------------------------------------------------------------------

def _task_for_the_gp(setup: Setup) -> str:
    """A new agreed action the GP owns, status requested."""
    task_id = f"{identities.tag('gw')}-huisarts"
    task = {"resourceType": "Task", "id": task_id,
            "meta": {"profile": ["https://fhir-regie.nl/fhir/StructureDefinition/"
                                 "regie-agreed-action"]},
            "status": "requested", "intent": "plan",
            "code": {"coding": [{"system": "https://fhir-regie.nl/fhir/CodeSystem/"
                                           "regie-agreed-action-kind", "code": "action"}]},
            "description": "De huisarts bespreekt met Lotte hoe het op school gaat.",
            "basedOn": [{"reference": setup.ref("CarePlan/devries-safety-plan")}],
            "for": {"reference": setup.ref("Group/household-de-vries")},
            "authoredOn": "2026-11-20", "restriction": {"period": {"end": "2027-01-15"}},
            "owner": {"reference": setup.ref("Organization/devries-org-huisarts")}}
    with FhirClient(setup.upstream) as upstream:
        upstream.update(task, if_match=False)
    return task_id


def test_the_owner_accepts_its_action_and_nothing_more(setup: Setup) -> None:
    task_id = _task_for_the_gp(setup)
    scope = "system/*.rs system/Task.u"
    with setup.client(GP, scope) as gp, setup.client(JGZ, scope) as jgz:
        seen = gp.read("Task", task_id, as_dict=True)
        with pytest.raises(Forbidden):                       # not the owner
            jgz.update({**seen, "status": "accepted"}, if_match=False)
        with pytest.raises(Forbidden):                       # more than the status
            gp.update({**seen, "status": "accepted", "description": "Anders"}, if_match=False)
        with pytest.raises(Forbidden):                       # not a move the owner may make
            gp.update({**seen, "status": "cancelled"}, if_match=False)
        done = gp.update({**seen, "status": "accepted"}, as_dict=True)
        assert done.resource["status"] == "accepted"
        with pytest.raises(Forbidden):                       # from accepted: not in the table
            gp.update({**done.resource, "status": "completed"}, if_match=False)
    with FhirClient(setup.upstream) as upstream:
        stored = upstream.read("Task", task_id, as_dict=True)
    assert stored["status"] == "accepted"
    assert stored["description"].startswith("De huisarts")


def test_everything_else_is_a_403_with_an_outcome(setup: Setup) -> None:
    with setup.client(GP, "system/*.rs system/Task.u") as gp:
        plan = gp.read("CarePlan", setup.rid("CarePlan/devries-safety-plan"), as_dict=True)
        with pytest.raises(Forbidden) as refused:
            gp.update(plan, if_match=False)
        assert refused.value.outcome["resourceType"] == "OperationOutcome"
        with pytest.raises(Forbidden):
            gp.create({"resourceType": "Observation", "status": "final",
                       "code": {"text": "x"}})


# --- limits --------------------------------------------------------------------------------------

def test_limits_answer_with_an_outcome_and_no_trace(setup: Setup) -> None:
    with setup.client(GP, "system/*.rs system/Task.u") as gp:
        headers = gp.auth.headers("system/*.rs system/Task.u")
    big = requests.put(f"{setup.gateway}/Task/x", data=b"{" + b" " * 400_000 + b"}",
                       headers={**headers, "Content-Type": "application/fhir+json"}, timeout=10)
    deep = requests.put(f"{setup.gateway}/Task/x", data=b"[" * 100 + b"]" * 100,
                        headers={**headers, "Content-Type": "application/fhir+json"},
                        timeout=10)
    long = requests.get(f"{setup.gateway}/CarePlan?subject={'x' * 9000}", headers=headers,
                        timeout=10)
    for answer, status in ((big, 413), (deep, 413), (long, 414)):
        assert answer.status_code == status
        assert answer.json()["resourceType"] == "OperationOutcome"
        assert "Traceback" not in answer.text


def test_the_capability_statement_names_the_token_endpoint(setup: Setup) -> None:
    with FhirClient(setup.gateway) as anyone:
        statement = anyone.capabilities()
    security = statement.rest[0].security
    assert security.extension[0].extension[0].valueUri == f"{setup.gateway}/auth/token"
    smart = requests.get(f"{setup.gateway}/.well-known/smart-configuration", timeout=10).json()
    assert smart["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]


def test_disclosures_are_recorded_at_the_moment_of_the_read(setup: Setup) -> None:
    before = datetime.now(UTC)
    with setup.client(GP) as gp:
        gp.read("Goal", setup.rid("Goal/devries-goal-daan"))
    with FhirClient(setup.upstream) as upstream:
        events = list(upstream.search("AuditEvent", {
            "entity": setup.ref("Goal/devries-goal-daan")}, as_dict=True, fresh=True))
    recent = [e for e in events if datetime.fromisoformat(e["recorded"]) >= before.replace(
        microsecond=0)]
    assert recent
    assert all(e["agent"][1]["altId"] == GP for e in recent)
