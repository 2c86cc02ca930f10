"""Where a household's resources come from: a Bundle file, an example of the guide, a server.

This is the I/O edge of the workflow rules; the rules themselves only see a
:class:`~fhir_regie.workflow.household.Household`. Every failure is a :class:`SourceError` with a
one-line message that names the file or resource by type and id, never a person.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fhir_regie.workflow.household import Household, HouseholdError

SERVER_CLIENT_MISSING = "fhir-regie: --server needs the FHIR client (not installed in this build)"


class SourceError(Exception):
    """The household could not be read; ``str()`` is one line."""


def resources_from_bundle(bundle: Any) -> list[dict[str, Any]]:
    """The resources of a Bundle (collection, searchset, transaction, ...)."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise SourceError("not a FHIR Bundle (resourceType must be 'Bundle')")
    return [entry["resource"] for entry in bundle.get("entry", [])
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)]


def load_household_from_bundle(path: str | Path, household_id: str | None = None) -> Household:
    """Read a Bundle JSON file and index the household in it."""
    try:
        bundle = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SourceError(f"{path}: cannot read ({error.__class__.__name__})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SourceError(f"{path}: not valid JSON") from None
    try:
        return Household.from_resources(resources_from_bundle(bundle), household_id)
    except (SourceError, HouseholdError) as error:
        raise SourceError(f"{path}: {error}") from None


def load_household_from_example(household_id: str) -> Household:
    """An example household of the compiled guide, with every example connected to it."""
    from fhir_regie.demo import household_resources
    from fhir_regie.ig import load_package

    try:
        resources = household_resources(load_package(), household_id)
    except KeyError:
        raise SourceError(f"unknown example household {household_id!r}") from None
    return Household.from_resources(resources.values(), household_id)


def load_household_from_server(url: str, household_id: str) -> Household:
    """Read a household from a FHIR server with the project's FHIR client.

    The client (``fhir_regie.client``) is built separately; without it this raises
    :class:`SourceError` with :data:`SERVER_CLIENT_MISSING`.
    """
    try:
        from fhir_regie import client  # type: ignore[attr-defined]
    except ImportError:
        raise SourceError(SERVER_CLIENT_MISSING) from None
    fetch = getattr(client, "household_resources", None)
    if fetch is None:
        raise SourceError(SERVER_CLIENT_MISSING)
    try:
        resources = fetch(url, household_id)
    except Exception as error:  # the client's own errors carry no personal data
        raise SourceError(f"{url}: cannot read Group/{household_id} "
                          f"({error.__class__.__name__})") from None
    return Household.from_resources(resources, household_id)
