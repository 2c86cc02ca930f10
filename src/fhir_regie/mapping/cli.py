"""``fhir-regie map``: map a partner file to FHIR (``--to-fhir``) or FHIR to a partner file
(``--from-fhir``). Exit 0 when every record mapped, 1 when some failed (they are in the
dead-letter file), 2 on usage errors (unknown partner, unreadable input, a broken map).

Only rules, locations and counts reach the terminal; record contents go to the dead-letter file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

MAX_ERROR_LINES = 20


def register(commands: Any) -> None:
    """Add the ``map`` subcommand to the ``fhir-regie`` subparsers."""
    command = commands.add_parser("map", help="map partner records to FHIR or back")
    command.add_argument("--partner", required=True, help="partner name (a folder of mappings/)")
    direction = command.add_mutually_exclusive_group(required=True)
    direction.add_argument("--to-fhir", metavar="INPUT",
                           help="partner file (a folder of CSV files for CSV partners)")
    direction.add_argument("--from-fhir", metavar="INPUT",
                           help="FHIR Bundle(s): JSON, a JSON array or JSON lines")
    command.add_argument("-o", "--output", required=True, metavar="OUT",
                         help="to-fhir: Bundles as JSON lines; from-fhir: the partner's format "
                              "(a folder for CSV partners)")
    command.add_argument("--dead-letter", metavar="FILE",
                         help="failed records as JSON lines (default: OUT.dead-letter.jsonl)")
    command.add_argument("--mappings", metavar="DIR",
                         help="folder with the partner folders (default: $FHIR_REGIE_MAPPINGS, "
                              "mappings/ of the checkout, or the maps installed with the "
                              "package)")
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import UTC, datetime

    from fhir_regie.cli import Progress
    from fhir_regie.mapping.engine import MappingError
    from fhir_regie.mapping.files import InputError, map_file
    from fhir_regie.mapping.spec import SpecError, load_partner

    prefix = "fhir-regie map"
    direction = "to-fhir" if args.to_fhir else "from-fhir"
    source = Path(args.to_fhir or args.from_fhir)
    try:
        partner = load_partner(args.partner, Path(args.mappings) if args.mappings else None)
        if direction not in partner.directions:
            print(f"{prefix}: partner {partner.name} has no {direction} map "
                  f"(only {', '.join(partner.directions)})", file=err)
            return 2
        progress: list[Progress] = []

        def step(total: int, failed: int) -> None:
            if not progress:
                progress.append(Progress(total, err, verb="mapped"))
            progress[0].step(failed)

        summary = map_file(partner, direction, source, Path(args.output),
                           at=datetime.now(UTC),
                           dead_letter=Path(args.dead_letter) if args.dead_letter else None,
                           on_record=step)
        if progress:
            progress[0].done()
    except (SpecError, InputError, MappingError) as error:
        print(f"{prefix}: {error}", file=err)
        return 2
    except OSError as error:
        print(f"{prefix}: cannot write {error.filename} ({error.strerror})", file=err)
        return 2
    for error in summary.errors[:MAX_ERROR_LINES]:
        print(f"{prefix}: {error.one_line(str(source))}", file=err)
    if summary.failed > MAX_ERROR_LINES:
        print(f"{prefix}: ... {summary.failed - MAX_ERROR_LINES} more in the dead-letter file",
              file=err)
    print(f"{partner.name} {direction}: {summary.records_in} record(s) in, {summary.mapped} "
          f"mapped, {summary.failed} failed; output: "
          f"{', '.join(str(p) for p in summary.outputs)}; dead-letter: "
          f"{summary.dead_letter or 'none'}", file=out)
    return 1 if summary.failed else 0
