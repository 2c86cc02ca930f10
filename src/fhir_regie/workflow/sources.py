"""Where a household's resources come from: a Bundle file, an example of the guide, a server.

This is the I/O edge of the workflow rules; the rules themselves only see a
:class:`~fhir_regie.workflow.household.Household`. Every failure is a :class:`SourceError` with a
one-line message that names the file or resource by type and id, never a person.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fhir_regie.messages import Said, said
from fhir_regie.workflow.household import Household, HouseholdError


class SourceError(Exception):
    """The household could not be read; ``str()`` is one line (English). Its argument is a
    catalogue message (:class:`~fhir_regie.messages.Said`) where the cause is known, so the
    command line says it in the coordinator's language (``tell``)."""


def _told(error: Exception) -> object:
    """The message of an error as the catalogue keeps it (a ``Said`` stays one)."""
    return error.args[0] if error.args and isinstance(error.args[0], Said) else str(error)


def resources_from_bundle(bundle: Any) -> list[dict[str, Any]]:
    """The resources of a Bundle (collection, searchset, transaction, ...)."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise SourceError(said("source.not_bundle"))
    return [entry["resource"] for entry in bundle.get("entry", [])
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)]


def load_household_from_bundle(path: str | Path, household_id: str | None = None) -> Household:
    """Read a Bundle JSON file and index the household in it."""
    try:
        bundle = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SourceError(said("source.cannot_read", path=str(path),
                                error=error.__class__.__name__)) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SourceError(said("source.not_json", path=str(path))) from None
    try:
        return Household.from_resources(resources_from_bundle(bundle), household_id)
    except (SourceError, HouseholdError) as error:
        raise SourceError(said("source.in_file", path=str(path), error=_told(error))) from None


def load_household_from_example(household_id: str) -> Household:
    """An example household of the compiled guide, with every example connected to it."""
    from fhir_regie.demo import household_resources
    from fhir_regie.ig import load_package

    try:
        resources = household_resources(load_package(), household_id)
    except KeyError:
        raise SourceError(said("source.unknown_example",
                                household=repr(household_id))) from None
    return Household.from_resources(resources.values(), household_id)


def load_household_from_server(url: str, household_id: str) -> Household:
    """Read a household and everything connected to it from a FHIR server.

    Auth comes from the environment (``fhir_regie.client.environment``). Errors become
    :class:`SourceError` naming the server and ``Group/{id}``: ids are not personal data, the
    server's diagnostics may be, so they are left out.
    """
    from fhir_regie.client import FhirClientError, NotFound
    from fhir_regie.client.environment import ClientConfigError, client_from_env
    from fhir_regie.client.household import fetch_household

    try:
        with client_from_env(url) as client:
            resources = fetch_household(client, household_id)
    except ClientConfigError as error:
        raise SourceError(f"{url}: {error}") from None
    except NotFound:
        raise SourceError(said("source.group_not_found", url=url,
                                household=household_id)) from None
    except FhirClientError as error:
        raise SourceError(said("source.cannot_read_group", url=url, household=household_id,
                               error=error.__class__.__name__)) from None
    return Household.from_resources(resources.values(), household_id)
