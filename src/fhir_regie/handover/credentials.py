"""Whose credentials go to which server: one Auth per organisation's server.

A handover involves two servers, and each side uses its *own* credentials on both: Veilig
Thuis writes the notification to the local team's server with VT's credentials for it; the
local team pulls from VT's server with the local team's credentials for it. A notification
names an address, and anyone able to leave a notification could name any address, so the
receiver pulls only from servers it has configured: an unknown server gets no request at all
(:class:`UnknownServerError`), and certainly not the receiver's token.

Example::

    >>> from fhir_regie.client import BearerToken, NoAuth
    >>> credentials = Credentials("http://127.0.0.1:8080/fhir", NoAuth(),
    ...                           {"https://vt.example/fhir": BearerToken("from-a-file")})
    >>> credentials.knows("https://vt.example/fhir/")
    True
"""

from __future__ import annotations

from collections.abc import Mapping

from fhir_regie.client import FhirClient
from fhir_regie.client.auth import Auth, NoAuth
from fhir_regie.client.environment import auth_from_env
from fhir_regie.handover.errors import UnknownServerError

#: Environment prefix of the credentials for the other organisation's server when the command
#: line names no other (``FHIR_REGIE_PEER_TOKEN_FILE``, ... as in docs/client.md).
PEER_PREFIX = "FHIR_REGIE_PEER"


def _base(url: str) -> str:
    return url.rstrip("/")


class Credentials:
    """The own server with its auth, and the other servers this organisation talks to.

    Parameters:
        own_url: this organisation's FHIR server.
        own: its auth strategy (``fhir_regie.client.auth``).
        peers: base URL -> auth for each other organisation's server.
    """

    def __init__(self, own_url: str, own: Auth | None = None,
                 peers: Mapping[str, Auth] | None = None) -> None:
        self.own_url = _base(own_url)
        self._auth = {self.own_url: own or NoAuth()}
        for url, auth in (peers or {}).items():
            self._auth.setdefault(_base(url), auth)

    def __repr__(self) -> str:  # never the auth strategies' contents
        return f"Credentials({self.own_url!r}, peers={sorted(set(self._auth) - {self.own_url})})"

    def knows(self, base_url: str) -> bool:
        return _base(base_url) in self._auth

    def client(self, base_url: str) -> FhirClient:
        """A client for a configured server; :class:`UnknownServerError` for any other."""
        base = _base(base_url)
        if base not in self._auth:
            raise UnknownServerError("no credentials are configured for the sending server; "
                                     "nothing is pulled from a server that is not configured")
        return FhirClient(base, auth=self._auth[base])

    def own(self) -> FhirClient:
        return self.client(self.own_url)

    @classmethod
    def from_env(cls, own_url: str, peers: Mapping[str, str] | None = None,
                 environ: Mapping[str, str] | None = None) -> Credentials:
        """Credentials from environment variables: ``FHIR_REGIE_*`` for the own server and,
        per peer base URL, the variables of its prefix (default :data:`PEER_PREFIX`).

        Raises ``ClientConfigError`` (one line naming the variable) for a bad configuration.
        """
        auth = auth_from_env(environ)
        return cls(own_url, auth, {url: auth_from_env(environ, prefix=prefix or PEER_PREFIX)
                                   for url, prefix in (peers or {}).items()})
