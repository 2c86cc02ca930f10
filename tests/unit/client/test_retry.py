"""Retry rules: which requests, which statuses, how long, how often (counted calls)."""

from __future__ import annotations

import pytest
import requests
import responses

from fhir_regie.client import (
    FhirClient,
    RetryPolicy,
    ServerError,
    TooManyRequests,
    TransportError,
    bundle_entry,
    make_bundle,
)
from fhir_regie.client.retry import parse_retry_after

BASE = "https://fhir.example.test/fhir"
PATIENT = {"resourceType": "Patient", "id": "p1", "meta": {"versionId": "3"}}
NOW = 1_000_000.0


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(sleeps: Sleeps, **policy: object) -> FhirClient:
    retry = RetryPolicy(sleep=sleeps, clock=lambda: NOW, jitter=lambda: 1.0, **policy)
    return FhirClient(BASE, retry=retry)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
@responses.activate
def test_get_is_retried_on_transient_status(status: int) -> None:
    url = f"{BASE}/Patient/p1"
    responses.get(url, status=status)
    responses.get(url, status=status)
    responses.get(url, json=PATIENT)
    sleeps = Sleeps()
    assert client(sleeps).read("Patient", "p1").id == "p1"
    assert len(responses.calls) == 3
    assert sleeps == [0.5, 1.0]  # backoff base 0.5 doubling, jitter fixed at 1.0


@pytest.mark.parametrize("status", [400, 404, 409, 412, 422, 500, 501])
@responses.activate
def test_other_statuses_are_not_retried(status: int) -> None:
    responses.get(f"{BASE}/Patient/p1", status=status)
    with pytest.raises(Exception):  # noqa: B017,PT011 - the class is checked in test_errors
        client(Sleeps()).read("Patient", "p1")
    assert len(responses.calls) == 1


@responses.activate
def test_gives_up_after_max_attempts() -> None:
    for _ in range(5):
        responses.get(f"{BASE}/Patient/p1", status=503)
    sleeps = Sleeps()
    with pytest.raises(ServerError):
        client(sleeps, max_attempts=3).read("Patient", "p1")
    assert len(responses.calls) == 3
    assert len(sleeps) == 2


@responses.activate
def test_retry_after_seconds_is_obeyed() -> None:
    responses.get(f"{BASE}/Patient/p1", status=429, headers={"Retry-After": "7"})
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    sleeps = Sleeps()
    client(sleeps).read("Patient", "p1")
    assert sleeps == [7.0]


@responses.activate
def test_retry_after_http_date_is_obeyed() -> None:
    # NOW + 30 s as an HTTP-date: 1970-01-12T13:47:10Z
    responses.get(f"{BASE}/Patient/p1", status=503,
                  headers={"Retry-After": "Mon, 12 Jan 1970 13:47:10 GMT"})
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    sleeps = Sleeps()
    client(sleeps).read("Patient", "p1")
    assert sleeps == [30.0]


@responses.activate
def test_retry_after_beyond_the_limit_is_raised_not_waited() -> None:
    responses.get(f"{BASE}/Patient/p1", status=429, headers={"Retry-After": "3600"})
    sleeps = Sleeps()
    with pytest.raises(TooManyRequests) as caught:
        client(sleeps).read("Patient", "p1")
    assert caught.value.retry_after == 3600
    assert sleeps == []
    assert len(responses.calls) == 1


@responses.activate
def test_plain_post_is_never_retried() -> None:
    responses.post(f"{BASE}/Patient", status=503)
    responses.post(f"{BASE}/Patient", status=201, json=PATIENT)
    sleeps = Sleeps()
    with pytest.raises(ServerError):
        client(sleeps).create({"resourceType": "Patient"})
    assert len(responses.calls) == 1
    assert sleeps == []


@responses.activate
def test_transaction_post_is_never_retried_even_on_429() -> None:
    responses.post(BASE, status=429, headers={"Retry-After": "1"})
    bundle = make_bundle("transaction", [bundle_entry("PUT", PATIENT)])
    with pytest.raises(TooManyRequests):
        client(Sleeps()).transaction(bundle)
    assert len(responses.calls) == 1


@responses.activate
def test_post_is_not_retried_after_a_connection_error() -> None:
    responses.post(f"{BASE}/Patient", body=requests.ConnectionError("reset"))
    with pytest.raises(TransportError):
        client(Sleeps()).create({"resourceType": "Patient"})
    assert len(responses.calls) == 1


@responses.activate
def test_conditional_create_is_retried() -> None:
    responses.post(f"{BASE}/Patient", status=503)
    responses.post(f"{BASE}/Patient", status=200, json=PATIENT)
    result = client(Sleeps()).create({"resourceType": "Patient"},
                                     if_none_exist={"identifier": "urn:x|1"})
    assert result.id == "p1"
    assert len(responses.calls) == 2
    assert responses.calls[1].request.headers["If-None-Exist"] == "identifier=urn%3Ax%7C1"


@responses.activate
def test_put_and_delete_are_retried() -> None:
    responses.put(f"{BASE}/Patient/p1", status=502)
    responses.put(f"{BASE}/Patient/p1", json=PATIENT)
    responses.delete(f"{BASE}/Patient/p1", status=504)
    responses.delete(f"{BASE}/Patient/p1", status=204)
    c = client(Sleeps())
    c.update(PATIENT)
    c.delete("Patient", "p1")
    assert [call.request.method for call in responses.calls] == ["PUT", "PUT", "DELETE",
                                                                 "DELETE"]


@responses.activate
def test_patch_is_retried_only_with_if_match() -> None:
    url = f"{BASE}/Patient/p1"
    responses.patch(url, status=503)
    with pytest.raises(ServerError):
        client(Sleeps()).patch("Patient", "p1", [{"op": "remove", "path": "/gender"}])
    assert len(responses.calls) == 1
    responses.patch(url, status=503)
    responses.patch(url, json=PATIENT)
    client(Sleeps()).patch("Patient", "p1", [{"op": "remove", "path": "/gender"}], if_match="3")
    assert len(responses.calls) == 3


@responses.activate
def test_connection_errors_and_timeouts_are_retried_for_get() -> None:
    url = f"{BASE}/Patient/p1"
    responses.get(url, body=requests.ConnectionError("refused"))
    responses.get(url, body=requests.ReadTimeout("slow"))
    responses.get(url, json=PATIENT)
    sleeps = Sleeps()
    assert client(sleeps).read("Patient", "p1").id == "p1"
    assert len(responses.calls) == 3
    assert len(sleeps) == 2


@responses.activate
def test_transport_error_message_has_no_url() -> None:
    responses.get(f"{BASE}/Patient/p1", body=requests.ConnectionError(f"{BASE}/Patient/p1"))
    with pytest.raises(TransportError) as caught:
        client(Sleeps(), max_attempts=1).read("Patient", "p1")
    assert str(caught.value) == "GET Patient: ConnectionError"


def test_backoff_has_full_jitter_and_a_cap() -> None:
    policy = RetryPolicy(jitter=lambda: 0.5, backoff_base=1.0, backoff_cap=5.0)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 2.5, 2.5]
    assert RetryPolicy(jitter=lambda: 0.0).backoff(3) == 0.0


@pytest.mark.parametrize(("value", "expected"), [
    ("0", 0.0), ("120", 120.0), (" 5 ", 5.0),
    ("Thu, 01 Jan 1970 00:00:10 GMT", 6.0),
    ("Thu, 01 Jan 1970 00:00:01 GMT", 0.0),  # in the past: no wait
    ("soon", None), ("", None), (None, None), ("-3", None),
])
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=4.0) == expected


def test_timeouts_are_always_passed() -> None:
    with pytest.raises(ValueError, match="timeouts"):
        FhirClient(BASE, timeout=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeouts"):
        FhirClient(BASE, timeout=(5, None))  # type: ignore[arg-type]


@responses.activate
def test_timeout_reaches_the_transport() -> None:
    responses.get(f"{BASE}/Patient/p1", json=PATIENT)
    seen = []
    session = requests.Session()
    original = session.request

    def spy(*args: object, **kwargs: object) -> requests.Response:
        seen.append(kwargs["timeout"])
        return original(*args, **kwargs)  # type: ignore[arg-type]

    session.request = spy  # type: ignore[method-assign]
    FhirClient(BASE, session=session, timeout=(2, 9)).read("Patient", "p1")
    assert seen == [(2, 9)]
