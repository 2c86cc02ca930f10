"""Read one household and everything connected to it from a FHIR server.

A household is a ``Group``; its members are Patients; plans, actions, scores, consents,
the care team, the meldcode trail and disclosures point at the Group, at a member, or at one of
those resources (a Task ``basedOn`` a plan, a score ``focus``-ing a goal). The walk uses only
standard R4 search parameters, so it works on any server that implements them (the embedded
server and HAPI both do):

1. read ``Group/{id}``;
2. *reverse* rounds: for every resource found in the last round, search each type by the
   reference parameters that can point at it (``CarePlan?subject=Group/x,Patient/y``), until a
   round finds nothing new;
   Each result is checked to really refer to what was asked: a lenient server answers a
   parameter it does not support with every resource of the type (FHIR R4 search.html
   §3.1.1.3: unknown parameters may be ignored), and that must not pull in other households;
3. *forward*: read every resource the found ones refer to that is not yet known (organisations,
   practitioners, goals), so names and roles can be shown.

The result is keyed ``Type/id``, the same shape the example loader returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fhir_regie.client.client import FhirClient
from fhir_regie.client.errors import NotFound

Resource = dict[str, Any]

#: (resource type, search parameter, the types its reference may point at).
#: Standard R4 search parameters only (FHIR R4 searchparameter-registry).
REVERSE_LINKS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Group", "member", frozenset({"Patient", "RelatedPerson"})),
    ("RelatedPerson", "patient", frozenset({"Patient"})),
    ("CareTeam", "subject", frozenset({"Group", "Patient"})),
    ("CarePlan", "subject", frozenset({"Group", "Patient"})),
    ("CarePlan", "based-on", frozenset({"CarePlan"})),
    ("CarePlan", "part-of", frozenset({"CarePlan"})),
    ("Goal", "subject", frozenset({"Group", "Patient"})),
    ("Condition", "subject", frozenset({"Group", "Patient"})),
    ("Task", "subject", frozenset({"Group", "Patient"})),
    ("Task", "focus", frozenset({"CarePlan", "Goal", "Composition", "Task", "Condition"})),
    ("Task", "based-on", frozenset({"CarePlan", "Task"})),
    ("Task", "part-of", frozenset({"Task"})),
    ("Observation", "subject", frozenset({"Group", "Patient"})),
    ("Observation", "focus", frozenset({"Goal", "CarePlan", "Condition", "Patient"})),
    ("Observation", "based-on", frozenset({"CarePlan"})),
    ("Consent", "patient", frozenset({"Patient"})),
    # The alleged-perpetrator alert (regie-alert): without it the guard would not know whose
    # side a recipient is on (docs/ig/household.md).
    ("Flag", "subject", frozenset({"Patient"})),
    ("Composition", "subject", frozenset({"Group", "Patient"})),
    # A plan signature names the plan with its version; the search matches it by Type/id.
    ("Provenance", "target", frozenset({"CarePlan"})),
    ("AuditEvent", "entity", frozenset({"Group", "Patient", "CarePlan", "Composition", "Task",
                                        "Consent"})),
)

#: How many references go into one comma-separated (OR) search value.
CHUNK = 20


def _references(value: Any) -> Iterator[str]:
    """Every relative ``Type/id`` reference anywhere inside a resource."""
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str) and "/_history/" in reference:
            reference = reference.split("/_history/", 1)[0]  # a versioned reference
        if isinstance(reference, str) and reference.count("/") == 1 and "://" not in reference:
            yield reference
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _key(resource: Resource) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _reverse_round(client: FhirClient, frontier: Iterable[str],
                   found: dict[str, Resource], fresh: bool = False) -> list[str]:
    """Search every type by every parameter that may point at the frontier; return new keys."""
    frontier = sorted(set(frontier))
    added: list[str] = []
    for resource_type, parameter, targets in REVERSE_LINKS:
        wanted = [ref for ref in frontier if ref.split("/", 1)[0] in targets]
        for chunk in _chunks(wanted):
            asked = set(chunk)
            for resource in client.search(resource_type, {parameter: ",".join(chunk)},
                                          as_dict=True, fresh=fresh):
                key = _key(resource)
                # A lenient server ignores a parameter it does not support and returns
                # everything; keep only what really points at the frontier.
                if key not in found and asked.intersection(_references(resource)):
                    found[key] = resource
                    added.append(key)
    return added


def fetch_household(client: FhirClient, household_id: str, *,
                    fresh: bool = False) -> dict[str, Resource]:
    """The household Group and every resource connected to it, keyed ``Type/id``.

    ``fresh``: every search bypasses the server's search cache (HAPI answers an identical
    search within 60 s from it), for a caller that decides on consent with what it reads.

    Raises :class:`~fhir_regie.client.errors.NotFound` when the Group does not exist, and the
    client's other errors (which carry no personal data) as they come.
    """
    group = client.read("Group", household_id, as_dict=True)
    start = f"Group/{household_id}"
    found: dict[str, Resource] = {start: group}
    members = [ref for ref in _references(group.get("member", []))
               if ref.startswith("Patient/")]
    for ref in members:
        resource_type, resource_id = ref.split("/", 1)
        try:
            found[ref] = client.read(resource_type, resource_id, as_dict=True)
        except NotFound:
            continue  # a dangling member reference; the rules report missing members
    frontier = [start, *members]
    while frontier:
        frontier = _reverse_round(client, frontier, found, fresh)
    pending = list(found.values())
    missing: set[str] = set()
    while pending:
        for ref in _references(pending.pop()):
            if ref in found or ref in missing:
                continue
            resource_type, resource_id = ref.split("/", 1)
            try:
                found[ref] = client.read(resource_type, resource_id, as_dict=True)
            except NotFound:
                missing.add(ref)
                continue
            pending.append(found[ref])
    return found
