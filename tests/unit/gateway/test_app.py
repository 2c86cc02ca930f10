"""The gateway's own answers that need no upstream server: discovery, the token endpoint's
form handling, rate limits, refusals and errors as OperationOutcomes without a trace."""

from __future__ import annotations

import secrets
import time

import pytest
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc.jwk import ECKey
from starlette.testclient import TestClient

from fhir_regie.gateway.app import GatewayConfig, RateLimiter, create_app
from fhir_regie.gateway.registry import Registry
from fhir_regie.gateway.tokens import ASSERTION_TYPE

KEY = ECKey.generate_key("P-384")
REGISTRY = Registry.from_data({"clients": [{
    "client_id": "his-de-brug", "organization": "Organization/devries-org-huisarts",
    "ura": "00001234", "role": "gp", "purposes": ["shared-plan-view"],
    "scopes": ["system/*.rs"], "jwks": {"keys": [{**KEY.as_dict(private=False), "kid": "k"}]}}]})
BASE = "http://testserver"


def client(**changes: object) -> TestClient:
    config = GatewayConfig(upstream="http://127.0.0.1:9/fhir", registry=REGISTRY,
                           base_url=BASE, **changes)  # type: ignore[arg-type]
    return TestClient(create_app(config), raise_server_exceptions=False)


def test_the_rate_limiter_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=1.0, burst=2, clock=lambda: now[0])
    assert limiter.take("a") == 0
    assert limiter.take("a") == 0
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("b") == 0                       # per key
    now[0] += 1.0
    assert limiter.take("a") == 0


def test_the_token_endpoint_is_rate_limited_per_address() -> None:
    with client(rate=0.01, burst=2) as gateway:
        answers = [gateway.post("/auth/token", data={"grant_type": "client_credentials"})
                   for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert answers[2].headers["Retry-After"].isdigit()


def test_the_token_endpoint_wants_a_form() -> None:
    with client() as gateway:
        answer = gateway.post("/auth/token", json={"grant_type": "client_credentials"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/CarePlan/x", 401), ("GET", "/Consent/x", 404), ("GET", "/AuditEvent?entity=x", 404),
    ("POST", "/CarePlan", 403), ("DELETE", "/Task/x", 403), ("POST", "/", 403),
    ("PATCH", "/Task/x", 403), ("GET", "/CarePlan/bad id!", 404),
])
def test_everything_unknown_or_unauthenticated_is_an_outcome(method: str, path: str,
                                                             status: int) -> None:
    with client() as gateway:
        answer = gateway.request(method, path)
    assert answer.status_code == status
    assert answer.json()["resourceType"] == "OperationOutcome"


def test_an_upstream_that_does_not_answer_is_a_502_without_a_trace() -> None:
    now = int(time.time())
    assertion = private_key_jwt_sign(
        KEY, client_id="his-de-brug", token_endpoint=f"{BASE}/auth/token", alg="ES384",
        claims={"jti": secrets.token_urlsafe(24)}, header={"alg": "ES384", "kid": "k"},
        issued_at=now, expires_at=now + 300)
    with client() as gateway:
        token = gateway.post("/auth/token", data={
            "grant_type": "client_credentials", "scope": "system/*.rs",
            "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}).json()
        answer = gateway.get("/CarePlan/devries-safety-plan",
                             headers={"Authorization": f"Bearer {token['access_token']}"})
    assert answer.status_code == 502
    assert answer.json()["issue"][0]["code"] == "transient"
    assert "Traceback" not in answer.text
    assert "devries" not in answer.text


def test_discovery_names_the_token_endpoint_and_private_key_jwt() -> None:
    with client() as gateway:
        smart = gateway.get("/.well-known/smart-configuration").json()
    assert smart["token_endpoint"] == f"{BASE}/auth/token"
    assert smart["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert "client-confidential-asymmetric" in smart["capabilities"]
