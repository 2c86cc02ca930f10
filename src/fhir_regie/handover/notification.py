"""The notification of the notified pull (``regie-handover-notification``): where the handover
waits, and nothing of the case (ARCHITECTURE.md §5, as in the Dutch eOverdracht pattern).

It names the workflow Task by its absolute URL *with version*, so

- the receiver knows where to pull and pulls with its own credentials;
- a changed handover (a new Task version) is a new notification, and the receiver sees the
  new version;
- the same notification delivered twice has the same identifier (a UUID derived from the
  Task URL and version), so it is created once (conditional create) and taken in once.

The organisations are named by URA number, not by a reference: they are not resources on the
receiver's server (a server with referential integrity, like HAPI, would refuse a dangling
reference). The notification is built only from the Task as the consent guard let it go, and
carries that Task's confidentiality label (its existence says something about the case).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from fhir_regie.handover._fhir import Resource, highest_label, key, reference
from fhir_regie.ig.sharing import organisation_identifiers
from fhir_regie.model import Organisation, handover_notification, to_json
from fhir_regie.model.handover import NOTIFICATION_SYSTEM, URI_SYSTEM

#: Namespace of the notification identifiers (UUID version 5 of the versioned Task URL).
NAMESPACE = uuid.UUID("6f1c2b9e-4d3a-5e8f-9b0c-7a6d5e4f3c2b")
_TASK_URL = re.compile(r"^(?P<base>https?://.+)/Task/(?P<id>[A-Za-z0-9.-]{1,64})"
                       r"/_history/(?P<version>[0-9]{1,9})$")


@dataclass(frozen=True)
class TaskAddress:
    """A versioned workflow Task on the sender's server."""

    base_url: str
    task_id: str
    version: str

    @property
    def url(self) -> str:
        return f"{self.base_url}/Task/{self.task_id}/_history/{self.version}"

    @property
    def identifier(self) -> str:
        """The notification identifier for this Task version."""
        return str(uuid.uuid5(NAMESPACE, self.url))


def parse_address(url: str) -> TaskAddress:
    """The parts of ``<base>/Task/<id>/_history/<n>``; ValueError for anything else.

    Example::

        >>> parse_address("https://vt.example/fhir/Task/vt-1/_history/2").version
        '2'
    """
    match = _TASK_URL.match(url or "")
    if not match:
        raise ValueError("not the address of a Task version (<base>/Task/<id>/_history/<n>)")
    return TaskAddress(match["base"].rstrip("/"), match["id"], match["version"])


def address_of(notification: Resource) -> TaskAddress:
    """Where a notification points (ValueError when it does not point at a Task version)."""
    focus = notification.get("focus") or {}
    identifier = focus.get("identifier") or {}
    if identifier.get("system") != URI_SYSTEM:
        raise ValueError("the notification does not name its Task by URL")
    return parse_address(identifier.get("value", ""))


def identifier_of(notification: Resource) -> str | None:
    return next((i.get("value") for i in notification.get("identifier", [])
                 if isinstance(i, dict) and i.get("system") == NOTIFICATION_SYSTEM), None)


def organisation(resources: Mapping[str, Resource], element: object) -> Organisation:
    """The organisation a Reference points to, by name and URA number (or KvK, OIN)."""
    ref = reference(element)
    found = resources.get(ref or "")
    name = (found or {}).get("name") or (element.get("display") if isinstance(element, dict)
                                         else None) or ref or "onbekend"
    return Organisation.of(str(name), organisation_identifiers(found))


def build(task: Resource, resources: Mapping[str, Resource], address: TaskAddress,
          at: datetime) -> Resource:
    """The notification for the shared Task copy ``task`` at ``address``.

    ``resources`` are the shared copies keyed ``Type/id`` (for the organisations' names and
    URA numbers); nothing else of them is used.
    """
    if key(task) != f"Task/{address.task_id}":
        raise ValueError("the address is not that of this Task")
    built = handover_notification(
        identifier=address.identifier, task_url=address.url,
        vt=organisation(resources, task.get("requester")),
        local_team=organisation(resources, task.get("owner")), authored_on=at,
        security_label=highest_label([task]))
    return to_json(built)
