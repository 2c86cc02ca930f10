"""Plan documents for people: HTML and PDF in plain Dutch, for the household or a professional.

Every document passes the disclosure guard first (audience.py): only what
:func:`fhir_regie.consent.share` returns for the audience is rendered. docs/render.md describes
documents, audiences, the chart, PDF and the viewer.

Example::

    >>> from datetime import datetime, timezone
    >>> from fhir_regie.demo import household_resources
    >>> from fhir_regie.ig import load_package
    >>> found = list(household_resources(load_package(), "household-de-vries").values())
    >>> result = render_plan(found, "devries-safety-plan", Audience.household(
    ...     found, "devries-safety-plan"), at=datetime(2026, 11, 25, 10, tzinfo=timezone.utc))
    >>> "Waar we bang voor zijn" in result.html
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fhir_regie.consent import Shared
from fhir_regie.render._read import Resource
from fhir_regie.render.audience import Audience, AudienceError, shared_for
from fhir_regie.render.document import PlanDocument, PlanNotFoundError, plan_document
from fhir_regie.render.pdf import PdfError, html_to_pdf
from fhir_regie.workflow.regions import RegionSettings, load_region

__all__ = ["Audience", "AudienceError", "PdfError", "PlanNotFoundError", "Rendered",
           "render_plan", "write_plan_documents"]


@dataclass(frozen=True)
class Rendered:
    """A rendered plan: the document model, its HTML, and what the guard decided."""

    document: PlanDocument
    html: str
    shared: Shared

    def pdf(self) -> bytes:
        return html_to_pdf(self.html)


def render_plan(resources: Iterable[Resource], plan_id: str, audience: Audience, *,
                at: datetime, region: RegionSettings | None = None,
                discloser: str | None = None) -> Rendered:
    """Share the household's resources with the audience, then render the plan from what went.

    Raises :class:`PlanNotFoundError` when the plan itself may not go to the audience, and
    :class:`AudienceError` when the audience cannot be determined.
    """
    # Jinja2 comes with the [render] extra: imported here, so `import fhir_regie.render` (and the
    # command line) works in a core install and only rendering asks for the extra.
    from fhir_regie.render.html import render_html

    shared = shared_for(resources, plan_id, audience, at=at, discloser=discloser)
    went = [entry["resource"] for entry in shared.bundle["entry"]]
    held_back = len(shared.decision.resources) - len(went)
    document = plan_document(went, plan_id, region=region or load_region(), at=at.date(),
                             audience=audience.line({f"{r['resourceType']}/{r['id']}": r
                                                     for r in went}) if went else "",
                             left_out=held_back, family=audience.kind == "household")
    return Rendered(document, render_html(document), shared)


def write_plan_documents(resources: Iterable[Resource], plan_id: str, out_dir: str | Path, *,
                         at: datetime, region: RegionSettings | None = None,
                         discloser: str | None = None,
                         readers: Iterable[str] = ()) -> list[Path]:
    """Write the plan for the household audience as HTML and PDF; returns both paths.

    Parameters:
        resources: the household's resources (FHIR JSON dicts), e.g.
            ``fhir_regie.demo.household_resources(package, "household-de-vries").values()``.
        plan_id: the (safety) plan's CarePlan id.
        out_dir: folder to write ``<plan_id>.html`` and ``<plan_id>.pdf`` into (created).
        at: the moment the documents are made (time-zone aware).
        region: regional settings for the chart's thresholds (default: ``default``).
        discloser: the organisation handing out the copy (default: the household Group's
            ``managingEntity``).
        readers: the members the copy is made for (``Audience.readers``; default every
            active member, and with an alleged perpetrator among them the adversary rule).

    Example::

        >>> import tempfile
        >>> from datetime import datetime, timezone
        >>> from fhir_regie.demo import household_resources
        >>> from fhir_regie.ig import load_package
        >>> found = household_resources(load_package(), "household-de-vries").values()
        >>> paths = write_plan_documents(found, "devries-safety-plan", tempfile.mkdtemp(),
        ...                              at=datetime(2026, 11, 25, 10, tzinfo=timezone.utc))
        >>> [p.suffix for p in paths]
        ['.html', '.pdf']
    """
    everything = list(resources)
    rendered = render_plan(everything, plan_id, Audience.household(everything, plan_id, readers),
                           at=at, region=region, discloser=discloser)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = folder / f"{plan_id}.html", folder / f"{plan_id}.pdf"
    html_path.write_text(rendered.html, encoding="utf-8")
    pdf_path.write_bytes(rendered.pdf())
    return [html_path, pdf_path]
