"""Persons of a test's own: valid BSNs unique to a run and a tag (issue 18).

The local team matches persons by BSN when it takes a handover in, so two tests that send the
same demo household to one server (a shared HAPI keeps everything between runs) would find each
other's persons. ``bsn(seed)`` gives a BSN that passes the eleven-check, the same within a run
for the same seed and different across runs.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from typing import Any

BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
RUN = uuid.uuid4().hex


def bsn(seed: str) -> str:
    """A BSN (eleven-check: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11)."""
    number = int(hashlib.sha256(f"{RUN}|{seed}".encode()).hexdigest(), 16)
    while True:
        digits = "9" + f"{number % 10**7:07d}"
        check = sum((9 - i) * int(d) for i, d in enumerate(digits)) % 11
        if check < 10:
            return digits + str(check)
        number += 1


def with_bsns(case: list[dict[str, Any]], tag: str) -> list[dict[str, Any]]:
    """``case`` with every BSN replaced by one of this run and tag (the same person keeps
    the same new BSN)."""
    changed = copy.deepcopy(case)
    for resource in changed:
        for identifier in resource.get("identifier", []) if resource.get(
                "resourceType") == "Patient" else []:
            if identifier.get("system") == BSN_SYSTEM:
                identifier["value"] = bsn(f"{tag}|{identifier['value']}")
    return changed
