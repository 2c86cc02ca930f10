"""The rules of the domain brief in ``checks.py``: each one fires on a variant of an example that
breaks it, and is silent on the example (or a variant) that keeps it."""

from __future__ import annotations

import json
from datetime import date

from fhir_regie.ig import codesystem_url, extension_url, profile_url
from fhir_regie.workflow import checks
from fhir_regie.workflow.guards import can_close_plan
from fhir_regie.workflow.regions import load_region
from fhir_regie.workflow.status import household_status, status_lines

from .conftest import add, build, example_resources, log_entry

AT = date(2026, 11, 25)
DE_VRIES, VDBERG, HV = "household-de-vries", "household-van-den-berg", "household-hv-0417"


def rules(found) -> list[str]:
    return [f.rule for f in found]


def coding(system: str, code: str) -> dict:
    return {"coding": [{"system": codesystem_url(system), "code": code}]}


def ext(extension_id: str, **value) -> dict:
    return {"url": extension_url(extension_id), **value}


def drop_ext(resource: dict, extension_id: str) -> None:
    resource["extension"] = [e for e in resource.get("extension", [])
                             if e.get("url") != extension_url(extension_id)]


# ------------------------------------------------------------------------------ §1-2

def test_a_second_active_casusregisseur_is_a_finding():
    resources = example_resources(DE_VRIES)
    assert checks.one_casusregisseur(build(resources, DE_VRIES), AT) == []
    team = resources["CareTeam/devries-careteam"]
    team["participant"].append({"role": [coding("regie-role", "casusregisseur")],
                                "member": {"reference": "Practitioner/devries-pract-hendriks"},
                                "period": {"start": "2026-11-01"}})
    [finding] = checks.one_casusregisseur(build(resources, DE_VRIES), AT)
    assert "2 active casusregisseurs" in finding.message
    # Ended before `at`: a successor, not a second one.
    team["participant"][-1]["period"]["end"] = "2026-11-10"
    assert checks.one_casusregisseur(build(resources, DE_VRIES), AT) == []


def test_unsafety_without_a_safety_plan_starts_the_safety_track():
    resources = example_resources(DE_VRIES)
    assert checks.safety_track_started(build(resources, DE_VRIES), AT) == []
    del resources["CarePlan/devries-safety-plan"]
    [finding] = checks.safety_track_started(build(resources, DE_VRIES), AT)
    assert "no safety plan" in finding.message
    assert "Task/devries-handover" in finding.message  # the handover shows the unsafety
    del resources["CarePlan/devries-support-plan"]
    assert len(checks.safety_track_started(build(resources, DE_VRIES), AT)) == 2


def test_a_meldcode_suspicion_is_unsafety_and_a_later_plan_does_not_count_yet():
    resources = example_resources(VDBERG)  # question 1 answered yes on 20 August
    assert checks.safety_track_started(build(resources, VDBERG), AT) == []
    # Both plans start on 26 August, after the meldcode decision of 20 August.
    found = checks.safety_track_started(build(resources, VDBERG), date(2026, 8, 21))
    assert len(found) == 2
    assert "meldcode Patient/vdberg-henk: organise-help" in found[0].message


def test_no_unsafety_no_safety_track_finding():
    resources = {k: v for k, v in example_resources(DE_VRIES).items()
                 if not k.startswith(("CarePlan/", "Task/devries-handover", "Condition/"))}
    assert checks.safety_track_started(build(resources, DE_VRIES), AT) == []
    add(resources, log_entry("incident", "2026-11-01T20:00:00+01:00", "incident"))
    assert rules(checks.safety_track_started(build(resources, DE_VRIES), AT)) == [
        "safety-track-started", "safety-track-started"]


def test_the_safety_plan_comes_first_and_is_signed_by_the_client():
    resources = example_resources(DE_VRIES)
    assert checks.safety_plan_signed_first(build(resources, DE_VRIES), AT) == []
    plan = resources["CarePlan/devries-safety-plan"]
    plan["period"]["start"] = "2026-10-20"
    [late] = checks.safety_plan_signed_first(build(resources, DE_VRIES), AT)
    assert "support plan started on 2026-10-08, the safety plan on 2026-10-20" in late.message
    plan["period"]["start"] = "2026-10-01"
    signed = resources.pop("Provenance/devries-safety-plan-signed")
    [unsigned] = checks.safety_plan_signed_first(build(resources, DE_VRIES), AT)
    assert unsigned.subject == "CarePlan/devries-safety-plan"
    assert "not signed by the client" in unsigned.message
    # A professional's signature is not the client's.
    resources["Provenance/smit-signed"] = {
        **signed, "id": "smit-signed",
        "agent": [{"who": {"reference": "Practitioner/devries-pract-smit"}}],
        "signature": [{**signed["signature"][0],
                       "who": {"reference": "Practitioner/devries-pract-smit"}}]}
    assert rules(checks.safety_plan_signed_first(build(resources, DE_VRIES), AT)) == [
        "safety-plan-signed-first"]


def test_a_signature_counts_only_for_the_version_it_names():
    """An edit after the meeting makes a new version: the client's signature on version 1 does
    not carry over, until the client signs the new version."""
    resources = example_resources(DE_VRIES)
    plan = resources["CarePlan/devries-safety-plan"]
    assert checks.safety_plan_signed_first(build(resources, DE_VRIES), AT) == []
    plan["meta"] = {**plan["meta"], "versionId": "2"}
    plan["description"] = "Aangepast na het overleg."
    [unsigned] = checks.safety_plan_signed_first(build(resources, DE_VRIES), AT)
    assert unsigned.subject == "CarePlan/devries-safety-plan"
    # A plan without a version has nothing a signature could name.
    del plan["meta"]["versionId"]
    assert rules(checks.safety_plan_signed_first(build(resources, DE_VRIES), AT)) == [
        "safety-plan-signed-first"]
    # A signature naming the plan without its version counts for no version.
    plan["meta"]["versionId"] = "1"
    signed = resources["Provenance/devries-safety-plan-signed"]
    signed["target"] = [{"reference": "CarePlan/devries-safety-plan"}]
    assert rules(checks.safety_plan_signed_first(build(resources, DE_VRIES), AT)) == [
        "safety-plan-signed-first"]
    # Signing the new version counts again.
    signed["target"] = [{"reference": "CarePlan/devries-safety-plan/_history/1"}]
    assert checks.safety_plan_signed_first(build(resources, DE_VRIES), AT) == []


def test_an_acceptance_counts_only_for_the_version_accepted():
    """The local team accepted version 1 of the document; when the handover later names
    version 2, that content is not accepted (and an acceptance that names no version is
    reported too)."""
    resources = example_resources(DE_VRIES)
    task = resources["Task/devries-handover"]
    assert checks.handover_version_accepted(build(resources, DE_VRIES), AT) == []
    task["focus"] = {"reference": "Composition/devries-handover-document/_history/2"}
    [changed] = checks.handover_version_accepted(build(resources, DE_VRIES), AT)
    assert changed.subject == "Task/devries-handover"
    assert "_history/1" in changed.message
    assert "_history/2" in changed.message
    task["output"] = []
    [none] = checks.handover_version_accepted(build(resources, DE_VRIES), AT)
    assert "which version" in none.message


def test_the_next_meeting_is_fixed():
    resources = example_resources(DE_VRIES)
    assert checks.next_meeting_fixed(build(resources, DE_VRIES), AT) == []
    [passed] = checks.next_meeting_fixed(build(resources, DE_VRIES), date(2026, 12, 11))
    assert "2026-12-10" in passed.message
    drop_ext(resources["CarePlan/devries-support-plan"], "regie-next-meeting")
    [missing] = checks.next_meeting_fixed(build(resources, DE_VRIES), AT)
    assert "no date for the next meeting" in missing.message


def test_a_support_plan_without_phase_title_team_or_responsibilities_is_a_finding():
    """Since 0.2 the profile lets such a plan validate (a case system's export); the rule lives
    here as the finding support-plan-complete."""
    resources = example_resources(DE_VRIES)
    assert checks.support_plan_complete(build(resources, DE_VRIES), AT) == []
    plan = resources["CarePlan/devries-support-plan"]
    drop_ext(plan, "regie-1g1p1r-phase")
    del plan["title"], plan["careTeam"]
    plan["extension"] = [e for e in plan["extension"]
                         if e["url"] != extension_url("regie-responsibility")
                         or "resolving-stagnation" not in str(e)]
    [finding] = checks.support_plan_complete(build(resources, DE_VRIES), AT)
    assert finding.rule == "support-plan-complete"
    assert finding.subject == "CarePlan/devries-support-plan"
    assert finding.message == ("the support plan lacks: the 1G1P1R phase, a title, the care "
                               "team, the responsibility statement for resolving-stagnation (§2)")
    from fhir_regie.messages import tell
    assert tell(finding.message).startswith("het ondersteuningsplan mist: de 1G1P1R-fase")
    assert "support-plan-complete" in rules(checks.process_findings(
        build(resources, DE_VRIES), load_region("default"), AT))


def test_the_start_meeting_is_prepared_with_consent():
    resources = example_resources(DE_VRIES)
    assert checks.start_meeting_consent(build(resources, DE_VRIES), AT) == []
    for ref in [k for k in resources if k.startswith("Consent/")]:
        resources[ref]["status"] = "inactive"
    [finding] = checks.start_meeting_consent(build(resources, DE_VRIES), AT)
    assert finding.subject == "CarePlan/devries-support-plan"
    # Before the plan started (8 October) there was no start meeting to prepare yet.
    assert checks.start_meeting_consent(build(resources, DE_VRIES), date(2026, 10, 7)) == []


def test_an_alleged_perpetrator_consenting_alone_for_a_child_under_12_is_shown():
    resources = example_resources(DE_VRIES)
    # Lotte (7): both parents consented, one of them flagged: no finding.
    assert checks.perpetrator_consents_alone(build(resources, DE_VRIES), AT) == []
    for consent_id in ("devries-consent-lotte", "devries-consent-lotte-jgz"):
        resources[f"Consent/{consent_id}"]["performer"] = [
            {"reference": "Patient/devries-mark"}]
    found = checks.perpetrator_consents_alone(build(resources, DE_VRIES), AT)
    assert [f.subject for f in found] == ["Consent/devries-consent-lotte",
                                          "Consent/devries-consent-lotte-jgz"]
    assert "issue 21" in found[0].message
    # The same for a child of 12 or over is the consent rules' matter (child and parent).
    resources["Consent/devries-consent-daan"]["performer"] = [
        {"reference": "Patient/devries-daan"}, {"reference": "Patient/devries-mark"}]
    assert len(checks.perpetrator_consents_alone(build(resources, DE_VRIES), AT)) == 2


# ------------------------------------------------------------------------------ §3

def _decide_report(resources: dict) -> None:
    step5 = resources["Task/vdberg-meldcode-step-5"]
    for item in step5["extension"]:
        if item["url"] == extension_url("regie-meldcode-decision"):
            item["valueCodeableConcept"] = coding("regie-meldcode-decision", "report-to-vt")


def _conversation(resources: dict) -> dict:
    return next(e for e in resources["Task/vdberg-meldcode-step-3"]["extension"]
                if e["url"] == extension_url("regie-client-conversation"))


def test_a_report_is_discussed_with_the_client_first():
    resources = example_resources(VDBERG)
    _decide_report(resources)
    conversation = _conversation(resources)
    # The example's conversation was with Gerda (the carer), not with Henk, the client.
    [finding] = checks.conversation_before_report(build(resources, VDBERG), AT)
    conversation["extension"] = [
        {"url": "held", "valueBoolean": True}, {"url": "reaction", "valueString": "boos"},
        {"url": "with", "valueReference": {"reference": "Patient/vdberg-henk"}}]
    assert checks.conversation_before_report(build(resources, VDBERG), AT) == []
    conversation["extension"][-1] = {"url": "with",
                                     "valueReference": {"reference": "Patient/vdberg-gerda"}}
    [finding] = checks.conversation_before_report(build(resources, VDBERG), AT)
    assert finding.subject == "Patient/vdberg-henk"
    assert "with the client" in finding.message
    # Skipped with a recorded reason: allowed.
    conversation["extension"] = [
        {"url": "held", "valueBoolean": False},
        {"url": "skip-reason", "valueCodeableConcept": coding("regie-conversation-skip-reason",
                                                              "safety-at-stake")}]
    assert checks.conversation_before_report(build(resources, VDBERG), AT) == []


def test_a_report_about_a_young_child_is_discussed_with_a_parent():
    resources = example_resources(VDBERG)
    _decide_report(resources)
    group = resources["Group/household-van-den-berg"]
    henk = resources["Patient/vdberg-henk"]
    henk["birthDate"] = "2017-03-01"  # 9 years old: the parent, not the child
    group["member"][1]["extension"] = [
        e if e["url"] != extension_url("regie-household-role") else
        ext("regie-household-role", valueCodeableConcept=coding("regie-household-role",
                                                                 "parent"))
        for e in group["member"][1]["extension"]]
    conversation = _conversation(resources)
    conversation["extension"] = [
        {"url": "held", "valueBoolean": True}, {"url": "reaction", "valueString": "ok"},
        {"url": "with", "valueReference": {"reference": "Patient/vdberg-henk"}}]
    [finding] = checks.conversation_before_report(build(resources, VDBERG), AT)
    assert "with a parent" in finding.message
    conversation["extension"][-1] = {"url": "with",
                                     "valueReference": {"reference": "Patient/vdberg-gerda"}}
    assert checks.conversation_before_report(build(resources, VDBERG), AT) == []


def test_female_genital_mutilation_needs_the_specialist():
    resources = example_resources(VDBERG)
    assert checks.fgm_specialist(build(resources, VDBERG), AT) == []
    step1 = resources["Task/vdberg-meldcode-step-1"]
    step1.setdefault("extension", []).append(ext(
        "regie-violence-type",
        valueCodeableConcept=coding("regie-violence-type", "female-genital-mutilation")))
    [finding] = checks.fgm_specialist(build(resources, VDBERG), AT)
    assert finding.subject == "Patient/vdberg-henk"
    step2 = resources["Task/vdberg-meldcode-step-2"]
    for item in step2["extension"]:
        if item["url"] == extension_url("regie-consultation"):
            for part in item["extension"]:
                if part["url"] == "consultee":
                    part["valueCodeableConcept"] = coding("regie-consultee-type", "specialist")
    assert checks.fgm_specialist(build(resources, VDBERG), AT) == []


# ------------------------------------------------------------------------------ §4

def test_the_local_teams_safety_plan_names_risk_factors_help_and_vt_conditions():
    resources = example_resources(DE_VRIES)
    assert checks.local_team_safety_plan(build(resources, DE_VRIES), AT) == []
    plan = resources["CarePlan/devries-safety-plan"]
    plan["addresses"] = [a for a in plan.get("addresses", [])
                         if a["reference"] != "Condition/devries-risk-alcohol"]
    activity = plan.pop("activity")
    found = checks.local_team_safety_plan(build(resources, DE_VRIES), AT)
    assert [f.message.split(" (")[0] for f in found] == [
        "the safety plan names no risk factor that caused or sustains the unsafety",
        "the safety plan names no support, help or treatment"]
    plan["activity"] = activity
    resources["Goal/devries-goal-safety"]["category"] = [coding("regie-goal-type",
                                                                "safety-condition")]
    resources["Goal/devries-goal-safety"]["id"] = "devries-goal-safety"
    plan["goal"] = []
    found = checks.local_team_safety_plan(build(resources, DE_VRIES), AT)
    assert "Goal/devries-goal-safety" in found[-1].message


def test_closing_during_vt_monitoring_says_to_inform_vt():
    resources = example_resources(HV)
    result = can_close_plan(build(resources, HV), load_region("haaglanden"), AT)
    [finding] = [f for f in result.findings if f.rule == "close-during-vt-monitoring"]
    assert finding.advisory
    assert "until 2027-10-20" in finding.message
    # After the last moment (monitoring recorded as done) there is nothing to inform about.
    for day in ("2027-01-21", "2027-10-21"):
        add(resources, {"resourceType": "AuditEvent", "id": f"mon-{day}",
                        "recorded": f"{day}T10:00:00+01:00",
                        "purposeOfEvent": [coding("regie-sharing-purpose", "vt-monitoring")]})
    result = can_close_plan(build(resources, HV), load_region("haaglanden"), date(2027, 11, 1))
    assert "close-during-vt-monitoring" not in rules(result.findings)


def test_the_route_fits_the_case_weight_of_the_region(tmp_path):
    resources = example_resources(DE_VRIES)  # middelzwaar, direct after the assessment
    region = load_region("default")
    assert checks.case_weight_route(build(resources, DE_VRIES), region, AT) == []
    task = resources["Task/devries-handover"]
    for item in task["extension"]:
        if item["url"] == extension_url("regie-case-weight"):
            item["valueCodeableConcept"] = coding("regie-case-weight", "zwaar")
    [finding] = checks.case_weight_route(build(resources, DE_VRIES), region, AT)
    assert "case weight zwaar goes by after-voorwaarden-en-vervolg or after-onderzoek" in \
        finding.message
    path = tmp_path / "direct.yaml"
    path.write_text("name: direct\ntitle: D\ncase_weight:\n  zwaar_routes: "
                    "[direct-after-assessment, after-onderzoek]\n", encoding="utf-8")
    assert checks.case_weight_route(build(resources, DE_VRIES), load_region(str(path)),
                                    AT) == []


# ------------------------------------------------------------------------------ §5

def test_a_safety_plan_completed_within_a_year_is_advice():
    resources = example_resources(DE_VRIES)
    plan = resources["CarePlan/devries-safety-plan"]
    plan["status"] = "completed"
    plan["period"]["end"] = "2027-06-01"
    region = load_region("default")
    assert checks.planning_duration(build(resources, DE_VRIES), region, AT) == []  # not yet
    [finding] = checks.planning_duration(build(resources, DE_VRIES), region, date(2027, 7, 1))
    assert finding.advisory
    assert "less than 12 months after it started on 2026-10-01" in finding.message
    plan["period"]["end"] = "2027-10-01"
    assert checks.planning_duration(build(resources, DE_VRIES), region, date(2027, 11, 1)) == []


def test_the_alignment_phase_needs_case_direction():
    from fhir_regie.workflow.safety import safety_progress

    from .conftest import set_phase
    resources = example_resources(DE_VRIES)
    set_phase(resources["CarePlan/devries-safety-plan"], "alignment")
    [progress] = safety_progress(build(resources, DE_VRIES), load_region("default"), AT)
    assert [(c.id, c.status) for c in progress.criteria] == [
        ("alignment.case-direction", "met")]
    team = resources["CareTeam/devries-careteam"]
    team["participant"] = [p for p in team["participant"]
                           if not any(c["code"] == "casusregisseur" for r in p.get("role", [])
                                      for c in r.get("coding", []))]
    [progress] = safety_progress(build(resources, DE_VRIES), load_region("default"), AT)
    assert [(c.id, c.status) for c in progress.criteria] == [
        ("alignment.case-direction", "unmet")]

def test_every_danger_statement_has_its_own_safety_goal():
    resources = example_resources(DE_VRIES)
    assert checks.safety_goal_per_danger(build(resources, DE_VRIES), AT) == []
    resources["Goal/devries-goal-safety"]["addresses"] = []
    [finding] = checks.safety_goal_per_danger(build(resources, DE_VRIES), AT)
    assert "Condition/devries-danger-1" in finding.message
    # A support goal addressing it does not count: it must be a safety goal.
    resources["Goal/devries-goal-debts"]["addresses"] = [
        {"reference": "Condition/devries-danger-1"}]
    resources["CarePlan/devries-safety-plan"]["goal"].append(
        {"reference": "Goal/devries-goal-debts"})
    assert len(checks.safety_goal_per_danger(build(resources, DE_VRIES), AT)) == 1


def test_the_direct_safety_plan_has_safe_person_safe_object_log_and_check_moments():
    resources = example_resources(DE_VRIES)
    assert checks.direct_plan_contents(build(resources, DE_VRIES), AT) == []
    plan = resources["CarePlan/devries-safety-plan"]
    # The safety person is the care team's participant with that role (0.2): once she is no
    # longer in that role, the plan has none.
    team = resources["CareTeam/devries-careteam"]
    for participant in team["participant"]:
        participant["role"] = [r for r in participant["role"]
                               if "veiligheidspersoon" not in json.dumps(r)]
    drop_ext(plan, "regie-safe-object")
    [finding] = checks.direct_plan_contents(build(resources, DE_VRIES), AT)
    assert "a safe person for the child, a safe object" in finding.message
    for ref in [k for k in resources if k.startswith("Observation/devries-log-")]:
        del resources[ref]
    [finding] = checks.direct_plan_contents(build(resources, DE_VRIES), AT)
    assert "a safety log (no entries)" in finding.message


def test_assistance_and_recovery_plans_support_the_safety_plan():
    resources = example_resources(DE_VRIES)
    recovery = {"resourceType": "CarePlan", "id": "herstel", "status": "active",
                "intent": "plan", "category": [coding("regie-plan-category", "recovery-plan")],
                "subject": {"reference": "Group/household-de-vries"}}
    add(resources, recovery)
    [finding] = checks.plans_support_safety_plan(build(resources, DE_VRIES), AT)
    assert finding.subject == "CarePlan/herstel"
    recovery["basedOn"] = [{"reference": "CarePlan/devries-safety-plan"}]
    assert checks.plans_support_safety_plan(build(resources, DE_VRIES), AT) == []


# ------------------------------------------------------------------------------ §6

def test_honour_related_records_carry_the_v_label():
    resources = example_resources(VDBERG)
    step1 = resources["Task/vdberg-meldcode-step-1"]
    step1.setdefault("extension", []).append(ext(
        "regie-violence-type",
        valueCodeableConcept=coding("regie-violence-type", "honour-related-violence")))
    [finding] = checks.honour_related_very_restricted(build(resources, VDBERG), AT)
    assert finding.subject == "Task/vdberg-meldcode-step-1"
    step1.setdefault("meta", {"profile": [profile_url("regie-meldcode-step")]})
    step1["meta"]["security"] = [{"system": checks.V_CONFIDENTIALITY, "code": "V"}]
    assert checks.honour_related_very_restricted(build(resources, VDBERG), AT) == []


def test_the_dashboard_shows_the_findings_and_they_need_attention():
    resources = example_resources(DE_VRIES)
    drop_ext(resources["CarePlan/devries-support-plan"], "regie-next-meeting")
    status = household_status(build(resources, DE_VRIES), load_region("default"),
                              date(2026, 10, 20))
    assert "next-meeting-fixed" in rules(status.findings)
    assert status.problems
    assert "next-meeting-fixed" in [f["rule"] for f in status.to_dict()["findings"]]
    lines = status_lines(status, "en")
    assert "Other rules: findings" in lines
    assert ("  ! next-meeting-fixed: CarePlan/devries-support-plan: no date for the next meeting "
            "is fixed (§2 step 3b)") in lines
    dutch = status_lines(status)                 # what the coordinator reads by default
    assert "Overige regels: bevindingen" in dutch
    assert ("  ! next-meeting-fixed: CarePlan/devries-support-plan: er is geen datum voor het "
            "volgende overleg vastgelegd (§2 stap 3b)") in dutch
