"""The ``fhir-regie`` command.

Every subcommand takes its output streams as parameters (see ``main``) so it can be tested, and
turns every expected failure into a one-line message and an exit code, never a traceback.

Exit codes: 0 success, 1 the work found problems (invalid input, drift), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from fhir_regie import __version__
from fhir_regie.consent import cli as consent_cli

if TYPE_CHECKING:
    from fhir_regie.limits import LimitError, Limits


def _cmd_ig_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.ig.build import BuildError, build, project_root

    try:
        root = project_root(Path(args.root) if args.root else None)
        return build(root, check=args.check, sushi=Path(args.sushi) if args.sushi else None,
                     out=out)
    except BuildError as error:
        print(f"fhir-regie ig build: {error}", file=err)
        return 1


def _cmd_ig_package(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.ig.build import BuildError, write_installed_package

    try:
        target = write_installed_package(Path(args.out))
    except BuildError as error:
        print(f"fhir-regie ig package: {error}", file=err)
        return 1
    print(f"ig package: wrote {target}", file=out)
    return 0


def _cmd_ig_site(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.ig.site import SiteError, build_site

    try:
        pages = build_site(Path(args.out))
    except SiteError as error:
        print(f"fhir-regie ig site: {error}", file=err)
        return 1
    print(f"ig site: wrote {len(pages)} files to {args.out} (open index.html)", file=out)
    return 0


class Progress:
    """Progress of a long run on stderr: a bar redrawn in place on a terminal, otherwise a
    line at every tenth. Silent for fewer than ``threshold`` items."""

    def __init__(self, total: int, stream: TextIO, threshold: int = 20, width: int = 30,
                 verb: str = "validated") -> None:
        self.total, self.stream, self.width, self.verb = total, stream, width, verb
        self.enabled = total >= threshold
        self.tty = self.enabled and hasattr(stream, "isatty") and stream.isatty()
        self.count = 0

    def step(self, failed: int) -> None:
        self.count += 1
        if not self.enabled:
            return
        if self.tty:
            filled = self.width * self.count // self.total
            bar = "#" * filled + "-" * (self.width - filled)
            print(f"\r[{bar}] {self.count}/{self.total}, {failed} with errors", end="",
                  file=self.stream, flush=True)
        elif self.count * 10 // self.total != (self.count - 1) * 10 // self.total:
            print(f"{self.verb} {self.count}/{self.total}, {failed} with errors", file=self.stream)

    def done(self) -> None:
        if self.tty:
            print(file=self.stream)


def _validate_inputs(paths: list[str], limits: Limits, err: TextIO,
                     ) -> list[tuple[str, str | bytes | LimitError]] | int:
    """What ``validate`` reads, each under the limits (a refusal kept as the input's
    LimitError); an exit code when an argument cannot be read at all."""
    from fhir_regie.limits import LimitError, read_bytes

    inputs: list[tuple[str, str | bytes | LimitError]] = []
    for name in paths:
        if name == "-":
            # bytes, so that input that is not UTF-8 is reported like a file's, not raised
            stdin = getattr(sys.stdin, "buffer", None)
            data = stdin.read(limits.max_bytes + 1) if stdin is not None else sys.stdin.read(
                limits.max_bytes + 1)
            inputs.append(("-", limits.too_large() if len(data) > limits.max_bytes else data))
            continue
        path = Path(name)
        if path.is_dir():
            # hidden files (a package's .index.json) are not resources
            files = sorted(p for p in path.rglob("*.json")
                           if not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            files = [path]
        else:
            print(f"fhir-regie validate: {name}: no such file or directory", file=err)
            return 2
        for file in files:
            try:
                # bytes: validate_source reports text that is not UTF-8 as an issue of its own
                inputs.append((str(file), read_bytes(file, limits)))
            except LimitError as error:
                inputs.append((str(file), error))
            except OSError as error:
                print(f"fhir-regie validate: {file}: cannot read ({error.__class__.__name__})",
                      file=err)
                return 2
    return inputs


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.ig import load_package
    from fhir_regie.limits import LimitError, Limits, depth
    from fhir_regie.validation import validate_source
    from fhir_regie.validation.definitions import PackageLoadError, with_packages
    from fhir_regie.validation.outcome import error_count, format_text

    try:
        limits = Limits.from_env()
    except ValueError as error:
        print(f"fhir-regie validate: {error}", file=err)
        return 2
    try:
        package = with_packages(load_package(), args.package or [])
    except PackageLoadError as error:
        print(f"fhir-regie validate: --package {error}", file=err)
        return 2
    inputs = _validate_inputs(args.paths, limits, err)
    if isinstance(inputs, int):
        return inputs
    failed = 0
    progress = Progress(len(inputs), err)
    for name, given in inputs:
        text = given
        if not isinstance(text, LimitError):
            raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
            if depth(raw) > limits.max_depth:
                text = limits.too_deep()
        if isinstance(text, LimitError):   # refused at the boundary, before any parsing
            outcome = {"resourceType": "OperationOutcome", "issue": [
                {"severity": "fatal", "code": "too-costly", "expression": ["$"],
                 "details": {"text": f"Input refused: {text}"}}]}
        else:
            outcome = validate_source(text, profile=args.profile, package=package,
                                      strict_profiles=args.strict_profiles)
        failed += error_count(outcome) > 0
        if args.format == "json":
            print(json.dumps(outcome, ensure_ascii=False), file=out)
        else:
            for line in format_text(name, outcome):
                print(line, file=out)
        progress.step(failed)
    progress.done()
    if args.format == "text":
        print(f"{len(inputs)} input(s), {failed} with errors", file=err)
    return 1 if failed else 0


def _cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.client import FhirClientError
    from fhir_regie.client.server import ServerError
    from fhir_regie.demo import run_story
    from fhir_regie.handover import HandoverError
    from fhir_regie.ig import MissingPackageDataError
    from fhir_regie.messages import say

    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        print(f"fhir-regie demo: {say('cli.out_not_folder', args.lang, path=args.out)}",
              file=err)
        return 2
    try:
        return run_story(out, Path(args.out) if args.out else None)
    except (MissingPackageDataError, ServerError, FhirClientError, HandoverError,
            OSError) as error:
        print(f"fhir-regie demo: {error}", file=err)
        return 1


def _stop_on_sigterm() -> None:
    """Treat SIGTERM (service managers, ``kill``) like Ctrl-C, so cleanup runs."""
    import signal
    import threading

    def interrupt(signum: int, frame: object) -> None:  # noqa: ARG001 (signal API)
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def _cmd_server(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.client.server import EmbeddedServer, ServerError

    _stop_on_sigterm()
    server = EmbeddedServer(args.data, port=args.port)
    try:
        server.start()
    except (ServerError, OSError) as error:
        print(f"fhir-regie server: {error}", file=err)
        return 1
    try:
        print(server.base_url, file=out, flush=True)
        print(f"data: {server.data_dir}{'' if args.data else ' (temporary)'}; "
              f"Ctrl-C stops the server", file=err, flush=True)
        code = server.wait()
        print(f"fhir-regie server: the server stopped on its own (exit code {code})", file=err)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


def _workflow_inputs(args: argparse.Namespace, err: TextIO) -> tuple[Any, Any, Any] | None:
    """(household, region, at) from the shared workflow options; None after a one-line error."""
    from datetime import date

    from fhir_regie.messages import say, tell
    from fhir_regie.workflow.household import HouseholdError
    from fhir_regie.workflow.regions import RegionError, load_region
    from fhir_regie.workflow.sources import (
        SourceError,
        load_household_from_bundle,
        load_household_from_example,
        load_household_from_server,
    )

    prefix = f"fhir-regie {args.command}"
    try:
        at = date.fromisoformat(args.at) if args.at else date.today()
    except ValueError:
        print(f"{prefix}: {say('cli.at_date', args.lang, value=repr(args.at))}", file=err)
        return None
    try:
        region = load_region(args.region)
        if args.bundle:
            household = load_household_from_bundle(args.bundle, args.household)
        elif args.server:
            if not args.household:
                print(f"{prefix}: {say('cli.server_needs_household', args.lang)}", file=err)
                return None
            household = load_household_from_server(args.server, args.household)
        else:
            household = load_household_from_example(args.example or "household-de-vries")
    except (RegionError, SourceError, HouseholdError) as error:
        # The error's catalogue message in the reader's language; a detail without one (a
        # region file's validation) as it is.
        print(f"{prefix}: {tell(error.args[0] if error.args else error, args.lang)}",
              file=err)
        return None
    return household, region, at


def _cmd_workflow(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.workflow import status as view
    from fhir_regie.workflow.deadlines import deadlines
    from fhir_regie.workflow.meldcode import meldcode_advice
    from fhir_regie.workflow.safety import safety_progress

    inputs = _workflow_inputs(args, err)
    if inputs is None:
        return 2
    household, region, at = inputs
    if args.command == "deadlines":
        found = deadlines(household, region, at)
        data: Any = [o.to_dict() for o in found]
        lines = view.deadline_lines(found, lang=args.lang)
        problems = any(o.status == "overdue" for o in found)
    elif args.command == "safety":
        progress = safety_progress(household, region, at)
        data, lines = [p.to_dict() for p in progress], view.safety_lines(progress, args.lang)
        problems = False
    elif args.command == "meldcode":
        advice = meldcode_advice(household, at)
        data, lines = [a.to_dict() for a in advice], view.meldcode_lines(advice, args.lang)
        problems = any(a.findings for a in advice)
    else:
        status = view.household_status(household, region, at)
        data, lines, problems = status.to_dict(), view.status_lines(status, args.lang), \
            status.problems
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
    else:
        for line in lines:
            print(line, file=out)
    return 1 if problems else 0


def _add_validate(commands: Any) -> None:
    validate = commands.add_parser("validate", help="validate FHIR JSON against the profiles")
    validate.add_argument("paths", nargs="+", help="files, folders, or - for standard input")
    validate.add_argument("--profile", help="validate against this profile url")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument("--package", action="append", metavar="FILE.tgz|NAME#VERSION",
                          help="also load this FHIR package's profiles, extensions and "
                          "terminology (a .tgz, or NAME#VERSION from ~/.fhir/packages); "
                          "repeatable")
    validate.add_argument("--strict-profiles", action="store_true",
                          help="a claimed profile no loaded package defines is an error "
                          "(default: a warning that it was not checked)")
    validate.set_defaults(handler=_cmd_validate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fhir-regie",
        description="FHIR profiles and toolkit for coordinated care and safety around "
                    "vulnerable households.",
    )
    parser.add_argument("--version", action="version", version=f"fhir-regie {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ig = commands.add_parser("ig", help="build or check the implementation guide")
    ig_commands = ig.add_subparsers(dest="ig_command", required=True, metavar="IG_COMMAND")
    ig_build = ig_commands.add_parser("build", help="compile FSH into the FHIR package")
    ig_build.add_argument("--check", action="store_true",
                          help="compare with the committed package data instead of writing")
    ig_build.add_argument("--sushi", help="path of the sushi executable")
    ig_build.add_argument("--root", help="source checkout (default: found from here)")
    ig_build.set_defaults(handler=_cmd_ig_build)
    ig_package = ig_commands.add_parser(
        "package", help="write the FHIR package (.tgz) of the installed guide")
    ig_package.add_argument("-o", "--out", metavar="DIR", default=".",
                            help="folder to write it to (default: the current one)")
    ig_package.set_defaults(handler=_cmd_ig_package)
    ig_site = ig_commands.add_parser(
        "site", help="write a browsable static site of the guide (needs [render])")
    ig_site.add_argument("-o", "--out", metavar="DIR", required=True, help="folder to write to")
    ig_site.set_defaults(handler=_cmd_ig_site)

    _add_validate(commands)

    for name, text in (("deadlines", "deadlines of a household: due, met, overdue"),
                       ("safety", "safety plans: Routekaart phase and exit criteria"),
                       ("meldcode", "meldcode trail: next step, documentation, decision"),
                       ("status", "one dashboard for a household")):
        command = commands.add_parser(name, help=text)
        source = command.add_mutually_exclusive_group()
        source.add_argument("--bundle", metavar="FILE", help="a FHIR Bundle JSON file")
        source.add_argument("--server", metavar="URL", help="a FHIR server (with --household)")
        source.add_argument("--example", metavar="HOUSEHOLD_ID",
                            help="an example household of the guide (default: "
                                 "household-de-vries)")
        command.add_argument("--household", metavar="ID", help="id of the household Group")
        command.add_argument("--region", default="default",
                             help="region name or YAML file (default: default)")
        command.add_argument("--at", metavar="YYYY-MM-DD", help="evaluate on this day "
                                                                "(default: today)")
        command.add_argument("--format", choices=("text", "json"), default="text",
                             help="text for people, json for developers (English keys and "
                                  "codes)")
        command.add_argument("--lang", choices=("nl", "en"), default="nl",
                             help="language of the text (default: nl)")
        command.set_defaults(handler=_cmd_workflow)

    consent_cli.register(commands)

    demo = commands.add_parser("demo", help="the story of a handover from Veilig Thuis to a "
                                            "local team, on two embedded FHIR servers")
    demo.add_argument("--out", metavar="DIR",
                      help="where the demo writes its files (default: a new temporary folder)")
    demo.add_argument("--lang", choices=("nl", "en"), default="nl",
                      help="language of its error lines (default: nl; the story is Dutch)")
    demo.set_defaults(handler=_cmd_demo)

    server = commands.add_parser("server", help="run the embedded FHIR server on 127.0.0.1")
    server.add_argument("--port", type=int, help="port (default: a free one)")
    server.add_argument("--data", help="data directory (default: a temporary one, removed "
                                       "on exit)")
    server.set_defaults(handler=_cmd_server)

    from fhir_regie.mapping.cli import register as register_mapping
    register_mapping(commands)
    from fhir_regie.render.cli import register as register_render
    register_render(commands)
    from fhir_regie.viewer.cli import register as register_viewer
    register_viewer(commands)
    from fhir_regie.handover.cli import register as register_handover
    register_handover(commands)
    from fhir_regie.sync.cli import register as register_sync
    register_sync(commands)
    from fhir_regie.gateway.cli import register as register_gateway
    register_gateway(commands)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    from fhir_regie.extras import MissingExtraError

    try:
        return int(args.handler(args, out, err))
    except MissingExtraError as error:
        print(f"fhir-regie: {error}", file=err)
        return 2
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error of ours.
        return 0


if __name__ == "__main__":
    sys.exit(main())
