"""The handover intake checks the agreed actions in a newer handover version against the state
machine (workflow.transitions): a move Veilig Thuis may not make is not written, only flagged."""

from __future__ import annotations

from fhir_regie.client import NotFound
from fhir_regie.handover.inbox import _illegal_moves

VT, TEAM = "Organization/t-vt", "Organization/t-lokaalteam"


class _NoServer:
    def read(self, *args, **kwargs):
        raise NotFound("nothing here")


def _action(status: str, **extra) -> dict:
    return {"resourceType": "Task", "id": "t-afspraak", "status": status, "intent": "plan",
            "code": {"coding": [{"system": "https://fhir-regie.nl/fhir/CodeSystem/"
                                           "regie-agreed-action-kind", "code": "action"}]},
            "owner": {"reference": "Patient/t-sanne"},
            "basedOn": [{"reference": "CarePlan/t-plan"}], **extra}


def _world(taken_over: bool):
    plan = {"resourceType": "CarePlan", "id": "t-plan",
            "careTeam": [{"reference": "CareTeam/t-team"}]}
    team = {"resourceType": "CareTeam", "id": "t-team", "participant": [
        {"role": [{"coding": [{"system": "https://fhir-regie.nl/fhir/CodeSystem/regie-role",
                               "code": "casusregisseur"}]}],
         "member": {"reference": "Practitioner/t-femke"}, "onBehalfOf": {"reference": TEAM}}]}
    handover = {"resourceType": "Task", "id": "t-handover", "status": "requested",
                "requester": {"reference": VT}, "owner": {"reference": TEAM}}
    local_handover = dict(handover, status="accepted" if taken_over else "requested")
    return plan, team, handover, local_handover


def test_after_acceptance_vt_cannot_reopen_or_complete_the_teams_actions():
    plan, team, handover, local_handover = _world(taken_over=True)
    current = {"Task/t-afspraak": _action("cancelled", statusReason={"text": "Niet nodig"}),
               "CarePlan/t-plan": plan, "CareTeam/t-team": team}
    copies = {"Task/t-afspraak": _action("in-progress")}
    refused = _illegal_moves(_NoServer(), copies, current, handover, local_handover)
    assert set(refused) == {"Task/t-afspraak"}
    assert "cancelled naar in-progress" in refused["Task/t-afspraak"]
    current["Task/t-afspraak"] = _action("in-progress")
    copies = {"Task/t-afspraak": _action("completed")}
    assert set(_illegal_moves(_NoServer(), copies, current, handover, local_handover)) == \
        {"Task/t-afspraak"}


def test_before_acceptance_vt_coordinates_its_own_plan():
    plan, team, handover, local_handover = _world(taken_over=False)
    current = {"Task/t-afspraak": _action("in-progress"), "CarePlan/t-plan": plan,
               "CareTeam/t-team": team}
    # Sanne's action, recorded done by VT while the case is still VT's: allowed
    copies = {"Task/t-afspraak": _action("completed")}
    assert _illegal_moves(_NoServer(), copies, current, handover, local_handover) == {}
    # but nothing leaves a final status, not even for VT
    current["Task/t-afspraak"] = _action("completed")
    copies = {"Task/t-afspraak": _action("requested")}
    assert set(_illegal_moves(_NoServer(), copies, current, handover, local_handover)) == \
        {"Task/t-afspraak"}


def test_a_first_copy_is_not_a_move():
    _, _, handover, local_handover = _world(taken_over=True)
    copies = {"Task/t-afspraak": _action("completed")}
    assert _illegal_moves(_NoServer(), copies, {"Task/t-afspraak": None}, handover,
                          local_handover) == {}
