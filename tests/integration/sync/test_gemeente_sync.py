"""Sync with a file-based partner: the municipal case system's CSV exports (``gemeente-suite``)
in drop directories and our FHIR server (sekmet and HAPI). Status changes flow both ways; what
goes out goes through the consent guard, as changed rows only."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fhir_regie.cli import main
from fhir_regie.client import FhirClient
from fhir_regie.ig import CANONICAL
from fhir_regie.model import sharing_consent, to_json
from fhir_regie.sync.config import load_config
from fhir_regie.sync.state import StateStore
from fhir_regie.sync.worker import Outcome, run_once
from tests.conftest import RunningServer
from tests.integration.sync.conftest import fresh_client
from tests.integration.sync.gemeente import (
    GEMEENTE,
    TEAM,
    CaseHousehold,
    drop,
    new_base,
    write_config,
)
from tests.integration.sync.household import load, organisation

ACTION = f"{CANONICAL}/NamingSystem/gemeente-suite-action"
CLIENT = f"{CANONICAL}/NamingSystem/gemeente-suite-client"


@dataclass
class Drop:
    local: FhirClient
    folder: Path
    config_path: Path

    @property
    def inbox(self) -> Path:
        return self.folder / "uit"

    @property
    def outbox(self) -> Path:
        return self.folder / "in"

    def run(self) -> Outcome:
        outcome = run_once(load_config(self.config_path), wait=5)
        assert not outcome.reports["gemeente"].errors
        return outcome

    def state(self) -> StateStore:
        return StateStore(load_config(self.config_path).state)

    def one(self, rtype: str, system: str, value: str) -> dict[str, Any]:
        found = list(self.local.search(rtype, {"identifier": f"{system}|{value}"},
                                       as_dict=True))
        assert len(found) == 1, (rtype, value, len(found))
        return found[0]

    def exported(self) -> dict[str, list[dict[str, str]]]:
        """Every row the sync wrote to the drop directory, per table."""
        rows: dict[str, list[dict[str, str]]] = {}
        if not self.outbox.exists():
            return rows
        for export in sorted(p for p in self.outbox.iterdir() if not p.name.startswith(".")):
            for table in export.iterdir():
                reader = csv.DictReader(io.StringIO(table.read_text(encoding="utf-8")),
                                        delimiter=";")
                rows.setdefault(table.stem, []).extend(reader)
        return rows

    def consent(self, case: CaseHousehold, child_too: bool = True) -> None:
        """The household's consent: the parent's, and the child's (12, so the child and the
        parent give it together: DOMAIN.md §1)."""
        parent = self.one("Patient", CLIENT, case.client(1))
        child = self.one("Patient", CLIENT, case.client(2))
        now = datetime.now(UTC)
        for person, given in ((parent, [parent]), (child, [child, parent] if child_too
                                                   else [parent])):
            load(self.local, [to_json(sharing_consent(
                id=f"{person['id']}-gemeente", client=f"Patient/{person['id']}",
                given_by=[f"Patient/{p['id']}" for p in given], on=now - timedelta(hours=1),
                recipients=GEMEENTE, purposes="care-coordination",
                data_classes=["household-composition", "contact-details", "support-plan",
                              "agreed-actions"],
                period_start=now.date().isoformat(),
                period_end=(now + timedelta(days=365)).date().isoformat(),
                verified_with=f"Patient/{parent['id']}", verified_on=now - timedelta(hours=1),
                recorded_by=TEAM))])

    def set_status(self, number: str, status: str, **extra: Any) -> None:
        task = self.one("Task", ACTION, number)
        task.update(status=status, lastModified=datetime.now(UTC).isoformat(
            timespec="seconds"), **extra)
        self.local.update(task, as_dict=True)


@pytest.fixture
def gemeente(fhir_server: RunningServer, tmp_path: Path) -> Iterator[Drop]:
    local = fresh_client(fhir_server.base_url)
    load(local, [organisation(TEAM, "Sociaal Wijkteam Arnhem-Zuid", "90004711"),
                 organisation(GEMEENTE, "Gemeente Arnhem, sociaal domein", "90004417")])
    made = Drop(local, tmp_path, write_config(tmp_path, fhir_server.base_url))
    made.run()  # pushes start now: what other tests wrote is never read
    yield made
    local.close()


def test_an_export_becomes_the_household_on_our_server(gemeente: Drop) -> None:
    case = CaseHousehold(new_base())
    export = drop(gemeente.inbox, "20261201T080000-0001", [case])
    report = gemeente.run().reports["gemeente"]
    assert export.name in report.exports
    parent = gemeente.one("Patient", CLIENT, case.client(1))
    group = gemeente.one("Group", f"{CANONICAL}/NamingSystem/gemeente-suite-household",
                         case.household)
    assert next(m["entity"]["reference"] for m in group["member"]) == f"Patient/{parent['id']}"
    task = gemeente.one("Task", ACTION, case.action(0))
    assert task["status"] == "requested"  # open
    assert task["for"]["reference"] == f"Group/{group['id']}"  # our ids
    # The original rows are kept, linked by Provenance to what was made of them.
    provenance = list(gemeente.local.search(
        "Provenance", {"target": f"Task/{task['id']}"}, as_dict=True))
    assert len(provenance) == 1
    binary = gemeente.local.read("Binary", provenance[0]["entity"][0]["what"]["reference"]
                                 .split("/")[1], as_dict=True)
    assert binary["contentType"] == "application/json"
    again = gemeente.run().reports["gemeente"]
    assert again.pull.read == 0  # the export is read once
    assert not gemeente.outbox.exists() or not any(gemeente.outbox.iterdir())  # echo


def test_status_changes_flow_both_ways_as_changed_rows(gemeente: Drop) -> None:
    case = CaseHousehold(new_base())
    drop(gemeente.inbox, "20261201T080000-0001", [case])
    gemeente.run()
    gemeente.consent(case)
    # The team completes action 1; the case system starts action 0 and exports again.
    gemeente.set_status(case.action(1), "completed")
    case.actions[case.action(0)].update(status="gestart", changed="01-12-2026 08:40")
    drop(gemeente.inbox, "20261201T090000-0002", [case])
    report = gemeente.run().reports["gemeente"]
    assert gemeente.one("Task", ACTION, case.action(0))["status"] == "in-progress"
    rows = gemeente.exported()
    assert [(r["actienummer"], r["status"]) for r in rows["acties"]] == [
        (case.action(1), "afgerond")]
    assert all(not rows.get(t) for t in ("clienten", "gezinssamenstelling", "plannen"))
    assert report.push.applied >= 1
    # The disclosure record names what went: the action, not the whole household.
    task = gemeente.one("Task", ACTION, case.action(1))
    events = list(gemeente.local.search("AuditEvent", {"entity": f"Task/{task['id']}"},
                                               as_dict=True))
    assert len(events) == 1
    assert {a["who"]["reference"] for a in events[0]["agent"]} == {TEAM, GEMEENTE}
    disclosed = {x["what"]["reference"] for x in events[0]["entity"]
                 if not x.get("extension")}
    assert disclosed == {f"Task/{task['id']}"}
    # The case system imports it and exports again: nothing new either way.
    sent = rows["acties"][0]
    case.actions[case.action(1)].update(status="afgerond", changed=sent["gewijzigd_op"])
    drop(gemeente.inbox, "20261201T100000-0003", [case])
    before = len(list(gemeente.outbox.iterdir()))
    gemeente.run()
    assert len(list(gemeente.outbox.iterdir())) == before
    assert gemeente.one("Task", ACTION, case.action(1))["status"] == "completed"
    with gemeente.state() as state:
        assert state.conflicts("gemeente") == []


def test_without_consent_nothing_goes_and_that_is_recorded(gemeente: Drop) -> None:
    case = CaseHousehold(new_base(), family="Bos")
    drop(gemeente.inbox, "20261201T080000-0001", [case])
    gemeente.run()
    gemeente.set_status(case.action(0), "on-hold",
                        statusReason={"text": "Wacht op de schuldhulpverlening"})
    report = gemeente.run().reports["gemeente"]
    assert report.push.denied == 1
    assert not gemeente.outbox.exists() or not any(gemeente.outbox.iterdir())
    task = gemeente.one("Task", ACTION, case.action(0))
    with gemeente.state() as state:
        [row] = [r for r in state.rows("gemeente", "push", "denied") if r.rid == task["id"]]
    assert "no consent of a household member" in (row.reason or "")


def test_a_record_that_needs_what_the_guard_keeps_back_does_not_go(gemeente: Drop) -> None:
    case = CaseHousehold(new_base())
    drop(gemeente.inbox, "20261201T080000-0001", [case])
    gemeente.run()
    gemeente.consent(case, child_too=False)  # the 12-year-old did not consent himself
    gemeente.set_status(case.action(1), "completed")
    report = gemeente.run().reports["gemeente"]
    assert report.push.denied == 1
    assert report.push.dead == 0
    assert "acties" not in gemeente.exported()
    task = gemeente.one("Task", ACTION, case.action(1))
    with gemeente.state() as state:
        [row] = [r for r in state.rows("gemeente", "push", "denied") if r.rid == task["id"]]
    assert row.reason == ("the partner's record needs what the consent guard keeps back "
                          "(required at gezinssamenstelling[1].clientnummer)")


def test_health_data_stays_behind_even_with_consent(gemeente: Drop) -> None:
    case = CaseHousehold(new_base())
    drop(gemeente.inbox, "20261201T080000-0001", [case])
    gemeente.run()
    gemeente.consent(case)
    gemeente.set_status(case.action(2), "completed")  # the GP visit: life domain health
    report = gemeente.run().reports["gemeente"]
    assert report.push.denied == 1
    assert "acties" not in gemeente.exported()


def test_a_malformed_record_goes_to_the_dead_letter_the_rest_is_read(
        gemeente: Drop, tmp_path: Path) -> None:
    good, bad = CaseHousehold(new_base()), CaseHousehold(new_base(), broken_birth_date=True)
    drop(gemeente.inbox, "20261201T080000-0001", [good, bad])
    outcome = run_once(load_config(gemeente.config_path), wait=5)
    assert not outcome.ok  # a dead-letter entry needs a person
    gemeente.one("Task", ACTION, good.action(0))
    assert list(gemeente.local.search("Task", {"identifier": f"{ACTION}|{bad.action(0)}"},
                                      as_dict=True)) == []
    out, err = io.StringIO(), io.StringIO()
    assert main(["sync", "dead-letter", "--config", str(gemeente.config_path)],
                stdout=out, stderr=err) == 0
    [line] = [line for line in out.getvalue().splitlines() if "type-date" in line]
    assert "clienten.csv:row 4" in line
    assert "expected a date like 31-12-2026" in line
    assert "Kaya" not in out.getvalue()  # no record values on the terminal
    with gemeente.state() as state:
        [letter] = [r for r in state.dead_letters("gemeente") if r["rule"] == "type-date"]
    assert bad.household in letter["content"]  # the record is kept, not lost


def test_both_sides_changing_one_action_is_parked(gemeente: Drop) -> None:
    case = CaseHousehold(new_base())
    drop(gemeente.inbox, "20261201T080000-0001", [case])
    gemeente.run()
    gemeente.consent(case)
    gemeente.set_status(case.action(0), "completed")
    case.actions[case.action(0)].update(status="vervallen", reden="Niet meer nodig",
                                        changed="01-12-2026 08:50")
    drop(gemeente.inbox, "20261201T090000-0002", [case])
    gemeente.run()
    with gemeente.state() as state:
        [conflict] = state.conflicts("gemeente")
    assert conflict.kind == "edit"
    assert "status" in conflict.fields
    assert conflict.ours["status"] == "completed"
    assert conflict.theirs["status"] == "cancelled"
    assert gemeente.one("Task", ACTION, case.action(0))["status"] == "completed"
    # While it is open, our version of that action does not go out.
    assert case.action(0) not in [r["actienummer"] for r in gemeente.exported().get("acties",
                                                                                     [])]


def test_a_partner_reopening_a_cancelled_action_is_parked_not_written(gemeente: Drop) -> None:
    """The agreed action's state machine (workflow.transitions) on the inbound path: nothing
    leaves a final status, whoever sends it."""
    case = CaseHousehold(new_base())
    drop(gemeente.inbox, "20261201T080000-0001", [case])
    gemeente.run()
    gemeente.consent(case)
    gemeente.set_status(case.action(1), "cancelled",
                        statusReason={"text": "Mentor is al gesproken door school"})
    gemeente.run()
    sent = next(r for r in gemeente.exported()["acties"] if r["actienummer"] == case.action(1))
    assert sent["status"] == "vervallen"
    # The case system takes the cancellation in, then someone there restarts the action.
    case.actions[case.action(1)].update(status="vervallen", reden=sent["reden"],
                                        changed=sent["gewijzigd_op"])
    drop(gemeente.inbox, "20261201T090000-0002", [case])
    gemeente.run()
    case.actions[case.action(1)].update(status="gestart", reden="",
                                        changed="02-12-2026 09:00")
    drop(gemeente.inbox, "20261202T090000-0003", [case])
    gemeente.run()
    with gemeente.state() as state:
        [conflict] = state.conflicts("gemeente")
    assert conflict.kind == "illegal-transition"
    assert any("agreed-action.final" in f and "cancelled" in f for f in conflict.fields)
    assert gemeente.one("Task", ACTION, case.action(1))["status"] == "cancelled"
