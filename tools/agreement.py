"""Agreement of `fhir-regie validate` with the HL7 reference validator on content we did not write.

The content is the complete official R4 examples package (``hl7.fhir.r4.examples#4.0.1``, every
resource file in it, conformance resources included), which ``tools/fhir_cache.py`` puts in the
local FHIR package cache. The HL7 validator (``tools/hl7_validator.py``: offline, warm JVM, no
terminology server) runs over it once; its verdict per file and the locations and message ids of
its errors go into a committed recording, ``tests/ig/agreement/r4-examples.json``. Errors that
only say the validator ran offline are left out of the recording, each kind named in
``OFFLINE`` with the reason. ``tests/ig/test_official_examples.py`` then compares our validator
with the recording on every CI run, in Python only.

Usage::

    python tools/agreement.py record                  # run HL7 (minutes), write the recording
    python tools/agreement.py record --raw A.json ...  # from saved `hl7_validator.py --json` runs
    python tools/agreement.py record --raw A.json --merge  # add some files to the recording
    python tools/agreement.py compare                 # ours against the recording (Python only)
    python tools/agreement.py compare --update        # ... and write ours' differences into it

``record`` keeps HL7's side only; ``compare --update`` stores which files disagree and the
measured agreement, the floor the test holds us to.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RECORDING = ROOT / "tests" / "ig" / "agreement" / "r4-examples.json"
PACKAGE = "hl7.fhir.r4.examples#4.0.1"

#: HL7 errors that say only that the validator ran offline, without a terminology server and
#: without the rest of the world: no verdict on the content, so not recorded. Each kind:
#: (message id, None or a regex its message must match, why it is an artefact).
OFFLINE: dict[str, tuple[str, str | None, str]] = {
    "unresolvable-reference": (
        "Reference_REF_CantResolve", None,
        "a reference to a resource that is not in the package (the official examples refer "
        "to many that were never published); the runner resolves only between its files"),
    "url-not-fetched": (
        "Type_Specific_Checks_DT_URL_Resolve", None,
        "a url the validator would fetch to see that it resolves; offline nothing does"),
    "no-terminology-server": (
        "Terminology_TX_NoValid_16",
        r"ValueSet/(currencies|mimetypes|ucum-units|jurisdiction)\b",
        "a required binding to a value set only a terminology server can expand (ISO 4217 "
        "currencies, BCP-13 MIME types, UCUM, ISO 3166); offline every code fails"),
    "uri-as-code-system": (
        "", r"in the CodeSystem 'urn:ietf:rfc:3986'",
        "a code looked up in the IETF URI 'code system', which only a terminology server "
        "could answer"),
    "no-cql-translator": (
        "MEASURE_M_CRITERIA_CQL_NO_LIB", None,
        "CQL: the runner has no CQL libraries or translator"),
}


def examples_folder() -> Path:
    """The unpacked official examples package (``tools/fhir_cache.py`` fills it)."""
    return Path.home() / ".fhir" / "packages" / PACKAGE / "package"


def example_files(folder: Path | None = None) -> list[Path]:
    """Every resource file of the examples package (not package.json, not the indexes)."""
    folder = folder or examples_folder()
    return sorted(p for p in folder.glob("*.json")
                  if p.name not in ("package.json", "ig-r4.json") and not p.name.startswith("."))


def _offline(message_id: str | None, message: str) -> str | None:
    """The OFFLINE key that explains an HL7 error, or None when it counts."""
    for key, (wanted, pattern, _) in OFFLINE.items():
        if wanted and wanted != message_id:
            continue
        if pattern is None or re.search(pattern, message):
            return key
    return None


def hl7_record(raw: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The recording's HL7 side from ``hl7_validator`` results (file path -> issues)."""
    files: dict[str, list[str]] = {}
    ignored: Counter[str] = Counter()
    for path, issues in sorted(raw.items()):
        errors = []
        for found in issues:
            if found.get("severity") not in ("error", "fatal"):
                continue
            reason = _offline(found.get("message_id") or found.get("messageId"),
                              str(found.get("message", "")))
            if reason is not None:
                ignored[reason] += 1
                continue
            location = re.sub(r"/\*[^*]*\*/", "", str(found.get("location") or ""))
            errors.append(f"{location} {found.get('message_id') or found.get('messageId')}")
        files[Path(path).name] = sorted(set(errors))
    return {"files": files, "ignored": dict(sorted(ignored.items()))}


def ours_verdicts(files: list[Path]) -> tuple[dict[str, list[str]], float]:
    """Our errors per file (``location message-id``) and the seconds it took."""
    from fhir_regie.validation import validate_source

    found: dict[str, list[str]] = {}
    started = time.perf_counter()
    for path in files:
        outcome = validate_source(path.read_bytes())
        found[path.name] = sorted({
            f"{i['expression'][0]} {i['details']['coding'][0]['code']}"
            for i in outcome["issue"] if i["severity"] in ("error", "fatal")})
    return found, time.perf_counter() - started


def compare(recording: dict[str, Any], ours: dict[str, list[str]]) -> dict[str, Any]:
    """Same verdict (has errors or not) per file; the files that differ, by direction."""
    hl7 = recording["files"]
    names = sorted(set(hl7) & set(ours))
    false_errors = [n for n in names if ours[n] and not hl7[n]]
    missed = [n for n in names if hl7[n] and not ours[n]]
    same = len(names) - len(false_errors) - len(missed)
    return {"files": len(names), "same": same,
            "percent": round(100.0 * same / len(names), 2) if names else 0.0,
            "falseErrors": false_errors, "missedErrors": missed}


def _merge(added: dict[str, Any]) -> int:
    """Add HL7 results for some files (the Bundles one run could not finish, run one at a
    time) to the committed recording."""
    recording = json.loads(RECORDING.read_text(encoding="utf-8"))
    recording["files"].update(added["files"])
    ignored = Counter(recording.get("ignored", {}))
    ignored.update(added["ignored"])
    recording["ignored"] = dict(sorted(ignored.items()))
    pending = recording.get("notRecorded")
    if pending:
        pending["files"] = [f for f in pending["files"] if f not in added["files"]]
        if not pending["files"]:
            del recording["notRecorded"]
    RECORDING.write_text(json.dumps(recording, indent=0, sort_keys=True) + "\n",
                         encoding="utf-8")
    left = len(recording.get("notRecorded", {}).get("files", []))
    print(f"agreement: added {len(added['files'])} files; {len(recording['files'])} recorded, "
          f"{left} not recorded")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    record = sub.add_parser("record", help="run the HL7 validator and write the recording")
    record.add_argument("--raw", type=Path, nargs="*",
                        help="saved `hl7_validator.py --json` outputs instead of a new run")
    record.add_argument("--ig", type=Path, default=ROOT / "dist" / "nl.fhir-regie.r4-0.1.0.tgz")
    record.add_argument("--partial", metavar="WHY",
                        help="with --raw: record the files HL7 has results for, and name the "
                        "others with this reason (default: every file needs a result)")
    record.add_argument("--merge", action="store_true",
                        help="with --raw: add these files' results to the existing recording "
                        "(replacing theirs, taking them off notRecorded); the rest is kept")
    check = sub.add_parser("compare", help="our validator against the recording")
    check.add_argument("--update", action="store_true",
                       help="store the differences and the agreement level in the recording")
    check.add_argument("--show", type=int, default=0, help="list this many differences")
    args = parser.parse_args(argv)
    files = example_files()
    if not files:
        print(f"agreement: {PACKAGE} not in the FHIR package cache; run "
              "`python tools/fhir_cache.py`", file=sys.stderr)
        return 2
    if args.command == "record":
        if args.raw:
            raw: dict[str, list[dict[str, Any]]] = {}
            for part in args.raw:
                raw.update(json.loads(part.read_text(encoding="utf-8")))
        else:
            sys.path.insert(0, str(ROOT))
            from tools import hl7_validator

            timings: dict[str, float] = {}
            results = hl7_validator.validate(files, args.ig, timings=timings)
            raw = {p: [i.__dict__ for i in issues] for p, issues in results.items()}
            print(f"agreement: HL7 validator {timings}", file=sys.stderr)
        if args.merge:
            if not args.raw:
                print("agreement: --merge needs --raw", file=sys.stderr)
                return 2
            return _merge(hl7_record(raw))
        missing = {p.name for p in files} - {Path(p).name for p in raw}
        if missing and not args.partial:
            print(f"agreement: {len(missing)} files without HL7 results, e.g. "
                  f"{sorted(missing)[:3]}", file=sys.stderr)
            return 1
        recorded = {"package": PACKAGE, "validator": "HL7 org.hl7.fhir.validation "
                    "(tools/hl7/pom.xml), offline, no terminology server",
                    "offline": {key: why for key, (_, _, why) in OFFLINE.items()},
                    **hl7_record(raw)}
        if missing:
            recorded["notRecorded"] = {"why": args.partial, "files": sorted(missing)}
        RECORDING.parent.mkdir(parents=True, exist_ok=True)
        RECORDING.write_text(json.dumps(recorded, indent=0, sort_keys=True) + "\n",
                             encoding="utf-8")
        with_errors = sum(1 for v in recorded["files"].values() if v)
        print(f"agreement: recorded {len(recorded['files'])} files, {with_errors} with errors")
        return 0
    recording = json.loads(RECORDING.read_text(encoding="utf-8"))
    ours, seconds = ours_verdicts([p for p in files if p.name in recording["files"]])
    result = compare(recording, ours)
    print(f"agreement: {result['files']} files, same verdict on {result['same']} "
          f"({result['percent']} %); {len(result['falseErrors'])} false errors, "
          f"{len(result['missedErrors'])} missed; ours {seconds:.1f} s")
    for name in (result["falseErrors"] + result["missedErrors"])[:args.show]:
        print(f"  {name}: ours {ours[name][:3]} HL7 {recording['files'][name][:3]}")
    if args.update:
        recording["agreement"] = result
        RECORDING.write_text(json.dumps(recording, indent=0, sort_keys=True) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
