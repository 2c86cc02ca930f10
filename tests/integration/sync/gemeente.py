"""Exports of the municipal case system (``gemeente-suite`` CSV, mappings/gemeente-suite) for the
drop-directory tests: invented households whose numbers are the test's own (the servers of the
session are shared), so a test never meets another's data: numbers and BSNs come from the run's
test identities (tests/identities.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests import identities

GEMEENTE = "Organization/sync-gemeente-arnhem"
TEAM = "Organization/sync-org-wijkteam"
HEADERS = {
    "gezinssamenstelling.csv": "huishoudnummer;huishoudnaam;clientnummer;rol;kwetsbaar;vanaf",
    "clienten.csv": "clientnummer;bsn;voornaam;tussenvoegsel;achternaam;geboortedatum;"
                    "geslacht;telefoon;email",
    "plannen.csv": "plannummer;huishoudnummer;titel;fase;status;startdatum;volgend_overleg;"
                   "procesregisseur;procesregisseur_naam;casusregisseur;casusregisseur_naam",
    "acties.csv": "actienummer;plannummer;omschrijving;eigenaar_soort;eigenaar;deadline;status;"
                  "reden;leefgebied;gewijzigd_op",
}


@dataclass
class CaseHousehold:
    """One household as the case system has it (numbers from ``base``): a parent and a child,
    a plan, and three actions."""

    base: int
    family: str = "Kaya"
    actions: dict[str, dict[str, str]] = field(default_factory=dict)
    broken_birth_date: bool = False
    parent_bsn: str = field(default_factory=identities.bsn)

    def __post_init__(self) -> None:
        if not self.actions:
            for index, (what, owner, domain) in enumerate((
                    ("{p} belt de schuldhulpverlening", "client", "inkomen"),
                    ("Jeroen spreekt de mentor van {c}", "medewerker", "onderwijs"),
                    ("{p} meldt zich bij de huisarts", "client", "gezondheid"))):
                self.actions[self.action(index)] = {
                    "what": what, "owner": owner, "domain": domain, "status": "open",
                    "reden": "", "changed": "20-11-2026 09:0" + str(index)}

    @property
    def household(self) -> str:
        return f"H{self.base % 100000:05d}"

    def client(self, index: int) -> str:
        return f"C{(self.base * 10 + index) % 1000000:06d}"

    @property
    def plan(self) -> str:
        return f"P{self.base % 1000000:06d}"

    def action(self, index: int) -> str:
        return f"A{(self.base * 10 + index) % 10000000:07d}"

    def rows(self) -> dict[str, list[str]]:
        parent, child = self.client(1), self.client(2)
        birth = "31-02-1990" if self.broken_birth_date else "14-03-1990"
        acties = []
        for number, a in self.actions.items():
            owner = parent if a["owner"] == "client" else "MW0388"
            acties.append(";".join([number, self.plan, a["what"].format(p="Sevda", c="Emre"),
                                    a["owner"], owner, "31-12-2026", a["status"], a["reden"],
                                    a["domain"], a["changed"]]))
        return {
            "gezinssamenstelling.csv": [
                f"{self.household};Huishouden {self.family};{parent};ouder;ja;01-01-2015",
                f"{self.household};Huishouden {self.family};{child};kind;nee;01-01-2015"],
            "clienten.csv": [
                f"{parent};{self.parent_bsn};Sevda;;{self.family};{birth};V;"
                "06-11223344;",
                f"{child};;Emre;;{self.family};02-05-2014;M;;"],
            "plannen.csv": [f"{self.plan};{self.household};Samen verder;voortgang;actief;"
                            "01-10-2026;;MW0412;Fatima el Amrani;MW0388;Jeroen Hoekstra"],
            "acties.csv": acties,
        }


def drop(inbox: Path, name: str, households: list[CaseHousehold]) -> Path:
    """Write an export as the case system does: under a dot name, then renamed."""
    temporary = inbox / f".{name}"
    temporary.mkdir(parents=True)
    for file_name, header in HEADERS.items():
        lines = [header] + [row for h in households for row in h.rows()[file_name]]
        (temporary / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    final = inbox / name
    temporary.rename(final)
    return final


# H10000-H99999, each once per run; below 10000 are the demo's (H02417: fhir_regie.sync.demo),
# which the demo test writes to the same server.
_BASES = identities.numbers(90_000)


def new_base() -> int:
    """A household's base number, this run's own (household, client, plan and action numbers
    all follow from it)."""
    return 10_000 + _BASES()


def write_config(folder: Path, local_url: str, **job: object) -> Path:
    settings = {"name": "gemeente", "partner": {"kind": "files", "inbox": "uit",
                                                "outbox": "in"},
                "mapping": "gemeente-suite", "recipient": GEMEENTE, "start": "now",
                "overlap": "2s", "retry_backoff": "100ms"}
    settings.update(job)
    config = {"state": "state.db", "organisation": TEAM,
              "local": {"url": local_url, "retry": {"backoff": "50ms", "cap": "1s"}},
              "jobs": [settings]}
    path = folder / "sync.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
