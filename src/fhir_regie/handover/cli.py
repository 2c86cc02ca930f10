"""``fhir-regie handover ...``: the notified pull from the command line (docs/handover.md).

::

    fhir-regie handover send --from VT_URL --to TEAM_URL --case FILE [--reporter-contact-needed]
    fhir-regie handover cancel ID --from VT_URL --to TEAM_URL --reason TEXT
    fhir-regie handover inbox --server TEAM_URL [--peer VT_URL[=PREFIX]] [--no-pull]
    fhir-regie handover accept ID --server TEAM_URL [--peer VT_URL[=PREFIX]] [--region NAME]
    fhir-regie handover reject ID --server TEAM_URL --reason TEXT [--peer VT_URL[=PREFIX]]

Credentials come from the environment only (docs/client.md): ``FHIR_REGIE_*`` for the own
server (``--from`` for Veilig Thuis, ``--server`` for the local team), and for the other
organisation's server the same variables under the prefix ``FHIR_REGIE_PEER`` or the one
given after ``=`` in ``--peer``. The local team pulls only from servers named with ``--peer``.

Exit codes: 0 done; 1 the step failed or needs attention (a case that cannot be handed over, a
handover in the wrong state, a server error; for ``inbox``: only when a new notification was
refused: a notification that waits for its sender is not a failure); 2 usage errors (one line).
``inbox`` ends its report with the counts per outcome.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")


def _now() -> datetime:
    """Now, in Dutch time, to the second (the moment a step records)."""
    return datetime.now(UTC).astimezone(AMS).replace(microsecond=0)


def _peers(values: list[str] | None) -> dict[str, str | None]:
    peers: dict[str, str | None] = {}
    for value in values or []:
        url, _, prefix = value.partition("=")
        peers[url.rstrip("/")] = prefix or None
    return peers


def load_cases(path: Path) -> list[list[dict[str, Any]]]:
    """The cases in a file: a Bundle, a JSON array of Bundles, or Bundles as JSON lines (the
    output of ``fhir-regie map --partner vt-registratie --to-fhir``). ValueError names what
    is wrong, never the content."""
    from fhir_regie.limits import Limits, loads, read_text

    limits = Limits.from_env()
    text = read_text(path, limits)   # LimitError (a ValueError) when too large
    try:
        data: Any = loads(text, limits)
        documents = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        try:
            documents = [loads(line, limits) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise ValueError(f"not JSON or JSON lines (line {error.lineno})") from None
    cases = []
    for number, document in enumerate(documents, 1):
        if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
            raise ValueError(f"document {number} is not a FHIR Bundle")
        cases.append([e["resource"] for e in document.get("entry", [])
                      if isinstance(e, dict) and isinstance(e.get("resource"), dict)])
    if not cases:
        raise ValueError("no Bundle in the file")
    return cases


def _fail(command: str, error: Exception, err: TextIO) -> int:
    print(f"fhir-regie handover {command}: {error}", file=err)
    return 1


def _cmd_send(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.client import FhirClientError
    from fhir_regie.client.environment import ClientConfigError
    from fhir_regie.handover.credentials import Credentials
    from fhir_regie.handover.errors import HandoverError
    from fhir_regie.handover.send import send

    path = Path(args.case)
    try:
        cases = load_cases(path)
    except OSError as error:
        print(f"fhir-regie handover send: {path}: cannot read ({error.strerror})", file=err)
        return 2
    except (ValueError, UnicodeDecodeError) as error:
        print(f"fhir-regie handover send: {path}: {error}", file=err)
        return 2
    try:
        credentials = Credentials.from_env(args.source, {args.to: _peers(args.peer).get(
            args.to.rstrip("/"))})
        vt, team = credentials.own(), credentials.client(args.to)
    except (ClientConfigError, ValueError) as error:
        print(f"fhir-regie handover send: {error}", file=err)
        return 2
    failed = 0
    for number, case in enumerate(cases, 1):
        label = f"{path}" + (f" (case {number})" if len(cases) > 1 else "")
        try:
            sent = send(case, vt, team, at=_now(),
                        reporter_contact_needed=args.reporter_contact_needed)
        except (HandoverError, FhirClientError) as error:
            print(f"fhir-regie handover send: {label}: {error}", file=err)
            failed += 1
            continue
        for line in sent.lines():
            print(line, file=out)
    return 1 if failed else 0


def _cmd_cancel(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.client import FhirClientError
    from fhir_regie.client.environment import ClientConfigError
    from fhir_regie.handover.credentials import Credentials
    from fhir_regie.handover.errors import HandoverError
    from fhir_regie.handover.send import cancel

    try:
        credentials = Credentials.from_env(args.source, {args.to: _peers(args.peer).get(
            args.to.rstrip("/"))})
        vt, team = credentials.own(), credentials.client(args.to)
    except (ClientConfigError, ValueError) as error:
        print(f"fhir-regie handover cancel: {error}", file=err)
        return 2
    if not args.reason.strip():
        print("fhir-regie handover cancel: --reason must say why (it goes to the local team)",
              file=err)
        return 2
    try:
        sent = cancel(vt, team, args.id, reason=args.reason, at=_now())
    except (HandoverError, FhirClientError, ValueError) as error:
        return _fail("cancel", error, err)
    for line in sent.lines():
        print(line, file=out)
    return 0


def _team_credentials(args: argparse.Namespace, err: TextIO) -> Any:
    from fhir_regie.client.environment import ClientConfigError
    from fhir_regie.handover.credentials import Credentials

    try:
        return Credentials.from_env(args.server, _peers(args.peer))
    except (ClientConfigError, ValueError) as error:
        print(f"fhir-regie handover {args.handover_command}: {error}", file=err)
        return None


def _cmd_inbox(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.client import FhirClientError
    from fhir_regie.handover.inbox import counts_line, inbox, inbox_lines, take_in

    credentials = _team_credentials(args, err)
    if credentials is None:
        return 2
    refused = 0
    try:
        if args.pull:
            counts: dict[str, int] = {}
            for taken in take_in(credentials, at=_now()):
                print(taken.line(), file=err)
                counts[taken.outcome] = counts.get(taken.outcome, 0) + 1
            refused = counts.get("refused", 0)
            print(counts_line(counts), file=err)
        for line in inbox_lines(inbox(credentials.own())):
            print(line, file=out)
    except FhirClientError as error:
        return _fail("inbox", error, err)
    return 1 if refused else 0


def _cmd_answer(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.client import FhirClientError
    from fhir_regie.handover.answer import accept, reject
    from fhir_regie.handover.errors import HandoverError
    from fhir_regie.workflow.regions import RegionError, load_region

    if args.handover_command == "reject" and not args.reason.strip():
        print("fhir-regie handover reject: --reason must say why (it goes to Veilig Thuis)",
              file=err)
        return 2
    credentials = _team_credentials(args, err)
    if credentials is None:
        return 2
    try:
        if args.handover_command == "accept":
            try:
                region = load_region(args.region)
            except RegionError as error:
                print(f"fhir-regie handover accept: {error}", file=err)
                return 2
            done = accept(credentials, args.id, at=_now(), region=region)
        else:
            done = reject(credentials, args.id, at=_now(), reason=args.reason)
    except (HandoverError, FhirClientError, ValueError) as error:
        return _fail(args.handover_command, error, err)
    for line in done.lines():
        print(line, file=out)
    return 0


def register(commands: Any) -> None:
    """Add ``fhir-regie handover`` to the top-level subcommands."""
    handover = commands.add_parser("handover", help="Veilig Thuis -> local team handover "
                                                    "(notified pull)")
    sub = handover.add_subparsers(dest="handover_command", required=True,
                                  metavar="HANDOVER_COMMAND")
    peer_help = ("the other organisation's server, with the environment prefix of its "
                 "credentials (default FHIR_REGIE_PEER); repeatable")

    send = sub.add_parser("send", help="put a case's handover on Veilig Thuis's server and "
                                       "notify the local team")
    send.add_argument("--from", dest="source", required=True, metavar="URL",
                      help="Veilig Thuis's own FHIR server")
    send.add_argument("--to", required=True, metavar="URL", help="the local team's FHIR server")
    send.add_argument("--case", required=True, metavar="FILE",
                      help="the case: a FHIR Bundle, a JSON array of them or JSON lines")
    send.add_argument("--reporter-contact-needed", action="store_true",
                      help="the local team needs to contact the reporter (only then, and only "
                           "when the reporter is not anonymous, does their contact data go)")
    send.add_argument("--peer", action="append", metavar="URL[=PREFIX]", help=peer_help)
    send.set_defaults(handler=_cmd_send)

    cancel = sub.add_parser("cancel", help="withdraw a handover not yet accepted")
    cancel.add_argument("id", help="the handover Task id")
    cancel.add_argument("--from", dest="source", required=True, metavar="URL")
    cancel.add_argument("--to", required=True, metavar="URL")
    cancel.add_argument("--reason", required=True, help="why (goes to the local team)")
    cancel.add_argument("--peer", action="append", metavar="URL[=PREFIX]", help=peer_help)
    cancel.set_defaults(handler=_cmd_cancel)

    inbox = sub.add_parser("inbox", help="take new notifications in and list the handovers")
    inbox.add_argument("--server", required=True, metavar="URL",
                       help="the local team's own FHIR server")
    inbox.add_argument("--peer", action="append", metavar="URL[=PREFIX]", help=peer_help)
    inbox.add_argument("--no-pull", dest="pull", action="store_false",
                       help="only list; do not take new notifications in")
    inbox.set_defaults(handler=_cmd_inbox)

    for name, text in (("accept", "accept a handover: responsibility passes now"),
                       ("reject", "reject a handover, with the reason")):
        command = sub.add_parser(name, help=text)
        command.add_argument("id", help="the handover Task id")
        command.add_argument("--server", required=True, metavar="URL",
                             help="the local team's own FHIR server")
        command.add_argument("--peer", action="append", metavar="URL[=PREFIX]", help=peer_help)
        if name == "accept":
            command.add_argument("--region", default="default",
                                 help="region name or YAML file for the terms (default: default)")
        else:
            command.add_argument("--reason", required=True, help="why (goes to Veilig Thuis)")
        command.set_defaults(handler=_cmd_answer)
