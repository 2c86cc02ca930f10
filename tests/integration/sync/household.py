"""An invented household for the sync tests, built with the model builders (valid against the
Regie profiles, so HAPI takes it): the Jansen household in Arnhem, supported by a local team
(our server) and a youth care provider with its own FHIR server (the partner).

Fenna Jansen (35) consents for herself and, as parent with authority, for Milan (11) and
Sara (7) (a consent per child, DOMAIN.md §1), to share the household's composition, contact details, support plan and agreed
actions with the youth care provider for care coordination. Health data is not covered, so
an action on the life domain *health* must stay behind.
"""

from __future__ import annotations

from typing import Any

from fhir_regie.model import (
    Member,
    Participant,
    agreed_action,
    care_team,
    household,
    patient,
    sharing_consent,
    support_plan,
    to_json,
)

Resource = dict[str, Any]
OURS = "Organization/sync-org-wijkteam"
PARTNER = "Organization/sync-org-jeugdhulp"
ACTION_SYSTEM = "https://fhir-regie.nl/fhir/NamingSystem/test-wijkteam-action"
PARTNER_ACTION_SYSTEM = "https://fhir-regie.nl/fhir/NamingSystem/test-jeugdhulp-action"
URA = "http://fhir.nl/fhir/NamingSystem/ura"
RESPONSIBILITIES = {
    "execution": "Fenna, Milan, Sara en de professionals voeren de afspraken uit.",
    "day-to-day-direction": "De casusregisseur heeft de dagelijkse regie.",
    "facilitating-cooperation": "De procesregisseur zorgt dat iedereen samenwerkt.",
    "resolving-stagnation": "De procesregisseur lost vastlopen op.",
}


def organisation(ref: str, name: str, ura: str) -> Resource:
    return {"resourceType": "Organization", "id": ref.split("/", 1)[1], "active": True,
            "identifier": [{"system": URA, "value": ura}], "name": name}


def practitioner(rid: str, name: str, agb: str) -> Resource:
    return {"resourceType": "Practitioner", "id": rid, "active": True,
            "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/agb-z", "value": agb}],
            "name": [{"text": name}]}


def household_resources() -> list[Resource]:
    """Our side: organisations, the household, its team, plan and consent (dependency order)."""
    fenna = patient(id="jansen-fenna", given="Fenna", family="Jansen", birth_date="1991-02-14",
                    bsn="999990032", gender="female", phone="06-21436587")
    milan = patient(id="jansen-milan", given="Milan", family="Jansen", birth_date="2015-06-30",
                    bsn="999990044", gender="male")
    sara = patient(id="jansen-sara", given="Sara", family="Jansen", birth_date="2019-09-03",
                   bsn="999990056", gender="female")
    home = household(id="household-jansen", name="Huishouden Jansen", members=[
        Member(person=fenna, role="parent", vulnerable_adult=True),
        Member(person=milan, role="child"), Member(person=sara, role="child")],
        managing_organisation=OURS)
    ilse = practitioner("sync-pract-deboer", "Ilse de Boer", "01004567")
    team = care_team(id="jansen-team", subject=home, participants=[
        Participant(member="Practitioner/sync-pract-deboer",
                    roles=["procesregisseur", "casusregisseur"])])
    plan = support_plan(id="jansen-plan", subject=home, title="Ons plan: rust en regelmaat",
                        care_team=team, phase="progress", responsibilities=RESPONSIBILITIES,
                        period_start="2026-10-01")
    consents = [sharing_consent(
        id=f"{person.id}-consent", client=person, given_by=fenna,
        on="2026-10-01T10:00:00+02:00", recipients=PARTNER, purposes="care-coordination",
        data_classes=["household-composition", "contact-details", "support-plan",
                      "agreed-actions"],
        period_start="2026-10-01", period_end="2027-10-01", verified_with=fenna,
        verified_on="2026-10-01T10:00:00+02:00", recorded_by=OURS)
        for person in (fenna, milan, sara)]
    return [organisation(OURS, "Sociaal Wijkteam Arnhem-Zuid", "90004711"),
            organisation(PARTNER, "Jeugdhulp Gelderland", "90004722"), ilse,
            *(to_json(r) for r in (fenna, milan, sara, home, team, plan, *consents))]


def action(number: int, *, status: str = "requested", health: bool = False,
           system: str = ACTION_SYSTEM, plan: str = "CarePlan/jansen-plan",
           group: str = "Group/household-jansen", owner: str = "Practitioner/sync-pract-deboer",
           rid: str | None = None, what: str | None = None) -> Resource:
    """An agreed action with a business identifier (``A<number>``)."""
    task = to_json(agreed_action(
        id=rid or f"jansen-action-{number}", what=what or f"Afspraak {number}: gesprek plannen",
        who=owner, for_whom=group, plan=plan, status=status, due="2026-12-31",
        life_domain="health" if health else "education",
        status_reason="Wacht op wachtlijst" if status in ("on-hold", "cancelled") else None))
    task["identifier"] = [{"system": system, "value": f"A{number:05d}"}]
    return task


def identifier_of(resource: Resource) -> str | None:
    for identifier in resource.get("identifier") or []:
        if identifier.get("system") in (ACTION_SYSTEM, PARTNER_ACTION_SYSTEM):
            return f"{identifier['system']}|{identifier['value']}"
    return None
