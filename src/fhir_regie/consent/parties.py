"""Who is who in a household, as far as sharing rules need it (DOMAIN.md §1, §6).

Built once per decision from the household's resources: members with their age and flags
(the alleged-perpetrator mark from its ``regie-alert`` Flag),
parents with authority, legal representatives, which organisations serve which member, and
which organisation is Veilig Thuis or the local team according to the records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from fhir_regie.consent._read import (
    ROLE_CODE,
    Resource,
    age_on,
    codes,
    extensions,
    key,
    reference,
    references,
    value,
    within,
)
from fhir_regie.ig.sharing import identifier_tokens, organisation_identifiers

PERPETRATOR = "alleged-perpetrator"
#: v3 RoleCode relationships that make a RelatedPerson a legal representative: a guardian
#: (*voogd* of a minor, *mentor* or *curator* of an adult) or someone with power of attorney.
REPRESENTATIVE_ROLES = frozenset({"GUARD", "POWATT", "HPOWATT", "DPOWATT", "SPOWATT"})
#: Kinds of organisation that legal bases name, coded like ``regie-vt-decision`` does.
VT, LOCAL_TEAM = "vt", "local-team"


@dataclass(frozen=True)
class Authority:
    """One holder of authority (*gezag*) over a minor (extension ``regie-parental-authority``):
    ``kind`` parental-authority, guardianship or joint-authority; ``period`` a FHIR Period or
    None (open-ended)."""

    holder: str
    kind: str | None
    period: Any = None

    def current(self, at: datetime) -> bool:
        return self.period is None or within(self.period, at)


@dataclass(frozen=True)
class Person:
    """A household member as the consent rules see them. ``authority`` is what the record
    says about who holds authority over them (empty: not recorded)."""

    reference: str
    role: str | None
    flags: tuple[str, ...]
    active: bool
    birth_date: Any
    unborn: bool
    authority: tuple[Authority, ...] = ()

    def age(self, at: datetime) -> int | None:
        return 0 if self.unborn and self.birth_date is None else age_on(self.birth_date, at.date())

    @property
    def alleged_perpetrator(self) -> bool:
        return PERPETRATOR in self.flags


@dataclass(frozen=True)
class Parties:
    """The household's people and organisations, indexed for the rules."""

    household: str | None
    members: Mapping[str, Person]
    representatives: Mapping[str, frozenset[str]]
    kinds: Mapping[str, frozenset[str]]
    served_by: Mapping[str, frozenset[str]]
    teams: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: ``system|value`` (URA, KvK, OIN) -> the Organizations in the records that carry it
    carriers: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def known_as(self, organisation: str) -> frozenset[str]:
        """The identifiers by which a consent may name ``organisation`` without a reference:
        those it carries and no other organisation in the records carries (a KvK number
        names the whole legal entity, e.g. every department of a municipality, so a shared
        one names none of them)."""
        return frozenset(token for token, orgs in self.carriers.items()
                         if orgs == frozenset({organisation}))

    @property
    def team_orgs(self) -> frozenset[str]:
        """Every organisation or role in one of the household's care teams."""
        return frozenset().union(*self.teams.values()) if self.teams else frozenset()

    def parents_with_authority(self, child: str, at: datetime) -> set[str]:
        """Who holds authority (*gezag*) over ``child`` at ``at``.

        Recorded on the child (``regie-parental-authority``): exactly the holders whose period
        includes ``at`` — a parent not listed has no authority, a guardian (person or
        institution) has it, one holder is sole authority. Not recorded: presumed, as before
        0.2 — the adult active parents of the household plus a recorded guardian
        (``authority_recorded`` tells the two apart; docs/consent.md).
        """
        person = self.members.get(child)
        if person is not None and person.authority:
            return {a.holder for a in person.authority if a.current(at)}
        found = {p.reference for p in self.members.values()
                 if p.role == "parent" and p.active and p.reference != child
                 and (p.age(at) or 0) >= 18}
        return found | set(self.representatives.get(child, ()))

    def authority_recorded(self, child: str) -> bool:
        """True when the record says who holds authority over ``child``."""
        person = self.members.get(child)
        return bool(person is not None and person.authority)

    def serves(self, organisation: str) -> frozenset[str]:
        return self.served_by.get(organisation, frozenset())

    def kind(self, organisation: str, directory: Mapping[str, str]) -> str | None:
        """The organisation's kind (``regie-organisation-kind``: ``vt``, ``local-team``, ...)
        from its ``Organization.type``, else from the handover and household records, else
        from the directory (the CLI's ``--vt``/``--local-team``); None when unknown or
        contradictory. A directory entry never turns a recorded kind into another."""
        recorded = self.kinds.get(organisation, frozenset())
        if len(recorded) == 1:
            return next(iter(recorded))
        if recorded:
            return None
        return directory.get(organisation)


def _organisations(element: Any, roles: Mapping[str, Resource]) -> set[str]:
    """Organisations behind a reference: itself, or a PractitionerRole's organisation."""
    found = set()
    for ref in references(element):
        if ref.startswith("Organization/"):
            found.add(ref)
        elif ref.startswith("PractitionerRole/"):
            org = reference(roles.get(ref, {}).get("organization"))
            if org:
                found.add(org)
    return found


def read_parties(resources: Iterable[Resource], household: str | None = None) -> Parties:
    table = {key(r): r for r in resources if isinstance(r, dict) and r.get("id")}
    groups = [r for r in table.values() if r.get("resourceType") == "Group"]
    group = table.get(f"Group/{household}") if household else (groups[0] if len(groups) == 1
                                                               else None)
    members: dict[str, Person] = {}
    for member in (group or {}).get("member", []):
        ref = reference(member.get("entity"))
        if not ref:
            continue
        person = table.get(ref, {})
        role = codes(value(next(iter(extensions(member, "regie-household-role")), None)),
                     "regie-household-role")
        flags = tuple(c for e in extensions(member, "regie-household-flag")
                      for c in codes(value(e), "regie-household-flag"))
        members[ref] = Person(
            reference=ref, role=role[0] if role else None, flags=flags,
            active=not member.get("inactive"), birth_date=person.get("birthDate"),
            unborn=bool(extensions(person, "regie-expected-birth-date")),
            authority=read_authority(person))
    marked = alleged_perpetrators(table.values())
    members = {ref: replace(person, flags=(*person.flags, PERPETRATOR))
               if ref in marked and PERPETRATOR not in person.flags else person
               for ref, person in members.items()}
    representatives: dict[str, set[str]] = {}
    for related in (r for r in table.values() if r.get("resourceType") == "RelatedPerson"):
        patient = reference(related.get("patient"))
        if patient and related.get("active", True) is not False and \
                REPRESENTATIVE_ROLES & set(codes(related.get("relationship", []),
                                                 system=ROLE_CODE)):
            representatives.setdefault(patient, set()).add(key(related))
    roles = {k: r for k, r in table.items() if r.get("resourceType") == "PractitionerRole"}
    # Organization.type (regie-organisation-kind) says what an organisation is; only for an
    # organisation without it do the handover and household records tell.
    typed = {key(r): set(codes(r.get("type", []), "regie-organisation-kind"))
             for r in table.values() if r.get("resourceType") == "Organization"}
    typed = {k: v for k, v in typed.items() if v}
    carriers: dict[str, set[str]] = {}
    for ref, resource in table.items():
        if resource.get("resourceType") == "Organization":
            for token in identifier_tokens(organisation_identifiers(resource)):
                carriers.setdefault(token, set()).add(ref)
    kinds: dict[str, set[str]] = {k: set(v) for k, v in typed.items()}
    for resource in table.values():
        kind_of = _recorded_kinds(resource)
        for element, kind in kind_of:
            for org in _organisations(element, roles):
                if org not in typed:
                    kinds.setdefault(org, set()).add(kind)
    served: dict[str, set[str]] = {}
    teams: dict[str, frozenset[str]] = {}
    everyone = set(members)
    for team in (r for r in table.values() if r.get("resourceType") == "CareTeam"):
        subject = reference(team.get("subject"))
        about = everyone if subject and subject.startswith("Group/") else (
            {subject} & everyone if subject else set())
        orgs = _organisations(team.get("managingOrganization", []), roles)
        role_refs: set[str] = set()
        for participant in team.get("participant", []):
            if isinstance(participant, dict):
                orgs |= _organisations(participant.get("member"), roles)
                orgs |= _organisations(participant.get("onBehalfOf"), roles)
                role_refs |= {r for r in references(participant.get("member"))
                              if r.startswith("PractitionerRole/")}
        teams[key(team)] = frozenset(orgs | role_refs)
        for org in orgs:
            served.setdefault(org, set()).update(about)
    for ref in members:
        person = table.get(ref, {})
        for org in _organisations(person.get("generalPractitioner", []), roles) | \
                _organisations(person.get("managingOrganization"), roles):
            served.setdefault(org, set()).add(ref)
    return Parties(
        household=key(group) if group else None, members=members,
        representatives={k: frozenset(v) for k, v in representatives.items()},
        kinds={k: frozenset(v) for k, v in kinds.items()},
        served_by={k: frozenset(v) for k, v in served.items()}, teams=teams,
        carriers={k: frozenset(v) for k, v in carriers.items()})


def read_authority(patient: Resource) -> tuple[Authority, ...]:
    """The holders of authority recorded on a Patient (``regie-parental-authority``)."""
    found = []
    for item in extensions(patient, "regie-parental-authority"):
        parts = {p.get("url"): p for p in item.get("extension", []) if isinstance(p, dict)}
        holder = reference(value(parts.get("holder")))
        if not holder:
            continue
        kind = codes(value(parts.get("kind")), "regie-authority-kind")
        found.append(Authority(holder, kind[0] if kind else None,
                               value(parts.get("period"))))
    return tuple(found)


def alleged_perpetrators(resources: Iterable[Resource]) -> set[str]:
    """``Patient/<id>`` of the persons an alleged-perpetrator alert (``regie-alert``, a Flag
    with code ``regie-household-flag#alleged-perpetrator``) marks, unless the alert is inactive
    or entered in error. A 0.1 record's ``regie-household-flag`` on ``Group.member`` still
    counts too (read_parties): for shielding victims the guard reads every mark it finds."""
    found = set()
    for flag in resources:
        if isinstance(flag, dict) and flag.get("resourceType") == "Flag" and \
                flag.get("status") not in ("inactive", "entered-in-error") and \
                PERPETRATOR in codes(flag.get("code"), "regie-household-flag"):
            subject = reference(flag.get("subject"))
            if subject:
                found.add(subject)
    return found


def _recorded_kinds(resource: Resource) -> list[tuple[Any, str]]:
    """Where the records say who Veilig Thuis and the local team are (DOMAIN.md §4)."""
    kind = resource.get("resourceType")
    if kind == "Task" and "handover" in codes(resource.get("code"), "regie-task-type"):
        return [(resource.get("requester"), VT), (resource.get("owner"), LOCAL_TEAM)]
    if kind == "Composition" and "handover-document" in codes(resource.get("type"),
                                                                "regie-document-type"):
        return [(resource.get("author", []), VT), (resource.get("custodian"), VT)]
    if kind == "Group" and codes(resource.get("code"), "regie-group-type"):
        return [(resource.get("managingEntity"), LOCAL_TEAM)]
    return []

