"""A sync round for the demo: a local team's FHIR server and the municipality's case system
(``gemeente-suite``, CSV exports in a drop directory) brought in step, both ways.

:func:`sync_round` plays it on a running server that already holds the team's own household
(e.g. De Vries from the guide's examples):

1. the case system drops an export with two households it knows (Yıldız and Smit); the first
   run pulls them in (mapped to the Regie profiles, validated, the original rows kept as a
   Binary with its Provenance);
2. the team records the Yıldız household's consent to share with the municipality, and
   completes an agreed action; it also pauses an action of the Smit household (no consent);
   the case system, meanwhile, marks another Yıldız action done and exports again;
3. the second run pulls that status change in, and pushes the team's through the consent guard:
   only the changed row goes, in an export in the drop directory; the Smit change stays behind
   (denied and recorded); De Vries is not known to the case system and is never sent.

The team's own edits in step 2 are writes to its own server (``consent.guard.LOCAL_WRITERS``);
everything that leaves goes through the sync engine and its guard.

Example::

    summary = sync_round("http://127.0.0.1:8080/fhir", Path("demo-sync"), sys.stdout)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from fhir_regie.client import FhirClient, NotFound
from fhir_regie.ig import CANONICAL
from fhir_regie.messages import say
from fhir_regie.model import sharing_consent, to_json
from fhir_regie.sync.config import load_config
from fhir_regie.sync.engine import JobReport
from fhir_regie.sync.state import open_state
from fhir_regie.sync.worker import run_once

GEMEENTE = "Organization/gemeente-arnhem-sociaal-domein"
ACTION_SYSTEM = f"{CANONICAL}/NamingSystem/gemeente-suite-action"
CLIENT_SYSTEM = f"{CANONICAL}/NamingSystem/gemeente-suite-client"
HOUSEHOLD_SYSTEM = f"{CANONICAL}/NamingSystem/gemeente-suite-household"

# The case system's export (invented households; the format of mappings/gemeente-suite).
HEADERS = {
    "gezinssamenstelling.csv": "huishoudnummer;huishoudnaam;clientnummer;rol;kwetsbaar;vanaf",
    "clienten.csv": "clientnummer;bsn;voornaam;tussenvoegsel;achternaam;geboortedatum;"
                    "geslacht;telefoon;email",
    "plannen.csv": "plannummer;huishoudnummer;titel;fase;status;startdatum;volgend_overleg;"
                   "procesregisseur;procesregisseur_naam;casusregisseur;casusregisseur_naam",
    "acties.csv": "actienummer;plannummer;omschrijving;eigenaar_soort;eigenaar;deadline;status;"
                  "reden;leefgebied;gewijzigd_op",
}
ROWS = {
    "gezinssamenstelling.csv": [
        "H02417;Huishouden Yıldız;C102417;ouder;ja;01-09-2012",
        "H02417;Huishouden Yıldız;C102418;kind;nee;01-09-2013",
        "H02417;Huishouden Yıldız;C102419;kind;nee;04-04-2017",
        "H02418;Huishouden Smit;C102420;grootouder;ja;",
        "H02418;Huishouden Smit;C102421;verzorger;nee;01-06-2026",
    ],
    "clienten.csv": [
        "C102417;999990068;Ayşe;;Yıldız;03-11-1987;V;06-39485721;ayse.yildiz@example.nl",
        "C102418;;Kerem;;Yıldız;21-08-2013;M;;",
        "C102419;;Noor;;Yıldız;04-04-2017;V;;",
        "C102420;999990081;Johan;;Smit;12-02-1948;M;026-4421907;",
        "C102421;;Karin;;Smit;30-05-1975;V;06-55102938;",
    ],
    "plannen.csv": [
        "P240417;H02417;Samen verder: school en geldzaken;voortgang;actief;01-10-2026;"
        "15-12-2026 14:00;MW0412;Fatima el Amrani;MW0388;Jeroen Hoekstra",
        "P240418;H02418;Zorg thuis voor Johan;startoverleg;concept;;;MW0412;Fatima el Amrani;;",
    ],
    "acties.csv": [
        "A0024171;P240417;Ayşe maakt een afspraak bij de schuldhulpverlening;client;C102417;"
        "15-12-2026;gestart;;inkomen;20-11-2026 09:30",
        "A0024172;P240417;Jeroen belt de mentor van Kerem over het verzuim;medewerker;MW0388;"
        "10-12-2026;open;;onderwijs;20-11-2026 09:31",
        "A0024173;P240417;Ayşe gaat naar de huisarts voor haar slaapproblemen;client;C102417;"
        "20-12-2026;open;;gezondheid;20-11-2026 09:32",
        "A0024181;P240418;Karin vraagt respijtzorg aan via het Wmo-loket;client;C102421;"
        "31-12-2026;open;;wmo;20-11-2026 10:05",
    ],
}


@dataclass
class RoundSummary:
    """What the round did, for the caller (and the tests)."""

    first: JobReport
    second: JobReport
    households: list[str] = field(default_factory=list)
    export: Path | None = None
    sent_rows: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)  # action number -> Task.status
    disclosures: int = 0


def _write_export(inbox: Path, name: str, changes: dict[str, str]) -> Path:
    """One export of the case system (written under a dot name, then renamed: complete)."""
    folder = inbox / name
    temporary = inbox / f".{name}"
    temporary.mkdir(parents=True, exist_ok=True)
    for file_name, header in HEADERS.items():
        rows = [changes.get(row.split(";", 1)[0], row) for row in ROWS[file_name]]
        (temporary / file_name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    temporary.rename(folder)
    return folder


def _config(workdir: Path, server_url: str, organisation: str) -> Path:
    path = workdir / "sync.yaml"
    path.write_text(
        "# The demo's sync configuration: our server and the municipality's case system.\n"
        "state: state/sync.db\n"
        f"organisation: {organisation}\n"
        f'local: {{url: "{server_url}"}}\n'
        "jobs:\n"
        "  - name: gemeente\n"
        "    partner: {kind: files, inbox: gemeente/uit, outbox: gemeente/in}\n"
        "    mapping: gemeente-suite\n"
        "    direction: both\n"
        "    purpose: care-coordination\n"
        f"    recipient: {GEMEENTE}\n"
        "    schedule: {every: 5m}\n", encoding="utf-8")
    return path


def _ensure(client: FhirClient, resource: dict[str, Any]) -> None:
    try:
        client.read(resource["resourceType"], resource["id"], as_dict=True)
    except NotFound:
        client.update(resource, if_match=False, as_dict=True)


def _by_identifier(client: FhirClient, rtype: str, system: str, value: str) -> dict[str, Any]:
    found = list(client.search(rtype, {"identifier": f"{system}|{value}"}, as_dict=True))
    if len(found) != 1:
        raise LookupError(f"expected one {rtype} with that number on the server")
    return found[0]


def _team_edits(client: FhirClient, organisation: str, now: datetime) -> None:
    """What the team does between the runs, on its own server."""
    ayse = _by_identifier(client, "Patient", CLIENT_SYSTEM, "C102417")
    kerem = _by_identifier(client, "Patient", CLIENT_SYSTEM, "C102418")
    noor = _by_identifier(client, "Patient", CLIENT_SYSTEM, "C102419")
    given = (now - timedelta(hours=1)).isoformat(timespec="seconds")
    for child, by in ((ayse, [ayse]), (kerem, [kerem, ayse]), (noor, [ayse])):
        # DOMAIN.md §1: under 12 a parent decides; 12 to 15 the child and a parent; adults alone.
        consent = sharing_consent(
            id=f"{child['id'][:40]}-gemeente", client=f"Patient/{child['id']}",
            given_by=[f"Patient/{p['id']}" for p in by], on=given, recipients=GEMEENTE,
            purposes="care-coordination",
            data_classes=["household-composition", "contact-details", "support-plan",
                          "agreed-actions"],
            period_start=now.date().isoformat(),
            period_end=(now + timedelta(days=365)).date().isoformat(),
            verified_with=f"Patient/{ayse['id']}", verified_on=given, recorded_by=organisation)
        client.update(to_json(consent), if_match=False, as_dict=True)
    changed = now.isoformat(timespec="seconds")
    call = _by_identifier(client, "Task", ACTION_SYSTEM, "A0024172")
    call.update(status="completed", lastModified=changed)
    client.update(call, as_dict=True)
    respite = _by_identifier(client, "Task", ACTION_SYSTEM, "A0024181")
    respite.update(status="on-hold", statusReason={"text": "Karin wacht op de indicatie"},
                   lastModified=changed)
    client.update(respite, as_dict=True)


def sync_round(server_url: str, workdir: Path, out: TextIO, *,
               organisation: str = "Organization/devries-org-wijkteam",
               clock: Callable[[], datetime] | None = None, lang: str = "nl") -> RoundSummary:
    """Play a sync round between the team's server and the case system's drop directory
    (see the module docstring) and print a short summary.

    Parameters:
        server_url: the team's FHIR server (it should hold the team's own households).
        workdir: a fresh folder for the configuration, state store and drop directories.
        organisation: the team's Organization (created when the server lacks it).
        lang: the language of the summary lines (``nl`` or ``en``; fhir_regie.messages).
    """
    now = (clock or (lambda: datetime.now(UTC)))()
    workdir.mkdir(parents=True, exist_ok=True)
    config = load_config(_config(workdir, server_url, organisation))
    job = config.jobs[0]
    assert job.partner.kind == "files"
    inbox, outbox = job.partner.inbox, job.partner.outbox
    assert inbox is not None
    assert outbox is not None
    client = FhirClient(server_url)
    _ensure(client, {"resourceType": "Organization", "id": organisation.split("/", 1)[1],
                     "active": True, "name": "Sociaal Wijkteam Arnhem-Noord"})
    _ensure(client, {"resourceType": "Organization", "id": GEMEENTE.split("/", 1)[1],
                     "active": True, "name": "Gemeente Arnhem, sociaal domein",
                     "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/ura",
                                     "value": "90004417"}]})
    print(say("sync.start", lang, folder=outbox.parent), file=out)

    export = _write_export(inbox, "20261201T080000-0001", {})
    first = run_once(config, wait=5).reports["gemeente"]
    print(say("sync.first", lang, export=export.name, applied=first.pull.applied), file=out)

    _team_edits(client, organisation, now)
    _write_export(inbox, "20261201T090000-0002", {
        "A0024171": "A0024171;P240417;Ayşe maakt een afspraak bij de schuldhulpverlening;"
                    "client;C102417;15-12-2026;afgerond;;inkomen;01-12-2026 08:45"})
    print(say("sync.team_edits", lang), file=out)

    outcome = run_once(config, wait=5)
    second = outcome.reports["gemeente"]
    summary = RoundSummary(first, second, households=["H02417", "H02418"])
    for name in second.exports:
        if (outbox / name).is_dir():
            summary.export = outbox / name
            actions = (outbox / name / "acties.csv").read_text(encoding="utf-8").splitlines()
            summary.sent_rows = actions[1:]
    for number in ("A0024171", "A0024172", "A0024173", "A0024181"):
        summary.statuses[number] = _by_identifier(client, "Task", ACTION_SYSTEM,
                                                  number)["status"]
    with open_state(config.state) as state:
        denied = state.counts("gemeente").get("push", {}).get("denied", 0)
    summary.disclosures = sum(1 for _ in client.search(
        "AuditEvent", {"agent": GEMEENTE, "_count": "100"}, as_dict=True,
        fresh=True))   # not HAPI's cached answer to an earlier count
    print(say("sync.second", lang, applied=second.pull.applied,
              status=_status(summary.statuses["A0024171"], lang),
              sent=", ".join(r.split(";")[0] + " " + r.split(";")[6] for r in summary.sent_rows),
              export=summary.export.name if summary.export else "-"), file=out)
    print(say("sync.kept_back", lang, denied=denied), file=out)
    print(say("sync.records", lang, count=summary.disclosures, state=config.state), file=out)
    return summary


def _status(status: str, lang: str) -> str:
    """A Task status as people say it (Dutch), or its code (English)."""
    from fhir_regie.render.document import TASK_STATUS

    return TASK_STATUS.get(status, status) if lang == "nl" else status
