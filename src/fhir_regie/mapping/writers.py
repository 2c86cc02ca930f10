"""Partner output from rendered records (the text form a from-fhir map's output was checked
into): CSV tables, XML, and JSON lines. Pure: they return text, the file wrapper writes it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from fhir_regie.mapping.cells import neutralise
from fhir_regie.mapping.schema import Field
from fhir_regie.mapping.spec import Partner


def write_csv_tables(partner: Partner, records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """File name -> CSV text (header first, the schema's column order) for every table, rows of
    all records in order. A table without rows still gets its header. A text cell that a
    spreadsheet would take for a formula is written with a ``'`` in front (cells.py)."""
    tables = partner.out_tables or partner.tables
    buffers = {t.name: io.StringIO() for t in tables}
    writers = {t.name: csv.writer(buffers[t.name], delimiter=partner.delimiter,
                                  lineterminator="\n") for t in tables}
    for table in tables:
        writers[table.name].writerow([f.name for f in table.schema.fields])
    for record in records:
        for table in tables:
            for row in record.get(table.name) or []:
                writers[table.name].writerow([_cell(row.get(f.name, ""))
                                              for f in table.schema.fields])
    return {t.file: buffers[t.name].getvalue() for t in tables}


def _cell(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def _xml_fill(element: Element, value: Any, spec: Field) -> None:
    if spec.type == "object":
        for sub in spec.fields:
            part = value.get(sub.name) if isinstance(value, Mapping) else None
            if part is None:
                continue
            if sub.attribute:
                element.set(sub.name, str(part))
            elif sub.text:
                element.text = str(part)
            else:
                _xml_fill(SubElement(element, sub.name), part, sub)
    elif spec.type == "list":
        assert spec.item is not None
        for item in value or []:
            _xml_fill(SubElement(element, spec.item.name), item, spec.item)
    else:
        element.text = str(value)


def write_xml(partner: Partner, records: Iterable[Any], *, direction: str = "from-fhir") -> str:
    """One XML document: the partner's root element with one element per record. By default
    the from-fhir record format; ``direction="to-fhir"`` writes the partner's own export format
    (test data, round trips)."""
    if direction == "to-fhir":
        spec, root_tag, tag = partner.record, partner.root_element, partner.record_element
    else:
        spec, root_tag, tag = partner.out_record, partner.out_root_element, \
            partner.out_record_element
    assert spec is not None
    root = Element(root_tag or "records")
    for record in records:
        _xml_fill(SubElement(root, tag or "record"), record, spec)
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def write_json_lines(records: Iterable[Any]) -> str:
    """One JSON document per line (FHIR bulk-data style for Bundles)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
