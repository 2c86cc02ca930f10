// Veilig Thuis -> local team handover: the workflow Task and the handover document.

Profile: RegieHandover
Parent: Task
Id: regie-handover
Title: "Regie Handover"
Description: "The handover of a case from Veilig Thuis to a local team: route, case weight, priority (asap for acute unsafety), the organisations, the report date, and the exact version of the handover document. Acceptance records the exact moment responsibility for sight on safety passes (executionPeriod.start) and the version of the document that was accepted (output)."
* insert RegieProfile
* ^purpose = "Make the moment responsibility moves from Veilig Thuis to the local team explicit and provable, and start the local team's deadlines from it."
* . ^short = "Handover from Veilig Thuis to a local team"
* insert DutchShort(Overdracht van Veilig Thuis naar het lokale team)
* obeys rg-hnd-1 and rg-hnd-2 and rg-hnd-3 and rg-hnd-4 and rg-hnd-5
* extension contains
    RegieHandoverRouteExt named route 1..1 MS and
    RegieCaseWeightExt named caseWeight 1..1 MS and
    RegieReportDateExt named reportDate 1..1 MS
* priority 1..1 MS
* priority from RegieHandoverPriorityVS (required)
* priority ^short = "asap: acute unsafety (contact the household at once); routine otherwise"
* identifier MS
* status MS
* statusReason MS
* businessStatus MS
* intent = #order
* code 1..1 MS
* code = RegieTaskType#handover
* focus 1..1 MS
* focus only Reference(RegieHandoverDocument)
* focus.reference MS
* focus ^short = "The handover document, with its version (Composition/<id>/_history/<n>)"
* for 1..1 MS
* for only Reference(RegieHousehold or RegiePatient)
* executionPeriod MS
* executionPeriod.start MS
* executionPeriod.start ^short = "The moment responsibility for sight on safety passed to the local team"
* executionPeriod.start ^definition = "The exact moment the local team received the case and responsibility for sight on safety passed to it (the acceptance). The local team's terms start here; Veilig Thuis's responsibility ends here."
* authoredOn 1..1 MS
* lastModified MS
* requester 1..1 MS
* requester only Reference(Organization)
* requester ^short = "Veilig Thuis"
* owner 1..1 MS
* owner only Reference(Organization)
* owner ^short = "The local team that takes over"
* restriction MS
* restriction.period.start ^short = "Restraining-order route: when the mayor imposed the order"
* restriction.period.end ^short = "Restraining-order route: when the order ends (10 days, or 28 when extended; regional)"
* reasonReference MS
* reasonReference only Reference(RegieReport)
* reasonReference ^short = "The report (melding) the handover follows from"
* note MS
* output MS
* output ^slicing.discriminator.type = #pattern
* output ^slicing.discriminator.path = "type"
* output ^slicing.rules = #open
* output ^slicing.description = "What the acceptance recorded."
* output contains acceptedDocument 0..1 MS
* output[acceptedDocument].type = RegieHandoverOutput#accepted-document
* output[acceptedDocument].value[x] only Reference(RegieHandoverDocument)
* output[acceptedDocument] ^short = "The exact version of the handover document the local team accepted"

Invariant: rg-hnd-1
Description: "Once the handover is accepted, in progress or completed, the moment responsibility passed is recorded (executionPeriod.start)."
Severity: #error
Expression: "(status = 'accepted' or status = 'in-progress' or status = 'completed') implies executionPeriod.start.exists()"

Invariant: rg-hnd-3
Description: "The handover names the exact version of the handover document, so what is handed over cannot change afterwards under the same reference: on the sender's server as Composition/<id>/_history/<n>; in a receiver's copy (which refers to its own copy of the document) as focus.identifier, the absolute URL of the sender's version (system urn:ietf:rfc:3986)."
Severity: #error
Expression: "focus.exists() implies (focus.reference.matches('^Composition/[A-Za-z0-9.-]{1,64}/_history/[A-Za-z0-9.-]{1,64}$') or focus.identifier.where(system = 'urn:ietf:rfc:3986' and value.matches('^https?://.+/Composition/[A-Za-z0-9.-]{1,64}/_history/[A-Za-z0-9.-]{1,64}$')).exists())"

Invariant: rg-hnd-4
Description: "Once the handover is accepted, in progress or completed, it records which version of the handover document was accepted (output accepted-document, versioned as in rg-hnd-3)."
Severity: #error
Expression: "(status = 'accepted' or status = 'in-progress' or status = 'completed') implies output.where(type.coding.where(system = 'https://fhir-regie.nl/fhir/CodeSystem/regie-handover-output' and code = 'accepted-document').exists()).value.where(reference.matches('^Composition/[A-Za-z0-9.-]{1,64}/_history/[A-Za-z0-9.-]{1,64}$') or identifier.where(system = 'urn:ietf:rfc:3986' and value.matches('^https?://.+/Composition/[A-Za-z0-9.-]{1,64}/_history/[A-Za-z0-9.-]{1,64}$')).exists()).exists()"

Invariant: rg-hnd-2
Description: "A rejected, cancelled or failed handover records why (statusReason)."
Severity: #error
Expression: "(status = 'rejected' or status = 'cancelled' or status = 'failed') implies statusReason.exists()"


Profile: RegieHandoverDocument
Parent: Composition
Id: regie-handover-document
Title: "Regie Handover Document"
Description: "The document Veilig Thuis hands to the local team. Its sections follow the handover agreements; what may be included depends on the route: Veilig Thuis's judgement only after an Onderzoek, the reporter's contact data never for an anonymous reporter."
* insert RegieProfile
* ^purpose = "Hand over exactly what the local team needs for its task, and nothing the route does not allow."
* . ^short = "Veilig Thuis handover document"
* insert DutchShort(Overdrachtsdocument Veilig Thuis)
* obeys rg-hdc-1 and rg-hdc-2 and rg-hdc-3 and rg-hdc-4
* extension contains
    RegieHandoverRouteExt named route 1..1 MS and
    RegieReporterAnonymousExt named reporterAnonymous 1..1 MS
* status MS
* type = RegieDocumentType#handover-document
* subject 1..1 MS
* subject only Reference(RegieHousehold or RegiePatient)
* date MS
* author MS
* author only Reference(Organization or PractitionerRole or Practitioner)
* title MS
* confidentiality MS
* custodian MS
* section 1..* MS
* section.code 1..1 MS
* section.text 1..1 MS
* section ^slicing.discriminator.type = #pattern
* section ^slicing.discriminator.path = "code"
* section ^slicing.rules = #open
* section ^slicing.description = "One section per kind of handover content."
* section contains
    reportContent 1..1 MS and
    reporterContact 0..1 MS and
    safetyAssessment 0..1 MS and
    vtJudgement 0..1 MS and
    safetyConditions 0..1 MS and
    safetyPlan 0..1 MS and
    consequences 0..1 MS and
    planAgreements 0..1 MS and
    monitoringAgreements 0..1 MS
* section[reportContent].code = RegieHandoverSection#report-content
* section[reporterContact].code = RegieHandoverSection#reporter-contact
* section[reporterContact].entry only Reference(RelatedPerson or Practitioner or PractitionerRole or Organization)
* section[safetyAssessment].code = RegieHandoverSection#safety-assessment
* section[safetyAssessment].extension contains
    RegieVtDecisionExt named vtDecision 0..1 MS and
    RegieVtServiceExt named vtService 0..1 MS and
    RegieUnsafetyTypeExt named unsafetyType 0..2 MS
* section[safetyAssessment].extension contains RegieAssessmentDateExt named assessedOn 0..1 MS
* section[vtJudgement].code = RegieHandoverSection#vt-judgement
* section[vtJudgement].extension contains RegieVtJudgementExt named judgement 1..1 MS
* section[safetyConditions].code = RegieHandoverSection#safety-conditions
* section[safetyConditions].entry only Reference(RegieGoal)
* section[safetyPlan].code = RegieHandoverSection#safety-plan
* section[safetyPlan].entry only Reference(RegieSafetyPlan or RegieAgreedAction)
* section[consequences].code = RegieHandoverSection#consequences
* section[planAgreements].code = RegieHandoverSection#plan-agreements
* section[monitoringAgreements].code = RegieHandoverSection#monitoring-agreements

Invariant: rg-hdc-1
Description: "Veilig Thuis's judgement whether abuse took place is only handed over after an Onderzoek."
Severity: #error
Expression: "section.where(code.coding.where(code = 'vt-judgement').exists()).exists() implies extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-handover-route').value.coding.where(code = 'after-onderzoek').exists()"

Invariant: rg-hdc-2
Description: "The reporter's contact data is not handed over when the reporter is anonymous."
Severity: #error
Expression: "(extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-reporter-anonymous').exists() and extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-reporter-anonymous').value = true) implies section.where(code.coding.where(code = 'reporter-contact').exists()).empty()"

Invariant: rg-hdc-3
Description: "A handover directly after the safety assessment carries the outcome of that assessment."
Severity: #error
Expression: "extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-handover-route').value.coding.where(code = 'direct-after-assessment').exists() implies section.where(code.coding.where(code = 'safety-assessment').exists()).exists()"

Invariant: rg-hdc-4
Description: "A handover after a Veilig Thuis service (Voorwaarden en Vervolg or Onderzoek) carries the safety conditions and the monitoring agreements."
Severity: #error
Expression: "extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-handover-route').value.coding.where(code = 'after-voorwaarden-en-vervolg' or code = 'after-onderzoek').exists() implies (section.where(code.coding.where(code = 'safety-conditions').exists()).exists() and section.where(code.coding.where(code = 'monitoring-agreements').exists()).exists())"


Profile: RegieHandoverNotification
Parent: Task
Id: regie-handover-notification
Title: "Regie Handover Notification"
Description: "The message Veilig Thuis leaves on the local team's server to say that a handover waits for it (notified pull). It points to the workflow Task on Veilig Thuis's own server, by address and version, and carries no case content: the local team pulls the handover with its own credentials."
* insert RegieProfile
* ^purpose = "Tell the receiver where to pull, without putting any household data on another organisation's server before the receiver has taken it in."
* . ^short = "Handover notification (overdrachtsbericht)"
* insert DutchShort(Bericht: er staat een overdracht klaar)
* obeys rg-hnn-1 and rg-hnn-2
* identifier 1..1 MS
* identifier ^short = "Identifies this notification; the same notification delivered twice has the same identifier"
* status MS
* status ^short = "requested (new); completed (pulled and taken in); failed (could not be taken in, see statusReason and output)"
* statusReason MS
* businessStatus MS
* intent = #proposal
* code 1..1 MS
* code = RegieTaskType#handover-notification
* focus 1..1 MS
* focus ^short = "The workflow Task on the sender's server: identifier = its absolute URL with version"
* for 0..0
* description 0..0
* note 0..0
* input 0..0
* authoredOn 1..1 MS
* requester 1..1 MS
* requester only Reference(Organization)
* requester ^short = "Veilig Thuis (by URA identifier, or OIN or KvK number: it is not a resource on this server)"
* owner 1..1 MS
* owner only Reference(Organization)
* owner ^short = "The local team that is to pull (by URA identifier; a team without one by OIN or KvK number)"
* output MS
* output ^short = "Filled by the receiver: the handover taken in, or the content kept when it was refused"

Invariant: rg-hnn-1
Description: "The notification points to the workflow Task by its absolute URL including the version (focus.identifier with system urn:ietf:rfc:3986), not by a reference that would have to resolve on this server."
Severity: #error
Expression: "focus.exists() implies (focus.reference.empty() and focus.identifier.where(system = 'urn:ietf:rfc:3986' and value.matches('^https?://.+/Task/[A-Za-z0-9.-]{1,64}/_history/[0-9]{1,9}$')).exists())"

Invariant: rg-hnn-2
Description: "A notification that failed, was rejected or was cancelled records why (statusReason)."
Severity: #error
Expression: "(status = 'failed' or status = 'rejected' or status = 'cancelled') implies statusReason.exists()"


Profile: RegieDeadline
Parent: Task
Id: regie-deadline
Title: "Regie Deadline"
Description: "A term that follows from a handover under the regional agreements, as work with an owner and a due date: the local team's first contact with the household, the steps of a temporary restraining order, and Veilig Thuis's monitoring moments. The term is computed by the workflow rules from the recorded moment responsibility passed (or the date of the order); reasonCode names the regional setting it came from."
* insert RegieProfile
* ^purpose = "Make the deadlines that start when a case is handed over visible to everyone who has to meet them, on both organisations' servers where both are involved."
* . ^short = "Deadline from a handover (termijn)"
* insert DutchShort(Termijn na een overdracht)
* obeys rg-ddl-1 and rg-ddl-2
* basedOn 1..1 MS
* basedOn only Reference(RegieHandover)
* basedOn ^short = "The handover the term follows from"
* status MS
* statusReason MS
* intent = #order
* code 1..1 MS
* code from RegieDeadlineRuleVS (required)
* description 1..1 MS
* for 1..1 MS
* for only Reference(RegieHousehold or RegiePatient)
* authoredOn 1..1 MS
* lastModified MS
* requester MS
* requester only Reference(Organization)
* owner 1..1 MS
* owner only Reference(Organization)
* owner ^short = "Who has to meet the term"
* reasonCode MS
* reasonCode ^short = "The regional agreement the term comes from (region and setting)"
* restriction MS
* restriction.period MS
* restriction.period.start MS
* restriction.period.start ^short = "From when the term counts"
* restriction.period.end MS
* restriction.period.end ^short = "Due date"
* executionPeriod MS
* executionPeriod.end MS
* executionPeriod.end ^short = "When the term was met"
* note MS

Invariant: rg-ddl-1
Description: "A deadline has a due date (restriction.period.end)."
Severity: #error
Expression: "restriction.period.end.exists()"

Invariant: rg-ddl-2
Description: "A deadline that is met (completed) records when (executionPeriod.end)."
Severity: #error
Expression: "status = 'completed' implies executionPeriod.end.exists()"
