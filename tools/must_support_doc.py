"""Refresh the must-support and required lines of docs/ig/must-support.md from the compiled
package: the snapshot's elements marked mustSupport, and the differential's elements with a
minimum of 1 or more (what the guide requires beyond R4 core). The prose under each profile
stays; a new profile gets a section of its own. Run after ``fhir-regie ig build`` when
tests/ig/test_must_support_doc.py reports drift:

    .venv/bin/python tools/must_support_doc.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fhir_regie.ig import load_package  # noqa: E402

DOC = ROOT / "docs" / "ig" / "must-support.md"


def _path(element: dict[str, Any]) -> str:
    return element["id"].split(".", 1)[1]


def must_support(sd: dict[str, Any]) -> list[str]:
    return [_path(e) for e in sd["snapshot"]["element"] if "." in e["id"] and e.get("mustSupport")]


def required(sd: dict[str, Any]) -> list[str]:
    return [_path(e) for e in sd["differential"]["element"]
            if "." in e["id"] and e.get("min", 0) >= 1]


def _listed(names: list[str], empty: str) -> str:
    return ", ".join(f"`{name}`" for name in names) or empty


def main() -> None:
    head, *sections = DOC.read_text(encoding="utf-8").split("\n## ")
    by_profile = {}
    for section in sections:
        found = re.match(r"`([^`]+)`", section)
        if found:
            by_profile[found.group(1)] = section
    profiles = sorted((r for r in load_package().conformance.values()
                       if r["resourceType"] == "StructureDefinition" and r.get("kind") == "resource"
                       and r.get("derivation") == "constraint"), key=lambda r: r["id"])
    out = []
    for sd in profiles:
        section = by_profile.get(sd["id"]) or \
            f"`{sd['id']}` ({sd['type']})\n\n- must-support:\n- required:\n"
        lines = []
        for line in section.split("\n"):
            if line.startswith("- must-support:"):
                lines.append(f"- must-support: {_listed(must_support(sd), 'none')}")
            elif line.startswith("- required:"):
                lines.append(f"- required: {_listed(required(sd), 'nothing beyond R4 core')}")
            else:
                lines.append(line)
        out.append("\n".join(lines))
    text = head + "".join("\n## " + section for section in out)
    DOC.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    print(f"must-support.md: {len(profiles)} profiles")


if __name__ == "__main__":
    main()
