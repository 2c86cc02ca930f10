// Terminology: Veilig Thuis decisions, services, judgements and the handover to the local team.

CodeSystem: RegieVtDecision
Id: regie-vt-decision
Title: "Veilig Thuis follow-up decisions"
Description: "Where Veilig Thuis places responsibility for follow-up after its safety assessment."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #vt "Veilig Thuis zelf" "Veilig Thuis keeps the case and provides one of its own services."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis itself"
* #local-team "Lokaal team" "The municipal local team takes over follow-up."
  * ^designation[0].language = #en
  * ^designation[0].value = "Local team"
* #involved-organisation "Al betrokken organisatie" "An organisation that is already involved with the household takes over follow-up."
  * ^designation[0].language = #en
  * ^designation[0].value = "Organisation already involved"
* #multidisciplinary-team "Multidisciplinair team" "A multidisciplinary team takes over follow-up."
  * ^designation[0].language = #en
  * ^designation[0].value = "Multidisciplinary team"
* #household "Huishouden zelf" "The household is considered able to continue on its own."
  * ^designation[0].language = #en
  * ^designation[0].value = "Household itself"

ValueSet: RegieVtDecisionVS
Id: regie-vt-decision
Title: "Veilig Thuis follow-up decisions"
Description: "All codes defined in the Veilig Thuis follow-up decisions code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieVtDecision

CodeSystem: RegieVtService
Id: regie-vt-service
Title: "Veilig Thuis services"
Description: "Services that Veilig Thuis can provide itself after a report."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #voorwaarden-en-vervolg "Voorwaarden en Vervolg" "Veilig Thuis sets safety conditions and arranges suitable follow-up help."
  * ^designation[0].language = #en
  * ^designation[0].value = "Conditions and follow-up"
* #onderzoek "Onderzoek" "Veilig Thuis investigates whether abuse took place, and sets safety conditions."
  * ^designation[0].language = #en
  * ^designation[0].value = "Investigation"

ValueSet: RegieVtServiceVS
Id: regie-vt-service
Title: "Veilig Thuis services"
Description: "All codes defined in the Veilig Thuis services code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieVtService

CodeSystem: RegieVtJudgement
Id: regie-vt-judgement
Title: "Veilig Thuis judgements"
Description: "Conclusion of Veilig Thuis on whether abuse took place; only available after an investigation."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #abuse-established "Geweld vastgesteld" "The investigation concluded that violence or abuse took place."
  * ^designation[0].language = #en
  * ^designation[0].value = "Abuse established"
* #abuse-not-established "Geweld niet vastgesteld" "The investigation concluded that no violence or abuse took place."
  * ^designation[0].language = #en
  * ^designation[0].value = "Abuse not established"
* #undetermined "Niet vast te stellen" "The investigation could not determine whether violence or abuse took place."
  * ^designation[0].language = #en
  * ^designation[0].value = "Undetermined"

ValueSet: RegieVtJudgementVS
Id: regie-vt-judgement
Title: "Veilig Thuis judgements"
Description: "All codes defined in the Veilig Thuis judgements code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieVtJudgement

CodeSystem: RegieHandoverRoute
Id: regie-handover-route
Title: "Handover routes"
Description: "The route by which a case reaches the local team from Veilig Thuis."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #direct-after-assessment "Direct na veiligheidsbeoordeling" "Handover immediately after the safety assessment, without a Veilig Thuis service."
  * ^designation[0].language = #en
  * ^designation[0].value = "Directly after safety assessment"
* #after-voorwaarden-en-vervolg "Na Voorwaarden en Vervolg" "Handover after the Conditions and follow-up service of Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "After conditions and follow-up"
* #after-onderzoek "Na Onderzoek" "Handover after an investigation by Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "After investigation"
* #restraining-order "Tijdelijk huisverbod" "Handover in the context of a temporary restraining order imposed by the mayor."
  * ^designation[0].language = #en
  * ^designation[0].value = "Temporary restraining order"

ValueSet: RegieHandoverRouteVS
Id: regie-handover-route
Title: "Handover routes"
Description: "All codes defined in the Handover routes code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieHandoverRoute

CodeSystem: RegieCaseWeight
Id: regie-case-weight
Title: "Case weights"
Description: "Weight of a case handed over by Veilig Thuis, which determines how the handover takes place; the rules are set regionally."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #licht "Licht" "No acute or structural unsafety and the household is open to help; written handover."
  * ^designation[0].language = #en
  * ^designation[0].value = "Light"
* #middelzwaar "Middelzwaar" "Structural unsafety while the household is open to help; written handover and the local team makes the safety plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Medium"
* #zwaar "Zwaar" "Acute and/or structural unsafety while the household is not open to help or there is no sight on safety; a Veilig Thuis service followed by a face-to-face handover with safety conditions."
  * ^designation[0].language = #en
  * ^designation[0].value = "Heavy"

ValueSet: RegieCaseWeightVS
Id: regie-case-weight
Title: "Case weights"
Description: "All codes defined in the Case weights code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieCaseWeight

CodeSystem: RegieHandoverSection
Id: regie-handover-section
Title: "Handover document sections"
Description: "Sections of the document with which Veilig Thuis hands a case over."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #report-content "Inhoud melding" "What was reported to Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "Report content"
* #reporter-contact "Contactgegevens melder" "Contact details of the reporter, included only when the reporter is not anonymous and contact is needed."
  * ^designation[0].language = #en
  * ^designation[0].value = "Reporter contact details"
* #safety-assessment "Uitkomst veiligheidsbeoordeling" "Outcome of the safety assessment by Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety assessment outcome"
* #vt-judgement "Oordeel Veilig Thuis" "Conclusion of Veilig Thuis on whether abuse took place, only after an investigation."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis judgement"
* #safety-conditions "Veiligheidsvoorwaarden" "Conditions set by Veilig Thuis that must be met to restore safety."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety conditions"
* #safety-plan "Veiligheidsafspraken en veiligheidsplan" "Safety agreements and the safety plan, if they were made."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety agreements and safety plan"
* #consequences "Consequenties bij niet nakomen" "What follows if safety is not restored (in time)."
  * ^designation[0].language = #en
  * ^designation[0].value = "Consequences of non-compliance"
* #plan-agreements "Afspraken over plannen" "Agreements on drawing up the safety, assistance and recovery plans."
  * ^designation[0].language = #en
  * ^designation[0].value = "Agreements on plans"
* #monitoring-agreements "Afspraken over monitoring" "Agreements on how and when Veilig Thuis monitors the situation."
  * ^designation[0].language = #en
  * ^designation[0].value = "Monitoring agreements"

ValueSet: RegieHandoverSectionVS
Id: regie-handover-section
Title: "Handover document sections"
Description: "All codes defined in the Handover document sections code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieHandoverSection

CodeSystem: RegieDeadlineRule
Id: regie-deadline-rule
Title: "Deadline rules"
Description: "The terms that start with a handover from Veilig Thuis to the local team; their lengths are regional settings."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #local-team-first-contact "Eerste contact lokaal team" "The local team contacts the household after receiving the case: at the latest within the regional term, at once (the next working day) after acute unsafety."
  * ^designation[0].language = #en
  * ^designation[0].value = "First contact by the local team"
* #restraining-order-inform-local-team "Huisverbod: lokaal team geïnformeerd" "After a temporary restraining order Veilig Thuis informs the local team by the regional day."
  * ^designation[0].language = #en
  * ^designation[0].value = "Restraining order: local team informed"
* #restraining-order-joint-talk "Huisverbod: gezamenlijk gesprek" "Veilig Thuis and the local team talk with the household together within the regional number of working days, where possible."
  * ^designation[0].language = #en
  * ^designation[0].value = "Restraining order: joint conversation"
* #restraining-order-advice "Huisverbod: advies vervolghulp" "Veilig Thuis advises on follow-up help on the regional day of the order."
  * ^designation[0].language = #en
  * ^designation[0].value = "Restraining order: advice on follow-up help"
* #vt-monitoring "Monitoringsmoment Veilig Thuis" "Veilig Thuis checks, after its service, whether the safety conditions are met and safety lasts, at the regional moments."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis monitoring moment"

ValueSet: RegieDeadlineRuleVS
Id: regie-deadline-rule
Title: "Deadline rules"
Description: "All codes defined in the Deadline rules code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieDeadlineRule

CodeSystem: RegieHandoverOutput
Id: regie-handover-output
Title: "Handover outputs"
Description: "What a handover Task records as its outcome: the exact version of the handover document the local team accepted."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #accepted-document "Geaccepteerde versie overdrachtsdocument" "The version of the handover document the local team accepted at the moment responsibility passed (a versioned reference Composition/<id>/_history/<n>)."
  * ^designation[0].language = #en
  * ^designation[0].value = "Accepted version of the handover document"

ValueSet: RegieHandoverOutputVS
Id: regie-handover-output
Title: "Handover outputs"
Description: "All codes defined in the Handover outputs code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieHandoverOutput

ValueSet: RegieHandoverPriorityVS
Id: regie-handover-priority
Title: "Handover priority"
Description: "The two priorities of a handover (FHIR request-priority): asap when Veilig Thuis found acute unsafety (the local team contacts the household at once, the next working day), routine otherwise."
* ^status = #active
* ^experimental = false
* http://hl7.org/fhir/request-priority#routine "Routine"
* http://hl7.org/fhir/request-priority#asap "ASAP"
