"""The compiled Regie implementation guide, shipped as package data.

The guide's identity lives in ``sushi-config.yaml``; these constants are its one Python copy
(``tests/unit/test_ig.py`` keeps the two equal). Everything else about the guide is read from the
compiled package under ``ig/package/`` (conformance resources) and ``ig/package/example/``.

Example::

    >>> from fhir_regie.ig import load_package, profile_url
    >>> package = load_package()
    >>> package.by_url(profile_url("regie-household"))["type"]
    'Group'
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

CANONICAL = "https://fhir-regie.nl/fhir"
PACKAGE_ID = "nl.fhir-regie.r4"
FHIR_VERSION = "4.0.1"

Resource = dict[str, Any]


def profile_url(profile_id: str) -> str:
    """Canonical url of a profile or extension of this guide."""
    return f"{CANONICAL}/StructureDefinition/{profile_id}"


extension_url = profile_url


def codesystem_url(codesystem_id: str) -> str:
    return f"{CANONICAL}/CodeSystem/{codesystem_id}"


def valueset_url(valueset_id: str) -> str:
    return f"{CANONICAL}/ValueSet/{valueset_id}"


class MissingPackageDataError(Exception):
    """The compiled guide is not there (a source checkout that was never built)."""


@dataclass
class IGPackage:
    """The compiled guide: conformance resources by url, examples by ``Type/id``."""

    manifest: Resource
    conformance: dict[str, Resource] = field(default_factory=dict)
    examples: dict[str, Resource] = field(default_factory=dict)
    # value set url -> (system, code) pairs, filled by the validator on first use
    expansions: dict[str, frozenset[tuple[str, str]] | None] = field(
        default_factory=dict, repr=False, compare=False)

    def by_url(self, url: str) -> Resource:
        """The conformance resource with this canonical url (KeyError when unknown)."""
        return self.conformance[url.split("|", 1)[0]]

    def get(self, resource_type: str, resource_id: str) -> Resource:
        """An example instance by type and id (KeyError when unknown)."""
        return self.examples[f"{resource_type}/{resource_id}"]

    def resolve(self, reference: str) -> Resource | None:
        """The example a relative reference ``Type/id`` points to, or None."""
        return self.examples.get(reference)

    def profiles(self) -> Iterator[Resource]:
        """StructureDefinitions of this guide that constrain a resource (not extensions)."""
        for resource in self.conformance.values():
            is_profile = resource["resourceType"] == "StructureDefinition"
            if is_profile and resource["type"] != "Extension":
                yield resource

    @property
    def version(self) -> str:
        return str(self.manifest["version"])


def _read_folder(folder: Path | Any) -> Iterator[Resource]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json") and not entry.name.startswith(".") and (
            entry.name != "package.json"
        ):
            yield json.loads(entry.read_text(encoding="utf-8"))


def load_package_from(folder: Path | Any) -> IGPackage:
    """Read a compiled package folder (``package.json``, resources, ``example/``)."""
    manifest_file = folder / "package.json"
    if not manifest_file.is_file():
        raise MissingPackageDataError(
            f"compiled IG not found in {folder}: run `fhir-regie ig build` in a source checkout"
        )
    package = IGPackage(manifest=json.loads(manifest_file.read_text(encoding="utf-8")))
    for resource in _read_folder(folder):
        # R4 NamingSystems have no url: they are kept under the address they would have.
        url = resource.get("url") or f"{CANONICAL}/{resource['resourceType']}/{resource['id']}"
        package.conformance[url] = resource
    example_folder = folder / "example"
    if example_folder.is_dir():
        for resource in _read_folder(example_folder):
            package.examples[f"{resource['resourceType']}/{resource['id']}"] = resource
    return package


@cache
def load_package() -> IGPackage:
    """The guide shipped with this library (read once, then cached)."""
    return load_package_from(resources.files(__package__) / "package")
