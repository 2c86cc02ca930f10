"""Shared building blocks of the builders: codes, references, extensions, dates, validate-on-build.

Nothing here is public API; the builders in the sibling modules are. Two kinds of mistakes are
told apart:

- a value the builder can reject on its own (an unknown code, a reference to the wrong kind of
  resource, a date-time without a time zone) raises ``ValueError`` at once, naming the parameter;
- a resource that breaks its profile raises :class:`InvalidResourceError` with the validator's
  OperationOutcome (see :func:`finish`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache, wraps
from typing import Any, ParamSpec, TypeVar

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from fhir_regie.ig import codesystem_url, extension_url, load_package, profile_url, valueset_url
from fhir_regie.model.errors import InvalidResourceError, failing
from fhir_regie.validation import Issue, iter_issues
from fhir_regie.validation.outcome import issue

P = ParamSpec("P")
R = TypeVar("R", bound=Resource)

#: What a reference parameter accepts: a built resource (with an id), ``"Type/id"``, a Reference.
Ref = Resource | Reference | str
#: A FHIR date: a ``date`` or a FHIR date string (``"2026"``, ``"2026-10"``, ``"2026-10-08"``).
DateLike = date | str
#: A FHIR dateTime: a time-zone-aware ``datetime``, a ``date``, or a FHIR dateTime string.
DateTimeLike = datetime | date | str

CONFIDENTIALITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
# HL7 v3 Confidentiality codes with their HL7 displays (the guide labels honour-related cases V).
CONFIDENTIALITY = {"U": "unrestricted", "L": "low", "M": "moderate", "N": "normal",
                   "R": "restricted", "V": "very restricted"}
#: Sensitivity and integrity labels beside the confidentiality code (docs/ig/README.md,
#: Sensitivity labels): v3 ActCode SDV on domestic-violence and meldcode data, v3
#: ObservationValue PSEUDED on pseudonymised output (anonymous advice).
SDV, PSEUDED = "SDV", "PSEUDED"
SENSITIVITY = {
    SDV: ("http://terminology.hl7.org/CodeSystem/v3-ActCode",
          "sexual assault, abuse, or domestic violence information sensitivity"),
    PSEUDED: ("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "pseudonymized"),
}

# Required core bindings the builders set themselves. The Python validator leaves bindings to the
# HL7 reference validator, and fhir.resources accepts any code, so the builders check these codes
# (FHIR R4 value sets of the same names, hl7.org/fhir/R4/valueset-*.html).
CORE_CODES: dict[str, frozenset[str]] = {
    "administrative-gender": frozenset({"male", "female", "other", "unknown"}),
    "care-plan-status": frozenset({"draft", "active", "on-hold", "revoked", "completed",
                                   "entered-in-error", "unknown"}),
    "care-team-status": frozenset({"proposed", "active", "suspended", "inactive",
                                   "entered-in-error"}),
    "task-status": frozenset({"draft", "requested", "received", "accepted", "rejected", "ready",
                              "cancelled", "in-progress", "on-hold", "failed", "completed",
                              "entered-in-error"}),
    "observation-status": frozenset({"registered", "preliminary", "final", "amended",
                                     "corrected", "cancelled", "entered-in-error", "unknown"}),
    "goal-status": frozenset({"proposed", "planned", "accepted", "active", "on-hold",
                              "completed", "cancelled", "entered-in-error", "rejected"}),
    "goal-achievement": frozenset({"in-progress", "improving", "worsening", "no-change",
                                   "achieved", "sustaining", "not-achieved", "no-progress",
                                   "not-attainable"}),
    "condition-clinical": frozenset({"active", "recurrence", "relapse", "inactive", "remission",
                                     "resolved"}),
    "consent-state-codes": frozenset({"draft", "proposed", "active", "rejected", "inactive",
                                      "entered-in-error"}),
    "composition-status": frozenset({"preliminary", "final", "amended", "entered-in-error"}),
    "audit-event-action": frozenset({"C", "R", "U", "D", "E"}),
    "audit-event-outcome": frozenset({"0", "4", "8", "12"}),
    "contact-point-system": frozenset({"phone", "fax", "email", "pager", "url", "sms", "other"}),
}
HL7_SYSTEMS = {
    "goal-achievement": "http://terminology.hl7.org/CodeSystem/goal-achievement",
    "condition-clinical": "http://terminology.hl7.org/CodeSystem/condition-clinical",
}

_REFERENCE = re.compile(r"^(?P<type>[A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}$")
_ABSOLUTE = re.compile(r"^https?://\S+/(?P<type>[A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}(/_history/\S+)?$")


# ------------------------------------------------------------------------------------- codes
@cache
def _concepts(codesystem_id: str) -> dict[str, str]:
    """code -> Dutch display of one of the guide's code systems (nested concepts included)."""
    try:
        codesystem = load_package().by_url(codesystem_url(codesystem_id))
    except KeyError:
        raise ValueError(f"unknown code system {codesystem_id!r}: not part of the guide") from None
    found: dict[str, str] = {}

    def walk(concepts: Iterable[dict[str, Any]]) -> None:
        for concept in concepts:
            found[concept["code"]] = concept.get("display", "")
            walk(concept.get("concept", []))

    walk(codesystem.get("concept", []))
    return found


@cache
def _valueset_codes(valueset_id: str) -> frozenset[tuple[str, str]]:
    """(system, code) pairs a value set of the guide allows (whole systems or listed concepts)."""
    valueset = load_package().by_url(valueset_url(valueset_id))
    allowed: set[tuple[str, str]] = set()
    for include in valueset.get("compose", {}).get("include", []):
        system = include["system"]
        listed = include.get("concept")
        if listed:
            allowed.update((system, concept["code"]) for concept in listed)
        else:
            codesystem_id = system.rsplit("/", 1)[-1]
            allowed.update((system, code) for code in _concepts(codesystem_id))
    return frozenset(allowed)


def coding(codesystem_id: str, code: str, *, valueset: str | None = None) -> Coding:
    """A Coding from one of the guide's code systems, with the Dutch display of the code.

    ``valueset`` narrows the allowed codes to a value set of the guide (for bindings that take
    part of a code system). An unknown code raises ValueError naming the code system and code.
    """
    concepts = _concepts(codesystem_id)
    if code not in concepts:
        known = ", ".join(concepts)
        raise ValueError(f"unknown code {code!r} in code system {codesystem_id} "
                         f"({codesystem_url(codesystem_id)}); known codes: {known}")
    system = codesystem_url(codesystem_id)
    if valueset is not None and (system, code) not in _valueset_codes(valueset):
        allowed = ", ".join(sorted(c for _, c in _valueset_codes(valueset)))
        raise ValueError(f"code {code!r} of code system {codesystem_id} is not in value set "
                         f"{valueset}; allowed: {allowed}")
    return Coding(system=system, code=code, display=concepts[code])


def concept(codesystem_id: str, code: str, *, valueset: str | None = None) -> CodeableConcept:
    """A CodeableConcept with one Coding from the guide (see :func:`coding`)."""
    return CodeableConcept(coding=[coding(codesystem_id, code, valueset=valueset)])


def core_code(valueset: str, code: str, parameter: str) -> str:
    """A code of a required core binding, checked (see ``CORE_CODES``)."""
    allowed = CORE_CODES[valueset]
    if code not in allowed:
        raise ValueError(f"{parameter}: unknown code {code!r} in FHIR value set {valueset}; "
                         f"allowed: {', '.join(sorted(allowed))}")
    return code


def hl7_concept(codesystem: str, code: str, parameter: str) -> CodeableConcept:
    """A CodeableConcept from an HL7 code system whose codes ``CORE_CODES`` lists."""
    return CodeableConcept(coding=[Coding(system=HL7_SYSTEMS[codesystem],
                                          code=core_code(codesystem, code, parameter))])


def security_coding(label: str, parameter: str = "security_label") -> Coding:
    """A security label: an HL7 v3 Confidentiality code (``R`` restricted, ``V`` very
    restricted, ...), the v3 ActCode sensitivity ``SDV`` (domestic violence) or the v3
    ObservationValue integrity label ``PSEUDED`` (pseudonymised)."""
    if label in SENSITIVITY:
        system, display = SENSITIVITY[label]
        return Coding(system=system, code=label, display=display)
    if label not in CONFIDENTIALITY:
        raise ValueError(f"{parameter}: unknown security label {label!r}; allowed: "
                         f"{', '.join((*CONFIDENTIALITY, *SENSITIVITY))}")
    return confidentiality_coding(label, parameter)


def confidentiality_coding(label: str, parameter: str = "confidentiality") -> Coding:
    """An HL7 v3 Confidentiality coding only (``Composition.confidentiality``)."""
    if label not in CONFIDENTIALITY:
        raise ValueError(f"{parameter}: unknown code {label!r} in code system v3-Confidentiality; "
                         f"allowed: {', '.join(CONFIDENTIALITY)}")
    return Coding(system=CONFIDENTIALITY_SYSTEM, code=label, display=CONFIDENTIALITY[label])


# -------------------------------------------------------------------------------- references
def reference(target: Ref, *types: str, parameter: str) -> Reference:
    """A Reference to ``target``: a built resource (it needs an id), ``"Type/id"``, an absolute
    url ending in ``Type/id``, a ``urn:uuid:``, or a Reference (kept as it is).

    ``types`` are the resource types the profile allows here; a reference to another type raises
    ValueError naming the parameter (a ``urn:uuid:`` cannot be checked and is let through).
    """
    if isinstance(target, Reference):
        text = target.reference or ""
        checked = target
    elif isinstance(target, Resource):
        resource_type = target.get_resource_type()
        if not target.id:
            raise ValueError(f"{parameter}: the {resource_type} has no id, so it cannot be "
                             "referenced; build it with id=...")
        text = f"{resource_type}/{target.id}"
        checked = Reference(reference=text)
    elif isinstance(target, str):
        text = target
        if not (_REFERENCE.match(text) or _ABSOLUTE.match(text) or text.startswith("urn:uuid:")):
            raise ValueError(f"{parameter}: expected a resource, a Reference or 'Type/id'")
        checked = Reference(reference=text)
    else:
        raise TypeError(f"{parameter}: expected a resource, a Reference or 'Type/id', "
                        f"not {type(target).__name__}")
    match = _REFERENCE.match(text) or _ABSOLUTE.match(text)
    if types and match and match.group("type") not in types:
        raise ValueError(f"{parameter}: must refer to {' or '.join(types)}, "
                         f"not {match.group('type')}")
    return checked


def versioned_reference(target: Ref | Mapping[str, Any], resource_type: str,
                        version: str | None, *, parameter: str) -> Reference:
    """A version-specific Reference ``Type/id/_history/n``: to a built resource or its JSON
    (``version`` defaults to its ``meta.versionId``), to ``Type/id`` with ``version``, or the
    versioned string itself. Raises ValueError when no version is known: what is referred to
    must not change under the reference."""
    if isinstance(target, Mapping):
        text = f"{target.get('resourceType')}/{target.get('id')}"
        version = version or (target.get("meta") or {}).get("versionId")
    elif isinstance(target, Resource):
        text = f"{target.get_resource_type()}/{target.id}"
        version = version or (target.meta.versionId if target.meta else None)
    elif isinstance(target, str) and "/_history/" in target:
        text, _, found = target.partition("/_history/")
        if version not in (None, found):
            raise ValueError(f"{parameter}: two different versions given")
        version = found
    else:
        text = reference(target, resource_type, parameter=parameter).reference or ""
    if not _REFERENCE.match(text) or not text.startswith(f"{resource_type}/"):
        raise ValueError(f"{parameter}: expected a {resource_type} with an id")
    if not version or not re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", str(version)):
        raise ValueError(f"{parameter}: the version of the {resource_type} is needed "
                         "(meta.versionId, or Type/id/_history/n)")
    return Reference(reference=f"{text}/_history/{version}")


def references(targets: Ref | Sequence[Ref] | None, *types: str,
               parameter: str) -> list[Reference]:
    """Several references (one target alone is accepted as a list of one)."""
    return [reference(t, *types, parameter=parameter) for t in as_list(targets)]


def optional_reference(target: Ref | None, *types: str, parameter: str) -> Reference | None:
    return None if target is None else reference(target, *types, parameter=parameter)


# -------------------------------------------------------------------------------- extensions
def extension(extension_id: str, **value: Any) -> Extension:
    """An extension of the guide with one ``value[x]`` (``valueString="..."``) or sub-extensions
    (``extension=[...]``); ``None`` values are left out."""
    return Extension(url=extension_url(extension_id),
                     **{k: v for k, v in value.items() if v is not None})


def coded_extension(extension_id: str, codesystem_id: str, code: str) -> Extension:
    """A simple coded extension: ``valueCodeableConcept`` from one of the guide's code systems."""
    return extension(extension_id, valueCodeableConcept=concept(codesystem_id, code))


def sub_extension(name: str, **value: Any) -> Extension | None:
    """A named part of a complex extension; None when its value is None (left out)."""
    present = {k: v for k, v in value.items() if v is not None}
    return Extension(url=name, **present) if present else None


def complex_extension(extension_id: str, *parts: Extension | None) -> Extension:
    return Extension(url=extension_url(extension_id), extension=[p for p in parts if p])


# ----------------------------------------------------------------------------------- values
def as_list(value: Any) -> list[Any]:
    """``None`` -> [], one value -> [value], a list or tuple -> list (strings are one value)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def notes(texts: str | Sequence[str] | None) -> list[Annotation]:
    """Plain-text notes (one string is one note)."""
    return [Annotation(text=text) for text in as_list(texts)]


def fhir_date(value: DateLike | None, parameter: str) -> date | str | None:
    """A FHIR date (no time): a datetime is refused, so a time is never silently dropped."""
    if isinstance(value, datetime):
        raise ValueError(f"{parameter}: expected a date without a time, got a datetime")
    return value


def fhir_datetime(value: DateTimeLike | None, parameter: str) -> date | datetime | str | None:
    """A FHIR dateTime: a datetime must carry a time zone (FHIR requires one with a time)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(f"{parameter}: a date-time needs a time zone "
                         "(e.g. datetime(..., tzinfo=ZoneInfo('Europe/Amsterdam')))")
    return value


# --------------------------------------------------------------------------- build + validate
def meta(profile_id: str, security_label: str | None, *,
         text_for_perpetrator_side: bool = False, sensitivity: Sequence[str] = ()) -> Meta:
    """``meta`` of a built resource: its profile, a confidentiality label, sensitivity labels
    (``SDV`` on domestic-violence data, docs/ig/README.md), and the mark that
    its free text was written to be read on the alleged perpetrator's side (``meta.tag``
    ``regie-text-audience#perpetrator-side``; without it the disclosure guard sends a
    placeholder there instead, docs/consent.md)."""
    security = ([security_coding(security_label)] if security_label else []) + [
        security_coding(label, "sensitivity") for label in sensitivity] or None
    tag = [coding("regie-text-audience", "perpetrator-side")] \
        if text_for_perpetrator_side else None
    return Meta(profile=[profile_url(profile_id)], security=security, tag=tag)


def _structure_issues(failure: ValidationError) -> list[Issue]:
    """fhir.resources' own refusal as issues like the validator's. The location
    starts at the model that refused (the resource, or a part such as HumanName); the input value
    is never copied into the message."""
    found = []
    for error in failure.errors():
        location = failure.title + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.get("loc", ()))
        found.append(issue("error", "structure", "regie-structure", location,
                           detail=str(error.get("msg", "invalid"))[:300]))
    return found


def builds(profile_id: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: a builder for ``profile_id``. A value fhir.resources refuses while the builder
    assembles the resource (a malformed date string, ...) becomes an InvalidResourceError too."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except ValidationError as failure:
                raise InvalidResourceError(
                    profile_id, _structure_issues(failure)) from None

        return wrapper

    return decorate


def finish(model_class: type[R], profile_id: str, *, id: str | None,
           security_label: str | None, text_for_perpetrator_side: bool = False,
           sensitivity: Sequence[str] = (), **elements: Any) -> R:
    """Make the resource (``meta.profile`` set), validate its JSON against the profile, and
    return it; raise InvalidResourceError when the validator reports an error."""
    present = {k: v for k, v in elements.items() if v is not None and v != []}
    resource = model_class(id=id, meta=meta(
        profile_id, security_label, text_for_perpetrator_side=text_for_perpetrator_side,
        sensitivity=sensitivity),
        **present)
    found = list(iter_issues(to_json(resource), profile=profile_url(profile_id)))
    if failing(found):
        raise InvalidResourceError(profile_id, found)
    return resource


def to_json(resource: Resource) -> dict[str, Any]:
    """The FHIR JSON of a model (what goes on the wire)."""
    return resource.model_dump(mode="json", exclude_none=True)
