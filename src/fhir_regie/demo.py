"""``fhir-regie demo``: one example household from the guide, validated and summarised.

Loads the compiled guide shipped with the library, gathers every example that belongs to the
household (following subject/for/patient/focus/basedOn/partOf references), validates each
against its Regie profile and prints what a regisseur would want to see first: who is in the
household, who is involved, the plans with their phase, the danger statements with their latest
safety-scale scores, and the open agreed actions by due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from fhir_regie.ig import IGPackage, codesystem_url, load_package, profile_url
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import format_text

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


def household_resources(package: IGPackage, household_id: str) -> dict[str, Resource]:
    """The household and every example connected to it, keyed ``Type/id``."""
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
            if key in found:
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


_DISPLAYS: dict[tuple[str, str], str] = {}


def _code(concept: dict[str, Any] | None) -> str:
    if not concept:
        return "?"
    for coding in concept.get("coding", []):
        key = (coding.get("system", ""), coding.get("code", ""))
        return str(coding.get("display") or _DISPLAYS.get(key) or coding.get("code"))
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
            status_text = _DISPLAYS.get(
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


def load_into_server(resources: dict[str, Resource], out: TextIO) -> int:
    """Post a household as one transaction to a fresh embedded FHIR server and read it back.

    PUTs with the example ids (no conditions) keep every reference between the examples intact.
    Returns the exit code: 1 when anything read back differs from what was sent.
    """
    from fhir_regie.client import FhirClient, bundle_entry, make_bundle
    from fhir_regie.client.server import EmbeddedServer

    with EmbeddedServer() as server, FhirClient(server.base_url) as client:
        bundle = make_bundle("transaction", [bundle_entry("PUT", resource)
                                             for _, resource in sorted(resources.items())])
        client.transaction(bundle, as_dict=True)
        same = 0
        for key, resource in resources.items():
            rtype, rid = key.split("/", 1)
            stored = client.read(rtype, rid, as_dict=True)
            same += {k: v for k, v in stored.items() if k != "meta"} == \
                {k: v for k, v in resource.items() if k != "meta"}
        print(f"loaded {len(resources)} resources into the embedded FHIR server at "
              f"{server.base_url}, read back {same}", file=out)
    return 0 if same == len(resources) else 1


def run_demo(household_id: str, out: TextIO, on: date | None = None,
             package: IGPackage | None = None, server: bool = False) -> int:
    """Validate and summarise one example household; returns the exit code.

    With ``server=True`` the household is also loaded into a fresh embedded FHIR server and
    read back (``load_into_server``).
    """
    package = package or load_package()
    _DISPLAYS.update(_displays(package))
    resources = household_resources(package, household_id)
    problems: list[str] = []
    for key, resource in sorted(resources.items()):
        outcome = validate_resource(resource, package=package)
        problems += [line for line in format_text(key, outcome)
                     if " error " in line or " fatal " in line]
    print(f"fhir-regie {package.manifest['name']} {package.version}: household "
          f"{household_id}, {len(resources)} resources validated, "
          f"{len(problems)} errors", file=out)
    for line in problems:
        print(f"  {line}", file=out)
    print("", file=out)
    for line in summarise(resources, household_id, on or date.today()):
        print(line, file=out)
    print_workflow_status(resources, household_id, out, on or date.today())
    if server:
        print("", file=out)
        if load_into_server(resources, out):
            return 1
    return 1 if problems else 0


def print_workflow_status(resources: dict[str, Resource], household_id: str, out: TextIO,
                          on: date, region: str = "default") -> None:
    """The household's pending deadlines and safety-plan phases (workflow rules, issue 6)."""
    from fhir_regie.workflow.deadlines import deadlines
    from fhir_regie.workflow.household import Household
    from fhir_regie.workflow.regions import load_region
    from fhir_regie.workflow.safety import safety_progress
    from fhir_regie.workflow.status import deadline_lines, safety_lines

    household = Household.from_resources(resources.values(), household_id)
    settings = load_region(region)
    print(f"\nTermijnen op {on} (regio {settings.name}; open, te laat of onbekend):", file=out)
    for line in deadline_lines(deadlines(household, settings, on), only_pending=True):
        print(f"  {line}", file=out)
    print("\nVeiligheidsplan: fase en uitstapcriteria:", file=out)
    for line in safety_lines(safety_progress(household, settings, on)):
        print(f"  {line}", file=out)
