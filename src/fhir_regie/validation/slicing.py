"""Which instance items belong to a slice: FHIR R4 discriminators (profiling.html#discriminator).

A slice test is compiled once per slice of a profile snapshot and then asked, item by item,
whether an item of the sliced element belongs to the slice. It answers True, False, or None
when it cannot tell (a discriminator path it does not follow, a profile it does not know); the
validator then leaves the slice alone rather than guess, as the HL7 validator reports it as
unevaluable.

- **value / pattern**: the item's value at the discriminator path equals the slice's fixed
  value, or contains its pattern;
- **exists**: the path is present in the item exactly when the slice's element there has a
  minimum of 1 (absent when its maximum is 0);
- **type**: the FHIR type of the item at the path (a choice element's typed key,
  ``valueQuantity`` -> Quantity; a resource's resourceType, e.g. ``Bundle.entry.resource``) is
  one of the types the slice allows there;
- **profile**: the item at the path meets one of the slice's profiles there, decided by the
  validator itself (``SliceContext.conforms``), so a Bundle entry belongs to the
  ``household`` slice when its resource is a valid ``regie-household``.

Extension slices (``extension:safetyPerson``) are told apart by their url, as the HL7 validator
does whatever the stated discriminator.

Example::

    >>> elements = {"Observation.value[x]": {"id": "Observation.value[x]",
    ...     "path": "Observation.value[x]", "type": [{"code": "Quantity"}, {"code": "string"}],
    ...     "slicing": {"discriminator": [{"type": "type", "path": "$this"}]}},
    ...     "Observation.value[x]:valueQuantity": {"id": "Observation.value[x]:valueQuantity",
    ...     "path": "Observation.value[x]", "type": [{"code": "Quantity"}]}}
    >>> test = slice_test(elements, "Observation.value[x]:valueQuantity")
    >>> test(({"value": 7}, "Observation.valueQuantity"), None)
    True
    >>> test(("zeven", "Observation.valueString"), None)
    False
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Node = tuple[Any, str]  # (JSON value, FHIRPath location)
Conforms = Callable[[Any, str], "bool | None"]


@dataclass
class SliceContext:
    """What a discriminator needs beyond the item: whether a value meets a profile (the
    validator's own verdict; None when the profile is unknown) and a memo of those verdicts
    for one instance (a profile is evaluated once per item)."""

    conforms: Conforms
    memo: dict[tuple[int, str], bool | None] = field(default_factory=dict)

    def meets(self, value: Any, url: str) -> bool | None:
        key = (id(value), url)
        if key not in self.memo:
            self.memo[key] = self.conforms(value, url)
        return self.memo[key]


SliceTest = Callable[[Node, "SliceContext | None"], "bool | None"]

_INDEX = re.compile(r"\[\d+\]$")


def _key_of(where: str) -> str:
    """The JSON key an item was found under, from its location (``...valueQuantity[0]``)."""
    return _INDEX.sub("", where).rsplit(".", 1)[-1]


def type_of_suffix(suffix: str) -> str:
    """The FHIR type a choice key's suffix names: ``Integer`` -> integer, ``Quantity`` ->
    Quantity (primitive types start lower case, FHIR R4 datatypes.html)."""
    from fhir_regie.validation.structure import is_primitive_type

    lowered = suffix[:1].lower() + suffix[1:]
    return lowered if is_primitive_type(lowered) else suffix


def _walk(value: Any, segments: list[str]) -> list[tuple[Any, str]]:
    """(value, JSON key) at a dotted discriminator path below ``value``; the last segment may
    be a choice element (``value``, ``value[x]``), found by its typed key."""
    current: list[tuple[Any, str]] = [(value, "")]
    for segment in segments:
        stem = segment.removesuffix("[x]")
        following: list[tuple[Any, str]] = []
        for item, _ in current:
            if not isinstance(item, dict):
                continue
            keys = [stem] if stem in item else [
                key for key in item if key.startswith(stem) and key[len(stem):][:1].isupper()]
            for key in keys:
                found = item[key]
                for entry in found if isinstance(found, list) else [found]:
                    following.append((entry, key))
        current = following
    return current


def _instance_type(value: Any, key: str, element: dict[str, Any]) -> str | None:
    """The FHIR type of ``value`` found under JSON ``key`` for ``element`` (None: unknown)."""
    if isinstance(value, dict) and isinstance(value.get("resourceType"), str):
        return str(value["resourceType"])
    name = element.get("path", "").rsplit(".", 1)[-1]
    if name.endswith("[x]"):
        stem = name[:-3]
        if key.startswith(stem) and len(key) > len(stem):
            return type_of_suffix(key[len(stem):])
        return None
    codes = [t.get("code") for t in element.get("type", [])]
    return str(codes[0]) if len(codes) == 1 else None


def _allowed_types(element: dict[str, Any], profile_types: Callable[[str], str | None]
                   ) -> frozenset[str] | None:
    """The types a slice allows at its discriminator path; a Resource typed with profiles
    allows the resource types of those profiles."""
    allowed: set[str] = set()
    for kind in element.get("type", []):
        code = kind.get("code")
        if code in ("Resource", "DomainResource") and kind.get("profile"):
            for url in kind["profile"]:
                named = profile_types(url)
                if named is None:
                    return None
                allowed.add(named)
        elif isinstance(code, str):
            allowed.add(code)
    return frozenset(allowed) or None


def _fixed(element: dict[str, Any]) -> tuple[bool, Any] | None:
    """(is a pattern, value) of an element's fixed[x] or pattern[x]."""
    for key, value in element.items():
        if key.startswith("pattern"):
            return True, value
        if key.startswith("fixed"):
            return False, value
    return None


def matches_pattern(value: Any, pattern: Any) -> bool:
    """FHIR pattern matching: every property of the pattern is present in the value."""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        return all(matches_pattern(value.get(k), v) for k, v in pattern.items())
    if isinstance(pattern, list):
        if not isinstance(value, list):
            return False
        return all(any(matches_pattern(v, p) for v in value) for p in pattern)
    return bool(value == pattern)


def _discriminated(path: str) -> list[str] | None:
    """The segments of a discriminator path we follow (None: resolve(), ofType(), ...)."""
    if path == "$this":
        return []
    segments = path.split(".")
    if any(not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(\[x\])?", s) for s in segments):
        return None
    return segments


def _child_element(elements: dict[str, dict[str, Any]], slice_id: str,
                   segments: list[str]) -> dict[str, Any] | None:
    """The slice's element at a discriminator path (``value`` may be ``value[x]``)."""
    if not segments:
        return elements.get(slice_id)
    path = slice_id + "." + ".".join(segments)
    return elements.get(path) or elements.get(path + "[x]")


def slice_test(elements: dict[str, dict[str, Any]], slice_id: str,
               profile_types: Callable[[str], str | None] | None = None) -> SliceTest | None:
    """The test for slice ``slice_id`` of a snapshot (element id -> element), or None when
    the slice cannot be told apart at all. ``profile_types`` names the resource type a
    profile url constrains (for type discriminators on resources typed by profile).

    Example::

        >>> elements = {"X.extension": {"path": "X.extension"},
        ...             "X.extension:kind": {"path": "X.extension", "type": [
        ...                 {"code": "Extension", "profile": ["https://e.org/kind"]}]}}
        >>> slice_test(elements, "X.extension:kind")(({"url": "https://e.org/kind"}, ""), None)
        True
    """
    element = elements[slice_id]
    if element["path"].endswith((".extension", ".modifierExtension")):
        return _extension_test(elements, slice_id, element)
    base = elements.get(slice_id.rsplit(":", 1)[0], {})
    tests: list[SliceTest] = []
    for discriminator in base.get("slicing", {}).get("discriminator", []):
        segments = _discriminated(str(discriminator.get("path", "")))
        if segments is None:
            return None
        kind = discriminator.get("type")
        wanted = _child_element(elements, slice_id, segments)
        made = _one_test(kind, segments, wanted, base, profile_types or (lambda url: None))
        if made is None:
            return None
        tests.append(made)
    if not tests:
        return None

    def belongs(node: Node, context: SliceContext | None) -> bool | None:
        verdict: bool | None = True
        for test in tests:
            answer = test(node, context)
            if answer is False:
                return False
            if answer is None:
                verdict = None
        return verdict
    return belongs


def _extension_test(elements: dict[str, dict[str, Any]], slice_id: str,
                    element: dict[str, Any]) -> SliceTest | None:
    urls = [p for t in element.get("type", []) for p in t.get("profile", [])]
    url = urls[0] if urls else elements.get(f"{slice_id}.url", {}).get("fixedUri")
    if not url:
        return None
    return lambda node, context: isinstance(node[0], dict) and node[0].get("url") == url


def _one_test(kind: Any, segments: list[str], wanted: dict[str, Any] | None,
              base: dict[str, Any], profile_types: Callable[[str], str | None]
              ) -> SliceTest | None:
    """One discriminator's test, or None when this slice cannot be told apart by it."""
    if wanted is None:
        return None
    if kind in ("value", "pattern"):
        fixed = _fixed(wanted)
        if fixed is None:
            return None
        pattern, value = fixed

        def by_value(node: Node, context: SliceContext | None) -> bool | None:
            found = [v for v, _ in _walk(node[0], segments)] if segments else [node[0]]
            if pattern:
                return any(matches_pattern(v, value) for v in found)
            return any(v == value for v in found)
        return by_value
    if kind == "exists":
        present = wanted.get("min", 0) >= 1
        absent = wanted.get("max") == "0"
        if present == absent:
            return None

        def by_existence(node: Node, context: SliceContext | None) -> bool | None:
            return bool(_walk(node[0], segments)) == present
        return by_existence
    if kind == "type":
        allowed = _allowed_types(wanted, profile_types)
        if allowed is None:
            return None
        definition = wanted if segments else base

        def by_type(node: Node, context: SliceContext | None) -> bool | None:
            found = _walk(node[0], segments) if segments else [(node[0], _key_of(node[1]))]
            types = [_instance_type(v, key, definition) for v, key in found]
            if not types:
                return False
            if None in types:
                return None
            return any(t in allowed for t in types)
        return by_type
    if kind == "profile":
        profiles = [p for t in wanted.get("type", []) for p in t.get("profile", [])]
        if not profiles:
            return None

        def by_profile(node: Node, context: SliceContext | None) -> bool | None:
            if context is None:
                return None
            found = [v for v, _ in _walk(node[0], segments)] if segments else [node[0]]
            verdicts = [context.meets(v, url) for v in found for url in profiles]
            if True in verdicts:
                return True
            return None if None in verdicts else False
        return by_profile
    return None
