"""The viewer's hardening, through its ASGI app with Starlette's test client: no session and no
SMART discovery before a launch, sessions that expire (idle and absolute, by an injected clock)
and are bounded in number, 404 for malformed or unknown plan ids without a traceback, security
headers on every response, the OIDC nonce, request size limits, and no blocking route on the
event loop. The authorization and FHIR servers are ``responses`` mocks."""

from __future__ import annotations

import base64
import inspect
import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from starlette.testclient import TestClient

from fhir_regie.viewer import smart
from fhir_regie.viewer.app import COOKIE, ViewerConfig, create_app
from fhir_regie.viewer.sessions import SessionLimits, SessionStore

SERVER = "https://ehr.example.nl/fhir"
VIEWER = "http://127.0.0.1:8765"
TOKEN_URL = "https://ehr.example.nl/token"
ENDPOINTS = smart.Endpoints("https://ehr.example.nl/authorize", TOKEN_URL)
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Viewer:
    """The app with a movable clock, its session store and a counting discovery."""

    def __init__(self, limits: SessionLimits | None = None) -> None:
        self.clock = Clock()
        self.discoveries = 0
        config = ViewerConfig(server=SERVER, client_id="viewer", base_url=VIEWER,
                              clock=self.clock, sessions=limits or SessionLimits())

        def find(iss: str) -> smart.Endpoints:
            assert iss == SERVER
            self.discoveries += 1
            return ENDPOINTS

        self.store = SessionStore(config.sessions, self.clock)
        self.app = create_app(config, store=self.store,
                              discovery=smart.DiscoveryCache(SERVER, find=find))
        self.http = TestClient(self.app, base_url=VIEWER, follow_redirects=False)

    def start(self) -> tuple[str, dict[str, str]]:
        """A standalone launch: the launch cookie and the authorization request's parameters."""
        self.http.cookies.clear()
        answer = self.http.get("/aanmelden")
        assert answer.status_code == 302
        query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
        return answer.cookies[COOKIE], query

    def sign_in(self, *, nonce: str | None = None, organization: str = "Organization/org-jgz"
                ) -> str:
        """A full sign-in; returns the session cookie (the token endpoint is mocked)."""
        launch, query = self.start()
        self.launch, self.query = launch, query
        claims = {"iss": SERVER, "sub": "u1", "aud": "viewer",
                  "nonce": query["nonce"] if nonce is None else nonce,
                  "fhirUser": f"{SERVER}/Practitioner/jgz-arts-bakker"}
        responses.post(TOKEN_URL, json={"access_token": "t0k", "token_type": "Bearer",
                                        "expires_in": 3600, "organization": organization,
                                        "id_token": _jwt(claims)})
        self.http.cookies.set(COOKIE, launch)
        answer = self.http.get("/callback", params={"code": "c0de", "state": query["state"]})
        self.answer = answer
        self.http.cookies.clear()
        return answer.cookies.get(COOKIE, "")

    def get(self, path: str, session: str | None = None) -> Any:
        self.http.cookies.clear()
        if session:
            self.http.cookies.set(COOKIE, session)
        return self.http.get(path)


def _jwt(claims: dict) -> str:
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def _no_households() -> None:
    responses.get(re.compile(re.escape(SERVER) + r"/Group.*"),
                  json={"resourceType": "Bundle", "type": "searchset", "entry": []})


def test_anonymous_requests_leave_no_session_and_ask_no_discovery():
    viewer = Viewer()
    for _ in range(2000):
        answer = viewer.http.get("/")
        assert answer.status_code == 200
    assert "Aanmelden" in answer.text
    assert COOKIE not in answer.cookies
    assert len(viewer.store) == 0
    assert viewer.discoveries == 0
    assert viewer.http.get("/plan/devries-safety-plan").status_code == 200  # the sign-in page
    assert len(viewer.store) == 0


def test_a_flood_of_launches_is_bounded_and_discovers_once():
    viewer = Viewer(SessionLimits(max_launches=50))
    for _ in range(300):
        assert viewer.http.get("/aanmelden").status_code == 302
        viewer.http.cookies.clear()
    assert viewer.store.counts == (50, 0)
    assert viewer.discoveries == 1


@responses.activate
def test_sign_in_sends_a_nonce_and_gives_a_new_session_id():
    viewer = Viewer()
    session = viewer.sign_in()
    launch, query = viewer.launch, viewer.query
    assert len(query["nonce"]) >= 20
    assert "openid" in query["scope"].split()
    assert Viewer().start()[1]["nonce"] != query["nonce"]
    assert viewer.answer.status_code == 302
    assert viewer.answer.headers["location"] == "/"
    assert session
    assert session != launch                                    # no session fixation
    assert viewer.store.counts == (0, 1)
    _no_households()
    page = viewer.get("/", session)
    assert page.status_code == 200
    assert "<h1>Gedeelde plannen</h1>" in page.text
    assert "Aanmelden" not in page.text


@responses.activate
def test_an_id_token_with_another_nonce_is_refused():
    viewer = Viewer()
    session = viewer.sign_in(nonce="someone-elses-nonce")
    assert viewer.answer.status_code == 400
    assert "Aanmelden is niet gelukt (LaunchError)" in viewer.answer.text
    assert session == ""
    assert viewer.store.counts == (0, 0)


@responses.activate
def test_a_session_expires_after_being_idle():
    viewer = Viewer(SessionLimits(idle=timedelta(minutes=15)))
    session = viewer.sign_in()
    _no_households()
    viewer.clock.now += timedelta(minutes=14)
    assert "Aanmelden" not in viewer.get("/", session).text
    viewer.clock.now += timedelta(minutes=14, seconds=59)       # idle counts from the last use
    assert "Aanmelden" not in viewer.get("/", session).text
    viewer.clock.now += timedelta(minutes=15)
    page = viewer.get("/", session)
    assert "Uw sessie is verlopen" in page.text
    assert viewer.store.counts == (0, 0)
    assert viewer.get("/", session).text.count("Aanmelden") >= 1


@responses.activate
def test_a_session_expires_after_its_absolute_time_even_when_used():
    viewer = Viewer(SessionLimits(idle=timedelta(minutes=15), absolute=timedelta(hours=1)))
    session = viewer.sign_in()
    _no_households()
    for _ in range(5):
        viewer.clock.now += timedelta(minutes=10)
        assert "Uw sessie is verlopen" not in viewer.get("/", session).text
    viewer.clock.now += timedelta(minutes=10)                   # one hour after sign-in
    assert "Uw sessie is verlopen" in viewer.get("/", session).text


@responses.activate
def test_a_launch_expires_before_its_callback():
    viewer = Viewer(SessionLimits(launch_ttl=timedelta(minutes=10)))
    launch, query = viewer.start()
    viewer.clock.now += timedelta(minutes=10)
    viewer.http.cookies.set(COOKIE, launch)
    answer = viewer.http.get("/callback", params={"code": "c", "state": query["state"]})
    assert answer.status_code == 400
    assert "De sessie is verlopen" in answer.text
    assert len(responses.calls) == 0                            # no code exchange


@responses.activate
def test_sessions_are_bounded_the_least_recently_used_goes():
    viewer = Viewer(SessionLimits(max_sessions=3))
    cookies = [viewer.sign_in() for _ in range(5)]
    assert viewer.store.counts == (0, 3)
    assert [viewer.store.get(c) is not None for c in cookies] == [False, False, True, True, True]


@pytest.mark.parametrize("path", ["/plan/x%3Fy", "/plan/" + "a" * 65, "/plan/a%20b",
                                  "/plan/%C3%A9", "/plan/x%00"])
@responses.activate
def test_a_malformed_plan_id_is_404_without_a_traceback(path, caplog):
    viewer = Viewer()
    session = viewer.sign_in()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    answer = viewer.get(path, session)
    assert answer.status_code == 404
    assert "Dit plan bestaat niet" in answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []
    assert all("/plan" not in c.request.url for c in responses.calls)   # no server asked


@responses.activate
def test_an_unknown_plan_is_404(caplog):
    viewer = Viewer()
    session = viewer.sign_in()
    responses.get(f"{SERVER}/CarePlan/nergens", status=404, json={
        "resourceType": "OperationOutcome", "issue": [{"severity": "error",
                                                       "code": "not-found"}]})
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    answer = viewer.get("/plan/nergens", session)
    assert answer.status_code == 404
    assert "Dit plan bestaat niet" in answer.text
    assert not [r for r in caplog.records if r.exc_info]


def test_an_unknown_page_is_a_dutch_404_and_a_wrong_method_a_405():
    viewer = Viewer()
    assert viewer.http.get("/nergens").status_code == 404
    assert "Deze pagina bestaat niet" in viewer.http.get("/nergens").text
    answer = viewer.http.post("/")
    assert answer.status_code == 405
    assert "Dit kan hier niet" in answer.text


def test_an_unexpected_error_is_a_dutch_page_and_one_log_line(caplog):
    def broken(iss: str) -> smart.Endpoints:
        raise RuntimeError("Linda Hoekstra")                    # must not reach the log

    broken_viewer = create_app(ViewerConfig(server=SERVER, client_id="viewer", base_url=VIEWER),
                               discovery=smart.DiscoveryCache(SERVER, find=broken))
    caplog.set_level(logging.DEBUG)
    answer = TestClient(broken_viewer, base_url=VIEWER, follow_redirects=False).get(
        "/aanmelden")
    assert answer.status_code == 500
    assert "Er ging iets mis" in answer.text
    assert "content-security-policy" in answer.headers
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in logged] == ["viewer: unexpected RuntimeError"]
    assert not any(r.exc_info for r in caplog.records)
    assert "Hoekstra" not in caplog.text


@responses.activate
def test_every_response_carries_the_security_headers():
    viewer = Viewer()
    session = viewer.sign_in()
    _no_households()
    answers = [viewer.http.get("/"), viewer.http.get("/aanmelden"),
               viewer.http.get("/nergens"), viewer.http.post("/"),
               viewer.http.get("/plan/x%3Fy"), viewer.http.get("/afgemeld"),
               viewer.http.get("/callback"), viewer.http.get("/launch"),
               viewer.get("/", session),
               viewer.http.post("/afmelden"),
               viewer.http.get("/?" + "q" * 5000)]
    assert sorted({a.status_code for a in answers}) == [200, 302, 303, 400, 404, 405, 414]
    for answer in answers:
        headers = answer.headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "default-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in headers        # http on loopback
        assert len(headers.get_list("content-security-policy")) == 1


def test_https_adds_strict_transport_security():
    config = ViewerConfig(server=SERVER, client_id="viewer", base_url="https://viewer.example.nl")
    answer = TestClient(create_app(config), base_url="https://viewer.example.nl").get("/")
    assert answer.headers["strict-transport-security"].startswith("max-age=")


@responses.activate
def test_a_signed_out_session_is_gone():
    viewer = Viewer()
    session = viewer.sign_in()
    viewer.http.cookies.set(COOKIE, session)
    answer = viewer.http.post("/afmelden")
    assert answer.status_code == 303
    assert viewer.store.counts == (0, 0)


def test_request_size_limits():
    viewer = Viewer()
    answer = viewer.http.post("/afmelden", content=b"x" * 100_000)
    assert answer.status_code == 413
    assert "Dit verzoek is te groot" in answer.text
    assert viewer.http.get("/plan/" + "a" * 5000).status_code == 414
    assert viewer.http.post("/afmelden", content=b"x" * 100).status_code == 303


def test_routes_that_call_servers_are_not_run_on_the_event_loop():
    """Starlette runs a plain function route in its thread pool; fhirclient and requests
    block, so none of the routes that call them may be a coroutine."""
    viewer = Viewer()
    routes = {r.path: r.endpoint for r in viewer.app.app.routes}
    for path in ("/", "/launch", "/aanmelden", "/callback", "/plan/{plan_id}"):
        assert not inspect.iscoroutinefunction(routes[path]), path


@responses.activate
def test_a_sign_in_logs_nothing(caplog):
    viewer = Viewer()
    caplog.set_level(logging.INFO, logger="fhirclient")
    assert viewer.sign_in()
    assert [r for r in caplog.records if r.name.startswith("fhirclient")] == []
