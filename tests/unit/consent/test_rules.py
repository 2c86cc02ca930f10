"""One test (or a few) per consent rule, on copies of the example households. Each names the
rule it guards; docs/consent.md lists them with their source in DOMAIN.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from fhir_regie.consent import decide, share
from fhir_regie.consent.projections import PLACEHOLDER
from fhir_regie.ig import codesystem_url, extension_url
from fhir_regie.ig.sharing import class_coding, purpose_coding

from .conftest import (
    ADDICTION,
    AT,
    GP,
    SCHOOL,
    VT,
    WIJKTEAM,
    claim,
    coding,
    example,
    request,
    set_life_domain,
    verdict,
)

LOTTE_PLAN = "Task/devries-agreement-wandelen"     # household-level agreed action
DAAN_GOAL = "Goal/devries-goal-daan"               # about Daan (12)
LOTTE_CONCERN = "Condition/devries-concern-school"  # about Lotte (7)
MARK_ALERT = "Flag/devries-alert-mark"             # the alleged-perpetrator mark (SDV)
SIGNAL = "Observation/vdberg-signal-bruises"       # a meldcode signal (SDV)
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


# ------------------------------------------------------------------ default deny
def test_nothing_goes_without_a_consent_or_legal_basis():
    resources = {k: v for k, v in example().items() if not k.startswith("Consent/")}
    decision = decide(resources.values(), request(GP, "shared-plan-view"))
    assert decision.overall == "deny"
    assert all(d.basis is None and d.reasons for d in decision.resources)


def test_records_about_sharing_and_unknown_types_are_never_shared():
    resources = example()
    data = [resources["Consent/devries-consent-lotte"],
            {"resourceType": "Basic", "id": "x", "subject": {"reference": "Patient/devries-lotte"}}]
    decision = decide(resources.values(), request(GP, "shared-plan-view"), data=data)
    assert [d.permit for d in decision.resources] == [False, False]
    assert "no data class" in decision.resources[0].reasons[0]


# ------------------------------------------------------------------ consent validity
def test_a_revoked_consent_stops_the_next_disclosure():
    resources = example()
    before = share(resources.values(), request(SCHOOL))
    assert verdict(before.decision, LOTTE_CONCERN).permit
    resources["Consent/devries-consent-lotte"]["status"] = "inactive"
    after = share(resources.values(), request(SCHOOL))
    denied = verdict(after.decision, LOTTE_CONCERN)
    assert not denied.permit
    assert "revoked" in denied.reasons[0]


@pytest.mark.parametrize("status", ["draft", "proposed", "rejected", "entered-in-error"])
def test_only_an_active_consent_counts(status):
    resources = example()
    resources["Consent/devries-consent-lotte"]["status"] = status
    assert not verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit


def test_a_consent_counts_only_inside_its_period():
    resources = example()
    late = datetime(2027, 10, 9, 0, 30, tzinfo=UTC)   # period ends 2027-10-08
    last_day = datetime(2027, 10, 8, 21, 0, tzinfo=UTC)
    assert verdict(decide(resources.values(), request(SCHOOL, at=last_day)), LOTTE_CONCERN).permit
    expired = verdict(decide(resources.values(), request(SCHOOL, at=late)), LOTTE_CONCERN)
    assert not expired.permit
    assert "outside its period" in expired.reasons[0]


def test_a_consent_given_after_the_moment_does_not_count():
    resources = example()
    early = datetime(2026, 10, 8, 12, 0, tzinfo=UTC)  # consent given 16:00 +02:00
    resources["Consent/devries-consent-lotte"]["provision"]["period"]["start"] = "2026-10-01"
    found = verdict(decide(resources.values(), request(SCHOOL, at=early)), LOTTE_CONCERN)
    assert not found.permit
    assert "not yet given" in found.reasons[0]


# ------------------------------------------------------------------ who may consent (DOMAIN §1)
def _performers(resources, consent, *people):
    resources[consent]["performer"] = [{"reference": p} for p in people]


def test_under_12_a_parent_with_authority_consents():
    resources = example()
    _performers(resources, "Consent/devries-consent-lotte", "Patient/devries-sanne")
    assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    _performers(resources, "Consent/devries-consent-lotte", "Patient/devries-lotte")
    found = verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN)
    assert not found.permit
    assert "wrong performer" in found.reasons[0]
    assert "parent with authority" in found.reasons[0]


def test_a_minor_in_the_household_is_no_parent_with_authority():
    resources = example()
    _performers(resources, "Consent/devries-consent-lotte", "Patient/devries-daan")
    assert not verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit


@pytest.mark.parametrize(("people", "permit"), [
    (("Patient/devries-daan", "Patient/devries-sanne"), True),
    (("Patient/devries-sanne", "Patient/devries-mark"), False),  # parents without the child
    (("Patient/devries-daan",), False),                          # the child without a parent
])
def test_from_12_to_15_both_the_child_and_a_parent_consent(people, permit):
    resources = example()
    _performers(resources, "Consent/devries-consent-daan", *people)
    found = verdict(decide(resources.values(), request(GP, "shared-plan-view")), DAAN_GOAL)
    assert found.permit is permit
    if not permit:
        assert "both the client and a parent with authority" in " ".join(found.reasons)


@pytest.mark.parametrize(("birth", "people", "permit"), [
    ("2010-01-01", ("Patient/devries-daan",), True),                 # 16: alone
    ("2010-01-01", ("Patient/devries-sanne",), False),               # 16: not the parent
    ("2011-01-01", ("Patient/devries-daan", "Patient/devries-sanne"), True),  # 15: both
])
def test_from_16_the_young_person_alone_consents(birth, people, permit):
    resources = example()
    resources["Patient/devries-daan"]["birthDate"] = birth
    _performers(resources, "Consent/devries-consent-daan", *people)
    found = verdict(decide(resources.values(), request(GP, "shared-plan-view")), DAAN_GOAL)
    assert found.permit is permit


def test_age_counts_at_the_moment_of_disclosure():
    resources = example()
    resources["Patient/devries-lotte"]["birthDate"] = "2014-11-25"  # turns 12 on 25 November
    assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    after = request(SCHOOL, at=datetime(2026, 11, 26, 10, tzinfo=UTC))
    assert not verdict(decide(resources.values(), after), LOTTE_CONCERN).permit


def test_an_unknown_birth_date_means_no_valid_consent():
    resources = example()
    del resources["Patient/devries-lotte"]["birthDate"]
    found = verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN)
    assert not found.permit
    assert "birth date is unknown" in found.reasons[0]


def test_an_adults_recorded_legal_representative_consents():
    resources = example("household-van-den-berg")
    plan = "CarePlan/vdberg-safety-plan"
    gp = "Organization/vdberg-org-huisarts"
    ask = request(gp, "safety-planning", discloser="Organization/vdberg-org-sociaalteam")
    assert verdict(decide(resources.values(), ask), plan).permit   # Ellen, mentor (GUARD)
    _performers(resources, "Consent/vdberg-consent-henk", "RelatedPerson/vdberg-peter")
    found = verdict(decide(resources.values(), ask), plan)
    assert not found.permit
    assert "recorded legal representative" in " ".join(found.reasons)


# ------------------------------------------------------------------ provisions (DOMAIN §6)
def test_a_nested_deny_beats_the_permit():
    resources = example()
    set_life_domain(resources[LOTTE_CONCERN], "health")  # now also health data about Lotte
    to_gp = verdict(decide(resources.values(), request(GP, "care-coordination")), LOTTE_CONCERN)
    to_school = verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN)
    assert to_gp.permit
    assert not to_school.permit
    assert "exception (deny)" in to_school.reasons[0]


def test_a_deny_without_classes_denies_everything_for_its_recipient():
    resources = example()
    resources["Consent/devries-consent-lotte"]["provision"]["provision"][0].pop("class")
    assert not verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    assert verdict(decide(resources.values(), request(GP)), LOTTE_CONCERN).permit


def test_a_deny_applies_only_to_its_own_purposes():
    resources = example()
    deny = resources["Consent/devries-consent-lotte"]["provision"]["provision"][0]
    deny.pop("class")   # deny everything to the school ...
    deny["purpose"] = [coding("regie-sharing-purpose", "shared-plan-view")]  # ... for viewing
    assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    viewing = verdict(decide(resources.values(), request(SCHOOL, "shared-plan-view")),
                      LOTTE_CONCERN)
    assert not viewing.permit
    assert "exception (deny)" in viewing.reasons[0]


def test_a_deny_applies_only_to_data_inside_its_data_period():
    resources = example()
    deny = resources["Consent/devries-consent-lotte"]["provision"]["provision"][0]
    deny.pop("class")
    deny["dataPeriod"] = {"end": "2026-09-01"}   # the concern was recorded on 2026-09-30
    assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    deny["dataPeriod"] = {"start": "2026-09-01", "end": "2026-10-31"}
    found = verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN)
    assert not found.permit
    assert "exception (deny)" in found.reasons[0]


def test_recipients_are_matched():
    resources = example()
    other = verdict(decide(resources.values(), request("Organization/devries-org-vt")),
                    LOTTE_CONCERN)
    assert not other.permit
    assert "does not name Organization/devries-org-vt" in other.reasons[0]


def test_a_care_team_named_in_a_consent_covers_its_organisations():
    resources = example()
    resources["Consent/devries-consent-lotte"]["provision"]["actor"] = [
        {"role": resources["Consent/devries-consent-lotte"]["provision"]["actor"][0]["role"],
         "reference": {"reference": "CareTeam/devries-careteam"}}]
    assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    assert not verdict(decide(resources.values(), request(VT)), LOTTE_CONCERN).permit


KVK = "http://fhir.nl/fhir/NamingSystem/kvk"
OIN = "https://fhir-regie.nl/fhir/NamingSystem/oin"


def _named_by(resources, system, value):
    """Lotte's consent names the school by identifier only (it is not on this server)."""
    consent = resources["Consent/devries-consent-lotte"]["provision"]
    consent["actor"] = [{"role": consent["actor"][0]["role"],
                         "reference": {"identifier": {"system": system, "value": value}}}]


def test_an_organisation_named_by_kvk_or_oin_is_matched_to_the_recipient():
    for system, value in ((KVK, "41234567"), (OIN, "00000003412345670000")):
        resources = example()
        resources[SCHOOL]["identifier"] = [{"system": system, "value": value}]
        _named_by(resources, system, value)
        assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
        # the same number on another organisation is not this recipient's
        assert not verdict(decide(resources.values(), request(VT)), LOTTE_CONCERN).permit


def test_an_identifier_two_organisations_carry_names_neither():
    # a KvK number names a whole legal entity (every department of a municipality)
    resources = example()
    resources[SCHOOL]["identifier"] = [{"system": KVK, "value": "41234567"}]
    resources[VT]["identifier"] = [{"system": KVK, "value": "41234567"}]
    _named_by(resources, KVK, "41234567")
    found = verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN)
    assert not found.permit
    assert "does not name Organization/devries-org-school" in found.reasons[0]


def test_an_identifier_of_an_unknown_system_names_no_one():
    resources = example()
    resources[SCHOOL]["identifier"] = [{"system": "urn:oid:2.16.528.1.1007.99", "value": "1"}]
    _named_by(resources, "urn:oid:2.16.528.1.1007.99", "1")
    assert not verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit


def test_standard_purpose_and_class_codes_are_read_and_unknown_ones_deny():
    resources = example()
    provision = resources["Consent/devries-consent-lotte"]["provision"]
    assert provision["purpose"][0]["code"] == "COC"   # care-coordination is v3 ActReason COC
    assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    # a purpose no one reads as care coordination (v3 TREAT) covers nothing here
    provision["purpose"] = [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                             "code": "TREAT"}]
    assert not verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit


def test_a_profile_canonical_names_its_data_class_and_a_resource_type_names_none():
    resources = example()
    provision = resources["Consent/devries-consent-lotte"]["provision"]
    log = "Observation/devries-log-near-miss"
    provision["class"].append({"system": "urn:ietf:rfc:3986", "code":
                               "https://fhir-regie.nl/fhir/StructureDefinition/"
                               "regie-safety-log-entry"})
    assert verdict(decide(resources.values(), request(SCHOOL)), log).permit
    # a whole resource type is broader than any class the guard shields per part: no cover
    provision["class"][-1] = {"system": "http://hl7.org/fhir/resource-types",
                              "code": "Observation"}
    assert not verdict(decide(resources.values(), request(SCHOOL)), log).permit


def test_purposes_are_matched():
    resources = example()
    found = verdict(decide(resources.values(), request(SCHOOL, "safety-planning")),
                    LOTTE_CONCERN)
    assert not found.permit
    assert "purpose safety-planning" in found.reasons[0]


def test_data_classes_are_matched():
    resources = example()
    log = verdict(decide(resources.values(), request(SCHOOL)), "Observation/devries-log-near-miss")
    assert not log.permit
    assert "does not cover safety-log" in log.reasons[0]


def test_a_deadline_from_a_handover_is_an_agreed_action():
    # regie-deadline (issue 7): who does what by when, shared like agreed actions.
    resources = example("household-hv-0417")
    ask = request("Organization/hv0417-org-vt", "handover",
                  discloser="Organization/hv0417-org-lokaalteam",
                  legal_claim=claim("vt-statutory-task", covers_labels=("V",)))
    term = "Task/hv0417-deadline-monitoring-3"
    assert verdict(decide(resources.values(), ask), term).permit
    resources["Consent/hv0417-consent"]["provision"]["class"] = [coding("regie-data-class",
                                                                        "safety-plan")]
    opvang = request("Organization/hv0417-org-opvang", "safety-planning",
                     discloser="Organization/hv0417-org-lokaalteam")
    found = verdict(decide(resources.values(), opvang), term)
    assert not found.permit
    assert "does not cover agreed-actions" in found.reasons[0]


def test_data_periods_are_matched():
    resources = example()
    provision = resources["Consent/devries-consent-lotte"]["provision"]
    provision["dataPeriod"] = {"start": "2026-09-01", "end": "2026-09-30"}  # recorded 09-30
    assert verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN).permit
    provision["dataPeriod"] = {"start": "2026-10-01"}
    found = verdict(decide(resources.values(), request(SCHOOL)), LOTTE_CONCERN)
    assert not found.permit
    assert "data period" in found.reasons[0]


def test_a_consent_covers_only_its_own_client():
    resources = example()   # Lotte's consent names the school; Daan's goal is about Daan
    assert not verdict(decide(resources.values(), request(SCHOOL)), DAAN_GOAL).permit


def test_a_part_outside_the_consent_is_cut_not_the_whole_resource():
    resources = example()
    ask = request(ADDICTION, discloser=WIJKTEAM)
    resources["Consent/devries-consent-sanne-verslavingszorg"]["provision"]["class"] = [
        coding("regie-data-class", "household-composition")]
    resources.pop(MARK_ALERT)   # Mark no longer flagged
    found = verdict(decide(resources.values(), ask), "Patient/devries-sanne")
    assert found.permit
    assert {o.path for o in found.obligations if o.code == "redact"} == {
        "Patient.telecom", "Patient.address"}
    assert all("does not cover" in o.reason for o in found.obligations)


# ------------------------------------------------------------------ legal bases (DOMAIN §3-§6)
REPORT = {"purpose": "meldcode-report", "discloser": SCHOOL}


def test_meldcode_report_to_veilig_thuis_without_consent():
    resources = example()
    decision = decide(resources.values(), request(VT, **REPORT,
                                                  legal_claim=claim("meldcode-reporting-right")))
    found = verdict(decision, "Observation/devries-log-near-miss")
    assert found.permit
    assert found.basis.legal_basis == "meldcode-reporting-right"
    assert found.basis.consent is None
    assert [o.code for o in found.obligations] == ["inform-household"]


def test_a_legal_basis_is_only_for_its_own_purpose():
    resources = example()
    ask = request(VT, "care-coordination", discloser=SCHOOL,
                  legal_claim=claim("meldcode-reporting-right"))
    found = verdict(decide(resources.values(), ask), "Observation/devries-log-near-miss")
    assert not found.permit
    assert "does not cover the purpose" in found.reasons[0]


def test_a_legal_basis_is_only_for_its_own_kind_of_recipient():
    resources = example()
    ask = request(GP, **REPORT, legal_claim=claim("meldcode-reporting-right"))
    found = verdict(decide(resources.values(), ask), "Observation/devries-log-near-miss")
    assert not found.permit
    assert "does not allow Organization/devries-org-huisarts" in \
        found.reasons[0]


def test_the_directory_names_veilig_thuis_when_the_records_do_not():
    resources = example("household-van-den-berg")
    vt = "Organization/vt-noord-oost-gelderland"
    ask = request(vt, "meldcode-report", discloser="Organization/vdberg-org-thuiszorg",
                  legal_claim=claim("meldcode-reporting-right"))
    signal = "Observation/vdberg-signal-bruises"
    assert not verdict(decide(resources.values(), ask), signal).permit
    listed = request(vt, "meldcode-report", discloser="Organization/vdberg-org-thuiszorg",
                     legal_claim=claim("meldcode-reporting-right"), directory={vt: "vt"})
    assert verdict(decide(resources.values(), listed), signal).permit


def test_a_legal_basis_needs_a_justification():
    resources = example()
    ask = request(VT, **REPORT, legal_claim=claim("meldcode-reporting-right",
                                                  justification="  "))
    found = verdict(decide(resources.values(), ask), "Observation/devries-log-near-miss")
    assert not found.permit
    assert "written justification" in found.reasons[0]


def test_vt_statutory_task_is_between_veilig_thuis_and_the_local_team():
    resources = example()
    ok = request(WIJKTEAM, "handover", discloser=VT, legal_claim=claim("vt-statutory-task"))
    assert verdict(decide(resources.values(), ok), "Task/devries-agreement-daan").permit
    wrong = request(WIJKTEAM, "handover", discloser=SCHOOL,
                    legal_claim=claim("vt-statutory-task"))
    found = verdict(decide(resources.values(), wrong), "Task/devries-agreement-daan")
    assert not found.permit
    assert "only for local-team or vt as discloser" in found.reasons[0]
    school = request(SCHOOL, "handover", discloser=VT, legal_claim=claim("vt-statutory-task"))
    assert not verdict(decide(resources.values(), school), "Task/devries-agreement-daan").permit


def test_vt_statutory_task_carries_the_local_teams_answer_back_but_not_sideways():
    # §4: accepting or refusing the handover, and monitoring feedback, go back to VT on the
    # same basis; never from one local team to another (or VT to VT).
    resources = example()
    task = "Task/devries-handover"
    back = request(VT, "handover", discloser=WIJKTEAM, legal_claim=claim("vt-statutory-task"))
    assert verdict(decide(resources.values(), back), task).permit
    other_team = "Organization/lokaal-team-elders"
    sideways = request(other_team, "handover", discloser=WIJKTEAM,
                       directory={other_team: "local-team"},
                       legal_claim=claim("vt-statutory-task"))
    found = verdict(decide(resources.values(), sideways), task)
    assert not found.permit
    assert found.reasons == ("legal basis vt-statutory-task holds only from local-team to vt, "
                             "vt to local-team",)
    other_vt = "Organization/vt-elders"
    vt_to_vt = request(other_vt, "handover", discloser=VT, directory={other_vt: "vt"},
                       legal_claim=claim("vt-statutory-task"))
    assert not verdict(decide(resources.values(), vt_to_vt), task).permit


def test_a_court_order_permits_only_the_recipients_it_names():
    resources = example()
    gi = "Organization/gi-gelderland"
    named = request(gi, "safety-planning", legal_claim=claim("court-order",
                                                             named_recipients=(gi,)))
    assert verdict(decide(resources.values(), named), DAAN_GOAL).permit
    unnamed = request(gi, "safety-planning", legal_claim=claim("court-order"))
    found = verdict(decide(resources.values(), unnamed), DAAN_GOAL)
    assert not found.permit
    assert "does not name" in found.reasons[0]


def test_vital_interest_only_for_safety_planning_and_only_what_keeps_someone_safe():
    resources = example()
    ask = request(GP, "safety-planning", legal_claim=claim("vital-interest"))
    decision = decide(resources.values(), ask)
    assert verdict(decision, DAAN_GOAL).permit
    assert not verdict(decision, "CarePlan/devries-support-plan").permit
    other = request(GP, "care-coordination", legal_claim=claim("vital-interest"))
    assert not verdict(decide(resources.values(), other), DAAN_GOAL).permit


def test_not_informing_the_household_needs_a_recorded_reason():
    resources = example()
    silent = claim("meldcode-reporting-right", inform_household=False)
    found = verdict(decide(resources.values(), request(VT, **REPORT, legal_claim=silent)),
                    "Observation/devries-log-near-miss")
    assert not found.permit
    assert "informing would endanger" in found.reasons[0]
    endangered = claim("meldcode-reporting-right", inform_household=False,
                       not_informed_reason="Informeren brengt de moeder in gevaar.")
    shared = share(resources.values(), request(VT, **REPORT, legal_claim=endangered))
    found = verdict(shared.decision, "Observation/devries-log-near-miss")
    assert found.permit
    assert not [o for o in found.obligations if o.code == "inform-household"]
    basis = shared.audit_event.extension[0]
    parts = {e.url: e for e in basis.extension}
    assert parts["inform-household"].valueBoolean is False
    assert parts["not-informed-reason"].valueString.startswith("Informeren")


# ------------------------------------------------------------------ reporter identity (§4, §6)
DOC = "Composition/devries-handover-document"


def _handover(resources, **more):
    ask = request(WIJKTEAM, "handover", discloser=VT, legal_claim=claim(
        "vt-statutory-task", covers_labels=("R",)), **more)
    return share(resources.values(), ask, data=[resources[DOC]])


def _sections(shared):
    document = shared.bundle["entry"][0]["resource"]
    return [s["code"]["coding"][0]["code"] for s in document["section"]]


def test_reporter_identity_only_when_not_anonymous_and_contact_is_needed():
    resources = example()
    assert "reporter-contact" in _sections(_handover(resources, reporter_contact_needed=True))
    not_needed = _handover(resources)
    assert "reporter-contact" not in _sections(not_needed)
    assert "Hendriks" not in str(not_needed.bundle)
    for ext in resources[DOC]["extension"]:
        if ext["url"] == extension_url("regie-reporter-anonymous"):
            ext["valueBoolean"] = True
    anonymous = _handover(resources, reporter_contact_needed=True)
    assert "reporter-contact" not in _sections(anonymous)
    redaction = anonymous.audit_event.entity[0].extension[0]
    assert "reporter identity" in redaction.extension[1].valueString


def test_a_cut_reporter_section_also_scrubs_the_reporters_name_from_free_text():
    # §4/§6: the reporter's identity must not reach the local team through other text either.
    resources = example()
    report = resources[DOC]["section"][0]
    report["text"]["div"] = report["text"]["div"].replace(
        "haar juf", "haar juf, mevrouw Yvonne Hendriks,")
    shared = _handover(resources)
    assert "reporter-contact" not in _sections(shared)
    text = json.dumps(shared.bundle)
    assert "Hendriks" not in text
    assert "Yvonne" not in text
    assert "mevrouw [weggelaten]" in text
    named = _handover(resources, reporter_contact_needed=True)
    assert "Yvonne Hendriks," in json.dumps(named.bundle)  # named when she may be


def test_a_professional_named_only_as_reporter_does_not_go_along():
    resources = example()
    decision = decide(resources.values(), request(
        WIJKTEAM, "handover", discloser=VT,
        legal_claim=claim("vt-statutory-task", covers_labels=("R",))),
        data=[resources[DOC], resources["Practitioner/devries-pract-hendriks"]])
    assert verdict(decision, DOC).permit
    assert not verdict(decision, "Practitioner/devries-pract-hendriks").permit


# ------------------------------------------------------------------ labels (§6)
def test_restricted_data_stays_behind_unless_the_basis_covers_the_label():
    resources = example()
    ask = request(WIJKTEAM, "handover", discloser=VT, legal_claim=claim("vt-statutory-task"))
    found = verdict(decide(resources.values(), ask, data=[resources[DOC]]), DOC)
    assert not found.permit
    assert "label R" in found.reasons[0]
    assert _handover(resources).decision.resources[0].permit


def test_very_restricted_needs_a_consent_covering_v():
    resources = example("household-hv-0417")
    ask = request("Organization/hv0417-org-opvang", "safety-planning",
                  discloser="Organization/hv0417-org-lokaalteam")
    plan = "CarePlan/hv0417-safety-plan"
    assert verdict(decide(resources.values(), ask), plan).permit
    resources["Consent/hv0417-consent"]["provision"]["securityLabel"] = [
        {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]
    found = verdict(decide(resources.values(), ask), plan)
    assert not found.permit
    assert "label V" in found.reasons[0]


def _sdv_consent(resources: dict, recipient: str, *labels: dict) -> None:
    """Henk's consent for ``recipient`` (the home-care nurse's meldcode trail for a GP)."""
    resources["Consent/vdberg-sdv"] = {
        "resourceType": "Consent", "id": "vdberg-sdv", "status": "active",
        "patient": {"reference": "Patient/vdberg-henk"}, "dateTime": "2026-08-20",
        "performer": [{"reference": "Patient/vdberg-henk"}],
        "verification": [{"verified": True, "verifiedWith": {"reference": "Patient/vdberg-henk"}}],
        "provision": {"type": "permit", "period": {"start": "2026-08-20", "end": "2027-08-20"},
                      "actor": [{"reference": {"reference": recipient}}],
                      "purpose": [purpose_coding("care-coordination")],
                      "class": [class_coding("signals")],
                      "securityLabel": list(labels)}}


def test_domestic_violence_data_goes_only_where_the_consent_names_sdv():
    resources = example("household-van-den-berg")
    gp = "Organization/vdberg-org-huisarts"
    ask = request(gp, discloser="Organization/vdberg-org-thuiszorg")
    _sdv_consent(resources, gp)
    found = verdict(decide(resources.values(), ask), SIGNAL)
    assert not found.permit
    assert "Consent/vdberg-sdv does not cover the label SDV" in found.reasons
    # A confidentiality code, even the highest, does not stand in for the sensitivity.
    _sdv_consent(resources, gp, {"system": "http://terminology.hl7.org/CodeSystem/"
                                           "v3-Confidentiality", "code": "V"})
    assert not verdict(decide(resources.values(), ask), SIGNAL).permit
    _sdv_consent(resources, gp, {"system": ACT_CODE, "code": "SDV"})
    assert verdict(decide(resources.values(), ask), SIGNAL).permit


def test_the_meldcode_reporting_right_carries_sdv_and_a_court_order_must_name_it():
    resources = example("household-van-den-berg")
    vt = "Organization/vt-noord-oost-gelderland"
    report = request(vt, "meldcode-report", discloser="Organization/vdberg-org-thuiszorg",
                     legal_claim=claim("meldcode-reporting-right"), directory={vt: "vt"})
    assert verdict(decide(resources.values(), report), SIGNAL).permit
    court = request(vt, "care-coordination", discloser="Organization/vdberg-org-thuiszorg",
                    legal_claim=claim("court-order", named_recipients=(vt,)))
    found = verdict(decide(resources.values(), court), SIGNAL)
    assert not found.permit
    assert "not invoked for the label SDV" in found.reasons[0]
    court = request(vt, "care-coordination", discloser="Organization/vdberg-org-thuiszorg",
                    legal_claim=claim("court-order", named_recipients=(vt,),
                                      covers_labels=("SDV",)))
    assert verdict(decide(resources.values(), court), SIGNAL).permit


def test_the_alleged_perpetrator_alert_is_withheld_on_its_own():
    resources = example()
    # Mark's consent, here for his GP, covers the household's composition but not SDV: the
    # household goes, the alert about him stays behind.
    consent = resources["Consent/devries-consent-mark"]
    consent["provision"]["actor"][0]["reference"]["reference"] = GP
    decision = decide(resources.values(), request(GP))
    assert verdict(decision, "Group/household-de-vries").permit
    alert = verdict(decision, MARK_ALERT)
    assert not alert.permit
    assert "Consent/devries-consent-mark does not cover the label SDV" in alert.reasons
    # With SDV in the consent it goes to the professional.
    consent["provision"]["securityLabel"] = [{"system": ACT_CODE, "code": "SDV"}]
    shared = share(resources.values(), request(GP))
    assert verdict(shared.decision, MARK_ALERT).permit
    [copy] = [e["resource"] for e in shared.bundle["entry"]
              if e["resource"]["resourceType"] == "Flag"]
    assert copy["id"] == "devries-alert-mark"
    # The label travels with the copy, so the recipient withholds it in turn.
    assert {"system": ACT_CODE, "code": "SDV"} in [
        {k: c[k] for k in ("system", "code")} for c in copy["meta"]["security"]]


def test_the_alert_never_reaches_the_household_or_the_perpetrator_side():
    resources = example()
    for consent in (r for r in resources.values() if r["resourceType"] == "Consent"):
        consent["provision"]["securityLabel"] = [{"system": ACT_CODE, "code": "SDV"}]
        consent["provision"]["class"].append(coding("regie-data-class", "household-composition"))
    shared = share(resources.values(), request(ADDICTION))
    assert not any(e["resource"]["resourceType"] == "Flag" for e in shared.bundle["entry"])
    assert "alleged-perpetrator" not in json.dumps(shared.bundle)


def test_the_alert_drives_the_adversary_rule_and_lifting_it_ends_it():
    resources = example()
    assert "06-12345678" not in str(share(resources.values(), request(ADDICTION)).bundle)
    resources[MARK_ALERT]["status"] = "inactive"   # the mark is lifted
    assert "06-12345678" in str(share(resources.values(), request(ADDICTION)).bundle)


def test_a_0_1_mark_inside_the_household_still_shields_the_victims():
    resources = example()
    resources.pop(MARK_ALERT)
    resources["Group/household-de-vries"]["member"][1]["extension"].append(
        {"url": extension_url("regie-household-flag"),
         "valueCodeableConcept": coding("regie-household-flag", "alleged-perpetrator")})
    assert "06-12345678" not in str(share(resources.values(), request(ADDICTION)).bundle)


# ------------------------------------------------------------------ anonymous advice (§3 step 2)
def test_anonymous_advice_strips_every_identifier():
    resources = example()
    ask = request(VT, "anonymous-advice", discloser=SCHOOL,
                  legal_claim=claim("meldcode-reporting-right"))
    shared = share(resources.values(), ask)
    text = str(shared.bundle)
    for secret in ("999990032", "Lotte", "de Vries", "Klarendalseweg", "06-12345678",
                   "2019-02-08", "Sanne", "Regenboog", "devries"):
        assert secret not in text, secret
    lotte = [e["resource"] for e in shared.bundle["entry"]
             if e["resource"]["resourceType"] == "Patient" and "4-11 jaar" in
             e["resource"].get("text", {}).get("div", "")]
    assert len(lotte) == 1
    assert not any(e["resource"]["resourceType"] in ("Practitioner", "Organization")
                   for e in shared.bundle["entry"])
    # Every copy says it was pseudonymised (v3 ObservationValue PSEUDED).
    assert all(
        {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
         "code": "PSEUDED", "display": "pseudonymized"} in e["resource"]["meta"]["security"]
        for e in shared.bundle["entry"])


def test_anonymous_advice_is_an_obligation_on_every_resource_and_in_the_audit_trail():
    resources = example()
    ask = request(VT, "anonymous-advice", discloser=SCHOOL,
                  legal_claim=claim("meldcode-reporting-right"))
    shared = share(resources.values(), ask)
    permitted = [d for d in shared.decision.resources if d.permit]
    assert permitted
    assert all(any(o.code == "strip-identifiers" for o in d.obligations) for d in permitted)
    recorded = str(shared.audit_event.model_dump(mode="json") if shared.audit_event else "")
    assert "identificerende gegevens verwijderd" in recorded


# ------------------------------------------------------------------ adversary rule (§6)
def test_a_recipient_serving_only_the_alleged_perpetrator_never_gets_victim_contacts():
    resources = example()
    shared = share(resources.values(), request(ADDICTION))
    sanne = verdict(shared.decision, "Patient/devries-sanne")
    assert sanne.permit   # her consent lets her name go ...
    assert {o.path for o in sanne.obligations} >= {"Patient.telecom", "Patient.address"}
    text = str(shared.bundle)
    for secret in ("06-12345678", "Klarendalseweg", "6822 GD", "06-23456789"):
        assert secret not in text, secret   # ... never her phone, address, or oma's phone


def test_the_adversary_rule_does_not_touch_other_recipients():
    resources = example()
    consent = resources["Consent/devries-consent-sanne-verslavingszorg"]
    consent["provision"]["actor"][0]["reference"]["reference"] = GP
    shared = share(resources.values(), request(GP))
    assert "06-12345678" in str(shared.bundle)


def test_the_adversary_rule_follows_who_the_recipient_serves():
    resources = example()
    ask = request(ADDICTION, serves=("Patient/devries-sanne",))  # also serves the victim
    shared = share(resources.values(), ask)
    assert "06-12345678" in str(shared.bundle)


def test_the_adversary_rule_shields_organisations_too():
    resources = example()
    resources["Organization/devries-org-wijkteam"]["address"] = [
        {"line": ["Opvanglaan 7"], "city": "Arnhem"}]
    shared = share(resources.values(), request(ADDICTION))
    assert verdict(shared.decision, WIJKTEAM).permit
    assert "Opvanglaan" not in str(shared.bundle)


# ------------------------------------------------------------------ at the moment
def test_a_moment_without_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        request(at=datetime(2026, 11, 20, 10, 0))


def test_overall_is_partial_when_some_go():
    assert decide(example().values(), request(SCHOOL)).overall == "partial"
    assert AT.tzinfo is not None


def test_the_adversary_rule_scrubs_a_victims_phone_from_free_text():
    resources = example()
    del resources["Consent/devries-consent-sanne-verslavingszorg"]   # her record does not go
    action = resources["Task/devries-agreement-wandelen"]
    action["description"] += " Sanne is bereikbaar op 06-12345678, Klarendalseweg 101."
    shared = share(resources.values(), request(ADDICTION))
    assert not verdict(shared.decision, "Patient/devries-sanne").permit
    copy = next(e["resource"] for e in shared.bundle["entry"]
                if e["resource"]["id"] == "devries-agreement-wandelen")
    # Free text goes to his side only when written for it: otherwise the placeholder.
    assert copy["description"] == PLACEHOLDER
    action["meta"]["tag"] = [{"system": codesystem_url("regie-text-audience"),
                              "code": "perpetrator-side"}]
    action["description"] += " Of bel 06\u00a012 34 56 78 of +31 6 1234 5678, zie 6822GD."
    shared = share(resources.values(), request(ADDICTION))
    copy = next(e["resource"] for e in shared.bundle["entry"]
                if e["resource"]["id"] == "devries-agreement-wandelen")
    assert copy["description"].startswith(action["description"][:20])   # marked: it goes
    for leak in ("06-12345678", "Klarendalseweg", "12 34 56 78", "6 1234 5678", "6822"):
        assert leak not in copy["description"], leak
    assert "[weggelaten]" in copy["description"]
