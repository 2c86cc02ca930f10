"""What each route carries (DOMAIN.md §4): sections cut before anything leaves."""

from __future__ import annotations

import pytest

from fhir_regie.demo_case import named, vt_case
from fhir_regie.handover.routes import ROUTES, SECTIONS, Cut, allowed, cut_for_route


def _codes(document):
    return [s["code"]["coding"][0]["code"] for s in document.get("section", [])]


def test_only_an_onderzoek_carries_vts_judgement():
    assert [r for r in ROUTES if "vt-judgement" in ROUTES[r]] == ["after-onderzoek"]


def test_no_conditions_and_no_monitoring_directly_after_the_assessment():
    direct = allowed("direct-after-assessment")
    assert "safety-conditions" not in direct
    assert "monitoring-agreements" not in direct
    assert "monitoring-agreements" not in allowed("restraining-order")
    assert set(allowed("after-voorwaarden-en-vervolg")) == set(SECTIONS) - {"vt-judgement"}


def test_cutting_keeps_the_profile_order_and_reports_each_cut():
    document = named(vt_case(with_judgement=True), "Composition/hoekstra-document")
    before = _codes(document)
    cut, cuts = cut_for_route(document, "after-voorwaarden-en-vervolg")
    assert _codes(cut) == [c for c in before if c != "vt-judgement"]
    assert cuts == (Cut("vt-judgement", "after-voorwaarden-en-vervolg"),)
    assert "DOMAIN.md §4" in cuts[0].reason
    assert _codes(document) == before   # the input is not changed


def test_a_section_without_a_code_of_the_guide_does_not_go():
    document = {"resourceType": "Composition", "section": [
        {"title": "Notities", "text": {"status": "generated", "div": "<div/>"}}]}
    cut, cuts = cut_for_route(document, "after-onderzoek")
    assert "section" not in cut
    assert [c.section for c in cuts] == ["(without code)"]


def test_an_unknown_route_is_named():
    with pytest.raises(ValueError, match="unknown handover route 'na-huisbezoek'"):
        allowed("na-huisbezoek")
