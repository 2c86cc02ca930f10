"""Reading a ``regie-sharing-consent`` and matching it against a request (DOMAIN.md §6;
FHIR R4 Consent §2.30: a nested provision is an exception to its parent).

A consent counts only when it is active, was given before the moment, the moment lies in its
period, and the right person gave it (authority.py). A nested deny beats the permit for what it
names: recipients, purposes, data classes, periods and data periods are all matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir_regie.consent._read import (
    ACT_CODE,
    CONFIDENTIALITY,
    SDV,
    Resource,
    codes,
    key,
    moment,
    references,
)
from fhir_regie.consent._read import within as _within
from fhir_regie.consent.authority import performer_problem
from fhir_regie.consent.parties import Parties
from fhir_regie.consent.request import Request
from fhir_regie.ig.sharing import ORGANISATION_SYSTEMS, classes_in, purposes_in

ALL = "*"  # a deny without classes denies every class


def _actor(element: Any) -> list[str]:
    """A consent actor: its reference, or for a reference by identifier alone (an
    organisation not on this server) ``system|value`` of a URA, KvK or OIN number."""
    found = references(element)
    if found or not isinstance(element, dict):
        return found
    identifier = element.get("identifier")
    if isinstance(identifier, dict) and identifier.get("system") in ORGANISATION_SYSTEMS \
            and isinstance(identifier.get("value"), str):
        return [f"{identifier['system']}|{identifier['value']}"]
    return []


@dataclass(frozen=True)
class Provision:
    """A permit or deny provision, reduced to what matching needs."""

    actors: tuple[str, ...]
    purposes: frozenset[str]
    classes: frozenset[str]
    period: Any
    data_period: Any
    labels: frozenset[str]

    @classmethod
    def read(cls, provision: Resource) -> Provision:
        return cls(
            actors=tuple(r for actor in provision.get("actor", []) if isinstance(actor, dict)
                         for r in _actor(actor.get("reference"))),
            purposes=frozenset(purposes_in(provision.get("purpose", []))),
            classes=frozenset(classes_in(provision.get("class", []))),
            period=provision.get("period"), data_period=provision.get("dataPeriod"),
            labels=frozenset(codes(provision.get("securityLabel", []), system=CONFIDENTIALITY))
            | (frozenset(codes(provision.get("securityLabel", []), system=ACT_CODE)) & {SDV}))

    def names_recipient(self, request: Request, parties: Parties) -> bool:
        """The recipient is named: the organisation itself (by reference, or by a URA, KvK or
        OIN identifier only it carries in the records), the requesting role, or a care team
        the organisation (or role) takes part in."""
        mine = {request.recipient} | ({request.role} if request.role else set()) | \
            parties.known_as(request.recipient)
        return any(actor in mine or bool(parties.teams.get(actor, frozenset()) & mine)
                   for actor in self.actors)


@dataclass(frozen=True)
class SharingConsent:
    reference: str
    status: str | None
    patient: str | None
    given: datetime | None
    performers: tuple[str, ...]
    permit: Provision
    denies: tuple[Provision, ...]

    @classmethod
    def read(cls, consent: Resource) -> SharingConsent:
        provision = consent.get("provision") if isinstance(consent.get("provision"), dict) \
            else {}
        permit = Provision.read(provision) if provision.get("type", "permit") == "permit" \
            else Provision((), frozenset(), frozenset(), None, None, frozenset())
        return cls(
            reference=key(consent), status=consent.get("status"),
            patient=next(iter(references(consent.get("patient"))), None),
            given=moment(consent.get("dateTime")),
            performers=tuple(references(consent.get("performer", []))),
            permit=permit,
            denies=tuple(Provision.read(p) for p in provision.get("provision", [])
                         if isinstance(p, dict) and p.get("type") == "deny"))

    def invalid_because(self, parties: Parties, at: datetime) -> str | None:
        """Why this consent does not count at ``at``; None when it does."""
        if self.status == "inactive":
            return f"{self.reference} was revoked (status inactive)"
        if self.status != "active":
            return f"{self.reference} is not active (status {self.status})"
        if self.given is None or self.given > at:
            return f"{self.reference} was not yet given at the moment of disclosure"
        if not _within(self.permit.period, at):
            return f"{self.reference} is outside its period at the moment of disclosure"
        if self.patient is None:
            return f"{self.reference} names no client"
        problem = performer_problem(self.patient, self.performers, parties, at)
        return f"{self.reference}: wrong performer: {problem}" if problem else None

    def request_mismatch(self, request: Request, parties: Parties) -> str | None:
        if not self.permit.names_recipient(request, parties):
            return f"{self.reference} does not name {request.recipient} as a recipient"
        if request.purpose not in self.permit.purposes:
            return f"{self.reference} does not cover the purpose {request.purpose}"
        return None

    def denied_classes(self, request: Request, parties: Parties,
                       data_date: datetime | None) -> frozenset[str]:
        """Classes a matching nested deny takes out (:data:`ALL` for every class)."""
        out: set[str] = set()
        for deny in self.denies:
            if deny.actors and not deny.names_recipient(request, parties):
                continue
            if deny.purposes and request.purpose not in deny.purposes:
                continue
            if deny.period is not None and not _within(deny.period, request.at):
                continue
            # an undated resource cannot be shown to lie outside the deny: the deny applies
            if deny.data_period is not None and data_date is not None and \
                    not _within(deny.data_period, data_date):
                continue
            out |= deny.classes or {ALL}
        return frozenset(out)

    def in_data_period(self, data_date: datetime | None) -> bool:
        if self.permit.data_period is None:
            return True
        return data_date is not None and _within(self.permit.data_period, data_date)


DATE_ELEMENTS = ("recordedDate", "effectiveDateTime", "authoredOn", "date", "created",
                 "startDate", "issued")


def data_date(resource: Resource) -> datetime | None:
    """When the data arose, for matching a consent's data period."""
    for name in DATE_ELEMENTS:
        if resource.get(name) is not None:
            return moment(resource.get(name))
    period = resource.get("period")
    return moment(period.get("start")) if isinstance(period, dict) else None
