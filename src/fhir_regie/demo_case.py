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
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner

from fhir_regie.ig import codesystem_url
from fhir_regie.model import (
    AssessmentSection,
    Authority,
    DangerStatement,
    JudgementSection,
    Member,
    Participant,
    Section,
    Signature,
    agreed_action,
    alleged_perpetrator_alert,
    care_team,
    concern,
    goal,
    handover,
    handover_document,
    household,
    patient,
    plan_signature,
    related_person,
    report,
    safety_plan,
    safety_scale_score,
    sharing_consent,
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
FIRST_MEETING = datetime(2026, 11, 24, 10, 0, tzinfo=AMS)

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
        "melder", "alert-erik", "condition-geweld", "condition-verslavingszorg", "condition-plan",
        "handover", "document", "zus-marloes", "gevaar-1", "veiligheidsdoel", "afspraak-broer",
        "controle-marloes", "score-linda", "score-marloes", "toestemming-sem",
        "toestemming-noa", "pract-dewit", "team", "melding")}


def _organisation(identifier: str, name: str, ura: str, kind: str) -> dict[str, Any]:
    """An organisation with its kind on Organization.type (``regie-organisation-kind``)."""
    resource = to_json(Organization(id=identifier, active=True, name=name,
                                    identifier=[Identifier(system=URA, value=ura)]))
    resource["type"] = [{"coding": [{"system": codesystem_url("regie-organisation-kind"),
                                     "code": kind}]}]
    return resource


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
        ['Communication', 'Composition', 'Flag']
    """
    n = ids(tag)
    vt, team, gp = (f"Organization/{n['org-vt']}", f"Organization/{n['org-team']}",
                    f"Organization/{n['org-huisarts']}")
    linda = patient(id=n["linda"], given="Linda", family="Hoekstra",
                    birth_date=date(1992, 3, 14), bsn="999990408", gender="female",
                    phone="06-41235879", address=_home(), general_practitioner=gp)
    erik = patient(id=n["erik"], given="Erik", family="Hoekstra", birth_date=date(1988, 7, 30),
                   bsn="999990421", gender="male", address=_home(), general_practitioner=gp)
    # Linda and Erik are married and hold authority over both children together (joint).
    joint = [Authority(f"Patient/{n['linda']}"), Authority(f"Patient/{n['erik']}")]
    sem = patient(id=n["sem"], given="Sem", family="Hoekstra", birth_date=date(2017, 5, 9),
                  bsn="999990433", gender="male", general_practitioner=gp, authority=joint)
    noa = patient(id=n["noa"], given="Noa", family="Hoekstra", birth_date=date(2022, 1, 20),
                  bsn="999990366", gender="female", general_practitioner=gp, authority=joint)
    home = household(id=n["household"], name="Huishouden Hoekstra", members=[
        Member(linda, "parent", vulnerable_adult=True),
        Member(erik, "parent"),
        Member(sem, "child"), Member(noa, "child")])
    erik_mark = alleged_perpetrator_alert(id=n["alert-erik"], person=erik, author=vt,
                                          start=CONDITIONS_SET)
    melder = related_person(
        id=n["melder"], patient=linda, given=reporter.given, family=reporter.family,
        relationship=v3_role("NBOR", "neighbor", text=f"{reporter.description} van Linda"),
        phone=reporter.phone, concern_knowledge="part")
    resources: list[Any] = [linda, erik, sem, noa, home, erik_mark, melder]
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
    report_text = ("Een buurvrouw belde maandag 2 november om 08:40. Zondagnacht hoorde zij Erik "
              "schreeuwen, een harde klap en Noa (4) huilen. Maandagochtend zag zij Linda met "
              "een dikke wang. Het is de derde keer dit najaar dat zij zoiets hoort; Sem (9) "
              "staat dan soms 's avonds buiten op straat." + (f"\n\n{report_extra}"
                                                            if report_extra else ""))
    melding = report(
        id=n["melding"], received=REPORTED, channel="phone", subject=home, vt=vt,
        what_was_reported=report_text, reporter_anonymous=reporter_anonymous, reporter=melder,
        concerns=[linda, sem, noa], identifier=Identifier(system=DOSSIER_SYSTEM,
                                                          value=f"{dossier}-M1"))
    resources.append(melding)
    assessment = AssessmentSection(
        "Veiligheidsbeoordeling op 6 november: structurele onveiligheid. Herhaald "
        "partnergeweld waar Sem en Noa bij zijn, en drankgebruik van Erik. Geen acute "
        "onveiligheid: Linda en de kinderen kunnen bij haar zus terecht. De ouders staan maar "
        "half open voor hulp, dus zonder Veilig Thuis is er geen zicht op veiligheid. "
        "Casuszwaarte zwaar.",
        vt_decision="local-team",
        vt_service={"after-voorwaarden-en-vervolg": "voorwaarden-en-vervolg",
                    "after-onderzoek": "onderzoek"}.get(route),
        unsafety=["acute", "structural"] if acute else ["structural"], assessed_on=ASSESSED)
    # VT's own record keeps who called, also when she stays anonymous to the family; the
    # builder makes only documents that may be handed over (rg-hdc-2), so the record is built
    # as for a named reporter and marked anonymous below. The handover cuts the section.
    document = handover_document(
        id=n["document"], subject=home, route=route, reporter_anonymous=False,
        date=authored_on, author=vt, custodian=vt, confidentiality="R",
        title=f"Overdracht Veilig Thuis {dossier} - huishouden Hoekstra",
        report_content=report_text,
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
        # VT's record names the first version; sending names the version it stores (send.py).
        document_version="1",
        identifier=Identifier(system=DOSSIER_SYSTEM, value=dossier), report=melding,
        restraining_order_imposed=RESTRAINING_ORDER if route == "restraining-order" else None)
    return [_organisation(n["org-vt"], VT_NAME, VT_URA, "vt"),
            _organisation(n["org-team"], TEAM_NAME, TEAM_URA, "local-team"),
            _organisation(n["org-huisarts"], GP_NAME, GP_URA, "general-practice"),
            *(to_json(r) for r in resources), record, to_json(task)]


def named(case: Sequence[dict[str, Any]], reference: str) -> dict[str, Any]:
    """The resource ``Type/id`` of a case."""
    return next(r for r in case if f"{r['resourceType']}/{r['id']}" == reference)


def signed_at_first_meeting(plan: dict[str, Any], tag: str = "hoekstra") -> dict[str, Any]:
    """Linda and Erik sign the stored version of the safety plan (``plan`` as read back, with
    its ``meta.versionId``; persons by VT's ids, as :func:`first_meeting`)."""
    n = ids(tag)
    return to_json(plan_signature(
        id=f"{plan['id']}-getekend", plan=plan,
        signatures=[Signature(f"Patient/{n['linda']}", FIRST_MEETING),
                    Signature(f"Patient/{n['erik']}", FIRST_MEETING)]))


def first_meeting(plan: dict[str, Any], tag: str = "hoekstra") -> list[dict[str, Any]]:
    """The local team's first meeting with Linda, Erik and Linda's sister Marloes on Tuesday
    24 November: the danger statement in Linda's words, a safety goal, two agreements, the
    first scores, the parents' consent that the GP may see the safety plan of Sem and Noa,
    and the plan itself moved to the direct-safety phase. ``plan`` is the safety plan the
    acceptance started (VT's conditions stay in it as they are). Both parents sign the plan
    once it is stored (:func:`signed_at_first_meeting`): a signature names the version.
    """
    n = ids(tag)
    home, linda, erik = (f"Group/{n['household']}", f"Patient/{n['linda']}",
                         f"Patient/{n['erik']}")
    plan_ref = f"CarePlan/{plan['id']}"
    day = FIRST_MEETING.date()
    sister = related_person(
        id=n["zus-marloes"], patient=linda, given="Marloes", family="Kramer",
        relationship=v3_role("SIS", "sister", text="Zus van Linda, tante van Sem en Noa"),
        support=["practical", "emotional"], concern_knowledge="all", phone="06-33445566")
    danger = concern(
        id=n["gevaar-1"], kind="danger-statement", subject=home, asserted_by=linda,
        life_domain="safety", recorded=day,
        description="Ik ben bang dat Erik me weer slaat als hij gedronken heeft, dat Sem en Noa "
                    "het zien, en dat Sem dan weer 's avonds alleen de straat op gaat.")
    safety_goal = goal(
        id=n["veiligheidsdoel"], kind="safety-goal", subject=home, life_domain="safety",
        expressed_by=linda, addresses=[danger], start=day,
        description="Iedereen ziet dat Linda en Erik ruzie maken zonder slaan, duwen of "
                    "schreeuwen. Sem en Noa vertellen tante Marloes dat het thuis rustig is.")
    leave = agreed_action(
        id=n["afspraak-broer"], kind="safety-agreement", who=erik, for_whom=home, plan=plan_ref,
        status="in-progress", goal=safety_goal, authored_on=day,
        what="Voelt Erik dat hij boos wordt, dan belt hij zijn broer Tom en gaat hij naar hem "
             "toe in Elst. Hij komt pas de volgende dag terug.")
    check = agreed_action(
        id=n["controle-marloes"], kind="monitoring-check", who=sister, for_whom=home,
        plan=plan_ref, status="in-progress", goal=safety_goal, authored_on=day,
        what="Marloes belt elke avond om half negen met Linda. Neemt Linda niet op, dan fietst "
             "Marloes langs.")
    scores = [safety_scale_score(id=n[f"score-{who}"], danger_statement=danger, scored_by=ref,
                                 score=score, on=FIRST_MEETING, subject=home,
                                 safety_plan=plan_ref)
              for who, ref, score in (("linda", linda, 4), ("marloes", sister, 3))]
    consents = [sharing_consent(
        id=n[f"toestemming-{child}"], client=f"Patient/{n[child]}", given_by=[linda, erik],
        on=FIRST_MEETING, recipients=f"Organization/{n['org-huisarts']}",
        purposes="shared-plan-view", data_classes=["safety-plan", "agreed-actions"],
        period_start=day, period_end=date(2027, 11, 24), verified_with=linda,
        verified_on=FIRST_MEETING, recorded_by=f"Organization/{n['org-team']}")
        for child in ("sem", "noa")]
    femke = Practitioner(id=n["pract-dewit"], active=True,
                         name=[HumanName(given=["Femke"], family="de Wit")])
    team = care_team(
        id=n["team"], subject=home, name="Team rond huishouden Hoekstra", period_start=day,
        managing_organisation=f"Organization/{n['org-team']}", participants=[
            Participant(femke, ["casusregisseur", "veiligheidsplanner", "procesregisseur"],
                        on_behalf_of=f"Organization/{n['org-team']}", period_start=day),
            Participant(sister, ["veiligheidspersoon", "informeel-netwerk"], period_start=day),
            Participant(f"Organization/{n['org-huisarts']}", "life-time-betrokkene",
                        period_start=day)])
    conditions = [g["reference"] for g in plan.get("goal", [])]
    made = safety_plan(care_team=team,
        id=plan["id"], subject=home, title=plan["title"], kind="direct",
        routekaart_phase="safety", description=plan.get("description"),
        danger_statements=[DangerStatement(danger, priority=1)],
        goals=[*conditions, f"Goal/{n['veiligheidsdoel']}"], actions=[leave, check],
        period_start=plan["period"]["start"], created=plan.get("created"),
        author=plan.get("author", {}).get("reference"))
    return [to_json(r) for r in (femke, sister, team, danger, safety_goal, leave, check, *scores,
                                 *consents, made)]
