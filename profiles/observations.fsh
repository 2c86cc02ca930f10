// Safety-scale scores, the safety log and meldcode signals.

Profile: RegieSafetyScaleScore
Parent: Observation
Id: regie-safety-scale-score
Title: "Regie Safety Scale Score"
Description: "One person's score on a safety scale (0 = the danger statement happens, 10 = the safety goal is reached), with who scored, what was scored, and the concretely observed behaviour that justifies a score of 6 or higher."
* insert RegieProfile
* ^purpose = "Make progress towards safety measurable over time, per danger statement and per person, with the observed behaviour behind every reassuring score."
* . ^short = "Safety scale score"
* insert DutchShort(Score op de veiligheidsschaal)
* obeys rg-ssc-1 and rg-ssc-2
* status MS
* code = RegieObservationType#safety-scale-score
* code MS
* subject 1..1 MS
* subject only Reference(RegieHousehold or RegiePatient)
* focus 1..1 MS
* focus only Reference(RegieConcern or RegieGoal)
* focus ^short = "The danger statement or safety goal this scale scores"
* basedOn MS
* basedOn only Reference(RegieSafetyPlan)
* effective[x] 1..1 MS
* effective[x] only dateTime
* performer 1..1 MS
* performer only Reference(RegiePatient or RegieRelatedPerson or Practitioner or PractitionerRole)
* performer ^short = "Who gave the score"
* value[x] 1..1 MS
* value[x] only integer
* note MS
* note ^short = "The observed behaviour that justifies the score"

Invariant: rg-ssc-1
Description: "A safety scale score lies between 0 and 10."
Severity: #error
Expression: "value.exists() implies (value >= 0 and value <= 10)"

Invariant: rg-ssc-2
Description: "A score of 6 or higher describes the observed behaviour that justifies it (note). This is the national floor; where a region passes a phase at a lower score, the workflow rules ask the behaviour from that score up (setting safety.direct_min_score)."
Severity: #error
Expression: "(value.exists() and value >= 6) implies note.text.exists()"


Profile: RegieSafetyLogEntry
Parent: Observation
Id: regie-safety-log-entry
Title: "Regie Safety Log Entry"
Description: "An entry in the household's safety log (veiligheidslogboek): a good moment, a near miss or an incident, and what was done."
* insert RegieProfile
* ^purpose = "Keep the household's own record of good moments, near misses and incidents; incidents reset the count towards stable safety."
* . ^short = "Safety log entry"
* insert DutchShort(Regel in het veiligheidslogboek)
* status MS
* code = RegieObservationType#safety-log-entry
* code MS
* subject 1..1 MS
* subject only Reference(RegieHousehold or RegiePatient)
* focus MS
* focus only Reference(RegieConcern)
* basedOn MS
* basedOn only Reference(RegieSafetyPlan)
* effective[x] 1..1 MS
* effective[x] only dateTime
* performer MS
* value[x] 1..1 MS
* value[x] only CodeableConcept
* value[x] from RegieSafetyLogKindVS (required)
* note 1..* MS
* note ^short = "What happened and what was done"


Profile: RegieSignal
Parent: Observation
Id: regie-signal
Title: "Regie Signal"
Description: "A signal of possible domestic violence or child abuse (meldcode step 1), recorded factually as a fact or labelled as a hypothesis, with the source of third-party information. A later note confirms or refutes a hypothesis."
* insert RegieProfile
* ^purpose = "Record signals the way the meldcode requires: facts apart from impressions, with sources, so later decisions rest on what was actually seen or heard."
* . ^short = "Meldcode signal"
* insert DutchShort(Signaal (meldcode\))
* obeys rg-sig-1
* insert DomesticViolenceSensitive
* extension contains
    RegieSignalCertaintyExt named certainty 1..1 MS and
    RegieInformationSourceExt named informationSource 0..1 MS and
    RegieHypothesisOutcomeExt named hypothesisOutcome 0..1 MS and
    RegieViolenceTypeExt named violenceType 0..* MS
* status MS
* code = RegieObservationType#signal
* code MS
* subject 1..1 MS
* subject only Reference(RegiePatient)
* effective[x] 1..1 MS
* performer 1..* MS
* performer ^short = "Who recorded the signal"
* value[x] 1..1 MS
* value[x] only string
* value[x] ^short = "The signal, described factually"
* derivedFrom MS
* derivedFrom only Reference(RegieSignal)
* derivedFrom ^short = "The hypothesis this follow-up note confirms or refutes"
* note MS

Invariant: rg-sig-1
Description: "A note that confirms or refutes a hypothesis points to that hypothesis (derivedFrom)."
Severity: #error
Expression: "extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-hypothesis-outcome').exists() implies derivedFrom.exists()"
