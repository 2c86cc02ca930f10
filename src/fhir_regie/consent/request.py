"""What is asked of the consent engine: who receives, why, when, and on which claimed basis.

A request is data, not a command: the engine checks every part of it against the household's
recorded facts (DOMAIN.md §6: "record the basis for every exchange").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class LegalClaim:
    """A basis without consent that the discloser invokes (``regie-legal-basis``).

    Parameters:
        basis: ``meldcode-reporting-right``, ``vt-statutory-task``, ``court-order`` or
            ``vital-interest``.
        justification: why this basis applies here (required: ``rg-dsb-2``). It is copied into
            the AuditEvent, so write it without names.
        inform_household: False only when informing would endanger someone; then
            ``not_informed_reason`` says why (``rg-dsb-3``).
        covers_labels: confidentiality labels (``R``, ``V``) the basis is invoked for; without
            them labelled data stays behind, as it would without a consent covering it.
        named_recipients: for a court order, the organisations the order names.
    """

    basis: str
    justification: str = ""
    inform_household: bool = True
    not_informed_reason: str = ""
    covers_labels: tuple[str, ...] = ()
    named_recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Request:
    """One intended disclosure.

    Parameters:
        recipient: the receiving organisation, ``Organization/<id>``; or the household
            itself (its ``Group/<id>``, or one member ``Patient/<id>``) for its own copy of
            the plan (household.py).
        purpose: a sharing purpose by short name (:func:`fhir_regie.ig.sharing.purpose_keys`).
        at: the moment of the disclosure (time-zone aware).
        discloser: our organisation, ``Organization/<id>`` (recorded in the AuditEvent and used
            to check VT's statutory task).
        role: optionally the recipient's PractitionerRole (``PractitionerRole/<id>``) when a
            consent names a role rather than the organisation.
        legal_claim: a basis without consent, when one is invoked.
        reporter_contact_needed: the recipient needs to contact the reporter (DOMAIN.md §4);
            the reporter's identity is only passed on when also the reporter is not anonymous.
        directory: kinds of organisations not evident from the household's records
            (``Organization/<id>`` -> ``vt`` or ``local-team``), e.g. the region's Veilig Thuis
            for a first report. Recorded facts win over the directory.
        serves: members the recipient serves (``Patient/<id>``), added to what the household
            records show (care teams about one member, a member's GP or managing organisation).
        readers: the household's own copy (recipient its ``Group/<id>``): the members
            (``Patient/<id>``) it is made for. Empty: every active member, the safe default.
            An alleged perpetrator among the readers brings the adversary rule; a copy made
            for the others (the protected parent and the children) carries their own
            network's numbers (household.py).
    """

    recipient: str
    purpose: str
    at: datetime
    discloser: str
    role: str | None = None
    legal_claim: LegalClaim | None = None
    reporter_contact_needed: bool = False
    directory: Mapping[str, str] = field(default_factory=dict)
    serves: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("at: a moment needs a time zone")
