"""Meldcode decision support: the decision table, required documentation and fixed rules."""

from __future__ import annotations

from datetime import date

import pytest

from fhir_regie.ig import codesystem_url, extension_url
from fhir_regie.workflow.meldcode import Facts, decide, meldcode_advice

from .conftest import build, example_resources

Y, N, U = "yes", "no", "unknown"
Q = ("q1-suspicion", "q2-acute-structural-unsafety", "q3-can-help", "q4-cooperation",
     "q5-lasting-safety")


@pytest.mark.parametrize(("answers", "outcome"), [
    ((N,), "close"),
    ((Y, Y), "report"),
    ((Y, N, N), "report"),
    ((Y, N, Y, N), "report"),
    ((Y, N, Y, Y), "organise-help"),
    ((Y, N, Y, Y, N), "report"),
    ((Y, N, Y, Y, Y), "continue-help"),
    ((Y, N, Y, Y, U), "organise-help"),
    ((), "undecided"),
    ((Y,), "undecided"),
    ((Y, U), "undecided"),
    ((Y, N, U), "undecided"),
])
def test_decision_framework(answers, outcome):
    assert decide(dict(zip(Q, answers, strict=False))).outcome == outcome


@pytest.mark.parametrize("facts", [Facts(refused_all_help=True),
                                   Facts(moved_without_consent=True)])
def test_fixed_rules_always_report(facts):
    decision = decide(dict(zip(Q, (Y, N, Y, Y, Y), strict=True)), facts)
    assert decision.outcome == "report"


def vdberg():
    return example_resources("household-van-den-berg")


def advice_for(resources, at=date(2026, 11, 25)):
    [advice] = meldcode_advice(build(resources, "household-van-den-berg"), at)
    return advice


def ext(task, extension_id):
    return next(e for e in task["extension"] if e["url"] == extension_url(extension_id))


def test_missing_documentation_per_step():
    resources = vdberg()
    step2 = resources["Task/vdberg-meldcode-step-2"]
    step2["extension"] = [e for e in step2["extension"]
                          if e["url"] != extension_url("regie-consultation")]
    resources["Observation/vdberg-signal-followup"].pop("derivedFrom")
    advice = advice_for(resources)
    assert "step-2: who was consulted and the advice" in advice.to_document
    assert ("step-1: confirm or refute hypothesis Observation/vdberg-signal-hypothesis"
            in advice.to_document)


def test_skipped_conversation_needs_a_reason():
    resources = vdberg()
    conversation = ext(resources["Task/vdberg-meldcode-step-3"], "regie-client-conversation")
    conversation["extension"] = [{"url": "held", "valueBoolean": False}]
    advice = advice_for(resources)
    assert any(line.startswith("step-3: the reason the conversation was skipped")
               for line in advice.to_document)
    conversation["extension"].append({"url": "skip-reason", "valueCodeableConcept": {
        "coding": [{"system": codesystem_url("regie-conversation-skip-reason"),
                    "code": "safety-at-stake"}]}})
    assert not any(line.startswith("step-3") for line in advice_for(resources).to_document)


def test_no_step_3_before_weighing_is_a_finding():
    resources = vdberg()
    del resources["Task/vdberg-meldcode-step-3"]
    advice = advice_for(resources)
    assert advice.next_step == "step-3"
    assert advice.findings[0].startswith("step 3 is missing")


def test_honour_related_needs_a_specialist_before_the_conversation():
    resources = vdberg()
    step1 = resources["Task/vdberg-meldcode-step-1"]
    ext(step1, "regie-violence-type")["valueCodeableConcept"]["coding"][0]["code"] = \
        "honour-related-violence"
    advice = advice_for(resources)
    assert any("without a prior expert consultation" in f for f in advice.findings)
    step2 = resources["Task/vdberg-meldcode-step-2"]
    ext(step2, "regie-consultation")["extension"][0]["valueCodeableConcept"]["coding"][0][
        "code"] = "specialist"
    assert not any("expert" in f for f in advice_for(resources).findings)


def test_refusal_of_all_help_turns_the_decision_into_a_report():
    resources = vdberg()
    action = resources["Task/vdberg-action-dagbesteding"]
    action["status"] = "rejected"
    action["statusReason"] = {"text": "weigert"}
    advice = advice_for(resources)
    assert advice.outcome == "report"
    assert advice.reasons == ("refusal of all help: always report",)
    assert any("differs" in f for f in advice.findings)
    assert any("report to Veilig Thuis" in d for d in advice.to_document)


def test_moving_out_without_consent_means_report():
    resources = vdberg()
    member = resources["Group/household-van-den-berg"]["member"][0]
    member["inactive"] = True
    member["period"] = {"end": "2026-11-01"}
    assert advice_for(resources).outcome == "report"


def test_steps_after_at_are_ignored():
    advice = advice_for(vdberg(), at=date(2026, 8, 19))
    assert [s.step for s in advice.steps] == ["step-1", "step-2", "step-3"]
    assert advice.next_step == "step-4"
    assert advice.outcome == "undecided"


def test_a_report_stated_as_step_2_is_flagged():
    resources = vdberg()
    contact = ext(resources["Task/vdberg-meldcode-step-2"], "regie-vt-contact")
    contact["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = "report"
    assert any("a report to VT stated step-2" in f for f in advice_for(resources).findings)
