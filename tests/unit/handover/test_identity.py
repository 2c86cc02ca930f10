"""The pure parts of the intake's identity matching (identity.py); the matching itself runs on
real servers in tests/integration/test_intake.py."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fhir_regie.handover.identity import (
    URI,
    Placement,
    _organisation_hits,
    local_id,
    paired_references,
    provenance,
    relabel,
    review_flag,
    rewrite_references,
    source_base,
)

VT = "https://fhir.vt.example/fhir"
AT = datetime(2026, 11, 18, 14, 5, tzinfo=ZoneInfo("Europe/Amsterdam"))
TASK = {"resourceType": "Task", "id": "vt-1", "for": {"reference": "Group/vt-gezin"},
        "owner": {"reference": "Organization/vt-team/_history/3"},
        "focus": {"reference": "Composition/vt-doc"},
        "input": [{"valueReference": {"reference": "#contained"}}]}


def test_local_ids_are_stable_valid_and_never_the_senders():
    first = local_id(VT, "Patient/hoekstra-linda")
    assert first == local_id(VT + "/", "Patient/hoekstra-linda")
    assert first != local_id("https://fhir.ander-vt.example/fhir", "Patient/hoekstra-linda")
    assert first.startswith("in-")
    assert len(first) <= 64
    assert "hoekstra" not in first


def test_the_sender_of_a_copy_is_the_base_of_its_meta_source():
    copy = {"meta": {"source": f"{VT}/Patient/p1/_history/2#hapi-request-id"}}
    assert source_base(copy) == VT
    assert source_base({"meta": {"source": "urn:uuid:1234"}}) is None
    assert source_base({}) is None


def test_references_are_rewritten_and_their_versions_dropped_contained_ones_left():
    mapping = {"Group/vt-gezin": "Group/eigen-gezin", "Organization/vt-team": "Organization/o1"}
    moved = rewrite_references(TASK, mapping)
    assert moved["for"] == {"reference": "Group/eigen-gezin"}
    assert moved["owner"] == {"reference": "Organization/o1"}
    assert moved["focus"] == TASK["focus"]
    assert moved["input"] == TASK["input"]
    assert TASK["for"] == {"reference": "Group/vt-gezin"}   # the original is left alone
    group = {"resourceType": "Group", "id": "vt-gezin"}
    assert relabel(group, mapping)["id"] == "eigen-gezin"


def test_the_answer_pairs_the_senders_references_with_the_local_copys():
    local = rewrite_references(TASK, {"Group/vt-gezin": "Group/eigen-gezin"})
    assert paired_references(TASK, local) == {"Group/vt-gezin": "Group/eigen-gezin"}


def test_a_new_person_carries_the_senders_address_and_meta_source():
    placement = Placement(VT, {"Patient/vt-p": "Patient/in-1"})
    copy = placement.copy({"resourceType": "Patient", "id": "vt-p",
                           "meta": {"versionId": "4", "lastUpdated": "2026-11-18T13:00:00Z"}})
    assert copy["id"] == "in-1"
    assert copy["meta"] == {"source": f"{VT}/Patient/vt-p/_history/4"}
    assert copy["identifier"] == [{"system": URI, "value": f"{VT}/Patient/vt-p"}]


def test_the_review_flag_and_the_provenance():
    placement = Placement(VT, {"Patient/vt-p": "Patient/in-1", "Task/vt-1": "Task/vt-1"},
                          review={"Patient/in-1": "Identiteit controleren: geen BSN"})
    flag = review_flag(placement, "Patient/in-1", placement.review["Patient/in-1"], AT)
    assert (flag["status"], flag["subject"], flag["code"]["text"]) == (
        "active", {"reference": "Patient/in-1"}, "Identiteit controleren: geen BSN")
    assert flag["id"] == review_flag(placement, "Patient/in-1", "Identiteit controleren: geen BSN",
                                     AT)["id"]   # written once: the same id every time
    made = provenance(placement, {"Patient/vt-p": {"meta": {"versionId": "4"}},
                                  "Task/vt-1": {}}, "Task/vt-1", version="2", at=AT,
                      sender=("http://fhir.nl/fhir/NamingSystem/ura", "90001231"))
    assert made["target"] == [{"reference": "Patient/in-1"}, {"reference": "Task/vt-1"}]
    assert {e["what"]["identifier"]["value"] for e in made["entity"]} == {
        f"{VT}/Patient/vt-p/_history/4", f"{VT}/Task/vt-1"}
    assert made["agent"][0]["who"]["identifier"]["value"] == "90001231"


class _Directory:
    """A stand-in for the local team's server: Organizations found by ``identifier`` search."""

    def __init__(self, *organisations: dict) -> None:
        self.organisations = organisations

    def search(self, resource_type, params, **_):
        system, value = params["identifier"].split("|", 1)
        return [o for o in self.organisations
                if {"system": system, "value": value} in o.get("identifier", [])]


KVK = "http://fhir.nl/fhir/NamingSystem/kvk"
OIN = "https://fhir-regie.nl/fhir/NamingSystem/oin"
URA = "http://fhir.nl/fhir/NamingSystem/ura"


def _org(id_, name, *identifiers):
    return {"resourceType": "Organization", "id": id_, "name": name,
            "identifier": [{"system": s, "value": v} for s, v in identifiers]}


def test_an_organisation_without_ura_is_matched_by_oin_or_by_kvk_and_name():
    team = _org("team", "Jeugd- en gezinsteam Laak", (OIN, "00000001812345670000"),
                (KVK, "27379988"))
    other = _org("handhaving", "Gemeente Den Haag, handhaving", (KVK, "27379988"))
    directory = _Directory(team, other)
    by_oin = _org("vt-team", "JGT Laak", (OIN, "00000001812345670000"))
    assert _organisation_hits(directory, by_oin) == [team]
    # a KvK number names the whole municipality: only the department with the same name
    by_kvk = _org("vt-team", "Jeugd- en gezinsteam Laak", (KVK, "27379988"))
    assert _organisation_hits(directory, by_kvk) == [team]
    unknown_department = _org("vt-x", "Gemeente Den Haag, burgerzaken", (KVK, "27379988"))
    assert _organisation_hits(directory, unknown_department) == []
    # a URA number decides on its own, before any other identifier
    gp = _org("gp", "Huisartsenpraktijk", (URA, "90007788"))
    assert _organisation_hits(_Directory(gp, team), _org("x", "Anders", (URA, "90007788"),
                                                         (KVK, "27379988"))) == [gp]
    assert _organisation_hits(directory, _org("y", "Zonder nummer")) == []
