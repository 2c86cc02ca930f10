"""The notification: an address with a version, a stable identifier, no case content."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fhir_regie.demo_case import named, vt_case
from fhir_regie.handover.notification import TaskAddress, address_of, build, parse_address
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count

AT = datetime(2026, 11, 18, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_an_address_round_trips_and_names_one_version():
    address = parse_address("https://vt.example/fhir/Task/hoekstra-handover/_history/3")
    assert address == TaskAddress("https://vt.example/fhir", "hoekstra-handover", "3")
    assert address.url == "https://vt.example/fhir/Task/hoekstra-handover/_history/3"
    for wrong in ("https://vt.example/fhir/Task/hoekstra-handover", "Task/x/_history/1",
                  "https://vt.example/fhir/Patient/x/_history/1", ""):
        with pytest.raises(ValueError, match="not the address of a Task version"):
            parse_address(wrong)


def test_the_identifier_is_the_same_for_the_same_version_only():
    one = TaskAddress("https://vt.example/fhir", "t", "1")
    assert one.identifier == TaskAddress("https://vt.example/fhir", "t", "1").identifier
    assert one.identifier != TaskAddress("https://vt.example/fhir", "t", "2").identifier
    assert one.identifier != TaskAddress("https://vt2.example/fhir", "t", "1").identifier


def test_the_notification_carries_nothing_of_the_case():
    case = vt_case()
    task = named(case, "Task/hoekstra-handover")
    resources = {f"{r['resourceType']}/{r['id']}": r for r in case}
    address = TaskAddress("https://vt.example/fhir", "hoekstra-handover", "1")
    note = build(task, resources, address, AT)
    assert error_count(validate_resource(note)) == 0
    assert address_of(note) == address
    text = str(note)
    for content in ("Hoekstra", "Linda", "999990408", "Pluimenburgstraat", "household"):
        assert content not in text, content
    assert note["requester"]["identifier"]["value"] == "90001231"
    assert note["owner"]["display"] == "Lokaal team Arnhem"


def test_a_confidential_handover_gives_a_confidential_notification():
    task = named(vt_case(), "Task/hoekstra-handover")
    task["meta"]["security"] = [{"system": "http://terminology.hl7.org/CodeSystem/"
                                           "v3-Confidentiality", "code": "V"}]
    note = build(task, {}, TaskAddress("https://vt.example/fhir", "hoekstra-handover", "1"), AT)
    assert [s["code"] for s in note["meta"]["security"]] == ["V"]
    with pytest.raises(ValueError, match="not that of this Task"):
        build(task, {}, TaskAddress("https://vt.example/fhir", "other", "1"), AT)
