"""A fault-injecting TCP proxy for HTTP on loopback, for the sync engine's fault and kill tests.

It listens on 127.0.0.1, forwards each HTTP/1.1 request to the real server over a fresh
connection, and relays the answer, rewriting the server's own base URL to the proxy's (so paging
links and Location headers point back through it). Rules decide per request what goes wrong:

- ``delay``: wait (bounded by ``max_delay``), then forward (a timeout when longer than the
  client's read timeout);
- ``drop``: close the connection without an answer, before forwarding (nothing applied);
- ``lose``: forward, let the server apply it, then close without relaying the answer (the
  classic lost answer: the client cannot tell whether it happened);
- ``reset``: close with a TCP reset;
- ``status``: answer with a status (429 with ``Retry-After``, 500, 502, 503), not forwarded;
- ``garbage``: answer 200 with a body that is not JSON;
- ``body``: answer 200 with the given bytes (``body``; e.g. JSON nested 200,000 levels deep);
- ``oversize``: answer 200 with a FHIR JSON Task of ``size`` bytes, streamed without a
  Content-Length (so only counting while reading can stop it);
- ``drip``: forward, then relay the answer one byte every ``delay`` seconds (``head=True``: from
  the status line on, else the headers at once and only the body dripped), for at most
  ``timeout`` seconds (a server that is slow but never silent: a read timeout never trips);
- ``rewrite``: forward, then change the JSON answer (a malformed resource inside a Bundle);
- ``hook``: call a function before forwarding (change the server in a race, kill a process).

Rules are bounded in count (``times``) and the proxy in faults overall (``max_faults``), so a
test always ends. :meth:`FaultProxy.refuse` closes the listening socket for a while (connection
refused), :meth:`FaultProxy.accept` opens it again on the same port.

Example::

    with FaultProxy(server.base_url, [Rule("status", method="POST", status=503, times=2)]) as p:
        client = FhirClient(p.base_url)
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

HOST = "127.0.0.1"
MAX_HEAD = 64 * 1024
REASONS = {200: "OK", 429: "Too Many Requests", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Rule:
    """One kind of fault for requests that match (``method`` and a regex on the path+query),
    from the ``after``-th match on, ``times`` times."""

    kind: str
    method: str | None = None
    path: str | None = None
    times: int = 1
    after: int = 0
    status: int = 503
    retry_after: str | None = None
    delay: float = 0.0
    rewrite: Callable[[Any], Any] | None = None
    hook: Callable[[str, str], None] | None = None
    body: bytes = b""
    size: int = 0
    head: bool = False
    seen: int = 0
    used: int = 0

    def matches(self, method: str, target: str) -> bool:
        if self.method and self.method != method:
            return False
        return not self.path or re.search(self.path, target) is not None

    def take(self, method: str, target: str) -> bool:
        if not self.matches(method, target):
            return False
        self.seen += 1
        if self.seen <= self.after or self.used >= self.times:
            return False
        self.used += 1
        return True


@dataclass
class Seen:
    method: str
    target: str
    fault: str | None
    status: int | None = None


@dataclass
class FaultProxy:
    """The proxy. ``upstream``: the server's base URL; ``rules``: what to break."""

    upstream: str
    rules: list[Rule] = field(default_factory=list)
    max_faults: int = 50
    max_delay: float = 10.0
    timeout: float = 30.0
    seen: list[Seen] = field(default_factory=list)
    port: int = 0
    on_request: Callable[[int, str, str], bool] | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        self._target = (parts.hostname or HOST, parts.port or 80)
        self._path = parts.path.rstrip("/")
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = False
        self._faults = 0

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}{self._path}"

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> FaultProxy:
        self._closing = False
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing = True
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def refuse(self) -> None:
        """Stop listening: connections are refused until :meth:`accept`."""
        self.stop()

    def accept(self) -> None:
        """Listen again, on the same port."""
        self.start()

    @property
    def faults(self) -> list[Seen]:
        return [s for s in self.seen if s.fault]

    # ------------------------------------------------------------------ serving
    def _accept(self, listener: socket.socket) -> None:
        while not self._closing:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _rule(self, method: str, target: str) -> Rule | None:
        with self._lock:
            if self._faults >= self.max_faults:
                return None
            for rule in self.rules:
                if rule.take(method, target):
                    self._faults += 1
                    return rule
        return None

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(self.timeout)
        try:
            request = _read_request(client)
            if request is None:
                return
            method, target, head, body = request
            with self._lock:
                number = len(self.seen) + 1
                record = Seen(method, target, None)
                self.seen.append(record)
            if self.on_request is not None and self.on_request(number, method, target):
                return  # the callback took it (e.g. killed the client): never forwarded
            rule = self._rule(method, target)
            record.fault = rule.kind if rule else None
            if rule is not None and self._before(rule, client, method, target, record):
                return
            answer = self._forward(head, body)
            if rule is not None and rule.kind == "lose":
                return  # applied upstream, the answer never arrives
            if rule is not None and rule.kind == "rewrite" and rule.rewrite is not None:
                answer = _rewrite_json(answer, rule.rewrite)
            record.status = _status_of(answer)
            if rule is not None and rule.kind == "drip":
                self._drip(client, answer, rule)
                return
            client.sendall(answer)
        except OSError:
            return
        finally:
            client.close()

    def _before(self, rule: Rule, client: socket.socket, method: str, target: str,
                record: Seen) -> bool:
        """Apply a fault that comes before forwarding; True when the request ends here."""
        if rule.kind == "delay":
            time.sleep(min(rule.delay, self.max_delay))
        elif rule.kind == "hook" and rule.hook is not None:
            rule.hook(method, target)
        elif rule.kind == "drop":
            return True
        elif rule.kind == "reset":
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return True
        elif rule.kind == "status":
            headers = {"Content-Type": "application/fhir+json"}
            if rule.retry_after is not None:
                headers["Retry-After"] = rule.retry_after
            outcome = json.dumps({"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "transient", "diagnostics": "injected"}]})
            record.status = rule.status
            client.sendall(_response(rule.status, headers, outcome.encode()))
            return True
        elif rule.kind == "body":
            record.status = 200
            client.sendall(_response(200, {"Content-Type": "application/fhir+json"}, rule.body))
            return True
        elif rule.kind == "oversize":
            record.status = 200
            self._oversize(client, rule.size)
            return True
        elif rule.kind == "garbage":
            record.status = 200
            client.sendall(_response(200, {"Content-Type": "application/fhir+json"},
                                     b"\x00<html>not json{"))
            return True
        return False

    def _drip(self, client: socket.socket, answer: bytes, rule: Rule) -> None:
        """Relay ``answer`` one byte per ``rule.delay`` seconds, at most ``timeout`` seconds."""
        head, body = _split(answer)
        start = 0
        if not rule.head:
            client.sendall(head + b"\r\n\r\n")
            answer, start = body, 0
        until = time.monotonic() + self.timeout
        for index in range(start, len(answer)):
            if self._closing or time.monotonic() > until:
                return
            client.sendall(answer[index:index + 1])
            time.sleep(rule.delay or 1.0)

    def _oversize(self, client: socket.socket, size: int) -> None:
        """A valid FHIR Task of ``size`` bytes, streamed with no Content-Length."""
        client.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\n"
                       b"Connection: close\r\n\r\n")
        start, end = b'{"resourceType":"Task","id":"groot","note":[{"text":"', b'"}]}'
        client.sendall(start)
        left = max(0, size - len(start) - len(end))
        block = b"a" * 65536
        while left > 0 and not self._closing:
            client.sendall(block[:left])
            left -= min(left, len(block))
        client.sendall(end)

    def _forward(self, head: bytes, body: bytes) -> bytes:
        with socket.create_connection(self._target, timeout=self.timeout) as upstream:
            upstream.sendall(_close_header(head) + body)
            chunks = []
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        raw = b"".join(chunks)
        ours = f"http://{HOST}:{self.port}".encode()
        theirs = f"http://{self._target[0]}:{self._target[1]}".encode()
        return _replace(raw, theirs, ours)


def _read_request(client: socket.socket) -> tuple[str, str, bytes, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > MAX_HEAD:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = client.recv(65536)
        if not chunk:
            break
        rest += chunk
    return method, target, head + b"\r\n\r\n", rest[:length]


def _close_header(head: bytes) -> bytes:
    lines = [line for line in head.split(b"\r\n")
             if line and not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n"


def _split(raw: bytes) -> tuple[bytes, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head, body


def _with_body(head: bytes, body: bytes) -> bytes:
    lines = [line for line in head.split(b"\r\n")
             if not line.lower().startswith((b"content-length:", b"transfer-encoding:"))]
    lines.append(f"Content-Length: {len(body)}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _dechunk(head: bytes, body: bytes) -> bytes:
    if b"transfer-encoding: chunked" not in head.lower():
        return body
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out


def _replace(raw: bytes, old: bytes, new: bytes) -> bytes:
    head, body = _split(raw)
    body = _dechunk(head, body)
    return _with_body(head.replace(old, new), body.replace(old, new))


def _rewrite_json(raw: bytes, change: Callable[[Any], Any]) -> bytes:
    head, body = _split(raw)
    try:
        data = json.loads(body)
    except ValueError:
        return raw
    return _with_body(head, json.dumps(change(data)).encode())


def _status_of(raw: bytes) -> int | None:
    try:
        return int(raw.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def _response(status: int, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}",
             *(f"{k}: {v}" for k, v in headers.items()), f"Content-Length: {len(body)}",
             "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
