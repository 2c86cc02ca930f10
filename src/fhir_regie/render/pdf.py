"""PDF from the same HTML, with WeasyPrint (it needs Pango and HarfBuzz from the system:
``tools/test.sh`` installs them with apt-get when missing)."""

from __future__ import annotations


class PdfError(RuntimeError):
    """WeasyPrint is missing its system libraries or could not lay out the page."""


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of an HTML page (A4, fonts from the system's fontconfig).

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
    data = HTML(string=html).write_pdf()
    if not data:
        raise PdfError("WeasyPrint produced no PDF")
    return bytes(data)
