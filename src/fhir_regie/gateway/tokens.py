"""The gateway's token endpoint: SMART Backend Services, the server side.

A client asks for a token with ``grant_type=client_credentials`` and a ``private_key_jwt``
client assertion (RFC 7523 §2.2, SMART App Launch 2.x "Backend Services"). The assertion is
verified with authlib's RFC 7523 server class (:class:`JWTBearerClientAssertion`: signature
against the client's registered JWKS, ``iss`` = ``sub`` = a registered client id, ``aud`` =
this token endpoint, ``exp`` required), and on top of it, as SMART requires:

- ``exp`` at most five minutes ahead (:data:`MAX_ASSERTION_LIFETIME`, plus the clock leeway);
- ``jti`` used once: a replayed assertion is refused while it could still be valid;
- only the signing algorithms SMART names (RS384, ES384; and ES256/ES512/RS256 for keys of
  other sizes), never ``none`` or a shared-secret algorithm.

The access token is an opaque random string (256 bits) that lives :data:`TOKEN_LIFETIME`
seconds in this process's memory, bound to the client, its organisation, the granted SMART v2
system scopes and the one purpose of use asked for (scope ``purpose/<code>``; a client with one
registered purpose may leave it out). Nothing here logs an assertion, token or key.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from joserfc import jwk

from fhir_regie.gateway.registry import ClientEntry, Registry
from fhir_regie.gateway.scopes import grant

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_ASSERTION_LIFETIME = 300     # SMART Backend Services: exp no more than 5 minutes ahead
LEEWAY = 30                      # clock skew allowed on exp/nbf/iat
TOKEN_LIFETIME = 300             # seconds an access token lives
ALGORITHMS = ("RS384", "ES384", "RS256", "ES256", "ES512")
PURPOSE_PREFIX = "purpose/"


class TokenError(Exception):
    """A refused token request: ``error`` is the OAuth2 error code (RFC 6749 §5.2), the
    description one English line without key material, ``status`` 400 or 401."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass(frozen=True)
class AccessToken:
    """What a bearer token stands for."""

    client_id: str
    organization: str
    scopes: tuple[str, ...]
    purpose: str
    expires_at: float


class ReplayCache:
    """``jti`` values seen, each kept until its assertion could no longer be valid. Bounded:
    when full, new assertions are refused (rather than forgetting one that could be replayed)."""

    def __init__(self, clock: Callable[[], float], limit: int = 100_000) -> None:
        self._clock, self._limit = clock, limit
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, key: str, until: float) -> bool:
        """True the first time ``key`` is offered (and remember it until ``until``)."""
        with self._lock:
            now = self._clock()
            if len(self._seen) >= self._limit:
                self._seen = {k: t for k, t in self._seen.items() if t > now}
            if key in self._seen and self._seen[key] > now:
                return False
            if len(self._seen) >= self._limit:
                return False
            self._seen[key] = until
            return True


class _Client:
    """What authlib's assertion class asks of a client."""

    def __init__(self, entry: ClientEntry, jwks: dict[str, Any]) -> None:
        self.entry, self.jwks = entry, jwks

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == JWTBearerClientAssertion.CLIENT_AUTH_METHOD and endpoint == "token"


class _Form:
    """The request shape authlib reads (``form``, and it sets ``client``)."""

    def __init__(self, form: Mapping[str, str]) -> None:
        self.form = dict(form)
        self.client: _Client | None = None


class _Assertion(JWTBearerClientAssertion):
    """authlib's RFC 7523 verification with this endpoint's audience, replay cache, key
    selection by ``kid`` and the SMART limit on ``exp``."""

    def __init__(self, audience: str, replay: ReplayCache, clock: Callable[[], float]) -> None:
        super().__init__(validate_jti=True, leeway=LEEWAY)
        self.audience, self.replay, self.clock = audience, replay, clock
        self._kid: str | None = None
        self._alg: str | None = None

    def get_audiences(self) -> list[str]:
        return [self.audience]

    def extract_assertion(self, assertion: str) -> Any:
        headers, claims = super().extract_assertion(assertion)
        if headers.get("alg") not in ALGORITHMS:
            raise InvalidClientError(description="unsupported signing algorithm")
        self._kid, self._alg = headers.get("kid"), headers.get("alg")
        return headers, claims

    def resolve_client_public_key(self, client: _Client) -> Any:
        keys = [k for k in client.jwks["keys"]
                if self._kid is None or k.get("kid") == self._kid]
        if len(keys) != 1:
            raise InvalidClientError(description="no registered key with this kid")
        return jwk.import_key(keys[0])

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> Any:
        from joserfc import jwt
        from joserfc.errors import JoseError

        try:
            token = jwt.decode(assertion, resolve_key, algorithms=[str(self._alg)])
        except JoseError as error:
            raise InvalidClientError(description="assertion signature not valid") from error
        self.verify_claims(token.claims)
        return token.claims

    def verify_claims(self, claims: Any) -> None:
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            raise InvalidClientError(description="missing claim: exp")
        if exp > self.clock() + MAX_ASSERTION_LIFETIME + LEEWAY:
            raise InvalidClientError(description="exp more than 5 minutes ahead")
        self._exp = float(exp)
        super().verify_claims(claims)  # iss, sub, aud, exp (+ leeway), then jti via validate_jti

    def validate_jti(self, claims: Any, jti: Any) -> bool:
        if not isinstance(jti, str) or not 8 <= len(jti) <= 256:
            return False
        return self.replay.first_use(f"{claims['sub']}\x00{jti}", self._exp + LEEWAY)


class TokenService:
    """Verify client assertions and keep the access tokens issued (one process).

    Parameters:
        registry: the registered clients.
        token_url: this endpoint's own URL, the ``aud`` every assertion must name.
        clock: seconds since the epoch (tests move it).
    """

    def __init__(self, registry: Registry, token_url: str,
                 clock: Callable[[], float] = time.time, lifetime: int = TOKEN_LIFETIME,
                 max_tokens: int = 50_000) -> None:
        self.registry, self.token_url, self.clock = registry, token_url, clock
        self.lifetime, self.max_tokens = lifetime, max_tokens
        self.replay = ReplayCache(clock)
        self._tokens: dict[str, AccessToken] = {}
        self._lock = threading.Lock()

    def issue(self, form: Mapping[str, str]) -> dict[str, Any]:
        """Answer a token request (the form fields); the JSON body of a 200 response.
        Raises :class:`TokenError` for anything refused."""
        if form.get("grant_type") != "client_credentials":
            raise TokenError("unsupported_grant_type", "only client_credentials is supported")
        if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
            raise TokenError("invalid_client", "a private_key_jwt client assertion is required",
                             401)
        # One verifier per request: it keeps the header's kid and alg while it works.
        verifier = _Assertion(self.token_url, self.replay, self.clock)

        def query_client(client_id: str) -> _Client | None:
            entry = self.registry.get(client_id)
            return _Client(entry, self.registry.jwks(client_id)) if entry else None

        try:
            client = verifier(query_client, _Form(form))
        except InvalidClientError as error:
            raise TokenError("invalid_client", _client_reason(error), 401) from None
        if not isinstance(client, _Client):
            raise TokenError("invalid_client", "client assertion not accepted", 401)
        entry = client.entry
        asked = str(form.get("scope") or "")
        purposes = [s[len(PURPOSE_PREFIX):] for s in asked.split()
                    if s.startswith(PURPOSE_PREFIX)]
        if len(purposes) > 1:
            raise TokenError("invalid_scope", "ask for one purpose per token")
        if not purposes and len(entry.purposes) == 1:
            purposes = [entry.purposes[0]]
        if not purposes or purposes[0] not in entry.purposes:
            raise TokenError("invalid_scope", "purpose missing or not registered for this "
                             "client (scope purpose/<code>)")
        scopes = grant(asked, entry.scopes)
        if not scopes:
            raise TokenError("invalid_scope", "none of the requested scopes is granted to this "
                             "client (SMART v2 system scopes)")
        value = secrets.token_urlsafe(32)
        with self._lock:
            now = self.clock()
            if len(self._tokens) >= self.max_tokens:
                self._tokens = {k: t for k, t in self._tokens.items() if t.expires_at > now}
                if len(self._tokens) >= self.max_tokens:
                    raise TokenError("temporarily_unavailable", "too many tokens in use", 400)
            self._tokens[value] = AccessToken(entry.client_id, entry.organization, scopes,
                                              purposes[0], now + self.lifetime)
        scope = " ".join((*scopes, f"{PURPOSE_PREFIX}{purposes[0]}"))
        return {"access_token": value, "token_type": "bearer", "expires_in": self.lifetime,
                "scope": scope}

    def lookup(self, value: str) -> AccessToken | None:
        """The token's grant, or None when unknown or expired."""
        with self._lock:
            token = self._tokens.get(value)
            if token is None:
                return None
            if token.expires_at <= self.clock():
                del self._tokens[value]
                return None
            return token


def _client_reason(error: InvalidClientError) -> str:
    """authlib's description, kept to the known English phrases (never claim values)."""
    text = str(error.description or "")
    known = ("JWT ID is used before", "Missing JWT ID", "Issuer and Subject MUST match",
             "The client does not exist", "exp more than 5 minutes", "unsupported signing",
             "no registered key", "assertion signature not valid", "missing claim",
             "Missing claim", "Invalid claim", "Invalid JWT")
    for phrase in known:
        if phrase in text:
            return "assertion replayed (jti used before)" if phrase.startswith("JWT ID") \
                else text[:120]
    if "expired" in text.lower() or "exp" in text.lower():
        return "assertion expired"
    if "aud" in text.lower():
        return "assertion audience is not this token endpoint"
    return "client assertion not accepted"
