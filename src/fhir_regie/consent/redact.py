"""Making the copy that leaves: fresh JSON copies of the permitted resources with every
obligation carried out. The input is never touched.

- cut parts (REDACT obligations): an element, or a handover document section;
- scrub: every string that was cut (names, BSN, address lines, phone numbers of a redacted
  person) is also replaced wherever it occurs in free text of what goes, so a plan that
  mentions a victim's new address does not leak it (DOMAIN.md §6);
- anonymise (anonymous advice, DOMAIN.md §3 step 2): no names, BSN, addresses, telecom or
  exact birth dates (an age band instead), no identifiers, and pseudonymous ids and references.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fhir_regie.consent._read import Resource, age_on, codes

MASK = "[weggelaten]"
MIN_TERM = 3  # shorter strings ("S.", initials) would wreck ordinary text when scrubbed
#: Elements whose strings are structure, not content, and are never scrubbed.
STRUCTURE = frozenset({"url", "system", "reference", "profile", "resourceType", "id",
                       "status", "code"})
#: Elements that hold what identifies someone (names, numbers, address parts): their strings
#: become scrub terms when the element is cut. Codes such as ``use: home`` are not terms.
CONTENT = frozenset({"value", "text", "line", "city", "district", "postalCode", "family",
                     "given", "valueString"})
IDENTIFYING = ("identifier", "name", "telecom", "address", "photo", "contact", "birthDate",
               "text")


def copy_json(node: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars); faster than copy.deepcopy."""
    if isinstance(node, dict):
        return {k: copy_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [copy_json(v) for v in node]
    return node


def strings(node: Any, name: str = "value") -> Iterable[str]:
    """The identifying strings inside a JSON element (those under :data:`CONTENT` names)."""
    if isinstance(node, str):
        if name in CONTENT:
            yield node
    elif isinstance(node, dict):
        for key_, item in node.items():
            yield from strings(item, key_)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item, name)


def cut(resource: Resource, element: str, section: str | None) -> Any:
    """Remove a part in place (on a copy); returns what was removed."""
    if section is None:
        return resource.pop(element, None)
    kept, removed = [], []
    for item in resource.get("section", []):
        (removed if section in codes(item.get("code"), "regie-handover-section")
         else kept).append(item)
    resource["section"] = kept
    return removed


def scrub_terms(removed: Iterable[Any]) -> set[str]:
    """The strings of what was cut that must not appear anywhere else."""
    terms: set[str] = set()
    for item in removed:
        for text in strings(item, "value"):
            term = text.strip()
            if len(term) >= MIN_TERM and not term.startswith(("http", "urn:")):
                terms.add(term)
    return terms


def person_terms(person: Resource) -> set[str]:
    """Identifying strings of a person: names (whole and per part), BSN and other identifier
    values, telecom values, address parts and the birth date."""
    found: list[Any] = [person.get("telecom", []), person.get("address", []),
                        {"value": person.get("birthDate")}]
    for name in person.get("name", []) if isinstance(person.get("name"), list) else []:
        if isinstance(name, dict):
            found.append(name)
            family = name.get("family")
            if isinstance(family, str) and " " in family:  # "de Vries" -> also "Vries"
                found.append({"value": family.rsplit(" ", 1)[-1]})
            found.append({"value": " ".join([*name.get("given", []), family or ""]).strip()})
    found += [{"value": i.get("value")} for i in person.get("identifier", [])
              if isinstance(i, dict)]
    return scrub_terms(x for x in found if x)


def scrubber(terms: set[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)


def scrub(node: Any, pattern: re.Pattern[str], name: str = "") -> Any:
    """Replace every match in the content strings of a JSON element (in place for
    containers; returns the new value)."""
    if isinstance(node, str):
        return node if name in STRUCTURE or len(node) < MIN_TERM else pattern.sub(MASK, node)
    if isinstance(node, dict):
        for k, v in node.items():
            node[k] = scrub(v, pattern, k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            node[i] = scrub(v, pattern, name)
    return node


def age_band(age: int | None) -> str:
    """Age bands that keep the consent thresholds visible (12, 16, 18) without a birth date."""
    if age is None:
        return "leeftijd onbekend"
    for upper, band in ((4, "0-3"), (12, "4-11"), (16, "12-15"), (18, "16-17"),
                        (65, "18-64")):
        if age < upper:
            return f"{band} jaar"
    return "65 jaar en ouder"


def anonymise(resource: Resource, at: datetime) -> Resource:
    """Strip identifying elements from a copy (anonymous advice). A person keeps only an age
    band, in the narrative, and no longer claims its profile (which needs a name)."""
    kind = resource.get("resourceType")
    birth = resource.get("birthDate")
    for element in IDENTIFYING:
        resource.pop(element, None)
    if kind in ("Patient", "RelatedPerson"):
        resource.pop("meta", None)
        resource.pop("extension", None)
        band = age_band(age_on(birth, at.date())) if birth else "leeftijd onbekend"
        resource["text"] = {"status": "generated",
                            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>Leeftijd: '
                                   f"{band}</p></div>"}
    return resource


def pseudonymise(resources: list[Resource]) -> None:
    """Give every resource and every reference a pseudonymous id (in place), so ids such as
    ``devries-lotte`` do not reveal a family name."""
    names: dict[str, str] = {}

    def alias(ref: str) -> str:
        if ref not in names:
            names[ref] = f"anon-{len(names) + 1}"
        return names[ref]

    for resource in resources:
        resource["id"] = alias(f"{resource['resourceType']}/{resource['id']}")

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("reference")
            if isinstance(ref, str) and "/" in ref:
                kind, rid = ref.rstrip("/").split("/")[-2:]
                node["reference"] = f"{kind}/{alias(f'{kind}/{rid}')}"
            node.pop("display", None)
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for resource in resources:
        walk(resource)
