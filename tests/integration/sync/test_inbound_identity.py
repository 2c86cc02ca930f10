"""The sync engine's inbound path keeps our identities (issue 18), on sekmet and HAPI: a
partner resource never overwrites a local resource that shares its id but came from
elsewhere. Ids on our side are chosen by the engine (the link's, one matched by business
identifier, or a derived id), never the partner's id as such; a match by identifier without a
common base is parked, not written (docs/sync.md, "Conflicts")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fhir_regie.model import patient, to_json
from tests import identities
from tests.conftest import RunningServer
from tests.integration.sync.conftest import SyncEnv, make_env
from tests.integration.sync.household import load

BSN = "http://fhir.nl/fhir/NamingSystem/bsn"


@pytest.fixture
def pull_env(two_servers: list[RunningServer], tmp_path: Path) -> SyncEnv:
    return make_env(two_servers, tmp_path, direction="pull")


def person(rid: str, given: str, number: str, phone: str | None = None) -> dict[str, Any]:
    return to_json(patient(id=rid, given=given, family="Vermeulen", birth_date="1984-05-01",
                           bsn=number, gender="other", phone=phone))


def with_bsn(client: Any, number: str) -> list[dict[str, Any]]:
    return list(client.search("Patient", {"identifier": f"{BSN}|{number}"}, as_dict=True,
                              fresh=True))


def test_a_partner_resource_never_overwrites_a_local_one_with_the_same_id(pull_env):
    env = pull_env
    tag = env.home.tag
    joost_bsn = identities.bsn()
    ours = person(f"{tag}-kees", "Kees", identities.bsn())
    theirs = person(f"{tag}-kees", "Joost", joost_bsn)   # same id, another person
    load(env.local, [ours])
    before = env.local.read("Patient", f"{tag}-kees", as_dict=True)

    load(env.partner, [theirs])
    env.run()

    now = env.local.read("Patient", f"{tag}-kees", as_dict=True)
    assert now["meta"]["versionId"] == before["meta"]["versionId"]   # not written at all
    assert now["name"] == before["name"]
    [joost] = with_bsn(env.local, joost_bsn)   # the partner's person, under our own id
    assert joost["id"] != f"{tag}-kees"
    assert joost["name"][0]["given"] == ["Joost"]


def test_a_match_by_bsn_without_a_common_base_is_parked_not_written(pull_env):
    env = pull_env
    tag = env.home.tag
    number = identities.bsn()
    ours = person(f"{tag}-anna-eigen", "Anna", number, phone="06-11112222")
    theirs = person(f"{tag}-anna", "Anna", number, phone="06-99998888")
    load(env.local, [ours])
    before = env.local.read("Patient", f"{tag}-anna-eigen", as_dict=True)

    load(env.partner, [theirs])
    env.run()

    now = env.local.read("Patient", f"{tag}-anna-eigen", as_dict=True)
    assert now["meta"]["versionId"] == before["meta"]["versionId"]
    assert now["telecom"] == before["telecom"]
    assert [p["id"] for p in with_bsn(env.local, number)] == [f"{tag}-anna-eigen"]
    with env.state() as state:
        parked = [c for c in state.conflicts("jeugdhulp") if c.partner_id == f"{tag}-anna"]
    assert [(c.kind, c.local_id) for c in parked] == [("no-common-base", f"{tag}-anna-eigen")]
