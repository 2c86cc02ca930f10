"""A client for a server named on the command line, with auth taken from the environment.

Commands that read from a server (``--server URL``) must not take secrets as arguments (they end
up in shell history and process lists). This module reads them from environment variables, each
of which may hold the value or name a file (``..._FILE``):

=============================== ============================================================
``FHIR_REGIE_TOKEN[_FILE]``     a bearer token
``FHIR_REGIE_TOKEN_URL``        OAuth2 token endpoint; with it ``FHIR_REGIE_CLIENT_ID`` and one of
``FHIR_REGIE_PRIVATE_KEY``      PEM text or file (SMART Backend Services, ``private_key_jwt``;
                                ``FHIR_REGIE_KEY_ID`` names the key), or
``FHIR_REGIE_CLIENT_SECRET[_FILE]`` a client secret (client credentials, HTTP Basic)
``FHIR_REGIE_SCOPE``            the scope to request (default ``system/*.rs``: read and search)
=============================== ============================================================

Without any of them the client sends no credentials (a local or test server). Another
prefix than ``FHIR_REGIE`` names the same variables for another server (``auth_from_env(
prefix="FHIR_REGIE_PEER")``): the handover commands talk to two organisations' servers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from fhir_regie.client.auth import (
    Auth,
    BearerToken,
    ClientCredentials,
    NoAuth,
    PrivateKeyJwt,
    load_private_key,
    load_secret,
)
from fhir_regie.client.client import FhirClient

DEFAULT_SCOPE = "system/*.rs"


class ClientConfigError(ValueError):
    """The environment describes no usable auth; ``str()`` is one line without secrets."""


def _secret(environ: Mapping[str, str], name: str) -> str | None:
    if environ.get(name):
        return environ[name].strip()
    path = environ.get(f"{name}_FILE")
    if path:
        try:
            return load_secret(path=path)
        except (OSError, ValueError) as error:
            raise ClientConfigError(f"{name}_FILE: cannot read the secret "
                                    f"({error.__class__.__name__})") from None
    return None


def auth_from_env(environ: Mapping[str, str] | None = None,
                  prefix: str = "FHIR_REGIE") -> Auth:
    """The auth strategy the environment describes (see the module docstring).

    ``prefix`` replaces ``FHIR_REGIE`` in every variable name, so one process can hold the
    credentials of several servers (``FHIR_REGIE_PEER_TOKEN_FILE`` for a second organisation's
    server, say).
    """
    environ = os.environ if environ is None else environ
    token = _secret(environ, f"{prefix}_TOKEN")
    token_url = environ.get(f"{prefix}_TOKEN_URL")
    if token and token_url:
        raise ClientConfigError(f"set either {prefix}_TOKEN or {prefix}_TOKEN_URL, not both")
    if token:
        return BearerToken(token)
    if not token_url:
        return NoAuth()
    client_id = environ.get(f"{prefix}_CLIENT_ID")
    if not client_id:
        raise ClientConfigError(f"{prefix}_TOKEN_URL needs {prefix}_CLIENT_ID")
    scope = environ.get(f"{prefix}_SCOPE") or DEFAULT_SCOPE
    try:
        if environ.get(f"{prefix}_PRIVATE_KEY"):
            kid = environ.get(f"{prefix}_KEY_ID")
            if not kid:
                raise ClientConfigError(f"{prefix}_PRIVATE_KEY needs {prefix}_KEY_ID")
            key = load_private_key(env=f"{prefix}_PRIVATE_KEY", environ=environ)
            return PrivateKeyJwt(token_url, client_id, key, kid, scope=scope)
        secret = _secret(environ, f"{prefix}_CLIENT_SECRET")
        if not secret:
            raise ClientConfigError(f"{prefix}_TOKEN_URL needs {prefix}_PRIVATE_KEY or "
                                    f"{prefix}_CLIENT_SECRET")
        return ClientCredentials(token_url, client_id, secret, scope=scope)
    except ClientConfigError:
        raise
    except (OSError, ValueError) as error:
        # The messages of the auth module name no secret; keep them, on one line.
        raise ClientConfigError(str(error).splitlines()[0]) from None


def client_from_env(base_url: str, environ: Mapping[str, str] | None = None) -> FhirClient:
    """A :class:`FhirClient` for ``base_url`` with :func:`auth_from_env`'s strategy."""
    try:
        return FhirClient(base_url, auth=auth_from_env(environ))
    except ClientConfigError:
        raise
    except ValueError as error:
        raise ClientConfigError(str(error)) from None
