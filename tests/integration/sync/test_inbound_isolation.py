"""Issue 18 on the sync engine's inbound path, on sekmet (through tools/faultproxy.py where a
partner must misbehave): one poison item in a partner's batch is dead-lettered on its own and
the good items after it arrive; a history page that cannot be read is one dead-letter entry,
not one a run, and what was read before it is not lost; a partner's person without a BSN is
never merged with a local person, becomes a new record and gets a review Flag that
``sync status`` lists (sekmet and HAPI; docs/sync.md, "The model" and "Faults")."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fhir_regie.cli import main
from fhir_regie.model import patient, to_json
from fhir_regie.sync import cli as sync_cli
from fhir_regie.sync import fhirside
from fhir_regie.sync.engine import NO_BSN
from fhir_regie.sync.worker import run_once
from tests import identities
from tests.conftest import RunningServer
from tests.integration.sync.conftest import make_env
from tests.integration.sync.household import load
from tests.integration.sync.test_faults import Proxied
from tools.faultproxy import Rule

BSN = "http://fhir.nl/fhir/NamingSystem/bsn"


def person(rid: str, given: str, number: str | None, **extra: Any) -> dict[str, Any]:
    made = to_json(patient(id=rid, given=given, family="Smit", birth_date="1990-02-03",
                           bsn=number, gender="female"))
    made.update(extra)
    return made


def with_bsn(client: Any, number: str) -> list[dict[str, Any]]:
    return list(client.search("Patient", {"identifier": f"{BSN}|{number}"}, as_dict=True,
                              fresh=True))


@pytest.fixture
def pulled(sekmet_pair: list[RunningServer], tmp_path: Path) -> Iterator[Proxied]:
    made = Proxied(sekmet_pair, tmp_path, direction="pull", partner={
        "kind": "fhir", "url": "placeholder", "timeout": [2, 2],
        "retry": {"attempts": 2, "backoff": "50ms", "cap": "200ms"}})
    yield made
    made.proxy.stop()


def test_a_poison_item_in_the_middle_of_a_batch_goes_alone(pulled: Proxied) -> None:
    tag = identities.tag("iso")
    numbers = [identities.bsn() for _ in range(3)]
    people = [person(f"{tag}-{i}", name, numbers[i])
              for i, name in enumerate(("Eva", "Noor", "Lotte"))]
    load(pulled.env.partner, people)

    def poison(bundle: dict[str, Any]) -> dict[str, Any]:
        for entry in bundle.get("entry", []):
            resource = entry.get("resource") or {}
            if resource.get("id") == f"{tag}-1":
                resource["gender"] = 42  # not a code
        return bundle

    pulled.proxy.rules = [Rule("rewrite", method="GET", path="_history", rewrite=poison,
                               times=1)]
    pulled.env.run()
    assert [p["name"][0]["given"] for p in with_bsn(pulled.env.local, numbers[0])] == [["Eva"]]
    assert [p["name"][0]["given"] for p in with_bsn(pulled.env.local, numbers[2])] == [["Lotte"]]
    assert with_bsn(pulled.env.local, numbers[1]) == []
    with pulled.env.state() as state:
        letters = [r for r in state.dead_letters("jeugdhulp") if r["rid"] == f"{tag}-1"]
    assert [(r["rule"], r["direction"]) for r in letters] == [("Patient.gender", "pull")]
    assert '"gender":42' in letters[0]["content"]   # kept for inspection
    assert letters[0]["reason"] == ("Niet verwerkt: het gegeven voldoet niet aan het profiel "
                                    "(Patient.gender)")
    assert json.loads(letters[0]["outcome"])["resourceType"] == "OperationOutcome"


def test_an_unreadable_resource_read_inside_a_batch_goes_alone(pulled: Proxied) -> None:
    tag = identities.tag("dep")
    practice = {"resourceType": "Organization", "id": f"{tag}-huisarts", "active": True,
                "name": "Huisartsenpraktijk De Linde"}
    numbers = [identities.bsn() for _ in range(2)]
    referring = person(f"{tag}-0", "Sem", numbers[0],
                       generalPractitioner=[{"reference": f"Organization/{tag}-huisarts"}])
    load(pulled.env.partner, [practice, referring, person(f"{tag}-1", "Bram", numbers[1])])

    def hide_practice(bundle: dict[str, Any]) -> dict[str, Any]:
        bundle["entry"] = [e for e in bundle.get("entry", [])
                           if (e.get("resource") or {}).get("id") != f"{tag}-huisarts"]
        return bundle

    # The practice is not in the history the engine reads, so it reads it as a dependency,
    # and that read answers garbage (every time).
    pulled.proxy.rules = [
        Rule("rewrite", method="GET", path="_history", rewrite=hide_practice, times=100),
        Rule("garbage", method="GET", path=f"Organization/{tag}-huisarts", times=100)]
    run_once(pulled.env.config, wait=5)
    assert len(with_bsn(pulled.env.local, numbers[1])) == 1   # the rest of the batch went
    assert with_bsn(pulled.env.local, numbers[0]) == []
    with pulled.env.state() as state:
        letters = {r["rid"]: r for r in state.dead_letters("jeugdhulp")}
    assert letters[f"{tag}-huisarts"]["rule"] == "invalid-response"
    assert letters[f"{tag}-0"]["rule"] == "unresolved-reference"
    assert f"{tag}-1" not in letters


def test_a_garbage_page_is_one_entry_not_one_a_run_and_the_next_run_completes(
        pulled: Proxied, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fhirside, "HISTORY_PAGE", 2)  # so the history has several pages
    tag = identities.tag("pag")
    numbers = [identities.bsn() for _ in range(5)]
    for i, number in enumerate(numbers):   # one version each, oldest first
        load(pulled.env.partner, [person(f"{tag}-{i}", f"Kind{i}", number)])
    # The second page (a `next` link) is garbage in this run and the next.
    for _ in range(2):
        pulled.proxy.rules = [Rule("garbage", method="GET", path="_history", after=1)]
        run_once(pulled.env.config, wait=5)
    # The newest page was read and applied although a later page failed.
    assert len(with_bsn(pulled.env.local, numbers[4])) == 1
    assert len(with_bsn(pulled.env.local, numbers[3])) == 1
    with pulled.env.state() as state:
        pages = [r for r in state.dead_letters("jeugdhulp") if r["rule"] == "invalid-response"]
        assert len(pages) == 1   # kept once, not once a run
        assert pages[0]["reason"] == "Niet verwerkt: het antwoord is geen leesbare FHIR-JSON"
    pulled.env.run()   # the fault is over: the rest comes in, nothing blocked
    for number in numbers:
        assert len(with_bsn(pulled.env.local, number)) == 1


def test_an_entry_over_the_size_limit_is_isolated_and_passed_after_max_attempts(
        sekmet_pair: list[RunningServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = make_env(sekmet_pair, tmp_path, direction="pull", max_attempts=2)
    monkeypatch.setattr(fhirside, "HISTORY_PAGE", 2)   # pages of 2, then of 1
    tag = identities.tag("big")
    numbers = [identities.bsn() for _ in range(5)]
    big = person(f"{tag}-big", "Groot", numbers[1], text={
        "status": "generated",
        "div": '<div xmlns="http://www.w3.org/1999/xhtml">' + "x" * 60_000 + "</div>"})
    for resource in (person(f"{tag}-0", "Oud", numbers[0]), big,
                     person(f"{tag}-2", "Nieuw", numbers[2]),
                     person(f"{tag}-3", "Nieuwst", numbers[3])):
        load(env.partner, [resource])   # one version each, oldest first
    monkeypatch.setenv("FHIR_REGIE_MAX_BYTES", "40000")   # the big one's page is too large

    with env.state() as state:
        start = state.cursor("jeugdhulp", "pull")
    outcome = run_once(env.config, wait=5)
    assert outcome.reports["jeugdhulp"].errors   # said, not hidden
    # Pages of one entry isolate it: the newer people arrive, the cursor stays.
    assert len(with_bsn(env.local, numbers[3])) == 1
    assert len(with_bsn(env.local, numbers[2])) == 1
    assert with_bsn(env.local, numbers[1]) == []
    assert with_bsn(env.local, numbers[0]) == []
    with env.state() as state:
        assert state.cursor("jeugdhulp", "pull") == start
    run_once(env.config, wait=5)   # the second failure at the same place: moved past it
    with env.state() as state:
        assert state.cursor("jeugdhulp", "pull") != start
        [letter] = [r for r in state.dead_letters("jeugdhulp") if r["rule"] == "limit-exceeded"]
    assert letter["reason"].startswith("Niet verwerkt: het antwoord is te groot")

    load(env.partner, [person(f"{tag}-4", "Later", numbers[4])])
    # Later changes are not blocked (the overlap window reaches back over the big entry: it is
    # passed again at once, without a second entry or a run error).
    env.run()
    assert len(with_bsn(env.local, numbers[4])) == 1
    assert with_bsn(env.local, numbers[0]) == []   # the part older than it: not read yet

    # With the limit raised, `sync retry` reads that part of the history again.
    monkeypatch.delenv("FHIR_REGIE_MAX_BYTES")
    with env.state() as state:
        assert state.retry_dead("jeugdhulp", letter["id"]) == 1
    env.run()
    with env.state() as state:
        assert [r for r in state.dead_letters("jeugdhulp") if r["rule"] == "limit-exceeded"] \
            == []
    assert len(with_bsn(env.local, numbers[0])) == 1
    assert len(with_bsn(env.local, numbers[1])) == 1


def test_a_person_without_a_bsn_is_a_new_record_flagged_for_review(
        two_servers: list[RunningServer], tmp_path: Path) -> None:
    env = make_env(two_servers, tmp_path, direction="pull")
    tag = identities.tag("nob")
    system = identities.system("clientnummer")
    shared = {"identifier": [{"system": system, "value": "C-204"}]}
    ours = person(f"{tag}-eigen", "Ilse", None, **shared)
    load(env.local, [ours])
    before = env.local.read("Patient", f"{tag}-eigen", as_dict=True)
    load(env.partner, [person(f"{tag}-p", "Ilse", None, **shared)])

    env.run()
    now = env.local.read("Patient", f"{tag}-eigen", as_dict=True)
    assert now["meta"]["versionId"] == before["meta"]["versionId"]   # not merged into ours
    found = list(env.local.search("Patient", {"identifier": f"{system}|C-204"}, as_dict=True,
                                  fresh=True))
    [new] = [p for p in found if p["id"] != f"{tag}-eigen"]
    assert new["id"] != f"{tag}-p"   # our own id, never the partner's
    flags = list(env.local.search("Flag", {"subject": f"Patient/{new['id']}"}, as_dict=True,
                                  fresh=True))
    assert [(f["status"], f["code"]["text"]) for f in flags] == [("active", NO_BSN)]
    with env.state() as state:
        [status] = sync_cli.status_of(env.config, state, "jeugdhulp")
    assert [f["record"] for f in status["review_flags"]] == [f"Patient/{new['id']}"]
    out = io.StringIO()
    assert main(["sync", "status", "--config", str(env.config_path)], stdout=out,
                stderr=io.StringIO()) == 0
    assert f"  review Patient/{new['id']} (Flag/" in out.getvalue()
    assert NO_BSN in out.getvalue()
    env.run()   # a second run raises no second flag
    again = list(env.local.search("Flag", {"subject": f"Patient/{new['id']}"}, as_dict=True,
                                  fresh=True))
    assert len(again) == 1
