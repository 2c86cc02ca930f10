"""Helpers: example households as editable copies, requests with sensible defaults."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from fhir_regie.consent import LegalClaim, Request
from fhir_regie.demo import household_resources
from fhir_regie.ig import codesystem_url, extension_url, load_package

Resource = dict[str, Any]
AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
WIJKTEAM = "Organization/devries-org-wijkteam"
SCHOOL = "Organization/devries-org-school"
GP = "Organization/devries-org-huisarts"
JGZ = "Organization/devries-org-jgz"
VT = "Organization/devries-org-vt"
ADDICTION = "Organization/devries-org-verslavingszorg"


def example(household_id: str = "household-de-vries") -> dict[str, Resource]:
    """A deep copy of an example household's resources, keyed Type/id."""
    return copy.deepcopy(household_resources(load_package(), household_id))


def request(recipient: str = SCHOOL, purpose: str = "care-coordination", *,
            at: datetime = AT, discloser: str = WIJKTEAM, **more: Any) -> Request:
    return Request(recipient=recipient, purpose=purpose, at=at, discloser=discloser, **more)


def claim(basis: str, **more: Any) -> LegalClaim:
    return LegalClaim(basis, justification=more.pop("justification", "Zie dossier, stap 4."),
                      **more)


def verdict(decision: Any, ref: str) -> Any:
    """The decision for one resource."""
    return next(d for d in decision.resources if d.reference == ref)


def coding(codesystem_id: str, code: str) -> dict[str, Any]:
    return {"system": codesystem_url(codesystem_id), "code": code}


def set_life_domain(resource: Resource, code: str) -> None:
    resource["extension"] = [e for e in resource.get("extension", [])
                             if e.get("url") != extension_url("regie-life-domain")]
    resource["extension"].append({"url": extension_url("regie-life-domain"),
                                  "valueCodeableConcept": {"coding": [
                                      coding("regie-life-domain", code)]}})
