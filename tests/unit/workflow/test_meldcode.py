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


def test_steps_0_and_1_need_a_note_with_the_facts():
    resources = vdberg()
    assert not [d for d in advice_for(resources).to_document if d.startswith("step-1: a note")]
    resources["Task/vdberg-meldcode-step-1"].pop("note")
    assert "step-1: a note with the facts and follow-up agreements" in \
        advice_for(resources).to_document
    step0 = {**resources["Task/vdberg-meldcode-step-1"], "id": "vdberg-meldcode-step-0",
             "authoredOn": "2026-08-01T09:00:00+02:00",
             "code": {"coding": [{"system": codesystem_url("regie-meldcode-step"),
                                  "code": "step-0"}]}}
    resources["Task/vdberg-meldcode-step-0"] = step0
    assert "step-0: a note with the facts and follow-up agreements" in \
        advice_for(resources).to_document


def test_step_4_records_what_the_weighing_was_done_with():
    resources = vdberg()
    missing = ("step-4: what the weighing was done with (a consultation of an expert, VT or GI, "
               "or a note naming the risk instrument)")
    assert missing not in advice_for(resources).to_document  # the example's note names them
    step4 = resources["Task/vdberg-meldcode-step-4"]
    step4.pop("note")
    assert missing in advice_for(resources).to_document
    step4["extension"].append({"url": extension_url("regie-consultation"), "extension": [
        {"url": "consultee", "valueCodeableConcept": {"coding": [{
            "system": codesystem_url("regie-consultee-type"), "code": "veilig-thuis"}]}}]})
    assert missing not in advice_for(resources).to_document


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


def consultation(resources, index):
    step2 = resources["Task/vdberg-meldcode-step-2"]
    return [e for e in step2["extension"] if e["url"] == extension_url("regie-consultation")][index]


def test_advice_not_followed_needs_the_reason():
    resources = vdberg()
    assert not any(line.startswith("step-2") for line in advice_for(resources).to_document)
    vt = consultation(resources, 1)
    vt["extension"] = [p for p in vt["extension"] if p["url"] != "deviation-reason"]
    assert "step-2: why the advice of consultation 2 was not followed" in \
        advice_for(resources).to_document
    vt["extension"] = [p for p in vt["extension"] if p["url"] != "followed"]
    assert "step-2: whether the advice of consultation 2 was followed" in \
        advice_for(resources).to_document


def honour_related_minor(resources):
    """Van den Berg made into an honour-related case of a minor client (Henk, 16) with the
    specialist consulted, so only the rule about parents is left to trip."""
    ext(resources["Task/vdberg-meldcode-step-1"], "regie-violence-type")[
        "valueCodeableConcept"]["coding"][0]["code"] = "honour-related-violence"
    consultation(resources, 0)["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = \
        "specialist"
    resources["Patient/vdberg-henk"]["birthDate"] = "2010-05-01"
    resources["Group/household-van-den-berg"]["member"][1]["extension"][0][
        "valueCodeableConcept"]["coding"][0]["code"] = "parent"
    return resources


def parent_findings(resources):
    return [f for f in advice_for(resources).findings if "parent" in f or "who the" in f]


def test_honour_related_parents_of_a_minor_not_before_step_5():
    resources = honour_related_minor(vdberg())
    # The conversation of 19 August was with Gerda, now a parent; step 5 came on 20 August.
    assert parent_findings(resources) == [
        "Task/vdberg-meldcode-step-3: honour-related violence: a parent of the minor client was "
        "spoken to before the decision in step 5"]


def test_honour_related_parents_after_the_decision_are_fine():
    resources = honour_related_minor(vdberg())
    conversation = ext(resources["Task/vdberg-meldcode-step-3"], "regie-client-conversation")
    next(p for p in conversation["extension"] if p["url"] == "date")["valueDateTime"] = \
        "2026-08-21T10:00:00+02:00"
    assert parent_findings(resources) == []


def test_honour_related_adult_client_or_child_spoken_to_is_fine():
    adult = honour_related_minor(vdberg())
    adult["Patient/vdberg-henk"]["birthDate"] = "1990-05-01"
    assert parent_findings(adult) == []
    child_only = honour_related_minor(vdberg())
    conversation = ext(child_only["Task/vdberg-meldcode-step-3"], "regie-client-conversation")
    next(p for p in conversation["extension"] if p["url"] == "with")["valueReference"] = {
        "reference": "Patient/vdberg-henk"}
    assert parent_findings(child_only) == []


def test_honour_related_minor_needs_who_was_spoken_to():
    resources = honour_related_minor(vdberg())
    conversation = ext(resources["Task/vdberg-meldcode-step-3"], "regie-client-conversation")
    conversation["extension"] = [p for p in conversation["extension"] if p["url"] != "with"]
    assert parent_findings(resources) == [
        "Task/vdberg-meldcode-step-3: honour-related violence with a minor client: record who "
        "the conversation was with (parents may not be spoken to before step 5)"]


def test_a_related_person_who_is_a_parent_counts():
    resources = honour_related_minor(vdberg())
    resources["Group/household-van-den-berg"]["member"][1]["extension"][0][
        "valueCodeableConcept"]["coding"][0]["code"] = "carer"
    conversation = ext(resources["Task/vdberg-meldcode-step-3"], "regie-client-conversation")
    next(p for p in conversation["extension"] if p["url"] == "with")["valueReference"] = {
        "reference": "RelatedPerson/vdberg-peter"}
    assert parent_findings(resources) == []
    resources["RelatedPerson/vdberg-peter"]["relationship"][0]["coding"][0]["code"] = "FTH"
    assert len(parent_findings(resources)) == 1


def test_not_honour_related_no_parent_rule():
    resources = honour_related_minor(vdberg())
    ext(resources["Task/vdberg-meldcode-step-1"], "regie-violence-type")[
        "valueCodeableConcept"]["coding"][0]["code"] = "child-abuse"
    assert parent_findings(resources) == []
