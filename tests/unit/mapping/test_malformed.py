"""Done-when: a malformed file gives per-record errors (row number, rule) and a dead-letter
file, while the good records map. Plus the XML and date-time rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from fhir_regie.mapping.engine import map_records
from fhir_regie.mapping.files import map_file
from fhir_regie.mapping.readers import read_csv_tables, read_xml
from fhir_regie.mapping.spec import load_partner

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MALFORMED = Path(__file__).resolve().parents[2] / "fixtures/mapping/gemeente-suite-malformed"
VT_XML = (Path(__file__).resolve().parents[3]
          / "mappings/vt-registratie/fixtures/registraties.xml").read_text()


def test_malformed_csv_export_dead_letters_bad_households_and_maps_the_good_one(tmp_path):
    partner = load_partner("gemeente-suite")
    summary = map_file(partner, "to-fhir", MALFORMED, tmp_path / "out.ndjson", at=AT)
    assert (summary.records_in, summary.mapped, summary.failed) == (3, 1, 2)
    by_key = {e.key: e for e in summary.errors}
    h1 = {(x.path, x.rule) for x in by_key["H02301"].errors}
    assert ("clienten.csv:row 3", "csv-quoting") in h1
    assert ("acties.csv:row 2:status", "missing-column") in h1
    h2 = by_key["H02302"]
    assert h2.location == "clienten.csv:row 5"
    assert [(x.path, x.rule) for x in h2.errors] == [("clienten.csv:row 5:geboortedatum",
                                                      "type-date")]
    # the good household mapped
    bundles = [json.loads(line) for line in (tmp_path / "out.ndjson").read_text().splitlines()]
    assert [b["entry"][1]["resource"]["name"] for b in bundles] == ["Huishouden Bakker"]
    # the dead-letter file: one line per failed record, with errors and the original rows
    lines = [json.loads(x) for x in summary.dead_letter.read_text().splitlines()]
    assert summary.dead_letter == tmp_path / "out.ndjson.dead-letter.jsonl"
    assert [x["key"] for x in lines] == ["H02301", "H02302"]
    original = lines[1]["original"]["tables"]["clienten.csv"]
    assert original[0].startswith("clientnummer;")
    assert "31-02-1941" in original[1]
    assert lines[1]["errors"][0]["rule"] == "type-date"
    # messages name rules and places, never the values
    assert "31-02-1941" not in json.dumps(lines[1]["errors"])


def test_a_row_that_joins_no_record_is_dead_lettered_not_dropped():
    partner = load_partner("gemeente-suite")
    texts = {"gezinssamenstelling.csv": (MALFORMED / "gezinssamenstelling.csv").read_text(),
             "acties.csv": "actienummer;plannummer;omschrijving;eigenaar_soort;eigenaar;"
                           "deadline;status\nA0009999;P999999;Iets;client;C100250;01-01-2027;"
                           "open\n"}
    result = read_csv_tables(partner, texts)
    assert [(e.location, e.rules) for e in result.errors] == [("acties.csv:row 2",
                                                               ["orphan-row"])]


def test_profile_rule_failure_names_the_rule_and_the_rest_continues():
    partner = load_partner("gemeente-suite")
    texts = {f.name: f.read_text() for f in
             (MALFORMED.parents[2].parent / "mappings/gemeente-suite/fixtures/export").glob("*")}
    # an action put on hold without a reason breaks rg-act-1 of regie-agreed-action
    texts["acties.csv"] = texts["acties.csv"].replace(";gepauzeerd;Wachtlijst tot mei;",
                                                      ";gepauzeerd;;")
    result = map_records(partner, "to-fhir", read_csv_tables(partner, texts).records, at=AT)
    assert [o.key for o in result.outputs] == ["H02302"]
    [error] = result.errors
    assert error.key == "H02301"
    assert ("Task/gs-action-A0001003 Task", "rg-act-1") in [(e.path, e.rule) for e in error.errors]


def test_nonexistent_local_time_fails_the_record_and_ambiguous_time_takes_summer_time():
    partner = load_partner("vt-registratie")
    gap = VT_XML.replace("<ontvangen>16-09-2026 11:20</ontvangen>",
                         "<ontvangen>29-03-2026 02:30</ontvangen>")
    twice = VT_XML.replace("<ontvangen>16-09-2026 11:20</ontvangen>",
                           "<ontvangen>25-10-2026 02:30</ontvangen>")
    failed = read_xml(partner, gap)
    assert [(e.location, e.rules) for e in failed.errors] == [
        ("/vtExport/registratie[1]", ["datetime-nonexistent"])]
    assert len(failed.records) == 1
    read = read_xml(partner, twice)
    assert read.records[0].data["melding"]["ontvangen"] == "2026-10-25T02:30:00+02:00"


def test_wrong_value_in_xml_names_the_element_path():
    partner = load_partner("vt-registratie")
    broken = VT_XML.replace("<geboortedatum>21-06-2018</geboortedatum>",
                            "<geboortedatum>2018-06-21</geboortedatum>")
    result = read_xml(partner, broken)
    [error] = result.errors
    assert error.location == "/vtExport/registratie[1]"
    assert [(e.path, e.rule) for e in error.errors] == [
        ("huishouden.personen[2].geboortedatum", "type-date")]
    assert [r.key for r in result.records] == ["VTGM-2026-09120"]


def test_xml_entities_are_refused_not_expanded():
    partner = load_partner("vt-registratie")
    bomb = ('<?xml version="1.0"?><!DOCTYPE vtExport [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;">]><vtExport><registratie><dossiernummer>&b;'
            '</dossiernummer></registratie></vtExport>')
    result = read_xml(partner, bomb)
    assert result.records == []
    assert result.errors[0].rules == ["xml-forbidden"]
    external = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                '<vtExport>&e;</vtExport>')
    assert read_xml(partner, external).errors[0].rules == ["xml-forbidden"]


def test_huisarts_summary_refuses_a_very_restricted_household():
    household = json.loads((MALFORMED.parents[2].parent /
                            "mappings/huisarts-jgz/fixtures/household.json").read_text())
    for entry in household["entry"]:
        if entry["resource"]["resourceType"] == "Group":
            entry["resource"]["meta"]["security"] = [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
                "code": "V"}]
    result = map_records("huisarts-jgz", "from-fhir", [household], at=AT)
    assert result.outputs == []
    assert result.errors[0].rules == ["very-restricted"]


def test_importing_the_engine_leaves_the_recursion_limit_alone():
    # the JSONata engine used before raised it to 10000 at import; a fresh interpreter shows
    # that importing the engine (and its JSONata runner) leaves it as it was
    import subprocess
    import sys

    code = ("import sys; before = sys.getrecursionlimit(); import fhir_regie.mapping.engine; "
            "print(before, sys.getrecursionlimit())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == out[1]


def _partner_with_map(tmp_path, text):
    import shutil

    from fhir_regie.mapping.spec import load_partner_from

    folder = tmp_path / "gemeente-suite"
    shutil.copytree(Path(__file__).resolve().parents[3] / "mappings/gemeente-suite", folder)
    (folder / "to-fhir.jsonata").write_text(text, encoding="utf-8")
    return load_partner_from(folder)


def test_a_broken_map_is_a_mapping_error_naming_code_and_place(tmp_path):
    import pytest

    from fhir_regie.mapping.engine import MappingError

    partner = _partner_with_map(tmp_path, "($household := ")
    with pytest.raises(MappingError, match=r"to-fhir.jsonata: JSONata syntax error S\d{4} at "
                                           r"character \d+"):
        map_records(partner, "to-fhir", [{"huishoudnummer": "H1"}], at=AT)


def test_a_map_failing_at_run_time_fails_the_record_not_the_run(tmp_path):
    # a runaway recursion is an engine error on this record (rule jsonata-<code>), never a crash
    partner = _partner_with_map(
        tmp_path, "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))")
    result = map_records(partner, "to-fhir", [{"huishoudnummer": "H1"}, {"huishoudnummer": "H2"}],
                         at=AT)
    assert result.outputs == []
    assert [e.rules for e in result.errors] == [["jsonata-D1011"], ["jsonata-D1011"]]
    # a helper's own rule comes through the engine unchanged
    partner = _partner_with_map(tmp_path / "b", '$fail("eigen-regel", "uitleg")')
    result = map_records(partner, "to-fhir", [{"huishoudnummer": "H1"}], at=AT)
    assert result.errors[0].rules == ["eigen-regel"]
