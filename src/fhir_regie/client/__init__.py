"""FHIR REST client (HAPI-compatible), its auth strategies and errors, and the embedded server.

See docs/client.md. The embedded server lives in ``fhir_regie.client.server`` and is imported
only where it is used (it starts a subprocess).
"""

from fhir_regie.client.auth import (
    BearerToken,
    ClientCredentials,
    NoAuth,
    PrivateKeyJwt,
    load_private_key,
    load_secret,
)
from fhir_regie.client.client import (
    FhirClient,
    HistoryEntry,
    SearchEntry,
    WriteResult,
    bundle_entry,
    make_bundle,
)
from fhir_regie.client.errors import (
    BadRequest,
    Conflict,
    FhirClientError,
    Forbidden,
    ForeignLinkError,
    Gone,
    HttpError,
    InvalidResponse,
    LimitExceeded,
    MethodNotAllowed,
    NotFound,
    PreconditionFailed,
    ServerError,
    TooManyRequests,
    TransportError,
    Unauthorized,
    Unprocessable,
)
from fhir_regie.client.retry import RetryPolicy

__all__ = [
    "BadRequest", "BearerToken", "ClientCredentials", "Conflict", "FhirClient", "FhirClientError",
    "Forbidden", "ForeignLinkError", "Gone", "HistoryEntry", "HttpError", "InvalidResponse",
    "LimitExceeded", "MethodNotAllowed", "NoAuth", "NotFound", "PreconditionFailed",
    "PrivateKeyJwt",
    "RetryPolicy", "SearchEntry", "ServerError", "TooManyRequests", "TransportError",
    "Unauthorized", "Unprocessable", "WriteResult", "bundle_entry", "load_private_key",
    "load_secret", "make_bundle",
]
