"""How the client authenticates: small strategies that give the headers for one request.

- ``NoAuth``: nothing (the embedded server, loopback tests).
- ``BearerToken``: a fixed token from configuration.
- ``ClientCredentials``: OAuth2 client credentials grant with a client secret
  (``client_secret_basic``, RFC 6749 §2.3.1 and §4.4).
- ``PrivateKeyJwt``: SMART Backend Services (SMART App Launch 2.x, "Backend Services"): client
  credentials grant authenticated with a signed JWT (``private_key_jwt``, RFC 7523 §2.2), RSA
  (RS384) or EC (ES384) keys, signed with authlib. Every assertion has a fresh ``jti`` and an
  ``exp`` at most five minutes ahead, as the SMART specification requires.

Tokens are cached per scope string and reused until shortly before they expire; a call site asks
for the scopes it needs (``FhirClient.scoped``), so a token for ``system/Task.rs`` is never used
where ``system/Consent.cruds`` was asked for and vice versa.

Secrets and keys come from a file path or an environment variable (``load_private_key``,
``load_secret``), never from code. Nothing here logs a token, secret, key or assertion.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import requests
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from joserfc.jwk import ECKey, RSAKey

from fhir_regie.client.errors import FhirClientError

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# SMART Backend Services: "exp: ... no more than five minutes in the future".
MAX_ASSERTION_LIFETIME = 300
# Stop using a token this many seconds before the server says it expires (clock skew, latency).
EXPIRY_MARGIN = 30.0
# When a token response has no expires_in, assume a short life rather than forever.
DEFAULT_TOKEN_LIFETIME = 300.0
EC_ALGORITHMS = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}


class AuthError(FhirClientError):
    """The token endpoint refused or failed; ``error`` is the OAuth2 error code, if any."""

    def __init__(self, message: str, status: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error


class Auth(Protocol):
    """What the client needs from an auth strategy."""

    def headers(self, scope: str | None) -> dict[str, str]:
        """Headers to add to a request made for ``scope`` (None: the strategy's default)."""
        ...

    def invalidate(self, scope: str | None) -> None:
        """Forget a cached token (the server rejected it with 401)."""
        ...


class NoAuth:
    """No credentials."""

    def headers(self, scope: str | None) -> dict[str, str]:  # noqa: ARG002 (protocol)
        return {}

    def invalidate(self, scope: str | None) -> None:  # noqa: ARG002 (protocol)
        return None


class BearerToken:
    """A fixed bearer token, e.g. ``BearerToken(load_secret(env="FHIR_TOKEN"))``."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("bearer token is empty")
        self._token = token

    def __repr__(self) -> str:
        return "BearerToken(***)"

    def headers(self, scope: str | None) -> dict[str, str]:  # noqa: ARG002 (protocol)
        return {"Authorization": f"Bearer {self._token}"}

    def invalidate(self, scope: str | None) -> None:  # noqa: ARG002 (protocol)
        return None


@dataclass
class _Token:
    value: str
    expires_at: float


class TokenCache:
    """Access tokens by scope string, valid until ``expires_at - margin``. Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.time,
                 margin: float = EXPIRY_MARGIN) -> None:
        self._clock = clock
        self._margin = margin
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()

    def get(self, scope: str) -> str | None:
        with self._lock:
            token = self._tokens.get(scope)
            if token and self._clock() < token.expires_at - self._margin:
                return token.value
            self._tokens.pop(scope, None)
            return None

    def put(self, scope: str, value: str, expires_in: float) -> None:
        with self._lock:
            self._tokens[scope] = _Token(value, self._clock() + expires_in)

    def drop(self, scope: str) -> None:
        with self._lock:
            self._tokens.pop(scope, None)


class _TokenGrant:
    """Shared part of the two client-credentials strategies: cache, request, parse."""

    def __init__(self, token_url: str, client_id: str, *, scope: str | None,
                 session: requests.Session | None, timeout: float | tuple[float, float],
                 verify: bool, clock: Callable[[], float]) -> None:
        if not token_url.startswith("https://") and not _is_loopback(token_url):
            raise ValueError("token endpoint must use https (plain http only on loopback)")
        self.token_url = token_url
        self.client_id = client_id
        self.scope = scope
        self.session = session or requests.Session()
        self.timeout = timeout
        self.verify = verify
        self.clock = clock
        self.cache = TokenCache(clock)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def headers(self, scope: str | None) -> dict[str, str]:
        wanted = scope if scope is not None else (self.scope or "")
        token = self.cache.get(wanted)
        if token is None:
            with self._lock:  # one token request per scope at a time
                token = self.cache.get(wanted)
                if token is None:
                    token = self._fetch(wanted)
        return {"Authorization": f"Bearer {token}"}

    def invalidate(self, scope: str | None) -> None:
        self.cache.drop(scope if scope is not None else (self.scope or ""))

    def _client_auth(self, form: dict[str, str]) -> requests.auth.AuthBase | None:
        raise NotImplementedError

    def _fetch(self, scope: str) -> str:
        form = {"grant_type": "client_credentials"}
        if scope:
            form["scope"] = scope
        basic = self._client_auth(form)
        try:
            response = self.session.post(
                self.token_url, data=form, auth=basic, timeout=self.timeout, verify=self.verify,
                headers={"Accept": "application/json"})
        except requests.RequestException as error:
            raise AuthError(f"token endpoint unreachable ({type(error).__name__})") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict) \
                or not body.get("access_token"):
            code = body.get("error") if isinstance(body, dict) else None
            raise AuthError(f"token request refused: HTTP {response.status_code}"
                            f"{f' ({code})' if code else ''}", response.status_code, code)
        if str(body.get("token_type", "bearer")).lower() != "bearer":
            raise AuthError("token endpoint returned a token type other than bearer")
        try:
            lifetime = float(body.get("expires_in", DEFAULT_TOKEN_LIFETIME))
        except (TypeError, ValueError):
            lifetime = DEFAULT_TOKEN_LIFETIME
        self.cache.put(scope, str(body["access_token"]), lifetime)
        return str(body["access_token"])


class ClientCredentials(_TokenGrant):
    """OAuth2 client credentials with a client secret (HTTP Basic, RFC 6749 §2.3.1).

    Example::

        auth = ClientCredentials("https://auth.example.nl/token", "regie-sync",
                                 load_secret(env="FHIR_REGIE_CLIENT_SECRET"),
                                 scope="system/*.rs")
    """

    def __init__(self, token_url: str, client_id: str, client_secret: str, *,
                 scope: str | None = None, session: requests.Session | None = None,
                 timeout: float | tuple[float, float] = (5, 30), verify: bool = True,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(token_url, client_id, scope=scope, session=session, timeout=timeout,
                         verify=verify, clock=clock)
        if not client_secret:
            raise ValueError("client secret is empty")
        self._secret = client_secret

    def _client_auth(self, form: dict[str, str]) -> requests.auth.AuthBase | None:  # noqa: ARG002
        return requests.auth.HTTPBasicAuth(self.client_id, self._secret)


class PrivateKeyJwt(_TokenGrant):
    """SMART Backend Services: client credentials authenticated with a signed JWT assertion.

    Parameters:
        token_url: the authorization server's token endpoint (also the assertion's ``aud``).
        client_id: the registered client id (the assertion's ``iss`` and ``sub``).
        key: the private key (from ``load_private_key``).
        kid: the key id the server knows the public key by (JWKS).
        alg: RS384 for RSA keys and ES384 for P-384 keys by default (SMART's two required
            algorithms); derived from the key when not given.
        lifetime: seconds until ``exp``, at most 300.

    Example::

        auth = PrivateKeyJwt("https://auth.example.nl/token", "regie-sync",
                             load_private_key(env="FHIR_REGIE_PRIVATE_KEY"), kid="2025-01",
                             scope="system/Task.cruds")
    """

    def __init__(self, token_url: str, client_id: str, key: RSAKey | ECKey, kid: str, *,
                 alg: str | None = None, scope: str | None = None,
                 session: requests.Session | None = None,
                 timeout: float | tuple[float, float] = (5, 30), verify: bool = True,
                 clock: Callable[[], float] = time.time,
                 lifetime: int = MAX_ASSERTION_LIFETIME) -> None:
        super().__init__(token_url, client_id, scope=scope, session=session, timeout=timeout,
                         verify=verify, clock=clock)
        if not 0 < lifetime <= MAX_ASSERTION_LIFETIME:
            raise ValueError(f"assertion lifetime must be 1..{MAX_ASSERTION_LIFETIME} s")
        self._key = key
        self.kid = kid
        self.alg = alg or algorithm_for(key)
        self.lifetime = lifetime

    def assertion(self) -> str:
        """A new signed client assertion (fresh ``jti``, ``exp`` = now + lifetime)."""
        now = int(self.clock())
        return private_key_jwt_sign(
            self._key, client_id=self.client_id, token_endpoint=self.token_url, alg=self.alg,
            # A new dict every time: authlib writes the jti into the claims it is given.
            claims={"jti": secrets.token_urlsafe(32)},
            header={"alg": self.alg, "kid": self.kid, "typ": "JWT"},
            issued_at=now, expires_at=now + self.lifetime)

    def _client_auth(self, form: dict[str, str]) -> requests.auth.AuthBase | None:
        form["client_assertion_type"] = ASSERTION_TYPE
        form["client_assertion"] = self.assertion()
        return None


def algorithm_for(key: RSAKey | ECKey) -> str:
    """The SMART signing algorithm for a key: RS384 for RSA, ES256/384/512 by EC curve."""
    if isinstance(key, RSAKey):
        return "RS384"
    if isinstance(key, ECKey) and key.curve_name in EC_ALGORITHMS:
        return EC_ALGORITHMS[key.curve_name]
    raise ValueError("unsupported key: use an RSA key or an EC key on P-256, P-384 or P-521")


def load_private_key(path: str | os.PathLike[str] | None = None, env: str | None = None,
                     password: bytes | None = None, *,
                     environ: Mapping[str, str] | None = None) -> RSAKey | ECKey:
    """Load a PEM private key (RSA or EC) from a file or from an environment variable.

    The environment variable holds either the PEM text itself or the path of a PEM file;
    ``environ`` replaces ``os.environ`` (a configuration read elsewhere).

    >>> key = load_private_key(env="FHIR_REGIE_PRIVATE_KEY")  # doctest: +SKIP
    """
    if (path is None) == (env is None):
        raise ValueError("give exactly one of path= or env=")
    if env is not None:
        value = (os.environ if environ is None else environ).get(env, "")
        if not value:
            raise ValueError(f"environment variable {env} is not set")
        pem = value.encode() if "-----BEGIN" in value else Path(value).read_bytes()
    else:
        pem = Path(path).read_bytes()  # type: ignore[arg-type]
    try:
        loaded = load_pem_private_key(pem, password=password)
    except (ValueError, TypeError) as error:
        raise ValueError(f"not a readable PEM private key ({type(error).__name__})") from None
    if isinstance(loaded, rsa.RSAPrivateKey):
        if loaded.key_size < 2048:
            raise ValueError("RSA keys must have at least 2048 bits")
        return RSAKey.import_key(loaded)
    if isinstance(loaded, ec.EllipticCurvePrivateKey):
        return ECKey.import_key(loaded)
    raise ValueError("unsupported key type: use RSA or EC")


def load_secret(env: str | None = None, path: str | os.PathLike[str] | None = None) -> str:
    """A client secret or bearer token from an environment variable or the first line of a file."""
    if (path is None) == (env is None):
        raise ValueError("give exactly one of env= or path=")
    if env is not None:
        value = os.environ.get(env, "")
        if not value:
            raise ValueError(f"environment variable {env} is not set")
        return value.strip()
    lines = Path(path).read_text(encoding="utf-8").splitlines()  # type: ignore[arg-type]
    if not lines or not lines[0].strip():
        raise ValueError("secret file is empty")
    return lines[0].strip()


def _is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")
