"""A plan as people read it: the view model of a plan document, built from FHIR JSON.

Pure: it reads only the resources it is given — for a document, what the disclosure guard let
through for the audience (audience.py) — and the day ``at``. Whatever is missing from them (a
resource that stayed behind, a part that was cut) is simply not in the document; nothing is
looked up elsewhere. Texts stay in the household's own words (DOMAIN.md §2: "plans are written
in plain language, quoting people, no jargon"; §5: danger statements in the household's words).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from fhir_regie.render._read import (
    Resource,
    code,
    codes,
    display,
    dutch_date,
    extensions,
    key,
    moment,
    name,
    part,
    phones,
    reference,
    value,
)
from fhir_regie.workflow.household import safety_persons, signatures_for
from fhir_regie.workflow.regions import RegionSettings

#: Task statuses in plain Dutch (B1), for "status" of an agreed action.
TASK_STATUS = {
    "draft": "nog niet afgesproken", "requested": "gevraagd", "received": "gevraagd",
    "accepted": "afgesproken", "ready": "kan beginnen", "in-progress": "bezig",
    "on-hold": "staat stil", "completed": "klaar", "cancelled": "gestopt",
    "rejected": "niet gedaan", "failed": "niet gelukt", "entered-in-error": "vergissing",
}
OPEN_TASK = ("draft", "requested", "received", "accepted", "ready", "in-progress", "on-hold")
#: Household roles and relations in plain words.
ROLE = {"parent": "ouder", "child": "kind", "partner": "partner", "grandparent": "grootouder",
        "carer": "verzorger", "other": "huisgenoot"}
#: CareTeam roles in plain words, for "who is who" and "who to call".
TEAM_ROLE = {
    "procesregisseur": "procesregisseur (zorgt dat iedereen samenwerkt)",
    "casusregisseur": "casusregisseur (vast aanspreekpunt)",
    "veiligheidsplanner": "veiligheidsplanner", "veiligheidspersoon": "veiligheidspersoon",
    "netwerkberaad-voorzitter": "voorzitter netwerkberaad",
    "informeel-netwerk": "netwerk", "life-time-betrokkene": "blijft lang betrokken",
    "professional": "hulpverlener",
}
#: The same roles as a family reads them in its own copy ("je"): what the person does, not
#: the professionals' name for it. The professional copy keeps :data:`TEAM_ROLE` (and the
#: glossary explains the words).
FAMILY_ROLE = {
    **TEAM_ROLE,
    "procesregisseur": "zorgt dat alle hulpverleners samenwerken",
    "netwerkberaad-voorzitter": "leidt de gesprekken met je familie, vrienden en hulpverleners",
    "veiligheidsplanner": "maakt het veiligheidsplan samen met jullie",
}
#: Words that must stay (the people in the plan use them) in plain Dutch (B1); a document
#: explains those it uses, under "Woorden in dit plan".
GLOSSARY = (
    ("casusregisseur", "de hulpverlener die het vaste aanspreekpunt van het gezin is en het "
                       "plan bijhoudt"),
    ("procesregisseur", "de hulpverlener die zorgt dat alle hulpverleners samenwerken"),
    ("netwerkberaad", "een gesprek met het gezin, familie, vrienden en hulpverleners samen"),
    ("veiligheidsplan", "afspraken over wat iedereen doet zodat het thuis veilig is"),
    ("veiligheidspersoon", "iemand die het gezin vertrouwt en die het gezin belt bij zorgen"),
    ("veiligheidsschaal", "een cijfer van 0 tot 10: hoe veilig is het nu?"),
    ("Veilig Thuis", "de organisatie voor advies en meldingen over geweld thuis"),
    ("aandachtsfunctionaris", "de medewerker die in een organisatie let op huiselijk geweld"),
)

#: Public numbers every safety plan lists (national, not personal data).
EMERGENCY = ("Bij direct gevaar", "Politie, ambulance, brandweer", "112")
VEILIG_THUIS = ("Zorgen over geweld thuis, dag en nacht", "Veilig Thuis (gratis)", "0800-2000")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    note: str = ""


@dataclass(frozen=True)
class Item:
    """A concern or strength (or a danger statement) in someone's words."""

    text: str
    whose: str = ""
    domain: str = ""


@dataclass(frozen=True)
class Goal:
    text: str
    whose: str = ""
    domain: str = ""
    by: str = ""
    status: str = ""


@dataclass(frozen=True)
class Condition:
    """A safety condition of Veilig Thuis: what, by when, what follows if not."""

    text: str
    term: str
    consequence: str
    status: str


@dataclass(frozen=True)
class Action:
    what: str
    who: str
    by: str
    status: str
    kind: str
    open: bool
    why: str = ""


@dataclass(frozen=True)
class Contact:
    when: str
    who: str
    phone: str


@dataclass(frozen=True)
class ScorePoint:
    day: date
    value: int
    by: str


@dataclass(frozen=True)
class Scale:
    """The safety scale of one danger statement over time (chart.py draws it)."""

    label: str
    statement: str
    points: tuple[ScorePoint, ...]


@dataclass(frozen=True)
class Threshold:
    value: int
    label: str


@dataclass(frozen=True)
class Domain:
    name: str
    concerns: tuple[Item, ...]
    strengths: tuple[Item, ...]


@dataclass(frozen=True)
class Deadline:
    """An open agreed action with a date: what, who, by when, and whether the date passed."""

    what: str
    who: str
    by: str
    day: date
    overdue: bool


@dataclass(frozen=True)
class LastScore:
    """The most recent scoring day of one danger statement and its lowest score."""

    label: str
    day: date
    lowest: int


@dataclass(frozen=True)
class Summary:
    """What a professional needs first (the viewer's header and list): who coordinates and
    how to reach them at work, the phase, the next meeting, open deadlines, the last scores.
    Empty strings where the guard did not share it."""

    organisation: str = ""
    coordinator: str = ""
    coordinator_role: str = ""
    work_contact: str = ""
    phase: str = ""
    status: str = ""
    next_meeting_day: date | None = None
    deadlines: tuple[Deadline, ...] = ()
    last_scores: tuple[LastScore, ...] = ()

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.deadlines if d.overdue)

    @property
    def next_day(self) -> date | None:
        """The first date coming up: an open deadline or the next meeting."""
        days = [d.day for d in self.deadlines] + (
            [self.next_meeting_day] if self.next_meeting_day else [])
        return min(days) if days else None


#: CarePlan statuses in plain Dutch.
PLAN_STATUS = {"draft": "in voorbereiding", "active": "loopt", "on-hold": "staat stil",
               "revoked": "ingetrokken", "completed": "afgerond",
               "entered-in-error": "vergissing", "unknown": "onbekend"}


@dataclass(frozen=True)
class PlanDocument:
    """Everything a plan document shows, already in plain Dutch."""

    plan_id: str
    kind: str                          # "safety" or "support"
    title: str
    subtitle: str
    description: str
    audience: str
    household: str
    members: tuple[Person, ...]
    network: tuple[Person, ...]
    team: tuple[Person, ...]
    domains: tuple[Domain, ...]
    goals: tuple[Goal, ...]
    actions: tuple[Action, ...]
    responsibilities: tuple[tuple[str, str], ...]
    next_meeting: str
    signatures: tuple[tuple[str, str], ...]
    danger_statements: tuple[Item, ...] = ()
    safety_goals: tuple[Goal, ...] = ()
    conditions: tuple[Condition, ...] = ()
    safe_persons: tuple[Person, ...] = ()
    safe_object: str = ""
    contacts: tuple[Contact, ...] = ()
    scales: tuple[Scale, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    made_on: str = ""
    left_out: int = field(default=0)
    summary: Summary = field(default_factory=Summary)

    @property
    def open_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.open)


class PlanNotFoundError(LookupError):
    """The plan is not among the resources (absent, or held back for this audience)."""


def plan_document(resources: Iterable[Resource], plan_id: str, *, region: RegionSettings,
                  at: date, audience: str = "", left_out: int = 0,
                  family: bool = False) -> PlanDocument:
    """The view model of one CarePlan (support or safety plan).

    Parameters:
        resources: FHIR JSON dicts — what the guard shared for the audience.
        plan_id: id of the CarePlan.
        region: regional settings; the safety-scale thresholds drawn in the chart come from
            ``region.safety`` (DOMAIN.md §5, [regional]).
        at: the day the document is made (scores after it are not shown).
        audience: a line saying for whom the document is (shown in the header).
        left_out: how many resources the guard held back (shown, without saying what).
        family: the household's own copy: roles in the family's words (:data:`FAMILY_ROLE`).

    Raises :class:`PlanNotFoundError` when the plan is not among the resources.

    Example::

        >>> from datetime import date
        >>> from fhir_regie.demo import household_resources
        >>> from fhir_regie.ig import load_package
        >>> from fhir_regie.workflow.regions import load_region
        >>> found = household_resources(load_package(), "household-de-vries").values()
        >>> doc = plan_document(found, "devries-safety-plan", region=load_region(),
        ...                     at=date(2026, 11, 25))
        >>> doc.kind, doc.safe_object.split(".")[0]
        ('safety', 'De blauwe knuffelbeer van Lotte')
    """
    table = {key(r): r for r in resources if isinstance(r, dict) and r.get("id")}
    plan = table.get(f"CarePlan/{plan_id}")
    if plan is None:
        raise PlanNotFoundError(plan_id)
    reader = _Reader(table, FAMILY_ROLE if family else TEAM_ROLE)
    safety = "safety-plan" in codes(plan.get("category", []), "regie-plan-category")
    group = reader.group(plan)
    members, network, team = reader.people(group, plan)
    addresses = [reader.get(r) for r in _refs(plan.get("addresses", []))]
    supporting = [reader.get(r) for r in _refs(plan.get("supportingInfo", []))]
    goals = [g for g in (reader.get(r) for r in _refs(plan.get("goal", []))) if g]
    actions = reader.actions(plan)
    document = PlanDocument(
        plan_id=plan_id, kind="safety" if safety else "support",
        title=str(plan.get("title") or ("Veiligheidsplan" if safety else "Ons plan")),
        subtitle=(display("regie-safety-plan-kind", code(value(
            _first(extensions(plan, "regie-safety-plan-kind"))), "regie-safety-plan-kind"))
            if safety else "Ondersteuningsplan"),
        description=str(plan.get("description") or ""), audience=audience,
        household=name(group) if group else "",
        members=members, network=network, team=team,
        domains=reader.domains([r for r in addresses if r], [s for s in supporting if s]),
        goals=tuple(reader.goal(g) for g in goals
                    if code(g.get("category"), "regie-goal-type") == "support-goal"),
        actions=actions,
        responsibilities=tuple(
            (display("regie-responsibility-area", code(value(part(e, "area")))) or "",
             str(value(part(e, "statement")) or ""))
            for e in extensions(plan, "regie-responsibility")),
        next_meeting=dutch_date(value(_first(extensions(plan, "regie-next-meeting"))),
                                with_time=True),
        # Only the signatures given for the version shown (regie-plan-signature).
        signatures=tuple(
            (reader.who(who), dutch_date(when))
            for when, who in signatures_for(plan, [r for r in table.values()
                                                   if r.get("resourceType") == "Provenance"])),
        made_on=dutch_date(at.isoformat()), left_out=left_out,
        summary=reader.summary(plan, group, at))
    if not safety:
        return document
    statements = reader.danger_statements(plan)
    safe_persons = tuple(reader.person_card({"reference": ref}, "veiligheidspersoon")
                         for ref in safety_persons(plan, reader.get, at))
    return with_last_scores(_replace(
        document,
        danger_statements=tuple(item for _, _, item in statements),
        safety_goals=tuple(reader.goal(g) for g in goals
                           if code(g.get("category"), "regie-goal-type") == "safety-goal"),
        conditions=tuple(reader.condition(g, at) for g in goals
                         if code(g.get("category"), "regie-goal-type") == "safety-condition"),
        safe_persons=safe_persons,
        safe_object=str(value(_first(extensions(plan, "regie-safe-object"))) or ""),
        contacts=reader.contacts(plan, group),
        scales=reader.scales(statements, at),
        thresholds=thresholds(region)))


def with_last_scores(document: PlanDocument) -> PlanDocument:
    """The document with its summary's last scores: per danger statement the lowest score of
    its most recent scoring day."""
    last = tuple(LastScore(scale.label, day, min(p.value for p in scale.points
                                                 if p.day == day))
                 for scale in document.scales if scale.points
                 for day in [max(p.day for p in scale.points)])
    return _replace(document, summary=_replace_summary(document.summary, last_scores=last))


def _replace_summary(summary: Summary, **changes: object) -> Summary:
    from dataclasses import replace

    return replace(summary, **changes)  # type: ignore[arg-type]


def thresholds(region: RegionSettings) -> tuple[Threshold, ...]:
    """The safety-scale thresholds of the Routekaart phases (DOMAIN.md §5, [regional]), one
    line per distinct value, in plain words."""
    settings = region.safety
    named = [(settings.direct_min_score, "genoeg om de eerste stap af te ronden"),
             (settings.risk_guided_min_score, "zo hoog moet het daarna een half jaar blijven"
              if settings.risk_guided_months == 6 else
              f"zo hoog moet het daarna {settings.risk_guided_months} maanden blijven"),
             (settings.recovery_min_score, "nodig voor de laatste stap (herstel)")]
    by_value: dict[int, list[str]] = {}
    for score, label in named:
        by_value.setdefault(score, []).append(label)
    return tuple(Threshold(score, f"{score}: " + "; ".join(labels))
                 for score, labels in sorted(by_value.items()))


def _replace(document: PlanDocument, **changes: object) -> PlanDocument:
    from dataclasses import replace

    return replace(document, **changes)  # type: ignore[arg-type]


def _work_contacts(resource: Resource | None) -> list[str]:
    """Work phone numbers and e-mail addresses (``use`` work or none; never home/mobile of a
    person's private life)."""
    found = []
    for telecom in (resource or {}).get("telecom", []):
        if not isinstance(telecom, dict) or not telecom.get("value") or telecom.get("use") in (
                "home", "old", "temp"):
            continue
        if telecom.get("system") in ("phone", "email"):
            found.append(str(telecom["value"]))
    return found


def _first(items: list[Resource]) -> Resource | None:
    return items[0] if items else None


def _refs(elements: object) -> list[str]:
    found = []
    for element in elements if isinstance(elements, list) else [elements]:
        ref = reference(element) or (reference(element.get("reference"))
                                     if isinstance(element, dict) else None)
        if ref:
            found.append(ref)
    return found


class _Reader:
    """Lookups over one shared bundle."""

    def __init__(self, table: dict[str, Resource],
                 roles: dict[str, str] | None = None) -> None:
        self.table = table
        self.roles = roles if roles is not None else TEAM_ROLE

    def get(self, ref: str | None) -> Resource | None:
        return self.table.get(ref) if ref else None

    def who(self, element: object) -> str:
        """A name for a reference: the person, a role's practitioner, or an organisation;
        "naam niet gedeeld" when it was not shared."""
        target = self.get(reference(element))
        if target and target.get("resourceType") == "PractitionerRole":
            person = self.get(reference(target.get("practitioner")))
            org = self.get(reference(target.get("organization")))
            text = name(person) or "een medewerker"
            return f"{text} ({name(org)})" if org else text
        if isinstance(element, dict) and element.get("display") and not target:
            return str(element["display"])
        return name(target) or "naam niet gedeeld"

    def group(self, plan: Resource) -> Resource | None:
        subject = self.get(reference(plan.get("subject")))
        if subject and subject.get("resourceType") == "Group":
            return subject
        groups = [r for r in self.table.values() if r.get("resourceType") == "Group"]
        return groups[0] if len(groups) == 1 else None

    def person_card(self, element: object, role: str) -> Person:
        target = self.get(reference(element))
        relation = ""
        if target and target.get("resourceType") == "RelatedPerson":
            relation = next((str(r.get("text")) for r in target.get("relationship", [])
                             if isinstance(r, dict) and r.get("text")), "")
        numbers = phones(target)
        note = "; ".join(p for p in [relation, *(f"tel. {n}" for n in numbers)] if p)
        return Person(self.who(element), role, note)

    def people(self, group: Resource | None, plan: Resource
               ) -> tuple[tuple[Person, ...], tuple[Person, ...], tuple[Person, ...]]:
        members = []
        for member in (group or {}).get("member", []):
            if member.get("inactive") or not self.get(reference(member.get("entity"))):
                continue
            role = code(value(_first(extensions(member, "regie-household-role"))),
                        "regie-household-role")
            members.append(Person(self.who(member.get("entity")), ROLE.get(role or "", "")))
        network, team, seen = [], [], set()
        teams = [self.get(r) for r in _refs(plan.get("careTeam", []))] or [
            t for t in self.table.values() if t.get("resourceType") == "CareTeam"]
        for care_team in (t for t in teams if t):
            for participant in care_team.get("participant", []):
                ref = reference(participant.get("member"))
                if not ref or ref in seen or not self.get(ref):
                    continue
                seen.add(ref)
                roles = ", ".join(self.roles.get(c, display("regie-role", c))
                                  for c in codes(participant.get("role", []), "regie-role"))
                if ref.startswith("RelatedPerson/"):
                    network.append(self.person_card(participant.get("member"), roles))
                else:
                    org = self.get(reference(participant.get("onBehalfOf")))
                    who = self.who(participant.get("member"))
                    if org and name(org) not in who:
                        who = f"{who} ({name(org)})"
                    team.append(Person(who, roles))
        for related in (r for r in self.table.values() if r.get("resourceType") ==
                        "RelatedPerson" and key(r) not in seen):
            network.append(self.person_card({"reference": key(related)}, "netwerk"))
        return tuple(members), tuple(network), tuple(team)

    def item(self, resource: Resource) -> Item:
        text = (resource.get("code") or {}).get("text") if resource.get(
            "resourceType") == "Condition" else resource.get("valueString")
        whose = self.who(resource.get("asserter") or _first(resource.get("performer", [])))
        return Item(str(text or ""), whose if whose != "naam niet gedeeld" else "",
                    self.domain(resource))

    def domain(self, resource: Resource) -> str:
        found = code(value(_first(extensions(resource, "regie-life-domain"))),
                     "regie-life-domain")
        return display("regie-life-domain", found) if found else "Overig"

    def domains(self, concerns: list[Resource], strengths: list[Resource]) -> tuple[Domain, ...]:
        """Concerns and strengths per life domain (DOMAIN.md §2 *leefgebieden*)."""
        grouped: dict[str, tuple[list[Item], list[Item]]] = {}
        for resource in concerns:
            if code(resource.get("category"), "regie-concern-type") == "danger-statement":
                continue  # the safety plan quotes them; the support plan lists the worries
            item = self.item(resource)
            grouped.setdefault(item.domain, ([], []))[0].append(item)
        for resource in strengths:
            item = self.item(resource)
            grouped.setdefault(item.domain, ([], []))[1].append(item)
        return tuple(Domain(d, tuple(c), tuple(s)) for d, (c, s) in grouped.items())

    def goal(self, goal: Resource) -> Goal:
        due = next((t.get("dueDate") for t in goal.get("target", []) if isinstance(t, dict)
                    and t.get("dueDate")), None)
        achievement = code(goal.get("achievementStatus"))
        status = {"in-progress": "we zijn ermee bezig", "achieved": "bereikt",
                  "sustaining": "gaat goed, blijft zo", "improving": "gaat beter",
                  "worsening": "gaat slechter", "not-achieved": "niet bereikt",
                  "no-change": "nog geen verandering"}.get(achievement or "", "")
        whose = self.who(goal.get("expressedBy")) if goal.get("expressedBy") else ""
        return Goal(str((goal.get("description") or {}).get("text") or ""),
                    whose if whose != "naam niet gedeeld" else "", self.domain(goal),
                    dutch_date(due), status)

    def condition(self, goal: Resource, at: date) -> Condition:
        due = next((t.get("dueDate") for t in goal.get("target", []) if isinstance(t, dict)
                    and t.get("dueDate")), None)
        met = code(goal.get("achievementStatus")) in ("achieved", "sustaining") or \
            goal.get("lifecycleStatus") == "completed"
        when = moment(due)
        status = "voldaan" if met else ("termijn verlopen, nog niet voldaan"
                                        if when and when.date() < at else "loopt")
        return Condition(str((goal.get("description") or {}).get("text") or ""),
                         dutch_date(due),
                         str(value(_first(extensions(goal, "regie-consequence"))) or ""),
                         status)

    def actions(self, plan: Resource) -> tuple[Action, ...]:
        refs = set(_refs([a.get("reference") for a in plan.get("activity", [])
                          if isinstance(a, dict)]))
        plan_ref = key(plan)
        found = []
        for task in self.table.values():
            if task.get("resourceType") != "Task" or not (
                    key(task) in refs or plan_ref in _refs(task.get("basedOn", []))):
                continue
            kind = code(task.get("code"), "regie-agreed-action-kind")
            if kind is None:
                continue
            status = str(task.get("status") or "")
            due = ((task.get("restriction") or {}).get("period") or {}).get("end")
            why = (task.get("statusReason") or {}).get("text") or ""
            found.append(Action(
                what=str(task.get("description") or ""), who=self.who(task.get("owner")),
                by=dutch_date(due) if due else ("elke dag" if kind != "action" else ""),
                status=TASK_STATUS.get(status, status), kind=display(
                    "regie-agreed-action-kind", kind), open=status in OPEN_TASK,
                why=str(why)))
        order = {"Veiligheidsafspraak": 0, "Controlemoment": 1}
        return tuple(sorted(found, key=lambda a: (not a.open, order.get(a.kind, 2), a.by)))

    def summary(self, plan: Resource, group: Resource | None, at: date) -> Summary:
        """Who coordinates (the casusregisseur of the plan's care team, else the plan's
        author), their organisation and work contact, the phase, the status, open deadlines.
        Professional contact data: a work number or e-mail of the role, the practitioner or
        the organisation; never a home number."""
        coordinator, role_label = None, ""
        for care_team in (self.get(r) for r in _refs(plan.get("careTeam", []))):
            for participant in (care_team or {}).get("participant", []):
                roles = codes(participant.get("role", []), "regie-role")
                member = participant.get("member")
                if coordinator is None and "casusregisseur" in roles and \
                        self.get(reference(member)):
                    coordinator, role_label = member, "casusregisseur"
        if coordinator is None and self.get(reference(plan.get("author"))):
            coordinator = plan.get("author")
        target = self.get(reference(coordinator))
        person, role = target, None
        if target and target.get("resourceType") == "PractitionerRole":
            role, person = target, self.get(reference(target.get("practitioner")))
        org = self.get(reference((role or {}).get("organization"))) or self.get(
            reference((group or {}).get("managingEntity")))
        if not role_label and role:
            role_label = next((str(c.get("text")) for c in role.get("code", [])
                               if isinstance(c, dict) and c.get("text")), "")
        contact = next(iter(_work_contacts(role) + _work_contacts(person) +
                            _work_contacts(org)), "")
        phase = code(value(_first(extensions(plan, "regie-routekaart-phase"))),
                     "regie-routekaart-phase")
        deadlines = []
        for task in self.table.values():
            if task.get("resourceType") != "Task" or task.get("status") not in OPEN_TASK:
                continue
            if key(plan) not in _refs(task.get("basedOn", [])) and key(task) not in set(
                    _refs([a.get("reference") for a in plan.get("activity", [])
                           if isinstance(a, dict)])):
                continue
            due = moment(((task.get("restriction") or {}).get("period") or {}).get("end"))
            if due is None:
                continue
            deadlines.append(Deadline(str(task.get("description") or ""),
                                      self.who(task.get("owner")), dutch_date(due.isoformat()),
                                      due.date(), due.date() < at))
        meeting = moment(value(_first(extensions(plan, "regie-next-meeting"))))
        return Summary(
            organisation=name(org), coordinator=self.who(coordinator) if coordinator else "",
            coordinator_role=role_label, work_contact=contact,
            phase=display("regie-routekaart-phase", phase) if phase else "",
            status=PLAN_STATUS.get(str(plan.get("status") or ""), ""),
            next_meeting_day=meeting.date() if meeting else None,
            deadlines=tuple(sorted(deadlines, key=lambda d: (d.day, d.what))))

    def danger_statements(self, plan: Resource) -> list[tuple[int, str, Item]]:
        found = []
        for entry in extensions(plan, "regie-danger-statement"):
            ref = reference(value(part(entry, "statement")))
            condition = self.get(ref)
            if not condition or str(value(part(entry, "status")) or "active") != "active":
                continue
            priority = value(part(entry, "priority"))
            found.append((priority if isinstance(priority, int) else 99, ref or "",
                          self.item(condition)))
        return sorted(found, key=lambda f: f[0])

    def contacts(self, plan: Resource, group: Resource | None) -> tuple[Contact, ...]:
        """"Who to call when": the safe persons, the casusregisseur, then the public numbers."""
        found = [Contact("Als je je zorgen maakt of iets wilt vertellen", p.name,
                         ", ".join(phones(self.get(ref))) or
                         "nummer staat niet in dit document")
                 for ref in safety_persons(plan, self.get)
                 for p in [self.person_card({"reference": ref}, "veiligheidspersoon")]]
        for care_team in (self.get(r) for r in _refs(plan.get("careTeam", []))):
            for participant in (care_team or {}).get("participant", []):
                if "casusregisseur" in codes(participant.get("role", []), "regie-role") and \
                        self.get(reference(participant.get("member"))):
                    target = self.get(reference(participant.get("member")))
                    org = self.get(reference((target or {}).get("organization"))) or self.get(
                        reference(participant.get("onBehalfOf"))) or self.get(
                        reference((group or {}).get("managingEntity")))
                    number = ", ".join(phones(org)) or "via het kantoor van het team"
                    found.append(Contact("Over de afspraken en het plan",
                                         self.who(participant.get("member")), number))
        return (*found, Contact(*VEILIG_THUIS), Contact(*EMERGENCY))

    def scales(self, statements: list[tuple[int, str, Item]], at: date) -> tuple[Scale, ...]:
        by_focus: dict[str, list[ScorePoint]] = {ref: [] for _, ref, _ in statements}
        for obs in self.table.values():
            if obs.get("resourceType") != "Observation" or code(
                    obs.get("code"), "regie-observation-type") != "safety-scale-score":
                continue
            focus = next(iter(_refs(obs.get("focus", []))), None)
            when = moment(obs.get("effectiveDateTime"))
            score = obs.get("valueInteger")
            if focus not in by_focus or when is None or when.date() > at or \
                    not isinstance(score, int):
                continue
            by_focus[focus].append(ScorePoint(when.date(), score, self.who(
                _first(obs.get("performer", [])))))
        return tuple(Scale(f"Gevaar {number}", item.text,
                           tuple(sorted(by_focus[ref], key=lambda p: (p.day, p.by))))
                     for number, (_, ref, item) in enumerate(statements, start=1))
