"""Write the FHIR R4 core subset the Python validator ships as package data.

The structural walker (``fhir_regie.validation.structure``) needs, for every resource type and
datatype of FHIR R4 (4.0.1): each element's cardinality, types, choice suffixes, content
references, required and extensible bindings and constraints, the primitive types' JSON types and
regexes, and the codes of the value sets those bindings name. The core package in the local FHIR
cache (``tools/fhir_cache.py``) holds all of that in 80 MB of JSON; this script distils it into one
compact, deterministic file, ``src/fhir_regie/validation/r4core.json``.

Value sets are expanded here from the code systems of the core package: whole systems (with the
nested concepts of hierarchical ones), concept lists, ``is-a``/``descendent-of``/``is-not-a``
filters, imports and exclusions. Value sets drawing on systems the package does not define
(BCP-13 mime types, BCP-47 languages, UCUM, ...) cannot be enumerated; they are listed under
``notEnumerable`` with the reason, and, where every include names a system, the systems they
draw on under ``valueSetSystems``: a coding from none of those systems is outside the set all
the same (as the HL7 validator judges without a terminology server). Other bindings are left
alone.

Usage::

    python tools/core_subset.py            # (re)write the package data file
    python tools/core_subset.py --check    # exit 1 when the committed file differs
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "fhir_regie" / "validation" / "r4core.json"
# R4 core's own profiles (vitalsigns, shareablevalueset, ...) and extensions, their snapshots
# cut down to what validation reads: a resource claiming one, or carrying one, is checked
# against it like against the guide's own definitions.
DEFINITIONS_OUTPUT = ROOT / "src" / "fhir_regie" / "validation" / "r4definitions.json"
CORE = Path.home() / ".fhir" / "packages" / "hl7.fhir.r4.core#4.0.1" / "package"

FHIR_TYPE = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
SD_BASE = "http://hl7.org/fhir/StructureDefinition/"
HL7_FHIR = "http://hl7.org/fhir/"
# JSON representation of the primitive types (FHIR R4 json.html#primitive): numbers and booleans
# are JSON numbers and booleans, every other primitive is a JSON string.
JSON_TYPES = {"boolean": "boolean", "integer": "integer", "positiveInt": "integer",
              "unsignedInt": "integer", "decimal": "number"}


class SubsetError(Exception):
    """The core package is missing or incomplete; the message says what to run."""


Resource = dict[str, Any]


def _load(core: Path, resource_type: str) -> list[Resource]:
    found = []
    for path in sorted(core.glob(f"{resource_type}-*.json")):
        resource = json.loads(path.read_text(encoding="utf-8"))
        if resource.get("resourceType") == resource_type:
            found.append(resource)
    return found


def _strip_version(url: str) -> str:
    return url.split("|", 1)[0]


def _extension(where: dict[str, Any], url: str) -> Any:
    for extension in where.get("extension", []):
        if extension.get("url") == url:
            return next((v for k, v in extension.items() if k.startswith("value")), None)
    return None


def _type_code(kind: dict[str, Any], path: str, resource: bool) -> str:
    """The FHIR type of an element: FHIRPath system types (Element.id, Extension.url) carry
    their FHIR type in an extension."""
    code = kind["code"]
    if code.startswith("http://hl7.org/fhirpath/System."):
        # Resource.id is an ``id`` (FHIR R4 resource.html#id), though its snapshot says string;
        # Element.id (ElementDefinition.id, HumanName.id) is a string, as its snapshot says.
        if resource and path.count(".") == 1 and path.endswith(".id"):
            return "id"
        return str(_extension(kind, FHIR_TYPE) or "string")
    return str(code)


def _targets(kind: dict[str, Any], definitions: dict[str, Resource]) -> list[str]:
    names = set()
    for url in kind.get("targetProfile", []):
        definition = definitions.get(_strip_version(url))
        names.add(definition["type"] if definition else url.rsplit("/", 1)[-1])
    return sorted(names)


class _Constraints:
    """A table of distinct constraints; elements refer to them by index (ele-1 is on nearly
    every element, so listing it once keeps the file small)."""

    def __init__(self) -> None:
        self.table: list[dict[str, str]] = []
        self.index: dict[str, int] = {}

    def add(self, constraint: dict[str, Any]) -> int:
        entry = {k: constraint[k] for k in ("key", "severity", "expression", "human")
                 if k in constraint}
        text = json.dumps(entry, sort_keys=True)
        if text not in self.index:
            self.index[text] = len(self.table)
            self.table.append(entry)
        return self.index[text]


def _element(element: dict[str, Any], definitions: dict[str, Resource],
             constraints: _Constraints, resource: bool) -> dict[str, Any]:
    path = element["path"]
    spec: dict[str, Any] = {"min": element.get("min", 0), "max": element.get("max", "*")}
    if "contentReference" in element:
        spec["contentReference"] = element["contentReference"]
    types = []
    for kind in element.get("type", []):
        code = _type_code(kind, path, resource)
        if code in ("Reference", "canonical") and kind.get("targetProfile"):
            types.append({"code": code, "targets": _targets(kind, definitions)})
        elif kind["code"].startswith("http://hl7.org/fhirpath/System."):
            types.append({"code": code, "attribute": True})  # no _name sibling in JSON
        elif code == "Quantity" and f"{SD_BASE}SimpleQuantity" in kind.get("profile", []):
            # a Quantity without comparator (sqty-1): the only type profile R4 core uses
            types.append({"code": code, "profile": "SimpleQuantity"})
        else:
            types.append(code)
    if types:
        spec["types"] = types
    binding = element.get("binding") or {}
    if binding.get("strength") == "required" and binding.get("valueSet"):
        spec["binding"] = _strip_version(binding["valueSet"])
    elif binding.get("strength") == "extensible" and binding.get("valueSet") and "." in path:
        # extensible: the validator warns when no coding is from the set (Age, Distance and
        # Duration bind their units at the root; those are not element bindings)
        spec["extensible"] = _strip_version(binding["valueSet"])
    keys = [constraints.add(c) for c in element.get("constraint", [])]
    if keys:
        spec["constraints"] = keys
    return spec


def _primitive(definition: Resource) -> dict[str, Any]:
    name = definition["type"]
    value = next(e for e in definition["snapshot"]["element"] if e["path"] == f"{name}.value")
    kind = value["type"][0]
    spec: dict[str, Any] = {"json": JSON_TYPES.get(name, "string")}
    regex = _extension(kind, REGEX)
    if regex:
        spec["regex"] = regex
    return spec


def structures(definitions: Iterable[Resource]) -> tuple[dict[str, Any], dict[str, Any],
                                                          list[dict[str, str]]]:
    """(primitive types, resource + complex types with their elements, constraint table)."""
    by_url = {d["url"]: d for d in definitions}
    constraints = _Constraints()
    primitives: dict[str, Any] = {}
    types: dict[str, Any] = {}
    for definition in sorted(by_url.values(), key=lambda d: d["type"]):
        if definition.get("derivation") == "constraint" or definition["url"] != (
                SD_BASE + definition["type"]):
            continue  # profiles of core types (vitalsigns, SimpleQuantity, ...) stay out
        kind = definition["kind"]
        if kind == "primitive-type":
            primitives[definition["type"]] = _primitive(definition)
        elif kind in ("resource", "complex-type"):
            elements = {e["path"]: _element(e, by_url, constraints, kind == "resource")
                        for e in definition["snapshot"]["element"]}
            types[definition["type"]] = {"kind": kind,
                                         "abstract": bool(definition.get("abstract")),
                                         "elements": elements}
    return primitives, types, constraints.table


class _Expander:
    """Local value set expansion from the core package's code systems."""

    def __init__(self, valuesets: list[Resource], codesystems: list[Resource]) -> None:
        self.valuesets = {v["url"]: v for v in valuesets}
        self.codesystems = {c["url"]: c for c in codesystems}
        self.done: dict[str, frozenset[tuple[str, str]] | str] = {}

    def expand(self, url: str) -> frozenset[tuple[str, str]] | str:
        """The (system, code) pairs of a value set, or why it cannot be enumerated here."""
        if url not in self.done:
            self.done[url] = "recursive import"
            self.done[url] = self._expand(url)
        return self.done[url]

    def _expand(self, url: str) -> frozenset[tuple[str, str]] | str:
        valueset = self.valuesets.get(url)
        if valueset is None:
            return "value set not in the core package"
        compose = valueset.get("compose")
        if not compose:
            return "no compose"
        included: set[tuple[str, str]] = set()
        for part in compose.get("include", []):
            codes = self._part(part)
            if isinstance(codes, str):
                return codes
            included |= codes
        for part in compose.get("exclude", []):
            codes = self._part(part)
            if isinstance(codes, str):
                return f"exclude: {codes}"
            included -= codes
        return frozenset(included)

    def systems(self, url: str, seen: frozenset[str] = frozenset()) -> frozenset[str] | None:
        """The code systems a value set draws on (its includes and imports), also when its
        codes cannot be enumerated; None when an include names no system we can follow."""
        valueset = self.valuesets.get(url)
        if valueset is None or url in seen or not valueset.get("compose"):
            return None
        found: set[str] = set()
        for part in valueset["compose"].get("include", []):
            if part.get("system"):
                found.add(part["system"])
            elif part.get("valueSet"):
                for imported in part["valueSet"]:
                    more = self.systems(_strip_version(imported), seen | {url})
                    if more is None:
                        return None
                    found |= more
            else:
                return None
        return frozenset(found)

    def _part(self, part: dict[str, Any]) -> set[tuple[str, str]] | str:
        from_sets: set[tuple[str, str]] | None = None
        for imported in part.get("valueSet", []):
            codes = self.expand(_strip_version(imported))
            if isinstance(codes, str):
                return f"imports {imported}: {codes}"
            from_sets = set(codes) if from_sets is None else from_sets & codes
        system = part.get("system")
        if system is None:
            return from_sets or set()
        if "concept" in part:
            found = {(system, c["code"]) for c in part["concept"]}
        else:
            found_or_reason = self._system(system, part.get("filter", []))
            if isinstance(found_or_reason, str):
                return found_or_reason
            found = found_or_reason
        return found if from_sets is None else found & from_sets

    def _system(self, system: str, filters: list[dict[str, Any]]) -> set[tuple[str, str]] | str:
        codesystem = self.codesystems.get(system)
        if codesystem is None:
            return f"code system {system} is not defined in the core package"
        if codesystem.get("content") != "complete":
            return f"code system {system} is not complete in the core package"
        roots = codesystem.get("concept", [])
        excluded: set[str] = set()
        for condition in filters:
            if condition.get("property") != "concept" or condition.get("op") not in (
                    "is-a", "descendent-of", "is-not-a"):
                return f"filter {condition.get('property')} {condition.get('op')} on {system}"
            top = _find(roots, condition.get("value"))
            if top is None:
                return f"filter value {condition.get('value')} not in {system}"
            if condition["op"] == "is-not-a":
                excluded.update(_codes([top]))  # the concept and everything below it
            else:
                roots = [top] if condition["op"] == "is-a" else top.get("concept", [])
        return {(system, code) for code in _codes(roots) if code not in excluded}


def _find(concepts: list[dict[str, Any]], code: Any) -> dict[str, Any] | None:
    stack = list(concepts)
    while stack:
        concept = stack.pop()
        if concept.get("code") == code:
            return concept
        stack.extend(concept.get("concept", []))
    return None


def _codes(concepts: list[dict[str, Any]]) -> list[str]:
    """Every code of a concept tree, nested concepts of hierarchical systems included."""
    found = []
    stack = list(concepts)
    while stack:
        concept = stack.pop()
        found.append(concept["code"])
        stack.extend(concept.get("concept", []))
    return found


def _bound_valuesets(types: dict[str, Any]) -> list[str]:
    """The value sets of required and extensible bindings."""
    return sorted({spec[kind] for definition in types.values()
                   for spec in definition["elements"].values()
                   for kind in ("binding", "extensible") if kind in spec})


def _fhir_codesystems(codesystems: list[Resource]) -> dict[str, list[str]]:
    """The codes of the complete, case-sensitive code systems of the core package: those FHIR
    R4 itself defines (``http://hl7.org/fhir/...``) and the HL7 Terminology ones it carries
    (``http://terminology.hl7.org/...``, as of 2018-08-12: the versions the HL7 validator
    judges R4 content by, its messages name that version): a Coding (or a Quantity) of one of
    them must name one of its codes, bound or not."""
    return {c["url"]: sorted(_codes(c.get("concept", []))) for c in codesystems
            if c.get("content") == "complete" and c.get("caseSensitive") is True
            and c["url"].startswith((HL7_FHIR, "http://terminology.hl7.org/"))}


def build(core: Path = CORE) -> dict[str, Any]:
    """The subset as a JSON-ready dict (deterministic: sorted keys, sorted codes)."""
    if not (core / "StructureDefinition-Patient.json").exists():
        raise SubsetError(f"the FHIR R4 core package is not in {core}; "
                          "run `python tools/fhir_cache.py` first")
    primitives, types, constraints = structures(_load(core, "StructureDefinition"))
    codesystems = _load(core, "CodeSystem")
    expander = _Expander(_load(core, "ValueSet"), codesystems)
    valuesets: dict[str, dict[str, list[str]]] = {}
    not_enumerable: dict[str, str] = {}
    systems: dict[str, list[str]] = {}
    for url in _bound_valuesets(types):
        codes = expander.expand(url)
        if isinstance(codes, str):
            not_enumerable[url] = codes
            drawn_on = expander.systems(url)
            if drawn_on:
                systems[url] = sorted(drawn_on)
            continue
        grouped: dict[str, list[str]] = {}
        for system, code in codes:
            grouped.setdefault(system, []).append(code)
        valuesets[url] = {system: sorted(found) for system, found in sorted(grouped.items())}
    return {
        "fhirVersion": "4.0.1",
        "source": "hl7.fhir.r4.core#4.0.1 (StructureDefinition, ValueSet, CodeSystem)",
        "primitives": primitives,
        "types": types,
        "constraints": constraints,
        "valueSets": valuesets,
        "notEnumerable": not_enumerable,
        "valueSetSystems": systems,
        "codeSystems": _fhir_codesystems(codesystems),
    }


#: What the validator reads of a definition and of its snapshot's elements; descriptions,
#: mappings and examples stay out (they are most of the size).
DEFINITION_KEYS = ("resourceType", "url", "id", "name", "type", "kind", "derivation",
                   "baseDefinition", "context", "contextInvariant", "abstract")
ELEMENT_KEYS = ("id", "path", "sliceName", "min", "max", "base", "type", "contentReference",
                "slicing", "isModifier")


def _cut_element(element: dict[str, Any]) -> dict[str, Any]:
    cut = {k: element[k] for k in ELEMENT_KEYS if k in element}
    cut.update({k: v for k, v in element.items() if k.startswith(("fixed", "pattern"))})
    binding = element.get("binding")
    if isinstance(binding, dict) and binding.get("valueSet"):
        cut["binding"] = {k: binding[k] for k in ("strength", "valueSet") if k in binding}
    constraints = [{k: c[k] for k in ("key", "severity", "expression", "human") if k in c}
                   for c in element.get("constraint", []) if "expression" in c]
    if constraints:
        cut["constraint"] = constraints
    return cut


def core_definitions(core: Path = CORE) -> dict[str, Any]:
    """R4 core's profiles and extensions (derivation constraint), by url, cut down."""
    found: dict[str, Any] = {}
    for definition in _load(core, "StructureDefinition"):
        if definition.get("derivation") != "constraint" or "snapshot" not in definition:
            continue
        if definition.get("kind") == "logical":
            continue
        cut = {k: definition[k] for k in DEFINITION_KEYS if k in definition}
        cut["snapshot"] = {"element": [_cut_element(e)
                                       for e in definition["snapshot"]["element"]]}
        found[definition["url"]] = cut
    return {"fhirVersion": "4.0.1", "source": "hl7.fhir.r4.core#4.0.1 (StructureDefinition)",
            "definitions": found}


def render(subset: dict[str, Any]) -> str:
    return json.dumps(subset, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory; exit 1 when the committed file differs")
    parser.add_argument("--core", type=Path, default=CORE, help="the core package folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the package data file")
    args = parser.parse_args(argv)
    output: Path = args.output
    # the definitions file lives beside the subset: a test that writes the subset elsewhere
    # must never overwrite the package data of the checkout
    definitions_output = output.with_name(DEFINITIONS_OUTPUT.name)
    started = time.perf_counter()
    try:
        text = render(build(args.core))
        definitions = render(core_definitions(args.core))
    except SubsetError as failure:
        print(f"core_subset: {failure}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    relative = output.relative_to(ROOT) if output.is_relative_to(ROOT) else output
    if args.check:
        stale = [path for path, wanted in ((output, text), (definitions_output, definitions))
                 if (path.read_text(encoding="utf-8") if path.exists() else "") != wanted]
        if stale:
            print(f"core_subset: {', '.join(p.name for p in stale)} out of date with the R4 "
                  "core package; run `python tools/core_subset.py` and commit the result",
                  file=sys.stderr)
            return 1
        print(f"core_subset: {relative} and {definitions_output.name} are up to date "
              f"({seconds:.1f} s)")
        return 0
    output.write_text(text, encoding="utf-8")
    definitions_output.write_text(definitions, encoding="utf-8")
    subset = json.loads(text)
    print(f"core_subset: wrote {relative}: {len(text.encode()) / 1e6:.2f} MB, "
          f"{len(subset['types'])} types, {len(subset['primitives'])} primitives, "
          f"{len(subset['valueSets'])} value sets expanded, "
          f"{len(subset['notEnumerable'])} not enumerable, in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
