"""The local team's answer on Veilig Thuis's workflow Task (pure): accepted with the moment
responsibility passed, or rejected with the reason, and the request under which that answer
goes back to VT through the consent guard (VT's statutory task covers the local team's answer
to VT, docs/consent.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from fhir_regie.consent import LegalClaim, Request
from fhir_regie.handover._fhir import (
    Resource,
    labels,
    portable,
    reference,
    set_accepted_document,
    set_transfer_moment,
)
from fhir_regie.handover.package import LEGAL_BASIS, PURPOSE

ANSWER_JUSTIFICATION = ("Wettelijke taak Veilig Thuis: het lokale team laat Veilig Thuis weten "
                        "of het de overdracht aanneemt, en welke termijnen daaruit volgen.")


def answered(task: Resource, status: str, at: datetime, *, reason: str | None = None,
             transfer: datetime | str | None = None, by: str | None = None) -> Resource:
    """A copy of the workflow Task with the local team's answer.

    ``transfer`` (accepted): the exact moment responsibility passed, in
    ``executionPeriod.start`` (``rg-hnd-1``), and the version of the handover document the
    Task names is recorded as the version accepted (``rg-hnd-4``: a Task whose focus names no
    version cannot be accepted); ``reason`` (rejected): why (``rg-hnd-2``); ``by``: the local
    team's name, for the business status.
    """
    copy = portable(task)
    copy["status"] = status
    copy["lastModified"] = at.isoformat()
    who = f" door {by}" if by else ""
    if status == "accepted":
        moment = transfer.isoformat() if isinstance(transfer, datetime) else transfer
        set_transfer_moment(copy, str(moment))
        focus = (copy.get("focus") or {}).get("reference")
        if isinstance(focus, str) and "/_history/" in focus:
            set_accepted_document(copy, focus)
        copy.pop("statusReason", None)
        copy["businessStatus"] = {"text": f"Aangenomen{who}; verantwoordelijk voor zicht op "
                                          "veiligheid"}
    else:
        copy["statusReason"] = {"text": reason or ""}
        copy["businessStatus"] = {"text": f"Afgewezen{who}"}
    return copy


def answer_request(task: Resource, at: datetime,
                   more_labels: Iterable[Resource] = ()) -> Request:
    """The disclosure of the answer: from the Task's owner (the local team) to its requester
    (Veilig Thuis), for the handover, on VT's statutory task; the confidentiality labels of
    what goes are covered because the handover carries them."""
    vt, team = reference(task.get("requester")), reference(task.get("owner"))
    if vt is None or team is None:
        raise ValueError("the handover Task names no requester and owner")
    covered = set().union(labels(task), *(labels(r) for r in more_labels)) & {"R", "V"}
    return Request(recipient=vt, purpose=PURPOSE, at=at, discloser=team,
                   legal_claim=LegalClaim(LEGAL_BASIS, ANSWER_JUSTIFICATION,
                                          covers_labels=tuple(sorted(covered))))
