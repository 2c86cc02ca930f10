"""PDF from the same HTML, with WeasyPrint (it needs Pango and HarfBuzz from the system:
``tools/test.sh`` installs them with apt-get when missing).

The PDF is tagged for screen readers as WeasyPrint's PDF/UA-1 variant (a structure tree from
the HTML: headings, tables with their header cells, lists, the SVG's description), with the
document's title from ``<title>`` and its language from ``<html lang>`` in the PDF's metadata.
Page numbers, unsplit table rows and the closing parts kept together come from the print rules
in ``templates/plan.css``.
"""

from __future__ import annotations

#: WeasyPrint's variant for PDF/UA-1 (tagged, PDF 1.7, XMP metadata with the title).
PDF_VARIANT = "pdf/ua-1"


class PdfError(RuntimeError):
    """WeasyPrint is missing its system libraries or could not lay out the page."""


def html_to_pdf(html: str) -> bytes:
    """The tagged PDF (PDF/UA-1) bytes of an HTML page (A4, fonts from the system's fontconfig).

    Example::

        >>> html_to_pdf("<html lang='nl'><p>Hallo</p></html>")[:5]
        b'%PDF-'
    """
    try:
        from weasyprint import HTML
    except ImportError as error:
        from fhir_regie.extras import missing_extra

        raise missing_extra("render", error, "PDF output") from None
    except OSError as error:  # a missing libpango / libharfbuzz shows up as OSError
        raise PdfError(f"WeasyPrint cannot load its system libraries ({error.__class__.__name__}"
                       "): install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0") \
            from None
    data = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    if not data:
        raise PdfError("WeasyPrint produced no PDF")
    return bytes(data)
