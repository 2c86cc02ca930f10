"""Veilig Thuis -> local team handover over FHIR, as a notified pull (docs/handover.md).

Veilig Thuis's side: :func:`send` puts exactly what the route carries on VT's own server,
through the consent guard, and leaves a notification on the local team's server;
:func:`cancel` withdraws an offer. The local team's side: :func:`take_in` pulls what the
notifications announce with the local team's own credentials, validates and stores it (an
invalid handover is refused with its reason and kept); :func:`inbox` lists it; :func:`accept`
records the moment responsibility passes on both servers and creates the terms and the safety
plan; :func:`reject` refuses with a reason. :class:`Credentials` holds one auth per server.

Example::

    >>> from fhir_regie.handover import Credentials, accept, send, take_in  # doctest: +SKIP
    >>> send(case, vt_client, team_client, at=now)                         # doctest: +SKIP
    >>> take_in(Credentials(team_url, peers={vt_url: NoAuth()}), at=now)    # doctest: +SKIP
"""

from fhir_regie.handover.answer import Answered, accept, reject
from fhir_regie.handover.credentials import Credentials
from fhir_regie.handover.errors import CaseError, HandoverError, StateError, UnknownServerError
from fhir_regie.handover.inbox import Handover, Taken, inbox, inbox_lines, take_in
from fhir_regie.handover.send import Sent, cancel, send

__all__ = ["Answered", "CaseError", "Credentials", "Handover", "HandoverError", "Sent",
           "StateError", "Taken", "UnknownServerError", "accept", "cancel", "inbox",
           "inbox_lines", "reject", "send", "take_in"]
