// Case 2 — Henk and Gerda van den Berg (Zutphen, fictional). Henk (85) has advanced dementia;
// Gerda (82) cares for him day and night and is exhausted. The home-care nurse sees bruises on
// Henk's upper arms and runs the meldcode: signals, consultation (in-house expert and anonymous
// advice from Veilig Thuis), a conversation with Gerda, weighing, and the decision to organise
// help. Daughter Ellen is Henk's mentor (legal representative) and consents on his behalf.

Instance: vdberg-org-thuiszorg
InstanceOf: Organization
Usage: #example
Title: "Thuiszorg De Berkel"
* identifier[0].system = $ura
* identifier[0].value = "90011223"
* active = true
* name = "Thuiszorg De Berkel"

Instance: vdberg-org-sociaalteam
InstanceOf: Organization
Usage: #example
Title: "Sociaal Team Zutphen-Zuid"
* type = RegieOrganisationKind#local-team
* identifier[0].system = $ura
* identifier[0].value = "90011345"
* active = true
* name = "Sociaal Team Zutphen-Zuid"

Instance: vdberg-org-dementienetwerk
InstanceOf: Organization
Usage: #example
Title: "Dementienetwerk Zutphen"
* active = true
* name = "Dementienetwerk Zutphen"

Instance: vdberg-org-huisarts
InstanceOf: Organization
Usage: #example
Title: "Huisartsenpraktijk Het Spittaal"
* type = RegieOrganisationKind#general-practice
* identifier[0].system = $ura
* identifier[0].value = "90011467"
* active = true
* name = "Huisartsenpraktijk Het Spittaal"

Instance: vdberg-pract-nurse
InstanceOf: Practitioner
Usage: #example
Title: "Fatma Yildiz, wijkverpleegkundige"
* name[0].family = "Yildiz"
* name[0].given[0] = "Fatma"

Instance: vdberg-pract-af
InstanceOf: Practitioner
Usage: #example
Title: "Joost Meijer, aandachtsfunctionaris"
* name[0].family = "Meijer"
* name[0].given[0] = "Joost"

Instance: vdberg-pract-casemanager
InstanceOf: Practitioner
Usage: #example
Title: "Ingrid Bos, casemanager dementie"
* name[0].family = "Bos"
* name[0].given[0] = "Ingrid"

Instance: vdberg-pract-regisseur
InstanceOf: Practitioner
Usage: #example
Title: "Linda Kok, procesregisseur"
* name[0].family = "Kok"
* name[0].given[0] = "Linda"

Instance: vdberg-pract-huisarts
InstanceOf: Practitioner
Usage: #example
Title: "Rob Hofman, huisarts"
* identifier[0].system = $agb
* identifier[0].value = "01023456"
* name[0].family = "Hofman"
* name[0].given[0] = "Rob"

Instance: vdberg-henk
InstanceOf: RegiePatient
Usage: #example
Title: "Henk van den Berg (85)"
* identifier[bsn].value = "999990111"
* name[0].family = "van den Berg"
* name[0].given[0] = "Henk"
* gender = #male
* birthDate = "1941-03-14"
* address[0].line[0] = "Rijkenhage 12"
* address[0].city = "Zutphen"
* address[0].postalCode = "7201 LK"
* generalPractitioner = Reference(vdberg-pract-huisarts)

Instance: vdberg-gerda
InstanceOf: RegiePatient
Usage: #example
Title: "Gerda van den Berg (82)"
* identifier[bsn].value = "999990123"
* name[0].family = "van den Berg"
* name[0].given[0] = "Gerda"
* gender = #female
* birthDate = "1944-07-30"
* telecom[0].system = #phone
* telecom[0].value = "0575-512345"
* generalPractitioner = Reference(vdberg-pract-huisarts)

Instance: vdberg-ellen
InstanceOf: RegieRelatedPerson
Usage: #example
Title: "Ellen Hartman-van den Berg, daughter and mentor of Henk"
* extension[supportKind][0].valueCodeableConcept = RegieSupportKind#practical
* extension[supportKind][1].valueCodeableConcept = RegieSupportKind#thinking-along
* extension[concernKnowledge].valueCodeableConcept = RegieConcernKnowledge#all
* active = true
* patient = Reference(vdberg-henk)
* relationship[0] = http://terminology.hl7.org/CodeSystem/v3-RoleCode#DAU "natural daughter"
* relationship[1] = http://terminology.hl7.org/CodeSystem/v3-RoleCode#GUARD "guardian"
* relationship[1].text = "Mentor van Henk (mentorschap, uitspraak kantonrechter 2025)"
* name[0].family = "Hartman-van den Berg"
* name[0].given[0] = "Ellen"
* telecom[0].system = #phone
* telecom[0].value = "06-34567890"

Instance: vdberg-peter
InstanceOf: RegieRelatedPerson
Usage: #example
Title: "Peter van den Berg, son"
* extension[supportKind][0].valueCodeableConcept = RegieSupportKind#financial
* extension[concernKnowledge].valueCodeableConcept = RegieConcernKnowledge#part
* active = true
* patient = Reference(vdberg-henk)
* relationship[0] = http://terminology.hl7.org/CodeSystem/v3-RoleCode#SONC "son"
* name[0].family = "van den Berg"
* name[0].given[0] = "Peter"

Instance: vdberg-buurvrouw
InstanceOf: RegieRelatedPerson
Usage: #example
Title: "Mieke Wolters, neighbour"
* extension[supportKind][0].valueCodeableConcept = RegieSupportKind#practical
* extension[concernKnowledge].valueCodeableConcept = RegieConcernKnowledge#part
* active = true
* patient = Reference(vdberg-gerda)
* relationship[0] = http://terminology.hl7.org/CodeSystem/v3-RoleCode#NBOR "neighbor"
* name[0].family = "Wolters"
* name[0].given[0] = "Mieke"

Instance: household-van-den-berg
InstanceOf: RegieHousehold
Usage: #example
Title: "Household Van den Berg"
* name = "Huishouden Van den Berg"
* quantity = 2
* managingEntity = Reference(vdberg-org-sociaalteam)
* member[0].entity = Reference(vdberg-henk)
* member[0].extension[role].valueCodeableConcept = RegieHouseholdRole#partner
* member[0].extension[flag][0].valueCodeableConcept = RegieHouseholdFlag#most-vulnerable-adult
* member[1].entity = Reference(vdberg-gerda)
* member[1].extension[role].valueCodeableConcept = RegieHouseholdRole#carer

Instance: vdberg-alert-gerda
InstanceOf: RegieAlert
Usage: #example
Title: "Alert: Gerda is the alleged perpetrator (an exhausted carer)"
* insert SDVLabel
* status = #active
* category[0] = $flag-category#safety "Safety"
* code = RegieHouseholdFlag#alleged-perpetrator
* subject = Reference(vdberg-gerda)
* period.start = "2026-08-19"
* author = Reference(vdberg-pract-nurse)

// ------------------------------------------------------------------ signals
Instance: vdberg-signal-bruises
InstanceOf: RegieSignal
Usage: #example
Title: "Signal (fact): bruises on both upper arms"
* insert SDVLabel
* extension[certainty].valueCodeableConcept = RegieSignalCertainty#fact
* extension[violenceType][0].valueCodeableConcept = RegieViolenceType#elder-abuse
* status = #final
* code = RegieObservationType#signal
* subject = Reference(vdberg-henk)
* effectiveDateTime = "2026-08-12T09:30:00+02:00"
* performer[0] = Reference(vdberg-pract-nurse)
* valueString = "Bij het wassen zag ik blauwe plekken op beide bovenarmen van meneer Van den Berg, in de vorm van vingers. Gisteren waren die er niet. Meneer kon niet vertellen hoe het kwam."

Instance: vdberg-signal-hypothesis
InstanceOf: RegieSignal
Usage: #example
Title: "Signal (hypothesis): an exhausted carer handles Henk roughly"
* insert SDVLabel
* extension[certainty].valueCodeableConcept = RegieSignalCertainty#hypothesis
* extension[violenceType][0].valueCodeableConcept = RegieViolenceType#elder-abuse
* status = #final
* code = RegieObservationType#signal
* subject = Reference(vdberg-henk)
* effectiveDateTime = "2026-08-12T10:00:00+02:00"
* performer[0] = Reference(vdberg-pract-nurse)
* valueString = "Hypothese: mevrouw Van den Berg is overbelast en pakt haar man hard vast als hij 's nachts onrustig is. Dit is een vermoeden, nog niet bevestigd."

Instance: vdberg-signal-neighbour
InstanceOf: RegieSignal
Usage: #example
Title: "Signal (fact, third party): shouting at night"
* insert SDVLabel
* extension[certainty].valueCodeableConcept = RegieSignalCertainty#fact
* extension[informationSource].valueReference = Reference(vdberg-buurvrouw)
* status = #final
* code = RegieObservationType#signal
* subject = Reference(vdberg-henk)
* effectiveDateTime = "2026-08-14T11:00:00+02:00"
* performer[0] = Reference(vdberg-pract-nurse)
* valueString = "De buurvrouw, mevrouw Wolters, vertelt dat zij de afgelopen weken bijna elke nacht geschreeuw hoort en dat de slaapkamerdeur van buitenaf op slot gaat."

Instance: vdberg-signal-followup
InstanceOf: RegieSignal
Usage: #example
Title: "Follow-up: the hypothesis is confirmed"
* insert SDVLabel
* extension[certainty].valueCodeableConcept = RegieSignalCertainty#fact
* extension[hypothesisOutcome].valueCodeableConcept = RegieHypothesisOutcome#confirmed
* status = #final
* code = RegieObservationType#signal
* subject = Reference(vdberg-henk)
* effectiveDateTime = "2026-08-19T14:00:00+02:00"
* performer[0] = Reference(vdberg-pract-nurse)
* valueString = "In het gesprek van 19 augustus vertelde mevrouw zelf dat zij haar man 's nachts hard bij de armen pakt en hem in de slaapkamer opsluit omdat zij niet meer kan."
* derivedFrom[0] = Reference(vdberg-signal-hypothesis)

// ------------------------------------------------------------------ the meldcode trail
Instance: vdberg-meldcode-step-1
InstanceOf: RegieMeldcodeStepTask
Usage: #example
Title: "Meldcode step 1: signals mapped"
* insert SDVLabel
* extension[violenceType][0].valueCodeableConcept = RegieViolenceType#elder-abuse
* status = #completed
* code = RegieMeldcodeStep#step-1
* for = Reference(vdberg-henk)
* authoredOn = "2026-08-12T10:15:00+02:00"
* executionPeriod.start = "2026-08-12"
* executionPeriod.end = "2026-08-14"
* owner = Reference(vdberg-pract-nurse)
* note[0].text = "Signalen vastgelegd (blauwe plekken, geschreeuw volgens buurvrouw). Mantelzorgcheck: mevrouw zorgt dag en nacht alleen voor haar man, slaapt slecht, heeft geen vervanging. Besproken met de aandachtsfunctionaris."

Instance: vdberg-meldcode-step-2
InstanceOf: RegieMeldcodeStepTask
Usage: #example
Title: "Meldcode step 2: consultation and anonymous advice"
* insert SDVLabel
* extension[consultation][0].extension[consultee].valueCodeableConcept = RegieConsulteeType#aandachtsfunctionaris
* extension[consultation][0].extension[who].valueReference = Reference(vdberg-pract-af)
* extension[consultation][0].extension[advice].valueString = "Eerst met mevrouw in gesprek gaan; tegelijk Veilig Thuis om advies vragen over de veiligheid 's nachts."
* extension[consultation][0].extension[followed].valueBoolean = true
* extension[consultation][0].extension[date].valueDateTime = "2026-08-15T10:00:00+02:00"
* extension[consultation][1].extension[consultee].valueCodeableConcept = RegieConsulteeType#veilig-thuis
* extension[consultation][1].extension[advice].valueString = "Advies op een anonieme casus: gesprek met mevrouw, samen zorgen voor nachtelijke ontlasting en de mentor betrekken; bij geen verbetering binnen twee weken opnieuw overleggen."
* extension[consultation][1].extension[followed].valueBoolean = false
* extension[consultation][1].extension[deviation-reason].valueString = "De mentor wordt nog niet betrokken: mevrouw wil eerst zelf met haar dochter Ellen praten. Na het gesprek opnieuw bekijken."
* extension[consultation][1].extension[date].valueDateTime = "2026-08-15T14:30:00+02:00"
* extension[vtContact][0].extension[contact-type].valueCodeableConcept = RegieVtContactType#advice
* extension[vtContact][0].extension[stated-step].valueCodeableConcept = RegieMeldcodeStep#step-2
* extension[vtContact][0].extension[date].valueDateTime = "2026-08-15T14:30:00+02:00"
* status = #completed
* code = RegieMeldcodeStep#step-2
* for = Reference(vdberg-henk)
* authoredOn = "2026-08-15T09:00:00+02:00"
* owner = Reference(vdberg-pract-nurse)

Instance: vdberg-meldcode-step-3
InstanceOf: RegieMeldcodeStepTask
Usage: #example
Title: "Meldcode step 3: conversation with Gerda"
* insert SDVLabel
* extension[conversation].extension[held].valueBoolean = true
* extension[conversation].extension[with][0].valueReference = Reference(vdberg-gerda)
* extension[conversation].extension[reaction].valueString = "Mevrouw schrok, huilde en zei: \"Ik wil hem geen pijn doen, maar ik slaap al maanden niet.\" Zij wil graag hulp en vindt het goed dat haar dochter Ellen wordt ingelicht."
* extension[conversation].extension[date].valueDateTime = "2026-08-19T14:00:00+02:00"
* status = #completed
* code = RegieMeldcodeStep#step-3
* for = Reference(vdberg-henk)
* authoredOn = "2026-08-19T09:00:00+02:00"
* owner = Reference(vdberg-pract-nurse)

Instance: vdberg-meldcode-step-4
InstanceOf: RegieMeldcodeStepTask
Usage: #example
Title: "Meldcode step 4: weighing"
* insert SDVLabel
* extension[decisionAnswer][0].extension[question].valueCodeableConcept = RegieDecisionQuestion#q1-suspicion
* extension[decisionAnswer][0].extension[answer].valueCodeableConcept = RegieDecisionAnswer#yes
* extension[decisionAnswer][1].extension[question].valueCodeableConcept = RegieDecisionQuestion#q2-acute-structural-unsafety
* extension[decisionAnswer][1].extension[answer].valueCodeableConcept = RegieDecisionAnswer#no
* extension[decisionAnswer][1].extension[explanation].valueString = "Geen letsel dat medische zorg vraagt; de situatie duurt enkele weken en komt voort uit overbelasting, niet uit een patroon van jaren."
* status = #completed
* code = RegieMeldcodeStep#step-4
* for = Reference(vdberg-henk)
* authoredOn = "2026-08-20T09:00:00+02:00"
* owner = Reference(vdberg-pract-nurse)
* note[0].text = "Afgewogen met de aandachtsfunctionaris, met het advies van Veilig Thuis van 15 augustus en de Delta veiligheidslijst."

Instance: vdberg-meldcode-step-5
InstanceOf: RegieMeldcodeStepTask
Usage: #example
Title: "Meldcode step 5: decision to organise help"
* insert SDVLabel
* extension[decisionAnswer][0].extension[question].valueCodeableConcept = RegieDecisionQuestion#q3-can-help
* extension[decisionAnswer][0].extension[answer].valueCodeableConcept = RegieDecisionAnswer#yes
* extension[decisionAnswer][1].extension[question].valueCodeableConcept = RegieDecisionQuestion#q4-cooperation
* extension[decisionAnswer][1].extension[answer].valueCodeableConcept = RegieDecisionAnswer#yes
* extension[decision].valueCodeableConcept = RegieMeldcodeDecision#organise-help
* status = #completed
* code = RegieMeldcodeStep#step-5
* for = Reference(vdberg-henk)
* authoredOn = "2026-08-20T11:00:00+02:00"
* owner = Reference(vdberg-pract-nurse)
* note[0].text = "Hulp wordt georganiseerd via het sociaal team: nachtzorg, dagbesteding en een veiligheidsplan. Evaluatie over vier weken; bij terugval alsnog melden bij Veilig Thuis."

// ------------------------------------------------------------------ team, plans, goals
Instance: vdberg-careteam
InstanceOf: RegieCareTeam
Usage: #example
Title: "Team around Henk and Gerda"
* status = #active
* name = "Team rond Henk en Gerda van den Berg"
* subject = Reference(household-van-den-berg)
* managingOrganization = Reference(vdberg-org-sociaalteam)
* participant[0].role[0] = RegieRole#procesregisseur
* participant[0].member = Reference(vdberg-pract-regisseur)
* participant[0].onBehalfOf = Reference(vdberg-org-sociaalteam)
* participant[0].period.start = "2026-08-25"
* participant[1].role[0] = RegieRole#casusregisseur
* participant[1].role[1] = RegieRole#life-time-betrokkene
* participant[1].member = Reference(vdberg-pract-casemanager)
* participant[1].onBehalfOf = Reference(vdberg-org-dementienetwerk)
* participant[2].role[0] = RegieRole#veiligheidspersoon
* participant[2].member = Reference(vdberg-ellen)
* participant[3].role[0] = RegieRole#aandachtsfunctionaris
* participant[3].member = Reference(vdberg-pract-af)
* participant[3].onBehalfOf = Reference(vdberg-org-thuiszorg)
* participant[4].role[0] = RegieRole#professional
* participant[4].member = Reference(vdberg-pract-nurse)
* participant[4].onBehalfOf = Reference(vdberg-org-thuiszorg)
* participant[5].role[0] = RegieRole#life-time-betrokkene
* participant[5].member = Reference(vdberg-pract-huisarts)
* participant[5].onBehalfOf = Reference(vdberg-org-huisarts)
* participant[6].role[0] = RegieRole#informeel-netwerk
* participant[6].member = Reference(vdberg-peter)

Instance: vdberg-danger-1
InstanceOf: RegieConcern
Usage: #example
Title: "Danger statement: rough handling at night"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#danger-statement
* code.text = "We zijn bang dat Gerda, als ze 's nachts op is, Henk weer hard bij zijn armen pakt en hem opsluit. Dan kan Henk vallen of gewond raken en is hij bang in zijn eigen huis."
* subject = Reference(household-van-den-berg)
* recordedDate = "2026-08-26"
* asserter = Reference(vdberg-ellen)

Instance: vdberg-concern-overload
InstanceOf: RegieConcern
Usage: #example
Title: "Concern: Gerda is exhausted as a carer"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#social-support
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#risk-factor
* code.text = "Gerda zorgt dag en nacht alleen voor Henk en slaapt al maanden slecht."
* subject = Reference(vdberg-gerda)
* recordedDate = "2026-08-26"
* asserter = Reference(vdberg-gerda)

Instance: vdberg-goal-safety
InstanceOf: RegieGoal
Usage: #example
Title: "Safety goal: calm nights"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* lifecycleStatus = #active
* category = RegieGoalType#safety-goal
* description.text = "Henk kan 's nachts rustig en veilig thuis zijn: niemand pakt hem hard vast en de slaapkamerdeur blijft open. Gerda weet wat ze doet als het haar te veel wordt."
* subject = Reference(household-van-den-berg)
* startDate = "2026-08-26"
* expressedBy = Reference(vdberg-gerda)
* addresses[0] = Reference(vdberg-danger-1)

Instance: vdberg-goal-respite
InstanceOf: RegieGoal
Usage: #example
Title: "Support goal: respite for Gerda"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#social-support
* lifecycleStatus = #active
* category = RegieGoalType#support-goal
* description.text = "Henk gaat drie dagen per week naar de dagbesteding en twee nachten per week is er nachtzorg, zodat Gerda kan slapen."
* subject = Reference(household-van-den-berg)
* startDate = "2026-08-26"
* target[0].dueDate = "2026-10-01"
* addresses[0] = Reference(vdberg-concern-overload)

Instance: vdberg-support-plan
InstanceOf: RegieSupportPlan
Usage: #example
Title: "Support plan Van den Berg"
* extension[phase].valueCodeableConcept = Regie1g1p1rPhase#progress
* extension[responsibility][0].extension[area].valueCoding = RegieResponsibilityArea#execution
* extension[responsibility][0].extension[statement].valueString = "Gerda, Ellen, Peter, mevrouw Wolters en de betrokken professionals voeren de afspraken op hun naam uit."
* extension[responsibility][1].extension[area].valueCoding = RegieResponsibilityArea#day-to-day-direction
* extension[responsibility][1].extension[statement].valueString = "Ingrid Bos (casemanager dementie) houdt de dagelijkse regie."
* extension[responsibility][2].extension[area].valueCoding = RegieResponsibilityArea#facilitating-cooperation
* extension[responsibility][2].extension[statement].valueString = "Linda Kok (procesregisseur) zorgt voor goede samenwerking."
* extension[responsibility][3].extension[area].valueCoding = RegieResponsibilityArea#resolving-stagnation
* extension[responsibility][3].extension[statement].valueString = "Linda Kok (procesregisseur) lost vastgelopen afspraken op."
* extension[nextMeeting].valueDateTime = "2026-12-03T10:00:00+01:00"
* status = #active
* title = "Plan Henk en Gerda van den Berg"
* subject = Reference(household-van-den-berg)
* period.start = "2026-08-26"
* created = "2026-08-26"
* author = Reference(vdberg-pract-regisseur)
* careTeam = Reference(vdberg-careteam)
* addresses[0] = Reference(vdberg-concern-overload)
* goal[0] = Reference(vdberg-goal-respite)
* activity[0].reference = Reference(vdberg-action-dagbesteding)

Instance: vdberg-safety-plan
InstanceOf: RegieSafetyPlan
Usage: #example
Title: "Direct safety plan Van den Berg"
* meta.versionId = "1"
* extension[kind].valueCodeableConcept = RegieSafetyPlanKind#direct
* extension[routekaartPhase].valueCodeableConcept = RegieRoutekaartPhase#safety
* extension[dangerStatement][0].extension[statement].valueReference = Reference(vdberg-danger-1)
* extension[dangerStatement][0].extension[priority].valuePositiveInt = 1
* extension[dangerStatement][0].extension[status].valueCode = #active
* status = #active
* title = "Veiligheidsplan Henk en Gerda"
* subject = Reference(household-van-den-berg)
* partOf = Reference(vdberg-support-plan)
* period.start = "2026-08-26"
* author = Reference(vdberg-pract-casemanager)
* careTeam = Reference(vdberg-careteam)
* addresses[0] = Reference(vdberg-concern-overload)
* addresses[+] = Reference(vdberg-danger-1)
* goal[0] = Reference(vdberg-goal-safety)
* activity[0].reference = Reference(vdberg-agreement-bellen)
* activity[1].reference = Reference(vdberg-check-ellen)

Instance: vdberg-safety-plan-signed
InstanceOf: RegiePlanSignature
Usage: #example
Title: "Signature on version 1 of vdberg-safety-plan"
* target.reference = "CarePlan/vdberg-safety-plan/_history/1"
* recorded = "2026-08-26T11:00:00+02:00"
* agent[0].who = Reference(vdberg-gerda)
* agent[1].who = Reference(vdberg-ellen)
* signature[0].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[0].when = "2026-08-26T11:00:00+02:00"
* signature[0].who = Reference(vdberg-gerda)
* signature[1].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[1].when = "2026-08-26T11:00:00+02:00"
* signature[1].who = Reference(vdberg-ellen)

Instance: vdberg-agreement-bellen
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Safety agreement: Gerda calls Ellen"
* basedOn = Reference(vdberg-safety-plan)
* status = #in-progress
* code = RegieAgreedActionKind#safety-agreement
* description = "Als Gerda voelt dat het haar te veel wordt, laat ze Henk los, loopt ze naar de keuken en belt ze Ellen. De slaapkamerdeur gaat nooit meer op slot."
* reasonReference = Reference(vdberg-goal-safety)
* for = Reference(household-van-den-berg)
* authoredOn = "2026-08-26"
* owner = Reference(vdberg-gerda)

Instance: vdberg-check-ellen
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Monitoring check: Ellen visits twice a week"
* basedOn = Reference(vdberg-safety-plan)
* status = #in-progress
* code = RegieAgreedActionKind#monitoring-check
* description = "Ellen komt op dinsdag en vrijdag langs, kijkt hoe het met haar vader gaat en vraagt haar moeder hoe de nachten waren."
* reasonReference = Reference(vdberg-goal-safety)
* for = Reference(household-van-den-berg)
* authoredOn = "2026-08-26"
* owner = Reference(vdberg-ellen)

Instance: vdberg-action-dagbesteding
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Action: arrange day care and night care"
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#social-support
* basedOn = Reference(vdberg-support-plan)
* status = #in-progress
* code = RegieAgreedActionKind#action
* description = "Ingrid regelt dagbesteding (drie dagen) en nachtzorg (twee nachten) voor Henk via de Wmo."
* reasonReference = Reference(vdberg-goal-respite)
* for = Reference(vdberg-henk)
* authoredOn = "2026-08-26"
* owner = Reference(vdberg-pract-casemanager)
* restriction.period.end = "2026-12-15"

RuleSet: VdBergScore(when, who, score)
* status = #final
* code = RegieObservationType#safety-scale-score
* subject = Reference(household-van-den-berg)
* focus = Reference(vdberg-danger-1)
* basedOn = Reference(vdberg-safety-plan)
* effectiveDateTime = {when}
* performer = Reference({who})
* valueInteger = {score}

Instance: vdberg-score-gerda-aug
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score by Gerda, 26 August: 4"
* insert VdBergScore("2026-08-26T11:00:00+02:00", vdberg-gerda, 4)

Instance: vdberg-score-ellen-sep
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score by Ellen, 23 September: 6"
* insert VdBergScore("2026-09-23T10:00:00+02:00", vdberg-ellen, 6)
* note[0].text = "Sinds de nachtzorg begon is de deur niet meer op slot geweest; Gerda belde mij twee keer 's avonds in plaats van boos te worden."

Instance: vdberg-score-nurse-oct
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score by the nurse, 21 October: 7"
* insert VdBergScore("2026-10-21T09:30:00+02:00", vdberg-pract-nurse, 7)
* note[0].text = "Drie weken geen nieuwe blauwe plekken gezien bij de dagelijkse verzorging; meneer is rustiger en mevrouw oogt uitgeruster."

Instance: vdberg-log-near-miss
InstanceOf: RegieSafetyLogEntry
Usage: #example
Title: "Safety log: near miss on 9 September"
* status = #final
* code = RegieObservationType#safety-log-entry
* subject = Reference(household-van-den-berg)
* focus = Reference(vdberg-danger-1)
* basedOn = Reference(vdberg-safety-plan)
* effectiveDateTime = "2026-09-09T02:40:00+02:00"
* performer = Reference(vdberg-gerda)
* valueCodeableConcept = RegieSafetyLogKind#near-miss
* note[0].text = "Henk liep 's nachts de trap af en wilde naar buiten. Ik werd boos, maar heb hem losgelaten en Ellen gebeld. Zij kwam en heeft hem rustig teruggebracht."

Instance: vdberg-log-good-moment
InstanceOf: RegieSafetyLogEntry
Usage: #example
Title: "Safety log: good moment"
* status = #final
* code = RegieObservationType#safety-log-entry
* subject = Reference(household-van-den-berg)
* basedOn = Reference(vdberg-safety-plan)
* effectiveDateTime = "2026-10-04T16:00:00+02:00"
* performer = Reference(vdberg-ellen)
* valueCodeableConcept = RegieSafetyLogKind#good-moment
* note[0].text = "Papa en mama hebben samen oude foto's bekeken en gelachen."

Instance: vdberg-consent-henk
InstanceOf: RegieSharingConsent
Usage: #example
Title: "Consent by Ellen (mentor) for Henk"
Description: "Henk cannot decide for himself any more; his mentor Ellen consents to sharing with the dementia case manager and the GP."
* status = #active
* patient = Reference(vdberg-henk)
* dateTime = "2026-08-26T11:30:00+02:00"
* performer[0] = Reference(vdberg-ellen)
* organization = Reference(vdberg-org-sociaalteam)
* verification[0].verified = true
* verification[0].verifiedWith = Reference(vdberg-ellen)
* verification[0].verificationDate = "2026-08-26T11:30:00+02:00"
* provision.period.start = "2026-08-26"
* provision.period.end = "2027-08-26"
* provision.actor[0].role = $v3-ParticipationType#IRCP
* provision.actor[0].reference = Reference(vdberg-org-dementienetwerk)
* provision.actor[1].role = $v3-ParticipationType#IRCP
* provision.actor[1].reference = Reference(vdberg-org-huisarts)
* provision.purpose[0] = $v3-ActReason#COC "coordination of care"
* provision.purpose[1] = $v3-ActReason#THREAT "threat"
* provision.class[0] = RegieDataClass#support-plan
* provision.class[1] = RegieDataClass#safety-plan
* provision.class[2] = RegieDataClass#agreed-actions
* provision.class[3] = $uri#https://fhir-regie.nl/fhir/StructureDefinition/regie-safety-scale-score "Regie Safety Scale Score"
