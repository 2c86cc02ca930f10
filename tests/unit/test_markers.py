"""The heavy-test markers: registered, and the ``slow`` list names tests that exist."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from tests.conftest import HEAVY_FIXTURES, SLOW, SLOW_FOLDERS

ROOT = Path(__file__).resolve().parents[2]


def test_every_marker_used_is_registered() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    registered = {line.split(":", 1)[0]
                  for line in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert {"hapi", "jvm", "browser", "kill", "slow"} <= registered
    assert set(HEAVY_FIXTURES.values()) <= registered


def test_every_slow_entry_names_a_test_function_of_its_file() -> None:
    missing = []
    for path, names in SLOW.items():
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        defined = {node.name for node in ast.walk(tree)
                   if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
        missing += [f"{path}::{name}" for name in sorted(names - defined)]
    assert missing == [], "renamed or removed; update SLOW in tests/conftest.py"
    assert all((ROOT / folder).is_dir() for folder in SLOW_FOLDERS)
