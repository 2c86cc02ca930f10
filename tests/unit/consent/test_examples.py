"""The example households give the expected decisions for school, GP, youth health care,
Veilig Thuis and an organisation serving the alleged perpetrator (issue 5, done-when)."""

from __future__ import annotations

import json

from fhir_regie.consent import decide, share

from .conftest import ADDICTION, GP, JGZ, SCHOOL, VT, WIJKTEAM, claim, example, request, verdict


def permitted(decision):
    return {d.reference for d in decision.resources if d.permit}


def test_school_gets_lottes_plans_but_no_health_data_and_nothing_about_daan():
    decision = decide(example().values(), request(SCHOOL))
    got = permitted(decision)
    assert decision.overall == "partial"
    assert {"CarePlan/devries-safety-plan", "CarePlan/devries-support-plan",
            "Condition/devries-concern-school", "Task/devries-agreement-wandelen"} <= got
    assert "Task/devries-action-verslavingszorg" not in got       # health data (deny)
    assert "Goal/devries-goal-daan" not in got                     # Daan: no consent for school
    assert "Patient/devries-lotte" not in got                      # composition not consented
    assert all(verdict(decision, r).basis.consent == "Consent/devries-consent-lotte"
               for r in got if not r.startswith(("Practitioner", "Organization"))
               and not r.startswith("PractitionerRole"))


def test_gp_views_the_plans_of_both_children():
    decision = decide(example().values(), request(GP, "shared-plan-view"))
    got = permitted(decision)
    assert {"Goal/devries-goal-daan", "Condition/devries-concern-school",
            "CarePlan/devries-safety-plan"} <= got
    assert "Observation/devries-log-near-miss" not in got          # safety log not consented
    assert "Condition/devries-risk-alcohol" not in got             # Mark's: no consent


def test_youth_health_care_gets_lottes_safety_plan_and_scores():
    decision = decide(example().values(), request(JGZ, "shared-plan-view"))
    got = permitted(decision)
    assert {"CarePlan/devries-safety-plan", "Observation/devries-score-1-sanne-nov05"} <= got
    assert "CarePlan/devries-support-plan" not in got
    assert verdict(decision, "CarePlan/devries-safety-plan").basis.consent == \
        "Consent/devries-consent-lotte-jgz"
    assert not verdict(decide(example().values(), request(JGZ, "care-coordination")),
                       "CarePlan/devries-safety-plan").permit


def test_veilig_thuis_receives_a_meldcode_report_without_consent():
    ask = request(VT, "meldcode-report", discloser=SCHOOL,
                  legal_claim=claim("meldcode-reporting-right"))
    decision = decide(example().values(), ask)
    assert verdict(decision, "Patient/devries-lotte").permit
    assert verdict(decision, "Observation/devries-log-near-miss").basis.legal_basis == \
        "meldcode-reporting-right"
    assert not verdict(decision, "Condition/devries-risk-alcohol").permit   # health data
    without = decide(example().values(), request(VT, "meldcode-report", discloser=SCHOOL))
    assert without.overall == "deny"


def test_veilig_thuis_hands_over_to_the_local_team_on_its_statutory_task():
    ask = request(WIJKTEAM, "handover", discloser=VT,
                  legal_claim=claim("vt-statutory-task", covers_labels=("R",)))
    decision = decide(example().values(), ask)
    assert verdict(decision, "Composition/devries-handover-document").permit
    assert verdict(decision, "Task/devries-handover").permit


def test_the_organisation_serving_only_mark_never_sees_sannes_contacts():
    shared = share(example().values(), request(ADDICTION))
    got = permitted(shared.decision)
    assert {"Patient/devries-mark", "Patient/devries-sanne", "Task/devries-action-verslavingszorg",
            "Condition/devries-risk-alcohol", "CarePlan/devries-safety-plan"} <= got
    assert "Patient/devries-lotte" not in got
    assert "Patient/devries-daan" not in got
    text = json.dumps(shared.bundle)
    assert "06-12345678" not in text
    assert "Klarendalseweg" not in text
    assert "06-23456789" not in text                               # oma Ria: safety network


def test_the_honour_case_goes_to_the_shelter_only_without_whereabouts():
    resources = example("household-hv-0417")
    shelter = request("Organization/hv0417-org-opvang", "safety-planning",
                      discloser="Organization/hv0417-org-lokaalteam")
    decision = decide(resources.values(), shelter)
    assert verdict(decision, "CarePlan/hv0417-safety-plan").permit
    assert not verdict(decision, "Patient/hv0417-s").permit        # composition not consented
    family = request("Organization/hv0417-org-vt", "safety-planning",
                     discloser="Organization/hv0417-org-lokaalteam")
    assert decide(resources.values(), family).overall == "deny"


def test_henks_mentor_consent_serves_the_dementia_network():
    resources = example("household-van-den-berg")
    ask = request("Organization/vdberg-org-dementienetwerk", "care-coordination",
                  discloser="Organization/vdberg-org-sociaalteam")
    decision = decide(resources.values(), ask)
    assert verdict(decision, "CarePlan/vdberg-support-plan").permit
    assert not verdict(decision, "Observation/vdberg-signal-bruises").permit  # signals: no


def test_gp_and_youth_health_care_still_see_the_coordinator_and_her_work_contact():
    """The projection for professionals keeps the coordinating organisation and the
    coordinator's work phone (issue 17); the strict one for Mark's side does not."""
    resources = example()
    resources["PractitionerRole/devries-role-jansen"]["telecom"] = [
        {"system": "phone", "value": "026-3770999", "use": "work"}]
    resources["Organization/devries-org-wijkteam"]["telecom"] = [
        {"system": "phone", "value": "026-3770000", "use": "work"}]
    for recipient in (GP, JGZ):
        shared = share(resources.values(), request(recipient, "shared-plan-view"))
        copies = {f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"]
                  for e in shared.bundle["entry"]}
        assert copies["Organization/devries-org-wijkteam"]["name"] == \
            resources["Organization/devries-org-wijkteam"]["name"]
        assert copies["Organization/devries-org-wijkteam"]["telecom"][0]["value"] == \
            "026-3770000"
        assert copies["PractitionerRole/devries-role-jansen"]["telecom"][0]["value"] == \
            "026-3770999"
        assert "Practitioner/devries-pract-jansen" in copies
    mark_side = json.dumps(share(resources.values(), request(ADDICTION)).bundle)
    assert "026-3770999" not in mark_side


def test_a_signature_goes_exactly_where_its_plan_goes():
    """A plan signature (regie-plan-signature) is judged as the plan it signs: with the plan
    for JGZ (Lotte's safety plan), not for JGZ's view of the support plan it did not get."""
    resources = example()
    decision = decide(resources.values(), request(JGZ, "shared-plan-view"))
    assert verdict(decision, "CarePlan/devries-safety-plan").permit
    assert verdict(decision, "Provenance/devries-safety-plan-signed").permit
    assert not verdict(decision, "CarePlan/devries-support-plan").permit
    assert not verdict(decision, "Provenance/devries-support-plan-signed").permit
    # A signature whose plan is not at hand has no data class: never shared.
    del resources["CarePlan/devries-safety-plan"]
    alone = decide(resources.values(), request(JGZ, "shared-plan-view"))
    assert not verdict(alone, "Provenance/devries-safety-plan-signed").permit


def test_the_signature_data_itself_never_goes():
    """Who signed which version and when goes, as the signature extension did; the signed
    blob (signature.data) is not on any projection's list."""
    resources = example()
    signed = resources["Provenance/devries-safety-plan-signed"]
    signed["signature"][0]["data"] = "c2lnbmVk"
    shared = share(list(resources.values()), request(JGZ, "shared-plan-view"))
    [copy] = [e["resource"] for e in shared.bundle["entry"]
              if e["resource"]["resourceType"] == "Provenance"
              and e["resource"]["id"] == "devries-safety-plan-signed"]
    assert "data" not in copy["signature"][0]
    assert copy["target"] == [{"reference": "CarePlan/devries-safety-plan/_history/1"}]
    plan = next(e["resource"] for e in shared.bundle["entry"]
                if e["resource"].get("id") == "devries-safety-plan")
    assert plan["meta"]["versionId"] == "1"   # the recipient can tell which version was signed


def test_the_safety_person_is_withheld_from_marks_side_but_stays_for_veilig_thuis():
    """The safety person lives in the care team (role veiligheidspersoon) since 0.2: cut from
    the team on the alleged perpetrator's side, as the plan's extension was withheld there;
    the rest of the team goes. Veilig Thuis, on a meldcode report, still sees her."""
    shared = share(example().values(), request(ADDICTION))
    teams = [e["resource"] for e in shared.bundle["entry"]
             if e["resource"]["resourceType"] == "CareTeam"]
    assert teams
    for team in teams:
        assert "veiligheidspersoon" not in json.dumps(team)
        assert "RelatedPerson/devries-oma-ria" not in json.dumps(team)
    vt = share(example().values(), request(VT, "meldcode-report", discloser=SCHOOL,
                                           legal_claim=claim("meldcode-reporting-right")))
    vt_teams = [e["resource"] for e in vt.bundle["entry"]
                if e["resource"]["resourceType"] == "CareTeam"]
    assert any("veiligheidspersoon" in json.dumps(team) for team in vt_teams)
