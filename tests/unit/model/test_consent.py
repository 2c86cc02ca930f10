"""Builders of docs/ig/consent.md: sharing consent and disclosure."""

from __future__ import annotations

import pytest

from fhir_regie.model import Deny, Disclosed, Redaction, disclosure, sharing_consent
from tests.unit.model.support import assert_rebuilds, assert_rule, example, rejected

WHEN = "2026-10-22T15:10:00+02:00"


def test_sharing_consent_rebuilds_the_gp_consent_of_daan():
    consent = sharing_consent(
        id="devries-consent-daan", client="Patient/devries-daan",
        given_by=["Patient/devries-daan", "Patient/devries-sanne"],
        on="2026-10-08T16:10:00+02:00", recipients="Organization/devries-org-huisarts",
        purposes="shared-plan-view", data_classes=["safety-plan", "agreed-actions"],
        period_start="2026-10-08", period_end="2027-10-08",
        recorded_by="Organization/devries-org-wijkteam", verified_with="Patient/devries-daan",
        verified_on="2026-10-08T16:10:00+02:00")
    assert_rebuilds(consent, "Consent/devries-consent-daan")


def test_sharing_consent_rebuilds_a_very_restricted_consent_with_a_deny():
    consent = sharing_consent(
        id="hv0417-consent", security_label="V", client="Patient/hv0417-s",
        given_by="Patient/hv0417-s", on=WHEN,
        recipients=["Organization/hv0417-org-lokaalteam", "Organization/hv0417-org-opvang"],
        purposes="safety-planning", data_classes=["safety-plan", "agreed-actions"],
        period_start="2026-10-22", period_end="2027-04-22", covers_labels="V",
        denies=[Deny(data_classes="address-location")],
        recorded_by="Organization/hv0417-org-lokaalteam", verified_with="Patient/hv0417-s",
        verified_on=WHEN)
    assert_rebuilds(consent, "Consent/hv0417-consent")


COMMON = {"client": "Patient/hv0417-s", "given_by": "Patient/hv0417-s", "on": WHEN,
          "recipients": "Organization/hv0417-org-lokaalteam", "purposes": "safety-planning",
          "data_classes": "safety-plan"}


def test_sharing_consent_without_source_or_verification_names_rg_cns_1():
    error = rejected(sharing_consent, **COMMON, period_start="2026-10-22")
    assert_rule(error, "rg-cns-1", "Consent")


def test_sharing_consent_without_period_names_the_element():
    error = rejected(sharing_consent, **COMMON, verified_with="Patient/hv0417-s")
    assert_rule(error, "Consent.provision.period", "Consent.provision")


def test_sharing_consent_unknown_codes():
    with pytest.raises(ValueError, match=r"data_classes: unknown data class 'everything'"):
        sharing_consent(**{**COMMON, "data_classes": "everything"}, period_start="2026-10-22",
                        verified_with="Patient/hv0417-s")
    with pytest.raises(ValueError, match=r"purposes: unknown purpose 'gossip'"):
        sharing_consent(**{**COMMON, "purposes": "gossip"}, period_start="2026-10-22",
                        verified_with="Patient/hv0417-s")
    with pytest.raises(ValueError, match=r"recipients: must refer to Organization"):
        sharing_consent(**{**COMMON, "recipients": "Patient/x"}, period_start="2026-10-22",
                        verified_with="Patient/hv0417-s")


def test_disclosure_rebuilds_a_gp_view_and_a_handover_with_redaction():
    view = disclosure(id="devries-disclosure-gp", kind="view", purpose="shared-plan-view",
                      discloser="Organization/devries-org-wijkteam",
                      recipient="PractitionerRole/devries-role-visser",
                      disclosed=["CarePlan/devries-safety-plan", "Patient/devries-lotte"],
                      legal_basis="consent", consent="Consent/devries-consent-lotte",
                      recorded="2026-11-12T09:41:27+01:00")
    assert_rebuilds(view, "AuditEvent/devries-disclosure-gp")
    source = example("AuditEvent/hv0417-disclosure-handover")
    reason = source["entity"][0]["extension"][0]["extension"][1]["valueString"]
    handover = disclosure(
        id="hv0417-disclosure-handover", security_label="V", kind="disclosure",
        purpose="handover", discloser="Organization/hv0417-org-vt",
        recipient="Organization/hv0417-org-lokaalteam",
        disclosed=[Disclosed("Composition/hv0417-handover-document",
                             [Redaction("Patient.address", reason)]),
                   "Goal/hv0417-condition-no-contact", "Goal/hv0417-condition-passport"],
        legal_basis="vt-statutory-task",
        justification=source["extension"][0]["extension"][1]["valueString"],
        inform_household=True, recorded="2026-10-20T16:05:12+02:00")
    assert_rebuilds(handover, "AuditEvent/hv0417-disclosure-handover")


BASIS = {"kind": "disclosure", "purpose": "handover", "discloser": "Organization/hv0417-org-vt",
         "recipient": "Organization/hv0417-org-lokaalteam",
         "disclosed": ["Goal/hv0417-condition-no-contact"],
         "recorded": "2026-10-20T16:05:12+02:00"}


@pytest.mark.parametrize(("extra", "rule"), [
    ({"legal_basis": "consent"}, "rg-dsb-1"),
    ({"legal_basis": "vital-interest"}, "rg-dsb-2"),
    ({"legal_basis": "vital-interest", "justification": "Direct gevaar voor S.",
      "inform_household": False}, "rg-dsb-3"),
])
def test_disclosure_basis_rules(extra, rule):
    error = rejected(disclosure, **BASIS, **extra)
    assert_rule(error, rule, "AuditEvent.extension[0]", "Direct gevaar voor S.")


def test_disclosure_of_nothing_names_the_entity_element():
    error = rejected(disclosure, **{**BASIS, "disclosed": []}, legal_basis="vt-statutory-task",
                     justification="Wettelijke taak.")
    assert_rule(error, "AuditEvent.entity", "AuditEvent")


def test_disclosure_unknown_legal_basis_and_kind():
    with pytest.raises(ValueError, match=r"'curiosity' in code system regie-legal-basis"):
        disclosure(**BASIS, legal_basis="curiosity")
    with pytest.raises(ValueError, match=r"kind: unknown audit event kind 'leak'"):
        disclosure(**{**BASIS, "kind": "leak"}, legal_basis="consent")
    with pytest.raises(ValueError, match=r"purpose: unknown purpose 'gossip'"):
        disclosure(**{**BASIS, "purpose": "gossip"}, legal_basis="consent")


def test_disclosure_recipient_is_never_a_bare_practitioner():
    # the organisation a person acts for must be known: a PractitionerRole, not a Practitioner
    with pytest.raises(ValueError, match=r"recipient: must refer to Organization or "
                                         r"PractitionerRole, not Practitioner"):
        disclosure(**{**BASIS, "recipient": "Practitioner/devries-pract-visser"},
                   legal_basis="vt-statutory-task", justification="Wettelijke taak.")


def test_standard_codes_where_hl7_has_them():
    """Purposes COC/THREAT (v3 ActReason), classes as profile canonicals, and the audit event
    typed as IHE BALP's privacy disclosure; local codes only where nothing standard exists."""
    consent = sharing_consent(**{**COMMON, "purposes": ["care-coordination", "safety-planning",
                                                        "handover"],
                                 "data_classes": ["safety-scores", "safety-plan"]},
                              period_start="2026-10-22", verified_with="Patient/hv0417-s")
    provision = consent.provision
    assert [(c.system, c.code) for c in provision.purpose] == [
        ("http://terminology.hl7.org/CodeSystem/v3-ActReason", "COC"),
        ("http://terminology.hl7.org/CodeSystem/v3-ActReason", "THREAT"),
        ("https://fhir-regie.nl/fhir/CodeSystem/regie-sharing-purpose", "handover")]
    assert [(c.system, c.code) for c in provision.class_fhir] == [
        ("urn:ietf:rfc:3986",
         "https://fhir-regie.nl/fhir/StructureDefinition/regie-safety-scale-score"),
        ("https://fhir-regie.nl/fhir/CodeSystem/regie-data-class", "safety-plan")]
    event = disclosure(**BASIS, legal_basis="vt-statutory-task", justification="Wettelijke taak.")
    assert (event.type.system, event.type.code) == (
        "http://dicom.nema.org/resources/ontology/DCM", "110106")
    assert [(c.system, c.code) for c in event.subtype] == [
        ("http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle", "disclose")]
    assert event.action == "R"
