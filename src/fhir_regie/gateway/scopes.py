"""SMART v2 system scopes (SMART App Launch 2.x, "Scopes and Launch Context": ``system/``
``<resource type or *>.<c r u d s>``, the permissions in that order).

Pure functions. The gateway grants a client the requested scopes that its registry entry
covers, and checks each request against what the token was granted.

Example::

    >>> parse_scope("system/CarePlan.rs")
    Scope(resource='CarePlan', permissions='rs')
    >>> grant("system/CarePlan.rs system/Consent.r", ("system/*.rs",))
    ('system/CarePlan.rs', 'system/Consent.r')
    >>> allows(("system/*.rs",), "Task", "u")
    False
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

_SCOPE = re.compile(r"system/(\*|[A-Z][A-Za-z]{1,63})\.(c?r?u?d?s?)")


class Scope(NamedTuple):
    resource: str
    permissions: str


def parse_scope(text: str) -> Scope | None:
    """The scope, or None when ``text`` is no SMART v2 system scope."""
    found = _SCOPE.fullmatch(text)
    if found is None or not found.group(2):
        return None
    return Scope(found.group(1), found.group(2))


def covers(allowed: Scope, wanted: Scope) -> bool:
    """Does ``allowed`` include everything ``wanted`` asks for?"""
    return allowed.resource in ("*", wanted.resource) and \
        set(wanted.permissions) <= set(allowed.permissions)


def grant(requested: str, allowed: Iterable[str]) -> tuple[str, ...]:
    """The requested scopes (space separated) that the allowed ones cover, in request order.
    A scope that is not a system scope, or not covered, is left out."""
    limits = [s for s in (parse_scope(a) for a in allowed) if s is not None]
    granted = []
    for text in requested.split():
        wanted = parse_scope(text)
        if wanted and any(covers(limit, wanted) for limit in limits) and text not in granted:
            granted.append(text)
    return tuple(granted)


def allows(granted: Iterable[str], resource: str, permission: str) -> bool:
    """Does a token with ``granted`` scopes allow ``permission`` (one of c r u d s) on
    ``resource``?"""
    wanted = Scope(resource, permission)
    return any(s is not None and covers(s, wanted) for s in map(parse_scope, granted))
