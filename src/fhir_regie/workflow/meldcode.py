"""Meldcode decision support: per client, the trail of steps, what is missing, and the decision.

From the ``regie-meldcode-step`` Tasks of a client (DOMAIN.md §3): the next step and what must
still be documented, the outcome of decision questions 1-5 (report / organise help / continue
help / close), and the fixed rules:

- refusal of all help -> always report (step 6);
- the client moves without consent for a warm handover -> report (step 6);
- skipping the client conversation (step 3) needs a recorded reason;
- a consultation's advice that was not followed needs the reason (step 2);
- honour-related violence: expert consultation before any conversation, and the parents of a
  minor victim are not spoken to before the decision (step 5).

Example::

    >>> from fhir_regie.workflow.sources import load_household_from_example
    >>> [advice] = meldcode_advice(load_household_from_example("household-van-den-berg"))
    >>> advice.outcome, advice.next_step
    ('organise-help', 'step-6')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from fhir_regie.ig.sharing import purposes_in
from fhir_regie.messages import MESSAGES, said
from fhir_regie.workflow._fhir import (
    Resource,
    code,
    codes,
    extension,
    extensions,
    key,
    part,
    reference,
    to_date,
    value,
)
from fhir_regie.workflow.household import Household

Answer = Literal["yes", "no", "unknown"]
Outcome = Literal["report", "organise-help", "continue-help", "close", "undecided"]
STEPS = ("step-1", "step-2", "step-3", "step-4", "step-5", "step-6")
# The recorded decision codes (regie-meldcode-decision) and the outcomes here.
DECISION_CODES = {"report-to-vt": "report", "organise-help": "organise-help",
                  "continue-help": "continue-help", "close": "close"}


@dataclass(frozen=True)
class Facts:
    """What the decision framework needs besides the answers (DOMAIN.md §3 step 6)."""

    refused_all_help: bool = False
    moved_without_consent: bool = False


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reasons: tuple[str, ...]


def _question(question: str) -> str:
    """A decision question's code, told in words where the catalogue has it."""
    message_id = f"meldcode.question.{question}"
    return said(message_id) if message_id in MESSAGES else question


def decide(answers: dict[str, Answer], facts: Facts = Facts()) -> Decision:
    """The decision framework (afwegingskader) as a table over questions q1-q5.

    >>> decide({"q1-suspicion": "yes", "q2-acute-structural-unsafety": "yes"}).outcome
    'report'
    """
    if facts.refused_all_help:
        return Decision("report", (said("meldcode.refused_help"),))
    if facts.moved_without_consent:
        return Decision("report", (said("meldcode.moved"),))
    rows: list[tuple[str, dict[Answer, tuple[Outcome, str] | None]]] = [
        ("q1-suspicion", {"no": ("close", said("meldcode.q1.no")), "yes": None}),
        ("q2-acute-structural-unsafety",
         {"yes": ("report", said("meldcode.q2.yes")), "no": None}),
        ("q3-can-help", {"no": ("report", said("meldcode.q3.no")), "yes": None}),
        ("q4-cooperation", {"no": ("report", said("meldcode.q4.no")), "yes": None}),
        ("q5-lasting-safety", {"no": ("report", said("meldcode.q5.no")),
                               "yes": ("continue-help", said("meldcode.q5.yes"))}),
    ]
    reasons: list[str] = []
    for question, table in rows:
        answer = answers.get(question, "unknown")
        if answer == "unknown":
            if question == "q5-lasting-safety":
                return Decision("organise-help", (*reasons, said("meldcode.q5.open")))
            return Decision("undecided", (*reasons, said("meldcode.unanswered",
                                                         question=_question(question))))
        result = table.get(answer)
        if result is not None:
            return Decision(result[0], (*reasons, result[1]))
        reasons.append(said("meldcode.answer", question=_question(question),
                            answer=said(f"meldcode.answer.{answer}")))
    raise AssertionError("unreachable: q5 always decides")  # pragma: no cover


@dataclass(frozen=True)
class StepRecord:
    step: str
    task: str
    status: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class MeldcodeAdvice:
    """The meldcode trail of one client and what follows from it."""

    client: str
    steps: tuple[StepRecord, ...]
    next_step: str | None
    to_document: tuple[str, ...]
    outcome: Outcome
    reasons: tuple[str, ...]
    recorded_decision: str | None
    findings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"client": self.client,
                "steps": [{"step": s.step, "task": s.task, "status": s.status,
                           "missing": list(s.missing)} for s in self.steps],
                "next_step": self.next_step, "to_document": list(self.to_document),
                "outcome": self.outcome, "reasons": list(self.reasons),
                "recorded_decision": self.recorded_decision, "findings": list(self.findings)}


def _missing(household: Household, task: Resource, client: str) -> list[str]:
    """What a step must document and does not (meldcode.md table; DOMAIN.md §3)."""
    step = code(task.get("code"), "regie-meldcode-step")
    missing = []
    if step in ("step-0", "step-1") and not task.get("note"):
        missing.append(said("meldcode.doc.note"))
    if step == "step-1":
        signals = [s for s in household.of_profile("regie-signal")
                   if reference(s.get("subject")) == client]
        if not signals:
            missing.append(said("meldcode.doc.signals"))
        followed = {reference(d) for s in signals for d in s.get("derivedFrom", [])
                    if extension(s, "regie-hypothesis-outcome")}
        for signal in signals:
            certainty = code(value(extension(signal, "regie-signal-certainty")))
            if certainty == "hypothesis" and key(signal) not in followed:
                missing.append(said("meldcode.doc.hypothesis", ref=key(signal)))
    if step == "step-2":
        consultations = extensions(task, "regie-consultation")
        if not consultations:
            missing.append(said("meldcode.doc.consulted"))
        for index, item in enumerate(consultations, start=1):
            if not value(part(item, "advice")):
                missing.append(said("meldcode.doc.advice", index=index))
            followed = value(part(item, "followed"))
            if followed is None:
                missing.append(said("meldcode.doc.followed", index=index))
            elif followed is False and not value(part(item, "deviation-reason")):
                missing.append(said("meldcode.doc.not_followed", index=index))
    if step == "step-3":
        conversation = extension(task, "regie-client-conversation")
        held = value(part(conversation, "held"))
        if conversation is None:
            missing.append(said("meldcode.doc.conversation"))
        elif held is True and not value(part(conversation, "reaction")):
            missing.append(said("meldcode.doc.reaction"))
        elif held is False and not value(part(conversation, "skip-reason")):
            missing.append(said("meldcode.doc.skip_reason"))
    if step == "step-4" and not extensions(task, "regie-consultation") and not task.get("note"):
        # §3 step 4: weighed with an expert, a risk instrument and/or VT or GI.
        missing.append(said("meldcode.doc.weighing"))
    if step in ("step-4", "step-5"):
        needed = ("q1-suspicion", "q2-acute-structural-unsafety") if step == "step-4" \
            else ("q3-can-help", "q4-cooperation")
        given = {code(value(part(a, "question")), "regie-decision-question")
                 for a in extensions(task, "regie-decision-answer")}
        missing += [said("meldcode.doc.answer", question=_question(q))
                    for q in needed if q not in given]
    if step == "step-5" and not extension(task, "regie-meldcode-decision"):
        missing.append(said("meldcode.doc.decision"))
    return missing


def _answers(tasks: list[Resource]) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for task in sorted(tasks, key=lambda t: str(t.get("authoredOn", ""))):
        for item in extensions(task, "regie-decision-answer"):
            question = code(value(part(item, "question")), "regie-decision-question")
            answer = code(value(part(item, "answer")), "regie-decision-answer")
            if question and answer in ("yes", "no", "unknown"):
                answers[question] = answer  # type: ignore[assignment]
    return answers


def _facts(household: Household, client: str) -> Facts:
    """Refusal of all help, or a move without consent, as far as the resources show."""
    actions = [t for t in household.of_profile("regie-agreed-action")
               if reference(t.get("for")) in (client, household.reference)
               and code(t.get("code"), "regie-agreed-action-kind") == "action"]
    refused = bool(actions) and all(t.get("status") == "rejected" for t in actions)
    moved = any(m.reference == client and m.inactive for m in household.members())
    consented = any(reference(c.get("patient")) == client and c.get("status") == "active"
                    and "handover" in purposes_in(c.get("provision", {}).get("purpose"))
                    for c in household.of_type("Consent"))
    return Facts(refused_all_help=refused, moved_without_consent=moved and not consented)


#: RelatedPerson.relationship codes (v3 RoleCode) that make someone a parent of the client.
PARENT_ROLE_CODES = frozenset({"PRN", "MTH", "FTH", "NPRN", "NMTH", "NFTH", "STPPRN", "STPMTH",
                               "STPFTH", "ADOPTP", "ADOPTM", "ADOPTF", "FTHFOST", "MTHFOST",
                               "PRNFOST", "GESTM"})


def is_honour_related(household: Household, client: str, tasks: list[Resource]) -> bool:
    """Honour-related violence is named on a step of the trail or on a signal of the client."""
    signals = [s for s in household.of_profile("regie-signal")
               if reference(s.get("subject")) == client]
    return "honour-related-violence" in {
        code(value(e), "regie-violence-type") for item in [*tasks, *signals]
        for e in extensions(item, "regie-violence-type")}


def _parents(household: Household, client: str) -> set[str]:
    """The client's parents as far as the resources show: household members with the role
    parent (other than the client) and RelatedPersons of the client related as a parent."""
    found = {m.reference for m in household.members()
             if m.role == "parent" and m.reference != client}
    found |= {key(person) for person in household.of_type("RelatedPerson")
              if reference(person.get("patient")) == client
              and PARENT_ROLE_CODES.intersection(codes(person.get("relationship")))}
    return found


def _decided_on(tasks: list[Resource]) -> date | None:
    """The day the decision (step 5) was completed, if it was."""
    days = []
    for task in tasks:
        if code(task.get("code"), "regie-meldcode-step") == "step-5" and \
                task.get("status") == "completed":
            ended = (task.get("executionPeriod") or {}).get("end")
            day = to_date(ended) or to_date(task.get("authoredOn"))
            if day is not None:
                days.append(day)
    return min(days) if days else None


def _minor_parent_findings(household: Household, client: str,
                           tasks: list[Resource]) -> list[str]:
    """Honour-related: the parents of a minor victim are not spoken to before step 5."""
    member = next((m for m in household.members() if m.reference == client), None)
    parents = _parents(household, client)
    decided = _decided_on(tasks)
    findings = []
    for task in tasks:
        conversation = extension(task, "regie-client-conversation")
        if conversation is None or value(part(conversation, "held")) is not True:
            continue
        talked = to_date(value(part(conversation, "date"))) or to_date(task.get("authoredOn"))
        age = member.age_on(talked) if member and talked else None
        if age is None or age >= 18:
            continue
        spoken_with = {reference(value(item)) for item in conversation.get("extension", [])
                       if isinstance(item, dict) and item.get("url") == "with"}
        if not spoken_with:
            findings.append(said("meldcode.honour.minor_who", ref=key(task)))
        elif spoken_with & parents and (decided is None or talked < decided):
            findings.append(said("meldcode.honour.parent", ref=key(task)))
    return findings


def _honour_findings(household: Household, client: str, tasks: list[Resource]) -> list[str]:
    """Honour-related violence: an expert (specialist) consultation before any conversation,
    and no conversation with the parents of a minor victim before step 5."""
    if not is_honour_related(household, client, tasks):
        return []
    consulted = sorted(
        day for task in tasks for item in extensions(task, "regie-consultation")
        if code(value(part(item, "consultee")), "regie-consultee-type") == "specialist"
        and (day := to_date(value(part(item, "date"))) or to_date(task.get("authoredOn"))))
    findings = []
    for task in tasks:
        conversation = extension(task, "regie-client-conversation")
        if conversation is None or value(part(conversation, "held")) is not True:
            continue
        talked = to_date(value(part(conversation, "date"))) or to_date(task.get("authoredOn"))
        if not consulted or (talked is not None and talked < consulted[0]):
            findings.append(said("meldcode.honour.no_prior", ref=key(task)))
    if not consulted:
        findings.append(said("meldcode.honour.consult"))
    return findings + _minor_parent_findings(household, client, tasks)


def meldcode_advice(household: Household, at: date | None = None) -> list[MeldcodeAdvice]:
    """Per client with a meldcode trail: steps, next step, missing documentation, decision.

    Args:
        household: the household's resources.
        at: ignore steps authored after this day (None: use all).
    """
    by_client: dict[str, list[Resource]] = defaultdict(list)
    for task in household.of_profile("regie-meldcode-step"):
        client = reference(task.get("for"))
        authored = to_date(task.get("authoredOn"))
        if client and (at is None or authored is None or authored <= at) and \
                task.get("status") not in ("cancelled", "entered-in-error"):
            by_client[client].append(task)
    found = []
    for client, tasks in sorted(by_client.items()):
        tasks.sort(key=lambda t: (STEPS.index(s) if (s := code(t.get("code"))) in STEPS else -1,
                                  str(t.get("authoredOn", ""))))
        records = [StepRecord(code(t.get("code"), "regie-meldcode-step") or "?", key(t),
                              str(t.get("status", "?")), tuple(_missing(household, t, client)))
                   for t in tasks]
        done = {r.step for r in records if r.status == "completed"}
        findings: list[str] = []
        # The conversation may be skipped only with a recorded reason (step 3).
        if done & {"step-4", "step-5"} and "step-3" not in done:
            findings.append(said("meldcode.step3_missing"))
        findings += _honour_findings(household, client, tasks)
        for task in tasks:
            for contact in extensions(task, "regie-vt-contact"):
                kind = code(value(part(contact, "contact-type")), "regie-vt-contact-type")
                stated = code(value(part(contact, "stated-step")), "regie-meldcode-step")
                if kind == "report" and stated in ("step-1", "step-2"):
                    findings.append(said("meldcode.report_early", ref=key(task),
                                         step=said(f"workflow.step.{stated}")))
                if kind == "advice" and stated in ("step-5", "step-6"):
                    findings.append(said("meldcode.advice_late", ref=key(task),
                                         step=said(f"workflow.step.{stated}")))
        decision = decide(_answers(tasks), _facts(household, client))
        recorded = next((DECISION_CODES.get(code(value(extension(t, "regie-meldcode-decision")),
                                                 "regie-meldcode-decision") or "")
                         for t in reversed(tasks) if extension(t, "regie-meldcode-decision")),
                        None)
        if recorded and decision.outcome not in ("undecided", recorded) and not (
                recorded == "organise-help" and decision.outcome == "continue-help"):
            findings.append(said("meldcode.decision_differs",
                                 recorded=said(f"workflow.outcome.{recorded}"),
                                 outcome=said(f"workflow.outcome.{decision.outcome}")))
        next_step = next((s for s in STEPS[:5] if s not in done), None)
        to_document = [said("meldcode.step_item", item=item,
                            step=said(f"workflow.step.{r.step}")
                            if f"workflow.step.{r.step}" in MESSAGES else r.step)
                       for r in records for item in r.missing]
        if next_step is None:
            next_step = "step-6" if decision.outcome != "close" else None
            if decision.outcome == "organise-help":
                to_document.append(said("meldcode.answer_q5"))
            if decision.outcome == "report" and recorded != "report":
                to_document.append(said("meldcode.report_vt"))
        found.append(MeldcodeAdvice(client, tuple(records), next_step, tuple(to_document),
                                    decision.outcome, decision.reasons, recorded,
                                    tuple(findings)))
    return found
