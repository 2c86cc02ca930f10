// Information sharing: the household's consent and the record of every disclosure.

Profile: RegieSharingConsent
Parent: Consent
Id: regie-sharing-consent
Title: "Regie Sharing Consent"
Description: "Consent to share information about a client: who consents for whom, with which organisations or roles, for which purposes, which classes of data and which period, with nested denies for what must not be shared."
* insert RegieProfile
* ^purpose = "Make the household's agreement about who exchanges what with whom computable, so every disclosure can be checked against it."
* . ^short = "Consent to share information"
* insert DutchShort(Toestemming voor gegevensuitwisseling)
* obeys rg-cns-1
// The example inherited from core breaks the rfc-3986 identifier rule; give a correct one.
* identifier ^example[0].label = "Consent identifier"
* identifier ^example[0].valueIdentifier.system = "urn:ietf:rfc:3986"
* identifier ^example[0].valueIdentifier.value = "urn:uuid:2f1c6a52-7d0e-4d0b-9c55-0b7f3f0e9a41"
* status MS
* scope = $consentscope#patient-privacy
* scope MS
* category 1..1 MS
* category = $v3-ActCode#IDSCL
* patient 1..1 MS
* patient only Reference(RegiePatient)
* patient ^short = "The client the information is about"
* dateTime 1..1 MS
* performer 1..* MS
* performer only Reference(RegiePatient or RegieRelatedPerson)
* performer ^short = "Who gave consent (the client, a parent with authority, or a legal representative)"
* organization MS
* source[x] MS
* verification MS
* policyRule 1..1 MS
* policyRule = $v3-ActCode#OPTIN
* provision 1..1 MS
* provision.type 1..1 MS
* provision.type = #permit
* provision.period 1..1 MS
* provision.actor 1..* MS
* provision.actor.role = $v3-ParticipationType#IRCP
* provision.actor.reference only Reference(Organization or CareTeam or PractitionerRole)
* provision.actor.reference ^short = "Organisation (by reference, or by URA, KvK or OIN identifier), care team, or the PractitionerRole of a person acting for an organisation, that may receive the information"
* provision.purpose 1..* MS
* provision.purpose from RegieSharingPurposeVS (extensible)
* provision.purpose ^short = "Purposes of use: v3 ActReason COC, THREAT; the guide's codes for the rest"
* provision.class 1..* MS
* provision.class from RegieDataClassVS (extensible)
* provision.class ^short = "Classes of data covered: a profile's canonical URL where the class is one profile, the guide's codes for the rest"
* provision.dataPeriod MS
* provision.securityLabel MS
* provision.securityLabel ^short = "Confidentiality labels this consent covers"
* provision.provision MS
* provision.provision ^short = "Exceptions: what must not be shared"
* provision.provision.type 1..1 MS
* provision.provision.type = #deny

Invariant: rg-cns-1
Description: "A consent records where it comes from (source) or how it was verified (verification)."
Severity: #error
Expression: "source.exists() or verification.exists()"


Profile: RegieDisclosure
Parent: AuditEvent
Id: regie-disclosure
Title: "Regie Disclosure"
Description: "One disclosure of information about a household to another organisation (or a view of a shared plan): who disclosed, who received, for which purpose, on which basis (a Consent or a legal basis), what was disclosed and what was redacted."
* insert RegieProfile
* ^purpose = "Leave a trail of every piece of information that leaves an organisation, so the household and supervisors can see who got what and why."
* . ^short = "Disclosure to another organisation"
* insert DutchShort(Verstrekking aan een andere organisatie)
* extension contains RegieDisclosureBasisExt named basis 1..1 MS
* type MS
* type from RegieAuditEventTypeVS (extensible)
* type ^short = "DICOM Export (110106) for a disclosure, Patient Record (110110) for a view (IHE BALP)"
* subtype 1..* MS
* subtype ^slicing.discriminator.type = #value
* subtype ^slicing.discriminator.path = "system"
* subtype ^slicing.rules = #open
* subtype ^slicing.description = "What happened to the record (ISO 21089 lifecycle), as IHE BALP's privacy disclosure has it."
* subtype contains lifecycle 1..1 MS
* subtype[lifecycle].system 1..1
* subtype[lifecycle].system = $iso-21089-lifecycle
* subtype[lifecycle].code 1..1
* subtype[lifecycle] from RegieAuditLifecycleVS (required)
* subtype[lifecycle] ^short = "disclose (a disclosure) or access (a view)"
* action MS
* recorded MS
* outcome MS
* purposeOfEvent 1..1 MS
* purposeOfEvent from RegieSharingPurposeVS (extensible)
* agent MS
* agent ^slicing.discriminator.type = #pattern
* agent ^slicing.discriminator.path = "type"
* agent ^slicing.rules = #open
* agent ^slicing.description = "The disclosing organisation and the recipient."
* agent contains discloser 1..1 MS and recipient 1..1 MS
* agent[discloser].type 1..1
* agent[discloser].type = $v3-ParticipationType#CST
* agent[discloser].who 1..1 MS
* agent[discloser].who only Reference(Organization or PractitionerRole)
* agent[discloser].who ^short = "The organisation, or the PractitionerRole of the person acting for it"
* agent[recipient].type 1..1
* agent[recipient].type = $v3-ParticipationType#IRCP
* agent[recipient].who 1..1 MS
* agent[recipient].who only Reference(Organization or PractitionerRole)
* agent[recipient].who ^short = "The organisation, or the PractitionerRole of the person acting for it (never a bare Practitioner: the organisation must be known)"
* source MS
* entity 1..* MS
* entity ^short = "One entry per disclosed resource"
* entity.what 1..1 MS
* entity.extension contains RegieRedactionExt named redaction 0..* MS
