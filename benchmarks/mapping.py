"""Mapping throughput: records/s of each partner map against a baseline measured in the same run.

Baseline = building the same FHIR models directly in Python (``fhir.resources`` R4B) from the
same input, without JSONata and without profile validation (see ``_baseline``). The engine's
records/s include JSONata evaluation, parsing into models, profile validation, Binary +
Provenance and the Bundle. A ratio of 10 means the engine is ten times slower than the bare
baseline.

    .venv/bin/python benchmarks/mapping.py [--records N]
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fhir.resources.R4B import get_fhir_model_class  # noqa: E402
from fhir.resources.R4B.bundle import Bundle  # noqa: E402

from fhir_regie.mapping.engine import compiled_map, map_records  # noqa: E402
from fhir_regie.mapping.files import read_input  # noqa: E402
from fhir_regie.mapping.readers import SourceRecord  # noqa: E402
from fhir_regie.mapping.spec import load_partner  # noqa: E402

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _copies(records: list[SourceRecord], n: int) -> list[SourceRecord]:
    return [copy.copy(records[i % len(records)]) for i in range(n)]


def _baseline(partner_name: str, direction: str, records: list[SourceRecord]) -> float:
    """The same work done directly in Python, without JSONata and profile validation.

    to-fhir: build the same resources as ``fhir.resources`` models from the resource shapes
    the map made once (per record: model_validate of every resource). from-fhir: read the
    same input Bundle into the ``fhir.resources`` model; for a FHIR partner also build the
    output Bundle model (partner records are plain dicts: nothing to build)."""
    partner = load_partner(partner_name)
    expression = compiled_map(partner, direction)
    shapes = [expression.evaluate(r.data, {"at": AT.isoformat()}) for r in records[:4]]
    start = time.perf_counter()
    for index, record in enumerate(records):
        output = shapes[index % len(shapes)]
        if direction == "from-fhir":
            Bundle.model_validate(record.data)
        items = output if isinstance(output, list) else [output]
        flat = [x for item in items for x in (item if isinstance(item, list) else [item])]
        for resource in flat:
            if isinstance(resource, dict) and "resourceType" in resource:
                get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return time.perf_counter() - start


def _engine(partner_name: str, direction: str, records: list[SourceRecord]) -> float:
    start = time.perf_counter()
    result = map_records(partner_name, direction, records, at=AT)
    elapsed = time.perf_counter() - start
    assert not result.errors, [e.one_line() for e in result.errors]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=60)
    n = parser.parse_args().records
    gs = load_partner("gemeente-suite")
    vt = load_partner("vt-registratie")
    gs_in = read_input(gs, "to-fhir", ROOT / "mappings/gemeente-suite/fixtures/export").records
    vt_in = read_input(vt, "to-fhir",
                       ROOT / "mappings/vt-registratie/fixtures/registraties.xml").records
    gs_bundles = [o.value.model_dump(mode="json", exclude_none=True)
                  for o in map_records(gs, "to-fhir", gs_in, at=AT).outputs]
    vt_feedback = read_input(vt, "from-fhir",
                             ROOT / "mappings/vt-registratie/fixtures/feedback-input.json").records
    cases = [
        ("gemeente-suite", "to-fhir", _copies(gs_in, n)),
        ("gemeente-suite", "from-fhir", _copies([SourceRecord("$", "", b, {}) for b in
                                                 gs_bundles], n)),
        ("vt-registratie", "to-fhir", _copies(vt_in, n)),
        ("vt-registratie", "from-fhir", _copies(vt_feedback, n)),
        ("huisarts-jgz", "from-fhir", _copies([SourceRecord("$", "", b, {}) for b in
                                               gs_bundles], n)),
    ]
    print(f"{'mapping':32} {'engine rec/s':>12} {'baseline rec/s':>15} {'ratio':>7}")
    for name, direction, records in cases:
        engine = _engine(name, direction, records)
        base = _baseline(name, direction, records)
        print(f"{name + ' ' + direction:32} {n / engine:12.1f} {n / base:15.1f} "
              f"{engine / base:7.1f}")


if __name__ == "__main__":
    main()
