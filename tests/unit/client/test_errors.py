"""Every HTTP error status maps to its class and keeps the server's OperationOutcome."""

from __future__ import annotations

import pytest
import responses

from fhir_regie.client import (
    BadRequest,
    Conflict,
    FhirClient,
    Forbidden,
    Gone,
    HttpError,
    InvalidResponse,
    MethodNotAllowed,
    NotFound,
    PreconditionFailed,
    RetryPolicy,
    ServerError,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
)
from fhir_regie.client.errors import error_class, error_for

BASE = "https://fhir.example.test/fhir"
OUTCOME = {"resourceType": "OperationOutcome",
           "issue": [{"severity": "error", "code": "processing",
                      "diagnostics": "Patient/p1 of Jan Jansen: rule broken"}]}


@pytest.mark.parametrize(("status", "cls"), [
    (400, BadRequest), (401, Unauthorized), (403, Forbidden), (404, NotFound),
    (405, MethodNotAllowed), (409, Conflict), (410, Gone), (412, PreconditionFailed),
    (422, Unprocessable), (429, TooManyRequests), (500, ServerError), (502, ServerError),
    (503, ServerError), (504, ServerError), (418, HttpError),
])
@responses.activate
def test_status_maps_to_class_with_outcome(status: int, cls: type[HttpError]) -> None:
    responses.get(f"{BASE}/Patient/p1", json=OUTCOME, status=status)
    client = FhirClient(BASE, retry=RetryPolicy.none())
    with pytest.raises(cls) as caught:
        client.read("Patient", "p1")
    error = caught.value
    assert type(error) is cls
    assert error.status == status
    assert error.outcome == OUTCOME
    assert error.issue_codes == ["processing"]
    assert error.method == "GET"
    assert error.resource_type == "Patient"


def test_precondition_failed_is_a_conflict() -> None:
    assert issubclass(PreconditionFailed, Conflict)
    assert error_class(412) is PreconditionFailed


def test_message_has_no_ids_or_diagnostics() -> None:
    error = error_for(422, OUTCOME, "PUT", "Patient")
    assert str(error) == "HTTP 422 on PUT Patient (processing)"
    assert "p1" not in str(error)
    assert "Jansen" not in str(error)
    assert error.diagnostics == ["Patient/p1 of Jan Jansen: rule broken"]


def test_a_body_that_is_not_an_outcome_is_not_kept() -> None:
    error = error_for(404, {"resourceType": "Patient", "id": "p1"}, "GET", "Patient")
    assert error.outcome is None
    assert "no OperationOutcome" in str(error)


@responses.activate
def test_error_without_body() -> None:
    responses.delete(f"{BASE}/Patient/p1", status=403)
    with pytest.raises(Forbidden) as caught:
        FhirClient(BASE).delete("Patient", "p1")
    assert caught.value.outcome is None


@responses.activate
def test_too_many_requests_carries_retry_after() -> None:
    responses.post(f"{BASE}/Patient", json=OUTCOME, status=429, headers={"Retry-After": "12"})
    with pytest.raises(TooManyRequests) as caught:
        FhirClient(BASE).create({"resourceType": "Patient"})
    assert caught.value.retry_after == 12.0


@responses.activate
def test_success_with_a_body_that_is_not_fhir_is_invalid_response() -> None:
    responses.get(f"{BASE}/Patient/p1", body="<html>proxy login</html>", status=200)
    with pytest.raises(InvalidResponse):
        FhirClient(BASE).read("Patient", "p1")
