"""``fhir-regie sync``: run the sync jobs and look after them (docs/sync.md, "Operations").

    fhir-regie sync run --config FILE [--once] [--job NAME] [--wait SECONDS] [--verbose]
    fhir-regie sync status --config FILE [--job NAME] [--format text|json]
    fhir-regie sync retry --config FILE [--job NAME] [--entry ID]
    fhir-regie sync dead-letter --config FILE [--job NAME]
    fhir-regie sync conflicts --config FILE [--job NAME] [--show ID]
    fhir-regie sync resolve ID --take ours|theirs|FILE --config FILE

Exit codes: 0 done; 1 the work is not done (a side could not be reached, rows still waiting,
a resolution refused); 2 usage errors (a bad configuration file: one line naming file and key).
Output names jobs, counts, rules and our own numbers (conflict and entry ids), never personal
data; only ``conflicts --show`` prints the versions of a conflict, for the person resolving it.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any, TextIO


def register(commands: Any) -> None:
    """Add ``sync`` and its subcommands to the ``fhir-regie`` subparsers."""
    sync = commands.add_parser("sync", help="synchronise partner systems and our FHIR server")
    sub = sync.add_subparsers(dest="sync_command", required=True, metavar="SYNC_COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=text)
        parser.add_argument("--config", required=True, metavar="FILE",
                            help="the sync configuration (YAML)")
        return parser

    run = command("run", "run the jobs (on their schedules, or once)")
    run.add_argument("--once", action="store_true",
                     help="run each job until it is in step, then stop")
    run.add_argument("--job", action="append", default=[], metavar="NAME",
                     help="only this job (repeatable)")
    run.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                     help="with --once: wait this long for retries that are due soon "
                          "(default 60)")
    run.add_argument("--verbose", action="store_true", help="log counts per run (stderr)")
    run.set_defaults(handler=_run)

    status = command("status", "cursors, backlog, dead letter and conflicts per job")
    status.add_argument("--job", metavar="NAME")
    status.add_argument("--format", choices=("text", "json"), default="text")
    status.set_defaults(handler=_status)

    retry = command("retry", "put dead-letter entries back in the queue")
    retry.add_argument("--job", metavar="NAME")
    retry.add_argument("--entry", type=int, metavar="ID", help="only this entry")
    retry.set_defaults(handler=_retry)

    dead = command("dead-letter", "list what could not be processed, with the rule")
    dead.add_argument("--job", metavar="NAME")
    dead.add_argument("--show", type=int, metavar="ID",
                      help="also the OperationOutcome of this entry")
    dead.set_defaults(handler=_dead_letter)

    conflicts = command("conflicts", "list the open conflicts (or show one)")
    conflicts.add_argument("--job", metavar="NAME")
    conflicts.add_argument("--show", type=int, metavar="ID",
                           help="the base, ours and theirs of one conflict")
    conflicts.set_defaults(handler=_conflicts)

    resolve = command("resolve", "resolve a conflict")
    resolve.add_argument("id", type=int, metavar="ID")
    resolve.add_argument("--take", required=True, metavar="ours|theirs|FILE",
                         help="keep our version, take the partner's, or a resource file")
    resolve.set_defaults(handler=_resolve)


def _load(args: argparse.Namespace, err: TextIO) -> Any:
    from fhir_regie.sync.config import ConfigError, load_config

    try:
        config = load_config(args.config)
        if getattr(args, "job", None):
            names = args.job if isinstance(args.job, list) else [args.job]
            for name in names:
                config.job(name)
        return config
    except ConfigError as error:
        print(f"fhir-regie sync: {error}", file=err)
        return None


def _state(config: Any, err: TextIO) -> Any:
    from fhir_regie.sync.state import StateError, open_state

    try:
        return open_state(config.state)
    except (StateError, OSError) as error:
        print(f"fhir-regie sync: {error}", file=err)
        return None


class _Bars:
    """One progress bar per job and direction (fhir_regie.cli.Progress), on stderr."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.bars: dict[tuple[str, str], Any] = {}
        self.done: dict[tuple[str, str], int] = {}

    def __call__(self, job: str, direction: str, done: int, total: int) -> None:
        from fhir_regie.cli import Progress

        key = (job, direction)
        if key not in self.bars or self.done.get(key, 0) > done:
            self.bars[key] = Progress(total, self.err, verb=f"{job} {direction}")
            self.done[key] = 0
        bar = self.bars[key]
        for _ in range(done - self.done[key]):
            bar.step(0)
        self.done[key] = done
        if done >= total:
            bar.done()


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.sync.engine import summary
    from fhir_regie.sync.state import StateError
    from fhir_regie.sync.worker import Stop, run_forever, run_once

    config = _load(args, err)
    if config is None:
        return 2
    # Warnings always (a side not reached, a batch retried), counts per run with --verbose;
    # the lines carry job names, counts and error classes only.
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("fhir-regie sync: %(message)s"))
    logger = logging.getLogger("fhir_regie.sync")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO if args.verbose else logging.WARNING)
    stop = Stop()
    stop.install()
    bars = _Bars(err)
    try:
        if not args.once:
            run_forever(config, stop=stop, progress=bars,
                        on_report=lambda report: summary(report, out))
            return 0
        outcome = run_once(config, jobs=args.job, wait=args.wait, progress=bars, stop=stop)
    except (StateError, OSError, ValueError) as error:
        print(f"fhir-regie sync: {str(error).splitlines()[0]}", file=err)
        return 1
    for report in outcome.reports.values():
        summary(report, out)
    for name in outcome.busy:
        print(f"fhir-regie sync: job {name}: another worker is running it", file=err)
    for name, count in outcome.backlog.items():
        if count:
            print(f"fhir-regie sync: job {name}: {count} change(s) still waiting "
                  "(see: fhir-regie sync status)", file=err)
    return 0 if outcome.ok else 1


def status_of(config: Any, state: Any, job_name: str | None = None) -> list[dict[str, Any]]:
    """Per job: cursors, queue counts per direction and status, dead letter, conflicts."""
    import time

    found = []
    for job in config.jobs:
        if job_name and job.name != job_name:
            continue
        counts = state.counts(job.name)
        retry = state.next_retry(job.name)
        found.append({
            "job": job.name, "partner": job.partner.kind, "direction": job.direction,
            "every": job.schedule.every,
            "cursors": {d: (state.cursor(job.name, d) or (None,))[0] for d in ("pull", "push")},
            "queue": counts,
            "backlog": sum(c.get("pending", 0) + c.get("sending", 0) for c in counts.values()),
            "next_retry_in": None if retry is None else max(0.0, round(retry - time.time(), 1)),
            "dead_letter": len(state.dead_letters(job.name)),
            "conflicts": len(state.conflicts(job.name)),
            "review_flags": [{"record": f["local_ref"], "flag": f"Flag/{f['flag_id']}",
                              "reason": f["reason"], "at": f["created_at"]}
                             for f in state.review_flags(job.name)],
            "attempts": state.attempt_count(job.name),
        })
    return found


def _status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = _load(args, err)
    if config is None:
        return 2
    state = _state(config, err)
    if state is None:
        return 1
    with state:
        jobs = status_of(config, state, args.job)
    if args.format == "json":
        print(json.dumps(jobs, indent=2), file=out)
        return 0
    for job in jobs:
        print(f"job {job['job']} ({job['partner']} partner, {job['direction']}, every "
              f"{job['every']:g} s)", file=out)
        for direction in ("pull", "push"):
            queue = job["queue"].get(direction, {})
            if not queue and not job["cursors"][direction]:
                continue
            parts = ", ".join(f"{status} {n}" for status, n in sorted(queue.items())) or "empty"
            print(f"  {direction}: cursor {job['cursors'][direction] or '-'}; {parts}",
                  file=out)
        retry = f" (next retry in {job['next_retry_in']:g} s)" \
            if job["backlog"] and job["next_retry_in"] is not None else ""
        print(f"  backlog {job['backlog']}{retry}; dead letter {job['dead_letter']} open; "
              f"conflicts {job['conflicts']} open; failed attempts {job['attempts']}",
              file=out)
        for flag in job["review_flags"]:
            print(f"  review {flag['record']} ({flag['flag']}, since {flag['at']}): "
                  f"{flag['reason']}", file=out)
    return 0


def _retry(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = _load(args, err)
    if config is None:
        return 2
    state = _state(config, err)
    if state is None:
        return 1
    with state:
        count = state.retry_dead(args.job, args.entry)
        left = len(state.dead_letters(args.job))
    print(f"{count} entr{'y' if count == 1 else 'ies'} back in the queue; {left} left in the "
          "dead letter (records that failed to map need a corrected export)", file=out)
    return 0


def _dead_letter(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = _load(args, err)
    if config is None:
        return 2
    state = _state(config, err)
    if state is None:
        return 1
    with state:
        entries = state.dead_letters(args.job)
    for entry in entries:
        what = entry["rtype"] or "record"
        print(f"{entry['id']}: job {entry['job']} {entry['direction']} {what}: "
              f"{entry['rule']}: {entry['message']}", file=out)
        if entry["reason"]:
            print(f"    {entry['reason']}", file=out)
        if args.show == entry["id"] and entry["outcome"]:
            print(entry["outcome"], file=out)
    print(f"{len(entries)} open", file=out)
    return 0


def _conflicts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.sync.conflicts import describe

    config = _load(args, err)
    if config is None:
        return 2
    state = _state(config, err)
    if state is None:
        return 1
    with state:
        if args.show is not None:
            conflict = state.conflict(args.show)
            if conflict is None:
                print(f"fhir-regie sync: no conflict {args.show}", file=err)
                return 1
            for line in describe(conflict):
                print(line, file=out)
            for name, version in (("base", conflict.base), ("ours", conflict.ours),
                                  ("theirs", conflict.theirs)):
                print(f"--- {name}", file=out)
                print(json.dumps(version, indent=2, ensure_ascii=False), file=out)
            return 0
        conflicts = state.conflicts(args.job)
    for conflict in conflicts:
        fields = ", ".join(conflict.fields) or "-"
        print(f"{conflict.id}: job {conflict.job} {conflict.rtype} {conflict.kind} "
              f"(fields: {fields}), parked {conflict.created_at}", file=out)
    print(f"{len(conflicts)} open; resolve with: fhir-regie sync resolve ID --take "
          "ours|theirs|FILE --config FILE", file=out)
    return 0


def _resolve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.sync.conflicts import ResolveError, resolve

    config = _load(args, err)
    if config is None:
        return 2
    state = _state(config, err)
    if state is None:
        return 1
    try:
        with state:
            result = resolve(config, state, args.id, args.take)
    except ResolveError as error:
        print(f"fhir-regie sync resolve: {error}", file=err)
        return 1
    print(f"conflict {result.conflict} resolved ({result.taken}); our version is now "
          f"{result.local_version or 'deleted'}; the next run sends it to the partner",
          file=out)
    return 0
