"""The sync engine's pure planning step: what to do with each resource of a batch.

``plan_batch`` takes what the engine gathered for a batch (per item: the incoming content in
the target's ids, the target's current version, the base both sides last agreed on) and
returns one :class:`Action` per item, an :class:`Outcome`:

- ``WRITE``: the target must change (a new resource, or the merge of both sides' changes), with
  the ``If-Match`` version the merge started from;
- ``PARK``: a conflict for a person (both sides changed the same element, no common base, a
  merge that fails validation, gone on the target, or an inbound rule refused it);
- ``DEAD_LETTER``: cannot be processed (several resources on the target with its identifier);
- ``UNCHANGED``: the target already holds it.

No I/O, no state store, no clock: the same input always gives the same actions, which is what
``tests/unit/sync/test_plan.py`` checks with hypothesis. The engine does the reads before and
hands the actions to the executor (:mod:`fhir_regie.sync.executor`), which applies them to the
state store in one transaction after the write.

**Inbound checks** are per-resource refusal rules for what comes in from a partner (direction
``pull``): callables that look at one :class:`PlanInput` and the content that would be written,
and return a reason (English, no values) to park it, or None. They run after the merge, on the
result that would be written, so a rule sees the target's current version and what it would
become. Add one with :func:`register_inbound_check` (e.g. an agreed action's status may only
move along the workflow's transitions: an illegal one is parked as an ``illegal-transition``
conflict for a person instead of written; the engine adds that check, issue 21's, because it
reads our records). A check may return a reason (parked as ``refused``) or ``(kind, fields)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from fhir_regie.sync.keys import content, same_content
from fhir_regie.sync.merge import merge

Resource = dict[str, Any]
Ref = tuple[str, str]
PULL, PUSH = "pull", "push"


class Outcome(Enum):
    """What the planner decided for one item."""

    WRITE = "write"
    PARK = "park"
    DEAD_LETTER = "dead-letter"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PlanInput:
    """One item of a batch as the planner sees it.

    Attributes:
        rtype: the resource type.
        target_id: the id the resource has (or gets) on the target.
        incoming: the source's version, in the target's ids (push: the guard's copy).
        current: the target's version now (None when it has none).
        base: the content both sides last agreed on, in the target's ids (None: never).
        duplicate_on_target: several target resources carry its business identifier.
    """

    rtype: str
    target_id: str
    incoming: Resource
    current: Resource | None = None
    base: Resource | None = None
    duplicate_on_target: bool = False


@dataclass(frozen=True)
class Action:
    """The planner's decision for one item (``index`` in the batch given to ``plan_batch``).

    ``WRITE``: ``resource`` (with the target id) and ``if_match`` (None for a new resource);
    ``pure`` when the target ends up with exactly the incoming content (its next version is an
    echo of this change). ``PARK``: ``kind`` and ``fields``. ``DEAD_LETTER``: ``rule`` and
    ``message`` (no values)."""

    outcome: Outcome
    index: int
    resource: Resource | None = None
    if_match: str | None = None
    pure: bool = False
    kind: str | None = None
    fields: tuple[str, ...] = ()
    rule: str | None = None
    message: str | None = None


#: ``(rule, message)`` of each validation error of a resource.
Validate = Callable[[Resource], list[tuple[str, str]]]
#: A per-resource refusal rule for what comes in: ``(item, result) -> None`` to let it through,
#: a reason (parked as kind ``refused``), or ``(kind, fields)`` for a conflict of its own kind.
Refusal = str | tuple[str, tuple[str, ...]] | None
InboundCheck = Callable[[PlanInput, Resource], Refusal]


@dataclass
class Rules:
    """What the planner applies besides the merge: the validator of merge results and the
    inbound checks (run in order; the first reason parks the item)."""

    validate: Validate
    inbound: list[InboundCheck] = field(default_factory=list)


#: The inbound checks every job applies (see the module's documentation).
INBOUND_CHECKS: list[InboundCheck] = []


def register_inbound_check(check: InboundCheck) -> InboundCheck:
    """Add a per-resource refusal rule for what comes in (usable as a decorator)."""
    if check not in INBOUND_CHECKS:
        INBOUND_CHECKS.append(check)
    return check


def _version(resource: Resource | None) -> str | None:
    return str((resource or {}).get("meta", {}).get("versionId") or "") or None


def differing(a: Resource | None, b: Resource | None) -> list[str]:
    """Top-level elements whose content differs (server-set elements left out)."""
    left, right = content(a) or {}, content(b) or {}
    return sorted(n for n in set(left) | set(right) if left.get(n) != right.get(n))


def plan_item(item: PlanInput, index: int, direction: str, rules: Rules) -> Action:
    """The action for one item (see the module's documentation)."""
    if item.duplicate_on_target:
        return Action(Outcome.DEAD_LETTER, index, rule="duplicate-on-target",
                      message="several resources on the target have this business identifier")
    incoming, current = item.incoming, item.current
    if current is None:
        if item.base is not None:
            # It was in step there once (a base exists) and is gone now.
            return Action(Outcome.PARK, index, kind="deleted-on-target")
        written = dict(incoming, id=item.target_id)
        refused = _refused(item, written, direction, rules)
        if refused is not None:
            return Action(Outcome.PARK, index, kind=refused[0], fields=refused[1])
        return Action(Outcome.WRITE, index, resource=written, pure=True)
    if same_content(current, incoming):
        return Action(Outcome.UNCHANGED, index, pure=True)
    if item.base is None:
        # Never in step: what the target holds was not written by us. Never overwritten.
        return Action(Outcome.PARK, index, kind="no-common-base",
                      fields=tuple(differing(current, incoming)))
    result = merge(item.base, current, incoming)
    if not result.ok:
        return Action(Outcome.PARK, index, kind="edit", fields=tuple(result.conflicts))
    merged = result.merged
    assert merged is not None
    if same_content(merged, current):
        return Action(Outcome.UNCHANGED, index)
    errors = rules.validate(merged)
    if errors:
        return Action(Outcome.PARK, index, kind="invalid-merge",
                      fields=tuple(rule for rule, _ in errors))
    written = dict(merged, id=item.target_id)
    refused = _refused(item, written, direction, rules)
    if refused is not None:
        return Action(Outcome.PARK, index, kind=refused[0], fields=refused[1])
    return Action(Outcome.WRITE, index, resource=written, if_match=_version(current),
                  pure=same_content(merged, incoming))


def _refused(item: PlanInput, result: Resource, direction: str, rules: Rules
             ) -> tuple[str, tuple[str, ...]] | None:
    """(kind, fields) of the first inbound check that refuses; None when all let it through."""
    if direction != PULL:
        return None
    for check in rules.inbound:
        refusal = check(item, result)
        if isinstance(refusal, tuple):
            return refusal
        if refusal:
            return "refused", (refusal,)
    return None


def plan_batch(items: Sequence[PlanInput], direction: str, rules: Rules) -> list[Action]:
    """One action per item, in order (pure: see the module's documentation)."""
    return [plan_item(item, index, direction, rules) for index, item in enumerate(items)]
