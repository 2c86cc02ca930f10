// Terminology: Information sharing: purposes, data classes, legal bases and audit events.

CodeSystem: RegieSharingPurpose
Id: regie-sharing-purpose
Title: "Information sharing purposes"
Description: "Purposes for which information about a household is exchanged between parties that HL7 v3 ActReason (purpose of use) has no code for. Care coordination and safety planning are v3 ActReason COC and THREAT (see the value set)."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #handover "Overdracht" "Transferring responsibility for follow-up to another party."
  * ^designation[0].language = #en
  * ^designation[0].value = "Handover"
* #meldcode-report "Melding Veilig Thuis" "Reporting a situation to Veilig Thuis under the Meldcode."
  * ^designation[0].language = #en
  * ^designation[0].value = "Report to Veilig Thuis"
* #anonymous-advice "Anoniem advies" "Asking advice about a situation without identifying data."
  * ^designation[0].language = #en
  * ^designation[0].value = "Anonymous advice"
* #vt-monitoring "Monitoring door Veilig Thuis" "Follow-up checks by Veilig Thuis on whether safety conditions are met and safety lasts."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis monitoring"
* #shared-plan-view "Inzage gedeeld plan" "Read-only access to the shared plan, for example by the general practitioner or youth health care."
  * ^designation[0].language = #en
  * ^designation[0].value = "Shared plan view"

ValueSet: RegieSharingPurposeVS
Id: regie-sharing-purpose
Title: "Information sharing purposes"
Description: "Purposes of use for exchanging information about a household: HL7 v3 ActReason where it has the purpose (COC coordination of care, THREAT preventing injury to someone who may be the target of violence), and the guide's own codes for the purposes it has none for."
* ^status = #active
* ^experimental = false
* $v3-ActReason#COC "coordination of care"
* $v3-ActReason#THREAT "threat"
* include codes from system RegieSharingPurpose

CodeSystem: RegieDataClass
Id: regie-data-class
Title: "Data classes"
Description: "Categories of household information that consent and disclosure records refer to, where no single FHIR resource type or profile of this guide is the class. Classes that are exactly one profile (safety scores, safety log, signals) are named by the profile's canonical URL (see the value set)."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #household-composition "Samenstelling huishouden" "Who belongs to the household and their roles."
  * ^designation[0].language = #en
  * ^designation[0].value = "Household composition"
* #contact-details "Contactgegevens" "Telephone numbers, e-mail addresses and similar contact data."
  * ^designation[0].language = #en
  * ^designation[0].value = "Contact details"
* #address-location "Adres en verblijfplaats" "Home address and current whereabouts, which must be shielded when a victim has moved or stays in a shelter."
  * ^designation[0].language = #en
  * ^designation[0].value = "Address and location"
* #support-plan "Ondersteuningsplan" "Content of the support plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Support plan"
* #safety-plan "Veiligheidsplan" "Content of the safety plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety plan"
* #agreed-actions "Afspraken en acties" "Agreements and actions with who does what and when."
  * ^designation[0].language = #en
  * ^designation[0].value = "Agreed actions"
* #meldcode-trail "Meldcodetraject" "Documentation of the Meldcode steps, consultations and decisions."
  * ^designation[0].language = #en
  * ^designation[0].value = "Meldcode trail"
* #report-content "Inhoud melding" "What was reported to Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "Report content"
* #reporter-identity "Identiteit melder" "Identity and contact data of the person who reported to Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "Reporter identity"
* #vt-judgement "Oordeel Veilig Thuis" "Conclusion of Veilig Thuis on whether abuse took place."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis judgement"
* #health-data "Gezondheidsgegevens" "Information about physical or mental health, including diagnoses."
  * ^designation[0].language = #en
  * ^designation[0].value = "Health data"

ValueSet: RegieDataClassVS
Id: regie-data-class
Title: "Data classes"
Description: "Classes of data a consent covers (Consent.provision.class): the canonical URL of a profile of this guide where the class is exactly that profile (as R4 consent-content-class names profiles, system urn:ietf:rfc:3986), and the guide's own codes for classes that span several profiles or are parts of a resource."
* ^status = #active
* ^experimental = false
* $uri#https://fhir-regie.nl/fhir/StructureDefinition/regie-safety-scale-score "Regie Safety Scale Score"
* $uri#https://fhir-regie.nl/fhir/StructureDefinition/regie-safety-log-entry "Regie Safety Log Entry"
* $uri#https://fhir-regie.nl/fhir/StructureDefinition/regie-signal "Regie Signal"
* include codes from system RegieDataClass

CodeSystem: RegieLegalBasis
Id: regie-legal-basis
Title: "Legal bases for sharing"
Description: "Grounds on which information about a household may be exchanged; recorded with every exchange."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #consent "Toestemming" "Explicit permission from the client or their legal representative."
  * ^designation[0].language = #en
  * ^designation[0].value = "Consent"
* #meldcode-reporting-right "Meldrecht Meldcode" "The statutory right of professionals to report to Veilig Thuis without consent."
  * ^designation[0].language = #en
  * ^designation[0].value = "Meldcode reporting right"
* #vt-statutory-task "Wettelijke taak Veilig Thuis" "The legal tasks of Veilig Thuis, which allow it to collect and share information."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis statutory task"
* #youth-care-law "Jeugdwet" "A basis provided by the Dutch Youth Act."
  * ^designation[0].language = #en
  * ^designation[0].value = "Youth Act"
* #court-order "Rechterlijke uitspraak" "A decision of a court, such as a child protection measure."
  * ^designation[0].language = #en
  * ^designation[0].value = "Court order"
* #vital-interest "Vitaal belang" "Sharing is necessary to protect someone's life or physical safety."
  * ^designation[0].language = #en
  * ^designation[0].value = "Vital interest"

ValueSet: RegieLegalBasisVS
Id: regie-legal-basis
Title: "Legal bases for sharing"
Description: "All codes defined in the Legal bases for sharing code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieLegalBasis

ValueSet: RegieAuditEventTypeVS
Id: regie-audit-event-type
Title: "Audit event types"
Description: "The event types of a disclosure record, as IHE Basic Audit Log Patterns (BALP) uses them: DICOM Export (110106) when information leaves the organisation, DICOM Patient Record (110110) when a shared plan is viewed. What happened to the record is in the subtype (ISO 21089 lifecycle: disclose or access)."
* ^status = #active
* ^experimental = false
* $dicom#110106 "Export"
* $dicom#110110 "Patient Record"

ValueSet: RegieAuditLifecycleVS
Id: regie-audit-lifecycle
Title: "Audit lifecycle events"
Description: "What a disclosure record says happened to the household's record (ISO 21089 health record lifecycle events): disclosed to another organisation, or opened for viewing."
* ^status = #active
* ^experimental = false
* $iso-21089-lifecycle#disclose "Disclose Record Lifecycle Event"
* $iso-21089-lifecycle#access "Access/View Record Lifecycle Event"

CodeSystem: RegieTextAudience
Id: regie-text-audience
Title: "Audience a text was written for"
Description: "A mark (in meta.tag) an author sets on a resource whose free text was written to be read by the audience named. Without it, the disclosure guard replaces free text by a fixed placeholder on the side of an alleged perpetrator (docs/consent.md)."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #perpetrator-side "Geschreven om ook door de vermoedelijke pleger gelezen te worden" "The free text of this resource was written so that the alleged perpetrator, and an organisation serving only him, may read it: it holds nothing about where the victim or the safety network can be found."
  * ^designation[0].language = #en
  * ^designation[0].value = "Written for the alleged perpetrator's side"

ValueSet: RegieTextAudienceVS
Id: regie-text-audience
Title: "Audience a text was written for"
Description: "All codes defined in the Audience a text was written for code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieTextAudience
