"""The projection engine: applies an audience's allow-list (:mod:`.projections`) to a
resource and returns a fresh copy holding only what is listed, and the element paths it
withheld (paths only, never values: they go into the disclosure AuditEvent).

It walks the resource with the FHIR R4 definitions of the validator's core subset
(``validation/r4core.json``), so it knows each element's type wherever it sits: a string in
an extension, a contained resource, a Coding inside a backbone element. Rules that hold for
every audience:

- an element not listed for the audience is withheld, and so is any name FHIR does not
  define (recorded as ``<path>.?``, since a made-up name could itself carry data);
- an extension goes only when its URL is listed (sub-extensions: the names its definition
  gives), wherever it sits; modifier extensions never go (none is listed);
- a contained resource goes only when its type is listed, projected in turn;
- a Coding goes only from a known code system with a code that system defines.

On the adversary side (``strict``) also: no Attachment or base64 data; free text (``string``,
``markdown``, narrative) becomes :data:`~.projections.PLACEHOLDER` unless the resource carries
the mark ``regie-text-audience#perpetrator-side``; names of people pass (the scrubber still
checks them); identifiers only of listed systems in their form; dates, codes, ids and uris
only in their form (uris: known profiles and resource types only); a Reference's display and
a Coding's own display are replaced (the guide's display) or withheld.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources as package_files
from typing import Any

from fhir_regie.consent import projections as data
from fhir_regie.ig import CANONICAL, codesystem_url, extension_url, load_package

Resource = dict[str, Any]
UNKNOWN = "?"  # stands for an element name FHIR does not define (never quoted: it is data)

# Kinds of element the walk handles differently.
(PASS, NUMBER, FREE, NAME, CODE, ID, MOMENT, URI, BASE64, XHTML, REF_STRING, PROFILE,
 DROP_STRICT, DISPLAY,  # leaves (primitive values)
 COMPLEX, CODING, IDENTIFIER, REFERENCE, EXTENSION, ATTACHMENT, RESOURCE) = range(21)
LEAF = DISPLAY  # kinds up to this one are primitive values
#: Leaves whose strings the second line of defence (the scrubber) reads.
TEXTUAL = frozenset({FREE, NAME, XHTML, DISPLAY, MOMENT})
_PRIMITIVE_KIND = {
    "boolean": NUMBER, "integer": NUMBER, "decimal": NUMBER, "positiveInt": NUMBER,
    "unsignedInt": NUMBER, "string": FREE, "markdown": FREE, "code": CODE, "id": ID,
    "date": MOMENT, "dateTime": MOMENT, "instant": MOMENT, "time": MOMENT, "uri": URI,
    "url": URI, "canonical": URI, "oid": URI, "uuid": URI, "base64Binary": BASE64,
    "xhtml": XHTML}
_SPECIAL = {"Coding": CODING, "Identifier": IDENTIFIER, "Reference": REFERENCE,
            "Extension": EXTENSION, "Attachment": ATTACHMENT, "Resource": RESOURCE}
#: Strings that name a person: they pass on the adversary side (names go today, DOMAIN.md
#: §6 keeps only whereabouts from him), and the scrubber still checks them.
_NAMES = frozenset({"HumanName.family", "HumanName.given", "HumanName.prefix",
                    "HumanName.suffix", "HumanName.text"})
#: Strings on the adversary side with a kind of their own.
_BY_PATH = {"Reference.reference": REF_STRING, "Meta.profile": PROFILE,
            "Reference.display": DISPLAY, "Quantity.unit": DROP_STRICT,
            "Meta.source": DROP_STRICT, "Element.id": DROP_STRICT}
_REFERENCE = re.compile(r"(?:https?://[^\s\"]+/)?[A-Z][A-Za-z]{1,40}/[A-Za-z0-9\-.]{1,64}"
                        r"(?:/_history/[A-Za-z0-9\-.]{1,64})?|#[A-Za-z0-9\-.]{1,64}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


@cache
def _core() -> dict[str, Any]:
    text = package_files.files("fhir_regie.validation").joinpath("r4core.json").read_text(
        "utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


@cache
def _moment_forms() -> dict[str, re.Pattern[str]]:
    primitives = _core()["primitives"]
    return {name: re.compile(primitives[name]["regex"])
            for name in ("date", "dateTime", "instant", "time")}


@cache
def known_codes() -> dict[str, frozenset[str]]:
    """Code system URL -> the codes that may go: the guide's own code systems, the core
    subset's, and the external ones the projections list."""
    found = {url: frozenset(codes) for url, codes in _core()["codeSystems"].items()}
    for url, (codes, _) in _guide_code_systems().items():
        found[url] = codes
    for url, listed in data.CODE_SYSTEMS.items():
        found[url] = frozenset(listed)
    return found


@cache
def _guide_code_systems() -> dict[str, tuple[frozenset[str], dict[str, str]]]:
    found = {}
    for url, resource in load_package().conformance.items():
        if resource.get("resourceType") != "CodeSystem":
            continue
        displays: dict[str, str] = {}

        def walk(concepts: list[dict[str, Any]], into: dict[str, str] = displays) -> None:
            for concept in concepts:
                into[concept["code"]] = concept.get("display", concept["code"])
                walk(concept.get("concept", []))

        walk(resource.get("concept", []))
        found[url] = (frozenset(displays), displays)
    return found


@cache
def _profiles() -> frozenset[str]:
    return frozenset(url for url, r in load_package().conformance.items()
                     if r.get("resourceType") == "StructureDefinition")


@cache
def _sub_extensions(url: str) -> frozenset[str]:
    """The names of the sub-extensions a guide extension defines (its slices)."""
    try:
        definition = load_package().by_url(url)
    except KeyError:
        return frozenset()
    return frozenset(e["sliceName"] for e in definition.get("snapshot", {}).get("element", [])
                     if e.get("sliceName") and e.get("path", "").endswith(".extension"))


@cache
def _children(type_name: str, path: str) -> dict[str, tuple[str, int, str, str, str | None]]:
    """JSON key -> (element name, kind, type for the walk, definition path, binding)."""
    elements = _core()["types"][type_name]["elements"]
    prefix = path + "."
    found: dict[str, tuple[str, int, str, str, str | None]] = {}
    for element, info in elements.items():
        if not element.startswith(prefix) or "." in element[len(prefix):]:
            continue
        name = element[len(prefix):]
        if "contentReference" in info:
            found[name] = (name, COMPLEX, type_name, info["contentReference"].lstrip("#"), None)
            continue
        types = [t if isinstance(t, str) else t["code"] for t in info.get("types", [])]
        for type_code in types or ["Element"]:
            key = name[:-3] + type_code[0].upper() + type_code[1:] if name.endswith("[x]") \
                else name
            binding = info.get("binding")
            if type_code in ("BackboneElement", "Element") and element != type_name:
                found[key] = (name, COMPLEX, type_name, element, binding)
            elif type_code in _PRIMITIVE_KIND:
                kind = _PRIMITIVE_KIND[type_code]
                where = f"{type_name}.{name}" if path == type_name else element
                if where in _NAMES:
                    kind = NAME
                kind = _BY_PATH.get(where, kind)
                if name == "id":  # a resource's id, or an element's (never needed outside)
                    kind = ID if path == type_name and _core()["types"][type_name].get(
                        "kind") == "resource" else DROP_STRICT
                found[key] = (name, kind, type_code, type_code, binding)
            else:
                found[key] = (name, _SPECIAL.get(type_code, COMPLEX), type_code, type_code,
                              binding)
            if not name.endswith("[x]"):
                break
    return found


@cache
def _binding_codes(binding: str) -> frozenset[str] | None:
    systems = _core()["valueSets"].get(binding)
    if not systems:
        return None
    return frozenset(code for codes in systems.values() for code in codes)


def _tree(paths: tuple[str, ...]) -> dict[str, Any]:
    """``("name", "activity.reference")`` -> ``{"name": True, "activity": {"reference": True}}``."""
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        parts = path.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if child is True:
                break
            node = child
        else:
            node[parts[-1]] = True
    return tree


#: The values that belong to a resource's shape (with every element name and the nesting).
_SHAPE_VALUES = frozenset({"system", "code", "url", "resourceType"})
_SHAPES = 4096  # shapes remembered per audience
#: Element names whose strings are structure, not content (never scrubbed).
_STRUCTURE = frozenset({"url", "system", "reference", "profile", "resourceType", "id",
                        "status", "code"})


def _lean_copy(resource: Resource, scrubber: Any, reference: Callable[[str], str] | None,
               anonymous: bool, shape: list[str]) -> Resource:
    """A copy as the projection's walk gives a resource that goes whole (content strings
    scrubbed; for anonymous advice no displays and references renamed), and its shape in
    ``shape``: element names, nesting, and the values the projection looks at."""
    sub = scrubber.sub if scrubber is not None else None
    add = shape.append

    def walk(node: Any, name: str) -> Any:
        kind = type(node)
        if kind is str:
            if name in _SHAPE_VALUES:
                add(node)
            return node if sub is None or name in _STRUCTURE else sub(node)
        if kind is dict:
            add("{")
            out: dict[str, Any] = {}
            for key, item in node.items():
                add(key)
                if anonymous and key == "display":
                    continue
                if type(item) is not str:
                    out[key] = walk(item, key)
                # A string: the hot case, handled here without a call of walk.
                elif key in _STRUCTURE:
                    if key in _SHAPE_VALUES:
                        add(item)
                    out[key] = reference(item) if key == "reference" and reference else item
                else:
                    out[key] = item if sub is None else sub(item)
            add("}")
            return out
        if kind is list:
            add("[")
            items = [walk(item, name) for item in node]
            add("]")
            return items
        if kind is not int and kind is not float and kind is not bool and node is not None:
            add("?")  # not JSON: never the shape of what went whole
        return node

    copy: Resource = walk(resource, "")
    return copy


@dataclass
class _Walk:
    """What one projection carries along: the withheld paths, whether the resource is
    marked as written for the adversary side, and the hooks of :meth:`Projector.project`."""

    withheld: list[str]
    marked: bool
    text: Callable[[str], str] | None = None
    reference: Callable[[str], str] | None = None
    anonymous: bool = False
    #: The leaf kinds whose values are copied as they are (no check, no hook).
    plain: frozenset[int] = frozenset()


def _hooked(item: Any, kind: int, walk: _Walk) -> Any:
    if kind == REF_STRING:
        return walk.reference(item) if walk.reference is not None else item
    if kind == DISPLAY and walk.anonymous:
        return None  # displays of references go with the pseudonyms
    if kind in TEXTUAL and walk.text is not None and isinstance(item, str):
        return walk.text(item)
    return item


class Projector:
    """One audience's projection, compiled. :meth:`project` is the only entry point.

    Example::

        >>> copy, withheld = Projector("perpetrator-care").project(
        ...     {"resourceType": "Patient", "id": "p", "gender": "female",
        ...      "contact": [{"name": {"text": "zus"}}]})
        >>> copy, withheld
        ({'resourceType': 'Patient', 'id': 'p', 'gender': 'female'}, ['Patient.contact'])
    """

    def __init__(self, audience: str) -> None:
        projection = data.PROJECTIONS[audience]
        self.audience = audience
        types: dict[str, tuple[str, ...]] = projection["types"]  # type: ignore[assignment]
        self.trees = {kind: {**_tree(paths), "id": True} for kind, paths in types.items()}
        self.extensions = frozenset(extension_url(e) if "/" not in e else e
                                    for e in projection["extensions"])  # type: ignore[union-attr]
        self.strict = bool(projection["strict"])
        self.attachments = bool(projection.get("attachments", True))
        self.codes = known_codes()
        self.displays = {url: shown for url, (_, shown) in _guide_code_systems().items()}
        self.mark_system = codesystem_url(data.TEXT_AUDIENCE)
        self._whole: set[str] = set()  # shapes that went whole (see project)

    def project(self, resource: Resource, *, scrubber: Any = None,
                reference: Callable[[str], str] | None = None, anonymous: bool = False
                ) -> tuple[Resource | None, list[str]]:
        """A fresh copy with only what the projection lists, and the withheld paths (sorted,
        without duplicates). None when the resource's type is not listed at all.

        ``scrubber`` (a :class:`~fhir_regie.consent.redact.Scrubber`) masks known facts in
        every string that goes as content (free text, names, displays, dates; not codes,
        ids or uris); ``reference`` renames every ``Reference.reference``; ``anonymous``
        drops the displays of References and Codings (anonymous advice gets its pseudonyms
        and scrubbing in this one walk).

        Where nothing is strict, a resource of the same shape as one that went whole (the
        same element names and nesting everywhere, the same code systems, codes, extension
        URLs and contained types: all the projection looks at there) goes whole: a lean
        copy, made while reading its shape, is the answer.
        """
        shape = None
        if not self.strict:
            signature: list[str] = []
            lean = _lean_copy(resource, scrubber, reference, anonymous, signature)
            shape = "\x1f".join(signature)
            if shape in self._whole:
                return lean, []
        text = scrubber.sub if scrubber is not None else None
        walk = _Walk([], False, text, reference, anonymous, self._plain(text, reference,
                                                                         anonymous))
        copy = self._resource(resource, "", walk)
        kind = resource.get("resourceType")
        if copy is None:
            return None, [str(kind) if kind in _core()["types"] else UNKNOWN]
        if shape is not None and not walk.withheld:
            if len(self._whole) > _SHAPES:
                self._whole.clear()
            self._whole.add(shape)
        return copy, sorted(set(walk.withheld))

    # ---------------------------------------------------------------- walking
    def _resource(self, resource: Any, prefix: str, outer: _Walk) -> Resource | None:
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        tree = self.trees.get(kind) if isinstance(kind, str) else None
        if tree is None or kind not in _core()["types"]:
            return None
        walk = _Walk(outer.withheld, self.strict and self._marked(resource), outer.text,
                     outer.reference, outer.anonymous, outer.plain)
        out: Resource = {"resourceType": kind}
        out.update(self._complex(resource, kind, kind, tree, prefix + kind, walk=walk))
        return out

    def _plain(self, text: Any, reference: Any, anonymous: bool) -> frozenset[int]:
        if self.strict:
            return frozenset()
        hooked = {BASE64} | (TEXTUAL if text is not None else set()) | (
            {REF_STRING} if reference is not None else set()) | ({DISPLAY} if anonymous
                                                                  else set())
        return frozenset(range(LEAF + 1)) - hooked

    def _marked(self, resource: Resource) -> bool:
        meta = resource.get("meta")
        tags = meta.get("tag") if isinstance(meta, dict) else None
        return isinstance(tags, list) and any(
            isinstance(t, dict) and t.get("system") == self.mark_system
            and t.get("code") == data.PERPETRATOR_SIDE for t in tags)

    def _complex(self, node: Any, type_name: str, path: str, tree: Any, record: str, *,
                 walk: _Walk, parent_ext: str | None = None
                 ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not isinstance(node, dict):
            walk.withheld.append(record)
            return out
        children = _children(type_name, path)
        full = tree is True
        # Primitive values need no further look when nothing is strict or hooked (the hot
        # path for professionals and the household).
        plain = walk.plain
        for key, item in node.items():
            child = children.get(key)
            if child is None:
                if key == "resourceType" and path == type_name:
                    continue
                if key[:1] == "_":
                    self._primitive_extension(out, key, item, children, tree=tree,
                                              record=record, walk=walk)
                else:
                    walk.withheld.append(f"{record}.{UNKNOWN}")
                continue
            name, kind = child[0], child[1]
            sub = True if full else tree.get(name)
            if sub is None:
                walk.withheld.append(f"{record}.{name}")
                continue
            if kind in plain:
                if isinstance(item, list):
                    if not any(isinstance(x, dict | list) for x in item):
                        out[key] = item[:]
                        continue
                elif not isinstance(item, dict):
                    out[key] = item
                    continue
            where = f"{record}.{name}"
            if isinstance(item, list):
                kept = []
                for x in item:
                    value = self._value(x, child, sub, where, walk=walk, parent_ext=parent_ext)
                    if value is not None:
                        kept.append(value)
                if kept:
                    out[key] = kept
            else:
                value = self._value(item, child, sub, where, walk=walk, parent_ext=parent_ext)
                if value is not None:
                    out[key] = value
        return out

    def _primitive_extension(self, out: dict[str, Any], key: str, item: Any,
                             children: dict[str, Any], *, tree: Any, record: str,
                             walk: _Walk) -> None:
        """``_name``: the id and extensions of a primitive value; goes with its element."""
        base = children.get(key[1:])
        if base is None or not (tree is True or base[0] in tree):
            walk.withheld.append(f"{record}.{base[0] if base else UNKNOWN}")
            return
        element = self._complex(item, "Element", "Element", True, f"{record}.{base[0]}",
                                walk=walk) if isinstance(item, dict) else None
        if element:
            out[key] = element

    def _value(self, item: Any, child: tuple[str, int, str, str, str | None], sub: Any,
               where: str, *, walk: _Walk,
               parent_ext: str | None = None) -> Any:
        _, kind, type_code, def_path, binding = child
        if kind <= LEAF:
            if isinstance(item, dict | list):
                walk.withheld.append(where)
                return None
            if self.strict:
                return self._strict_primitive(item, kind, type_code, binding, where,
                                              walk=walk)
            if kind == BASE64 and not self.attachments:
                walk.withheld.append(where)
                return None
            if walk.text is None and walk.reference is None:
                return item
            return _hooked(item, kind, walk)
        if kind == COMPLEX:
            value = self._complex(item, type_code, def_path, sub, where, walk=walk)
            return value or None
        if kind == CODING:
            return self._coding(item, where, walk)
        if kind == EXTENSION:
            return self._extension(item, where, walk=walk,
                                   parent_ext=parent_ext)
        if kind == RESOURCE:
            contained = self._resource(item, "", walk)
            if contained is None:
                walk.withheld.append(where)
            return contained
        if kind == ATTACHMENT and not self.attachments:
            walk.withheld.append(where)
            return None
        if kind == IDENTIFIER and self.strict:
            return self._identifier(item, where, walk)
        value = self._complex(item, type_code, type_code, sub, where, walk=walk)
        return value or None

    def _strict_primitive(self, item: Any, kind: int, type_code: str, binding: str | None,
                          where: str, *, walk: _Walk) -> Any:
        ok: bool
        if kind == NUMBER:
            ok = isinstance(item, bool | int | float)
        elif not isinstance(item, str):
            ok = False
        elif kind == FREE:
            if walk.marked:
                return walk.text(item) if walk.text is not None else item
            walk.withheld.append(where)
            return data.PLACEHOLDER
        elif kind == NAME:
            return walk.text(item) if walk.text is not None else item
        elif kind == CODE:
            codes = _binding_codes(binding) if binding else None
            ok = item in codes if codes is not None else bool(_CODE.fullmatch(item))
        elif kind == ID:
            ok = bool(_ID.fullmatch(item))
        elif kind == MOMENT:
            ok = bool(_moment_forms()[type_code].fullmatch(item))
        elif kind == REF_STRING:
            ok = bool(_REFERENCE.fullmatch(item))
        elif kind == PROFILE:
            ok = item.split("|", 1)[0] in _profiles()
        elif kind == URI and type_code == "uri" and where.endswith(".type"):
            ok = item in _core()["types"]
        else:  # other uris, base64, xhtml, dropped strings
            ok = False
        if not ok:
            walk.withheld.append(where)
            return None
        return item

    def _coding(self, item: Any, where: str, walk: _Walk) -> dict[str, Any] | None:
        if not isinstance(item, dict):
            walk.withheld.append(where)
            return None
        system, code = item.get("system"), item.get("code")
        if not isinstance(system, str) or code not in self.codes.get(system, ()):
            walk.withheld.append(where)
            return None
        out: dict[str, Any] = {"system": system, "code": code}
        display = item.get("display")
        if self.strict:
            shown = self.displays.get(system, {}).get(code)
            if shown is not None:
                out["display"] = shown
        elif isinstance(display, str) and not walk.anonymous:
            out["display"] = walk.text(display) if walk.text is not None else display
        if not self.strict and isinstance(item.get("version"), str):
            out["version"] = item["version"]
        if isinstance(item.get("userSelected"), bool):
            out["userSelected"] = item["userSelected"]
        if set(item) - {"system", "code", "display", "version", "userSelected"}:
            walk.withheld.append(where + "." + UNKNOWN)
        return out

    def _extension(self, item: Any, where: str, *, walk: _Walk,
                   parent_ext: str | None) -> dict[str, Any] | None:
        url = item.get("url") if isinstance(item, dict) else None
        if parent_ext is None:
            listed = isinstance(url, str) and url in self.extensions
        else:
            listed = isinstance(url, str) and url in _sub_extensions(parent_ext)
        if not listed:
            walk.withheld.append(where)
            return None
        out: dict[str, Any] = {"url": url}
        children = _children("Extension", "Extension")
        for key, value in item.items():
            if key == "url":
                continue
            child = children.get(key)
            if child is None:
                walk.withheld.append(f"{where}.{UNKNOWN}")
                continue
            if child[0] == "extension":
                kept = [e for e in (self._extension(
                    x, where + ".extension", walk=walk,
                    parent_ext=parent_ext or url)
                    for x in (value if isinstance(value, list) else [value])) if e is not None]
                if kept:
                    out["extension"] = kept
                continue
            if child[0] == "id" and self.strict:
                walk.withheld.append(f"{where}.id")
                continue
            kept_value = self._value(value, child, True, f"{where}.{child[0]}",
                                     walk=walk)
            if kept_value is not None:
                out[key] = kept_value
        return out if len(out) > 1 else None

    def _identifier(self, item: Any, where: str, walk: _Walk) -> dict[str, Any] | None:
        system = item.get("system") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        form = data.IDENTIFIER_SYSTEMS.get(system) if isinstance(system, str) else None
        if form is None or not isinstance(value, str) or not _identifier_form(form, value) or (
                walk.text is not None and walk.text(value) != value):
            walk.withheld.append(where)  # (also a number that spells a known fact)
            return None
        return {"system": system, "value": value}


def _identifier_form(form: str, value: str) -> bool:
    if not value.isascii() or not value.isdigit():
        return False
    if form == "bsn":  # the eleven test of the BSN
        if len(value) != 9:
            return False
        total = sum(int(d) * w for d, w in zip(value, (9, 8, 7, 6, 5, 4, 3, 2, -1),
                                                strict=True))
        return total % 11 == 0
    return 1 <= len(value) <= 20


@cache
def projector(audience: str) -> Projector:
    """The compiled projection of an audience (compiled once)."""
    return Projector(audience)


__all__ = ["CANONICAL", "Projector", "known_codes", "projector"]
