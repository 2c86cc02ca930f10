"""The viewer in a real headless Chromium (Debian package), launched through a real SMART
authorization server (smart_server.py) in front of a real embedded FHIR server holding the three
example households: EHR launch and standalone launch, the list, a plan, a screenshot, keyboard
navigation and basic accessibility; every view ends up as a regie-disclosure AuditEvent that
``fhir-regie audit`` lists."""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fhir_regie.cli import main
from fhir_regie.client import FhirClient, bundle_entry, make_bundle
from fhir_regie.client.server import EmbeddedServer
from fhir_regie.demo import household_resources
from fhir_regie.ig import load_package
from fhir_regie.viewer.app import ViewerConfig, create_app
from fhir_regie.viewer.demo_launcher import demo
from fhir_regie.workflow.regions import load_region

from .smart_server import SmartServer, User, free_port, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
JGZ = User("Practitioner/jgz-arts-bakker", "Organization/devries-org-jgz", "devries-lotte")
GP = User("Practitioner/devries-pract-visser", "Organization/devries-org-huisarts")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class World:
    fhir: EmbeddedServer
    smart: SmartServer
    viewer: str
    playwright: Any

    def browser(self) -> Any:
        """A fresh Chromium with a new empty profile (no cookies from another test)."""
        profile = tempfile.mkdtemp(prefix="regie-chromium-")
        return self.playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS)


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (tools/test.sh installs it with apt-get)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    package = load_package()
    everything: dict[str, dict[str, Any]] = {}
    for household in ("household-de-vries", "household-van-den-berg", "household-hv-0417"):
        everything.update(household_resources(package, household))
    with EmbeddedServer() as fhir:
        with FhirClient(fhir.base_url) as client:
            client.transaction(make_bundle("transaction", [
                bundle_entry("PUT", r) for _, r in sorted(everything.items())
                if r["resourceType"] != "AuditEvent"]))
        smart_port, viewer_port = free_port(), free_port()
        viewer = f"http://127.0.0.1:{viewer_port}"
        smart = SmartServer(upstream=fhir.base_url, base=f"http://127.0.0.1:{smart_port}",
                            redirect_uris=(f"{viewer}/callback",), standalone_user=GP)
        config = ViewerConfig(server=smart.fhir, client_id=smart.client_id, base_url=viewer,
                              region=load_region("gelderland-midden"), clock=lambda: AT)
        with serve(smart.app(), smart_port), serve(create_app(config), viewer_port), \
                sync_playwright() as playwright:
            yield World(fhir, smart, viewer, playwright)


def audit(world: World, plan: str) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", "--plan", plan, "--server", world.fhir.base_url, "--format", "json"],
                stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def test_ehr_launch_lists_opens_and_records_the_view(world: World) -> None:
    # the module's server is shared with the other viewer tests (any order): count only the
    # views this test adds
    earlier = len(audit(world, "devries-safety-plan"))
    browser = world.browser()
    try:
        page = browser.new_page()
        page.goto(world.smart.ehr_launch(world.viewer, JGZ))
        assert page.url == f"{world.viewer}/"
        assert page.locator("h1").inner_text() == "Gedeelde plannen"
        links = page.get_by_role("link", name="Veiligheidsplan gezin De Vries")
        assert links.count() == 1
        # youth health care's consent covers Lotte's safety plan, not the support plan
        assert page.get_by_role("link", name="Ons plan - gezin De Vries").count() == 0
        links.click()
        page.wait_for_url(f"{world.viewer}/plan/devries-safety-plan")
        assert page.locator("h1").inner_text() == "Veiligheidsplan gezin De Vries"
        text = page.locator("body").inner_text()
        assert "We zijn bang dat Mark Sanne weer duwt" in text
        assert "Open afspraken" in text
        assert "Oma Ria belt elke avond" in text
        # Daan's own agreement is about Daan: Lotte's consent does not cover it
        assert "fietst Daan naar oma Ria" not in text
        # the scores are consented: the chart shows one line per danger statement shared (the
        # second one is about Daan, whose consent names only the GP) and the region's
        # thresholds (gelderland-midden: 6 and 7)
        assert page.locator("svg.chart g.series").count() == 1
        assert "Daan na een ruzie thuis" not in text
        assert sorted(page.locator("svg.chart g.threshold").evaluate_all(
            "gs => gs.map(g => g.dataset.threshold)")) == ["6", "7"]
        # three scoring days; the line goes through the lowest score of each day
        assert page.locator("svg.chart circle").evaluate_all(
            "cs => cs.map(c => c.dataset.score)") == ["2", "5", "5"]
        # what youth health care may not see is absent: the support plan, phone numbers
        assert "schuldhulpverlening" not in text
        assert "06-12345678" not in text
        assert "06-23456789" not in text
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "viewer-plan-jgz.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        print(f"screenshot: {shot}")
    finally:
        browser.close()
    # the sign-in was OpenID Connect with a nonce, which the viewer checked in the id_token
    assert world.smart.nonces
    assert all(world.smart.nonces)
    assert len(set(world.smart.nonces)) == len(world.smart.nonces)
    views = audit(world, "devries-safety-plan")
    new = views[earlier:]   # the audit lists them oldest first
    mine = [v for v in new if v["recipient"] == "Organization/devries-org-jgz"]
    assert [v["kind"] for v in mine] == ["view", "view"]          # the list, then the plan
    assert {v["user"] for v in mine} == {"Practitioner/jgz-arts-bakker"}
    assert all(v["basis"] == "Consent/devries-consent-lotte-jgz" for v in mine)
    assert mine[-1]["entities"] > mine[0]["entities"]


def test_standalone_launch_shows_the_gp_both_plans_without_the_scores(world: World) -> None:
    browser = world.browser()
    try:
        page = browser.new_page()
        before = len(world.smart.requests_seen)
        page.goto(f"{world.viewer}/")
        # without a session: the sign-in page, no launch and no request to the servers yet
        assert page.locator("h1").inner_text() == "Gedeelde plannen"
        assert len(world.smart.requests_seen) == before
        page.get_by_role("link", name="Aanmelden").click()
        page.wait_for_url(f"{world.viewer}/")
        names = page.locator("table.plans a").all_inner_texts()
        assert sorted(names) == ["Ons plan - gezin De Vries", "Veiligheidsplan gezin De Vries"]
        page.get_by_role("link", name="Veiligheidsplan gezin De Vries").click()
        page.wait_for_url("**/plan/devries-safety-plan")
        # the GP's consents do not cover safety scores: no chart, and it says so
        assert page.locator("svg.chart").count() == 0
        assert "Er staan geen cijfers in deze versie." in page.locator("body").inner_text()
        page.goto(f"{world.viewer}/plan/vdberg-safety-plan")
        assert "U mag dit plan niet inzien" in page.locator("body").inner_text()
    finally:
        browser.close()
    gp = [v for v in audit(world, "devries-support-plan")
          if v["recipient"] == "Organization/devries-org-huisarts"]
    assert gp
    assert gp[0]["user"] == "Practitioner/devries-pract-visser"


def test_keyboard_reaches_the_plan_links_with_a_visible_focus(world: World) -> None:
    browser = world.browser()
    try:
        page = browser.new_page()
        page.goto(world.smart.ehr_launch(world.viewer, JGZ))
        reached = []
        for _ in range(10):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("""() => {
                const e = document.activeElement, s = getComputedStyle(e);
                return [e.tagName, e.textContent.trim(), s.outlineStyle, s.outlineWidth]; }"""))
            if reached[-1][:2] == ["A", "Veiligheidsplan gezin De Vries"]:
                break
        assert reached[-1][:2] == ["A", "Veiligheidsplan gezin De Vries"], reached
        assert reached[-1][2:] == ["solid", "3px"]                # a visible focus ring
        assert reached[0][1] == "Naar de inhoud"                 # the skip link comes first
        page.keyboard.press("Enter")
        page.wait_for_url("**/plan/devries-safety-plan")
    finally:
        browser.close()


def test_pages_have_lang_headings_in_order_and_named_controls(world: World) -> None:
    browser = world.browser()
    try:
        page = browser.new_page()
        page.goto(world.smart.ehr_launch(world.viewer, JGZ))
        for url in (f"{world.viewer}/", f"{world.viewer}/plan/devries-safety-plan"):
            page.goto(url)
            assert page.evaluate("document.documentElement.lang") == "nl"
            levels = page.evaluate(
                "[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])")
            assert levels.count(1) == 1, levels
            assert levels[0] == 1, levels
            assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
            unnamed = page.evaluate("""[...document.querySelectorAll('a,button')]
                .filter(e => !e.textContent.trim() && !e.getAttribute('aria-label')).length""")
            assert unnamed == 0
            assert page.evaluate("""[...document.querySelectorAll('table')]
                .every(t => t.querySelector('caption'))""")
            assert page.evaluate("""[...document.querySelectorAll('svg')].every(s =>
                s.getAttribute('role') === 'img' && s.getAttribute('aria-labelledby'))""")
    finally:
        browser.close()


def test_a_launch_naming_another_server_is_refused(world: World) -> None:
    browser = world.browser()
    try:
        page = browser.new_page()
        response = page.goto(f"{world.viewer}/launch?iss=http://127.0.0.1:9/fhir&launch=x")
        assert response is not None
        assert response.status == 400
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "alleen met de eigen FHIR-server" in page.locator("body").inner_text()
    finally:
        browser.close()
    assert all("token" not in seen for seen in world.smart.requests_seen)


def test_the_gp_sees_who_coordinates_the_phase_and_the_next_meeting_first(world: World) -> None:
    browser = world.browser()
    try:
        page = browser.new_page()
        page.goto(f"{world.viewer}/aanmelden")
        page.wait_for_url(f"{world.viewer}/")
        # the list: phase, status, coordinator and next date per plan
        headers = page.locator("table.plans th").all_inner_texts()
        assert headers == ["Plan", "Huishouden", "Fase", "Stand", "Contactpersoon",
                           "Eerstvolgende datum"]
        rows = page.locator("table.plans tbody tr").evaluate_all(
            "rs => rs.map(r => [...r.cells].map(c => c.innerText))")
        by_plan = {row[0]: row for row in rows}
        safety = by_plan["Veiligheidsplan gezin De Vries"]
        assert safety[2] == "Fase veiligheid"
        assert safety[3] == "loopt"
        assert safety[4].startswith("Marieke Jansen")
        assert safety[5] == "10 december 2026"                  # the next meeting
        assert by_plan["Ons plan - gezin De Vries"][5] == "1 december 2026"   # a deadline
        # nearest date first
        assert [row[0] for row in rows] == ["Ons plan - gezin De Vries",
                                            "Veiligheidsplan gezin De Vries"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viewer-list-gp.png"), full_page=True)
        page.get_by_role("link", name="Veiligheidsplan gezin De Vries").click()
        page.wait_for_url("**/plan/devries-safety-plan")
        summary = page.locator("section.summary").inner_text()
        assert "Sociaal Wijkteam Arnhem-Noord" in summary          # the coordinating org
        assert "Marieke Jansen" in summary                          # the coordinator
        assert "Werkcontact" in summary
        assert "Fase veiligheid" in summary
        assert "10 december 2026 om 15.30 uur" in summary
        assert "Open termijnen" in summary
        # no scores for the GP: the header says so instead of showing numbers
        assert "Laatste veiligheidscijfers\nniet gedeeld met uw organisatie" in summary
        text = page.locator("body").inner_text()
        assert "Wie belt het gezin wanneer?" in text               # not the family's "je"
        assert "Wie bel je wanneer?" not in text
        page.locator("section.summary").screenshot(path=str(ARTIFACTS /
                                                             "viewer-header-gp.png"))
        assert (ARTIFACTS / "viewer-header-gp.png").stat().st_size > 5_000
    finally:
        browser.close()


def test_youth_health_care_sees_the_last_scores_in_the_header(world: World) -> None:
    browser = world.browser()
    try:
        page = browser.new_page()
        page.goto(world.smart.ehr_launch(world.viewer, JGZ))
        page.goto(f"{world.viewer}/plan/devries-safety-plan")
        summary = page.locator("section.summary").inner_text()
        # the last scoring day (5 November) of danger statement 1: Sanne 5, oma Ria 6,
        # Marieke 5; the lowest counts
        assert "Gevaar 1: laagste cijfer 5 op 5 november 2026" in summary
        assert "Gevaar 2" not in summary                            # about Daan: not shared
        page.locator("section.summary").screenshot(path=str(ARTIFACTS /
                                                             "viewer-header-jgz.png"))
    finally:
        browser.close()


def test_the_demo_is_one_command_pick_a_role_and_see_the_plans(world: World) -> None:
    port = free_port()
    with demo(port) as start:
        browser = world.browser()
        try:
            page = browser.new_page()
            page.goto(start)
            assert page.locator("h1").inner_text() == "Demo van de regie-viewer"
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer-demo-start.png"), full_page=True)
            page.get_by_role("link", name="Huisarts", exact=False).click()
            page.wait_for_url(f"http://127.0.0.1:{port}/")
            assert sorted(page.locator("table.plans a").all_inner_texts()) == [
                "Ons plan - gezin De Vries", "Veiligheidsplan gezin De Vries"]
            page.screenshot(path=str(ARTIFACTS / "viewer-demo-gp.png"), full_page=True)
            page.context.clear_cookies()
            page.goto(start)
            page.get_by_role("link", name="Jeugdgezondheidszorg", exact=False).click()
            page.wait_for_url(f"http://127.0.0.1:{port}/")
            assert page.locator("table.plans a").all_inner_texts() == [
                "Veiligheidsplan gezin De Vries"]
        finally:
            browser.close()
