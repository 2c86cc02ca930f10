"""Consent decisions and the disclosure guard (docs/consent.md).

Nothing leaves an organisation without a basis: :func:`decide` answers per resource with
permit or deny, the basis (a Consent or a legal basis) and obligations; :func:`share` is the
guard every outbound path calls: it returns redacted copies and the ``regie-disclosure``
AuditEvent(s). Pure rules: no files, network or clock.
"""

from fhir_regie.consent.decision import (
    Basis,
    Decision,
    Obligation,
    ResourceDecision,
    decide,
)
from fhir_regie.consent.guard import Shared, share
from fhir_regie.consent.request import LegalClaim, Request

__all__ = ["Basis", "Decision", "LegalClaim", "Obligation", "Request", "ResourceDecision",
           "Shared", "decide", "share"]
