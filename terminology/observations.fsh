// Terminology: Observations made during safety planning and the Meldcode.

CodeSystem: RegieObservationType
Id: regie-observation-type
Title: "Observation types"
Description: "Kinds of observation recorded about a household in safety planning and while following the Meldcode."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #safety-scale-score "Score veiligheidsschaal" "Score from 0 to 10 on a safety scale, where 0 stands for the danger statement and 10 for the safety goal, together with the observed behaviour that justifies it."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety scale score"
* #safety-log-entry "Veiligheidslogboek" "Entry in the household's safety log describing a good moment, a near miss or an incident and what was done."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety log entry"
* #strength "Kracht" "Something that goes well, or a resource of the household or its network."
  * ^designation[0].language = #en
  * ^designation[0].value = "Strength"
* #sign-of-safety "Teken van veiligheid" "Protective behaviour that has been shown repeatedly over time and shows that the household can keep its members safe."
  * ^designation[0].language = #en
  * ^designation[0].value = "Sign of safety"
* #signal "Signaal" "Observation that may indicate domestic violence, child abuse or unsafety, recorded factually together with its source."
  * ^designation[0].language = #en
  * ^designation[0].value = "Signal"

ValueSet: RegieObservationTypeVS
Id: regie-observation-type
Title: "Observation types"
Description: "All codes defined in the Observation types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieObservationType

CodeSystem: RegieSafetyLogKind
Id: regie-safety-log-kind
Title: "Safety log entry kinds"
Description: "Kinds of event noted in a safety log."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #good-moment "Goed moment" "Situation that went well or in which the safety agreements worked."
  * ^designation[0].language = #en
  * ^designation[0].value = "Good moment"
* #near-miss "Bijna-incident" "Situation that threatened to become unsafe but was turned around in time."
  * ^designation[0].language = #en
  * ^designation[0].value = "Near miss"
* #incident "Incident" "Situation in which unsafety or violence actually occurred."
  * ^designation[0].language = #en
  * ^designation[0].value = "Incident"

ValueSet: RegieSafetyLogKindVS
Id: regie-safety-log-kind
Title: "Safety log entry kinds"
Description: "All codes defined in the Safety log entry kinds code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieSafetyLogKind

CodeSystem: RegieSignalCertainty
Id: regie-signal-certainty
Title: "Signal certainty"
Description: "Whether a recorded signal is an established fact or a hypothesis."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #fact "Feit" "Something that was observed or established directly."
  * ^designation[0].language = #en
  * ^designation[0].value = "Fact"
* #hypothesis "Hypothese" "An interpretation or suspicion that still has to be confirmed or refuted in a later note."
  * ^designation[0].language = #en
  * ^designation[0].value = "Hypothesis"

ValueSet: RegieSignalCertaintyVS
Id: regie-signal-certainty
Title: "Signal certainty"
Description: "All codes defined in the Signal certainty code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieSignalCertainty

CodeSystem: RegieHypothesisOutcome
Id: regie-hypothesis-outcome
Title: "Hypothesis outcomes"
Description: "Result of following up a signal that was recorded as a hypothesis."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #confirmed "Bevestigd" "Later information showed that the hypothesis was correct."
  * ^designation[0].language = #en
  * ^designation[0].value = "Confirmed"
* #refuted "Weerlegd" "Later information showed that the hypothesis was incorrect."
  * ^designation[0].language = #en
  * ^designation[0].value = "Refuted"

ValueSet: RegieHypothesisOutcomeVS
Id: regie-hypothesis-outcome
Title: "Hypothesis outcomes"
Description: "All codes defined in the Hypothesis outcomes code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieHypothesisOutcome

ValueSet: RegieStrengthTypeVS
Id: regie-strength-type
Title: "Strength observation types"
Description: "Observation types that describe what is going well in a household: strengths and signs of safety."
* ^status = #active
* ^experimental = false
* RegieObservationType#strength "Kracht"
* RegieObservationType#sign-of-safety "Teken van veiligheid"
