"""Assembling a handover from Veilig Thuis's case: exactly what the route carries, decided by
the consent guard (pure: no server, no clock).

The case is VT's own record of it (a Bundle, e.g. the output of ``fhir-regie map --partner
vt-registratie``): the ``regie-handover`` Task, the document VT wrote, the household, the
safety conditions, and whatever else VT keeps (the reporter, its own notes). What goes is:

1. the Task and its document, with only the sections the route carries (``routes.py``);
2. what those refer to, and what that refers to, and so on — nothing else of the case: VT's
   other records stay with VT ("information only as far as the local team needs it",
   DOMAIN.md §4);
3. all of it through the consent guard on VT's statutory task (``vt-statutory-task``, §4/§6):
   the reporter's contact section only when the reporter is not anonymous and contact is
   needed, and then the reporter's name is scrubbed from every other text too; health data
   never; confidentiality labels of the handover covered because the handover carries them.

References are followed in the guard's copies, after its cuts, so a reporter named only in
a cut section does not come along. :func:`prepare` works out what to share; the sender calls
``share()`` with it and :func:`check` refuses anything incomplete or invalid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fhir_regie.consent import LegalClaim, Request, Shared, decide
from fhir_regie.consent.guard import filtered_copies
from fhir_regie.handover import conformance
from fhir_regie.handover._fhir import (
    Resource,
    claims,
    codes,
    extension_value,
    key,
    labels,
    portable,
    reference,
    reference_strings,
)
from fhir_regie.handover.errors import CaseError
from fhir_regie.handover.routes import Cut, cut_for_route
from fhir_regie.messages import say, tell
from fhir_regie.model import to_json

PURPOSE = "handover"
LEGAL_BASIS = "vt-statutory-task"
#: The most resources one handover may carry; a larger closure means the case links to far
#: more than one household's handover.
MAX_RESOURCES = 500


@dataclass(frozen=True)
class Prepared:
    """What to share: the request, the case as context (with the route-cut document) and the
    resources to decide on, the Task and document first."""

    request: Request
    context: tuple[Resource, ...]
    data: tuple[Resource, ...]
    task_key: str
    document_key: str
    route: str
    cuts: tuple[Cut, ...]


@dataclass(frozen=True)
class Package:
    """The handover as it is written on Veilig Thuis's server: redacted copies only."""

    task: Resource
    document: Resource
    resources: tuple[Resource, ...]
    audit_events: tuple[Resource, ...]
    route: str
    cuts: tuple[Cut, ...]
    redactions: tuple[tuple[str, str, str], ...]
    #: What of the case stays with Veilig Thuis (nothing of the handover refers to it).
    stays: tuple[str, ...] = ()

    @property
    def keys(self) -> list[str]:
        return [key(r) for r in self.resources]


def handover_task(case: Iterable[Resource]) -> Resource:
    """The one ``regie-handover`` Task of a case (by profile or by its code)."""
    found = [r for r in case if r.get("resourceType") == "Task" and (
        claims(r, "regie-handover") or "handover" in codes(r.get("code"), "regie-task-type"))]
    if len(found) != 1:
        raise CaseError(f"the case must hold exactly one regie-handover Task, found {len(found)}")
    return found[0]


def route_of(resource: Resource) -> str | None:
    found = codes(extension_value(resource, "regie-handover-route"), "regie-handover-route")
    return found[0] if found else None


def _table(case: Iterable[Resource]) -> dict[str, Resource]:
    table: dict[str, Resource] = {}
    for resource in case:
        if not isinstance(resource, dict) or not resource.get("resourceType"):
            raise CaseError("the case holds something that is not a FHIR resource")
        if not resource.get("id"):
            raise CaseError(f"a {resource['resourceType']} in the case has no id; the handover "
                            "needs ids to refer between its resources")
        table[key(resource)] = resource
    return table


def _organisation(table: dict[str, Resource], task: Resource, element: str, who: str) -> str:
    ref = reference(task.get(element))
    if ref is None or not ref.startswith("Organization/") or ref not in table:
        raise CaseError(f"{key(task)}: its {element} ({who}) must be an Organization in the "
                        "case")
    return ref


def report_for_handover(report: Resource, reporter_contact_needed: bool) -> Resource:
    """The report (``regie-report``) as the handover carries it: the reporter (``sender``)
    only when they are not anonymous towards the household and contact is needed
    (DOMAIN.md §4, §6), as for the document's reporter-contact section."""
    anonymous = extension_value(report, "regie-reporter-anonymous") is not False
    if anonymous or not reporter_contact_needed:
        return {k: v for k, v in report.items() if k != "sender"}
    return report


def default_justification(route: str) -> str:
    # Copied into the disclosure record, so it names no one (rg-dsb-2 requires it).
    return (f"Wettelijke taak Veilig Thuis: het vervolg wordt belegd bij het lokale team "
            f"(route {route}); alleen wat het lokale team voor zijn taak nodig heeft.")


def prepare(case: Iterable[Resource], *, at: datetime, reporter_contact_needed: bool = False,
            justification: str | None = None) -> Prepared:
    """Work out what of ``case`` the handover carries.

    Parameters:
        case: VT's resources for this handover (JSON dicts with ids).
        at: the moment of the disclosure (time-zone aware).
        reporter_contact_needed: the local team needs to contact the reporter (DOMAIN.md §4);
            the reporter's contact data goes only when also the reporter is not anonymous.
        justification: why VT's statutory task applies (default: a sentence naming the route).

    Raises :class:`CaseError` with a one-line reason.
    """
    table = _table(case)
    task = handover_task(table.values())
    task_key = key(task)
    document_key = reference(task.get("focus"))
    if document_key is None or document_key not in table:
        raise CaseError(f"{task_key}: its focus (the handover document) is not in the case")
    route = route_of(task)
    if route is None:
        raise CaseError(f"{task_key}: no handover route (extension regie-handover-route)")
    if route_of(table[document_key]) not in (None, route):
        raise CaseError(f"{document_key}: its route differs from the route of {task_key}")
    vt = _organisation(table, task, "requester", "Veilig Thuis")
    local_team = _organisation(table, task, "owner", "the local team")
    for ref, wanted, who in ((vt, "vt", "Veilig Thuis"), (local_team, "local-team",
                                                            "a local team")):
        kinds = set(codes(table[ref].get("type", []), "regie-organisation-kind"))
        if kinds and wanted not in kinds:
            raise CaseError(f"{ref}: its type ({', '.join(sorted(kinds))}, "
                            f"regie-organisation-kind) says it is not {who}")
    document, cuts = cut_for_route(table[document_key], route)
    table[document_key] = document
    report_key = reference(task.get("reasonReference"))
    if report_key in table:
        table[report_key] = report_for_handover(table[report_key], reporter_contact_needed)
    covers = sorted((labels(task) | labels(document)) & {"R", "V"})
    request = Request(
        recipient=local_team, purpose=PURPOSE, at=at, discloser=vt,
        legal_claim=LegalClaim(LEGAL_BASIS, justification or default_justification(route),
                               covers_labels=tuple(covers)),
        reporter_contact_needed=reporter_contact_needed)
    context = tuple(table.values())
    chosen = [task_key, document_key]
    while True:
        decision = decide(context, request, data=[table[k] for k in chosen])
        found = []
        for copy in filtered_copies(decision, context):
            for path, text in reference_strings(copy):
                ref = reference({"reference": text})
                if ref is None:
                    if text.startswith("#"):
                        continue
                    raise CaseError(f"{key(copy)} {path}: only relative references can be "
                                    "handed over (the local team pulls from one server)")
                if ref not in table:
                    raise CaseError(f"{key(copy)} {path} refers to {ref}, which is not in "
                                    "the case")
                if ref not in chosen and ref not in found:
                    found.append(ref)
        # The alleged-perpetrator alert of a person who goes along goes too: the local team
        # needs it to shield the victims (it is a Flag no other resource refers to).
        found += [k for k, r in table.items() if r.get("resourceType") == "Flag"
                  and reference(r.get("subject")) in chosen and k not in chosen
                  and k not in found]
        if not found:
            break
        chosen += found
        if len(chosen) > MAX_RESOURCES:
            raise CaseError(f"the handover would carry more than {MAX_RESOURCES} resources")
    return Prepared(request, context, tuple(table[k] for k in chosen), task_key, document_key,
                    route, cuts)


def with_document_version(task: Resource, document_key: str, version: str) -> Resource:
    """The Task naming version ``version`` of its handover document (``rg-hnd-3``)."""
    return {**task, "focus": {**(task.get("focus") or {}),
                              "reference": f"{document_key}/_history/{version}"}}


def check(prepared: Prepared, shared: Shared) -> Package:
    """The package from the guard's answer, or :class:`CaseError` when anything the handover
    needs may not go, a reference would dangle, or a copy breaks its profile."""
    denied = [d for d in shared.decision.resources if not d.permit]
    if denied:
        first = denied[0]
        more = f" (and {len(denied) - 1} more)" if len(denied) > 1 else ""
        raise CaseError(f"{first.reference} may not go to the local team: "
                        f"{first.reasons[0] if first.reasons else 'no basis'}{more}")
    copies = [portable(entry["resource"]) for entry in shared.bundle["entry"]]
    present = {key(c) for c in copies}
    for copy in copies:
        for path, text in reference_strings(copy):
            ref = reference({"reference": text})
            if ref is not None and ref not in present:
                raise CaseError(f"{key(copy)} {path} refers to {ref}, which does not go along")
    required = {prepared.task_key: "regie-handover",
                prepared.document_key: "regie-handover-document"}
    document = next(c for c in copies if key(c) == prepared.document_key)
    for section in document.get("section", []):
        if "safety-conditions" in codes(section.get("code"), "regie-handover-section"):
            required |= {ref: "regie-goal" for ref in
                         (reference(e) for e in section.get("entry", [])) if ref}
    # The Task names the version of the document the send leaves on VT's server (rg-hnd-3):
    # known only when it is written (send.py), so checked here with the version it has now.
    checked = [c if key(c) != prepared.task_key else with_document_version(
        c, prepared.document_key, str((document.get("meta") or {}).get("versionId") or "1"))
        for c in copies]
    verdict = conformance.check(checked, required)
    if not verdict.valid:
        raise CaseError(f"the handover breaks the profiles: {verdict.summary}", verdict.outcome)
    redactions = tuple((d.reference, o.path or "", o.reason)
                       for d in shared.decision.resources for o in d.obligations
                       if o.code == "redact")
    return Package(
        task=next(c for c in copies if key(c) == prepared.task_key), document=document,
        resources=tuple(copies), audit_events=tuple(to_json(e) for e in shared.audit_events),
        route=prepared.route, cuts=prepared.cuts, redactions=redactions,
        stays=tuple(sorted(key(r) for r in prepared.context if key(r) not in present)))


def describe(package: Package, lang: str = "nl") -> list[str]:
    """What goes and what was left out, in lines without personal data, in ``lang``.

    The reasons of redactions come from the disclosure guard and are shown as it gives them.
    """
    lines = [say("handover.route", lang, route=package.route, count=len(package.resources),
                 kinds=", ".join(sorted({key(r).split("/")[0] for r in package.resources})))]
    lines += [say("handover.left_out", lang, reason=tell(cut.reason, lang))
              for cut in package.cuts]
    if package.stays:
        kinds = sorted({ref.split("/")[0] for ref in package.stays})
        lines.append(say("handover.stays", lang, count=len(package.stays),
                         kinds=", ".join(kinds)))
    lines += [say("handover.redacted", lang, ref=ref, path=path, reason=tell(reason, lang))
              for ref, path, reason in package.redactions]
    return lines
