"""Compile the FSH sources into the FHIR package and the library's package data.

``profiles/`` and ``terminology/`` are assembled into a temporary SUSHI project (SUSHI reads
``input/fsh`` of a project folder), compiled with snapshots, and written to

* ``src/fhir_regie/ig/package/`` — conformance resources, ``package.json``, ``.index.json``;
  ``example/`` holds the example instances (committed, so ``pip install`` needs no Node);
* ``dist/<id>-<version>.tgz`` — the FHIR NPM package EHR vendors load into their servers.

Output is byte-for-byte reproducible, so ``--check`` can tell whether the committed package data
matches the sources (CI fails on drift).

Example::

    fhir-regie ig build            # compile and write
    fhir-regie ig build --check    # exit 1 when the committed package data is stale
"""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

CONFORMANCE_TYPES = frozenset({
    "CapabilityStatement", "CodeSystem", "ConceptMap", "ImplementationGuide", "NamingSystem",
    "OperationDefinition", "SearchParameter", "StructureDefinition", "ValueSet",
})
SOURCE_FOLDERS = ("profiles", "terminology")
# SUSHI warnings that are expected here and harmless (see docs/development.md): the FSHOnly
# notice, and the automatically-provided packages that no registry we can reach publishes.
EXPECTED_WARNINGS = (
    re.compile(r"The FSHOnly property is set to true"),
    re.compile(r"Failed to load automatically-provided hl7\.fhir\.uv\.tools\.r4#latest"),
    re.compile(r"Failed to load automatically-provided hl7\.fhir\.uv\.extensions\.r4#latest"),
)


class BuildError(Exception):
    """The guide could not be built; the message says why, in one or a few lines."""


@dataclass(frozen=True)
class IGConfig:
    """What the build needs from sushi-config.yaml."""

    id: str
    version: str
    canonical: str
    fhir_version: str
    title: str
    description: str
    license: str
    # Release metadata for package.json (optional in the config; empty when absent).
    date: str = ""
    jurisdiction: str = ""
    publisher: str = ""
    publisher_url: str = ""
    publisher_email: str = ""


def project_root(start: Path | None = None) -> Path:
    """The source checkout: the nearest folder upwards holding sushi-config.yaml."""
    candidates = [start or Path.cwd(), Path(__file__).resolve()]
    for candidate in candidates:
        for folder in [candidate, *candidate.parents]:
            if (folder / "sushi-config.yaml").is_file() and (folder / "profiles").is_dir():
                return folder
    raise BuildError("no sushi-config.yaml found: run this in a fhir-regie source checkout")


def _jurisdiction(value: Any) -> str:
    """``urn:iso:std:iso:3166#NL "Netherlands"`` (FSH coding) -> ``urn:iso:std:iso:3166#NL``."""
    if not value:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).split(" ", 1)[0].strip()


def _package_date(value: Any) -> str:
    """A config date (``2026-12-03``) as the package.json date, ``YYYYMMDDhhmmss``."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) < 8:
        raise BuildError(f"sushi-config.yaml: date {value!r} is not a date (YYYY-MM-DD)")
    return (digits + "000000")[:14]


def read_config(path: Path) -> IGConfig:
    """Read sushi-config.yaml: the guide's identity and its release metadata."""
    import yaml

    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise BuildError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(values, dict):
        raise BuildError(f"{path}: not a mapping of settings")
    publisher = values.get("publisher") or {}
    if isinstance(publisher, str):
        publisher = {"name": publisher}
    try:
        return IGConfig(
            id=str(values["id"]), version=str(values["version"]),
            canonical=str(values["canonical"]), fhir_version=str(values["fhirVersion"]),
            title=" ".join(str(values.get("title", values["id"])).split()),
            description=" ".join(str(values.get("description", "")).split()),
            license=str(values.get("license", "")),
            date=_package_date(values.get("date")),
            jurisdiction=_jurisdiction(values.get("jurisdiction")),
            publisher=str(publisher.get("name", "")),
            publisher_url=str(publisher.get("url", "")),
            publisher_email=str(publisher.get("email", "")),
        )
    except KeyError as missing:
        raise BuildError(f"{path}: missing {missing.args[0]}") from None


def fsh_sources(root: Path) -> list[Path]:
    """Every FSH file of the guide, in a stable order."""
    files: list[Path] = []
    for folder in SOURCE_FOLDERS:
        files.extend(sorted((root / folder).rglob("*.fsh")))
    if not files:
        raise BuildError(f"no FSH sources under {', '.join(SOURCE_FOLDERS)} in {root}")
    return files


def flat_name(root: Path, source: Path) -> str:
    """File name inside input/fsh: the relative path, each part percent-encoded and joined by
    ``%2F``, so two different paths never get the same name."""
    return "%2F".join(quote(part, safe="") for part in source.relative_to(root).parts)


def assemble_project(root: Path, target: Path) -> None:
    """Lay out a SUSHI project in ``target`` from the guide's sources."""
    fsh = target / "input" / "fsh"
    fsh.mkdir(parents=True)
    shutil.copyfile(root / "sushi-config.yaml", target / "sushi-config.yaml")
    for source in fsh_sources(root):
        shutil.copyfile(source, fsh / flat_name(root, source))


def sushi_problems(output: str) -> tuple[list[str], list[str], int]:
    """(errors, unexpected warnings, expected warnings) from SUSHI's log.

    Errors and unexpected warnings come with the file and line SUSHI names.
    """
    errors: list[str] = []
    warnings: list[str] = []
    expected = 0
    lines = output.splitlines()
    for position, line in enumerate(lines):
        kind = "error" if line.startswith("error ") else "warn" if line.startswith("warn ") else ""
        if not kind:
            continue
        where = [ln.strip() for ln in lines[position + 1:position + 3]
                 if ln.strip().startswith(("File:", "Line:"))]
        text = " ".join([line, *where])
        if kind == "error":
            errors.append(text)
        elif any(pattern.search(line) for pattern in EXPECTED_WARNINGS):
            expected += 1
        else:
            warnings.append(text)
    return errors, warnings, expected


def run_sushi(sushi: Path, project: Path, say: Callable[[str], None]) -> None:
    if not sushi.exists():
        raise BuildError(f"SUSHI not found at {sushi}: run `npm ci` in the source checkout")
    say("compiling FSH with SUSHI (snapshots on) ...")
    result = subprocess.run(
        [str(sushi), "build", str(project), "-s"],
        capture_output=True, text=True, timeout=900, check=False,
    )
    output = result.stdout + result.stderr
    errors, warnings, expected = sushi_problems(output)
    if result.returncode != 0 or errors:
        shown = errors or output.strip().splitlines()[-10:]
        raise BuildError("SUSHI failed:\n  " + "\n  ".join(shown))
    if warnings:
        raise BuildError("SUSHI warnings (fix them or list them as expected):\n  "
                         + "\n  ".join(warnings))
    say(f"SUSHI: 0 errors, 0 warnings besides {expected} expected ones (docs/development.md)")


def _dump(resource: Any) -> str:
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def _index(entries: Iterable[tuple[str, dict[str, Any]]]) -> str:
    files = []
    for filename, resource in sorted(entries, key=lambda item: item[0]):
        entry: dict[str, Any] = {"filename": filename, "resourceType": resource["resourceType"],
                                 "id": resource.get("id")}
        for key in ("url", "version", "kind", "type"):
            if key in resource:
                entry[key] = resource[key]
        files.append(entry)
    return json.dumps({"index-version": 1, "files": files}, indent=2) + "\n"


def manifest(config: IGConfig) -> dict[str, Any]:
    """package.json as the FHIR NPM package conventions describe it: identity (name, version,
    canonical, url), FHIR version and dependencies, licence, jurisdiction, who publishes it and
    the release date. Keys appear only when the config has a value for them."""
    data: dict[str, Any] = {
        "name": config.id,
        "version": config.version,
        "canonical": config.canonical,
        "url": config.canonical,
        "title": config.title,
        "description": config.description,
        "fhirVersions": [config.fhir_version],
        "type": "IG",
        "license": config.license,
        "date": config.date,
        "jurisdiction": config.jurisdiction,
        "author": config.publisher,
        "dependencies": {"hl7.fhir.r4.core": config.fhir_version},
    }
    if config.publisher:
        maintainer = {"name": config.publisher, "url": config.publisher_url,
                      "email": config.publisher_email}
        data["maintainers"] = [{key: value for key, value in maintainer.items() if value}]
    data["keywords"] = ["fhir", "r4", "nl", "1Gezin1Plan1Regisseur", "Meldcode", "Veilig Thuis"]
    return {key: value for key, value in data.items() if value not in ("", None)}


def render_package(generated: Path, config: IGConfig) -> dict[str, str]:
    """Relative path -> file text for the package data (conformance + ``example/``)."""
    files: dict[str, str] = {}
    conformance: list[tuple[str, dict[str, Any]]] = []
    examples: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(generated.glob("*.json")):
        resource = json.loads(path.read_text(encoding="utf-8"))
        filename = f"{resource['resourceType']}-{resource['id']}.json"
        if resource["resourceType"] in CONFORMANCE_TYPES:
            conformance.append((filename, resource))
            files[filename] = _dump(resource)
        else:
            examples.append((filename, resource))
            files[f"example/{filename}"] = _dump(resource)
    files["package.json"] = json.dumps(manifest(config), indent=2, ensure_ascii=False) + "\n"
    files[".index.json"] = _index(conformance)
    files["example/.index.json"] = _index(examples)
    return files


def write_tarball(files: dict[str, str], target: Path) -> None:
    """A reproducible FHIR NPM package: sorted entries, fixed times and owners."""
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for relative in sorted(files):
            data = files[relative].encode("utf-8")
            info = tarfile.TarInfo(f"package/{relative}")
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    with target.open("wb") as handle, gzip.GzipFile(
        filename="", mode="wb", fileobj=handle, mtime=0
    ) as gz:
        gz.write(raw.getvalue())


def drift(files: dict[str, str], folder: Path) -> list[str]:
    """Files that differ between a fresh build and ``folder`` (missing, changed or stale)."""
    existing = {
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
    } if folder.exists() else set()
    def differs(name: str) -> bool:
        path = folder / name
        return not path.is_file() or path.read_text(encoding="utf-8") != files[name]

    changed = [name for name in sorted(files) if differs(name)]
    return changed + sorted(existing - set(files))


def write_package(files: dict[str, str], folder: Path) -> None:
    for stale in drift(files, folder):
        if stale not in files:
            (folder / stale).unlink()
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def installed_package_files() -> dict[str, str]:
    """Relative path -> text of the package data installed with the library (no SUSHI)."""
    from importlib import resources

    folder = resources.files("fhir_regie.ig") / "package"
    files: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        for entry in node.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".json"):
                files[f"{prefix}{entry.name}"] = entry.read_text(encoding="utf-8")

    walk(folder, "")
    if "package.json" not in files:
        raise BuildError("the package data of this install has no package.json")
    return files


def write_installed_package(folder: Path) -> Path:
    """Write the FHIR NPM package (``<id>-<version>.tgz``) of the installed guide to
    ``folder``: the same bytes ``fhir-regie ig build`` writes to ``dist/``."""
    files = installed_package_files()
    manifest_data = json.loads(files["package.json"])
    target = folder / f"{manifest_data['name']}-{manifest_data['version']}.tgz"
    try:
        write_tarball(files, target)
    except OSError as error:
        raise BuildError(f"cannot write {target}: {error.strerror or error}") from None
    return target


def build(root: Path, check: bool, sushi: Path | None, out: TextIO) -> int:
    """Compile the guide; with ``check`` compare instead of writing. Returns an exit code."""

    def say(message: str) -> None:
        print(f"ig build: {message}", file=out, flush=True)

    config = read_config(root / "sushi-config.yaml")
    package_folder = root / "src" / "fhir_regie" / "ig" / "package"
    with tempfile.TemporaryDirectory(prefix="fhir-regie-ig-") as work:
        project = Path(work) / "project"
        assemble_project(root, project)
        run_sushi(sushi or root / "node_modules" / ".bin" / "sushi", project, say)
        files = render_package(project / "fsh-generated" / "resources", config)
    tarball = root / "dist" / f"{config.id}-{config.version}.tgz"
    write_tarball(files, tarball)
    conformance = sum(1 for name in files if "/" not in name and not name.startswith(".")) - 1
    examples = sum(1 for name in files if name.startswith("example/") and name.endswith(".json")
                   and not name.endswith(".index.json"))
    if check:
        stale = drift(files, package_folder)
        if stale:
            say("generated IG is out of date (run `fhir-regie ig build`): " + ", ".join(stale[:20])
                + (f" and {len(stale) - 20} more" if len(stale) > 20 else ""))
            return 1
        say(f"package data up to date ({conformance} conformance resources, {examples} examples)")
        return 0
    write_package(files, package_folder)
    say(f"wrote {conformance} conformance resources and {examples} examples to "
        f"{package_folder.relative_to(root)} and {tarball.relative_to(root)}")
    return 0
