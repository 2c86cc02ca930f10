"""Working days: weekends and Dutch public holidays (from the maintained holidays library)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhir_regie.workflow.calendar import (
    WorkingCalendar,
    add_months,
    months_between,
)

ATW = WorkingCalendar("every-year")
LUSTRUM = WorkingCalendar("lustrum")


@pytest.mark.parametrize(("start", "count", "due", "why"), [
    # weekends
    (date(2026, 11, 20), 1, date(2026, 11, 23), "Friday + 1 skips the weekend"),
    (date(2026, 11, 21), 1, date(2026, 11, 23), "a Saturday start counts from Monday"),
    (date(2026, 11, 16), 5, date(2026, 11, 23), "Monday + 5 is the next Monday"),
    (date(2026, 9, 16), 5, date(2026, 9, 23), "case 1: report on Wednesday, due Wednesday"),
    # Christmas and New Year
    (date(2026, 12, 24), 1, date(2026, 12, 28), "25 Dec (Fri) and 26 Dec (Sat) are off"),
    (date(2026, 12, 23), 5, date(2026, 12, 31), "Christmas Day (Fri) skipped, 26 Dec a Saturday"),
    (date(2026, 12, 23), 6, date(2027, 1, 4), "and New Year's Day (Fri) too"),
    (date(2027, 12, 23), 2, date(2027, 12, 27), "Christmas 2027 on a weekend: no day in lieu"),
    (date(2026, 12, 31), 1, date(2027, 1, 4), "1 Jan 2027 is a Friday holiday"),
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April
    (date(2026, 4, 2), 1, date(2026, 4, 7), "Good Friday and Easter Monday are off"),
    (date(2026, 3, 30), 5, date(2026, 4, 8), "Easter week loses two days"),
    # King's Day: 27 April, or 26 April when the 27th is a Sunday
    (date(2026, 4, 24), 1, date(2026, 4, 28), "King's Day 2026 is Monday 27 April"),
    (date(2027, 4, 26), 1, date(2027, 4, 28), "King's Day 2027 is Tuesday 27 April"),
    (date(2025, 4, 25), 1, date(2025, 4, 28), "2025: 27 Apr is a Sunday, moved to Sat 26"),
    # Ascension and Whit Monday 2026
    (date(2026, 5, 13), 1, date(2026, 5, 15), "Ascension Day, Thursday 14 May"),
    (date(2026, 5, 22), 1, date(2026, 5, 26), "Whit Monday, 25 May"),
    # 5 May: every year under the Algemene termijnenwet
    (date(2026, 5, 4), 1, date(2026, 5, 6), "5 May 2026 is off (every-year setting)"),
    (date(2026, 5, 4), 0, date(2026, 5, 4), "zero days: the start when it is a working day"),
    (date(2026, 12, 25), 0, date(2026, 12, 28), "zero days from a holiday: next working day"),
])
def test_add_working_days(start, count, due, why):
    assert ATW.add_working_days(start, count) == due, why


def test_liberation_day_lustrum_setting_works_on_5_may_except_every_fifth_year():
    assert LUSTRUM.is_working_day(date(2026, 5, 5))
    assert not LUSTRUM.is_working_day(date(2025, 5, 5))
    assert not ATW.is_working_day(date(2026, 5, 5))


def test_holiday_names_come_from_the_library():
    assert ATW.holiday_name(date(2026, 4, 27)) is not None
    assert ATW.holiday_name(date(2026, 4, 28)) is None


def test_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        ATW.add_working_days(date(2026, 1, 5), -1)


def test_working_days_between():
    assert ATW.working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 4
    assert ATW.working_days_between(date(2026, 12, 31), date(2026, 12, 24)) == 0


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 10, 20), 3, date(2027, 1, 20)),
    (date(2026, 10, 20), 12, date(2027, 10, 20)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_months_between():
    assert months_between(date(2026, 5, 5), date(2026, 11, 4)) == 5
    assert months_between(date(2026, 5, 5), date(2026, 11, 5)) == 6
    assert months_between(date(2026, 11, 5), date(2026, 5, 5)) == 0


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2080, 12, 31))


@given(start=days, count=st.integers(min_value=1, max_value=40),
       calendar=st.sampled_from([ATW, LUSTRUM]))
def test_a_working_day_due_date_is_never_a_weekend_or_holiday(start, count, calendar):
    due = calendar.add_working_days(start, count)
    assert due.weekday() < 5
    assert calendar.holiday_name(due) is None
    assert due > start
    # exactly `count` working days elapse, and the day before the due date has one fewer
    assert calendar.working_days_between(start, due) == count
    assert calendar.working_days_between(start, due - timedelta(days=1)) == count - 1


@given(start=days, count=st.integers(min_value=1, max_value=20))
def test_more_working_days_never_end_earlier(start, count):
    assert ATW.add_working_days(start, count + 1) > ATW.add_working_days(start, count)
