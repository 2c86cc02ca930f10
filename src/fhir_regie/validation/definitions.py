"""The definitions a resource is validated against: the guide, R4 core's own profiles and
extensions, and any other FHIR package the caller loads.

The guide alone knows nothing of what partners send: a Patient claiming an nl-core profile, an
Observation claiming R4 core's ``vitalsigns``, a core extension such as ``patient-birthPlace``.
``with_core(package)`` adds R4 core's profiles and extensions (``r4definitions.json``, written
by ``tools/core_subset.py``) to a guide package; ``load_packages(specs)`` reads other FHIR
packages, each a ``.tgz`` file or ``NAME#VERSION`` from the local FHIR package cache
(``~/.fhir/packages``), and ``with_packages`` merges them in. The guide's own definitions win
where urls collide; then R4 core's; then the loaded packages in the order given.

Example::

    >>> from fhir_regie.ig import load_package
    >>> merged = with_core(load_package())
    >>> merged.conformance["http://hl7.org/fhir/StructureDefinition/vitalsigns"]["type"]
    'Observation'
"""

from __future__ import annotations

import io
import json
import tarfile
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fhir_regie.ig import IGPackage

Resource = dict[str, Any]

#: Resource types a validator resolves by canonical url; examples in a package stay out.
CONFORMANCE_TYPES = frozenset({"StructureDefinition", "ValueSet", "CodeSystem"})
#: The marker on a merged package, so that merging twice is a no-op.
_MERGED = "_fhir_regie_with_core"


class PackageLoadError(Exception):
    """A package named with ``--package`` cannot be read; the message says which and why."""


@cache
def core_definitions() -> dict[str, Resource]:
    """R4 core's profiles and extensions by url (snapshots cut down to what validation reads)."""
    text = resources.files("fhir_regie.validation").joinpath("r4definitions.json").read_text(
        "utf-8")
    found: dict[str, Resource] = json.loads(text)["definitions"]
    return found


def is_merged(package: IGPackage) -> bool:
    return bool(package.manifest.get(_MERGED))


def with_core(package: IGPackage, extra: tuple[IGPackage, ...] = ()) -> IGPackage:
    """The guide ``package`` with R4 core's profiles and extensions and the ``extra``
    packages' conformance resources added (the guide's own win). Merging a merged package
    again returns it unchanged when there is nothing extra."""
    if is_merged(package) and not extra:
        return package
    if not extra:
        known = package.__dict__.get(_MERGED)  # merged once per package object, then kept
        if known is not None:
            return known  # type: ignore[no-any-return]
    conformance: dict[str, Resource] = {}
    for other in reversed(extra):
        conformance.update(other.conformance)
    conformance.update(core_definitions())
    conformance.update(package.conformance)
    manifest = {**package.manifest, _MERGED: True}
    merged = replace(package, manifest=manifest, conformance=conformance, expansions={})
    if not extra:
        package.__dict__[_MERGED] = merged
    return merged


def _add(package: IGPackage, resource: Any) -> None:
    if isinstance(resource, dict) and resource.get("resourceType") in CONFORMANCE_TYPES \
            and isinstance(resource.get("url"), str):
        package.conformance.setdefault(resource["url"].split("|", 1)[0], resource)


def _from_tarball(path: Path) -> IGPackage:
    package = IGPackage(manifest={"name": path.name, "version": ""})
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar.getmembers():
                name = member.name
                if not member.isfile() or not name.endswith(".json") or \
                        not name.startswith("package/") or name.count("/") != 1:
                    continue
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                try:
                    resource = json.load(io.TextIOWrapper(handle, encoding="utf-8"))
                except (ValueError, UnicodeDecodeError):
                    continue  # not a resource of ours to judge; the package's own problem
                if name == "package/package.json" and isinstance(resource, dict):
                    package.manifest = resource
                else:
                    _add(package, resource)
    except (OSError, tarfile.TarError) as failure:
        raise PackageLoadError(f"{path.name}: not a readable FHIR package "
                               f"({failure.__class__.__name__})") from None
    return package


def _from_folder(folder: Path) -> IGPackage:
    package = IGPackage(manifest={"name": folder.name, "version": ""})
    for path in sorted(folder.glob("*.json")):
        try:
            resource = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        if path.name == "package.json" and isinstance(resource, dict):
            package.manifest = resource
        else:
            _add(package, resource)
    return package


def load_package_spec(spec: str, cache_dir: Path | None = None) -> IGPackage:
    """One package: a ``.tgz`` file, or ``NAME#VERSION`` in the local FHIR package cache."""
    path = Path(spec)
    if spec.endswith((".tgz", ".tar.gz")) or path.is_file():
        if not path.is_file():
            raise PackageLoadError(f"{spec}: no such file")
        return _from_tarball(path)
    if "#" not in spec:
        raise PackageLoadError(f"{spec}: name a .tgz file or NAME#VERSION")
    folder = (cache_dir or Path.home() / ".fhir" / "packages") / spec / "package"
    if not folder.is_dir():
        raise PackageLoadError(f"{spec}: not in the local FHIR package cache "
                               f"({folder.parent.parent})")
    return _from_folder(folder)


def with_packages(package: IGPackage, specs: list[str] | tuple[str, ...],
                  cache_dir: Path | None = None) -> IGPackage:
    """The guide with R4 core and the packages ``specs`` names (see ``load_package_spec``)."""
    return with_core(package, tuple(load_package_spec(s, cache_dir) for s in specs))
