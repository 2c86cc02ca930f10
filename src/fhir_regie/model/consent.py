"""Builders for information sharing (docs/ig/consent.md): the household's consent to share, and
the record of every disclosure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fhir.resources.R4B.auditevent import (
    AuditEvent,
    AuditEventAgent,
    AuditEventEntity,
    AuditEventSource,
)
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.consent import (
    Consent,
    ConsentProvision,
    ConsentProvisionActor,
    ConsentVerification,
)
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.period import Period

from fhir_regie.ig.sharing import audit_codings, class_coding, purpose_coding
from fhir_regie.model._base import (
    DateTimeLike,
    Ref,
    as_list,
    builds,
    complex_extension,
    concept,
    core_code,
    fhir_datetime,
    finish,
    optional_reference,
    reference,
    references,
    security_coding,
    sub_extension,
)

CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
RECIPIENTS = ("Organization", "CareTeam", "PractitionerRole")
AGENTS = ("Organization", "PractitionerRole")


def _hl7(system: str, code: str) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=system, code=code)])


def _checked(make, names: str | Sequence[str], parameter: str) -> list[Coding] | None:
    try:
        return [Coding(**make(name)) for name in as_list(names)] or None
    except ValueError as error:
        raise ValueError(f"{parameter}: {error}") from None


def _purposes(names: str | Sequence[str], parameter: str) -> list[Coding] | None:
    """Purposes as HL7 v3 ActReason where it has them (COC, THREAT), else the guide's code."""
    return _checked(purpose_coding, names, parameter)


def _classes(names: str | Sequence[str], parameter: str) -> list[Coding] | None:
    """Data classes as a profile's canonical URL where the class is one profile, else the
    guide's code."""
    return _checked(class_coding, names, parameter)


def _period(start: DateTimeLike | None, end: DateTimeLike | None, name: str) -> Period | None:
    if start is None and end is None:
        return None
    return Period(start=fhir_datetime(start, f"{name}_start"),
                  end=fhir_datetime(end, f"{name}_end"))


@dataclass(frozen=True)
class Deny:
    """An exception to a consent (*uitzondering*): what must not be shared. Any of data classes
    and purposes (short names, see :mod:`fhir_regie.ig.sharing`) and recipients; a deny always
    wins over the permit."""

    data_classes: str | Sequence[str] = ()
    purposes: str | Sequence[str] = ()
    recipients: Sequence[Ref] = ()

    def to_fhir(self) -> ConsentProvision:
        actors = [ConsentProvisionActor(role=_hl7(PARTICIPATION, "IRCP"), reference=ref)
                  for ref in references(self.recipients, *RECIPIENTS,
                                        parameter="denies.recipients")]
        return ConsentProvision(
            type="deny",
            actor=actors or None,
            purpose=_purposes(self.purposes, "denies.purposes"),
            class_fhir=_classes(self.data_classes, "denies.data_classes"))


@builds("regie-sharing-consent")
def sharing_consent(*, client: Ref, given_by: Ref | Sequence[Ref], on: DateTimeLike,
                    recipients: Ref | Sequence[Ref], purposes: str | Sequence[str],
                    data_classes: str | Sequence[str], period_start: DateTimeLike | None = None,
                    period_end: DateTimeLike | None = None, verified_with: Ref | None = None,
                    verified_on: DateTimeLike | None = None, source: Ref | None = None,
                    recorded_by: Ref | Sequence[Ref] | None = None,
                    data_period_start: DateTimeLike | None = None,
                    data_period_end: DateTimeLike | None = None,
                    covers_labels: str | Sequence[str] = (), denies: Sequence[Deny] = (),
                    status: str = "active", id: str | None = None,
                    security_label: str | None = None) -> Consent:
    """Consent to share information about a client (*toestemming*) (profile
    ``regie-sharing-consent``).

    Parameters:
        client: whom the information is about (``regie-patient``).
        given_by: who consented: the client, a parent with authority (*gezaghebbende ouder*),
            or a legal representative (*mentor*, *curator*).
        on: when consent was given.
        recipients: organisations, care teams or roles that may receive (role IRCP).
        purposes: purposes by short name (``care-coordination`` and ``safety-planning`` are
            written as HL7 v3 ActReason COC and THREAT, the others as ``regie-sharing-purpose``
            codes); ``data_classes``: data classes by short name (``safety-scores``,
            ``safety-log`` and ``signals`` are written as their profile's canonical URL, the
            others as ``regie-data-class`` codes). See :mod:`fhir_regie.ig.sharing`.
        period_start, period_end: how long the consent holds (required).
        verified_with, verified_on: how it was verified; or ``source``: the document it comes
            from. One of the two is required (``rg-cns-1``).
        recorded_by: the organisation that recorded it.
        covers_labels: confidentiality labels the consent covers (``"V"``).
        denies: :class:`Deny` exceptions.

    Example::

        >>> gp = sharing_consent(client="Patient/devries-daan",
        ...     given_by=["Patient/devries-daan", "Patient/devries-sanne"],
        ...     on="2026-10-08T16:10:00+02:00", recipients="Organization/devries-org-huisarts",
        ...     purposes="shared-plan-view", data_classes=["safety-plan"],
        ...     period_start="2026-10-08", period_end="2027-10-08",
        ...     verified_with="Patient/devries-daan", verified_on="2026-10-08T16:10:00+02:00")
    """
    verification = None
    if verified_with is not None or verified_on is not None:
        verification = [ConsentVerification(
            verified=True,
            verifiedWith=optional_reference(verified_with, "Patient", "RelatedPerson",
                                            parameter="verified_with"),
            verificationDate=fhir_datetime(verified_on, "verified_on"))]
    provision = ConsentProvision(
        type="permit",
        period=_period(period_start, period_end, "period"),
        actor=[ConsentProvisionActor(role=_hl7(PARTICIPATION, "IRCP"), reference=ref)
               for ref in references(recipients, *RECIPIENTS, parameter="recipients")] or None,
        purpose=_purposes(purposes, "purposes"),
        class_fhir=_classes(data_classes, "data_classes"),
        dataPeriod=_period(data_period_start, data_period_end, "data_period"),
        securityLabel=[security_coding(label, "covers_labels")
                       for label in as_list(covers_labels)] or None,
        provision=[deny.to_fhir() for deny in denies] or None)
    return finish(
        Consent, "regie-sharing-consent", id=id, security_label=security_label,
        status=core_code("consent-state-codes", status, "status"),
        scope=_hl7(CONSENT_SCOPE, "patient-privacy"),
        category=[_hl7(ACT_CODE, "IDSCL")],
        patient=reference(client, "Patient", parameter="client"),
        dateTime=fhir_datetime(on, "on"),
        performer=references(given_by, "Patient", "RelatedPerson", parameter="given_by"),
        organization=references(recorded_by, "Organization", parameter="recorded_by"),
        sourceReference=optional_reference(source, "Consent", "DocumentReference", "Contract",
                                           "QuestionnaireResponse", parameter="source"),
        verification=verification,
        policyRule=_hl7(ACT_CODE, "OPTIN"),
        provision=provision,
    )


@dataclass(frozen=True)
class Redaction:
    """Something left out of or changed in the disclosed copy (*weggelaten*): the FHIRPath of
    the element and why."""

    path: str
    reason: str

    def to_fhir(self) -> Extension:
        return complex_extension("regie-redaction",
                                 sub_extension("path", valueString=self.path),
                                 sub_extension("reason", valueString=self.reason))


@dataclass(frozen=True)
class Disclosed:
    """One disclosed resource, with what was redacted from it."""

    what: Ref
    redactions: Sequence[Redaction] = ()

    def to_fhir(self) -> AuditEventEntity:
        return AuditEventEntity(extension=[r.to_fhir() for r in self.redactions] or None,
                                what=reference(self.what, parameter="disclosed.what"))


@builds("regie-disclosure")
def disclosure(*, kind: str, purpose: str, discloser: Ref, recipient: Ref,
               disclosed: Sequence[Ref | Disclosed], legal_basis: str, recorded: DateTimeLike,
               consent: Ref | None = None, justification: str | None = None,
               inform_household: bool | None = None, not_informed_reason: str | None = None,
               requested_by: str | None = None, action: str | None = None,
               outcome: str = "0", observer: Ref | None = None, id: str | None = None,
               security_label: str | None = None) -> AuditEvent:
    """A disclosure to another organisation, or a view of a shared plan (*verstrekking*,
    *inzage*) (profile ``regie-disclosure``).

    Parameters:
        kind: disclosure (type DICOM Export, subtype ISO 21089 disclose) or view (DICOM Patient
            Record, subtype access), as IHE BALP records a privacy disclosure.
        purpose: the purpose by short name (see :func:`sharing_consent`).
        discloser, recipient: who disclosed and who received: an Organization, or the
            PractitionerRole of a person acting for one (so the organisation is always known).
        disclosed: the resources disclosed, each a reference or :class:`Disclosed` with
            :class:`Redaction` entries.
        legal_basis: consent, meldcode-reporting-right, vt-statutory-task, youth-care-law,
            court-order, vital-interest. With consent the ``consent`` is required
            (``rg-dsb-1``); otherwise a written ``justification`` (``rg-dsb-2``).
        inform_household: whether the household is (to be) informed; when not, the
            ``not_informed_reason`` is required (``rg-dsb-3``).
        requested_by: "discloser" or "recipient" (who asked); default: the recipient for a
            view, the discloser for a disclosure.
        action: FHIR audit action; default R (the record was read to be shown or sent, as IHE
            BALP records a disclosure at the source).
        observer: the system that recorded the event; default the discloser.

    Example::

        >>> view = disclosure(kind="view", purpose="shared-plan-view",
        ...     discloser="Organization/devries-org-wijkteam",
        ...     recipient="PractitionerRole/devries-role-visser",
        ...     disclosed=["CarePlan/devries-safety-plan"], legal_basis="consent",
        ...     consent="Consent/devries-consent-lotte", recorded="2026-11-12T09:41:27+01:00")
    """
    if requested_by not in (None, "discloser", "recipient"):
        raise ValueError("requested_by: expected 'discloser' or 'recipient'")
    recipient_asked = (kind == "view") if requested_by is None else requested_by == "recipient"
    basis = complex_extension(
        "regie-disclosure-basis",
        sub_extension("legal-basis", valueCodeableConcept=concept("regie-legal-basis",
                                                                  legal_basis)),
        sub_extension("consent", valueReference=optional_reference(consent, "Consent",
                                                                   parameter="consent")),
        sub_extension("justification", valueString=justification),
        sub_extension("inform-household", valueBoolean=inform_household),
        sub_extension("not-informed-reason", valueString=not_informed_reason))
    discloser_ref = reference(discloser, *AGENTS, parameter="discloser")
    agents = [
        AuditEventAgent(type=_hl7(PARTICIPATION, "CST"), who=discloser_ref,
                        requestor=not recipient_asked),
        AuditEventAgent(type=_hl7(PARTICIPATION, "IRCP"),
                        who=reference(recipient, *AGENTS, parameter="recipient"),
                        requestor=recipient_asked),
    ]
    entities = [item.to_fhir() if isinstance(item, Disclosed) else Disclosed(item).to_fhir()
                for item in disclosed]
    try:
        event_type, lifecycle = audit_codings(kind)
        purpose_of_event = CodeableConcept(coding=[Coding(**purpose_coding(purpose))])
    except ValueError as error:
        raise ValueError(f"{'kind' if 'audit' in str(error) else 'purpose'}: {error}") from None
    chosen_action = action if action is not None else "R"
    return finish(
        AuditEvent, "regie-disclosure", id=id, security_label=security_label,
        extension=[basis],
        type=Coding(**event_type),
        subtype=[Coding(**lifecycle)],
        action=core_code("audit-event-action", chosen_action, "action"),
        recorded=fhir_datetime(recorded, "recorded"),
        outcome=core_code("audit-event-outcome", outcome, "outcome"),
        purposeOfEvent=[purpose_of_event],
        agent=agents,
        source=AuditEventSource(observer=optional_reference(observer, *AGENTS,
                                                            parameter="observer")
                                or discloser_ref),
        entity=entities,
    )
