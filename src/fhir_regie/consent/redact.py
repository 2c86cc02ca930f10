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

import base64
import binascii
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fhir_regie.consent._read import OBSERVATION_VALUE, PSEUDED, Resource, age_on, codes

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


def _selected(item: Any, element: str, section: str) -> bool:
    """Whether a list item is the part named by ``section``: a handover document section by
    its code, a care team participant by its role (``regie-role``)."""
    if not isinstance(item, dict):
        return False
    if element == "participant":
        return section in codes(item.get("role", []), "regie-role")
    return section in codes(item.get("code"), "regie-handover-section")


def cut(resource: Resource, element: str, section: str | None) -> Any:
    """Remove a part in place (on a copy); returns what was removed. With ``section`` only
    the items of ``element`` it selects go (:func:`_selected`)."""
    if section is None:
        return resource.pop(element, None)
    kept, removed = [], []
    for item in resource.get(element, []):
        (removed if _selected(item, element, section) else kept).append(item)
    if kept:
        resource[element] = kept
    else:
        resource.pop(element, None)
    return removed


def part_of(resource: Resource, element: str, section: str | None) -> Any:
    """What :func:`cut` would remove, read from the original (which is not changed)."""
    if section is None:
        return resource.get(element)
    return [item for item in resource.get(element, []) if _selected(item, element, section)]


def scrub_terms(removed: Iterable[Any]) -> set[str]:
    """The strings of what was cut that must not appear anywhere else, with the variants
    they are written in (issue 17): a phone number also as its national digits (so
    ``0612345678``, ``+31 6 12345678`` and ``06 12 34 56 78`` all match), an address line also
    as the street name alone."""
    terms: set[str] = set()
    for item in removed:
        for text in strings(item, "value"):
            term = text.strip()
            if len(term) >= MIN_TERM and not term.startswith(("http", "urn:")):
                terms.add(term)
                terms |= variants(term)
    return terms


_DIGITS_ONLY = re.compile(r"[^0-9]")
_STREET = re.compile(r"^\s*([^\d,]*[^\W\d_][^\d,]*?)\s*\d")


def variants(term: str) -> set[str]:
    """Other forms of a known fact: national digits of a phone number (without ``+31``,
    ``0031`` or the leading ``0``), and the street name of an address line."""
    found = set()
    digits = _DIGITS_ONLY.sub("", term)
    if len(digits) >= 8 and len(digits) >= len(normalised(term)) - 1:
        for prefix in ("0031", "31", "0"):
            if digits.startswith(prefix) and len(digits) - len(prefix) >= 8:
                digits = digits[len(prefix):]
                break
        found.add(digits)
    street = _STREET.match(term)
    if street and len(street.group(1).strip()) >= 5:
        found.add(street.group(1).strip())
    return found


#: Characters people put inside numbers and names without changing them: spaces (also
#: non-breaking and thin), hyphens and dashes, dots, slashes, brackets, a plus.
SEPARATORS = "\\s\u00a0\u2000-\u200b\u202f\u2010-\u2015\u2212\\-./()+_·"
_SEPARATOR = f"[{SEPARATORS}]"
_STRIP = re.compile(f"{_SEPARATOR}+")


#: The same separators as a deletion table for str.translate (several times faster than a
#: regular expression over a whole serialised resource).
_DELETE = dict.fromkeys(
    [c for c in range(0x10000) if chr(c).isspace()] +
    [0x00A0, *range(0x2000, 0x200C), 0x202F, *range(0x2010, 0x2016), 0x2212,
     *map(ord, "-./()+_\u00b7")])


def normalised(text: str) -> str:
    """Lower case without separators: the form facts are compared in."""
    return text.lower().translate(_DELETE)


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


def shielded_terms(resources: Iterable[Resource], shielded: Iterable[str]) -> set[str]:
    """Under the adversary rule, every known fact of where a shielded person or organisation
    can be found: telecom and address, the contacts of a Patient (a sister's number, where
    she stays), and each Location's name, address and telecom (a shelter)."""
    wanted = set(shielded)
    found: list[Any] = []
    for resource in resources:
        kind = resource.get("resourceType")
        if kind == "Location":
            found.append([{"value": resource.get("name")}, resource.get("address"),
                          resource.get("telecom"), resource.get("alias")])
        elif f"{kind}/{resource.get('id')}" in wanted:
            found.append([resource.get("telecom"), resource.get("address"),
                          resource.get("contact")])
            if kind == "Organization" and resource.get("address"):
                # An organisation with an address of its own on record (a shelter): its
                # name is a whereabouts as well.
                found.append({"value": resource.get("name")})
    return scrub_terms(found)


class Scrubber:
    """Masks every occurrence of a set of terms, ignoring case, in content strings.

    Terms match anywhere, also inside longer words ("Sannes"), so a possessive or compound
    never leaks a name. Matching runs case-sensitively on the lower-cased text through a
    trie-shaped pattern (one branch per distinct next letter), which ``re`` answers several
    times faster than an IGNORECASE alternation of the terms; text whose lower-case form has
    another length (a handful of characters, such as "İ") takes the IGNORECASE alternation.

    Example::

        >>> Scrubber({"Sanne de Vries", "Sanne"}).sub("Gesprek met SANNE de Vries en Sannes zus")
        'Gesprek met [weggelaten] en [weggelaten]s zus'
    """

    def __init__(self, terms: Iterable[str], keep: Iterable[str] = ()) -> None:
        self.terms = frozenset(terms)
        #: Whole strings that go as they are: organisations' own names (see guard.py). A
        #: place of a person ("Arnhem") is no reason to cut a word out of a team's name.
        self.keep = frozenset(keep) - self.terms
        # A term shorter than MIN_TERM without its separators ("06-") would wreck ordinary text.
        forms = {f for f in (normalised(t) for t in self.terms) if len(f) >= MIN_TERM}
        self._fast = re.compile(_trie_pattern(forms) if forms else "(?!)")
        self._plain = re.compile(_trie_pattern(forms, gaps=False) if forms else "(?!)")
        # For text whose lower case has another length: the terms in their own case,
        # without separators, matched ignoring case.
        exact = {f for f in (_STRIP.sub("", t) for t in self.terms) if len(f) >= MIN_TERM}
        self._exact = re.compile(_trie_pattern(exact) if exact else "(?!)", re.IGNORECASE)
        self._done: dict[str, str] = {}  # text -> scrubbed text (see sub)

    def found_in(self, text: str) -> bool:
        """Whether any term occurs in ``text`` (ignoring case and separators), also inside
        base64 data. Searches the normalised text for the normalised terms (one trie-shaped
        pattern without gaps), which is much faster than the pattern with gaps."""
        if self._plain.search(normalised(text)) is not None:
            return True
        return any(self._in_base64(m.group()) for m in _PADDED_BASE64.finditer(text))

    def _in_base64(self, token: str) -> bool:
        if len(token) % 4:
            return False  # not padded base64 (most such tokens are words or paths)
        try:
            decoded = base64.b64decode(token, validate=True)
        except (ValueError, binascii.Error):
            return False
        text = decoded.decode("utf-8", "ignore")
        return bool(text) and self._plain.search(normalised(text)) is not None

    def sub(self, text: str) -> str:
        """``text`` with every occurrence of a term replaced by :data:`MASK` (also base64
        data that decodes to one). Remembers its answers for this scrubber's request: the
        same text (a title, a unit, a repeated note) is searched once."""
        if text in self.keep:
            return text
        done = self._done.get(text)
        if done is None:
            if len(self._done) >= _REMEMBERED:
                self._done.clear()
            done = self._done[text] = self._sub(text)
        return done

    def _sub(self, text: str) -> str:
        if len(text) < MIN_TERM or not self.found_in(text):
            return text
        if _BASE64.search(text) is not None:
            text = _BASE64.sub(lambda m: MASK if self._in_base64(m.group()) else m.group(),
                               text)
        low = text.lower()
        if len(low) != len(text):
            return self._exact.sub(MASK, text)
        parts, last = [], 0
        for match in self._fast.finditer(low):
            parts += (text[last:match.start()], MASK)
            last = match.end()
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts)


def _trie_pattern(terms: Iterable[str], *, gaps: bool = True) -> str:
    """A regular expression matching exactly the terms, longest first, shaped as a trie."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any], first: bool = True) -> str:
        # Between two characters of a term any separators may stand ("06 - 12"), as in
        # normalised(): what found_in finds, sub masks.
        gap = "" if first or not gaps else _SEPARATOR + "*"
        branches = [gap + re.escape(char) + emit(child, False)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        ends_here = "" in node
        if len(branches) == 1 and not ends_here:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if ends_here else group  # greedy: the longer term wins

    return emit(trie)


#: A run that may be base64 (a token that does not continue a name, path or domain).
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
#: The runs of :data:`_BASE64` that :meth:`Scrubber.found_in` decodes, chosen by ``re``
#: instead of Python: a whole run (not after a name, path or domain: ``.``, ``_``, ``-``)
#: whose length with its padding (at most two ``=``) is a multiple of four.
_B64 = "A-Za-z0-9+/"
_PADDED_BASE64 = re.compile(
    f"(?<![{_B64}._-])(?:[{_B64}]{{4}}){{4,}}"
    f"(?:(?![{_B64}=])|[{_B64}]{{3}}=(?!=)|[{_B64}]{{2}}==)")
_REMEMBERED = 20_000  # scrubbed texts remembered per Scrubber


def scrubber(terms: set[str], keep: Iterable[str] = ()) -> Scrubber | None:
    """A :class:`Scrubber` for ``terms`` that leaves the whole strings ``keep`` alone (unless
    one is a term itself); None when there is nothing to scrub."""
    return Scrubber(terms, keep) if terms else None


def organisation_names(resources: Iterable[Resource]) -> set[str]:
    """The names (and aliases) of the organisations among ``resources``. An organisation's
    own name is not a place of a person: it is never scrubbed for holding one (the team
    "Sociaal Wijkteam Arnhem-Noord" when a member lives in Arnhem). Only when the name is a
    whereabouts itself, a term of its own (:func:`shielded_terms`: an organisation with its
    own address on record under the adversary rule), does it go."""
    found: set[str] = set()
    for resource in resources:
        if resource.get("resourceType") != "Organization":
            continue
        names = [resource.get("name"), *(resource.get("alias") or [])]
        found |= {n for n in names if isinstance(n, str) and n.strip()}
    return found


def scrub(node: Any, scrubber: Scrubber, name: str = "") -> Any:
    """Replace every match in the content strings of a JSON element (in place for
    containers; returns the new value)."""
    if isinstance(node, str):
        return node if name in STRUCTURE or len(node) < MIN_TERM else scrubber.sub(node)
    if isinstance(node, dict):
        for k, v in node.items():
            node[k] = scrub(v, scrubber, k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            node[i] = scrub(v, scrubber, name)
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


def anonymise(resource: Resource, at: datetime, birth: Any = None) -> Resource:
    """Strip identifying elements from a copy (anonymous advice). A person keeps only an age
    band, in the narrative. No copy claims a Regie profile any more (the documented rule for
    anonymous-advice output, docs/consent.md): a pseudonymised person no longer meets
    ``regie-patient`` (which needs a name and a birth date), so neither would the references to
    it; the output is valid base R4 with the guide's extensions, and keeps its security labels.
    ``birth``: the birth date of the original, when the copy no longer has it."""
    kind = resource.get("resourceType")
    birth = birth or resource.get("birthDate")
    for element in IDENTIFYING:
        resource.pop(element, None)
    meta = resource.get("meta")
    if isinstance(meta, dict) and "profile" in meta:
        rest = {k: v for k, v in meta.items() if k != "profile"}
        if rest:
            resource["meta"] = rest
        else:
            resource.pop("meta")
    if kind in ("Patient", "RelatedPerson"):
        resource.pop("meta", None)
        resource.pop("extension", None)
        band = age_band(age_on(birth, at.date())) if birth else "leeftijd onbekend"
        resource["text"] = {"status": "generated",
                            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>Leeftijd: '
                                   f"{band}</p></div>"}
    # Say what was done to the copy: pseudonymised (v3 ObservationValue PSEUDED), beside the
    # labels it carried (docs/ig/README.md, Sensitivity labels).
    meta = resource.setdefault("meta", {})
    security = meta.setdefault("security", [])
    if not any(isinstance(c, dict) and c.get("code") == PSEUDED for c in security):
        security.append({"system": OBSERVATION_VALUE, "code": PSEUDED,
                         "display": "pseudonymized"})
    return resource


def pseudonymised(resources: list[Resource], scrubber: Scrubber | None = None
                  ) -> list[Resource]:
    """Fresh copies in which every resource and every reference has a pseudonymous id, so ids
    such as ``devries-lotte`` do not reveal a family name, and reference displays are gone.
    With a ``scrubber``, content strings are scrubbed in the same walk (as :func:`scrub`
    would). The input is not changed: only the top level of each resource needs to be a copy
    of its own, since the walk builds every container anew."""
    names: dict[str, str] = {}

    def alias(ref: str) -> str:
        if ref not in names:
            names[ref] = f"anon-{len(names) + 1}"
        return names[ref]

    sub = scrubber.sub if scrubber is not None else None

    def walk(node: Any, name: str) -> Any:
        # Exact type tests first: JSON from the parser holds only these, and this walk is
        # the hot path of anonymous advice; subclasses still take the isinstance branches.
        kind = type(node)
        if kind is str or (kind is not dict and kind is not list and isinstance(node, str)):
            if sub is None or name in STRUCTURE or len(node) < MIN_TERM:
                return node
            return sub(node)
        if kind is dict or isinstance(node, dict):
            out = {}
            for key_, item in node.items():
                if key_ == "display":
                    continue
                if key_ == "reference" and type(item) is str and "/" in item:
                    ref_kind, rid = item.rstrip("/").split("/")[-2:]
                    out[key_] = f"{ref_kind}/{alias(f'{ref_kind}/{rid}')}"
                else:
                    out[key_] = walk(item, key_)
            return out
        if kind is list or isinstance(node, list):
            return [walk(item, name) for item in node]
        return node

    renamed = [alias(f"{r['resourceType']}/{r['id']}") for r in resources]
    copies = [walk(resource, "") for resource in resources]
    for copy, new_id in zip(copies, renamed, strict=True):
        copy["id"] = new_id
    return copies
