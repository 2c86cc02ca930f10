"""The lossless declaration of a partner (``lossless:`` in its metadata), checkable: which
declared fields differ between a record and the record that came back from FHIR."""

from __future__ import annotations

from typing import Any

from fhir_regie.mapping.spec import Partner


def values_at(data: Any, path: str) -> list[Any]:
    """Values at a dotted path; ``name[]`` steps into every item of a list, in order.
    Absent values are ``None`` (so a field lost on the way counts as a difference).

    Example::

        >>> values_at({"a": [{"b": 1}, {}]}, "a[].b")
        [1, None]
    """
    found = [data]
    for part in path.split("."):
        name, each = (part[:-2], True) if part.endswith("[]") else (part, False)
        step: list[Any] = []
        for value in found:
            item = value.get(name) if isinstance(value, dict) else None
            if each:
                step.extend(item or [])
            else:
                step.append(item)
        found = step
    return found


def lossless_differences(partner: Partner, source: Any, back: Any) -> list[str]:
    """Declared lossless fields whose values differ (``[]`` -> empty when all survived)."""
    return [f"{rule.source} -> {rule.back}" for rule in partner.lossless
            if values_at(source, rule.source) != values_at(back, rule.back)]
