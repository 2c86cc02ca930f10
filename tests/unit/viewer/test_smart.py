"""The viewer's transport rules: https only (http on loopback), SMART discovery answers checked."""

from __future__ import annotations

import pytest
import requests
import responses

from fhir_regie.viewer.smart import LaunchError, check_url, discover, new_client


@pytest.mark.parametrize("url", ["https://fhir.example.nl/fhir", "http://127.0.0.1:8080/fhir",
                                 "http://localhost/fhir", "http://[::1]:9/fhir"])
def test_https_or_loopback_is_accepted(url):
    assert check_url(url) == url


@pytest.mark.parametrize("url", ["http://fhir.example.nl/fhir", "http://10.0.0.5/fhir",
                                 "ftp://127.0.0.1/fhir", "fhir.example.nl"])
def test_anything_else_is_refused(url):
    with pytest.raises(LaunchError, match="--server: needs https"):
        check_url(url)


@responses.activate
def test_discovery_reads_the_endpoints():
    responses.get("https://ehr.example.nl/fhir/.well-known/smart-configuration", json={
        "authorization_endpoint": "https://ehr.example.nl/auth",
        "token_endpoint": "https://ehr.example.nl/token"})
    found = discover("https://ehr.example.nl/fhir", requests.Session())
    assert found.authorize == "https://ehr.example.nl/auth"
    client = new_client(iss="https://ehr.example.nl/fhir", client_id="viewer",
                        redirect_uri="https://viewer.example.nl/callback", endpoints=found,
                        launch="abc")
    url = client.authorize_url
    assert url.startswith("https://ehr.example.nl/auth?")
    assert "launch=abc" in url
    assert "code_challenge_method=S256" in url
    assert "aud=https%3A%2F%2Fehr.example.nl%2Ffhir" in url


@responses.activate
def test_a_discovered_clear_text_token_endpoint_is_refused():
    responses.get("https://ehr.example.nl/fhir/.well-known/smart-configuration", json={
        "authorization_endpoint": "https://ehr.example.nl/auth",
        "token_endpoint": "http://ehr.example.nl/token"})
    with pytest.raises(LaunchError, match="token_endpoint: needs https"):
        discover("https://ehr.example.nl/fhir", requests.Session())


@responses.activate
def test_discovery_without_endpoints_is_one_clear_error():
    responses.get("https://ehr.example.nl/fhir/.well-known/smart-configuration", status=404)
    with pytest.raises(LaunchError, match="SMART discovery: HTTP 404"):
        discover("https://ehr.example.nl/fhir", requests.Session())
