"""``fhir-regie render``: a plan as an HTML or PDF document for the household or a professional.

Exit codes: 0 written, 1 the plan may not go to this audience (nothing written) or the PDF
could not be made, 2 usage or input errors (one line naming the option or file).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from fhir_regie.cli_options import UsageError, parse_moment


def register(commands: Any) -> None:
    """Add ``render`` to the ``fhir-regie`` subcommands."""
    render = commands.add_parser("render", help="a plan as HTML or PDF for the household or a "
                                                "professional")
    source = render.add_mutually_exclusive_group(required=True)
    source.add_argument("--bundle", metavar="FILE", help="a FHIR Bundle JSON file")
    source.add_argument("--example", metavar="HOUSEHOLD_ID",
                        help="an example household of the guide")
    render.add_argument("--household", metavar="ID", help="id of the household Group")
    render.add_argument("--plan", required=True, metavar="ID", help="id of the CarePlan")
    render.add_argument("--audience", required=True, choices=("household", "professional"))
    render.add_argument("--recipient", metavar="ORG", help="professional audience: the "
                        "receiving Organization/<id>")
    render.add_argument("--purpose", default="care-coordination", metavar="CODE",
                        help="professional audience: the sharing purpose (default "
                             "care-coordination)")
    render.add_argument("--role", metavar="PRACTITIONERROLE", help="the recipient's role")
    render.add_argument("--reader", action="append", default=[], metavar="PATIENT",
                        help="household audience: a member the copy is made for, "
                        "Patient/<id> (repeatable; default every active member). With the "
                        "alleged perpetrator among the readers the adversary rule applies")
    render.add_argument("--discloser", metavar="ORG", help="our organisation (default: the "
                        "household's managing organisation)")
    render.add_argument("--format", choices=("html", "pdf"),
                        help="html or pdf (default: from the suffix of -o: .html/.htm or .pdf)")
    render.add_argument("--region", default="default", help="region name or YAML file "
                        "(thresholds in the chart)")
    render.add_argument("--at", metavar="TIME", help="moment of the document: ISO date-time "
                        "(Amsterdam time when no zone) or date (noon); default now")
    render.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the document; a professional audience's disclosure records go "
                             "to OUT with .audit.json")
    render.set_defaults(handler=run)


def _resources(args: argparse.Namespace) -> list[dict[str, Any]]:
    from fhir_regie.workflow.household import HouseholdError
    from fhir_regie.workflow.sources import (
        SourceError,
        load_household_from_bundle,
        load_household_from_example,
    )

    try:
        household = load_household_from_bundle(args.bundle, args.household) if args.bundle \
            else load_household_from_example(args.example)
    except (SourceError, HouseholdError) as error:
        raise UsageError(str(error)) from None
    return list(household.resources.values())


#: The document formats by the suffix of ``-o``.
SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf"}


def output_format(output: str, chosen: str | None) -> str:
    """The format of the document: ``--format`` when given, else the suffix of ``-o``; a
    ``--format`` that contradicts a known suffix is refused (HTML bytes in ``plan.pdf`` would
    open as a broken PDF).

    Example::

        >>> output_format("plan.PDF", None), output_format("plan", "pdf")
        ('pdf', 'pdf')
    """
    by_suffix = SUFFIXES.get(Path(output).suffix.lower())
    if chosen is None:
        if by_suffix is None:
            raise UsageError(f"-o {output}: name the file .html or .pdf, or pass --format "
                             "html|pdf")
        return by_suffix
    if by_suffix is not None and by_suffix != chosen:
        raise UsageError(f"--format {chosen} does not match -o {output} (a .{by_suffix} file "
                         "name); change one of them")
    return chosen


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handler of ``fhir-regie render``."""
    from fhir_regie.render import Audience, AudienceError, PdfError, PlanNotFoundError, render_plan
    from fhir_regie.workflow.regions import RegionError, load_region

    prefix = "fhir-regie render"
    try:
        kind = output_format(args.output, args.format)
        at = parse_moment(args.at)
        region = load_region(args.region)
        resources = _resources(args)
        if args.audience == "household":
            if args.recipient:
                raise UsageError("--recipient: only for --audience professional")
            audience = Audience.household(resources, args.plan, args.reader)
        else:
            if args.reader:
                raise UsageError("--reader: only for --audience household")
            if not args.recipient:
                raise UsageError("--audience professional needs --recipient Organization/<id>")
            audience = Audience.professional(args.recipient, args.purpose, args.role)
        rendered = render_plan(resources, args.plan, audience, at=at, region=region,
                               discloser=args.discloser)
    except (UsageError, AudienceError, RegionError) as error:
        print(f"{prefix}: {error}", file=err)
        return 2
    except PlanNotFoundError:
        print(f"{prefix}: CarePlan/{args.plan} may not go to this audience (the disclosure "
              "guard holds it back); nothing written", file=err)
        return 1
    output = Path(args.output)
    try:
        data = rendered.pdf() if kind == "pdf" else rendered.html.encode("utf-8")
    except PdfError as error:
        print(f"{prefix}: {error}", file=err)
        return 1
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # The record of the disclosure first: a document never exists without its trail.
        written = [_write_audit(rendered.shared, output)] if rendered.shared.audit_events else []
        output.write_bytes(data)
        written.insert(0, output)
    except OSError as error:
        print(f"{prefix}: {output}: cannot write ({error.strerror or error.__class__.__name__})",
              file=err)
        return 2
    document = rendered.document
    print(f"wrote {output} ({kind}, {args.audience}; {document.left_out} of "
          f"{len(rendered.shared.decision.resources)} resource(s) held back by the guard)",
          file=out)
    for path in written[1:]:
        print(f"wrote {len(rendered.shared.audit_events)} disclosure record(s) to {path}",
              file=out)
    return 0


def _write_audit(shared: Any, output: Path) -> Path:
    from fhir_regie.model import to_json

    path = output.with_name(output.stem + ".audit.json")
    audit = {"resourceType": "Bundle", "type": "collection",
             "entry": [{"resource": to_json(event)} for event in shared.audit_events]}
    path.write_text(json.dumps(audit, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
