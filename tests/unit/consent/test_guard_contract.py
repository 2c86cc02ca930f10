"""The guard contract: every outbound path calls ``fhir_regie.consent.share``.

The source tree is scanned (AST, not text) for writes that leave the process: FhirClient write
methods (create, update, patch, delete, transaction, batch, ...) and HTTP posts/puts. A module
that does so must call ``share`` (imported from ``fhir_regie.consent``), unless it is one of the
documented LOCAL_WRITERS. The outbound packages (handover, sync, render, viewer) must call it
as soon as they exist. The scanner itself is tested on small sources so the contract test can
fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fhir_regie
from fhir_regie.consent.guard import LOCAL_WRITERS, OUTBOUND_PACKAGES

SOURCE = Path(fhir_regie.__file__).parent
WRITES = frozenset({"create", "update", "conditional_update", "update_by_identifier", "patch",
                    "delete", "transaction", "batch", "post", "put"})
EXEMPT_PACKAGES = ("client", "consent")   # the transport itself, and the guard


def outbound_writes(tree: ast.AST) -> list[str]:
    """Calls that write to a server: ``<anything>.<write method>(...)``.

    ``dict.update`` looks the same; a call on a name or attribute spelled like a client
    (``client``, ``session``, ``http``, ``fhir``, ``server``) counts, others do not.
    """
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in WRITES:
            owner = ast.unparse(node.func.value).lower()
            if any(word in owner for word in ("client", "session", "http", "fhir", "server",
                                              "requests")):
                found.append(f"{ast.unparse(node.func)} (line {node.lineno})")
    return found


def calls_share(tree: ast.AST) -> bool:
    imported = any(isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
        "fhir_regie.consent") and any(a.name == "share" for a in node.names)
        for node in ast.walk(tree))
    called = any(isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "share") or
        (isinstance(node.func, ast.Attribute) and node.func.attr == "share"))
        for node in ast.walk(tree))
    return called and (imported or any(
        isinstance(node, ast.Attribute) and node.attr == "share"
        and "consent" in ast.unparse(node.value) for node in ast.walk(tree)))


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def violations(files: dict[str, str]) -> list[str]:
    """Modules (name -> source) that write outward without the guard."""
    found = []
    for name, text in sorted(files.items()):
        package = name.split(".")[1] if name.count(".") >= 1 else ""
        if package in EXEMPT_PACKAGES or name in LOCAL_WRITERS:
            continue
        tree = ast.parse(text)
        writes = outbound_writes(tree)
        if writes and not calls_share(tree):
            found.append(f"{name}: {', '.join(writes)} without fhir_regie.consent.share")
    for package in OUTBOUND_PACKAGES:
        members = {n: t for n, t in files.items() if n.startswith(f"fhir_regie.{package}.")
                   or n == f"fhir_regie.{package}"}
        if members and not any(calls_share(ast.parse(t)) for t in members.values()):
            found.append(f"fhir_regie.{package}: an outbound path that never calls share")
    return found


def source_tree() -> dict[str, str]:
    return {module_name(p): p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py")}


def test_every_outbound_write_in_the_product_goes_through_the_guard():
    assert violations(source_tree()) == []


def test_the_scan_sees_the_product_and_the_known_local_writer():
    tree = source_tree()
    assert "fhir_regie.demo" in tree
    assert "fhir_regie.client.client" in tree
    assert outbound_writes(ast.parse(tree["fhir_regie.demo"]))  # it does write, locally


@pytest.mark.parametrize("source", [
    "def send(client, bundle):\n    client.transaction(bundle)\n",
    "def send(session, doc):\n    session.post('https://x', json=doc)\n",
    "def push(fhir, r):\n    fhir.update(r)\n",
])
def test_the_scan_catches_a_write_without_the_guard(source):
    assert violations({"fhir_regie.sync.engine": source}) != []


def test_the_scan_accepts_a_write_after_the_guard():
    source = ("from fhir_regie.consent import share\n"
              "def send(client, resources, request):\n"
              "    shared = share(resources, request)\n"
              "    client.transaction(shared.bundle)\n")
    assert violations({"fhir_regie.sync.engine": source}) == []


def test_an_outbound_package_without_the_guard_is_caught():
    source = "def render(plan):\n    return '<html>' + str(plan)\n"
    assert violations({"fhir_regie.render.html": source}) == [
        "fhir_regie.render: an outbound path that never calls share"]


def test_dict_update_is_not_mistaken_for_a_server_write():
    assert outbound_writes(ast.parse("settings = {}\nsettings.update(a=1)\n")) == []
