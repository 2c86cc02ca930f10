"""Identities for test data that never collide: not within a test run, and not with the data
that earlier runs left on a persistent server (the HAPI servers are shared by every test of a
run, and a developer's or a shared server keeps what earlier runs wrote).

Everything comes from one **run prefix** (``RUN``, six random characters, printed in the pytest
header) plus counters:

- ``bsn()``: citizen service numbers that pass the eleven-check (elfproef), from the test range
  ``99xxxxxxx`` below ``999990000`` (the guide's fixed examples are above): ``99`` + a
  six-digit stem, then the check digit. The stems are
  walked one by one from a start derived from the run prefix, skipping the stems that have no
  check digit (one in eleven), so a run never draws the same number twice (about 908,000
  numbers before the range is used up, then it refuses). Two runs meet only when their starts
  lie closer than the numbers they draw (a test run draws a few hundred: odds about 1 in 1,000
  per pair of runs); ids and identifier systems below carry the whole run prefix.
- ``tag(letter)``: an id prefix (``s`` + run prefix + ``-`` + counter), for resource ids.
- ``system(name)``: an identifier system of this run and this call alone.
- ``Numbers(space)``: numbers below ``space`` for partner formats with few digits (the
  municipal case system's ``H12345``), walked from a run-derived start like the BSNs.

The run prefix comes from the operating system's randomness, never from ``random``:
pytest-randomly re-seeds ``random`` with the seed of the run, and replaying a seed must not
replay the identities of the run it replays (those are on the server now).
``FHIR_REGIE_TEST_RUN`` sets the prefix (six lowercase letters or digits), for a test that
needs a known one; never reuse one against a server that has seen it.
"""

from __future__ import annotations

import os
import re
import secrets
import string
import threading
from collections.abc import Iterator
from itertools import count
from typing import Any

BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
NAMING = "https://fhir-regie.nl/fhir/NamingSystem"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
TEST_RANGE = "99"   # every test BSN starts with this
# The six digits between the range and the check digit, below 999000: BSNs 99999xxxx are the
# guide's fixed examples (999990007, ...), which other tests write to the same servers.
STEMS = 10 ** (8 - len(TEST_RANGE)) - 1000
_ALPHABET = string.ascii_lowercase + string.digits
_RUN_FORMAT = re.compile(r"[a-z][a-z0-9]{5}")


def is_valid_bsn(value: str) -> bool:
    """Nine digits whose weighted sum (9, 8, ..., 2, -1) is a multiple of eleven."""
    if len(value) != 9 or not value.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(value, WEIGHTS, strict=True)) % 11 == 0


def check_digit(first_eight: str) -> int | None:
    """The ninth digit that makes ``first_eight`` a valid BSN, or None when it would be 10."""
    total = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS[:8], strict=True))
    digit = total % 11   # total - digit must be a multiple of eleven
    return digit if digit < 10 else None


class BsnGenerator:
    """Valid test BSNs, each once: stems walked from ``start`` (thread-safe)."""

    def __init__(self, start: int) -> None:
        self._stems = (
            (start + offset) % STEMS for offset in range(STEMS))
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            for stem in self._stems:
                first_eight = f"{TEST_RANGE}{stem:06d}"
                digit = check_digit(first_eight)
                if digit is not None:
                    return f"{first_eight}{digit}"
        raise RuntimeError("the test BSN range is used up for this run")


class Numbers:
    """Distinct numbers below ``space`` (each once per run), walked from a run-derived start;
    for identifiers of partner formats with few digits."""

    def __init__(self, space: int, start: int) -> None:
        self._numbers: Iterator[int] = ((start + offset) % space for offset in range(space))
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            for number in self._numbers:
                return number
        raise RuntimeError("the numbers of this run are used up")


def _run_prefix() -> str:
    given = os.environ.get("FHIR_REGIE_TEST_RUN", "").strip()
    if given:
        if not _RUN_FORMAT.fullmatch(given):
            raise ValueError("FHIR_REGIE_TEST_RUN: six lowercase letters or digits, "
                             "the first a letter")
        return given
    return secrets.choice(string.ascii_lowercase) + "".join(
        secrets.choice(_ALPHABET) for _ in range(5))


RUN = _run_prefix()
_RUN_NUMBER = int(RUN, 36)
_tags = count(1)
_tag_lock = threading.Lock()

bsn = BsnGenerator(_RUN_NUMBER % STEMS)
BSN_START = f"{TEST_RANGE}{_RUN_NUMBER % STEMS:06d}"


def _next() -> int:
    with _tag_lock:
        return next(_tags)


def tag(letter: str = "t") -> str:
    """An id prefix of this run alone (``t`` + run + ``-`` + counter): valid in FHIR ids."""
    return f"{letter}{RUN}-{_next()}"


def system(name: str = "test") -> str:
    """An identifier system of this run and this call alone."""
    return f"{NAMING}/{name}-{RUN}-{_next()}"


def numbers(space: int) -> Numbers:
    """Distinct numbers below ``space`` for this run, from a start of its own."""
    return Numbers(space, _RUN_NUMBER % space)


def fresh_bsns(resources: list[dict[str, Any]],
               new: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The resources with every BSN replaced by a new test BSN (the same old number gets the
    same new one), for fixed examples written to a shared server. Pass the same ``new`` (old
    number -> new number) to give a later copy of the same people the same numbers."""
    new = {} if new is None else new

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            out = {key: walk(item) for key, item in value.items()}
            if out.get("system") == BSN_SYSTEM and isinstance(out.get("value"), str):
                out["value"] = new.setdefault(out["value"], bsn())
            return out
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return [walk(resource) for resource in resources]


def renamed(value: Any, ids: dict[str, str]) -> Any:
    """``value`` with every reference found in ``ids`` (old -> new) pointing at the new id, a
    versioned one (``Type/id/_history/n``) too: a fixed example copied under this run's ids."""
    if isinstance(value, dict):
        out = {key: renamed(item, ids) for key, item in value.items()}
        text = out.get("reference")
        if isinstance(text, str):
            base, marker, version = text.partition("/_history/")
            if base in ids:  # a versioned reference names the copy's version alike
                out["reference"] = ids[base] + marker + version
        return out
    if isinstance(value, list):
        return [renamed(item, ids) for item in value]
    return value


def header() -> str:
    """One line for the pytest header: the run prefix, to find this run's data."""
    return (f"test identities: run {RUN} (ids and systems carry it; BSNs from {BSN_START}x, "
            f"set FHIR_REGIE_TEST_RUN to choose)")
