"""Declarative two-way maps between partner record systems and the Regie profiles
(docs/mapping.md).

One JSONata map per direction per partner under ``mappings/<partner>/``, with a metadata file
declaring the partner's format and schema, the target profiles and the lossless fields.

- :func:`map_records` (``fhir_regie.mapping.engine``): records in, ``MappingResult(outputs,
  errors)`` out; no I/O. This is what the sync engine uses.
- :func:`map_file` (``fhir_regie.mapping.files``): the file-level wrapper with the dead-letter
  file, used by ``fhir-regie map``.

Names are imported on first use, so ``fhir-regie`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "map_records": "engine", "iter_mapped": "engine", "MappingResult": "engine",
    "MappedRecord": "engine", "MappingError": "engine",
    "map_file": "files", "FileSummary": "files", "InputError": "files",
    "load_partner": "spec", "Partner": "spec", "SpecError": "spec",
    "RecordError": "errors", "FieldError": "errors",
    "SourceRecord": "readers", "read_csv_tables": "readers", "read_xml": "readers",
    "read_json": "readers", "read_bundles": "readers",
}

__all__ = [  # noqa: RUF022 (grouped by module, as in _EXPORTS)
    "map_records", "iter_mapped", "MappingResult", "MappedRecord", "MappingError",
    "map_file", "FileSummary", "InputError", "load_partner", "Partner", "SpecError",
    "RecordError", "FieldError", "SourceRecord", "read_csv_tables", "read_xml", "read_json",
    "read_bundles",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(import_module(f"fhir_regie.mapping.{module}"), name)
