"""The client's requests and results, with the transport mocked (no network)."""

from __future__ import annotations

import json
import logging

import pytest
import responses
from fhir.resources.R4B.patient import Patient

from fhir_regie.client import (
    BearerToken,
    FhirClient,
    ForeignLinkError,
    HistoryEntry,
    HttpError,
    InvalidResponse,
    RetryPolicy,
    bundle_entry,
    make_bundle,
)

BASE = "https://fhir.example.test/fhir"
BSN = "999911120"
PERSON = {"resourceType": "Patient", "id": "devries-sanne", "meta": {"versionId": "4"},
          "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": BSN}],
          "name": [{"family": "de Vries", "given": ["Sanne"]}]}


def page(ids: list[str], next_url: str | None = None) -> dict:
    links = [{"relation": "self", "url": f"{BASE}/Patient"}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {"resourceType": "Bundle", "type": "searchset", "link": links,
            "entry": [{"resource": {"resourceType": "Patient", "id": i},
                       "search": {"mode": "match"}} for i in ids]}


@responses.activate
def test_read_returns_a_model_or_a_dict() -> None:
    responses.get(f"{BASE}/Patient/devries-sanne", json=PERSON)
    client = FhirClient(BASE)
    model = client.read("Patient", "devries-sanne")
    assert isinstance(model, Patient)
    assert model.meta.versionId == "4"
    assert client.read("Patient", "devries-sanne", as_dict=True) == PERSON
    assert responses.calls[0].request.headers["Accept"] == "application/fhir+json"


@responses.activate
def test_update_sends_if_match_from_the_version_by_default() -> None:
    responses.put(f"{BASE}/Patient/devries-sanne", json=PERSON)
    client = FhirClient(BASE)
    client.update(Patient.model_validate(PERSON))
    client.update(PERSON, if_match="7")
    client.update(PERSON, if_match=False)
    client.update({k: v for k, v in PERSON.items() if k != "meta"})
    headers = [call.request.headers for call in responses.calls]
    assert headers[0]["If-Match"] == 'W/"4"'
    assert headers[1]["If-Match"] == 'W/"7"'
    assert "If-Match" not in headers[2]
    assert "If-Match" not in headers[3]
    assert headers[0]["Content-Type"] == "application/fhir+json"
    assert json.loads(responses.calls[0].request.body)["name"][0]["family"] == "de Vries"


@responses.activate
def test_create_parses_location_when_the_body_is_minimal() -> None:
    responses.post(f"{BASE}/Patient", status=201, headers={
        "Location": f"{BASE}/Patient/abc/_history/1", "ETag": 'W/"1"'})
    result = FhirClient(BASE).create(PERSON, prefer="minimal")
    assert (result.status, result.id, result.version_id, result.resource) == (201, "abc", "1",
                                                                              None)
    assert result.created
    sent = responses.calls[0].request
    assert sent.headers["Prefer"] == "return=minimal"
    assert "id" not in json.loads(sent.body)


def test_write_result_repr_holds_no_resource_data() -> None:
    from fhir_regie.client import WriteResult
    result = WriteResult(200, "Patient", "x", "1", None, None, None, PERSON)
    assert "Vries" not in repr(result)
    assert BSN not in repr(result)


@responses.activate
def test_conditional_update_on_identifier() -> None:
    responses.put(f"{BASE}/Patient", status=200, json=PERSON)
    FhirClient(BASE).update_by_identifier(PERSON, "http://fhir.nl/fhir/NamingSystem/bsn")
    assert responses.calls[0].request.url == (
        f"{BASE}/Patient?identifier=http%3A%2F%2Ffhir.nl%2Ffhir%2FNamingSystem%2Fbsn%7C{BSN}")


@responses.activate
def test_patch_sends_json_patch() -> None:
    responses.patch(f"{BASE}/Patient/p1", json=PERSON)
    FhirClient(BASE).patch("Patient", "p1", [{"op": "remove", "path": "/gender"}],
                           if_match='W/"4"')
    request = responses.calls[0].request
    assert request.headers["Content-Type"] == "application/json-patch+json"
    assert request.headers["If-Match"] == 'W/"4"'
    assert json.loads(request.body) == [{"op": "remove", "path": "/gender"}]


@responses.activate
def test_search_follows_next_links() -> None:
    responses.get(f"{BASE}/Patient", json=page(["a", "b"], f"{BASE}/Patient?page=2"),
                  match=[responses.matchers.query_param_matcher({"_count": "2"})])
    responses.get(f"{BASE}/Patient", json=page(["c"]),
                  match=[responses.matchers.query_param_matcher({"page": "2"})])
    ids = [p.id for p in FhirClient(BASE).search("Patient", {"_count": 2})]
    assert ids == ["a", "b", "c"]


@responses.activate
def test_a_fresh_search_asks_every_page_not_to_come_from_a_cache() -> None:
    responses.get(f"{BASE}/Patient", json=page(["a"], f"{BASE}/Patient?page=2"),
                  match=[responses.matchers.query_param_matcher({"name": "x"})])
    responses.get(f"{BASE}/Patient", json=page(["b"]),
                  match=[responses.matchers.query_param_matcher({"page": "2"})])
    assert [p.id for p in FhirClient(BASE).search("Patient", {"name": "x"}, fresh=True)] == [
        "a", "b"]
    assert [c.request.headers.get("Cache-Control") for c in responses.calls] == ["no-cache"] * 2
    list(FhirClient(BASE).search("Patient", {"name": "x"}))
    assert "Cache-Control" not in responses.calls[2].request.headers


@responses.activate
def test_search_refuses_a_next_link_to_another_server() -> None:
    responses.get(f"{BASE}/Patient", json=page(["a"], "https://evil.example/fhir/Patient?p=2"))
    results = FhirClient(BASE).search("Patient")
    assert next(results).id == "a"
    with pytest.raises(ForeignLinkError):
        next(results)
    assert len(responses.calls) == 1


@responses.activate
def test_search_refuses_a_base_that_only_shares_a_prefix() -> None:
    responses.get(f"{BASE}/Patient", json=page([], f"{BASE}-other/Patient?p=2"))
    with pytest.raises(ForeignLinkError):
        list(FhirClient(BASE).search("Patient"))


@responses.activate
def test_search_entries_keep_include_mode() -> None:
    bundle = page(["a"])
    bundle["entry"].append({"resource": {"resourceType": "Organization", "id": "o"},
                            "search": {"mode": "include"}})
    responses.get(f"{BASE}/Patient", json=bundle)
    client = FhirClient(BASE)
    entries = list(client.search_entries("Patient", {"_include": "Patient:organization"}))
    assert [(e.mode, e.resource.id) for e in entries] == [("match", "a"), ("include", "o")]
    assert [p.id for p in client.search("Patient")] == ["a"]


@responses.activate
def test_history_parses_versions_and_deletes() -> None:
    responses.get(f"{BASE}/Patient/p1/_history", json={
        "resourceType": "Bundle", "type": "history", "entry": [
            {"request": {"method": "DELETE", "url": "Patient/p1"},
             "response": {"status": "204", "etag": 'W/"3"',
                          "lastModified": "2025-01-02T00:00:00Z"}},
            {"resource": {**PERSON, "id": "p1", "meta": {"versionId": "2"}},
             "request": {"method": "PUT", "url": "Patient/p1"},
             "response": {"status": "200", "etag": 'W/"2"'}}]},
        match=[responses.matchers.query_param_matcher({"_since": "2025-01-01T00:00:00Z"})])
    entries = list(FhirClient(BASE).history("Patient", "p1", since="2025-01-01T00:00:00Z",
                                            as_dict=True))
    assert entries[0] == HistoryEntry("DELETE", "Patient", "p1", "3", "2025-01-02T00:00:00Z",
                                      None)
    assert entries[0].deleted
    assert (entries[1].method, entries[1].version_id) == ("PUT", "2")


def test_history_of_an_instance_needs_its_type() -> None:
    with pytest.raises(ValueError, match="type"):
        list(FhirClient(BASE).history(None, "p1"))


@responses.activate
def test_read_if_none_match_returns_none_on_304() -> None:
    responses.get(f"{BASE}/Patient/p1", status=304)
    assert FhirClient(BASE).read("Patient", "p1", if_none_match="4") is None
    assert responses.calls[0].request.headers["If-None-Match"] == 'W/"4"'


@responses.activate
def test_transaction_posts_the_bundle_to_the_base() -> None:
    responses.post(BASE, json={"resourceType": "Bundle", "type": "transaction-response"})
    bundle = make_bundle("transaction", [bundle_entry("PUT", PERSON)])
    FhirClient(BASE).transaction(bundle, as_dict=True)
    sent = json.loads(responses.calls[0].request.body)
    assert sent["entry"][0]["request"] == {"method": "PUT", "url": "Patient/devries-sanne"}
    with pytest.raises(ValueError, match="transaction"):
        FhirClient(BASE).transaction(make_bundle("batch", []))


@responses.activate
def test_validate_returns_the_outcome_even_with_an_error_status() -> None:
    outcome = {"resourceType": "OperationOutcome",
               "issue": [{"severity": "error", "code": "required"}]}
    responses.post(f"{BASE}/Patient/$validate", status=412, json=outcome)
    assert FhirClient(BASE).validate(PERSON, as_dict=True) == outcome


@pytest.mark.parametrize("bad", ["../metadata", "p1?x=1", "a/b", "", "x" * 65])
def test_ids_that_would_change_the_url_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid FHIR id"):
        FhirClient(BASE).read("Patient", bad)


def test_resource_types_are_checked() -> None:
    with pytest.raises(ValueError, match="resource type"):
        FhirClient(BASE).read("../admin", "p1")


def test_tls_verification_can_only_be_disabled_for_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FhirClient(BASE, verify=False)
    assert FhirClient("http://127.0.0.1:8080/fhir", verify=False).verify is False
    assert FhirClient(BASE).verify is True


@responses.activate
def test_verify_and_no_redirects_reach_the_transport() -> None:
    responses.get(f"{BASE}/Patient/p1", status=302, headers={"Location": "https://evil.example/"})
    with pytest.raises(HttpError) as caught:  # a 3xx is not followed (it would carry the token)
        FhirClient(BASE, auth=BearerToken("secret-token")).read("Patient", "p1")
    assert caught.value.status == 302
    assert len(responses.calls) == 1
    # True, or the CA bundle requests takes from REQUESTS_CA_BUNDLE: verification stays on.
    assert responses.calls[0].request.req_kwargs["verify"] not in (False, None)


@responses.activate
def test_logs_hold_no_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    """Method, type, status and time only: no name, BSN, id, query value or token."""
    responses.get(f"{BASE}/Patient/devries-sanne", json=PERSON)
    responses.put(f"{BASE}/Patient/devries-sanne", status=503)
    responses.put(f"{BASE}/Patient/devries-sanne", status=412, json={
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "conflict",
                   "diagnostics": f"Patient/devries-sanne BSN {BSN} Sanne de Vries"}]})
    responses.get(f"{BASE}/Patient", json=page(["devries-sanne"]))
    client = FhirClient(BASE, auth=BearerToken("secret-token"),
                        retry=RetryPolicy(sleep=lambda _: None))
    with caplog.at_level(logging.DEBUG, logger="fhir_regie"):
        client.read("Patient", "devries-sanne")
        with pytest.raises(Exception) as caught:  # noqa: PT011
            client.update(PERSON)
        logging.getLogger("fhir_regie.test").error("update failed: %s", caught.value)
        list(client.search("Patient", {"identifier": f"http://fhir.nl/fhir/NamingSystem/bsn|{BSN}",
                                        "name": "Vries"}))
    text = caplog.text
    assert "GET Patient 200" in text
    assert "retrying PUT Patient after HTTP 503" in text
    for secret in (BSN, "Vries", "Sanne", "devries", "secret-token", "NamingSystem"):
        assert secret not in text


@responses.activate
def test_an_invalid_resource_from_the_server_names_where_not_what() -> None:
    responses.get(f"{BASE}/Patient/p1", json={**PERSON, "birthDate": f"bsn {BSN}"})
    with pytest.raises(InvalidResponse) as caught:
        FhirClient(BASE).read("Patient", "p1")
    assert "birthDate" in str(caught.value)
    assert BSN not in str(caught.value)
    assert caught.value.__cause__ is None
    assert FhirClient(BASE).read("Patient", "p1", as_dict=True)["birthDate"] == f"bsn {BSN}"
