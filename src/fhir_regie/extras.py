"""Optional dependencies: which extra brings which module, and the error when one is missing.

The core install (``pip install fhir-regie``) holds the model, validation, the client, consent,
workflow and the partner mappings. The rest comes with extras::

    pip install 'fhir-regie[server]'   # the embedded FHIR server (demo, `fhir-regie server`)
    pip install 'fhir-regie[render]'   # plan documents as HTML and PDF, the guide's site
    pip install 'fhir-regie[viewer]'   # the read-only SMART plan viewer
    pip install 'fhir-regie[gateway]'  # the consent-enforcing FHIR gateway
    pip install 'fhir-regie[sync]'     # partner synchronisation (`fhir-regie sync`)
    pip install 'fhir-regie[all]'

A module that needs an optional dependency imports it through :func:`missing_extra`, so a user
without it gets one line naming the extra instead of a traceback.
"""

from __future__ import annotations


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""


def missing_extra(extra: str, error: ImportError, purpose: str = "") -> MissingExtraError:
    """The error to raise when importing an optional dependency failed.

    Example::

        try:
            import weasyprint
        except ImportError as error:
            raise missing_extra("render", error, "PDF output") from None
    """
    module = (error.name or str(error)).split(".")[0]
    what = f"{purpose} needs" if purpose else "this needs"
    return MissingExtraError(
        f"{what} the optional dependency {module!r}: pip install 'fhir-regie[{extra}]'")
