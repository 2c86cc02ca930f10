"""What each kind of recipient may receive: the disclosure projections, as data (issue 17,
ARCHITECTURE.md §6). Plain data only: :mod:`fhir_regie.consent.project` is the one engine
that applies it, and docs/consent.md shows it as a table per audience.

A projection is an allow-list. Per audience:

- ``types``: the resource types that may go and, per type, the element paths that may go
  (relative to the type: ``"name"`` lets the whole element go, ``"activity.reference"`` only
  that part of it). Everything not listed is withheld and its path recorded.
- ``extensions``: the extension URLs that may go (guide extensions by id, others whole);
  an extension with another URL is withheld wherever it sits.
- ``contained`` resources go only when their type is listed, projected in turn.
- ``strict``: the adversary side. There Attachments and base64 data never go, a Coding's
  display is the guide's own display, a Reference's display is withheld, uris, dates and
  codes must have their form, identifiers only of the listed systems in their format, and
  free text is replaced by :data:`PLACEHOLDER` unless the author marked the resource as
  written for this side (``meta.tag`` ``regie-text-audience#perpetrator-side``).

Codes pass for every audience only from code systems the guide knows (its own code
systems, the FHIR core ones in the validator's core subset, and :data:`CODE_SYSTEMS`), and
only with a code that system defines: ``Coding.code`` and ``extension.url`` are never a
channel.

Sources: DOMAIN.md §6 (digital safety: the alleged perpetrator must never learn the victim's
whereabouts; the household sees its own plan), §3 step 2 (anonymous advice).
"""

from __future__ import annotations

#: The fixed text that stands where free text was withheld on the adversary side.
PLACEHOLDER = "[tekst niet gedeeld: niet geschreven voor deze ontvanger]"

#: The mark an author sets on a resource whose free text was written to be read on the
#: adversary side (code system ``regie-text-audience``).
TEXT_AUDIENCE = "regie-text-audience"
PERPETRATOR_SIDE = "perpetrator-side"

# Audiences (what :func:`fhir_regie.consent.project.audience_of` answers).
PROFESSIONAL = "professional"             # an organisation under consent or a legal basis
PERPETRATOR_CARE = "perpetrator-care"     # an organisation serving only an alleged perpetrator
HOUSEHOLD = "household"                   # the household's own copy
HOUSEHOLD_WITH_PERPETRATOR = "household-with-perpetrator"  # ... with him reading along
ANONYMOUS = "anonymous-advice"            # anonymous advice (DOMAIN.md §3 step 2)

#: External code systems the guide uses, with the codes that may go (the guide's own code
#: systems and those in the core subset are known with their codes already).
CODE_SYSTEMS: dict[str, tuple[str, ...]] = {
    "http://terminology.hl7.org/CodeSystem/v3-Confidentiality": ("U", "L", "M", "N", "R", "V"),
    "http://terminology.hl7.org/CodeSystem/v3-RoleCode": (
        "GUARD", "POWATT", "HPOWATT", "DPOWATT", "SPOWATT", "MTH", "FTH", "PRN", "SIS", "BRO",
        "SIB", "GRMTH", "GRFTH", "GRPRN", "AUNT", "UNCLE", "FRND", "NBOR", "CHILD", "DAU",
        "SON", "SPS", "HUSB", "WIFE", "DOMPART", "STPMTH", "STPFTH", "FAMMEMB", "ONESELF"),
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType": ("AUT", "IRCP", "PRF"),
    # SDV and PSEUDED: the sensitivity labels travel with the copy (docs/ig/README.md).
    "http://terminology.hl7.org/CodeSystem/v3-ActCode": ("IDSCL", "DISCLOSE", "SDV"),
    "http://terminology.hl7.org/CodeSystem/v3-ObservationValue": ("PSEUDED",),
    "http://terminology.hl7.org/CodeSystem/condition-clinical": (
        "active", "recurrence", "relapse", "inactive", "remission", "resolved"),
    "http://terminology.hl7.org/CodeSystem/consentscope": ("patient-privacy",),
    # Signature types of a plan signature (regie-plan-signature): Author's and Consent
    # Signature (ISO-ASTM E1762-95, the code system core R4 binds Signature.type to).
    "urn:iso-astm:E1762-95:2013": ("1.2.840.10065.1.12.1.1", "1.2.840.10065.1.12.1.7"),
    "http://terminology.hl7.org/CodeSystem/goal-achievement": (
        "in-progress", "improving", "worsening", "no-change", "achieved", "sustaining",
        "not-achieved", "no-progress", "not-attainable"),
}

#: Identifier systems that may go on the adversary side, with the form of their values.
IDENTIFIER_SYSTEMS: dict[str, str] = {
    "http://fhir.nl/fhir/NamingSystem/bsn": "bsn",        # 9 digits, eleven test
    "http://fhir.nl/fhir/NamingSystem/ura": "digits",
    "http://fhir.nl/fhir/NamingSystem/agb-z": "digits",
}

#: Extensions of the guide (by id) that may go to every organisation and the household.
GUIDE_EXTENSIONS = (
    "regie-1g1p1r-phase", "regie-acute", "regie-case-weight", "regie-client-conversation",
    "regie-concern-knowledge", "regie-consequence", "regie-consultation",
    "regie-danger-statement", "regie-decision-answer", "regie-disclosure-basis",
    "regie-expected-birth-date", "regie-handover-route", "regie-household-flag",
    "regie-household-role", "regie-hypothesis-outcome", "regie-information-source",
    "regie-life-domain", "regie-meldcode-decision", "regie-next-meeting", "regie-redaction",
    "regie-report-date", "regie-reporter-anonymous", "regie-responsibility-transfer",
    "regie-responsibility", "regie-routekaart-phase", "regie-safe-object",
    "regie-safety-plan-kind", "regie-signal-certainty",
    "regie-support-kind", "regie-unsafety-type", "regie-violence-type",
    "regie-vt-contact", "regie-vt-decision", "regie-vt-judgement", "regie-vt-service",
    "regie-assessment-date", "regie-parental-authority",
)
#: Extensions about who reported and how to reach them: never to the alleged perpetrator's
#: side, nor into a copy he reads (DOMAIN.md §4, §6).
ABOUT_THE_REPORTER = ("regie-reporter-anonymous", "regie-handover-route",
                      "regie-information-source", "regie-vt-contact")
#: Extensions that never go to an organisation serving only him: the above, and whom the
#: victim turns to and what was said in conversations and consultations.
NOT_TO_ADVERSARY = (*ABOUT_THE_REPORTER, "regie-client-conversation",
                    "regie-consultation")

# meta.versionId: a plan signature names the version it was given for (regie-plan-signature);
# without the plan's version a recipient could not tell whether the signature holds.
_META = ("meta.profile", "meta.security", "meta.tag", "meta.lastUpdated", "meta.versionId")

# ------------------------------------------------------------------ professionals (wide)
_PROFESSIONAL_TYPES: dict[str, tuple[str, ...]] = {
    "Patient": ("meta", "text", "extension", "identifier", "active", "name", "telecom",
                "gender", "birthDate", "deceased[x]", "address", "maritalStatus",
                "multipleBirth[x]", "photo", "contact", "communication",
                "generalPractitioner", "managingOrganization"),
    "RelatedPerson": ("meta", "text", "extension", "identifier", "active", "patient",
                      "relationship", "name", "telecom", "gender", "birthDate", "address",
                      "period", "communication"),
    "Group": ("meta", "text", "extension", "identifier", "active", "type", "actual", "code",
              "name", "quantity", "managingEntity", "characteristic", "member"),
    "CareTeam": ("meta", "text", "extension", "identifier", "status", "category", "name",
                 "subject", "period", "participant", "reasonCode", "managingOrganization",
                 "telecom", "note"),
    "CarePlan": ("meta", "text", "extension", "identifier", "instantiatesCanonical", "basedOn",
                 "replaces", "partOf", "status", "intent", "category", "title", "description",
                 "subject", "period", "created", "author", "contributor", "careTeam",
                 "addresses", "supportingInfo", "goal", "activity", "note"),
    "Goal": ("meta", "text", "extension", "identifier", "lifecycleStatus", "achievementStatus",
             "category", "priority", "description", "subject", "start[x]", "target",
             "statusDate", "statusReason", "expressedBy", "addresses", "note", "outcomeCode",
             "outcomeReference"),
    "Condition": ("meta", "text", "extension", "identifier", "clinicalStatus",
                  "verificationStatus", "category", "severity", "code", "subject", "onset[x]",
                  "abatement[x]", "recordedDate", "recorder", "asserter", "evidence", "note"),
    "Observation": ("meta", "text", "extension", "identifier", "basedOn", "partOf", "status",
                    "category", "code", "subject", "focus", "effective[x]", "issued",
                    "performer", "value[x]", "dataAbsentReason", "interpretation", "note",
                    "derivedFrom", "hasMember", "component"),
    "Task": ("meta", "text", "extension", "identifier", "instantiatesCanonical", "basedOn",
             "groupIdentifier", "partOf", "status", "statusReason", "businessStatus", "intent",
             "priority", "code", "description", "focus", "for", "executionPeriod", "authoredOn",
             "lastModified", "requester", "performerType", "owner", "location", "reasonCode",
             "reasonReference", "note", "restriction", "input", "output"),
    "Composition": ("meta", "text", "extension", "identifier", "status", "type", "category",
                    "subject", "date", "author", "title", "confidentiality", "attester",
                    "custodian", "relatesTo", "event", "section"),
    "Organization": ("meta", "text", "extension", "identifier", "active", "type", "name",
                     "alias", "telecom", "address", "partOf", "contact"),
    "Practitioner": ("meta", "text", "extension", "identifier", "active", "name", "telecom",
                     "gender", "qualification"),
    "PractitionerRole": ("meta", "text", "extension", "identifier", "active", "period",
                         "practitioner", "organization", "code", "specialty", "location",
                         "telecom"),
    "Location": ("meta", "extension", "identifier", "status", "name", "type", "telecom",
                 "address", "managingOrganization"),
    # The report received by Veilig Thuis (regie-report): professionals only (the handover);
    # its sender is the reporter's identity, cut by the decision unless it may go.
    "Communication": ("meta", "text", "extension", "identifier", "basedOn", "partOf",
                      "status", "statusReason", "category", "priority", "medium", "subject",
                      "topic", "about", "sent", "received", "recipient", "sender",
                      "reasonCode", "reasonReference", "payload", "note"),
    # The alleged-perpetrator alert (regie-alert) goes to professionals only: never into the
    # household's copy, the adversary side's or anonymous advice (see the lists below).
    "Flag": ("meta", "text", "extension", "identifier", "status", "category", "code",
             "subject", "period", "author"),
    # A plan signature (regie-plan-signature) goes where its plan goes (classes.signed_plan):
    # who signed which version and when, as the plan's signature extension did before 0.2;
    # never the signature's data (an image or a digital signature block).
    "Provenance": ("meta", "target", "recorded", "agent.type", "agent.who",
                   "signature.type", "signature.when", "signature.who"),
}

# -------------------------------------------------- the adversary side (narrow, strict)
_PERPETRATOR_CARE_TYPES: dict[str, tuple[str, ...]] = {
    "Patient": (*_META, "identifier", "active", "name", "gender", "birthDate",
                "deceased[x]"),
    "RelatedPerson": (*_META, "active", "patient", "relationship", "name"),
    "Group": (*_META, "type", "actual", "code", "quantity", "managingEntity",
              "member.entity", "member.period", "member.inactive", "member.extension"),
    "CareTeam": (*_META, "status", "category", "subject", "period", "participant.role",
                 "participant.member", "participant.onBehalfOf", "participant.period",
                 "managingOrganization"),
    "CarePlan": (*_META, "extension", "basedOn", "replaces", "partOf", "status", "intent",
                 "category", "title", "description", "subject", "period", "created", "author",
                 "careTeam", "addresses", "supportingInfo", "goal", "activity.reference",
                 "note"),
    "Goal": (*_META, "extension", "lifecycleStatus", "achievementStatus", "category",
             "priority", "description", "subject", "start[x]", "target", "statusDate",
             "expressedBy", "addresses", "note"),
    "Condition": (*_META, "extension", "clinicalStatus", "verificationStatus", "category",
                  "severity", "code", "subject", "onset[x]", "recordedDate", "asserter",
                  "note"),
    "Observation": (*_META, "extension", "basedOn", "status", "category", "code", "subject",
                    "focus", "effective[x]", "issued", "performer", "value[x]", "note",
                    "derivedFrom", "component"),
    "Task": (*_META, "extension", "basedOn", "partOf", "status", "statusReason",
             "businessStatus", "intent", "priority", "code", "description", "focus", "for",
             "executionPeriod", "authoredOn", "lastModified", "requester", "owner",
             # reasonReference: an agreed action's goal, in focus before 0.2 (issue 28)
             "reasonCode", "reasonReference", "note", "restriction.period",
             "restriction.recipient"),
    "Composition": (*_META, "extension", "status", "type", "category", "subject", "date",
                    "author", "title", "confidentiality", "custodian", "section.title",
                    "section.code", "section.author", "section.entry", "section.extension",
                    "section.section"),
    "Organization": (*_META, "identifier", "active", "type", "name"),
    "Practitioner": (*_META, "identifier", "active", "name"),
    "PractitionerRole": (*_META, "active", "period", "practitioner", "organization", "code",
                         "specialty"),
    "Provenance": (*_META, "target", "recorded", "agent.type", "agent.who", "signature.type",
                   "signature.when", "signature.who"),
}


def _without(types: dict[str, tuple[str, ...]], drop: dict[str, tuple[str, ...]],
             *, drop_types: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    return {kind: tuple(p for p in paths if p not in drop.get(kind, ()) and
                        p not in drop.get("*", ()))
            for kind, paths in types.items() if kind not in drop_types}


#: The household's own copy: its plan, the people in it and the professionals around it;
#: no Location (a shelter's), no professionals' home data, no alleged-perpetrator alert,
#: no report.
_HOUSEHOLD_TYPES = _without(_PROFESSIONAL_TYPES, {}, drop_types=("Location", "Communication",
                                                                "Flag"))
#: ... with an alleged perpetrator reading along: also no narrative, no Patient.contact,
#: photo, Group characteristics or PractitionerRole locations (telecom and address of
#: everyone but him are cut by the adversary rule, decision.py).
_HOUSEHOLD_WITH_PERPETRATOR_TYPES = _without(_HOUSEHOLD_TYPES, {
    "*": ("text",), "Patient": ("photo", "contact"), "Group": ("characteristic",),
    "PractitionerRole": ("location",), "Task": ("location",),
    "Organization": ("contact",)})
#: Anonymous advice: what anonymise() leaves, and nothing that names or places anyone.
_ANONYMOUS_TYPES = _without(_PROFESSIONAL_TYPES, {
    "*": ("identifier", "name", "telecom", "address", "photo", "contact", "birthDate",
          "location", "characteristic", "managingOrganization", "generalPractitioner")},
    drop_types=("Location", "Organization", "Practitioner", "PractitionerRole",
                "Communication", "Flag"))


def _with_contained(types: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``contained`` is listed everywhere: a contained resource still goes only when its own
    type is listed, and then projected by that type's list."""
    return {kind: (*paths, "contained") for kind, paths in types.items()}


_PROFESSIONAL_TYPES = _with_contained(_PROFESSIONAL_TYPES)
_HOUSEHOLD_TYPES = _with_contained(_HOUSEHOLD_TYPES)
_HOUSEHOLD_WITH_PERPETRATOR_TYPES = _with_contained(_HOUSEHOLD_WITH_PERPETRATOR_TYPES)
# The adversary side gets no contained resources at all: a contained copy of a person is where
# a new address or number hides from the scrubber (the leak property test found a contained
# Patient's name.text holding her sister's number going out), and the addiction care serving
# the alleged perpetrator needs none.

PROJECTIONS: dict[str, dict[str, object]] = {
    PROFESSIONAL: {"types": _PROFESSIONAL_TYPES, "extensions": GUIDE_EXTENSIONS,
                   "strict": False},
    HOUSEHOLD: {"types": _HOUSEHOLD_TYPES, "extensions": GUIDE_EXTENSIONS, "strict": False},
    HOUSEHOLD_WITH_PERPETRATOR: {
        # The family's own plan: its safety person stays (her number is cut, decision.py).
        "types": _HOUSEHOLD_WITH_PERPETRATOR_TYPES,
        "extensions": tuple(e for e in GUIDE_EXTENSIONS if e not in ABOUT_THE_REPORTER),
        "strict": False, "attachments": False},
    ANONYMOUS: {"types": _ANONYMOUS_TYPES,
                "extensions": tuple(e for e in GUIDE_EXTENSIONS if e not in NOT_TO_ADVERSARY),
                "strict": False, "attachments": False},
    PERPETRATOR_CARE: {
        "types": _PERPETRATOR_CARE_TYPES,
        "extensions": tuple(e for e in GUIDE_EXTENSIONS if e not in NOT_TO_ADVERSARY),
        "strict": True, "attachments": False},
}
