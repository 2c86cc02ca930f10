"""Who may consent for whom (DOMAIN.md §1, Dutch youth and medical law as applied in the
agreements): under 12 a parent with authority; from 12 to 15 the child *and* a parent with
authority; from 16 the person alone; for an adult, also their recorded legal representative
(*mentor*, *curator*, guardian).

Age counts at the moment of the disclosure, not when consent was given: a consent that parents
gave for an 11-year-old no longer suffices once the child turns 12.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from fhir_regie.consent.parties import Parties

CHILD_ALONE_UNDER = 12   # under 12: parents with authority decide
BOTH_UNDER = 16          # 12-15: child and parent; 16 and over: the young person alone
ADULT = 18


def performer_problem(patient: str, performers: Collection[str], parties: Parties,
                      at: datetime) -> str | None:
    """Why these performers cannot consent for ``patient`` at ``at``; None when they can."""
    person = parties.members.get(patient)
    if person is None:
        return "the client is not a member of the household, so their age is unknown"
    age = person.age(at)
    if age is None:
        return "the client's birth date is unknown, so who may consent cannot be decided"
    given = set(performers)
    if age < CHILD_ALONE_UNDER:
        if given & parties.parents_with_authority(patient, at):
            return None
        return f"the client is {age}: a parent with authority must consent"
    if age < BOTH_UNDER:
        if patient in given and given & parties.parents_with_authority(patient, at):
            return None
        return f"the client is {age}: both the client and a parent with authority must consent"
    if patient in given:
        return None
    if age >= ADULT and given & parties.representatives.get(patient, frozenset()):
        return None
    return f"the client is {age}: only the client" + (
        " or their recorded legal representative" if age >= ADULT else "") + " may consent"
