"""Typed builders for every profile of the Regie guide.

Each builder is a keyword-only function named after the profile (``patient``, ``household``,
``safety_plan``, ...), takes the domain's words as parameters, and returns a ``fhir.resources``
R4B model with ``meta.profile`` set. It validates what it built against the profile before
returning it, and raises :class:`InvalidResourceError` (a ``ValueError``) instead of returning an
invalid resource. Unknown codes and references to the wrong kind of resource raise ``ValueError``
straight away. See ``docs/model.md``.
"""

from fhir_regie.model._base import to_json
from fhir_regie.model.errors import InvalidResourceError
from fhir_regie.model.household import (
    Member,
    Participant,
    care_team,
    household,
    patient,
    related_person,
    v3_role,
)

__all__ = [
    "InvalidResourceError",
    "Member",
    "Participant",
    "care_team",
    "household",
    "patient",
    "related_person",
    "to_json",
    "v3_role",
]
