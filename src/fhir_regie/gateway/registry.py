"""The client registry: which partner systems may use the gateway, for which organisation, in
which role, for which purposes, with which keys.

A YAML or JSON file, validated strictly (pydantic, unknown fields refused)::

    clients:
      - client_id: his-huisartsen-de-brug          # the assertion's iss and sub
        organization: Organization/devries-org-huisarts   # as on the care record's server
        ura: "00001234"                            # the organisation's URA number
        role: gp
        purposes: [shared-plan-view]
        scopes: [system/*.rs, system/Task.u]       # the most this client may be granted
        jwks_file: keys/his-de-brug.jwks.json      # or jwks: {keys: [...]} inline

A client is refused at the token endpoint for anything not listed here (deny by default).
The keys are public keys only: a JWKS holding a private part (``d``) is refused, so a private
key pasted by mistake is not kept in a file many people read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from joserfc import jwk
from joserfc.errors import JoseError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from fhir_regie.gateway.scopes import parse_scope
from fhir_regie.limits import LimitError, read_text

#: Purposes a client may ask for through the gateway: those a consent can cover for a partner
#: that reads (``regie-sharing-purpose``). The handover, the meldcode report and anonymous
#: advice go on a legal basis or without identity, never as a partner's read.
GATEWAY_PURPOSES = ("care-coordination", "safety-planning", "shared-plan-view", "vt-monitoring")
#: The role of the organisation in the exchange. ``veilig-thuis`` and ``local-team`` tell the
#: consent engine the kind of organisation (``Request.directory``) where the records do not.
ROLES = ("gp", "youth-health-care", "school", "care-provider", "veilig-thuis", "local-team")
DIRECTORY_KIND = {"veilig-thuis": "vt", "local-team": "local-team"}

_ORG = re.compile(r"Organization/[A-Za-z0-9\-.]{1,64}")
_ROLE = re.compile(r"PractitionerRole/[A-Za-z0-9\-.]{1,64}")
_CLIENT_ID = re.compile(r"[A-Za-z0-9\-._~]{3,128}")
_PRIVATE = {"d", "p", "q", "dp", "dq", "qi", "k"}


class RegistryError(ValueError):
    """The registry file cannot be used; the message is one line without key material."""


class ClientEntry(BaseModel):
    """One registered client (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_id: str
    organization: str
    ura: str
    role: Literal["gp", "youth-health-care", "school", "care-provider", "veilig-thuis",
                  "local-team"]
    purposes: tuple[str, ...] = Field(min_length=1)
    scopes: tuple[str, ...] = Field(min_length=1)
    practitioner_role: str | None = None
    jwks: dict[str, Any] | None = None
    jwks_file: str | None = None

    @field_validator("client_id")
    @classmethod
    def _client_id(cls, value: str) -> str:
        if not _CLIENT_ID.fullmatch(value):
            raise ValueError("3-128 characters from A-Z a-z 0-9 - . _ ~")
        return value

    @field_validator("organization")
    @classmethod
    def _organization(cls, value: str) -> str:
        if not _ORG.fullmatch(value):
            raise ValueError("must be Organization/<id>")
        return value

    @field_validator("practitioner_role")
    @classmethod
    def _practitioner_role(cls, value: str | None) -> str | None:
        if value is not None and not _ROLE.fullmatch(value):
            raise ValueError("must be PractitionerRole/<id>")
        return value

    @field_validator("ura")
    @classmethod
    def _ura(cls, value: str) -> str:
        if not re.fullmatch(r"\d{8}", value):
            raise ValueError("a URA number has 8 digits")
        return value

    @field_validator("purposes")
    @classmethod
    def _purposes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for purpose in value:
            if purpose not in GATEWAY_PURPOSES:
                raise ValueError(f"purpose {purpose!r} is not one of {', '.join(GATEWAY_PURPOSES)}")
        return value

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for scope in value:
            if parse_scope(scope) is None:
                raise ValueError(f"{scope!r} is not a SMART v2 system scope "
                                 "(system/<Type or *>.<cruds>)")
        return value

    @model_validator(mode="after")
    def _one_jwks(self) -> ClientEntry:
        if (self.jwks is None) == (self.jwks_file is None):
            raise ValueError("give exactly one of jwks or jwks_file")
        return self

    @property
    def directory(self) -> dict[str, str]:
        """What the consent engine should know of this organisation's kind."""
        kind = DIRECTORY_KIND.get(self.role)
        return {self.organization: kind} if kind else {}


class RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clients: list[ClientEntry] = Field(min_length=1)


class Registry:
    """The registered clients by id, each with its public keys loaded (a JWKS dict)."""

    def __init__(self, clients: dict[str, ClientEntry], keys: dict[str, dict[str, Any]]) -> None:
        self.clients = clients
        self.keys = keys

    def get(self, client_id: str) -> ClientEntry | None:
        return self.clients.get(client_id)

    def jwks(self, client_id: str) -> dict[str, Any]:
        return self.keys[client_id]

    @classmethod
    def from_data(cls, data: Any, base: Path | None = None) -> Registry:
        """A registry from parsed YAML/JSON; ``base`` is where ``jwks_file`` paths start."""
        try:
            parsed = RegistryFile.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RegistryError(f"client registry: {where}: {first['msg']}") from None
        clients: dict[str, ClientEntry] = {}
        keys: dict[str, dict[str, Any]] = {}
        for entry in parsed.clients:
            if entry.client_id in clients:
                raise RegistryError(f"client registry: client_id {entry.client_id!r} twice")
            clients[entry.client_id] = entry
            keys[entry.client_id] = _jwks(entry, base)
        return cls(clients, keys)

    @classmethod
    def load(cls, path: str | Path) -> Registry:
        """Read a registry file (``.yaml``, ``.yml`` or ``.json``) under the intake limits."""
        path = Path(path)
        try:
            text = read_text(path)
        except (OSError, LimitError, UnicodeDecodeError) as error:
            raise RegistryError(f"client registry {path.name}: cannot read "
                                f"({type(error).__name__})") from None
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError):
            raise RegistryError(f"client registry {path.name}: not valid "
                                f"{'JSON' if path.suffix == '.json' else 'YAML'}") from None
        return cls.from_data(data, path.parent)


def _jwks(entry: ClientEntry, base: Path | None) -> dict[str, Any]:
    if entry.jwks is not None:
        jwks = entry.jwks
    else:
        path = Path(str(entry.jwks_file))
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            jwks = json.loads(read_text(path))
        except (OSError, ValueError) as error:
            raise RegistryError(f"client registry: {entry.client_id}: jwks_file cannot be read "
                                f"({type(error).__name__})") from None
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys:
        raise RegistryError(f"client registry: {entry.client_id}: a JWKS needs a keys list")
    for key in keys:
        if not isinstance(key, dict) or key.get("kty") not in ("RSA", "EC") or not key.get("kid"):
            raise RegistryError(f"client registry: {entry.client_id}: each key needs kty RSA "
                                "or EC and a kid")
        if _PRIVATE & set(key):
            raise RegistryError(f"client registry: {entry.client_id}: the JWKS holds a private "
                                "key; register the public key only")
        try:
            jwk.import_key(key)
        except (JoseError, ValueError, TypeError, KeyError):
            raise RegistryError(f"client registry: {entry.client_id}: key {key['kid']!r} is "
                                "not a usable public key") from None
    return {"keys": keys}
