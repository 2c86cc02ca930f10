"""How the reference-validator test decides that an HL7 message is a fixture's violation.

The matcher itself must be able to say no, or the agreement test could pass on anything.
"""

from __future__ import annotations

from tests.ig.test_reference_validator import (
    broken_invariant,
    follows_from_rule,
    missing_element,
    reports_rule,
)
from tools.hl7_validator import Issue

SD = "https://fhir-regie.nl/fhir/StructureDefinition"


def issue(message: str, invariant: str | None = None) -> Issue:
    return Issue(severity="error", message=message, location="X", invariant=invariant)


def test_invariant_from_the_validator_field_or_the_message():
    assert broken_invariant(issue("whatever", f"{SD}/regie-patient#rg-pat-1")) == "rg-pat-1"
    assert broken_invariant(issue("Constraint failed: rg-ssc-2: 'A score ...'")) == "rg-ssc-2"
    assert broken_invariant(issue("Slice 'CarePlan.extension:kind': a matching slice")) is None


def test_invariant_rule_matches_only_its_own_key():
    reported = issue("Constraint failed: rg-act-1: 'An action ...'")
    assert reports_rule(reported, "rg-act-1", "invariant")
    assert not reports_rule(reported, "rg-act-2", "invariant")
    assert not reports_rule(reported, "rg-act-10", "invariant")


def test_missing_elements_in_both_message_forms():
    slice_form = issue("Slice 'CarePlan.extension:kind': a matching slice is required, but not "
                       "found (from ...)")
    minimum_form = issue("Task.owner: minimum required = 1, but only found 0 (from ...)")
    assert missing_element(slice_form) == "CarePlan.extension:kind"
    assert missing_element(minimum_form) == "Task.owner"
    assert missing_element(issue("Task.owner: maximum allowed = 1, but found 2")) is None


def test_cardinality_rule_needs_the_exact_element():
    minimum = issue("Task.owner: minimum required = 1, but only found 0 (from ...)")
    assert reports_rule(minimum, "Task.owner", "cardinality")
    assert not reports_rule(minimum, "Task.for", "cardinality")
    assert not reports_rule(minimum, "Task.owner.display", "cardinality")
    value_x = issue("Observation.value[x]: minimum required = 1, but only found 0")
    assert reports_rule(value_x, "Observation.value[x]", "cardinality")


def test_sliced_element_echo_belongs_to_the_missing_slice_only():
    echo = issue("Group.member.extension: minimum required = 1, but only found 0 (from ...)")
    assert follows_from_rule(echo, "Group.member.extension:role", "cardinality")
    assert not reports_rule(echo, "Group.member.extension:role", "cardinality")
    assert not follows_from_rule(echo, "Group.member.entity", "cardinality")
    assert not follows_from_rule(echo, "rg-hh-1", "invariant")
    in_slice = issue("Composition.section:planAgreements.text: minimum required = 1, but only "
                     "found 0")
    assert follows_from_rule(in_slice, "Composition.section.text", "cardinality")
