"""Dutch working days and calendar arithmetic for the deadline rules.

A working day is a weekday that is not a Dutch public holiday. The holidays come from the
maintained ``holidays`` library (category ``public``, which follows the Algemene termijnenwet:
New Year's Day, Good Friday, Easter and Whit Monday, King's Day, Ascension Day, both Christmas
days). 5 May is a holiday under that law every year, while many collective agreements give it off
only every fifth year; the regional setting ``calendar.liberation_day`` chooses (``every-year``
adds the library's ``optional`` 5 May).

Terms in *working days* end on a working day by construction. Terms in *calendar days* are not
moved off weekends: for a household's safety an earlier due date errs on the safe side.

Example::

    >>> from datetime import date
    >>> WorkingCalendar().add_working_days(date(2026, 12, 24), 1)  # Christmas, then a Saturday
    datetime.date(2026, 12, 28)
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Literal

import holidays

LiberationDay = Literal["every-year", "lustrum"]


@cache
def _dutch_holidays(liberation_day: LiberationDay) -> holidays.HolidayBase:
    categories = ("public", "optional") if liberation_day == "every-year" else ("public",)
    return holidays.country_holidays("NL", categories=categories)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days in the Netherlands under one regional choice for 5 May."""

    liberation_day: LiberationDay = "every-year"

    def holiday_name(self, day: date) -> str | None:
        """The Dutch name of the public holiday on ``day``, or None."""
        name = _dutch_holidays(self.liberation_day).get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The date ``count`` working days after ``start`` (``start`` itself is not counted).

        ``count = 0`` gives ``start`` when it is a working day, else the next working day.
        """
        if count < 0:
            raise ValueError("count must not be negative")
        day = start if self.is_working_day(start) else self.next_working_day(start)
        if count == 0:
            return day
        day = start
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)


def add_months(start: date, months: int) -> date:
    """Same day ``months`` calendar months later, clamped to the month's end (31 Jan -> 28 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months
