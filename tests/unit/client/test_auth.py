"""Auth strategies: bearer, client secret, SMART Backend Services private_key_jwt.

The token endpoint of the private_key_jwt tests is backed by authlib's own server-side RFC 7523
verifier, so the assertion is checked the way an authorization server would check it.
"""

from __future__ import annotations

import base64
import time
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
import responses
from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jwt

from fhir_regie.client import (
    BearerToken,
    ClientCredentials,
    FhirClient,
    PrivateKeyJwt,
    load_private_key,
    load_secret,
)
from fhir_regie.client.auth import ASSERTION_TYPE, AuthError, algorithm_for

BASE = "https://fhir.example.test/fhir"
TOKEN_URL = "https://auth.example.test/token"
PATIENT = {"resourceType": "Patient", "id": "p1"}


def pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@pytest.fixture(scope="module")
def rsa_pem() -> bytes:
    return pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="module")
def ec_pem() -> bytes:
    return pem(ec.generate_private_key(ec.SECP384R1()))


class Clock:
    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


class Verifier(JWTBearerClientAssertion):
    """An authorization server's view: one registered client with one public key."""

    def __init__(self, public_key: Any, alg: str) -> None:
        super().__init__(leeway=0)
        self.public_key = public_key
        self.alg = alg
        self.seen: set[str] = set()

    def get_audiences(self) -> list[str]:
        return [TOKEN_URL]

    def validate_jti(self, claims: Any, jti: str) -> bool:
        if jti in self.seen:
            return False
        self.seen.add(jti)
        return True

    def resolve_client_public_key(self, client: Any) -> Any:
        return self.public_key

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> Any:
        # Accept only the algorithm registered for the client (SMART: RS384 or ES384).
        token = jwt.decode(assertion, resolve_key, algorithms=[self.alg])
        self.verify_claims(token.claims)
        return token.claims


class TokenEndpoint:
    """A ``responses`` callback that authenticates the client with ``Verifier``."""

    def __init__(self, verifier: Verifier, lifetime: int = 300) -> None:
        self.verifier = verifier
        self.lifetime = lifetime
        self.claims: list[dict[str, Any]] = []
        self.headers: list[dict[str, Any]] = []
        self.forms: list[dict[str, str]] = []
        self.issued = 0

    def __call__(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        form = {k: v[0] for k, v in parse_qs(request.body).items()}
        self.forms.append(form)
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return 401, {}, '{"error": "invalid_client"}'
        assertion = form["client_assertion"]
        client = SimpleNamespace(check_endpoint_auth_method=lambda method, endpoint: True)
        try:
            self.verifier(lambda client_id: client if client_id == "regie-sync" else None,
                          SimpleNamespace(form=form))
        except InvalidClientError as error:
            return 401, {}, f'{{"error": "invalid_client", "error_description": "{error}"}}'
        token = jwt.decode(assertion, self.verifier.public_key, algorithms=[self.verifier.alg])
        self.claims.append(dict(token.claims))
        self.headers.append(dict(token.header))
        self.issued += 1
        return 200, {}, (f'{{"access_token": "tok-{self.issued}", "token_type": "bearer", '
                         f'"expires_in": {self.lifetime}, "scope": "{form.get("scope", "")}"}}')


def key_pair(pem_bytes: bytes, tmp_path: Any) -> tuple[Any, Any]:
    path = tmp_path / "key.pem"
    path.write_bytes(pem_bytes)
    private = load_private_key(path)
    public = type(private).import_key(private.as_dict(private=False))
    return private, public


@pytest.mark.parametrize(("key_fixture", "alg"), [("rsa_pem", "RS384"), ("ec_pem", "ES384")])
@responses.activate
def test_private_key_jwt_assertion_is_accepted_by_an_authlib_token_endpoint(
        key_fixture: str, alg: str, request: pytest.FixtureRequest, tmp_path: Any) -> None:
    private, public = key_pair(request.getfixturevalue(key_fixture), tmp_path)
    endpoint = TokenEndpoint(Verifier(public, alg))
    responses.add_callback(responses.POST, TOKEN_URL, callback=endpoint)
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    responses.get(f"{BASE}/Task/t1", json={"resourceType": "Task", "id": "t1",
                                                     "status": "ready", "intent": "order"})
    auth = PrivateKeyJwt(TOKEN_URL, "regie-sync", private, kid="k1", scope="system/Patient.rs")
    client = FhirClient(BASE, auth=auth)
    client.read("Patient", "p1")
    client.scoped("system/Task.rs").read("Task", "t1")

    assert endpoint.issued == 2
    for claims, header in zip(endpoint.claims, endpoint.headers, strict=True):
        assert claims["iss"] == claims["sub"] == "regie-sync"
        assert claims["aud"] == TOKEN_URL
        assert 0 < claims["exp"] - time.time() <= 300
        assert claims["exp"] - claims["iat"] <= 300
        assert header == {"alg": alg, "kid": "k1", "typ": "JWT"}
    assert len({c["jti"] for c in endpoint.claims}) == 2
    assert [f["scope"] for f in endpoint.forms] == ["system/Patient.rs", "system/Task.rs"]
    assert [f["grant_type"] for f in endpoint.forms] == ["client_credentials"] * 2
    assert responses.calls[1].request.headers["Authorization"] == "Bearer tok-1"
    assert responses.calls[3].request.headers["Authorization"] == "Bearer tok-2"


def test_every_assertion_has_a_fresh_jti(rsa_pem: bytes, tmp_path: Any) -> None:
    private, public = key_pair(rsa_pem, tmp_path)
    verifier = Verifier(public, "RS384")
    auth = PrivateKeyJwt(TOKEN_URL, "regie-sync", private, kid="k1")
    jtis = set()
    for _ in range(5):
        claims = verifier.process_assertion_claims(auth.assertion(), public)
        jtis.add(claims["jti"])
    assert len(jtis) == 5


def test_a_replayed_assertion_is_refused_by_the_endpoint(rsa_pem: bytes, tmp_path: Any) -> None:
    private, public = key_pair(rsa_pem, tmp_path)
    verifier = Verifier(public, "RS384")
    assertion = PrivateKeyJwt(TOKEN_URL, "regie-sync", private, kid="k1").assertion()
    verifier.process_assertion_claims(assertion, public)
    with pytest.raises(InvalidClientError, match="used before"):
        verifier.process_assertion_claims(assertion, public)


def test_an_assertion_for_another_endpoint_is_refused(rsa_pem: bytes, tmp_path: Any) -> None:
    private, public = key_pair(rsa_pem, tmp_path)
    assertion = PrivateKeyJwt("https://other.example.test/token", "regie-sync", private,
                              kid="k1").assertion()
    with pytest.raises(InvalidClientError):
        Verifier(public, "RS384").process_assertion_claims(assertion, public)


def test_assertion_lifetime_is_at_most_five_minutes(rsa_pem: bytes, tmp_path: Any) -> None:
    private, _ = key_pair(rsa_pem, tmp_path)
    with pytest.raises(ValueError, match="lifetime"):
        PrivateKeyJwt(TOKEN_URL, "regie-sync", private, kid="k1", lifetime=301)
    clock = Clock()
    auth = PrivateKeyJwt(TOKEN_URL, "regie-sync", private, kid="k1", clock=clock, lifetime=120)
    payload = auth.assertion().split(".")[1]
    claims = jwt.json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["exp"] == int(clock.now) + 120


@responses.activate
def test_token_is_reused_until_it_expires(rsa_pem: bytes, tmp_path: Any) -> None:
    private, _ = key_pair(rsa_pem, tmp_path)
    issued: list[str] = []

    def endpoint(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        issued.append(parse_qs(request.body)["client_assertion"][0])
        return 200, {}, f'{{"access_token": "tok-{len(issued)}", "expires_in": 300}}'

    responses.add_callback(responses.POST, TOKEN_URL, callback=endpoint)
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    clock = Clock()
    client = FhirClient(BASE, auth=PrivateKeyJwt(TOKEN_URL, "regie-sync", private, kid="k1",
                                                 clock=clock))
    client.read("Patient", "p1")
    clock.now += 200
    client.read("Patient", "p1")
    assert len(issued) == 1
    clock.now += 80  # 280 s: within the 30 s safety margin before expiry
    client.read("Patient", "p1")
    assert len(issued) == 2
    assert issued[0] != issued[1]
    tokens = [c.request.headers.get("Authorization") for c in responses.calls
              if c.request.url.startswith(BASE)]
    assert tokens == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


@responses.activate
def test_a_rejected_token_is_renewed_once(rsa_pem: bytes, tmp_path: Any) -> None:
    private, public = key_pair(rsa_pem, tmp_path)
    endpoint = TokenEndpoint(Verifier(public, "RS384"))
    responses.add_callback(responses.POST, TOKEN_URL, callback=endpoint)
    responses.get(f"{BASE}/Patient/p1", status=401)
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    client = FhirClient(BASE, auth=PrivateKeyJwt(TOKEN_URL, "regie-sync", private, kid="k1"))
    assert client.read("Patient", "p1").id == "p1"
    assert endpoint.issued == 2


@responses.activate
def test_client_credentials_with_secret_uses_basic_auth_and_caches() -> None:
    responses.post(TOKEN_URL, json={"access_token": "abc", "token_type": "Bearer",
                                    "expires_in": 3600})
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    auth = ClientCredentials(TOKEN_URL, "regie-sync", "s3cret", scope="system/*.rs")
    client = FhirClient(BASE, auth=auth)
    client.read("Patient", "p1")
    client.read("Patient", "p1")
    token_calls = [c for c in responses.calls if c.request.url == TOKEN_URL]
    assert len(token_calls) == 1
    sent = token_calls[0].request
    expected = base64.b64encode(b"regie-sync:s3cret").decode()
    assert sent.headers["Authorization"] == f"Basic {expected}"
    assert parse_qs(sent.body) == {"grant_type": ["client_credentials"],
                                   "scope": ["system/*.rs"]}
    assert responses.calls[1].request.headers["Authorization"] == "Bearer abc"
    assert "s3cret" not in repr(auth)


@responses.activate
def test_a_refused_token_request_raises_auth_error_without_secrets() -> None:
    responses.post(TOKEN_URL, status=400, json={"error": "invalid_client",
                                                "error_description": "bad secret s3cret"})
    client = FhirClient(BASE, auth=ClientCredentials(TOKEN_URL, "regie-sync", "s3cret"))
    with pytest.raises(AuthError) as caught:
        client.read("Patient", "p1")
    assert caught.value.error == "invalid_client"
    assert "s3cret" not in str(caught.value)
    assert len(responses.calls) == 1


@responses.activate
def test_bearer_token() -> None:
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    auth = BearerToken("t0ken")
    FhirClient(BASE, auth=auth).read("Patient", "p1")
    assert responses.calls[0].request.headers["Authorization"] == "Bearer t0ken"
    assert "t0ken" not in repr(auth)


@responses.activate
def test_no_auth_sends_no_authorization() -> None:
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    FhirClient(BASE).read("Patient", "p1")
    assert "Authorization" not in responses.calls[0].request.headers


def test_token_endpoint_must_use_https() -> None:
    with pytest.raises(ValueError, match="https"):
        ClientCredentials("http://auth.example.test/token", "c", "s")
    ClientCredentials("http://127.0.0.1:9000/token", "c", "s")


def test_keys_load_from_a_file_or_an_environment_variable(
        rsa_pem: bytes, ec_pem: bytes, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ec.pem"
    path.write_bytes(ec_pem)
    assert algorithm_for(load_private_key(path)) == "ES384"
    monkeypatch.setenv("REGIE_KEY", rsa_pem.decode())
    assert algorithm_for(load_private_key(env="REGIE_KEY")) == "RS384"
    monkeypatch.setenv("REGIE_KEY_FILE", str(path))
    assert algorithm_for(load_private_key(env="REGIE_KEY_FILE")) == "ES384"
    monkeypatch.delenv("REGIE_KEY")
    with pytest.raises(ValueError, match="REGIE_KEY"):
        load_private_key(env="REGIE_KEY")
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(ValueError, match="PEM"):
        load_private_key(bad)
    small = pem(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    (tmp_path / "small.pem").write_bytes(small)
    with pytest.raises(ValueError, match="2048"):
        load_private_key(tmp_path / "small.pem")


def test_secrets_load_from_env_or_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIE_SECRET", "abc\n")
    assert load_secret(env="REGIE_SECRET") == "abc"
    (tmp_path / "s").write_text("xyz\nignored\n")
    assert load_secret(path=tmp_path / "s") == "xyz"
    with pytest.raises(ValueError, match="exactly one"):
        load_secret()
