"""The narrative's XHTML: txt-1 and txt-2 of R4 core, whose FHIRPath is ``htmlChecks()``.

FHIR R4 narrative.html#xhtml limits ``Narrative.div`` to well-formed XHTML: a root ``div`` in
the XHTML namespace and no other namespace, only the basic formatting elements of HTML 4.0
(chapters 7-11 and 15), ``a`` and ``img``, only their presentation attributes, no script, forms,
frames, objects, event handlers (``onclick``) or DOCTYPE; and (txt-2) some non-whitespace
content. No FHIRPath engine can evaluate ``htmlChecks()`` (fhirpathpy does not know it), so it is
implemented here after the rules the spec states and the HL7 validator applies. One addition
of ours: links and images whose url runs script (``javascript:``, ``vbscript:``, ``data:text/html``)
fail txt-1 too, because a narrative is shown to people in a browser (the read-only viewer).

Example::

    >>> narrative_problems('<div xmlns="http://www.w3.org/1999/xhtml"><p>Sanne</p></div>')
    []
    >>> narrative_problems('<div xmlns="http://www.w3.org/1999/xhtml"><script/>x</div>')
    [('txt-1', 'element script is not allowed')]
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # DOCTYPE refused before parsing: no entity can expand
from itertools import repeat

XHTML = "http://www.w3.org/1999/xhtml"
_NS = "{" + XHTML + "}"
_NS_LENGTH = len(_NS)

#: HTML 4.0 chapters 7-11 and 15 (text, lists, tables, links, images), as narrative.html allows
ELEMENTS = frozenset({
    "p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "b", "em", "i", "strong",
    "small", "big", "tt", "dfn", "q", "var", "abbr", "acronym", "cite", "blockquote", "hr",
    "address", "bdo", "kbd", "sub", "sup", "ul", "ol", "li", "dl", "dt", "dd", "pre", "table",
    "caption", "colgroup", "col", "thead", "tr", "tfoot", "tbody", "th", "td", "code", "samp",
    "img", "map", "area"})
#: attributes any element may have (presentation and table layout)
ATTRIBUTES = frozenset({
    "title", "style", "class", "id", "lang", "dir", "accesskey", "tabindex", "span", "width",
    "align", "valign", "char", "charoff", "abbr", "axis", "headers", "scope", "rowspan",
    "colspan", "{http://www.w3.org/XML/1998/namespace}lang"})
#: attributes only some elements may have
ELEMENT_ATTRIBUTES = {
    "a": frozenset({"href", "name", "charset", "type", "hreflang", "rel", "rev", "shape",
                    "coords"}),
    "img": frozenset({"src", "border", "alt", "longdesc", "height", "width", "usemap",
                      "ismap"}),
    "blockquote": frozenset({"cite"}), "q": frozenset({"cite"}), "map": frozenset({"name"}),
    "area": frozenset({"shape", "coords", "href", "nohref", "alt"}),
    "table": frozenset({"summary", "width", "border", "frame", "rules", "cellspacing",
                        "cellpadding"}),
    "pre": frozenset({"space"}), "td": frozenset({"nowrap"}),
}
#: the allowed elements by their namespaced tag
_NAMES = {"{" + XHTML + "}" + name: name for name in ELEMENTS}
#: elements that cannot sit inside a paragraph
BLOCKS = frozenset({"div", "blockquote", "table", "ol", "ul", "p"})
_SCRIPTED = ("javascript:", "vbscript:", "data:text/html")
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def narrative_problems(div: str) -> list[tuple[str, str]]:
    """What is wrong with a narrative's XHTML, as (constraint key, reason) pairs: ``txt-1``
    for what it may not hold, ``txt-2`` when it holds nothing but whitespace. The reasons name
    elements and attributes, never the narrative's text (which is personal data).
    """
    if _DECLARATION.search(div):
        return [("txt-1", "a DOCTYPE or entity declaration is not allowed")]
    try:
        root = ET.fromstring(div)  # noqa: S314 (no DOCTYPE, so no entity can expand)
    except ET.ParseError as failure:
        return [("txt-1", f"not well-formed XHTML ({str(failure).split(':')[0]})")]
    except (ValueError, RecursionError):
        return [("txt-1", "not well-formed XHTML")]
    if root.tag != _NS + "div":
        found = root.tag.replace(_NS, "") if root.tag.startswith(_NS) else root.tag
        return [("txt-1", f"the root must be a div in the XHTML namespace, not {found[:64]}")]
    problems: list[tuple[str, str]] = []
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    skipped = False  # an element not looked into: its text does not count as content
    image = False
    while stack:
        element, in_paragraph = stack.pop()
        tag = element.tag
        name = _NAMES.get(tag)
        if name is None:
            if not isinstance(tag, str):
                continue  # a comment or processing instruction
            skipped = True
            if not tag.startswith(_NS):
                problems.append(("txt-1", f"element {tag[:64]} is in another namespace"))
            else:
                problems.append(("txt-1", f"element {tag[_NS_LENGTH:][:64]} is not allowed"))
            continue
        if in_paragraph and name in BLOCKS:
            problems.append(("txt-1", f"element {name} is not allowed inside a paragraph"))
        if element.attrib:
            allowed = ELEMENT_ATTRIBUTES.get(name, frozenset())
            for attribute, value in element.attrib.items():
                if attribute not in ATTRIBUTES and attribute not in allowed:
                    problems.append(("txt-1", f"attribute {attribute[:64]} is not allowed "
                                              f"on {name}"))
                elif attribute in ("href", "src") and "".join(
                        value.split()).lower().startswith(_SCRIPTED):
                    problems.append(("txt-1", f"the {attribute} of {name} runs script"))
        image = image or name == "img"
        if len(element):
            stack.extend(zip(element, repeat(in_paragraph or name == "p")))
    if not (image or _content(root, skipped)):
        problems.append(("txt-2", "the narrative has no content"))
    return problems


def _content(root: ET.Element, skipped: bool) -> bool:
    """Whether the narrative holds non-whitespace text: in an element that was looked into,
    or after one (a tail). When every element was looked into, that is any text of the tree
    (``itertext``, in C); otherwise the elements not looked into are left out."""
    if not skipped:
        return any(text.strip() for text in root.itertext())
    stack = [root]
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if not tag.startswith(_NS) or tag[_NS_LENGTH:] not in ELEMENTS:
            continue
        if (element.text or "").strip() or any((child.tail or "").strip()
                                               for child in element):
            return True
        stack.extend(element)
    return False
