// The meldcode trail: one Task per step, carrying what that step must document.

Profile: RegieMeldcodeStepTask
Parent: Task
Id: regie-meldcode-step
Title: "Regie Meldcode Step"
Description: "One step (0-6) of the meldcode for a client with what it documents: consultations (who, advice, why one deviated), the conversation with the client (reaction, or why it was skipped), answers to the decision questions, the decision, and the meldcode step stated when contacting Veilig Thuis."
* insert RegieProfile
* ^purpose = "Give every professional the same trail through the meldcode, so that each step's required documentation is present and the decision can be explained later."
* . ^short = "Meldcode step"
* insert DutchShort(Stap van de meldcode)
* obeys rg-mcs-1 and rg-mcs-2 and rg-mcs-3 and rg-mcs-4
* insert DomesticViolenceSensitive
* extension contains
    RegieViolenceTypeExt named violenceType 0..* MS and
    RegieConsultationExt named consultation 0..* MS and
    RegieClientConversationExt named conversation 0..1 MS and
    RegieDecisionAnswerExt named decisionAnswer 0..5 MS and
    RegieMeldcodeDecisionExt named decision 0..1 MS and
    RegieVtContactExt named vtContact 0..* MS
* status MS
* statusReason MS
* intent = #order
* code 1..1 MS
* code from RegieMeldcodeStepVS (required)
* description MS
* for 1..1 MS
* for only Reference(RegiePatient)
* authoredOn MS
* executionPeriod MS
* owner 1..1 MS
* owner only Reference(Practitioner or PractitionerRole)
* owner ^short = "The professional who takes this step"
* note MS
* note ^short = "Documentation of the step"

Invariant: rg-mcs-1
Description: "A completed step 2 records who was consulted and the advice given."
Severity: #error
Expression: "(status = 'completed' and code.coding.where(code = 'step-2').exists()) implies extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-consultation').exists()"

Invariant: rg-mcs-2
Description: "A completed step 3 records the conversation with the client, or why it was skipped."
Severity: #error
Expression: "(status = 'completed' and code.coding.where(code = 'step-3').exists()) implies extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-client-conversation').exists()"

Invariant: rg-mcs-3
Description: "A completed step 4 records the answers to the decision questions."
Severity: #error
Expression: "(status = 'completed' and code.coding.where(code = 'step-4').exists()) implies extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-decision-answer').exists()"

Invariant: rg-mcs-4
Description: "A completed step 5 records the decision."
Severity: #error
Expression: "(status = 'completed' and code.coding.where(code = 'step-5').exists()) implies extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-meldcode-decision').exists()"
