"""The household's own copy of its plan: what the guard lets go to the household itself.

The plan belongs to the household: it is made with them, they sign it, and they get it on paper
or digitally (DOMAIN.md §2 phases 3a and 4: "give the client access to a digital plan", "send
the plan (PDF or digital access) to client and professionals"; §6: the household sees what
professionals exchange). That needs no consent, but it is still a disclosure decision, because a
copy on the kitchen table is read by everyone in the house. A request whose recipient is the
household Group or one member (``Patient/<id>``) is decided by these rules:

- **Whose data.** The recipients are the Group's active members, or the one person. Data about
  the household or about a recipient goes; data about anyone else (a member who left, a person
  outside the household) stays behind.
- **Classes.** Only what a plan is made of: composition, contact details, addresses, the plans,
  agreed actions, safety scores, the safety log, health data. The reporter's identity may stay
  hidden from the household (§1 *melder*, §4, §6), and report contents, signals and the meldcode
  trail are professionals' documentation, not the plan: they never go.
- **Labels.** Very restricted data (V, e.g. honour-related violence) never reaches a
  family-visible channel (§6): it goes only to the one person it is about, never to a
  Group copy. Restricted data (R) goes to the people it is about.
- **Adversary rule.** When a reader is flagged alleged perpetrator, the copy carries no
  telephone number or address of anyone else, nor of the organisations (a shelter), also not in
  free text (§6 digital safety), exactly as for an organisation serving only him.
- **Readers.** Who a copy is for is explicit: a Group copy is read by every active member
  unless the request names its readers (``Request.readers``). A copy made for the protected
  parent and the children, without the alleged perpetrator among its readers, is not under
  the adversary rule: it carries their own safety network's numbers (oma's number is the
  family's own, and the one they need most). A reader who is not an active member refuses the
  whole copy (deny by default).

The basis recorded on each permitted resource is ``Basis("household-own-plan")``; it is not a
``regie-legal-basis`` code, and no ``regie-disclosure`` AuditEvent is made: that profile records
disclosures to organisations and professionals (its recipient agent is one), and the household
receiving its own plan is not one.
"""

from __future__ import annotations

from collections.abc import Iterable

from fhir_regie.consent._read import Resource, security_labels
from fhir_regie.consent.classes import HOUSEHOLD, Classification, Part, about, classify
from fhir_regie.consent.parties import Parties

OWN_PLAN = "household-own-plan"
#: Data classes a household copy may carry (regie-data-class).
HOUSEHOLD_CLASSES = frozenset({
    "household-composition", "contact-details", "address-location", "support-plan",
    "safety-plan", "agreed-actions", "safety-scores", "safety-log", "health-data"})


def is_household_recipient(recipient: str, parties: Parties) -> bool:
    """The recipient is the household Group itself or one of its members."""
    return recipient == parties.household or recipient in parties.members


def recipients(recipient: str, parties: Parties, readers: Iterable[str] = ()
               ) -> frozenset[str]:
    """The persons who read the copy: the Group's active members (or those of them named as
    its ``readers``), or the one member."""
    if recipient == parties.household:
        active = frozenset(ref for ref, person in parties.members.items() if person.active)
        named = frozenset(readers)
        return named & active if named else active
    return frozenset({recipient})


def protected_readers(parties: Parties) -> tuple[str, ...]:
    """The active members who are not flagged alleged perpetrator: the readers of a copy
    made for the protected parent and the children (sorted)."""
    return tuple(sorted(ref for ref, person in parties.members.items()
                        if person.active and not person.alleged_perpetrator))


def readers_problem(recipient: str, readers: Iterable[str], parties: Parties) -> str | None:
    """Why the named readers cannot be the audience of a household copy; None when they can
    (or none are named)."""
    named = sorted(set(readers))
    if not named:
        return None
    if recipient != parties.household:
        return "readers are named only for a copy for the household Group"
    for reader in named:
        person = parties.members.get(reader)
        if person is None or not person.active:
            return f"reader {reader} is not an active member of the household"
    return None


def perpetrator_reads(readers: Iterable[str], parties: Parties) -> bool:
    """An alleged perpetrator is among the readers (the adversary rule applies)."""
    return any(parties.members[r].alleged_perpetrator for r in readers if r in parties.members)


def household_problem(resource: Resource, recipient: str, parties: Parties,
                      kind: Classification | None = None, readers: Iterable[str] = ()
                      ) -> str | None:
    """Why ``resource`` may not go into the household's copy; None when it may. ``kind``:
    its classification when the caller has it already; ``readers``: the members the copy is
    made for, when named."""
    kind = kind or classify(resource)
    if not kind.required:
        return f"{resource.get('resourceType')} is not part of a plan (no data class)"
    outside = sorted(kind.required - HOUSEHOLD_CLASSES)
    if outside:
        return (f"{', '.join(outside)} is professionals' documentation or may identify the "
                "reporter: never in the household's copy")
    subjects = about(resource)
    readers = recipients(recipient, parties, readers)
    if not subjects:
        return "cannot tell whom this is about"
    for subject in subjects:
        if subject == HOUSEHOLD:
            continue
        if subject not in readers:
            return "about someone who does not read this copy"
    labels = security_labels(resource)
    if "V" in labels and recipient == parties.household:
        return "very restricted (V): never in a family-visible copy, only for the person it is " \
               "about"
    return None


def uncovered_parts(resource: Resource, kind: Classification | None = None) -> list[Part]:
    """Parts of a permitted resource that the household copy leaves out (a handover section
    with the reporter's identity or VT's judgement)."""
    return [p for p in (kind or classify(resource)).parts if p.data_class not in HOUSEHOLD_CLASSES
            and (p.section is not None or p.element in resource)]


def directory_problem(resource: Resource, recipient: str, parties: Parties) -> str | None:
    """A professional or organisation named by the copy: V-labelled ones stay out of a
    family-visible copy (the shelter of an honour-related case)."""
    if "V" in security_labels(resource) and recipient == parties.household:
        return "very restricted (V): never in a family-visible copy"
    return None
