"""Builder for the report (*melding*) received by Veilig Thuis (docs/ig/handover.md,
``regie-report``): when it came in, by which channel, who reported and whether they stay
anonymous towards the household, whom it concerns and what was reported."""

from __future__ import annotations

from collections.abc import Sequence

from fhir.resources.R4B.communication import Communication, CommunicationPayload
from fhir.resources.R4B.identifier import Identifier

from fhir_regie.model._base import (
    DateTimeLike,
    Ref,
    as_list,
    builds,
    concept,
    extension,
    fhir_datetime,
    finish,
    optional_reference,
    reference,
    references,
)

SUBJECTS = ("Group", "Patient")
REPORTERS = ("Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "Patient")


@builds("regie-report")
def report(*, received: DateTimeLike, channel: str, subject: Ref, vt: Ref,
           what_was_reported: str | Sequence[str], reporter_anonymous: bool,
           reporter: Ref | None = None, concerns: Ref | Sequence[Ref] | None = None,
           signals: Ref | Sequence[Ref] | None = None, kind: str = "report",
           identifier: Identifier | Sequence[Identifier] | None = None,
           status: str = "completed", id: str | None = None,
           security_label: str | None = None) -> Communication:
    """A report received by Veilig Thuis (profile ``regie-report``).

    Parameters:
        received: when Veilig Thuis received it; its safety assessment's term counts from here
            (``vt.safety_assessment_working_days``, regional).
        channel: phone, web-form, email, letter, in-person, police (``regie-report-channel``).
        subject: the household (or person) it is about; ``concerns``: the persons it concerns.
        vt: the Veilig Thuis organisation that received it.
        what_was_reported: the report in the reporter's words (one text per part).
        reporter_anonymous: whether the reporter stays anonymous towards the household; a
            reporter who does not must be named in ``reporter`` (a copy that
            leaves Veilig Thuis carries the reporter only when contact is needed).
        reporter: who reported (*melder*): a professional, an organisation, a related person.
        signals: ``regie-signal`` Observations recorded from the report.
        kind: report, re-report (*hermelding*) or radar (information only).

    Example::

        >>> melding = report(received="2026-11-02T08:40:00+01:00", channel="phone",
        ...     subject="Group/hoekstra-household", vt="Organization/hoekstra-org-vt",
        ...     what_was_reported="Een buurvrouw hoorde zondagnacht geschreeuw en een klap.",
        ...     reporter_anonymous=True, reporter="RelatedPerson/hoekstra-melder",
        ...     concerns=["Patient/hoekstra-linda"], id="hoekstra-melding")
        >>> melding.received.isoformat()
        '2026-11-02T08:40:00+01:00'
    """
    if not reporter_anonymous and reporter is None:
        raise ValueError("reporter: a reporter who does not stay anonymous towards the "
                         "household is named in Veilig Thuis's record")
    return finish(
        Communication, "regie-report", id=id, security_label=security_label,
        extension=[extension("regie-reporter-anonymous", valueBoolean=reporter_anonymous)],
        identifier=as_list(identifier),
        status=status,
        category=[concept("regie-report-kind", kind)],
        medium=[concept("regie-report-channel", channel)],
        subject=reference(subject, *SUBJECTS, parameter="subject"),
        about=references(concerns, "Patient", parameter="concerns"),
        received=fhir_datetime(received, "received"),
        recipient=[reference(vt, "Organization", parameter="vt")],
        sender=optional_reference(reporter, *REPORTERS, parameter="reporter"),
        reasonReference=references(signals, "Observation", parameter="signals"),
        payload=[CommunicationPayload(contentString=text)
                 for text in as_list(what_was_reported)],
    )
