"""The limits at the inbound boundaries and the one JSON loader (fhir_regie.limits), and the
client reading bodies under them (issue 18)."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import responses

from fhir_regie.client import FhirClient, LimitExceeded, RetryPolicy
from fhir_regie.limits import LimitError, Limits, depth, load_file, loads, read_bytes

BASE = "https://fhir.example.nl/fhir"
TASK = {"resourceType": "Task", "id": "t1", "status": "requested", "intent": "order"}


# --------------------------------------------------------------------------- the loader
def test_json_nested_200000_deep_is_refused_cleanly_not_with_recursion_error():
    deep = "[" * 200_000 + "]" * 200_000
    with pytest.raises(LimitError, match=r"^te diep genest: meer dan 64 niveaus"):
        loads(deep)


def test_the_depth_limit_is_exact_and_configurable():
    at_limit = "[" * 64 + "]" * 64
    assert depth(at_limit.encode()) == 64
    assert loads(at_limit) == json.loads(at_limit)
    with pytest.raises(LimitError):
        loads("[" * 65 + "]" * 65)
    assert loads("[[[]]]", Limits(max_depth=3)) == [[[]]]
    with pytest.raises(LimitError, match="meer dan 2 niveaus"):
        loads("[[[]]]", Limits(max_depth=2))


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"a": "[[[[{{{{" * 100, "b": ["\\\"[[[", "x\\\\"]})
    assert depth(text.encode()) == 2
    assert loads(text, Limits(max_depth=2))["a"].startswith("[[[[")


def test_size_is_checked_before_parsing():
    with pytest.raises(LimitError, match=r"^te groot: meer dan"):
        loads(" " * 101 + "{}", Limits(max_bytes=100))
    assert loads("{}", Limits(max_bytes=2)) == {}


def test_text_that_is_not_json_is_a_decode_error_not_a_limit():
    with pytest.raises(json.JSONDecodeError):
        loads("{nee")


def test_limits_come_from_the_environment_and_bad_values_are_one_line(monkeypatch):
    monkeypatch.setenv("FHIR_REGIE_MAX_BYTES", "2048")
    monkeypatch.setenv("FHIR_REGIE_MAX_JSON_DEPTH", "10")
    monkeypatch.setenv("FHIR_REGIE_REQUEST_DEADLINE", "2.5")
    assert Limits.from_env() == Limits(2048, 10, 2.5)
    monkeypatch.setenv("FHIR_REGIE_MAX_JSON_DEPTH", "-1")
    with pytest.raises(ValueError, match=r"^FHIR_REGIE_MAX_JSON_DEPTH must be a positive"):
        Limits.from_env()
    monkeypatch.setenv("FHIR_REGIE_MAX_JSON_DEPTH", "veel")
    with pytest.raises(ValueError, match=r"^FHIR_REGIE_MAX_JSON_DEPTH must be a positive"):
        Limits.from_env()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path):
    big = tmp_path / "groot.json"
    big.write_bytes(b"[" + b"1," * 1000 + b"1]")
    with pytest.raises(LimitError, match="te groot"):
        read_bytes(big, Limits(max_bytes=1000))
    assert len(load_file(big, Limits(max_bytes=10_000))) == 1001


# --------------------------------------------------------------------------- the client
def client(**limits: float) -> FhirClient:
    return FhirClient(BASE, limits=Limits(**limits), retry=RetryPolicy(max_attempts=1))


@responses.activate
def test_the_client_refuses_a_body_over_the_size_limit():
    body = json.dumps(TASK | {"description": "x" * 5000})
    responses.get(f"{BASE}/Task/t1", body=body, content_type="application/fhir+json")
    with pytest.raises(LimitExceeded, match="te groot"):
        client(max_bytes=1000).read("Task", "t1", as_dict=True)
    assert client(max_bytes=10_000).read("Task", "t1", as_dict=True)["id"] == "t1"


@responses.activate
def test_the_client_refuses_json_nested_too_deep():
    responses.get(f"{BASE}/Task/t1", body='{"resourceType":"Task","x":' + "[" * 200_000
                  + "]" * 200_000 + "}", content_type="application/fhir+json")
    with pytest.raises(LimitExceeded, match="te diep genest"):
        client().read("Task", "t1", as_dict=True)


@responses.activate
def test_a_compressed_body_is_limited_by_what_it_unpacks_to():
    bomb = gzip.compress(b'{"resourceType":"Task","x":"' + b"0" * 3_000_000 + b'"}')
    assert len(bomb) < 10_000
    responses.get(f"{BASE}/Task/t1", body=bomb, content_type="application/fhir+json",
                  headers={"Content-Encoding": "gzip"})
    with pytest.raises(LimitExceeded, match="te groot"):
        client(max_bytes=1_000_000).read("Task", "t1", as_dict=True)


@responses.activate
def test_a_compressed_body_within_the_limits_is_read():
    responses.get(f"{BASE}/Task/t1", body=gzip.compress(json.dumps(TASK).encode()),
                  content_type="application/fhir+json", headers={"Content-Encoding": "gzip"})
    assert client().read("Task", "t1", as_dict=True) == TASK


class _Drip(BaseHTTPRequestHandler):
    """Answers with headers at once, then one byte of the body every 0.2 s (never silent)."""

    def do_GET(self) -> None:
        body = json.dumps(TASK).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


def test_a_peer_that_never_stops_dripping_is_cut_off_at_the_deadline():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        slow = FhirClient(f"http://127.0.0.1:{server.server_port}/fhir",
                          timeout=(2, 1), limits=Limits(deadline=1.5),
                          retry=RetryPolicy(max_attempts=1))
        started = time.monotonic()
        with pytest.raises(LimitExceeded, match=r"te traag: niet binnen 1\.5 s"):
            slow.read("Task", "t1", as_dict=True)
        assert time.monotonic() - started < 3   # the body alone would take ~14 s
    finally:
        server.shutdown()
        server.server_close()
