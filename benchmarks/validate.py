"""Benchmark: throughput of the Python profile validator against two baselines.

    .venv/bin/python benchmarks/validate.py [--count 5000] [--hl7-limit N] [--no-hl7]
        [--official N [--official-only] [--repeat 3]]

The guide's example instances are replicated (each replica with its own ids, references
rewritten to match, so nothing can be served from a cache) to at least ``--count`` resources.
In the same run, on the same resources, one process on one core:

- ``fhir.resources`` parsing alone (the R4B pydantic models): the floor of any Python check;
- ``fhir_regie.validation.validate_resource``: ours;
- the HL7 reference validator, warm (one JVM; start-up excluded and printed separately), on the
  same files, or on the first ``--hl7-limit`` of them to keep the run short (the report says so).

Prints resources per second and the ratios. Exit code 1 when a replicated example is reported
invalid by ours (then the benchmark would measure error paths, not validation).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fhir.resources.R4B import get_fhir_model_class  # noqa: E402

from fhir_regie.ig import load_package  # noqa: E402
from fhir_regie.validation import validate_resource  # noqa: E402
from fhir_regie.validation.outcome import error_count  # noqa: E402

Resource = dict[str, Any]


def _rewrite(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {key: _rewrite(item, renamed) for key, item in value.items()}
        reference = out.get("reference")
        if isinstance(reference, str) and reference in renamed:
            out["reference"] = renamed[reference]
        return out
    if isinstance(value, list):
        return [_rewrite(item, renamed) for item in value]
    return value


def replicate(examples: list[Resource], count: int) -> list[Resource]:
    """At least ``count`` resources: copies of the examples, each copy with its own ids."""
    resources: list[Resource] = []
    replica = 0
    while len(resources) < count:
        suffix = f"-r{replica}"
        renamed = {f"{r['resourceType']}/{r['id']}": f"{r['resourceType']}/{r['id']}{suffix}"
                   for r in examples}
        for example in examples:
            copied = _rewrite(copy.deepcopy(example), renamed)
            copied["id"] = f"{example['id']}{suffix}"
            resources.append(copied)
        replica += 1
    return resources


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def time_parsing(resources: list[Resource]) -> float:
    started = time.perf_counter()
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return time.perf_counter() - started


def time_ours(resources: list[Resource]) -> tuple[float, int]:
    invalid = 0
    started = time.perf_counter()
    for resource in resources:
        invalid += error_count(validate_resource(resource)) > 0
    return time.perf_counter() - started, invalid


def time_hl7(resources: list[Resource]) -> tuple[dict[str, float], int] | str:
    """(timings, files with errors) of the warm HL7 validator, or why it could not run."""
    from tools import hl7_validator

    ready, reason = hl7_validator.available()
    package = load_package().manifest
    tgz = ROOT / "dist" / f"{package['name']}-{package['version']}.tgz"
    if not ready:
        return reason
    if not tgz.exists():
        return f"{tgz.name} not built (run `fhir-regie ig build`)"
    with tempfile.TemporaryDirectory(prefix="bench-hl7-") as work:
        paths = []
        for resource in resources:
            path = Path(work) / f"{resource['resourceType']}-{resource['id']}.json"
            path.write_text(json.dumps(resource), encoding="utf-8")
            paths.append(path)
        timings: dict[str, float] = {}
        results = hl7_validator.validate(paths, tgz, quiet=True, timings=timings)
    failed = sum(1 for issues in results.values() if any(i.is_error for i in issues))
    return timings, failed


def official_examples(limit: int | None) -> list[Path]:
    """Resource files of the official R4 examples package (``tools/fhir_cache.py``), instances
    first, then the conformance resources, the twelve Bundles over 300 kB (definitions, 100 MB
    together) last; the first ``limit``."""
    from tools.agreement import example_files

    conformance = ("CodeSystem", "ValueSet", "StructureDefinition", "SearchParameter",
                   "ConceptMap", "NamingSystem", "CompartmentDefinition", "OperationDefinition",
                   "StructureMap", "CapabilityStatement", "ImplementationGuide")
    files = sorted(example_files(), key=lambda p: (
        p.name.split("-", 1)[0] in conformance,
        p.name.startswith("Bundle-") and p.stat().st_size > 300_000, p.name))
    return files[:limit] if limit else files


def bench_official(limit: int | None, hl7: bool, repeat: int = 3) -> None:
    """Ours and the warm HL7 validator on the same official example files, in this run."""
    files = official_examples(limit)
    if not files:
        print("official R4 examples: not in the FHIR package cache (run tools/fhir_cache.py)")
        return
    resources = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    for resource in resources:  # warm: definitions loaded, plans and FHIRPath compiled, as
        validate_resource(resource)  # in a running server (HL7's start-up is not counted either)
    # The best of ``repeat`` passes, in CPU time (process_time): on a shared machine wall time
    # measures the other jobs as much as ours.
    seconds = cpu = float("inf")
    for _ in range(max(1, repeat)):
        started, used = time.perf_counter(), time.process_time()
        for resource in resources:
            validate_resource(resource)
        seconds = min(seconds, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - used)
    rate = _rate(len(files), seconds)
    cpu_rate = _rate(len(files), cpu)
    print(f"official R4 examples, {len(files)} files (instances first), best of {repeat}:")
    print(f"  fhir-regie validate       : {seconds:8.2f} s  {rate:9.0f} resources/s  (CPU "
          f"{cpu:.2f} s: {cpu_rate:.0f} resources/s of one core's time; the "
          "difference is other jobs on a shared machine)")
    print(f"  goal >= 1,000 resources/s of one core's time: "
          f"{'met' if cpu_rate >= 1000 else 'NOT met'}")
    if not hl7:
        return
    from tools import hl7_validator

    package = load_package().manifest
    tgz = ROOT / "dist" / f"{package['name']}-{package['version']}.tgz"
    ready, reason = hl7_validator.available()
    if not ready or not tgz.exists():
        print(f"  HL7 validator             : not run ({reason or tgz.name + ' not built'})")
        return
    timings: dict[str, float] = {}
    hl7_validator.validate(files, tgz, quiet=True, timings=timings)
    hl7_rate = _rate(len(files), timings["validation"])
    print(f"  HL7 validator (warm)      : {timings['validation']:8.2f} s  {hl7_rate:9.0f} "
          f"resources/s  (start-up {timings['startup']:.1f} s not counted)")
    print(f"ratio ours / HL7 validator on the official examples: {rate / hl7_rate:.1f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="resources (default 5000)")
    parser.add_argument("--hl7-limit", type=int, default=None,
                        help="run the HL7 validator on about N resources only (whole replicas)")
    parser.add_argument("--no-hl7", action="store_true", help="skip the HL7 baseline")
    parser.add_argument("--official", type=int, default=None, metavar="N",
                        help="also the official R4 examples: the first N files (0: all)")
    parser.add_argument("--official-only", action="store_true",
                        help="only the official examples (with --official)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="official examples: passes timed, the best counts (default 3)")
    args = parser.parse_args(argv)
    if args.official is not None:
        bench_official(args.official or None, hl7=not args.no_hl7, repeat=args.repeat)
        if args.official_only:
            return 0

    examples = list(load_package().examples.values())
    resources = replicate(examples, args.count)
    print(f"{len(resources)} resources ({len(examples)} examples replicated), one process")

    validate_resource(resources[0])  # load the package and warm the caches, as a server would
    parse_seconds = time_parsing(resources)
    ours_seconds, invalid = time_ours(resources)
    parse_rate = _rate(len(resources), parse_seconds)
    ours_rate = _rate(len(resources), ours_seconds)
    print(f"  fhir.resources parse only : {parse_seconds:8.2f} s  {parse_rate:9.0f} resources/s")
    print(f"  fhir-regie validate       : {ours_seconds:8.2f} s  {ours_rate:9.0f} resources/s"
          f"  ({ours_rate / parse_rate:.2f}x the parse-only baseline)")
    if invalid:
        print(f"error: ours reported {invalid} replicated examples invalid", file=sys.stderr)
        return 1

    if args.no_hl7:
        return 0
    sample = resources
    if args.hl7_limit:
        # whole replicas only, so every reference resolves inside the sample
        whole = max(1, args.hl7_limit // len(examples)) * len(examples)
        sample = resources[:whole]
    print(f"  HL7 validator on {len(sample)} resources (warm, one JVM) ...", flush=True)
    outcome = time_hl7(sample)
    if isinstance(outcome, str):
        print(f"  HL7 validator             : not run ({outcome})")
        return 0
    timings, failed = outcome
    hl7_rate = _rate(len(sample), timings["validation"])
    print(f"  HL7 validator (warm)      : {timings['validation']:8.2f} s  {hl7_rate:9.0f} "
          f"resources/s  (start-up {timings['startup']:.1f} s not counted; {failed} with "
          "errors)")
    print(f"ratio ours / HL7 validator: {ours_rate / hl7_rate:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
