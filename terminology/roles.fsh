// Terminology: Roles of people around the household, household membership and the informal network.

CodeSystem: RegieRole
Id: regie-role
Title: "Coordination and involvement roles"
Description: "Roles that people take on around a household in the 1Gezin1Plan1Regisseur approach and in safety planning, used for care team participants and related persons."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #procesregisseur "Procesregisseur" "Professional who brings everyone involved together, holds the integrated analysis and the single household plan including its monitoring and evaluation, and takes action when cooperation stalls."
  * ^designation[0].language = #en
  * ^designation[0].value = "Process coordinator"
* #casusregisseur "Casusregisseur" "Professional who steers the everyday support of a person or household, is their constant point of contact and, after a handover from Veilig Thuis, keeps sight on the safety of every household member."
  * ^designation[0].language = #en
  * ^designation[0].value = "Case coordinator"
* #veiligheidsplanner "Veiligheidsplanner" "Professional who carries out safety planning together with the household and its network; preferably the same person as the case coordinator."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety planner"
* #veiligheidspersoon "Veiligheidspersoon" "Trusted person from the child's own circle who sees the child regularly, to whom the child can tell anything, who knows when to sound the alarm and who remains involved after professionals withdraw."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safe person"
* #netwerkberaad-voorzitter "Voorzitter netwerkberaad" "Person who chairs the network meetings about the household; the role is gradually passed on to someone from the informal network."
  * ^designation[0].language = #en
  * ^designation[0].value = "Network meeting chair"
* #aandachtsfunctionaris "Aandachtsfunctionaris" "Designated in-house expert on domestic violence and child abuse within an organisation, consulted while working through the Meldcode."
  * ^designation[0].language = #en
  * ^designation[0].value = "Domestic violence and child abuse officer"
* #life-time-betrokkene "Life-time betrokkene" "Person involved with the household over a long period independent of the current plan, for example the general practitioner, youth health care, school, a long-term therapist, a district nurse or a family carer."
  * ^designation[0].language = #en
  * ^designation[0].value = "Long-term involved party"
* #informeel-netwerk "Informeel netwerk" "Unpaid person from the household's social network, such as family, friends, neighbours or members of a club or church, who takes part in the plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Informal network member"
* #professional "Professional" "Paid professional taking part in the plan without holding one of the more specific coordination roles."
  * ^designation[0].language = #en
  * ^designation[0].value = "Professional"

ValueSet: RegieRoleVS
Id: regie-role
Title: "Coordination and involvement roles"
Description: "All codes defined in the Coordination and involvement roles code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieRole

CodeSystem: RegieHouseholdRole
Id: regie-household-role
Title: "Household member roles"
Description: "The position a person has within the household that receives one joint plan, including an expected child."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #parent "Ouder" "Household member who is a parent of, or raises as a parent, one or more children in the household."
  * ^designation[0].language = #en
  * ^designation[0].value = "Parent"
* #child "Kind" "Household member who is a son or daughter of a parent in the household, regardless of age."
  * ^designation[0].language = #en
  * ^designation[0].value = "Child"
* #partner "Partner" "Household member who is the spouse or life partner of another adult in the household."
  * ^designation[0].language = #en
  * ^designation[0].value = "Partner"
* #grandparent "Grootouder" "Household member who is a parent of one of the parents in the household."
  * ^designation[0].language = #en
  * ^designation[0].value = "Grandparent"
* #carer "Verzorger" "Household member who looks after another member without being that member's parent, for instance an informal carer of a dependent adult."
  * ^designation[0].language = #en
  * ^designation[0].value = "Carer"
* #other "Overig" "Household member whose position is not described by any of the other roles."
  * ^designation[0].language = #en
  * ^designation[0].value = "Other"
* #unborn-child "Ongeboren kind" "Child expected by a pregnant household member, recorded so that the pregnancy is taken into account in the plan and the child check."
  * ^designation[0].language = #en
  * ^designation[0].value = "Unborn child"

ValueSet: RegieHouseholdRoleVS
Id: regie-household-role
Title: "Household member roles"
Description: "All codes defined in the Household member roles code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieHouseholdRole

CodeSystem: RegieHouseholdFlag
Id: regie-household-flag
Title: "Household safety flags"
Description: "Safety-relevant markers placed on a household member, which influence attention in the plan and what information may be shown to whom."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #most-vulnerable-adult "Kwetsbare volwassene" "Adult in the household who runs the greatest risk of being harmed; with escalating partner violence both partners can carry this marker."
  * ^designation[0].language = #en
  * ^designation[0].value = "Most vulnerable adult"
* #alleged-perpetrator "Vermoedelijke pleger" "Household member suspected of committing the violence or abuse; information such as a victim's whereabouts must be shielded from this person's side."
  * ^designation[0].language = #en
  * ^designation[0].value = "Alleged perpetrator"

ValueSet: RegieHouseholdFlagVS
Id: regie-household-flag
Title: "Household safety flags"
Description: "The flags that go on a household member (Group.member): every code of the Household safety flags code system except alleged-perpetrator, which is an alert of its own (regie-alert, value set regie-alert-code) since 0.2."
* ^status = #active
* ^experimental = false
* include codes from system RegieHouseholdFlag
* exclude RegieHouseholdFlag#alleged-perpetrator

ValueSet: RegieAlertCodeVS
Id: regie-alert-code
Title: "Alert codes"
Description: "What a regie-alert Flag says about a person: that the person is the alleged perpetrator (vermoedelijke pleger) of the violence or abuse in the household."
* ^status = #active
* ^experimental = false
* include codes from system RegieHouseholdFlag
* exclude RegieHouseholdFlag#most-vulnerable-adult

CodeSystem: RegieGroupType
Id: regie-group-type
Title: "Household group types"
Description: "Kinds of groups of clients that receive a joint plan."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #household "Huishouden" "One or more people who run a household together and/or form a family, of any age, and who receive one joint plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Household"

ValueSet: RegieGroupTypeVS
Id: regie-group-type
Title: "Household group types"
Description: "All codes defined in the Household group types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieGroupType

CodeSystem: RegieSupportKind
Id: regie-support-kind
Title: "Kinds of informal support"
Description: "The nature of the support that a person from the informal network offers to the household."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #practical "Praktisch" "Hands-on help such as transport, childcare, household chores or being present at agreed moments."
  * ^designation[0].language = #en
  * ^designation[0].value = "Practical"
* #emotional "Emotioneel" "Listening, comforting and being someone to turn to."
  * ^designation[0].language = #en
  * ^designation[0].value = "Emotional"
* #financial "Financieel" "Help with money, goods or handling finances."
  * ^designation[0].language = #en
  * ^designation[0].value = "Financial"
* #thinking-along "Meedenken" "Contributing ideas, advice and reflection on the household's situation and plan."
  * ^designation[0].language = #en
  * ^designation[0].value = "Thinking along"

ValueSet: RegieSupportKindVS
Id: regie-support-kind
Title: "Kinds of informal support"
Description: "All codes defined in the Kinds of informal support code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieSupportKind

CodeSystem: RegieConcernKnowledge
Id: regie-concern-knowledge
Title: "Knowledge of the concerns"
Description: "How much a person in the network knows about the concerns around the household, as mapped in the safe circles network picture."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #all "Weet alles" "The person is aware of all the concerns."
  * ^designation[0].language = #en
  * ^designation[0].value = "Knows everything"
* #part "Weet een deel" "The person is aware of some of the concerns."
  * ^designation[0].language = #en
  * ^designation[0].value = "Knows part"
* #none "Weet niets" "The person is not aware of the concerns."
  * ^designation[0].language = #en
  * ^designation[0].value = "Knows nothing"

ValueSet: RegieConcernKnowledgeVS
Id: regie-concern-knowledge
Title: "Knowledge of the concerns"
Description: "All codes defined in the Knowledge of the concerns code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieConcernKnowledge

CodeSystem: RegieResponsibilityArea
Id: regie-responsibility-area
Title: "Responsibility areas in the plan"
Description: "The fixed areas of responsibility that every household plan assigns to people."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #execution "Uitvoeren van acties en afspraken" "Carrying out the actions and agreements of the plan; shared by client, household members, family, friends and professionals."
  * ^designation[0].language = #en
  * ^designation[0].value = "Executing actions and agreements"
* #day-to-day-direction "Dagelijkse regie" "Directing the everyday support of the household; held by the case coordinator."
  * ^designation[0].language = #en
  * ^designation[0].value = "Day-to-day direction"
* #facilitating-cooperation "Faciliteren van samenwerking" "Making cooperation between all involved possible; held by the process coordinator."
  * ^designation[0].language = #en
  * ^designation[0].value = "Facilitating cooperation"
* #resolving-stagnation "Oplossen van stagnatie" "Removing blockages when support or cooperation stalls; held by the process coordinator."
  * ^designation[0].language = #en
  * ^designation[0].value = "Resolving stagnation"

ValueSet: RegieResponsibilityAreaVS
Id: regie-responsibility-area
Title: "Responsibility areas in the plan"
Description: "All codes defined in the Responsibility areas in the plan code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieResponsibilityArea
