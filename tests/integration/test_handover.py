"""The handover end to end on two real servers (Veilig Thuis and the local team), for every
route, and every way it can go: accepted, rejected, changed and notified again, delivered
twice, cancelled, refused because the document is invalid. Runs on sekmet and on HAPI (which
validates every write against the profiles) through the ``two_servers`` fixture.

The servers live for the session (and a shared server keeps what earlier runs wrote), so every
test makes its own case (its own id tag, dossier number and BSNs from the run's test identities,
tests/identities.py, and its own reporter) and searches only for what it made.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fhir_regie.client import FhirClient, NoAuth, NotFound
from fhir_regie.demo_case import Reporter, named
from fhir_regie.demo_case import vt_case as demo_vt_case
from fhir_regie.handover import (
    Credentials,
    StateError,
    accept,
    cancel,
    inbox,
    reject,
    send,
)
from fhir_regie.handover._fhir import named_version
from fhir_regie.handover.inbox import notifications, take_in_one
from fhir_regie.handover.notification import address_of
from fhir_regie.ig import codesystem_url
from fhir_regie.model.handover import NOTIFICATION_SYSTEM
from fhir_regie.workflow.regions import load_region
from tests import identities
from tests.conftest import RunningServer

AMS = ZoneInfo("Europe/Amsterdam")
SENT = datetime(2026, 11, 18, 14, 0, tzinfo=AMS)
PULLED = datetime(2026, 11, 18, 14, 5, tzinfo=AMS)
ACCEPTED = datetime(2026, 11, 19, 9, 15, 27, tzinfo=AMS)
REGION = load_region("gelderland-midden")
_BSNS: dict[str, dict[str, str]] = {}   # per case tag: the example's BSN -> this run's


def vt_case(*, tag: str, **more: Any) -> list[dict[str, Any]]:
    """VT's case (``fhir_regie.demo_case.vt_case``) with this run's dossier number and BSNs;
    the same tag keeps the same numbers (a later version of the same case)."""
    more.setdefault("dossier", f"VTGM-T-{tag}")
    return identities.fresh_bsns(demo_vt_case(tag=tag, **more), _BSNS.setdefault(tag, {}))


@dataclass
class Pair:
    vt: FhirClient
    team: FhirClient
    credentials: Credentials
    last: datetime = SENT

    def send(self, case: list[dict[str, Any]], at: datetime = SENT, **more: Any) -> Any:
        self.last = max(self.last, at)
        return send(case, self.vt, self.team, at=at, **more)

    def cancel(self, task_id: str, reason: str, at: datetime) -> Any:
        self.last = max(self.last, at)
        return cancel(self.vt, self.team, task_id, reason=reason, at=at)

    def take_in(self, *tags: str) -> list[Any]:
        """Take these cases' notifications in (five minutes after the last send) as
        ``take_in`` does, oldest first, each seeing what the one before changed; only these
        cases': the team's server is shared, and what another test or an earlier run left
        there is no business of this test (the command-line test takes the whole inbox)."""
        wanted = {f"{tag}-handover" for tag in tags}
        at = max(PULLED, self.last + timedelta(minutes=5))
        own = self.credentials.own()
        all_notes = notifications(own)
        mine = [n for n in all_notes if n.get("status") == "requested" and task_of(n) in wanted]
        results = []
        for note in mine:
            results.append(take_in_one(self.credentials, note, all_notes, at))
            all_notes = notifications(own)
        return results

    def local(self, reference: str) -> dict[str, Any]:
        return self.team.read(*reference.split("/"), as_dict=True)

    def remote(self, reference: str) -> dict[str, Any]:
        return self.vt.read(*reference.split("/"), as_dict=True)

    def terms(self, client: FhirClient, task_id: str) -> list[dict[str, Any]]:
        found = client.search("Task", {"based-on": f"Task/{task_id}"}, as_dict=True, fresh=True)
        return sorted((t for t in found if t["code"]["coding"][0]["system"]
                       == codesystem_url("regie-deadline-rule")),
                      key=lambda t: (t["restriction"]["period"]["end"], t["code"]["coding"][0]
                                     ["code"]))


@pytest.fixture
def pair(two_servers: list[RunningServer]) -> Pair:
    vt_url, team_url = (server.base_url for server in two_servers)
    return Pair(FhirClient(vt_url), FhirClient(team_url),
                Credentials(team_url, NoAuth(), {vt_url: NoAuth()}))


def task_of(note: dict[str, Any]) -> str | None:
    """The id of the handover Task a notification points at (None: it points nowhere)."""
    try:
        return address_of(note).task_id
    except ValueError:
        return None


def sections(document: dict[str, Any]) -> list[str]:
    return [s["code"]["coding"][0]["code"] for s in document.get("section", [])]


def rule_dues(terms: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(t["code"]["coding"][0]["code"], t["restriction"]["period"]["end"], t["status"])
            for t in terms]


def everything(client: FhirClient) -> str:
    """Every version of every resource on a server, as one text (system history)."""
    return json.dumps([entry.resource for entry in client.history(as_dict=True)
                       if entry.resource is not None], ensure_ascii=False)


def condition_facts(goal: dict[str, Any]) -> tuple[Any, ...]:
    consequence = next(e["valueString"] for e in goal["extension"]
                       if e["url"].endswith("/regie-consequence"))
    return (goal["description"]["text"], goal["target"][0]["dueDate"], consequence,
            goal["category"][0]["coding"][0]["code"])


# ------------------------------------------------------------------------------ every route
ROUTES = {
    "direct-after-assessment": (
        ["report-content", "safety-assessment", "plan-agreements"],
        [("local-team-first-contact", "2026-12-03", "requested")], []),
    "after-voorwaarden-en-vervolg": (
        ["report-content", "safety-assessment", "safety-conditions", "safety-plan",
         "consequences", "plan-agreements", "monitoring-agreements"],
        [("local-team-first-contact", "2026-12-03", "requested"),
         ("vt-monitoring", "2027-02-19", "requested"),
         ("vt-monitoring", "2027-11-19", "requested")],
        [("vt-monitoring", "2027-02-19", "requested"),
         ("vt-monitoring", "2027-11-19", "requested")]),
    "after-onderzoek": (
        ["report-content", "safety-assessment", "vt-judgement", "safety-conditions",
         "safety-plan", "consequences", "plan-agreements", "monitoring-agreements"],
        [("local-team-first-contact", "2026-12-03", "requested"),
         ("vt-monitoring", "2027-02-19", "requested"),
         ("vt-monitoring", "2027-11-19", "requested")],
        [("vt-monitoring", "2027-02-19", "requested"),
         ("vt-monitoring", "2027-11-19", "requested")]),
    # The order of Monday 16 November: day 2 = 18 November (met: the handover was sent that
    # day), the joint talk within 2 working days (18 November), advice on day 8 (24 November);
    # acute, so the first contact is due immediately: the next calendar day after acceptance
    # (Friday; local_team.first_contact_acute_days).
    "restraining-order": (
        ["report-content", "safety-assessment", "safety-conditions", "safety-plan",
         "consequences", "plan-agreements"],
        [("restraining-order-inform-local-team", "2026-11-18", "completed"),
         ("restraining-order-joint-talk", "2026-11-18", "requested"),
         ("local-team-first-contact", "2026-11-20", "requested"),
         ("restraining-order-advice", "2026-11-24", "requested")],
        [("restraining-order-inform-local-team", "2026-11-18", "completed"),
         ("restraining-order-joint-talk", "2026-11-18", "requested"),
         ("restraining-order-advice", "2026-11-24", "requested")]),
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_every_route_carries_what_it_may_and_acceptance_starts_the_terms(pair, route):
    tag = identities.tag(f"route-{route[:12]}-")
    wanted_sections, local_terms, vt_terms = ROUTES[route]
    case = vt_case(route=route, tag=tag, reporter_anonymous=False,
                   with_judgement=True, acute=route == "restraining-order",
                   reporter=Reporter("Hanneke", f"Smeets-{route[:5]}", "06-55501234"))
    sent = pair.send(case)
    # VT's record holds a judgement and the reporter; the route and the guard decide.
    assert ("vt-judgement" in [c.section for c in sent.package.cuts]) == (
        route != "after-onderzoek")
    assert [taken.outcome for taken in pair.take_in(tag)] == ["taken-in"]
    document = pair.local(f"Composition/{tag}-document")
    assert sections(document) == wanted_sections
    assert "Smeets" not in json.dumps(document)   # named, but no contact needed: cut
    task = pair.local(f"Task/{tag}-handover")
    assert task["status"] == "requested"

    done = accept(pair.credentials, f"{tag}-handover", at=ACCEPTED, region=REGION)
    moment = "2026-11-19T09:15:27+01:00"
    for side in (pair.local(f"Task/{tag}-handover"), pair.remote(f"Task/{tag}-handover")):
        assert side["status"] == "accepted"
        assert side["executionPeriod"]["start"] == moment   # the exact moment, on both sides
        # ... and exactly which version of the document was accepted: the one handed over
        # (VT's version; the local copy names it by VT's URL, its own copy by Type/id).
        [accepted] = [named_version(o["valueReference"]) for o in side["output"]]
        assert accepted == named_version(side["focus"])
        assert f"Composition/{tag}-document/_history/" in accepted
    assert done.transfer == moment
    assert rule_dues(pair.terms(pair.team, f"{tag}-handover")) == local_terms
    assert rule_dues(pair.terms(pair.vt, f"{tag}-handover")) == vt_terms

    plan = pair.local(done.plan)
    conditions = [g["reference"] for g in plan.get("goal", [])]
    if route == "direct-after-assessment":
        assert conditions == []
    else:
        assert len(conditions) == 3
        for reference in conditions:   # VT's conditions carried over unchanged
            assert condition_facts(pair.local(reference)) == condition_facts(
                named(case, reference))


# ------------------------------------------------------------------------------ minimisation
def test_an_anonymous_reporter_is_nowhere_on_the_local_teams_server(pair):
    tag = identities.tag("anonymous-")
    reporter = Reporter("Greetje", "Wolterink", "06-29384756")
    case = vt_case(tag=tag, reporter=reporter,
                   reporter_anonymous=True,
                   report_extra="De melder, mevrouw Greetje Wolterink, woont ernaast.")
    pair.send(case, reporter_contact_needed=True)   # anonymous wins over contact needed
    assert [taken.outcome for taken in pair.take_in(tag)] == ["taken-in"]
    accept(pair.credentials, f"{tag}-handover", at=ACCEPTED, region=REGION)
    on_team = everything(pair.team)
    assert f"{tag}-household" in on_team   # the search does see this case
    for secret in ("Greetje", "Wolterink", "06-29384756", f"{tag}-melder"):
        assert secret not in on_team, secret
    document = pair.local(f"Composition/{tag}-document")
    assert "reporter-contact" not in sections(document)
    assert "mevrouw [weggelaten], woont ernaast" in json.dumps(document, ensure_ascii=False)
    # VT's own record of who called never left VT's registration either.
    assert "Wolterink" not in everything(pair.vt)


def test_a_named_reporter_goes_only_when_contact_is_needed(pair):
    tag = identities.tag("named-")
    case = vt_case(tag=tag, reporter_anonymous=False,
                   reporter=Reporter("Ingrid", "Pauwels", "06-71112223"))
    pair.send(case, reporter_contact_needed=True)
    pair.take_in(tag)
    document = pair.local(f"Composition/{tag}-document")
    assert "reporter-contact" in sections(document)
    assert "Ingrid Pauwels" in json.dumps(document, ensure_ascii=False)
    assert pair.local(f"RelatedPerson/{tag}-melder")["name"][0]["family"] == "Pauwels"


# ------------------------------------------------------------------------------ lifecycle
def test_a_rejection_reaches_veilig_thuis_and_a_corrected_offer_comes_back(pair):
    tag = identities.tag("rejected-")
    case = vt_case(tag=tag)
    pair.send(case)
    pair.take_in(tag)
    with pytest.raises(StateError, match="needs a reason"):
        reject(pair.credentials, f"{tag}-handover", at=ACCEPTED, reason=" ")
    reason = "Het gezin woont sinds oktober in Renkum: dat is niet ons werkgebied."
    reject(pair.credentials, f"{tag}-handover", at=ACCEPTED, reason=reason)
    for side in (pair.local(f"Task/{tag}-handover"), pair.remote(f"Task/{tag}-handover")):
        assert side["status"] == "rejected"
        assert side["statusReason"]["text"] == reason
    assert pair.terms(pair.team, f"{tag}-handover") == []
    with pytest.raises(StateError, match="is rejected"):
        accept(pair.credentials, f"{tag}-handover", at=ACCEPTED, region=REGION)
    again = pair.send(case, at=datetime(2026, 11, 20, 10, 0, tzinfo=AMS))
    assert again.status == "requested"
    assert [t.outcome for t in pair.take_in(tag)] == ["updated"]
    assert pair.local(f"Task/{tag}-handover")["status"] == "requested"


def test_a_changed_document_is_notified_again_and_the_receiver_sees_the_new_version(pair):
    tag = identities.tag("changed-")
    case = vt_case(tag=tag)
    first = pair.send(case)
    pair.take_in(tag)
    changed = vt_case(tag=tag,
                      report_extra="Aanvulling 19 november: de school van Sem meldt dat hij "
                                   "vaak moe is en niet wil vertellen waarom.")
    second = pair.send(changed, at=datetime(2026, 11, 19, 8, 0, tzinfo=AMS))
    assert int(second.address.version) > int(first.address.version)
    assert second.notified
    assert f"Composition/{tag}-document" in second.written
    # Accepting the version taken in before the change is refused: look at the new one first.
    with pytest.raises(StateError, match=f"changed Task/{tag}-handover"):
        accept(pair.credentials, f"{tag}-handover", at=ACCEPTED, region=REGION)
    assert [t.outcome for t in pair.take_in(tag)] == ["updated"]
    document = pair.local(f"Composition/{tag}-document")
    assert "Aanvulling 19 november" in json.dumps(document, ensure_ascii=False)
    [entry] = [e for e in inbox(pair.team) if e.task_id == f"{tag}-handover"]
    assert entry.versions == 2
    assert [m[1] for m in entry.messages] == [first.address.version, second.address.version]
    done = accept(pair.credentials, f"{tag}-handover", at=ACCEPTED, region=REGION)
    assert done.status == "accepted"
    # After acceptance VT adds a condition: it joins the local team's safety plan.
    later = vt_case(tag=tag,
                    report_extra="Aanvulling 19 november: de school van Sem meldt dat hij "
                                 "vaak moe is en niet wil vertellen waarom.")
    document = named(later, f"Composition/{tag}-document")
    extra = json.loads(json.dumps(named(later, f"Goal/{tag}-condition-plan")))
    extra["id"] = f"{tag}-condition-school"
    extra["description"]["text"] = "Sem gaat elke dag naar school."
    later.append(extra)
    for section in document["section"]:
        if section["code"]["coding"][0]["code"] == "safety-conditions":
            section["entry"].append({"reference": f"Goal/{tag}-condition-school"})
    third = pair.send(later, at=datetime(2026, 11, 23, 9, 0, tzinfo=AMS))
    assert third.status == "accepted"   # the answer on VT's server is kept
    assert [t.outcome for t in pair.take_in(tag)] == ["updated"]
    # The acceptance stays with the version accepted: the third version is not accepted by it.
    task = pair.local(f"Task/{tag}-handover")
    [accepted] = [named_version(o["valueReference"]) for o in task["output"]]
    current = named_version(task["focus"])
    assert accepted.startswith(pair.vt.base_url)   # VT's version, named by VT's URL
    assert accepted != current
    assert accepted.split("/_history/")[0] == current.split("/_history/")[0]
    plan = pair.local(done.plan)
    assert f"Goal/{tag}-condition-school" in [g["reference"] for g in plan["goal"]]
    assert len(plan["goal"]) == 4


def test_the_same_notification_twice_is_one_handover(pair):
    tag = identities.tag("twice-")
    case = vt_case(tag=tag)
    first = pair.send(case)
    repeat = pair.send(case)   # same case, same moment: nothing new
    assert repeat.written == ()
    assert not repeat.notified
    assert repeat.notification_id == first.notification_id
    # A sender without conditional create delivers the notification a second time.
    copy = {k: v for k, v in pair.local(f"Task/{first.notification_id}").items()
            if k not in ("id", "meta")}
    copy["meta"] = {"profile": pair.local(f"Task/{first.notification_id}")["meta"]["profile"]}
    pair.team.create(copy)
    outcomes = sorted(t.outcome for t in pair.take_in(tag))
    assert outcomes == ["duplicate", "taken-in"]
    mine = [n for n in notifications(pair.team)
            if n["identifier"][0]["value"] == first.address.identifier]
    assert len(mine) == 2
    assert {n["status"] for n in mine} == {"completed"}
    accept(pair.credentials, f"{tag}-handover", at=ACCEPTED, region=REGION)
    after = pair.send(case, at=datetime(2026, 11, 20, tzinfo=AMS))   # nothing new for them
    assert (after.written, after.notification_id, after.status) == ((), None, "accepted")
    again = accept(pair.credentials, f"{tag}-handover", at=datetime(2026, 11, 20, tzinfo=AMS),
                   region=REGION)
    assert again.already
    assert again.transfer == "2026-11-19T09:15:27+01:00"
    assert len(pair.terms(pair.team, f"{tag}-handover")) == 3   # one set of terms
    assert [e.task_id for e in inbox(pair.team)].count(f"{tag}-handover") == 1


def test_a_cancelled_handover_is_withdrawn_before_and_after_it_was_pulled(pair):
    pulled, never = identities.tag("cancel-pulled-"), identities.tag("cancel-never-")
    pair.send(vt_case(tag=pulled))
    pair.take_in(pulled)
    pair.send(vt_case(tag=never))
    reason = "Het gezin is verhuisd naar Zwolle; Veilig Thuis IJsselland neemt het over."
    at = datetime(2026, 11, 18, 16, 0, tzinfo=AMS)
    pair.cancel(f"{pulled}-handover", reason, at)
    pair.cancel(f"{never}-handover", reason, at)
    # The first notice of the never-pulled case is superseded by the one of its cancellation.
    assert sorted(t.outcome for t in pair.take_in(pulled, never)) == [
        "cancelled", "cancelled", "superseded"]
    local = pair.local(f"Task/{pulled}-handover")
    assert (local["status"], local["statusReason"]["text"]) == ("cancelled", reason)
    assert f"{never}-household" not in everything(pair.team)   # nothing of it came in
    with pytest.raises(StateError, match="is cancelled"):
        accept(pair.credentials, f"{pulled}-handover", at=ACCEPTED, region=REGION)
    with pytest.raises(StateError, match="was cancelled"):
        pair.send(vt_case(tag=pulled))
    statuses = {e.task_id: e.status for e in inbox(pair.team)}
    assert statuses[f"{pulled}-handover"] == statuses[f"{never}-handover"] == "cancelled"


def test_an_invalid_document_is_refused_with_its_reason_and_nothing_is_lost(pair):
    tag = identities.tag("invalid-")
    case = vt_case(tag=tag)
    sent = pair.send(case)
    # Another vendor's VT system then changes the document on VT's server, without claiming
    # the profile (so even a validating server stores it): the safety conditions are gone,
    # which a handover after Voorwaarden en Vervolg must carry (rg-hdc-4); and it makes the
    # handover name that version.
    document = pair.remote(f"Composition/{tag}-document")
    document.pop("meta")
    document["section"] = [s for s in document["section"]
                           if s["code"]["coding"][0]["code"] != "safety-conditions"]
    pair.vt.update(document)
    version = pair.remote(f"Composition/{tag}-document")["meta"]["versionId"]
    task = pair.remote(f"Task/{tag}-handover")
    task["focus"] = {"reference": f"Composition/{tag}-document/_history/{version}"}
    pair.vt.update(task)
    [taken] = pair.take_in(tag)
    assert taken.outcome == "refused"
    assert "rg-hdc-4" in taken.reason
    note = pair.local(taken.notification)
    assert note["status"] == "failed"
    assert "rg-hdc-4" in note["statusReason"]["text"]
    kept = pair.local(note["output"][0]["valueReference"]["reference"])
    bundle = json.loads(base64.b64decode(kept["data"]))
    held = {f"{e['resource']['resourceType']}/{e['resource'].get('id')}": e["resource"]
            for e in bundle["entry"]}
    assert held[f"Composition/{tag}-document"]["section"] == document["section"]
    assert f"Task/{tag}-handover" in held
    outcome = next(r for r in held.values() if r["resourceType"] == "OperationOutcome")
    assert any("rg-hdc-4" in i["diagnostics"] and i["expression"] == ["Composition"]
               for i in outcome["issue"])
    assert any(r["resourceType"] == "AuditEvent" for r in held.values())   # what VT was told
    refused = pair.remote(f"Task/{tag}-handover")
    assert refused["status"] == "rejected"
    assert "rg-hdc-4" in refused["statusReason"]["text"]
    with pytest.raises(NotFound):
        pair.local(f"Composition/{tag}-document")   # nothing invalid was stored
    assert sent.address.task_id == f"{tag}-handover"


def test_an_edit_the_handover_does_not_name_is_not_handed_over(pair):
    """The handover names the version of the document it hands over: an edit on VT's server
    that the Task does not name (no new send) is not what the local team takes in."""
    tag = identities.tag("edited-")
    pair.send(vt_case(tag=tag))
    document = pair.remote(f"Composition/{tag}-document")
    handed_over = pair.remote(f"Task/{tag}-handover")["focus"]["reference"]
    assert handed_over == f"Composition/{tag}-document/_history/{document['meta']['versionId']}"
    document["title"] = "Later gewijzigd, niet overgedragen"
    pair.vt.update(document)
    assert [t.outcome for t in pair.take_in(tag)] == ["taken-in"]
    assert pair.local(f"Composition/{tag}-document")["title"] != document["title"]


def test_a_notification_from_an_unknown_server_waits_and_nothing_is_requested(pair):
    from fhir_regie.model import Organisation, handover_notification, to_json

    tag = identities.tag("vreemd-")
    note = to_json(handover_notification(
        identifier=str(uuid.uuid4()),
        task_url=f"https://fhir.elders.example/fhir/Task/{tag}-handover/_history/1",
        vt=Organisation("Onbekende afzender"), local_team=Organisation("Lokaal team Arnhem",
                                                                      "90004620"),
        authored_on=SENT))
    created = pair.team.create(note)
    try:
        [taken] = pair.take_in(tag)
        assert taken.outcome == "waiting"
        assert "no credentials are configured" in taken.reason
        assert pair.local(f"Task/{created.id}")["status"] == "requested"   # kept for later
        assert NOTIFICATION_SYSTEM in json.dumps(pair.local(f"Task/{created.id}"))
    finally:
        pair.team.delete("Task", created.id)   # the other tests share this server


def test_the_command_line_sends_takes_in_and_accepts(pair, tmp_path):
    import io

    from fhir_regie.cli import main

    tag = identities.tag("cli-")
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": r} for r in vt_case(tag=tag)]}), encoding="utf-8")

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()

    vt_url, team_url = pair.vt.base_url, pair.team.base_url
    code, out, err = run("handover", "send", "--from", vt_url, "--to", team_url,
                         "--case", str(case))
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith(f"Task/{tag}-handover versie 1 (aangeboden) op "
                                          f"{vt_url}")
    code, out, err = run("handover", "inbox", "--server", team_url)   # no --peer: it waits
    assert code == 0   # waiting is not a refusal: exit 1 only for something new refused
    assert "wacht" in err
    assert re.search(r"^Verwerkt: .*\b[1-9][0-9]* wacht", err, re.MULTILINE), err   # counts
    assert "no credentials are configured for the sending server" in err
    code, out, err = run("handover", "inbox", "--server", team_url, "--peer", vt_url)
    assert code == 0, err
    assert f"opgehaald - Task/{tag}-handover versie 1" in err
    assert f"Task/{tag}-handover (Huishouden Hoekstra): aangeboden, " in out
    code, out, err = run("handover", "accept", f"{tag}-handover", "--server", team_url,
                         "--peer", vt_url, "--region", "gelderland-midden")
    assert code == 0, err
    assert out.startswith(f"Task/{tag}-handover: aangenomen; verantwoordelijk voor zicht op "
                          "veiligheid sinds ")
    assert "vt-monitoring" in out
    code, _, err = run("handover", "reject", f"{tag}-handover", "--server", team_url,
                       "--peer", vt_url, "--reason", "Toch niet.")
    assert code == 1
    assert "cannot be rejected" in err
