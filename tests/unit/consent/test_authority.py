"""Parental authority (gezag) as recorded on the child (``regie-parental-authority``) decides who
consents for a minor: sole, joint, a guardian (person or institution), a parent without
authority, and from 16 the young person alone whatever is recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fhir_regie.consent import decide
from fhir_regie.consent.parties import read_parties
from fhir_regie.ig import codesystem_url, extension_url
from fhir_regie.model import Authority, patient, to_json

from .conftest import GP, SCHOOL, example, request, verdict

LOTTE, DAAN = "Patient/devries-lotte", "Patient/devries-daan"
SANNE, MARK, RIA = "Patient/devries-sanne", "Patient/devries-mark", "RelatedPerson/devries-oma-ria"
LOTTE_CONCERN = "Condition/devries-concern-school"   # about Lotte (7)
DAAN_GOAL = "Goal/devries-goal-daan"                 # about Daan (12)
GI = "Organization/t-gi-gelderland"


def _authority(resources, child, *holders, kind="parental-authority", end=None):
    patient_ = resources[child]
    url = extension_url("regie-parental-authority")
    patient_["extension"] = [e for e in patient_.get("extension", []) if e.get("url") != url]
    for holder in holders:
        parts = [{"url": "holder", "valueReference": {"reference": holder}},
                 {"url": "kind", "valueCodeableConcept": {"coding": [{
                     "system": codesystem_url("regie-authority-kind"), "code": kind}]}}]
        if end:
            parts.append({"url": "period", "valuePeriod": {"start": "2015-01-01", "end": end}})
        patient_["extension"].append({"url": url, "extension": parts})


def _consent_by(resources, consent, *people):
    resources[consent]["performer"] = [{"reference": p} for p in people]


def _lotte(resources, *performers):
    _consent_by(resources, "Consent/devries-consent-lotte", *performers)
    return verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN)


@pytest.mark.parametrize(("holders", "performer", "permit"), [
    ((SANNE,), SANNE, True),          # sole authority: the mother
    ((SANNE,), MARK, False),          # the father is a parent without authority
    ((SANNE, MARK), MARK, True),      # joint authority: either parent
    ((SANNE, MARK), SANNE, True),
])
def test_sole_and_joint_authority_under_12(holders, performer, permit):
    resources = example()
    _authority(resources, LOTTE, *holders)
    found = _lotte(resources, performer)
    assert found.permit is permit
    if not permit:
        assert "parent with authority" in found.reasons[0]


def test_a_parent_without_authority_cannot_consent_although_presumed_before():
    resources = example()
    assert _lotte(resources, MARK).permit          # nothing recorded: presumed (0.1 behaviour)
    _authority(resources, LOTTE, SANNE)
    assert not _lotte(resources, MARK).permit      # recorded: Mark has none


def test_a_guardian_person_or_institution_consents_and_the_parents_do_not():
    resources = example()
    _authority(resources, LOTTE, RIA, kind="guardianship")
    assert _lotte(resources, RIA).permit
    assert not _lotte(resources, SANNE).permit
    _authority(resources, LOTTE, GI, kind="guardianship")
    assert _lotte(resources, GI).permit
    assert not _lotte(resources, RIA).permit


def test_authority_that_ended_no_longer_counts():
    resources = example()
    _authority(resources, LOTTE, SANNE, end="2026-06-30")
    found = _lotte(resources, SANNE)
    assert not found.permit
    assert "parent with authority" in found.reasons[0]


def test_12_to_15_the_child_and_a_holder_of_authority():
    resources = example()
    _authority(resources, DAAN, SANNE)
    ask = request(GP, "shared-plan-view")
    _consent_by(resources, "Consent/devries-consent-daan", DAAN, MARK)
    assert not verdict(decide(resources.values(), ask), DAAN_GOAL).permit
    _consent_by(resources, "Consent/devries-consent-daan", DAAN, SANNE)
    assert verdict(decide(resources.values(), ask), DAAN_GOAL).permit


def test_a_16_year_old_consents_alone_whoever_holds_authority():
    resources = example()
    resources[DAAN]["birthDate"] = "2010-03-01"
    _authority(resources, DAAN, SANNE, MARK)
    ask = request(GP, "shared-plan-view")
    _consent_by(resources, "Consent/devries-consent-daan", SANNE, MARK)
    found = verdict(decide(resources.values(), ask), DAAN_GOAL)
    assert not found.permit
    assert "only the client" in " ".join(found.reasons)
    _consent_by(resources, "Consent/devries-consent-daan", DAAN)
    assert verdict(decide(resources.values(), ask), DAAN_GOAL).permit


def test_the_builder_records_authority_the_rules_read():
    child = to_json(patient(id="t-kind", given="Noor", family="Bakker", birth_date="2019-04-04",
                            authority=[Authority("Patient/t-moeder", start="2019-04-04"),
                                       Authority("RelatedPerson/t-voogd", kind="guardianship",
                                                 start="2024-01-01", end="2024-12-31")]))
    parties = read_parties([child, {"resourceType": "Group", "id": "t-huis", "member": [
        {"entity": {"reference": "Patient/t-kind"}}]}], "t-huis")
    at = datetime(2026, 11, 20, tzinfo=UTC)
    assert parties.authority_recorded("Patient/t-kind")
    assert parties.parents_with_authority("Patient/t-kind", at) == {"Patient/t-moeder"}
    assert parties.parents_with_authority("Patient/t-kind", datetime(2024, 6, 1, tzinfo=UTC)) \
        == {"Patient/t-moeder", "RelatedPerson/t-voogd"}
