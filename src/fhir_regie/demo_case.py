"""The Hoekstra household: an invented case for the demo and the handover tests.

Arnhem-Malburgen, autumn 2026 (fictional people, BSNs that pass the eleven-check, invented
addresses). On Sunday night 1 November a neighbour hears Erik Hoekstra shout, a heavy bang and
four-year-old Noa crying; the next morning she sees Linda with a swollen cheek. It is the
third time this autumn. On Monday 2 November at 08:40 she calls Veilig Thuis
Gelderland-Midden and asks to stay anonymous to the family.

Veilig Thuis assesses the case on Friday 6 November (within 5 working days): structural
unsafety — repeated partner violence that the children see, Erik's drinking — and the parents
only half open to help, so no sight on safety without VT: case weight *zwaar*, service
*Voorwaarden en Vervolg*. On 12 November VT sets three safety conditions with the parents, and
on Wednesday 18 November at 14:00 it hands the case over to Lokaal team Arnhem.

:func:`vt_case` builds Veilig Thuis's own record of it — more than a handover may carry (the
reporter's name and number, VT's internal note on who called) — for any route, so the tests
can run every route on the same household. Every resource is made with the model builders
(validated on build), the organisations with ``fhir.resources`` models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fhir.resources.R4B.address import Address
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.task import TaskRestriction

from fhir_regie.model import (
    AssessmentSection,
    JudgementSection,
    Member,
    Section,
    goal,
    handover,
    handover_document,
    household,
    patient,
    related_person,
    to_json,
    v3_role,
)

AMS = ZoneInfo("Europe/Amsterdam")
URA = "http://fhir.nl/fhir/NamingSystem/ura"
DOSSIER_SYSTEM = "https://fhir-regie.nl/fhir/NamingSystem/vt-registratie-dossier"

# The story's moments (Europe/Amsterdam).
REPORTED = datetime(2026, 11, 2, 8, 40, tzinfo=AMS)
ASSESSED = date(2026, 11, 6)
CONDITIONS_SET = date(2026, 11, 12)
HANDED_OVER = datetime(2026, 11, 18, 14, 0, tzinfo=AMS)
RESTRAINING_ORDER = date(2026, 11, 16)   # only on the restraining-order route

VT_NAME, VT_URA = "Veilig Thuis Gelderland-Midden", "90001231"
TEAM_NAME, TEAM_URA = "Lokaal team Arnhem", "90004620"
GP_NAME, GP_URA = "Huisartsenpraktijk Malburgen", "90007834"
ADDICTION_NAME, ADDICTION_URA = "Verslavingszorg Rijnstroom, locatie Arnhem", "90008123"


@dataclass(frozen=True)
class Reporter:
    """Who called Veilig Thuis (*melder*)."""

    given: str = "Joke"
    family: str = "Verbeek"
    phone: str = "06-18273645"
    description: str = "buurvrouw"


JUDGEMENT = JudgementSection("Veilig Thuis stelt vast dat er sprake is van partnergeweld waar "
                             "de kinderen getuige van zijn.", judgement="abuse-established")


def ids(tag: str) -> dict[str, str]:
    """The ids of one case; ``tag`` keeps several cases apart on one server."""
    return {name: f"{tag}-{name}" for name in (
        "org-vt", "org-team", "org-huisarts", "linda", "erik", "sem", "noa", "household",
        "melder", "condition-geweld", "condition-verslavingszorg", "condition-plan",
        "handover", "document")}


def _organisation(identifier: str, name: str, ura: str) -> dict[str, Any]:
    return to_json(Organization(id=identifier, active=True, name=name,
                                identifier=[Identifier(system=URA, value=ura)]))


def _home() -> Address:
    return Address(line=["Pluimenburgstraat 12"], postalCode="6845 BD", city="Arnhem")


def vt_case(*, route: str = "after-voorwaarden-en-vervolg", tag: str = "hoekstra",
            dossier: str = "VTGM-2026-09120", reporter_anonymous: bool = True,
            reporter: Reporter = Reporter(), with_judgement: bool = False,
            authored_on: datetime = HANDED_OVER, acute: bool = False,
            report_extra: str = "") -> list[dict[str, Any]]:
    """Veilig Thuis's record of the Hoekstra case, ready for ``fhir-regie handover send``.

    Parameters:
        route: the handover route (the document carries what that route needs).
        tag: prefix of every id; ``dossier``: VT's case number (the Task's identifier).
        reporter_anonymous: whether the neighbour stays anonymous to the family. VT's own
            document keeps her contact section either way; the handover decides.
        reporter: who called (the tests give each case its own reporter).
        with_judgement: VT's internal document also holds a judgement section, which only
            an Onderzoek may hand over.
        report_extra: a sentence added to the report text (tests put the reporter's name
            there, to see it scrubbed).

    Example::

        >>> case = vt_case()
        >>> sorted({r["resourceType"] for r in case})[:3]
        ['Composition', 'Goal', 'Group']
    """
    n = ids(tag)
    vt, team, gp = (f"Organization/{n['org-vt']}", f"Organization/{n['org-team']}",
                    f"Organization/{n['org-huisarts']}")
    linda = patient(id=n["linda"], given="Linda", family="Hoekstra",
                    birth_date=date(1992, 3, 14), bsn="999990408", gender="female",
                    phone="06-41235879", address=_home(), general_practitioner=gp)
    erik = patient(id=n["erik"], given="Erik", family="Hoekstra", birth_date=date(1988, 7, 30),
                   bsn="999990421", gender="male", address=_home(), general_practitioner=gp)
    sem = patient(id=n["sem"], given="Sem", family="Hoekstra", birth_date=date(2017, 5, 9),
                  bsn="999990433", gender="male", general_practitioner=gp)
    noa = patient(id=n["noa"], given="Noa", family="Hoekstra", birth_date=date(2022, 1, 20),
                  bsn="999990366", gender="female", general_practitioner=gp)
    home = household(id=n["household"], name="Huishouden Hoekstra", members=[
        Member(linda, "parent", vulnerable_adult=True),
        Member(erik, "parent", alleged_perpetrator=True),
        Member(sem, "child"), Member(noa, "child")])
    melder = related_person(
        id=n["melder"], patient=linda, given=reporter.given, family=reporter.family,
        relationship=v3_role("NBOR", "neighbor", text=f"{reporter.description} van Linda"),
        phone=reporter.phone, concern_knowledge="part")
    resources: list[Any] = [linda, erik, sem, noa, home, melder]
    service_route = route in ("after-voorwaarden-en-vervolg", "after-onderzoek")
    conditions = []
    if service_route or route == "restraining-order":
        conditions = [
            goal(id=n["condition-geweld"], kind="safety-condition", subject=home,
                 start=CONDITIONS_SET, due=date(2026, 12, 31),
                 description="Erik gebruikt geen geweld meer, ook niet dreigend, en schreeuwt "
                             "niet tegen Linda of de kinderen. Loopt een ruzie op, dan gaat "
                             "hij meteen naar zijn broer in Elst en komt pas de volgende dag "
                             "terug.",
                 consequence="Veilig Thuis start een onderzoek en vraagt de Raad voor de "
                             "Kinderbescherming om onderzoek naar een beschermingsmaatregel "
                             "voor Sem en Noa."),
            goal(id=n["condition-verslavingszorg"], kind="safety-condition", subject=home,
                 start=CONDITIONS_SET, due=date(2026, 12, 1),
                 description="Erik meldt zich vóór 1 december aan bij de verslavingszorg voor "
                             "zijn drankgebruik en gaat naar elke afspraak.",
                 consequence="Veilig Thuis bespreekt met de ouders en het lokale team dat "
                             "Erik tijdelijk ergens anders gaat wonen; weigert hij, dan start "
                             "Veilig Thuis een onderzoek."),
            goal(id=n["condition-plan"], kind="safety-condition", subject=home,
                 start=CONDITIONS_SET, due=date(2026, 12, 15),
                 description="Linda en Erik maken vóór 15 december met het lokale team en "
                             "hun netwerk een veiligheidsplan en houden zich aan de afspraken "
                             "daarin.",
                 consequence="Veilig Thuis start een onderzoek."),
        ]
        resources += conditions
    report = ("Een buurvrouw belde maandag 2 november om 08:40. Zondagnacht hoorde zij Erik "
              "schreeuwen, een harde klap en Noa (4) huilen. Maandagochtend zag zij Linda met "
              "een dikke wang. Het is de derde keer dit najaar dat zij zoiets hoort; Sem (9) "
              "staat dan soms 's avonds buiten op straat." + (f"\n\n{report_extra}"
                                                            if report_extra else ""))
    assessment = AssessmentSection(
        "Veiligheidsbeoordeling op 6 november: structurele onveiligheid. Herhaald "
        "partnergeweld waar Sem en Noa bij zijn, en drankgebruik van Erik. Geen acute "
        "onveiligheid: Linda en de kinderen kunnen bij haar zus terecht. De ouders staan maar "
        "half open voor hulp, dus zonder Veilig Thuis is er geen zicht op veiligheid. "
        "Casuszwaarte zwaar.",
        vt_decision="local-team",
        vt_service={"after-voorwaarden-en-vervolg": "voorwaarden-en-vervolg",
                    "after-onderzoek": "onderzoek"}.get(route),
        unsafety=["acute", "structural"] if acute else ["structural"])
    # VT's own record keeps who called, also when she stays anonymous to the family; the
    # builder makes only documents that may be handed over (rg-hdc-2), so the record is built
    # as for a named reporter and marked anonymous below. The handover cuts the section.
    document = handover_document(
        id=n["document"], subject=home, route=route, reporter_anonymous=False,
        date=authored_on, author=vt, custodian=vt, confidentiality="R",
        title=f"Overdracht Veilig Thuis {dossier} - huishouden Hoekstra",
        report_content=report,
        reporter_contact=Section(
            f"{reporter.given} {reporter.family}, {reporter.description}, {reporter.phone}. "
            + ("Zij wil anoniem blijven voor het gezin." if reporter_anonymous else
               "Zij vindt het goed dat het lokale team contact met haar opneemt."),
            entries=[melder]),
        safety_assessment=assessment,
        vt_judgement=JUDGEMENT if with_judgement and route == "after-onderzoek" else None,
        safety_conditions=Section(
            "Drie voorwaarden, op 12 november met Linda en Erik afgesproken: geen geweld "
            "(tot 31 december), aanmelden bij de verslavingszorg (vóór 1 december) en een "
            "veiligheidsplan met het lokale team (vóór 15 december).",
            entries=conditions) if conditions else None,
        safety_plan=Section(
            "Tot het veiligheidsplan er is: loopt een ruzie op, dan gaat Erik naar zijn broer "
            "en belt Linda haar zus.") if service_route or route == "restraining-order"
        else None,
        consequences=("Worden de voorwaarden niet (op tijd) nagekomen, dan start Veilig Thuis "
                      "een onderzoek en kan het de Raad voor de Kinderbescherming inschakelen."
                      ) if conditions else None,
        plan_agreements="Het lokale team neemt contact op met het gezin en maakt met de ouders "
                        "en hun netwerk het veiligheidsplan; daarna volgt het "
                        "ondersteuningsplan.",
        monitoring_agreements=("Veilig Thuis monitort na 3 en 12 maanden of de voorwaarden "
                               "worden nageleefd en of de veiligheid blijft."
                               ) if service_route else None)
    record = to_json(document)
    if with_judgement and route != "after-onderzoek":
        # VT's own record may hold its judgement on any route; only an Onderzoek hands it
        # over (rg-hdc-1), so the builder would refuse it here.
        record["section"].insert(3, to_json(JUDGEMENT.to_fhir("vt-judgement", ())))
    if reporter_anonymous:
        for item in record["extension"]:
            if item["url"].endswith("/regie-reporter-anonymous"):
                item["valueBoolean"] = True
    task = handover(
        id=n["handover"], route=route, case_weight="zwaar" if route != "direct-after-assessment"
        else "middelzwaar", acute=acute, reported_on=REPORTED, vt=vt, local_team=team,
        subject=home, document=document, authored_on=authored_on, status="requested",
        identifier=Identifier(system=DOSSIER_SYSTEM, value=dossier))
    if route == "restraining-order":
        task.restriction = TaskRestriction(period=Period(start=RESTRAINING_ORDER))
    return [_organisation(n["org-vt"], VT_NAME, VT_URA),
            _organisation(n["org-team"], TEAM_NAME, TEAM_URA),
            _organisation(n["org-huisarts"], GP_NAME, GP_URA),
            *(to_json(r) for r in resources), record, to_json(task)]


def named(case: Sequence[dict[str, Any]], reference: str) -> dict[str, Any]:
    """The resource ``Type/id`` of a case."""
    return next(r for r in case if f"{r['resourceType']}/{r['id']}" == reference)
