"""The projection engine: each rule of the allow-list on its own (issue 17)."""

from __future__ import annotations

import base64

import pytest

from fhir_regie.consent.project import Projector
from fhir_regie.consent.projections import PLACEHOLDER, PROJECTIONS
from fhir_regie.consent.redact import MASK, Scrubber
from fhir_regie.ig import codesystem_url, extension_url, profile_url

ADVERSARY = Projector("perpetrator-care")
PROFESSIONAL = Projector("professional")
LIFE = codesystem_url("regie-life-domain")


def task(**more):
    return {"resourceType": "Task", "id": "t", "status": "requested", "intent": "plan",
            "for": {"reference": "Patient/p"}, "description": "Sanne belt oma Ria.", **more}


def test_an_element_not_listed_is_withheld_and_its_path_recorded():
    copy, withheld = ADVERSARY.project({"resourceType": "Patient", "id": "p", "gender": "female",
                                        "telecom": [{"system": "phone", "value": "0612345678"}],
                                        "contact": [{"name": {"text": "zus"}}],
                                        "photo": [{"data": "AAAA"}]})
    assert copy == {"resourceType": "Patient", "id": "p", "gender": "female"}
    assert withheld == ["Patient.contact", "Patient.photo", "Patient.telecom"]


def test_a_name_fhir_does_not_define_is_withheld_without_quoting_it():
    copy, withheld = PROFESSIONAL.project(task(**{"Klarendalseweg 101": "x"}))
    assert "Klarendalseweg 101" not in copy
    assert withheld == ["Task.?"]


def test_only_listed_types_go():
    copy, withheld = ADVERSARY.project({"resourceType": "Location", "id": "l", "name": "Opvang"})
    assert copy is None
    assert withheld == ["Location"]
    assert "Location" in PROJECTIONS["professional"]["types"]  # type: ignore[operator]


def test_extensions_go_only_by_listed_url():
    listed = {"url": extension_url("regie-life-domain"),
              "valueCodeableConcept": {"coding": [{"system": LIFE, "code": "safety"}]}}
    unknown = {"url": "https://example.org/waar-ze-is", "valueString": "Klarendalseweg"}
    copy, withheld = PROFESSIONAL.project(task(extension=[listed, unknown]))
    assert [e["url"] for e in copy["extension"]] == [listed["url"]]
    assert withheld == ["Task.extension"]
    copy, _ = PROFESSIONAL.project(task(modifierExtension=[listed]))
    assert "modifierExtension" not in copy


def test_codes_only_from_known_systems_with_codes_they_define():
    concept = {"coding": [{"system": LIFE, "code": "safety"},
                          {"system": LIFE, "code": "klarendalseweg-101"},
                          {"system": "https://example.org/cs", "code": "safety"}]}
    copy, withheld = PROFESSIONAL.project(task(code=concept))
    assert copy["code"]["coding"] == [{"system": LIFE, "code": "safety"}]
    assert withheld == ["Task.code.coding"]


def test_a_coding_display_on_the_adversary_side_is_the_guides_own():
    concept = {"coding": [{"system": LIFE, "code": "safety", "display": "Opvang De Linde"}]}
    copy, _ = ADVERSARY.project(task(reasonCode=concept))
    assert copy["reasonCode"]["coding"][0]["display"] != "Opvang De Linde"
    copy, _ = PROFESSIONAL.project(task(reasonCode=concept))
    assert copy["reasonCode"]["coding"][0]["display"] == "Opvang De Linde"


def test_contained_resources_go_only_when_listed_and_projected_in_turn():
    contained = [{"resourceType": "Patient", "id": "c", "gender": "female",
                  "contact": [{"name": {"text": "zus"}}]},
                 {"resourceType": "Location", "id": "l", "name": "Opvang"}]
    copy, withheld = Projector("household-with-perpetrator").project(task(contained=contained))
    assert copy["contained"] == [{"resourceType": "Patient", "id": "c", "gender": "female"}]
    assert {"Patient.contact", "Task.contained"} <= set(withheld)


def test_no_contained_resource_goes_to_the_adversary_side():
    contained = [{"resourceType": "Patient", "id": "c", "gender": "female",
                  "name": [{"text": "06 34567890"}]}]
    copy, withheld = ADVERSARY.project(task(contained=contained))
    assert "contained" not in copy
    assert "Task.contained" in withheld


def test_attachments_never_go_to_the_adversary_side():
    attachment = {"url": extension_url("regie-safe-object"),
                  "valueAttachment": {"data": base64.b64encode(b"Klarendalseweg").decode()}}
    copy, withheld = ADVERSARY.project(task(extension=[attachment]))
    assert "extension" not in copy
    assert "Task.extension.value[x]" in withheld
    copy, _ = PROFESSIONAL.project(task(extension=[attachment]))
    assert copy["extension"][0]["valueAttachment"]["data"]


def test_free_text_on_the_adversary_side_only_when_marked():
    copy, withheld = ADVERSARY.project(task(note=[{"text": "Ze is in de opvang."}]))
    assert copy["description"] == PLACEHOLDER
    assert copy["note"] == [{"text": PLACEHOLDER}]
    assert {"Task.description", "Task.note.text"} <= set(withheld)
    mark = {"system": codesystem_url("regie-text-audience"), "code": "perpetrator-side"}
    copy, withheld = ADVERSARY.project(task(meta={"tag": [mark]}))
    assert copy["description"] == "Sanne belt oma Ria."
    assert "Task.description" not in withheld


def test_identifiers_on_the_adversary_side_only_of_listed_systems_in_their_form():
    bsn = {"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999990007"}
    phone = {"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "0612345678"}
    other = {"system": "https://example.org/ids", "value": "6822GD"}
    patient = {"resourceType": "Patient", "id": "p", "identifier": [bsn, phone, other]}
    copy, withheld = ADVERSARY.project(patient)
    assert copy["identifier"] == [bsn]
    assert withheld == ["Patient.identifier"]


def test_references_on_the_adversary_side_keep_no_display_and_only_their_form():
    copy, withheld = ADVERSARY.project(task(**{"for": {"reference": "Patient/p",
                                                       "display": "Sanne, nu in Opvang"}}))
    assert copy["for"] == {"reference": "Patient/p"}
    assert "Task.for.display" in withheld
    copy, _ = ADVERSARY.project(task(**{"for": {"reference": "Klarendalseweg 101"}}))
    assert "for" not in copy


def test_profiles_and_dates_on_the_adversary_side_must_have_their_form():
    copy, withheld = ADVERSARY.project(task(
        meta={"profile": [profile_url("regie-agreed-action"), "https://x.nl/6822GD"],
              "source": "urn:Klarendalseweg"},
        authoredOn="Klarendalseweg", lastModified="2026-11-20T10:00:00+01:00"))
    assert copy["meta"] == {"profile": [profile_url("regie-agreed-action")]}
    assert "authoredOn" not in copy
    assert copy["lastModified"] == "2026-11-20T10:00:00+01:00"
    assert {"Task.meta.profile", "Task.meta.source", "Task.authoredOn"} <= set(withheld)


def test_names_pass_on_the_adversary_side_but_the_scrubber_reads_them():
    patient = {"resourceType": "Patient", "id": "p",
               "name": [{"given": ["Sanne"], "text": "Sanne (Klarendalseweg)"}]}
    copy, _ = ADVERSARY.project(patient, scrubber=Scrubber({"Klarendalseweg 101",
                                                            "Klarendalseweg"}))
    assert copy["name"] == [{"given": ["Sanne"], "text": f"Sanne ({MASK})"}]


@pytest.mark.parametrize("audience", sorted(PROJECTIONS))
def test_a_shape_that_went_whole_gives_the_same_copy_as_the_walk(audience):
    """The lean copy for a known shape equals the walk's copy (element order aside)."""
    projector = Projector(audience)
    first, _ = projector.project(task(note=[{"text": "een"}]))
    second_resource = task(note=[{"text": "twee"}], description="Ander")
    second, withheld = projector.project(second_resource)
    fresh, fresh_withheld = Projector(audience).project(second_resource)
    assert second == fresh
    assert withheld == fresh_withheld
    assert first is not None


@pytest.mark.parametrize("audience", ["household-with-perpetrator", "professional",
                                      "household"])
@pytest.mark.parametrize("inside", ["\n", "\t", "\r\n", '"'])
def test_a_fact_split_by_a_character_json_escapes_is_still_scrubbed(audience, inside):
    """The quick look over a resource's JSON text must not miss a fact that the JSON escape
    of a line break or tab splits ("Kerkstraat\\n12"); the scrubber itself joins it."""
    scrubber = Scrubber({"Kerkstraat 12", "0612345678"})
    resource = task(description=f"Ze woont nu Kerkstraat{inside}12, bel 06{inside}12345678")
    copy, _ = Projector(audience).project(resource, scrubber=scrubber)
    expected = scrubber.sub(resource["description"])
    assert copy["description"] == expected
    if inside != '"':  # a quote is no separator: then nothing is joined, nor found
        assert "Kerkstraat" not in copy["description"]
        assert "12345678" not in copy["description"]
