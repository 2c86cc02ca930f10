"""Bases for sharing without consent (DOMAIN.md §6: "except where the law gives a basis without
consent (the reporting right of the Meldcode; VT's legal tasks)"; §3 step 5; §4).

Each basis permits only for its own purposes, to its own kind of recipient, and for the data
classes its task needs. It always needs a written justification, and it carries the obligation
to inform the household unless it is recorded that informing would endanger someone.
"""

from __future__ import annotations

from dataclasses import dataclass

from fhir_regie.consent._read import SDV
from fhir_regie.consent.parties import LOCAL_TEAM, VT, Parties
from fhir_regie.consent.request import Request

CARE_TEAM = "care-team"  # any organisation in one of the household's care teams
EVERYTHING_BUT = frozenset({"reporter-identity", "vt-judgement", "health-data"})


@dataclass(frozen=True)
class LegalBasis:
    purposes: frozenset[str]
    recipient_kinds: frozenset[str]      # empty: the recipients named in the claim (court)
    discloser_kinds: frozenset[str]      # empty: any discloser
    excluded_classes: frozenset[str]     # classes this basis never carries
    #: (discloser kind, recipient kind) pairs, when the basis holds only between those two
    #: (empty: any discloser and recipient of the kinds above).
    directions: frozenset[tuple[str, str]] = frozenset()
    #: Sensitivity labels the basis carries by its nature (labels.py): the meldcode reporting
    #: right and VT's statutory task exist for domestic-violence data, so they cover SDV
    #: without naming it; any other basis must be invoked for SDV explicitly.
    labels: frozenset[str] = frozenset()


LEGAL_BASES: dict[str, LegalBasis] = {
    # §3 step 2 and 5 / §6: a professional asks Veilig Thuis for advice on an anonymous case,
    # or reports to it; reporter identity, VT's own judgement and health data beyond the
    # signals are not part of a report.
    "meldcode-reporting-right": LegalBasis(
        frozenset({"meldcode-report", "anonymous-advice"}), frozenset({VT}), frozenset(),
        EVERYTHING_BUT, labels=frozenset({SDV})),
    # §4: VT hands over to the local team, "only as far as needed"; the reporter's contact data
    # and VT's judgement travel within the section rules of the handover (decision.py). The
    # local team's answers within that task go back to VT on the same basis: accepting or
    # refusing the handover (the moment responsibility passed), the terms that follow from it,
    # and monitoring feedback ("after the local team closes a case during VT's monitoring
    # period, it informs VT"). Never between two local teams or two VTs.
    "vt-statutory-task": LegalBasis(
        frozenset({"handover", "vt-monitoring"}), frozenset({LOCAL_TEAM, VT}),
        frozenset({VT, LOCAL_TEAM}), frozenset({"health-data"}),
        directions=frozenset({(VT, LOCAL_TEAM), (LOCAL_TEAM, VT)}), labels=frozenset({SDV})),
    # A court decision (e.g. a child protection measure) names who gets what.
    "court-order": LegalBasis(
        frozenset({"handover", "care-coordination", "safety-planning"}), frozenset(),
        frozenset(), frozenset({"reporter-identity"})),
    # To protect life or physical safety: only what keeps someone safe, only to those already
    # working on the household's safety.
    "vital-interest": LegalBasis(
        frozenset({"safety-planning"}), frozenset({VT, LOCAL_TEAM, CARE_TEAM}), frozenset(),
        frozenset({"reporter-identity", "vt-judgement", "health-data", "support-plan",
                   "meldcode-trail", "signals", "report-content"})),
}


def claim_problem(request: Request, parties: Parties) -> str | None:
    """Why the request's legal claim does not hold; None when it does (or there is none)."""
    claim = request.legal_claim
    if claim is None:
        return None
    rule = LEGAL_BASES.get(claim.basis)
    if rule is None:
        return f"legal basis {claim.basis} is not one this guard can apply without consent"
    if not claim.justification.strip():
        return f"legal basis {claim.basis} needs a written justification"
    if not claim.inform_household and not claim.not_informed_reason.strip():
        return ("the household is not informed, but no reason is recorded why informing "
                "would endanger someone")
    if request.purpose not in rule.purposes:
        return f"legal basis {claim.basis} does not cover the purpose {request.purpose}"
    if rule.recipient_kinds:
        kind = parties.kind(request.recipient, request.directory)
        in_team = request.recipient in parties.team_orgs
        if kind not in rule.recipient_kinds and not (CARE_TEAM in rule.recipient_kinds
                                                     and in_team):
            return (f"legal basis {claim.basis} does not allow {request.recipient} as "
                    f"recipient (needs {', '.join(sorted(rule.recipient_kinds))})")
    elif request.recipient not in claim.named_recipients:
        return f"the court order does not name {request.recipient}"
    discloser = parties.kind(request.discloser, request.directory)
    if rule.discloser_kinds and discloser not in rule.discloser_kinds:
        return (f"legal basis {claim.basis} is only for "
                f"{' or '.join(sorted(rule.discloser_kinds))} as discloser")
    recipient = parties.kind(request.recipient, request.directory)
    if rule.directions and (discloser, recipient) not in rule.directions:
        pairs = ", ".join(f"{a} to {b}" for a, b in sorted(rule.directions))
        return f"legal basis {claim.basis} holds only from {pairs}"
    return None
