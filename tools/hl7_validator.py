"""Run the HL7 FHIR reference validator offline over many files in one JVM.

The validator (``org.hl7.fhir.validation``, pinned in ``tools/hl7/pom.xml``) comes from Maven
Central; ``tools/hl7/src/main/java/.../RegieValidator.java`` is our runner around its core
InstanceValidator: R4 core from the local package cache (``tools/fhir_cache.py``), our IG from
its package tarball, no terminology server. The first call compiles the runner and resolves the
classpath with Maven (printing progress); later calls reuse ``tools/hl7/target``.

Python use::

    from tools import hl7_validator
    ready, reason = hl7_validator.available()
    results = hl7_validator.validate([Path("x.json")], Path("dist/nl.fhir-regie.r4-0.2.0.tgz"))

Command line::

    python3 tools/hl7_validator.py --ig dist/nl.fhir-regie.r4-0.2.0.tgz FILE... [--json OUT]

prints ``file: severity location: message`` per error or warning and exits 1 when any file has
errors (2 when the validator cannot run).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "hl7"
TARGET = PROJECT / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
RUNNER_CLASS = "nl.fhirregie.hl7.RegieValidator"
SOURCES = PROJECT / "src" / "main" / "java"
RUNNER_COMPILED = TARGET / "classes" / "nl" / "fhirregie" / "hl7" / "RegieValidator.class"
ERROR_LEVELS = frozenset({"error", "fatal"})


class ValidatorUnavailableError(Exception):
    """Java, Maven or the validator's dependencies cannot be had here."""


@dataclass(frozen=True)
class Issue:
    """One message of the reference validator."""

    severity: str  # fatal | error | warning | information
    message: str
    location: str
    message_id: str | None = None
    invariant: str | None = None
    line: int | None = None
    details: tuple[str, ...] = ()  # the validator's nested reasons (slice or reference matching)

    @property
    def is_error(self) -> bool:
        return self.severity in ERROR_LEVELS


def available() -> tuple[bool, str]:
    """Whether the validator can run here, and if not, why (Java and Maven on the PATH)."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            return False, f"{tool} is not installed"
    if not (PROJECT / "pom.xml").exists():
        return False, f"{PROJECT / 'pom.xml'} is missing"
    return True, ""


def _stale() -> bool:
    if not CLASSPATH_FILE.exists() or not RUNNER_COMPILED.exists():
        return True
    inputs = [PROJECT / "pom.xml", *SOURCES.rglob("*.java")]
    return RUNNER_COMPILED.stat().st_mtime < max(p.stat().st_mtime for p in inputs)


def prepare(quiet: bool = False) -> str:
    """Compile the runner and resolve the classpath when needed; return the java classpath."""
    ready, reason = available()
    if not ready:
        raise ValidatorUnavailableError(reason)
    if _stale():
        if not quiet:
            print("hl7-validator: resolving the reference validator with Maven (first run) ...",
                  file=sys.stderr)
        result = subprocess.run(
            ["mvn", "-q", "-B", "-f", str(PROJECT / "pom.xml"),
             "compile", "dependency:build-classpath"],
            capture_output=True, text=True, timeout=1800, check=False,
        )
        if result.returncode != 0 or not CLASSPATH_FILE.exists():
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise ValidatorUnavailableError(f"Maven could not build the validator runner:\n{tail}")
    return f"{TARGET / 'classes'}:{CLASSPATH_FILE.read_text(encoding='utf-8').strip()}"


def _timings(stderr: str) -> dict[str, float]:
    """Start-up and warm validation seconds from the runner's progress lines."""
    found: dict[str, float] = {}
    ready = re.search(r"hl7-validator: ready in ([\d.]+) s", stderr)
    loop = re.search(r"\(validation ([\d.]+) s\)", stderr)
    if ready:
        found["startup"] = float(ready.group(1))
    if loop:
        found["validation"] = float(loop.group(1))
    return found


def validate(paths: list[Path], package_tgz: Path, quiet: bool = False,
             timings: dict[str, float] | None = None) -> dict[str, list[Issue]]:
    """Validate every file in one JVM; return issues keyed by the file's absolute path.

    ``timings``, when given, receives ``startup`` (JVM, packages, IG) and ``validation`` (the
    warm loop over the files) in seconds, as the runner measured them.
    Raises ``ValidatorUnavailableError`` when the validator cannot run at all.
    """
    if not package_tgz.exists():
        raise ValidatorUnavailableError(
            f"IG package {package_tgz} not found (run `fhir-regie ig build`)")
    classpath = prepare(quiet=quiet)
    with tempfile.TemporaryDirectory(prefix="hl7-validator-") as work:
        out = Path(work) / "result.json"
        listing = Path(work) / "files.txt"
        # A file list keeps the command line short however many files there are.
        listing.write_text("\n".join(str(p.resolve()) for p in paths), encoding="utf-8")
        result = subprocess.run(
            ["java", "-Xmx4g", "-cp", classpath, RUNNER_CLASS, "--ig", str(package_tgz.resolve()),
             "--out", str(out), "--files", str(listing)],
            capture_output=True, text=True, timeout=3600, check=False,
        )
        if result.returncode != 0 or not out.exists():
            lines = [line for line in result.stderr.splitlines() if not line.startswith("\tat ")]
            raise ValidatorUnavailableError(
                "the reference validator failed:\n" + "\n".join(lines[-15:]))
        if timings is not None:
            timings.update(_timings(result.stderr))
        if not quiet:
            for line in result.stderr.splitlines():
                if line.startswith("hl7-validator:"):
                    print(line, file=sys.stderr)
        raw = json.loads(out.read_text(encoding="utf-8"))
    return {
        path: [
            Issue(
                severity=str(item.get("severity")),
                message=str(item.get("message")),
                location=str(item.get("location") or ""),
                message_id=item.get("messageId"),
                invariant=item.get("invariant"),
                line=item.get("line"),
                details=tuple(item.get("details") or ()),
            )
            for item in items
        ]
        for path, items in raw.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the HL7 reference validator offline.")
    parser.add_argument("--ig", type=Path, required=True, help="the IG package tarball")
    parser.add_argument("--json", type=Path, help="also write all issues as JSON to this file")
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    try:
        results = validate(args.files, args.ig, quiet=args.quiet)
    except (ValidatorUnavailableError, subprocess.TimeoutExpired) as error:
        print(f"hl7-validator: {error}", file=sys.stderr)
        return 2
    failed = 0
    for path in sorted(results):
        issues = results[path]
        shown = [i for i in issues if i.is_error or (not args.quiet and i.severity == "warning")]
        for issue in shown:
            print(f"{path}: {issue.severity} {issue.location}: {issue.message}")
        failed += any(i.is_error for i in issues)
    if args.json:
        args.json.write_text(json.dumps(
            {p: [i.__dict__ for i in issues] for p, issues in results.items()}, indent=1),
            encoding="utf-8")
    print(f"hl7-validator: {len(results)} files, {failed} with errors", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
