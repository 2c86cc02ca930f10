"""What each handover route carries (DOMAIN.md §4), as sections of the handover document.

The document profile (``regie-handover-document``) already refuses what it can see on its own:
VT's judgement outside an Onderzoek (``rg-hdc-1``), reporter contact data of an anonymous
reporter (``rg-hdc-2``), a direct handover without the assessment (``rg-hdc-3``), a handover
after a VT service without conditions and monitoring agreements (``rg-hdc-4``). This module
adds what the agreements say beyond that, "only as far as needed for the local team's task":
a section the route does not carry is cut before anything leaves, and the sender is told.

- ``direct-after-assessment``: the report, the reporter's contact data, the outcome of the
  assessment, agreements on the plans (§4 "handover directly after assessment carries ...";
  *middelzwaar*: "VT gives no safety conditions"; "no monitoring for direct handovers").
- ``after-voorwaarden-en-vervolg``: the report, the reporter's contact data, the assessment,
  the safety conditions, safety agreements and plan, the consequences, agreements on the plans
  and on monitoring (§4 "handover after a VT service carries ...").
- ``after-onderzoek``: as above, and VT's judgement (§4 "only after Onderzoek").
- ``restraining-order``: the report, the reporter's contact data, the assessment, safety
  conditions and agreements, the consequences, agreements on the plans (§4: VT informs the
  local team of the order; it is not a VT service, so no judgement and no monitoring).

Whether the reporter's contact data goes at all is the consent guard's rule (not anonymous
and contact needed, §4/§6), applied after this one.

Example::

    >>> allowed("direct-after-assessment")
    ('report-content', 'reporter-contact', 'safety-assessment', 'plan-agreements')
"""

from __future__ import annotations

from dataclasses import dataclass

from fhir_regie.handover._fhir import Resource, codes
from fhir_regie.messages import said

#: Section codes in the profile's order (``regie-handover-section``).
SECTIONS = ("report-content", "reporter-contact", "safety-assessment", "vt-judgement",
            "safety-conditions", "safety-plan", "consequences", "plan-agreements",
            "monitoring-agreements")
_AFTER_SERVICE = frozenset(SECTIONS) - {"vt-judgement"}
ROUTES: dict[str, frozenset[str]] = {
    # "plan-agreements" on the direct route is our addition (the brief lists it only after a VT
    # service): after a middelzwaar assessment the local team makes the plans (docs/workflow.md).
    "direct-after-assessment": frozenset({"report-content", "reporter-contact",
                                          "safety-assessment", "plan-agreements"}),
    "after-voorwaarden-en-vervolg": _AFTER_SERVICE,
    "after-onderzoek": frozenset(SECTIONS),
    "restraining-order": frozenset(SECTIONS) - {"vt-judgement", "monitoring-agreements"},
}
#: Routes after which Veilig Thuis monitors (DOMAIN.md §4; the workflow rule of the same name).
VT_SERVICE_ROUTES = ("after-voorwaarden-en-vervolg", "after-onderzoek")


@dataclass(frozen=True)
class Cut:
    """A section left out of the handover because its route does not carry it."""

    section: str
    route: str

    @property
    def reason(self) -> str:
        return said("handover.cut", section=self.section, route=self.route)


def allowed(route: str) -> tuple[str, ...]:
    """The sections a route carries, in the profile's order; ValueError for an unknown route."""
    if route not in ROUTES:
        raise ValueError(f"unknown handover route {route!r}; known: {', '.join(ROUTES)}")
    return tuple(code for code in SECTIONS if code in ROUTES[route])


def section_code(section: Resource) -> str | None:
    found = codes(section.get("code"), "regie-handover-section")
    return found[0] if found else None


def cut_for_route(document: Resource, route: str) -> tuple[Resource, tuple[Cut, ...]]:
    """A copy of the document with only the sections its route carries, and what was cut.

    The input is not changed. Sections without a code of the guide are cut too: nothing goes
    that cannot be told apart.
    """
    keep = set(allowed(route))
    copy = {**document, "section": []}
    cuts: list[Cut] = []
    for section in document.get("section", []):
        code = section_code(section) if isinstance(section, dict) else None
        if code in keep:
            copy["section"].append(section)
        else:
            cuts.append(Cut(code or "(without code)", route))
    if not copy["section"]:
        copy.pop("section")
    return copy, tuple(cuts)
