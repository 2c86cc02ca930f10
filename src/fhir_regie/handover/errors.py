"""The handover's runtime errors: one small tree, messages without personal data.

Messages name resources by ``Type/id``, rules and element paths, never names, BSNs or free
text, because they end up in logs and on terminals. Where a validation is the cause, the
OperationOutcome is kept on the error (``outcome``).
"""

from __future__ import annotations

from typing import Any


class HandoverError(Exception):
    """A handover step that cannot be carried out; ``str()`` is one line."""

    def __init__(self, message: str, outcome: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome


class CaseError(HandoverError):
    """The case given to ``send`` cannot become a handover (no Task, a reference that does
    not resolve, content that may not go, a result that breaks a profile)."""


class StateError(HandoverError):
    """The step does not fit the handover's state (accepting a cancelled handover, cancelling
    an accepted one, a handover that changed at Veilig Thuis after it was pulled)."""


class UnknownServerError(HandoverError):
    """A server no credentials are configured for: nothing is pulled from it (a notification
    could name any address, and the receiver's credentials must not go there)."""
