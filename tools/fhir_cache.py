"""Fill the local FHIR package cache without the FHIR package registry.

SUSHI and the HL7 validator look for FHIR packages in ``~/.fhir/packages/<name>#<version>``.
The registry that normally serves them is out of reach here, and ``hl7.fhir.r4.core#4.0.1`` is not
published on npm. HL7 does publish ``hl7.fhir.r4.examples@4.0.1`` on npm, which carries the same
conformance resources (CC0); this script assembles the core package from them (ARCHITECTURE §3).

Idempotent: a package that is complete (its marker file records the source it was built from) is
left alone, so a second run takes well under a second.

Usage::

    python3 tools/fhir_cache.py [--cache DIR] [--quiet]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Resource types that make up a FHIR core definitions package: everything a compiler or validator
# resolves by canonical url. Plain example instances stay out.
CONFORMANCE_TYPES = frozenset({
    "CapabilityStatement", "CodeSystem", "CompartmentDefinition", "ConceptMap", "NamingSystem",
    "OperationDefinition", "SearchParameter", "StructureDefinition", "StructureMap", "ValueSet",
})
MARKER = ".fhir-regie-cache.json"


class CacheError(Exception):
    """The cache could not be filled; the message says what to do."""


@dataclass(frozen=True)
class CorePackage:
    """A FHIR package assembled from the conformance resources of an npm package."""

    name: str
    version: str
    fhir_version: str
    source: str  # npm spec of the package the resources come from
    canonical: str
    title: str


R4_CORE = CorePackage(
    name="hl7.fhir.r4.core",
    version="4.0.1",
    fhir_version="4.0.1",
    source="hl7.fhir.r4.examples@4.0.1",
    canonical="http://hl7.org/fhir",
    title="FHIR R4 core definitions (assembled from the R4 examples package)",
)


@dataclass(frozen=True)
class NpmPackage:
    """A FHIR package that is published on npm as-is (same tarball layout as a FHIR package)."""

    name: str
    version: str
    # Dependencies removed from the package manifest because no pinned source for them exists
    # (see TERMINOLOGY). Recorded in the cache marker so the change is never silent.
    drop_dependencies: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        suffix = f" without {', '.join(self.drop_dependencies)}" if self.drop_dependencies else ""
        return f"{self.name}@{self.version}{suffix}"

    @property
    def npm_spec(self) -> str:
        return f"{self.name}@{self.version}"


# HL7 Terminology (THO), pinned and named in sushi-config.yaml so SUSHI resolves the THO code
# systems the guide uses (e.g. v3 confidentiality, RoleCode) from here and looks nothing up.
# THO 7.0.1 declares a dependency on hl7.fhir.uv.extensions.r4#5.2.0, which is not published on
# npm (only a ballot version is); the guide uses no extension from that pack, so the dependency
# is dropped from the cached manifest.
TERMINOLOGY = NpmPackage("hl7.terminology.r4", "7.0.1",
                         drop_dependencies=("hl7.fhir.uv.extensions.r4",))
# The reference validator's engine loads the cross-version extension definitions for R4 on its own
# (hl7.fhir.xver-extensions#0.1.0) and fails offline when they are not cached.
XVER_EXTENSIONS = NpmPackage("hl7.fhir.xver-extensions", "0.1.0")
# The official R4 examples as a FHIR package of their own: the content this project did not
# write, on which tools/agreement.py compares our validator with the HL7 reference validator.
R4_EXAMPLES = NpmPackage("hl7.fhir.r4.examples", "4.0.1")
PACKAGES = (R4_CORE, TERMINOLOGY, XVER_EXTENSIONS, R4_EXAMPLES)


def default_cache() -> Path:
    """The cache SUSHI and the HL7 validator read: ``~/.fhir/packages`` (not configurable)."""
    return Path.home() / ".fhir" / "packages"


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"fhir-cache: {message}", file=sys.stderr)


def _npm_pack(spec: str, workdir: Path) -> Path:
    """Download an npm package tarball (through the machine's npm configuration)."""
    npm = shutil.which("npm")
    if npm is None:
        raise CacheError("npm is not installed; install Node.js 20 and npm first")
    result = subprocess.run(
        [npm, "pack", spec, "--silent", "--pack-destination", str(workdir)],
        cwd=workdir, capture_output=True, text=True, timeout=900, check=False,
    )
    if result.returncode != 0:
        raise CacheError(f"npm pack {spec} failed: {result.stderr.strip().splitlines()[-1:]}")
    tarballs = sorted(workdir.glob("*.tgz"))
    if not tarballs:
        raise CacheError(f"npm pack {spec} produced no tarball")
    return tarballs[-1]


def _index_entry(filename: str, resource: dict[str, object]) -> dict[str, object]:
    entry: dict[str, object] = {"filename": filename, "resourceType": resource["resourceType"]}
    for key in ("id", "url", "version", "kind", "type", "supplements", "content"):
        if key in resource:
            entry[key] = resource[key]
    return entry


def conformance_members(tar: tarfile.TarFile) -> Iterable[tuple[str, dict[str, object]]]:
    """Yield (file name, resource) for every conformance resource in an npm package tarball."""
    for member in tar.getmembers():
        name = member.name
        if not member.isfile() or not name.startswith("package/") or not name.endswith(".json"):
            continue
        filename = name.removeprefix("package/")
        if "/" in filename or filename.startswith(".") or filename == "package.json":
            continue
        if filename.split("-", 1)[0] not in CONFORMANCE_TYPES:
            continue
        handle = tar.extractfile(member)
        if handle is None:
            continue
        resource = json.load(io.TextIOWrapper(handle, encoding="utf-8"))
        if resource.get("resourceType") in CONFORMANCE_TYPES:
            yield filename, resource


def assemble(spec: CorePackage, tarball: Path, target: Path) -> int:
    """Write ``target/package`` from the tarball; return the number of resources."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    package_dir = staging / "package"
    package_dir.mkdir(parents=True)
    index = []
    with tarfile.open(tarball, "r:gz") as tar:
        for filename, resource in conformance_members(tar):
            (package_dir / filename).write_text(
                json.dumps(resource, ensure_ascii=False), encoding="utf-8")
            index.append(_index_entry(filename, resource))
    if not index:
        raise CacheError(f"{spec.source} contains no conformance resources")
    index.sort(key=lambda entry: str(entry["filename"]))
    (package_dir / ".index.json").write_text(
        json.dumps({"index-version": 1, "files": index}, indent=1), encoding="utf-8")
    manifest = {
        "name": spec.name,
        "version": spec.version,
        "type": "Core",
        "fhirVersions": [spec.fhir_version],
        "canonical": spec.canonical,
        "title": spec.title,
        "license": "CC0-1.0",
        "tools-version": 3,
        "dependencies": {},
    }
    (package_dir / "package.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    (staging / MARKER).write_text(
        json.dumps({"source": spec.source, "sha256": digest, "resources": len(index)}),
        encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return len(index)


def unpack(spec: NpmPackage, tarball: Path, target: Path) -> int:
    """Write the npm tarball's ``package/`` folder to ``target``; return the number of files."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    count = 0
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith("package/"):
                continue
            relative = Path(member.name)
            if ".." in relative.parts or relative.is_absolute():
                raise CacheError(f"{spec.source}: unsafe path {member.name} in tarball")
            handle = tar.extractfile(member)
            if handle is None:
                continue
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(handle.read())
            count += 1
    if spec.drop_dependencies:
        manifest_path = staging / "package" / "package.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for name in spec.drop_dependencies:
            manifest.get("dependencies", {}).pop(name, None)
        manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    files = [p for p in (staging / "package").glob("*.json") if p.name != "package.json"]
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    (staging / MARKER).write_text(
        json.dumps({"source": spec.source, "sha256": digest,
                    "resources": len([p for p in files if not p.name.startswith(".")])}),
        encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return count


def is_complete(spec: CorePackage | NpmPackage, target: Path) -> bool:
    marker = target / MARKER
    if not marker.exists() or not (target / "package" / "package.json").exists():
        return False
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    if recorded.get("source") != spec.source:
        return False
    files = len([p for p in (target / "package").glob("*.json")
                 if p.name != "package.json" and not p.name.startswith(".")])
    return bool(files == recorded.get("resources"))


def ensure(spec: CorePackage | NpmPackage, cache: Path, quiet: bool = False) -> Path:
    """Make sure ``spec`` is complete in ``cache``; return its folder."""
    target = cache / f"{spec.name}#{spec.version}"
    if is_complete(spec, target):
        _say(f"{spec.name}#{spec.version} present", quiet)
        return target
    cache.mkdir(parents=True, exist_ok=True)
    _say(f"installing {spec.name}#{spec.version} from {spec.source} (npm) ...", quiet)
    with tempfile.TemporaryDirectory(prefix="fhir-cache-") as work:
        tarball = _npm_pack(spec.npm_spec if isinstance(spec, NpmPackage) else spec.source,
                            Path(work))
        if isinstance(spec, CorePackage):
            count = assemble(spec, tarball, target)
        else:
            count = unpack(spec, tarball, target)
    _say(f"{spec.name}#{spec.version}: {count} files", quiet)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fill the FHIR package cache from npm.")
    parser.add_argument("--cache", type=Path, default=None,
                        help="package cache folder (default: ~/.fhir/packages, the one SUSHI "
                             "and the HL7 validator read)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    try:
        cache = args.cache or default_cache()
        for spec in PACKAGES:
            ensure(spec, cache, quiet=args.quiet)
    except (CacheError, OSError, subprocess.TimeoutExpired, tarfile.TarError) as error:
        print(f"fhir-cache: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
