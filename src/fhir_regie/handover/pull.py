"""Reading a handover from a server: the Task and everything it refers to, and what that refers
to (ARCHITECTURE.md §5: the receiver pulls). Used against Veilig Thuis's server when the local
team takes a handover in, and against the local team's own server to read its copy back.

A versioned reference (``Type/id/_history/n``) is read at that version. Only relative
references are followed, so the pull never leaves the server it started on
(a reference to another address is reported, not followed: the credentials in use belong to
this server). What a reference points to but the server does not have is reported as missing,
never silently skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fhir_regie.client import FhirClient, Gone, NotFound
from fhir_regie.handover._fhir import Resource, key, reference, reference_strings

#: The most resources one pull reads; a handover is one household's case.
LIMIT = 500


@dataclass
class Pulled:
    """What a pull found: resources keyed ``Type/id`` (the start first), references the
    server does not have (``missing``), and references that point elsewhere (``outside``),
    each as ``"Type/id element: reference"``."""

    resources: dict[str, Resource] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def complete(self) -> bool:
        return not (self.missing or self.outside or self.truncated)

    def problems(self) -> list[str]:
        found = [f"{item}: the sending server does not have it" for item in self.missing]
        found += [f"{item}: refers outside the sending server" for item in self.outside]
        if self.truncated:
            found.append(f"more than {LIMIT} resources: not one household's handover")
        return found


def closure(client: FhirClient, start: Resource, limit: int = LIMIT) -> Pulled:
    """``start`` and, transitively, everything it refers to on ``client``'s server.

    Example::

        >>> pulled = closure(vt, vt.read("Task", "vt-handover-1", as_dict=True))  # doctest: +SKIP
        >>> pulled.complete  # doctest: +SKIP
        True
    """
    pulled = Pulled({key(start): start})
    pending = [start]
    while pending:
        resource = pending.pop(0)
        for path, text in reference_strings(resource):
            if text.startswith("#"):
                continue
            ref = reference({"reference": text})
            if ref is None:
                pulled.outside.append(f"{key(resource)} {path}")
                continue
            if ref in pulled.resources or f"{key(resource)} {path}: {ref}" in pulled.missing:
                continue
            if len(pulled.resources) >= limit:
                pulled.truncated = True
                return pulled
            resource_type, resource_id = ref.split("/", 1)
            version = text.split("/_history/", 1)[1] if "/_history/" in text else None
            try:
                # A versioned reference (the handed-over document) is read at that version:
                # what was handed over, not what the sender has made of it since.
                found = (client.vread(resource_type, resource_id, version, as_dict=True)
                         if version else client.read(resource_type, resource_id, as_dict=True))
            except (NotFound, Gone):
                pulled.missing.append(f"{key(resource)} {path}: {ref}")
                continue
            except ValueError:  # not a valid type or id for a URL path
                pulled.outside.append(f"{key(resource)} {path}")
                continue
            pulled.resources[ref] = found
            pending.append(found)
    return pulled
