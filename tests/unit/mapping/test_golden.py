"""Golden fixtures: each partner's input maps to exactly the committed expected output
(regenerate with tools/mapping_golden.py after a deliberate map change)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from fhir_regie.mapping.engine import map_records
from fhir_regie.mapping.files import read_input
from fhir_regie.mapping.spec import load_partner
from fhir_regie.mapping.writers import write_csv_tables, write_xml
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count
from tools.mapping_golden import AT

ROOT = Path(__file__).resolve().parents[3] / "mappings"


def _to_fhir(name: str, source: Path) -> list[dict]:
    partner = load_partner(name)
    result = map_records(partner, "to-fhir", read_input(partner, "to-fhir", source).records, at=AT)
    assert result.errors == []
    dumped = [o.value.model_dump(mode="json", exclude_none=True) for o in result.outputs]
    # the JSON the engine validated and the writers write is the model's own JSON
    assert [o.data for o in result.outputs] == dumped
    return dumped


def test_gemeente_suite_to_fhir_matches_golden_and_validates():
    bundles = _to_fhir("gemeente-suite", ROOT / "gemeente-suite/fixtures/export")
    expected = json.loads((ROOT / "gemeente-suite/fixtures/expected-to-fhir.json").read_text())
    assert bundles == expected
    for bundle in bundles:
        assert error_count(validate_resource(bundle)) == 0
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert {"Group", "Patient", "CarePlan", "CareTeam", "Task", "Binary",
                "Provenance"} <= set(kinds)


def test_gemeente_suite_from_fhir_writes_the_original_csv_back():
    bundles = json.loads((ROOT / "gemeente-suite/fixtures/expected-to-fhir.json").read_text())
    result = map_records("gemeente-suite", "from-fhir", bundles, at=AT)
    assert result.errors == []
    files = write_csv_tables(load_partner("gemeente-suite"), [o.value for o in result.outputs])
    for name, text in files.items():
        assert text == (ROOT / "gemeente-suite/fixtures/expected-from-fhir" / name).read_text()
    # the only difference with the export: a needlessly quoted e-mail address
    original = (ROOT / "gemeente-suite/fixtures/export/clienten.csv").read_text()
    assert files["clienten.csv"] == original.replace('"wilma@example.nl"', "wilma@example.nl")


def test_vt_registration_to_handover_bundle_matches_golden():
    bundles = _to_fhir("vt-registratie", ROOT / "vt-registratie/fixtures/registraties.xml")
    expected = json.loads((ROOT / "vt-registratie/fixtures/expected-to-fhir.json").read_text())
    assert bundles == expected
    task = bundles[1]["entry"][0]["resource"]
    assert task["meta"]["profile"][0].endswith("regie-handover")
    assert task["identifier"][0]["value"] == "VTGM-2026-09120"
    document = bundles[1]["entry"][1]["resource"]
    codes = [s["code"]["coding"][0]["code"] for s in document["section"]]
    # after Voorwaarden en Vervolg: conditions and monitoring agreements (rg-hdc-4); the
    # anonymous reporter's contact data is absent (rg-hdc-2)
    assert "safety-conditions" in codes
    assert "monitoring-agreements" in codes
    assert "reporter-contact" not in codes
    assert "reporter-contact" in [s["code"]["coding"][0]["code"]
                                  for s in bundles[0]["entry"][1]["resource"]["section"]]


def test_vt_feedback_matches_golden():
    feedback = json.loads((ROOT / "vt-registratie/fixtures/feedback-input.json").read_text())
    result = map_records("vt-registratie", "from-fhir", [feedback], at=AT)
    assert result.errors == []
    text = write_xml(load_partner("vt-registratie"), [o.value for o in result.outputs])
    assert text == (ROOT / "vt-registratie/fixtures/expected-feedback.xml").read_text()
    assert "<status>nagekomen</status>" in text


def test_huisarts_summary_is_plain_r4_and_matches_golden():
    household = json.loads((ROOT / "huisarts-jgz/fixtures/household.json").read_text())
    result = map_records("huisarts-jgz", "from-fhir", [household], at=AT)
    assert result.errors == []
    summary = result.outputs[0].value
    assert summary == json.loads((ROOT / "huisarts-jgz/fixtures/expected-summary.json").read_text())
    assert "fhir-regie.nl" not in json.dumps(summary)
    assert all("meta" not in e["resource"] for e in summary["entry"])
    div = summary["entry"][-1]["resource"]["text"]["div"]
    assert "Huishouden Özdemir: 3 personen" in div
    assert "uiterlijk 31 december 2026" in div


def test_original_record_is_kept_as_binary_linked_by_provenance():
    bundle = _to_fhir("vt-registratie", ROOT / "vt-registratie/fixtures/registraties.xml")[0]
    resources = [e["resource"] for e in bundle["entry"]]
    binary = next(r for r in resources if r["resourceType"] == "Binary")
    provenance = next(r for r in resources if r["resourceType"] == "Provenance")
    text = base64.b64decode(binary["data"]).decode("utf-8")
    assert binary["contentType"] == "application/xml"
    assert text.startswith("<registratie>")
    assert "VTGM-2026-08813" in text
    assert "<meldcodestap>5</meldcodestap>" in text  # a field no map reads is still kept
    assert provenance["entity"][0] == {"role": "source",
                                       "what": {"reference": f"Binary/{binary['id']}"}}
    made = {f"{r['resourceType']}/{r['id']}" for r in resources
            if r["resourceType"] not in ("Binary", "Provenance")}
    assert {t["reference"] for t in provenance["target"]} == made
    assert provenance["recorded"] == "2026-11-02T09:00:00Z"
