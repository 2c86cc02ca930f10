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


def _upstream() -> tuple[object, str]:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"resourceType":"Task","id":"t1"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/fhir"


def test_body_oversize_and_drip_answers():
    import time

    import requests

    server, url = _upstream()
    try:
        rules = [Rule("body", path="/Task/a", body=b"[[[]]]"),
                 Rule("oversize", path="/Task/b", size=300_000),
                 Rule("drip", path="/Task/c", delay=0.05)]
        with FaultProxy(url, rules) as proxy:
            assert requests.get(f"{proxy.base_url}/Task/a", timeout=5).content == b"[[[]]]"
            big = requests.get(f"{proxy.base_url}/Task/b", timeout=5)
            assert len(big.content) == 300_000
            assert big.json()["resourceType"] == "Task"
            started = time.monotonic()
            slow = requests.get(f"{proxy.base_url}/Task/c", timeout=5)
            assert slow.json() == {"resourceType": "Task", "id": "t1"}
            assert time.monotonic() - started > 33 * 0.05 * 0.8   # one byte at a time
    finally:
        server.shutdown()
        server.server_close()
