"""Limits at every inbound boundary, and the one JSON loader they all use.

What comes from outside (a peer's FHIR server, a partner's file, a file given to the validator)
is read under three limits, each configurable and each with a safe default:

| limit | default | environment variable |
|---|---|---|
| size of one response or file | 20 MB | ``FHIR_REGIE_MAX_BYTES`` |
| JSON nesting depth | 64 levels | ``FHIR_REGIE_MAX_JSON_DEPTH`` |
| overall time for one HTTP request, body included | 60 s | ``FHIR_REGIE_REQUEST_DEADLINE`` |

The deepest FHIR resource of this guide nests about 12 levels (a Bundle entry's resource's
extension's value...); 64 leaves room for any real resource and stops a structure built to
exhaust the parser. The depth is measured *before* parsing, without recursion, so JSON nested
200,000 levels deep is refused with a :class:`LimitError`, never a RecursionError.

Each refusal is a :class:`LimitError` (a ValueError) whose message is one Dutch line that names
the limit and how to change it, never the content.

Example::

    >>> loads('{"resourceType": "Patient"}')["resourceType"]
    'Patient'
    >>> loads("[" * 100 + "]" * 100)
    Traceback (most recent call last):
    ...
    fhir_regie.limits.LimitError: te diep genest: meer dan 64 niveaus (FHIR_REGIE_MAX_JSON_DEPTH)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
DEADLINE = 60.0
ENV_BYTES = "FHIR_REGIE_MAX_BYTES"
ENV_DEPTH = "FHIR_REGIE_MAX_JSON_DEPTH"
ENV_DEADLINE = "FHIR_REGIE_REQUEST_DEADLINE"

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_KEEP_QUOTES = bytes(b for b in range(256) if b not in b'"[]{}')
_DELTA = {0x5B: 1, 0x7B: 1, 0x5D: -1, 0x7D: -1}


class LimitError(ValueError):
    """Input refused by a limit (size, depth, deadline); the message is one Dutch line."""


def positive_setting(name: str, default: float, kind: type) -> Any:
    """The environment variable ``name`` as a positive ``kind`` (``default`` when unset);
    ValueError naming the variable otherwise."""
    text = os.environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{name} must be a positive number, not {text!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be a positive number, not {text!r}")
    return value


@dataclass(frozen=True)
class Limits:
    """The limits for one boundary (see the module docstring)."""

    max_bytes: int = MAX_BYTES
    max_depth: int = MAX_DEPTH
    deadline: float = DEADLINE

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, changed by the environment variables where set (ValueError for a
        value that is not a positive number)."""
        return cls(positive_setting(ENV_BYTES, MAX_BYTES, int),
                   positive_setting(ENV_DEPTH, MAX_DEPTH, int),
                   positive_setting(ENV_DEADLINE, DEADLINE, float))

    def too_large(self, size: int | None = None) -> LimitError:
        shown = f"{self.max_bytes / 1024 / 1024:g} MB"
        return LimitError(f"te groot: meer dan {shown} ({ENV_BYTES})"
                          + (f", {size} bytes aangeboden" if size else ""))

    def too_slow(self) -> LimitError:
        return LimitError(f"te traag: niet binnen {self.deadline:g} s volledig ontvangen "
                          f"({ENV_DEADLINE})")

    def too_deep(self) -> LimitError:
        return LimitError(f"te diep genest: meer dan {self.max_depth} niveaus ({ENV_DEPTH})")


def depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped), without
    recursion; for malformed text an estimate that the parser will refuse anyway.

    Fast on large text: escapes go first (so an escaped quote cannot end a string), then
    everything but quotes and brackets; what lies between the quotes then is string content
    (every other piece); only the brackets outside strings are counted one by one."""
    skeleton = _ESCAPE.sub(b"", data).translate(None, _KEEP_QUOTES)
    brackets = b"".join(skeleton.split(b'"')[::2])
    return max(accumulate(map(_DELTA.__getitem__, brackets), initial=0))


def loads(data: bytes | str, limits: Limits | None = None) -> Any:
    """Parse JSON from outside under the limits: :class:`LimitError` for too large or too
    deep, ValueError (``json.JSONDecodeError``) for text that is not JSON. Never a
    RecursionError."""
    limits = limits or Limits.from_env()
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > limits.max_bytes:
        raise limits.too_large(len(raw))
    if depth(raw) > limits.max_depth:
        raise limits.too_deep()
    try:
        return json.loads(raw)
    except RecursionError:   # cannot happen below the depth limit; kept as a last guard
        raise limits.too_deep() from None


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """A file's bytes, refused before reading when it is larger than the limit."""
    limits = limits or Limits.from_env()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise limits.too_large(size)
    with path.open("rb") as handle:
        data = handle.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:   # grew while we looked
        raise limits.too_large()
    return data


def read_text(path: Path, limits: Limits | None = None) -> str:
    """A UTF-8 file's text under the size limit (UnicodeDecodeError when it is not UTF-8)."""
    return read_bytes(path, limits).decode("utf-8")


def load_file(path: Path, limits: Limits | None = None) -> Any:
    """A JSON file, under the size and depth limits."""
    limits = limits or Limits.from_env()
    return loads(read_bytes(path, limits), limits)
