"""One small exception tree for the FHIR client; HTTP status maps to a class.

The server's ``OperationOutcome`` (when it sent one) stays on the exception as ``outcome``, so
callers can read the issues; the message itself names only the method, the resource type, the
status and the issue codes. It never contains ids, query values or diagnostics text, because
exception messages end up in logs and those must not carry personal data (STYLE.md, "Errors").

Modelled on fhir-py's ``fhirpy/base/exceptions.py``: ``ResourceNotFound``, ``OperationOutcome``.
"""

from __future__ import annotations

from typing import Any

Outcome = dict[str, Any]


class FhirClientError(Exception):
    """Base of every error the client raises."""


class TransportError(FhirClientError):
    """No HTTP answer at all: connection refused or reset, DNS, TLS, timeout (after retries)."""


class ForeignLinkError(FhirClientError):
    """The server sent a paging link outside the configured base URL; the client does not follow
    links to other servers (credentials and data would leave the agreed endpoint)."""


class InvalidResponse(FhirClientError):
    """The server answered with a body that is not the FHIR JSON it should be."""


class LimitExceeded(FhirClientError):
    """The answer broke a limit (``fhir_regie.limits``): too large, nested too deep, or not
    complete within the overall deadline. Not retried: the same request would do the same."""


class HttpError(FhirClientError):
    """The server answered with an error status.

    Attributes:
        status: the HTTP status code.
        outcome: the server's OperationOutcome as a dict, or None when the body was not one.
        method: the HTTP method of the request.
        resource_type: the first path segment of the request (``Patient``, ``metadata``, ...), or
            ``""`` for the base (transaction and batch).
    """

    status: int = 0

    def __init__(self, status: int, outcome: Outcome | None = None, method: str = "",
                 resource_type: str = "", *, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.outcome = outcome
        self.method = method
        self.resource_type = resource_type
        self.headers = dict(headers or {})
        codes = ", ".join(self.issue_codes) or "no OperationOutcome"
        where = f"{method} {resource_type or '[base]'}".strip()
        super().__init__(f"HTTP {status} on {where} ({codes})")

    @property
    def issue_codes(self) -> list[str]:
        """The ``issue.code`` values of the OperationOutcome, in order (no free text)."""
        if not self.outcome:
            return []
        return [str(issue.get("code", "?")) for issue in self.outcome.get("issue", [])]

    @property
    def diagnostics(self) -> list[str]:
        """The issues' ``diagnostics`` texts. May name resources: do not log them."""
        if not self.outcome:
            return []
        return [str(i["diagnostics"]) for i in self.outcome.get("issue", []) if "diagnostics" in i]


class BadRequest(HttpError):
    """400: the request is malformed (bad JSON, unknown parameter in strict mode, ...)."""


class Unauthorized(HttpError):
    """401: missing, expired or rejected credentials."""


class Forbidden(HttpError):
    """403: authenticated, but not allowed (scope, consent, policy)."""


class NotFound(HttpError):
    """404: no such resource, version, type or operation."""


class MethodNotAllowed(HttpError):
    """405: the server does not support this interaction here."""


class Conflict(HttpError):
    """409: the write conflicts with the current state (also the base of version conflicts)."""


class Gone(HttpError):
    """410: the resource existed and has been deleted."""


class PreconditionFailed(Conflict):
    """412: a stale ``If-Match`` version, or a conditional request that matched several resources.

    A subclass of Conflict because callers handle both the same way: re-read, merge or park.
    """


class Unprocessable(HttpError):
    """422: the resource was understood but violates a rule (profile, business rule)."""


class TooManyRequests(HttpError):
    """429: rate limited. ``retry_after`` is the server's wait in seconds, if it said one."""

    def __init__(self, status: int, outcome: Outcome | None = None, method: str = "",
                 resource_type: str = "", *, headers: dict[str, str] | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(status, outcome, method, resource_type, headers=headers)
        self.retry_after = retry_after


class ServerError(HttpError):
    """5xx: the server failed. Idempotent requests were already retried where that helps."""


_BY_STATUS: dict[int, type[HttpError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    410: Gone,
    412: PreconditionFailed,
    422: Unprocessable,
    429: TooManyRequests,
}


def error_class(status: int) -> type[HttpError]:
    """The exception class for an error status.

    >>> error_class(412).__name__
    'PreconditionFailed'
    """
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return HttpError


def error_for(status: int, body: Any, method: str = "", resource_type: str = "", *,
              headers: dict[str, str] | None = None,
              retry_after: float | None = None) -> HttpError:
    """Build the typed error for a response; ``body`` is the parsed JSON body or None.

    Only an OperationOutcome is kept as ``outcome``; any other body is dropped (it may hold
    data the caller did not ask to keep around in an exception).
    """
    outcome = body if isinstance(body, dict) and body.get("resourceType") == "OperationOutcome" \
        else None
    cls = error_class(status)
    if cls is TooManyRequests:
        return TooManyRequests(status, outcome, method, resource_type, headers=headers,
                               retry_after=retry_after)
    return cls(status, outcome, method, resource_type, headers=headers)
