"""The disclosure guard: copies, never the input; one valid regie-disclosure AuditEvent per
basis, with references and reasons only."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle

from fhir_regie.consent import share
from fhir_regie.consent.guard import PROJECTED
from fhir_regie.ig import profile_url
from fhir_regie.model import to_json
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count

from .conftest import ADDICTION, GP, SCHOOL, VT, WIJKTEAM, claim, example, request


def basis(event):
    """The parts of the basis extension, by name."""
    return {e.url: e for e in event.extension[0].extension}


PERSONAL = ("999990007", "999990032", "Sanne", "Lotte", "Klarendalseweg", "06-12345678",
            "1990-04-12", "2019-02-08", "Mulder", "Hendriks")


def test_share_never_changes_its_input():
    resources = example()
    before = json.dumps(list(resources.values()), sort_keys=True)
    for ask in (request(ADDICTION), request(VT, "anonymous-advice", discloser=SCHOOL,
                                            legal_claim=claim("meldcode-reporting-right"))):
        shared = share(resources.values(), ask)
        assert shared.bundle["entry"]
    assert json.dumps(list(resources.values()), sort_keys=True) == before


def test_the_copies_are_not_the_input_objects():
    resources = example()
    shared = share(resources.values(), request(SCHOOL))
    originals = {id(r) for r in resources.values()}
    assert all(id(e["resource"]) not in originals for e in shared.bundle["entry"])


def test_the_bundle_is_a_collection_fhir_can_read():
    shared = share(example().values(), request(SCHOOL))
    bundle = Bundle.model_validate(shared.bundle)
    assert bundle.type == "collection"
    assert len(bundle.entry) == len(shared.decision.permitted)


def test_the_audit_event_validates_against_regie_disclosure():
    shared = share(example().values(), request(ADDICTION))
    assert shared.audit_events
    for event in shared.audit_events:
        outcome = validate_resource(to_json(event), profile=profile_url("regie-disclosure"))
        assert error_count(outcome) == 0, outcome


def test_the_audit_event_records_recipient_purpose_basis_and_redactions():
    shared = share(example().values(), request(ADDICTION))
    events = {basis(e)["consent"].valueReference.reference: to_json(e)
              for e in shared.audit_events if "consent" in basis(e)}
    sanne = events["Consent/devries-consent-sanne-verslavingszorg"]
    assert sanne["purposeOfEvent"][0]["coding"][0]["code"] == "COC"  # v3 ActReason
    assert [a["who"]["reference"] for a in sanne["agent"]] == [WIJKTEAM, ADDICTION]
    entity = next(e for e in sanne["entity"] if e["what"]["reference"] ==
                  "Patient/devries-sanne")
    redactions = [{part["url"]: part["valueString"] for part in r["extension"]}
                  for r in entity["extension"]]
    # First what the decision cut (the adversary rule), then what the projection for an
    # organisation serving the alleged perpetrator does not list: paths only, no values.
    assert [r["path"] for r in redactions[:2]] == ["Patient.telecom", "Patient.address"]
    assert all(r["reason"].startswith("adversary rule") for r in redactions[:2])
    projected = {r["path"] for r in redactions[2:]}
    assert "Patient.generalPractitioner" in projected
    assert all(r["reason"] == PROJECTED for r in redactions[2:])


def test_the_audit_event_lists_what_stayed_behind():
    shared = share(example().values(), request(SCHOOL))
    event = to_json(shared.audit_event)
    withheld = [e["what"]["reference"] for e in event["entity"]
                if any("niet verstrekt" in p.get("valueString", "")
                       for r in e.get("extension", []) for p in r["extension"])]
    denied = [d.reference for d in shared.decision.resources if not d.permit]
    assert withheld == denied
    assert "Observation/devries-log-near-miss" in withheld


def test_the_audit_event_holds_no_personal_data():
    for ask in (request(SCHOOL), request(ADDICTION), request(
            VT, "meldcode-report", discloser=SCHOOL,
            legal_claim=claim("meldcode-reporting-right"))):
        for event in share(example().values(), ask).audit_events:
            text = json.dumps(to_json(event), ensure_ascii=False)
            assert not [p for p in PERSONAL if p in text]


def test_legal_basis_events_carry_justification_and_informing():
    ask = request(VT, "meldcode-report", discloser=SCHOOL,
                  legal_claim=claim("meldcode-reporting-right",
                                    justification="Stap 5: melden, structurele onveiligheid."))
    event = share(example().values(), ask).audit_event
    parts = basis(event)
    assert parts["legal-basis"].valueCodeableConcept.coding[0].code == \
        "meldcode-reporting-right"
    assert parts["justification"].valueString.startswith("Stap 5")
    assert parts["inform-household"].valueBoolean is True
    assert "consent" not in parts


def test_one_event_per_consent_used():
    shared = share(example().values(), request(GP, "shared-plan-view"))
    consents = sorted(basis(e)["consent"].valueReference.reference
                      for e in shared.audit_events)
    assert consents == ["Consent/devries-consent-daan", "Consent/devries-consent-lotte"]
    assert {(e.type.code, e.subtype[0].code) for e in shared.audit_events} == {
        ("110110", "access")}


def test_nothing_disclosed_means_no_event_and_an_empty_bundle():
    shared = share(example().values(), request("Organization/unknown"))
    assert shared.bundle["entry"] == []
    assert shared.audit_events == ()


def test_a_very_restricted_disclosure_is_itself_labelled():
    resources = example("household-hv-0417")
    shared = share(resources.values(), request(
        "Organization/hv0417-org-opvang", "safety-planning",
        discloser="Organization/hv0417-org-lokaalteam"))
    assert shared.audit_event.meta.security[0].code == "V"
