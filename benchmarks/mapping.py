"""Mapping throughput: records/s of each partner map against a baseline measured in the same run,
and a streaming run of a large gemeente-suite export (records/s and peak memory).

Baseline = building the same FHIR models directly in Python (``fhir.resources`` R4B) from the
same input, without JSONata and without profile validation (see ``_baseline``). The engine's
records/s include JSONata evaluation, parsing into models, profile validation, Binary +
Provenance and the Bundle. A ratio of 2 means the engine takes twice the baseline's time.

Times are CPU time of this process (``time.process_time``): on a shared machine wall time
measures the neighbours too. Engine and baseline alternate ``--rounds`` times and the fastest
round of each counts.

Streaming: ``--stream 1000,10000`` maps generated exports of that many households (distinct
keys, the fixture rows renumbered) with ``map_file`` in a fresh process each, to a JSON-lines
file, and reports records/s and the peak resident memory (``ru_maxrss``) next to the memory
after start-up. ``--stream 1000,10000,50000`` adds the large run (minutes of CPU).

    .venv/bin/python benchmarks/mapping.py [--records N] [--rounds R] [--stream 1000,10000]
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import resource
import subprocess
import sys
import tempfile
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
EXPORT = ROOT / "mappings/gemeente-suite/fixtures/export"


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
    start = time.process_time()
    for index, record in enumerate(records):
        output = shapes[index % len(shapes)]
        if direction == "from-fhir":
            Bundle.model_validate(record.data)
        items = output if isinstance(output, list) else [output]
        flat = [x for item in items for x in (item if isinstance(item, list) else [item])]
        for resource_ in flat:
            if isinstance(resource_, dict) and "resourceType" in resource_:
                get_fhir_model_class(resource_["resourceType"]).model_validate(resource_)
    return time.process_time() - start


def _engine(partner_name: str, direction: str, records: list[SourceRecord]) -> float:
    start = time.process_time()
    result = map_records(partner_name, direction, records, at=AT)
    elapsed = time.process_time() - start
    assert not result.errors, [e.one_line() for e in result.errors]
    return elapsed


# ------------------------------------------------------------------------------- streaming
def export_of(households: int, target: Path) -> None:
    """A gemeente-suite export of ``households`` households: the fixture's two households
    repeated with every key renumbered (households, clients, plans, actions), so each record
    is distinct and joins only its own rows. ``households`` is rounded up to a multiple of the
    fixture's household count (two)."""
    tables = {p.name: p.read_text(encoding="utf-8").splitlines() for p in EXPORT.glob("*.csv")}
    keys = {"H": (5, sorted({w for line in tables["gezinssamenstelling.csv"][1:]
                             for w in [line.split(";")[0]]})),
            "C": (6, sorted({line.split(";")[0] for line in tables["clienten.csv"][1:]})),
            "P": (6, sorted({line.split(";")[0] for line in tables["plannen.csv"][1:]})),
            "A": (7, sorted({line.split(";")[0] for line in tables["acties.csv"][1:]}))}
    pairs = len(keys["H"][1])
    target.mkdir(parents=True, exist_ok=True)
    for name, lines in tables.items():
        with (target / name).open("w", encoding="utf-8") as out:
            out.write(lines[0] + "\n")
            for copy_index in range((households + pairs - 1) // pairs):
                renumber = {old: f"{letter}{copy_index * len(olds) + i:0{width}d}"
                            for letter, (width, olds) in keys.items()
                            for i, old in enumerate(olds)}
                for line in lines[1:]:
                    out.write(";".join(renumber.get(c, c) for c in line.split(";")) + "\n")


def _stream_child(households: int) -> None:
    """Child process: generate the export, map it to a file, print one JSON line of figures."""
    from fhir_regie.mapping.files import map_file

    partner = load_partner("gemeente-suite")
    with tempfile.TemporaryDirectory() as folder:
        export_of(households, Path(folder) / "export")
        compiled_map(partner, "to-fhir")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu, wall = time.process_time(), time.perf_counter()
        summary = map_file(partner, "to-fhir", Path(folder) / "export",
                           Path(folder) / "bundles.ndjson", at=AT)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = (Path(folder) / "bundles.ndjson").stat().st_size
    print(json.dumps({"records": summary.records_in, "mapped": summary.mapped,
                      "failed": summary.failed, "cpu": cpu, "wall": wall,
                      "start_kib": before, "peak_kib": peak, "output_bytes": size}))


def _stream(sizes: list[int]) -> None:
    print(f"\n{'streaming gemeente-suite to-fhir':32} {'records':>8} {'rec/s (cpu)':>12} "
          f"{'wall s':>8} {'RSS start MiB':>14} {'RSS peak MiB':>13} {'output MiB':>11}")
    for size in sizes:
        line = subprocess.run([sys.executable, __file__, "--stream-child", str(size)],
                              capture_output=True, text=True, check=True).stdout.splitlines()[-1]
        f = json.loads(line)
        assert f["failed"] == 0, f
        assert f["mapped"] >= size, f
        print(f"{'':32} {size:8d} {size / f['cpu']:12.1f} {f['wall']:8.1f} "
              f"{f['start_kib'] / 1024:14.0f} {f['peak_kib'] / 1024:13.0f} "
              f"{f['output_bytes'] / 2**20:11.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--stream", default="", help="household counts, e.g. 1000,10000,50000")
    parser.add_argument("--stream-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream_child:
        _stream_child(args.stream_child)
        return
    n = args.records
    gs = load_partner("gemeente-suite")
    vt = load_partner("vt-registratie")
    gs_in = read_input(gs, "to-fhir", EXPORT).records
    vt_in = read_input(vt, "to-fhir",
                       ROOT / "mappings/vt-registratie/fixtures/registraties.xml").records
    gs_bundles = [o.data for o in map_records(gs, "to-fhir", gs_in, at=AT).outputs]
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
    load = " ".join(f"{x:.1f}" for x in __import__("os").getloadavg())
    print(f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {load}; {n} records per mapping, "
          f"best of {args.rounds} rounds, CPU time")
    print(f"{'mapping':32} {'engine rec/s':>12} {'baseline rec/s':>15} {'ratio':>7}")
    for name, direction, records in cases:
        engine = base = float("inf")
        for _ in range(args.rounds):
            engine = min(engine, _engine(name, direction, records))
            base = min(base, _baseline(name, direction, records))
        print(f"{name + ' ' + direction:32} {n / engine:12.1f} {n / base:15.1f} "
              f"{engine / base:7.2f}")
    if args.stream:
        _stream([int(s) for s in args.stream.split(",") if s.strip()])


if __name__ == "__main__":
    main()
