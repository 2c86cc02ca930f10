"""Sync throughput against a baseline measured in the same run.

Baseline = posting the same resources to a fresh embedded server as transactions of PUTs
(the same batch size the job uses), directly with the FHIR client: no history read, no
validation, no merge, no state. The sync does a full pull of a partner's server into ours:
reading the partner's ``_history``, validating every resource, keys and links, reading our
current versions, three-way merges, writes with ``If-Match``, and the SQLite state, per batch.
Ratio = sync resources/s / baseline resources/s (goal >= 0.8).

Then the cost of an incremental run (10 changed resources on the partner's side) on stores of
1,000 and 10,000 resources: the goal is a cost independent of the store's size. (The job's
overlap window is 1 s here, so that these runs, seconds after the full sync, read only their own
changes; docs/sync.md.)

    .venv/bin/python benchmarks/sync.py [--size 10000] [--small 1000] [--batch 500]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from fhir_regie.client import FhirClient, bundle_entry, make_bundle  # noqa: E402
from fhir_regie.client.server import start_servers  # noqa: E402
from fhir_regie.sync.config import load_config  # noqa: E402
from fhir_regie.sync.worker import run_once  # noqa: E402
from tests.integration.sync.household import Jansen, ensure_organisations  # noqa: E402

OVERLAP = 1.0


def resources(size: int, tag: str) -> list[dict[str, Any]]:
    """A household with its team and plan, and agreed actions up to ``size`` resources (all
    valid against the Regie profiles)."""
    home = Jansen(tag)
    found = [r for r in home.resources() if r["resourceType"] != "Consent"]
    found += [home.action(i) for i in range(1, size - len(found) + 1)]
    return found


def post(client: FhirClient, items: list[dict[str, Any]], batch: int) -> float:
    started = time.perf_counter()
    for start in range(0, len(items), batch):
        client.transaction(make_bundle("transaction", [
            bundle_entry("PUT", r) for r in items[start:start + batch]]), prefer="minimal",
            as_dict=True)
    return time.perf_counter() - started


def config(folder: Path, local: str, partner: str, batch: int) -> Path:
    path = folder / "sync.yaml"
    path.write_text(yaml.safe_dump({
        "state": "state.db", "organisation": "Organization/sync-org-wijkteam",
        "local": {"url": local, "timeout": [5, 300]},
        "jobs": [{"name": "bench", "partner": {"kind": "fhir", "url": partner,
                                               "timeout": [5, 300]},
                  "direction": "pull", "recipient": "Organization/sync-org-jeugdhulp",
                  # A short overlap window: the incremental runs below come seconds after
                  # the full sync, and a 2-minute window would re-read all of it each time.
                  "batch": batch, "overlap": f"{OVERLAP}s"}]}), encoding="utf-8")
    return path


def incremental(client: FhirClient, items: list[dict[str, Any]], path: Path, rounds: int,
                offset: int) -> list[float]:
    """Seconds of a run after 10 resources changed on the partner's side, per round."""
    tasks = [r for r in items if r["resourceType"] == "Task"]
    took = []
    for round_ in range(rounds):
        for task in tasks[offset + round_ * 10: offset + round_ * 10 + 10]:
            current = client.read("Task", task["id"], as_dict=True)
            client.update(dict(current, description=f"{current['description']} (r{round_})"),
                          as_dict=True)
        started = time.perf_counter()
        outcome = run_once(load_config(path), wait=0)
        took.append(time.perf_counter() - started)
        report = outcome.reports["bench"]
        assert report.pull.applied == 10, report
    return took


def store(size: int, batch: int, folder: Path, rounds: int) -> dict[str, Any]:
    """Baseline, full sync and incremental runs on a store of ``size`` resources."""
    with start_servers(3, folder / f"servers-{size}") as (partner, local, baseline):
        partner_client = FhirClient(partner.base_url, timeout=(5, 300))
        items = resources(size, f"b{size}")
        ensure_organisations(partner_client, FhirClient(local.base_url),
                             FhirClient(baseline.base_url))
        post(partner_client, items, batch)
        base_seconds = post(FhirClient(baseline.base_url, timeout=(5, 300)), items, batch)
        path = config(folder, local.base_url, partner.base_url, batch)
        started = time.perf_counter()
        outcome = run_once(load_config(path), wait=0)
        sync_seconds = time.perf_counter() - started
        report = outcome.reports["bench"]
        assert report.pull.applied >= size, report
        time.sleep(OVERLAP + 0.5)  # out of the overlap window of the full sync
        took = incremental(partner_client, items, path, rounds, offset=0)
        return {"size": size, "baseline": size / base_seconds, "sync": size / sync_seconds,
                "incremental": took}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fhir-regie-bench-sync-") as folder:
        big = store(args.size, args.batch, Path(folder) / "big", args.rounds)
        small = store(args.small, args.batch, Path(folder) / "small", args.rounds)
    ratio = big["sync"] / big["baseline"]
    print(f"full sync of {big['size']:,} resources (pull from a partner's server, batch "
          f"{args.batch}):")
    print(f"  baseline: posting them as transactions   {big['baseline']:8.0f} resources/s")
    print(f"  sync: history, validation, merge, state  {big['sync']:8.0f} resources/s"
          f"   ratio {ratio:.2f} (goal >= 0.8)")
    print("incremental run with 10 changed resources (median of "
          f"{args.rounds} runs):")
    medians = {}
    for result in (small, big):
        medians[result["size"]] = statistics.median(result["incremental"])
        print(f"  store of {result['size']:>6,} resources: {medians[result['size']] * 1000:7.0f} "
              f"ms   (runs: {', '.join(f'{t * 1000:.0f}' for t in result['incremental'])} ms)")
    print(f"  {args.size:,} / {args.small:,}: {medians[args.size] / medians[args.small]:.2f}x "
          "(goal: independent of the store's size, ~1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
