"""DEMO ONLY: a local SMART on FHIR authorization server on loopback, for ``fhir-regie viewer
--demo`` and the viewer's tests. It checks no password and signs no token: it hands out a
token to whoever picks a role. Never put it in front of real data; it refuses any FHIR server
that is not on this machine (127.0.0.1) and listens only on 127.0.0.1.

It plays the GP's or youth health care's EHR: it issues launch ids (EHR launch), serves
``/fhir/.well-known/smart-configuration``, ``/authorize`` (EHR launch with ``launch``, and
standalone launch for a configured user), ``/token`` (authorization code with PKCE S256; the
response carries ``patient``, ``fhirUser`` and ``organization``, and with ``openid`` an
unsigned ``id_token`` holding the authorization request's ``nonce``), and proxies ``/fhir/*`` to a
real embedded FHIR server, refusing requests without a valid bearer token. The CapabilityStatement
gets the SMART ``oauth-uris`` extension, as EHR FHIR servers do.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
LOOPBACK = "http://127.0.0.1:"


@dataclass(frozen=True)
class User:
    """Who logs in: the fhirUser, their organisation, optionally a patient in context."""

    fhir_user: str
    organization: str | None
    patient: str | None = None


@dataclass
class SmartServer:
    upstream: str                        # the embedded FHIR server's base URL
    client_id: str = "fhir-regie-viewer"
    redirect_uris: tuple[str, ...] = ()
    standalone_user: User | None = None
    base: str = ""
    launches: dict[str, User] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, User] = field(default_factory=dict)
    requests_seen: list[str] = field(default_factory=list)
    nonces: list[str | None] = field(default_factory=list)   # of the id_tokens issued

    choices: dict[str, tuple[str, User]] = field(default_factory=dict)   # the demo's roles
    viewer: str = ""

    def __post_init__(self) -> None:
        for url in (self.upstream, self.base):
            if url and not url.startswith(LOOPBACK):
                raise ValueError(f"the demo launcher works only on this machine ({LOOPBACK}"
                                 "...), not for a real FHIR server")

    @property
    def fhir(self) -> str:
        return f"{self.base}/fhir"

    def ehr_launch(self, viewer: str, user: User) -> str:
        """The URL the EHR opens: the viewer's launch endpoint with ``iss`` and ``launch``."""
        launch = secrets.token_urlsafe(16)
        self.launches[launch] = user
        return f"{viewer}/launch?{urlencode({'iss': self.fhir, 'launch': launch})}"

    # ------------------------------------------------------------------ endpoints
    async def configuration(self, request: Request) -> Response:  # noqa: ARG002 (route API)
        self.requests_seen.append("GET .well-known/smart-configuration")
        return JSONResponse({
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "capabilities": ["launch-ehr", "launch-standalone", "client-public",
                             "context-ehr-patient", "sso-openid-connect"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "fhirUser", "launch", "user/*.rs",
                                 "user/AuditEvent.c"]})

    async def authorize(self, request: Request) -> Response:
        self.requests_seen.append("GET authorize")
        q = request.query_params
        if q.get("client_id") != self.client_id or q.get("redirect_uri") not in \
                self.redirect_uris or q.get("response_type") != "code":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        if q.get("aud", "").rstrip("/") != self.fhir:
            return JSONResponse({"error": "invalid_request", "error_description": "aud"},
                                status_code=400)
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return JSONResponse({"error": "invalid_request", "error_description": "PKCE"},
                                status_code=400)
        launch = q.get("launch")
        user = self.launches.pop(launch, None) if launch else self.standalone_user
        if user is None:
            return RedirectResponse(f"{q['redirect_uri']}?" + urlencode(
                {"error": "access_denied", "state": q.get("state", "")}), status_code=302)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"user": user, "challenge": q["code_challenge"],
                            "redirect_uri": q["redirect_uri"], "scope": q.get("scope", ""),
                            "nonce": q.get("nonce")}
        return RedirectResponse(f"{q['redirect_uri']}?" + urlencode(
            {"code": code, "state": q.get("state", "")}), status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        grant = self.codes.pop(str(form.get("code", "")), None)
        if form.get("grant_type") != "authorization_code" or grant is None or \
                form.get("redirect_uri") != grant["redirect_uri"] or \
                form.get("client_id") != self.client_id:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = str(form.get("code_verifier", ""))
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if digest.decode().rstrip("=") != grant["challenge"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"},
                                status_code=400)
        user: User = grant["user"]
        token = secrets.token_urlsafe(24)
        self.tokens[token] = user
        body: dict[str, Any] = {"access_token": token, "token_type": "Bearer",
                                "expires_in": 3600, "scope": grant["scope"],
                                "fhirUser": f"{self.fhir}/{user.fhir_user}"}
        if user.organization:
            body["organization"] = user.organization
        if user.patient:
            body["patient"] = user.patient
        if "openid" in grant["scope"].split():
            self.nonces.append(grant["nonce"])
            body["id_token"] = id_token({
                "iss": self.fhir, "sub": user.fhir_user, "aud": self.client_id,
                "iat": int(time.time()), "exp": int(time.time()) + 300,
                "nonce": grant["nonce"], "fhirUser": f"{self.fhir}/{user.fhir_user}"})
        return JSONResponse(body)

    async def proxy(self, request: Request) -> Response:
        path = request.path_params["path"]
        self.requests_seen.append(f"{request.method} {path.split('/')[0].split('?')[0]}")
        if path != "metadata" and not path.startswith(".well-known"):
            header = request.headers.get("authorization", "")
            if not header.startswith("Bearer ") or header[7:] not in self.tokens:
                return JSONResponse({"resourceType": "OperationOutcome", "issue": [
                    {"severity": "error", "code": "login"}]}, status_code=401)
        upstream = requests.request(
            request.method, f"{self.upstream}/{path}", params=list(request.query_params.
                                                                   multi_items()),
            data=await request.body(), timeout=30,
            headers={k: v for k, v in request.headers.items()
                     if k.lower() in ("content-type", "accept", "if-match", "prefer")})
        text = upstream.text.replace(self.upstream, self.fhir)
        if path == "metadata" and upstream.status_code == 200:
            statement = json.loads(text)
            statement.setdefault("rest", [{"mode": "server"}])[0]["security"] = {
                "extension": [{"url": OAUTH_URIS, "extension": [
                    {"url": "authorize", "valueUri": f"{self.base}/authorize"},
                    {"url": "token", "valueUri": f"{self.base}/token"}]}]}
            text = json.dumps(statement)
        keep = {k: v for k, v in upstream.headers.items()
                if k.lower() in ("content-type", "etag", "location", "last-modified")}
        if "location" in {k.lower() for k in keep}:
            keep = {k: (v.replace(self.upstream, self.fhir) if k.lower() == "location" else v)
                    for k, v in keep.items()}
        return Response(text, status_code=upstream.status_code, headers=keep)

    async def chooser(self, request: Request) -> Response:  # noqa: ARG002 (route API)
        """The demo's start page: pick who you are; each choice is an EHR launch."""
        items = "".join(f'<li><a href="/kies/{slug}">{label}</a></li>'
                        for slug, (label, _) in self.choices.items())
        return HTMLResponse(
            '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Demo: kies wie '
            'u bent</title></head><body><main><h1>Demo van de regie-viewer</h1><p>Dit is '
            "een demonstratie met verzonnen gezinnen. Kies wie u bent; de viewer start dan "
            "zoals vanuit uw eigen systeem.</p><ul>" + items + "</ul></main></body></html>")

    async def choose(self, request: Request) -> Response:
        choice = self.choices.get(request.path_params["slug"])
        if choice is None or not self.viewer:
            return HTMLResponse('<!DOCTYPE html><html lang="nl"><title>Niet gevonden</title>'
                                "<p>Deze keuze bestaat niet.</p></html>", status_code=404)
        return RedirectResponse(self.ehr_launch(self.viewer, choice[1]), status_code=302)

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/", self.chooser), Route("/kies/{slug}", self.choose),
            Route("/fhir/.well-known/smart-configuration", self.configuration),
            Route("/authorize", self.authorize), Route("/token", self.token, methods=["POST"]),
            Route("/fhir/{path:path}", self.proxy, methods=["GET", "POST", "PUT"])])


def id_token(claims: dict[str, Any]) -> str:
    """An unsigned JWT (``alg: none``): the viewer checks nonce and audience, not signatures."""
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any, port: int) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread on 127.0.0.1; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


#: Who a visitor of the demo can be: the De Vries family's GP, and youth health care with
#: Lotte in context (the examples' consents decide what each sees).
DEMO_USERS = {
    "huisarts": ("Huisarts (dr. Anouk Visser, Huisartsenpraktijk De Linde)",
                 User("Practitioner/devries-pract-visser", "Organization/devries-org-huisarts")),
    "jgz": ("Jeugdgezondheidszorg (JGZ), met Lotte de Vries geopend",
            User("Practitioner/jgz-arts-bakker", "Organization/devries-org-jgz",
                 "devries-lotte")),
}
EXAMPLE_HOUSEHOLDS = ("household-de-vries", "household-van-den-berg", "household-hv-0417")


@contextmanager
def demo(viewer_port: int, *, region: str = "default") -> Iterator[str]:
    """DEMO ONLY: an embedded FHIR server with the example households, this launcher and the
    viewer, all on 127.0.0.1; yields the URL of the page where a visitor picks "huisarts" or
    "JGZ". Everything stops when the block ends."""
    from fhir_regie.client import FhirClient
    from fhir_regie.client.server import EmbeddedServer
    from fhir_regie.demo import load_example_households
    from fhir_regie.viewer.app import ViewerConfig, create_app
    from fhir_regie.workflow.regions import load_region

    with EmbeddedServer() as fhir:
        with FhirClient(fhir.base_url) as client:
            load_example_households(client, EXAMPLE_HOUSEHOLDS)
        launcher_port = free_port()
        viewer = f"{LOOPBACK}{viewer_port}"
        smart = SmartServer(upstream=fhir.base_url, base=f"{LOOPBACK}{launcher_port}",
                            redirect_uris=(f"{viewer}/callback",), choices=dict(DEMO_USERS),
                            viewer=viewer)
        config = ViewerConfig(server=smart.fhir, client_id=smart.client_id, base_url=viewer,
                              region=load_region(region))
        with serve(smart.app(), launcher_port) as chooser, \
                serve(create_app(config), viewer_port):
            yield f"{chooser}/"
