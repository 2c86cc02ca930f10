"""Helpers shared by the builder tests: compare a built resource with an example of the guide."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from fhir_regie.ig import load_package
from fhir_regie.model import InvalidResourceError, to_json

OUR_SYSTEMS = "https://fhir-regie.nl/fhir/CodeSystem/"  # only to recognise our codings


def _canonical(value: Any, *, drop_displays: bool) -> Any:
    """Canonical JSON for comparison: extensions in url order (FHIR gives their order no
    meaning across urls; the sort is stable, so repeats keep theirs), and — when asked — the
    Dutch displays on codings of the guide's code systems left out, because the examples omit
    them and the builders always add them (their values are checked against the compiled
    CodeSystems in ``test_displays_come_from_the_code_system``)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            clean = _canonical(item, drop_displays=drop_displays)
            if key == "extension" and isinstance(clean, list):
                clean = sorted(clean, key=lambda e: e.get("url", ""))
            out[key] = clean
        if drop_displays and str(out.get("system", "")).startswith(OUR_SYSTEMS):
            out.pop("display", None)
        return out
    if isinstance(value, list):
        return [_canonical(item, drop_displays=drop_displays) for item in value]
    return value


def example(reference: str) -> dict[str, Any]:
    resource_type, resource_id = reference.split("/")
    resource = copy.deepcopy(load_package().get(resource_type, resource_id))
    resource.pop("text", None)
    return resource


def _unversioned(resource: dict[str, Any]) -> dict[str, Any]:
    """The example without ``meta.versionId``: a server assigns it, a builder never does (the
    examples carry it because signatures and handovers name the version)."""
    meta = {k: v for k, v in (resource.get("meta") or {}).items() if k != "versionId"}
    return {**resource, "meta": meta} if "meta" in resource else resource


def assert_rebuilds(built: Any, reference: str,
                    same_up_to: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                    ) -> dict[str, Any]:
    """The built resource's JSON equals the example's, element by element (``text`` aside).
    ``same_up_to`` normalises both sides first where a difference carries no meaning."""
    assert_dutch_displays(to_json(built))
    produced = _canonical(to_json(built), drop_displays=True)
    expected = _canonical(_unversioned(example(reference)), drop_displays=True)
    if same_up_to is not None:
        produced, expected = same_up_to(produced), same_up_to(expected)
    assert produced == expected
    return produced


def our_displays(resource: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(system, code, display) of every coding of the guide's code systems in a resource."""
    found: list[tuple[str, str, str | None]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if str(value.get("system", "")).startswith(OUR_SYSTEMS) and "code" in value:
                found.append((value["system"], value["code"], value.get("display")))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(resource)
    return found


def rejected(call: Any, **kwargs: Any) -> InvalidResourceError:
    """The InvalidResourceError a builder call raises."""
    with pytest.raises(InvalidResourceError) as caught:
        call(**kwargs)
    return caught.value


def assert_rule(error: InvalidResourceError, rule: str, expression: str,
                *secrets: str) -> None:
    """The error names ``rule`` at ``expression`` (in the outcome and the message) and its text
    carries none of ``secrets`` (names, BSNs, free text)."""
    located = [(i.get("diagnostics"), (i.get("expression") or [""])[0])
               for i in error.outcome["issue"] if i["severity"] in ("error", "fatal")]
    assert (rule, expression) in located, located
    assert rule in str(error)
    assert expression in str(error)
    for secret in secrets:
        assert secret not in str(error)
        assert secret not in repr(error)


def assert_dutch_displays(resource: dict[str, Any]) -> None:
    """Every coding of the guide carries the display of its compiled CodeSystem."""
    package = load_package()
    for system, code, display in our_displays(resource):
        concepts = {c["code"]: c["display"] for c in package.by_url(system)["concept"]}
        assert display == concepts[code], (system, code)
