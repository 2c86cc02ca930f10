"""``fhir-regie demo``: the whole story of a handover, on two embedded FHIR servers.

Two organisations, two servers on 127.0.0.1: "Veilig Thuis Gelderland-Midden" and "Lokaal team
Arnhem". The invented Hoekstra household (``fhir_regie.demo_case``) goes through it all: the
neighbour's report, VT's safety assessment and its conditions, the handover (notified pull,
through the consent guard), the local team taking it in and accepting it (the moment
responsibility passes, on both servers, and the terms that start then), the first meeting
and the safety plan with VT's conditions, sharing the plan with the GP on the parents' consent
(and the share refused to the organisation that serves only the alleged perpetrator), and at
last the household's deadlines and safety status. It prints every step and a timeline, and
exits 0 when every check along the way held.

The story is a list of steps over one :class:`Story` context (both servers' clients, the case,
the household, the output directory, the timeline): a new step is a function
``step(story) -> None`` and one line in :data:`STEPS`. Every moment in the story is fixed, so the
output is the same on every run (only the servers' ports differ).

:func:`household_resources` and :func:`summarise` also serve the example households of the
guide (tests, the workflow and consent modules use them).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from fhir_regie.client import FhirClient, NoAuth, bundle_entry, make_bundle
from fhir_regie.ig import IGPackage, codesystem_url, load_package, profile_url
from fhir_regie.messages import MESSAGES, say

Resource = dict[str, Any]
OPEN_TASK_STATES = ("requested", "received", "accepted", "ready", "in-progress", "on-hold")
# Dutch words for the FHIR core statuses shown (the guide's own codes carry Dutch displays).
STATUS_NL = {
    "draft": "concept", "active": "actief", "on-hold": "gepauzeerd", "revoked": "ingetrokken",
    "completed": "afgerond", "requested": "gevraagd", "received": "ontvangen",
    "accepted": "afgesproken", "ready": "klaar om te starten", "in-progress": "loopt",
}
LINKS = ("subject", "for", "patient", "focus", "basedOn", "partOf", "entity", "member",
         "participant", "supportingInfo", "addresses", "goal", "activity", "section", "entry",
         "reference", "valueReference", "extension", "what", "derivedFrom")


def _references(value: Any) -> Iterable[str]:
    """Every relative reference string anywhere inside a resource."""
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str) and "/" in reference:
            yield reference
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _is_notification(resource: Resource) -> bool:
    """A handover notification is a message about an exchange, not part of the household's
    record: it points to the handover it announced, nothing points to it (docs/handover.md)."""
    return resource.get("resourceType") == "Task" and any(
        c.get("code") == "handover-notification" and c.get("system") == codesystem_url(
            "regie-task-type") for c in resource.get("code", {}).get("coding", []))


def household_resources(package: IGPackage, household_id: str) -> dict[str, Resource]:
    """The household and every example connected to it, keyed ``Type/id`` (handover
    notifications aside: they are messages, not the household's record)."""
    start = f"Group/{household_id}"
    if start not in package.examples:
        raise KeyError(household_id)
    members = {ref for ref in _references(package.examples[start]) if ref.startswith("Patient/")}
    anchors = {start, *members}
    found: dict[str, Resource] = {start: package.examples[start]}
    changed = True
    while changed:
        changed = False
        for key, resource in package.examples.items():
            if key in found or _is_notification(resource):
                continue
            if any(ref in anchors or ref in found for ref in _references(resource)):
                found[key] = resource
                changed = True
    # Referenced but not referring (organisations, practitioners): include for names.
    pending = list(found.values())
    while pending:
        for ref in _references(pending.pop()):
            if ref in package.examples and ref not in found:
                found[ref] = package.examples[ref]
                pending.append(found[ref])
    return found


def _name(resource: Resource | None) -> str:
    if not resource:
        return "?"
    names = resource.get("name")
    if isinstance(names, str):
        return names
    if isinstance(names, list) and names:
        first = names[0]
        if first.get("text"):
            return str(first["text"])
        return " ".join([*first.get("given", []), first.get("family", "")]).strip()
    return str(resource.get("id", "?"))


def _display(resources: dict[str, Resource], reference: dict[str, Any] | None) -> str:
    if not reference:
        return "?"
    target = resources.get(reference.get("reference", ""))
    if target and target.get("resourceType") == "PractitionerRole":
        person = resources.get(target.get("practitioner", {}).get("reference", ""))
        return _name(person)
    return reference.get("display") or _name(target)


def _displays(package: IGPackage) -> dict[tuple[str, str], str]:
    """(system, code) -> Dutch display, from the guide's CodeSystems."""
    table: dict[tuple[str, str], str] = {}
    for resource in package.conformance.values():
        if resource["resourceType"] == "CodeSystem":
            for concept in resource.get("concept", []):
                table[(resource["url"], concept["code"])] = concept.get("display", concept["code"])
    return table


@cache
def _dutch() -> dict[tuple[str, str], str]:
    """The Dutch displays of the guide's codes (loaded once, on first use)."""
    return _displays(load_package())


def _code(concept: dict[str, Any] | None) -> str:
    if not concept:
        return "?"
    for coding in concept.get("coding", []):
        key = (coding.get("system", ""), coding.get("code", ""))
        return str(coding.get("display") or _dutch().get(key) or coding.get("code"))
    return str(concept.get("text", "?"))


def _extension(resource: Resource, extension_id: str) -> list[dict[str, Any]]:
    url = profile_url(extension_id)
    return [e for e in resource.get("extension", []) if e.get("url") == url]


def _age(birth_date: str | None, on: date) -> str:
    if not birth_date:
        return "ongeboren"
    year, month, day = (int(part) for part in (birth_date + "-01-01")[:10].split("-"))
    years = on.year - year - ((on.month, on.day) < (month, day))
    return f"{years} jaar"


def _profiled(resources: dict[str, Resource], profile_id: str) -> list[Resource]:
    url = profile_url(profile_id)
    return [r for r in resources.values() if url in r.get("meta", {}).get("profile", [])]


def summarise(resources: dict[str, Resource], household_id: str, on: date) -> list[str]:
    """Readable lines about one household (Dutch labels, as users see them)."""
    group = resources[f"Group/{household_id}"]
    lines = [f"Huishouden: {group.get('name', household_id)}", "", "Gezinsleden:"]
    for member in group.get("member", []):
        person = resources.get(member["entity"]["reference"], {})
        role = "; ".join(_code(e.get("valueCodeableConcept"))
                         for e in _extension(member, "regie-household-role"))
        flags = [_code(e.get("valueCodeableConcept"))
                 for e in _extension(member, "regie-household-flag")]
        flags += [_code(flag.get("code")) for flag in resources.values()
                  if flag.get("resourceType") == "Flag" and flag.get("status") == "active"
                  and flag.get("subject", {}).get("reference") == member["entity"]["reference"]]
        flag_text = f" [{', '.join(flags)}]" if flags else ""
        lines.append(f"  - {_name(person)} ({role}, {_age(person.get('birthDate'), on)})"
                     f"{flag_text}")

    for team in _profiled(resources, "regie-care-team"):
        lines += ["", f"Betrokkenen ({team.get('name', 'team')}):"]
        for participant in team.get("participant", []):
            roles = ", ".join(_code(role) for role in participant.get("role", []))
            lines.append(f"  - {_display(resources, participant.get('member'))}: {roles}")

    for plan in _profiled(resources, "regie-support-plan"):
        phase = next((_code(e["valueCodeableConcept"])
                      for e in _extension(plan, "regie-1g1p1r-phase")), "?")
        lines += ["", f"Ondersteuningsplan: {plan.get('title')} (fase: {phase}, "
                      f"status: {STATUS_NL.get(plan.get('status', ''), plan.get('status'))})"]
        for goal_ref in plan.get("goal", []):
            goal = resources.get(goal_ref["reference"], {})
            lines.append(f"  doel: {goal.get('description', {}).get('text', '?')}")

    scores = _profiled(resources, "regie-safety-scale-score")
    for plan in _profiled(resources, "regie-safety-plan"):
        kind = next((_code(e["valueCodeableConcept"])
                     for e in _extension(plan, "regie-safety-plan-kind")), "?")
        phase = next((_code(e["valueCodeableConcept"])
                      for e in _extension(plan, "regie-routekaart-phase")), "?")
        lines += ["", f"Veiligheidsplan: {plan.get('title')} ({kind}; {phase})"]
        statements = []
        for entry in _extension(plan, "regie-danger-statement"):
            parts = {sub["url"]: sub for sub in entry.get("extension", [])}
            statement = parts.get("statement", {}).get("valueReference", {}).get("reference")
            statements.append((parts.get("priority", {}).get("valuePositiveInt", 99),
                               statement, parts.get("status", {}).get("valueCode")))
        for priority, reference, status in sorted(statements, key=lambda s: s[0]):
            concern = resources.get(reference or "", {})
            mine = sorted(
                (s for s in scores if s.get("focus", [{}])[0].get("reference") == reference),
                key=lambda s: s.get("effectiveDateTime", ""))
            latest = "nog geen score"
            if mine:
                last_day = mine[-1]["effectiveDateTime"][:10]
                today = [s for s in mine if s["effectiveDateTime"][:10] == last_day]
                latest = f"laatste scores {last_day}: " + ", ".join(
                    f"{_display(resources, s['performer'][0])} {s['valueInteger']}" for s in today)
            text = concern.get("code", {}).get("text", "?")
            status_text = _dutch().get(
                (codesystem_url("regie-danger-statement-status"), status or ""), status)
            lines.append(f"  gevaar {priority} ({status_text}): {text}")
            lines.append(f"      {latest}")

    actions = [t for t in _profiled(resources, "regie-agreed-action")
               if t.get("status") in OPEN_TASK_STATES]
    actions.sort(key=lambda t: t.get("restriction", {}).get("period", {}).get("end", "9999"))
    lines += ["", "Open afspraken:"]
    for task in actions:
        due = task.get("restriction", {}).get("period", {}).get("end", "doorlopend")
        lines.append(f"  - [{due}] {_display(resources, task.get('owner'))}: "
                     f"{task.get('description')} "
                     f"({STATUS_NL.get(task.get('status', ''), task.get('status'))})")
    return lines


# ================================================================================== the story
WHO_VT, WHO_TEAM = "Veilig Thuis", "Lokaal team"
STORY_ZONE = ZoneInfo("Europe/Amsterdam")
STATUS_DAY = date(2026, 12, 1)


@dataclass
class Story:
    """What the steps share. Steps read and add to it; ``facts`` is for what one step hands
    to a later one (a plan id, a shared bundle)."""

    vt: FhirClient
    team: FhirClient
    out: TextIO
    out_dir: Path
    region: Any
    case: list[Resource]
    tag: str = "hoekstra"
    timeline: list[tuple[datetime, datetime | date, str, str]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def household_id(self) -> str:
        """The household on the local team's server: the local team's own id for it (the
        handover's copy refers to it; VT's id stays VT's, docs/handover.md "Matching")."""
        from fhir_regie.client import FhirClientError

        try:
            task = self.team.read("Task", self.task_id, as_dict=True)
        except FhirClientError:
            return f"{self.tag}-household"
        ref = str((task.get("for") or {}).get("reference") or "")
        return ref.split("/", 1)[1] if ref.startswith("Group/") else f"{self.tag}-household"

    @property
    def task_id(self) -> str:
        return f"{self.tag}-handover"

    def local(self, ref: str) -> str:
        """The local team's own reference for a resource VT handed over (persons,
        organisations and the household get the local team's ids, docs/handover.md)."""
        from fhir_regie.handover.identity import local_reference

        return local_reference(self.team, self.vt.base_url, ref) or ref

    def localise(self, resources: list[Resource]) -> list[Resource]:
        """The local team's own records written with VT's ids for the persons, organisations
        and household, moved to the local team's ids for them."""
        from fhir_regie.handover._fhir import reference_strings
        from fhir_regie.handover.identity import MATCHED, rewrite_references

        wanted = {ref for r in resources for _, ref in reference_strings(r)
                  if ref.split("/", 1)[0] in MATCHED}
        mapping = {ref: self.local(ref) for ref in sorted(wanted)}
        return [rewrite_references(r, mapping) for r in resources]

    def credentials(self) -> Any:
        """The local team's own server, and its credentials for Veilig Thuis's server (none
        on loopback; a real deployment configures an Auth per server)."""
        from fhir_regie.handover import Credentials

        return Credentials(self.team.base_url, NoAuth(), {self.vt.base_url: NoAuth()})

    def say(self, *lines: str) -> None:
        for line in lines:
            print(f"  {line}", file=self.out)

    def happened(self, at: datetime | date, who: str, what: str) -> None:
        """A line of the timeline; a date without a time sorts at the start of its day."""
        when = at if isinstance(at, datetime) else datetime.combine(at, datetime.min.time(),
                                                                    STORY_ZONE)
        self.timeline.append((when, at, who, what))

    def check(self, holds: bool, what: str) -> None:
        """A fact the story relies on; a failed one makes the demo exit 1."""
        self.say(("[ok] " if holds else "[FOUT] ") + what)
        if not holds:
            self.problems.append(what)


def _when(moment: datetime | date) -> str:
    days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
    text = f"{days[moment.weekday()]} {moment.day:02d}-{moment.month:02d}-{moment.year}"
    return f"{text} {moment:%H:%M}" if isinstance(moment, datetime) else text


def step_report(story: Story) -> None:
    """A neighbour reports to Veilig Thuis (DOMAIN.md §4): the case is VT's own record."""
    from fhir_regie.demo_case import REPORTED

    members = [r for r in story.case if r["resourceType"] == "Patient"]
    story.say(f"{_when(REPORTED)}: een buurvrouw belt Veilig Thuis over het huishouden "
              "Hoekstra en wil anoniem blijven voor het gezin.",
              "Gezinsleden: " + ", ".join(
                  f"{_name(p)} ({_age(p.get('birthDate'), REPORTED.date())})" for p in members),
              f"Veilig Thuis legt het vast in zijn registratie ({len(story.case)} resources, "
              "met wie er belde).")
    path = story.out_dir / "vt-casus.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": r} for r in story.case]}, ensure_ascii=False, indent=1), encoding="utf-8")
    story.say(f"(de casus staat in {path}: probeer fhir-regie handover send --case)")
    story.happened(REPORTED, WHO_VT, "melding van een buurvrouw (anoniem voor het gezin)")


def step_assessment(story: Story) -> None:
    """VT's safety assessment within the regional term, then Voorwaarden en Vervolg."""
    from fhir_regie.demo_case import ASSESSED, CONDITIONS_SET, REPORTED
    from fhir_regie.workflow.calendar import WorkingCalendar

    term = story.region.vt.safety_assessment_working_days
    due = WorkingCalendar(story.region.calendar.liberation_day).add_working_days(
        REPORTED.date(), term)
    story.check(due >= ASSESSED, f"veiligheidsbeoordeling op {_when(ASSESSED)}, binnen "
                                 f"{term} werkdagen (uiterlijk {_when(due)})")
    document = next(r for r in story.case if r["resourceType"] == "Composition")
    story.say("Uitkomst: structurele onveiligheid, casuszwaarte zwaar; Veilig Thuis zet "
              "Voorwaarden en Vervolg in.")
    goals = [r for r in story.case if r["resourceType"] == "Goal"]
    story.say(f"{_when(CONDITIONS_SET)}: veiligheidsvoorwaarden met de ouders afgesproken:")
    for item in goals:
        story.say(f"  - {item['description']['text']} (termijn {item['target'][0]['dueDate']})")
    story.happened(ASSESSED, WHO_VT, "veiligheidsbeoordeling: zwaar, Voorwaarden en Vervolg")
    story.happened(CONDITIONS_SET, WHO_VT, f"{len(goals)} veiligheidsvoorwaarden gesteld")
    story.facts["document"] = document["id"]


def step_handover(story: Story) -> None:
    """VT puts the handover on its own server and notifies the local team."""
    from fhir_regie.demo_case import HANDED_OVER
    from fhir_regie.handover import send

    sent = send(story.case, story.vt, story.team, at=HANDED_OVER)
    story.say(*sent.lines())
    note = story.team.read("Task", str(sent.notification_id), as_dict=True)
    story.check("Hoekstra" not in json.dumps(note) and "for" not in note,
                "het bericht aan het lokale team bevat niets van de casus, alleen het adres "
                "van de overdracht")
    story.happened(HANDED_OVER, WHO_VT, f"overdracht klaargezet en gemeld ({sent.address.url})")


def step_acceptance(story: Story) -> None:
    """The local team takes the handover in and accepts it: responsibility passes."""
    from fhir_regie.demo_case import HANDED_OVER
    from fhir_regie.handover import accept, inbox, inbox_lines, take_in

    pulled = HANDED_OVER + timedelta(minutes=7)
    for taken in take_in(story.credentials(), at=pulled):
        story.say(taken.line())
    story.say(*inbox_lines(inbox(story.team)))
    story.happened(pulled, WHO_TEAM, "overdracht opgehaald en gecontroleerd")
    accepted_at = datetime(2026, 11, 19, 9, 15, 27, tzinfo=HANDED_OVER.tzinfo)
    done = accept(story.credentials(), story.task_id, at=accepted_at, region=story.region)
    story.say(*done.lines())
    moments = [_transfer(client.read("Task", story.task_id, as_dict=True))
               for client in (story.vt, story.team)]
    story.check(all(moment == accepted_at.isoformat() for moment in moments),
                f"overdrachtsmoment {accepted_at.isoformat()} vastgelegd bij Veilig Thuis en "
                "bij het lokale team")
    monitoring = [t for t in story.vt.search("Task", {"based-on": f"Task/{story.task_id}"},
                                             as_dict=True, fresh=True)
                  if t.get("code", {}).get("coding", [{}])[0].get("code") == "vt-monitoring"]
    story.check(len(monitoring) == len(story.region.monitoring.moments_months),
                "de monitoringsmomenten staan ook op de server van Veilig Thuis: "
                + ", ".join(sorted(t["restriction"]["period"]["end"] for t in monitoring)))
    story.facts["plan"] = done.plan
    story.happened(accepted_at, WHO_TEAM, "overdracht aangenomen: verantwoordelijk voor zicht "
                                          "op veiligheid")


def _transfer(task: Resource) -> str | None:
    return (task.get("executionPeriod") or {}).get("start")


def step_safety_plan(story: Story) -> None:
    """The first meeting: the safety plan with VT's conditions, made with the household."""
    from fhir_regie.demo_case import FIRST_MEETING, first_meeting, signed_at_first_meeting

    plan_id = str(story.facts["plan"]).split("/", 1)[1]
    plan = story.team.read("CarePlan", plan_id, as_dict=True)
    made = story.localise(first_meeting(plan, story.tag))
    first_contact = [t for t in story.team.search("Task", {"based-on": f"Task/{story.task_id}"},
                                                   as_dict=True, fresh=True)
                     if t["code"]["coding"][0]["code"] == "local-team-first-contact"]
    for term in first_contact:   # the local team's own work list: the term is met
        term.update(status="completed", executionPeriod={"end": FIRST_MEETING.date().isoformat()})
    _write_own(story.team, [bundle_entry("PUT", r) for r in (*made, *first_contact)])
    plan = story.team.read("CarePlan", plan_id, as_dict=True)
    # The parents sign the version just stored: an edit after this is unsigned until they
    # sign again (regie-plan-signature).
    signed = story.localise([signed_at_first_meeting(plan, story.tag)])
    _write_own(story.team, [bundle_entry("PUT", r) for r in signed])
    resources = {f"{r['resourceType']}/{r['id']}": r for r in
                 _household(story).values()}
    story.say(f"{_when(FIRST_MEETING)}: eerste gesprek met Linda, Erik en Linda's zus Marloes; "
              "casusregisseur Femke de Wit.")
    story.say(*[line for line in summarise(resources, story.household_id, FIRST_MEETING.date())
                if line.startswith(("Veiligheidsplan", "  gevaar", "      laatste"))])
    conditions = [resources[g["reference"]] for g in plan["goal"]
                  if "safety-condition" in str(resources.get(g["reference"], {})
                                               .get("category"))]
    story.say("Veiligheidsvoorwaarden van Veilig Thuis in het plan (ongewijzigd overgenomen):")
    for item in conditions:
        consequence = next(e["valueString"] for e in item["extension"]
                           if e["url"].endswith("/regie-consequence"))
        story.say(f"  - {item['description']['text']}",
                  f"    termijn {item['target'][0]['dueDate']}; anders: {consequence}")
    from_vt = {r["id"]: r for r in story.case if r["resourceType"] == "Goal"}
    story.check(all(_same_condition(item, from_vt[item["id"]]) for item in conditions)
                and len(conditions) == len(from_vt),
                "de voorwaarden, termijnen en consequenties zijn dezelfde als bij Veilig Thuis")
    story.happened(FIRST_MEETING, WHO_TEAM, "eerste gesprek; veiligheidsplan ondertekend; "
                                            "toestemming voor de huisarts")


def _write_own(own_client: FhirClient, entries: list[Resource]) -> None:
    """Write the local team's own records to its own server (nothing crosses to another
    organisation here: that goes through the handover, which calls the consent guard)."""
    own_client.transaction(make_bundle("transaction", entries), as_dict=True)


def load_example_households(own_client: FhirClient, household_ids: Iterable[str]) -> int:
    """Put the guide's example households (invented people) on a local demo server in one
    transaction, without their AuditEvents; returns how many resources went. For demo servers
    on 127.0.0.1 only (``fhir-regie viewer --demo``): nothing here crosses an organisation."""
    package = load_package()
    everything: dict[str, Resource] = {}
    for household in household_ids:
        everything.update(household_resources(package, household))
    entries = [r for _, r in sorted(everything.items()) if r["resourceType"] != "AuditEvent"]
    own_client.transaction(make_bundle("transaction", [bundle_entry("PUT", r)
                                                       for r in entries]), as_dict=True)
    return len(entries)


def _same_condition(first: Resource, second: Resource) -> bool:
    keys = ("description", "target", "extension", "category")
    return all(first.get(k) == second.get(k) for k in keys)


def _household(story: Story) -> dict[str, Resource]:
    from fhir_regie.client.household import fetch_household

    return fetch_household(story.team, story.household_id)


def _overall(decision: str) -> str:
    """The disclosure guard's overall decision (permit, partial, deny) in words."""
    message_id = f"demo.share.{decision}"
    return say(message_id) if message_id in MESSAGES else decision


def step_share(story: Story) -> None:
    """The safety plan to the GP on the parents' consent; a share refused to the
    organisation that serves only the alleged perpetrator (DOMAIN.md §6)."""
    from fhir_regie.consent import Request, share
    from fhir_regie.consent.parties import read_parties
    from fhir_regie.demo_case import ADDICTION_NAME, ADDICTION_URA, GP_NAME, ids
    from fhir_regie.model import Participant, care_team, to_json

    n = ids(story.tag)
    at = datetime(2026, 11, 25, 11, 30, tzinfo=STORY_ZONE)
    erik = story.local(f"Patient/{n['erik']}")
    addiction = "Organization/verslavingszorg-rijnstroom"
    # The local team records that the addiction care helps Erik (and only him): a care team
    # about Erik. Whom an organisation serves follows from such records, not from a flag.
    _write_own(story.team, [
        bundle_entry("PUT", {
            "resourceType": "Organization", "id": addiction.split("/")[1], "active": True,
            "name": ADDICTION_NAME,
            "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/ura",
                            "value": ADDICTION_URA}],
            "type": [{"coding": [{"system": codesystem_url("regie-organisation-kind"),
                                  "code": "addiction-care"}]}]}),
        bundle_entry("PUT", to_json(care_team(
            id=f"{story.tag}-team-erik", subject=erik, name="Verslavingszorg voor Erik",
            participants=[Participant(member=addiction, roles="professional")])))])
    resources = list(_household(story).values())
    team = story.local(f"Organization/{n['org-team']}")
    gp = share(resources, Request(recipient=story.local(f"Organization/{n['org-huisarts']}"),
                                  purpose="shared-plan-view", at=at, discloser=team))
    path = story.out_dir / "huisarts-veiligheidsplan.json"
    path.write_text(json.dumps(gp.bundle, ensure_ascii=False, indent=1), encoding="utf-8")
    kinds = sorted({f"{e['resource']['resourceType']}" for e in gp.bundle["entry"]})
    story.say(f"{GP_NAME}: {_overall(gp.decision.overall)}, {len(gp.bundle['entry'])} resources "
              f"({', '.join(kinds)}) op toestemming van de ouders, naar {path}")
    withheld = sorted({d.reference.split("/")[0] for d in gp.decision.resources
                       if not d.permit})
    story.say(f"  niet gedeeld (de toestemming dekt het niet): {', '.join(withheld)}")
    _write_own(story.team, [bundle_entry("POST", event.model_dump(mode="json",
                                                                exclude_none=True))
                            for event in gp.audit_events])   # the discloser keeps its records
    story.check(bool(gp.audit_events) and any(
        e["resource"]["resourceType"] == "CarePlan" for e in gp.bundle["entry"]),
        f"het veiligheidsplan is gedeeld en vastgelegd ({len(gp.audit_events)} "
        "AuditEvent(s) regie-disclosure)")
    refused = share(resources, Request(recipient=addiction, purpose="care-coordination",
                                       at=at, discloser=team))
    story.check(read_parties(resources).serves(addiction) == frozenset({erik}),
                "de verslavingszorg helpt alleen Erik (uit het zorgteam om hem)")
    reason = next(iter(refused.decision.resources)).reasons[0]
    # The guard's reasons are for developers (English); the story says it in words.
    told = say("demo.no_recipient_consent") if reason.startswith("no counted consent") \
        else reason
    story.say(f"{ADDICTION_NAME} (helpt alleen Erik): {_overall(refused.decision.overall)}: "
              f"{told}")
    story.check(refused.decision.overall == "deny" and not refused.bundle["entry"],
                "niets gedeeld met de organisatie van de vermoedelijke pleger")
    story.happened(at, WHO_TEAM, "veiligheidsplan gedeeld met de huisarts; delen met de "
                                 "verslavingszorg van Erik geweigerd")


def step_documents(story: Story) -> None:
    """The safety plan on paper and digitally for the household (DOMAIN.md §2 phase 4: send
    the plan to the client), in plain Dutch, through the disclosure guard. The copy is made
    for the protected parent and the children, not for Erik (the alleged perpetrator): so it
    carries their own safety person's number. A copy Erik may read would not."""
    from fhir_regie.consent.household import protected_readers
    from fhir_regie.consent.parties import read_parties
    from fhir_regie.demo_case import ids
    from fhir_regie.render import write_plan_documents

    plan_id = str(story.facts["plan"]).split("/", 1)[1]
    at = datetime(2026, 11, 24, 16, 0, tzinfo=STORY_ZONE)
    household = _household(story)
    readers = protected_readers(read_parties(household.values(), story.household_id))
    paths = write_plan_documents(household.values(), plan_id,
                                 story.out_dir / "documenten", at=at, region=story.region,
                                 discloser=story.local(f"Organization/{ids(story.tag)['org-team']}"),
                                 readers=readers)
    for path in paths:
        story.say(f"{path.suffix[1:].upper()}: {path}")
    html = paths[0].read_text(encoding="utf-8")
    story.check(all(path.stat().st_size > 0 for path in paths)
                and "Veiligheidsplan" in html and "veiligheidsschaal" in html
                and "nummer staat niet in dit document" not in html,
                "het veiligheidsplan staat als HTML en PDF klaar voor de moeder en de "
                "kinderen, met de veiligheidsschaal en het nummer van hun veiligheidspersoon")
    story.happened(at, WHO_TEAM, "veiligheidsplan als PDF en HTML voor het gezin gemaakt")


def step_sync(story: Story) -> None:
    """A sync round between the local team's server and the municipality's case system
    (gemeente-suite CSV exports in a drop directory), both ways, through the consent guard
    (issue 9; docs/sync.md)."""
    from fhir_regie.demo_case import ids
    from fhir_regie.sync.demo import sync_round

    at = datetime(2026, 12, 1, 10, 0, tzinfo=STORY_ZONE)
    summary = sync_round(story.team.base_url, story.out_dir / "sync", _Indented(story.out),
                         organisation=story.local(f"Organization/{ids(story.tag)['org-team']}"),
                         clock=lambda: at)
    pulled = summary.first.pull.applied + summary.second.pull.applied
    story.check(summary.statuses.get("A0024171") == "completed" and bool(summary.sent_rows),
                f"in step met het zaaksysteem: {pulled} resources binnen, "
                f"{len(summary.sent_rows)} gewijzigde actie(s) terug, "
                f"{summary.disclosures} verstrekking(en) vastgelegd")
    story.happened(at, WHO_TEAM, "synchronisatie met het zaaksysteem van de gemeente")


class _Indented:
    """A text stream that indents what a step prints, like :meth:`Story.say`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.start = True

    def write(self, text: str) -> int:
        for piece in text.splitlines(keepends=True):
            self.out.write(("  " if self.start else "") + piece)
            self.start = piece.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self.out.flush()


def step_status(story: Story) -> None:
    """The household's deadlines and safety status at the local team, and a last check that
    the anonymous reporter is nowhere on the local team's server."""
    from fhir_regie.demo_case import Reporter
    from fhir_regie.workflow.deadlines import deadlines
    from fhir_regie.workflow.household import Household
    from fhir_regie.workflow.safety import safety_progress
    from fhir_regie.workflow.status import deadline_lines, safety_lines

    household = Household.from_resources(_household(story).values(), story.household_id)
    found = deadlines(household, story.region, STATUS_DAY)
    story.say(f"Termijnen op {_when(STATUS_DAY)} (regio {story.region.title}):",
              *(f"  {line}" for line in deadline_lines(found)))
    first = next(o for o in found if o.rule == "local-team-first-contact")
    story.check(first.status == "met", f"eerste contact op {first.met_on}, binnen de termijn "
                                       f"van {story.region.local_team.first_contact_days} dagen")
    story.say("Veiligheid:", *(f"  {line}" for line in safety_lines(
        safety_progress(household, story.region, STATUS_DAY))))
    everything = json.dumps([e.resource for e in story.team.history(as_dict=True)
                             if e.resource is not None], ensure_ascii=False)
    reporter = Reporter()
    story.check(not any(part in everything for part in (reporter.family, reporter.phone)),
                "naam en nummer van de melder staan nergens op de server van het lokale team "
                "(alle versies van alle resources doorzocht)")


Step = Callable[[Story], None]
#: The story, in order: (title, step). Add a step with one line here.
STEPS: list[tuple[str, Step]] = [
    ("Melding bij Veilig Thuis", step_report),
    ("Veiligheidsbeoordeling en voorwaarden", step_assessment),
    ("Overdracht (notified pull)", step_handover),
    ("Ontvangst en acceptatie door het lokale team", step_acceptance),
    ("Veiligheidsplan met de voorwaarden van Veilig Thuis", step_safety_plan),
    ("Delen met toestemming", step_share),
    ("Het veiligheidsplan voor het gezin (HTML en PDF)", step_documents),
    ("Synchronisatie met het zaaksysteem van de gemeente", step_sync),
    ("Termijnen en veiligheid", step_status),
]


def run_story(out: TextIO, out_dir: Path | None = None,
              steps: list[tuple[str, Step]] | None = None) -> int:
    """Start two embedded servers, run every step, print the timeline; the exit code.

    Parameters:
        out: where the story is printed.
        out_dir: where files go (the case, what the GP received); a new temporary directory
            when None (kept, and named at the end).
        steps: the steps to run (default :data:`STEPS`).

    Example::

        >>> import io
        >>> run_story(io.StringIO())  # doctest: +SKIP
        0
    """
    from fhir_regie.client.server import start_servers
    from fhir_regie.demo_case import TEAM_NAME, VT_NAME, vt_case
    from fhir_regie.workflow.regions import load_region

    target = out_dir or Path(tempfile.mkdtemp(prefix="fhir-regie-demo-"))
    target.mkdir(parents=True, exist_ok=True)
    with start_servers(2) as (vt_server, team_server), \
            FhirClient(vt_server.base_url) as vt, FhirClient(team_server.base_url) as team:
        print(f"{VT_NAME}: {vt.base_url}", file=out)
        print(f"{TEAM_NAME}: {team.base_url}", file=out)
        story = Story(vt, team, out, target, load_region("gelderland-midden"), vt_case())
        for number, (title, step) in enumerate(steps or STEPS, 1):
            print(f"\n{number}. {title}", file=out)
            try:
                step(story)
            except Exception as error:  # a demo reports the failed step, then stops cleanly
                story.check(False, f"stap {number} ({title}) stopte: "
                                   f"{type(error).__name__}: {error}")
                break
    print("\nTijdlijn:", file=out)
    for _, moment, who, what in sorted(story.timeline, key=lambda item: item[0]):
        print(f"  {_when(moment):<19}  {who:<13} {what}", file=out)
    print(f"\nBestanden: {target}", file=out)
    if story.problems:
        print(f"{len(story.problems)} controle(s) mislukt", file=out)
        return 1
    return 0
