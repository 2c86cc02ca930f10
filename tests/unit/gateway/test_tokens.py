"""The token endpoint's checks, without a server: authlib's RFC 7523 verification plus the
SMART limits (replay, exp at most five minutes, audience, algorithms), scopes and purposes."""

from __future__ import annotations

import secrets
import time

import pytest
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc.jwk import ECKey, OctKey, RSAKey

from fhir_regie.gateway.registry import Registry
from fhir_regie.gateway.tokens import ASSERTION_TYPE, TokenError, TokenService

TOKEN_URL = "https://gateway.example.nl/fhir/auth/token"
EC = ECKey.generate_key("P-384")
RSA = RSAKey.generate_key(2048)


def registry(**changes: object) -> Registry:
    entry = {"client_id": "his-de-brug", "organization": "Organization/devries-org-huisarts",
             "ura": "00001234", "role": "gp", "purposes": ["shared-plan-view"],
             "scopes": ["system/*.rs"],
             "jwks": {"keys": [{**EC.as_dict(private=False), "kid": "ec-1"},
                               {**RSA.as_dict(private=False), "kid": "rsa-1"}]}}
    return Registry.from_data({"clients": [{**entry, **changes}]})


def assertion(*, key: object = EC, kid: str = "ec-1", alg: str = "ES384",
              client: str = "his-de-brug", aud: str = TOKEN_URL, lifetime: int = 300,
              jti: str | None = None, now: float | None = None) -> str:
    moment = int(now if now is not None else time.time())
    return private_key_jwt_sign(key, client_id=client, token_endpoint=aud, alg=alg,
                                claims={"jti": jti or secrets.token_urlsafe(24)},
                                header={"alg": alg, "kid": kid, "typ": "JWT"},
                                issued_at=moment, expires_at=moment + lifetime)


def form(token: str, scope: str = "system/*.rs") -> dict[str, str]:
    return {"grant_type": "client_credentials", "scope": scope,
            "client_assertion_type": ASSERTION_TYPE, "client_assertion": token}


def refused(service: TokenService, request: dict[str, str]) -> TokenError:
    with pytest.raises(TokenError) as caught:
        service.issue(request)
    return caught.value


def test_a_good_assertion_gets_a_short_lived_token_for_the_granted_scopes() -> None:
    service = TokenService(registry(), TOKEN_URL)
    answer = service.issue(form(assertion(), "system/CarePlan.rs system/Task.u"))
    assert answer["expires_in"] == 300
    assert answer["scope"] == "system/CarePlan.rs purpose/shared-plan-view"   # Task.u: not given
    token = service.lookup(answer["access_token"])
    assert token is not None
    assert (token.organization, token.purpose) == ("Organization/devries-org-huisarts",
                                                   "shared-plan-view")


def test_rsa_keys_sign_with_rs384() -> None:
    service = TokenService(registry(), TOKEN_URL)
    assert service.issue(form(assertion(key=RSA, kid="rsa-1", alg="RS384")))["access_token"]


def test_tokens_expire() -> None:
    now = [time.time()]
    service = TokenService(registry(), TOKEN_URL, clock=lambda: now[0])
    # The assertion's own exp is checked against real time by authlib; sign it now.
    value = service.issue(form(assertion()))["access_token"]
    now[0] += 299
    assert service.lookup(value) is not None
    now[0] += 2
    assert service.lookup(value) is None


def test_a_replayed_assertion_is_refused() -> None:
    service = TokenService(registry(), TOKEN_URL)
    token = assertion()
    service.issue(form(token))
    error = refused(service, form(token))
    assert (error.error, error.status) == ("invalid_client", 401)
    assert "replayed" in error.description


def test_the_same_jti_in_a_new_assertion_is_a_replay_too() -> None:
    service = TokenService(registry(), TOKEN_URL)
    service.issue(form(assertion(jti="same-jti-123456")))
    assert "replayed" in refused(service, form(assertion(jti="same-jti-123456"))).description


@pytest.mark.parametrize(("case", "token"), [
    ("exp more than five minutes ahead", lambda: assertion(lifetime=600)),
    ("expired", lambda: assertion(now=time.time() - 900)),
    ("another audience", lambda: assertion(aud="https://elders.example.nl/token")),
    ("an unregistered key", lambda: assertion(key=ECKey.generate_key("P-384"))),
    ("an unknown kid", lambda: assertion(kid="nope")),
    ("an unknown client", lambda: assertion(client="intruder")),
    ("a shared-secret algorithm", lambda: assertion(alg="HS256", key=OctKey.import_key(b"x" * 32))),
    ("no signature", lambda: ".".join(assertion().split(".")[:2]) + "."),
])
def test_bad_assertions_are_refused(case: str, token: object) -> None:
    service = TokenService(registry(), TOKEN_URL)
    error = refused(service, form(token()))  # type: ignore[operator]
    assert (error.error, error.status) == ("invalid_client", 401), case


def test_grant_type_assertion_type_scope_and_purpose_are_checked() -> None:
    service = TokenService(registry(purposes=["shared-plan-view", "care-coordination"]),
                           TOKEN_URL)
    assert refused(service, {**form(assertion()), "grant_type": "password"}).error == \
        "unsupported_grant_type"
    assert refused(service, {**form(assertion()), "client_assertion_type": "x"}).error == \
        "invalid_client"
    assert refused(service, form(assertion(), "system/*.rs")).error == "invalid_scope"   # which?
    assert refused(service, form(assertion(), "system/*.rs purpose/handover")).error == \
        "invalid_scope"
    assert refused(service, form(assertion(), "system/Consent.c purpose/care-coordination")
                   ).error == "invalid_scope"
    answer = service.issue(form(assertion(), "system/*.rs purpose/care-coordination"))
    assert service.lookup(answer["access_token"]).purpose == "care-coordination"


def test_an_unknown_token_is_nothing() -> None:
    assert TokenService(registry(), TOKEN_URL).lookup(secrets.token_urlsafe(32)) is None
