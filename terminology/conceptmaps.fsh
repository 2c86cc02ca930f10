// Terminology: mappings from local codes to international code systems.

Instance: RegieHouseholdRoleToV3RoleCode
InstanceOf: ConceptMap
Usage: #definition
Title: "Household member roles to HL7 v3 RoleCode"
Description: "Maps the household member roles to HL7 v3 RoleCode personal relationship codes. Only mappings whose meaning is certain are given; the other roles are marked as unmatched."
* id = "regie-household-role-to-v3-rolecode"
* url = "https://fhir-regie.nl/fhir/ConceptMap/regie-household-role-to-v3-rolecode"
* name = "RegieHouseholdRoleToV3RoleCode"
* title = "Household member roles to HL7 v3 RoleCode"
* status = #active
* experimental = false
* description = "Maps the household member roles to HL7 v3 RoleCode personal relationship codes. Only mappings whose meaning is certain are given; the other roles are marked as unmatched."
* sourceCanonical = Canonical(RegieHouseholdRoleVS)
* targetCanonical = "http://terminology.hl7.org/ValueSet/v3-RoleCode"
* group[0].source = Canonical(RegieHouseholdRole)
* group[0].target = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
* group[0].element[0].code = #parent
* group[0].element[0].display = "Ouder"
* group[0].element[0].target[0].code = #PRN
* group[0].element[0].target[0].display = "parent"
* group[0].element[0].target[0].equivalence = #equivalent
* group[0].element[1].code = #child
* group[0].element[1].display = "Kind"
* group[0].element[1].target[0].code = #CHILD
* group[0].element[1].target[0].display = "child"
* group[0].element[1].target[0].equivalence = #equivalent
* group[0].element[2].code = #grandparent
* group[0].element[2].display = "Grootouder"
* group[0].element[2].target[0].code = #GRPRN
* group[0].element[2].target[0].display = "grandparent"
* group[0].element[2].target[0].equivalence = #equivalent
* group[0].element[3].code = #partner
* group[0].element[3].display = "Partner"
* group[0].element[3].target[0].code = #SIGOTHR
* group[0].element[3].target[0].display = "significant other"
* group[0].element[3].target[0].equivalence = #wider
* group[0].element[3].target[0].comment = "Significant other also covers persons who are important to someone without being their spouse or life partner."
* group[0].element[4].code = #carer
* group[0].element[4].display = "Verzorger"
* group[0].element[4].target[0].equivalence = #unmatched
* group[0].element[4].target[0].comment = "A carer may or may not be a relative; no single RoleCode personal relationship code covers this household role."
* group[0].element[5].code = #other
* group[0].element[5].display = "Overig"
* group[0].element[5].target[0].equivalence = #unmatched
* group[0].element[5].target[0].comment = "Other household members are not necessarily family, so family member (FAMMEMB) would not be certain."
* group[0].element[6].code = #unborn-child
* group[0].element[6].display = "Ongeboren kind"
* group[0].element[6].target[0].equivalence = #unmatched
* group[0].element[6].target[0].comment = "RoleCode has no code for an expected child."

// The remaining local codes of information sharing, signals and the decision framework, mapped to
// HL7 code systems where a mapping can be justified from the target's definition (docs/ig/consent.md).

RuleSet: RegieConceptMap(id, name)
* id = "{id}"
* url = "https://fhir-regie.nl/fhir/ConceptMap/{id}"
* name = "{name}"
* status = #active
* experimental = false
* publisher = "fhir-regie"

Instance: RegieSharingPurposeToV3ActReason
InstanceOf: ConceptMap
Usage: #definition
Title: "Sharing purposes to HL7 v3 ActReason (purpose of use)"
Description: "Maps the sharing purposes the guide keeps as its own codes to the wider HL7 v3 ActReason purpose of use they fall under. Care coordination (COC) and safety planning (THREAT) are written with the v3 codes themselves. A receiver that only knows purpose of use reads each local purpose as the wider v3 purpose; it must not read a v3 purpose back as the narrower local one."
* insert RegieConceptMap(regie-sharing-purpose-to-v3-actreason, RegieSharingPurposeToV3ActReason)
* title = "Sharing purposes to HL7 v3 ActReason (purpose of use)"
* description = "Maps the sharing purposes the guide keeps as its own codes to the wider HL7 v3 ActReason purpose of use they fall under. Care coordination (COC) and safety planning (THREAT) are written with the v3 codes themselves. A receiver that only knows purpose of use reads each local purpose as the wider v3 purpose; it must not read a v3 purpose back as the narrower local one."
* sourceCanonical = Canonical(RegieSharingPurposeVS)
* targetCanonical = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse"
* group[0].source = Canonical(RegieSharingPurpose)
* group[0].target = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
* group[0].element[0].code = #handover
* group[0].element[0].display = "Overdracht"
* group[0].element[0].target[0].code = #COC
* group[0].element[0].target[0].display = "coordination of care"
* group[0].element[0].target[0].equivalence = #wider
* group[0].element[0].target[0].comment = "Handing over follow-up is one way of organising a person's care and acting as the link between the participants (COC); COC also covers much more."
* group[0].element[1].code = #meldcode-report
* group[0].element[1].display = "Melding Veilig Thuis"
* group[0].element[1].target[0].code = #THREAT
* group[0].element[1].target[0].display = "threat"
* group[0].element[1].target[0].equivalence = #wider
* group[0].element[1].target[0].comment = "A report under the Meldcode is made to prevent injury to someone who may be the target of violence (THREAT)."
* group[0].element[2].code = #anonymous-advice
* group[0].element[2].display = "Anoniem advies"
* group[0].element[2].target[0].code = #THREAT
* group[0].element[2].target[0].display = "threat"
* group[0].element[2].target[0].equivalence = #wider
* group[0].element[2].target[0].comment = "Advice about a possible victim of violence, asked without identifying data."
* group[0].element[3].code = #vt-monitoring
* group[0].element[3].display = "Monitoring door Veilig Thuis"
* group[0].element[3].target[0].code = #THREAT
* group[0].element[3].target[0].display = "threat"
* group[0].element[3].target[0].equivalence = #wider
* group[0].element[3].target[0].comment = "Veilig Thuis checks whether safety lasts, to prevent renewed violence."
* group[0].element[4].code = #shared-plan-view
* group[0].element[4].display = "Inzage gedeeld plan"
* group[0].element[4].target[0].code = #COC
* group[0].element[4].target[0].display = "coordination of care"
* group[0].element[4].target[0].equivalence = #wider
* group[0].element[4].target[0].comment = "The general practitioner or youth health care reads the shared plan as a participant concerned with the person's wellbeing (COC: the communication link between participants)."

Instance: RegieSignalCertaintyToConditionVerStatus
InstanceOf: ConceptMap
Usage: #definition
Title: "Signal certainty to condition verification status"
Description: "Maps whether a signal is a fact or a hypothesis to HL7 condition verification status, for systems that record suspicions of violence as a Condition."
* insert RegieConceptMap(regie-signal-certainty-to-condition-ver-status, RegieSignalCertaintyToConditionVerStatus)
* title = "Signal certainty to condition verification status"
* description = "Maps whether a signal is a fact or a hypothesis to HL7 condition verification status, for systems that record suspicions of violence as a Condition."
* sourceCanonical = Canonical(RegieSignalCertaintyVS)
* targetCanonical = "http://hl7.org/fhir/ValueSet/condition-ver-status"
* group[0].source = Canonical(RegieSignalCertainty)
* group[0].target = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
* group[0].element[0].code = #fact
* group[0].element[0].display = "Feit"
* group[0].element[0].target[0].code = #confirmed
* group[0].element[0].target[0].display = "Confirmed"
* group[0].element[0].target[0].equivalence = #inexact
* group[0].element[0].target[0].comment = "A fact is what the professional observed; whether the violence it may point to took place is not established by it."
* group[0].element[1].code = #hypothesis
* group[0].element[1].display = "Hypothese"
* group[0].element[1].target[0].code = #provisional
* group[0].element[1].target[0].display = "Provisional"
* group[0].element[1].target[0].equivalence = #equivalent

Instance: RegieHypothesisOutcomeToConditionVerStatus
InstanceOf: ConceptMap
Usage: #definition
Title: "Hypothesis outcome to condition verification status"
Description: "Maps how a signal recorded as a hypothesis turned out to HL7 condition verification status."
* insert RegieConceptMap(regie-hypothesis-outcome-to-condition-ver-status, RegieHypothesisOutcomeToConditionVerStatus)
* title = "Hypothesis outcome to condition verification status"
* description = "Maps how a signal recorded as a hypothesis turned out to HL7 condition verification status."
* sourceCanonical = Canonical(RegieHypothesisOutcomeVS)
* targetCanonical = "http://hl7.org/fhir/ValueSet/condition-ver-status"
* group[0].source = Canonical(RegieHypothesisOutcome)
* group[0].target = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
* group[0].element[0].code = #confirmed
* group[0].element[0].display = "Bevestigd"
* group[0].element[0].target[0].code = #confirmed
* group[0].element[0].target[0].display = "Confirmed"
* group[0].element[0].target[0].equivalence = #equivalent
* group[0].element[1].code = #refuted
* group[0].element[1].display = "Weerlegd"
* group[0].element[1].target[0].code = #refuted
* group[0].element[1].target[0].display = "Refuted"
* group[0].element[1].target[0].equivalence = #equivalent

Instance: RegieDecisionAnswerToV2YesNo
InstanceOf: ConceptMap
Usage: #definition
Title: "Decision answers to the HL7 expanded yes/no indicator"
Description: "Maps the answers to the Meldcode decision questions to HL7 v2 table 0532 (expanded yes/no indicator): yes and no are a boolean's two values, unknown is UNK."
* insert RegieConceptMap(regie-decision-answer-to-v2-0532, RegieDecisionAnswerToV2YesNo)
* title = "Decision answers to the HL7 expanded yes/no indicator"
* description = "Maps the answers to the Meldcode decision questions to HL7 v2 table 0532 (expanded yes/no indicator): yes and no are a boolean's two values, unknown is UNK."
* sourceCanonical = Canonical(RegieDecisionAnswerVS)
* group[0].source = Canonical(RegieDecisionAnswer)
* group[0].target = "http://terminology.hl7.org/CodeSystem/v2-0532"
* group[0].element[0].code = #yes
* group[0].element[0].display = "Ja"
* group[0].element[0].target[0].code = #Y
* group[0].element[0].target[0].display = "Yes"
* group[0].element[0].target[0].equivalence = #equivalent
* group[0].element[1].code = #no
* group[0].element[1].display = "Nee"
* group[0].element[1].target[0].code = #N
* group[0].element[1].target[0].display = "No"
* group[0].element[1].target[0].equivalence = #equivalent
* group[0].element[2].code = #unknown
* group[0].element[2].display = "Onbekend"
* group[0].element[2].target[0].code = #UNK
* group[0].element[2].target[0].display = "unknown"
* group[0].element[2].target[0].equivalence = #equivalent
