"""The gateway as an ASGI app: a FHIR R4 REST facade in front of the care record's server that
answers partner systems only through the consent guard (docs/gateway.md).

Routes (all JSON, ``application/fhir+json``; every refusal an OperationOutcome):

| route | what |
|---|---|
| ``GET /metadata`` | the gateway's CapabilityStatement (no token needed) |
| ``GET /.well-known/smart-configuration`` | SMART discovery: the token endpoint, the scopes |
| ``POST /auth/token`` | SMART Backend Services token endpoint (tokens.py) |
| ``GET /{type}/{id}``, ``GET /{type}/{id}/_history/{vid}`` | guarded read, vread |
| ``GET /{type}?...`` | guarded search (search.py: allowed parameters, totals after the guard) |
| ``GET /Group/{id}/$regie-household`` | the whole household as the guard lets it go |
| ``PUT /Task/{id}`` | a status change of an agreed action the caller owns |

Anything else is 403 (a write) or 404. A resource that does not exist and one the guard withholds
get the same 404, so a caller cannot learn that a record exists. The routes are plain
functions, run by Starlette in its thread pool (the upstream client is blocking). Logs carry
no personal data: one line with an error's class, never a path, query or body.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

try:
    from starlette.applications import Starlette
    from starlette.requests import Request as HttpRequest
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
except ImportError as _error:
    from fhir_regie.extras import missing_extra

    raise missing_extra("gateway", _error, "the consent-enforcing gateway") from None

from fhir_regie.client import FhirClient, FhirClientError, NoAuth
from fhir_regie.client.auth import Auth
from fhir_regie.gateway import guarded
from fhir_regie.gateway.capability import capability_statement, smart_configuration
from fhir_regie.gateway.guarded import (
    SERVED_TYPES,
    Caller,
    Gatekeeper,
    TooBroadError,
    WriteRefusedError,
)
from fhir_regie.gateway.registry import Registry
from fhir_regie.gateway.scopes import allows
from fhir_regie.gateway.search import SearchRefusedError, check, matches
from fhir_regie.gateway.tokens import TokenError, TokenService
from fhir_regie.limits import LimitError, Limits, loads
from fhir_regie.viewer.security import is_fhir_id

LOG = logging.getLogger("fhir_regie.gateway")
FHIR_JSON = "application/fhir+json"
OPERATION = "$regie-household"
#: Upstream matches read for one search at most; a broader search is refused (narrow it).
MAX_MATCHES = 1000


@dataclass
class GatewayConfig:
    """How the gateway runs.

    Parameters:
        upstream: the care record's FHIR base URL.
        registry: the registered clients.
        base_url: where partners reach the gateway (its token endpoint is
            ``{base_url}/auth/token``, the ``aud`` of every assertion).
        upstream_auth: how the gateway authenticates to the care record's server.
        discloser: the organisation recorded as discloser when a household names none.
        clock: the current moment (time-zone aware).
        rate: requests per second per client (and per address at the token endpoint), with
            ``burst`` at once.
        max_body: largest request body in bytes; ``max_target`` largest path plus query.
        limits: size and depth limits for parsing request bodies.
    """

    upstream: str
    registry: Registry
    base_url: str
    upstream_auth: Auth = field(default_factory=NoAuth)
    discloser: str | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    rate: float = 20.0
    burst: int = 40
    max_body: int = 256 * 1024
    max_target: int = 8 * 1024
    token_lifetime: int = 300
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        self.upstream = self.upstream.rstrip("/")
        self.base_url = self.base_url.rstrip("/")


class RateLimiter:
    """A token bucket per key (client id, or address at the token endpoint). Thread-safe."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.rate, self.burst, self.clock, self.max_keys = rate, burst, clock, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go; else the seconds to wait."""
        with self._lock:
            now = self.clock()
            if len(self._buckets) >= self.max_keys:
                self._buckets.clear()
            level, then = self._buckets.get(key, (float(self.burst), now))
            level = min(float(self.burst), level + (now - then) * self.rate)
            if level < 1:
                self._buckets[key] = (level, now)
                return (1 - level) / self.rate
            self._buckets[key] = (level - 1, now)
            return 0.0


def outcome(status: int, code: str, text: str, headers: dict[str, str] | None = None
            ) -> Response:
    """An OperationOutcome response (FHIR R4 operationoutcome.html) with one issue."""
    body = {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error" if status >= 400 else "information", "code": code,
         "diagnostics": text}]}
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON, headers=headers)


def fhir(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
         ) -> Response:
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON, headers=headers)


NOT_FOUND = "not found, or not shared with your organisation for this purpose"


def create_app(config: GatewayConfig, *,  # noqa: PLR0915 (the handlers share one closure)
               tokens: TokenService | None = None) -> Any:
    """The ASGI app (see the module docstring). ``tokens`` may be given (tests look inside).

    Example::

        app = create_app(GatewayConfig(upstream="http://127.0.0.1:8080/fhir",
                                       registry=Registry.load("clients.yaml"),
                                       base_url="https://gateway.example.nl/fhir"))
        # uvicorn.run(app, host="127.0.0.1", port=8090)
    """
    token_url = f"{config.base_url}/auth/token"
    service = tokens or TokenService(config.registry, token_url, lifetime=config.token_lifetime)
    limiter = RateLimiter(config.rate, config.burst)
    local = threading.local()

    def connect() -> FhirClient:
        # One client (and connection pool) per worker thread.
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = FhirClient(config.upstream, auth=config.upstream_auth)
        return client

    gate = Gatekeeper(connect, config.clock, config.discloser)
    statement = capability_statement(config.base_url, token_url)

    def caller_of(request: HttpRequest, resource_type: str, permission: str
                  ) -> Caller | Response:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        token = service.lookup(value.strip()) if scheme.lower() == "bearer" and value else None
        if token is None:
            return outcome(401, "login", "a valid bearer token from the token endpoint is "
                           "required", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        wait = limiter.take(f"client:{token.client_id}")
        if wait:
            return outcome(429, "throttled", "too many requests from this client",
                           {"Retry-After": str(max(1, round(wait)))})
        if not allows(token.scopes, resource_type, permission):
            return outcome(403, "forbidden", f"the token's scopes do not allow this "
                           f"({resource_type}.{permission})")
        entry = config.registry.get(token.client_id)
        if entry is None:  # removed from the registry since the token was issued
            return outcome(401, "login", "client no longer registered")
        return Caller(token.client_id, token.organization, token.purpose,
                      entry.practitioner_role, entry.directory)

    def metadata(request: HttpRequest) -> Response:  # noqa: ARG001 (route API)
        return fhir(statement)

    def smart_config(request: HttpRequest) -> Response:  # noqa: ARG001 (route API)
        return JSONResponse(smart_configuration(token_url))

    async def token(request: HttpRequest) -> Response:
        peer = request.client.host if request.client else "?"
        wait = limiter.take(f"address:{peer}")
        if wait:
            return JSONResponse({"error": "slow_down"}, status_code=429,
                                headers={"Retry-After": str(max(1, round(wait)))})
        if request.headers.get("content-type", "").split(";")[0].strip() != \
                "application/x-www-form-urlencoded":
            return _oauth_error("invalid_request", "send the request as a form", 400)
        body = await _body(request, config.max_body)
        if body is None:
            return _oauth_error("invalid_request", "request too large", 413)
        try:
            form = dict(parse_qsl(body.decode("utf-8", "replace"), max_num_fields=20))
        except ValueError:
            return _oauth_error("invalid_request", "too many form fields", 400)
        try:
            answer = service.issue(form)
        except TokenError as error:
            return _oauth_error(error.error, error.description, error.status)
        return JSONResponse(answer, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def read(request: HttpRequest) -> Response:
        kind, rid = request.path_params["type"], request.path_params["id"]
        version = request.path_params.get("vid")
        if kind not in SERVED_TYPES or not is_fhir_id(rid) or \
                (version is not None and not is_fhir_id(version)):
            return outcome(404, "not-found", NOT_FOUND)
        caller = caller_of(request, kind, "r")
        if isinstance(caller, Response):
            return caller
        found = gate.read(caller, kind, rid, version)
        if found is None:
            return outcome(404, "not-found", NOT_FOUND)
        return fhir(found, headers=_etag(found))

    def search(request: HttpRequest) -> Response:
        kind = request.path_params["type"]
        if kind not in SERVED_TYPES:
            return outcome(404, "not-supported", "this resource type is not served by the "
                           "gateway")
        caller = caller_of(request, kind, "s")
        if isinstance(caller, Response):
            return caller
        try:
            criteria, offset, count = check(kind, request.query_params.multi_items())
        except SearchRefusedError as error:
            return outcome(400, "not-supported", str(error))
        client = connect()
        found = []
        for resource in client.search(kind, [*criteria, ("_count", "100")], as_dict=True,
                                      fresh=True):
            found.append(resource)
            if len(found) > MAX_MATCHES:
                return outcome(400, "too-costly", "the search matches too much; narrow it "
                               "(for example by subject)")
        try:
            total, page = gate.search(caller, found, lambda copy: matches(copy, criteria),
                                      offset, count)
        except TooBroadError:
            return outcome(400, "too-costly", "the search matches too much; narrow it "
                           "(for example by subject)")
        here = f"{config.base_url}/{kind}"

        def page_url(start: int) -> str:
            query = urlencode([*criteria, ("_count", str(count)), ("_offset", str(start))])
            return f"{here}?{query}"

        links = [{"relation": "self", "url": page_url(offset)}]
        if offset + count < total:
            links.append({"relation": "next", "url": page_url(offset + count)})
        return fhir({"resourceType": "Bundle", "type": "searchset", "total": total,
                     "link": links, "entry": [
                         {"fullUrl": f"{here}/{copy['id']}", "resource": copy,
                          "search": {"mode": "match"}} for copy in page]})

    def household(request: HttpRequest) -> Response:
        rid = request.path_params["id"]
        if not is_fhir_id(rid):
            return outcome(404, "not-found", NOT_FOUND)
        caller = caller_of(request, "Group", "r")
        if isinstance(caller, Response):
            return caller
        copies = gate.household(caller, rid)
        if copies is None:
            return outcome(404, "not-found", NOT_FOUND)
        return fhir({"resourceType": "Bundle", "type": "collection",
                     "timestamp": config.clock().isoformat(timespec="seconds"),
                     "entry": [{"fullUrl": f"{config.base_url}/{c['resourceType']}/{c['id']}",
                                "resource": c} for c in copies]})

    async def update(request: HttpRequest) -> Response:
        kind, rid = request.path_params["type"], request.path_params["id"]
        if kind != "Task" or not is_fhir_id(rid):
            return _refused()
        caller = caller_of(request, "Task", "u")
        if isinstance(caller, Response):
            return caller
        body = await _body(request, config.max_body)
        if body is None:
            return outcome(413, "too-costly", "request too large")
        try:
            sent = loads(body, config.limits)
        except LimitError as error:
            return outcome(413, "too-costly", str(error))
        except ValueError:
            return outcome(400, "structure", "the body is not JSON")
        if not isinstance(sent, dict) or sent.get("resourceType") != "Task" or \
                sent.get("id") != rid:
            return outcome(400, "invalid", "send the Task with the id of the address")
        from starlette.concurrency import run_in_threadpool

        from fhir_regie.workflow.transitions import check_transition
        try:
            copy = await run_in_threadpool(
                lambda: guarded.update_status(
                    gate, caller, rid, sent, if_match=request.headers.get("if-match"),
                    check=check_transition, validate=_profile_errors))
        except WriteRefusedError as error:
            code = {412: "conflict", 422: "processing"}.get(error.status, "forbidden")
            return outcome(error.status, code, error.reason)
        return fhir(copy, headers=_etag(copy))

    async def refused(request: HttpRequest) -> Response:  # noqa: ARG001 (route API)
        return _refused()

    async def not_found(request: HttpRequest, exc: Exception) -> Response:  # noqa: ARG001
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            return _refused()
        return outcome(404, "not-found", NOT_FOUND)

    async def upstream_failed(request: HttpRequest, exc: Exception) -> Response:  # noqa: ARG001
        LOG.error("gateway: upstream %s", exc.__class__.__name__)
        return outcome(502, "transient", "the care record's server did not answer as expected")

    async def failed(request: HttpRequest, exc: Exception) -> Response:  # noqa: ARG001
        LOG.error("gateway: unexpected %s", exc.__class__.__name__)
        return outcome(500, "exception", "the gateway failed; nothing was disclosed")

    writes = ["POST", "PUT", "PATCH", "DELETE"]
    app = Starlette(routes=[
        Route("/metadata", metadata, methods=["GET"]),
        Route("/.well-known/smart-configuration", smart_config, methods=["GET"]),
        Route("/auth/token", token, methods=["POST"]),
        Route("/Group/{id}/" + OPERATION, household, methods=["GET"]),
        Route("/{type}/{id}/_history/{vid}", read, methods=["GET"]),
        Route("/{type}/{id}", update, methods=["PUT"]),
        Route("/{type}/{id}", read, methods=["GET"]),
        Route("/{type}", search, methods=["GET"]),
        Route("/", refused, methods=writes),
        Route("/{path:path}", refused, methods=writes)],
        exception_handlers={404: not_found, 405: not_found, FhirClientError: upstream_failed,
                            Exception: failed})
    return Limited(app, config.max_body, config.max_target)


def _refused() -> Response:
    return outcome(403, "forbidden", "the gateway accepts only status changes of agreed "
                   "actions you own (PUT Task/[id])")


def _oauth_error(error: str, description: str, status: int) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status_code=status,
                        headers={"Cache-Control": "no-store"})


def _etag(resource: dict[str, Any]) -> dict[str, str]:
    version = (resource.get("meta") or {}).get("versionId")
    return {"ETag": f'W/"{version}"'} if version else {}


async def _body(request: HttpRequest, limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit`` (counted while reading)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _profile_errors(resource: dict[str, Any]) -> list[str]:
    from fhir_regie.validation import validate_resource

    issues = validate_resource(resource)["issue"]
    return [str(i.get("code")) for i in issues if i.get("severity") in ("error", "fatal")]


class Limited:
    """The outermost layer: the request target and declared body size under the limits, and an
    OperationOutcome instead of a traceback for anything that escapes the app."""

    def __init__(self, app: Any, max_body: int, max_target: int) -> None:
        self.app, self.max_body, self.max_target = app, max_body, max_target

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = len(scope.get("raw_path") or scope["path"].encode()) + \
            len(scope.get("query_string") or b"")
        refusal = None
        if target > self.max_target:
            refusal = outcome(414, "too-costly", "the address is too long")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.isdigit():
                    refusal = outcome(400, "structure", "bad Content-Length")
                elif int(value) > self.max_body:
                    refusal = outcome(413, "too-costly", "request too large")
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        started = False

        async def watched(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            LOG.error("gateway: unexpected %s", error.__class__.__name__)
            if not started:
                await outcome(500, "exception", "the gateway failed; nothing was disclosed")(
                    scope, receive, send)
