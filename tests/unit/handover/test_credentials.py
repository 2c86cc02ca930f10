"""One auth per organisation's server; nothing goes to a server that is not configured."""

from __future__ import annotations

import pytest

from fhir_regie.client import BearerToken, NoAuth
from fhir_regie.client.environment import ClientConfigError
from fhir_regie.handover.credentials import Credentials
from fhir_regie.handover.errors import UnknownServerError

OWN, VT = "http://127.0.0.1:8080/fhir", "https://fhir.vt.example/fhir"


def test_each_server_gets_its_own_auth():
    credentials = Credentials(OWN, BearerToken("own"), {f"{VT}/": BearerToken("for-vt")})
    assert credentials.own().auth.headers(None) == {"Authorization": "Bearer own"}
    assert credentials.client(VT).auth.headers(None) == {"Authorization": "Bearer for-vt"}
    assert "own" not in repr(credentials)
    assert "for-vt" not in repr(credentials)


def test_an_unknown_server_gets_no_client_at_all():
    credentials = Credentials(OWN, NoAuth(), {VT: NoAuth()})
    with pytest.raises(UnknownServerError, match="no credentials are configured"):
        credentials.client("https://fhir.elders.example/fhir")
    assert not credentials.knows("https://fhir.elders.example/fhir")


def test_credentials_from_the_environment_per_prefix():
    environ = {"FHIR_REGIE_TOKEN": "own", "FHIR_REGIE_PEER_TOKEN": "peer",
               "FHIR_REGIE_VTGM_TOKEN": "vtgm"}
    credentials = Credentials.from_env(OWN, {VT: None, "https://b.example/fhir": "FHIR_REGIE_VTGM"},
                                       environ)
    assert credentials.client(VT).auth.headers(None) == {"Authorization": "Bearer peer"}
    assert credentials.client("https://b.example/fhir").auth.headers(None) == {
        "Authorization": "Bearer vtgm"}
    with pytest.raises(ClientConfigError, match="FHIR_REGIE_PEER_TOKEN_URL needs"):
        Credentials.from_env(OWN, {VT: None}, {"FHIR_REGIE_PEER_TOKEN_URL": "https://a/t"})
