"""The validation engine: resources against the Regie profiles, in Python, without Java.

A resource is first walked once against the FHIR R4 core definitions (``structure.py``: known
elements, JSON types, formats, core cardinality and required bindings, and every core
invariant at every object, ele-1 and dom-* included). Then each profile it claims (or the one
passed) is checked as a table of checks (``CHECKS``), each over only the elements it has
something to say about: cardinality per element and per slice, closed slicing and unknown
sub-extensions, the types a profile allows for a choice element, fixed and pattern values,
required and extensible bindings (the guide's value sets and R4 core's, expanded locally),
reference target types (and, inside a Bundle, target profiles), the guide's invariants
(``rg-*``), and every extension of the guide against its own definition. Slices are told apart
by their discriminators (``slicing.py``: value, pattern, exists, type, profile); a slice that
cannot be told apart is left alone, never guessed. The docs: docs/development.md, "The Python
validator".

It never raises on bad input: malformed JSON, unknown types and unknown profiles are issues.

Example::

    >>> from fhir_regie.validation.engine import validate_source
    >>> outcome = validate_source('{"resourceType": "Patient", "birthDate": "2019-02-30"}')
    >>> [(i["severity"], i["expression"]) for i in outcome["issue"]][0]
    ('error', ['Patient.birthDate'])
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from fhir_regie.ig import IGPackage, load_package
from fhir_regie.validation.definitions import core_definitions, with_core
from fhir_regie.validation.fhirpath import Evaluator, Resolver, compile_expression
from fhir_regie.validation.outcome import Issue, issue, to_operation_outcome
from fhir_regie.validation.slicing import (
    SliceContext,
    SliceTest,
    matches_pattern,
    slice_test,
    type_of_suffix,
)

Node = tuple[Any, str]  # (JSON value, FHIRPath location)
MAX_DEPTH = 64


@dataclass(frozen=True)
class Target:
    """What a check looks at: a JSON node (a resource or an extension), the structure
    definition it must meet, and where the node is (its FHIRPath location)."""

    resource: dict[str, Any]
    profile: dict[str, Any]
    validator: Validator
    location: str = ""
    # element id -> located nodes, shared by the checks of one target (each path walked once)
    memo: dict[str, list[Node] | None] = field(default_factory=dict, compare=False, repr=False)
    # In a Bundle: the entries' resources by fullUrl and by Type/id, to follow references
    bundle: dict[str, dict[str, Any]] | None = field(default=None, compare=False, repr=False)
    # profile verdicts of slice discriminators, per item (see slicing.py)
    slices: SliceContext | None = field(default=None, compare=False, repr=False)

    # the root node (resource, location), computed once: every located path starts there
    root: Node = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", (
            self.resource, self.location or self.resource.get("resourceType", "")))
        if self.slices is None:
            validator = self.validator
            bundle = self.bundle
            object.__setattr__(self, "slices", SliceContext(
                lambda value, url: _meets_profile(value, url, validator, bundle)))

    @property
    def package(self) -> IGPackage:
        """The definitions the target is checked with (the validator's)."""
        return self.validator.definitions

    def locate(self, snapshot: _Snapshot, element_id: str) -> list[Node] | None:
        """The instance nodes of an element of ``snapshot`` (None: a slice not told apart)."""
        return snapshot.locate(self.root, element_id, self.memo, self.slices)



def _children(node: Node, name: str) -> list[Node]:
    value, where = node
    if not isinstance(value, dict):
        return []
    if name.endswith("[x]"):
        stem = name[:-3]
        keys = [k for k in value if k.startswith(stem) and k[len(stem):][:1].isupper()]
    else:
        keys = [name] if name in value else []
    found: list[Node] = []
    for key in keys:
        item = value[key]
        label = key  # a choice element is located by its typed name: Observation.valueInteger
        if isinstance(item, list):
            found.extend((entry, f"{where}.{label}[{i}]") for i, entry in enumerate(item))
        else:
            found.append((item, f"{where}.{label}"))
    return found


class _Snapshot:
    """Element lookups in one profile snapshot, and its check plan (computed once)."""

    def __init__(self, profile: dict[str, Any], package: IGPackage) -> None:
        self.package = package
        self.elements = {e["id"]: e for e in profile["snapshot"]["element"]}
        self._filters: dict[str, SliceTest | None] = {}
        # reference targets per element: (allowed types, target profiles)
        self.allowed: dict[str, tuple[set[str] | None, tuple[tuple[str, str, bool], ...]]] = {}
        # The compiled check plan: per check, only the elements it has something to say about.
        self.values = [(element_id, *wanted) for element_id, element in self.elements.items()
                       if "." in element_id and (wanted := _fixed_or_pattern(element))]
        self.bindings, self.rebound = self._binding_plan()
        self.references = [(element_id, element) for element_id, element in
                           self.elements.items()
                           if any(t.get("code") == "Reference" for t in element.get("type", []))]
        self.cardinality = list(self._cardinality_plan())
        extension = profile.get("type") == "Extension"
        self.slicings = [
            (element_id, [i for i in self.elements if i.startswith(element_id + ":")
                          and ":" not in i[len(element_id) + 1:] and "." not in
                          i[len(element_id) + 1:]], element["slicing"].get("rules") == "closed")
            for element_id, element in self.elements.items() if "slicing" in element and (
                element["slicing"].get("rules") == "closed"
                or (extension and element["path"].endswith(".extension")))]
        self.choices = list(self._choice_plan())

    def _binding_plan(self) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
        """(element id, value set, strength) of the required and extensible bindings this
        profile states; those it inherits unchanged from R4 core are the structure walk's.
        And (element id, core value set) where the profile binds otherwise than an
        extensible core binding: there the walk's warning does not apply."""
        from fhir_regie.validation.structure import core_binding

        bindings, rebound = [], []
        for element_id, element in self.elements.items():
            binding = element.get("binding") or {}
            stated = (str(binding.get("valueSet", "")).split("|", 1)[0], binding.get("strength"))
            core = core_binding(str(element.get("base", {}).get("path", element["path"])))
            if core is not None and core[1] == "extensible" and stated != core:
                rebound.append((element_id, core[0]))
            if stated[1] in ("required", "extensible") and stated[0] and stated != core:
                bindings.append((element_id, stated[0], str(stated[1])))
        return bindings, rebound

    def _choice_plan(self) -> Iterator[tuple[str, str, str, frozenset[str], frozenset[str]]]:
        """Choice elements the profile narrows: (element id, parent id, stem, keys R4 core
        allows, keys the profile allows)."""
        from fhir_regie.validation.structure import choice_keys

        for element_id, element in self.elements.items():
            last = element_id.rpartition(".")[2]
            if not last.endswith("[x]") or ":" in last or "type" not in element:
                continue
            known = choice_keys(str(element.get("base", {}).get("path", element["path"])))
            stem = last[:-3]
            allowed = frozenset(stem + t["code"][:1].upper() + t["code"][1:]
                                for t in element["type"] if "code" in t) & known
            if known and allowed != known:
                yield element_id, element_id.rpartition(".")[0], stem, known, allowed

    def _cardinality_plan(self) -> Iterator[tuple[str, str, str, str, int, str]]:
        for element_id, element in self.elements.items():
            if "." not in element_id:
                continue
            minimum = element.get("min", 0)
            maximum = element.get("max", "*")
            if "slicing" in element:
                # The minimum of a sliced element is the sum of its slices'; they report it.
                minimum = 0
            if _restates_unsliced(self, element_id, element):
                continue
            if minimum == 0 and maximum == "*":
                continue
            parent_id, _, last = element_id.rpartition(".")
            name, _, slice_name = last.partition(":")
            yield element_id, parent_id, name, slice_name, minimum, maximum

    def slice_filter(self, element_id: str) -> SliceTest | None:
        """The test that picks the items of slice ``element_id`` (None: cannot tell)."""
        if element_id not in self._filters:
            self._filters[element_id] = slice_test(self.elements, element_id,
                                                   self.profile_type)
        return self._filters[element_id]

    def profile_type(self, url: str) -> str | None:
        """The type a profile constrains (``regie-household`` -> Group), None if unknown."""
        definition = self.package.conformance.get(url.split("|", 1)[0])
        if definition is not None:
            return str(definition.get("type"))
        core = "http://hl7.org/fhir/StructureDefinition/"
        name = url.split("|", 1)[0].removeprefix(core)
        return name if url.startswith(core) and "/" not in name else None

    def sliced(self, nodes: list[Node], element_id: str,
               context: SliceContext | None) -> list[Node] | None:
        """The nodes that belong to slice ``element_id``; None when one cannot be told."""
        keep = self.slice_filter(element_id)
        if keep is None:
            return None
        kept = []
        for node in nodes:
            verdict = keep(node, context)
            if verdict is None:
                return None
            if verdict:
                kept.append(node)
        return kept

    def locate(self, root: Node, element_id: str,
               memo: dict[str, list[Node] | None] | None = None,
               context: SliceContext | None = None) -> list[Node] | None:
        """Instance nodes for an element id, or None when a slice cannot be told apart.
        ``memo`` (one per instance) keeps every path located once; ``context`` lets profile
        discriminators ask the validator (without it, such slices cannot be told apart)."""
        if memo is not None and element_id in memo:
            return memo[element_id]
        parent_id, _, last = element_id.rpartition(".")
        nodes: list[Node] | None
        if not parent_id:
            nodes = [root]
        else:
            parents = self.locate(root, parent_id, memo, context)
            if parents is None:
                nodes = None
            else:
                name, _, slice_name = last.partition(":")
                nodes = [child for node in parents for child in _children(node, name)]
                if slice_name:
                    nodes = self.sliced(nodes, element_id, context)
        if memo is not None:
            memo[element_id] = nodes
        return nodes


def _snapshot(profile: dict[str, Any], package: IGPackage | None = None) -> _Snapshot:
    """The element index of a profile, from the validator of ``package`` (default: the guide)."""
    return validator_for(package).snapshot(profile)


@cache
def _core_invariants(path: str) -> tuple[tuple[dict[str, str], Evaluator], ...]:
    """The core constraints on one element path (``Period``, ``Observation.referenceRange``)
    with their compiled evaluators, typed by the path's type."""
    from fhir_regie.validation.structure import core_constraints

    type_name = path.split(".", 1)[0]
    base = type_name if "." not in path else None
    return tuple((c, compile_expression(c["expression"], base))
                 for c in core_constraints(type_name).get(path, []))


@cache
def _core_checks(path: str) -> tuple[tuple[dict[str, str], Evaluator, bool, bool], ...]:
    """:func:`_core_invariants` with what the walk asks of each expression on every object,
    answered once: (constraint, evaluator, whether it calls ``resolve()``, whether it reads
    ``%rootResource``)."""
    return tuple((c, evaluate, "resolve()" in c["expression"], "%rootResource" in
                  c["expression"]) for c, evaluate in _core_invariants(path))


#: Core constraints marked best practice (R4: dom-6, "should have narrative"): information
#: only, or every resource without generated narrative would carry a warning.
BEST_PRACTICE = frozenset({"dom-6"})


def _evaluate(constraint: dict[str, str], evaluate: Evaluator, node: Any, resource: Any,
              where: str, *, resolver: Resolver | None = None) -> Issue | None:
    """One invariant at one node: None when it holds, else the issue."""
    try:
        result = evaluate(node, resource, resolver)
    except Exception as failure:  # fhirpathpy's own errors on odd input: report, go on
        return issue("warning", "exception", "regie-invariant-error", where,
                     source=constraint["key"], key=constraint["key"],
                     detail=str(failure)[:200])
    if result in ([True], []):
        # Empty passes, as in the HL7 validator (bdl-8 on an entry without fullUrl gives {}).
        return None
    severity = "information" if constraint["key"] in BEST_PRACTICE else constraint.get(
        "severity", "error")
    return issue(severity, "invariant", "regie-invariant", where,
                 source=constraint["key"], key=constraint["key"],
                 human=constraint.get("human", ""))


def _display_key(text: str) -> str:
    """Displays compare without regard to case or runs of whitespace."""
    return " ".join(text.split()).casefold()


def _codesystems(package: IGPackage) -> dict[str, dict[str, frozenset[str]]]:
    """Each complete code system of the guide by url: its codes with their displays (the
    display and every designation, as ``_display_key``); and those R4 defines itself, with
    their codes only (their displays are not checked here). Read once per ``Validator``."""
    from fhir_regie.validation.structure import core_codesystems

    nothing: frozenset[str] = frozenset()
    found: dict[str, dict[str, frozenset[str]]] = {
        url: dict.fromkeys(codes, nothing) for url, codes in core_codesystems().items()}
    for resource in package.conformance.values():
        if resource.get("resourceType") == "CodeSystem" and resource.get(
                "content") == "complete":
            codes: dict[str, frozenset[str]] = {}
            stack = list(resource.get("concept", []))
            while stack:
                concept = stack.pop()
                names = [concept.get("display")] + [
                    d.get("value") for d in concept.get("designation", [])]
                codes[concept["code"]] = frozenset(
                    _display_key(n) for n in names if isinstance(n, str))
                stack.extend(concept.get("concept", []))
            found[resource["url"]] = codes
    return found


def _check_coding(coding: dict[str, Any], codes: dict[str, frozenset[str]],
                  where: str) -> list[Issue]:
    """A Coding of one of the guide's code systems: its code is one the system defines, and a
    display, when given, is the code's display or one of its designations (the HL7
    validator's "Unknown code" and "Wrong Display Name", both errors)."""
    code, display, system = coding.get("code"), coding.get("display"), coding["system"]
    if not isinstance(code, str):
        return []
    if code not in codes:
        return [issue("error", "code-invalid", "regie-code-unknown", where, source=system,
                      value=code[:64], system=system)]
    if isinstance(display, str) and codes[code] and _display_key(display) not in codes[code]:
        return [issue("error", "code-invalid", "regie-display", f"{where}.display",
                      source=system, value=code[:64], system=system)]
    return []


def _check_narrative(div: str, where: str) -> list[Issue]:
    """txt-1 and txt-2 (``htmlChecks()``, which no FHIRPath engine here evaluates), natively:
    ``narrative.py``."""
    from fhir_regie.validation.narrative import narrative_problems
    from fhir_regie.validation.structure import core_constraints

    problems = narrative_problems(div)
    if not problems:
        return []
    human = {c["key"]: c.get("human", "") for c in core_constraints("Narrative")["Narrative.div"]}
    return [issue("error", "invariant", "regie-narrative", where, source=key, key=key,
                  human=human.get(key, ""), detail=reason) for key, reason in problems]


#: Extension urls the HL7 validator lets pass unknown when example urls are allowed (its
#: ``allowUnknownExtension``): example domains and DICOM's. Never for a modifier extension.
_EXAMPLE_EXTENSION_DOMAINS = ("example.org", "acme.com", "nema.org")
_RESOURCE_CONTEXTS = frozenset({"Resource", "DomainResource"})
_INDEX = re.compile(r"\[\d+\]")
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _element_path(where: str, roots: dict[str, str]) -> str:
    """The element path (``Patient.contact.name``) of a location (``Bundle.entry[0].resource.
    contact[1].name``): from the innermost resource it sits in, without indexes."""
    best = ""
    for location in roots:
        if (where == location or where.startswith(location + ".")) and len(location) > len(best):
            best = location
    if not best:
        return _INDEX.sub("", where)
    return roots[best] + _INDEX.sub("", where[len(best):])


def _is_modifier(definition: dict[str, Any]) -> bool:
    elements = definition.get("snapshot", {}).get("element", [])
    return bool(elements) and bool(elements[0].get("isModifier"))


def _context_allows(definition: dict[str, Any], candidates: set[str],
                    lenient: bool = False) -> bool:
    """Whether one of an extension's contexts (element paths, types, or the url of the
    extension it sits in) names where it is; fhirpath contexts are not judged here, nor
    (``lenient``) contexts that name a type rather than an element path, and an element
    path counts for its parent too (R4's structuredefinition-fhir-type says
    ElementDefinition.type.code and sits on ElementDefinition.type throughout R4's own
    definitions; the HL7 validator judges R4 core's extensions by later, wider versions)."""
    contexts = definition.get("context")
    if not isinstance(contexts, list) or not contexts:
        return True
    for context in contexts:
        expression = str(context.get("expression", ""))
        if context.get("type") == "fhirpath" or expression in ("Element", "Base"):
            return True
        if lenient and context.get("type") == "element" and (
                "." not in expression or any(expression.startswith(c + ".")
                                             for c in candidates)):
            return True
        if expression in candidates:
            return True
    return False


def _check_extension_use(node: dict[str, Any], candidates: set[str], element: str,
                         where: str, *, package: IGPackage, failed: list[Issue]) -> None:
    """The extensions on one object: a modifier extension nobody defined is an error, always
    (a receiver must not process what it cannot understand, extensibility.html#modifiers); so
    is any other unknown extension (the HL7 validator's default, example domains aside), one
    in the wrong list (extension vs modifierExtension), or one outside its context."""
    for key in ("extension", "modifierExtension"):
        items = node.get(key)
        if not isinstance(items, list):
            continue
        for index, extension in enumerate(items):
            url = extension.get("url") if isinstance(extension, dict) else None
            if not isinstance(url, str) or ":" not in url:
                continue  # a relative url: a part of its extension, checked by that one
            at = f"{where}.{key}[{index}]"
            definition = package.conformance.get(url.split("|", 1)[0])
            if definition is None or definition.get("type") != "Extension":
                if key == "modifierExtension":
                    failed.append(issue("error", "structure", "regie-modifier-unknown", at,
                                        source=url[:200], url=url[:200]))
                elif not any(domain in url for domain in _EXAMPLE_EXTENSION_DOMAINS):
                    failed.append(issue("error", "structure", "regie-extension-unknown", at,
                                        source=url[:200], url=url[:200]))
                continue
            modifier = _is_modifier(definition)
            if modifier and key == "extension":
                failed.append(issue("error", "structure", "regie-extension-modifier", at,
                                    source=url[:200], url=url[:200]))
            elif not modifier and key == "modifierExtension":
                failed.append(issue("error", "structure", "regie-extension-not-modifier", at,
                                    source=url[:200], url=url[:200]))
            # Of R4 core's own extensions only element contexts are judged: the HL7
            # validator accepts those whose context is a resource type on other resources
            # too (structuredefinition-normative-version on a CodeSystem, in R4's own
            # content); all contexts of the guide's and of loaded packages' extensions are.
            core = definition is core_definitions().get(url)
            if not _context_allows(definition, candidates, lenient=core):
                contexts = ", ".join(str(c.get("expression")) for c in definition["context"])
                failed.append(issue("error", "structure", "regie-extension-context", at,
                                    source=url[:200], url=url[:200], element=element,
                                    contexts=contexts[:200]))


def _extension_candidates(path: str, node: dict[str, Any], where: str,
                          roots: dict[str, str]) -> tuple[set[str], str]:
    """The names an extension context may give the object at ``where``: its element path,
    its type (or backbone path), the resource types for a resource root, the url of the
    extension it sits in."""
    element = _element_path(where, roots)
    candidates = {element, path}
    if "." not in element:
        candidates |= _RESOURCE_CONTEXTS
    if path == "Extension" and isinstance(node.get("url"), str):
        candidates.add(node["url"])
    return candidates, element


def _check_reference_type_stated(node: dict[str, Any], where: str,
                                 failed: list[Issue]) -> None:
    """``Reference.type`` agrees with a literal reference's Type/id (references.html: the
    type is the type of the target)."""
    stated, reference = node.get("type"), node.get("reference")
    if not isinstance(stated, str) or not isinstance(reference, str):
        return
    match = None if reference.startswith(("#", "urn:")) else _REFERENCE.search(reference)
    if match is None:
        return
    from fhir_regie.validation.structure import is_resource_type

    named = match.group(1)
    if is_resource_type(named) and stated.removeprefix(
            "http://hl7.org/fhir/StructureDefinition/") != named:
        failed.append(issue("error", "invalid", "regie-reference-type-mismatch",
                            f"{where}.type", source="Reference.type", type=stated[:64],
                            named=named))


def _check_primitive_extensions(path: str, node: dict[str, Any], where: str, element: str, *,
                                package: IGPackage, failed: list[Issue]) -> None:
    """Extensions on the primitives of an object (``_birthDate``): their context is the
    primitive's element."""
    for key, value in node.items():
        if not key.startswith("_") or not isinstance(value, dict | list):
            continue
        name = key[1:]
        items = value if isinstance(value, list) else [value]
        inner = {f"{element}.{name}", f"{path}.{name}"}
        for index, item in enumerate(items):
            if isinstance(item, dict) and ("extension" in item or "modifierExtension" in item):
                at = f"{where}.{key}" + (f"[{index}]" if isinstance(value, list) else "")
                _check_extension_use(item, inner, f"{element}.{name}", at, package=package,
                                     failed=failed)


def _check_concept_map_group(group: dict[str, Any], where: str,
                             codesystems: dict[str, dict[str, frozenset[str]]]) -> list[Issue]:
    """A ConceptMap group's source codes are codes of its source system, and its target
    codes of its target system, where we know the system (the HL7 validator's
    CONCEPTMAP_GROUP_SOURCE_CODE_INVALID and _TARGET_CODE_INVALID)."""
    source, target = group.get("source"), group.get("target")
    sources = codesystems.get(source) if isinstance(source, str) else None
    targets = codesystems.get(target) if isinstance(target, str) else None
    elements = group.get("element")
    if not isinstance(elements, list) or (sources is None and targets is None):
        return []
    found = []
    for index, element in enumerate(elements):
        if not isinstance(element, dict):
            continue
        code = element.get("code")
        if sources is not None and isinstance(code, str) and code not in sources:
            found.append(issue("error", "code-invalid", "regie-code-unknown",
                               f"{where}.element[{index}].code", source=str(source),
                               value=code[:64], system=str(source)))
        mapped = element.get("target")
        for number, item in enumerate(mapped if isinstance(mapped, list) else []):
            code = item.get("code") if isinstance(item, dict) else None
            if targets is not None and isinstance(code, str) and code not in targets:
                found.append(issue("error", "code-invalid", "regie-code-unknown",
                                   f"{where}.element[{index}].target[{number}].code",
                                   source=str(target), value=code[:64], system=str(target)))
    return found


def _check_datatype_rules(path: str, node: dict[str, Any], where: str,
                          failed: list[Issue]) -> None:
    """Rules on one datatype the core invariants do not state: Reference.type agrees with
    the reference; an identifier in the IETF URI system is a URI."""
    if path == "Reference" and "type" in node:
        _check_reference_type_stated(node, where, failed)
    elif path == "Identifier" and node.get("system") == "urn:ietf:rfc:3986" \
            and isinstance(node.get("value"), str) and not _URI_SCHEME.match(node["value"]):
        failed.append(issue("error", "value", "regie-identifier-uri", f"{where}.value",
                            source="Identifier.value"))


#: The datatypes :func:`_check_datatype_rules` has a rule for.
_DATATYPE_RULES = frozenset({"Reference", "Identifier"})
#: Datatypes whose system + code name a code of a code system (Quantity's unit code too).
_CODED = frozenset({"Coding", "Quantity", "Age", "Count", "Distance", "Duration"})


def _check_structure(target: Target) -> Iterator[Issue]:
    """The resource is FHIR R4 at all: the core definitions, walked once (structure.py), and
    the core invariants (ele-1, dom-*, per-1, ...) of every object the walk enters. And every
    Coding of one of the guide's code systems names a code that system defines, bound or not
    (the HL7 validator's "Unknown code", terminologies.html: a code is valid in its system)."""
    from fhir_regie.validation.structure import check_structure

    failed: list[Issue] = []
    indexes: dict[int, dict[str, dict[str, Any]]] = {}
    codesystems = target.validator.codesystems()

    roots: dict[str, str] = {}
    package = target.package

    def extensions(path: str, node: dict[str, Any], where: str) -> None:
        if path == "Element":
            return  # a primitive's extensions are checked from its parent
        if "extension" in node or "modifierExtension" in node:
            candidates, element = _extension_candidates(path, node, where, roots)
            _check_extension_use(node, candidates, element, where, package=package,
                                 failed=failed)
        for key in node:
            if key[:1] == "_":
                _check_primitive_extensions(path, node, where, _element_path(where, roots),
                                            package=package, failed=failed)
                break

    def visit(path: str, node: dict[str, Any], where: str, resource: dict[str, Any],
              resources: list[dict[str, Any]]) -> None:
        if node is resource:
            roots[where] = path
        extensions(path, node, where)
        if path in _DATATYPE_RULES:
            _check_datatype_rules(path, node, where, failed)
        if path == "ConceptMap.group":
            failed.extend(_check_concept_map_group(node, where, codesystems))
        if path in _CODED and isinstance(node.get("system"), str) \
                and node["system"] in codesystems:
            failed.extend(_check_coding(node, codesystems[node["system"]], where))
        elif path == "Narrative" and isinstance(node.get("div"), str):
            failed.extend(_check_narrative(node["div"], f"{where}.div"))
        for constraint, evaluate, resolves, rooted in _core_checks(path):
            resolver = None
            if resolves:  # ctm-1: only then is it worth it
                outer = resources[0] if resources else resource
                bundle = None
                if outer.get("resourceType") == "Bundle":
                    if id(outer) not in indexes:
                        indexes[id(outer)] = _bundle_index(outer)
                    bundle = indexes[id(outer)]
                resolver = _resolver(list(resources), bundle)
            context = resource
            if rooted and len(resources) > 1:
                # ref-1: %rootResource of a contained resource is its container (fhirpath
                # variables, R4 fhirpath.html#vars), not the contained resource itself.
                held = resources[-2].get("contained")
                if isinstance(held, list) and any(item is resource for item in held):
                    context = resources[-2]
            found = _evaluate(constraint, evaluate, node, context, where,
                              resolver=resolver)
            if found is not None:
                failed.append(found)

    yield from check_structure(target.resource, "", visit)  # located at its resourceType
    yield from failed


def _restates_unsliced(snapshot: _Snapshot, element_id: str, element: dict[str, Any]) -> bool:
    """A child of a slice whose bounds equal the unsliced element's: that one reports it."""
    parts = element_id.split(".")
    if not any(":" in part for part in parts[:-1]):
        return False
    unsliced = ".".join(part.split(":")[0] for part in parts[:-1]) + "." + parts[-1]
    twin = snapshot.elements.get(unsliced)
    return twin is not None and (twin.get("min"), twin.get("max")) == (
        element.get("min"), element.get("max"))


def _extension_only(value: Any, name: str) -> int:
    """How many primitives named ``name`` have only an extension (``_valueString`` without
    ``valueString``): present all the same (json.html#primitive)."""
    if not isinstance(value, dict):
        return 0
    stem = name[:-3] if name.endswith("[x]") else name
    found = 0
    for key, item in value.items():
        if key.startswith("_" + stem) and key[1:] not in value and (
                key == "_" + name or (name.endswith("[x]") and key[len(stem) + 1:][:1].isupper())):
            found += len(item) if isinstance(item, list) else 1
    return found


def _check_cardinality(target: Target) -> Iterator[Issue]:
    snapshot = target.validator.snapshot(target.profile)
    url = target.profile["url"]
    for element_id, parent_id, name, slice_name, minimum, maximum in snapshot.cardinality:
        parents = target.locate(snapshot, parent_id)
        if parents is None:
            continue
        for parent in parents:
            children = _children(parent, name)
            if slice_name:
                kept = snapshot.sliced(children, element_id, target.slices)
                if kept is None:
                    break  # not told apart: the slice is left alone, not guessed
                children = kept
            count = len(children)
            if count < minimum and not slice_name:
                count += _extension_only(parent[0], name)
            if count < minimum:
                yield issue("error", "required", "regie-min", parent[1], source=element_id,
                            element=element_id, min=minimum, count=count, profile=url)
            if maximum != "*" and count > int(maximum):
                yield issue("error", "structure", "regie-max", parent[1], source=element_id,
                            element=element_id, max=maximum, count=count, profile=url)


def _check_slicing(target: Target) -> Iterator[Issue]:
    """Closed slicing: every item belongs to one of the slices (profiling.html#slicing). And
    in an extension of this guide, a sub-extension with a relative url must be one the
    extension defines (the HL7 validator's Extension_EXT_SubExtension_Invalid), whatever its
    slicing rules say: a relative url means nothing outside its extension."""
    snapshot = target.validator.snapshot(target.profile)
    for element_id, slices, closed in snapshot.slicings:
        for parent in target.locate(snapshot, element_id.rpartition(".")[0]) or []:
            items = _children(parent, element_id.rpartition(".")[2])
            if not items:
                continue
            matched: set[str] = set()
            undecided = False
            for slice_id in slices:
                kept = snapshot.sliced(items, slice_id, target.slices)
                if kept is None:
                    undecided = True
                    break
                matched.update(where for _, where in kept)
            if undecided:
                continue
            for value, where in items:
                if where in matched:
                    continue
                url = value.get("url") if isinstance(value, dict) else None
                if isinstance(url, str) and element_id.endswith(".extension") \
                        and target.profile.get("type") == "Extension" and "://" not in url \
                        and not url.startswith("urn:"):
                    yield issue("error", "structure", "regie-extension-unknown-part", where,
                                source=element_id, url=url[:200],
                                extension=target.profile["url"])
                elif closed:
                    yield issue("error", "structure", "regie-slice-closed", where,
                                source=element_id, element=element_id,
                                profile=target.profile["url"])


def _check_types(target: Target) -> Iterator[Issue]:
    """A choice element holds one of the types the profile allows (``value[x] only
    integer``: ``valueString`` is an error), as the HL7 validator's Extension_PROF_Type.
    Keys R4 core does not know at all are the structure walk's (regie-unknown-element)."""
    snapshot = target.validator.snapshot(target.profile)
    for element_id, parent_id, stem, known, allowed in snapshot.choices:
        for parent, where in target.locate(snapshot, parent_id) or []:
            if not isinstance(parent, dict):
                continue
            for key in parent:
                if key in known and key not in allowed:
                    yield issue("error", "structure", "regie-type", f"{where}.{key}",
                                source=element_id, element=element_id,
                                type=type_of_suffix(key[len(stem):]),
                                allowed=", ".join(sorted(type_of_suffix(k[len(stem):])
                                                         for k in allowed)),
                                profile=target.profile["url"])


def _profile_invariants(profile: dict[str, Any]) -> list[tuple[str, list[tuple[
        dict[str, str], Evaluator]]]]:
    """Per element of a profile, the invariants this guide adds (``rg-*``), compiled. The core
    ones (ele-1, dom-*, obs-6, ...) are evaluated by the structure walk on every resource,
    profiled or not, at every object of their type. Compiled once per profile per
    ``Validator``."""
    plan = []
    for element in profile["snapshot"]["element"]:
        types = [t.get("code") for t in element.get("type", [])]
        base = element["path"] if "." not in element["path"] else (
            types[0] if len(types) == 1 else None)
        ours = [(c, compile_expression(c["expression"], base))
                for c in element.get("constraint", []) if str(c.get("key")).startswith("rg-")]
        if ours:
            plan.append((element["id"], ours))
    return plan


def _check_invariants(target: Target) -> Iterator[Issue]:
    snapshot = target.validator.snapshot(target.profile)
    resolver = _resolver([target.resource], target.bundle)
    for element_id, constraints in target.validator.invariants(target.profile):
        for node, where in target.locate(snapshot, element_id) or []:
            for constraint, evaluate in constraints:
                found = _evaluate(constraint, evaluate, node, target.resource, where,
                                  resolver=resolver)
                if found is not None:
                    yield found


_EXTENSION_KEYS = frozenset({"extension", "modifierExtension"})


def _extension_nodes(node: Node) -> list[Node]:
    """Every extension (at any depth) with its location, in document order. Only objects and
    arrays are entered (and located): primitives hold no extension."""
    found: list[Node] = []
    _collect_extensions(node[0], node[1], found)
    return found


def _collect_extensions(value: Any, where: str, found: list[Node]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, list):
                for index, entry in enumerate(item):
                    if isinstance(entry, dict | list):
                        label = f"{where}.{key}[{index}]"
                        if key in _EXTENSION_KEYS and isinstance(entry, dict):
                            found.append((entry, label))
                        _collect_extensions(entry, label, found)
            elif isinstance(item, dict):
                label = f"{where}.{key}"
                if key in _EXTENSION_KEYS:
                    found.append((item, label))
                _collect_extensions(item, label, found)
    elif isinstance(value, list):
        for entry in value:
            _collect_extensions(entry, where, found)


def _check_extensions(target: Target) -> Iterator[Issue]:
    """Each extension of this guide meets its own definition (sub-extensions, invariants)."""
    if target.location:
        return  # extensions inside an extension are reached from the resource's walk
    for node, where in _extension_nodes(target.root):
        url = node.get("url")
        if not isinstance(url, str):
            continue
        try:
            definition = target.package.by_url(url)
        except KeyError:
            continue
        nested = Target(node, definition, target.validator, location=where)
        for name, check in CHECKS.items():
            if name != "extensions":
                yield from check(nested)


def _fixed_or_pattern(element: dict[str, Any]) -> tuple[str, Any] | None:
    for key, value in element.items():
        if key.startswith("pattern"):
            return "pattern", value
        if key.startswith("fixed"):
            return "fixed", value
    return None


def _check_values(target: Target) -> Iterator[Issue]:
    """Fixed values must be equal, pattern values contained (FHIR pattern matching)."""
    snapshot = target.validator.snapshot(target.profile)
    for element_id, kind, value in snapshot.values:
        for node, where in target.locate(snapshot, element_id) or []:
            ok = node == value if kind == "fixed" else matches_pattern(node, value)
            if not ok:
                yield issue("error", "value", f"regie-{kind}", where, source=element_id,
                            element=element_id, value=json.dumps(value, ensure_ascii=False)[:200])


def _codes_of(value: Any) -> list[tuple[str | None, str]] | None:
    """(system, code) pairs of a code, Coding or CodeableConcept value; None for a
    CodeableConcept without any coding (text only)."""
    if isinstance(value, str):
        return [(None, value)]
    if not isinstance(value, dict):
        return []
    if "coding" not in value and "code" not in value and "system" not in value:
        return None
    codings = value.get("coding") if "coding" in value else [value]
    if not isinstance(codings, list):
        return []
    return [(c.get("system") if isinstance(c.get("system"), str) else None, c["code"])
            for c in codings if isinstance(c, dict) and isinstance(c.get("code"), str)]


def _expansion(package: IGPackage, url: str) -> frozenset[tuple[str, str]] | None:
    """(system, code) of a value set of this guide, expanded locally; None for other sets."""
    cached = package.expansions.get(url)
    if cached is not None or url in package.expansions:
        return cached
    found: set[tuple[str, str]] | None = set()
    valueset = package.conformance.get(url)
    if valueset is None or valueset.get("resourceType") != "ValueSet":
        from fhir_regie.validation.structure import core_valueset

        core = core_valueset(url)  # a core value set a profile binds anew
        found = set(core) if core is not None else None
    else:
        for include in valueset.get("compose", {}).get("include", []):
            system = include.get("system")
            if "concept" in include:
                found.update((system, c["code"]) for c in include["concept"])
                continue
            codesystem = package.conformance.get(system or "")
            if codesystem is None or "valueSet" in include or "filter" in include:
                found = None  # not expandable here: leave it to the reference validator
                break
            stack = list(codesystem.get("concept", []))
            while stack:
                concept = stack.pop()
                found.add((system, concept["code"]))
                stack.extend(concept.get("concept", []))
    result = frozenset(found) if found is not None else None
    package.expansions[url] = result
    return result


def _check_bindings(target: Target) -> Iterator[Issue]:
    """Bindings the profile states (terminologies.html#strength): a required one must be met
    (error), an extensible one should be (warning: another code is allowed only when none of
    the set applies). A CodeableConcept with text but no coding meets neither; a coding
    without a system has no defined meaning and is in no value set (as the HL7 validator
    judges). A ``code`` element has no system: its code alone counts. Bindings inherited
    unchanged from R4 core are checked by the structure walk."""
    snapshot = target.validator.snapshot(target.profile)
    for element_id, url, strength in snapshot.bindings:
        expansion = _expansion(target.package, url)
        if expansion is None:
            continue
        required = strength == "required"
        for node, where in target.locate(snapshot, element_id) or []:
            codes = _codes_of(node)
            if codes is None:
                yield issue("error" if required else "warning", "code-invalid",
                            "regie-binding-required-no-code" if required
                            else "regie-binding-no-code", where, source=element_id,
                            valueset=url)
                continue
            if not codes:
                continue
            known = isinstance(node, str) and {code for _, code in expansion}
            if any(code in known if known else (system, code) in expansion
                   for system, code in codes):
                continue
            shown = ", ".join(f"{system}#{code}" if system else code for system, code in codes)
            yield issue("error" if required else "warning", "code-invalid",
                        "regie-binding" if required else "regie-binding-extensible", where,
                        source=element_id, codes=shown[:200], valueset=url)


_REFERENCE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}(?:/_history/[^/]+)?$")


def _allowed_types(package: IGPackage, element: dict[str, Any]) -> set[str] | None:
    """Resource types a Reference element may point to; None when any type is allowed."""
    allowed: set[str] = set()
    for kind in element.get("type", []):
        if kind.get("code") != "Reference":
            continue
        for url in kind.get("targetProfile", []):
            definition = package.conformance.get(url.split("|", 1)[0])
            name = definition["type"] if definition else url.rsplit("/", 1)[-1]
            if name == "Resource":
                return None
            allowed.add(name)
    return allowed or None


def _target_profiles(package: IGPackage,
                     element: dict[str, Any]) -> tuple[tuple[str, str, bool], ...]:
    """(url, resource type, is one of this guide's) of a Reference element's target profiles;
    empty when none of them is the guide's (then the type check says all there is to say)."""
    found = []
    for kind in element.get("type", []):
        if kind.get("code") != "Reference":
            continue
        for stated in kind.get("targetProfile", []):
            url = stated.split("|", 1)[0]
            definition = package.conformance.get(url)
            if definition is not None:
                found.append((url, str(definition.get("type")), True))
            else:
                found.append((url, url.rsplit("/", 1)[-1], False))
    return tuple(found) if any(guide for _, _, guide in found) else ()


def _resolve_in_bundle(target: Target, reference: str) -> dict[str, Any] | None:
    return _in_bundle(target.bundle, reference) if target.bundle else None


def _in_bundle(index: dict[str, dict[str, Any]], reference: str) -> dict[str, Any] | None:
    """An entry's resource by fullUrl, or by the Type/id a reference ends in."""
    found = index.get(reference)
    if found is None:
        match = _REFERENCE.search(reference)
        found = index.get(match.group(0).lstrip("/")) if match else None
    return found


def _bundle_index(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A Bundle's entry resources by fullUrl and by ``Type/id``."""
    index: dict[str, dict[str, Any]] = {}
    entries = bundle.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            if isinstance(entry.get("fullUrl"), str):
                index[entry["fullUrl"]] = resource
            if isinstance(resource.get("resourceType"), str) and isinstance(resource.get("id"),
                                                                             str):
                index[f"{resource['resourceType']}/{resource['id']}"] = resource
    return index


def _resolver(resources: list[dict[str, Any]],
              bundle: dict[str, dict[str, Any]] | None) -> Resolver:
    """What resolve() reaches from inside ``resources`` (outermost first): ``#id`` a resource
    contained in the resource it sits in (references.html#contained; '#' alone the container
    itself), anything else another entry of the Bundle being validated."""
    def resolve(reference: str) -> dict[str, Any] | None:
        if reference.startswith("#"):
            wanted = reference[1:]
            for depth in range(len(resources) - 1, -1, -1):
                holder = resources[depth]
                contained = holder.get("contained")
                if not wanted:
                    inner = resources[depth]
                    outer = resources[depth - 1] if depth else None
                    held = outer.get("contained") if outer is not None else None
                    is_contained = isinstance(held, list) and any(c is inner for c in held)
                    return outer if is_contained else inner
                if isinstance(contained, list):
                    for item in contained:
                        if isinstance(item, dict) and item.get("id") == wanted:
                            return item
            return None
        return _in_bundle(bundle, reference) if bundle else None
    return resolve


def _conforms(resource: dict[str, Any], profiles: tuple[str, ...],
              validator: Validator) -> bool:
    """Claims one of the profiles, or meets one of them without errors."""
    if set(profiles) & {str(p).split("|", 1)[0] for p in _claimed_profiles(resource)}:
        return True
    return any(not [i for i in _issues(resource, url, validator, structure=False)
                    if i.severity in ("error", "fatal")] for url in profiles)


def _meets_profile(value: Any, url: str, validator: Validator,
                   bundle: dict[str, dict[str, Any]] | None) -> bool | None:
    """Whether a value meets a profile without errors, for profile discriminators (None: a
    profile neither this guide nor R4 core's base definitions name)."""
    definition = validator.definitions.conformance.get(url.split("|", 1)[0])
    if definition is None or definition.get("resourceType") != "StructureDefinition":
        core = "http://hl7.org/fhir/StructureDefinition/"
        name = url.split("|", 1)[0].removeprefix(core)
        from fhir_regie.validation.structure import is_resource_type

        if url.startswith(core) and is_resource_type(name):
            return isinstance(value, dict) and value.get("resourceType") == name
        return None
    if definition.get("kind") == "resource":
        if not isinstance(value, dict) or value.get("resourceType") != definition.get("type"):
            return False
        found = _issues(value, url, validator, structure=False, bundle=bundle)
    else:
        target = Target(value, definition, validator, location=str(definition.get("type")),
                        bundle=bundle)
        found = [i for name, check in CHECKS.items() if name != "extensions"
                 for i in check(target)]
    return not any(i.severity in ("error", "fatal") for i in found)


def _check_reference_types(target: Target) -> Iterator[Issue]:
    """A reference names a resource type the element allows: a literal one by its Type/id,
    one to a contained resource (``#id``) or to another entry of the Bundle by what it
    resolves to; and what it resolves to meets one of the element's target profiles of this
    guide (claimed, or met without errors)."""
    snapshot = target.validator.snapshot(target.profile)
    contained = _resolver([target.resource], None) if not target.location else None
    for element_id, element in snapshot.references:
        if element_id not in snapshot.allowed:
            snapshot.allowed[element_id] = (_allowed_types(target.package, element),
                                            _target_profiles(target.package, element))
        allowed, profiles = snapshot.allowed[element_id]
        if allowed is None and not profiles:
            continue
        for node, where in target.locate(snapshot, element_id) or []:
            reference = node.get("reference") if isinstance(node, dict) else None
            if not isinstance(reference, str):
                continue
            if reference.startswith("#"):
                resolved = contained(reference) if contained and reference != "#" else None
            else:
                match = None if reference.startswith("urn:") else _REFERENCE.search(reference)
                if allowed is not None and match and match.group(1) not in allowed:
                    yield issue("error", "structure", "regie-reference-type",
                                f"{where}.reference", source=element_id, type=match.group(1),
                                allowed=", ".join(sorted(allowed)))
                    continue
                resolved = _resolve_in_bundle(target, reference)
            if resolved is None:
                continue
            kind = str(resolved.get("resourceType"))
            if allowed is not None and kind not in allowed:
                yield issue("error", "structure", "regie-reference-type", f"{where}.reference",
                            source=element_id, type=kind[:64], allowed=", ".join(sorted(allowed)))
                continue
            candidates = [(url, guide) for url, named, guide in profiles if named == kind]
            if not candidates or not all(guide for _, guide in candidates):
                continue  # a type with no guide profile here: the type check said it all
            wanted = tuple(url for url, _ in candidates)
            if not _conforms(resolved, wanted, target.validator):
                yield issue("error", "structure", "regie-reference-profile",
                            f"{where}.reference", source=element_id, type=kind[:64],
                            profiles=", ".join(url.rsplit("/", 1)[-1] for url in wanted))


CHECKS: dict[str, Callable[[Target], Iterator[Issue]]] = {
    "cardinality": _check_cardinality,
    "slicing": _check_slicing,
    "types": _check_types,
    "invariants": _check_invariants,
    "values": _check_values,
    "bindings": _check_bindings,
    "reference-types": _check_reference_types,
    "extensions": _check_extensions,
}


def _depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deep ``value`` nests (objects and arrays count a level each; a primitive adds
    none), counted up to ``limit + 1``. Level by level: one list per level instead of a
    (node, depth) pair per node, the cheapest walk in Python (it runs on every resource)."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 1
    while True:
        below: list[Any] = []
        for item in level:
            inner = item.values() if isinstance(item, dict) else item
            below += [v for v in inner if isinstance(v, dict | list)]
        if not below:
            return depth
        depth += 1
        if depth > limit:
            return depth
        level = below


def _claimed_profiles(resource: dict[str, Any]) -> list[Any]:
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, dict) else None
    return profiles if isinstance(profiles, list) else []


_SOFT_BINDINGS = frozenset({"regie-binding-extensible", "regie-binding-no-code"})


def _rebound(target: Target) -> set[tuple[str, str]]:
    """(location, core value set) where the target's profile binds an element otherwise than
    R4 core's extensible binding (a profile's binding replaces the base one)."""
    snapshot = target.validator.snapshot(target.profile)
    return {(where, valueset) for element_id, valueset in snapshot.rebound
            for _, where in target.locate(snapshot, element_id) or []}


def _without_rebound(found: list[Issue], rebound: set[tuple[str, str]]) -> list[Issue]:
    """The issues less the walk's extensible-binding warnings that a profile overrides."""
    if not rebound:
        return found
    return [i for i in found if i.message_id not in _SOFT_BINDINGS
            or (i.expression, dict(i.values).get("valueset")) not in rebound]


def _issues(resource: dict[str, Any], profile: str | None, validator: Validator, *,
            structure: bool = True, bundle: dict[str, dict[str, Any]] | None = None,
            rebound: set[tuple[str, str]] | None = None,
            strict: bool = False) -> list[Issue]:
    """Every issue of one resource (not a Bundle's entries), located from its resourceType;
    ``structure=False`` when the core structure was already walked (a Bundle's entries: then
    ``rebound`` receives where the profiles override an extensible core binding)."""
    resource_type = resource["resourceType"]
    package = validator.definitions
    found: list[Issue] = (list(_check_structure(Target(resource, {}, validator)))
                          if structure else [])
    from fhir_regie.validation.structure import is_resource_type

    if not is_resource_type(resource_type):
        return found  # the walk said so (regie-unknown-type); no profile fits an unknown type
    claimed = [profile] if profile else _claimed_profiles(resource)
    ours = []
    for url in claimed:
        definition = package.conformance.get(url.split("|", 1)[0]) if isinstance(url, str) else None
        if definition is None:
            # As the HL7 validator: a profile none of the loaded packages defines is not
            # checked, and says so; ``strict`` (--strict-profiles) makes that an error.
            # A profile in the guide's own namespace that the guide does not define (a typo,
            # a newer version's) is an error always: it claims our rules and meets none.
            ours_claimed = str(url).startswith(str(package.manifest.get("canonical") or
                                                   "https://fhir-regie.nl/fhir") + "/")
            found.append(issue("error" if strict or ours_claimed else "warning",
                               "not-supported", "regie-unknown-profile",
                               f"{resource_type}.meta.profile", url=str(url)[:200]))
        elif definition.get("type") != resource_type:
            found.append(issue("error", "invalid", "regie-wrong-type", resource_type,
                               url=url, expected=definition.get("type"), actual=resource_type))
        else:
            ours.append(definition)
    if not claimed:
        found.append(issue("warning", "informational", "regie-no-profile", resource_type))
    overridden: set[tuple[str, str]] = set() if rebound is None else rebound
    walked = len(found)
    for definition in ours:
        target = Target(resource, definition, validator, bundle=bundle)
        for name, check in CHECKS.items():
            if name != "extensions":
                found.extend(check(target))
        if structure or rebound is not None:
            overridden |= _rebound(target)
    if resource_type != "Bundle":  # a Bundle's entries are checked one by one
        # Every extension a loaded package defines (the guide's, R4 core's) meets its own
        # definition, whether or not the resource claims a profile; once per resource.
        found.extend(_check_extensions(Target(resource, {}, validator, bundle=bundle)))
    if structure and overridden:
        found = _without_rebound(found[:walked], overridden) + found[walked:]
    return found


def _relocated(found: list[Issue], resource_type: str, prefix: str) -> list[Issue]:
    """Issues of a Bundle entry, their locations rewritten to start at the entry."""
    return [replace(i, expression=prefix + i.expression[len(resource_type):])
            if i.expression.startswith(resource_type) else i for i in found]


_RESTFUL = re.compile(r"^https?://.+/([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})$")


def _check_full_urls(entries: list[Any], kind: Any = None) -> Iterator[Issue]:
    """An entry's fullUrl that looks like a RESTful server url ends in the Type/id of the
    resource it holds (bundle.html#bundle-unique; the HL7 validator's
    BUNDLE_ENTRY_URL_MATCHES_TYPE_ID): a reference by Type/id would otherwise find another."""
    from fhir_regie.validation.structure import is_resource_type

    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and "fullUrl" not in entry and "resource" in entry \
                and isinstance(kind, str) and kind not in ("transaction", "batch", "collection"):
            # bundle.html#bundle-unique: except in a transaction or batch, an entry's fullUrl
            # is the identity of its resource. Not (yet) for a collection, where the HL7
            # validator requires it too: the mapping layer's drop-directory exports are
            # collections without fullUrls (docs/development.md, remaining differences).
            yield issue("error", "required", "regie-bundle-full-url-missing",
                        f"Bundle.entry[{index}]", source="Bundle.entry.fullUrl", type=kind[:32])
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("fullUrl"), str):
            continue
        if ":" not in entry["fullUrl"]:
            # bundle.html#bundle-unique: fullUrl is an absolute url (or a urn:uuid/urn:oid)
            yield issue("error", "invalid", "regie-bundle-full-url-relative",
                        f"Bundle.entry[{index}].fullUrl", source="Bundle.entry.fullUrl",
                        url=entry["fullUrl"][:200])
            continue
        resource = entry.get("resource")
        match = _RESTFUL.match(entry["fullUrl"])
        if not (match and is_resource_type(match.group(1)) and isinstance(resource, dict)
                and isinstance(resource.get("id"), str)):
            continue
        held = f"{resource.get('resourceType')}/{resource['id']}"
        if f"{match.group(1)}/{match.group(2)}" != held:
            yield issue("error", "invalid", "regie-bundle-full-url", f"Bundle.entry[{index}]",
                        source="Bundle.entry.fullUrl", url=entry["fullUrl"][:200],
                        held=held[:200])


def _bundle_issues(bundle: dict[str, Any], validator: Validator,
                   strict: bool = False) -> list[Issue]:
    """The Bundle's structure (entries' resources included, in one walk), then each entry's
    resource against its own profiles."""
    from fhir_regie.validation.structure import is_resource_type

    entries = bundle.get("entry")
    entries = entries if isinstance(entries, list) else []
    found = _issues(bundle, None, validator, strict=strict)
    found = [i for i in found if i.message_id != "regie-no-profile"]
    index_ = _bundle_index(bundle)
    found.extend(_check_full_urls(entries, bundle.get("type")))
    walked = len(found)
    overridden: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if resource is None:
            continue
        prefix = f"Bundle.entry[{index}].resource"
        if not isinstance(resource, dict) or not is_resource_type(resource.get("resourceType")):
            continue  # the structure walk reported it
        resource_type = resource["resourceType"]
        rebound: set[tuple[str, str]] = set()
        found.extend(_relocated(_issues(resource, None, validator, structure=False,
                                        bundle=index_, rebound=rebound, strict=strict),
                                resource_type, prefix))
        overridden |= {(prefix + where[len(resource_type):], valueset)
                       for where, valueset in rebound}
    return _without_rebound(found[:walked], overridden) + found[walked:]


#: How many profiles a ``Validator`` keeps compiled (snapshot index and invariants); the
#: guide has about 40, R4 core's profiles and a partner's package add more as they are used.
PROFILE_CACHE_SIZE = 256


class _Bounded:
    """A least-recently-used map of at most ``size`` entries."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a cache holds at least one entry")
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: Hashable, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def _profile_key(profile: dict[str, Any]) -> tuple[str, str]:
    """A profile's cache key: its canonical url and version (the type for a bare base)."""
    return (str(profile.get("url") or profile.get("type") or ""), str(profile.get("version", "")))


class Validator:
    """Validates resources against a set of definitions (the guide with R4 core, and any
    packages merged in), keeping what it compiles from them (profile snapshots and their
    check plans, invariants, the code systems) in caches of its own, bounded by
    ``cache_size`` profiles.

    ``iter_issues`` yields the issues as values (``outcome.Issue``); ``validate_resource``
    and ``validate_source`` render them as an OperationOutcome (``to_operation_outcome``).

    Example::

        >>> validator = Validator()
        >>> sanne = validator.definitions.get("Patient", "devries-sanne")
        >>> [(i.message_id, i.path) for i in validator.iter_issues(sanne)]
        [('regie-invariant', ('Patient',))]
    """

    def __init__(self, definitions: IGPackage | None = None, *,
                 cache_size: int = PROFILE_CACHE_SIZE) -> None:
        self.definitions = with_core(definitions if definitions is not None else load_package())
        self._snapshots = _Bounded(cache_size)
        self._invariants = _Bounded(cache_size)
        self._codesystems: dict[str, dict[str, frozenset[str]]] | None = None

    def snapshot(self, profile: dict[str, Any]) -> _Snapshot:
        """The element index and check plan of a profile, built once (per url and version)."""
        key = _profile_key(profile)
        known = self._snapshots.get(key)
        if known is None or known[0] is not profile:  # another definition under that url
            known = (profile, _Snapshot(profile, self.definitions))
            self._snapshots.put(key, known)
        return known[1]  # type: ignore[no-any-return]

    def invariants(self, profile: dict[str, Any]) -> list[tuple[str, list[tuple[
            dict[str, str], Evaluator]]]]:
        """The guide's invariants of a profile per element id, compiled once."""
        key = _profile_key(profile)
        known = self._invariants.get(key)
        if known is None or known[0] is not profile:
            known = (profile, _profile_invariants(profile))
            self._invariants.put(key, known)
        return known[1]  # type: ignore[no-any-return]

    def codesystems(self) -> dict[str, dict[str, frozenset[str]]]:
        """The complete code systems of the definitions, by url (see ``_codesystems``)."""
        if self._codesystems is None:
            self._codesystems = _codesystems(self.definitions)
        return self._codesystems

    def cache_info(self) -> dict[str, int]:
        """How many profiles each bounded cache holds now, and the bound."""
        return {"snapshots": len(self._snapshots), "invariants": len(self._invariants),
                "size": self._snapshots.size}

    def iter_issues(self, resource: Any, profile: str | None = None, *,
                    strict_profiles: bool = False) -> Iterator[Issue]:
        """Each issue of one resource, against its claimed profiles (or ``profile``).

        ``resource`` is a JSON dict or a ``fhir.resources`` model. A Bundle is validated entry
        by entry, each against the profiles its resource claims; issue paths start at the
        entry (``("Bundle", "entry", 3, "resource", "status")``). Never raises on bad input.

        Example::

            >>> found = next(Validator().iter_issues({"resourceType": "Patient",
            ...                                       "birthDate": "2019-02-30"}))
            >>> found.message_id, found.path, found.expression
            ('regie-format', ('Patient', 'birthDate'), 'Patient.birthDate')
        """
        if hasattr(resource, "model_dump") and callable(resource.model_dump):
            resource = resource.model_dump(mode="json", exclude_none=True, by_alias=True)
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            yield issue("fatal", "structure", "regie-not-resource", "$")
            return
        if _depth(resource) > MAX_DEPTH:
            yield issue("fatal", "structure", "regie-structure",
                        resource["resourceType"][:64] or "$",
                        detail=f"nested deeper than {MAX_DEPTH} levels")
            return
        if resource["resourceType"] == "Bundle" and not profile:
            yield from _bundle_issues(resource, self, strict_profiles)
        else:
            yield from _issues(resource, profile, self, strict=strict_profiles)

    def iter_source_issues(self, text: str | bytes, profile: str | None = None, *,
                           strict_profiles: bool = False) -> Iterator[Issue]:
        """Each issue of JSON text (or UTF-8 bytes), as ``iter_issues``; input that is not
        FHIR JSON (see ``parse_json``) is one fatal issue."""
        resource, failure = parse_json(text)
        if failure is not None:
            yield failure
            return
        yield from self.iter_issues(resource, profile, strict_profiles=strict_profiles)

    def validate_resource(self, resource: Any, profile: str | None = None, *,
                          strict_profiles: bool = False) -> dict[str, Any]:
        """``iter_issues`` rendered as an OperationOutcome."""
        return to_operation_outcome(list(self.iter_issues(
            resource, profile, strict_profiles=strict_profiles)))

    def validate_source(self, text: str | bytes, profile: str | None = None, *,
                        strict_profiles: bool = False) -> dict[str, Any]:
        """``iter_source_issues`` rendered as an OperationOutcome."""
        return to_operation_outcome(list(self.iter_source_issues(
            text, profile, strict_profiles=strict_profiles)))


_VALIDATOR = "_regie_validator"


def validator_for(package: IGPackage | None = None) -> Validator:
    """The validator of ``package`` (default: the guide's loaded package): made once and kept
    on the merged package object, so it lives exactly as long as those definitions."""
    merged = with_core(package if package is not None else load_package())
    known = merged.__dict__.get(_VALIDATOR)
    if known is None:
        known = Validator(merged)
        merged.__dict__[_VALIDATOR] = known
    return known  # type: ignore[no-any-return]


def validate_resource(resource: Any, profile: str | None = None,
                      package: IGPackage | None = None, *,
                      strict_profiles: bool = False) -> dict[str, Any]:
    """Validate one resource against its claimed profiles (or ``profile``); an OperationOutcome.

    ``resource`` is a JSON dict or a ``fhir.resources`` model. A Bundle is validated entry by
    entry, each against the profiles its resource claims; issue locations start at the entry
    (``Bundle.entry[3].resource.status``). The issues themselves: ``iter_issues``.

    Example::

        >>> from fhir_regie.ig import load_package
        >>> sanne = load_package().get("Patient", "devries-sanne")
        >>> [i["severity"] for i in validate_resource(sanne)["issue"]]  # dom-6: no narrative
        ['information']
    """
    return validator_for(package).validate_resource(resource, profile,
                                                    strict_profiles=strict_profiles)


def iter_issues(resource: Any, profile: str | None = None,
                package: IGPackage | None = None, *,
                strict_profiles: bool = False) -> Iterator[Issue]:
    """``Validator.iter_issues`` with the validator of ``package`` (default: the guide)."""
    return validator_for(package).iter_issues(resource, profile,
                                              strict_profiles=strict_profiles)


class _NotJsonError(ValueError):
    """What RFC 8259 (and so FHIR JSON, json.html) does not allow, though Python's parser
    would: NaN and Infinity, and a key twice in one object (one value would be lost)."""


def _no_constant(name: str) -> Any:
    raise _NotJsonError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise _NotJsonError(f"the key '{twice[:64]}' occurs twice in one object")
    return found


def parse_json(source: str | bytes) -> tuple[Any, Issue | None]:
    """JSON text (or UTF-8 bytes, a byte order mark allowed) as Python values, or the issue
    why it is not FHIR JSON: malformed, not UTF-8, NaN or Infinity, a duplicate key (one of
    its values would be silently lost), nested too deep, a number too long to convert.

    Example::

        >>> parse_json('{"a": 1, "a": 2}')[1].message()
        "Not valid JSON: the key 'a' occurs twice in one object"
    """
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as failure:
            return None, issue("fatal", "structure", "regie-json", "$",
                               detail=f"not UTF-8 text (byte {failure.start})")
    source = source.removeprefix("\ufeff")  # RFC 8259 §8.1: a parser may ignore a BOM
    try:
        return json.loads(source, parse_constant=_no_constant,
                          object_pairs_hook=_unique_keys), None
    except json.JSONDecodeError as failure:
        detail = f"{failure.msg} (line {failure.lineno}, column {failure.colno})"
    except RecursionError:
        detail = "nested too deep"
    except ValueError as failure:  # _NotJsonError, or an integer beyond Python's digit limit
        detail = str(failure) if isinstance(failure, _NotJsonError) else "a number too long"
    return None, issue("fatal", "structure", "regie-json", "$", detail=detail)


def validate_source(text: str | bytes, profile: str | None = None,
                    package: IGPackage | None = None, *,
                    strict_profiles: bool = False) -> dict[str, Any]:
    """Validate JSON text (or UTF-8 bytes) like ``validate_resource``; input that is not FHIR
    JSON (see ``parse_json``) becomes a fatal issue, never an exception.

    Example::

        >>> validate_source('{"resourceType": "Patient", "gender": NaN}')["issue"][0][
        ...     "details"]["text"]
        'Not valid JSON: NaN is not a JSON number'
    """
    return validator_for(package).validate_source(text, profile,
                                                  strict_profiles=strict_profiles)
