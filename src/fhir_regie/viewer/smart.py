"""SMART App Launch for the viewer (HL7 SMART App Launch 2.x), with ``fhirclient``.

The viewer is launched from a GP's or youth health care's system (EHR launch: ``/launch?iss=
...&launch=...``) or opened directly (standalone launch). Either way ``fhirclient`` builds the
authorization request (PKCE S256, ``state``, ``aud``) and exchanges the code for a token. The
endpoints come from ``<iss>/.well-known/smart-configuration`` (SMART 2.x discovery); fhirclient
itself only reads the CapabilityStatement, so the discovered endpoints are handed to it as its
state.

The launch context tells the viewer who is looking: ``fhirUser`` (a Practitioner or
PractitionerRole) and the organisation (an ``organization`` context parameter, or the
organisation of a PractitionerRole ``fhirUser``). Without an organisation nothing is shown:
the guard decides per receiving organisation.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

try:
    from fhirclient.client import FHIRClient
except ImportError as _error:
    from fhir_regie.extras import missing_extra

    raise missing_extra("viewer", _error, "the plan viewer (SMART App Launch)") from None

SCOPE = "openid fhirUser user/*.rs user/AuditEvent.c"


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


def context(client: FHIRClient) -> Context:
    """The launch context after the code exchange."""
    auth = client.server.auth if client.server else None
    token = getattr(auth, "access_token", None)
    if not token:
        raise LaunchError("no access token after the code exchange")
    found = client.launch_context or {}
    user = found.get("fhirUser")
    user = str(user).split("/fhir/")[-1] if user else None  # absolute or relative
    org = found.get("organization")
    return Context(access_token=str(token), organization=str(org) if org else None,
                   user=user, role=user if user and user.startswith("PractitionerRole/")
                   else None, patient=str(found["patient"]) if found.get("patient") else None)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)
