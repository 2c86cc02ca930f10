"""One household's resources, indexed by type and Regie profile, with references resolved.

Resources are recognised by the profile they claim (``meta.profile``) and, for data from servers
that drop ``meta.profile``, by the codes the profile fixes (a Task with a meldcode step code is a
meldcode step). Nothing here reads files or the network.

Example::

    >>> from fhir_regie.ig import load_package
    >>> from fhir_regie.demo import household_resources
    >>> package = load_package()
    >>> household = Household.from_resources(
    ...     household_resources(package, "household-de-vries").values())
    >>> [plan["id"] for plan in household.of_profile("regie-safety-plan")]
    ['devries-safety-plan']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from fhir_regie.ig import profile_url
from fhir_regie.messages import said
from fhir_regie.workflow._fhir import (
    Resource,
    active_on,
    code,
    codes,
    extension,
    extensions,
    key,
    part,
    reference,
    to_date,
    value,
)


class HouseholdError(Exception):
    """The resources do not make one household (no Group, or several without a chosen id)."""


def _code_is(codesystem_id: str, *wanted: str) -> Callable[[Resource], bool]:
    return lambda r: any(c in wanted for c in codes(r.get("code"), codesystem_id))


def _category_is(codesystem_id: str, wanted: str) -> Callable[[Resource], bool]:
    return lambda r: wanted in codes(r.get("category"), codesystem_id)


def _any(_resource: Resource) -> bool:
    return True


# Profile id -> (resource type, how to recognise an instance that does not claim the profile).
_RECOGNISE: dict[str, tuple[str, Callable[[Resource], bool]]] = {
    "regie-household": ("Group", _code_is("regie-group-type", "household")),
    "regie-care-team": ("CareTeam", _any),
    "regie-support-plan": ("CarePlan", _category_is("regie-plan-category", "support-plan")),
    "regie-safety-plan": ("CarePlan", _category_is("regie-plan-category", "safety-plan")),
    "regie-concern": ("Condition", lambda r: bool(codes(r.get("category"), "regie-concern-type"))),
    "regie-goal": ("Goal", lambda r: bool(codes(r.get("category"), "regie-goal-type"))),
    "regie-agreed-action": ("Task", lambda r: bool(codes(r.get("code"),
                                                         "regie-agreed-action-kind"))),
    "regie-meldcode-step": ("Task", lambda r: bool(codes(r.get("code"), "regie-meldcode-step"))),
    "regie-handover": ("Task", _code_is("regie-task-type", "handover")),
    "regie-safety-scale-score": ("Observation",
                                 _code_is("regie-observation-type", "safety-scale-score")),
    "regie-safety-log-entry": ("Observation",
                               _code_is("regie-observation-type", "safety-log-entry")),
    "regie-signal": ("Observation", _code_is("regie-observation-type", "signal")),
    "regie-strength": ("Observation",
                       _code_is("regie-observation-type", "strength", "sign-of-safety")),
    "regie-handover-document": ("Composition", lambda r: code(r.get("type"),
                                                              "regie-document-type")
                                == "handover-document"),
    "regie-sharing-consent": ("Consent", _any),
    "regie-disclosure": ("AuditEvent", _any),
    "regie-plan-signature": ("Provenance", lambda r: bool(r.get("signature"))
                             and all(str((t or {}).get("reference", "")).startswith("CarePlan/")
                                     for t in r.get("target", []))),
}


def signatures_for(plan: Resource, provenances: Iterable[Resource]) -> list[tuple[Any, Any]]:
    """(when, who) of every signature in ``provenances`` given for this version of ``plan``.

    A signature (a ``regie-plan-signature`` Provenance) holds for the one version its target
    names (``CarePlan/<id>/_history/<n>``): an edit makes a new version that nobody has signed.
    A plan without ``meta.versionId`` has no version to sign, so no signature counts for it,
    and a Provenance naming the plan without a version counts for none.
    """
    current = version_reference(plan)
    if current is None:
        return []
    found = []
    for provenance in provenances:
        if provenance.get("resourceType") != "Provenance":
            continue
        targets = [str((t or {}).get("reference", "")) for t in provenance.get("target", [])
                   if isinstance(t, dict)]
        if current in targets:
            found += [(s.get("when"), s.get("who")) for s in provenance.get("signature", [])
                      if isinstance(s, dict)]
    return found


def safety_persons(plan: Resource, get: Callable[[str], Resource | None],
                   at: date | None = None) -> list[str]:
    """The safety persons (*veiligheidspersoon*) of a safety plan: the members of its care
    team(s) with role ``regie-role#veiligheidspersoon`` (active on ``at`` when given). The
    guide names them once, in the care team, not again on the plan (0.2)."""
    found: list[str] = []
    for ref in plan.get("careTeam", []):
        team = get(reference(ref) or "") if isinstance(ref, dict) else None
        for participant in (team or {}).get("participant", []):
            if not isinstance(participant, dict) or "veiligheidspersoon" not in codes(
                    participant.get("role", []), "regie-role"):
                continue
            if at is not None and not active_on(participant.get("period"), at):
                continue
            member = reference(participant.get("member"))
            if member and member not in found:
                found.append(member)
    return found


def version_reference(resource: Resource) -> str | None:
    """``Type/id/_history/n`` of a resource as it is, or None when it carries no version
    (``meta.versionId``)."""
    version = (resource.get("meta") or {}).get("versionId")
    if not version or not resource.get("id"):
        return None
    return f"{key(resource)}/_history/{version}"

OPEN_TASK_STATES = ("draft", "requested", "received", "accepted", "ready", "in-progress",
                    "on-hold")


@dataclass(frozen=True)
class Member:
    """One member of the household Group."""

    reference: str
    role: str | None
    flags: tuple[str, ...]
    inactive: bool
    birth_date: date | None

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Household:
    """A household (Group) and every resource that belongs to it, keyed ``Type/id``."""

    id: str
    resources: Mapping[str, Resource] = field(repr=False)

    @classmethod
    def from_resources(cls, resources: Iterable[Resource],
                       household_id: str | None = None) -> Household:
        """Index resources around one household Group.

        Without ``household_id`` there must be exactly one household Group among them.
        Raises :class:`HouseholdError` otherwise.
        """
        table = {key(r): r for r in resources
                 if isinstance(r, dict) and r.get("resourceType") and r.get("id")}
        groups = [r for r in table.values() if r["resourceType"] == "Group"]
        if household_id is None:
            households = [g for g in groups if _is_profile(g, "regie-household")] or groups
            if len(households) != 1:
                raise HouseholdError(said("household.not_one", count=len(households)))
            household_id = str(households[0]["id"])
        elif f"Group/{household_id}" not in table:
            raise HouseholdError(said("household.not_among", household=household_id))
        return cls(household_id, MappingProxyType(table))

    @property
    def group(self) -> Resource:
        return self.resources[f"Group/{self.id}"]

    @property
    def reference(self) -> str:
        return f"Group/{self.id}"

    def get(self, ref: str | None) -> Resource | None:
        return self.resources.get(ref) if ref else None

    def resolve(self, element: Any) -> Resource | None:
        """The resource a Reference element points to, when it is in this household."""
        return self.get(reference(element))

    def of_type(self, resource_type: str) -> list[Resource]:
        return [r for k, r in sorted(self.resources.items()) if r["resourceType"] == resource_type]

    def of_profile(self, profile_id: str) -> list[Resource]:
        """Resources of a Regie profile, sorted by ``Type/id`` (deterministic output)."""
        resource_type = _RECOGNISE.get(profile_id, (None, None))[0]
        return [r for r in self.of_type(resource_type or "") if _is_profile(r, profile_id)] \
            if resource_type else [r for _, r in sorted(self.resources.items())
                                   if profile_url(profile_id) in _claimed(r)]

    def alerts(self) -> dict[str, tuple[str, ...]]:
        """Per person, the codes of the alerts about them that hold (``regie-alert`` Flags:
        the alleged-perpetrator mark, docs/ig/household.md)."""
        found: dict[str, tuple[str, ...]] = {}
        for flag in self.of_type("Flag"):
            subject = reference(flag.get("subject"))
            what = code(flag.get("code"), "regie-household-flag")
            if subject and what and flag.get("status") not in ("inactive", "entered-in-error"):
                found[subject] = (*found.get(subject, ()), what)
        return found

    def members(self) -> list[Member]:
        found = []
        alerts = self.alerts()
        for member in self.group.get("member", []):
            ref = reference(member.get("entity"))
            if not ref:
                continue
            person = self.get(ref) or {}
            found.append(Member(
                reference=ref,
                role=code(value(extension(member, "regie-household-role")),
                          "regie-household-role"),
                flags=tuple(dict.fromkeys(
                    (*(code(value(e), "regie-household-flag") or "?"
                       for e in extensions(member, "regie-household-flag")),
                     *alerts.get(ref, ())))),
                inactive=bool(member.get("inactive")),
                birth_date=to_date(person.get("birthDate")),
            ))
        return found

    def member_references(self) -> set[str]:
        return {m.reference for m in self.members()}

    def care_team_participants(self) -> list[tuple[str, Resource]]:
        """(CareTeam reference, participant) for every participant of the household's teams."""
        return [(key(team), participant) for team in self.of_profile("regie-care-team")
                for participant in team.get("participant", []) if isinstance(participant, dict)]

    def signatures(self, plan: Resource) -> list[tuple[Any, Any]]:
        """(when, who) of every signature given for this version of the plan
        (:func:`signatures_for`)."""
        return signatures_for(plan, self.of_profile("regie-plan-signature"))

    def danger_statements(self, plan: Resource) -> list[tuple[int, str, str]]:
        """(priority, Condition reference, status) of a safety plan, by priority."""
        found = []
        for entry in extensions(plan, "regie-danger-statement"):
            ref = reference(value(part(entry, "statement")))
            if ref:
                priority = value(part(entry, "priority"))
                found.append((priority if isinstance(priority, int) else 99, ref,
                              str(value(part(entry, "status")) or "active")))
        return sorted(found)


def _claimed(resource: Resource) -> list[str]:
    meta = resource.get("meta")
    profiles = meta.get("profile", []) if isinstance(meta, dict) else []
    return [p.split("|", 1)[0] for p in profiles if isinstance(p, str)]


def _is_profile(resource: Resource, profile_id: str) -> bool:
    if profile_url(profile_id) in _claimed(resource):
        return True
    resource_type, recognise = _RECOGNISE.get(profile_id, (None, None))
    if recognise is None or resource.get("resourceType") != resource_type:
        return False
    # A resource that claims another Regie profile is that one, not this one.
    if any("/StructureDefinition/regie-" in p for p in _claimed(resource)):
        return False
    return recognise(resource)


def contributions(household: Household, people: set[str]) -> list[tuple[date, str, str]]:
    """(date, person, resource) for everything these people said, scored, signed or agreed.

    Used as evidence that a professional was in contact with them: a danger statement in their
    words, a score, a safety-log entry, a goal they expressed, a signature, a consent they gave.
    """
    found: list[tuple[date, str, str]] = []

    def add(when: Any, who: Any, resource: Resource) -> None:
        day, ref = to_date(when), reference(who)
        if day is not None and ref in people:
            found.append((day, ref, key(resource)))

    for resource in household.resources.values():
        kind = resource.get("resourceType")
        if kind == "Condition":
            add(resource.get("recordedDate"), resource.get("asserter"), resource)
        elif kind == "Observation":
            for performer in resource.get("performer", []):
                add(resource.get("effectiveDateTime"), performer, resource)
        elif kind == "Goal":
            add(resource.get("startDate"), resource.get("expressedBy"), resource)
        elif kind == "Provenance":
            for signature in resource.get("signature", []):
                if isinstance(signature, dict):
                    add(signature.get("when"), signature.get("who"), resource)
        elif kind == "Consent":
            for performer in resource.get("performer", []):
                add(resource.get("dateTime"), performer, resource)
    return sorted(found)
