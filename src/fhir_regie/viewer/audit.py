"""Who viewed a plan and when: the ``regie-disclosure`` AuditEvents that name the plan.

Pure over AuditEvent JSON (:func:`plan_views`); :func:`fetch_views` reads them from a server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fhir_regie.client import FhirClient
from fhir_regie.ig.sharing import audit_kind, purposes_in
from fhir_regie.render._read import Resource, code, extensions, part, reference, value

CST, IRCP = "CST", "IRCP"


@dataclass(frozen=True)
class View:
    """One recorded view or disclosure of a plan."""

    recorded: str
    kind: str
    recipient: str
    user: str
    purpose: str
    basis: str
    entities: int

    def to_dict(self) -> dict[str, Any]:
        return {"recorded": self.recorded, "kind": self.kind, "recipient": self.recipient,
                "user": self.user, "purpose": self.purpose, "basis": self.basis,
                "entities": self.entities}


def _agent(event: Resource, kind: str) -> Resource:
    for agent in event.get("agent", []):
        if kind in [c.get("code") for c in (agent.get("type") or {}).get("coding", [])]:
            return agent
    return {}


def plan_views(events: Iterable[Resource], plan_id: str) -> list[View]:
    """The events that name ``CarePlan/<plan_id>`` as an entity, oldest first.

    Example::

        >>> plan_views([], "devries-safety-plan")
        []
    """
    wanted = f"CarePlan/{plan_id}"
    found = []
    for event in events:
        if event.get("resourceType") != "AuditEvent":
            continue
        names = [reference(e.get("what")) or "" for e in event.get("entity", [])]
        if not any(n == wanted or n.endswith("/" + wanted) for n in names):
            continue
        recipient = _agent(event, IRCP)
        basis = next(iter(extensions(event, "regie-disclosure-basis")), None)
        consent = reference(value(part(basis, "consent")))
        legal = code(value(part(basis, "legal-basis"))) or "?"
        found.append(View(
            recorded=str(event.get("recorded") or ""),
            kind=audit_kind(event) or "?",
            recipient=reference(recipient.get("who")) or "?",
            user=str(recipient.get("altId") or ""),
            purpose=next(iter(purposes_in(event.get("purposeOfEvent"))), None)
            or code(event.get("purposeOfEvent")) or "?",
            basis=consent or legal, entities=len(names)))
    return sorted(found, key=lambda v: v.recorded)


def fetch_views(client: FhirClient, plan_id: str) -> list[View]:
    """The plan's views from a server (a server that ignores ``entity`` is filtered here)."""
    events = client.search("AuditEvent", {"entity": f"CarePlan/{plan_id}", "_count": "100"},
                           as_dict=True)
    return plan_views(events, plan_id)


def view_lines(views: list[View], plan_id: str) -> list[str]:
    """Text output of ``fhir-regie audit``."""
    lines = [f"CarePlan/{plan_id}: {len(views)} recorded view(s) or disclosure(s)"]
    for v in views:
        who = f"{v.recipient} ({v.user})" if v.user else v.recipient
        lines.append(f"  {v.recorded}  {v.kind:<10} {who}  purpose {v.purpose}  basis "
                     f"{v.basis}  {v.entities} resource(s)")
    return lines
