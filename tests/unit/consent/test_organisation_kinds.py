"""Kinds of organisation come from the data (Organization.type, regie-organisation-kind); the
CLI's --vt / --local-team only fill a gap, they never turn a recorded kind into another."""

from __future__ import annotations

from fhir_regie.consent import decide
from fhir_regie.consent.parties import read_parties
from fhir_regie.ig import codesystem_url

from .conftest import claim, example, request, verdict

VT = "Organization/vt-noord-oost-gelderland"
SIGNAL = "Observation/vdberg-signal-bruises"


def _typed(ref: str, kind: str) -> dict:
    return {"resourceType": "Organization", "id": ref.split("/")[1], "active": True,
            "name": "Veilig Thuis Noord- en Oost-Gelderland",
            "type": [{"coding": [{"system": codesystem_url("regie-organisation-kind"),
                                  "code": kind}]}]}


def _meldcode_report(resources, directory=None):
    ask = request(VT, "meldcode-report", discloser="Organization/vdberg-org-thuiszorg",
                  legal_claim=claim("meldcode-reporting-right"), directory=directory or {})
    return verdict(decide(resources.values(), ask), SIGNAL)


def test_veilig_thuis_known_from_its_type_needs_no_flag():
    resources = example("household-van-den-berg")
    assert not _meldcode_report(resources).permit
    resources[VT] = _typed(VT, "vt")
    assert _meldcode_report(resources).permit


def test_a_flag_does_not_turn_a_recorded_kind_into_another():
    resources = example("household-van-den-berg")
    resources[VT] = _typed(VT, "general-practice")
    assert not _meldcode_report(resources, {VT: "vt"}).permit


def test_the_type_wins_over_what_the_handover_suggests():
    resources = example()   # De Vries: its VT and wijkteam are typed in the guide's examples
    parties = read_parties(resources.values())
    assert parties.kind("Organization/devries-org-vt", {}) == "vt"
    assert parties.kind("Organization/devries-org-wijkteam", {}) == "local-team"
    assert parties.kind("Organization/devries-org-school", {}) == "school"
    resources["Organization/devries-org-vt"]["type"] = []   # untyped: the handover says VT
    assert read_parties(resources.values()).kind("Organization/devries-org-vt", {}) == "vt"


def test_who_an_organisation_serves_follows_from_the_care_teams():
    parties = read_parties(example().values())
    # devries-careteam-mark: addiction care takes part in the care team about Mark only
    assert parties.serves("Organization/devries-org-verslavingszorg") == \
        frozenset({"Patient/devries-mark"})
