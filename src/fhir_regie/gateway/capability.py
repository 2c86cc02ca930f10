"""What the gateway says about itself: its CapabilityStatement (``GET /metadata``) and its
SMART configuration (``GET /.well-known/smart-configuration``).

The statement is the guide's actor ``regie-gateway`` (profiles/actors/capabilities.fsh, kind
``requirements``) as this instance serves it: ``kind = instance``, the address, and the
token endpoint in ``rest.security`` (SMART App Launch 2.x, "Conformance": the
``oauth-uris`` extension). tests/unit/gateway/test_capability.py checks that the guide's
actor lists exactly the types, interactions and search parameters the code serves.
"""

from __future__ import annotations

from typing import Any

from fhir_regie.gateway.guarded import SERVED_TYPES
from fhir_regie.gateway.search import COMMON, PARAMETERS
from fhir_regie.gateway.tokens import ALGORITHMS

CANONICAL = "https://fhir-regie.nl/fhir/CapabilityStatement/regie-gateway"
SMART_SERVICE = ("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
#: The R4 definition of each search parameter (``SearchParameter/<Type>-<name>``), and type.
_KIND = {"reference": "reference", "token": "token", "id": "token"}


def _definition(resource: str, name: str) -> str:
    if name == "_id":
        return "http://hl7.org/fhir/SearchParameter/Resource-id"
    if name == "patient" and resource in ("CarePlan", "Goal", "Condition",
                                                        "Observation", "CareTeam",
                                                        "Composition"):
        return "http://hl7.org/fhir/SearchParameter/clinical-patient"
    if name == "code" and resource in ("Condition", "Observation"):
        return "http://hl7.org/fhir/SearchParameter/clinical-code"
    if name == "identifier" and resource == "Patient":
        return "http://hl7.org/fhir/SearchParameter/Patient-identifier"
    if name == "identifier" and resource == "RelatedPerson":
        return "http://hl7.org/fhir/SearchParameter/RelatedPerson-identifier"
    if name == "patient" and resource == "RelatedPerson":
        return "http://hl7.org/fhir/SearchParameter/RelatedPerson-patient"
    if name == "type" and resource == "Composition":
        return "http://hl7.org/fhir/SearchParameter/clinical-type"
    if name == "status" and resource == "Composition":
        return "http://hl7.org/fhir/SearchParameter/Composition-status"
    return f"http://hl7.org/fhir/SearchParameter/{resource}-{name}"


def served() -> dict[str, dict[str, Any]]:
    """Per served type: its interactions and search parameters (name -> type)."""
    table = {}
    for resource in SERVED_TYPES:
        params = {**COMMON, **PARAMETERS.get(resource, {})}
        interactions = ["read", "vread", "search-type"] + (["update"] if resource == "Task"
                                                           else [])
        table[resource] = {"interactions": interactions,
                           "params": {name: _KIND[kind] for name, (kind, _) in params.items()}}
    return table


def capability_statement(base_url: str, token_url: str) -> dict[str, Any]:
    """The statement served at ``/metadata``."""
    resources = []
    for resource, what in served().items():
        resources.append({
            "type": resource,
            "interaction": [{"code": code} for code in what["interactions"]],
            **({"versioning": "versioned-update"} if resource == "Task" else {}),
            "searchParam": [{"name": name, "definition": _definition(resource, name),
                             "type": kind} for name, kind in what["params"].items()],
        })
    return {
        "resourceType": "CapabilityStatement",
        "url": CANONICAL,
        "status": "active",
        "date": "2026-12-03",
        "publisher": "fhir-regie",
        "kind": "instance",
        "instantiates": [CANONICAL],
        "software": {"name": "fhir-regie gateway"},
        "implementation": {"description": "Consent-enforcing FHIR gateway", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "security": {
                "extension": [{"url": OAUTH_URIS, "extension": [
                    {"url": "token", "valueUri": token_url}]}],
                "service": [{"coding": [{"system": SMART_SERVICE[0], "code": SMART_SERVICE[1]}]}],
                "description": "SMART Backend Services (private_key_jwt, SMART v2 system "
                               "scopes); every answer passes the consent guard",
            },
            "resource": resources,
        }],
    }


def smart_configuration(token_url: str) -> dict[str, Any]:
    """SMART App Launch 2.x discovery for backend services."""
    return {
        "token_endpoint": token_url,
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": list(ALGORITHMS),
        "scopes_supported": ["system/*.rs", "system/Task.u", "purpose/shared-plan-view",
                             "purpose/care-coordination", "purpose/safety-planning",
                             "purpose/vt-monitoring"],
        "capabilities": ["client-confidential-asymmetric", "permission-v2"],
    }
