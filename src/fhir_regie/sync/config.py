"""The sync configuration file (``fhir-regie sync run --config FILE``): YAML, checked with
pydantic; a mistake is one line naming the file and the key (``sync.yaml: jobs[0].partner.url:
field required``).

Secrets are never in the file: an ``auth`` block names an environment variable (``*_env``) or a
file (``*_file``) that holds them; a literal ``token:`` or ``client_secret:`` is refused.
Relative paths are relative to the configuration file's folder.

Example (docs/sync.md explains every key)::

    state: state/sync.db
    organisation: Organization/devries-org-wijkteam
    local: {url: "http://127.0.0.1:8080/fhir"}
    jobs:
      - name: gemeente
        partner: {kind: files, inbox: drop/in, outbox: drop/out}
        mapping: gemeente-suite
        direction: both
        purpose: care-coordination
        recipient: Organization/gemeente-arnhem
        schedule: {every: 5m}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from fhir_regie.client import (
    BearerToken,
    ClientCredentials,
    FhirClient,
    PrivateKeyJwt,
    RetryPolicy,
    load_private_key,
    load_secret,
)
from fhir_regie.client.auth import Auth

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}

#: What a sync job moves by default: the household, its plans, actions, scores and the
#: professionals they name. Consents and disclosure records (AuditEvent, Provenance) are each
#: organisation's own records; they are never synchronised.
DEFAULT_TYPES = ("Organization", "Practitioner", "PractitionerRole", "Patient", "RelatedPerson",
                 "Group", "CareTeam", "CarePlan", "Goal", "Condition", "Task", "Observation",
                 "Composition")
#: Types that also exist independently on both sides (persons, organisations): before a new
#: one is created, the target is searched for one with the same business identifier.
DEFAULT_MATCH_TYPES = ("Patient", "RelatedPerson", "Practitioner", "Organization", "Group")
BSN = "http://fhir.nl/fhir/NamingSystem/bsn"


class ConfigError(ValueError):
    """The configuration cannot be used; ``str()`` is one line naming file and key."""


def parse_duration(value: Any) -> float:
    """Seconds from ``30``, ``"30s"``, ``"5m"``, ``"2h"``, ``"1d"`` or ``"250ms"``.

    >>> parse_duration("5m"), parse_duration(1.5), parse_duration("250ms")
    (300.0, 1.5, 0.25)
    """
    if isinstance(value, bool):
        raise ValueError("expected a duration like 30s, 5m or 2h")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError("expected a duration like 30s, 5m or 2h")
    return float(match.group(1)) * _UNITS[match.group(2)]


Duration = Annotated[float, BeforeValidator(parse_duration)]
Reference = Annotated[str, Field(pattern=r"^Organization/[A-Za-z0-9\-.]{1,64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetrySettings(_Strict):
    """How the FHIR client repeats idempotent requests (docs/client.md, "Retries")."""

    attempts: int = Field(4, ge=1, le=20)
    backoff: Duration = 0.5
    cap: Duration = 20.0
    max_retry_after: Duration = 120.0

    def policy(self) -> RetryPolicy:
        return RetryPolicy(max_attempts=self.attempts, backoff_base=self.backoff,
                           backoff_cap=self.cap, max_retry_after=self.max_retry_after)


class AuthSettings(_Strict):
    """Credentials by reference only: environment variables (``*_env``) or files (``*_file``)."""

    token_env: str | None = None
    token_file: Path | None = None
    token_url: str | None = None
    client_id: str | None = None
    private_key_env: str | None = None
    private_key_file: Path | None = None
    key_id: str | None = None
    client_secret_env: str | None = None
    client_secret_file: Path | None = None
    scope: str = "system/*.rs"

    @model_validator(mode="after")
    def _one_strategy(self) -> AuthSettings:
        token = self.token_env or self.token_file
        grant = self.token_url or self.client_id
        if token and grant:
            raise ValueError("use a token (token_env/token_file) or a token_url with a "
                             "client_id, not both")
        if grant:
            if not (self.token_url and self.client_id):
                raise ValueError("token_url and client_id go together")
            keys = sum(bool(v) for v in (self.private_key_env, self.private_key_file,
                                         self.client_secret_env, self.client_secret_file))
            if keys != 1:
                raise ValueError("a token_url needs exactly one of private_key_env, "
                                 "private_key_file, client_secret_env, client_secret_file")
            if (self.private_key_env or self.private_key_file) and not self.key_id:
                raise ValueError("a private key needs key_id")
        elif not token:
            raise ValueError("give token_env, token_file, or token_url with client_id")
        return self

    def strategy(self) -> Auth:
        """The client's auth strategy; reads the secret now (ValueError/OSError without it)."""
        if self.token_env or self.token_file:
            return BearerToken(load_secret(env=self.token_env, path=self.token_file))
        assert self.token_url
        assert self.client_id
        if self.private_key_env or self.private_key_file:
            assert self.key_id
            key = load_private_key(path=self.private_key_file, env=self.private_key_env)
            return PrivateKeyJwt(self.token_url, self.client_id, key, self.key_id,
                                 scope=self.scope)
        secret = load_secret(env=self.client_secret_env, path=self.client_secret_file)
        return ClientCredentials(self.token_url, self.client_id, secret, scope=self.scope)


class ServerSettings(_Strict):
    """One FHIR server: where, how to authenticate, timeouts and retries."""

    url: Annotated[str, Field(pattern=r"^https?://[^\s?#]+$")]
    auth: AuthSettings | None = None
    timeout: tuple[Duration, Duration] = (5.0, 30.0)
    retry: RetrySettings = RetrySettings()
    verify: bool = True

    def client(self) -> FhirClient:
        """A :class:`FhirClient` for this server. Searches ask caches to step aside
        (``Cache-Control: no-cache``): HAPI answers a repeated search from a 60 s cache, and a
        sync must see what is there now."""
        import requests

        session = requests.Session()
        session.headers["Cache-Control"] = "no-cache"
        return FhirClient(self.url, session, auth=self.auth.strategy() if self.auth else None,
                          timeout=self.timeout, retry=self.retry.policy(), verify=self.verify)


class FhirPartner(ServerSettings):
    """A partner with its own FHIR server."""

    kind: Literal["fhir"]


class FilePartner(_Strict):
    """A partner that exchanges files in drop directories (the formats of the mapping layer).

    ``inbox``: where the partner puts exports (one sub-folder per CSV export, one file per
    JSON/XML export; names starting with ``.`` are being written and are skipped).
    ``outbox``: where the sync writes, the same way (written under a ``.`` name, then renamed).
    """

    kind: Literal["files"]
    inbox: Path | None = None
    outbox: Path | None = None
    mappings: Path | None = None


class Schedule(_Strict):
    every: Duration = 300.0


class Job(_Strict):
    """One partner, one direction (or both), one mapping, one consent purpose, one schedule."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
    partner: Annotated[FhirPartner | FilePartner, Field(discriminator="kind")]
    direction: Literal["pull", "push", "both"] = "both"
    mapping: str = "regie"
    purpose: str = "care-coordination"
    recipient: Reference
    role: Annotated[str, Field(pattern=r"^PractitionerRole/[A-Za-z0-9\-.]{1,64}$")] | None = None
    schedule: Schedule = Schedule()
    types: tuple[str, ...] = DEFAULT_TYPES
    identifier_systems: tuple[str, ...] = (BSN,)
    match_by_identifier: tuple[str, ...] = DEFAULT_MATCH_TYPES
    push_scope: Literal["linked", "household"] = "linked"
    start: Literal["beginning", "now"] = "beginning"
    batch: int = Field(100, ge=1, le=1000)
    overlap: Duration = 120.0
    max_attempts: int = Field(8, ge=1, le=100)
    retry_backoff: Duration = 2.0
    retry_cap: Duration = 300.0

    @property
    def pulls(self) -> bool:
        return self.direction in ("pull", "both")

    @property
    def pushes(self) -> bool:
        return self.direction in ("push", "both")

    @property
    def files(self) -> bool:
        return isinstance(self.partner, FilePartner)

    @field_validator("purpose")
    @classmethod
    def _known_purpose(cls, value: str) -> str:
        if value not in _purposes():
            raise ValueError(f"not a sharing purpose ({', '.join(sorted(_purposes()))})")
        return value

    @field_validator("types")
    @classmethod
    def _types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        never = {"Consent", "AuditEvent"} & set(value)
        if never:
            raise ValueError(f"{', '.join(sorted(never))} are an organisation's own records "
                             "and are never synchronised")
        return value

    @model_validator(mode="after")
    def _partner_fits(self) -> Job:
        if isinstance(self.partner, FhirPartner):
            if self.mapping != "regie":
                raise ValueError("a FHIR partner speaks the guide's profiles: mapping must be "
                                 "regie")
        else:
            if self.mapping == "regie":
                raise ValueError("a file partner needs the name of its mapping "
                                 "(a folder of mappings/, e.g. gemeente-suite)")
            if self.pulls and self.partner.inbox is None:
                raise ValueError("pulling from a file partner needs partner.inbox")
            if self.pushes and self.partner.outbox is None:
                raise ValueError("pushing to a file partner needs partner.outbox")
        return self


class Config(_Strict):
    """The whole file: where the state is kept, who we are, our server, the jobs."""

    #: A SQLite file (relative to the file), or a PostgreSQL URL without a password.
    state: Path | str
    organisation: Reference
    local: ServerSettings
    jobs: tuple[Job, ...] = Field(min_length=1)
    source: Path | None = None  # the file it was read from (set by load_config)

    @field_validator("state", mode="before")
    @classmethod
    def _state(cls, value: object) -> object:
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            if re.match(r"postgres(ql)?://[^/@]*:[^/@]*@", value):
                raise ValueError("secrets are never written in the file: give the database "
                                 "password in PGPASSWORD or a ~/.pgpass file")
            return value
        return Path(value) if isinstance(value, str) else value

    @field_validator("jobs")
    @classmethod
    def _unique(cls, jobs: tuple[Job, ...]) -> tuple[Job, ...]:
        names = [job.name for job in jobs]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"job names must be unique ({', '.join(twice)})")
        return jobs

    def job(self, name: str) -> Job:
        for job in self.jobs:
            if job.name == name:
                return job
        raise ConfigError(f"{self.source or 'config'}: no job named {name!r}")


@cache
def _purposes() -> frozenset[str]:
    from fhir_regie.ig.sharing import purpose_keys

    return purpose_keys()


_SECRET_WORDS = ("token", "secret", "password", "private_key", "key")


def _location(loc: Sequence[int | str]) -> str:
    text = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif previous == "partner" and part in ("fhir", "files"):
            pass  # the discriminated union's tag, not a key of the file
        else:
            text += f".{part}" if text else str(part)
        previous = part
    return text or "(top level)"


def _message(error: Any) -> str:
    kind, loc = error["type"], error["loc"]
    name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden" and any(w in name.lower() for w in _SECRET_WORDS):
        return "secrets are never written in the file: name an environment variable " \
               "(*_env) or a file (*_file)"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required"
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def _resolve(path: Path | None, folder: Path) -> Path | None:
    if path is None:
        return None
    return path if path.is_absolute() else folder / path


def load_config(path: str | Path) -> Config:
    """Read and check a configuration file; :class:`ConfigError` (one line) when it is wrong.

    >>> load_config("missing.yaml")  # doctest: +SKIP
    Traceback (most recent call last):
    ConfigError: missing.yaml: cannot read (No such file or directory)
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{source}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{source}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of keys (state, organisation, local, "
                          "jobs)")
    try:
        config = Config.model_validate(data)
    except ValidationError as failure:
        first, *rest = failure.errors()
        # An error about a list that lost its broken item is a follow-on, not another mistake.
        more = [e for e in rest if tuple(e["loc"]) != tuple(first["loc"])[:len(e["loc"])]]
        extra = f" (+{len(more)} more)" if more else ""
        raise ConfigError(f"{source}: {_location(first['loc'])}: {_message(first)}{extra}") \
            from None
    return _with_paths(config, source.parent).model_copy(update={"source": source})


def _auth_paths(auth: AuthSettings | None, folder: Path) -> AuthSettings | None:
    if auth is None:
        return None
    return auth.model_copy(update={
        name: _resolve(getattr(auth, name), folder)
        for name in ("token_file", "private_key_file", "client_secret_file")})


def _with_paths(config: Config, folder: Path) -> Config:
    """Relative paths of the file made relative to its folder."""
    jobs = []
    for job in config.jobs:
        partner: FhirPartner | FilePartner
        if isinstance(job.partner, FilePartner):
            partner = job.partner.model_copy(update={
                "inbox": _resolve(job.partner.inbox, folder),
                "outbox": _resolve(job.partner.outbox, folder),
                "mappings": _resolve(job.partner.mappings, folder)})
        else:
            partner = job.partner.model_copy(
                update={"auth": _auth_paths(job.partner.auth, folder)})
        jobs.append(job.model_copy(update={"partner": partner}))
    local = config.local.model_copy(update={"auth": _auth_paths(config.local.auth, folder)})
    state = config.state if isinstance(config.state, str) else _resolve(config.state, folder)
    return config.model_copy(update={"state": state, "local": local,
                                     "jobs": tuple(jobs)})
