"""Builders for the household and its network (docs/ig/household.md): the clients (Patient), the
informal network (RelatedPerson), the household (Group) and the team around it (CareTeam)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.address import Address
from fhir.resources.R4B.careteam import CareTeam, CareTeamParticipant
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.contactpoint import ContactPoint
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.group import Group, GroupMember
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.relatedperson import RelatedPerson

from fhir_regie.model._base import (
    SDV,
    DateLike,
    DateTimeLike,
    Ref,
    as_list,
    builds,
    coded_extension,
    complex_extension,
    concept,
    core_code,
    extension,
    fhir_date,
    fhir_datetime,
    finish,
    optional_reference,
    reference,
    references,
    sub_extension,
)

BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
ROLE_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
PROFESSIONALS = ("Practitioner", "PractitionerRole", "Organization")
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
TEAM_MEMBERS = ("Patient", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization")


def _name(given: str | Sequence[str] | None, family: str | None,
          name_text: str | None) -> HumanName:
    return HumanName(family=family, given=as_list(given) or None, text=name_text)


def _telecom(phone: str | None, email: str | None) -> list[ContactPoint]:
    found = []
    if phone:
        found.append(ContactPoint(system="phone", value=phone))
    if email:
        found.append(ContactPoint(system="email", value=email))
    return found


def _period(start: DateTimeLike | None, end: DateTimeLike | None, parameter: str) -> Period | None:
    if start is None and end is None:
        return None
    return Period(start=fhir_datetime(start, f"{parameter}_start"),
                  end=fhir_datetime(end, f"{parameter}_end"))


@dataclass(frozen=True)
class Authority:
    """One holder of authority (*gezag*) over a minor, for ``patient(authority=[...])``
    (extension ``regie-parental-authority``).

    ``holder``: a parent (Patient), a guardian (RelatedPerson, or an Organization for a
    certified institution); ``kind``: parental-authority, guardianship or joint-authority;
    ``start``/``end``: since and until when. One holder recorded is sole authority, two joint;
    a parent not recorded has no authority.
    """

    holder: Ref
    kind: str = "parental-authority"
    start: DateTimeLike | None = None
    end: DateTimeLike | None = None

    def to_fhir(self, index: int) -> Any:
        return complex_extension(
            "regie-parental-authority",
            sub_extension("holder", valueReference=reference(
                self.holder, "Patient", "RelatedPerson", "Organization",
                parameter=f"authority[{index}].holder")),
            sub_extension("kind", valueCodeableConcept=concept("regie-authority-kind",
                                                               self.kind)),
            sub_extension("period", valuePeriod=_period(self.start, self.end,
                                                        f"authority[{index}]")))


@builds("regie-patient")
def patient(*, given: str | Sequence[str] | None = None, family: str | None = None,
            name_text: str | None = None, birth_date: DateLike | None = None,
            expected_birth_date: DateLike | None = None, bsn: str | None = None,
            gender: str | None = None, phone: str | None = None, email: str | None = None,
            address: Address | Sequence[Address] | None = None,
            general_practitioner: Ref | Sequence[Ref] | None = None,
            managing_organisation: Ref | None = None,
            authority: Sequence[Authority] = (),
            id: str | None = None, security_label: str | None = None) -> Patient:
    """A client (*cliënt*): a member of a supported household, of any age (profile
    ``regie-patient``).

    Parameters:
        given, family: the name; ``name_text`` instead (or as well) for a pseudonym such as
            ``"S. (pseudoniem)"`` in a very restricted case.
        birth_date: required, except for an unborn child (*ongeboren kind*), which carries
            ``expected_birth_date`` instead (``rg-pat-1``).
        bsn: the citizen service number; it must pass the eleven-check (``rg-bsn-1``).
        gender: ``male | female | other | unknown``.
        phone, email, address: contact data. Leave the address out when it must not travel
            (a shelter location).
        general_practitioner: the GP (*huisarts*): Practitioner, PractitionerRole or Organization.
        authority: for a minor, who holds authority (*gezag*) over them (``Authority``):
            the consent rules take exactly these holders; without it the adult parents of the
            household are presumed to hold it.
        security_label: ``"V"`` for an honour-related violence case, ``"R"`` restricted.

    Example::

        >>> sanne = patient(given="Sanne", family="de Vries", birth_date="1990-04-12",
        ...                 bsn="999990007", id="devries-sanne")
        >>> sanne.meta.profile[0].endswith("regie-patient")
        True
    """
    extensions = []
    if expected_birth_date is not None:
        extensions.append(extension("regie-expected-birth-date",
                                    valueDate=fhir_date(expected_birth_date,
                                                        "expected_birth_date")))
    extensions += [holder.to_fhir(index) for index, holder in enumerate(authority)]
    return finish(
        Patient, "regie-patient", id=id, security_label=security_label,
        extension=extensions,
        identifier=[Identifier(system=BSN_SYSTEM, value=bsn)] if bsn is not None else None,
        name=[_name(given, family, name_text)] if (given or family or name_text) else None,
        gender=core_code("administrative-gender", gender, "gender") if gender else None,
        birthDate=fhir_date(birth_date, "birth_date"),
        telecom=_telecom(phone, email),
        address=as_list(address),
        generalPractitioner=references(general_practitioner, *PROFESSIONALS,
                                       parameter="general_practitioner"),
        managingOrganization=optional_reference(managing_organisation, "Organization",
                                                parameter="managing_organisation"),
    )


def v3_role(code: str | None = None, display: str | None = None, *,
            text: str | None = None) -> CodeableConcept:
    """A relationship for :func:`related_person`: an HL7 v3 RoleCode (``"MTH"``, ``"NBOR"``,
    ``"GUARD"``) with its display, and/or the relationship in words (``text``).

    The v3 RoleCode system is not part of this guide, so its codes are not checked here."""
    codings = [Coding(system=ROLE_CODE_SYSTEM, code=code, display=display)] if code else None
    return CodeableConcept(coding=codings, text=text)


@builds("regie-related-person")
def related_person(*, patient: Ref, relationship: CodeableConcept | str
                   | Sequence[CodeableConcept | str],
                   given: str | Sequence[str] | None = None, family: str | None = None,
                   name_text: str | None = None,
                   support: str | Sequence[str] = (), concern_knowledge: str | None = None,
                   active: bool | None = True, phone: str | None = None,
                   email: str | None = None, address: Address | Sequence[Address] | None = None,
                   id: str | None = None, security_label: str | None = None) -> RelatedPerson:
    """A member of the informal network (*sociaal netwerk*): family, friends, neighbours, club,
    church (profile ``regie-related-person``).

    Parameters:
        patient: the client this person is related to.
        relationship: :func:`v3_role` concepts, or plain words (``"buurvrouw"``).
        support: kinds of support (*soort steun*): ``practical``, ``emotional``, ``financial``,
            ``thinking-along``.
        concern_knowledge: what this person knows of the concerns (*veilige cirkels*):
            ``all``, ``part``, ``none``.

    Example::

        >>> ria = related_person(patient="Patient/devries-sanne", given="Ria", family="Mulder",
        ...                      relationship=v3_role("MTH", "mother"), support=["practical"],
        ...                      concern_knowledge="all", id="devries-oma-ria")
    """
    extensions = [coded_extension("regie-support-kind", "regie-support-kind", kind)
                  for kind in as_list(support)]
    if concern_knowledge is not None:
        extensions.append(coded_extension("regie-concern-knowledge", "regie-concern-knowledge",
                                          concern_knowledge))
    relationships = [CodeableConcept(text=r) if isinstance(r, str) else r
                     for r in as_list(relationship)]
    return finish(
        RelatedPerson, "regie-related-person", id=id, security_label=security_label,
        extension=extensions,
        active=active,
        patient=reference(patient, "Patient", parameter="patient"),
        relationship=relationships,
        name=[_name(given, family, name_text)] if (given or family or name_text) else None,
        telecom=_telecom(phone, email),
        address=as_list(address),
    )


@dataclass(frozen=True)
class Member:
    """A member of a household (*gezinslid*) for :func:`household`.

    ``role`` from ``regie-household-role`` (parent, child, partner, grandparent, carer, other,
    unborn-child); ``vulnerable_adult`` marks the most vulnerable adult (*kwetsbare volwassene*).
    ``period_start`` / ``period_end`` and ``inactive`` record who lived in the household when.
    The alleged perpetrator (*vermoedelijke pleger*) is not marked here but with
    :func:`alleged_perpetrator_alert` (a Flag of its own, labelled SDV; since 0.2).
    """

    person: Ref
    role: str
    vulnerable_adult: bool = False
    period_start: DateTimeLike | None = None
    period_end: DateTimeLike | None = None
    inactive: bool = False

    def to_fhir(self) -> GroupMember:
        extensions = [coded_extension("regie-household-role", "regie-household-role", self.role)]
        if self.vulnerable_adult:
            extensions.append(coded_extension("regie-household-flag", "regie-household-flag",
                                              "most-vulnerable-adult"))
        return GroupMember(extension=extensions,
                           entity=reference(self.person, "Patient", parameter="members.person"),
                           period=_period(self.period_start, self.period_end, "members.period"),
                           inactive=True if self.inactive else None)


@builds("regie-household")
def household(*, members: Sequence[Member], name: str | None = None,
              managing_organisation: Ref | None = None, quantity: int | None = None,
              id: str | None = None, security_label: str | None = None) -> Group:
    """The household (*huishouden*, *gezin*) that gets one plan (profile ``regie-household``).

    Parameters:
        members: :class:`Member` per person, with their role and safety flags.
        name: e.g. ``"Huishouden De Vries"``.
        managing_organisation: the organisation that holds the case (*lokaal team*).
        quantity: number of members; defaults to ``len(members)`` (former members included).

    Example::

        >>> home = household(name="Huishouden De Vries", members=[
        ...     Member(person="Patient/devries-sanne", role="parent", vulnerable_adult=True),
        ...     Member(person="Patient/devries-lotte", role="child")], id="household-de-vries")
        >>> home.quantity
        2
    """
    return finish(
        Group, "regie-household", id=id, security_label=security_label,
        type="person", actual=True,
        code=concept("regie-group-type", "household"),
        name=name,
        quantity=len(members) if quantity is None else quantity,
        managingEntity=optional_reference(managing_organisation, *PROFESSIONALS,
                                          parameter="managing_organisation"),
        member=[member.to_fhir() for member in members],
    )


ALERT_STATUSES = ("active", "inactive", "entered-in-error")


@builds("regie-alert")
def alleged_perpetrator_alert(*, person: Ref, author: Ref, start: DateTimeLike,
                              end: DateTimeLike | None = None, status: str = "active",
                              id: str | None = None,
                              security_label: str | None = None) -> Flag:
    """The mark that a person is the alleged perpetrator (*vermoedelijke pleger*) of the
    violence in the household (profile ``regie-alert``, a Flag like nl-core-Alert), always
    labelled SDV so that it is withheld unless the basis names that label.

    Parameters:
        person: whom the mark is about (``regie-patient``).
        author: the organisation or professional that set it; ``start``/``end``: when it holds.
        status: ``active`` while it holds, ``inactive`` once lifted, ``entered-in-error``.
        security_label: a confidentiality code beside SDV (``V`` in an honour-related case).

    Example::

        >>> mark = alleged_perpetrator_alert(person="Patient/devries-mark",
        ...     author="Organization/devries-org-vt", start="2026-09-10", id="devries-alert-mark")
        >>> [c.code for c in mark.meta.security]
        ['SDV']
    """
    if status not in ALERT_STATUSES:
        raise ValueError(f"status: unknown code {status!r} in code system flag-status; "
                         f"allowed: {', '.join(ALERT_STATUSES)}")
    return finish(
        Flag, "regie-alert", id=id, security_label=security_label, sensitivity=(SDV,),
        status=status,
        category=[CodeableConcept(coding=[Coding(system=FLAG_CATEGORY, code="safety",
                                                 display="Safety")])],
        code=concept("regie-household-flag", "alleged-perpetrator"),
        subject=reference(person, "Patient", parameter="person"),
        period=_period(start, end, "period"),
        author=reference(author, *PROFESSIONALS, parameter="author"),
    )


@dataclass(frozen=True)
class Participant:
    """Someone in the care team for :func:`care_team`, with one or more 1G1P1R roles from
    ``regie-role`` (procesregisseur, casusregisseur, veiligheidsplanner, veiligheidspersoon,
    netwerkberaad-voorzitter, aandachtsfunctionaris, life-time-betrokkene, informeel-netwerk,
    professional). ``other_roles`` carries profession codes beside them (the binding is
    extensible). A participant is active while ``period_end`` is empty (``rg-ctm-1``)."""

    member: Ref
    roles: str | Sequence[str]
    on_behalf_of: Ref | None = None
    period_start: DateTimeLike | None = None
    period_end: DateTimeLike | None = None
    other_roles: Sequence[CodeableConcept] = ()

    def to_fhir(self) -> CareTeamParticipant:
        roles = [concept("regie-role", role) for role in as_list(self.roles)]
        return CareTeamParticipant(
            role=roles + list(self.other_roles) or None,
            member=reference(self.member, *TEAM_MEMBERS, parameter="participants.member"),
            onBehalfOf=optional_reference(self.on_behalf_of, "Organization",
                                          parameter="participants.on_behalf_of"),
            period=_period(self.period_start, self.period_end, "participants.period"))


@builds("regie-care-team")
def care_team(*, participants: Sequence[Participant], subject: Ref | None = None,
              name: str | None = None, status: str = "active",
              period_start: DateTimeLike | None = None, period_end: DateTimeLike | None = None,
              managing_organisation: Ref | Sequence[Ref] | None = None,
              id: str | None = None, security_label: str | None = None) -> CareTeam:
    """The team around the household (*team rond het huishouden*), formal and informal, with
    their 1G1P1R roles (profile ``regie-care-team``). At most one active procesregisseur
    (``rg-ctm-1``): hand over by giving the old one a ``period_end`` and adding the successor.

    Example::

        >>> team = care_team(subject="Group/household-de-vries", participants=[
        ...     Participant(member="Practitioner/devries-pract-smit", roles="procesregisseur"),
        ...     Participant(member="RelatedPerson/devries-oma-ria",
        ...                 roles=["veiligheidspersoon", "netwerkberaad-voorzitter"])])
    """
    return finish(
        CareTeam, "regie-care-team", id=id, security_label=security_label,
        status=core_code("care-team-status", status, "status"),
        name=name,
        subject=optional_reference(subject, "Group", "Patient", parameter="subject"),
        period=_period(period_start, period_end, "period"),
        managingOrganization=references(managing_organisation, "Organization",
                                        parameter="managing_organisation"),
        participant=[participant.to_fhir() for participant in participants],
    )
