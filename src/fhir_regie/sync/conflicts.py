"""Conflicts a person resolves (``fhir-regie sync conflicts`` / ``sync resolve``).

A conflict holds the base (what both sides last agreed on, in the partner's form), ours (our
server's version) and theirs (the partner's). Resolving writes the chosen version to **our**
server only, with ``If-Match`` on the version the person saw, and makes the partner's version
the new base; the next run then pushes the choice to the partner like any other change of ours,
through the consent guard (so a resolution leaves a disclosure record like everything that
goes). Rows held for the conflict are released.

``--take ours`` keeps our version; ``--take theirs`` takes the partner's (its references
translated to our ids); ``--take FILE`` takes a resource the person wrote, which must pass
validation. Deletions (kinds ``deleted-on-partner`` and ``deleted-locally``): ``theirs`` follows
the partner (deletes ours, or re-creates it from theirs), ``ours`` keeps ours.

Example::

    resolve(config, state, 3, "theirs")
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fhir_regie.client import Conflict as Refused
from fhir_regie.client import FhirClientError, PreconditionFailed
from fhir_regie.limits import LimitError, load_file
from fhir_regie.sync.config import Config
from fhir_regie.sync.engine import LOCAL, PARTNER, PUSH, _validation_errors
from fhir_regie.sync.fhirside import FhirSide
from fhir_regie.sync.keys import references, rewrite_references, same_content
from fhir_regie.sync.outbound import Write, delete_local, write
from fhir_regie.sync.state import Conflict, Link, StateStore, now_text

Resource = dict[str, Any]


class ResolveError(ValueError):
    """The resolution cannot be applied; one line, no personal data."""


@dataclass(frozen=True)
class Resolution:
    conflict: int
    taken: str
    local_version: str | None


def describe(conflict: Conflict) -> list[str]:
    """Lines about one conflict: what, which fields, and the three values of each field.

    The values are shown to the person resolving it (it is their work); they are never logged.
    """
    lines = [f"conflict {conflict.id} ({conflict.status}): job {conflict.job}, "
             f"{conflict.rtype}, {conflict.kind}, found while {conflict.direction}ing",
             f"  ours: {conflict.rtype}/{conflict.local_id} version {conflict.ours_version}; "
             f"theirs: {conflict.rtype}/{conflict.partner_id} version "
             f"{conflict.theirs_version}"]
    for name in conflict.fields:
        top = name.split(".", 1)[0].split("[", 1)[0]
        values = [json.dumps((v or {}).get(top), ensure_ascii=False) if v is not None
                  else "(none)" for v in (conflict.base, conflict.ours, conflict.theirs)]
        lines.append(f"  {name}: base {values[0]} | ours {values[1]} | theirs {values[2]}")
    if conflict.ours is None:
        lines.append("  ours: deleted")
    if conflict.theirs is None:
        lines.append("  theirs: deleted")
    return lines


def _to_local(resource: Resource, state: StateStore, job: str) -> Resource:
    """A partner-form resource in our ids."""
    ids = {ref: link.local_id for ref, link in state.links_by_ids(
        job, PARTNER, references(resource)).items() if link.local_id}
    translated, missing = rewrite_references(resource, ids)
    if missing:
        raise ResolveError("the partner's version refers to resources we do not have: "
                           f"{', '.join(sorted({kind for kind, _ in missing}))}")
    return translated


def resolve(config: Config, state: StateStore, conflict_id: int, take: str, *,
            local: FhirSide | None = None) -> Resolution:
    """Apply a person's choice (``ours``, ``theirs`` or a path to a resource JSON file)."""
    conflict = state.conflict(conflict_id)
    if conflict is None:
        raise ResolveError(f"no conflict {conflict_id}")
    if conflict.status != "open":
        raise ResolveError(f"conflict {conflict_id} is already {conflict.status}")
    job = config.job(conflict.job)
    side = local or FhirSide(config.local.client(), LOCAL)
    link = state.link(job.name, conflict.key)
    local_id = conflict.local_id or (link.local_id if link else None)
    current = side.read(conflict.rtype, local_id) if local_id else None
    if not same_content(current, conflict.ours):
        # Show the person what they are choosing against: the conflict now holds our current
        # version.
        state.park(job=job.name, key=conflict.key, rtype=conflict.rtype, kind=conflict.kind,
                   direction=conflict.direction, local_id=None, partner_id=None, base=None,
                   ours=current, theirs=None,
                   ours_version=(current or {}).get("meta", {}).get("versionId"),
                   theirs_version=None, fields=())
        raise ResolveError(f"our version changed after conflict {conflict_id} was parked; "
                           "look again: fhir-regie sync conflicts --show "
                           f"{conflict_id}")
    chosen: Resource | None
    if take == "ours":
        chosen = current
    elif take == "theirs":
        chosen = _to_local(conflict.theirs, state, job.name) if conflict.theirs else None
    else:
        chosen = _read_choice(Path(take), conflict)
    version = (current or {}).get("meta", {}).get("versionId")
    new_version = version
    try:
        if chosen is None and current is not None:
            assert local_id is not None
            delete_local(side, conflict.rtype, local_id)
            new_version = None
        elif chosen is not None and not same_content(chosen, current):
            local_id = local_id or chosen.get("id")
            if not local_id:
                raise ResolveError("the chosen resource has no id")
            result = write(side, [Write(conflict.rtype, local_id, dict(chosen, id=local_id),
                                        version)])[0]
            if result.kind != "ok":
                raise ResolveError(f"our server did not take the resolution ({result.rule})")
            new_version = result.version
    except PreconditionFailed:
        raise ResolveError("our version changed while resolving; look again") from None
    except Refused:
        # HAPI keeps referential integrity: a resource our disclosure records refer to cannot
        # be deleted (and should not be: the audit trail stays whole).
        raise ResolveError("our server will not delete it: other records refer to it (such "
                           "as disclosure records); keep ours (--take ours), or take a "
                           "version marked entered-in-error (--take FILE)") from None
    except FhirClientError as error:
        raise ResolveError(f"our server: {error}") from None
    _settle(state, job.name, conflict, pushes=job.pushes, chosen=chosen, local_id=local_id,
            new_version=new_version, take=take)
    return Resolution(conflict_id, take, new_version)


def _settle(state: StateStore, job: str, conflict: Conflict, *, pushes: bool,
            chosen: Resource | None, local_id: str | None, new_version: str | None,
            take: str) -> None:
    """The state after a resolution: the partner's version is the base, held rows released,
    our chosen version queued for the partner."""
    with state.tx():
        if chosen is None:
            state.drop_link(job, conflict.key)
        else:
            # No echo versions: our chosen version has not reached the partner yet.
            state.save_link(Link(job, conflict.key, conflict.rtype, local_id, None,
                                 conflict.partner_id if conflict.theirs else None, None,
                                 conflict.theirs))
        state.release_held(job, conflict.id)
        if chosen is not None and pushes and local_id and new_version:
            # Our chosen version goes to the partner on the next run, through the guard.
            state.enqueue(job, PUSH, [{
                "rtype": conflict.rtype, "rid": local_id, "version": new_version,
                "last_updated": now_text(), "content": dict(chosen, id=local_id)}])
            state.make_due(job, PUSH, conflict.rtype, local_id, new_version)
        state.resolve_conflict(conflict.id, take if take in ("ours", "theirs") else "file")


def _read_choice(path: Path, conflict: Conflict) -> Resource:
    try:
        data = load_file(path)
    except OSError as error:
        raise ResolveError(f"{path}: cannot read ({error.strerror})") from None
    except LimitError as error:
        raise ResolveError(f"{path}: {error}") from None
    except ValueError:
        raise ResolveError(f"{path}: not JSON") from None
    if not isinstance(data, dict) or data.get("resourceType") != conflict.rtype:
        raise ResolveError(f"{path}: expected a {conflict.rtype} resource")
    errors = _validation_errors(data)
    if errors:
        rule, message = errors[0]
        raise ResolveError(f"{path}: {rule}: {message}")
    return data
