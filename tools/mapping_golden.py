"""Regenerate the golden outputs of the partner mappings (mappings/<partner>/fixtures/expected*).

Run after a deliberate change to a map, then review the diff: the tests in
tests/unit/mapping/test_golden.py compare the engine's output with these files.

    .venv/bin/python tools/mapping_golden.py
"""

from __future__ import annotations

import copy
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fhir_regie.mapping.engine import map_records  # noqa: E402
from fhir_regie.mapping.files import read_input  # noqa: E402
from fhir_regie.mapping.spec import load_partner  # noqa: E402
from fhir_regie.mapping.writers import write_csv_tables, write_xml  # noqa: E402

#: The moment the golden outputs were made (Provenance.recorded, summary dates).
AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FIXTURES = {name: ROOT / "mappings" / name / "fixtures"
            for name in ("gemeente-suite", "vt-registratie", "huisarts-jgz")}


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def to_fhir(partner_name: str, source: Path) -> list[dict[str, Any]]:
    partner = load_partner(partner_name)
    result = map_records(partner, "to-fhir", read_input(partner, "to-fhir", source).records,
                         at=AT)
    assert not result.errors, [e.one_line() for e in result.errors]
    return [o.value.model_dump(mode="json", exclude_none=True) for o in result.outputs]


def from_fhir(partner_name: str, bundles: list[dict[str, Any]]) -> list[Any]:
    result = map_records(partner_name, "from-fhir", bundles, at=AT)
    assert not result.errors, [e.one_line() for e in result.errors]
    return [o.value for o in result.outputs]


def feedback_input(handover: dict[str, Any]) -> dict[str, Any]:
    """The local team's state some weeks after the handover: accepted, condition 2 met."""
    bundle = copy.deepcopy(handover)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Task":
            resource["status"] = "accepted"
            # The moment responsibility passed and the version accepted (rg-hnd-1, rg-hnd-4).
            resource["executionPeriod"] = {"start": "2026-03-03T09:12:00+01:00"}
            resource["output"] = [{
                "type": {"coding": [{
                    "system": "https://fhir-regie.nl/fhir/CodeSystem/regie-handover-output",
                    "code": "accepted-document"}]},
                "valueReference": {"reference": resource["focus"]["reference"]}}]
            resource["note"] = [{"text": "Eerste huisbezoek op 5 maart; moeder en zoon thuis."}]
        if resource["resourceType"] == "Goal" and resource["id"].endswith("-2"):
            resource["achievementStatus"]["coding"][0].update(code="achieved",
                                                              display="Achieved")
    return bundle


def main() -> None:
    gs = FIXTURES["gemeente-suite"]
    bundles = to_fhir("gemeente-suite", gs / "export")
    (gs / "expected-to-fhir.json").write_text(dump(bundles), encoding="utf-8")
    back = gs / "expected-from-fhir"
    back.mkdir(exist_ok=True)
    for name, text in write_csv_tables(load_partner("gemeente-suite"),
                                       from_fhir("gemeente-suite", bundles)).items():
        (back / name).write_text(text, encoding="utf-8")

    vt = FIXTURES["vt-registratie"]
    handovers = to_fhir("vt-registratie", vt / "registraties.xml")
    (vt / "expected-to-fhir.json").write_text(dump(handovers), encoding="utf-8")
    feedback = feedback_input(handovers[1])
    (vt / "feedback-input.json").write_text(dump(feedback), encoding="utf-8")
    (vt / "expected-feedback.xml").write_text(
        write_xml(load_partner("vt-registratie"), from_fhir("vt-registratie", [feedback])),
        encoding="utf-8")

    ha = FIXTURES["huisarts-jgz"]
    ha.mkdir(exist_ok=True)
    (ha / "household.json").write_text(dump(bundles[0]), encoding="utf-8")
    (ha / "expected-summary.json").write_text(dump(from_fhir("huisarts-jgz", [bundles[0]])[0]),
                                              encoding="utf-8")


if __name__ == "__main__":
    main()
