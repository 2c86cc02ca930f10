"""Regional agreement settings: the schema, and the loader for ``regions/<name>.yaml``.

Every number DOMAIN.md marks **[regional]** lives here as configuration, never as a constant in a
rule. The shipped files are package data in ``fhir_regie/regions/`` (the ``regions/`` folder of
ARCHITECTURE.md): ``default.yaml`` carries every value; a region file lists only what differs and
is laid over the defaults before the result is checked against the schema below.

A mistake in a file gives one line naming the file and the key, never a traceback::

    regions/flevoland.yaml: monitoring.moment_months: unknown key (did you mean 'moments_months'?)

Example::

    >>> from fhir_regie.workflow.regions import load_region
    >>> load_region("flevoland").monitoring.moments_months
    (3, 6, 12)
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from fhir_regie.messages import said

DEFAULT_REGION = "default"
Days = Annotated[int, Field(strict=True, ge=0, le=3650)]
PositiveDays = Annotated[int, Field(strict=True, ge=1, le=3650)]
Months = Annotated[int, Field(strict=True, ge=1, le=120)]
Score = Annotated[int, Field(strict=True, ge=0, le=10)]
Count = Annotated[int, Field(strict=True, ge=1, le=100)]
#: DOMAIN.md §5 "at most 4 danger statements": the national ceiling, fixed in invariant rg-sfp-1.
MAX_DANGER_STATEMENTS = 4


class RegionError(Exception):
    """A region that cannot be used; ``str()`` is one line naming the file and the key."""


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CalendarSettings(_Settings):
    """How working days are counted (weekends and Dutch public holidays are never working days)."""

    liberation_day: Literal["every-year", "lustrum"]


class VtSettings(_Settings):
    """Veilig Thuis (DOMAIN.md §4)."""

    safety_assessment_working_days: PositiveDays


class LocalTeamSettings(_Settings):
    """The local team after a handover (DOMAIN.md §4)."""

    first_contact_days: PositiveDays
    #: "Immediately" after acute unsafety, in calendar days (0 = the same day): weekends and
    #: holidays count, so it never stretches like a working-day term (4 days over Easter).
    first_contact_acute_days: Annotated[int, Field(strict=True, ge=0, le=14)]

    @model_validator(mode="after")
    def _acute_is_sooner(self) -> LocalTeamSettings:
        if self.first_contact_acute_days > self.first_contact_days:
            raise ValueError(f"first_contact_acute_days ({self.first_contact_acute_days}) "
                             f"exceeds first_contact_days ({self.first_contact_days})")
        return self


class RestrainingOrderSettings(_Settings):
    """Temporary restraining order (*tijdelijk huisverbod*, DOMAIN.md §4)."""

    duration_days: PositiveDays
    extension_days: Days
    inform_local_team_by_day: PositiveDays
    joint_talk_working_days: PositiveDays
    advice_on_day: PositiveDays

    @model_validator(mode="after")
    def _within_order(self) -> RestrainingOrderSettings:
        for key in ("inform_local_team_by_day", "advice_on_day"):
            if getattr(self, key) > self.duration_days:
                raise ValueError(f"{key} ({getattr(self, key)}) falls after the order ends "
                                 f"(duration_days {self.duration_days})")
        return self


Route = Literal["direct-after-assessment", "after-voorwaarden-en-vervolg", "after-onderzoek",
                "restraining-order"]


class CaseWeightSettings(_Settings):
    """Which handover routes fit each case weight (*casuszwaarte*, DOMAIN.md §4 [regional])."""

    licht_routes: tuple[Route, ...] = Field(min_length=1)
    middelzwaar_routes: tuple[Route, ...] = Field(min_length=1)
    zwaar_routes: tuple[Route, ...] = Field(min_length=1)


class MonitoringSettings(_Settings):
    """Veilig Thuis monitoring moments after a VT service (DOMAIN.md §4)."""

    moments_months: tuple[Months, ...] = Field(min_length=1)

    @field_validator("moments_months")
    @classmethod
    def _increasing(cls, moments: tuple[int, ...]) -> tuple[int, ...]:
        if any(later <= earlier for earlier, later in itertools.pairwise(moments)):
            raise ValueError(f"must be strictly increasing, got {list(moments)}")
        return moments


class SafetySettings(_Settings):
    """Routekaart phases and stable safety (DOMAIN.md §4, §5)."""

    stable_months_without_incident: Months
    direct_min_score: Score
    risk_guided_min_score: Score
    risk_guided_months: Months
    scoring_interval_months: Months
    recovery_min_score: Score
    #: The profile's invariant rg-sfp-1 is the national maximum (4, DOMAIN.md §5, not marked
    #: regional): a region may agree on fewer, never on more.
    max_danger_statements: Annotated[int, Field(strict=True, ge=1, le=MAX_DANGER_STATEMENTS)]
    talk_with_child_days: PositiveDays
    #: §5 "safety planning takes at least 12-18 months": advice, never a block.
    planning_months_advice: Months


class PlanSettings(_Settings):
    """1G1P1R plan guards (DOMAIN.md §2, §5)."""

    stagnation_overdue_days: Days
    stagnation_overdue_actions: Count
    min_informal_network_before_closing: Annotated[int, Field(strict=True, ge=0, le=100)]


class RegionSettings(_Settings):
    """All regional agreements for one region. ``source`` says which file(s) it came from."""

    name: str
    title: str
    calendar: CalendarSettings
    vt: VtSettings
    local_team: LocalTeamSettings
    restraining_order: RestrainingOrderSettings
    case_weight: CaseWeightSettings
    monitoring: MonitoringSettings
    safety: SafetySettings
    plan: PlanSettings
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# ---------------------------------------------------------------------------------- loading

def _regions_folder() -> Any:
    return resources.files("fhir_regie") / "regions"


def region_names() -> list[str]:
    """Names of the regions shipped with the library."""
    return sorted(entry.name[: -len(".yaml")] for entry in _regions_folder().iterdir()
                  if entry.name.endswith(".yaml"))


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _has_path(data: Any, path: tuple[Any, ...]) -> bool:
    for key in path:
        if not isinstance(data, Mapping) or key not in data:
            return False
        data = data[key]
    return True


def _suggest(loc: tuple[Any, ...]) -> str:
    """For an unknown key: the closest field name of the model it was found in."""
    model: Any = RegionSettings
    for key in loc[:-1]:
        field = model.model_fields.get(key) if isinstance(key, str) else None
        if field is None or not isinstance(field.annotation, type):
            return ""
        model = field.annotation
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe(error: Any) -> str:
    loc = tuple(part for part in error["loc"] if part != "__root__")
    if error["type"] == "extra_forbidden":
        return f"{'.'.join(map(str, loc))}: unknown key{_suggest(loc)}"
    if error["type"] == "missing":
        return f"{'.'.join(map(str, loc))}: required key is missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    where = ".".join(map(str, loc)) or "(top level)"
    return f"{where}: {message} (got {error.get('input')!r})" if error["type"] != "value_error" \
        else f"{where}: {message}"


def _read_yaml(text: str, label: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise RegionError(f"{label}: {where}not valid YAML") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RegionError(f"{label}: (top level): expected a mapping of settings")
    return data


def parse_region(text: str, label: str, *, defaults: Mapping[str, Any] | None = None,
                 defaults_label: str = "regions/default.yaml",
                 expected_name: str | None = None) -> RegionSettings:
    """Check one region file's text (laid over ``defaults``) against the schema.

    ``label`` names the file in error messages. Raises :class:`RegionError` with one line.

    """
    override = _read_yaml(text, label)
    merged = _merge(defaults or {}, override)
    try:
        settings = RegionSettings.model_validate(merged)
    except ValidationError as error:
        errors = error.errors()
        first = errors[0]
        loc = tuple(first["loc"])
        # Blame the region file for what it wrote; the defaults for anything else.
        blame = label if defaults is None or _has_path(override, loc[:1]) else defaults_label
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise RegionError(f"{blame}: {_describe(first)}{more}") from None
    if expected_name is not None and settings.name != expected_name:
        raise RegionError(f"{label}: name: {settings.name!r} does not match the file name "
                          f"{expected_name!r}")
    source = label if defaults is None else f"{defaults_label} + {label}"
    return settings.model_copy(update={"source": source})


def _default_data() -> dict[str, Any]:
    label = f"regions/{DEFAULT_REGION}.yaml"
    text = (_regions_folder() / f"{DEFAULT_REGION}.yaml").read_text(encoding="utf-8")
    data = _read_yaml(text, label)
    parse_region(text, label, expected_name=DEFAULT_REGION)  # the defaults alone must be complete
    return data


def load_region(name_or_path: str = DEFAULT_REGION) -> RegionSettings:
    """The settings of a shipped region by name, or of a YAML file by path.

    A file given by path is laid over the shipped defaults like a shipped region file.
    Raises :class:`RegionError` (one line) for an unknown region or an invalid file.
    """
    if name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise RegionError(said("region.cannot_read", path=str(path),
                                    error=error.__class__.__name__)) from None
        return parse_region(text, str(path), defaults=_default_data())
    if name_or_path not in region_names():
        raise RegionError(said("region.unknown", name=repr(name_or_path),
                               known=", ".join(region_names())))
    label = f"regions/{name_or_path}.yaml"
    text = (_regions_folder() / f"{name_or_path}.yaml").read_text(encoding="utf-8")
    if name_or_path == DEFAULT_REGION:
        return parse_region(text, label, expected_name=DEFAULT_REGION)
    return parse_region(text, label, defaults=_default_data(), expected_name=name_or_path)
