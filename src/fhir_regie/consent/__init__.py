"""Consent decisions and the disclosure guard (docs/consent.md).

Nothing leaves an organisation without a basis: :func:`decide` answers per resource with
permit or deny, the basis (a Consent or a legal basis) and obligations; :func:`share` is the
guard every outbound path calls: it returns redacted copies and the ``regie-disclosure``
AuditEvent(s). Pure rules: no files, network or clock.

The names below load on first use, so ``fhir-regie`` starts fast (its ``consent`` subcommand
registers from :mod:`fhir_regie.consent.cli` without the engine).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Basis": "decision", "Decision": "decision", "Obligation": "decision",
    "ResourceDecision": "decision", "decide": "decision",
    "Shared": "guard", "share": "guard",
    "LegalClaim": "request", "Request": "request",
}
__all__ = ["Basis", "Decision", "LegalClaim", "Obligation", "Request", "ResourceDecision",
           "Shared", "decide", "share"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'fhir_regie.consent' has no attribute {name!r}")
    return getattr(import_module(f"fhir_regie.consent.{_EXPORTS[name]}"), name)
