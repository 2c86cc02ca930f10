"""Plan documents as HTML (Jinja2 templates in ``templates/``), one self-contained file with
its CSS and the SVG chart inline, ``lang="nl"``, headings in order and tables with captions."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources as package_files

try:
    from jinja2 import Environment, PackageLoader, select_autoescape
except ImportError as _error:
    from fhir_regie.extras import missing_extra

    raise missing_extra("render", _error, "HTML plan documents") from None

from fhir_regie.render._read import MONTHS
from fhir_regie.render.chart import scale_chart
from fhir_regie.render.document import GLOSSARY, PlanDocument


def _dutch(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@cache
def environment() -> Environment:
    """The template environment (autoescaping on: every text from the records is escaped)."""
    env = Environment(loader=PackageLoader("fhir_regie.render", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["dutch"] = _dutch
    return env


@cache
def stylesheet() -> str:
    """The CSS shared by documents and the viewer."""
    return (package_files.files("fhir_regie.render") / "templates" / "plan.css").read_text(
        encoding="utf-8")


def chart_svg(document: PlanDocument) -> str:
    """The chart, or nothing when no score was shared (an empty chart would suggest zeros)."""
    if not any(scale.points for scale in document.scales):
        return ""
    return scale_chart(document.scales, document.thresholds)


def glossary(text: str) -> tuple[tuple[str, str], ...]:
    """The words of :data:`GLOSSARY` that a page uses, with their plain explanation."""
    lowered = text.lower()
    return tuple((word, meaning) for word, meaning in GLOSSARY if word.lower() in lowered)


def _body(document: PlanDocument, **context: object) -> str:
    template = environment().get_template("plan_body.html.j2")
    first = template.render(doc=document, chart=chart_svg(document), words=(), **context)
    return template.render(doc=document, chart=chart_svg(document), words=glossary(first),
                           **context)


def render_html(document: PlanDocument) -> str:
    """The whole HTML page of a plan document.

    Example::

        >>> from fhir_regie.render.document import GLOSSARY, PlanDocument
        >>> page = render_html(PlanDocument("p", "support", "Ons plan", "", "", "", "", (),
        ...     (), (), (), (), (), (), "", ()))
        >>> '<html lang="nl">' in page
        True
    """
    household = document.audience.startswith("Voor het gezin")
    return environment().get_template("plan.html.j2").render(
        doc=document, css=stylesheet(), household=household,
        body=_body(document, household=household))


def render_body(document: PlanDocument, *, with_summary: bool = False) -> str:
    """The plan without page chrome, for the viewer's own page; ``with_summary`` puts "In het
    kort" (coordinator, work contact, phase, next meeting, deadlines, last scores) first."""
    return _body(document, household=False, with_summary=with_summary)
