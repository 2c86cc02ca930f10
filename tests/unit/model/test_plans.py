"""Builders of docs/ig/plans.md: support plan, safety plan, goal, concern, strength, agreed
action, safety-scale score, safety-log entry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from fhir_regie.model import (
    DangerStatement,
    Signature,
    agreed_action,
    concern,
    goal,
    plan_signature,
    safety_log_entry,
    safety_plan,
    safety_scale_score,
    strength,
    support_plan,
    to_json,
)
from fhir_regie.model.plans import AUTHOR_SIGNATURE
from fhir_regie.validation import iter_issues
from tests.unit.model.support import assert_rebuilds, assert_rule, example, rejected

CET = timezone(timedelta(hours=1))
RESPONSIBILITIES = {
    area["extension"][0]["valueCoding"]["code"]: area["extension"][1]["valueString"]
    for area in example("CarePlan/devries-support-plan")["extension"]
    if area["url"].endswith("regie-responsibility")}
SIGNED = "2026-10-08T16:00:00+02:00"


def test_support_plan_rebuilds_de_vries():
    plan = support_plan(
        id="devries-support-plan", subject="Group/household-de-vries",
        title="Ons plan - gezin De Vries",
        description="Eén plan voor het hele gezin: eerst veiligheid thuis, daarna rust in het "
                    "geld en op school.",
        care_team="CareTeam/devries-careteam", phase="progress",
        responsibilities=RESPONSIBILITIES,
        next_meeting=datetime(2026, 12, 10, 15, 30, tzinfo=CET),
        period_start="2026-10-08", created="2026-10-08",
        author="Practitioner/devries-pract-smit",
        concerns=["Condition/devries-danger-1", "Condition/devries-complicating-debts",
                  "Condition/devries-concern-school"],
        strengths=["Observation/devries-strength-oma", "Observation/devries-sign-mark"],
        goals=["Goal/devries-goal-safety", "Goal/devries-goal-debts"],
        actions=["Task/devries-action-schuldhulp", "Task/devries-action-verslavingszorg",
                 "Task/devries-action-gesprek-kinderen"])
    assert_rebuilds(plan, "CarePlan/devries-support-plan")


def test_support_plan_with_three_responsibility_areas_validates_since_0_2():
    """A case system's export may lack an area: the profile lets it through (0..4 since 0.2);
    the workflow check support-plan-complete reports it (tests/unit/workflow/test_checks.py).
    An area stated twice still breaks rg-spl-1."""
    three = dict(list(RESPONSIBILITIES.items())[:3])
    plan = to_json(support_plan(subject="Group/household-de-vries", title="Ons plan",
                                care_team="CareTeam/devries-careteam", phase="progress",
                                responsibilities=three))
    assert len([e for e in plan["extension"] if e["url"].endswith("regie-responsibility")]) == 3


def test_support_plan_unknown_phase():
    with pytest.raises(ValueError, match=r"'evaluation' in code system regie-1g1p1r-phase"):
        support_plan(subject="Group/h", title="t", care_team="CareTeam/c", phase="evaluation",
                     responsibilities=RESPONSIBILITIES)


def test_safety_plan_rebuilds_de_vries():
    source = example("CarePlan/devries-safety-plan")
    safe_object = next(e["valueString"] for e in source["extension"]
                       if e["url"].endswith("regie-safe-object"))
    plan = safety_plan(
        id="devries-safety-plan", subject="Group/household-de-vries",
        title="Veiligheidsplan gezin De Vries", description=source["description"],
        kind="direct", routekaart_phase="safety",
        danger_statements=[DangerStatement("Condition/devries-danger-1", priority=1),
                           DangerStatement("Condition/devries-danger-2", priority=2)],
        safe_object=safe_object,
        next_meeting="2026-12-10T15:30:00+01:00", support_plan="CarePlan/devries-support-plan",
        period_start="2026-10-01", created="2026-10-01",
        author="PractitionerRole/devries-role-jansen", care_team="CareTeam/devries-careteam",
        risk_factors=["Condition/devries-risk-alcohol", "Condition/devries-complicating-debts"],
        goals=["Goal/devries-goal-safety", "Goal/devries-goal-daan"],
        actions=["Task/devries-agreement-wandelen", "Task/devries-check-oma",
                 "Task/devries-agreement-daan"])
    assert_rebuilds(plan, "CarePlan/devries-safety-plan")


def test_plan_signature_rebuilds_de_vries():
    signed = "2026-11-05T16:00:00+01:00"
    provenance = plan_signature(
        id="devries-safety-plan-signed", plan={**example("CarePlan/devries-safety-plan")},
        signatures=[Signature("Patient/devries-sanne", signed),
                    Signature("Patient/devries-mark", signed)])
    assert_rebuilds(provenance, "Provenance/devries-safety-plan-signed")


def test_a_signature_names_the_version_signed():
    """A signature is for one version (rg-psg-1): without a version there is nothing to sign,
    and the version given is the one named."""
    with pytest.raises(ValueError, match="version of the CarePlan"):
        plan_signature(plan="CarePlan/devries-safety-plan",
                       signatures=[Signature("Patient/devries-sanne", SIGNED)])
    made = plan_signature(plan="CarePlan/devries-safety-plan", version="7",
                          signatures=[Signature("Patient/devries-sanne", SIGNED, AUTHOR_SIGNATURE)])
    assert made.target[0].reference == "CarePlan/devries-safety-plan/_history/7"
    assert [a.who.reference for a in made.agent] == ["Patient/devries-sanne"]
    assert made.signature[0].type[0].code == AUTHOR_SIGNATURE
    with pytest.raises(ValueError, match="at least one signature"):
        plan_signature(plan="CarePlan/devries-safety-plan", version="7", signatures=[])


def test_safety_plan_rebuilds_hv_0417():
    plan = safety_plan(
        id="hv0417-safety-plan", security_label="V", subject="Patient/hv0417-s",
        title="Veiligheidsplan HV-0417", kind="direct", routekaart_phase="safety",
        danger_statements=[DangerStatement("Condition/hv0417-danger-1", 1)],
        period_start="2026-10-22", author="Practitioner/hv0417-pract-lt",
        goals=["Goal/hv0417-goal-safety", "Goal/hv0417-condition-no-contact",
               "Goal/hv0417-condition-passport"],
        actions=["Task/hv0417-agreement-phone"])
    assert_rebuilds(plan, "CarePlan/hv0417-safety-plan")


def test_safety_plan_with_five_active_danger_statements_names_rg_sfp_1():
    error = rejected(safety_plan, subject="Group/h", title="t", kind="stable",
                     routekaart_phase="risk-guided",
                     danger_statements=[DangerStatement(f"Condition/d{i}", i)
                                        for i in range(1, 6)])
    assert_rule(error, "rg-sfp-1", "CarePlan")


def test_safety_plan_resolved_statements_do_not_count():
    statements = [DangerStatement(f"Condition/d{i}", i, status="resolved" if i == 5 else "active")
                  for i in range(1, 6)]
    plan = safety_plan(subject="Group/h", title="t", kind="stable",
                       routekaart_phase="risk-guided", danger_statements=statements)
    assert len(plan.extension) == 7


def test_safety_plan_refuses_a_danger_statement_status_it_does_not_know():
    with pytest.raises(ValueError, match=r"'open' in code system regie-danger-statement-status"):
        safety_plan(subject="Group/h", title="t", kind="direct", routekaart_phase="safety",
                    danger_statements=[DangerStatement("Condition/d", 1, status="open")])


def test_goal_rebuilds_a_safety_goal_and_a_vt_safety_condition():
    source = example("Goal/devries-goal-safety")
    built = goal(id="devries-goal-safety", kind="safety-goal", life_domain="safety",
                 achievement_status="in-progress", description=source["description"]["text"],
                 subject="Group/household-de-vries", start=date(2026, 9, 30),
                 due=date(2027, 3, 31), expressed_by="Patient/devries-sanne",
                 addresses=["Condition/devries-danger-1"])
    assert_rebuilds(built, "Goal/devries-goal-safety")
    source = example("Goal/hv0417-condition-passport")
    condition = goal(id="hv0417-condition-passport", security_label="V",
                     kind="safety-condition", description=source["description"]["text"],
                     consequence=source["extension"][0]["valueString"],
                     subject="Group/household-hv-0417", start="2026-10-20", due="2026-11-03")
    assert_rebuilds(condition, "Goal/hv0417-condition-passport")


def test_goal_rebuilds_a_support_goal():
    source = example("Goal/devries-goal-debts")
    built = goal(id="devries-goal-debts", kind="support-goal", life_domain="income",
                 description=source["description"]["text"], subject="Group/household-de-vries",
                 start="2026-09-30", due="2027-06-30", expressed_by="Patient/devries-mark",
                 addresses=["Condition/devries-complicating-debts"])
    assert_rebuilds(built, "Goal/devries-goal-debts")


@pytest.mark.parametrize(("kind", "extra", "rule"), [
    ("safety-condition", {"consequence": "De politie wordt ingeschakeld."}, "rg-gol-1"),
    ("safety-condition", {"due": "2026-11-03"}, "rg-gol-2"),
])
def test_goal_rules(kind, extra, rule):
    secret = "Vader neemt geen contact op met S."
    error = rejected(goal, kind=kind, description=secret, subject="Group/household-hv-0417",
                     **extra)
    assert_rule(error, rule, "Goal", secret, "politie")


def test_concern_rebuilds_a_danger_statement_and_a_risk_factor():
    source = example("Condition/devries-danger-1")
    danger = concern(id="devries-danger-1", kind="danger-statement", life_domain="safety",
                     description=source["code"]["text"], subject="Group/household-de-vries",
                     recorded="2026-09-30", asserted_by="Patient/devries-sanne")
    assert_rebuilds(danger, "Condition/devries-danger-1")
    source = example("Condition/vdberg-concern-overload")
    risk = concern(id="vdberg-concern-overload", kind="risk-factor", life_domain="social-support",
                   description=source["code"]["text"], subject="Patient/vdberg-gerda",
                   recorded="2026-08-26", asserted_by="Patient/vdberg-gerda")
    assert_rebuilds(risk, "Condition/vdberg-concern-overload")


def test_concern_without_words_is_refused():
    error = rejected(concern, kind="concern", description="", subject="Group/h")
    assert_rule(error, "regie-structure", "CodeableConcept.text")


def test_concern_unknown_kind():
    with pytest.raises(ValueError, match=r"'worry' in code system regie-concern-type"):
        concern(kind="worry", description="x", subject="Group/h")


def test_strength_rebuilds_a_strength_and_a_sign_of_safety():
    source = example("Observation/devries-strength-oma")
    built = strength(id="devries-strength-oma", life_domain="social-support",
                     subject="Group/household-de-vries", on="2026-09-30T10:00:00+02:00",
                     named_by="Patient/devries-sanne", description=source["valueString"])
    assert_rebuilds(built, "Observation/devries-strength-oma")
    source = example("Observation/devries-sign-mark")
    sign = strength(id="devries-sign-mark", kind="sign-of-safety", life_domain="health",
                    subject="Patient/devries-mark", on="2026-09-30T10:00:00+02:00",
                    named_by="PractitionerRole/devries-role-jansen",
                    description=source["valueString"])
    assert_rebuilds(sign, "Observation/devries-sign-mark")


def test_strength_without_words_is_refused():
    error = rejected(strength, description="", subject="Group/h")
    assert_rule(error, "regie-structure", "Observation.valueString")


def test_strength_kind_must_be_in_the_strength_value_set():
    with pytest.raises(ValueError, match=r"'signal'.*not in value set regie-strength-type"):
        strength(description="x", subject="Group/h", kind="signal")


def test_agreed_action_rebuilds_an_action_a_safety_agreement_and_a_check():
    source = example("Task/devries-action-schuldhulp")
    action = agreed_action(id="devries-action-schuldhulp", life_domain="income",
                           plan="CarePlan/devries-support-plan", status="accepted",
                           kind="action", what=source["description"],
                           goal="Goal/devries-goal-debts", for_whom="Group/household-de-vries",
                           authored_on="2026-10-08", who="Patient/devries-sanne",
                           due="2026-12-01")
    assert_rebuilds(action, "Task/devries-action-schuldhulp")
    source = example("Task/devries-agreement-daan")
    agreement = agreed_action(id="devries-agreement-daan", plan="CarePlan/devries-safety-plan",
                              status="in-progress", kind="safety-agreement",
                              what=source["description"], goal="Goal/devries-goal-daan",
                              for_whom="Patient/devries-daan", authored_on="2026-10-01",
                              who="Patient/devries-daan")
    assert_rebuilds(agreement, "Task/devries-agreement-daan")
    source = example("Task/devries-check-oma")
    check = agreed_action(id="devries-check-oma", plan="CarePlan/devries-safety-plan",
                          status="in-progress", kind="monitoring-check",
                          what=source["description"], goal="Goal/devries-goal-safety",
                          for_whom="Group/household-de-vries", authored_on="2026-10-01",
                          who="RelatedPerson/devries-oma-ria")
    assert_rebuilds(check, "Task/devries-check-oma")


def _warnings(resource) -> list[tuple[str, str]]:
    return [(i.source, i.expression) for i in iter_issues(to_json(resource))
            if i.severity == "warning" and i.source.startswith("rg-")]


def test_advice_rules_are_warnings_the_builder_lets_through():
    """rg-act-2 (an action's due date) and rg-gol-3 (a support goal's life domain) are advice
    since 0.2 (severity warning): the builder returns the resource, and the validator still
    reports the rule, as a warning, at the resource."""
    action = agreed_action(what="Sanne meldt zich aan bij de schuldhulp.",
                           who="Patient/devries-sanne", for_whom="Group/household-de-vries",
                           plan="CarePlan/devries-support-plan", status="requested",
                           kind="action")
    assert _warnings(action) == [("rg-act-2", "Task")]
    support = goal(kind="support-goal", description="De schulden zijn geregeld.",
                   subject="Group/household-de-vries")
    assert _warnings(support) == [("rg-gol-3", "Goal")]
    # ... and once the advice is followed, the warning is gone.
    assert _warnings(goal(kind="support-goal", description="De schulden zijn geregeld.",
                          subject="Group/household-de-vries", life_domain="income")) == []


def test_agreed_action_on_hold_without_reason_names_rg_act_1():
    error = rejected(agreed_action, what="Daan fietst naar oma.", who="Patient/devries-daan",
                     for_whom="Patient/devries-daan", plan="CarePlan/devries-safety-plan",
                     status="on-hold", kind="safety-agreement")
    assert_rule(error, "rg-act-1", "Task", "Daan")
    on_hold = agreed_action(what="Daan fietst naar oma.", who="Patient/devries-daan",
                            for_whom="Patient/devries-daan", plan="CarePlan/devries-safety-plan",
                            status="on-hold", kind="safety-agreement",
                            status_reason="Oma is drie weken op vakantie.")
    assert on_hold.statusReason.text == "Oma is drie weken op vakantie."


def test_agreed_action_refuses_wrong_kinds_of_input():
    common = {"what": "x", "who": "Patient/a", "for_whom": "Group/h", "plan": "CarePlan/p"}
    with pytest.raises(ValueError, match=r"'agreement' in code system regie-agreed-action-kind"):
        agreed_action(**common, status="requested", kind="agreement")
    with pytest.raises(ValueError, match=r"'open'.*task-status"):
        agreed_action(**common, status="open", kind="safety-agreement")
    with pytest.raises(ValueError, match=r"plan: must refer to CarePlan, not Goal"):
        agreed_action(**{**common, "plan": "Goal/g"}, status="requested",
                      kind="safety-agreement")


def test_safety_scale_score_rebuilds_a_score_with_observed_behaviour():
    source = example("Observation/devries-score-1-sanne-nov05")
    score = safety_scale_score(
        id="devries-score-1-sanne-nov05", subject="Group/household-de-vries",
        danger_statement="Condition/devries-danger-1", safety_plan="CarePlan/devries-safety-plan",
        on=datetime(2026, 11, 5, 16, 0, tzinfo=CET), scored_by="Patient/devries-sanne", score=6,
        observed_behaviour=source["note"][0]["text"])
    assert_rebuilds(score, "Observation/devries-score-1-sanne-nov05")


def test_safety_scale_score_rebuilds_a_low_score_without_note():
    score = safety_scale_score(
        id="devries-score-1-sanne-oct01", subject="Group/household-de-vries",
        danger_statement="Condition/devries-danger-1", safety_plan="CarePlan/devries-safety-plan",
        on="2026-10-01T10:00:00+02:00", scored_by="Patient/devries-sanne", score=3)
    assert_rebuilds(score, "Observation/devries-score-1-sanne-oct01")


def test_safety_scale_score_of_6_without_observed_behaviour_names_rg_ssc_2():
    error = rejected(safety_scale_score, danger_statement="Condition/devries-danger-1",
                     scored_by="Patient/devries-sanne", score=6,
                     on="2026-11-05T16:00:00+01:00", subject="Group/household-de-vries")
    assert_rule(error, "rg-ssc-2", "Observation")


def test_safety_scale_score_out_of_range_names_rg_ssc_1_without_the_note():
    secret = "Mark is twee keer gaan wandelen."
    error = rejected(safety_scale_score, danger_statement="Condition/devries-danger-1",
                     scored_by="Patient/devries-sanne", score=11, observed_behaviour=secret,
                     on="2026-11-05T16:00:00+01:00", subject="Group/household-de-vries")
    assert_rule(error, "rg-ssc-1", "Observation", secret)


def test_safety_scale_score_needs_a_time_zone_and_a_scale_of_the_right_kind():
    with pytest.raises(ValueError, match=r"on: a date-time needs a time zone"):
        safety_scale_score(danger_statement="Condition/d", scored_by="Patient/a", score=3,
                           on=datetime(2026, 11, 5, 16, 0), subject="Group/h")
    with pytest.raises(ValueError, match=r"danger_statement: must refer to Condition or Goal"):
        safety_scale_score(danger_statement="CarePlan/p", scored_by="Patient/a", score=3,
                           on=datetime(2026, 11, 5, 16, 0, tzinfo=UTC), subject="Group/h")


def test_safety_log_entry_rebuilds_a_near_miss():
    source = example("Observation/devries-log-near-miss")
    entry = safety_log_entry(
        id="devries-log-near-miss", kind="near-miss", subject="Group/household-de-vries",
        danger_statement="Condition/devries-danger-1", safety_plan="CarePlan/devries-safety-plan",
        on="2026-10-20T21:15:00+02:00", recorded_by="Patient/devries-sanne",
        what_happened=source["note"][0]["text"])
    assert_rebuilds(entry, "Observation/devries-log-near-miss")


def test_safety_log_entry_without_what_happened_names_the_note_element():
    error = rejected(safety_log_entry, kind="incident", what_happened=[],
                     subject="Group/household-de-vries", on="2026-10-20T21:15:00+02:00")
    assert_rule(error, "Observation.note", "Observation")


def test_safety_log_entry_unknown_kind():
    with pytest.raises(ValueError, match=r"'accident' in code system regie-safety-log-kind"):
        safety_log_entry(kind="accident", what_happened="x", subject="Group/h",
                         on="2026-10-20T21:15:00+02:00")


def test_built_resources_carry_dutch_displays():
    built = to_json(safety_log_entry(kind="near-miss", what_happened="x", subject="Group/h",
                                     on="2026-10-20T21:15:00+02:00"))
    assert built["valueCodeableConcept"]["coding"][0]["display"] == "Bijna-incident"


def test_text_written_for_the_perpetrators_side_is_marked_and_goes_there():
    """The builder's mark (issue 17) is the one the disclosure guard reads: with it the
    goal's text reaches the organisation serving Mark; without it a placeholder does."""
    from fhir_regie.consent import share
    from fhir_regie.consent.projections import PLACEHOLDER
    from fhir_regie.demo import household_resources
    from fhir_regie.ig import codesystem_url, load_package
    from fhir_regie.model import to_json
    from tests.unit.consent.conftest import ADDICTION, request

    def built(marked: bool) -> dict:
        return to_json(goal(id="devries-goal-marked", kind="safety-goal",
                            description="Mark drinkt niet als de kinderen thuis zijn.",
                            subject="Group/household-de-vries", start=date(2026, 9, 30),
                            text_for_perpetrator_side=marked))

    marked = built(True)
    assert [(t["system"], t["code"]) for t in marked["meta"]["tag"]] == [
        (codesystem_url("regie-text-audience"), "perpetrator-side")]
    assert "tag" not in built(False)["meta"]
    for goal_json, expected in ((marked, "Mark drinkt niet als de kinderen thuis zijn."),
                                (built(False), PLACEHOLDER)):
        household = household_resources(load_package(), "household-de-vries")
        shared = share([*household.values(), goal_json], request(ADDICTION))
        sent = next(e["resource"] for e in shared.bundle["entry"]
                    if e["resource"]["id"] == "devries-goal-marked")
        assert sent["description"]["text"] == expected
