"""Which searches the gateway answers, and that a match is checked again on the guarded copy."""

from __future__ import annotations

import pytest

from fhir_regie.gateway.search import DEFAULT_COUNT, MAX_COUNT, SearchRefusedError, check, matches


@pytest.mark.parametrize("name", ["_include", "_revinclude", "_has:Observation:subject:code",
                                  "_summary", "_elements", "_total", "_sort", "_contained",
                                  "subject.name", "subject:missing", "address", "name"])
def test_parameters_the_guard_cannot_stand_behind_are_refused(name: str) -> None:
    with pytest.raises(SearchRefusedError) as refused:
        check("CarePlan", [(name, "x")])
    assert "Sanne" not in str(refused.value)


def test_allowed_criteria_and_paging() -> None:
    criteria, offset, count = check("CarePlan", [("subject", "Group/h"), ("_count", "10"),
                                                 ("_offset", "20"), ("status", "active")])
    assert criteria == [("subject", "Group/h"), ("status", "active")]
    assert (offset, count) == (20, 10)
    assert check("Task", [("_count", "100000")])[2] == MAX_COUNT
    assert check("Task", [])[1:] == (0, DEFAULT_COUNT)
    with pytest.raises(SearchRefusedError, match="_count needs a whole number"):
        check("Task", [("_count", "-1")])


def test_a_value_is_not_echoed() -> None:
    with pytest.raises(SearchRefusedError) as refused:
        check("Patient", [("birthdate<script>", "2015-03-04")])
    assert "<" not in str(refused.value)


PATIENT = {"resourceType": "Patient", "id": "p1",
           "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "1"}]}
TASK = {"resourceType": "Task", "id": "t1", "status": "requested",
        "for": {"reference": "Group/h"}, "owner": {"reference": "Organization/gp"},
        "code": {"coding": [{"system": "s", "code": "action"}]}}


def test_matches_reads_the_copy_not_the_original() -> None:
    assert matches(PATIENT, [("identifier", "http://fhir.nl/fhir/NamingSystem/bsn|1")])
    cut = {k: v for k, v in PATIENT.items() if k != "identifier"}   # the projection cut it
    assert not matches(cut, [("identifier", "http://fhir.nl/fhir/NamingSystem/bsn|1")])


@pytest.mark.parametrize(("criteria", "expected"), [
    ([("subject", "Group/h")], True), ([("subject", "Group/x")], False),
    ([("owner", "Organization/gp,Organization/x")], True), ([("status", "requested")], True),
    ([("status", "accepted")], False), ([("code", "s|action")], True),
    ([("code", "other|action")], False), ([("code", "|action")], False),
    ([("code", "action")], True), ([("_id", "t1")], True), ([("_id", "t2")], False),
    ([("subject", "Group/h"), ("status", "accepted")], False),
])
def test_criteria(criteria: list[tuple[str, str]], expected: bool) -> None:
    assert matches(TASK, criteria) is expected
