"""One FHIR server as a side of a sync: read its changes and current versions in bulk.

Reading changes uses the server's ``_history`` (ARCHITECTURE.md §5): versions are appended and
never move, so a history read newest-first cannot skip one even while others write (a search
sorted by ``_lastUpdated`` and paged by offset can: a resource updated during the read jumps to
the end and shifts the rest). The read stops at the first entry older than ``since``: sekmet
0.1.1 drops ``_since`` from its ``next`` links, and the client must not rely on the server to
stop.

Writing is not done here: every write of the sync goes through :mod:`fhir_regie.sync.outbound`,
the module that also holds the consent guard.

Example::

    side = FhirSide(FhirClient(url), "local")
    for change in side.history(since="2026-11-20T10:00:00.000Z", types=frozenset({"Task"})):
        ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fhir_regie.client import FhirClient
from fhir_regie.sync.keys import identifier_token
from fhir_regie.sync.state import normal_instant

Resource = dict[str, Any]
#: Ids per ``_id`` search and identifiers per ``identifier`` search (URL length, server cost).
ID_CHUNK = 50
IDENTIFIER_CHUNK = 20
HISTORY_PAGE = 1000


def page_sizes() -> list[int]:
    """Page sizes to try in turn when a history page cannot be read (over a size limit, not
    JSON): the normal size, a tenth of it, then one entry a page (which isolates the entry
    that cannot be read)."""
    return sorted({HISTORY_PAGE, max(1, HISTORY_PAGE // 10), 1}, reverse=True)


@dataclass(frozen=True)
class Change:
    """One version of one resource, as the side's history shows it."""

    rtype: str
    rid: str
    version: str
    last_updated: str  # UTC ``...Z`` instant (normalised: HAPI answers with its own offset)
    resource: Resource | None = field(repr=False)  # None for a deletion

    @property
    def deleted(self) -> bool:
        return self.resource is None

    def as_row(self, grp: str | None = None) -> dict[str, Any]:
        return {"rtype": self.rtype, "rid": self.rid, "version": self.version,
                "last_updated": self.last_updated, "content": self.resource,
                "deleted": self.deleted, "grp": grp}


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class FhirSide:
    """A FHIR server seen by the sync engine.

    Parameters:
        client: the FHIR client of that server.
        name: ``local`` or ``partner`` (for messages and keys).
    """

    def __init__(self, client: FhirClient, name: str) -> None:
        self.client = client
        self.name = name

    @property
    def base_url(self) -> str:
        return self.client.base_url

    def history(self, since: str | None, types: Iterable[str],
                count: int | None = None) -> Iterator[Change]:
        """The versions of ``types`` written at or after ``since`` (a UTC instant), newest
        first; all of them when ``since`` is None. ``count``: entries per page (default
        ``HISTORY_PAGE``)."""
        wanted = frozenset(types)
        newer: str | None = None
        for entry in self.client.history(since=since, count=count or HISTORY_PAGE,
                                         as_dict=True):
            resource = entry.resource
            stamp = entry.last_modified or (resource or {}).get("meta", {}).get("lastUpdated")
            if stamp:
                moment = newer = normal_instant(stamp)
                if since is not None and moment < since:
                    return  # newest first: everything after this is older still
            else:
                # A deletion without a moment (HAPI sends none): not older than the entry read
                # before it, which is all the order needs; "" when it is the newest (the
                # cursor does not move on an unknown moment).
                moment = newer or ""
            if entry.resource_type not in wanted or not entry.id:
                continue
            yield Change(entry.resource_type, entry.id, entry.version_id or "0", moment,
                         None if entry.deleted else resource)

    def newest(self, look: int = 100) -> str | None:
        """The moment of the newest version on the server (for a job that starts "now"). A
        deletion carries no moment on some servers (HAPI): the newest entry that has one
        counts, among the first ``look``; None when none of them has one (the caller takes
        its own clock)."""
        for seen, entry in enumerate(self.client.history(count=min(look, HISTORY_PAGE),
                                                         as_dict=True)):
            stamp = entry.last_modified or (entry.resource or {}).get("meta", {}).get(
                "lastUpdated")
            if stamp:
                moment = normal_instant(stamp)
                if not moment.startswith("0000"):
                    return moment
            if seen + 1 >= look:
                break
        return None

    def read(self, rtype: str, rid: str) -> Resource | None:
        """The current version, or None when it is not there (or deleted)."""
        from fhir_regie.client import Gone, NotFound

        try:
            return self.client.read(rtype, rid, as_dict=True)  # type: ignore[no-any-return]
        except (NotFound, Gone):
            return None

    def read_many(self, rtype: str, ids: Iterable[str]) -> dict[str, Resource]:
        """Current versions by id (``_id`` searches), absent ids left out."""
        wanted = sorted(set(ids))
        found: dict[str, Resource] = {}
        for chunk in _chunks(wanted, ID_CHUNK):
            for resource in self.client.search(rtype, {"_id": ",".join(chunk),
                                                       "_count": str(len(chunk))},
                                               as_dict=True):
                if resource.get("id") in chunk:
                    found[resource["id"]] = resource
        return found

    def find_by_identifiers(self, rtype: str, tokens: Iterable[str]) -> dict[str, list[Resource]]:
        """Resources of ``rtype`` carrying each ``system|value`` identifier."""
        wanted = sorted(set(tokens))
        found: dict[str, list[Resource]] = {t: [] for t in wanted}
        for chunk in _chunks(wanted, IDENTIFIER_CHUNK):
            asked = set(chunk)
            for resource in self.client.search(rtype, {"identifier": ",".join(chunk),
                                                       "_count": "100"}, as_dict=True):
                for identifier in resource.get("identifier") or []:
                    token = identifier_token(identifier)
                    if token in asked and resource not in found[token]:
                        found[token].append(resource)
        return found
