"""For whom a document is: the household, or a professional organisation with a purpose.

Either way the content is decided by the disclosure guard (:func:`fhir_regie.consent.share`):
a professional audience is a disclosure to another organisation (consent or legal basis,
``regie-disclosure`` AuditEvents); the household audience is the household's own copy of its
plan, which the guard decides by its household rules (``fhir_regie/consent/household.py``: no
reporter, no professionals' documentation, V-labelled data only to the person it is about, the
adversary rule when an alleged perpetrator reads along: who reads a household copy is explicit,
``Audience.readers``). Only ``Shared.bundle`` is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from fhir_regie.consent import Request, Shared, share
from fhir_regie.render._read import Resource, key, name, reference


class AudienceError(ValueError):
    """The audience cannot be determined (a one-line reason, without personal data)."""


@dataclass(frozen=True)
class Audience:
    """Who reads the document.

    Parameters:
        kind: ``household`` or ``professional``.
        recipient: for a professional audience the receiving ``Organization/<id>``; for the
            household the plan's subject (its ``Group/<id>`` or the one ``Patient/<id>``),
            found by :meth:`household` from the plan.
        purpose: a sharing purpose by short name (``fhir_regie.ig.sharing``; professionals:
            default care-coordination).
        role: the recipient's ``PractitionerRole/<id>`` when a consent names a role.
        readers: household audience: the members (``Patient/<id>``) the copy is made for;
            empty: every active member. Whether the alleged perpetrator is among them decides
            the adversary rule (``fhir_regie.consent.household``): a copy for the protected
            parent and the children carries their own safety network's numbers, a copy he
            may read does not.
    """

    kind: Literal["household", "professional"]
    recipient: str
    purpose: str = "care-coordination"
    role: str | None = None
    readers: tuple[str, ...] = ()

    @classmethod
    def household(cls, resources: Iterable[Resource], plan_id: str,
                  readers: Iterable[str] = ()) -> Audience:
        """The household audience of a plan: whom the plan is about, read by ``readers``
        (default: every active member)."""
        plan = _plan(resources, plan_id)
        subject = reference(plan.get("subject"))
        if not subject or not subject.startswith(("Group/", "Patient/")):
            raise AudienceError(f"CarePlan/{plan_id}: the plan has no household or person as "
                                "subject")
        named = tuple(dict.fromkeys(readers))
        for reader in named:
            if not reader.startswith("Patient/"):
                raise AudienceError(f"reader {reader!r}: expected Patient/<id>")
        if named and not subject.startswith("Group/"):
            raise AudienceError(f"CarePlan/{plan_id}: readers are named only for a plan "
                                "about a household")
        return cls("household", subject, readers=named)

    @classmethod
    def professional(cls, recipient: str, purpose: str = "care-coordination",
                     role: str | None = None) -> Audience:
        if not recipient.startswith("Organization/"):
            raise AudienceError(f"recipient {recipient!r}: expected Organization/<id>")
        return cls("professional", recipient, purpose, role)

    def line(self, resources: dict[str, Resource]) -> str:
        """The header line saying for whom the document is."""
        if self.kind == "household":
            if self.readers:
                names = [name(resources.get(r)) or "een gezinslid" for r in self.readers]
                shown = names[0] if len(names) == 1 else \
                    f"{', '.join(names[:-1])} en {names[-1]}"
                return f"Voor het gezin: {shown} en jullie eigen netwerk"
            return "Voor het gezin en het eigen netwerk"
        who = name(resources.get(self.recipient)) or self.recipient
        return f"Voor {who}, alleen om mee te kijken en samen te werken"


def _plan(resources: Iterable[Resource], plan_id: str) -> Resource:
    for resource in resources:
        if isinstance(resource, dict) and key(resource) == f"CarePlan/{plan_id}":
            return resource
    raise AudienceError(f"CarePlan/{plan_id}: no such plan")


def shared_for(resources: Iterable[Resource], plan_id: str, audience: Audience, *,
               at: datetime, discloser: str | None = None) -> Shared:
    """What the guard lets go to the audience (the only door, docs/consent.md).

    ``discloser`` defaults to the household's managing organisation (the local team that
    holds the plan).

    Example::

        >>> from datetime import datetime, timezone
        >>> from fhir_regie.demo import household_resources
        >>> from fhir_regie.ig import load_package
        >>> found = list(household_resources(load_package(), "household-de-vries").values())
        >>> shared = shared_for(found, "devries-safety-plan",
        ...     Audience.professional("Organization/devries-org-jgz", "shared-plan-view"),
        ...     at=datetime(2026, 11, 25, 10, tzinfo=timezone.utc))
        >>> len(shared.audit_events)
        1
    """
    everything = [r for r in resources if isinstance(r, dict)]
    plan = _plan(everything, plan_id)
    table = {key(r): r for r in everything}
    subject = reference(plan.get("subject")) or ""
    group = table.get(subject) if subject.startswith("Group/") else next(
        (r for r in everything if r.get("resourceType") == "Group" and any(
            reference(m.get("entity")) == subject for m in r.get("member", []))), None)
    discloser = discloser or reference((group or {}).get("managingEntity"))
    if not discloser:
        raise AudienceError("the household records no managing organisation: name the "
                            "discloser")
    request = Request(recipient=audience.recipient, purpose=audience.purpose, at=at,
                      discloser=discloser, role=audience.role, readers=audience.readers)
    return share(everything, request, household=(group or {}).get("id"))
