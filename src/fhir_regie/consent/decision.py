"""The decision engine: for one request, permit or deny each resource, with its basis, the
reasons and the obligations the copy must meet. Pure: no I/O, no clock (the request carries
the moment). Default deny: a resource is permitted only when a counted consent or a holding
legal claim covers every class it belongs to and every guarded label it carries.

Rules and their sources (docs/consent.md lists them with their tests):

- who may consent, by age (authority.py, DOMAIN.md §1);
- consent active, given, within its period, not revoked; nested denies win; recipients,
  purposes, data classes and data periods matched (consents.py, DOMAIN.md §6);
- legal bases without consent, each for its own purposes and recipients (legal.py, §3, §4, §6);
- confidentiality labels (labels.py, §6);
- obligations below: the reporter's identity (§4, §6), anonymous advice (§3 step 2), and the
  adversary rule (§6 digital safety).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fhir_regie.consent._read import (
    Resource,
    codes,
    extensions,
    key,
    security_labels,
    value,
)
from fhir_regie.consent.classes import (
    DIRECTORY_TYPES,
    HOUSEHOLD,
    Part,
    about,
    classify,
    is_plan_signature,
    signed_plan,
)
from fhir_regie.consent.consents import ALL, SharingConsent, data_date
from fhir_regie.consent.household import (
    OWN_PLAN,
    directory_problem,
    household_problem,
    is_household_recipient,
    perpetrator_reads,
    readers_problem,
    recipients,
    uncovered_parts,
)
from fhir_regie.consent.labels import uncovered
from fhir_regie.consent.legal import LEGAL_BASES, claim_problem
from fhir_regie.consent.parties import Parties, read_parties
from fhir_regie.consent.projections import ANONYMOUS as ANONYMOUS_AUDIENCE
from fhir_regie.consent.projections import HOUSEHOLD as HOUSEHOLD_AUDIENCE
from fhir_regie.consent.projections import (
    HOUSEHOLD_WITH_PERPETRATOR,
    PERPETRATOR_CARE,
    PROFESSIONAL,
    PROJECTIONS,
)
from fhir_regie.consent.request import Request

# Obligation codes (what the guard must do to the copy before it leaves).
REDACT = "redact"                  # cut a part of the resource (path says which)
ANONYMISE = "strip-identifiers"    # anonymous advice: no identifier at all (§3 step 2)
INFORM = "inform-household"        # legal basis: tell the household (§4, §6)
ANONYMOUS_ADVICE = "anonymous-advice"
#: Records about sharing itself are never shared by the guard (they are not "the data").
#: Not shared unless asked for (a plan signature is: it goes with its plan, classes.py).
NOT_DATA = frozenset({"Consent", "AuditEvent", "Provenance"})


@dataclass(frozen=True)
class Basis:
    """Why a resource may go: a Consent, or a legal basis code (``regie-legal-basis``)."""

    legal_basis: str
    consent: str | None = None

    def __str__(self) -> str:
        return self.consent or self.legal_basis


@dataclass(frozen=True)
class Obligation:
    code: str
    reason: str
    path: str | None = None
    part: Part | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        found = {"code": self.code, "reason": self.reason}
        return found | ({"path": self.path} if self.path else {})


@dataclass(frozen=True)
class ResourceDecision:
    reference: str
    permit: bool
    basis: Basis | None
    reasons: tuple[str, ...]
    obligations: tuple[Obligation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"resource": self.reference, "decision": "permit" if self.permit else "deny",
                "basis": None if self.basis is None else {
                    "legalBasis": self.basis.legal_basis, "consent": self.basis.consent},
                "reasons": list(self.reasons),
                "obligations": [o.to_dict() for o in self.obligations]}


@dataclass(frozen=True)
class Decision:
    """The answer for one request: one :class:`ResourceDecision` per resource, in input order."""

    request: Request
    resources: tuple[ResourceDecision, ...]
    anonymous: bool = False
    #: The decided resources themselves (the caller's dicts, never changed), for the guard.
    items: tuple[Resource, ...] = field(default=(), repr=False, compare=False)
    #: Under the adversary rule: whose telecom and address must not appear anywhere, also not
    #: in free text of what goes (victims, their network, organisations such as a shelter).
    shielded: frozenset[str] = frozenset()
    #: Which projection the copies get (projections.py): professional, perpetrator-care,
    #: household, household-with-perpetrator or anonymous-advice.
    audience: str = PROFESSIONAL

    @property
    def overall(self) -> str:
        """permit (everything goes, maybe redacted), partial, or deny (nothing goes)."""
        permitted = sum(d.permit for d in self.resources)
        if permitted == 0:
            return "deny"
        return "permit" if permitted == len(self.resources) else "partial"

    @property
    def permitted(self) -> list[ResourceDecision]:
        return [d for d in self.resources if d.permit]

    def to_dict(self) -> dict[str, Any]:
        request = self.request
        return {"decision": self.overall, "recipient": request.recipient,
                "purpose": request.purpose, "at": request.at.isoformat(),
                "legalClaim": request.legal_claim.basis if request.legal_claim else None,
                "resources": [d.to_dict() for d in self.resources]}


@dataclass
class _Context:
    request: Request
    parties: Parties
    consents: list[SharingConsent]
    notes: dict[str | None, list[str]]
    claim_issue: str | None
    adversary: bool


def decide(resources: Iterable[Resource], request: Request, *,
           data: Iterable[Resource] | None = None, household: str | None = None) -> Decision:
    """Decide, per resource, whether it may go to ``request.recipient``.

    Parameters:
        resources: the household's resources as FHIR JSON dicts: the Group, Patients with birth
            dates, RelatedPersons, CareTeams, Consents, and the data.
        request: recipient, purpose, moment, discloser, optional legal claim (:class:`Request`).
        data: what to decide on; default every resource except Consents and AuditEvents.
        household: id of the household Group when there are several.

    Example::

        >>> from datetime import datetime, timezone
        >>> from fhir_regie.consent import Request, decide
        >>> decision = decide([], Request(recipient="Organization/x", purpose="care-coordination",
        ...     at=datetime(2026, 11, 1, tzinfo=timezone.utc), discloser="Organization/y"))
        >>> decision.overall
        'deny'
    """
    table = {key(r): r for r in resources if isinstance(r, dict) and r.get("id")}
    parties = read_parties(table.values(), household)
    items = list(table.values()) if data is None else list(data)
    items = [r for r in items if data is not None or r.get("resourceType") not in NOT_DATA
             or is_plan_signature(r)]
    if is_household_recipient(request.recipient, parties):
        return _decide_household(table, items, parties, request)
    context = _context(table, parties, request)
    decided: dict[int, ResourceDecision] = {}
    for position, resource in enumerate(items):
        if resource.get("resourceType") not in DIRECTORY_TYPES:
            decided[position] = _decide_one(resource, context, signed_plan(resource, table))
    anonymous = request.purpose == ANONYMOUS_ADVICE
    # Professionals and organisations go only as context of what goes, under its basis;
    # never with anonymous advice, so there is nothing to follow then.
    if anonymous:
        for position, resource in enumerate(items):
            if position not in decided:
                decided[position] = _decide_directory(resource, {}, context, anonymous)
    else:
        _decide_directories(items, decided, lambda resource, wanted: _decide_directory(
            resource, wanted, context, anonymous))
    shielded = frozenset(
        ref for ref, r in table.items() if context.adversary and _is_shielded(r, context))
    audience = ANONYMOUS_AUDIENCE if anonymous else (
        PERPETRATOR_CARE if context.adversary else PROFESSIONAL)
    return _projectable(Decision(request, tuple(decided[i] for i in range(len(items))),
                                 anonymous, tuple(items), shielded, audience))


def _projectable(decision: Decision) -> Decision:
    """A permitted resource whose type the audience's projection does not list stays behind
    (the allow-list decides what kinds of resource may go at all)."""
    listed = PROJECTIONS[decision.audience]["types"]
    verdicts = tuple(
        _deny(resource, f"{resource.get('resourceType')} is not in the projection for "
                        f"{decision.audience}")
        if verdict.permit and resource.get("resourceType") not in listed else verdict
        for verdict, resource in zip(decision.resources, decision.items, strict=True))
    return replace(decision, resources=verdicts)


def _context(table: Mapping[str, Resource], parties: Parties, request: Request) -> _Context:
    notes: dict[str | None, list[str]] = {}
    usable = []
    consents = sorted((SharingConsent.read(r) for r in table.values()
                       if r.get("resourceType") == "Consent"), key=lambda c: c.reference)
    for consent in consents:
        problem = consent.invalid_because(parties, request.at) or \
            consent.request_mismatch(request, parties)
        if problem:
            notes.setdefault(consent.patient, []).append(problem)
        else:
            usable.append(consent)
    served = parties.serves(request.recipient) | set(request.serves)
    adversary = bool(served) and all(
        parties.members[m].alleged_perpetrator for m in served if m in parties.members) and \
        any(m in parties.members for m in served)
    return _Context(request, parties, usable, notes, claim_problem(request, parties), adversary)


def _deny(resource: Resource, *reasons: str) -> ResourceDecision:
    return ResourceDecision(key(resource), False, None, tuple(dict.fromkeys(reasons)))


def _decide_one(resource: Resource, ctx: _Context,
                judged_as: Resource | None = None) -> ResourceDecision:
    """``judged_as``: what the resource is judged as (a plan signature as its plan)."""
    judged = judged_as or resource
    kind = classify(judged)
    if not kind.required:
        return _deny(resource, f"{resource.get('resourceType')} is not data this guard shares "
                               "(no data class)")
    subjects = about(judged)
    if not subjects:
        return _deny(resource, "cannot tell whom this is about")
    labels = security_labels(judged)
    when = data_date(judged)
    reasons: list[str] = []
    options: list[tuple[Basis, set[Part]]] = []
    members = set(ctx.parties.members)
    for consent in ctx.consents:
        if not (consent.patient in subjects or (HOUSEHOLD in subjects
                                                and consent.patient in members)):
            continue
        problem = _consent_gap(consent, kind.required, labels, when, ctx)
        if problem:
            reasons.append(problem)
            continue
        denied = consent.denied_classes(ctx.request, ctx.parties, when)
        options.append((Basis("consent", consent.reference),
                        {p for p in kind.parts if p.data_class in consent.permit.classes
                         and p.data_class not in denied}))
    claim = ctx.request.legal_claim
    if claim is not None:
        problem = ctx.claim_issue or _claim_gap(claim.basis, kind.required, labels,
                                                claim.covers_labels)
        if problem:
            reasons.append(problem)
        else:
            excluded = LEGAL_BASES[claim.basis].excluded_classes
            options.append((Basis(claim.basis),
                            {p for p in kind.parts if p.data_class not in excluded}))
    if not options:
        if not reasons:
            people = sorted(s for s in subjects if s != HOUSEHOLD) or sorted(members)
            reasons = [f"no counted consent: {n}" for p in people for n in ctx.notes.get(p, [])]
            whose = "a household member" if HOUSEHOLD in subjects else ", ".join(people)
            reasons = reasons or [f"no consent of {whose} for this recipient and purpose, "
                                  "and no legal basis"]
        return _deny(resource, *reasons)
    # Prefer the basis that lets most of the resource through; consents before legal bases.
    basis, covered = max(options, key=lambda option: len(option[1]))
    return ResourceDecision(key(resource), True, basis, (),
                            tuple(_obligations(resource, kind.parts, covered, basis, ctx)))


def _consent_gap(consent: SharingConsent, required: frozenset[str], labels: set[str],
                 when: Any, ctx: _Context) -> str | None:
    missing = sorted(required - consent.permit.classes)
    if missing:
        return f"{consent.reference} does not cover {', '.join(missing)}"
    if not consent.in_data_period(when):
        return f"{consent.reference}: the data lies outside its data period"
    denied = consent.denied_classes(ctx.request, ctx.parties, when)
    if ALL in denied or required & denied:
        return f"{consent.reference}: an exception (deny) excludes it"
    open_labels = uncovered(labels, consent.permit.labels)
    if open_labels:
        return f"{consent.reference} does not cover the label {', '.join(open_labels)}"
    return None


def _claim_gap(basis: str, required: frozenset[str], labels: set[str],
               covers: Iterable[str]) -> str | None:
    excluded = sorted(required & LEGAL_BASES[basis].excluded_classes)
    if excluded:
        return f"legal basis {basis} does not carry {', '.join(excluded)}"
    open_labels = uncovered(labels, {*covers, *LEGAL_BASES[basis].labels})
    if open_labels:
        return f"legal basis {basis} is not invoked for the label {', '.join(open_labels)}"
    return None


def _obligations(resource: Resource, parts: tuple[Part, ...], covered: set[Part],
                 basis: Basis, ctx: _Context) -> list[Obligation]:
    found: list[Obligation] = []
    present = [p for p in parts if p.section is not None or p.element in resource]
    for part in present:
        if part not in covered:
            found.append(Obligation(REDACT, f"{basis} does not cover {part.data_class}",
                                    part.path, part))
        elif part.data_class == "reporter-identity" and not _reporter_may_be_named(
                resource, ctx.request):
            # §4/§6: only when the reporter is not anonymous and contact is needed.
            found.append(Obligation(REDACT, "reporter identity: the reporter is anonymous or "
                                            "no contact is needed", part.path, part))
    if ctx.adversary:
        found += _shield(resource, present, ctx)
    if ctx.adversary or ctx.request.purpose == ANONYMOUS_ADVICE:
        found += _safety_persons_withheld(resource)
    if ctx.request.purpose == ANONYMOUS_ADVICE:
        found.append(Obligation(ANONYMISE, "anonymous advice: no identifying data"))
    claim = ctx.request.legal_claim
    if basis.consent is None and claim is not None and claim.inform_household:
        found.append(Obligation(INFORM, f"shared on {claim.basis} without consent: tell the "
                                        "household what went to whom"))
    return _unique(found)


def _reporter_may_be_named(document: Resource, request: Request) -> bool:
    anonymous = [value(e) for e in extensions(document, "regie-reporter-anonymous")]
    return anonymous == [False] and request.reporter_contact_needed


SHIELDED = ("telecom", "address")


def _is_shielded(resource: Resource, ctx: _Context) -> bool:
    """Whose contact data the adversary rule protects: every person but an alleged
    perpetrator, the informal network, and organisations and professionals other than the
    recipient (a shelter's location)."""
    kind, ref = resource.get("resourceType"), key(resource)
    person = ctx.parties.members.get(ref)
    if kind == "Patient":
        return not (person is not None and person.alleged_perpetrator)
    if kind == "RelatedPerson":
        return True
    return kind in DIRECTORY_TYPES and ref != ctx.request.recipient


def _shield(resource: Resource, parts: list[Part], ctx: _Context) -> list[Obligation]:
    """The adversary rule (DOMAIN.md §6 digital safety): a recipient serving only an alleged
    perpetrator never gets a victim's address, telecom, shelter location or the contact data of
    the safety network, whatever the consents say."""
    if not _is_shielded(resource, ctx):
        return []
    kind = resource.get("resourceType")
    reason = "adversary rule: the recipient serves only an alleged perpetrator"
    by_element = {p.element: p for p in parts}
    return [Obligation(REDACT, reason, f"{kind}.{name}",
                       by_element.get(name, Part(f"{kind}.{name}", name, "contact-details")))
            for name in SHIELDED if name in resource]


#: The care team role of the child's safety person (regie-role).
SAFETY_PERSON = "veiligheidspersoon"


def _safety_persons_withheld(resource: Resource) -> list[Obligation]:
    """Whom the victim turns to never reaches the alleged perpetrator's side nor anonymous
    advice (DOMAIN.md §6): the care team participants with role veiligheidspersoon are cut,
    as the plan's safety-person extension was withheld there before 0.2 (it now lives only in
    the care team)."""
    if resource.get("resourceType") != "CareTeam" or not any(
            SAFETY_PERSON in codes(p.get("role", []), "regie-role")
            for p in resource.get("participant", []) if isinstance(p, dict)):
        return []
    part = Part(f"CareTeam.participant.where(role.coding.code = '{SAFETY_PERSON}')",
                "participant", "household-composition", SAFETY_PERSON)
    return [Obligation(REDACT, "the safety person is never shown to the alleged perpetrator's "
                               "side nor in anonymous advice", part.path, part)]


def _unique(obligations: list[Obligation]) -> list[Obligation]:
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for obligation in obligations:
        if (obligation.code, obligation.path) not in seen:
            seen.add((obligation.code, obligation.path))
            kept.append(obligation)
    return kept


def _referenced(items: list[Resource], decided: Mapping[int, ResourceDecision]
                ) -> dict[str, list[ResourceDecision]]:
    """Directory references made by what goes, after its cuts, with the referring decision."""
    wanted: dict[str, list[ResourceDecision]] = {}
    for position, decision in decided.items():
        if not decision.permit:
            continue
        cut = [o.part for o in decision.obligations if o.code == REDACT and o.part]
        for ref in _references_in(items[position], cut):
            if ref.split("/", 1)[0] in DIRECTORY_TYPES:
                wanted.setdefault(ref, []).append(decision)
    return wanted


_DIRECTORY_REFERENCE = re.compile(
    r'"reference": "(?:[^"]*/)?((?:Organization|Practitioner|PractitionerRole)/[^"/]+)"')


def _references_in(resource: Resource, cut: list[Any]) -> set[str]:
    """Directory references in what remains of a resource after its cuts. Serialising and
    scanning the text is several times faster than walking the JSON in Python."""
    elements = {p.element for p in cut if p.section is None}
    sections = {p.section for p in cut if p.section is not None}
    remaining: Any = resource
    if elements or sections:
        remaining = {name: item for name, item in resource.items() if name not in elements}
        if sections and isinstance(remaining.get("section"), list):
            remaining["section"] = [
                s for s in remaining["section"]
                if not set(codes(s.get("code"), "regie-handover-section")) & sections]
    return set(_DIRECTORY_REFERENCE.findall(json.dumps(remaining, check_circular=False)))


def _decide_directories(items: list[Resource], decided: dict[int, ResourceDecision],
                        decide_one: Callable[[Resource, Mapping[str, list[ResourceDecision]]],
                                             ResourceDecision]) -> None:
    """Decide professionals and organisations as context of what goes, following chains
    (a shared PractitionerRole brings its Practitioner and Organization along), until nothing
    new is referred to; the rest stays behind."""
    pending = [p for p in range(len(items)) if p not in decided]
    wanted = _referenced(items, decided)
    while pending:
        ready = [p for p in pending if key(items[p]) in wanted]
        if not ready:
            break
        fresh = {p: decide_one(items[p], wanted) for p in ready}
        decided.update(fresh)
        pending = [p for p in pending if p not in fresh]
        for ref, referrers in _referenced(items, fresh).items():
            wanted.setdefault(ref, []).extend(referrers)
    for position in pending:
        decided[position] = decide_one(items[position], {})


def _decide_directory(resource: Resource, wanted: Mapping[str, list[ResourceDecision]],
                      ctx: _Context, anonymous: bool) -> ResourceDecision:
    ref = key(resource)
    if anonymous:
        return _deny(resource, "anonymous advice carries no names of professionals or "
                               "organisations")
    referrers = wanted.get(ref, [])
    if not referrers:
        return _deny(resource, "not referred to by anything that is shared")
    labels = security_labels(resource)
    claim = ctx.request.legal_claim
    for referrer in referrers:
        basis = referrer.basis
        assert basis is not None  # only permitted decisions refer
        covers = _basis_labels(basis, ctx, claim.covers_labels if claim else ())
        if not uncovered(labels, covers):
            obligations = _shield(resource, [], ctx) if ctx.adversary else []
            return ResourceDecision(ref, True, basis, (f"context of {referrer.reference}",),
                                    tuple(obligations))
    return _deny(resource, f"the basis does not cover the label {', '.join(sorted(labels))}")


def _basis_labels(basis: Basis, ctx: _Context, claim_labels: Iterable[str]) -> set[str]:
    if basis.consent is None:
        rule = LEGAL_BASES.get(basis.legal_basis)
        return set(claim_labels) | set(rule.labels if rule else ())
    for consent in ctx.consents:
        if consent.reference == basis.consent:
            return set(consent.permit.labels)
    return set()


def _decide_household(table: Mapping[str, Resource], items: list[Resource], parties: Parties,
                      request: Request) -> Decision:
    """The household's own copy of its plan (household.py has the rules and their source)."""
    readers = recipients(request.recipient, parties, request.readers)
    # The adversary rule follows who reads this copy (household.py, "Readers").
    ctx = _Context(request, parties, [], {}, None, perpetrator_reads(readers, parties))
    basis = Basis(OWN_PLAN)
    decided: dict[int, ResourceDecision] = {}
    refused = readers_problem(request.recipient, request.readers, parties)
    if refused:
        return _projectable(Decision(request, tuple(_deny(r, refused) for r in items), False,
                                     tuple(items), frozenset(), HOUSEHOLD_AUDIENCE))
    for position, resource in enumerate(items):
        if resource.get("resourceType") in DIRECTORY_TYPES:
            continue
        judged = signed_plan(resource, table) or resource  # a signature goes as its plan
        kind = classify(judged)  # once: the three rules below all need it
        problem = household_problem(judged, request.recipient, parties, kind, request.readers)
        if problem:
            decided[position] = _deny(resource, problem)
            continue
        parts = uncovered_parts(resource, kind)
        found = [Obligation(REDACT, f"{p.data_class}: never in the household's copy", p.path, p)
                 for p in parts]
        if ctx.adversary:
            found += _shield(resource, [p for p in kind.parts if p.element in resource], ctx)
        decided[position] = ResourceDecision(key(resource), True, basis, (),
                                             tuple(_unique(found)))
    def directory(resource: Resource, wanted: Mapping[str, list[ResourceDecision]]
                  ) -> ResourceDecision:
        ref = key(resource)
        problem = None if wanted.get(ref) else "not referred to by anything in the copy"
        problem = problem or directory_problem(resource, request.recipient, parties)
        return _deny(resource, problem) if problem else ResourceDecision(
            ref, True, basis, (f"context of {wanted[ref][0].reference}",),
            tuple(_shield(resource, [], ctx)) if ctx.adversary else ())

    _decide_directories(items, decided, directory)
    shielded = frozenset(ref for ref, r in table.items()
                         if ctx.adversary and _is_shielded(r, ctx))
    audience = HOUSEHOLD_WITH_PERPETRATOR if ctx.adversary else HOUSEHOLD_AUDIENCE
    return _projectable(Decision(request, tuple(decided[i] for i in range(len(items))), False,
                                 tuple(items), shielded, audience))
