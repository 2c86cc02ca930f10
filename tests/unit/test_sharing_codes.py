"""The one table of sharing codes (fhir_regie.ig.sharing): standard codes where HL7 has them,
the guide's own for the rest, both ways; anything else reads as nothing (the guard denies)."""

from __future__ import annotations

import pytest

from fhir_regie.ig import load_package, valueset_url
from fhir_regie.ig.sharing import (
    AUDIT_KINDS,
    audit_codings,
    audit_kind,
    class_coding,
    class_key,
    class_keys,
    organisation_identifiers,
    purpose_coding,
    purpose_key,
    purpose_keys,
    purposes_in,
)


def _valueset(valueset_id: str) -> set[tuple[str, str]]:
    """(system, code) the guide's value set names: enumerated codes and whole local systems."""
    package = load_package()
    found = set()
    for include in package.by_url(valueset_url(valueset_id))["compose"]["include"]:
        if "concept" in include:
            found |= {(include["system"], c["code"]) for c in include["concept"]}
        else:
            found |= {(include["system"], c["code"])
                      for c in package.by_url(include["system"])["concept"]}
    return found


def test_every_purpose_and_class_round_trips_and_lies_in_the_bound_value_set():
    purposes = {(purpose_coding(k)["system"], purpose_coding(k)["code"]) for k in purpose_keys()}
    assert purposes == _valueset("regie-sharing-purpose")
    assert all(purpose_key(purpose_coding(k)) == k for k in purpose_keys())
    classes = {(class_coding(k)["system"], class_coding(k)["code"]) for k in class_keys()}
    assert classes == _valueset("regie-data-class")
    assert all(class_key(class_coding(k)) == k for k in class_keys())


def test_standard_codes_replace_the_local_ones():
    assert purpose_coding("care-coordination")["code"] == "COC"
    assert purpose_coding("safety-planning")["code"] == "THREAT"
    assert class_coding("signals") == {
        "system": "urn:ietf:rfc:3986",
        "code": "https://fhir-regie.nl/fhir/StructureDefinition/regie-signal",
        "display": "Regie Signal"}


@pytest.mark.parametrize("coding", [
    {"system": "https://fhir-regie.nl/fhir/CodeSystem/regie-sharing-purpose",
     "code": "care-coordination"},   # the 0.1 code: gone, so it covers nothing
    {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT"},
    {"code": "COC"},                  # no system: no meaning
    "COC", None,
])
def test_unknown_purposes_read_as_nothing(coding):
    assert purpose_key(coding) is None
    assert purposes_in([coding]) == []


def test_a_resource_type_or_another_profile_is_no_data_class():
    assert class_key({"system": "http://hl7.org/fhir/resource-types", "code": "Observation"}) \
        is None
    assert class_key({"system": "urn:ietf:rfc:3986", "code":
                      "https://fhir-regie.nl/fhir/StructureDefinition/regie-safety-plan"}) is None


def test_audit_kinds_follow_ihe_balp_and_are_read_from_the_lifecycle_subtype():
    for kind in AUDIT_KINDS:
        event_type, lifecycle = audit_codings(kind)
        assert audit_kind({"type": event_type, "subtype": [lifecycle]}) == kind
    assert audit_codings("disclosure")[0]["code"] == "110106"
    # the type alone does not decide: a record without the lifecycle subtype is of no kind
    assert audit_kind({"type": audit_codings("view")[0]}) is None
    with pytest.raises(ValueError, match="unknown audit event kind 'leak'"):
        audit_codings("leak")


def test_organisation_identifiers_prefer_ura_then_oin_then_kvk():
    org = {"identifier": [
        {"system": "http://fhir.nl/fhir/NamingSystem/kvk", "value": "27379988"},
        {"system": "https://fhir-regie.nl/fhir/NamingSystem/oin", "value": "0000000181234567"},
        {"system": "http://fhir.nl/fhir/NamingSystem/agb-z", "value": "01012345"},
        {"system": "http://fhir.nl/fhir/NamingSystem/ura", "value": "90007788"}]}
    assert [s.rsplit("/", 1)[-1] for s, _ in organisation_identifiers(org)] == [
        "ura", "oin", "kvk"]
    assert organisation_identifiers(None) == []
