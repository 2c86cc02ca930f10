"""The guide's actor ``regie-gateway`` lists exactly what the gateway serves."""

from __future__ import annotations

from fhir_regie.gateway.capability import capability_statement, served
from fhir_regie.ig import load_package


def _listed(statement: dict) -> dict[str, tuple[list[str], dict[str, tuple[str, str]]]]:
    return {r["type"]: ([i["code"] for i in r.get("interaction", [])],
                        {p["name"]: (p["type"], p["definition"]) for p in r.get("searchParam", [])})
            for rest in statement["rest"] for r in rest["resource"]}


def test_the_guides_actor_matches_the_served_statement() -> None:
    guide = load_package().conformance[
        "https://fhir-regie.nl/fhir/CapabilityStatement/regie-gateway"]
    here = capability_statement("https://gateway.example.nl/fhir",
                                "https://gateway.example.nl/fhir/auth/token")
    assert guide["kind"] == "requirements"
    assert here["instantiates"] == [guide["url"]]
    assert _listed(guide) == _listed(here)
    assert set(_listed(here)) == set(served())


def test_every_search_parameter_is_an_r4_definition_of_its_type() -> None:
    for resource, (_, params) in _listed(capability_statement("x", "y")).items():
        for name, (_, definition) in params.items():
            assert definition.startswith("http://hl7.org/fhir/SearchParameter/"), name
            tail = definition.rsplit("/", 1)[1]
            assert tail in {f"{resource}-{name}", "Resource-id", f"clinical-{name}"}, \
                (resource, name, tail)
