"""A region-sized load test of the sync engine: several workers on one PostgreSQL state.

The simulated region (docs/sync.md, "A region"): our care record (an embedded server) holds
``--households`` households of about 20 resources each (a family of three, its team, plan,
consents and agreed actions: 2,000 households are ~40,000 resources). Ten partner jobs:

- ``--fhir`` youth care providers with their own FHIR server (embedded servers); each household
  consents to sharing with one of them, so each change on our side is decided by every FHIR job's
  guard and goes to one partner;
- the rest are municipalities' case systems exchanging ``gemeente-suite`` CSV exports in drop
  directories; each municipality exports its own households (new ones, then status changes).

All jobs start "now" (the region's history before the start is not re-sent). Then a stream of
changes in ``--waves`` waves: on our side, agreed actions changed or added in random households;
on the partners' side, actions completed by the youth care providers (on households that reached
them) and new exports from the municipalities. ``--workers`` (``1,2,4``) worker processes
(``python -m fhir_regie.sync run``) on one PostgreSQL state (tools/postgres.py) share the jobs;
after the last wave they must bring everything in step. Per worker count it reports:

- **throughput**: changes brought in step per second, from the first wave to the moment all
  were in step;
- **lag** from change to partner: per change, the target's ``lastUpdated`` of the action minus
  the source's (for an export: minus the moment it was written), median and 95th percentile;
- **zero loss, zero duplicates**: every expected change is on its target exactly once (each
  action's identifier once per server) with its expected status; nothing pending, no dead
  letters, no conflicts. A failure here exits 1.

    .venv/bin/python benchmarks/region.py --quick            # ~100 households, 1 and 2 workers
    .venv/bin/python benchmarks/region.py                    # 2,000 households, 1, 2, 4 workers
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from fhir_regie.client import FhirClient, bundle_entry, make_bundle  # noqa: E402
from fhir_regie.client.server import start_servers  # noqa: E402
from fhir_regie.sync.state import StateError, open_state, parse_instant  # noqa: E402
from tests.integration.sync.gemeente import CaseHousehold, drop  # noqa: E402
from tests.integration.sync.household import OURS, Jansen, organisation  # noqa: E402
from tools import postgres  # noqa: E402

CANONICAL = "https://fhir-regie.nl/fhir"
GEMEENTE_ACTION = f"{CANONICAL}/NamingSystem/gemeente-suite-action"
ACTIONS_PER_HOUSEHOLD = 10
JOBS = 10
STATUSES = ("in-progress", "completed", "requested")
CASE_STATUS = {"open": "requested", "gestart": "in-progress", "afgerond": "completed"}


def partner_org(index: int) -> str:
    return f"Organization/region-jeugdhulp-{index}"


def gemeente_org(index: int) -> str:
    return f"Organization/region-gemeente-{index}"


@dataclass
class Household:
    home: Jansen
    partner: int  # which FHIR partner its consents name
    actions: int = ACTIONS_PER_HOUSEHOLD

    def resources(self) -> list[dict[str, Any]]:
        found = []
        for resource in self.home.resources():
            if resource["resourceType"] == "Consent":
                text = json.dumps(resource).replace("Organization/sync-org-jeugdhulp",
                                                    partner_org(self.partner))
                found.append(json.loads(text))
            else:
                found.append(resource)
        found += [self.home.action(i) for i in range(1, self.actions + 1)]
        return found


@dataclass
class Expected:
    """What must be where at the end: (server index, identifier) -> status."""

    status: dict[tuple[int, str, str], str] = field(default_factory=dict)
    #: (system, value) -> where its last change was made: 0 (ours), 1 + partner, or an export
    source: dict[tuple[str, str], int | str] = field(default_factory=dict)
    changes: int = 0
    written: dict[str, float] = field(default_factory=dict)  # export name -> when written


def post(client: FhirClient, items: list[dict[str, Any]], batch: int = 500) -> None:
    for start in range(0, len(items), batch):
        client.transaction(make_bundle("transaction", [
            bundle_entry("PUT", r) for r in items[start:start + batch]]), prefer="minimal",
            as_dict=True)


def write_config(folder: Path, state: str, local: str, partners: list[str],
                 municipalities: int) -> Path:
    jobs: list[dict[str, Any]] = []
    for index, url in enumerate(partners):
        jobs.append({"name": f"jeugdhulp-{index}", "partner": {"kind": "fhir", "url": url,
                                                               "timeout": [5, 120]},
                     "recipient": partner_org(index), "start": "now", "overlap": "3s",
                     "batch": 100, "schedule": {"every": "1s"}, "retry_backoff": "200ms",
                     "retry_cap": "2s"})
    for index in range(municipalities):
        jobs.append({"name": f"gemeente-{index}", "partner": {
            "kind": "files", "inbox": f"gemeente-{index}/uit", "outbox": f"gemeente-{index}/in"},
            "mapping": "gemeente-suite", "recipient": gemeente_org(index), "start": "now",
            "direction": "pull", "overlap": "3s", "schedule": {"every": "1s"},
            "retry_backoff": "200ms", "retry_cap": "2s"})
    path = folder / "sync.yaml"
    path.write_text(yaml.safe_dump({"state": state, "organisation": OURS,
                                    "local": {"url": local, "timeout": [5, 120]},
                                    "jobs": jobs}, sort_keys=False), encoding="utf-8")
    return path


def tasks_by_identifier(client: FhirClient, systems: set[str] | None = None
                        ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every Task on a server by (system, value) of its identifiers."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for task in client.search("Task", {"_count": "1000"}, as_dict=True):
        for identifier in task.get("identifier") or []:
            key = (identifier.get("system", ""), identifier.get("value", ""))
            if systems is None or key[0] in systems:
                found.setdefault(key, []).append(task)
    return found


@dataclass
class Region:
    """One run: servers, households, drop directories, the PostgreSQL state."""

    folder: Path
    households: list[Household]
    municipalities: list[list[CaseHousehold]]
    rng: random.Random
    expected: Expected = field(default_factory=Expected)
    changed: dict[tuple[int, int], int] = field(default_factory=dict)  # -> wave of our change
    on_partner: set[tuple[int, int]] = field(default_factory=set)

    def wave(self, wave: int, local: FhirClient, partners: list[FhirClient],
             per_wave: int) -> None:
        """Changes on both sides: ours, the youth care providers', the municipalities'."""
        updates = []
        for _ in range(per_wave):
            h = self.rng.randrange(len(self.households))
            household = self.households[h]
            if self.rng.random() < 0.3:
                household.actions += 1
                a = household.actions
                task = household.home.action(a, what=f"Regio golf {wave}: afspraak {a}")
            else:
                a = self.rng.randrange(1, household.actions + 1)
                if (h, a) in self.on_partner:
                    continue  # the partner changed this one: one side per action
                task = household.home.action(a, status=self.rng.choice(STATUSES),
                                             what=f"Afspraak {a}: golf {wave}")
            updates.append(task)
            self.changed[(h, a)] = wave
            system = household.home.action_system
            value = task["identifier"][0]["value"]
            self.expected.status[(1 + household.partner, system, value)] = task["status"]
            self.expected.status[(0, system, value)] = task["status"]
            self.expected.source[(system, value)] = 0
        post(local, updates)
        self.expected.changes += len(updates)
        # The youth care providers complete actions of ours that reached them (changed in an
        # earlier wave, and there as we left them: otherwise both sides changed it, a conflict
        # for a person, which is not what this test measures).
        candidates = [c for c, w in sorted(self.changed.items())
                      if w < wave and c not in self.on_partner]
        for h, a in self.rng.sample(candidates, min(len(candidates), max(1, per_wave // 10))):
            household = self.households[h]
            system = household.home.action_system
            value = f"A{a:05d}"
            client = partners[household.partner]
            found = list(client.search("Task", {"identifier": f"{system}|{value}"},
                                       as_dict=True))
            if len(found) != 1 or found[0]["status"] != self.expected.status.get(
                    (0, system, value)) or found[0]["status"] == "completed":
                continue  # not there yet (it is checked as ours), or nothing to complete
            task = dict(found[0], status="completed")
            task.pop("statusReason", None)
            client.update(task, as_dict=True)
            self.on_partner.add((h, a))
            self.expected.status[(1 + household.partner, system, value)] = "completed"
            self.expected.status[(0, system, value)] = "completed"
            self.expected.source[(system, value)] = 1 + household.partner
            self.expected.changes += 1
        # Each municipality: a new export (its households, one action's status changed).
        for index, cases in enumerate(self.municipalities):
            case = self.rng.choice(cases)
            number = self.rng.choice(sorted(case.actions))
            status = self.rng.choice(["gestart", "afgerond"])
            case.actions[number]["status"] = status
            case.actions[number]["changed"] = \
                f"03-12-2026 1{wave % 10}:{self.rng.randrange(60):02d}"
            name = self.export(index, f"w{wave}-{index}")
            self.expected.status[(0, GEMEENTE_ACTION, number)] = CASE_STATUS[status]
            self.expected.source[(GEMEENTE_ACTION, number)] = name
            self.expected.changes += 1

    def export(self, index: int, suffix: str) -> str:
        name = datetime.now().strftime("%Y%m%dT%H%M%S%f") + "-" + suffix
        drop(self.folder / f"gemeente-{index}" / "uit", name, self.municipalities[index])
        self.expected.written[name] = time.time()
        return name


def start_workers(config: Path, count: int, log: Path) -> list[subprocess.Popen[bytes]]:
    with log.open("ab") as sink:
        return [subprocess.Popen([sys.executable, "-m", "fhir_regie.sync", "run", "--config",
                                  str(config)], stdout=sink, stderr=subprocess.STDOUT)
                for _ in range(count)]


def in_step(region: Region, local: FhirClient, partners: list[FhirClient],
            lags: list[float] | None = None) -> tuple[bool, list[str]]:
    """Is every expected change on its target, exactly once, with its status? With ``lags``:
    the seconds from each last change to its arrival on the other side (the target's
    ``lastUpdated`` minus the source's, or minus the moment the export was written)."""
    problems = []
    servers = [local, *partners]
    systems = {s for _, s, _ in region.expected.status}
    seen = {index: tasks_by_identifier(client, systems) for index, client in enumerate(servers)}
    for (index, system, value), status in region.expected.status.items():
        found = seen[index].get((system, value), [])
        if len(found) != 1:
            problems.append(f"server {index}: {value} {len(found)} times")
        elif found[0]["status"] != status:
            problems.append(f"server {index}: {value} {found[0]['status']} != {status}")
    for index, tasks in seen.items():
        doubled = [k for k, v in tasks.items() if len(v) > 1]
        if doubled:
            problems.append(f"server {index}: {len(doubled)} identifiers twice")
    if lags is not None and not problems:
        def moment(index: int, key: tuple[str, str]) -> float:
            return parse_instant(seen[index][key][0]["meta"]["lastUpdated"]).timestamp()
        for (index, system, value) in region.expected.status:
            origin = region.expected.source.get((system, value))
            if origin is None or origin == index:
                continue
            start = region.expected.written[origin] if isinstance(origin, str) \
                else moment(origin, (system, value))
            lags.append(moment(index, (system, value)) - start)
    return not problems, problems


def all_started(state_url: str, partners: int) -> bool:
    """Has every FHIR job set its cursors (its "now") in both directions?"""
    try:
        with open_state(state_url) as state:
            return all(state.cursor(f"jeugdhulp-{i}", d) is not None
                       for i in range(partners) for d in ("pull", "push"))
    except StateError:  # the first worker is still making the tables
        return False


def health(state_url: str, config: Path) -> list[str]:
    problems = []
    with open_state(state_url) as state:
        for job in (j["name"] for j in yaml.safe_load(config.read_text())["jobs"]):
            counts = state.counts(job)
            waiting = sum(c.get("pending", 0) + c.get("sending", 0) for c in counts.values())
            if waiting:
                problems.append(f"{job}: {waiting} rows still waiting")
            if state.dead_letters(job):
                problems.append(f"{job}: {len(state.dead_letters(job))} dead-letter entries")
            if state.conflicts(job):
                problems.append(f"{job}: {len(state.conflicts(job))} conflicts")
    return problems


def run(args: argparse.Namespace, workers: int,  # noqa: PLR0915 (one run, start to end)
        pg: postgres.PostgresServer, folder: Path) -> dict[str, Any]:
    rng = random.Random(args.seed)  # noqa: S311 (a seeded simulation, not a secret)
    municipalities = JOBS - args.fhir
    households = [Household(Jansen(f"r{workers}h{i}"), partner=i % args.fhir)
                  for i in range(args.households)]
    cases = [[CaseHousehold(base=10_000 + workers * 10_000 + m * 1_000 + c,
                            family=f"Gezin{m}x{c}")
              for c in range(args.cases)] for m in range(municipalities)]
    region = Region(folder, households, cases, rng)
    state_url = pg.create_database(f"region_{workers}_{os.getpid()}")
    with start_servers(1 + args.fhir, folder / "servers") as servers:
        local = FhirClient(servers[0].base_url, timeout=(5, 300))
        partners = [FhirClient(s.base_url, timeout=(5, 300)) for s in servers[1:]]
        orgs = [organisation(OURS, "Sociaal Wijkteam Arnhem-Zuid", "90004711")]
        orgs += [organisation(partner_org(i), f"Jeugdhulp {i}", f"9100{i:04d}")
                 for i in range(args.fhir)]
        orgs += [organisation(gemeente_org(i), f"Gemeente {i}", f"9200{i:04d}")
                 for i in range(municipalities)]
        for client in (local, *partners):
            post(client, orgs)
        started = time.perf_counter()
        items = [r for h in households for r in h.resources()]
        post(local, items)
        load_seconds = time.perf_counter() - started
        print(f"  {workers} worker(s): region loaded: {len(items):,} resources in "
              f"{load_seconds:.0f} s", flush=True)
        config = write_config(folder, state_url, servers[0].base_url,
                              [s.base_url for s in servers[1:]], municipalities)
        for index in range(municipalities):
            (folder / f"gemeente-{index}" / "uit").mkdir(parents=True, exist_ok=True)
        log = folder / "workers.log"
        processes = start_workers(config, workers, log)
        try:
            # The jobs start "now" (the region before it is not re-sent): wait until every FHIR
            # job has run once in both directions, so no change of the waves is before it.
            started_at = time.perf_counter()
            while not all_started(state_url, args.fhir):
                if time.perf_counter() - started_at > args.timeout:
                    raise RuntimeError("the workers did not start the jobs")
                time.sleep(0.5)
            time.sleep(args.settle)
            region.expected.changes += sum(len(c.actions) for m in cases for c in m)
            for index, municipality in enumerate(cases):
                # The municipality's households, as its first export.
                name = region.export(index, f"start-{index}")
                for case in municipality:
                    for number, action in case.actions.items():
                        region.expected.status[(0, GEMEENTE_ACTION, number)] = \
                            CASE_STATUS[action["status"]]
                        region.expected.source[(GEMEENTE_ACTION, number)] = name
            first = time.perf_counter()
            for number in range(args.waves):
                region.wave(number, local, partners, args.changes)
                time.sleep(args.interval)
            deadline = time.perf_counter() + args.timeout
            ok, problems = False, ["not checked"]
            while time.perf_counter() < deadline:
                time.sleep(2)
                ok, problems = in_step(region, local, partners)
                if ok and not health(state_url, config):
                    break
            done = time.perf_counter()
            found: list[float] = []
            in_step(region, local, partners, found)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
        problems = ([] if ok else problems) + health(state_url, config)
    return {"workers": workers, "resources": len(items), "households": len(households),
            "changes": region.expected.changes, "seconds": done - first,
            "throughput": region.expected.changes / (done - first),
            "lag_median": statistics.median(found) if found else float("nan"),
            "lag_p95": sorted(found)[int(0.95 * (len(found) - 1))] if found else float("nan"),
            "rows": len(found), "problems": problems}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a short run: 100 households, 1 and 2 workers, 3 waves")
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--fhir", type=int, default=4, help="FHIR partner jobs (of the 10)")
    parser.add_argument("--cases", type=int, default=20,
                        help="households per municipality's case system")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--waves", type=int, default=6)
    parser.add_argument("--changes", type=int, default=100, help="changes of ours per wave")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between waves")
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    if args.quick:
        args.households, args.cases, args.waves, args.changes = 100, 3, 3, 20
        args.interval, args.settle, args.timeout = 2.0, 1.0, 300.0
        if args.workers == "1,2,4":
            args.workers = "1,2"
    results = []
    with tempfile.TemporaryDirectory(prefix="fhir-regie-region-") as root, \
            postgres.PostgresServer(Path(root) / "pg") as pg:
        for workers in (int(w) for w in args.workers.split(",")):
            folder = Path(root) / f"w{workers}"
            folder.mkdir()
            results.append(run(args, workers, pg, folder))
    print(f"region: {results[0]['households']:,} households, {results[0]['resources']:,} "
          f"resources on our server, {JOBS} jobs ({args.fhir} FHIR partners, "
          f"{JOBS - args.fhir} drop directories)")
    print("workers  changes  seconds  changes/s  lag median  lag p95  in step")
    failed = False
    for r in results:
        verdict = "yes" if not r["problems"] else "NO: " + "; ".join(r["problems"][:5])
        failed |= bool(r["problems"])
        print(f"{r['workers']:>7}  {r['changes']:>7}  {r['seconds']:>7.0f}  "
              f"{r['throughput']:>9.1f}  {r['lag_median']:>8.1f} s  {r['lag_p95']:>5.1f} s  "
              f"{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
