"""The guide's static site: what the pages hold (the browser test checks that they render)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from fhir_regie.ig import load_package
from fhir_regie.ig.site import build_site, markdown_html


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    build_site(folder)
    return folder


def _page(site: Path, name: str) -> str:
    return html.unescape((site / name).read_text(encoding="utf-8"))


def test_every_conformance_resource_and_example_has_a_page(site: Path) -> None:
    package = load_package()
    for resource in package.conformance.values():
        assert (site / f"{resource['resourceType']}-{resource['id']}.html").is_file()
    for resource in package.examples.values():
        assert (site / f"example-{resource['resourceType']}-{resource['id']}.html").is_file()


def test_a_profile_page_shows_invariants_with_fhirpath_bindings_and_examples(site: Path) -> None:
    page = _page(site, "StructureDefinition-regie-handover.html")
    handover = load_package().by_url("https://fhir-regie.nl/fhir/StructureDefinition/"
                                      "regie-handover")
    rule = next(c for e in handover["differential"]["element"] for c in e.get("constraint", [])
                if c["key"] == "rg-hnd-1")
    assert "rg-hnd-1" in page
    assert rule["expression"] in page
    assert 'href="ValueSet-' in page or "regie-handover-route" in page
    assert "Differential" in page
    assert "Snapshot" in page
    assert 'href="example-Task-' in page


def test_the_narrative_is_rendered_with_its_links_rewritten(site: Path) -> None:
    index = _page(site, "narrative-README.html")
    assert "<table>" in index
    assert 'href="narrative-household.html"' in index


def test_an_actor_page_links_its_profiles_and_search_parameters(site: Path) -> None:
    page = _page(site, "CapabilityStatement-regie-vt-server.html")
    assert 'href="StructureDefinition-regie-handover.html"' in page
    assert 'href="SearchParameter-regie-task-handover-status.html"' in page


def test_markdown_escapes_text_and_keeps_unknown_links_as_text() -> None:
    out = markdown_html("A <b> & `x<y`, see [other](missing.md) and [web](https://a.nl).\n",
                        known_pages=set())
    assert "&lt;b&gt; &amp;" in out
    assert "<code>x&lt;y</code>" in out
    assert 'href="narrative-missing.html"' not in out
    assert 'href="https://a.nl"' in out


def test_a_markdown_table_with_an_escaped_bar_keeps_one_cell() -> None:
    out = markdown_html("| a | b |\n|---|---|\n| x\\|y | z |\n", known_pages=set())
    assert out.count("<td>") == 2
    assert "x|y" in out


def test_a_profile_page_states_its_nl_core_counterpart_and_mapping(site: Path) -> None:
    page = _page(site, "StructureDefinition-regie-patient.html")
    assert "http://nictiz.nl/fhir/StructureDefinition/nl-core-Patient" in page
    assert "NL-CM:0.1.7" in page
    household = _page(site, "StructureDefinition-regie-household.html")
    assert "No zib 2020 / nl-core profile" in household
    assert "nl-core alignment" in _page(site, "index.html")
