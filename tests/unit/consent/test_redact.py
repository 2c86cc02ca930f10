"""The scrubber: every occurrence of a cut string is masked, whatever its case, wherever it is."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhir_regie.consent.redact import (
    MASK,
    Scrubber,
    normalised,
    pseudonymised,
    scrub,
    scrub_terms,
)

NAMES = ["Sanne de Vries", "Sanne", "Vries", "Özdemir", "Çelik", "Ĳsselstein", "06-12345678",
         "Dorpsstraat 12", "İlker", "Mark"]


def reference_sub(terms: set[str], text: str) -> str:
    """The plain definition: an IGNORECASE alternation, longest term first."""
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE).sub(MASK, text)


def test_longest_term_wins_and_words_containing_a_term_are_masked() -> None:
    scrubber = Scrubber({"Sanne", "Sanne de Vries", "Vries"})
    text = "Afspraak: SANNE DE VRIES belt; Sannes zus en de familie Vries."
    assert scrubber.sub(text) == (f"Afspraak: {MASK} belt; {MASK}s zus en de familie {MASK}.")
    assert scrubber.found_in("niets hier") is False
    assert scrubber.found_in("bel sanne") is True


def test_text_whose_lower_case_changes_length_is_still_masked() -> None:
    # "İ".lower() is two characters: the fast path cannot map positions back, so the
    # IGNORECASE alternation answers.
    scrubber = Scrubber({"İlker"})
    assert scrubber.sub("Gesprek met İlker en İLKER") == f"Gesprek met {MASK} en {MASK}"


@given(st.sets(st.sampled_from(NAMES) | st.text(min_size=3, max_size=8), min_size=1,
               max_size=6),
       st.lists(st.sampled_from([*NAMES, " ", "de ", "S", "\u00a0", "x"]) | st.text(max_size=6),
                max_size=12))
def test_nothing_the_plain_definition_would_find_survives_the_scrubber(
        terms: set[str], pieces: list[str]) -> None:
    terms = {t for t in terms if len(normalised(t)) >= 3}
    if not terms:
        return
    masked = Scrubber(terms).sub("".join(pieces))
    assert reference_sub(terms, masked) == masked


SEPARATOR = st.sampled_from([" ", "\u00a0", "-", "\u2011", ".", "  ", " - ", "\u202f"])


@given(st.sampled_from(["Sanne de Vries", "06-12345678", "6822 GD", "Klarendalseweg"]),
       st.lists(SEPARATOR | st.just(""), min_size=20, max_size=20), st.booleans())
def test_case_whitespace_nbsp_and_hyphen_variants_are_masked(
        term: str, gaps: list[str], upper: bool) -> None:
    letters = normalised(term)
    written = "".join(c + gaps[i] for i, c in enumerate(letters[:-1])) + letters[-1]
    written = written.upper() if upper else written
    masked = Scrubber({term}).sub(f"Zie {written}, ok?")
    assert MASK in masked
    assert letters not in normalised(masked)


@pytest.mark.parametrize("written", [
    "0612345678", "06 12 34 56 78", "+31 6 12345678", "0031612345678", "+31 (0)6-1234 5678",
    "06\u00a012345678", "06\u201112345678"])
def test_a_phone_number_is_masked_in_every_format(written: str) -> None:
    masked = Scrubber(scrub_terms([{"value": "06-12345678"}])).sub(f"Bel {written} vandaag")
    assert "12" not in masked.replace(MASK, "")
    assert masked.startswith("Bel ")
    assert masked.endswith(" vandaag")


def test_postcodes_street_names_and_base64_are_masked() -> None:
    terms = scrub_terms([{"line": ["Klarendalseweg 101"], "postalCode": "6822 GD"}])
    scrubber = Scrubber(terms)
    for written in ("6822GD", "6822 gd", "6822-GD", "klarendalseweg", "KLARENDALSEWEG 7",
                    base64.b64encode(b"Klarendalseweg 101, Arnhem").decode()):
        masked = scrubber.sub(f"Zij woont nu op {written}.")
        assert MASK in masked, written
        assert not scrubber.found_in(masked), written


def test_structure_strings_are_never_scrubbed_and_content_strings_are() -> None:
    task = {"resourceType": "Task", "id": "sanne-1", "status": "requested",
            "for": {"reference": "Patient/sanne"},
            "code": {"coding": [{"system": "https://example.org/sanne", "code": "sanne"}]},
            "description": "Sanne belt oma"}
    scrub(task, Scrubber({"Sanne"}))
    assert task["id"] == "sanne-1"
    assert task["for"]["reference"] == "Patient/sanne"
    assert task["code"]["coding"][0] == {"system": "https://example.org/sanne", "code": "sanne"}
    assert task["description"] == f"{MASK} belt oma"


def test_pseudonymised_renames_references_drops_displays_and_scrubs_in_one_walk() -> None:
    patient = {"resourceType": "Patient", "id": "devries-sanne"}
    task = {"resourceType": "Task", "id": "devries-task",
            "for": {"reference": "Patient/devries-sanne", "display": "Sanne de Vries"},
            "note": [{"text": "Sanne de Vries wil bellen"}]}
    before = repr([patient, task])
    new_patient, new_task = pseudonymised([patient, task], Scrubber({"Sanne de Vries"}))
    assert new_patient["id"] == "anon-1"
    assert new_task["id"] == "anon-2"
    assert new_task["for"] == {"reference": "Patient/anon-1"}
    assert new_task["note"][0]["text"] == f"{MASK} wil bellen"
    assert repr([patient, task]) == before   # the input is not changed
