"""The mapping engine: run a partner's JSONata map over records, one record at a time.

``map_records(partner, direction, records, at=...)`` is the API the sync engine uses; it does no
I/O. Each record either becomes an output or a :class:`RecordError` (the rest continues):

- **to-fhir**: the map returns an array of FHIR resources (JSON). Each is parsed into its
  ``fhir.resources`` model, must claim a profile the partner's metadata declares (or be one of
  its plain base types), and must pass ``fhir_regie.validation``. The original partner record is
  kept as a ``Binary``, linked by a ``Provenance`` (target: everything made from it, entity: the
  Binary), and all of it goes out as one transaction Bundle of PUTs (ids derive from partner
  keys, so loading twice updates instead of duplicating).
- **from-fhir**: the input Bundle must pass validation; the map returns the partner record,
  which must pass the partner schema (``plain-fhir`` partners: plain FHIR R4 base resources
  without anything of this guide).

Example::

    >>> from datetime import datetime, UTC
    >>> result = map_records("gemeente-suite", "to-fhir", [], at=datetime.now(UTC))
    >>> (len(result.outputs), len(result.errors))
    (0, 0)
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.binary import Binary
from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntryRequest
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.provenance import Provenance, ProvenanceAgent
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from fhir_regie.ig import CANONICAL, profile_url
from fhir_regie.mapping._jsonata import Expression, JlensError
from fhir_regie.mapping.errors import FieldError, RecordError, RuleError
from fhir_regie.mapping.functions import HELPERS
from fhir_regie.mapping.readers import SourceRecord
from fhir_regie.mapping.schema import write_value
from fhir_regie.mapping.spec import Partner, Table, load_partner
from fhir_regie.model.errors import failing
from fhir_regie.validation import iter_issues

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"{CANONICAL}/mapping")
DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"


@dataclass(frozen=True)
class MappedRecord:
    """A mapped record: to-fhir a ``Bundle`` model, from-fhir the partner record in the partner's
    text form (what the writer puts in the file).

    ``data`` is the JSON form of ``value`` (to-fhir: the Bundle as JSON, equal to
    ``value.model_dump(mode="json", exclude_none=True)`` and exactly what was validated; from-fhir:
    ``value`` itself), so writers need not serialise the model again."""

    location: str
    key: str
    value: Any
    data: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.data is None:
            object.__setattr__(self, "data", self.value)


@dataclass
class MappingResult:
    outputs: list[MappedRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.outputs) + len(self.errors)


class MappingError(ValueError):
    """A map itself is broken (a JSONata syntax error): no record can be mapped."""


@cache
def _compiled(folder: str, direction: str, text: str) -> Expression:
    try:
        expression = Expression(text)
    except JlensError as failure:
        raise MappingError(f"{folder}/{direction}.jsonata: JSONata syntax error "
                           f"{failure.code} at character {failure.position}") from None
    for name, function in HELPERS.items():
        expression.register_function(name, function)
    return expression


def compiled_map(partner: Partner, direction: str) -> Expression:
    """The partner's map for ``direction``, parsed once."""
    return _compiled(str(partner.folder), direction, partner.map_text(direction))


def _prune(value: Any) -> Any:
    """Drop what JSON-from-JSONata leaves that FHIR forbids: nulls, empty arrays/objects/text
    (one pass; a container is dropped when it is empty after pruning)."""
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        for key, item in value.items():
            pruned = _prune(item) if isinstance(item, (dict, list)) else item
            if pruned not in (None, "", [], {}):
                kept[key] = pruned
        return kept
    if isinstance(value, list):
        items: list[Any] = []
        for item in value:
            pruned = _prune(item) if isinstance(item, (dict, list)) else item
            if pruned not in (None, "", [], {}):
                items.append(pruned)
        return items
    return value


def _evaluate(partner: Partner, direction: str, data: Any,
              bindings: dict[str, Any]) -> tuple[Any, list[FieldError]]:
    try:
        return compiled_map(partner, direction).evaluate(data, bindings), []
    except RuleError as failure:
        return None, [FieldError(failure.path or "$", failure.rule, failure.message)]
    except JlensError as failure:
        return None, [FieldError(f"{direction}.jsonata:{failure.position}",
                                 f"jsonata-{failure.code}", "the map failed on this record")]
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError) as failure:
        return None, [FieldError(f"{direction}.jsonata", "jsonata-runtime",
                                 f"the map failed on this record ({failure.__class__.__name__})")]


def _validation_errors(resource: Any, prefix: str) -> list[FieldError]:
    """The validator's issues that stop a record (errors, unchecked rules) as field errors."""
    return [FieldError(f"{prefix}{i.expression or '$'}", i.source or i.message_id, i.text())
            for i in failing(iter_issues(resource))]


# -------------------------------------------------------------------------------- to-fhir
def _flatten(value: Any) -> list[Any]:
    """A to-fhir map may return resources in nested arrays (one array per plan, ...)."""
    if isinstance(value, list):
        return [item for part in value for item in _flatten(part)]
    return [] if value is None else [value]


def _resources(partner: Partner,
               output: Any) -> tuple[list[tuple[Resource, dict[str, Any]]], list[FieldError]]:
    """Models of the resources a to-fhir map returned, each with the JSON it was built from;
    each checked against its profile.

    The profile check reads that JSON, not a dump of the model: the model accepted it, and a
    dump would give the same JSON again (``tests/unit/mapping/test_golden.py`` checks) at the
    cost of a second walk per resource."""
    items = _prune(_flatten(output))
    models: list[tuple[Resource, dict[str, Any]]] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    allowed = {profile_url(p) for p in partner.profiles}
    for index, item in enumerate(items):
        where = f"$[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("resourceType"), str):
            errors.append(FieldError(where, "not-a-resource", "the map returned no resource"))
            continue
        kind, rid = item["resourceType"], item.get("id")
        if not isinstance(rid, str):
            errors.append(FieldError(f"{kind}{where}", "resource-id", "a resource needs an id"))
            continue
        label = f"{kind}/{rid}"
        if label in seen:
            errors.append(FieldError(label, "duplicate-id", "the map made this resource twice"))
            continue
        seen.add(label)
        claimed = set(item.get("meta", {}).get("profile", []))
        if not (claimed & allowed) and kind not in partner.plain_types:
            errors.append(FieldError(label, "undeclared-output",
                                     "claims no profile the metadata declares"))
            continue
        try:
            model = get_fhir_model_class(kind).model_validate(item)
        except KeyError:
            errors.append(FieldError(label, "fhir-type", "not a FHIR resource type"))
            continue
        except ValidationError as failure:
            errors += [FieldError(label + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                                  for p in e.get("loc", ())),
                                  "fhir-structure", str(e.get("msg", "invalid"))[:200])
                       for e in failure.errors()]
            continue
        problems = _validation_errors(item, f"{label} ")
        if problems:
            errors += problems
            continue
        models.append((model, item))
    return models, errors


def _source_id(partner: Partner, record: SourceRecord, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return str(uuid.uuid5(NAMESPACE, f"{partner.name}|{record.key}|{digest}"))


def _original_text(record: SourceRecord) -> tuple[str, str]:
    original = record.original
    if "text" in original:
        return original.get("content_type", "application/octet-stream"), original["text"]
    body = {k: v for k, v in original.items() if k != "content_type"}
    return original.get("content_type", "application/json"), json.dumps(body, ensure_ascii=False)


def _provenance_parts(partner: Partner, at: datetime) -> dict[str, Any]:
    """What every Provenance of one run shares (recorded, activity, agent), as JSON, serialised
    once by the model (so the text of ``recorded`` is the model's own)."""
    shared = _shared_provenance(partner.name, partner.title,
                                json.dumps(partner.source_organisation, sort_keys=True),
                                at.isoformat())
    return copy.deepcopy(shared)  # each Bundle its own (callers may change theirs)


# one entry per run; keyed by the text of ``at`` (equal datetimes in other offsets differ)
@lru_cache(maxsize=16)
def _shared_provenance(name: str, title: str, organisation: str,
                       at_text: str) -> dict[str, Any]:
    at = datetime.fromisoformat(at_text)
    source_organisation = json.loads(organisation)
    who = Reference(**source_organisation) if source_organisation else Reference(display=title)
    model = Provenance(
        target=[Reference(reference="Binary/x")],
        recorded=at,
        activity=CodeableConcept(coding=[Coding(system=DATA_OPERATION, code="CREATE",
                                                display="create")],
                                 text=f"mapped from a {name} record"),
        agent=[ProvenanceAgent(type=CodeableConcept(coding=[Coding(
            system=PARTICIPANT_TYPE, code="author", display="Author")]), who=who)],
    )
    data = model.model_dump(mode="json", exclude_none=True)
    return {key: data[key] for key in ("recorded", "activity", "agent")}


def _bundle(partner: Partner, record: SourceRecord,
            resources: list[tuple[Resource, dict[str, Any]]], at: datetime) -> tuple[Bundle,
                                                                                   dict[str, Any]]:
    """The transaction Bundle of one record, as a model and as JSON. The JSON of the map's
    resources is reused; Binary and Provenance are written as JSON (in the models' field
    order) and read into their models, never serialised per record."""
    content_type, text = _original_text(record)
    source = _source_id(partner, record, text)
    binary = {"resourceType": "Binary", "id": f"src-{source}", "contentType": content_type,
              "data": base64.b64encode(text.encode("utf-8")).decode("ascii")}
    shared = _provenance_parts(partner, at)
    provenance = {"resourceType": "Provenance", "id": f"prov-{source}",
                  "target": [{"reference": f"{item['resourceType']}/{item['id']}"}
                             for _, item in resources],
                  "recorded": shared["recorded"], "activity": shared["activity"],
                  "agent": shared["agent"],
                  "entity": [{"role": "source", "what": {"reference": f"Binary/{binary['id']}"}}]}
    every = [*resources, (Binary.model_validate(binary), binary),
             (Provenance.model_validate(provenance), provenance)]
    entries = [BundleEntry(resource=m, request=BundleEntryRequest(
        method="PUT", url=f"{m.get_resource_type()}/{m.id}")) for m, _ in every]
    data = {"resourceType": "Bundle", "type": "transaction",
            "entry": [{"resource": item, "request": {"method": "PUT",
                                                     "url": f"{item['resourceType']}/"
                                                            f"{item['id']}"}}
                      for _, item in every]}
    return Bundle(type="transaction", entry=entries), data


def _to_fhir(partner: Partner, record: SourceRecord, bindings: dict[str, Any],
             at: datetime) -> MappedRecord | list[FieldError]:
    output, errors = _evaluate(partner, "to-fhir", record.data, bindings)
    if errors:
        return errors
    models, errors = _resources(partner, output)
    if errors:
        return errors
    if not models:
        return [FieldError("$", "no-output", "the map made no resource from this record")]
    bundle, data = _bundle(partner, record, models, at)
    return MappedRecord(record.location, record.key, bundle, data)


# ------------------------------------------------------------------------------ from-fhir
def _plain_fhir_errors(value: Any, path: str = "Bundle") -> Iterator[FieldError]:
    """Anything of this guide (profiles, extensions, code systems) in a plain-FHIR output."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _plain_fhir_errors(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _plain_fhir_errors(item, f"{path}[{index}]")
    elif isinstance(value, str) and value.startswith(CANONICAL):
        yield FieldError(path, "plain-fhir", "refers to the Regie guide; the partner gets "
                                             "plain FHIR R4 base resources only")


def _check_plain_bundle(output: Any) -> tuple[Any, list[FieldError]]:
    output = _prune(output)
    if not isinstance(output, dict) or output.get("resourceType") != "Bundle":
        return None, [FieldError("$", "not-a-bundle", "the map must return a FHIR Bundle")]
    try:
        bundle = Bundle.model_validate(output)
    except ValidationError as failure:
        return None, [FieldError("Bundle" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                                    for p in e.get("loc", ())),
                                 "fhir-structure", str(e.get("msg", "invalid"))[:200])
                      for e in failure.errors()]
    data = bundle.model_dump(mode="json", exclude_none=True)
    return data, list(_plain_fhir_errors(data))


def _check_tables(partner: Partner, output: Any) -> tuple[Any, list[FieldError]]:
    tables: tuple[Table, ...] = partner.out_tables or partner.tables
    if not isinstance(output, dict):
        return None, [FieldError("$", "type-object", "the map must return one list per table")]
    errors: list[FieldError] = []
    unknown = set(output) - {t.name for t in tables}
    errors += [FieldError(name, "unknown-table", "not a table of the partner") for name in unknown]
    rendered: dict[str, list[dict[str, str]]] = {}
    for table in tables:
        rows = output.get(table.name) or []
        rows = rows if isinstance(rows, list) else [rows]
        rendered[table.name] = [
            write_value(row, table.schema, f"{table.name}[{i}]", partner.clock, errors) or {}
            for i, row in enumerate(rows)]
    return rendered, errors


def _from_fhir(partner: Partner, record: SourceRecord,
               bindings: dict[str, Any]) -> MappedRecord | list[FieldError]:
    errors = _validation_errors(record.data, "")
    if errors:
        return errors
    output, errors = _evaluate(partner, "from-fhir", record.data, bindings)
    if errors:
        return errors
    if partner.format == "fhir":
        rendered, errors = _check_plain_bundle(output)
    elif partner.format == "csv":
        rendered, errors = _check_tables(partner, _prune(output))
    else:
        assert partner.out_record is not None
        errors = []
        rendered = write_value(_prune(output), partner.out_record, "", partner.clock, errors)
    if errors:
        return errors
    return MappedRecord(record.location, record.key, rendered)


# ------------------------------------------------------------------------------------- API
def _as_records(records: Iterable[SourceRecord | Any]) -> Iterator[SourceRecord]:
    for index, record in enumerate(records):
        if isinstance(record, SourceRecord):
            yield record
        else:
            text = json.dumps(record, ensure_ascii=False, sort_keys=True)
            yield SourceRecord(f"$[{index}]", "", record,
                               {"content_type": "application/json", "text": text})


def iter_mapped(partner: Partner | str, direction: str, records: Iterable[SourceRecord | Any],
                *, at: datetime) -> Iterator[MappedRecord | RecordError]:
    """Map records one by one, yielding each result as it is ready (for progress bars).

    ``records`` are :class:`SourceRecord` values from a reader, or plain typed records (dicts;
    their location becomes ``$[i]``). ``at`` is when the mapping runs (Provenance.recorded and
    ``$at`` in maps); it must carry a time zone."""
    spec = load_partner(partner) if isinstance(partner, str) else partner
    if at.tzinfo is None:
        raise ValueError("at: a date-time needs a time zone")
    spec.map_text(direction)  # unknown direction: fail before the first record
    compiled_map(spec, direction)
    step: Callable[[SourceRecord, dict[str, Any]], MappedRecord | list[FieldError]]
    if direction == "to-fhir":
        def step(record: SourceRecord, bindings: dict[str, Any]) -> Any:
            return _to_fhir(spec, record, bindings, at)
    else:
        def step(record: SourceRecord, bindings: dict[str, Any]) -> Any:
            return _from_fhir(spec, record, bindings)
    for record in _as_records(records):
        bindings = {"at": at.isoformat(), "partner": spec.name, "key": record.key,
                    "source": spec.source_organisation}
        result = step(record, bindings)
        if isinstance(result, MappedRecord):
            yield result
        else:
            yield RecordError(record.location, record.key, tuple(result), record.original)


def map_records(partner: Partner | str, direction: str, records: Iterable[SourceRecord | Any],
                *, at: datetime) -> MappingResult:
    """Map every record; failed records come back as errors, the rest continues.

    Parameters:
        partner: a partner name (``"gemeente-suite"``) or a loaded :class:`Partner`.
        direction: ``"to-fhir"`` or ``"from-fhir"``.
        records: reader output or typed records; for from-fhir, FHIR Bundles.
        at: the time of the run (time-zone aware).
    """
    result = MappingResult()
    for item in iter_mapped(partner, direction, records, at=at):
        if isinstance(item, MappedRecord):
            result.outputs.append(item)
        else:
            result.errors.append(item)
    return result
