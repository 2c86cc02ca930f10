"""Deadlines: every obligation with a term that follows from a household's resources.

``deadlines(household, region, at)`` returns obligations, each with the rule it comes from, the
resource it is about, start, due date, status (open / met / overdue, or unknown when the data
cannot tell), when it was met, and the settings key of the term. Evidence dated after ``at`` is
ignored, so the answer is what could be known at that moment.

Rules (DOMAIN.md §4 and §5; terms are regional settings):

- ``vt-safety-assessment``: from the receipt of the report (the ``regie-report`` the handover
  refers to, else the report date on the handover), ``vt.safety_assessment_working_days``; met
  on the assessment date recorded in the handover document (``regie-assessment-date``), on
  the direct route else on the handover's date; none for an information-only (radar) report;
- ``local-team-first-contact``: from the moment responsibility passed,
  ``local_team.first_contact_days`` (acute: ``local_team.first_contact_acute_days``, calendar days);
- ``restraining-order-*``: from the moment the order was imposed (the handover's
  ``restriction.period.start``, required on that route: ``rg-hnd-3``; older records: the report
  date), ``restraining_order.*``;
- ``vt-monitoring``: from a handover after a VT service, ``monitoring.moments_months``;
- ``talk-with-child``: from the start of a safety plan, per minor child,
  ``safety.talk_with_child_days``;
- ``vt-safety-condition``: the condition's own ``target.dueDate``;
- ``agreed-action``: the action's own ``restriction.period.end``.

Example::

    >>> from datetime import date
    >>> from fhir_regie.workflow.sources import load_household_from_example
    >>> from fhir_regie.workflow.regions import load_region
    >>> found = deadlines(load_household_from_example("household-de-vries"),
    ...                   load_region("gelderland-midden"), at=date(2026, 11, 25))
    >>> [(o.rule, o.status) for o in found if o.rule.startswith(("vt-", "local-"))]
    [('vt-safety-assessment', 'met'), ('local-team-first-contact', 'met')]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Literal

from fhir_regie.ig.sharing import purposes_in
from fhir_regie.workflow._fhir import (
    Resource,
    code,
    codes,
    extension,
    key,
    period_bounds,
    reference,
    to_date,
    value,
)
from fhir_regie.workflow.calendar import WorkingCalendar, add_days, add_months
from fhir_regie.workflow.household import OPEN_TASK_STATES, Household, contributions
from fhir_regie.workflow.regions import RegionSettings

Status = Literal["open", "met", "overdue", "unknown"]
VT_SERVICE_ROUTES = ("after-voorwaarden-en-vervolg", "after-onderzoek")


@dataclass(frozen=True)
class Obligation:
    """One term to meet. ``setting`` is the regional settings key the term came from."""

    rule: str
    subject: str
    description: str
    start: date | None
    due: date | None
    status: Status
    met_on: date | None = None
    late: bool = False
    setting: str | None = None
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("start", "due", "met_on"):
            data[name] = data[name].isoformat() if data[name] else None
        data["evidence"] = list(self.evidence)
        return data


def _obligation(  # noqa: PLR0917 - mirrors the Obligation fields, in their order
        rule: str, subject: str, description: str, start: date | None, due: date | None,
        met_on: date | None, at: date, setting: str | None, evidence: list[str]) -> Obligation:
    if met_on is not None and met_on > at:
        met_on = None  # not yet known at `at`
    if due is None:
        status: Status = "unknown"
    elif met_on is not None:
        status = "met"
    else:
        status = "overdue" if at > due else "open"
    return Obligation(rule, subject, description, start, due, status, met_on,
                      bool(met_on and due and met_on > due), setting, tuple(evidence))


def calendar_for(region: RegionSettings) -> WorkingCalendar:
    return WorkingCalendar(region.calendar.liberation_day)


def _first_contact(household: Household, since: date, at: date) -> tuple[date, str] | None:
    """First recorded contribution of a household member on or after ``since``."""
    for day, _, resource in contributions(household, household.member_references()):
        if since <= day <= at:
            return day, resource
    return None


# ------------------------------------------------------------------------- VT and local team

def _handover_rules(household: Household, handover: Resource, region: RegionSettings,
                    at: date) -> list[Obligation]:
    calendar = calendar_for(region)
    subject = key(handover)
    route = code(value(extension(handover, "regie-handover-route")), "regie-handover-route")
    # Acute unsafety: Task.priority above routine; the moment responsibility passed:
    # Task.executionPeriod.start (regie-handover); the report's receipt from the regie-report
    # the handover follows from, else the handover's report date.
    acute = handover.get("priority") not in (None, "routine")
    report = household.resolve(handover.get("reasonReference"))
    reported = to_date((report or {}).get("received")) or \
        to_date(value(extension(handover, "regie-report-date")))
    transfer = to_date((handover.get("executionPeriod") or {}).get("start"))
    found: list[Obligation] = []

    # §4: VT's safety assessment within N working days of receiving the report (the
    # regie-report the handover follows from, else the handover's report date).
    term = region.vt.safety_assessment_working_days
    evidence = [(f"report received {reported}" + (f" ({key(report)})" if report else ""))
                if reported else "no report date on the handover"]
    document = household.resolve(handover.get("focus"))
    assessed = _assessed_on(document)
    if assessed:
        evidence.append(f"safety assessment recorded on {assessed} (handover document)")
    elif route == "direct-after-assessment":
        assessed = min(filter(None, [to_date(handover.get("authoredOn")),
                                     to_date((document or {}).get("date"))]), default=None)
        if assessed:
            evidence.append(f"assessment outcome handed over on {assessed}")
    else:
        evidence.append(f"handover route {route}: the date of the safety assessment is not "
                        "recorded (VT provided a service first)")
    due = calendar.add_working_days(reported, term) if reported else None
    obligation = _obligation("vt-safety-assessment", subject,
                             f"Veilig Thuis completes the safety assessment within {term} "
                             "working days of the report", reported, due, assessed, at,
                             "vt.safety_assessment_working_days", evidence)
    if assessed is None and due is not None and obligation.status != "met" and \
            route != "direct-after-assessment":
        obligation = replace(obligation, status="unknown")
    if "radar" not in codes((report or {}).get("category"), "regie-report-kind"):
        found.append(obligation)

    # §4: the local team contacts the household within 14 days; acute: immediately.
    if transfer is None:
        found.append(_obligation(
            "local-team-first-contact", subject, "The local team contacts the household",
            None, None, None, at, "local_team.first_contact_days",
            ["responsibility has not passed to the local team yet (no transfer moment)"]))
    else:
        if acute:
            # "Immediately": calendar days, so a weekend or a holiday never stretches it.
            days = region.local_team.first_contact_acute_days
            due, setting = add_days(transfer, days), "local_team.first_contact_acute_days"
            what = ("acute unsafety: contact the same day" if days == 0
                    else f"acute unsafety: contact within {days} day(s)")
        else:
            days = region.local_team.first_contact_days
            due, setting = add_days(transfer, days), "local_team.first_contact_days"
            what = f"contact within {days} days"
        contact = _first_contact(household, transfer, at)
        evidence = [f"responsibility passed on {transfer}"]
        evidence.append(f"first contribution of a household member: {contact[1]} on {contact[0]}"
                        if contact else "no contribution of a household member recorded since")
        found.append(_obligation("local-team-first-contact", subject,
                                 f"The local team contacts the household ({what})", transfer,
                                 due, contact[0] if contact else None, at, setting, evidence))

    if route == "restraining-order":
        found += _restraining_order(household, handover, region, at)
    if route in VT_SERVICE_ROUTES:
        found += _monitoring(household, handover, transfer, region, at)
    return found


def _assessed_on(document: Resource | None) -> date | None:
    """The date of the safety assessment recorded in the handover document's assessment
    section (``regie-assessment-date``)."""
    for section in (document or {}).get("section", []) or []:
        if "safety-assessment" in codes(section.get("code"), "regie-handover-section"):
            found = to_date(value(extension(section, "regie-assessment-date")))
            if found:
                return found
    return None


def _restraining_order(household: Household, handover: Resource, region: RegionSettings,
                       at: date) -> list[Obligation]:
    """§4: the timeline of a temporary restraining order (day N = N days after it was imposed)."""
    settings, calendar, subject = region.restraining_order, calendar_for(region), key(handover)
    ordered, order_end = period_bounds(handover.get("restriction", {}).get("period"))
    source = "the handover's restriction period"
    if ordered is None:
        ordered = to_date(value(extension(handover, "regie-report-date")))
        source = "the report date (no restriction period on the handover)"
    if ordered is None:
        return [_obligation("restraining-order", subject, "Restraining order timeline", None,
                            None, None, at, "restraining_order.duration_days",
                            ["the date the order was imposed is not recorded"])]
    base = [f"order imposed on {ordered} (from {source})"]
    informed = min(filter(None, [to_date(handover.get("authoredOn")),
                                 to_date((handover.get("executionPeriod") or {})
                                         .get("start"))]),
                   default=None)
    contact = _first_contact(household, ordered, at)
    extended_end = add_days(ordered, settings.duration_days + settings.extension_days)
    end = add_days(ordered, settings.duration_days)
    extension_note = (f"order end recorded as {order_end}" +
                      (" (extended)" if order_end and order_end > end else "")) if order_end \
        else "no end of the order recorded yet"
    advice = _obligation(
        "restraining-order-advice", subject,
        f"Veilig Thuis advises on follow-up help on day {settings.advice_on_day}", ordered,
        add_days(ordered, settings.advice_on_day), None, at, "restraining_order.advice_on_day",
        [*base, "the guide has no record for this advice: confirm it with Veilig Thuis"])
    if advice.status == "overdue":
        advice = replace(advice, status="unknown")
    return [
        _obligation("restraining-order-inform-local-team", subject,
                    f"Veilig Thuis informs the local team by day "
                    f"{settings.inform_local_team_by_day}", ordered,
                    add_days(ordered, settings.inform_local_team_by_day), informed, at,
                    "restraining_order.inform_local_team_by_day",
                    [*base, f"handover sent on {informed}" if informed else "no handover date"]),
        _obligation("restraining-order-joint-talk", subject,
                    f"Veilig Thuis and the local team talk with the household within "
                    f"{settings.joint_talk_working_days} working days (where possible)", ordered,
                    calendar.add_working_days(ordered, settings.joint_talk_working_days),
                    contact[0] if contact else None, at,
                    "restraining_order.joint_talk_working_days",
                    [*base, f"first contribution of a household member: {contact[1]} on "
                            f"{contact[0]}" if contact else "no contact with the household "
                                                            "recorded"]),
        advice,
        _obligation("restraining-order-extension-decision", subject,
                    f"Decide before day {settings.duration_days} whether the order is extended "
                    f"by {settings.extension_days} days (until {extended_end})", ordered, end,
                    order_end if order_end else None, at, "restraining_order.duration_days",
                    [*base, extension_note]),
    ]


def _monitoring(household: Household, handover: Resource, transfer: date | None,
                region: RegionSettings, at: date) -> list[Obligation]:
    """§4: VT monitors after its service at the regional moments (no monitoring otherwise)."""
    subject = key(handover)
    start = transfer or to_date(handover.get("authoredOn"))
    if start is None:
        return [_obligation("vt-monitoring", subject, "Veilig Thuis monitoring", None, None,
                            None, at, "monitoring.moments_months",
                            ["no handover moment recorded to count from"])]
    events = sorted(
        day for event in household.of_type("AuditEvent")
        if "vt-monitoring" in purposes_in(event.get("purposeOfEvent"))
        and (day := to_date(event.get("recorded"))) is not None)
    found, previous = [], start
    for months in region.monitoring.moments_months:
        due = add_months(start, months)
        done = next((day for day in events if day > previous), None)
        if done is not None:
            events.remove(done)
        found.append(_obligation(
            "vt-monitoring", subject,
            f"Veilig Thuis monitoring {months} months after its service", start, due, done, at,
            "monitoring.moments_months",
            [f"service ended with the handover on {start}",
             f"monitoring exchange recorded on {done}" if done
             else "no monitoring exchange (AuditEvent, purpose vt-monitoring) recorded"]))
        previous = due
    return found


# ------------------------------------------------------------------------- safety planning

def _talk_with_child(household: Household, region: RegionSettings,
                     at: date) -> list[Obligation]:
    """§5 (fase veiligheid): talk with every minor child within 2 weeks of the safety plan."""
    days = region.safety.talk_with_child_days
    found = []
    for plan in household.of_profile("regie-safety-plan"):
        start = period_bounds(plan.get("period"))[0] or to_date(plan.get("created"))
        children = [m for m in household.members() if m.role == "child"
                    and start is not None and (m.age_on(start) or 0) < 18
                    and m.birth_date is not None]
        for child in children:
            said = [(day, resource) for day, _, resource in
                    contributions(household, {child.reference}) if day <= at]
            actions = [(day, key(task)) for task in household.of_profile("regie-agreed-action")
                       if reference(task.get("for")) == child.reference
                       and task.get("status") == "completed"
                       and (day := to_date(task.get("executionPeriod", {}).get("end")))]
            first = min(said + actions, default=None)
            evidence = [f"safety plan started {start}"]
            evidence.append(f"first recorded with the child: {first[1]} on {first[0]}" if first
                            else "nothing recorded from or with the child")
            found.append(_obligation(
                "talk-with-child", child.reference,
                f"Talk with the child within {days} days ({key(plan)})", start,
                add_days(start, days) if start else None, first[0] if first else None, at,
                "safety.talk_with_child_days", evidence))
    return found


def _safety_conditions(household: Household, at: date) -> list[Obligation]:
    """§4: VT's safety conditions carry their own term and must be recorded as met."""
    found = []
    for goal in household.of_profile("regie-goal"):
        if "safety-condition" not in codes(goal.get("category"), "regie-goal-type"):
            continue
        due = to_date(next((t.get("dueDate") for t in goal.get("target", [])
                            if isinstance(t, dict) and t.get("dueDate")), None))
        achieved = code(goal.get("achievementStatus")) in ("achieved", "sustaining") or \
            goal.get("lifecycleStatus") == "completed"
        met_on = (to_date(goal.get("statusDate")) or due) if achieved else None
        found.append(_obligation(
            "vt-safety-condition", key(goal), "Veilig Thuis safety condition met in time",
            to_date(goal.get("startDate")), due, met_on, at, None,
            ["recorded as met" if achieved else
             "not recorded as met (Goal.achievementStatus achieved or sustaining)"]))
    return found


def _agreed_actions(household: Household, at: date) -> list[Obligation]:
    """§2: agreed actions with a due date (``restriction.period.end``)."""
    found = []
    for task in household.of_profile("regie-agreed-action"):
        status = task.get("status")
        due = to_date(task.get("restriction", {}).get("period", {}).get("end"))
        if due is None or (status not in OPEN_TASK_STATES and status != "completed"):
            continue
        done = None
        evidence = [f"task status {status}"]
        if status == "completed":
            done = to_date(task.get("executionPeriod", {}).get("end")) or \
                to_date(task.get("lastModified"))
            if done is None:
                evidence.append("completed, but when is not recorded")
                done = due
        if status == "on-hold":
            # The reason's text may name people: point to it, never copy it.
            evidence.append("on hold; reason in statusReason" if task.get("statusReason")
                            else "on hold without a recorded reason")
        found.append(_obligation(
            "agreed-action", key(task), "Agreed action done by its due date",
            to_date(task.get("authoredOn")), due, done, at, None, evidence))
    return found


def deadlines(household: Household, region: RegionSettings, at: date) -> list[Obligation]:
    """Every obligation of the household at ``at``, by due date (unknown last).

    Args:
        household: the household's resources.
        region: the regional settings whose terms apply.
        at: the day the statuses are evaluated for (no clock is read).
    """
    found: list[Obligation] = []
    for handover in household.of_profile("regie-handover"):
        if handover.get("status") in ("cancelled", "rejected", "entered-in-error"):
            continue
        found += _handover_rules(household, handover, region, at)
    found += _talk_with_child(household, region, at)
    found += _safety_conditions(household, at)
    found += _agreed_actions(household, at)
    return sorted(found, key=lambda o: (o.due is None, o.due or date.max, o.rule, o.subject))
