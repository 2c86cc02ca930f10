// The household plan (ondersteuningsplan), the safety plan, and what they are made of:
// goals, concerns, strengths and agreed actions.

Profile: RegieSupportPlan
Parent: CarePlan
Id: regie-support-plan
Title: "Regie Support Plan"
Description: "The ondersteuningsplan of one household: the 1G1P1R phase, the team, concerns and strengths per life domain, goals, agreed actions, the next meeting and the fixed responsibility statements. Since 0.2 a plan that a municipal case system exports validates with what it has: the phase, the title, the care team and the four responsibility statements are must-support, not required; the workflow checks report a plan that lacks them (finding support-plan-complete). Must-support (MS) here means: a sender that has the element sends it; a receiver stores it, shows it to the professional and sends it on unchanged; a receiver never rejects a plan for lacking it."
* insert RegieProfile
* ^purpose = "One plan per household that everyone involved works from, written with the household and in plain language."
* . ^short = "Household support plan (ondersteuningsplan)"
* insert DutchShort(Ondersteuningsplan van het huishouden)
* obeys rg-spl-1
* extension contains
    Regie1g1p1rPhaseExt named phase 0..1 MS and
    RegieNextMeetingExt named nextMeeting 0..1 MS and
    RegieResponsibilityExt named responsibility 0..4 MS
* status MS
* intent = #plan
* category 1..1 MS
* category = RegiePlanCategory#support-plan
* title 0..1 MS
* description MS
* subject only Reference(RegieHousehold or RegiePatient)
* subject MS
* period MS
* created MS
* author MS
* careTeam 0..1 MS
* careTeam only Reference(RegieCareTeam)
* addresses MS
* addresses only Reference(RegieConcern)
* addresses ^short = "Concerns per life domain"
* supportingInfo MS
* supportingInfo only Reference(RegieStrength)
* supportingInfo ^short = "Strengths per life domain"
* goal MS
* goal only Reference(RegieGoal)
* activity MS
* activity.reference 1..1 MS
* activity.reference only Reference(RegieAgreedAction)
* activity.detail 0..0
* note MS

Invariant: rg-spl-1
Description: "Each fixed responsibility area (executing actions, day-to-day direction, facilitating cooperation, resolving stagnation) is stated at most once (that all four are there is a workflow check, support-plan-complete, since 0.2)."
Severity: #error
Expression: "extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-responsibility').extension.where(url = 'area').value.code.isDistinct()"


Profile: RegieSafetyPlan
Parent: CarePlan
Id: regie-safety-plan
Title: "Regie Safety Plan"
Description: "A safety plan (direct, stable or long-term) in a Routekaart phase: danger statements in priority order, safety goals, Veilig Thuis safety conditions with term and consequence, risk and complicating factors, safety person and safe object; signatures are regie-plan-signature Provenances on a version of the plan."
* insert RegieProfile
* ^purpose = "Make the agreements that keep every household member safe explicit, checkable and shared, from the first direct safety plan to stable safety."
* . ^short = "Safety plan (veiligheidsplan)"
* insert DutchShort(Veiligheidsplan)
* obeys rg-sfp-1 and rg-sfp-2
* extension contains
    RegieSafetyPlanKindExt named kind 1..1 MS and
    RegieRoutekaartPhaseExt named routekaartPhase 1..1 MS and
    RegieDangerStatementExt named dangerStatement 0..* MS and
    RegieSafeObjectExt named safeObject 0..1 MS and
    RegieNextMeetingExt named nextMeeting 0..1 MS
* status MS
* intent = #plan
* category 1..1 MS
* category = RegiePlanCategory#safety-plan
* title 1..1 MS
* description MS
* subject only Reference(RegieHousehold or RegiePatient)
* subject MS
* partOf MS
* partOf only Reference(RegieSupportPlan)
* partOf ^short = "The household support plan this safety plan belongs to"
* period MS
* created MS
* author MS
* careTeam MS
* careTeam only Reference(RegieCareTeam)
* careTeam ^short = "The team around the household; its participants with role veiligheidspersoon are the plan's safety persons"
* careTeam ^comment = "The safety person (veiligheidspersoon) is named once, as a participant of the care team with role regie-role#veiligheidspersoon (and its period), not a second time on the plan."
* addresses MS
* addresses only Reference(RegieConcern)
* addresses ^short = "Danger statements, risk factors and complicating factors"
* addresses ^comment = "Every danger statement the plan works on (extension dangerStatement, with its priority and status) is also listed here (rg-sfp-2), so a receiver that knows only core CarePlan sees what the plan addresses."
* goal MS
* goal only Reference(RegieGoal)
* goal ^short = "Safety goals and Veilig Thuis safety conditions"
* activity MS
* activity.reference 1..1 MS
* activity.reference only Reference(RegieAgreedAction)
* activity.detail 0..0
* note MS

Invariant: rg-sfp-1
Description: "A safety plan works on at most four active danger statements (the national maximum of the Routekaart; a region may agree on fewer, checked by the workflow rules with the setting safety.max_danger_statements)."
Severity: #error
Expression: "extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-danger-statement').where(extension.where(url = 'status').value = 'active').count() <= 4"


Invariant: rg-sfp-2
Description: "Every danger statement the safety plan works on is also in CarePlan.addresses."
Severity: #error
Expression: "extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-danger-statement').extension.where(url = 'statement').value.reference.all(%resource.addresses.reference contains $this)"


Profile: RegieGoal
Parent: Goal
Id: regie-goal
Title: "Regie Goal"
Description: "A support goal (per life domain), a safety goal (what we want to see to be reassured) or a safety condition set by Veilig Thuis (with a term and the consequence of not meeting it)."
* insert RegieProfile
* ^purpose = "Keep goals, safety goals and Veilig Thuis's conditions apart, because the conditions carry a term and a consequence that must reach the household unchanged."
* . ^short = "Support goal, safety goal or VT safety condition"
* insert DutchShort(Doel\, veiligheidsdoel of veiligheidsvoorwaarde)
* obeys rg-gol-1 and rg-gol-2 and rg-gol-3
* extension contains
    RegieLifeDomainExt named lifeDomain 0..1 MS and
    RegieConsequenceExt named consequence 0..1 MS
* lifecycleStatus MS
* achievementStatus MS
* category 1..1 MS
* category from RegieGoalTypeVS (required)
* description MS
* description.text 1..1 MS
* subject 1..1 MS
* subject only Reference(RegieHousehold or RegiePatient)
* start[x] MS
* target MS
* target.due[x] MS
* expressedBy MS
* addresses MS
* addresses only Reference(RegieConcern)
* note MS

Invariant: rg-gol-1
Description: "A Veilig Thuis safety condition has a term (target.due)."
Severity: #error
Expression: "category.coding.where(system = 'https://fhir-regie.nl/fhir/CodeSystem/regie-goal-type' and code = 'safety-condition').exists() implies target.due.exists()"

Invariant: rg-gol-2
Description: "A Veilig Thuis safety condition states the consequence of not meeting it."
Severity: #error
Expression: "category.coding.where(system = 'https://fhir-regie.nl/fhir/CodeSystem/regie-goal-type' and code = 'safety-condition').exists() implies extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-consequence').exists()"

Invariant: rg-gol-3
Description: "A support goal names its life domain (advice: a warning, since 0.2; the plan reads better per life domain, but a goal without one is still a goal)."
Severity: #warning
Expression: "category.coding.where(system = 'https://fhir-regie.nl/fhir/CodeSystem/regie-goal-type' and code = 'support-goal').exists() implies extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-life-domain').exists()"


Profile: RegieConcern
Parent: Condition
Id: regie-concern
Title: "Regie Concern"
Description: "A concern (zorg), danger statement (gevaarsomschrijving, in the household's own words), complicating factor or risk factor about the household or one of its members."
* insert RegieProfile
* ^purpose = "Record what everyone is worried about in words the household recognises, so the danger statements and the safety scales that score them mean the same to all."
* . ^short = "Concern, danger statement or risk factor"
* insert DutchShort(Zorg\, gevaarsomschrijving of risicofactor)
* extension contains RegieLifeDomainExt named lifeDomain 0..1 MS
* clinicalStatus MS
* category 1..1 MS
* category from RegieConcernTypeVS (required)
* code 1..1 MS
* code.text 1..1 MS
* code.text ^short = "The concern in the household's own words"
* subject only Reference(RegieHousehold or RegiePatient)
* subject MS
* recordedDate MS
* asserter MS
* asserter ^short = "Whose words these are"
* note MS


Profile: RegieStrength
Parent: Observation
Id: regie-strength
Title: "Regie Strength"
Description: "A strength (kracht) of the household or its network, or a sign of safety: what is going well, per life domain."
* insert RegieProfile
* ^purpose = "Put what goes well next to the concerns, because safety plans build on strengths and signs of safety."
* . ^short = "Strength or sign of safety"
* insert DutchShort(Kracht of teken van veiligheid)
* extension contains RegieLifeDomainExt named lifeDomain 0..1 MS
* status MS
* code MS
* code from RegieStrengthTypeVS (required)
* subject 1..1 MS
* subject only Reference(RegieHousehold or RegiePatient)
* effective[x] MS
* performer MS
* performer ^short = "Who named this strength"
* value[x] 1..1 MS
* value[x] only string
* value[x] ^short = "The strength, in plain words"


Profile: RegieAgreedAction
Parent: Task
Id: regie-agreed-action
Title: "Regie Agreed Action"
Description: "An action or agreement from a plan: what is done, who does it (the client, a household member, the network or a professional), by when, and which goal it serves. Kinds: action, safety agreement, monitoring check."
* insert RegieProfile
* ^purpose = "Turn every plan into concrete, checkable steps with one owner each, so progress and stagnation can be seen."
* . ^short = "Agreed action (afspraak)"
* insert DutchShort(Afspraak uit het plan)
* obeys rg-act-1 and rg-act-2
* extension contains RegieLifeDomainExt named lifeDomain 0..1 MS
* basedOn 1..1 MS
* basedOn only Reference(RegieSupportPlan or RegieSafetyPlan)
* status MS
* statusReason MS
* intent = #plan
* code 1..1 MS
* code from RegieAgreedActionKindVS (required)
* description 1..1 MS
* description ^short = "What will be done, in plain words"
* focus 0..0
* reasonReference MS
* reasonReference only Reference(RegieGoal)
* reasonReference ^short = "The goal this action serves"
* for 1..1 MS
* for only Reference(RegieHousehold or RegiePatient)
* authoredOn MS
* lastModified MS
* requester MS
* owner 1..1 MS
* owner only Reference(RegiePatient or RegieRelatedPerson or Practitioner or PractitionerRole or Organization or CareTeam)
* owner ^short = "Who carries out the action"
* restriction MS
* restriction.period MS
* restriction.period.end MS
* restriction.period.end ^short = "Due date"
* executionPeriod MS
* note MS

Invariant: rg-act-1
Description: "An action that is rejected, cancelled, on hold or failed records why (statusReason)."
Severity: #error
Expression: "(status = 'rejected' or status = 'cancelled' or status = 'on-hold' or status = 'failed') implies statusReason.exists()"

Invariant: rg-act-2
Description: "An action (kind 'action') has a due date (restriction.period.end) (advice: a warning, since 0.2; plans are written in small steps saying who does what by when)."
Severity: #warning
Expression: "code.coding.where(system = 'https://fhir-regie.nl/fhir/CodeSystem/regie-agreed-action-kind' and code = 'action').exists() implies restriction.period.end.exists()"


Profile: RegiePlanSignature
Parent: Provenance
Id: regie-plan-signature
Title: "Regie Plan Signature"
Description: "Who signed one version of a support or safety plan, when, and as what (ondertekening). The target names the plan with its version (CarePlan/<id>/_history/<n>): a later edit makes a new version that nobody has signed yet."
* insert RegieProfile
* ^purpose = "Bind a signature to the exact text that was signed, so an edit after the meeting can never appear signed by the household."
* . ^short = "Signature on one version of a plan"
* insert DutchShort(Ondertekening van één versie van een plan)
* obeys rg-psg-1 and rg-psg-2
* target 1..1 MS
* target only Reference(RegieSupportPlan or RegieSafetyPlan)
* target.reference MS
* target ^short = "The plan, with its version (CarePlan/<id>/_history/<n>)"
* recorded MS
* agent MS
* agent.who MS
* agent.who only Reference(RegiePatient or RegieRelatedPerson or Practitioner or PractitionerRole)
* signature 1..* MS
* signature.type MS
* signature.when MS
* signature.who MS
* signature.who only Reference(RegiePatient or RegieRelatedPerson or Practitioner or PractitionerRole)
* signature.who ^short = "Who signed"
* signature.when ^short = "When it was signed"

Invariant: rg-psg-1
Description: "A signature names the version of the plan it was given for (CarePlan/<id>/_history/<n>)."
Severity: #error
Expression: "target.all(reference.matches('^CarePlan/[A-Za-z0-9.-]{1,64}/_history/[A-Za-z0-9.-]{1,64}$'))"

Invariant: rg-psg-2
Description: "Everyone who signed is an agent of the signing."
Severity: #error
Expression: "signature.who.reference.distinct().count() = signature.who.reference.intersect(agent.who.reference).count()"
