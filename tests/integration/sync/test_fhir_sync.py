"""Sync between our server and a partner's FHIR server (sekmet and HAPI): what goes through the
guard, what comes back, idempotency over the overlap window, dead letters and deletions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fhir_regie.client import FhirClient
from fhir_regie.sync.keys import identifier_token
from tests.conftest import RunningServer
from tests.integration.sync.conftest import SyncEnv, make_env
from tests.integration.sync.household import PARTNER, load

BSN = "http://fhir.nl/fhir/NamingSystem/bsn"


def read(client: FhirClient, reference: str) -> dict[str, Any]:
    rtype, rid = reference.split("/")
    return client.read(rtype, rid, as_dict=True)


def bsns(client: FhirClient, group: dict[str, Any]) -> list[str]:
    found = []
    for member in group["member"]:
        person = read(client, member["entity"]["reference"])
        found += [i["value"] for i in person.get("identifier", []) if i["system"] == BSN]
    return sorted(found)


def versions(client: FhirClient, tasks: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {n: read(client, f"Task/{t['id']}")["meta"]["versionId"] for n, t in tasks.items()}


def seed(env: SyncEnv, actions: int = 5, health: int = 1) -> None:
    home = env.home
    load(env.local, [*home.resources(), *(home.action(i) for i in range(1, actions + 1)),
                     *(home.action(100 + i, health=True) for i in range(health))])


def test_push_sends_what_the_guard_permits_and_records_what_it_keeps_back(env: SyncEnv) -> None:
    seed(env)
    outcome = env.run()
    report = outcome.reports["jeugdhulp"]
    assert outcome.ok
    theirs = env.home.actions_on(env.partner)
    assert sorted(theirs) == [f"ours:A{i:05d}" for i in range(1, 6)]  # not the health one
    ours = env.home.actions_on(env.local)
    for number, task in theirs.items():
        assert task["id"] != ours[number]["id"]  # an id of the partner's side, derived
        assert task["description"] == ours[number]["description"]
        group = read(env.partner, task["for"]["reference"])  # references resolve there
        assert group["name"] == "Huishouden Jansen"
        assert bsns(env.partner, group) == bsns(env.local, read(env.local, env.home.group))
        assert read(env.partner, task["basedOn"][0]["reference"])["title"] == \
            "Ons plan: rust en regelmaat"
    denied = env.rows("push", "denied")
    health = [r for r in denied if r.rid == f"{env.home.tag}-action-100"]
    assert len(health) == 1
    assert "does not cover health-data" in (health[0].reason or "")
    assert report.push.denied >= 1
    # The disclosure is on record at our side: the actions that went, and the one kept back.
    events = [e for e in env.local.search("AuditEvent", {"_count": "200"}, as_dict=True)
              if any(a.get("who", {}).get("reference") == PARTNER for a in e.get("agent", []))
              and any(env.home.tag in x.get("what", {}).get("reference", "")
                      for x in e.get("entity", []))]
    disclosed = {x["what"]["reference"] for e in events for x in e["entity"]}
    assert {f"Task/{env.home.tag}-action-{i}" for i in range(1, 6)} <= disclosed
    assert f"Task/{env.home.tag}-action-100" in disclosed  # listed as withheld
    withheld = [x for e in events for x in e["entity"]
                if x["what"]["reference"] == f"Task/{env.home.tag}-action-100"]
    assert all(x.get("extension") for x in withheld)  # with the redaction reason


def test_a_second_run_changes_nothing(env: SyncEnv) -> None:
    seed(env)
    env.run()
    theirs, ours = env.home.actions_on(env.partner), env.home.actions_on(env.local)
    before = versions(env.partner, theirs), versions(env.local, ours)
    outcome = env.run()
    report = outcome.reports["jeugdhulp"]
    assert report.push.applied == 0
    assert report.pull.applied == 0
    assert (versions(env.partner, theirs), versions(env.local, ours)) == before


def test_changes_flow_both_ways_with_references_on_each_side(env: SyncEnv) -> None:
    seed(env, actions=3, health=0)
    # the action is under way when it goes: only an action in progress may be completed
    # (the agreed-action state machine, docs/ig/plans.md)
    started = read(env.local, f"Task/{env.home.tag}-action-1")
    env.local.update(dict(started, status="in-progress"), as_dict=True)
    env.run()
    theirs = env.home.actions_on(env.partner)
    first = dict(theirs["ours:A00001"], status="completed")
    env.partner.update(first, as_dict=True)
    # The partner adds an action of its own, referring to its copies of household and plan.
    new = env.home.action(7, partner=True, rid=f"{env.home.tag}-theirs-7",
                          group=first["for"]["reference"], plan=first["basedOn"][0]["reference"],
                          owner=first["owner"]["reference"], what="Jeugdhulp plant een intake")
    env.partner.update(new, if_match=False, as_dict=True)
    second = read(env.local, f"Task/{env.home.tag}-action-2")
    env.local.update(dict(second, description="Gesprek met school op dinsdag"), as_dict=True)
    env.run()
    ours = env.home.actions_on(env.local)
    assert ours["ours:A00001"]["status"] == "completed"
    assert ours["theirs:A00007"]["description"] == "Jeugdhulp plant een intake"
    assert ours["theirs:A00007"]["for"]["reference"] == env.home.group  # our ids here
    assert ours["theirs:A00007"]["basedOn"][0]["reference"] == env.home.plan
    assert env.home.actions_on(env.partner)["ours:A00002"]["description"] == \
        "Gesprek met school op dinsdag"
    assert len(env.home.actions_on(env.partner)) == 4


def test_re_reading_a_wide_overlap_never_duplicates(two_servers: list[RunningServer],
                                                    tmp_path: Path) -> None:
    env = make_env(two_servers, tmp_path, overlap="1h")
    seed(env, actions=4, health=0)
    env.run()
    env.run()  # reads the partner's echoes of our pushes (seen as echoes, nothing written)
    theirs = env.home.actions_on(env.partner)  # asserts one per number
    before = versions(env.partner, theirs), versions(env.local, env.home.actions_on(env.local))
    for _ in range(3):
        report = env.run().reports["jeugdhulp"]
        assert report.pull.read == 0  # every version in the window was queued before
        assert report.push.read == 0
    assert (versions(env.partner, env.home.actions_on(env.partner)),
            versions(env.local, env.home.actions_on(env.local))) == before
    with env.state() as state:
        seen = state.conn.execute("SELECT direction, rtype, rid, version, COUNT(*) n FROM queue "
                                  "GROUP BY 1, 2, 3, 4 HAVING n > 1").fetchall()
    assert seen == []


def test_two_partner_resources_with_one_business_identifier(env: SyncEnv) -> None:
    seed(env, actions=1, health=0)
    env.run()
    first = env.home.actions_on(env.partner)["ours:A00001"]
    refs = {"group": first["for"]["reference"], "plan": first["basedOn"][0]["reference"],
            "owner": first["owner"]["reference"]}
    for copy in ("a", "b"):  # the partner holds the same action twice (a duplicate there)
        env.partner.update(env.home.action(9, partner=True, rid=f"{env.home.tag}-dup-{copy}",
                                           **refs), if_match=False, as_dict=True)
    env.run()
    assert len([n for n in env.home.actions_on(env.local) if n == "theirs:A00009"]) == 1
    with env.state() as state:
        letters = [r for r in state.dead_letters("jeugdhulp") if r["rule"] == "duplicate-key"]
    assert len(letters) == 1
    assert letters[0]["rid"] in (f"{env.home.tag}-dup-a", f"{env.home.tag}-dup-b")
    assert "same business identifier" in letters[0]["message"]


def test_a_deletion_is_parked_for_a_person_not_copied(env: SyncEnv) -> None:
    from fhir_regie.sync.conflicts import ResolveError, resolve

    seed(env, actions=2, health=0)
    env.run()
    theirs = env.home.actions_on(env.partner)
    env.partner.delete("Task", theirs["ours:A00002"]["id"])
    env.run()
    assert "ours:A00002" in env.home.actions_on(env.local)  # still here
    with env.state() as state:
        [conflict] = state.conflicts("jeugdhulp")
        assert conflict.kind == "deleted-on-partner"
        assert conflict.theirs is None
        assert identifier_token(conflict.ours["identifier"][0]).endswith("|A00002")
        refused = None
        try:
            resolve(env.config, state, conflict.id, "theirs")  # delete ours too
        except ResolveError as error:
            refused = str(error)
        if refused is not None:
            # HAPI will not delete what our disclosure records refer to: keep ours then.
            assert "other records refer to it" in refused
            assert state.conflicts("jeugdhulp") != []
            resolve(env.config, state, conflict.id, "ours")
            env.run()  # ours goes back to the partner, through the guard
            assert sorted(env.home.actions_on(env.partner)) == ["ours:A00001", "ours:A00002"]
            return
        assert state.conflicts("jeugdhulp") == []
    assert "ours:A00002" not in env.home.actions_on(env.local)
    env.run()
    assert sorted(env.home.actions_on(env.local)) == ["ours:A00001"]


def test_an_invalid_incoming_resource_is_dead_lettered_the_rest_applied(
        sekmet_pair: list[RunningServer], tmp_path: Path) -> None:
    # sekmet stores what our profiles refuse (HAPI would not take it at all).
    env = make_env(sekmet_pair, tmp_path)
    seed(env, actions=1, health=0)
    env.run()
    first = env.home.actions_on(env.partner)["ours:A00001"]
    good = env.home.action(11, partner=True, rid=f"{env.home.tag}-good",
                           group=first["for"]["reference"],
                           plan=first["basedOn"][0]["reference"],
                           owner=first["owner"]["reference"])
    bad = dict(good, id=f"{env.home.tag}-bad",
               identifier=[{"system": env.home.partner_action_system, "value": "A00012"}])
    del bad["basedOn"]  # the profile requires the plan it comes from
    load(env.partner, [good, bad])
    env.run()
    ours = env.home.actions_on(env.local)
    assert "theirs:A00011" in ours
    assert "theirs:A00012" not in ours
    with env.state() as state:
        [letter] = [r for r in state.dead_letters("jeugdhulp") if r["rid"] == bad["id"]]
    assert letter["rule"] == "Task.basedOn"
    assert "minimum required = 1" in letter["message"]
    assert '"A00012"' in letter["content"]  # kept, not lost
