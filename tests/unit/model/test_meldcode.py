"""Builders of docs/ig/meldcode.md: signal and meldcode step."""

from __future__ import annotations

import pytest

from fhir_regie.model import (
    Consultation,
    Conversation,
    DecisionAnswer,
    VtContact,
    meldcode_step,
    signal,
)
from tests.unit.model.support import assert_rebuilds, assert_rule, example, rejected

NURSE = "Practitioner/vdberg-pract-nurse"
HENK = "Patient/vdberg-henk"


def test_signal_rebuilds_a_hypothesis_a_follow_up_and_third_party_information():
    source = example("Observation/vdberg-signal-hypothesis")
    hypothesis = signal(id="vdberg-signal-hypothesis", certainty="hypothesis",
                        violence_types="elder-abuse", client=HENK,
                        on="2026-08-12T10:00:00+02:00", recorded_by=NURSE,
                        description=source["valueString"])
    assert_rebuilds(hypothesis, "Observation/vdberg-signal-hypothesis")
    source = example("Observation/vdberg-signal-followup")
    follow_up = signal(id="vdberg-signal-followup", certainty="fact",
                       hypothesis_outcome="confirmed", client=HENK,
                       on="2026-08-19T14:00:00+02:00", recorded_by=NURSE,
                       description=source["valueString"], follows_up=hypothesis)
    assert_rebuilds(follow_up, "Observation/vdberg-signal-followup")
    source = example("Observation/vdberg-signal-neighbour")
    neighbour = signal(id="vdberg-signal-neighbour", certainty="fact",
                       source="RelatedPerson/vdberg-buurvrouw", client=HENK,
                       on="2026-08-14T11:00:00+02:00", recorded_by=NURSE,
                       description=source["valueString"])
    assert_rebuilds(neighbour, "Observation/vdberg-signal-neighbour")


def test_signal_outcome_without_the_hypothesis_names_rg_sig_1():
    secret = "Mevrouw pakt haar man hard vast."
    error = rejected(signal, description=secret, client=HENK, recorded_by=NURSE,
                     on="2026-08-19T14:00:00+02:00", certainty="fact",
                     hypothesis_outcome="confirmed")
    assert_rule(error, "rg-sig-1", "Observation", secret)


def test_signal_unknown_certainty_and_a_non_patient_client():
    with pytest.raises(ValueError, match=r"'rumour' in code system regie-signal-certainty"):
        signal(description="x", client=HENK, recorded_by=NURSE, on="2026-08-19",
               certainty="rumour")
    with pytest.raises(ValueError, match=r"client: must refer to Patient, not Group"):
        signal(description="x", client="Group/household-van-den-berg", recorded_by=NURSE,
               on="2026-08-19", certainty="fact")


def test_meldcode_step_1_and_2_rebuild():
    step_1 = meldcode_step(id="vdberg-meldcode-step-1", step="step-1", status="completed",
                           client=HENK, violence_types="elder-abuse",
                           authored_on="2026-08-12T10:15:00+02:00", started="2026-08-12",
                           ended="2026-08-14", professional=NURSE,
                           note=example("Task/vdberg-meldcode-step-1")["note"][0]["text"])
    assert_rebuilds(step_1, "Task/vdberg-meldcode-step-1")
    advice = [e["extension"][1]["valueString"]
              for e in example("Task/vdberg-meldcode-step-2")["extension"][:2]]
    consulted_vt = example("Task/vdberg-meldcode-step-2")["extension"][1]["extension"]
    deviation = next(part["valueString"] for part in consulted_vt
                     if part["url"] == "deviation-reason")
    step_2 = meldcode_step(
        id="vdberg-meldcode-step-2", step="step-2", status="completed", client=HENK,
        authored_on="2026-08-15T09:00:00+02:00", professional=NURSE,
        consultations=[Consultation("aandachtsfunctionaris", advice[0],
                                    who="Practitioner/vdberg-pract-af", followed=True,
                                    on="2026-08-15T10:00:00+02:00"),
                       Consultation("veilig-thuis", advice[1], followed=False,
                                    deviation_reason=deviation,
                                    on="2026-08-15T14:30:00+02:00")],
        vt_contacts=[VtContact("advice", "step-2", on="2026-08-15T14:30:00+02:00")])
    assert_rebuilds(step_2, "Task/vdberg-meldcode-step-2")


def test_meldcode_steps_3_to_5_rebuild():
    conversation = example("Task/vdberg-meldcode-step-3")["extension"][0]["extension"]
    reaction = next(part for part in conversation if part["url"] == "reaction")
    step_3 = meldcode_step(id="vdberg-meldcode-step-3", step="step-3", status="completed",
                           client=HENK, authored_on="2026-08-19T09:00:00+02:00",
                           professional=NURSE,
                           conversation=Conversation(held=True,
                                                     spoken_with=["Patient/vdberg-gerda"],
                                                     reaction=reaction["valueString"],
                                                     on="2026-08-19T14:00:00+02:00"))
    assert_rebuilds(step_3, "Task/vdberg-meldcode-step-3")
    explanation = example("Task/vdberg-meldcode-step-4")["extension"][1]["extension"][2]
    step_4 = meldcode_step(id="vdberg-meldcode-step-4", step="step-4", status="completed",
                           client=HENK, authored_on="2026-08-20T09:00:00+02:00",
                           professional=NURSE,
                           decision_answers=[
                               DecisionAnswer("q1-suspicion", "yes"),
                               DecisionAnswer("q2-acute-structural-unsafety", "no",
                                              explanation=explanation["valueString"])],
                           note=example("Task/vdberg-meldcode-step-4")["note"][0]["text"])
    assert_rebuilds(step_4, "Task/vdberg-meldcode-step-4")
    step_5 = meldcode_step(id="vdberg-meldcode-step-5", step="step-5", status="completed",
                           client=HENK, authored_on="2026-08-20T11:00:00+02:00",
                           professional=NURSE,
                           decision_answers=[DecisionAnswer("q3-can-help", "yes"),
                                             DecisionAnswer("q4-cooperation", "yes")],
                           decision="organise-help",
                           note=example("Task/vdberg-meldcode-step-5")["note"][0]["text"])
    assert_rebuilds(step_5, "Task/vdberg-meldcode-step-5")


@pytest.mark.parametrize(("step", "rule"), [
    ("step-2", "rg-mcs-1"), ("step-3", "rg-mcs-2"), ("step-4", "rg-mcs-3"), ("step-5", "rg-mcs-4"),
])
def test_completed_step_without_its_documentation(step, rule):
    error = rejected(meldcode_step, step=step, client=HENK, professional=NURSE,
                     status="completed")
    assert_rule(error, rule, "Task")


def test_conversation_rules_sit_on_the_extension():
    held = rejected(meldcode_step, step="step-3", client=HENK, professional=NURSE,
                    status="completed", conversation=Conversation(held=True))
    assert_rule(held, "rg-cnv-1", "Task.extension[0]")
    skipped = rejected(meldcode_step, step="step-3", client=HENK, professional=NURSE,
                       status="completed", conversation=Conversation(held=False))
    assert_rule(skipped, "rg-cnv-2", "Task.extension[0]")
    ok = meldcode_step(step="step-3", client=HENK, professional=NURSE, status="completed",
                       conversation=Conversation(held=False, skip_reason="safety-at-stake"))
    assert ok.extension[0].extension[1].url == "skip-reason"


def test_advice_not_followed_needs_the_reason():
    ignored = rejected(meldcode_step, step="step-2", client=HENK, professional=NURSE,
                       status="completed",
                       consultations=[Consultation("veilig-thuis", "Eerst met mevrouw praten.",
                                                   followed=False)])
    assert_rule(ignored, "rg-csl-1", "Task.extension[0]")
    explained = meldcode_step(step="step-2", client=HENK, professional=NURSE, status="completed",
                              consultations=[Consultation("veilig-thuis", "Eerst praten.",
                                                          followed=False,
                                                          deviation_reason="Zij wil dat niet.")])
    assert [part.url for part in explained.extension[0].extension] == [
        "consultee", "advice", "followed", "deviation-reason"]


def test_conversation_partners_are_people():
    with pytest.raises(ValueError, match=r"conversation.spoken_with: must refer to Patient or "
                                         r"RelatedPerson, not Practitioner"):
        meldcode_step(step="step-3", client=HENK, professional=NURSE, status="completed",
                      conversation=Conversation(held=True, reaction="Zij schrok.",
                                                spoken_with=[NURSE]))


def test_meldcode_step_unknown_codes():
    with pytest.raises(ValueError, match=r"'step-7' in code system regie-meldcode-step"):
        meldcode_step(step="step-7", client=HENK, professional=NURSE, status="completed")
    with pytest.raises(ValueError, match=r"'q9' in code system regie-decision-question"):
        meldcode_step(step="step-4", client=HENK, professional=NURSE, status="completed",
                      decision_answers=[DecisionAnswer("q9", "yes")])
    with pytest.raises(ValueError, match=r"professional: must refer to Practitioner or "):
        meldcode_step(step="step-1", client=HENK, professional="Organization/o",
                      status="completed")
