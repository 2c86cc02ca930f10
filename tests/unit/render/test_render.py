"""Rendered plan documents: content per audience, what must be absent, PDF text, the chart's
thresholds from the region, write_plan_documents, and the render command."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from fhir_regie.cli import main
from fhir_regie.demo import household_resources
from fhir_regie.ig import load_package
from fhir_regie.render import Audience, PlanNotFoundError, render_plan, write_plan_documents
from fhir_regie.workflow.regions import load_region

AT = datetime(2026, 11, 25, 10, tzinfo=UTC)


def resources(household: str = "household-de-vries") -> list[dict]:
    return list(household_resources(load_package(), household).values())


def household_copy(plan: str = "devries-safety-plan", household: str = "household-de-vries",
                   **more):
    found = resources(household)
    return render_plan(found, plan, Audience.household(found, plan), at=AT, **more)


def test_the_household_safety_plan_has_every_part_in_plain_dutch():
    html = household_copy().html
    assert '<html lang="nl">' in html
    for heading in ("Waar we bang voor zijn", "Wat we willen zien: veiligheidsdoelen",
                    "Afspraken om veilig te blijven", "Veilige persoon en veilig voorwerp",
                    "Wie bel je wanneer?", "Hoe veilig is het? De veiligheidsschaal",
                    "Handtekeningen", "Volgende keer"):
        assert f">{heading}</h2>" in html
    assert "We zijn bang dat Mark Sanne weer duwt of slaat" in html        # their own words
    assert "In de woorden van Sanne de Vries" in html
    assert "De blauwe knuffelbeer van Lotte" in html                       # safe object
    assert "Ria Mulder</strong> is de veiligheidspersoon" in html
    assert "0800-2000" in html
    assert "112" in html
    assert "10 december 2026 om 15.30 uur" in html                         # next meeting
    assert "Getekend door <strong>Sanne de Vries</strong> op 5 november 2026" in html
    assert html.count('class="series"') == 2                                # two statements


def test_an_edit_after_signing_shows_the_plan_as_not_signed():
    """The plan document shows only the signatures given for the version it shows: after an
    edit (a new version), the family's copy says it is not signed yet."""
    found = [dict(r) for r in resources()]   # the package's examples stay as they are
    plan = next(r for r in found if r.get("id") == "devries-safety-plan")
    plan["meta"] = {**plan["meta"], "versionId": "2"}
    html = render_plan(found, "devries-safety-plan",
                       Audience.household(found, "devries-safety-plan"), at=AT).html
    assert "Getekend door" not in html
    assert "Dit plan is nog niet getekend." in html


def test_the_household_copy_leaves_out_the_reporter_and_contact_data_mark_could_read():
    html = household_copy().html
    assert "Yvonne Hendriks, intern begeleider" not in html   # reporter contact section
    assert "Op 15 september vertelde Lotte" not in html       # report content
    assert "06-23456789" not in html                           # oma Ria: adversary rule
    assert "06-12345678" not in html
    assert "Klarendalseweg" not in html
    assert "nummer staat niet in dit document" in html


PROTECTED = ("Patient/devries-sanne", "Patient/devries-daan", "Patient/devries-lotte")


def test_the_copy_for_sanne_and_the_children_has_oma_rias_number():
    """Issue 22: the copy made for the protected parent and the children (Mark is not among
    its readers) gives their own safety person's number; the header says for whom it is."""
    found = resources()
    html = render_plan(found, "devries-safety-plan",
                       Audience.household(found, "devries-safety-plan", PROTECTED), at=AT).html
    assert "06-23456789" in html                                    # oma Ria
    assert "nummer staat niet in dit document" not in html
    assert "Voor het gezin: Sanne de Vries, Daan de Vries en Lotte de Vries" in html
    assert "omdat je die niet mag zien" in html                    # the family's "je"


def test_the_teams_name_is_whole_in_every_household_copy():
    """The team's own name is not cut for a place of a member (Arnhem), also where the
    adversary rule scrubs Sanne's address from the text."""
    found = resources()
    for readers in ((), PROTECTED):
        html = render_plan(found, "devries-safety-plan",
                           Audience.household(found, "devries-safety-plan", readers),
                           at=AT).html
        assert "Sociaal Wijkteam Arnhem-Noord" in html, readers
        assert "[weggelaten]-Noord" not in html, readers


def test_readers_must_be_patients_and_only_for_the_household(tmp_path: Path):
    code, _, err = run("render", "--example", "household-de-vries", "--plan",
                       "devries-safety-plan", "--audience", "household", "--reader",
                       "Organization/devries-org-school", "-o", str(tmp_path / "x.html"))
    assert code == 2
    assert "expected Patient/<id>" in err
    code, _, err = run("render", "--example", "household-de-vries", "--plan",
                       "devries-safety-plan", "--audience", "professional", "--recipient",
                       "Organization/devries-org-huisarts", "--reader", "Patient/devries-sanne",
                       "-o", str(tmp_path / "y.html"))
    assert code == 2
    assert "--reader" in err
    assert not list(tmp_path.iterdir())


def test_the_render_command_makes_the_copy_for_the_named_readers(tmp_path: Path):
    out_file = tmp_path / "gezin.html"
    args = [a for r in PROTECTED for a in ("--reader", r)]
    code, _, err = run("render", "--example", "household-de-vries", "--plan",
                       "devries-safety-plan", "--audience", "household", *args,
                       "-o", str(out_file))
    assert code == 0, err
    assert "06-23456789" in out_file.read_text(encoding="utf-8")


def test_the_family_reads_what_people_do_and_professionals_keep_their_words():
    """Issue 22: no "procesregisseur" or "voorzitter netwerkberaad" as a role in the family's
    copy, but what the person does ("je"); the professional copy keeps the words."""
    family = household_copy().html
    assert "zorgt dat alle hulpverleners samenwerken" in family
    assert "leidt de gesprekken met je familie, vrienden en hulpverleners" in family
    assert "procesregisseur (zorgt dat iedereen samenwerkt)" not in family
    assert "voorzitter netwerkberaad" not in family
    assert "maakt het veiligheidsplan samen met jullie" in family
    from fhir_regie.render.document import plan_document

    for family, words in ((False, "procesregisseur (zorgt dat iedereen samenwerkt)"),
                          (True, "zorgt dat alle hulpverleners samenwerken")):
        document = plan_document(resources(), "devries-safety-plan", region=load_region(),
                                 at=AT.date(), family=family)
        assert any(words in person.role for person in document.team), family


def test_the_support_plan_shows_domains_goals_actions_and_the_fixed_responsibilities():
    html = household_copy("devries-support-plan").html
    assert ">Zorgen en wat goed gaat, per leefgebied</h2>" in html
    assert "<h3>Inkomen en financiën</h3>" in html
    assert "Oma Ria woont tien minuten fietsen verderop" in html            # a strength
    assert "Sanne en Mark melden zich samen aan bij de schuldhulpverlening" in html
    assert "1 december 2026" in html                                        # by when
    assert "Wachtlijst bij de verslavingszorg" in html                      # why on hold
    responsibilities = html.split('id="verantwoordelijk"', 1)[1].split("</section>", 1)[0]
    assert responsibilities.count("<dt>") == 4
    assert "Peter Smit (procesregisseur) lost het op als afspraken vastlopen." in html


def test_a_professional_sees_only_what_the_consent_covers():
    found = resources()
    school = render_plan(found, "devries-support-plan",
                         Audience.professional("Organization/devries-org-school"), at=AT)
    html = school.html
    assert "Lotte is op school stil en moe" in html
    assert "Mark gaat naar een intakegesprek bij de verslavingszorg" not in html  # health
    assert "drinkt in het weekend" not in html
    assert school.document.left_out > 0
    assert len(school.shared.audit_events) == 1
    event = school.shared.audit_events[0]
    assert event.agent[1].who.reference == "Organization/devries-org-school"


def test_a_plan_the_guard_holds_back_is_not_rendered():
    found = resources()
    with pytest.raises(PlanNotFoundError):
        render_plan(found, "devries-safety-plan",
                    Audience.professional("Organization/devries-org-verslavingszorg",
                                          "shared-plan-view"), at=AT)


def test_very_restricted_plan_goes_to_her_alone():
    copy = household_copy("hv0417-safety-plan", "household-hv-0417")
    html = copy.html
    assert "Ik ben bang dat mijn vader en broer me vinden" in html
    assert ">Voorwaarden van Veilig Thuis</h2>" in html
    assert "3 november 2026" in html                                       # the term
    assert "schakelt de politie in" in html                                 # consequence
    assert "termijn verlopen, nog niet voldaan" in html
    assert "Vader van S." not in html
    assert copy.document.members == ()                                      # she left


def test_the_chart_draws_the_regions_thresholds():
    default = household_copy(region=load_region("default")).html
    assert re.findall(r'data-threshold="(\d+)"', default) == ["6", "7"]
    base = load_region("default")
    custom = base.model_copy(update={"safety": base.safety.model_copy(
        update={"recovery_min_score": 8})})
    changed = household_copy(region=custom).html
    assert re.findall(r'data-threshold="(\d+)"', changed) == ["6", "8"]


def test_write_plan_documents_writes_html_and_a_pdf_with_the_same_text(tmp_path: Path):
    paths = write_plan_documents(resources(), "devries-safety-plan", tmp_path / "out", at=AT)
    assert [p.name for p in paths] == ["devries-safety-plan.html", "devries-safety-plan.pdf"]
    assert "Waar we bang voor zijn" in paths[0].read_text(encoding="utf-8")
    text = " ".join(page.extract_text() for page in PdfReader(paths[1]).pages)
    text = " ".join(text.split())
    assert "Veiligheidsplan gezin De Vries" in text
    assert "Wie bel je wanneer?" in text
    assert "De blauwe knuffelbeer van Lotte" in text
    assert "06-23456789" not in text
    assert "weet dat het gezin weet dat de school heeft gemeld" not in text   # reporter


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_the_render_command_writes_the_document_and_the_disclosure_records(tmp_path: Path):
    out_file = tmp_path / "nieuw" / "gp.html"   # a missing folder is made
    code, out, err = run("render", "--example", "household-de-vries", "--plan",
                         "devries-safety-plan", "--audience", "professional", "--recipient",
                         "Organization/devries-org-huisarts", "--purpose", "shared-plan-view",
                         "--at", "2026-11-25", "-o", str(out_file))
    assert code == 0, err
    assert "Veiligheidsplan gezin De Vries" in out_file.read_text(encoding="utf-8")
    audit = json.loads((out_file.parent / "gp.audit.json").read_text(encoding="utf-8"))
    assert {e["resource"]["resourceType"] for e in audit["entry"]} == {"AuditEvent"}
    assert "disclosure record(s)" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--audience", "professional"], "--audience professional needs --recipient"),
    (["--audience", "household", "--recipient", "Organization/x"], "--recipient: only for"),
    (["--audience", "professional", "--recipient", "Patient/x"], "expected Organization/<id>"),
    (["--audience", "household", "--at", "gisteren"], "--at 'gisteren'"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, argv: list[str], message: str):
    code, _, err = run("render", "--example", "household-de-vries", "--plan",
                       "devries-safety-plan", *argv, "-o", str(tmp_path / "x.html"))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "x.html").exists()


def test_a_plan_held_back_exits_1_and_writes_nothing(tmp_path: Path):
    code, _, err = run("render", "--example", "household-de-vries", "--plan",
                       "devries-safety-plan", "--audience", "professional", "--recipient",
                       "Organization/devries-org-verslavingszorg", "--purpose",
                       "shared-plan-view", "-o", str(tmp_path / "x.html"))
    assert code == 1
    assert "may not go to this audience" in err
    assert not (tmp_path / "x.html").exists()


def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path: Path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    code, _, err = run("render", "--example", "household-de-vries", "--plan",
                       "devries-safety-plan", "--audience", "household", "-o",
                       str(tmp_path / "a-file" / "x.html"))
    assert code == 2
    assert err.startswith("fhir-regie render: ")
    assert "cannot write" in err
    assert err.count("\n") == 1


def test_the_summary_names_the_coordinator_phase_deadlines_and_last_scores():
    support = household_copy("devries-support-plan").document.summary
    assert support.organisation.startswith("Sociaal Wijkteam")   # the guard may redact a place
    assert support.coordinator.startswith("Marieke Jansen")
    assert support.coordinator_role == "casusregisseur"
    assert support.status == "loopt"
    overdue = [d for d in support.deadlines if d.overdue]          # 15 Nov < 25 Nov
    assert [d.by for d in overdue] == ["15 november 2026"]
    assert support.overdue == 1
    assert str(support.next_day) == "2026-11-15"
    safety = household_copy().document.summary
    assert safety.phase == "Fase veiligheid"
    assert [(s.label, str(s.day), s.lowest) for s in safety.last_scores] == [
        ("Gevaar 1", "2026-11-05", 5), ("Gevaar 2", "2026-11-05", 7)]   # Daan scored 7


def test_the_summary_never_shows_a_home_number_as_work_contact():
    from fhir_regie.render.document import _work_contacts

    person = {"telecom": [{"system": "phone", "value": "06-11111111", "use": "home"},
                          {"system": "phone", "value": "026-3000000", "use": "work"},
                          {"system": "email", "value": "m.jansen@wijkteam.example"}]}
    assert _work_contacts(person) == ["026-3000000", "m.jansen@wijkteam.example"]


def test_words_that_must_stay_are_explained_and_only_those_the_plan_uses():
    support = household_copy("devries-support-plan").html
    section = support.split('id="woorden"', 1)[1].split("</section>", 1)[0]
    assert "<strong>procesregisseur</strong></dt><dd>de hulpverlener die zorgt dat" in section
    assert "<strong>casusregisseur</strong>" in section
    assert "veiligheidsschaal" not in section            # the support plan has no scale
    safety = household_copy().html
    words = safety.split('id="woorden"', 1)[1].split("</section>", 1)[0]
    assert "<strong>veiligheidsschaal</strong>" in words
    assert "<strong>Veilig Thuis</strong>" in words


def test_the_chart_thresholds_are_in_plain_words():
    labels = [t.label for t in household_copy().document.thresholds]
    assert labels == ["6: genoeg om de eerste stap af te ronden; zo hoog moet het daarna een "
                      "half jaar blijven", "7: nodig voor de laatste stap (herstel)"]
    assert not any("fase" in label for label in labels)
