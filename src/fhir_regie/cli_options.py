"""What the subcommands share when reading their options: the one-line usage error and the
``--at`` moment (docs: each command's ``--help``).

Kept apart from :mod:`fhir_regie.cli` so a subcommand module can use it without importing the
whole command table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

#: Dutch local time: a moment typed without a zone means this.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class UsageError(Exception):
    """A one-line message about an option or input (exit code 2)."""


def parse_moment(text: str | None, option: str = "--at") -> datetime:
    """A time-zone aware moment from an option: now when absent; a date means noon Amsterdam
    time that day; a date-time without a zone is Amsterdam time.

    Example::

        >>> parse_moment("2026-11-25").isoformat()
        '2026-11-25T12:00:00+01:00'
        >>> parse_moment("2026-11-25T09:30:00Z").isoformat()
        '2026-11-25T09:30:00+00:00'
    """
    if not text:
        return datetime.now(UTC)
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(12), AMSTERDAM)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option} {text!r}: expected an ISO date or date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)
