"""The plan PDF as a reader meets it: page numbers on every page, table rows never split
across pages, the signatures never alone on the last page, tagged (PDF/UA-1) with title and
language, and the safety person's number where the household's copy has it.

The page text comes from pypdf and from poppler's pdftotext; pdftoppm renders the pages
(kept in tests/artifacts/pdf/ to look at) and the footer band is checked for ink.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from fhir_regie.demo import household_resources
from fhir_regie.ig import load_package
from fhir_regie.render import Audience, render_plan
from fhir_regie.render.document import Action
from fhir_regie.render.html import render_html
from fhir_regie.render.pdf import html_to_pdf
from tests.unit.render.test_render import AT, run

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (tools/test.sh installs "
                                                       "it)")

SAFETY_PLANS = [("household-de-vries", "devries-safety-plan"),
                ("household-van-den-berg", "vdberg-safety-plan")]


@cache
def household_copy(household: str, plan: str):
    found = list(household_resources(load_package(), household).values())
    return render_plan(found, plan, Audience.household(found, plan), at=AT)


@cache
def pdf_of(household: str, plan: str) -> bytes:
    return household_copy(household, plan).pdf()


def page_texts(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in
            PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize(("household", "plan"), [*SAFETY_PLANS,
                                                 ("household-de-vries", "devries-support-plan")])
def test_every_page_says_its_number_and_the_count(household: str, plan: str):
    pages = page_texts(pdf_of(household, plan))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in text


def test_the_pdf_is_tagged_with_its_title_and_dutch_as_language():
    data = pdf_of("household-de-vries", "devries-safety-plan")
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]        # a tagged PDF
    assert "/StructTreeRoot" in root                     # with its structure tree
    assert root["/Lang"] == "nl"
    assert reader.metadata.title == "Veiligheidsplan gezin De Vries"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp                     # declares PDF/UA-1
    assert "Veiligheidsplan gezin De Vries</rdf:li>" in xmp
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_a_table_row_is_never_split_across_pages():
    """Forty tall rows (each several lines) force page breaks inside the table; every row's
    first and last word must be on the same page."""
    document = household_copy("household-de-vries", "devries-safety-plan").document
    filler = "een afspraak met veel woorden die over meerdere regels loopt " * 4
    actions = tuple(Action(f"BEGIN{i:02d} {filler}EIND{i:02d}", "Sanne", "1 december 2026",
                           "bezig", "task", True) for i in range(40))
    pages = page_texts(html_to_pdf(render_html(replace(document, actions=actions))))
    assert len(pages) > 4
    for i in range(40):
        begin = [n for n, text in enumerate(pages) if f"BEGIN{i:02d}" in text]
        end = [n for n, text in enumerate(pages) if f"EIND{i:02d}" in text]
        assert len(begin) == 1, f"row {i} begins on pages {begin}"
        assert begin == end, f"row {i} on pages {begin} and {end}"


@pytest.mark.parametrize("extra", [0, 3, 6, 9, 12])
def test_the_signatures_are_never_alone_on_the_last_page(extra: int):
    """More or fewer agreements move the end of the plan; the last page always has the next
    meeting with the signatures."""
    document = household_copy("household-de-vries", "devries-support-plan").document
    more = tuple(Action(f"Extra afspraak {i} over de week", "Sanne", "1 december 2026",
                        "bezig", "task", True) for i in range(extra))
    pages = page_texts(html_to_pdf(render_html(replace(document,
                                                       actions=document.actions + more))))
    last = pages[-1]
    assert "Handtekeningen" in last
    assert "Volgende keer" in last
    assert "Getekend door" in last


@needs_poppler
@pytest.mark.parametrize(("household", "plan"), SAFETY_PLANS)
def test_the_rendered_pages_show_numbers_and_the_safety_persons_row(household: str,
                                                                    plan: str,
                                                                    tmp_path: Path):
    rendered = household_copy(household, plan)
    source = tmp_path / f"{plan}.pdf"
    source.write_bytes(pdf_of(household, plan))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(source), str(tmp_path / "page")],
                   check=True, timeout=120)
    images = sorted(tmp_path.glob("page-*.pgm"))
    count = len(PdfReader(source).pages)
    assert len(images) == count
    for image in images:
        width, height, pixels = read_pgm(image)
        footer = pixels[int(height * 0.93) * width: int(height * 0.985) * width]
        assert min(footer) < 128, f"{image.name}: no page number drawn in the footer"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(ARTIFACTS / plan)],
                   check=True, timeout=120)   # to look at
    # The safety person's row of "who to call when": on one page, with what the household's
    # copy holds for the number (the guard decides whether that is the number itself).
    safe = [c for c in rendered.document.contacts if c.who == rendered.document.safe_persons[0]
            .name]
    assert safe, "the safety person is in 'Wie bel je wanneer?'"
    layout = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(source),
                              "-"], check=True, capture_output=True, text=True,
                             timeout=120).stdout for n in range(1, count + 1)]
    on = [n for n, text in enumerate(layout) if "Wie bel je wanneer?" in text]
    assert on, "the contacts table is in the PDF"
    flat = " ".join(layout[on[0]].split()) + " " + " ".join(
        layout[min(on[0] + 1, count - 1)].split())
    phone = safe[0].phone
    words = phone.split()
    assert all(word in flat for word in words)
    if re.search(r"\d{2}-\d{6,8}", phone):
        assert phone in flat


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary PGM (P5, 8 bit) as width, height and its pixels."""
    data = path.read_bytes()
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P5"
    width, height, depth = int(fields[1]), int(fields[2]), int(fields[3])
    assert depth == 255
    return width, height, fields[4][-width * height:]


@pytest.mark.parametrize(("name", "chosen", "wanted"), [
    ("plan.pdf", None, b"%PDF-"), ("plan.HTML", None, b"<!DOCTYPE"),
    ("plan.htm", None, b"<!DOCTYPE"), ("plan", "pdf", b"%PDF-"), ("plan.pdf", "pdf", b"%PDF-"),
])
def test_the_format_follows_from_the_suffix_unless_format_says_it(tmp_path: Path, name: str,
                                                                  chosen: str | None,
                                                                  wanted: bytes):
    out = tmp_path / name
    code, said, err = run("render", "--example", "household-de-vries", "--plan",
                          "devries-support-plan", "--audience", "household", "--at",
                          "2026-11-25", *(["--format", chosen] if chosen else []), "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(wanted)
    assert ("(pdf," if wanted == b"%PDF-" else "(html,") in said


@pytest.mark.parametrize(("name", "chosen", "message"), [
    ("plan.pdf", "html", "--format html does not match -o"),
    ("plan.html", "pdf", "--format pdf does not match -o"),
    ("plan.txt", None, "name the file .html or .pdf, or pass --format"),
    ("plan", None, "name the file .html or .pdf, or pass --format"),
])
def test_a_format_that_does_not_fit_the_file_name_is_refused(tmp_path: Path, name: str,
                                                             chosen: str | None, message: str):
    out = tmp_path / name
    code, _, err = run("render", "--example", "household-de-vries", "--plan",
                       "devries-support-plan", "--audience", "household",
                       *(["--format", chosen] if chosen else []), "-o", str(out))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert not out.exists()
