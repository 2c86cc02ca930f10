"""``fhir-regie consent decide`` and ``fhir-regie consent share``: the engine and the guard on
a household from a Bundle file or an example of the guide.

Exit codes as for the other commands: 0 something may go (permit or partial), 1 nothing may
go (deny), 2 usage or input errors (one line, naming the file or option, no personal data).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from fhir_regie.cli_options import UsageError, parse_moment


def register(commands: Any) -> None:
    """Add ``consent decide`` and ``consent share`` to the ``fhir-regie`` subcommands."""
    consent = commands.add_parser("consent", help="consent decisions and the disclosure guard")
    actions = consent.add_subparsers(dest="consent_command", required=True,
                                     metavar="CONSENT_COMMAND")
    decide = actions.add_parser("decide", help="per resource: may it go to this recipient?")
    _options(decide)
    decide.add_argument("--format", choices=("text", "json"), default="text")
    decide.set_defaults(handler=run)
    share = actions.add_parser("share", help="write the filtered Bundle and the AuditEvent(s)")
    _options(share)
    share.add_argument("-o", "--output", required=True, metavar="OUT",
                       help="the filtered Bundle (JSON); the disclosure records go to "
                            "OUT with .audit.json")
    share.set_defaults(handler=run)


def _options(command: argparse.ArgumentParser) -> None:
    source = command.add_mutually_exclusive_group()
    source.add_argument("--bundle", metavar="FILE", help="a FHIR Bundle JSON file")
    source.add_argument("--example", metavar="HOUSEHOLD_ID",
                        help="an example household of the guide (default: household-de-vries)")
    command.add_argument("--household", metavar="ID", help="id of the household Group")
    command.add_argument("--recipient", required=True, metavar="ORG",
                         help="receiving organisation, Organization/<id>")
    command.add_argument("--purpose", required=True, metavar="CODE",
                         help="regie-sharing-purpose code, e.g. care-coordination")
    command.add_argument("--at", metavar="TIME", help="moment of disclosure: ISO date-time "
                         "(Amsterdam time when no zone) or date (noon); default now")
    command.add_argument("--discloser", metavar="ORG", help="our organisation (default: the "
                         "household's managing organisation)")
    command.add_argument("--role", metavar="PRACTITIONERROLE", help="the recipient's role")
    command.add_argument("--legal-basis", metavar="CODE", help="a basis without consent: "
                         "meldcode-reporting-right, vt-statutory-task, court-order, "
                         "vital-interest")
    command.add_argument("--justification", default="", help="why the legal basis applies")
    command.add_argument("--not-informed-reason", default="", metavar="TEXT",
                         help="the household is not informed, because informing would "
                              "endanger someone: why")
    command.add_argument("--covers-label", action="append", default=[], choices=("R", "V"),
                         help="confidentiality label the legal basis is invoked for")
    command.add_argument("--named-recipient", action="append", default=[], metavar="ORG",
                         help="organisation named in the court order")
    command.add_argument("--reporter-contact-needed", action="store_true",
                         help="the recipient must be able to contact the reporter")
    command.add_argument("--vt", action="append", default=[], metavar="ORG",
                         help="this organisation is Veilig Thuis (when the records do not "
                              "show it)")
    command.add_argument("--local-team", action="append", default=[], metavar="ORG",
                         help="this organisation is the local team")
    command.add_argument("--serves", action="append", default=[], metavar="PATIENT",
                         help="a member the recipient serves (Patient/<id>), beside what the "
                              "care teams record")
    command.add_argument("--data", action="append", default=[], metavar="TYPE/ID",
                         help="decide on (and share) only this resource of the household "
                              "(repeatable); the rest is context")


def _codes(codesystem_id: str) -> set[str]:
    from fhir_regie.ig import codesystem_url, load_package

    system = load_package().by_url(codesystem_url(codesystem_id))
    return {c["code"] for c in system.get("concept", [])}


def _reference(option: str, value: str, *types: str) -> str:
    kind, _, rid = value.partition("/")
    if kind not in types or not rid or "/" in rid:
        raise UsageError(f"{option} {value!r}: expected {' or '.join(types)}/<id>")
    return value


def _selected(args: argparse.Namespace, resources: dict[str, Any]) -> list[Any] | None:
    """The resources named with ``--data`` (None: the whole household)."""
    if not args.data:
        return None
    chosen = []
    for value in args.data:
        kind, _, rid = value.partition("/")
        if not kind or not rid or "/" in rid:
            raise UsageError(f"--data {value!r}: expected Type/<id>")
        if value not in resources:
            raise UsageError(f"--data {value}: not in the household")
        if resources[value] not in chosen:
            chosen.append(resources[value])
    return chosen


def _inputs(args: argparse.Namespace) -> tuple[list[dict[str, Any]], Any]:
    from fhir_regie.consent import LegalClaim, Request
    from fhir_regie.workflow.household import HouseholdError
    from fhir_regie.workflow.sources import (
        SourceError,
        load_household_from_bundle,
        load_household_from_example,
    )

    if args.purpose not in _codes("regie-sharing-purpose"):
        raise UsageError(f"--purpose {args.purpose!r}: not a regie-sharing-purpose code")
    claim = None
    if args.legal_basis:
        if args.legal_basis not in _codes("regie-legal-basis") or args.legal_basis == "consent":
            raise UsageError(f"--legal-basis {args.legal_basis!r}: not a regie-legal-basis "
                             "code for sharing without consent")
        claim = LegalClaim(args.legal_basis, justification=args.justification,
                           inform_household=not args.not_informed_reason,
                           not_informed_reason=args.not_informed_reason,
                           covers_labels=tuple(args.covers_label),
                           named_recipients=tuple(_reference("--named-recipient", o,
                                                             "Organization")
                                                  for o in args.named_recipient))
    try:
        if args.bundle:
            household = load_household_from_bundle(args.bundle, args.household)
        else:
            household = load_household_from_example(args.example or "household-de-vries")
    except (SourceError, HouseholdError) as error:
        raise UsageError(str(error)) from None
    discloser = args.discloser or (household.group.get("managingEntity") or {}).get(
        "reference")
    if not discloser:
        raise UsageError("--discloser: the household records no managing organisation; "
                         "name ours")
    directory = {_reference("--vt", o, "Organization"): "vt" for o in args.vt} | {
        _reference("--local-team", o, "Organization"): "local-team" for o in args.local_team}
    request = Request(
        recipient=_reference("--recipient", args.recipient, "Organization"),
        purpose=args.purpose, at=parse_moment(args.at),
        discloser=_reference("--discloser", discloser, "Organization"),
        role=_reference("--role", args.role, "PractitionerRole") if args.role else None,
        legal_claim=claim, reporter_contact_needed=args.reporter_contact_needed,
        directory=directory,
        serves=tuple(_reference("--serves", p, "Patient") for p in args.serves))
    args.selected = _selected(args, household.resources)
    return list(household.resources.values()), request


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handler of both subcommands."""
    prefix = f"fhir-regie consent {args.consent_command}"
    try:
        resources, request = _inputs(args)
    except UsageError as error:
        print(f"{prefix}: {error}", file=err)
        return 2
    from fhir_regie.consent import decide, share

    data = getattr(args, "selected", None)
    if args.consent_command == "decide":
        decision = decide(resources, request, data=data)
        if args.format == "json":
            print(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2), file=out)
        else:
            for line in decision_lines(decision):
                print(line, file=out)
        return 1 if decision.overall == "deny" else 0
    return _write_shared(share(resources, request, data=data), Path(args.output), out, err,
                         prefix)


def _write_shared(shared: Any, output: Path, out: TextIO, err: TextIO, prefix: str) -> int:
    from fhir_regie.model import to_json
    from fhir_regie.private_files import write_private

    audit_path = output.with_name(output.name.removesuffix(".json") + ".audit.json")
    audit = {"resourceType": "Bundle", "type": "collection",
             "entry": [{"resource": to_json(event)} for event in shared.audit_events]}
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # The record of the disclosure first: a shared bundle never exists without its trail.
        # Both hold personal data (or say whom it went to): readable by the owner only.
        write_private(audit_path, json.dumps(audit, ensure_ascii=False, indent=2) + "\n")
        # FHIR allows no empty arrays: a Bundle with nothing in it has no entry element.
        bundle = shared.bundle if shared.bundle.get("entry") else {
            k: v for k, v in shared.bundle.items() if k != "entry"}
        write_private(output, json.dumps(bundle, ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        print(f"{prefix}: {output}: cannot write ({error.strerror or error.__class__.__name__})",
              file=err)
        return 2
    decision = shared.decision
    print(f"{decision.overall}: wrote {len(shared.bundle['entry'])} of "
          f"{len(decision.resources)} resource(s) to {output} and "
          f"{len(shared.audit_events)} disclosure record(s) to {audit_path}", file=out)
    return 1 if decision.overall == "deny" else 0


def decision_lines(decision: Any) -> list[str]:
    """The decision as text: a summary, then one block per resource."""
    request = decision.request
    lines = [f"{decision.overall}: {len(decision.permitted)} of {len(decision.resources)} "
             f"resource(s) may go to {request.recipient} for {request.purpose} at "
             f"{request.at.isoformat()}"]
    for verdict in decision.resources:
        if verdict.permit:
            lines.append(f"  permit  {verdict.reference}  basis {verdict.basis}")
            lines += [f"          {o.code}{' ' + o.path if o.path else ''}: {o.reason}"
                      for o in verdict.obligations]
        else:
            lines.append(f"  deny    {verdict.reference}")
            lines += [f"          {reason}" for reason in verdict.reasons]
    return lines
