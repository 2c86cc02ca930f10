"""SMART App Launch for the viewer (HL7 SMART App Launch 2.x), with ``fhirclient``.

The viewer is launched from a GP's or youth health care's system (EHR launch: ``/launch?iss=
...&launch=...``) or opened directly (standalone launch). Either way ``fhirclient`` builds the
authorization request (PKCE S256, ``state``, ``aud``) and exchanges the code for a token. The
endpoints come from ``<iss>/.well-known/smart-configuration`` (SMART 2.x discovery); fhirclient
itself only reads the CapabilityStatement, so the discovered endpoints are handed to it as its
state.

With ``openid`` in the scope the authorization request carries an OIDC ``nonce``; when the token
response holds an ``id_token`` its ``nonce`` must be that one and its ``aud`` the viewer's client
id, or the sign-in is refused (:func:`check_id_token`). The id_token comes straight from the
token endpoint over TLS, which OpenID Connect Core 1.0 §3.1.3.7 accepts in place of checking its
signature; the viewer takes only ``fhirUser`` from it, and only when the token response itself
does not name the user.

The launch context tells the viewer who is looking: ``fhirUser`` (a Practitioner or
PractitionerRole) and the organisation (an ``organization`` context parameter, or the
organisation of a PractitionerRole ``fhirUser``). Without an organisation nothing is shown:
the guard decides per receiving organisation.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

try:
    from fhirclient.client import FHIRClient
except ImportError as _error:
    from fhir_regie.extras import missing_extra

    raise missing_extra("viewer", _error, "the plan viewer (SMART App Launch)") from None

SCOPE = "openid fhirUser user/*.rs user/AuditEvent.c"


def _not_the_id_token_warning(record: logging.LogRecord) -> bool:
    # fhirclient warns "Received an id_token, ignoring" on every sign-in; the viewer does use
    # it (check_id_token), so the line would only mislead whoever reads the log.
    return not str(record.msg).startswith("SMART: Received an id_token")


logging.getLogger("fhirclient.client").addFilter(_not_the_id_token_warning)


class LaunchError(Exception):
    """A launch that cannot go on; the message names the step, never a token or a person."""


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str = "--server") -> str:
    """Refuse a URL that is not https, unless it is on this machine (loopback, for tests and a
    local demo): tokens and household data must never travel in clear text.

    Example::

        >>> check_url("https://fhir.example.nl/fhir")
        'https://fhir.example.nl/fhir'
        >>> check_url("http://fhir.example.nl/fhir")
        Traceback (most recent call last):
        ...
        fhir_regie.viewer.smart.LaunchError: --server: needs https (http only on this machine)
    """
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and is_loopback(url):
        return url
    raise LaunchError(f"{what}: needs https (http only on this machine)")


@dataclass(frozen=True)
class Endpoints:
    authorize: str
    token: str


def discover(iss: str, session: requests.Session | None = None) -> Endpoints:
    """The authorization and token endpoints of a FHIR server (SMART discovery)."""
    http = session or requests.Session()
    url = iss.rstrip("/") + "/.well-known/smart-configuration"
    try:
        response = http.get(url, headers={"Accept": "application/json"}, timeout=(5, 30),
                            allow_redirects=False)
    except requests.RequestException as error:
        raise LaunchError(f"SMART discovery failed ({error.__class__.__name__})") from None
    if response.status_code != 200:
        raise LaunchError(f"SMART discovery: HTTP {response.status_code}")
    try:
        config = response.json()
        endpoints = Endpoints(str(config["authorization_endpoint"]),
                              str(config["token_endpoint"]))
    except (ValueError, KeyError, TypeError):
        raise LaunchError("SMART discovery: no authorization_endpoint/token_endpoint") from None
    check_url(endpoints.authorize, "authorization_endpoint")
    check_url(endpoints.token, "token_endpoint")
    return endpoints


class DiscoveryCache:
    """SMART discovery of one server, asked at most once per ``ttl`` seconds (a flood of
    launches makes one request, not one each); a failure is not kept."""

    def __init__(self, iss: str, ttl: float = 600.0,
                 find: Callable[[str], Endpoints] = discover,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.iss, self.ttl, self._find, self._clock = iss, ttl, find, clock
        self._found: tuple[float, Endpoints] | None = None
        self._lock = threading.Lock()

    def endpoints(self) -> Endpoints:
        with self._lock:
            now = self._clock()
            if self._found is None or now - self._found[0] >= self.ttl:
                self._found = (now, self._find(self.iss))
            return self._found[1]


def new_client(*, iss: str, client_id: str, redirect_uri: str, endpoints: Endpoints,
               launch: str | None = None) -> FHIRClient:
    """A fhirclient FHIRClient ready to send the user to the authorization endpoint."""
    state: dict[str, Any] = {
        "app_id": client_id, "scope": SCOPE, "redirect": redirect_uri,
        "launch_token": launch,
        "server": {"base_uri": iss.rstrip("/") + "/", "auth_type": "oauth2", "auth": {
            "app_id": client_id, "aud": iss, "authorize_uri": endpoints.authorize,
            "token_uri": endpoints.token, "redirect_uri": redirect_uri}},
    }
    client = FHIRClient(state=state)
    client.wants_patient = False  # GP and youth health care may open it without a patient
    return client


def authorize_url(client: FHIRClient, nonce: str | None) -> str:
    """Where to send the user: fhirclient's authorization URL, with the OIDC ``nonce`` when
    ``openid`` is in the scope (fhirclient does not send one)."""
    url = str(client.authorize_url)
    if nonce and "openid" in SCOPE.split():
        url += ("&" if "?" in url else "?") + urlencode({"nonce": nonce})
    return url


def check_id_token(id_token: Any, nonce: str, client_id: str) -> dict[str, Any]:
    """The claims of an id_token from the token response, after checking that it answers
    this sign-in (``nonce``) and was issued to this viewer (``aud``).

    Example::

        >>> part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode()
        >>> token = ".".join([part({"alg": "none"}), part({"nonce": "n1", "aud": "viewer"}), ""])
        >>> check_id_token(token, "n1", "viewer")["nonce"]
        'n1'
        >>> check_id_token(token, "n2", "viewer")
        Traceback (most recent call last):
        ...
        fhir_regie.viewer.smart.LaunchError: id_token: the nonce does not match this sign-in
    """
    try:
        payload = str(id_token).split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        raise LaunchError("id_token: not a JWT") from None
    if not isinstance(claims, dict):
        raise LaunchError("id_token: not a JWT")
    if not isinstance(claims.get("nonce"), str) or \
            not secrets.compare_digest(claims["nonce"].encode(), nonce.encode()):
        raise LaunchError("id_token: the nonce does not match this sign-in")
    audience = claims.get("aud")
    if client_id not in (audience if isinstance(audience, list) else [audience]):
        raise LaunchError("id_token: issued to another client")
    return claims


def restore(state: dict[str, Any]) -> FHIRClient:
    client = FHIRClient(state=state)
    client.wants_patient = False
    return client


@dataclass(frozen=True)
class Context:
    """Who launched the viewer, from the token response."""

    access_token: str
    organization: str | None
    user: str | None
    role: str | None
    patient: str | None


def context(client: FHIRClient, nonce: str = "", client_id: str = "") -> Context:
    """The launch context after the code exchange (an id_token in it is checked against the
    sign-in's ``nonce`` and the viewer's ``client_id``)."""
    auth = client.server.auth if client.server else None
    token = getattr(auth, "access_token", None)
    if not token:
        raise LaunchError("no access token after the code exchange")
    found = client.launch_context or {}
    claims = check_id_token(found["id_token"], nonce, client_id) if found.get("id_token") \
        else {}
    user = found.get("fhirUser") or claims.get("fhirUser")
    user = str(user).split("/fhir/")[-1] if user else None  # absolute or relative
    org = found.get("organization")
    return Context(access_token=str(token), organization=str(org) if org else None,
                   user=user, role=user if user and user.startswith("PractitionerRole/")
                   else None, patient=str(found["patient"]) if found.get("patient") else None)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)
