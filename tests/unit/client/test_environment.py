"""Auth for `--server` commands comes from the environment, never from arguments; every
misconfiguration is one line that names the variable and no secret."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fhir_regie.client import BearerToken, ClientCredentials, NoAuth, PrivateKeyJwt
from fhir_regie.client.environment import ClientConfigError, auth_from_env, client_from_env

TOKEN_URL = "https://auth.example.nl/token"


def ec_pem() -> str:
    key = ec.generate_private_key(ec.SECP384R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def test_nothing_set_means_no_credentials():
    assert isinstance(auth_from_env({}), NoAuth)


def test_bearer_token_from_value_or_file(tmp_path):
    auth = auth_from_env({"FHIR_REGIE_TOKEN": "abc"})
    assert isinstance(auth, BearerToken)
    assert auth.headers(None) == {"Authorization": "Bearer abc"}
    path = tmp_path / "token"
    path.write_text("from-file\nignored\n", encoding="utf-8")
    auth = auth_from_env({"FHIR_REGIE_TOKEN_FILE": str(path)})
    assert auth.headers(None) == {"Authorization": "Bearer from-file"}


def test_private_key_jwt_with_scope():
    auth = auth_from_env({"FHIR_REGIE_TOKEN_URL": TOKEN_URL, "FHIR_REGIE_CLIENT_ID": "regie",
                          "FHIR_REGIE_PRIVATE_KEY": ec_pem(), "FHIR_REGIE_KEY_ID": "k1",
                          "FHIR_REGIE_SCOPE": "system/Group.rs"})
    assert isinstance(auth, PrivateKeyJwt)
    assert (auth.alg, auth.kid, auth.scope) == ("ES384", "k1", "system/Group.rs")


def test_client_secret_with_default_scope(tmp_path):
    path = tmp_path / "secret"
    path.write_text("s3cret\n", encoding="utf-8")
    auth = auth_from_env({"FHIR_REGIE_TOKEN_URL": TOKEN_URL, "FHIR_REGIE_CLIENT_ID": "regie",
                          "FHIR_REGIE_CLIENT_SECRET_FILE": str(path)})
    assert isinstance(auth, ClientCredentials)
    assert auth.scope == "system/*.rs"


@pytest.mark.parametrize(("environ", "message"), [
    ({"FHIR_REGIE_TOKEN": "abc", "FHIR_REGIE_TOKEN_URL": TOKEN_URL},
     "set either FHIR_REGIE_TOKEN or FHIR_REGIE_TOKEN_URL, not both"),
    ({"FHIR_REGIE_TOKEN_URL": TOKEN_URL}, "FHIR_REGIE_TOKEN_URL needs FHIR_REGIE_CLIENT_ID"),
    ({"FHIR_REGIE_TOKEN_URL": TOKEN_URL, "FHIR_REGIE_CLIENT_ID": "regie"},
     "FHIR_REGIE_TOKEN_URL needs FHIR_REGIE_PRIVATE_KEY or FHIR_REGIE_CLIENT_SECRET"),
    ({"FHIR_REGIE_TOKEN_URL": TOKEN_URL, "FHIR_REGIE_CLIENT_ID": "regie",
      "FHIR_REGIE_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nbroken\n"},
     "FHIR_REGIE_PRIVATE_KEY needs FHIR_REGIE_KEY_ID"),
    ({"FHIR_REGIE_TOKEN_URL": TOKEN_URL, "FHIR_REGIE_CLIENT_ID": "regie", "FHIR_REGIE_KEY_ID": "k",
      "FHIR_REGIE_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nbroken\n"},
     "not a readable PEM private key (ValueError)"),
    ({"FHIR_REGIE_TOKEN_URL": "http://auth.example.nl/token", "FHIR_REGIE_CLIENT_ID": "regie",
      "FHIR_REGIE_CLIENT_SECRET": "s3cret"}, "https"),
    ({"FHIR_REGIE_TOKEN_FILE": "/nonexistent/token"},
     "FHIR_REGIE_TOKEN_FILE: cannot read the secret (FileNotFoundError)"),
])
def test_misconfiguration_is_one_line_without_secrets(environ, message):
    with pytest.raises(ClientConfigError) as caught:
        auth_from_env(environ)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert "s3cret" not in text
    assert "broken" not in text


def test_client_from_env_checks_the_url():
    with pytest.raises(ClientConfigError, match="absolute http"):
        client_from_env("fhir.example.nl", {})
    with client_from_env("https://fhir.example.nl/fhir", {"FHIR_REGIE_TOKEN": "t"}) as client:
        assert client.base_url == "https://fhir.example.nl/fhir"
        assert isinstance(client.auth, BearerToken)


def test_another_prefix_reads_another_servers_credentials():
    environ = {"FHIR_REGIE_TOKEN": "own", "FHIR_REGIE_PEER_TOKEN": "peer"}
    assert auth_from_env(environ).headers(None) == {"Authorization": "Bearer own"}
    peer = auth_from_env(environ, prefix="FHIR_REGIE_PEER")
    assert peer.headers(None) == {"Authorization": "Bearer peer"}
    assert isinstance(auth_from_env(environ, prefix="FHIR_REGIE_VT"), NoAuth)
    with pytest.raises(ClientConfigError, match=r"^FHIR_REGIE_PEER_TOKEN_URL needs "
                                                r"FHIR_REGIE_PEER_CLIENT_ID$"):
        auth_from_env({"FHIR_REGIE_PEER_TOKEN_URL": TOKEN_URL}, prefix="FHIR_REGIE_PEER")
