"""``FhirClient``: FHIR R4 RESTful API (https://hl7.org/fhir/R4/http.html) over ``requests``.

One client per server base URL. The transport (a ``requests.Session``) is injected so tests need
no network; timeouts are always set; idempotent requests are retried by ``RetryPolicy``; errors
become the typed exceptions of ``errors.py`` with the server's OperationOutcome on them.

Results are ``fhir.resources`` R4B models (ARCHITECTURE.md §2), or plain dicts with
``as_dict=True``. Resources may be given as models or dicts.

Logging: one line per request at DEBUG (method, resource type, status, milliseconds) and one
per retry at WARNING. Never bodies, ids, query values, headers or tokens: request paths of a FHIR
server name persons (``Patient/123``, ``?identifier=...|<BSN>``).

Example::

    client = FhirClient("https://fhir.example.nl/fhir", auth=PrivateKeyJwt(...))
    patient = client.read("Patient", "p1")
    for task in client.search("Task", {"status": "requested", "_count": "100"}):
        ...
"""

from __future__ import annotations

import logging
import re
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from fhir_regie.client.auth import Auth, NoAuth, _TokenGrant
from fhir_regie.client.errors import (
    ForeignLinkError,
    HttpError,
    InvalidResponse,
    LimitExceeded,
    TransportError,
    error_for,
)
from fhir_regie.client.retry import RetryPolicy, parse_retry_after
from fhir_regie.limits import LimitError, Limits, loads

log = logging.getLogger("fhir_regie.client")

FHIR_JSON = "application/fhir+json"
JSON_PATCH = "application/json-patch+json"
# FHIR R4 id datatype; checked before an id goes into a URL path (no "../", no "?").
ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
TYPE_RE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")
# Content encodings of responses read, and their zlib window bits (None: as is).
ENCODINGS: dict[str, int | None] = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS,
                                    "identity": None}
# Outcomes of $validate come back with these statuses and are results, not failures.
VALIDATE_STATUSES = (400, 412, 422)

Resource = dict[str, Any]
Params = Mapping[str, str | int | Sequence[str]] | Sequence[tuple[str, str]]


@dataclass(frozen=True)
class WriteResult:
    """What the server said about a create, update, patch or conditional write.

    ``resource`` is None when the server sent no body (``Prefer: return=minimal``).
    ``created`` tells a conditional create that matched an existing resource (200) from a new
    one (201), and an update-as-create from an update.
    """

    status: int
    resource_type: str
    id: str | None
    version_id: str | None
    location: str | None
    etag: str | None
    last_modified: str | None
    resource: Any = field(repr=False)  # may hold personal data: keep it out of reprs

    @property
    def created(self) -> bool:
        return self.status == 201


@dataclass(frozen=True)
class SearchEntry:
    """One entry of a searchset: ``mode`` is ``match``, ``include`` or ``outcome``."""

    mode: str
    full_url: str | None
    resource: Any = field(repr=False)  # may hold personal data: keep it out of reprs


@dataclass(frozen=True)
class HistoryEntry:
    """One version in a history bundle; ``resource`` is None for a deletion."""

    method: str
    resource_type: str
    id: str
    version_id: str | None
    last_modified: str | None
    resource: Any = field(repr=False)  # may hold personal data: keep it out of reprs

    @property
    def deleted(self) -> bool:
        return self.method == "DELETE"


def to_dict(resource: Any) -> Resource:
    """A resource given as a fhir.resources model or a dict, as a FHIR JSON dict."""
    if isinstance(resource, dict):
        return resource
    if hasattr(resource, "model_dump"):
        return dict(resource.model_dump(mode="json", by_alias=True, exclude_none=True))
    raise TypeError(f"not a FHIR resource: {type(resource).__name__}")


def to_model(data: Resource) -> Any:
    """A FHIR JSON dict as its fhir.resources R4B model."""
    return get_fhir_model_class(data["resourceType"]).model_validate(data)


def _version_from_etag(etag: str | None) -> str | None:
    if not etag:
        return None
    return etag.removeprefix("W/").strip('"') or None


def _check_id(value: str, what: str = "id") -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ValueError(f"invalid FHIR {what}")
    return value


def _check_type(value: str) -> str:
    if not isinstance(value, str) or not TYPE_RE.match(value):
        raise ValueError("invalid FHIR resource type")
    return value


def _params(params: Params | None) -> list[tuple[str, str]]:
    if params is None:
        return []
    if isinstance(params, Mapping):
        out: list[tuple[str, str]] = []
        for key, value in params.items():
            if isinstance(value, str | int):
                out.append((key, str(value)))
            else:
                out.extend((key, str(item)) for item in value)
        return out
    return [(str(key), str(value)) for key, value in params]


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def _instant(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise ValueError("use a timezone-aware datetime (FHIR instants carry a zone)")
    return value.isoformat()


def _decoded(read1: Any, decoder: Any, limits: Limits, started: float) -> Iterator[bytes]:
    """The body's bytes, decoded, one transport read at a time: LimitError past the size
    limit (counted after decoding, at most that much decoded whatever the ratio: no zip
    bombs) or past the deadline."""
    total = 0
    while True:
        if time.monotonic() - started > limits.deadline:
            raise limits.too_slow()
        data = read1(65536, decode_content=False)
        if not data:
            break
        while data:
            if decoder is None:
                chunk, data = data, b""
            else:
                chunk = decoder.decompress(data, limits.max_bytes - total + 1)
                data = decoder.unconsumed_tail
            total += len(chunk)
            if total > limits.max_bytes:
                raise limits.too_large()
            yield chunk
    if decoder is not None:
        rest = decoder.flush()
        if total + len(rest) > limits.max_bytes:
            raise limits.too_large()
        yield rest


class FhirClient:
    """A FHIR R4 RESTful client for one server base URL.

    Parameters:
        base_url: the FHIR base, e.g. ``https://fhir.example.nl/fhir`` (no trailing slash needed).
        session: the transport; a new ``requests.Session`` when None.
        auth: an auth strategy (``fhir_regie.client.auth``); none when None.
        timeout: ``(connect, read)`` seconds, always applied.
        retry: the retry policy; ``RetryPolicy()`` when None.
        verify: TLS certificate verification. May only be turned off for loopback URLs.
        scope: the OAuth scope requested for this client's calls (``scoped`` makes variants).
        limits: size, JSON depth and overall deadline of each response (``fhir_regie.limits``;
            from the environment when None). A response over a limit is a ``LimitExceeded``,
            never a hang or a RecursionError.
    """

    def __init__(self, base_url: str, session: requests.Session | None = None, *,
                 auth: Auth | None = None, timeout: float | tuple[float, float] = (5, 30),
                 retry: RetryPolicy | None = None, verify: bool = True,
                 scope: str | None = None, limits: Limits | None = None) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("base_url must be an absolute http(s) URL")
        if parts.query or parts.fragment:
            raise ValueError("base_url must not have a query or fragment")
        if timeout is None or (isinstance(timeout, tuple) and None in timeout):
            raise ValueError("timeouts are required")
        if not verify and not _is_loopback(base_url):
            raise ValueError("TLS verification may only be disabled for loopback URLs")
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.auth: Auth = auth or NoAuth()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.verify = verify
        self.scope = scope
        self.limits = limits or Limits.from_env()

    def __repr__(self) -> str:
        return f"FhirClient({self.base_url!r})"

    def __enter__(self) -> FhirClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the transport's connections."""
        self.session.close()

    def scoped(self, scope: str) -> FhirClient:
        """The same client (session, auth, token cache) asking for ``scope`` on its calls.

        >>> tasks = client.scoped("system/Task.cruds")  # doctest: +SKIP
        """
        return FhirClient(self.base_url, self.session, auth=self.auth, timeout=self.timeout,
                          retry=self.retry, verify=self.verify, scope=scope,
                          limits=self.limits)

    # ------------------------------------------------------------------ transport

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path}" if path else self.base_url

    def _label(self, url: str) -> str:
        """The resource type (first path segment below the base) for logs and errors."""
        rest = url[len(self.base_url):] if url.startswith(self.base_url) else ""
        first = rest.split("?", 1)[0].strip("/").split("/", 1)[0]
        return first if TYPE_RE.match(first) or first in ("metadata", "_history") \
            or first.startswith("$") else ""

    def _request(self, method: str, url: str, *, params: list[tuple[str, str]] | None = None,
                 body: Any = None, headers: Mapping[str, str] | None = None,
                 content_type: str = FHIR_JSON, idempotent: bool | None = None,
                 accept: Sequence[int] = ()) -> requests.Response:
        """Send one request with retries; raise the typed error unless the status is 2xx, 304
        or in ``accept``."""
        sent = {"Accept": FHIR_JSON, "Accept-Encoding": ", ".join(ENCODINGS),
                **(headers or {})}
        if body is not None:
            sent["Content-Type"] = content_type
        repeatable = self.retry.idempotent(method, sent) if idempotent is None else idempotent
        label = self._label(url)
        attempt = 1
        renewed = False
        while True:
            auth_headers = self.auth.headers(self.scope)
            started = time.monotonic()
            try:
                response = self._send(started, method, url, params=params or None, json=body,
                                      headers={**sent, **auth_headers}, timeout=self._timeout(),
                                      verify=self.verify, allow_redirects=False, stream=True)
                self._read_body(response, started)
            except LimitError as error:
                raise LimitExceeded(f"{method} {label or '[base]'}: {error}") from None
            except (requests.ConnectionError, requests.Timeout) as error:
                kind = type(error).__name__
                if repeatable and attempt < self.retry.max_attempts:
                    wait = self.retry.backoff(attempt)
                    log.warning("retrying %s %s after %s (attempt %d/%d, %.2f s)", method, label,
                                kind, attempt + 1, self.retry.max_attempts, wait)
                    self.retry.sleep(wait)
                    attempt += 1
                    continue
                raise TransportError(f"{method} {label or '[base]'}: {kind}") from None
            except requests.RequestException as error:
                raise TransportError(f"{method} {label or '[base]'}: "
                                     f"{type(error).__name__}") from None
            status = response.status_code
            log.debug("%s %s %d %.0f ms", method, label, status,
                      (time.monotonic() - started) * 1000)
            if status == 401 and not renewed and isinstance(self.auth, _TokenGrant):
                # The cached token may have been revoked early: fetch a new one, once.
                self.auth.invalidate(self.scope)
                renewed = True
                continue
            if status in self.retry.statuses and repeatable \
                    and attempt < self.retry.max_attempts:
                wait = self.retry.delay(attempt, response.headers.get("Retry-After"))
                if wait is not None:
                    log.warning("retrying %s %s after HTTP %d (attempt %d/%d, %.2f s)", method,
                                label, status, attempt + 1, self.retry.max_attempts, wait)
                    response.close()
                    self.retry.sleep(wait)
                    attempt += 1
                    continue
            break
        if status < 300 or status == 304 or status in accept:
            return response
        raise self._error(response, method, label)

    def _timeout(self) -> float | tuple[float, float]:
        """The transport timeouts, never longer than the overall deadline."""
        if isinstance(self.timeout, tuple):
            return (min(self.timeout[0], self.limits.deadline),
                    min(self.timeout[1], self.limits.deadline))
        return min(self.timeout, self.limits.deadline)

    def _send(self, started: float, method: str, url: str, **options: Any) -> requests.Response:
        """The request up to the response headers, within what is left of the deadline.

        The transport's read timeout counts silence, not time: a server that sends its headers
        one byte a second never trips it. So the wait happens here, on a helper thread, and at
        the deadline the request is given up (the helper closes the response if it comes)."""
        box: dict[str, Any] = {}
        done = threading.Event()
        given_up = threading.Event()

        def work() -> None:
            try:
                box["response"] = self.session.request(method, url, **options)
            except BaseException as error:
                box["error"] = error
            finally:
                done.set()
                if given_up.is_set() and "response" in box:
                    box["response"].close()

        threading.Thread(target=work, name="fhir-request", daemon=True).start()
        if not done.wait(max(0.0, self.limits.deadline - (time.monotonic() - started))):
            given_up.set()
            if done.is_set() and "response" in box:
                box["response"].close()
            raise self.limits.too_slow()
        if "error" in box:
            raise box["error"]
        return box["response"]

    def _read_body(self, response: requests.Response, started: float) -> None:
        """Read the body under the size limit and the overall deadline (a peer that sends one
        byte a second is cut off at the deadline, not only after a silent read timeout)."""
        limits = self.limits
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limits.max_bytes:
            response.close()
            raise limits.too_large(int(length))
        read1 = getattr(getattr(response, "raw", None), "read1", None)
        if read1 is None:   # a transport without a stream (tests): read and check after
            if len(response.content) > limits.max_bytes:
                raise limits.too_large(len(response.content))
            return
        # Decoded here, not by the transport: its decoder waits for output, so a compressed
        # body dripped byte by byte would never come back to the deadline check.
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ENCODINGS:
            response.close()
            raise requests.ConnectionError()
        bits = ENCODINGS[encoding]
        decoder = zlib.decompressobj(bits) if bits is not None else None
        try:
            body = b"".join(_decoded(read1, decoder, limits, started))
        except LimitError:
            response.close()
            raise
        except urllib3.exceptions.ReadTimeoutError:
            response.close()
            raise requests.Timeout() from None
        except (urllib3.exceptions.HTTPError, OSError, zlib.error):
            response.close()
            raise requests.ConnectionError() from None
        response._content = body
        response._content_consumed = True

    def _error(self, response: requests.Response, method: str, label: str) -> HttpError:
        try:
            body = loads(response.content, self.limits) if response.content else None
        except ValueError:
            body = None
        wait = parse_retry_after(response.headers.get("Retry-After"), self.retry.clock())
        return error_for(response.status_code, body, method, label,
                         headers=dict(response.headers), retry_after=wait)

    def _json(self, response: requests.Response) -> Resource | None:
        limits = self.limits
        if not response.content:
            return None
        try:
            data = loads(response.content, limits)
        except LimitError as error:
            raise LimitExceeded(f"HTTP {response.status_code}: {error}") from None
        except ValueError:
            raise InvalidResponse(f"HTTP {response.status_code}: body is not JSON") from None
        if not isinstance(data, dict) or "resourceType" not in data:
            raise InvalidResponse(f"HTTP {response.status_code}: body is not a FHIR resource")
        return data

    def _result(self, data: Resource | None, as_dict: bool) -> Any:
        if data is None or as_dict:
            return data
        try:
            return to_model(data)
        except (ValidationError, KeyError, ValueError) as error:
            # pydantic's message quotes the offending values (names, BSNs): keep only where.
            where = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()}) \
                if isinstance(error, ValidationError) else []
            raise InvalidResponse(f"the server's {data.get('resourceType', '?')} is not valid "
                                  f"R4 at {', '.join(where[:5]) or '?'}; use as_dict=True to "
                                  f"read it anyway") from None

    def _follow(self, url: str) -> str:
        """A server link, if it stays below our base URL (fhir-py: refuse foreign links)."""
        if url.startswith(self.base_url + "/") or url.startswith(self.base_url + "?"):
            return url
        if "://" not in url:  # relative link (allowed by some servers)
            return self._url(url.lstrip("/"))
        raise ForeignLinkError("the server sent a link outside the configured base URL")

    def _write_result(self, response: requests.Response, resource_type: str,
                      as_dict: bool) -> WriteResult:
        data = self._json(response)
        if data is not None and data.get("resourceType") == "OperationOutcome" \
                and resource_type != "OperationOutcome":
            data = None  # Prefer: return=OperationOutcome
        location = response.headers.get("Location") or response.headers.get("Content-Location")
        rid = version = None
        if location:
            tail = location.split(f"{resource_type}/", 1)[-1].split("/")
            rid = tail[0] or None
            if len(tail) >= 3 and tail[1] == "_history":
                version = tail[2]
        if data is not None:
            rid = data.get("id", rid)
            version = data.get("meta", {}).get("versionId", version)
        etag = response.headers.get("ETag")
        version = version or _version_from_etag(etag)
        last_modified = (data or {}).get("meta", {}).get("lastUpdated") \
            or response.headers.get("Last-Modified")
        return WriteResult(response.status_code, resource_type, rid, version, location, etag,
                           last_modified, self._result(data, as_dict))

    # ------------------------------------------------------------------ interactions

    def capabilities(self, as_dict: bool = False) -> Any:
        """``GET [base]/metadata``: the server's CapabilityStatement."""
        return self._result(self._json(self._request("GET", self._url("metadata"))), as_dict)

    def read(self, resource_type: str, resource_id: str, *, as_dict: bool = False,
             if_none_match: str | None = None) -> Any:
        """``GET [base]/[type]/[id]``. With ``if_none_match`` (an ETag or version id) returns None
        when the server says 304 Not Modified.

        Raises NotFound (404) or Gone (410, deleted).
        """
        headers = {}
        if if_none_match:
            tag = if_none_match if if_none_match.startswith("W/") else f'W/"{if_none_match}"'
            headers["If-None-Match"] = tag
        response = self._request(
            "GET", self._url(f"{_check_type(resource_type)}/{_check_id(resource_id)}"),
            headers=headers)
        if response.status_code == 304:
            return None
        return self._result(self._json(response), as_dict)

    def vread(self, resource_type: str, resource_id: str, version_id: str | int, *,
              as_dict: bool = False) -> Any:
        """``GET [base]/[type]/[id]/_history/[vid]``."""
        path = (f"{_check_type(resource_type)}/{_check_id(resource_id)}/_history/"
                f"{_check_id(str(version_id), 'version id')}")
        return self._result(self._json(self._request("GET", self._url(path))), as_dict)

    def create(self, resource: Any, *, if_none_exist: Params | str | None = None,
               prefer: str | None = None, as_dict: bool = False) -> WriteResult:
        """``POST [base]/[type]``; with ``if_none_exist`` a conditional create (``If-None-Exist``).

        A plain create is never retried (it may have been applied); a conditional one is.
        ``result.created`` is False when the condition matched an existing resource.
        """
        data = to_dict(resource)
        rtype = _check_type(data.get("resourceType", ""))
        headers = {}
        if if_none_exist is not None:
            criteria = if_none_exist if isinstance(if_none_exist, str) \
                else urlencode(_params(if_none_exist))
            if not criteria:
                raise ValueError("if_none_exist needs search criteria")
            headers["If-None-Exist"] = criteria
        if prefer:
            headers["Prefer"] = f"return={prefer}"
        body = {key: value for key, value in data.items() if key != "id"}
        response = self._request("POST", self._url(rtype), body=body, headers=headers)
        return self._write_result(response, rtype, as_dict)

    def update(self, resource: Any, *, if_match: str | bool = True, prefer: str | None = None,
               as_dict: bool = False) -> WriteResult:
        """``PUT [base]/[type]/[id]``, version-aware.

        ``if_match=True`` (default) sends ``If-Match: W/"<meta.versionId>"`` when the resource
        carries a version, so a stale copy fails with PreconditionFailed instead of overwriting
        someone else's change. Without a version (a new resource with a client-chosen id) no
        If-Match is sent. ``if_match=False`` never sends one; a string is sent as given.
        """
        data = to_dict(resource)
        rtype = _check_type(data.get("resourceType", ""))
        rid = _check_id(data.get("id", ""))
        headers = {}
        if if_match is True:
            version = data.get("meta", {}).get("versionId")
            if version:
                headers["If-Match"] = f'W/"{version}"'
        elif isinstance(if_match, str):
            headers["If-Match"] = if_match if if_match.startswith("W/") or \
                if_match.startswith('"') else f'W/"{if_match}"'
        if prefer:
            headers["Prefer"] = f"return={prefer}"
        response = self._request("PUT", self._url(f"{rtype}/{rid}"), body=data, headers=headers)
        return self._write_result(response, rtype, as_dict)

    def conditional_update(self, resource: Any, criteria: Params, *, prefer: str | None = None,
                           as_dict: bool = False) -> WriteResult:
        """``PUT [base]/[type]?criteria``: update the one match, create when none matches.

        Raises PreconditionFailed when the criteria match more than one resource.
        """
        data = to_dict(resource)
        rtype = _check_type(data.get("resourceType", ""))
        query = _params(criteria)
        if not query:
            raise ValueError("conditional update needs search criteria")
        headers = {"Prefer": f"return={prefer}"} if prefer else {}
        response = self._request("PUT", self._url(rtype), params=query, body=data,
                                 headers=headers)
        return self._write_result(response, rtype, as_dict)

    def update_by_identifier(self, resource: Any, system: str, value: str | None = None, *,
                             prefer: str | None = None, as_dict: bool = False) -> WriteResult:
        """Conditional update on a business identifier (``identifier=system|value``).

        ``value`` defaults to the resource's own identifier with that system.
        """
        data = to_dict(resource)
        if value is None:
            value = next((i.get("value") for i in data.get("identifier", [])
                          if i.get("system") == system), None)
            if not value:
                raise ValueError("the resource has no identifier with that system")
        return self.conditional_update(data, {"identifier": f"{system}|{value}"}, prefer=prefer,
                                       as_dict=as_dict)

    def patch(self, resource_type: str, resource_id: str, operations: Sequence[Mapping[str, Any]],
              *, if_match: str | None = None, prefer: str | None = None,
              as_dict: bool = False) -> WriteResult:
        """``PATCH [base]/[type]/[id]`` with a JSON Patch (RFC 6902) document.

        Retried only with ``if_match`` (a replay then fails with 412 instead of patching twice).
        """
        headers = {}
        if if_match:
            headers["If-Match"] = if_match if if_match.startswith("W/") else f'W/"{if_match}"'
        if prefer:
            headers["Prefer"] = f"return={prefer}"
        rtype = _check_type(resource_type)
        response = self._request("PATCH", self._url(f"{rtype}/{_check_id(resource_id)}"),
                                 body=list(operations), headers=headers, content_type=JSON_PATCH)
        return self._write_result(response, rtype, as_dict)

    def delete(self, resource_type: str, resource_id: str) -> None:
        """``DELETE [base]/[type]/[id]``. Reading it afterwards raises Gone (410)."""
        self._request("DELETE", self._url(f"{_check_type(resource_type)}/"
                                          f"{_check_id(resource_id)}"))

    # ------------------------------------------------------------------ search and history

    def pages(self, resource_type: str, params: Params | None = None, *,
              as_dict: bool = False, fresh: bool = False) -> Iterator[Any]:
        """``GET [base]/[type]?params`` and every ``next`` page after it, as Bundles.

        ``fresh`` asks the server not to answer from a search cache (``Cache-Control:
        no-cache``): HAPI serves an identical search within 60 s from its cache, which misses
        what was written since (docs/hapi.md).
        """
        url: str | None = self._url(_check_type(resource_type))
        query: list[tuple[str, str]] | None = _params(params)
        headers = {"Cache-Control": "no-cache"} if fresh else None
        while url:
            bundle = self._json(self._request("GET", url, params=query, headers=headers))
            if bundle is None or bundle.get("resourceType") != "Bundle":
                raise InvalidResponse("search did not return a Bundle")
            yield self._result(bundle, as_dict)
            url = self._next(bundle)
            query = None  # the next link carries the query

    def _next(self, bundle: Resource) -> str | None:
        link = next((link.get("url") for link in bundle.get("link", [])
                     if link.get("relation") == "next"), None)
        return self._follow(link) if link else None

    def search_entries(self, resource_type: str, params: Params | None = None, *,
                       as_dict: bool = False, fresh: bool = False) -> Iterator[SearchEntry]:
        """Every entry of every page: matches, ``_include``/``_revinclude`` results (mode
        ``include``) and server notes (mode ``outcome``)."""
        for bundle in self.pages(resource_type, params, as_dict=True, fresh=fresh):
            for entry in bundle.get("entry", []):
                mode = entry.get("search", {}).get("mode", "match")
                yield SearchEntry(mode, entry.get("fullUrl"),
                                  self._result(entry.get("resource"), as_dict))

    def search(self, resource_type: str, params: Params | None = None, *,
               as_dict: bool = False, fresh: bool = False) -> Iterator[Any]:
        """The matching resources of a search, page after page (follows ``next`` links);
        ``fresh``: not from a search cache (see :meth:`pages`)."""
        for entry in self.search_entries(resource_type, params, as_dict=as_dict, fresh=fresh):
            if entry.mode == "match":
                yield entry.resource

    def history(self, resource_type: str | None = None, resource_id: str | None = None, *,
                since: datetime | str | None = None, count: int | None = None,
                as_dict: bool = False) -> Iterator[HistoryEntry]:
        """``_history`` of the system, a type or an instance, newest first, all pages.

        ``since`` (``_since``) keeps versions last updated at or after that instant.
        """
        if resource_id is not None and resource_type is None:
            raise ValueError("an instance history needs the resource type")
        path = "/".join(part for part in (
            _check_type(resource_type) if resource_type else None,
            _check_id(resource_id) if resource_id else None, "_history") if part)
        query: list[tuple[str, str]] | None = []
        if since is not None:
            query.append(("_since", _instant(since)))
        if count is not None:
            query.append(("_count", str(count)))
        url: str | None = self._url(path)
        while url:
            bundle = self._json(self._request("GET", url, params=query))
            if bundle is None or bundle.get("type") != "history":
                raise InvalidResponse("_history did not return a history Bundle")
            for entry in bundle.get("entry", []):
                yield self._history_entry(entry, as_dict)
            url = self._next(bundle)
            query = None

    def _history_entry(self, entry: Resource, as_dict: bool) -> HistoryEntry:
        request = entry.get("request", {})
        response = entry.get("response", {})
        resource = entry.get("resource")
        method = request.get("method", "PUT")
        url = request.get("url", "") or entry.get("fullUrl", "")
        if resource is not None:
            rtype, rid = resource["resourceType"], resource.get("id", "")
            version = resource.get("meta", {}).get("versionId")
        else:
            parts = url.split("?", 1)[0].rstrip("/").split("/")
            if "_history" in parts:
                parts = parts[:parts.index("_history")]
            rtype, rid = (parts[-2], parts[-1]) if len(parts) >= 2 else (url, "")
            version = None
        version = version or _version_from_etag(response.get("etag"))
        last_modified = response.get("lastModified") or (resource or {}).get(
            "meta", {}).get("lastUpdated")
        return HistoryEntry(method, rtype, rid, version, last_modified,
                            self._result(resource, as_dict))

    # ------------------------------------------------------------------ bundles and operations

    def transaction(self, bundle: Any, *, prefer: str | None = None,
                    as_dict: bool = False) -> Any:
        """``POST [base]`` a transaction Bundle: all entries succeed or none is applied.

        Returns the transaction-response Bundle. Never retried (a lost answer does not tell
        whether it was applied; re-read before sending again).
        """
        return self._bundle(bundle, "transaction", prefer, as_dict)

    def batch(self, bundle: Any, *, prefer: str | None = None, as_dict: bool = False) -> Any:
        """``POST [base]`` a batch Bundle: entries succeed or fail one by one; check each
        ``entry.response.status`` of the returned batch-response."""
        return self._bundle(bundle, "batch", prefer, as_dict)

    def _bundle(self, bundle: Any, kind: str, prefer: str | None, as_dict: bool) -> Any:
        data = to_dict(bundle)
        if data.get("resourceType") != "Bundle" or data.get("type") != kind:
            raise ValueError(f"expected a Bundle of type {kind}")
        headers = {"Prefer": f"return={prefer}"} if prefer else {}
        response = self._request("POST", self.base_url, body=data, headers=headers)
        return self._result(self._json(response), as_dict)

    def validate(self, resource: Any, *, profile: str | None = None,
                 as_dict: bool = False) -> Any:
        """``POST [base]/[type]/$validate``: the server's OperationOutcome.

        An outcome sent with 400, 412 or 422 is the answer, not an error, and is returned.
        """
        data = to_dict(resource)
        rtype = _check_type(data.get("resourceType", ""))
        params = [("profile", profile)] if profile else None
        response = self._request("POST", self._url(f"{rtype}/$validate"), params=params,
                                 body=data, idempotent=True, accept=VALIDATE_STATUSES)
        outcome = self._json(response)
        if outcome is None or outcome.get("resourceType") != "OperationOutcome":
            if response.status_code >= 400:
                raise self._error(response, "POST", f"{rtype}")
            raise InvalidResponse("$validate did not return an OperationOutcome")
        return self._result(outcome, as_dict)


def bundle_entry(method: str, resource: Any = None, *, url: str | None = None,
                 full_url: str | None = None, if_match: str | None = None,
                 if_none_exist: str | None = None) -> Resource:
    """One transaction/batch entry. ``url`` defaults to ``Type/id`` for PUT and ``Type`` for POST.

    >>> bundle_entry("PUT", {"resourceType": "Patient", "id": "p1"})["request"]
    {'method': 'PUT', 'url': 'Patient/p1'}
    """
    data = to_dict(resource) if resource is not None else None
    if url is None:
        if data is None:
            raise ValueError("an entry without a resource needs a url")
        url = data["resourceType"]
        if method == "PUT":
            url = f"{url}/{_check_id(data.get('id', ''))}"
    request: Resource = {"method": method, "url": url}
    if if_match:
        request["ifMatch"] = if_match
    if if_none_exist:
        request["ifNoneExist"] = if_none_exist
    entry: Resource = {}
    if full_url:
        entry["fullUrl"] = full_url
    if data is not None:
        entry["resource"] = data
    entry["request"] = request
    return entry


def make_bundle(kind: str, entries: Iterable[Resource]) -> Resource:
    """A transaction or batch Bundle around entries from ``bundle_entry``."""
    if kind not in ("transaction", "batch"):
        raise ValueError("kind must be transaction or batch")
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}
