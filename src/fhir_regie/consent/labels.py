"""Confidentiality labels (HL7 v3 Confidentiality in ``meta.security``; DOMAIN.md §6: data about
honour-related cases needs the highest confidentiality).

Anything labelled restricted (R) or very restricted (V) stays behind unless the basis covers
that label: a consent's ``provision.securityLabel`` or the labels a legal claim is invoked for.
The codes are ordered (U < L < M < N < R < V), so a basis covering V also covers R.
"""

from __future__ import annotations

from collections.abc import Collection

GUARDED = ("R", "V")
ORDER = "ULMNRV"


def uncovered(labels: Collection[str], covered: Collection[str]) -> list[str]:
    """The guarded labels of a resource that the basis does not cover."""
    guarded = [label for label in labels if label in GUARDED]
    if not guarded:   # nearly every resource: nothing to compare
        return []
    top = max((ORDER.index(c) for c in covered if c in ORDER), default=-1)
    return sorted(label for label in guarded if ORDER.index(label) > top)
