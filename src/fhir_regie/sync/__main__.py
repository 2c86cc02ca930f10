"""``python -m fhir_regie.sync run --config FILE [--once]``: the sync worker process (the same
as ``fhir-regie sync ...``)."""

from __future__ import annotations

import sys

from fhir_regie.cli import main

if __name__ == "__main__":
    sys.exit(main(["sync", *sys.argv[1:]]))
