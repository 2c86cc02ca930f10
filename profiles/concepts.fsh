// Issue 21: parental authority, the report (melding) received by Veilig Thuis, the date of the
// safety assessment. Kinds of organisation are codes on Organization.type
// (terminology/concepts.fsh); the restraining order's moment is the handover's
// Task.restriction.period (rg-hnd-5 in profiles/handover.fsh).

Extension: RegieParentalAuthorityExt
Id: regie-parental-authority
Title: "Parental authority"
Description: "Who holds authority (gezag) over this minor, on what footing, and since when. One extension per holder: one current holder is sole authority, two are joint authority. A parent who is not recorded here has no authority, whatever their household role. A guardian (voogd) is a related person or a certified institution (Organization). Consent for a child under 16 is given by the holders recorded here."
Context: Patient
* insert RegieExtension
* . ^short = "Holder of authority over the child (gezag)"
* insert DutchShort(Gezaghebbende)
* extension contains holder 1..1 MS and kind 1..1 MS and period 0..1 MS
* extension[holder].value[x] only Reference(RegiePatient or RegieRelatedPerson or Organization)
* extension[holder] ^short = "Who holds authority: a parent in the household, a related person (guardian) or an institution"
* extension[kind].value[x] only CodeableConcept
* extension[kind].value[x] from RegieAuthorityKindVS (required)
* extension[kind] ^short = "Parental authority, guardianship, or joint authority of a parent and a non-parent"
* extension[period].value[x] only Period
* extension[period] ^short = "Since (and until) when; open-ended when it has no end"

Extension: RegieAssessmentDateExt
Id: regie-assessment-date
Title: "Safety assessment date"
Description: "When Veilig Thuis completed the safety assessment (veiligheidsbeoordeling); the term for it counts from the report's receipt."
Context: Composition.section
* insert RegieExtension
* . ^short = "Date of the safety assessment"
* insert DutchShort(Datum veiligheidsbeoordeling)
* value[x] 1..1
* value[x] only dateTime


Profile: RegieReport
Parent: Communication
Id: regie-report
Title: "Regie Report"
Description: "A report (melding) received by Veilig Thuis: when it came in (the safety assessment's term counts from this moment), by which channel, who reported and whether they stay anonymous towards the household, which household and persons it concerns, and the signals reported. A handover refers to the report it follows from (Task.reasonReference)."
* insert RegieProfile
* ^purpose = "Make the moment a report is received a record of its own, so Veilig Thuis's terms follow from it, and keep the reporter's identity with the rule that protects it."
* . ^short = "Report received by Veilig Thuis (melding)"
* insert DutchShort(Melding bij Veilig Thuis)
* obeys rg-rep-2
* extension contains RegieReporterAnonymousExt named reporterAnonymous 1..1 MS
* extension[reporterAnonymous] ^short = "The reporter stays anonymous towards the household"
* identifier MS
* identifier ^short = "Veilig Thuis's number for the report"
* status MS
* category 1..1 MS
* category from RegieReportKindVS (required)
* category ^short = "Report, repeated report or information only (radar)"
* medium 1..1 MS
* medium from RegieReportChannelVS (required)
* medium ^short = "How the report came in"
* subject 1..1 MS
* subject only Reference(RegieHousehold or RegiePatient)
* subject ^short = "The household (or person) the report is about"
* about MS
* about only Reference(RegiePatient)
* about ^short = "The persons the report concerns"
* received 1..1 MS
* received ^short = "When Veilig Thuis received the report"
* recipient 1..1 MS
* recipient only Reference(Organization)
* recipient ^short = "Veilig Thuis"
* sender MS
* sender only Reference(Practitioner or PractitionerRole or Organization or RegieRelatedPerson or RegiePatient)
* sender ^short = "Who reported (melder): named in Veilig Thuis's own record unless the reporter is anonymous towards the household; a copy that leaves VT carries it only when contact is needed"
* reasonReference MS
* reasonReference only Reference(RegieSignal)
* reasonReference ^short = "Signals recorded from the report"
* payload 1..* MS
* payload.content[x] only string
* payload ^short = "What was reported, in the reporter's words"

Invariant: rg-rep-2
Description: "A report received by Veilig Thuis is complete or recorded in error (status completed or entered-in-error)."
Severity: #error
Expression: "status = 'completed' or status = 'entered-in-error'"

Invariant: rg-hnd-5
Description: "A handover in the context of a temporary restraining order records the moment the order was imposed (restriction.period.start); the chain's terms count from it."
Severity: #error
Expression: "extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-handover-route').value.coding.where(code = 'restraining-order').exists() implies restriction.period.start.exists()"
