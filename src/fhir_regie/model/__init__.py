"""Typed builders for every profile of the Regie guide.

Each builder is a keyword-only function named after its profile (``patient``, ``household``,
``safety_plan``, ...), takes the domain's words as parameters, and returns a ``fhir.resources``
R4B model with ``meta.profile`` set. It validates what it built against the profile before
returning it and raises :class:`InvalidResourceError` (a ``ValueError``) instead of returning an
invalid resource. Unknown codes and references to the wrong kind of resource raise ``ValueError``
at once. Parts of a resource (a household member, a signature, a section) are small frozen
dataclasses. See ``docs/model.md``.

Example::

    >>> from fhir_regie.model import Member, household, to_json
    >>> home = household(name="Huishouden De Vries", id="household-de-vries",
    ...                  members=[Member(person="Patient/devries-sanne", role="parent")])
    >>> to_json(home)["member"][0]["entity"]
    {'reference': 'Patient/devries-sanne'}
"""

from fhir_regie.model._base import to_json
from fhir_regie.model.consent import Deny, Disclosed, Redaction, disclosure, sharing_consent
from fhir_regie.model.errors import InvalidResourceError
from fhir_regie.model.handover import (
    AssessmentSection,
    JudgementSection,
    Organisation,
    Output,
    Section,
    deadline,
    handover,
    handover_document,
    handover_notification,
)
from fhir_regie.model.household import (
    Authority,
    Member,
    Participant,
    alleged_perpetrator_alert,
    care_team,
    household,
    patient,
    related_person,
    v3_role,
)
from fhir_regie.model.meldcode import (
    Consultation,
    Conversation,
    DecisionAnswer,
    VtContact,
    meldcode_step,
    signal,
)
from fhir_regie.model.plans import (
    DangerStatement,
    Signature,
    agreed_action,
    concern,
    goal,
    plan_signature,
    safety_log_entry,
    safety_plan,
    safety_scale_score,
    strength,
    support_plan,
)
from fhir_regie.model.report import report

__all__ = [
    "AssessmentSection",
    "Authority",
    "Consultation",
    "Conversation",
    "DangerStatement",
    "DecisionAnswer",
    "Deny",
    "Disclosed",
    "InvalidResourceError",
    "JudgementSection",
    "Member",
    "Organisation",
    "Output",
    "Participant",
    "Redaction",
    "Section",
    "Signature",
    "VtContact",
    "agreed_action",
    "alleged_perpetrator_alert",
    "care_team",
    "concern",
    "deadline",
    "disclosure",
    "goal",
    "handover",
    "handover_document",
    "handover_notification",
    "household",
    "meldcode_step",
    "patient",
    "plan_signature",
    "related_person",
    "report",
    "safety_log_entry",
    "safety_plan",
    "safety_scale_score",
    "sharing_consent",
    "signal",
    "strength",
    "support_plan",
    "to_json",
    "v3_role",
]
