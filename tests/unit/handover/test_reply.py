"""The local team's answer on VT's Task and the request it goes back under (pure)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fhir_regie.consent import decide
from fhir_regie.demo_case import named, vt_case
from fhir_regie.handover.reply import answer_request, answered
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count

AT = datetime(2026, 11, 19, 9, 15, 27, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_accepted_records_the_moment_and_rejected_the_reason():
    task = named(vt_case(), "Task/hoekstra-handover")
    accepted = answered(task, "accepted", AT, transfer=AT, by="Lokaal team Arnhem")
    assert error_count(validate_resource(accepted)) == 0
    assert accepted["executionPeriod"]["start"] == "2026-11-19T09:15:27+01:00"
    # The acceptance names the version of the document the Task hands over (rg-hnd-4).
    assert accepted["output"][0]["valueReference"] == task["focus"]
    assert task["focus"]["reference"].endswith("/_history/1")
    assert accepted["businessStatus"]["text"].startswith("Aangenomen door Lokaal team Arnhem")
    rejected = answered(task, "rejected", AT, reason="Niet ons werkgebied.")
    assert error_count(validate_resource(rejected)) == 0
    assert rejected["statusReason"] == {"text": "Niet ons werkgebied."}
    assert task["status"] == "requested"   # the input is not changed


def test_the_answer_goes_from_the_local_team_to_vt_on_vts_statutory_task():
    case = vt_case()
    accepted = answered(named(case, "Task/hoekstra-handover"), "accepted", AT, transfer=AT)
    request = answer_request(accepted, AT)
    assert (request.discloser, request.recipient) == ("Organization/hoekstra-org-team",
                                                      "Organization/hoekstra-org-vt")
    assert request.legal_claim.basis == "vt-statutory-task"
    decision = decide([accepted, *case], request, data=[accepted])
    assert decision.overall == "permit"
