"""Validate resources against the Regie profiles, in Python, without Java.

The public API; the engine is in ``engine.py``, diagnostics in ``outcome.py``, their wording
in ``messages.py``. The docs: docs/development.md, "The Python validator".

Example::

    >>> from fhir_regie.validation import validate_source
    >>> outcome = validate_source('{"resourceType": "Patient", "birthDate": "2019-02-30"}')
    >>> [(i["severity"], i["expression"]) for i in outcome["issue"]][0]
    ('error', ['Patient.birthDate'])
"""

from fhir_regie.validation.engine import (
    MAX_DEPTH,
    parse_json,
    validate_resource,
    validate_source,
)
from fhir_regie.validation.outcome import Issue, to_operation_outcome

__all__ = [
    "MAX_DEPTH",
    "Issue",
    "parse_json",
    "to_operation_outcome",
    "validate_resource",
    "validate_source",
]
