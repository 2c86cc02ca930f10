"""Pure parts of the engine (fhir_regie.sync.engine): which rows of a record changed, whose
data went, validation errors as rules, counts."""

from __future__ import annotations

from fhir_regie.sync.engine import Counts, _changed_rows, _row_sources, _validation_errors


def test_only_rows_the_partner_does_not_have_go():
    known = {"acties": [{"actienummer": "A1", "status": "open"},
                        {"actienummer": "A2", "status": "open"}],
             "clienten": [{"clientnummer": "C1", "telefoon": "06-1"}]}
    now = {"acties": [{"actienummer": "A1", "status": "afgerond"},
                      {"actienummer": "A2", "status": "open"}],
           "clienten": [{"clientnummer": "C1", "telefoon": "06-1"}]}
    assert _changed_rows(now, known) == {"acties": [{"actienummer": "A1",
                                                     "status": "afgerond"}], "clienten": []}
    assert _changed_rows(known, known) is None
    assert _changed_rows(now, None) == now  # nothing known: the whole record


def test_a_row_missing_now_is_not_a_change():
    known = {"acties": [{"actienummer": "A1"}, {"actienummer": "A2"}]}
    assert _changed_rows({"acties": [{"actienummer": "A1"}]}, known) is None


def test_other_formats_go_whole_when_anything_differs():
    assert _changed_rows({"record": 1}, {"record": 1}) is None
    assert _changed_rows({"record": 2}, {"record": 1}) == {"record": 2}


def test_the_disclosed_resources_are_those_heading_a_changed_row():
    copies = {("Task", "t1"): {"identifier": [{"value": "A1"}]},
              ("Task", "t2"): {"identifier": [{"value": "A2"}]},
              ("Patient", "p1"): {"identifier": [{"value": "C1"}]}}
    assert set(_row_sources({"acties": [{"actienummer": "A2", "eigenaar": "C1"}]}, copies)) \
        == {("Task", "t2")}
    assert _row_sources({"record": 1}, copies) == copies


def test_validation_errors_are_rules_and_texts_without_values():
    errors = _validation_errors({"resourceType": "Task", "status": 42, "intent": "plan",
                                 "description": "Sanne de Vries belt"})
    assert ("Task.status", "Task.status: expected a JSON string (code), found a JSON number") \
        in errors
    assert all("Sanne" not in text for _, text in errors)
    assert _validation_errors({"resourceType": "Task", "status": "requested",
                               "intent": "plan"}) == []


def test_counts_line_names_what_happened():
    counts = Counts(read=3, applied=2, denied=1)
    assert counts.line() == "read 3, applied 2, denied 1"
    counts.add(Counts(applied=1, dead=2))
    assert counts.line() == "read 3, applied 3, denied 1, dead 2"
