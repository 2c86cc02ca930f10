"""Security labels (``meta.security``; DOMAIN.md §6: data about honour-related cases needs the
highest confidentiality, and what says that violence happened is shielded).

Two kinds of label keep a resource behind unless the basis covers them:

- the HL7 v3 Confidentiality codes restricted (R) and very restricted (V). These are ordered
  (U < L < M < N < R < V), so a basis covering V also covers R;
- the v3 ActCode sensitivity SDV (sexual assault, abuse, or domestic violence information), on
  signals, meldcode steps and the alleged-perpetrator alert. It is covered only by a basis that
  names SDV itself (a consent's ``provision.securityLabel``, as IHE Privacy Consent on FHIR
  does, or the labels a legal claim is invoked for); no confidentiality code covers it.

PSEUDED (v3 ObservationValue, pseudonymised) says what was done to a copy, not how sensitive it
is: the guard puts it on anonymous-advice output and never holds anything back for it.
"""

from __future__ import annotations

from collections.abc import Collection

from fhir_regie.consent._read import PSEUDED, SDV

GUARDED = ("R", "V", SDV)
ORDER = "ULMNRV"
SENSITIVITY = (SDV,)
__all__ = ["GUARDED", "ORDER", "PSEUDED", "SDV", "SENSITIVITY", "uncovered"]


def uncovered(labels: Collection[str], covered: Collection[str]) -> list[str]:
    """The guarded labels of a resource that the basis does not cover."""
    guarded = [label for label in labels if label in GUARDED]
    if not guarded:   # nearly every resource: nothing to compare
        return []
    top = max((ORDER.index(c) for c in covered if c in ORDER), default=-1)
    return sorted(label for label in guarded
                  if (label not in covered if label in SENSITIVITY
                      else ORDER.index(label) > top))
