"""The viewer's sessions: in memory, bounded in number, expiring.

Two kinds, kept apart so that a flood of started launches can never push out a user who is
signed in:

- a *launch* lives from the redirect to the authorization server until the callback (the
  fhirclient state with PKCE verifier, ``state`` and the OIDC ``nonce``); it expires after
  ``launch_ttl`` and at most ``max_launches`` wait at once;
- a *session* is a signed-in user (the launch context with the access token); it expires after
  ``idle`` without a request and after ``absolute`` from sign-in, whatever happens; at most
  ``max_sessions`` live at once.

When a kind is full, the one least recently used goes first. The callback moves a launch to a
session under a new random id (no session fixation). The clock is injected (tests move it);
the store is safe to use from the threads Starlette runs the routes in.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fhir_regie.viewer.smart import Context


@dataclass(frozen=True)
class SessionLimits:
    """How long sessions live and how many there may be (safe defaults: a working morning)."""

    idle: timedelta = timedelta(minutes=15)
    absolute: timedelta = timedelta(hours=8)
    max_sessions: int = 500
    launch_ttl: timedelta = timedelta(minutes=10)
    max_launches: int = 200

    def __post_init__(self) -> None:
        if min(self.idle, self.absolute, self.launch_ttl) <= timedelta(0):
            raise ValueError("session times must be positive")
        if min(self.max_sessions, self.max_launches) < 1:
            raise ValueError("session limits must be at least 1")


@dataclass
class Session:
    """A launch in progress (``context`` None) or a signed-in user."""

    state: dict[str, Any]
    created: datetime
    seen: datetime
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    context: Context | None = None


def new_id() -> str:
    return secrets.token_urlsafe(32)


class SessionStore:
    """Launches and sessions by random id. ``len(store)`` counts both."""

    def __init__(self, limits: SessionLimits, clock: Callable[[], datetime]) -> None:
        self.limits = limits
        self._clock = clock
        self._launches: OrderedDict[str, Session] = OrderedDict()
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._launches) + len(self._sessions)

    @property
    def counts(self) -> tuple[int, int]:
        """(launches waiting, sessions signed in)."""
        with self._lock:
            return len(self._launches), len(self._sessions)

    def begin(self, state: dict[str, Any], nonce: str) -> str:
        """Keep a new launch; returns its id (the cookie)."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            while len(self._launches) >= self.limits.max_launches:
                self._launches.popitem(last=False)
            launch_id = new_id()
            self._launches[launch_id] = Session(dict(state), now, now, nonce)
            return launch_id

    def launch(self, launch_id: str) -> Session | None:
        """The launch waiting under this id, if it has not expired. It is taken out: a
        callback is answered once."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            return self._launches.pop(launch_id, None)

    def sign_in(self, launch: Session, context: Context, state: dict[str, Any]) -> str:
        """A finished launch becomes a session under a new id; returns that id."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            while len(self._sessions) >= self.limits.max_sessions:
                self._sessions.popitem(last=False)
            session_id = new_id()
            self._sessions[session_id] = Session(dict(state), now, now, launch.nonce, context)
            return session_id

    def get(self, session_id: str) -> Session | None:
        """The signed-in session under this id if it is still valid (this counts as use)."""
        now = self._clock()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[session_id]
                return None
            session.seen = now
            self._sessions.move_to_end(session_id)
            return session

    def end(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)
            self._launches.pop(session_id, None)

    def _expired(self, session: Session, now: datetime) -> bool:
        return now - session.seen >= self.limits.idle or \
            now - session.created >= self.limits.absolute

    def _prune(self, now: datetime) -> None:
        for key in [k for k, s in self._launches.items()
                    if now - s.created >= self.limits.launch_ttl]:
            del self._launches[key]
        for key in [k for k, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[key]
