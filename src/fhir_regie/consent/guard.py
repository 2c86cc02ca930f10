"""The disclosure guard: the one door through which household data leaves an organisation
(ARCHITECTURE.md §1: "everything that crosses an organisation boundary passes the consent guard
and leaves an AuditEvent").

:func:`share` decides, makes redacted copies of what may go (the input is never changed), and
records the disclosure as ``regie-disclosure`` AuditEvents built with the model builder. Every
outbound path (handover, sync, viewer, rendering for professionals) calls it and sends only
``Shared.bundle``; ``tests/unit/consent/test_guard_contract.py`` scans the source tree to keep
it so.

The profile allows one basis per AuditEvent, so there is one event per basis used (nearly
always one); what stays behind is listed in the first event, with a redaction of the whole
resource and a reason without personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.auditevent import AuditEvent

from fhir_regie.consent._read import Resource, key, reference, references, security_labels
from fhir_regie.consent.decision import (
    ANONYMISE,
    REDACT,
    Basis,
    Decision,
    ResourceDecision,
    decide,
)
from fhir_regie.consent.household import OWN_PLAN
from fhir_regie.consent.labels import ORDER
from fhir_regie.consent.project import projector
from fhir_regie.consent.redact import (
    anonymise,
    cut,
    organisation_names,
    part_of,
    person_terms,
    scrub_terms,
    scrubber,
    shielded_terms,
)
from fhir_regie.consent.request import Request
from fhir_regie.model import Disclosed, Redaction, disclosure

#: Modules that write with the FHIR client without the guard, and why that crosses no
#: organisation boundary. tests/unit/consent/test_guard_contract.py fails for any other module
#: that writes to a server or posts over HTTP without calling :func:`share`.
LOCAL_WRITERS: dict[str, str] = {
    "fhir_regie.demo": "writes the local team's own records of the invented demo story to "
                       "its own embedded server on 127.0.0.1; what goes from one organisation "
                       "to the other goes through fhir_regie.handover (which calls share)",
    "fhir_regie.sync.demo": "plays the local team's own edits (a consent it records, an action "
                            "it completes) on its own server; what leaves goes through the "
                            "sync engine, which calls share",
}
#: Packages of the outbound paths (ARCHITECTURE.md §4). Each, once it exists, must call
#: :func:`share` (the contract test checks it).
OUTBOUND_PACKAGES = ("handover", "sync", "render", "viewer", "gateway")

WITHHELD = "niet verstrekt: geen toestemming of wettelijke grondslag die dit dekt"
ANONYMISED = "identificerende gegevens verwijderd (anoniem advies)"
PROJECTED = "niet verstrekt: valt buiten wat deze soort ontvanger mag krijgen (projectie)"
PEOPLE = ("Patient", "RelatedPerson", "Practitioner", "Organization")


@dataclass(frozen=True)
class Shared:
    """What :func:`share` returns: the decision, the Bundle to send, and the audit trail."""

    decision: Decision
    bundle: dict[str, Any]
    audit_events: tuple[AuditEvent, ...]

    @property
    def audit_event(self) -> AuditEvent | None:
        """The (first) disclosure record; None when nothing was disclosed."""
        return self.audit_events[0] if self.audit_events else None


def filtered_copies(decision: Decision, context: Iterable[Resource] = ()) -> list[Resource]:
    """Copies of the permitted resources with every obligation carried out (see
    :func:`projected_copies`, which also says what the projection withheld)."""
    return projected_copies(decision, context)[0]


def projected_copies(decision: Decision, context: Iterable[Resource] = ()
                     ) -> tuple[list[Resource], dict[str, list[str]]]:
    """Copies of the permitted resources, each projected for the decision's audience
    (:mod:`.project`: only what the allow-list names) with every obligation carried out,
    and per resource the element paths the projection withheld.

    ``context`` are the household's resources, used to know every identifying string when
    the purpose is anonymous advice.
    """
    projection = projector(decision.audience)
    permitted = [(v, r) for v, r in zip(decision.resources, decision.items, strict=True)
                 if v.permit]
    removed: list[Any] = []
    named: set[str] = set()
    for verdict, resource in permitted:
        for obligation in verdict.obligations:
            if obligation.code == REDACT and obligation.part is not None:
                # What the original holds there must not come back through text either.
                part = part_of(resource, obligation.part.element, obligation.part.section)
                removed.append(part)
                if obligation.part.section is not None:
                    named |= _people_in(part)
                elif obligation.part.data_class == "reporter-identity":
                    named |= set(references(part))   # the report's sender (regie-report)
    # The scrubber runs inside the projection's walk, on the strings that go as content.
    found = scrubber(_terms(decision, context, removed, named),
                     keep=organisation_names((*decision.items, *context)))
    reference = None
    names: dict[str, str] = {}
    if decision.anonymous:
        # Anonymous advice: pseudonymous ids and references, no displays, and scrubbing,
        # in the projection's one walk (DOMAIN.md §3 step 2).
        def alias(ref: str) -> str:
            return names.setdefault(ref, f"anon-{len(names) + 1}")

        renamed: dict[str, str] = {}  # each reference is renamed once per request

        def reference(ref: str) -> str:
            done = renamed.get(ref)
            if done is None:
                if "/" not in ref:
                    return ref
                kind, rid = ref.rstrip("/").split("/")[-2:]
                done = renamed[ref] = f"{kind}/{alias(f'{kind}/{rid}')}"
            return done

        for _, resource in permitted:
            alias(key(resource))
    copies: list[Resource] = []
    withheld: dict[str, list[str]] = {}
    for verdict, resource in permitted:
        copy, paths = projection.project(resource, scrubber=found, reference=reference,
                                         anonymous=decision.anonymous)
        if paths:
            withheld[verdict.reference] = paths
        if copy is None:
            continue
        for obligation in verdict.obligations:
            if obligation.code == REDACT and obligation.part is not None:
                cut(copy, obligation.part.element, obligation.part.section)
        if decision.anonymous:
            anonymise(copy, decision.request.at, resource.get("birthDate"))
            copy["id"] = names[key(resource)]
        copies.append(copy)
    return copies, withheld


def _terms(decision: Decision, context: Iterable[Resource], removed: list[Any],
           named: set[str]) -> set[str]:
    """Every string that must not reach the recipient through any text that goes."""
    terms = scrub_terms(removed)
    if named:
        # A cut section that names people (the reporter's contact section, DOMAIN.md §4, §6):
        # their names and numbers must not reach the recipient through free text either.
        people = {key(r): r for r in (*decision.items, *context)}
        for ref in sorted(named & set(people)):
            terms |= person_terms(people[ref])
    if decision.shielded:
        everyone = (*decision.items, *context)
        terms |= scrub_terms([[r.get("telecom"), r.get("address")] for r in everyone
                              if key(r) in decision.shielded])
        terms |= shielded_terms(everyone, decision.shielded)
    if decision.anonymous:
        for person in (*decision.items, *context):
            if person.get("resourceType") in PEOPLE:
                terms |= person_terms(person)
    return terms


def _people_in(sections: Any) -> set[str]:
    """``Type/id`` of the people and organisations the entries of cut sections point to."""
    found = set()
    for section in sections if isinstance(sections, list) else []:
        for entry in section.get("entry", []) if isinstance(section, dict) else []:
            ref = reference(entry)
            if ref and ref.split("/", 1)[0] in (*PEOPLE, "PractitionerRole"):
                found.add(ref)
    return found


def share(resources: Iterable[Resource], request: Request, *,
          data: Iterable[Resource] | None = None, household: str | None = None) -> Shared:
    """Decide, copy, redact and record one disclosure. The only way data may leave.

    Parameters are those of :func:`~fhir_regie.consent.decide`. Returns :class:`Shared`:
    ``bundle`` is a ``collection`` Bundle of the redacted copies (empty when nothing may go),
    ``audit_events`` the ``regie-disclosure`` records (none when nothing went).

    Example::

        >>> from datetime import datetime, timezone
        >>> shared = share([], Request(recipient="Organization/x", purpose="care-coordination",
        ...     at=datetime(2026, 11, 1, tzinfo=timezone.utc), discloser="Organization/y"))
        >>> shared.bundle["entry"], shared.audit_events
        ([], ())
    """
    everything = list(resources)
    decision = decide(everything, request, data=data, household=household)
    copies, withheld = projected_copies(decision, everything)
    bundle = {"resourceType": "Bundle", "type": "collection",
              "timestamp": request.at.isoformat(),
              "entry": [{"resource": copy} for copy in copies]}
    return Shared(decision, bundle, tuple(audit_events(decision, withheld)))


def audit_events(decision: Decision, projected: Mapping[str, Iterable[str]] | None = None
                 ) -> list[AuditEvent]:
    """One ``regie-disclosure`` AuditEvent per basis used; references and reasons only.
    ``projected``: per resource the element paths the projection withheld (paths only)."""
    projected = projected or {}
    request = decision.request
    groups: dict[Basis, list[tuple[ResourceDecision, Resource]]] = {}
    if any(v.basis is not None and v.basis.legal_basis == OWN_PLAN for v in decision.resources):
        # The household's own copy is no disclosure to an organisation (household.py).
        return []
    for verdict, resource in zip(decision.resources, decision.items, strict=True):
        if verdict.permit and verdict.basis is not None:
            groups.setdefault(verdict.basis, []).append((verdict, resource))
    withheld = [Disclosed(v.reference, (Redaction(str(r.get("resourceType")), WITHHELD),))
                for v, r in zip(decision.resources, decision.items, strict=True)
                if not v.permit]
    events = []
    claim = request.legal_claim
    for number, (basis, items) in enumerate(groups.items()):
        entities = [Disclosed(v.reference, tuple(_redactions(v, projected.get(v.reference, ()))))
                    for v, _ in items]
        legal = basis.consent is None and claim is not None
        events.append(disclosure(
            kind="view" if request.purpose == "shared-plan-view" else "disclosure",
            purpose=request.purpose, discloser=request.discloser, recipient=request.recipient,
            disclosed=entities + (withheld if number == 0 else []),
            legal_basis=basis.legal_basis, consent=basis.consent,
            justification=claim.justification if legal and claim else None,
            inform_household=claim.inform_household if legal and claim else None,
            not_informed_reason=(claim.not_informed_reason or None)
            if legal and claim and not claim.inform_household else None,
            recorded=request.at, security_label=_highest_label(r for _, r in items)))
    return events


def _redactions(verdict: ResourceDecision, projected: Iterable[str] = ()) -> list[Redaction]:
    found = [Redaction(o.path, o.reason) for o in verdict.obligations
             if o.code == REDACT and o.path]
    cut = {r.path for r in found}
    # Paths are built from FHIR's own element names (never from the data), see project.py.
    found += [Redaction(path, PROJECTED) for path in projected if path not in cut]
    if any(o.code == ANONYMISE for o in verdict.obligations):
        found.append(Redaction(verdict.reference.split("/", 1)[0], ANONYMISED))
    return found


def _highest_label(resources: Iterable[Resource]) -> str | None:
    """The record of a disclosure is as confidential as the most confidential thing in it."""
    labels = {label for r in resources for label in security_labels(r) if label in ORDER}
    return max(labels, key=ORDER.index) if labels & {"R", "V"} else None


