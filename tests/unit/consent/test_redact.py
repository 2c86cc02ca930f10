"""The scrubber: every occurrence of a cut string is masked, whatever its case, wherever it is."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fhir_regie.consent.redact import MASK, Scrubber, pseudonymised, scrub

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
def test_the_scrubber_masks_exactly_what_the_plain_definition_masks(
        terms: set[str], pieces: list[str]) -> None:
    text = "".join(pieces)
    assert Scrubber(terms).sub(text) == reference_sub(terms, text)


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
