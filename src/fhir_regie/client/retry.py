"""When and how long the client waits before repeating a request.

Rules (ARCHITECTURE.md §5 "retries with backoff only for idempotent calls"):

- only idempotent requests are repeated: GET, HEAD, PUT, DELETE, OPTIONS, and conditional
  requests (``If-Match`` or ``If-None-Exist``: replaying them cannot apply a change twice, the
  server answers 412 or returns the existing match instead). A plain POST (create, transaction,
  batch, operation) is never repeated: the first attempt may have been applied;
- only on 429, 502, 503, 504 and on connection errors/timeouts;
- wait what ``Retry-After`` says (seconds or an HTTP-date), else exponential backoff with full
  jitter (AWS architecture blog, "Exponential Backoff And Jitter"): ``uniform(0, min(cap,
  base * 2**n))``;
- a ``Retry-After`` longer than ``max_retry_after`` is not waited for: the error is raised so the
  caller (sync engine) can park the work instead of blocking a thread.

Sleep, clock and randomness are injectable so tests run instantly and deterministically.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
CONDITIONAL_HEADERS = ("if-match", "if-none-exist")


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (RFC 9110 §10.2.3), or None if absent/bad.

    >>> parse_retry_after("7", now=0)
    7.0
    >>> parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0)
    6.0
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - now)


@dataclass(frozen=True)
class RetryPolicy:
    """Which requests are repeated, how often and how long to wait in between.

    Example::

        RetryPolicy(max_attempts=5, backoff_base=0.2)   # faster, more patient
        RetryPolicy.none()                              # never repeat
    """

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 20.0
    max_retry_after: float = 120.0
    statuses: frozenset[int] = RETRY_STATUSES
    methods: frozenset[str] = IDEMPOTENT_METHODS
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    clock: Callable[[], float] = field(default=time.time, compare=False)
    jitter: Callable[[], float] = field(default=random.random, compare=False)

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never repeats a request."""
        return cls(max_attempts=1)

    def idempotent(self, method: str, headers: Mapping[str, str]) -> bool:
        """True if repeating this request cannot apply a change twice."""
        if method.upper() in self.methods:
            return True
        lowered = {name.lower() for name in headers}
        return any(name in lowered for name in CONDITIONAL_HEADERS)

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff before attempt ``attempt + 1`` (``attempt`` >= 1)."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** (attempt - 1)))
        return self.jitter() * ceiling

    def delay(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before the next attempt, or None when the server asks for too long."""
        asked = parse_retry_after(retry_after, self.clock())
        if asked is None:
            return self.backoff(attempt)
        if asked > self.max_retry_after:
            return None
        return asked
