"""What the viewer does on every request, before and after its routes: security headers on every
response, request size limits, and no traceback for anything unexpected.

Pure ASGI middleware (no body buffering); the pages it answers with come from the app
(``page``), so they are the viewer's Dutch pages with the same headers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
Page = Callable[[str, str, int], Any]   # (title, message, status) -> a Starlette Response

LOG = logging.getLogger("fhir_regie.viewer")

# A FHIR id (R4 §2.24.0.1 "id": [A-Za-z0-9\-\.]{1,64}); anything else is no plan.
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def security_headers(https: bool) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (HSTS only when the viewer is reached over https)."""
    headers = {
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "cache-control": "no-store",
    }
    if https:
        headers["strict-transport-security"] = "max-age=31536000"
    return [(k.encode(), v.encode()) for k, v in headers.items()]


def is_fhir_id(text: str) -> bool:
    """Example::

    >>> is_fhir_id("devries-safety-plan"), is_fhir_id("x?y"), is_fhir_id("a" * 65)
    (True, False, False)
    """
    return FHIR_ID.fullmatch(text) is not None


@dataclass(frozen=True)
class RequestLimits:
    """The largest request the viewer reads (it takes no uploads: its one form has no fields)."""

    max_body: int = 16 * 1024
    max_target: int = 4 * 1024          # path plus query string, in bytes

    def __post_init__(self) -> None:
        if min(self.max_body, self.max_target) < 1:
            raise ValueError("request limits must be at least 1")


class RequestTooLargeError(Exception):
    """A request body over the limit (raised while the body is read)."""


class Guard:
    """The outermost layer: headers on every response, limits, and a Dutch page instead of a
    traceback. The log gets one line with the error's class, never a path (paths name plans)
    or a message (messages may carry personal data)."""

    def __init__(self, app: App, page: Page, limits: RequestLimits, https: bool) -> None:
        self.app, self.page, self.limits = app, page, limits
        self.headers = security_headers(https)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name for name, _ in self.headers}
                message["headers"] = [(k, v) for k, v in message.get("headers", [])
                                      if k.lower() not in names] + self.headers
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await self.page(*refusal)(scope, receive, send_with_headers)
            return
        budget = self.limits.max_body

        async def counted() -> Message:
            nonlocal budget
            message = await receive()
            if message["type"] == "http.request":
                budget -= len(message.get("body", b""))
                if budget < 0:
                    raise RequestTooLargeError
            return message

        try:
            await self.app(scope, counted, send_with_headers)
        except RequestTooLargeError:
            if not started:
                await self.page(*TOO_LARGE)(scope, receive, send_with_headers)
        except Exception as error:  # anything unexpected: one line, a Dutch page
            LOG.error("viewer: unexpected %s", error.__class__.__name__)
            if not started:
                await self.page("Er ging iets mis", "Er ging iets mis in de viewer. Probeer het "
                                "opnieuw.", 500)(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> tuple[str, str, int] | None:
        target = len(scope.get("raw_path") or scope["path"].encode()) + \
            len(scope.get("query_string") or b"")
        if target > self.limits.max_target:
            return "Adres te lang", "Dit adres is te lang.", 414
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    if int(value) > self.limits.max_body:
                        return TOO_LARGE
                except ValueError:
                    return "Dit lukt niet", "Het verzoek is niet goed opgebouwd.", 400
        return None


TOO_LARGE = ("Verzoek te groot", "Dit verzoek is te groot.", 413)
