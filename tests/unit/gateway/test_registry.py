"""The client registry is validated strictly; a mistake is one line without key material."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from joserfc.jwk import ECKey

from fhir_regie.gateway.registry import Registry, RegistryError

KEY = ECKey.generate_key("P-384")
PUBLIC = {**KEY.as_dict(private=False), "kid": "k1"}
ENTRY = {"client_id": "his-de-brug", "organization": "Organization/devries-org-huisarts",
         "ura": "00001234", "role": "gp", "purposes": ["shared-plan-view"],
         "scopes": ["system/*.rs", "system/Task.u"], "jwks": {"keys": [PUBLIC]}}


def test_a_yaml_registry_with_a_jwks_file_loads(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "his.jwks.json").write_text(json.dumps({"keys": [PUBLIC]}))
    (tmp_path / "clients.yaml").write_text(
        "clients:\n  - client_id: his-de-brug\n"
        "    organization: Organization/devries-org-huisarts\n"
        "    ura: '00001234'\n    role: gp\n    purposes: [shared-plan-view]\n"
        "    scopes: [system/*.rs]\n    jwks_file: keys/his.jwks.json\n")
    registry = Registry.load(tmp_path / "clients.yaml")
    assert registry.get("his-de-brug").organization == "Organization/devries-org-huisarts"
    assert registry.jwks("his-de-brug")["keys"][0]["kid"] == "k1"


@pytest.mark.parametrize(("change", "message"), [
    ({"colour": "blue"}, "clients.0.colour: Extra inputs are not permitted"),
    ({"organization": "Patient/x"}, "clients.0.organization: Value error, must be Organization/"),
    ({"ura": "123"}, "clients.0.ura: Value error, a URA number has 8 digits"),
    ({"role": "boss"}, "clients.0.role: Input should be"),
    ({"purposes": ["anonymous-advice"]},
     "clients.0.purposes: Value error, purpose 'anonymous-advice'"),
    ({"purposes": []}, "clients.0.purposes: "),
    ({"scopes": ["user/*.rs"]}, "clients.0.scopes: Value error, 'user/*.rs' is not a SMART v2"),
    ({"jwks_file": "x.json"}, "give exactly one of jwks or jwks_file"),
    ({"jwks": {"keys": [KEY.as_dict(private=True) | {"kid": "k"}]}}, "holds a private key"),
    ({"jwks": {"keys": [{"kty": "oct", "k": "abc", "kid": "k"}]}}, "each key needs kty RSA or EC"),
    ({"jwks": {}}, "a JWKS needs a keys list"),
    ({"jwks": {"keys": [{"kty": "EC", "kid": "k", "crv": "P-384", "x": "AA", "y": "AA"}]}},
     "key 'k' is not a usable public key"),
])
def test_mistakes_are_refused_with_their_place(change: dict, message: str) -> None:
    with pytest.raises(RegistryError) as refused:
        Registry.from_data({"clients": [{**ENTRY, **change}]})
    assert message in str(refused.value)
    assert KEY.as_dict(private=True)["d"] not in str(refused.value)


def test_a_client_id_twice_is_refused() -> None:
    with pytest.raises(RegistryError, match="client_id 'his-de-brug' twice"):
        Registry.from_data({"clients": [ENTRY, ENTRY]})


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("clients: [\n")
    with pytest.raises(RegistryError, match=r"^client registry bad.yaml: not valid YAML$"):
        Registry.load(tmp_path / "bad.yaml")
    with pytest.raises(RegistryError, match="cannot read"):
        Registry.load(tmp_path / "missing.yaml")


def test_veilig_thuis_and_local_teams_tell_the_engine_their_kind() -> None:
    registry = Registry.from_data({"clients": [{**ENTRY, "role": "veilig-thuis"}]})
    assert registry.get("his-de-brug").directory == {"Organization/devries-org-huisarts": "vt"}
    assert Registry.from_data({"clients": [ENTRY]}).get("his-de-brug").directory == {}
