// Extensions of the Regie guide. Each names where it may be used (Context) so that the
// validator rejects it anywhere else.

// ---------------------------------------------------------------- household and network
Extension: RegieHouseholdRoleExt
Id: regie-household-role
Title: "Household role"
Description: "The role a member has in the household: parent, child, partner, grandparent, carer, unborn child or other."
Context: Group.member
* insert RegieExtension
* . ^short = "Role in the household"
* insert DutchShort(Rol in het huishouden)
* insert CodedValue(RegieHouseholdRoleVS)

Extension: RegieHouseholdFlagExt
Id: regie-household-flag
Title: "Household member flag"
Description: "Marks a member as the most vulnerable adult, where this is known. The alleged perpetrator is no longer marked here but with a regie-alert Flag (since 0.2), so that the mark carries its own sensitivity label and can be withheld on its own."
Context: Group.member
* insert RegieExtension
* . ^short = "Safety flag on a household member"
* insert DutchShort(Veiligheidskenmerk van een gezinslid)
* insert CodedValue(RegieHouseholdFlagVS)

Extension: RegieExpectedBirthDateExt
Id: regie-expected-birth-date
Title: "Expected birth date"
Description: "Expected date of birth of an unborn child. An unborn child is a client too (asked about in the kindcheck) and has no birth date yet."
Context: Patient
* insert RegieExtension
* . ^short = "Expected birth date of an unborn child"
* insert DutchShort(Verwachte geboortedatum)
* value[x] 1..1
* value[x] only date

Extension: RegieSupportKindExt
Id: regie-support-kind
Title: "Kind of support"
Description: "What kind of support a member of the informal network gives: practical, emotional, financial or thinking along."
Context: RelatedPerson
* insert RegieExtension
* . ^short = "Kind of support given"
* insert DutchShort(Soort steun)
* insert CodedValue(RegieSupportKindVS)

Extension: RegieConcernKnowledgeExt
Id: regie-concern-knowledge
Title: "Knowledge of the concerns"
Description: "How much a network member knows of the concerns about the household (the 'safe circles' network map): all, part or none."
Context: RelatedPerson
* insert RegieExtension
* . ^short = "What this person knows of the concerns"
* insert DutchShort(Wat deze persoon weet van de zorgen)
* insert CodedValue(RegieConcernKnowledgeVS)

// ---------------------------------------------------------------- plans
Extension: Regie1g1p1rPhaseExt
Id: regie-1g1p1r-phase
Title: "1Gezin1Plan1Regisseur phase"
Description: "The phase of the 1Gezin1Plan1Regisseur work process the household plan is in."
Context: CarePlan
* insert RegieExtension
* . ^short = "1G1P1R phase"
* insert DutchShort(Fase 1Gezin1Plan1Regisseur)
* insert CodedValue(Regie1g1p1rPhaseVS)

Extension: RegieNextMeetingExt
Id: regie-next-meeting
Title: "Next meeting"
Description: "Date and time of the next (progress) meeting, fixed before the current meeting ends."
Context: CarePlan
* insert RegieExtension
* . ^short = "Next meeting"
* insert DutchShort(Volgend overleg)
* value[x] 1..1
* value[x] only dateTime

Extension: RegieResponsibilityExt
Id: regie-responsibility
Title: "Responsibility statement"
Description: "One of the fixed responsibility statements every household plan carries: who executes actions, who directs day to day, who facilitates cooperation and who resolves stagnation."
Context: CarePlan
* insert RegieExtension
* . ^short = "Fixed responsibility statement"
* insert DutchShort(Vaste verantwoordelijkheid)
* extension contains area 1..1 MS and statement 1..1 MS
* extension[area].value[x] only Coding
* extension[area].value[x] from RegieResponsibilityAreaVS (required)
* extension[area] ^short = "Area of responsibility"
* extension[statement].value[x] only string
* extension[statement] ^short = "Who carries this responsibility, in plain words"

Extension: RegieSafetyPlanKindExt
Id: regie-safety-plan-kind
Title: "Safety plan kind"
Description: "Whether this is a direct safety plan, a stable safety plan or a long-term safety plan."
Context: CarePlan
* insert RegieExtension
* . ^short = "Kind of safety plan"
* insert DutchShort(Soort veiligheidsplan)
* insert CodedValue(RegieSafetyPlanKindVS)

Extension: RegieRoutekaartPhaseExt
Id: regie-routekaart-phase
Title: "Routekaart phase"
Description: "The phase of the Routekaart naar Veiligheid the safety plan is in: alignment, direct safety, risk-guided or recovery."
Context: CarePlan
* insert RegieExtension
* . ^short = "Routekaart phase"
* insert DutchShort(Fase Routekaart naar Veiligheid)
* insert CodedValue(RegieRoutekaartPhaseVS)

Extension: RegieDangerStatementExt
Id: regie-danger-statement
Title: "Danger statement on a safety plan"
Description: "A danger statement the safety plan works on, with its priority and whether it is still active. A risk-guided plan works on at most four active danger statements."
Context: CarePlan
* insert RegieExtension
* . ^short = "Danger statement with priority"
* insert DutchShort(Gevaarsomschrijving met prioriteit)
* extension contains statement 1..1 MS and priority 1..1 MS and status 1..1 MS
* extension[statement].value[x] only Reference(RegieConcern)
* extension[statement] ^short = "The danger statement (a Regie concern of type danger-statement)"
* extension[priority].value[x] only positiveInt
* extension[priority] ^short = "Priority: 1 is worked on first"
* extension[status].value[x] only code
* extension[status].value[x] from RegieDangerStatementStatusVS (required)
* extension[status] ^short = "active | resolved | replaced"

Extension: RegieSafeObjectExt
Id: regie-safe-object
Title: "Safe object"
Description: "The object a child moves to a place where the network sees it, to signal worry without words."
Context: CarePlan
* insert RegieExtension
* . ^short = "Safe object and what it means"
* insert DutchShort(Veilig voorwerp)
* value[x] 1..1
* value[x] only string

Extension: RegieLifeDomainExt
Id: regie-life-domain
Title: "Life domain"
Description: "The life domain (leefgebied) a concern, strength, goal or action belongs to."
Context: Condition, Observation, Goal, Task
* insert RegieExtension
* . ^short = "Life domain"
* insert DutchShort(Leefgebied)
* insert CodedValue(RegieLifeDomainVS)

Extension: RegieConsequenceExt
Id: regie-consequence
Title: "Consequence when not met"
Description: "What happens when a safety condition is not (timely) met, in words the household understands."
Context: Goal
* insert RegieExtension
* . ^short = "Consequence if not met"
* insert DutchShort(Consequentie bij niet nakomen)
* value[x] 1..1
* value[x] only string

// ---------------------------------------------------------------- meldcode
Extension: RegieSignalCertaintyExt
Id: regie-signal-certainty
Title: "Signal certainty"
Description: "Whether a recorded signal is an observed fact or a hypothesis that must later be confirmed or refuted."
Context: Observation
* insert RegieExtension
* . ^short = "Fact or hypothesis"
* insert DutchShort(Feit of hypothese)
* insert CodedValue(RegieSignalCertaintyVS)

Extension: RegieInformationSourceExt
Id: regie-information-source
Title: "Source of third-party information"
Description: "Who provided information the professional did not observe personally."
Context: Observation
* insert RegieExtension
* . ^short = "Source of third-party information"
* insert DutchShort(Bron van informatie van derden)
* value[x] 1..1
* value[x] only string or Reference(RegiePatient or RegieRelatedPerson or Practitioner or PractitionerRole or Organization)

Extension: RegieHypothesisOutcomeExt
Id: regie-hypothesis-outcome
Title: "Hypothesis outcome"
Description: "On a follow-up note: whether the hypothesis it follows up was confirmed or refuted."
Context: Observation
* insert RegieExtension
* . ^short = "Hypothesis confirmed or refuted"
* insert DutchShort(Hypothese bevestigd of weerlegd)
* insert CodedValue(RegieHypothesisOutcomeVS)

Extension: RegieViolenceTypeExt
Id: regie-violence-type
Title: "Type of violence"
Description: "The form of domestic violence or child abuse a signal or meldcode step concerns."
Context: Observation, Task
* insert RegieExtension
* . ^short = "Type of violence"
* insert DutchShort(Vorm van geweld)
* insert CodedValue(RegieViolenceTypeVS)

Extension: RegieConsultationExt
Id: regie-consultation
Title: "Meldcode consultation"
Description: "A consultation in meldcode step 2 (or later): who was consulted, the advice given and, when the advice was not followed, why."
Context: Task
* insert RegieExtension
* . ^short = "Consultation: who, advice, deviation"
* insert DutchShort(Consultatie: wie\, advies\, afwijking)
* obeys rg-csl-1
* extension contains consultee 1..1 MS and who 0..1 MS and advice 1..1 MS and followed 0..1 MS and deviation-reason 0..1 MS and date 0..1 MS
* extension[consultee].value[x] only CodeableConcept
* extension[consultee].value[x] from RegieConsulteeTypeVS (required)
* extension[consultee] ^short = "Kind of consultee"
* extension[who].value[x] only Reference(Practitioner or PractitionerRole or Organization)
* extension[advice].value[x] only string
* extension[followed].value[x] only boolean
* extension[followed] ^short = "Whether the advice was followed"
* extension[deviation-reason].value[x] only string
* extension[deviation-reason] ^short = "Why the advice was not followed"
* extension[date].value[x] only dateTime

Invariant: rg-csl-1
Description: "Advice that was not followed records why (DOMAIN.md meldcode step 2: document why one deviated)."
Severity: #error
Expression: "(extension.where(url = 'followed').exists() and extension.where(url = 'followed').value = false) implies extension.where(url = 'deviation-reason').exists()"

Extension: RegieClientConversationExt
Id: regie-client-conversation
Title: "Conversation with the client"
Description: "Meldcode step 3: whether the conversation with the client took place and the client's reaction, or the recorded reason it was skipped."
Context: Task
* insert RegieExtension
* . ^short = "Conversation with the client"
* insert DutchShort(Gesprek met de cliënt)
* obeys rg-cnv-1 and rg-cnv-2
* extension contains held 1..1 MS and with 0..* MS and reaction 0..1 MS and skip-reason 0..1 MS and date 0..1 MS
* extension[held].value[x] only boolean
* extension[with].value[x] only Reference(RegiePatient or RegieRelatedPerson)
* extension[with] ^short = "Who the conversation was with (the client, a parent, a representative)"
* extension[with] ^comment = "Needed to check the honour-related rule that parents of a minor victim are not spoken to before step 5."
* extension[reaction].value[x] only string
* extension[skip-reason].value[x] only CodeableConcept
* extension[skip-reason].value[x] from RegieConversationSkipReasonVS (required)
* extension[date].value[x] only dateTime

Invariant: rg-cnv-1
Description: "A conversation that was held records the client's reaction."
Severity: #error
Expression: "(extension.where(url = 'held').exists() and extension.where(url = 'held').value = true) implies extension.where(url = 'reaction').exists()"

Invariant: rg-cnv-2
Description: "A skipped conversation records why it was skipped (safety at stake or the client would break off contact)."
Severity: #error
Expression: "(extension.where(url = 'held').exists() and extension.where(url = 'held').value = false) implies extension.where(url = 'skip-reason').exists()"

Extension: RegieDecisionAnswerExt
Id: regie-decision-answer
Title: "Answer to a decision question"
Description: "The answer to one of the five questions of the meldcode decision framework (afwegingskader)."
Context: Task
* insert RegieExtension
* . ^short = "Decision framework answer"
* insert DutchShort(Antwoord afwegingskader)
* extension contains question 1..1 MS and answer 1..1 MS and explanation 0..1 MS
* extension[question].value[x] only CodeableConcept
* extension[question].value[x] from RegieDecisionQuestionVS (required)
* extension[answer].value[x] only CodeableConcept
* extension[answer].value[x] from RegieDecisionAnswerVS (required)
* extension[explanation].value[x] only string

Extension: RegieMeldcodeDecisionExt
Id: regie-meldcode-decision
Title: "Meldcode decision"
Description: "The decision taken in meldcode step 5: report to Veilig Thuis, organise help, continue help, or close."
Context: Task
* insert RegieExtension
* . ^short = "Decision"
* insert DutchShort(Besluit)
* insert CodedValue(RegieMeldcodeDecisionVS)

Extension: RegieVtContactExt
Id: regie-vt-contact
Title: "Contact with Veilig Thuis"
Description: "A contact with Veilig Thuis: advice or report, and the meldcode step the professional stated. Advice is given on an anonymous case."
Context: Task
* insert RegieExtension
* . ^short = "Contact with Veilig Thuis"
* insert DutchShort(Contact met Veilig Thuis)
* extension contains contact-type 1..1 MS and stated-step 1..1 MS and date 0..1 MS
* extension[contact-type].value[x] only CodeableConcept
* extension[contact-type].value[x] from RegieVtContactTypeVS (required)
* extension[stated-step].value[x] only CodeableConcept
* extension[stated-step].value[x] from RegieMeldcodeStepVS (required)
* extension[stated-step] ^short = "Meldcode step stated to Veilig Thuis"
* extension[date].value[x] only dateTime

// ---------------------------------------------------------------- handover
Extension: RegieHandoverRouteExt
Id: regie-handover-route
Title: "Handover route"
Description: "How the case reaches the local team: directly after the safety assessment, after Voorwaarden en Vervolg, after Onderzoek, or after a temporary restraining order."
Context: Task, Composition
* insert RegieExtension
* . ^short = "Handover route"
* insert DutchShort(Route van de overdracht)
* insert CodedValue(RegieHandoverRouteVS)

Extension: RegieCaseWeightExt
Id: regie-case-weight
Title: "Case weight"
Description: "The weight of the case (licht, middelzwaar, zwaar); the regional agreements attach the kind of handover to it."
Context: Task
* insert RegieExtension
* . ^short = "Case weight"
* insert DutchShort(Casuszwaarte)
* insert CodedValue(RegieCaseWeightVS)

Extension: RegieReportDateExt
Id: regie-report-date
Title: "Report date"
Description: "When Veilig Thuis received the report (melding) the handover follows from."
Context: Task
* insert RegieExtension
* . ^short = "Date the report was received"
* insert DutchShort(Datum melding)
* value[x] 1..1
* value[x] only dateTime

Extension: RegieReporterAnonymousExt
Id: regie-reporter-anonymous
Title: "Reporter anonymous"
Description: "True when the reporter wishes to stay anonymous to the household; the reporter's contact data must then not be handed over."
Context: Composition, Communication
* insert RegieExtension
* . ^short = "Reporter is anonymous"
* insert DutchShort(Melder is anoniem)
* value[x] 1..1
* value[x] only boolean

Extension: RegieVtDecisionExt
Id: regie-vt-decision
Title: "Veilig Thuis decision"
Description: "Where Veilig Thuis places responsibility for follow-up after the safety assessment."
Context: Composition.section
* insert RegieExtension
* . ^short = "Where follow-up lies"
* insert DutchShort(Vervolg belegd bij)
* insert CodedValue(RegieVtDecisionVS)

Extension: RegieVtServiceExt
Id: regie-vt-service
Title: "Veilig Thuis service"
Description: "The Veilig Thuis service that preceded the handover: Voorwaarden en Vervolg or Onderzoek."
Context: Composition.section
* insert RegieExtension
* . ^short = "Veilig Thuis service"
* insert DutchShort(Dienst Veilig Thuis)
* insert CodedValue(RegieVtServiceVS)

Extension: RegieVtJudgementExt
Id: regie-vt-judgement
Title: "Veilig Thuis judgement"
Description: "Veilig Thuis's judgement whether abuse took place; only given after an Onderzoek."
Context: Composition.section
* insert RegieExtension
* . ^short = "Judgement of Veilig Thuis"
* insert DutchShort(Oordeel Veilig Thuis)
* insert CodedValue(RegieVtJudgementVS)

Extension: RegieUnsafetyTypeExt
Id: regie-unsafety-type
Title: "Unsafety type"
Description: "Whether the assessment found acute and/or structural unsafety."
Context: Composition.section
* insert RegieExtension
* . ^short = "Acute or structural unsafety"
* insert DutchShort(Acute of structurele onveiligheid)
* insert CodedValue(RegieUnsafetyTypeVS)

// ---------------------------------------------------------------- disclosure
Extension: RegieDisclosureBasisExt
Id: regie-disclosure-basis
Title: "Basis of a disclosure"
Description: "Why a disclosure was allowed: the Consent it rests on, or a legal basis without consent with its justification, and whether the household is informed."
Context: AuditEvent
* insert RegieExtension
* . ^short = "Basis of the disclosure"
* insert DutchShort(Grondslag van de verstrekking)
* obeys rg-dsb-1 and rg-dsb-2 and rg-dsb-3
* extension contains consent 0..1 MS and legal-basis 1..1 MS and justification 0..1 MS and inform-household 0..1 MS and not-informed-reason 0..1 MS
* extension[consent].value[x] only Reference(RegieSharingConsent)
* extension[legal-basis].value[x] only CodeableConcept
* extension[legal-basis].value[x] from RegieLegalBasisVS (required)
* extension[justification].value[x] only string
* extension[inform-household].value[x] only boolean
* extension[inform-household] ^short = "Whether the household is (to be) informed of this disclosure"
* extension[not-informed-reason].value[x] only string

Invariant: rg-dsb-1
Description: "A disclosure on the basis of consent references the Consent."
Severity: #error
Expression: "extension.where(url = 'legal-basis').value.coding.where(code = 'consent').exists() implies extension.where(url = 'consent').exists()"

Invariant: rg-dsb-2
Description: "A disclosure on a legal basis other than consent carries a written justification."
Severity: #error
Expression: "extension.where(url = 'legal-basis').value.coding.where(code != 'consent').exists() implies extension.where(url = 'justification').exists()"

Invariant: rg-dsb-3
Description: "When the household is not informed of a disclosure, the reason is recorded."
Severity: #error
Expression: "(extension.where(url = 'inform-household').exists() and extension.where(url = 'inform-household').value = false) implies extension.where(url = 'not-informed-reason').exists()"

Extension: RegieRedactionExt
Id: regie-redaction
Title: "Redaction"
Description: "An element that was left out of or changed in the disclosed copy, and why."
Context: AuditEvent.entity
* insert RegieExtension
* . ^short = "What was redacted and why"
* insert DutchShort(Wat is weggelaten en waarom)
* extension contains path 1..1 MS and reason 1..1 MS
* extension[path].value[x] only string
* extension[path] ^short = "FHIRPath of the element left out or changed"
* extension[reason].value[x] only string
