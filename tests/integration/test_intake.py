"""The local team's intake keeps its own identities and never stalls (issue 18), on sekmet and
HAPI through the ``two_servers`` fixture: an id that collides with a local record overwrites
nothing, a person matched by BSN joins the local household, a person without a BSN is a new
record flagged for review, and a poisoned, oversized or dripping peer is refused while a
genuine handover after it is still taken in (``tools/faultproxy.py``).

Every test has ids and BSNs of its own (a shared HAPI keeps everything between runs).
"""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fhir_regie.client import FhirClient, NoAuth
from fhir_regie.demo_case import ids
from fhir_regie.demo_case import vt_case as demo_case
from fhir_regie.handover import Credentials, accept, send, take_in
from fhir_regie.handover.identity import BSN, URI
from fhir_regie.handover.inbox import inbox, inbox_lines
from fhir_regie.limits import Limits
from fhir_regie.workflow.regions import load_region
from tests import identities
from tests.conftest import RunningServer
from tools.faultproxy import FaultProxy, Rule

AMS = ZoneInfo("Europe/Amsterdam")
SENT = datetime(2026, 11, 18, 14, 0, tzinfo=AMS)
PULLED = SENT + timedelta(minutes=5)
REGION = load_region("gelderland-midden")


_BSNS: dict[str, dict[str, str]] = {}   # per case tag: the example's BSN -> this run's


def new_tag() -> str:
    return identities.tag("i")


def case_of(tag: str, **options: Any) -> list[dict[str, Any]]:
    return identities.fresh_bsns(demo_case(tag=tag, dossier=f"VTGM-{tag}", **options),
                                 _BSNS.setdefault(tag, {}))


def version(client: FhirClient, ref: str) -> str:
    return str(client.read(*ref.split("/"), as_dict=True)["meta"]["versionId"])


class Limited(Credentials):
    """Credentials whose clients for ``limited`` servers read under ``limits`` (the own
    server keeps the defaults: a busy shared HAPI must not trip a test's short deadline)."""

    def __init__(self, own_url: str, peers: list[str], limited: str, limits: Limits) -> None:
        super().__init__(own_url, NoAuth(), dict.fromkeys(peers, NoAuth()))
        self.limited, self.limits = limited.rstrip("/"), limits

    def client(self, base_url: str) -> FhirClient:
        found = super().client(base_url)
        if base_url.rstrip("/") == self.limited:
            found.limits = self.limits
        return found


@pytest.fixture
def servers(two_servers: list[RunningServer]) -> tuple[FhirClient, FhirClient]:
    vt_url, team_url = (server.base_url for server in two_servers)
    return FhirClient(vt_url), FhirClient(team_url)


def take(credentials: Credentials, *tags: str) -> dict[str, Any]:
    wanted = {f"Task/{tag}-handover": tag for tag in tags}
    return {wanted[t.handover]: t for t in take_in(credentials, at=PULLED)
            if t.handover in wanted}


def local_task(team: FhirClient, tag: str) -> dict[str, Any]:
    return team.read("Task", f"{tag}-handover", as_dict=True)


# --------------------------------------------------------------------------- identities
def test_an_id_that_collides_with_a_local_record_overwrites_nothing(servers):
    vt, team = servers
    tag = new_tag()
    n = ids(tag)
    # The local team's own client and household under the very ids VT uses: other people.
    petra = {"resourceType": "Patient", "id": n["linda"],
             "identifier": [{"system": BSN, "value": identities.bsn()}],
             "name": [{"family": "Bakker", "given": ["Petra"]}]}
    home = {"resourceType": "Group", "id": n["household"], "type": "person", "actual": True,
            "name": "Huishouden Bakker",
            "member": [{"entity": {"reference": f"Patient/{n['linda']}"}}]}
    team.update(petra, if_match=False)
    team.update(home, if_match=False)
    before = {ref: (version(team, ref), team.read(*ref.split("/"), as_dict=True))
              for ref in (f"Patient/{n['linda']}", f"Group/{n['household']}")}

    send(case_of(tag), vt, team, at=SENT)
    taken = take(Credentials(team.base_url, NoAuth(), {vt.base_url: NoAuth()}), tag)[tag]
    assert taken.outcome == "taken-in", taken.line()

    for ref, (was, content) in before.items():   # both local records intact, not a new version
        now = team.read(*ref.split("/"), as_dict=True)
        assert now["meta"]["versionId"] == was
        assert now["name"] == content["name"]
    task = local_task(team, tag)
    group_ref = task["for"]["reference"]
    assert group_ref != f"Group/{n['household']}"   # VT's household got a local id of its own
    group = team.read(*group_ref.split("/"), as_dict=True)
    members = [m["entity"]["reference"] for m in group["member"]]
    assert f"Patient/{n['linda']}" not in members
    lindas = [team.read(*ref.split("/"), as_dict=True) for ref in members]
    linda = next(p for p in lindas if p["name"][0]["given"] == ["Linda"])
    assert linda["name"][0]["family"] == "Hoekstra"
    # the sender's identity travels along: an identifier and the Provenance
    address = f"{vt.base_url}/Patient/{n['linda']}"
    assert {"system": URI, "value": address} in linda["identifier"]
    provenance = list(team.search("Provenance", {"target": group_ref}, as_dict=True,
                                  fresh=True))
    assert provenance, "no Provenance for the household taken in"
    sources = {e["what"]["identifier"]["value"].split("/_history/")[0]
               for p in provenance for e in p["entity"]}
    assert address in sources

    # Accepting answers VT in VT's references and keeps the local ones locally.
    done = accept(Credentials(team.base_url, NoAuth(), {vt.base_url: NoAuth()}),
                  f"{tag}-handover", at=PULLED + timedelta(hours=1), region=REGION)
    assert done.status == "accepted"
    ours_now, theirs_now = local_task(team, tag), vt.read("Task", f"{tag}-handover",
                                                          as_dict=True)
    assert (ours_now["status"], theirs_now["status"]) == ("accepted", "accepted")
    assert ours_now["for"]["reference"] == group_ref
    assert theirs_now["for"]["reference"] == f"Group/{n['household']}"
    assert team.read("CarePlan", done.plan.split("/")[1], as_dict=True)["subject"] == {
        "reference": group_ref}
    for ref, (was, _) in before.items():
        assert version(team, ref) == was


def test_a_case_resource_under_a_local_id_is_refused_and_kept_not_overwritten(servers):
    vt, team = servers
    tag = new_tag()
    own = {"resourceType": "Task", "id": f"{tag}-handover", "status": "requested",
           "intent": "order", "description": "Eigen taak van het lokale team"}
    team.update(own, if_match=False)
    was = version(team, f"Task/{tag}-handover")

    send(case_of(tag), vt, team, at=SENT)
    taken = take(Credentials(team.base_url, NoAuth(), {vt.base_url: NoAuth()}), tag)[tag]

    assert taken.outcome == "refused"
    assert "id-botsing" in (taken.reason or "")
    now = local_task(team, tag)
    assert (now["meta"]["versionId"], now["description"]) == (was, own["description"])
    note = team.read(*taken.notification.split("/"), as_dict=True)
    assert note["status"] == "failed"
    kept = team.read(*note["output"][0]["valueReference"]["reference"].split("/"),
                     as_dict=True)
    bundle = json.loads(base64.b64decode(kept["data"]))
    outcome = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "OperationOutcome")
    assert outcome["issue"][0]["code"] == "conflict"


def test_a_person_matched_by_bsn_joins_the_local_household(servers):
    vt, team = servers
    tag = new_tag()
    n = ids(tag)
    case = case_of(tag)
    linda_bsn = next(i["value"] for r in case if r["id"] == n["linda"]
                     for i in r["identifier"] if i["system"] == BSN)
    own_linda = {"resourceType": "Patient", "id": f"{tag}-eigen-linda",
                 "identifier": [{"system": BSN, "value": linda_bsn}],
                 "name": [{"family": "Hoekstra", "given": ["Linda", "Maria"]}]}
    own_home = {"resourceType": "Group", "id": f"{tag}-eigen-gezin", "type": "person",
                "actual": True, "name": "Gezin Hoekstra (wijkteam)",
                "member": [{"entity": {"reference": f"Patient/{tag}-eigen-linda"}}]}
    team.update(own_linda, if_match=False)
    team.update(own_home, if_match=False)
    versions = {ref: version(team, ref) for ref in (f"Patient/{tag}-eigen-linda",
                                                    f"Group/{tag}-eigen-gezin")}

    send(case, vt, team, at=SENT)
    credentials = Credentials(team.base_url, NoAuth(), {vt.base_url: NoAuth()})
    taken = take(credentials, tag)[tag]
    assert taken.outcome == "taken-in", taken.line()

    task = local_task(team, tag)
    assert task["for"]["reference"] == f"Group/{tag}-eigen-gezin"   # the local household
    for ref, was in versions.items():   # referred to, not written over
        assert version(team, ref) == was
    same_bsn = list(team.search("Patient", {"identifier": f"{BSN}|{linda_bsn}"}, as_dict=True,
                                fresh=True))
    assert [p["id"] for p in same_bsn] == [f"{tag}-eigen-linda"]   # no second Linda
    # Erik and the children are not in the local household: a person must look at it
    lines = inbox_lines(inbox(team))
    assert any(line.startswith(f"  ter controle: Group/{tag}-eigen-gezin: Huishouden "
                               "controleren") for line in lines), lines


def test_a_person_without_bsn_is_a_new_record_flagged_for_review(servers):
    vt, team = servers
    tag = new_tag()
    n = ids(tag)
    case = case_of(tag)
    for resource in case:
        if resource["id"] == n["noa"]:
            del resource["identifier"]   # only the BSN: no identifier left
    namesake = {"resourceType": "Patient", "id": f"{tag}-eigen-noa",
                "name": [{"family": "Hoekstra", "given": ["Noa"]}], "birthDate": "2019-06-02"}
    team.update(namesake, if_match=False)
    was = version(team, f"Patient/{tag}-eigen-noa")

    send(case, vt, team, at=SENT)
    credentials = Credentials(team.base_url, NoAuth(), {vt.base_url: NoAuth()})
    taken = take(credentials, tag)[tag]
    assert taken.outcome == "taken-in", taken.line()
    assert taken.flagged == 1

    group = team.read(*local_task(team, tag)["for"]["reference"].split("/"), as_dict=True)
    members = [m["entity"]["reference"] for m in group["member"]]
    assert f"Patient/{tag}-eigen-noa" not in members   # never merged automatically
    assert version(team, f"Patient/{tag}-eigen-noa") == was
    noa = next(ref for ref in members if team.read(*ref.split("/"), as_dict=True)["name"][0]
               ["given"] == ["Noa"])
    flags = list(team.search("Flag", {"subject": noa}, as_dict=True, fresh=True))
    assert [f["status"] for f in flags] == ["active"]
    assert flags[0]["code"]["text"].startswith("Identiteit controleren: geen BSN")
    lines = inbox_lines(inbox(team))
    assert f"  ter controle: {noa}: {flags[0]['code']['text']}" in lines


# --------------------------------------------------------------------------- poison and limits
def test_a_poisoned_notification_is_refused_and_a_genuine_one_after_it_taken_in(servers):
    vt, team = servers
    poisoned, genuine = new_tag(), new_tag()
    with FaultProxy(vt.base_url) as proxy:
        send(case_of(poisoned), FhirClient(proxy.base_url), team, at=SENT)
        send(case_of(genuine), vt, team, at=SENT + timedelta(minutes=1))
        deep = b'{"resourceType":"Task","note":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
        proxy.rules.append(Rule("body", method="GET", path=f"/Task/{poisoned}-handover",
                                body=deep, times=10))
        credentials = Credentials(team.base_url, NoAuth(), {vt.base_url: NoAuth(),
                                                             proxy.base_url: NoAuth()})
        taken = take(credentials, poisoned, genuine)
    assert taken[poisoned].outcome == "refused"
    assert "te diep genest" in (taken[poisoned].reason or "")
    assert taken[genuine].outcome == "taken-in", taken[genuine].line()
    note = team.read(*taken[poisoned].notification.split("/"), as_dict=True)
    assert note["status"] == "failed"
    assert note["statusReason"]["text"].startswith("Geweigerd: het antwoord van de afzender")
    assert local_task(team, genuine)["status"] == "requested"


@pytest.mark.parametrize("fault", ["oversize", "drip-body", "drip-head"])
def test_an_oversized_or_dripping_peer_is_cut_off_and_the_rest_goes_on(servers, fault):
    vt, team = servers
    bad, genuine = new_tag(), new_tag()
    limits = Limits(max_bytes=1024 * 1024, deadline=3.0)
    with FaultProxy(vt.base_url, timeout=90.0) as proxy:   # would drip for 90 s
        send(case_of(bad), FhirClient(proxy.base_url), team, at=SENT)
        send(case_of(genuine), vt, team, at=SENT + timedelta(minutes=1))
        path = f"/Task/{bad}-handover"
        rule = (Rule("oversize", method="GET", path=path, size=5 * 1024 * 1024, times=10)
                if fault == "oversize" else
                Rule("drip", method="GET", path=path, delay=1.0, head=fault == "drip-head",
                     times=10))
        proxy.rules.append(rule)
        credentials = Limited(team.base_url, [vt.base_url, proxy.base_url], proxy.base_url,
                              limits)
        started = time.monotonic()
        taken = take(credentials, bad, genuine)
        elapsed = time.monotonic() - started
    assert taken[bad].outcome == "refused"
    assert ("te groot" if fault == "oversize" else "te traag") in (taken[bad].reason or "")
    assert taken[genuine].outcome == "taken-in", taken[genuine].line()
    if fault != "oversize":   # cut off at the deadline (3 s), not after the 90 s of dripping
        assert elapsed < 60, elapsed   # the whole intake of a shared, busy server included
