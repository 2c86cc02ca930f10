"""Shared builder helpers: codes with Dutch displays, references, dates, the error type."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.reference import Reference

from fhir_regie.ig import codesystem_url
from fhir_regie.model import InvalidResourceError, patient, safety_scale_score, to_json
from fhir_regie.model._base import (
    coding,
    fhir_date,
    fhir_datetime,
    reference,
    security_coding,
)
from fhir_regie.model.errors import failures, summarise
from tests.unit.model.support import assert_dutch_displays, our_displays


def test_coding_carries_the_dutch_display_of_the_compiled_code_system():
    built = coding("regie-role", "procesregisseur")
    assert (built.system, built.code, built.display) == (
        codesystem_url("regie-role"), "procesregisseur", "Procesregisseur")


def test_displays_come_from_the_code_system():
    """Every coding of the guide in a built resource has the compiled CodeSystem's display."""
    score = to_json(safety_scale_score(danger_statement="Condition/d", scored_by="Patient/a",
                                       score=3, on="2026-10-01", subject="Group/h"))
    assert len(our_displays(score)) == 1
    assert_dutch_displays(score)  # assert_rebuilds checks this for every rebuilt example


def test_unknown_code_names_the_code_system_and_the_code():
    with pytest.raises(ValueError, match=r"unknown code 'regisseur' in code system regie-role"
                                         r" \(https://fhir-regie.nl/fhir/CodeSystem/regie-role\)"):
        coding("regie-role", "regisseur")


def test_unknown_code_system():
    with pytest.raises(ValueError, match=r"unknown code system 'regie-nothing'"):
        coding("regie-nothing", "x")


def test_value_set_narrows_a_code_system():
    assert coding("regie-observation-type", "strength", valueset="regie-strength-type").code
    with pytest.raises(ValueError, match=r"not in value set regie-strength-type"):
        coding("regie-observation-type", "signal", valueset="regie-strength-type")


def test_security_label_codes():
    assert security_coding("V").display == "very restricted"
    sdv, pseuded = security_coding("SDV"), security_coding("PSEUDED")
    assert (sdv.system, sdv.code) == ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "SDV")
    assert (pseuded.system, pseuded.code) == (
        "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "PSEUDED")
    with pytest.raises(ValueError, match=r"unknown security label 'X'; allowed: U, L, M, N, R, "
                                         r"V, SDV, PSEUDED"):
        security_coding("X")


def test_reference_accepts_a_model_a_string_a_reference_and_urls():
    sanne = patient(id="devries-sanne", given="Sanne", birth_date="1990-04-12")
    assert reference(sanne, "Patient", parameter="p").reference == "Patient/devries-sanne"
    assert reference("Group/h", "Group", parameter="p").reference == "Group/h"
    kept = Reference(reference="Patient/x", display="x")
    assert reference(kept, "Patient", parameter="p") is kept
    absolute = "https://server.example/fhir/Patient/x"
    assert reference(absolute, "Patient", parameter="p").reference == absolute
    assert reference("urn:uuid:5b1c", "Patient", parameter="p").reference == "urn:uuid:5b1c"


def test_reference_refusals_name_the_parameter():
    with pytest.raises(ValueError, match=r"subject: the Patient has no id"):
        reference(patient(given="Sanne", birth_date="1990-04-12"), "Patient",
                  parameter="subject")
    with pytest.raises(ValueError, match=r"subject: expected a resource, a Reference or "):
        reference("Sanne de Vries", "Patient", parameter="subject")
    with pytest.raises(ValueError, match=r"subject: must refer to Group or Patient, not Goal"):
        reference("https://server.example/fhir/Goal/x", "Group", "Patient", parameter="subject")
    with pytest.raises(TypeError, match=r"subject: expected"):
        reference(42, "Patient", parameter="subject")  # type: ignore[arg-type]


def test_dates_and_date_times():
    assert fhir_date(date(2026, 1, 2), "d") == date(2026, 1, 2)
    with pytest.raises(ValueError, match=r"d: expected a date without a time"):
        fhir_date(datetime(2026, 1, 2, 3, 4), "d")
    with pytest.raises(ValueError, match=r"t: a date-time needs a time zone"):
        fhir_datetime(datetime(2026, 1, 2, 3, 4), "t")
    assert fhir_datetime("2026-01-02", "t") == "2026-01-02"


def test_invalid_resource_error_carries_a_valid_operation_outcome_and_one_line():
    with pytest.raises(InvalidResourceError) as caught:
        patient(given="Sanne", family="de Vries", bsn="123456789")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.profile_id == "regie-patient"
    assert sorted(error.rules) == ["rg-bsn-1", "rg-pat-1"]
    assert error.error_count == 2
    OperationOutcome.model_validate(error.outcome)
    assert "\n" not in str(error)
    assert str(error).startswith("regie-patient: 2 errors: ")


def test_rules_that_could_not_be_evaluated_stop_a_build():
    outcome = {"resourceType": "OperationOutcome", "issue": [
        {"severity": "warning", "code": "exception",
         "details": {"coding": [{"code": "regie-invariant-error"}], "text": "x"},
         "diagnostics": "rg-x-1", "expression": ["Task"]},
        {"severity": "warning", "code": "informational",
         "details": {"coding": [{"code": "regie-no-profile"}], "text": "y"},
         "diagnostics": "regie-no-profile", "expression": ["Task"]}]}
    assert [i["diagnostics"] for i in failures(outcome)] == ["rg-x-1"]
    assert summarise("regie-x", outcome) == "regie-x: 1 error: rg-x-1 at Task: x"
