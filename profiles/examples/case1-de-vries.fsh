// Case 1 — the De Vries family (Arnhem, fictional). Veilig Thuis Gelderland-Midden received a report
// from Lotte's school after she told her teacher that "papa mama had geduwd en Daan ertussen sprong".
// Safety assessment: structural unsafety (partner violence witnessed by the children), the parents are
// open to help: case weight middelzwaar, handed over directly to the local team, which makes the
// safety plan. Scores over time, agreed actions, consent for school and GP.

// ------------------------------------------------------------------ organisations and professionals
Instance: devries-org-vt
InstanceOf: Organization
Usage: #example
Title: "Veilig Thuis Gelderland-Midden"
* type = RegieOrganisationKind#vt
* identifier[0].system = $ura
* identifier[0].value = "90001231"
* active = true
* name = "Veilig Thuis Gelderland-Midden"

Instance: devries-org-wijkteam
InstanceOf: Organization
Usage: #example
Title: "Sociaal Wijkteam Arnhem-Noord"
* type = RegieOrganisationKind#local-team
* identifier[0].system = $ura
* identifier[0].value = "90004512"
* active = true
* name = "Sociaal Wijkteam Arnhem-Noord"

Instance: devries-org-school
InstanceOf: Organization
Usage: #example
Title: "Basisschool De Regenboog"
* type = RegieOrganisationKind#school
* active = true
* name = "Basisschool De Regenboog"

Instance: devries-org-huisarts
InstanceOf: Organization
Usage: #example
Title: "Huisartsenpraktijk De Linde"
* type = RegieOrganisationKind#general-practice
* identifier[0].system = $ura
* identifier[0].value = "90007788"
* active = true
* name = "Huisartsenpraktijk De Linde"

Instance: devries-pract-jansen
InstanceOf: Practitioner
Usage: #example
Title: "Marieke Jansen, casusregisseur"
* name[0].family = "Jansen"
* name[0].given[0] = "Marieke"

Instance: devries-role-jansen
InstanceOf: PractitionerRole
Usage: #example
Title: "Marieke Jansen at Sociaal Wijkteam Arnhem-Noord"
* active = true
* practitioner = Reference(devries-pract-jansen)
* organization = Reference(devries-org-wijkteam)
* code[0].text = "Wijkteammedewerker jeugd en gezin"

Instance: devries-pract-smit
InstanceOf: Practitioner
Usage: #example
Title: "Peter Smit, procesregisseur"
* name[0].family = "Smit"
* name[0].given[0] = "Peter"

Instance: devries-pract-visser
InstanceOf: Practitioner
Usage: #example
Title: "Anouk Visser, huisarts"
* identifier[0].system = $agb
* identifier[0].value = "01012345"
* name[0].family = "Visser"
* name[0].given[0] = "Anouk"
* name[0].prefix[0] = "dr."

Instance: devries-role-visser
InstanceOf: PractitionerRole
Usage: #example
Title: "Anouk Visser at Huisartsenpraktijk De Linde"
* active = true
* practitioner = Reference(devries-pract-visser)
* organization = Reference(devries-org-huisarts)
* code[0].text = "Huisarts"

Instance: devries-pract-hendriks
InstanceOf: Practitioner
Usage: #example
Title: "Yvonne Hendriks, intern begeleider"
* name[0].family = "Hendriks"
* name[0].given[0] = "Yvonne"

// ------------------------------------------------------------------ household members and network
Instance: devries-sanne
InstanceOf: RegiePatient
Usage: #example
Title: "Sanne de Vries (mother)"
* identifier[bsn].value = "999990007"
* name[0].family = "de Vries"
* name[0].given[0] = "Sanne"
* gender = #female
* birthDate = "1990-04-12"
* telecom[0].system = #phone
* telecom[0].value = "06-12345678"
* address[0].line[0] = "Klarendalseweg 101"
* address[0].city = "Arnhem"
* address[0].postalCode = "6822 GD"
* generalPractitioner = Reference(devries-pract-visser)

Instance: devries-mark
InstanceOf: RegiePatient
Usage: #example
Title: "Mark de Vries (father)"
* identifier[bsn].value = "999990019"
* name[0].family = "de Vries"
* name[0].given[0] = "Mark"
* gender = #male
* birthDate = "1987-09-03"
* generalPractitioner = Reference(devries-pract-visser)

Instance: devries-daan
InstanceOf: RegiePatient
Usage: #example
Title: "Daan de Vries (son, 12)"
* insert JointAuthority(devries-sanne, devries-mark, 2014-06-21)
* identifier[bsn].value = "999990020"
* name[0].family = "de Vries"
* name[0].given[0] = "Daan"
* gender = #male
* birthDate = "2014-06-21"
* generalPractitioner = Reference(devries-pract-visser)

Instance: devries-lotte
InstanceOf: RegiePatient
Usage: #example
Title: "Lotte de Vries (daughter, 7)"
* insert JointAuthority(devries-sanne, devries-mark, 2019-02-08)
* identifier[bsn].value = "999990032"
* name[0].family = "de Vries"
* name[0].given[0] = "Lotte"
* gender = #female
* birthDate = "2019-02-08"
* generalPractitioner = Reference(devries-pract-visser)

Instance: devries-oma-ria
InstanceOf: RegieRelatedPerson
Usage: #example
Title: "Ria Mulder, grandmother and safety person"
* extension[supportKind][0].valueCodeableConcept = RegieSupportKind#practical
* extension[supportKind][1].valueCodeableConcept = RegieSupportKind#emotional
* extension[concernKnowledge].valueCodeableConcept = RegieConcernKnowledge#all
* active = true
* patient = Reference(devries-sanne)
* relationship[0] = http://terminology.hl7.org/CodeSystem/v3-RoleCode#MTH "mother"
* relationship[0].text = "Moeder van Sanne, oma van Daan en Lotte"
* name[0].family = "Mulder"
* name[0].given[0] = "Ria"
* telecom[0].system = #phone
* telecom[0].value = "06-23456789"

Instance: devries-buurman-ahmed
InstanceOf: RegieRelatedPerson
Usage: #example
Title: "Ahmed Bouzid, neighbour"
* extension[supportKind][0].valueCodeableConcept = RegieSupportKind#practical
* extension[concernKnowledge].valueCodeableConcept = RegieConcernKnowledge#part
* active = true
* patient = Reference(devries-sanne)
* relationship[0] = http://terminology.hl7.org/CodeSystem/v3-RoleCode#NBOR "neighbor"
* name[0].family = "Bouzid"
* name[0].given[0] = "Ahmed"

Instance: devries-trainer-kees
InstanceOf: RegieRelatedPerson
Usage: #example
Title: "Kees Brouwer, Daan's football coach"
* extension[supportKind][0].valueCodeableConcept = RegieSupportKind#emotional
* extension[concernKnowledge].valueCodeableConcept = RegieConcernKnowledge#none
* active = true
* patient = Reference(devries-daan)
* relationship[0].text = "Voetbaltrainer van Daan"
* name[0].family = "Brouwer"
* name[0].given[0] = "Kees"

Instance: household-de-vries
InstanceOf: RegieHousehold
Usage: #example
Title: "Household De Vries"
Description: "Sanne and Mark de Vries with their children Daan (12) and Lotte (7)."
* name = "Huishouden De Vries"
* quantity = 4
* managingEntity = Reference(devries-org-wijkteam)
* member[0].entity = Reference(devries-sanne)
* member[0].extension[role].valueCodeableConcept = RegieHouseholdRole#parent
* member[0].extension[flag][0].valueCodeableConcept = RegieHouseholdFlag#most-vulnerable-adult
* member[1].entity = Reference(devries-mark)
* member[1].extension[role].valueCodeableConcept = RegieHouseholdRole#parent
* member[2].entity = Reference(devries-daan)
* member[2].extension[role].valueCodeableConcept = RegieHouseholdRole#child
* member[3].entity = Reference(devries-lotte)
* member[3].extension[role].valueCodeableConcept = RegieHouseholdRole#child

Instance: devries-alert-mark
InstanceOf: RegieAlert
Usage: #example
Title: "Alert: Mark is the alleged perpetrator"
* insert SDVLabel
* status = #active
* category[0] = $flag-category#safety "Safety"
* code = RegieHouseholdFlag#alleged-perpetrator
* subject = Reference(devries-mark)
* period.start = "2026-09-10"
* author = Reference(devries-org-vt)

Instance: devries-careteam
InstanceOf: RegieCareTeam
Usage: #example
Title: "Team around the De Vries family"
* status = #active
* name = "Team rond gezin De Vries"
* subject = Reference(household-de-vries)
* period.start = "2026-09-24"
* managingOrganization = Reference(devries-org-wijkteam)
* participant[0].role[0] = RegieRole#procesregisseur
* participant[0].member = Reference(devries-pract-smit)
* participant[0].onBehalfOf = Reference(devries-org-wijkteam)
* participant[0].period.start = "2026-09-24"
* participant[1].role[0] = RegieRole#casusregisseur
* participant[1].role[1] = RegieRole#veiligheidsplanner
* participant[1].member = Reference(devries-role-jansen)
* participant[1].period.start = "2026-09-24"
* participant[2].role[0] = RegieRole#veiligheidspersoon
* participant[2].role[1] = RegieRole#netwerkberaad-voorzitter
* participant[2].member = Reference(devries-oma-ria)
* participant[3].role[0] = RegieRole#informeel-netwerk
* participant[3].member = Reference(devries-buurman-ahmed)
* participant[4].role[0] = RegieRole#life-time-betrokkene
* participant[4].member = Reference(devries-pract-visser)
* participant[4].onBehalfOf = Reference(devries-org-huisarts)
* participant[5].role[0] = RegieRole#professional
* participant[5].member = Reference(devries-pract-hendriks)
* participant[5].onBehalfOf = Reference(devries-org-school)

// ------------------------------------------------------------------ concerns, strengths, goals
Instance: devries-danger-1
InstanceOf: RegieConcern
Usage: #example
Title: "Danger statement 1: violence between the parents"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#danger-statement
* code.text = "We zijn bang dat Mark Sanne weer duwt of slaat als hij gedronken heeft, en dat Daan en Lotte dat zien of ertussen springen, zoals op 14 september. Dan kan Sanne of een van de kinderen gewond raken en zijn de kinderen thuis niet meer gerust."
* subject = Reference(household-de-vries)
* recordedDate = "2026-09-30"
* asserter = Reference(devries-sanne)

Instance: devries-danger-2
InstanceOf: RegieConcern
Usage: #example
Title: "Danger statement 2: Daan stays away at night"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#danger-statement
* code.text = "We zijn bang dat Daan na een ruzie thuis 's avonds weer wegloopt en niemand weet waar hij is, zodat hem buiten iets overkomt."
* subject = Reference(devries-daan)
* recordedDate = "2026-09-30"
* asserter = Reference(devries-oma-ria)

Instance: devries-risk-alcohol
InstanceOf: RegieConcern
Usage: #example
Title: "Risk factor: alcohol use"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#health
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#risk-factor
* code.text = "Mark drinkt in het weekend veel bier; de ruzies gaan bijna altijd mis als hij gedronken heeft."
* subject = Reference(devries-mark)
* recordedDate = "2026-09-30"
* asserter = Reference(devries-mark)

Instance: devries-complicating-debts
InstanceOf: RegieConcern
Usage: #example
Title: "Complicating factor and concern: debts"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#income
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#complicating-factor
* code.text = "Er zijn schulden van ongeveer 9.000 euro; brieven worden niet meer opengemaakt en over geld ontstaat vaak ruzie."
* subject = Reference(household-de-vries)
* recordedDate = "2026-09-30"
* asserter = Reference(devries-sanne)

Instance: devries-concern-school
InstanceOf: RegieConcern
Usage: #example
Title: "Concern: Lotte at school"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#education
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#concern
* code.text = "Lotte is op school stil en moe en zegt dat ze 's nachts wakker ligt van het geschreeuw."
* subject = Reference(devries-lotte)
* recordedDate = "2026-09-30"
* asserter = Reference(devries-pract-hendriks)

Instance: devries-strength-oma
InstanceOf: RegieStrength
Usage: #example
Title: "Strength: grandmother close by"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#social-support
* status = #final
* code = RegieObservationType#strength
* subject = Reference(household-de-vries)
* effectiveDateTime = "2026-09-30T10:00:00+02:00"
* performer[0] = Reference(devries-sanne)
* valueString = "Oma Ria woont tien minuten fietsen verderop; de kinderen mogen er altijd heen en vertellen haar alles."

Instance: devries-sign-mark
InstanceOf: RegieStrength
Usage: #example
Title: "Sign of safety: Mark asked for help himself"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#health
* status = #final
* code = RegieObservationType#sign-of-safety
* subject = Reference(devries-mark)
* effectiveDateTime = "2026-09-30T10:00:00+02:00"
* performer[0] = Reference(devries-role-jansen)
* valueString = "Mark is uit zichzelf naar de huisarts gegaan voor zijn drankgebruik en zegt: \"Ik wil niet dat mijn kinderen bang voor me zijn.\""

Instance: devries-goal-safety
InstanceOf: RegieGoal
Usage: #example
Title: "Safety goal: disagreements without violence"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* lifecycleStatus = #active
* achievementStatus = http://terminology.hl7.org/CodeSystem/goal-achievement#in-progress
* category = RegieGoalType#safety-goal
* description.text = "Iedereen ziet dat Sanne en Mark ruzies oplossen zonder duwen, slaan of schreeuwen, ook als Mark gedronken heeft. Daan en Lotte vertellen oma Ria en juf Yvonne dat ze thuis niet meer bang zijn."
* subject = Reference(household-de-vries)
* startDate = "2026-09-30"
* target[0].dueDate = "2027-03-31"
* expressedBy = Reference(devries-sanne)
* addresses[0] = Reference(devries-danger-1)

Instance: devries-goal-daan
InstanceOf: RegieGoal
Usage: #example
Title: "Safety goal: Daan is safe in the evening"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* lifecycleStatus = #active
* category = RegieGoalType#safety-goal
* description.text = "Als het thuis misgaat, gaat Daan naar oma Ria en weten zijn ouders waar hij is."
* subject = Reference(devries-daan)
* startDate = "2026-09-30"
* expressedBy = Reference(devries-daan)
* addresses[0] = Reference(devries-danger-2)

Instance: devries-goal-debts
InstanceOf: RegieGoal
Usage: #example
Title: "Support goal: debts under control"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#income
* lifecycleStatus = #active
* category = RegieGoalType#support-goal
* description.text = "Sanne en Mark hebben overzicht over hun schulden en er is een regeling waarmee elke maand geld overblijft voor eten en de kinderen."
* subject = Reference(household-de-vries)
* startDate = "2026-09-30"
* target[0].dueDate = "2027-06-30"
* expressedBy = Reference(devries-mark)
* addresses[0] = Reference(devries-complicating-debts)

// ------------------------------------------------------------------ plans
Instance: devries-support-plan
InstanceOf: RegieSupportPlan
Usage: #example
Title: "Support plan of the De Vries family"
* meta.versionId = "1"
* extension[phase].valueCodeableConcept = Regie1g1p1rPhase#progress
* extension[responsibility][0].extension[area].valueCoding = RegieResponsibilityArea#execution
* extension[responsibility][0].extension[statement].valueString = "Sanne, Mark, Daan, Lotte, oma Ria, buurman Ahmed en de betrokken professionals voeren de afspraken uit die op hun naam staan."
* extension[responsibility][1].extension[area].valueCoding = RegieResponsibilityArea#day-to-day-direction
* extension[responsibility][1].extension[statement].valueString = "Marieke Jansen (casusregisseur) houdt dagelijks de regie en zicht op de veiligheid van iedereen in het gezin."
* extension[responsibility][2].extension[area].valueCoding = RegieResponsibilityArea#facilitating-cooperation
* extension[responsibility][2].extension[statement].valueString = "Peter Smit (procesregisseur) zorgt dat alle betrokkenen goed samenwerken."
* extension[responsibility][3].extension[area].valueCoding = RegieResponsibilityArea#resolving-stagnation
* extension[responsibility][3].extension[statement].valueString = "Peter Smit (procesregisseur) lost het op als afspraken vastlopen."
* extension[nextMeeting].valueDateTime = "2026-12-10T15:30:00+01:00"
* status = #active
* title = "Ons plan - gezin De Vries"
* description = "Eén plan voor het hele gezin: eerst veiligheid thuis, daarna rust in het geld en op school."
* subject = Reference(household-de-vries)
* period.start = "2026-10-08"
* created = "2026-10-08"
* author = Reference(devries-pract-smit)
* careTeam = Reference(devries-careteam)
* addresses[0] = Reference(devries-danger-1)
* addresses[1] = Reference(devries-complicating-debts)
* addresses[2] = Reference(devries-concern-school)
* supportingInfo[0] = Reference(devries-strength-oma)
* supportingInfo[1] = Reference(devries-sign-mark)
* goal[0] = Reference(devries-goal-safety)
* goal[1] = Reference(devries-goal-debts)
* activity[0].reference = Reference(devries-action-schuldhulp)
* activity[1].reference = Reference(devries-action-verslavingszorg)
* activity[2].reference = Reference(devries-action-gesprek-kinderen)

Instance: devries-support-plan-signed
InstanceOf: RegiePlanSignature
Usage: #example
Title: "Signature on version 1 of devries-support-plan"
* target.reference = "CarePlan/devries-support-plan/_history/1"
* recorded = "2026-10-08T16:00:00+02:00"
* agent[0].who = Reference(devries-sanne)
* agent[1].who = Reference(devries-mark)
* signature[0].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[0].when = "2026-10-08T16:00:00+02:00"
* signature[0].who = Reference(devries-sanne)
* signature[1].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[1].when = "2026-10-08T16:00:00+02:00"
* signature[1].who = Reference(devries-mark)

Instance: devries-safety-plan
InstanceOf: RegieSafetyPlan
Usage: #example
Title: "Direct safety plan of the De Vries family"
* meta.versionId = "1"
* extension[kind].valueCodeableConcept = RegieSafetyPlanKind#direct
* extension[routekaartPhase].valueCodeableConcept = RegieRoutekaartPhase#safety
* extension[dangerStatement][0].extension[statement].valueReference = Reference(devries-danger-1)
* extension[dangerStatement][0].extension[priority].valuePositiveInt = 1
* extension[dangerStatement][0].extension[status].valueCode = #active
* extension[dangerStatement][1].extension[statement].valueReference = Reference(devries-danger-2)
* extension[dangerStatement][1].extension[priority].valuePositiveInt = 2
* extension[dangerStatement][1].extension[status].valueCode = #active
* extension[safeObject].valueString = "De blauwe knuffelbeer van Lotte. Zet Lotte hem op de vensterbank van haar kamer, dan belt oma Ria dezelfde avond nog."
* extension[nextMeeting].valueDateTime = "2026-12-10T15:30:00+01:00"
* status = #active
* title = "Veiligheidsplan gezin De Vries"
* description = "Afspraken die ervoor zorgen dat Sanne, Daan en Lotte thuis veilig zijn, elke dag."
* subject = Reference(household-de-vries)
* partOf = Reference(devries-support-plan)
* period.start = "2026-10-01"
* created = "2026-10-01"
* author = Reference(devries-role-jansen)
* careTeam = Reference(devries-careteam)
* addresses[0] = Reference(devries-risk-alcohol)
* addresses[1] = Reference(devries-complicating-debts)
* addresses[+] = Reference(devries-danger-1)
* addresses[+] = Reference(devries-danger-2)
* goal[0] = Reference(devries-goal-safety)
* goal[1] = Reference(devries-goal-daan)
* activity[0].reference = Reference(devries-agreement-wandelen)
* activity[1].reference = Reference(devries-check-oma)
* activity[2].reference = Reference(devries-agreement-daan)

Instance: devries-safety-plan-signed
InstanceOf: RegiePlanSignature
Usage: #example
Title: "Signature on version 1 of devries-safety-plan"
* target.reference = "CarePlan/devries-safety-plan/_history/1"
* recorded = "2026-11-05T16:00:00+01:00"
* agent[0].who = Reference(devries-sanne)
* agent[1].who = Reference(devries-mark)
* signature[0].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[0].when = "2026-11-05T16:00:00+01:00"
* signature[0].who = Reference(devries-sanne)
* signature[1].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[1].when = "2026-11-05T16:00:00+01:00"
* signature[1].who = Reference(devries-mark)

// ------------------------------------------------------------------ agreed actions

Instance: devries-agreement-wandelen
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Safety agreement: Mark leaves when he gets angry"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* basedOn = Reference(devries-safety-plan)
* status = #in-progress
* code = RegieAgreedActionKind#safety-agreement
* description = "Als Mark merkt dat hij boos wordt, gaat hij meteen een half uur wandelen en belt hij oma Ria. Hij komt pas terug als hij rustig is."
* reasonReference = Reference(devries-goal-safety)
* for = Reference(household-de-vries)
* authoredOn = "2026-10-01"
* owner = Reference(devries-mark)

Instance: devries-check-oma
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Monitoring check: grandmother calls every evening"
* basedOn = Reference(devries-safety-plan)
* status = #in-progress
* code = RegieAgreedActionKind#monitoring-check
* description = "Oma Ria belt elke avond om acht uur met Sanne en vraagt hoe het gaat. Neemt niemand op, dan fietst ze langs."
* reasonReference = Reference(devries-goal-safety)
* for = Reference(household-de-vries)
* authoredOn = "2026-10-01"
* owner = Reference(devries-oma-ria)

Instance: devries-agreement-daan
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Safety agreement: Daan goes to grandmother"
* basedOn = Reference(devries-safety-plan)
* status = #in-progress
* code = RegieAgreedActionKind#safety-agreement
* description = "Als het thuis misgaat, fietst Daan naar oma Ria en stuurt hij zijn moeder een appje dat hij daar is."
* reasonReference = Reference(devries-goal-daan)
* for = Reference(devries-daan)
* authoredOn = "2026-10-01"
* owner = Reference(devries-daan)

Instance: devries-action-schuldhulp
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Action: register with debt counselling"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#income
* basedOn = Reference(devries-support-plan)
* status = #accepted
* code = RegieAgreedActionKind#action
* description = "Sanne en Mark melden zich samen aan bij de schuldhulpverlening van de gemeente en nemen alle ongeopende brieven mee."
* reasonReference = Reference(devries-goal-debts)
* for = Reference(household-de-vries)
* authoredOn = "2026-10-08"
* owner = Reference(devries-sanne)
* restriction.period.end = "2026-12-01"

Instance: devries-action-verslavingszorg
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Action: addiction care intake (on hold)"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#health
* basedOn = Reference(devries-support-plan)
* status = #on-hold
* statusReason.text = "Wachtlijst bij de verslavingszorg tot half december; Mark gaat tot dan elke twee weken naar de huisarts."
* code = RegieAgreedActionKind#action
* description = "Mark gaat naar een intakegesprek bij de verslavingszorg."
* reasonReference = Reference(devries-goal-safety)
* for = Reference(devries-mark)
* authoredOn = "2026-10-08"
* owner = Reference(devries-mark)
* restriction.period.end = "2026-11-15"

Instance: devries-action-gesprek-kinderen
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Action: talk with Daan and Lotte (done)"
* basedOn = Reference(devries-support-plan)
* status = #completed
* code = RegieAgreedActionKind#action
* description = "Marieke praat met Daan en Lotte, ieder apart, over wat zij thuis zien en wat zij nodig hebben."
* for = Reference(household-de-vries)
* authoredOn = "2026-09-30"
* owner = Reference(devries-role-jansen)
* restriction.period.end = "2026-10-07"
* executionPeriod.end = "2026-10-06"

// ------------------------------------------------------------------ safety scale scores over time
RuleSet: DeVriesScore(focus, when, who, score)
* status = #final
* code = RegieObservationType#safety-scale-score
* subject = Reference(household-de-vries)
* focus = Reference({focus})
* basedOn = Reference(devries-safety-plan)
* effectiveDateTime = {when}
* performer = Reference({who})
* valueInteger = {score}

Instance: devries-score-1-sanne-oct01
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score danger 1 by Sanne, 1 October: 3"
* insert DeVriesScore(devries-danger-1, "2026-10-01T10:00:00+02:00", devries-sanne, 3)

Instance: devries-score-1-marieke-oct01
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score danger 1 by Marieke, 1 October: 2"
* insert DeVriesScore(devries-danger-1, "2026-10-01T10:00:00+02:00", devries-role-jansen, 2)

Instance: devries-score-1-sanne-oct15
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score danger 1 by Sanne, 15 October: 5"
* insert DeVriesScore(devries-danger-1, "2026-10-15T10:00:00+02:00", devries-sanne, 5)

Instance: devries-score-1-sanne-nov05
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score danger 1 by Sanne, 5 November: 6"
* insert DeVriesScore(devries-danger-1, "2026-11-05T16:00:00+01:00", devries-sanne, 6)
* note[0].text = "Sinds 20 oktober is Mark twee keer gaan wandelen toen hij boos werd en daarna rustig teruggekomen. Er is niet geduwd of geslagen."

Instance: devries-score-1-oma-nov05
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score danger 1 by grandmother Ria, 5 November: 6"
* insert DeVriesScore(devries-danger-1, "2026-11-05T16:00:00+01:00", devries-oma-ria, 6)
* note[0].text = "Ik heb elke avond gebeld; Sanne klonk rustig. Daan vertelde zelf dat papa is gaan lopen in plaats van te schreeuwen."

Instance: devries-score-1-marieke-nov05
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score danger 1 by Marieke, 5 November: 5"
* insert DeVriesScore(devries-danger-1, "2026-11-05T16:00:00+01:00", devries-role-jansen, 5)

Instance: devries-score-2-daan-nov05
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score danger 2 by Daan, 5 November: 7"
* insert DeVriesScore(devries-danger-2, "2026-11-05T16:00:00+01:00", devries-daan, 7)
* note[0].text = "Daan is na de ruzie van 20 oktober naar oma gefietst en heeft zijn moeder een appje gestuurd, zoals afgesproken."

// ------------------------------------------------------------------ safety log
Instance: devries-log-near-miss
InstanceOf: RegieSafetyLogEntry
Usage: #example
Title: "Safety log: near miss on 20 October"
* status = #final
* code = RegieObservationType#safety-log-entry
* subject = Reference(household-de-vries)
* focus = Reference(devries-danger-1)
* basedOn = Reference(devries-safety-plan)
* effectiveDateTime = "2026-10-20T21:15:00+02:00"
* performer = Reference(devries-sanne)
* valueCodeableConcept = RegieSafetyLogKind#near-miss
* note[0].text = "Ruzie over een rekening. Mark begon te schreeuwen, Daan ging naar oma. Mark is gaan wandelen en heeft oma gebeld. Na een uur was het rustig."

Instance: devries-log-good-moment
InstanceOf: RegieSafetyLogEntry
Usage: #example
Title: "Safety log: good moment on 1 November"
* status = #final
* code = RegieObservationType#safety-log-entry
* subject = Reference(household-de-vries)
* basedOn = Reference(devries-safety-plan)
* effectiveDateTime = "2026-11-01T18:00:00+01:00"
* performer = Reference(devries-lotte)
* valueCodeableConcept = RegieSafetyLogKind#good-moment
* note[0].text = "Lotte: \"We hebben met z'n vieren pannenkoeken gegeten en papa deed grappig.\""

// ------------------------------------------------------------------ consent and disclosure
Instance: devries-consent-lotte
InstanceOf: RegieSharingConsent
Usage: #example
Title: "Consent: share Lotte's plan with school and GP"
Description: "Lotte is 7: both parents with authority consent. The school gets the safety and support plan and the actions, but no health data."
* status = #active
* patient = Reference(devries-lotte)
* dateTime = "2026-10-08T16:00:00+02:00"
* performer[0] = Reference(devries-sanne)
* performer[1] = Reference(devries-mark)
* organization = Reference(devries-org-wijkteam)
* verification[0].verified = true
* verification[0].verifiedWith = Reference(devries-sanne)
* verification[0].verificationDate = "2026-10-08T16:00:00+02:00"
* provision.period.start = "2026-10-08"
* provision.period.end = "2027-10-08"
* provision.actor[0].role = $v3-ParticipationType#IRCP
* provision.actor[0].reference = Reference(devries-org-school)
* provision.actor[1].role = $v3-ParticipationType#IRCP
* provision.actor[1].reference = Reference(devries-org-huisarts)
* provision.purpose[0] = $v3-ActReason#COC "coordination of care"
* provision.purpose[1] = RegieSharingPurpose#shared-plan-view
* provision.class[0] = RegieDataClass#support-plan
* provision.class[1] = RegieDataClass#safety-plan
* provision.class[2] = RegieDataClass#agreed-actions
* provision.class[3] = RegieDataClass#health-data
* provision.provision[0].type = #deny
* provision.provision[0].actor[0].role = $v3-ParticipationType#IRCP
* provision.provision[0].actor[0].reference = Reference(devries-org-school)
* provision.provision[0].class[0] = RegieDataClass#health-data

Instance: devries-consent-daan
InstanceOf: RegieSharingConsent
Usage: #example
Title: "Consent: share Daan's plan with the GP"
Description: "Daan is 12: he and a parent with authority both consent."
* status = #active
* patient = Reference(devries-daan)
* dateTime = "2026-10-08T16:10:00+02:00"
* performer[0] = Reference(devries-daan)
* performer[1] = Reference(devries-sanne)
* organization = Reference(devries-org-wijkteam)
* verification[0].verified = true
* verification[0].verifiedWith = Reference(devries-daan)
* verification[0].verificationDate = "2026-10-08T16:10:00+02:00"
* provision.period.start = "2026-10-08"
* provision.period.end = "2027-10-08"
* provision.actor[0].role = $v3-ParticipationType#IRCP
* provision.actor[0].reference = Reference(devries-org-huisarts)
* provision.purpose[0] = RegieSharingPurpose#shared-plan-view
* provision.class[0] = RegieDataClass#safety-plan
* provision.class[1] = RegieDataClass#agreed-actions

Instance: devries-disclosure-gp
InstanceOf: RegieDisclosure
Usage: #example
Title: "Disclosure: the GP viewed Lotte's safety plan"
* extension[basis].extension[consent].valueReference = Reference(devries-consent-lotte)
* extension[basis].extension[legal-basis].valueCodeableConcept = RegieLegalBasis#consent
* type = $dicom#110110 "Patient Record"
* subtype[lifecycle] = $iso-21089-lifecycle#access "Access/View Record Lifecycle Event"
* action = #R
* recorded = "2026-11-12T09:41:27+01:00"
* outcome = #0
* purposeOfEvent = RegieSharingPurpose#shared-plan-view
* agent[discloser].type = $v3-ParticipationType#CST
* agent[discloser].who = Reference(devries-org-wijkteam)
* agent[discloser].requestor = false
* agent[recipient].type = $v3-ParticipationType#IRCP
* agent[recipient].who = Reference(devries-role-visser)
* agent[recipient].requestor = true
* source.observer = Reference(devries-org-wijkteam)
* entity[0].what = Reference(devries-safety-plan)
* entity[1].what = Reference(devries-lotte)

// ------------------------------------------------------------------ the handover that started it
Instance: devries-handover-document
InstanceOf: RegieHandoverDocument
Usage: #example
Title: "Handover document VT -> wijkteam for the De Vries family"
* meta.versionId = "1"
* extension[route].valueCodeableConcept = RegieHandoverRoute#direct-after-assessment
* extension[reporterAnonymous].valueBoolean = false
* status = #final
* type = RegieDocumentType#handover-document
* subject = Reference(household-de-vries)
* date = "2026-09-23T14:00:00+02:00"
* author[0] = Reference(devries-org-vt)
* title = "Overdracht na veiligheidsbeoordeling - gezin De Vries"
* confidentiality = #R
* custodian = Reference(devries-org-vt)
* section[reportContent].title = "Inhoud melding"
* section[reportContent].code = RegieHandoverSection#report-content
* section[reportContent].text.status = #generated
* section[reportContent].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Op 15 september vertelde Lotte (7) haar juf dat papa mama had geduwd en dat Daan ertussen was gesprongen. Zij was bang en had slecht geslapen.</p></div>"
* section[reporterContact].title = "Contactgegevens melder"
* section[reporterContact].code = RegieHandoverSection#reporter-contact
* section[reporterContact].text.status = #generated
* section[reporterContact].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Yvonne Hendriks, intern begeleider, Basisschool De Regenboog. Zij is bereikbaar voor overleg en weet dat het gezin weet dat de school heeft gemeld.</p></div>"
* section[reporterContact].entry[0] = Reference(devries-pract-hendriks)
* section[safetyAssessment].title = "Uitkomst veiligheidsbeoordeling"
* section[safetyAssessment].code = RegieHandoverSection#safety-assessment
* section[safetyAssessment].extension[vtDecision].valueCodeableConcept = RegieVtDecision#local-team
* section[safetyAssessment].extension[unsafetyType][0].valueCodeableConcept = RegieUnsafetyType#structural
* section[safetyAssessment].extension[assessedOn].valueDateTime = "2026-09-22"
* section[safetyAssessment].text.status = #generated
* section[safetyAssessment].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Structurele onveiligheid: herhaald partnergeweld waar de kinderen getuige van zijn. Geen acute onveiligheid. Ouders staan open voor hulp. Casuszwaarte middelzwaar; het wijkteam maakt het veiligheidsplan.</p></div>"
* section[planAgreements].title = "Afspraken over plannen"
* section[planAgreements].code = RegieHandoverSection#plan-agreements
* section[planAgreements].text.status = #generated
* section[planAgreements].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Het wijkteam neemt binnen 14 dagen contact op met het gezin en maakt samen met ouders en netwerk een direct veiligheidsplan.</p></div>"

Instance: devries-handover
InstanceOf: RegieHandover
Usage: #example
Title: "Handover VT -> wijkteam (accepted)"
* reasonReference = Reference(devries-report)
* extension[route].valueCodeableConcept = RegieHandoverRoute#direct-after-assessment
* extension[caseWeight].valueCodeableConcept = RegieCaseWeight#middelzwaar
* extension[reportDate].valueDateTime = "2026-09-16T11:20:00+02:00"
* identifier[0].system = "https://fhir-regie.nl/fhir/NamingSystem/example-vt-case"
* identifier[0].value = "VTGM-2026-08813"
* status = #accepted
* businessStatus.text = "Ontvangen door het wijkteam"
* code = RegieTaskType#handover
* priority = #routine
* focus.reference = "Composition/devries-handover-document/_history/1"
* executionPeriod.start = "2026-09-24T09:12:44+02:00"
* output[acceptedDocument].type = RegieHandoverOutput#accepted-document
* output[acceptedDocument].valueReference.reference = "Composition/devries-handover-document/_history/1"
* for = Reference(household-de-vries)
* authoredOn = "2026-09-23T14:05:00+02:00"
* lastModified = "2026-09-24T09:12:44+02:00"
* requester = Reference(devries-org-vt)
* owner = Reference(devries-org-wijkteam)
