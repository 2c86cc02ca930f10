"""Generate the invalid fixtures of the Regie IG from its valid examples.

Every invariant and every element the guide makes required gets one fixture that breaks exactly
that rule. A fixture is a copy of a valid example with a few declarative edits (the table
``FIXTURES`` below), written to ``tests/fixtures/invalid/<name>.json`` with the expected outcome
beside it in ``<name>.expected.json``:

    {"rule": "rg-bsn-1", "kind": "invariant", "profile": "<url>",
     "expression": "Patient.identifier[0]", "reason": "..."}

``kind`` is ``invariant`` (``rule`` is the constraint key) or ``cardinality`` (``rule`` is the
element id of the profile whose minimum is violated, e.g. ``CarePlan.extension:phase``).

Usage::

    python tools/invalid_fixtures.py            # (re)write the fixtures
    python tools/invalid_fixtures.py --check    # exit 1 when the committed fixtures are stale

The examples are read from the compiled package data (``fhir-regie ig build`` writes them).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "src" / "fhir_regie" / "ig" / "package" / "example"
OUT = ROOT / "tests" / "fixtures" / "invalid"
SD_BASE = "https://fhir-regie.nl/fhir/StructureDefinition/"
CS_BASE = "https://fhir-regie.nl/fhir/CodeSystem/"

Json = Any


class FixtureError(Exception):
    """A table entry does not fit its example (path not found, wrong shape)."""


# ---------------------------------------------------------------------------- path edits
# A path is dot-separated; each step is `name`, `name[3]`, or `name[key=value]` where the filter
# matches list items by: `url` (an extension url, full or by the id after the last '/'),
# `code` (any coding code of the item's `code`), `type` (any coding code of the item's `type`).


def _parse_step(step: str) -> tuple[str, list[str] | None]:
    """``name[a][b]`` -> ("name", ["a", "b"]); selectors apply in turn (filter, then index)."""
    if "[" in step:
        name, _, rest = step.partition("[")
        return name, rest[:-1].split("][")
    return step, None


def _codes(concept: Json) -> set[str]:
    if isinstance(concept, dict):
        codes = {c.get("code") for c in concept.get("coding", []) if isinstance(c, dict)}
        if "code" in concept:
            codes.add(concept["code"])
        return {c for c in codes if c}
    return set()


def _matches(item: Json, selector: str) -> bool:
    key, _, value = selector.partition("=")
    if not isinstance(item, dict):
        return False
    if key == "url":
        url = item.get("url", "")
        return bool(url == value or url.rsplit("/", 1)[-1] == value)
    if key in ("code", "type"):
        return value in _codes(item.get(key))
    raise FixtureError(f"unknown filter {selector!r}")


def _select(items: list[Json], selectors: list[str]) -> list[int]:
    chosen = list(range(len(items)))
    for selector in selectors:
        if selector.isdigit():
            index = int(selector)
            chosen = [chosen[index]] if index < len(chosen) else []
        else:
            chosen = [i for i in chosen if _matches(items[i], selector)]
    return chosen


def _locate(resource: Json, path: str) -> Iterator[tuple[Json, str | int]]:
    """Yield (container, key) pairs for every node the path designates."""
    steps = path.split(".")
    frontier: list[Json] = [resource]
    for position, step in enumerate(steps):
        name, selector = _parse_step(step)
        last = position == len(steps) - 1
        next_frontier: list[Json] = []
        for node in frontier:
            if not isinstance(node, dict) or name not in node:
                continue
            value = node[name]
            if selector is None:
                if last:
                    yield node, name
                elif isinstance(value, list):
                    next_frontier.extend(value)
                else:
                    next_frontier.append(value)
                continue
            if not isinstance(value, list):
                raise FixtureError(f"{step!r}: {name} is not a list")
            assert selector is not None
            indices = _select(value, selector)
            if last:
                # Highest index first so that deleting keeps the earlier indices valid.
                for index in sorted(indices, reverse=True):
                    yield value, index
            else:
                next_frontier.extend(value[i] for i in indices)
        frontier = next_frontier


def _drop(resource: Json, path: str) -> None:
    targets = list(_locate(resource, path))
    if not targets:
        raise FixtureError(f"drop {path}: nothing there")
    for container, key in targets:
        del container[key]  # type: ignore[arg-type]
    _prune_empty(resource)


def _set(resource: Json, path: str, value: Json) -> None:
    parent_path, _, name = path.rpartition(".")
    parents = [resource] if not parent_path else [
        container[key] for container, key in _locate(resource, parent_path)  # type: ignore[index]
    ]
    if not parents:
        raise FixtureError(f"set {path}: parent not found")
    step, selector = _parse_step(name)
    for parent in parents:
        if selector is None:
            parent[step] = copy.deepcopy(value)
        else:
            items = parent.get(step)
            if not isinstance(items, list):
                raise FixtureError(f"set {path}: {step} is not a list")
            indices = _select(items, selector)
            if not indices:
                raise FixtureError(f"set {path}: no item matches {'/'.join(selector)}")
            for index in indices:
                items[index] = copy.deepcopy(value)


def _append(resource: Json, path: str, value: Json) -> None:
    targets = list(_locate(resource, path))
    if not targets:
        parent_path, _, name = path.rpartition(".")
        parents = [resource] if not parent_path else [
            c[k] for c, k in _locate(resource, parent_path)  # type: ignore[index]
        ]
        if not parents:
            raise FixtureError(f"append {path}: parent not found")
        parents[0][name] = [copy.deepcopy(value)]
        return
    container, key = targets[0]
    container[key].append(copy.deepcopy(value))  # type: ignore[index]


def _prune_empty(node: Json) -> None:
    """Remove lists emptied by a drop, so a fixture breaks its rule and not json's."""
    if isinstance(node, dict):
        for key in list(node):
            _prune_empty(node[key])
            if node[key] in ([], {}):
                del node[key]
    elif isinstance(node, list):
        for item in node:
            _prune_empty(item)


# ---------------------------------------------------------------------------- the table
def ext(name: str) -> str:
    """Filter step for an extension of this guide, by its id."""
    return f"extension[url={name}]"


def coding(system_id: str, code: str) -> dict[str, Json]:
    return {"coding": [{"system": CS_BASE + system_id, "code": code}]}


@dataclass(frozen=True)
class Fixture:
    name: str
    example: str  # "<ResourceType>/<id>" of a valid example
    rule: str
    expression: str
    reason: str
    drop: tuple[str, ...] = ()
    set: tuple[tuple[str, Json], ...] = ()
    append: tuple[tuple[str, Json], ...] = ()
    kind: str = field(default="")
    defined_in: str = ""  # id of the StructureDefinition the rule lives in; default: the profile
    # Base FHIR rules that cannot help but fail together with ``rule`` (e.g. a profile that makes
    # required what a core invariant needs). Validators may report these and nothing else.
    also_breaks: tuple[str, ...] = ()
    # ``warning`` for an advice rule (an invariant with severity warning, since 0.2): the fixture
    # is valid, and validators report exactly that rule, as a warning.
    severity: str = "error"

    @property
    def rule_kind(self) -> str:
        return self.kind or ("invariant" if self.rule.startswith("rg-") else "cardinality")


def _required(name: str, example: str, element: str, expression: str, *drops: str,
              reason: str = "", set_: tuple[tuple[str, Json], ...] = (),
              defined_in: str = "", also_breaks: tuple[str, ...] = ()) -> Fixture:
    return Fixture(name=name, example=example, rule=element, expression=expression,
                   reason=reason or f"{element} is required by the profile and is missing",
                   drop=drops, set=set_, defined_in=defined_in, also_breaks=also_breaks)


PATIENT = "Patient/devries-sanne"
RELATED = "RelatedPerson/devries-oma-ria"
HOUSEHOLD = "Group/household-de-vries"
CARETEAM = "CareTeam/devries-careteam"
SUPPORT = "CarePlan/devries-support-plan"
SAFETY = "CarePlan/devries-safety-plan"
PLAN_SIGNATURE = "Provenance/devries-safety-plan-signed"
CONDITION_GOAL = "Goal/devries-goal-debts"
SAFETY_GOAL = "Goal/devries-goal-safety"
CONCERN = "Condition/devries-danger-1"
STRENGTH = "Observation/devries-strength-oma"
ACTION = "Task/devries-action-schuldhulp"
SCORE = "Observation/devries-score-1-sanne-nov05"
LOG = "Observation/devries-log-near-miss"
CONSENT = "Consent/devries-consent-lotte"
DISCLOSURE = "AuditEvent/devries-disclosure-gp"
HANDOVER = "Task/devries-handover"
HANDOVER_DOC = "Composition/devries-handover-document"
REPORT = "Communication/devries-report"
SIGNAL = "Observation/vdberg-signal-bruises"
ALERT = "Flag/devries-alert-mark"
SIGNAL_FOLLOWUP = "Observation/vdberg-signal-followup"
MELDCODE_STEP = "Task/vdberg-meldcode-step-3"
MELDCODE_STEP_2 = "Task/vdberg-meldcode-step-2"
MELDCODE_STEP_4 = "Task/vdberg-meldcode-step-4"
VT_DISCLOSURE = "AuditEvent/hv0417-disclosure-handover"
NOTIFICATION = "Task/hv0417-handover-notification"
DEADLINE = "Task/hv0417-deadline-first-contact"

_DANGER = {
    "url": SD_BASE + "regie-danger-statement",
    "extension": [
        {"url": "statement", "valueReference": {"reference": "Condition/devries-danger-2"}},
        {"url": "priority", "valuePositiveInt": 3},
        {"url": "status", "valueCode": "active"},
    ],
}

FIXTURES: tuple[Fixture, ...] = (
    # ------------------------------------------------------------ invariants
    Fixture("patient-bsn-eleven-check", PATIENT, "rg-bsn-1", "Patient.identifier[0]",
            "a BSN whose last digit breaks the eleven-check",
            set=(("identifier[0].value", "999990008"),)),
    Fixture("patient-no-birth-date", PATIENT, "rg-pat-1", "Patient",
            "a born client without birth date", drop=("birthDate",)),
    Fixture("careteam-two-procesregisseurs", CARETEAM, "rg-ctm-1", "CareTeam",
            "a second active procesregisseur",
            append=(("participant", {
                "role": [coding("regie-role", "procesregisseur")],
                "member": {"reference": "Practitioner/devries-pract-jansen"},
            }),)),
    Fixture("support-plan-responsibility-twice", SUPPORT, "rg-spl-1", "CarePlan",
            "the area 'execution' stated twice and 'resolving-stagnation' not at all",
            set=((f"{ext('regie-responsibility')}[3].extension[url=area].valueCoding",
                  {"system": CS_BASE + "regie-responsibility-area", "code": "execution"}),)),
    Fixture("safety-plan-five-danger-statements", SAFETY, "rg-sfp-1", "CarePlan",
            "five active danger statements on one safety plan",
            append=(("extension", _DANGER), ("extension", _DANGER), ("extension", _DANGER))),
    Fixture("goal-condition-without-term", SAFETY_GOAL, "rg-gol-1", "Goal",
            "a VT safety condition without a term",
            set=(("category", [coding("regie-goal-type", "safety-condition")]),
                 ("extension", [{"url": SD_BASE + "regie-consequence",
                                 "valueString": "Dan vraagt Veilig Thuis de Raad voor de "
                                                "Kinderbescherming om onderzoek."}])),
            drop=("target",)),
    Fixture("goal-condition-without-consequence", SAFETY_GOAL, "rg-gol-2", "Goal",
            "a VT safety condition without its consequence",
            set=(("category", [coding("regie-goal-type", "safety-condition")]),)),
    Fixture("goal-support-goal-without-life-domain", CONDITION_GOAL, "rg-gol-3", "Goal",
            "a support goal without life domain (advice: a warning)",
            drop=(ext("regie-life-domain"),), severity="warning"),
    Fixture("action-on-hold-without-reason", "Task/devries-action-verslavingszorg", "rg-act-1",
            "Task", "an action on hold without statusReason", drop=("statusReason",)),
    Fixture("action-without-due-date", ACTION, "rg-act-2", "Task",
            "an action without due date (advice: a warning)", drop=("restriction",),
            severity="warning"),
    Fixture("score-out-of-range", "Observation/devries-score-1-sanne-oct01", "rg-ssc-1",
            "Observation", "a safety scale score of 11",
            set=(("valueInteger", 11),
                 ("note", [{"text": "Iedereen zegt dat het beter gaat dan ooit."}]))),
    Fixture("score-six-without-behaviour", SCORE, "rg-ssc-2", "Observation",
            "a score of 6 without the observed behaviour", drop=("note",)),
    Fixture("signal-outcome-without-hypothesis", SIGNAL_FOLLOWUP, "rg-sig-1", "Observation",
            "a confirmation that does not point to its hypothesis", drop=("derivedFrom",)),
    Fixture("signal-without-sdv-label", SIGNAL, "rg-sdv-1", "Observation",
            "a meldcode signal without the sensitivity label SDV", drop=("meta.security",)),
    Fixture("meldcode-step-without-sdv-label", MELDCODE_STEP, "rg-sdv-1", "Task",
            "a meldcode step without the sensitivity label SDV", drop=("meta.security",)),
    Fixture("alert-without-sdv-label", ALERT, "rg-sdv-1", "Flag",
            "the alleged-perpetrator alert without the sensitivity label SDV",
            drop=("meta.security",)),
    Fixture("meldcode-step2-without-consultation", MELDCODE_STEP, "rg-mcs-1", "Task",
            "a completed step 2 without consultation",
            set=(("code", coding("regie-meldcode-step", "step-2")),),
            drop=(ext("regie-client-conversation"),)),
    Fixture("meldcode-step3-without-conversation", MELDCODE_STEP, "rg-mcs-2", "Task",
            "a completed step 3 without the conversation or a reason to skip it",
            drop=(ext("regie-client-conversation"),)),
    Fixture("meldcode-step4-without-answers", MELDCODE_STEP, "rg-mcs-3", "Task",
            "a completed step 4 without the decision questions answered",
            set=(("code", coding("regie-meldcode-step", "step-4")),)),
    Fixture("meldcode-step5-without-decision", MELDCODE_STEP, "rg-mcs-4", "Task",
            "a completed step 5 without a decision",
            set=(("code", coding("regie-meldcode-step", "step-5")),)),
    Fixture("conversation-held-without-reaction", MELDCODE_STEP, "rg-cnv-1",
            "Task.extension[0]", "a held conversation without the client's reaction",
            set=((f"{ext('regie-client-conversation')}.extension[url=held]",
                  {"url": "held", "valueBoolean": True}),),
            drop=(f"{ext('regie-client-conversation')}.extension[url=reaction]",),
            defined_in="regie-client-conversation"),
    Fixture("conversation-skipped-without-reason", MELDCODE_STEP, "rg-cnv-2",
            "Task.extension[0]", "a skipped conversation without a recorded reason",
            set=((f"{ext('regie-client-conversation')}.extension[url=held]",
                  {"url": "held", "valueBoolean": False}),),
            drop=(f"{ext('regie-client-conversation')}.extension[url=reaction]",),
            defined_in="regie-client-conversation"),
    Fixture("consultation-deviation-without-reason", MELDCODE_STEP_2, "rg-csl-1",
            "Task.extension[1]", "advice not followed without recording why",
            drop=(f"{ext('regie-consultation')}[1].extension[url=deviation-reason]",),
            defined_in="regie-consultation"),
    Fixture("consent-without-source", CONSENT, "rg-cns-1", "Consent",
            "a consent without source or verification", drop=("verification",)),
    Fixture("disclosure-consent-basis-without-consent", DISCLOSURE, "rg-dsb-1",
            "AuditEvent.extension[0]", "basis 'consent' without the Consent reference",
            drop=(f"{ext('regie-disclosure-basis')}.extension[url=consent]",),
            defined_in="regie-disclosure-basis"),
    Fixture("disclosure-legal-basis-without-justification", VT_DISCLOSURE, "rg-dsb-2",
            "AuditEvent.extension[0]", "a legal basis without justification",
            drop=(f"{ext('regie-disclosure-basis')}.extension[url=justification]",),
            defined_in="regie-disclosure-basis"),
    Fixture("disclosure-uninformed-without-reason", VT_DISCLOSURE, "rg-dsb-3",
            "AuditEvent.extension[0]", "household not informed and no reason why",
            set=((f"{ext('regie-disclosure-basis')}.extension[url=inform-household]",
                  {"url": "inform-household", "valueBoolean": False}),),
            defined_in="regie-disclosure-basis"),
    Fixture("safety-plan-danger-statement-not-addressed", SAFETY, "rg-sfp-2", "CarePlan",
            "a danger statement the plan works on that is not in addresses",
            set=(("addresses", [{"reference": "Condition/devries-risk-alcohol"},
                                {"reference": "Condition/devries-complicating-debts"},
                                {"reference": "Condition/devries-danger-1"}]),)),
    Fixture("plan-signature-without-version", PLAN_SIGNATURE, "rg-psg-1", "Provenance",
            "a signature naming the plan without its version",
            set=(("target[0].reference", "CarePlan/devries-safety-plan"),)),
    Fixture("plan-signature-signer-not-agent", PLAN_SIGNATURE, "rg-psg-2", "Provenance",
            "someone signed who is not an agent of the signing",
            set=(("signature[1].who", {"reference": "RelatedPerson/devries-oma-ria"}),)),
    Fixture("handover-accepted-without-moment", HANDOVER, "rg-hnd-1", "Task",
            "an accepted handover without the moment responsibility passed",
            drop=("executionPeriod",)),
    Fixture("handover-rejected-without-reason", HANDOVER, "rg-hnd-2", "Task",
            "a rejected handover without reason",
            set=(("status", "rejected"),), drop=("executionPeriod", "output")),
    Fixture("handover-restraining-order-without-moment", HANDOVER, "rg-hnd-5", "Task",
            "a restraining-order handover without the moment the order was imposed",
            set=((f"{ext('regie-handover-route')}.valueCodeableConcept",
                  coding("regie-handover-route", "restraining-order")),)),
    Fixture("report-in-progress", REPORT, "rg-rep-2", "Communication",
            "a report received by Veilig Thuis that is not completed",
            set=(("status", "in-progress"),)),
    Fixture("handover-document-without-version", HANDOVER, "rg-hnd-3", "Task",
            "the handover names its document without a version",
            set=(("focus.reference", "Composition/devries-handover-document"),)),
    Fixture("handover-accepted-without-version", HANDOVER, "rg-hnd-4", "Task",
            "an accepted handover that does not record which version was accepted",
            drop=("output",)),
    Fixture("handover-document-judgement-without-onderzoek",
            "Composition/hv0417-handover-document", "rg-hdc-1", "Composition",
            "VT's judgement handed over on the Voorwaarden en Vervolg route",
            set=((f"{ext('regie-handover-route')}.valueCodeableConcept",
                  coding("regie-handover-route", "after-voorwaarden-en-vervolg")),)),
    Fixture("handover-document-anonymous-reporter-contact", HANDOVER_DOC, "rg-hdc-2",
            "Composition", "reporter contact data for an anonymous reporter",
            set=((f"{ext('regie-reporter-anonymous')}.valueBoolean", True),)),
    Fixture("handover-document-direct-without-assessment", HANDOVER_DOC, "rg-hdc-3",
            "Composition", "a direct handover without the assessment outcome",
            drop=("section[code=safety-assessment]",)),
    Fixture("notification-focus-by-reference", NOTIFICATION, "rg-hnn-1", "Task",
            "the workflow Task named by a relative reference, without its address and version",
            set=(("focus", {"reference": "Task/hv0417-handover"}),)),
    Fixture("notification-failed-without-reason", NOTIFICATION, "rg-hnn-2", "Task",
            "a notification that could not be taken in, without saying why",
            set=(("status", "failed"),)),
    Fixture("deadline-without-due-date", DEADLINE, "rg-ddl-1", "Task",
            "a deadline without its due date", drop=("restriction.period.end",)),
    Fixture("deadline-met-without-moment", DEADLINE, "rg-ddl-2", "Task",
            "a met deadline that does not say when it was met", drop=("executionPeriod",)),
    Fixture("handover-document-service-without-conditions",
            "Composition/hv0417-handover-document", "rg-hdc-4", "Composition",
            "a handover after Onderzoek without the safety conditions",
            drop=("section[code=safety-conditions]",)),
    # ------------------------------------------------------------ required elements
    _required("patient-bsn-without-value", PATIENT, "Patient.identifier:bsn.value",
              "Patient.identifier[0]", "identifier[0].value"),
    _required("patient-without-name", PATIENT, "Patient.name", "Patient", "name"),
    _required("report-without-received", REPORT, "Communication.received", "Communication",
              "received", reason="a report without the moment Veilig Thuis received it"),
    _required("report-without-kind", REPORT, "Communication.category", "Communication",
              "category", reason="a report without its kind (report, re-report, radar)"),
    _required("report-without-channel", REPORT, "Communication.medium", "Communication",
              "medium", reason="a report without the channel it came in by"),
    _required("report-without-content", REPORT, "Communication.payload", "Communication",
              "payload", reason="a report without what was reported"),
    _required("report-without-recipient", REPORT, "Communication.recipient", "Communication",
              "recipient", reason="a report without the Veilig Thuis that received it"),
    _required("report-without-subject", REPORT, "Communication.subject", "Communication",
              "subject", reason="a report without the household or person it is about"),
    _required("report-without-anonymity", REPORT, "Communication.extension:reporterAnonymous",
              "Communication", ext("regie-reporter-anonymous"),
              reason="a report that does not say whether the reporter stays anonymous"),
    _required("authority-without-holder", "Patient/devries-lotte", "Extension.extension:holder",
              "Patient.extension[0]",
              f"{ext('regie-parental-authority')}[0].extension[url=holder]",
              reason="parental authority without who holds it",
              defined_in="regie-parental-authority"),
    _required("authority-without-kind", "Patient/devries-lotte", "Extension.extension:kind",
              "Patient.extension[0]",
              f"{ext('regie-parental-authority')}[0].extension[url=kind]",
              reason="parental authority without its kind",
              defined_in="regie-parental-authority"),
    _required("related-person-without-relationship", RELATED, "RelatedPerson.relationship",
              "RelatedPerson", "relationship"),
    _required("related-person-without-name", RELATED, "RelatedPerson.name", "RelatedPerson",
              "name"),
    _required("household-without-code", HOUSEHOLD, "Group.code", "Group", "code"),
    _required("alert-without-category", ALERT, "Flag.category", "Flag", "category"),
    _required("household-member-without-role", HOUSEHOLD, "Group.member.extension:role",
              "Group.member[2]", f"member[2].{ext('regie-household-role')}"),
    _required("careteam-without-participant", CARETEAM, "CareTeam.participant", "CareTeam",
              "participant"),
    _required("careteam-participant-without-role", CARETEAM, "CareTeam.participant.role",
              "CareTeam.participant[3]", "participant[3].role"),
    _required("careteam-participant-without-member", CARETEAM, "CareTeam.participant.member",
              "CareTeam.participant[3]", "participant[3].member"),
    _required("support-plan-without-category", SUPPORT, "CarePlan.category", "CarePlan",
              "category"),
    _required("support-plan-activity-without-reference", SUPPORT,
              "CarePlan.activity.reference", "CarePlan.activity[0]", "activity[0].reference",
              set_=(("activity[0].progress", [{"text": "Aanmelding loopt."}]),)),
    _required("safety-plan-without-kind", SAFETY, "CarePlan.extension:kind", "CarePlan",
              ext("regie-safety-plan-kind")),
    _required("safety-plan-without-phase", SAFETY, "CarePlan.extension:routekaartPhase",
              "CarePlan", ext("regie-routekaart-phase")),
    _required("safety-plan-without-category", SAFETY, "CarePlan.category", "CarePlan",
              "category"),
    _required("safety-plan-without-title", SAFETY, "CarePlan.title", "CarePlan", "title"),
    _required("safety-plan-activity-without-reference", SAFETY, "CarePlan.activity.reference",
              "CarePlan.activity[0]", "activity[0].reference",
              set_=(("activity[0].progress", [{"text": "Nog af te spreken."}]),)),
    _required("danger-statement-without-statement", SAFETY,
              "Extension.extension:statement", "CarePlan.extension[2]",
              f"{ext('regie-danger-statement')}[0].extension[url=statement]",
              defined_in="regie-danger-statement"),
    _required("danger-statement-without-priority", SAFETY,
              "Extension.extension:priority", "CarePlan.extension[2]",
              f"{ext('regie-danger-statement')}[0].extension[url=priority]",
              defined_in="regie-danger-statement"),
    _required("danger-statement-without-status", SAFETY,
              "Extension.extension:status", "CarePlan.extension[2]",
              f"{ext('regie-danger-statement')}[0].extension[url=status]",
              defined_in="regie-danger-statement"),
    _required("plan-signature-without-signature", PLAN_SIGNATURE, "Provenance.signature",
              "Provenance", "signature"),
    _required("responsibility-without-statement", SUPPORT, "Extension.extension:statement",
              "CarePlan.extension[1]",
              f"{ext('regie-responsibility')}[0].extension[url=statement]",
              defined_in="regie-responsibility"),
    _required("responsibility-without-area", SUPPORT, "Extension.extension:area",
              "CarePlan.extension[1]",
              f"{ext('regie-responsibility')}[0].extension[url=area]",
              defined_in="regie-responsibility"),
    _required("goal-without-category", SAFETY_GOAL, "Goal.category", "Goal", "category"),
    _required("goal-description-without-text", SAFETY_GOAL, "Goal.description.text",
              "Goal.description", "description.text",
              set_=(("description.coding", [{"display": "Veilig thuis"}]),)),
    _required("concern-without-category", CONCERN, "Condition.category", "Condition",
              "category"),
    _required("concern-without-code", CONCERN, "Condition.code", "Condition", "code"),
    _required("concern-code-without-text", CONCERN, "Condition.code.text", "Condition.code",
              "code.text", set_=(("code.coding", [{"display": "Geweld tussen ouders"}]),)),
    _required("strength-without-value", STRENGTH, "Observation.value[x]", "Observation",
              "valueString"),
    _required("strength-without-subject", STRENGTH, "Observation.subject", "Observation",
              "subject"),
    _required("action-without-plan", ACTION, "Task.basedOn", "Task", "basedOn"),
    _required("action-without-kind", ACTION, "Task.code", "Task", "code"),
    _required("action-without-description", ACTION, "Task.description", "Task",
              "description"),
    _required("action-without-for", ACTION, "Task.for", "Task", "for"),
    _required("action-without-owner", ACTION, "Task.owner", "Task", "owner"),
    _required("score-without-subject", SCORE, "Observation.subject", "Observation", "subject"),
    _required("score-without-focus", SCORE, "Observation.focus", "Observation", "focus"),
    _required("score-without-effective", SCORE, "Observation.effective[x]", "Observation",
              "effectiveDateTime"),
    _required("score-without-performer", SCORE, "Observation.performer", "Observation",
              "performer"),
    _required("score-without-value", "Observation/devries-score-1-sanne-oct01",
              "Observation.value[x]", "Observation", "valueInteger"),
    _required("log-without-subject", LOG, "Observation.subject", "Observation", "subject"),
    _required("log-without-effective", LOG, "Observation.effective[x]", "Observation",
              "effectiveDateTime"),
    _required("log-without-kind", LOG, "Observation.value[x]", "Observation",
              "valueCodeableConcept"),
    _required("log-without-note", LOG, "Observation.note", "Observation", "note"),
    _required("signal-without-certainty", SIGNAL, "Observation.extension:certainty",
              "Observation", ext("regie-signal-certainty")),
    _required("signal-without-subject", SIGNAL, "Observation.subject", "Observation",
              "subject"),
    _required("signal-without-effective", SIGNAL, "Observation.effective[x]", "Observation",
              "effectiveDateTime"),
    _required("signal-without-performer", SIGNAL, "Observation.performer", "Observation",
              "performer"),
    _required("signal-without-value", SIGNAL, "Observation.value[x]", "Observation",
              "valueString"),
    _required("meldcode-step-without-code", MELDCODE_STEP, "Task.code", "Task", "code"),
    _required("meldcode-step-without-for", MELDCODE_STEP, "Task.for", "Task", "for"),
    _required("meldcode-step-without-owner", MELDCODE_STEP, "Task.owner", "Task", "owner"),
    _required("conversation-without-held", MELDCODE_STEP, "Extension.extension:held",
              "Task.extension[0]",
              f"{ext('regie-client-conversation')}.extension[url=held]",
              defined_in="regie-client-conversation"),
    _required("consultation-without-advice", MELDCODE_STEP_2, "Extension.extension:advice",
              "Task.extension[0]",
              f"{ext('regie-consultation')}[0].extension[url=advice]",
              defined_in="regie-consultation"),
    _required("consultation-without-consultee", MELDCODE_STEP_2,
              "Extension.extension:consultee", "Task.extension[0]",
              f"{ext('regie-consultation')}[0].extension[url=consultee]",
              defined_in="regie-consultation"),
    _required("vt-contact-without-type", MELDCODE_STEP_2, "Extension.extension:contact-type",
              "Task.extension[2]",
              f"{ext('regie-vt-contact')}[0].extension[url=contact-type]",
              defined_in="regie-vt-contact"),
    _required("vt-contact-without-stated-step", MELDCODE_STEP_2,
              "Extension.extension:stated-step", "Task.extension[2]",
              f"{ext('regie-vt-contact')}[0].extension[url=stated-step]",
              reason="a contact with Veilig Thuis states the meldcode step it is made in",
              defined_in="regie-vt-contact"),
    _required("decision-answer-without-answer", MELDCODE_STEP_4, "Extension.extension:answer",
              "Task.extension[0]",
              f"{ext('regie-decision-answer')}[0].extension[url=answer]",
              defined_in="regie-decision-answer"),
    _required("decision-answer-without-question", MELDCODE_STEP_4,
              "Extension.extension:question", "Task.extension[0]",
              f"{ext('regie-decision-answer')}[0].extension[url=question]",
              defined_in="regie-decision-answer"),
    _required("consent-without-patient", CONSENT, "Consent.patient", "Consent", "patient"),
    _required("consent-without-datetime", CONSENT, "Consent.dateTime", "Consent", "dateTime"),
    _required("consent-without-performer", CONSENT, "Consent.performer", "Consent",
              "performer"),
    _required("consent-without-policy-rule", CONSENT, "Consent.policyRule", "Consent",
              "policyRule", reason="Consent.policyRule is required by the profile (and the "
              "base rule ppc-1 then finds neither policy nor policyRule)",
              also_breaks=("ppc-1",)),
    _required("consent-without-provision", CONSENT, "Consent.provision", "Consent",
              "provision"),
    _required("consent-provision-without-type", CONSENT, "Consent.provision.type",
              "Consent.provision", "provision.type"),
    _required("consent-provision-without-period", CONSENT, "Consent.provision.period",
              "Consent.provision", "provision.period"),
    _required("consent-provision-without-actor", CONSENT, "Consent.provision.actor",
              "Consent.provision", "provision.actor"),
    _required("consent-provision-without-purpose", CONSENT, "Consent.provision.purpose",
              "Consent.provision", "provision.purpose"),
    _required("consent-provision-without-class", CONSENT, "Consent.provision.class",
              "Consent.provision", "provision.class"),
    _required("consent-nested-provision-without-type", CONSENT,
              "Consent.provision.provision.type", "Consent.provision.provision[0]",
              "provision.provision[0].type"),
    _required("disclosure-without-basis", DISCLOSURE, "AuditEvent.extension:basis",
              "AuditEvent", ext("regie-disclosure-basis")),
    _required("disclosure-basis-without-legal-basis", DISCLOSURE,
              "Extension.extension:legal-basis", "AuditEvent.extension[0]",
              f"{ext('regie-disclosure-basis')}.extension[url=legal-basis]",
              reason="the basis of a disclosure names its legal basis (consent or another)",
              defined_in="regie-disclosure-basis"),
    _required("disclosure-without-purpose", DISCLOSURE, "AuditEvent.purposeOfEvent",
              "AuditEvent", "purposeOfEvent"),
    _required("disclosure-without-lifecycle", DISCLOSURE, "AuditEvent.subtype:lifecycle",
              "AuditEvent", reason="AuditEvent.subtype:lifecycle (ISO 21089 disclose or access) "
              "is required by the profile and is missing: the only subtype is a REST read",
              set_=(("subtype", [{"system": "http://hl7.org/fhir/restful-interaction",
                                  "code": "read"}]),)),
    _required("disclosure-lifecycle-without-code", DISCLOSURE,
              "AuditEvent.subtype:lifecycle.code", "AuditEvent.subtype[0]", "subtype[0].code"),
    _required("disclosure-without-discloser", DISCLOSURE, "AuditEvent.agent:discloser",
              "AuditEvent", "agent[type=CST]"),
    _required("disclosure-without-recipient", DISCLOSURE, "AuditEvent.agent:recipient",
              "AuditEvent", "agent[type=IRCP]"),
    _required("disclosure-discloser-without-who", DISCLOSURE,
              "AuditEvent.agent:discloser.who", "AuditEvent.agent[0]", "agent[type=CST].who"),
    _required("disclosure-recipient-without-who", DISCLOSURE,
              "AuditEvent.agent:recipient.who", "AuditEvent.agent[1]", "agent[type=IRCP].who",
              set_=(("agent[type=IRCP].name", "Onbekende ontvanger"),)),
    _required("disclosure-without-entity", DISCLOSURE, "AuditEvent.entity", "AuditEvent",
              "entity"),
    _required("disclosure-entity-without-what", DISCLOSURE, "AuditEvent.entity.what",
              "AuditEvent.entity[0]", "entity[0].what",
              set_=(("entity[0].name", "Veiligheidsplan"),)),
    _required("redaction-without-path", VT_DISCLOSURE, "Extension.extension:path",
              "AuditEvent.entity[0].extension[0]",
              "entity.extension[url=regie-redaction].extension[url=path]",
              defined_in="regie-redaction"),
    _required("redaction-without-reason", VT_DISCLOSURE, "Extension.extension:reason",
              "AuditEvent.entity[0].extension[0]",
              "entity.extension[url=regie-redaction].extension[url=reason]",
              defined_in="regie-redaction"),
    _required("handover-without-route", HANDOVER, "Task.extension:route", "Task",
              ext("regie-handover-route")),
    _required("handover-without-case-weight", HANDOVER, "Task.extension:caseWeight", "Task",
              ext("regie-case-weight")),
    _required("handover-without-priority", HANDOVER, "Task.priority", "Task", "priority"),
    _required("handover-without-report-date", HANDOVER, "Task.extension:reportDate", "Task",
              ext("regie-report-date")),
    _required("handover-without-code", HANDOVER, "Task.code", "Task", "code"),
    _required("handover-without-focus", HANDOVER, "Task.focus", "Task", "focus"),
    _required("handover-without-for", HANDOVER, "Task.for", "Task", "for"),
    _required("handover-without-authored-on", HANDOVER, "Task.authoredOn", "Task",
              "authoredOn"),
    _required("handover-without-requester", HANDOVER, "Task.requester", "Task", "requester"),
    _required("handover-without-owner", HANDOVER, "Task.owner", "Task", "owner"),
    _required("handover-document-without-route", HANDOVER_DOC, "Composition.extension:route",
              "Composition", ext("regie-handover-route")),
    _required("handover-document-without-anonymity", HANDOVER_DOC,
              "Composition.extension:reporterAnonymous", "Composition",
              ext("regie-reporter-anonymous")),
    _required("handover-document-without-subject", HANDOVER_DOC, "Composition.subject",
              "Composition", "subject"),
    _required("handover-document-without-report-content", HANDOVER_DOC,
              "Composition.section:reportContent", "Composition",
              "section[code=report-content]"),
    _required("handover-document-section-without-text", HANDOVER_DOC,
              "Composition.section.text", "Composition.section[3]",
              "section[code=plan-agreements].text",
              # an entry keeps the section meaningful, so only the profile's rule is broken
              set_=(("section[code=plan-agreements].entry",
                     [{"reference": "Task/devries-action-schuldhulp"}]),)),
    _required("handover-document-section-without-code", HANDOVER_DOC,
              "Composition.section.code", "Composition.section[3]",
              "section[code=plan-agreements].code"),
    _required("notification-without-identifier", NOTIFICATION, "Task.identifier", "Task",
              "identifier"),
    _required("notification-without-code", NOTIFICATION, "Task.code", "Task", "code"),
    _required("notification-without-focus", NOTIFICATION, "Task.focus", "Task", "focus"),
    _required("notification-without-authored-on", NOTIFICATION, "Task.authoredOn", "Task",
              "authoredOn"),
    _required("notification-without-requester", NOTIFICATION, "Task.requester", "Task",
              "requester"),
    _required("notification-without-owner", NOTIFICATION, "Task.owner", "Task", "owner"),
    _required("deadline-without-handover", DEADLINE, "Task.basedOn", "Task", "basedOn"),
    _required("deadline-without-code", DEADLINE, "Task.code", "Task", "code"),
    _required("deadline-without-description", DEADLINE, "Task.description", "Task",
              "description"),
    _required("deadline-without-for", DEADLINE, "Task.for", "Task", "for"),
    _required("deadline-without-authored-on", DEADLINE, "Task.authoredOn", "Task",
              "authoredOn"),
    _required("deadline-without-owner", DEADLINE, "Task.owner", "Task", "owner"),
    _required("handover-document-judgement-without-code", "Composition/hv0417-handover-document",
              "Composition.section:vtJudgement.extension:judgement", "Composition.section[3]",
              "section[code=vt-judgement].extension"),
)


# ---------------------------------------------------------------------------- generation
def load_examples(folder: Path = EXAMPLES) -> dict[str, Json]:
    """All compiled example instances keyed by ``ResourceType/id``."""
    examples: dict[str, Json] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue
        resource = json.loads(path.read_text(encoding="utf-8"))
        examples[f"{resource['resourceType']}/{resource['id']}"] = resource
    return examples


def build(fixture: Fixture, examples: dict[str, Json]) -> tuple[Json, Json]:
    """Return (invalid resource, expected outcome) for one table entry."""
    if fixture.example not in examples:
        raise FixtureError(f"{fixture.name}: example {fixture.example} not found")
    resource = copy.deepcopy(examples[fixture.example])
    resource["id"] = f"invalid-{fixture.name}"
    resource.pop("text", None)
    for path, value in fixture.set:
        _set(resource, path, value)
    for path, value in fixture.append:
        _append(resource, path, value)
    for path in fixture.drop:
        _drop(resource, path)
    profile = resource.get("meta", {}).get("profile", [None])[0]
    expected = {
        "rule": fixture.rule,
        "kind": fixture.rule_kind,
        "profile": profile,
        "definedIn": SD_BASE + fixture.defined_in if fixture.defined_in else profile,
        "expression": fixture.expression,
        "reason": fixture.reason,
        "basedOn": fixture.example,
    }
    if fixture.also_breaks:
        expected["alsoBreaks"] = list(fixture.also_breaks)
    if fixture.severity != "error":
        expected["severity"] = fixture.severity
    return resource, expected


def _dump(data: Json) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_all(examples: dict[str, Json]) -> dict[str, str]:
    """File name -> content for every fixture and its expected outcome."""
    files: dict[str, str] = {}
    names = [f.name for f in FIXTURES]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise FixtureError(f"duplicate fixture names: {sorted(duplicates)}")
    for fixture in FIXTURES:
        resource, expected = build(fixture, examples)
        files[f"{fixture.name}.json"] = _dump(resource)
        files[f"{fixture.name}.expected.json"] = _dump(expected)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed fixtures instead of writing them")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        files = render_all(load_examples())
    except (FixtureError, OSError, json.JSONDecodeError) as error:
        print(f"invalid fixtures: {error}", file=sys.stderr)
        return 1
    existing = {p.name for p in args.out.glob("*.json")} if args.out.exists() else set()
    if args.check:
        stale = sorted(
            name for name, text in files.items()
            if not (args.out / name).exists()
            or (args.out / name).read_text(encoding="utf-8") != text
        ) + sorted(existing - set(files))
        if stale:
            print("invalid fixtures are out of date (run `python tools/invalid_fixtures.py`): "
                  + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"{len(FIXTURES)} invalid fixtures up to date")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for stale_name in existing - set(files):
        (args.out / stale_name).unlink()
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(FIXTURES)} invalid fixtures to {args.out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
