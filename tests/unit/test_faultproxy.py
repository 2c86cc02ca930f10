"""The fault proxy's rules (tools/faultproxy.py): bounded in count, matched by method and path.
(The proxy on real sockets: tests/integration/sync/test_faults.py.)"""

from __future__ import annotations

from tools.faultproxy import FaultProxy, Rule, _replace, _rewrite_json


def test_a_rule_fires_after_its_offset_and_only_so_often():
    rule = Rule("status", method="POST", after=1, times=2)
    fired = [rule.take(m, "/fhir") for m in ("GET", "POST", "POST", "POST", "POST")]
    assert fired == [False, False, True, True, False]


def test_paths_are_regular_expressions():
    rule = Rule("drop", path=r"Task/\w+$", times=5)
    assert rule.take("PUT", "/fhir/Task/abc")
    assert not rule.take("PUT", "/fhir/Task?_id=abc")


def test_the_proxy_stops_injecting_at_its_bound():
    proxy = FaultProxy("http://127.0.0.1:1/fhir", [Rule("drop", times=100)], max_faults=3)
    assert [proxy._rule("GET", "/") is not None for _ in range(5)] == [True] * 3 + [False] * 2


def test_answers_point_back_through_the_proxy():
    raw = (b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\nLocation: http://127.0.0.1:1/fhir/T/1"
           b"\r\n\r\n" + b'{"url": "http://127.0.0.1:1/fhir/T?p=2"}')
    out = _replace(raw, b"http://127.0.0.1:1", b"http://127.0.0.1:2222")
    head, body = out.split(b"\r\n\r\n")
    assert b"Location: http://127.0.0.1:2222/fhir/T/1" in head
    assert body == b'{"url": "http://127.0.0.1:2222/fhir/T?p=2"}'
    assert f"Content-Length: {len(body)}".encode() in head
    changed = _rewrite_json(out, lambda data: {**data, "url": None})
    assert changed.endswith(b'{"url": null}')
