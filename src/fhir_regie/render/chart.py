"""The safety-scale history as an SVG chart: one line per danger statement, thresholds marked.

A safety scale runs from 0 (the danger statement happens) to 10 (the safety goal is reached)
(DOMAIN.md §5). Everyone scores; a phase asks that *everyone* scores at least the threshold, so
the line of a danger statement goes through the **lowest** score of each scoring day, and each
point's tooltip lists every score of that day. The thresholds are the region's settings
(``safety.direct_min_score`` etc., passed in as :class:`~fhir_regie.render.document.Threshold`).

Pure string building; the SVG carries ``role="img"``, a title and a description for screen
readers, and the document shows the same numbers in a table beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from fhir_regie.render._read import MONTHS
from fhir_regie.render.document import Scale, Threshold

#: Line colours, each with a contrast of at least 4.5:1 on white (tests/unit/render checks it),
#: and a dash pattern so the lines differ without colour too.
SERIES = (("#1f4e79", ""), ("#8a3b00", "8 4"), ("#2d6a2d", "2 3"), ("#6b2c91", "10 3 2 3"))
THRESHOLD_COLOUR = "#595959"
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56


def lowest_per_day(scale: Scale) -> list[tuple[date, int, list[str]]]:
    """(day, lowest score, every 'who: score' of that day), by day."""
    days: dict[date, list[tuple[int, str]]] = defaultdict(list)
    for point in scale.points:
        days[point.day].append((point.value, point.by))
    return [(day, min(v for v, _ in scores), [f"{who}: {v}" for v, who in scores])
            for day, scores in sorted(days.items())]


def scale_chart(scales: Sequence[Scale], thresholds: Sequence[Threshold], *,
                chart_id: str = "schaal") -> str:
    """The SVG (a string) of the scales' history.

    Parameters:
        scales: one per danger statement, with their score points.
        thresholds: horizontal lines to mark (value and label).
        chart_id: prefix for the ids of the title and description elements.

    Example::

        >>> from datetime import date
        >>> from fhir_regie.render.document import Scale, ScorePoint, Threshold
        >>> svg = scale_chart([Scale("Gevaar 1", "...", (ScorePoint(date(2026, 10, 1), 3,
        ...                    "Sanne"),))], [Threshold(6, "6: minimaal")])
        >>> svg.startswith("<svg") and 'data-score="3"' in svg
        True
    """
    plotted = [(scale, lowest_per_day(scale)) for scale in scales]
    days = [day for _, points in plotted for day, _, _ in points]
    first = min(days, default=date.today())
    last = max(days, default=first)
    if (last - first).days < 14:
        first, last = first - timedelta(days=7), last + timedelta(days=7)
    span = max((last - first).days, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + inner_w * (day - first).days / span, 1)

    def y(score: float) -> float:
        return round(TOP + inner_h * (10 - score) / 10, 1)

    title = "Veiligheidsschaal door de tijd"
    desc = "; ".join(
        f"{scale.label}: " + (", ".join(f"{d.day} {MONTHS[d.month - 1]} {v}"
                                        for d, v, _ in points) or "nog geen scores")
        for scale, points in plotted)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
           f'class="chart">',
           f'<title id="{chart_id}-title">{escape(title)}</title>',
           f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
           f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="#ffffff" '
           f'stroke="#767676"/>']
    for score in range(0, 11, 2):
        out.append(f'<line x1="{LEFT - 4}" y1="{y(score)}" x2="{LEFT}" y2="{y(score)}" '
                   f'stroke="#767676"/><text x="{LEFT - 8}" y="{y(score) + 4}" '
                   f'text-anchor="end" font-size="12" fill="#1a1a1a">{score}</text>')
    for threshold in thresholds:
        out.append(f'<g class="threshold" data-threshold="{threshold.value}">'
                   f'<line x1="{LEFT}" y1="{y(threshold.value)}" x2="{LEFT + inner_w}" '
                   f'y2="{y(threshold.value)}" stroke="{THRESHOLD_COLOUR}" '
                   f'stroke-dasharray="4 4"/>'
                   f'<text x="{LEFT + inner_w - 4}" y="{y(threshold.value) - 4}" '
                   f'text-anchor="end" font-size="11" fill="{THRESHOLD_COLOUR}">'
                   f'{escape(threshold.label)}</text></g>')
    for day in _ticks(first, last):
        out.append(f'<text x="{x(day)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                   f'font-size="11" fill="#1a1a1a">{day.day} {MONTHS[day.month - 1][:3]}'
                   f'</text>')
    for number, (scale, points) in enumerate(plotted):
        colour, dash = SERIES[number % len(SERIES)]
        out.append(f'<g class="series" data-series="{escape(scale.label)}">')
        if len(points) > 1:
            path = " ".join(f"{x(d)},{y(v)}" for d, v, _ in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       f'stroke-width="2.5"' + (f' stroke-dasharray="{dash}"' if dash else "")
                       + "/>")
        for day, score, who in points:
            out.append(f'<circle cx="{x(day)}" cy="{y(score)}" r="4.5" fill="{colour}" '
                       f'data-score="{score}" data-day="{day.isoformat()}"><title>'
                       f'{escape(scale.label)}, {day.day} {MONTHS[day.month - 1]}: '
                       f'{escape(", ".join(who))}</title></circle>')
        out.append("</g>")
    for number, (scale, _) in enumerate(plotted):
        colour, dash = SERIES[number % len(SERIES)]
        lx = LEFT + number * 150
        out.append(f'<line x1="{lx}" y1="{HEIGHT - 14}" x2="{lx + 24}" y2="{HEIGHT - 14}" '
                   f'stroke="{colour}" stroke-width="2.5"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
                   f'<text x="{lx + 30}" y="{HEIGHT - 10}" font-size="12" fill="#1a1a1a">'
                   f'{escape(scale.label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _ticks(first: date, last: date) -> list[date]:
    """The first of each month in range (at most eight labels), or the two ends."""
    ticks, day = [], date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            ticks.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if len(ticks) > 8:
        ticks = ticks[:: len(ticks) // 8 + 1]
    return ticks or [first, last]
