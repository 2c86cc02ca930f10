"""Changes on both sides of one resource (sekmet and HAPI): merged when they touch different
fields; parked with base, ours and theirs when they touch the same one, and resolved by a person
(``sync conflicts`` / ``sync resolve --take ours|theirs|FILE``), after which both servers hold
the choice."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from fhir_regie.cli import main
from tests.integration.sync.conftest import SyncEnv
from tests.integration.sync.household import load


def both_changed(env: SyncEnv, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Action 1 changed on our server and on the partner's before the next run."""
    home = env.home
    load(env.local, [*home.resources(), home.action(1), home.action(2)])
    env.run()
    local = env.local.read("Task", f"{home.tag}-action-1", as_dict=True)
    remote = home.actions_on(env.partner)["ours:A00001"]
    env.local.update({**local, **ours}, as_dict=True)
    env.partner.update({**remote, **theirs}, as_dict=True)
    env.run()


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["sync", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_changes_to_different_fields_are_merged_on_both_sides(env: SyncEnv) -> None:
    both_changed(env, {"description": "Afspraak 1: gesprek met de mentor"},
                 {"status": "in-progress"})
    for client in (env.local, env.partner):
        task = env.home.actions_on(client)["ours:A00001"]
        assert task["status"] == "in-progress"
        assert task["description"] == "Afspraak 1: gesprek met de mentor"
    with env.state() as state:
        assert state.conflicts("jeugdhulp") == []


def test_changes_to_one_field_are_parked_with_base_ours_and_theirs(env: SyncEnv) -> None:
    both_changed(env, {"description": "Ons: gesprek op maandag"},
                 {"description": "Jeugdhulp: gesprek op woensdag"})
    with env.state() as state:
        [conflict] = state.conflicts("jeugdhulp")
    assert conflict.kind == "edit"
    assert conflict.fields == ("description",)
    assert conflict.base["description"] == "Afspraak 1: gesprek plannen"
    assert conflict.ours["description"] == "Ons: gesprek op maandag"
    assert conflict.theirs["description"] == "Jeugdhulp: gesprek op woensdag"
    # Nothing was overwritten while it waits for a person.
    assert env.home.actions_on(env.local)["ours:A00001"]["description"] == \
        "Ons: gesprek op maandag"
    assert env.home.actions_on(env.partner)["ours:A00001"]["description"] == \
        "Jeugdhulp: gesprek op woensdag"
    code, out, _ = cli("conflicts", "--config", str(env.config_path))
    assert code == 0
    assert f"{conflict.id}: job jeugdhulp Task edit (fields: description)" in out
    code, out, _ = cli("conflicts", "--config", str(env.config_path), "--show",
                       str(conflict.id))
    assert code == 0
    assert ('description: base "Afspraak 1: gesprek plannen" | ours "Ons: gesprek op maandag"'
            ' | theirs "Jeugdhulp: gesprek op woensdag"') in out
    # A later change on the partner's side to the same resource waits too (held).
    remote = env.home.actions_on(env.partner)["ours:A00001"]
    env.partner.update(dict(remote, status="on-hold",
                            statusReason={"text": "Wacht op de wachtlijst"}), as_dict=True)
    env.run()
    assert env.home.actions_on(env.local)["ours:A00001"]["status"] == "requested"
    with env.state() as state:
        [still] = state.conflicts("jeugdhulp")
    assert still.theirs["status"] == "on-hold"  # the conflict shows the partner's newest


@pytest.mark.parametrize("take", ["ours", "theirs", "file"])
def test_a_resolution_ends_with_the_choice_on_both_servers(env: SyncEnv, tmp_path: Path,
                                                           take: str) -> None:
    both_changed(env, {"description": "Ons: gesprek op maandag"},
                 {"description": "Jeugdhulp: gesprek op woensdag"})
    with env.state() as state:
        [conflict] = state.conflicts("jeugdhulp")
    choice, expected = take, {"ours": "Ons: gesprek op maandag",
                              "theirs": "Jeugdhulp: gesprek op woensdag",
                              "file": "Samen: gesprek op donderdag"}[take]
    if take == "file":
        chosen = dict(conflict.ours, description=expected)
        choice = str(tmp_path / "chosen.json")
        Path(choice).write_text(json.dumps(chosen), encoding="utf-8")
    code, out, err = cli("resolve", str(conflict.id), "--take", choice,
                         "--config", str(env.config_path))
    assert code == 0, err
    assert f"conflict {conflict.id} resolved" in out
    env.run()
    for client in (env.local, env.partner):
        assert env.home.actions_on(client)["ours:A00001"]["description"] == expected
    with env.state() as state:
        assert state.conflicts("jeugdhulp") == []
        assert state.conflict(conflict.id).resolution == take
    report = env.run().reports["jeugdhulp"]
    assert report.push.applied == report.pull.applied == 0  # in step, no ping-pong


def test_a_resolution_from_a_file_must_be_valid(env: SyncEnv, tmp_path: Path) -> None:
    both_changed(env, {"description": "Ons"}, {"description": "Jeugdhulp"})
    with env.state() as state:
        [conflict] = state.conflicts("jeugdhulp")
    broken = dict(conflict.ours, status="on-hold")  # rg-act-1: on hold needs a reason
    broken.pop("statusReason", None)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    code, _, err = cli("resolve", str(conflict.id), "--take", str(path),
                       "--config", str(env.config_path))
    assert code == 1
    assert err.strip() == f"fhir-regie sync resolve: {path}: rg-act-1: Constraint failed: " \
        "rg-act-1: An action that is rejected, cancelled, on hold or failed records why " \
        "(statusReason)."
    with env.state() as state:
        assert state.conflict(conflict.id).status == "open"  # nothing changed
    assert env.home.actions_on(env.local)["ours:A00001"]["description"] == "Ons"
