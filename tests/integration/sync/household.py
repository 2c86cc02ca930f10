"""An invented household for the sync tests, built with the model builders (valid against the
Regie profiles, so HAPI takes it): the Jansen household in Arnhem, supported by a local team
(our server) and a youth care provider with its own FHIR server (the partner).

Fenna Jansen (35) consents for herself and, as parent with authority, for Milan (11) and
Sara (7) (a consent per child, DOMAIN.md §1), to share the household's composition, contact
details, support plan and agreed actions with the youth care provider for care coordination.
Health data is not covered, so an action on the life domain *health* must stay behind.

The servers of the test session are shared, so every test makes its own copy (``Jansen()``):
its own ids, BSNs and identifier systems, all from the run's test identities
(tests/identities.py), so no two copies meet, in a run or across runs on a persistent server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fhir_regie.client import FhirClient, bundle_entry, make_bundle
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
from tests import identities

Resource = dict[str, Any]
OURS = "Organization/sync-org-wijkteam"
PARTNER = "Organization/sync-org-jeugdhulp"
NAMING = "https://fhir-regie.nl/fhir/NamingSystem"
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


def _bsns() -> tuple[str, ...]:
    return tuple(identities.bsn() for _ in range(4))


@dataclass(frozen=True)
class Jansen:
    """One test's copy of the household; ``tag`` makes its ids and identifier systems its own,
    ``bsns`` (Fenna, Milan, Sara, and a number for Ilse's AGB code) are drawn for it."""

    tag: str = field(default_factory=lambda: identities.tag("s"))
    bsns: tuple[str, ...] = field(default_factory=_bsns)

    @property
    def group(self) -> str:
        return f"Group/{self.tag}-household"

    @property
    def plan(self) -> str:
        return f"CarePlan/{self.tag}-plan"

    @property
    def practitioner(self) -> str:
        return f"Practitioner/{self.tag}-deboer"

    @property
    def action_system(self) -> str:
        return f"{NAMING}/test-{self.tag}-wijkteam-action"

    @property
    def partner_action_system(self) -> str:
        return f"{NAMING}/test-{self.tag}-jeugdhulp-action"

    def resources(self) -> list[Resource]:
        """Our side: organisations, the household, its team, plan and consents."""
        tag = self.tag
        fenna = patient(id=f"{tag}-fenna", given="Fenna", family="Jansen",
                        birth_date="1991-02-14", bsn=self.bsns[0], gender="female",
                        phone="06-21436587")
        milan = patient(id=f"{tag}-milan", given="Milan", family="Jansen",
                        birth_date="2015-06-30", bsn=self.bsns[1], gender="male")
        sara = patient(id=f"{tag}-sara", given="Sara", family="Jansen",
                       birth_date="2019-09-03", bsn=self.bsns[2], gender="female")
        home = household(id=f"{tag}-household", name="Huishouden Jansen", members=[
            Member(person=fenna, role="parent", vulnerable_adult=True),
            Member(person=milan, role="child"), Member(person=sara, role="child")],
            managing_organisation=OURS)
        ilse = {"resourceType": "Practitioner", "id": f"{tag}-deboer", "active": True,
                "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/agb-z",
                                "value": f"01{int(self.bsns[3]) % 1000000:06d}"}],
                "name": [{"text": "Ilse de Boer"}]}
        team = care_team(id=f"{tag}-team", subject=home, participants=[
            Participant(member=self.practitioner, roles=["procesregisseur", "casusregisseur"])])
        plan = support_plan(id=f"{tag}-plan", subject=home, title="Ons plan: rust en regelmaat",
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
        return [ilse, *(to_json(r) for r in (fenna, milan, sara, home, team, plan, *consents))]

    def action(self, number: int, *, status: str = "requested", health: bool = False,
               partner: bool = False, group: str | None = None, plan: str | None = None,
               owner: str | None = None, rid: str | None = None,
               what: str | None = None) -> Resource:
        """An agreed action with a business identifier (``A<number>``); ``partner=True``:
        one the youth care provider made (its own numbers; ids and references of its server
        given by the caller)."""
        task = to_json(agreed_action(
            id=rid or f"{self.tag}-action-{number}",
            what=what or f"Afspraak {number}: gesprek plannen",
            who=owner or self.practitioner, for_whom=group or self.group,
            plan=plan or self.plan, status=status, due="2026-12-31",
            life_domain="health" if health else "education",
            status_reason="Wacht op de wachtlijst" if status in ("on-hold", "cancelled")
            else None))
        system = self.partner_action_system if partner else self.action_system
        task["identifier"] = [{"system": system, "value": f"A{number:05d}"}]
        return task

    def number(self, resource: Resource) -> str | None:
        """``ours:A00001`` / ``theirs:A00001`` of one of this household's actions."""
        for identifier in resource.get("identifier") or []:
            if identifier.get("system") == self.action_system:
                return f"ours:{identifier['value']}"
            if identifier.get("system") == self.partner_action_system:
                return f"theirs:{identifier['value']}"
        return None

    def actions_on(self, client: FhirClient) -> dict[str, Resource]:
        """This household's actions on a server, by number (every one must be there once)."""
        found: dict[str, Resource] = {}
        for system in (self.action_system, self.partner_action_system):
            for task in client.search("Task", {"identifier": f"{system}|", "_count": "500"},
                                      as_dict=True):
                number = self.number(task)
                assert number is not None
                assert number not in found, f"{number} twice"
                found[number] = task
        return found


def load(client: FhirClient, resources: list[Resource]) -> None:
    """PUT resources in one transaction (the servers are shared: ids are the test's own)."""
    client.transaction(make_bundle("transaction", [bundle_entry("PUT", r) for r in resources]),
                       as_dict=True)


def ensure_organisations(*clients: FhirClient) -> None:
    """Both organisations on both servers (HAPI refuses references to missing resources, and
    our server's disclosure records name both)."""
    for client in clients:
        load(client, [organisation(OURS, "Sociaal Wijkteam Arnhem-Zuid", "90004711"),
                      organisation(PARTNER, "Jeugdhulp Gelderland", "90004722")])


def write_config(folder: Path, local_url: str, partner_url: str, *, name: str = "jeugdhulp",
                 state: str = "state.db", **job: Any) -> Path:
    """A sync configuration for one FHIR partner job (fast retries for tests); ``state``: a
    file in ``folder`` or a PostgreSQL URL."""
    settings = {"name": name, "partner": {"kind": "fhir", "url": partner_url,
                                          "retry": {"backoff": "50ms", "cap": "1s"},
                                          "timeout": [5, 30]},
                "recipient": PARTNER, "start": "now", "overlap": "2s", "batch": 50,
                "retry_backoff": "100ms", "retry_cap": "2s"}
    settings.update(job)
    config = {"state": state, "organisation": OURS,
              "local": {"url": local_url, "retry": {"backoff": "50ms", "cap": "1s"}},
              "jobs": [settings]}
    path = folder / "sync.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
