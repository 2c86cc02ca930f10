"""The client moves an agreed action only as the state machine allows (client.actions)."""

from __future__ import annotations

import pytest

from fhir_regie.client.actions import move_action
from fhir_regie.workflow.transitions import TransitionError
from tests.conftest import RunningServer
from tests.integration.sync.conftest import fresh_client
from tests.integration.sync.household import (
    OURS,
    PARTNER,
    Jansen,
    ensure_organisations,
    load,
)


def test_the_owner_moves_its_action_and_no_one_else_does(fhir_server: RunningServer) -> None:
    client = fresh_client(fhir_server.base_url)
    case = Jansen()
    action = case.action(1, owner=PARTNER)
    action["requester"] = {"reference": OURS}
    ensure_organisations(client)
    load(client, [*case.resources(), action])
    accepted = move_action(client, action["id"], "accepted", actor=PARTNER,
                           at="2026-11-20T10:00:00+01:00")
    assert accepted["status"] == "accepted"
    with pytest.raises(TransitionError, match=r"agreed-action\.start"):
        move_action(client, action["id"], "in-progress", actor=OURS)   # not the owner
    assert client.read("Task", action["id"], as_dict=True)["status"] == "accepted"
    with pytest.raises(TransitionError, match=r"rg-act-1"):
        move_action(client, action["id"], "on-hold", actor=OURS)
    held = move_action(client, action["id"], "on-hold", actor=OURS, reason="Wachtlijst")
    assert held["statusReason"]["text"] == "Wachtlijst"
    client.close()
