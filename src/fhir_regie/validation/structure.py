"""The structure of a resource against the FHIR R4 core definitions, in one fast walk.

Every resource that enters must first be FHIR at all: known resourceType, known elements, the
JSON shape of each (array or single value per the core maximum, string / number / boolean for
primitives, FHIR R4 json.html), primitive formats by the core regexes (datatypes.html), no empty
objects, arrays or strings, the core minimum and maximum cardinality, and the core's required
bindings. Profiles only narrow this, so the profile checks in ``fhir_regie.validation`` run on top.

The definitions come from ``r4core.json`` (package data written by ``tools/core_subset.py`` from
the R4 core package). They are loaded once, and each type's element table is compiled on first
use into a plan: a dict from JSON key (``valueQuantity``, ``_birthDate``) to what that key must
hold. A resource is then walked once, dict lookup by dict lookup; nothing is evaluated per
element that the plan could have decided in advance. FHIRPath constraints are not evaluated here;
``core_constraints`` hands them to whoever evaluates FHIRPath.

Example::

    >>> from fhir_regie.validation.structure import check_structure
    >>> [i.message_id for i in check_structure({"resourceType": "Patient", "gender": "f"},
    ...                                        "Patient")]
    ['regie-binding']
"""

from __future__ import annotations

import calendar
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from fhir_regie.validation.outcome import Issue, issue

CORE = "FHIR R4 core"
MAX_DEPTH = 64  # deeper than any real resource; keeps hostile input from exhausting the stack
_SHOWN = 64  # longest element name or type quoted back in a message

PRIMITIVE, COMPLEX, RESOURCE = 0, 1, 2
SIMPLE_QUANTITY = "The comparator is not used on a SimpleQuantity"  # sqty-1, R4 core


@cache
def _subset() -> dict[str, Any]:
    text = resources.files("fhir_regie.validation").joinpath("r4core.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# ------------------------------------------------------------------------ primitive formats
def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


_BASE64 = re.compile(r"[0-9a-zA-Z+/=]*", re.ASCII)
_WHITESPACE = re.compile(r"\s+", re.ASCII)
_INT_RANGE = {"integer": (-(2**31), 2**31 - 1), "positiveInt": (1, 2**31 - 1),
              "unsignedInt": (0, 2**31 - 1)}


def _real_day(text: str) -> bool:
    """The day exists in its month (the regexes accept 2019-02-31)."""
    if len(text) < 10 or text[8:10] < "29":
        return True
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    return day <= calendar.monthrange(year, month)[1]


# A format check: is the value (already of the right JSON type) valid for its primitive type?
# A yes/no only: the value itself never reaches a message, it may be personal data.
Format = Callable[[Any], Any]


def _always(_value: Any) -> bool:
    return True


_URN_UUID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                       re.ASCII)  # lowercase, as datatypes.html#uuid and the HL7 validator
_URN_OID = re.compile(r"urn:oid:[0-2](\.(0|[1-9][0-9]*))+", re.ASCII)
_LITERAL = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}(?:/_history/[^/]+)?$")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:", re.ASCII)


def _uri_format(name: str, spec: dict[str, Any]) -> Format:
    """uri, url, canonical: the core regex (no whitespace), a ``urn:uuid:`` a UUID and a
    ``urn:oid:`` an OID (datatypes.html#uri), and a canonical absolute or a local ``#id``
    (references.html#canonical)."""
    matcher = re.compile(spec["regex"], re.ASCII).fullmatch if "regex" in spec else None

    def valid(value: str) -> bool:
        if matcher is not None and matcher(value) is None:
            return False
        if value.startswith("urn:uuid:"):
            return _URN_UUID.fullmatch(value) is not None
        if value.startswith("urn:oid:"):
            return _URN_OID.fullmatch(value) is not None
        if name == "canonical":
            return value.startswith("#") or _SCHEME.match(value) is not None
        return True
    return valid


def _format(name: str, spec: dict[str, Any]) -> Format:
    """The format test of one primitive type, compiled from its core regex."""
    json_type = spec["json"]
    if json_type == "boolean":
        return _always
    if json_type == "integer":
        low, high = _INT_RANGE.get(name, (-(2**31), 2**31 - 1))
        return lambda value: low <= value <= high
    if json_type == "number":
        return math.isfinite
    if name == "xhtml":
        # Narrative.div: the XHTML itself is checked by the narrative rules, not here.
        return lambda value: value.lstrip().startswith("<div")
    if name == "base64Binary":
        # Same language as the core regex, without its nested quantifiers (which backtrack
        # exponentially on long hostile input): base64 characters, whitespace ignored, whole
        # groups of four.
        def base64(value: str) -> bool:
            packed = _WHITESPACE.sub("", value)
            return len(packed) % 4 == 0 and _BASE64.fullmatch(packed) is not None
        return base64
    if name in ("uri", "url", "canonical"):
        return _uri_format(name, spec)
    if name == "markdown" or "regex" not in spec:
        return _always
    # Java regex semantics (what the core regexes are written for): \s and \S are ASCII-only.
    matcher = re.compile(spec["regex"], re.ASCII).fullmatch
    if name in ("date", "dateTime", "instant"):
        return lambda value: matcher(value) is not None and _real_day(value)
    return matcher  # a match object is true, None false


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "boolean": (bool,), "integer": (int,), "number": (int, float), "string": (str,)}


@dataclass(slots=True)
class _Primitive:
    name: str
    json: str
    types: tuple[type, ...]
    valid: Format


@cache
def _primitives() -> dict[str, _Primitive]:
    return {name: _Primitive(name, spec["json"], _PYTHON_TYPES[spec["json"]], _format(name, spec))
            for name, spec in _subset()["primitives"].items()}


# ------------------------------------------------------------------------------- the plans
@dataclass(slots=True)
class _Child:
    """What one JSON key of an object must hold."""

    key: str
    element: str  # the element path as defined (Observation.value[x]): the rule's source
    many: bool  # the core maximum is more than one: a JSON array
    maximum: int | None  # None: unbounded
    kind: int  # PRIMITIVE, COMPLEX or RESOURCE
    type_name: str
    plan_key: tuple[str, str] = ("", "")  # (type, path) of the plan for COMPLEX
    primitive: _Primitive | None = None
    attribute: bool = False  # Element.id, Extension.url: no ``_key`` sibling
    choice: bool = False  # one of the typed keys of a choice element (valueQuantity)
    simple: bool = False  # a SimpleQuantity: no comparator (sqty-1)
    codes: frozenset[str] | None = None  # required binding on a code: allowed codes
    pairs: frozenset[tuple[str, str]] | None = None  # on Coding / CodeableConcept
    valueset: str = ""
    # an extensible binding on a Coding / CodeableConcept: its codes, or (not enumerable) the
    # code systems it draws on
    soft_valueset: str = ""
    soft_pairs: frozenset[tuple[str, str]] | None = None
    soft_systems: frozenset[str] | None = None
    # a Reference: the resource types R4 core allows it to point to (None: any)
    targets: frozenset[str] | None = None


@dataclass(slots=True)
class _Plan:
    """An object's allowed keys and its cardinality rules."""

    type_name: str
    path: str
    children: dict[str, _Child] = field(default_factory=dict)
    # (element, min, JSON keys that count) for elements with a core minimum
    required: list[tuple[str, int, tuple[str, ...]]] = field(default_factory=list)
    resource: bool = False


@cache
def valueset_systems(url: str) -> frozenset[str] | None:
    """The code systems a core value set that cannot be enumerated draws on (None: unknown)."""
    systems = _subset().get("valueSetSystems", {}).get(url)
    return frozenset(systems) if systems else None


def core_valueset(url: str) -> frozenset[tuple[str, str]] | None:
    """The (system, code) pairs of a core value set of a required or extensible binding,
    expanded by ``tools/core_subset.py``; None when it is not in the subset.

    Example::

        >>> ("http://hl7.org/fhir/administrative-gender", "female") in core_valueset(
        ...     "http://hl7.org/fhir/ValueSet/administrative-gender")
        True
    """
    found = _valueset(url)
    return found[1] if found is not None else None


@cache
def core_codesystems() -> dict[str, frozenset[str]]:
    """The codes of the complete code systems FHIR R4 defines itself (``http://hl7.org/fhir/``),
    by url, as ``tools/core_subset.py`` wrote them."""
    return {url: frozenset(codes) for url, codes in _subset().get("codeSystems", {}).items()}


@cache
def core_binding(path: str) -> tuple[str, str] | None:
    """(value set, strength) of the required or extensible binding R4 core puts on an element
    path (``Identifier.type``, ``Consent.policyRule``); None when it binds none of those."""
    definition = _subset()["types"].get(path.split(".", 1)[0])
    spec = definition["elements"].get(path) if definition else None
    if not spec:
        return None
    if "binding" in spec:
        return spec["binding"], "required"
    if "extensible" in spec:
        return spec["extensible"], "extensible"
    return None


@cache
def _valueset(url: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]] | None:
    systems = _subset()["valueSets"].get(url)
    if systems is None:
        return None
    pairs = frozenset((system, code) for system, codes in systems.items() for code in codes)
    return frozenset(code for _, code in pairs), pairs


def _resource_types() -> dict[str, Any]:
    return {name: spec for name, spec in _subset()["types"].items()
            if spec["kind"] == "resource" and not spec["abstract"]}


@cache
def _concrete_resources() -> frozenset[str]:
    return frozenset(_resource_types())


def _suffix(code: str) -> str:
    return code[:1].upper() + code[1:]


def _child(plan_type: str, path: str, name: str, spec: dict[str, Any], *, kind: Any,
           elements: dict[str, Any]) -> _Child:
    """The rule for one JSON key of element ``path`` typed ``kind``."""
    code = kind if isinstance(kind, str) else kind["code"]
    maximum = None if spec["max"] == "*" else int(spec["max"])
    child = _Child(key=name, element=path, many=maximum is None or maximum > 1,
                   maximum=maximum, kind=COMPLEX, type_name=code)
    primitives = _primitives()
    types = _subset()["types"]
    if "contentReference" in spec:
        target = spec["contentReference"].lstrip("#")
        child.type_name = "BackboneElement"
        child.plan_key = (target.split(".", 1)[0], target)
    elif any(other.startswith(path + ".") for other in elements):
        child.plan_key = (plan_type, path)  # a BackboneElement (or Element) defined inline
    elif code in primitives:
        child.kind = PRIMITIVE
        child.primitive = primitives[code]
        child.attribute = (isinstance(kind, dict) and bool(kind.get("attribute"))) or (
            code == "xhtml")
    elif code == "Resource" or types.get(code, {}).get("kind") == "resource":
        child.kind = RESOURCE
    else:
        child.plan_key = (code, code)
        child.simple = isinstance(kind, dict) and kind.get("profile") == "SimpleQuantity"
    if code == "Reference" and isinstance(kind, dict) and kind.get("targets") \
            and "Resource" not in kind["targets"]:
        child.targets = frozenset(kind["targets"])
    binding = _valueset(spec["binding"]) if "binding" in spec else None
    if binding is not None:
        child.valueset = spec["binding"]
        if code == "code":
            child.codes = binding[0]
        elif code in ("Coding", "CodeableConcept"):
            child.pairs = binding[1]
    if "extensible" in spec and code in ("Coding", "CodeableConcept"):
        child.soft_valueset = spec["extensible"]
        soft = _valueset(spec["extensible"])
        child.soft_pairs = soft[1] if soft is not None else None
        child.soft_systems = valueset_systems(spec["extensible"]) if soft is None else None
        if child.soft_pairs is None and child.soft_systems is None:
            child.soft_valueset = ""  # nothing to judge a coding by here
    return child


@cache
def _plan(type_name: str, path: str) -> _Plan | None:
    """The compiled plan of an object: a type's root (``Patient``, ``HumanName``) or one of its
    backbone elements (``Patient.contact``); None for an unknown type."""
    definition = _subset()["types"].get(type_name)
    if definition is None:
        return None
    elements: dict[str, Any] = definition["elements"]
    plan = _Plan(type_name, path, resource=definition["kind"] == "resource" and path == type_name)
    depth = path.count(".") + 1
    for element_path, spec in elements.items():
        if not element_path.startswith(path + ".") or element_path.count(".") != depth:
            continue
        name = element_path.rsplit(".", 1)[1]
        kinds = spec.get("types") or ["BackboneElement"]
        keys = []
        if name.endswith("[x]"):
            stem = name[:-3]
            for kind in kinds:
                code = kind if isinstance(kind, str) else kind["code"]
                key = stem + _suffix(code)
                plan.children[key] = _child(type_name, element_path, key, spec, kind=kind,
                                           elements=elements)
                plan.children[key].choice = True
                keys.append(key)
        else:
            child = _child(type_name, element_path, name, spec, kind=kinds[0],
                           elements=elements)
            plan.children[name] = child
            keys.append(name)
        if spec["min"] > 0:
            counted = [*keys, *(f"_{k}" for k in keys
                                if plan.children[k].kind == PRIMITIVE)]
            plan.required.append((element_path, spec["min"], tuple(counted)))
    return plan


# ------------------------------------------------------------------------------- the walk
#: Called for every object the walk enters: (element path of its definition, e.g. ``Period``
#: or ``Observation.referenceRange``; the object; its location; the resource it sits in; the
#: resources it sits in, outermost first: a Bundle, its entry's resource, a contained one).
Visitor = Callable[[str, dict[str, Any], str, dict[str, Any], list[dict[str, Any]]], None]


class _Walk:
    """One resource's walk: collects issues with their FHIRPath locations."""

    __slots__ = ("issues", "resources", "visit")

    def __init__(self, visit: Visitor | None = None) -> None:
        self.issues: list[Issue] = []
        self.visit = visit
        self.resources: list[dict[str, Any]] = []

    def add(self, found: Issue) -> None:
        self.issues.append(found)

    def resource(self, value: Any, where: str, depth: int) -> None:
        """A resource at ``where`` (a root, a contained one, a Bundle entry's)."""
        if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
            self.add(issue("error", "structure", "regie-not-resource", where))
            return
        resource_type = value["resourceType"]
        if resource_type not in _concrete_resources():
            self.add(issue("error", "not-supported", "regie-unknown-type", where,
                           type=resource_type[:_SHOWN]))
            return
        plan = _plan(resource_type, resource_type)
        if plan is not None:
            self.resources.append(value)
            try:
                self.object(value, plan, where, depth)
            finally:
                self.resources.pop()

    def object(self, node: dict[str, Any], plan: _Plan, where: str,  # noqa: PLR0915
               depth: int) -> None:
        if depth > MAX_DEPTH:
            self.add(issue("error", "structure", "regie-structure", where,
                           detail=f"nested deeper than {MAX_DEPTH} levels"))
            return
        if not node:
            self.add(issue("error", "structure", "regie-empty", where, what="object"))
            return
        if self.visit is not None:
            self.visit(plan.path, node, where, self.resources[-1] if self.resources else node,
                       self.resources)
        children = plan.children
        chosen: list[str] | None = None
        for key, value in node.items():
            child = children.get(key)
            if child is None:
                self.unknown(key, value, plan, where, depth)
                continue
            if child.choice:
                if chosen is None:
                    chosen = [child.element]
                elif child.element in chosen:
                    self.add(issue("error", "structure", "regie-max", where,
                                   source=child.element, element=child.element, max=1,
                                   count=2, profile=CORE))
                else:
                    chosen.append(child.element)
            if not child.many:
                if child.kind == PRIMITIVE:
                    # the common case, inline: a single primitive of the right type and format
                    primitive = child.primitive
                    if (value.__class__ in primitive.types and value != ""  # type: ignore[union-attr]
                            and primitive.valid(value)  # type: ignore[union-attr]
                            and (child.codes is None or value in child.codes)):
                        continue
                if isinstance(value, list):
                    self.add(issue("error", "structure", "regie-json-type", f"{where}.{key}",
                                   source=child.element, element=child.element,
                                   expected="a single value", found="array"))
                else:
                    self.value(value, child, f"{where}.{key}", depth)
                continue
            location = f"{where}.{key}"
            if not isinstance(value, list):
                self.add(issue("error", "structure", "regie-json-type", location,
                               source=child.element, element=child.element,
                               expected="an array", found=_json_kind(value)))
                continue
            if not value:
                self.add(issue("error", "structure", "regie-empty", location,
                               source=child.element, what="array"))
                continue
            if child.maximum is not None and len(value) > child.maximum:
                self.add(issue("error", "structure", "regie-max", where,
                               source=child.element, element=child.element,
                               max=child.maximum, count=len(value), profile=CORE))
            if child.kind == PRIMITIVE:
                extensions = node.get("_" + key)
                for index, item in enumerate(value):
                    if item is None and isinstance(extensions, list) and index < len(
                            extensions) and isinstance(extensions[index], dict):
                        continue  # [null] beside an extension: json.html#primitive
                    self.value(item, child, f"{location}[{index}]", depth)
            else:
                for index, item in enumerate(value):
                    self.value(item, child, f"{location}[{index}]", depth)
        for element, minimum, keys in plan.required:
            count = 0
            for key in keys:
                if key in node:
                    present = node[key]
                    count = max(count, len(present) if isinstance(present, list) else 1)
            if count < minimum:
                self.add(issue("error", "required", "regie-min", where, source=element,
                               element=element, min=minimum, count=count, profile=CORE))

    def unknown(self, key: str, value: Any, plan: _Plan, where: str, depth: int) -> None:
        """A key the plan does not name: resourceType at a root, a primitive's ``_key``, or
        an unknown element."""
        if key == "resourceType" and plan.resource:
            return
        key = key if isinstance(key, str) else repr(key)  # a Python dict, not parsed JSON
        if key.startswith("_"):
            child = plan.children.get(key[1:])
            if child is not None and child.kind == PRIMITIVE and not child.attribute:
                self.primitive_extension(value, child, f"{where}.{key}", depth)
                return
        self.add(issue("error", "structure", "regie-unknown-element", f"{where}.{key[:_SHOWN]}",
                       name=key[:_SHOWN], type=plan.path))

    def primitive_extension(self, value: Any, child: _Child, where: str, depth: int) -> None:
        """``_birthDate``: the id and extensions of a primitive (json.html#primitive)."""
        element_plan = _plan("Element", "Element")
        assert element_plan is not None
        if child.many:
            if not isinstance(value, list) or not value:
                self.add(issue("error", "structure", "regie-json-type", where,
                               source=child.element, element=child.element,
                               expected="an array", found=_json_kind(value)))
                return
            for index, item in enumerate(value):
                if item is None:
                    continue
                self.element(item, element_plan, f"{where}[{index}]", depth)
        else:
            self.element(value, element_plan, where, depth)

    def element(self, value: Any, plan: _Plan, where: str, depth: int) -> None:
        if isinstance(value, dict):
            self.object(value, plan, where, depth + 1)
        else:
            self.add(issue("error", "structure", "regie-json-type", where,
                           element=plan.path, expected="an object", found=_json_kind(value)))

    def value(self, value: Any, child: _Child, where: str, depth: int) -> None:
        """One value of an element (an array's item, or the single value)."""
        kind = child.kind
        if kind == PRIMITIVE:
            primitive = child.primitive
            assert primitive is not None
            if not isinstance(value, primitive.types) or (
                    isinstance(value, bool) and primitive.json != "boolean"):
                self.add(issue("error", "structure", "regie-json-type", where,
                               source=child.element, element=child.element,
                               expected=f"a JSON {primitive.json} ({primitive.name})",
                               found=_json_kind(value)))
            elif value == "":
                self.add(issue("error", "structure", "regie-empty", where,
                               source=child.element, what="string"))
            elif not primitive.valid(value):
                self.add(issue("error", "value", "regie-format", where, source=child.element,
                               element=child.element, type=primitive.name))
            elif child.codes is not None and value not in child.codes:
                self.add(issue("error", "code-invalid", "regie-binding", where,
                               source=child.element, codes=value[:_SHOWN],
                               valueset=child.valueset))
            return
        if kind == RESOURCE:
            self.resource(value, where, depth + 1)
            return
        if not isinstance(value, dict):
            self.add(issue("error", "structure", "regie-json-type", where, source=child.element,
                           element=child.element, expected=f"an object ({child.type_name})",
                           found=_json_kind(value)))
            return
        plan = _plan(*child.plan_key)
        if plan is not None:
            self.object(value, plan, where, depth + 1)
        if child.targets is not None and isinstance(value.get("reference"), str):
            self.reference_type(value["reference"], child, where)
        if child.simple and "comparator" in value:
            # datatypes.html#SimpleQuantity: the profile R4 core puts on e.g. Range.low
            self.add(issue("error", "invariant", "regie-invariant", where, source="sqty-1",
                           key="sqty-1", human=SIMPLE_QUANTITY))
        if child.pairs is not None:
            self.binding(value, child, where)
        elif child.soft_valueset:
            self.extensible(value, child, where)

    def reference_type(self, reference: str, child: _Child, where: str) -> None:
        """A literal reference (``Type/id``, relative or absolute) names a resource type R4
        core allows there (references.html; the HL7 validator's Reference_REF_BadTargetType).
        Contained (``#id``) and urn references are judged where they resolve."""
        if reference.startswith(("#", "urn:")):
            return
        match = _LITERAL.search(reference)
        if match is None or match.group(1) not in _concrete_resources():
            return
        assert child.targets is not None
        if match.group(1) not in child.targets:
            self.add(issue("error", "structure", "regie-reference-type", f"{where}.reference",
                           source=child.element, type=match.group(1),
                           allowed=", ".join(sorted(child.targets))))

    def extensible(self, value: dict[str, Any], child: _Child, where: str) -> None:
        """An extensible core binding (terminologies.html#extensible): a warning when a
        CodeableConcept has no coding at all, or when none of its codings (system + code) is
        in the value set (or, where it cannot be enumerated, from a system it draws on), as
        the HL7 validator warns without a terminology server. Codings without system or code
        are not judged. A profile that binds the element otherwise overrides this
        (``fhir_regie.validation`` drops the warning there)."""
        codeable = child.type_name == "CodeableConcept"
        codings = value.get("coding") if codeable else [value]
        if codeable and "coding" not in value:
            self.add(issue("warning", "code-invalid", "regie-binding-no-code", where,
                           source=child.element, valueset=child.soft_valueset))
            return
        if not isinstance(codings, list):
            return
        stated = [(c.get("system"), c.get("code")) for c in codings if isinstance(c, dict)]
        stated = [(s, c) for s, c in stated if isinstance(s, str) and isinstance(c, str)]
        if not stated:
            return
        if child.soft_pairs is not None:
            outside = not any(pair in child.soft_pairs for pair in stated)
        else:
            outside = not any(system in child.soft_systems for system, _ in stated)  # type: ignore[operator]
        if outside:
            shown = ", ".join(f"{system}#{code}" for system, code in stated)
            self.add(issue("warning", "code-invalid", "regie-binding-extensible", where,
                           source=child.element, codes=shown[:200],
                           valueset=child.soft_valueset))

    def binding(self, value: dict[str, Any], child: _Child, where: str) -> None:
        """A required binding on a Coding or CodeableConcept: one coding (system + code) in
        the value set. A CodeableConcept with text but no coding has no code at all; a coding
        without a system is in no value set (terminologies.html, as the HL7 validator
        judges); codings without a code are not judged."""
        assert child.pairs is not None
        codeable = child.type_name == "CodeableConcept"
        if codeable and "coding" not in value:
            self.add(issue("error", "code-invalid", "regie-binding-required-no-code", where,
                           source=child.element, valueset=child.valueset))
            return
        codings = value.get("coding") if codeable else [value]
        if not isinstance(codings, list):
            return
        stated = [(c.get("system"), c.get("code")) for c in codings if isinstance(c, dict)]
        stated = [(s, c) for s, c in stated if isinstance(c, str)]
        if stated and not any(pair in child.pairs for pair in stated):
            shown = ", ".join(f"{system}#{code}" if isinstance(system, str) else code
                              for system, code in stated)
            self.add(issue("error", "code-invalid", "regie-binding", where,
                           source=child.element, codes=shown[:200], valueset=child.valueset))


def check_structure(resource: Any, location: str = "",
                    visit: Visitor | None = None) -> list[Issue]:
    """The structural issues of one resource (and its contained / nested resources) against
    the FHIR R4 core definitions. Pure; never raises, whatever JSON it is given.

    ``location`` is where the resource sits (default: its resourceType); every issue's
    expression starts there. ``visit`` is called for every object walked (the validator
    evaluates the core invariants of its definition there).

    Example::

        >>> issues = check_structure({"resourceType": "Patient", "birthDate": "08-02-2019"})
        >>> [(i.message_id, i.expression) for i in issues]
        [('regie-format', 'Patient.birthDate')]
    """
    walk = _Walk(visit)
    if not location:
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        location = kind[:_SHOWN] if isinstance(kind, str) and kind else "$"
    try:
        walk.resource(resource, location, 0)
    except RecursionError:  # only reachable with a lowered recursion limit; never a traceback
        walk.add(issue("error", "structure", "regie-structure", location,
                       detail="nested too deep"))
    return walk.issues


@cache
def choice_stems() -> frozenset[str]:
    """The names of R4's choice elements without ``[x]`` (``value``, ``effective``, ...)."""
    return frozenset(path.rsplit(".", 1)[1][:-3] for spec in _subset()["types"].values()
                     for path in spec["elements"] if path.endswith("[x]"))


def is_resource_type(name: Any) -> bool:
    """Whether ``name`` is a concrete FHIR R4 resource type (not Resource or DomainResource)."""
    return name in _concrete_resources()


@cache
def core_constraints(type_name: str) -> dict[str, list[dict[str, str]]]:
    """The core constraints of a resource type or datatype, per element path, as the core
    snapshot states them: ``{"Patient": [{"key": "dom-2", "severity": "error",
    "expression": "...", "human": "..."}], "Patient.contact": [...], ...}``. Empty for an
    unknown type. For the FHIRPath evaluator; nothing here evaluates them.

    Example::

        >>> "ele-1" in {c["key"] for c in core_constraints("HumanName")["HumanName.given"]}
        True
    """
    subset = _subset()
    definition = subset["types"].get(type_name)
    if definition is None:
        return {}
    table = subset["constraints"]
    return {path: [dict(table[index]) for index in spec["constraints"]]
            for path, spec in definition["elements"].items() if spec.get("constraints")}


def is_primitive_type(name: Any) -> bool:
    """Whether ``name`` is one of the FHIR R4 primitive types (``integer``, ``dateTime``)."""
    return name in _primitives()


@cache
def choice_keys(path: str) -> frozenset[str]:
    """The JSON keys R4 core allows for a choice element (``Observation.value[x]`` ->
    ``valueQuantity``, ``valueString``, ...); empty for a path that is not one.

    Example::

        >>> "valueQuantity" in choice_keys("Observation.value[x]")
        True
    """
    if not path.endswith("[x]") or "." not in path:
        return frozenset()
    plan = _plan(path.split(".", 1)[0], path.rsplit(".", 1)[0])
    if plan is None:
        return frozenset()
    return frozenset(key for key, child in plan.children.items()
                     if child.choice and child.element == path)
