"""Validate resources against the Regie profiles, in Python, without Java.

The public API. The engine is in ``engine.py`` (``Validator``: one per set of definitions,
with its caches; ``iter_issues`` yields ``Issue`` values), the diagnostics and their one
rendering as an OperationOutcome in ``outcome.py``, their wording in ``messages.py``. The
docs: docs/development.md, "The Python validator".

Example::

    >>> from fhir_regie.validation import validate_source
    >>> outcome = validate_source('{"resourceType": "Patient", "birthDate": "2019-02-30"}')
    >>> [(i["severity"], i["expression"]) for i in outcome["issue"]][0]
    ('error', ['Patient.birthDate'])
"""

from fhir_regie.validation.engine import (
    MAX_DEPTH,
    PROFILE_CACHE_SIZE,
    Validator,
    iter_issues,
    parse_json,
    validate_resource,
    validate_source,
    validator_for,
)
from fhir_regie.validation.outcome import (
    Issue,
    error_count,
    parse_path,
    render_path,
    to_operation_outcome,
)

__all__ = [
    "MAX_DEPTH",
    "PROFILE_CACHE_SIZE",
    "Issue",
    "Validator",
    "error_count",
    "iter_issues",
    "parse_json",
    "parse_path",
    "render_path",
    "to_operation_outcome",
    "validate_resource",
    "validate_source",
    "validator_for",
]
