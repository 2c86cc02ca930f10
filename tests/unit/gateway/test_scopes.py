"""SMART v2 system scopes."""

from __future__ import annotations

import pytest

from fhir_regie.gateway.scopes import Scope, allows, grant, parse_scope


@pytest.mark.parametrize(("text", "expected"), [
    ("system/CarePlan.rs", Scope("CarePlan", "rs")), ("system/*.cruds", Scope("*", "cruds")),
    ("system/Task.u", Scope("Task", "u")), ("system/Task.sr", None), ("system/Task.", None),
    ("user/*.rs", None), ("patient/*.read", None), ("system/*.read", None),
    ("purpose/care-coordination", None),
])
def test_parse(text: str, expected: Scope | None) -> None:
    assert parse_scope(text) == expected


def test_grant_gives_only_what_the_registry_covers() -> None:
    assert grant("system/CarePlan.rs system/Task.u system/Task.rs", ("system/*.rs",)) == \
        ("system/CarePlan.rs", "system/Task.rs")
    assert grant("system/*.cruds", ("system/*.rs",)) == ()
    assert grant("system/Task.u", ("system/*.rs", "system/Task.u")) == ("system/Task.u",)


def test_allows() -> None:
    assert allows(("system/CarePlan.rs",), "CarePlan", "s")
    assert not allows(("system/CarePlan.rs",), "Task", "r")
    assert allows(("system/*.r",), "Goal", "r")
    assert not allows(("system/*.r",), "Goal", "s")
