"""Which data classes a resource and its parts belong to, and whom it is about. Classes are short
names (written in a Consent as ``regie-data-class`` codes or profile canonicals, see
:mod:`fhir_regie.ig.sharing`). Consents and legal bases speak in data classes; this module maps
resources onto them.

A resource has *required* classes (every one must be covered, or the resource stays behind) and
*parts* with their own class (a part not covered is cut from the copy, the rest goes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fhir_regie.consent._read import Resource, codes, extensions, reference, value

HOUSEHOLD = "household"  # marker for "about every member" (the subject is the household Group)
#: Resources that describe professionals, not the household: shared only as context of a
#: permitted resource that refers to them (see decision.py).
DIRECTORY_TYPES = frozenset({"Organization", "Practitioner", "PractitionerRole"})
#: Handover document sections with a class of their own (DOMAIN.md §4).
SECTION_CLASSES = {"reporter-contact": "reporter-identity", "vt-judgement": "vt-judgement",
                   "safety-conditions": "safety-plan", "safety-plan": "safety-plan"}


@dataclass(frozen=True)
class Part:
    """A part of a resource with its own data class: a top-level element, or a handover
    document section (``section`` set)."""

    path: str
    element: str
    data_class: str
    section: str | None = None


@dataclass(frozen=True)
class Classification:
    required: frozenset[str]
    parts: tuple[Part, ...] = ()


UNCLASSIFIED = Classification(frozenset())


def _health(resource: Resource) -> set[str]:
    domains = [c for e in extensions(resource, "regie-life-domain")
               for c in codes(value(e), "regie-life-domain")]
    return {"health-data"} if "health" in domains else set()


def _contact_parts(kind: str) -> tuple[Part, ...]:
    return (Part(f"{kind}.telecom", "telecom", "contact-details"),
            Part(f"{kind}.address", "address", "address-location"))


def classify(resource: Resource) -> Classification:
    """The data classes of a resource; :data:`UNCLASSIFIED` for what this guard never shares
    (Consents, AuditEvents, unknown types): default deny."""
    kind = resource.get("resourceType")
    if kind in ("Group", "CareTeam"):
        return Classification(frozenset({"household-composition"}))
    if kind in ("Patient", "RelatedPerson"):
        return Classification(frozenset({"household-composition"}), _contact_parts(kind))
    if kind == "Flag":
        # The alleged-perpetrator alert (regie-alert): part of who is who in the household;
        # its SDV label keeps it behind unless the basis names SDV (labels.py).
        return Classification(frozenset({"household-composition"})) if codes(
            resource.get("code"), "regie-household-flag") else UNCLASSIFIED
    main = _main_class(resource)
    if main is None:
        return UNCLASSIFIED
    parts: tuple[Part, ...] = ()
    if kind == "Communication":
        # The report received by Veilig Thuis (regie-report): who reported is the reporter's
        # identity, cut unless the reporter is not anonymous and contact is needed (§4, §6).
        parts = (Part("Communication.sender", "sender", "reporter-identity"),)
    if kind == "Composition":
        parts = tuple(
            Part(f"Composition.section.where(code.coding.code = '{code}')", "section", cls, code)
            for section in resource.get("section", []) if isinstance(section, dict)
            for code in codes(section.get("code"), "regie-handover-section")[:1]
            if (cls := SECTION_CLASSES.get(code)))
    return Classification(frozenset({main} | _health(resource)), parts)


def _main_class(resource: Resource) -> str | None:
    kind = resource.get("resourceType")
    if kind == "CarePlan":
        category = codes(resource.get("category", []), "regie-plan-category")
        return "safety-plan" if "safety-plan" in category else (
            "support-plan" if category else None)
    if kind == "Condition":
        category = codes(resource.get("category", []), "regie-concern-type")
        return "support-plan" if category == ["concern"] else ("safety-plan" if category
                                                               else None)
    if kind == "Goal":
        category = codes(resource.get("category", []), "regie-goal-type")
        return "support-plan" if category == ["support-goal"] else ("safety-plan" if category
                                                                    else None)
    if kind == "Task":
        if codes(resource.get("code"), "regie-agreed-action-kind"):
            return "agreed-actions"
        if codes(resource.get("code"), "regie-meldcode-step"):
            return "meldcode-trail"
        # A term that follows from a handover: who does what by when (regie-deadline).
        if codes(resource.get("code"), "regie-deadline-rule"):
            return "agreed-actions"
        return "report-content" if "handover" in codes(resource.get("code"),
                                                       "regie-task-type") else None
    if kind == "Observation":
        return {"safety-scale-score": "safety-scores", "safety-log-entry": "safety-log",
                "signal": "signals", "strength": "support-plan",
                "sign-of-safety": "support-plan"}.get(
            next(iter(codes(resource.get("code"), "regie-observation-type")), ""))
    if kind == "Composition" and "handover-document" in codes(resource.get("type"),
                                                                "regie-document-type"):
        return "report-content"
    if kind == "Communication" and codes(resource.get("category", []), "regie-report-kind"):
        return "report-content"
    return None


def is_plan_signature(resource: Resource) -> bool:
    """A plan signature (``regie-plan-signature``): a Provenance with signatures whose targets
    are CarePlans. Other Provenances (the record of an intake) are not data this guard
    shares."""
    targets = [t for t in resource.get("target", []) if isinstance(t, dict)]
    return (resource.get("resourceType") == "Provenance" and bool(resource.get("signature"))
            and bool(targets) and all(str(t.get("reference", "")).startswith("CarePlan/")
                                      for t in targets))


def signed_plan(resource: Resource, table: Mapping[str, Resource]) -> Resource | None:
    """For a plan signature (a Provenance whose targets are CarePlans), what the guard judges
    it as: the plan it signs, carrying the labels of both. A signature says who agreed to a
    plan, so it goes where that plan goes and nowhere else; None for any other resource, and
    for a Provenance whose plan is not in ``table`` (it then has no data class: default
    deny)."""
    if not is_plan_signature(resource):
        return None
    targets = {reference(t) for t in resource.get("target", []) if isinstance(t, dict)}
    plans = [table.get(t) for t in targets if t]
    if len(plans) != 1 or not plans[0] or plans[0].get("resourceType") != "CarePlan":
        return None
    plan = plans[0]
    security = [*(plan.get("meta") or {}).get("security", []),
                *(resource.get("meta") or {}).get("security", [])]
    return {**plan, "meta": {**(plan.get("meta") or {}), "security": security}}


def about(resource: Resource) -> set[str]:
    """Whom the resource is about: ``Patient/<id>`` references, or :data:`HOUSEHOLD`."""
    kind = resource.get("resourceType")
    if kind == "Patient":
        return {f"Patient/{resource.get('id')}"}
    if kind == "Group":
        return {HOUSEHOLD}
    element = {"RelatedPerson": "patient", "Task": "for"}.get(kind or "", "subject")
    ref = reference(resource.get(element))
    if ref is None:
        return set()
    return {HOUSEHOLD} if ref.startswith("Group/") else {ref}
