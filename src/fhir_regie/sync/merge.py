"""Three-way merge of two changed copies of one resource (ARCHITECTURE.md §5: "409/412 ->
re-read and merge or park").

``merge(base, ours, theirs)``: ``base`` is the version both sides last agreed on, ``ours`` what
the target has now, ``theirs`` the incoming change. An element changed on one side only takes
that side's value; changed on both sides to the same value is fine; changed on both sides to
different values is a **conflict**, and nothing is merged: the caller parks it with the three
versions for a person (a wrong automatic choice in a safety plan is worse than a wait).

A change moment that both sides moved (``Task.lastModified``) takes the later of the two: it
says when the last change was, and both changes are in the result.

Granularity: objects are merged element by element, recursively (``restriction.period.end``
and ``restriction.repetitions`` may change on different sides); lists are one value, except
lists of extensions, which are merged per extension ``url`` when every url occurs once. A list
of names or identifiers changed on both sides is a conflict: there is no safe way to pair up
their items.

Pure: no I/O. Example::

    >>> base = {"resourceType": "Task", "status": "requested", "description": "Bellen"}
    >>> ours = dict(base, description="Bellen met school")
    >>> theirs = dict(base, status="completed")
    >>> merge(base, ours, theirs).merged["status"], merge(base, ours, theirs).merged["description"]
    ('completed', 'Bellen met school')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fhir_regie.sync.keys import SERVER_META, content

Resource = dict[str, Any]
_ABSENT = object()


@dataclass(frozen=True)
class MergeResult:
    """The merged resource (None when there is a conflict), the element paths both sides changed
    differently, and the paths each side changed."""

    merged: Resource | None
    conflicts: tuple[str, ...]
    ours_changed: tuple[str, ...]
    theirs_changed: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.merged is not None


#: Elements that record when the resource last changed (FHIR R4 Task.lastModified).
LATEST_WINS = frozenset({"lastModified"})


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _instants(*values: Any) -> bool:
    try:
        return all(isinstance(v, str) for v in values) and all(_moment(v) for v in values)
    except ValueError:
        return False


def _by_url(items: Any) -> dict[str, Any] | None:
    """An extension list as ``{url: extension}`` when every item has a unique url."""
    if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("url"), str) for i in items):
        return None
    urls = [i["url"] for i in items]
    return dict(zip(urls, items, strict=True)) if len(set(urls)) == len(urls) else None


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[str] = []
        self.ours: list[str] = []
        self.theirs: list[str] = []

    def value(self, path: str, base: Any, ours: Any, theirs: Any) -> Any:
        if ours == theirs:
            if ours != base:
                self.ours.append(path)
                self.theirs.append(path)
            return ours
        if ours == base:
            self.theirs.append(path)
            return theirs
        if theirs == base:
            self.ours.append(path)
            return ours
        if path in LATEST_WINS and _instants(ours, theirs):
            later = max((ours, theirs), key=_moment)
            self.ours.append(path)
            self.theirs.append(path)
            return later
        if all(isinstance(v, dict) for v in (ours, theirs)) and (
                base is _ABSENT or isinstance(base, dict)):
            return self.object(path, {} if base is _ABSENT else base, ours, theirs)
        if path.endswith("extension") or path.endswith("modifierExtension"):
            keyed = [_by_url(v) if v is not _ABSENT else {} for v in (base, ours, theirs)]
            if all(k is not None for k in keyed):
                return self.extensions(path, *keyed, ours)  # type: ignore[arg-type]
        self.conflicts.append(path)
        return ours

    def object(self, path: str, base: Mapping[str, Any], ours: Mapping[str, Any],
               theirs: Mapping[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        names = list(ours) + [n for n in theirs if n not in ours] + \
            [n for n in base if n not in ours and n not in theirs]
        for name in names:
            result = self.value(f"{path}.{name}" if path else name, base.get(name, _ABSENT),
                                ours.get(name, _ABSENT), theirs.get(name, _ABSENT))
            if result is not _ABSENT:
                merged[name] = result
        return merged

    def extensions(self, path: str, base: dict[str, Any], ours: dict[str, Any],
                   theirs: dict[str, Any], ours_list: Any) -> list[Any] | object:
        order = list(ours) + [u for u in theirs if u not in ours]
        merged = []
        for url in order:
            result = self.value(f"{path}[url={url}]", base.get(url, _ABSENT),
                                ours.get(url, _ABSENT), theirs.get(url, _ABSENT))
            if result is not _ABSENT:
                merged.append(result)
        if not merged and ours_list is _ABSENT:
            return _ABSENT
        return merged


def merge(base: Resource | None, ours: Resource, theirs: Resource) -> MergeResult:
    """Merge ``theirs`` into ``ours`` relative to ``base``; see the module docstring.

    Without a base (the two sides never agreed on a version), every element the two differ in
    is a conflict. Server-set ``meta`` (versionId, lastUpdated, source) and ``id`` are not
    compared; the result carries ``ours``' id.
    """
    merger = _Merger()
    b = content(base) if base is not None else None
    o, t = content(ours) or {}, content(theirs) or {}
    if b is None:
        names = sorted(set(o) | set(t))
        conflicts = [n for n in names if o.get(n, _ABSENT) != t.get(n, _ABSENT)]
        if conflicts:
            return MergeResult(None, tuple(conflicts), (), ())
        merged = dict(o)
    else:
        merged = merger.object("", b, o, t)
        if merger.conflicts:
            return MergeResult(None, tuple(merger.conflicts), tuple(merger.ours),
                               tuple(merger.theirs))
    if "id" in ours:
        merged["id"] = ours["id"]
    meta = {k: v for k, v in (ours.get("meta") or {}).items() if k in SERVER_META}
    if meta:
        merged["meta"] = {**merged.get("meta", {}), **meta}
    return MergeResult(merged, (), tuple(merger.ours), tuple(merger.theirs))
