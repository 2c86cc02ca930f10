// Terminology: Work process phases, plans, goals, concerns, actions, tasks and documents.

CodeSystem: Regie1g1p1rPhase
Id: regie-1g1p1r-phase
Title: "1Gezin1Plan1Regisseur phases"
Description: "Phases of the one household, one plan, one coordinator work process, from the incoming request to closing."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #registration "Aanmelding" "A request for support comes in; basic care and safety are checked first."
  * ^designation[0].language = #en
  * ^designation[0].value = "Registration"
* #intake "Intake" "The request is clarified, strengths and concerns are listed and it is decided whether the household is followed with the one-plan approach."
  * ^designation[0].language = #en
  * ^designation[0].value = "Intake"
* #start-meeting-preparation "Voorbereiding startoverleg" "Together with the client the first meeting is prepared: network overview, invitees, dates, consent and access to the digital plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Start meeting preparation"
* #start-meeting "Startoverleg" "First joint meeting, led by the client, in which strengths and concerns are shared, the situation is analysed and the safety and support plans are agreed."
  * ^designation[0].language = #en
  * ^designation[0].value = "Start meeting"
* #progress "Voortgang" "The plan is shared and carried out; progress is monitored, stagnation is tackled and support is scaled up or down."
  * ^designation[0].language = #en
  * ^designation[0].value = "Progress"
* #progress-meeting "Voortgangsoverleg" "Recurring meeting that reviews safety agreements, goals and actions, rescores the safety scale and makes new agreements."
  * ^designation[0].language = #en
  * ^designation[0].value = "Progress meeting"
* #professional-handover "Overdracht of uitstroom professional" "A professional hands over or leaves; a successor for each role and the moment of transfer are agreed."
  * ^designation[0].language = #en
  * ^designation[0].value = "Professional handover or exit"
* #closing "Afsluiting" "The trajectory with the household is evaluated and ended, including agreements on any follow-up; not allowed while signals of unsafety remain."
  * ^designation[0].language = #en
  * ^designation[0].value = "Closing"

ValueSet: Regie1g1p1rPhaseVS
Id: regie-1g1p1r-phase
Title: "1Gezin1Plan1Regisseur phases"
Description: "All codes defined in the 1Gezin1Plan1Regisseur phases code system."
* ^status = #active
* ^experimental = false
* include codes from system Regie1g1p1rPhase

CodeSystem: RegieRoutekaartPhase
Id: regie-routekaart-phase
Title: "Routekaart naar Veiligheid phases"
Description: "Phases of the Routekaart naar Veiligheid safety planning approach, each with minimum outcomes before it is completed."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #alignment "Afstemming" "As soon as a concern is known, agreeing who analyses the situation with the household, who secures immediate safety and who holds case direction."
  * ^designation[0].language = #en
  * ^designation[0].value = "Alignment"
* #safety "Fase veiligheid" "Phase aimed at immediate safety: three-column analysis, danger statements, safety goals, safety scale and a direct safety plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Direct safety phase"
* #risk-guided "Fase risico-gestuurd" "Phase working towards stable safety by tackling the prioritised dangers and risk factors, with regularly scored safety scales and a stable safety plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Risk-guided phase"
* #recovery "Fase herstel" "Phase directed at recovering from harm and taking part in daily life, while the informal network holds the safety plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Recovery phase"

ValueSet: RegieRoutekaartPhaseVS
Id: regie-routekaart-phase
Title: "Routekaart naar Veiligheid phases"
Description: "All codes defined in the Routekaart naar Veiligheid phases code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieRoutekaartPhase

CodeSystem: RegieSafetyPlanKind
Id: regie-safety-plan-kind
Title: "Safety plan kinds"
Description: "Kinds of safety plan, matching the successive phases of safety planning."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #direct "Direct veiligheidsplan" "Plan with concrete daily agreements, check moments and steps to take when things threaten to go wrong, securing safety straight away."
  * ^designation[0].language = #en
  * ^designation[0].value = "Direct safety plan"
* #stable "Stabiel veiligheidsplan" "Plan that keeps the household safe over time while risk factors are being addressed; it is stress-tested against likely failure scenarios."
  * ^designation[0].language = #en
  * ^designation[0].value = "Stable safety plan"
* #long-term "Veiligheidsplan lange termijn" "Plan that maintains safety in the long run, owned and kept alive mainly by the informal network."
  * ^designation[0].language = #en
  * ^designation[0].value = "Long-term safety plan"

ValueSet: RegieSafetyPlanKindVS
Id: regie-safety-plan-kind
Title: "Safety plan kinds"
Description: "All codes defined in the Safety plan kinds code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieSafetyPlanKind

CodeSystem: RegiePlanCategory
Id: regie-plan-category
Title: "Plan categories"
Description: "Categories of plan made with and for a household."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #support-plan "Ondersteuningsplan" "The single integrated plan for the household with goals per life domain, actions and responsibilities."
  * ^designation[0].language = #en
  * ^designation[0].value = "Support plan"
* #safety-plan "Veiligheidsplan" "Plan with the agreements that make and keep the household members safe; it comes before the other plans."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety plan"
* #assistance-plan "Hulpverleningsplan" "Plan describing professional help that supports the safety plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Assistance plan"
* #recovery-plan "Herstelplan" "Plan for treatment and recovery from harm, linked to and supporting the safety plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Recovery plan"

ValueSet: RegiePlanCategoryVS
Id: regie-plan-category
Title: "Plan categories"
Description: "All codes defined in the Plan categories code system."
* ^status = #active
* ^experimental = false
* include codes from system RegiePlanCategory

CodeSystem: RegieLifeDomain
Id: regie-life-domain
Title: "Life domains"
Description: "Areas of life for which concerns, goals and actions are recorded in the household plan."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #work "Werk" "Paid work, daytime activities and participation through work."
  * ^designation[0].language = #en
  * ^designation[0].value = "Work"
* #income "Inkomen en financiën" "Income, debts and the management of money."
  * ^designation[0].language = #en
  * ^designation[0].value = "Income and finances"
* #social-support "Maatschappelijke ondersteuning (Wmo)" "Support under the Social Support Act for living independently and taking part in society."
  * ^designation[0].language = #en
  * ^designation[0].value = "Social support (Wmo)"
* #housing "Wonen" "The housing situation and living environment."
  * ^designation[0].language = #en
  * ^designation[0].value = "Housing"
* #education "Onderwijs" "School, training and education."
  * ^designation[0].language = #en
  * ^designation[0].value = "Education"
* #youth-care "(Jeugd)zorg" "Youth care and other care services."
  * ^designation[0].language = #en
  * ^designation[0].value = "(Youth) care"
* #safety "Veiligheid" "Physical and emotional safety of the household members."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety"
* #health "(Geestelijke) gezondheidszorg" "Physical and mental health and the care provided for it."
  * ^designation[0].language = #en
  * ^designation[0].value = "(Mental) health care"

ValueSet: RegieLifeDomainVS
Id: regie-life-domain
Title: "Life domains"
Description: "All codes defined in the Life domains code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieLifeDomain

CodeSystem: RegieAgreedActionKind
Id: regie-agreed-action-kind
Title: "Kinds of agreed action"
Description: "Kinds of agreement recorded in a plan about who does what and when."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #action "Actie" "A step that someone takes to reach a goal of the plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Action"
* #safety-agreement "Veiligheidsafspraak" "A concrete agreement that keeps household members safe, including what to do when things threaten to go wrong."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety agreement"
* #monitoring-check "Controlemoment" "A planned moment at which someone checks whether the agreements are kept and everyone is safe."
  * ^designation[0].language = #en
  * ^designation[0].value = "Monitoring check"

ValueSet: RegieAgreedActionKindVS
Id: regie-agreed-action-kind
Title: "Kinds of agreed action"
Description: "All codes defined in the Kinds of agreed action code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieAgreedActionKind

CodeSystem: RegieConcernType
Id: regie-concern-type
Title: "Concern types"
Description: "Kinds of worry recorded in the analysis of a household's situation."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #concern "Zorg" "A worry about the household's situation on any life domain."
  * ^designation[0].language = #en
  * ^designation[0].value = "Concern"
* #danger-statement "Gevaarsomschrijving" "Description, in the household's own words, of the worst that can happen if nothing changes."
  * ^designation[0].language = #en
  * ^designation[0].value = "Danger statement"
* #complicating-factor "Complicerende factor" "Circumstance that makes the situation harder to change or to keep safe, without being a direct danger."
  * ^designation[0].language = #en
  * ^designation[0].value = "Complicating factor"
* #risk-factor "Risicofactor" "Factor that caused or sustains the unsafety and must be tackled to reach stable safety."
  * ^designation[0].language = #en
  * ^designation[0].value = "Risk factor"

ValueSet: RegieConcernTypeVS
Id: regie-concern-type
Title: "Concern types"
Description: "All codes defined in the Concern types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieConcernType

CodeSystem: RegieGoalType
Id: regie-goal-type
Title: "Goal types"
Description: "Kinds of goal in household plans."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #support-goal "Ondersteuningsdoel" "Goal on a life domain that the household wants to reach with support."
  * ^designation[0].language = #en
  * ^designation[0].value = "Support goal"
* #safety-goal "Veiligheidsdoel" "Behaviour that people want to see in order to be reassured about safety; describes an outcome, never a service or treatment."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety goal"
* #safety-condition "Veiligheidsvoorwaarde Veilig Thuis" "Condition set by Veilig Thuis that the household must meet to restore safety, with a deadline."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis safety condition"

ValueSet: RegieGoalTypeVS
Id: regie-goal-type
Title: "Goal types"
Description: "All codes defined in the Goal types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieGoalType

CodeSystem: RegieTaskType
Id: regie-task-type
Title: "Task types"
Description: "Kinds of task used to track work around a household."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #agreed-action "Afspraak" "An action or agreement from a plan that someone has to carry out."
  * ^designation[0].language = #en
  * ^designation[0].value = "Agreed action"
* #meldcode-step "Meldcodestap" "The work and documentation of one step of the Meldcode."
  * ^designation[0].language = #en
  * ^designation[0].value = "Meldcode step"
* #handover "Overdracht" "The transfer of follow-up responsibility for a household, for instance from Veilig Thuis to the local team."
  * ^designation[0].language = #en
  * ^designation[0].value = "Handover"
* #handover-notification "Overdrachtsbericht" "A message that informs a party about a handover, such as Veilig Thuis notifying the local team."
  * ^designation[0].language = #en
  * ^designation[0].value = "Handover notification"

ValueSet: RegieTaskTypeVS
Id: regie-task-type
Title: "Task types"
Description: "All codes defined in the Task types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieTaskType

CodeSystem: RegieDocumentType
Id: regie-document-type
Title: "Document types"
Description: "Kinds of document exchanged or produced around a household."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #handover-document "Overdrachtsdocument" "Document with which Veilig Thuis transfers a case to the party responsible for follow-up."
  * ^designation[0].language = #en
  * ^designation[0].value = "Handover document"
* #support-plan-document "Ondersteuningsplan (document)" "Rendered version of the support plan shared with client and professionals."
  * ^designation[0].language = #en
  * ^designation[0].value = "Support plan document"
* #safety-plan-document "Veiligheidsplan (document)" "Rendered version of the safety plan, signed by the client."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety plan document"

ValueSet: RegieDocumentTypeVS
Id: regie-document-type
Title: "Document types"
Description: "All codes defined in the Document types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieDocumentType

CodeSystem: RegieDangerStatementStatus
Id: regie-danger-statement-status
Title: "Danger statement statuses"
Description: "Status of a danger statement during safety planning."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #active "Actief" "The danger statement is currently being worked on."
  * ^designation[0].language = #en
  * ^designation[0].value = "Active"
* #resolved "Opgelost" "The safety goal for this danger has been reached in a lasting way."
  * ^designation[0].language = #en
  * ^designation[0].value = "Resolved"
* #replaced "Vervangen" "The danger statement has been reworded or superseded by another one."
  * ^designation[0].language = #en
  * ^designation[0].value = "Replaced"

ValueSet: RegieDangerStatementStatusVS
Id: regie-danger-statement-status
Title: "Danger statement statuses"
Description: "All codes defined in the Danger statement statuses code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieDangerStatementStatus
