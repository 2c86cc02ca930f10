"""Business keys, derived ids and reference translation (fhir_regie.sync.keys)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fhir_regie.sync.keys import (
    business_key,
    canonical,
    content,
    derived_id,
    is_origin_key,
    key_token,
    origin_key,
    references,
    rewrite_references,
    same_content,
)

BSN = "http://fhir.nl/fhir/NamingSystem/bsn"
CASE = "https://fhir-regie.nl/fhir/NamingSystem/gemeente-suite-client"


def patient(*identifiers: tuple[str, str]) -> dict:
    return {"resourceType": "Patient", "id": "p1",
            "identifier": [{"system": s, "value": v} for s, v in identifiers]}


def test_the_preferred_system_wins_else_the_first_identifier():
    both = patient((CASE, "C100231"), (BSN, "999990019"))
    assert business_key(both, (BSN,)) == f"Patient|{BSN}|999990019"
    assert business_key(both) == f"Patient|{CASE}|C100231"
    assert business_key(patient((CASE, "C1")), (BSN,)) == f"Patient|{CASE}|C1"


def test_no_key_without_an_identifier_with_system_and_value():
    assert business_key({"resourceType": "CareTeam", "id": "t"}) is None
    assert business_key({"resourceType": "Task", "identifier": [{"value": "A1"}]}) is None
    assert business_key({"resourceType": "Task", "identifier": [{"system": "urn:x"}]}) is None


def test_origin_keys_name_the_side_and_id():
    key = origin_key("CareTeam", "partner", "gs-team-P1")
    assert key == "CareTeam|urn:fhir-regie:sync:partner|gs-team-P1"
    assert is_origin_key(key)
    assert not is_origin_key(f"Patient|{BSN}|999990019")
    assert key_token(f"Patient|{BSN}|999990019") == f"{BSN}|999990019"


@given(st.text(min_size=1, max_size=80), st.binary(min_size=8, max_size=32))
def test_derived_ids_are_fhir_ids_stable_and_never_numeric(key, secret):
    first = derived_id(key, secret)
    assert first == derived_id(key, secret)
    assert re.fullmatch(r"rg[a-z2-7]{32}", first)


def test_derived_ids_depend_on_the_secret_so_a_bsn_cannot_be_recovered_from_one():
    key = f"Patient|{BSN}|999990019"
    assert derived_id(key, b"one secret") != derived_id(key, b"another secret")
    assert "999990019" not in derived_id(key, b"one secret")


def test_references_are_rewritten_to_the_target_ids():
    task = {"resourceType": "Task", "for": {"reference": "Group/g1"},
            "owner": {"reference": "http://a.example/fhir/Patient/p1"},
            "basedOn": [{"reference": "CarePlan/c1/_history/3"}],
            "focus": {"reference": "#contained"}, "requester": {"reference": "urn:uuid:1"},
            "partOf": [{"reference": "http://other.example/fhir/Task/t9"}]}
    assert references(task, "http://a.example/fhir") == {
        ("Group", "g1"), ("Patient", "p1"), ("CarePlan", "c1")}
    out, missing = rewrite_references(task, {("Group", "g1"): "G", ("Patient", "p1"): "P"},
                                      "http://a.example/fhir")
    assert out["for"] == {"reference": "Group/G"}
    assert out["owner"] == {"reference": "Patient/P"}
    assert missing == {("CarePlan", "c1")}
    assert out["focus"] == task["focus"]
    assert out["requester"] == task["requester"]
    assert out["partOf"] == task["partOf"]  # another server's resource: left as it is
    assert task["for"] == {"reference": "Group/g1"}  # the input is not changed


def test_content_leaves_out_what_servers_set():
    a = {"resourceType": "Task", "id": "x", "status": "requested",
         "meta": {"versionId": "3", "lastUpdated": "2026-12-01T10:00:00Z", "source": "#a",
                  "profile": ["https://fhir-regie.nl/fhir/StructureDefinition/regie-x"]}}
    b = {"resourceType": "Task", "id": "y", "status": "requested",
         "meta": {"versionId": "1", "profile": a["meta"]["profile"]}}
    assert same_content(a, b)
    assert content(a) == {"resourceType": "Task", "status": "requested",
                          "meta": {"profile": a["meta"]["profile"]}}
    assert not same_content(a, dict(b, status="completed"))
    assert not same_content(a, dict(b, meta={"security": [{"code": "R"}]}))  # labels count
    assert canonical({"resourceType": "Task", "meta": {"versionId": "1"}}) == \
        '{"resourceType":"Task"}'
