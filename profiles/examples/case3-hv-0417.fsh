// Case 3 — a 19-year-old woman threatened with a forced marriage by her father and older brother
// (Haaglanden, fictional). Strict confidentiality: pseudonymised names, every resource labelled
// very restricted, and the shelter where she lives is never recorded anywhere. Veilig Thuis did
// an Onderzoek, found the abuse established and hands over warmly to the local team with its
// safety conditions, on its statutory task (no consent needed; she is informed).

RuleSet: HV0417VeryRestricted
* meta.security[+] = $v3-Confidentiality#V "very restricted"

Instance: hv0417-org-vt
InstanceOf: Organization
Usage: #example
Title: "Veilig Thuis Haaglanden"
* type = RegieOrganisationKind#vt
* insert HV0417VeryRestricted
* identifier[0].system = $ura
* identifier[0].value = "90022110"
* active = true
* name = "Veilig Thuis Haaglanden"

Instance: hv0417-org-lokaalteam
InstanceOf: Organization
Usage: #example
Title: "Jeugd- en gezinsteam Laak"
* type = RegieOrganisationKind#local-team
// A municipal team without a URA number: known by the municipality's OIN (docs/ig/actors.md).
* insert HV0417VeryRestricted
* identifier[0].system = $oin
* identifier[0].value = "00000001812345670000"
* active = true
* name = "Jeugd- en gezinsteam Laak"

Instance: hv0417-org-opvang
InstanceOf: Organization
Usage: #example
Title: "Shelter organisation (location never recorded)"
* type = RegieOrganisationKind#shelter
* insert HV0417VeryRestricted
* active = true
* name = "Stichting Veilige Haven (opvang)"

Instance: hv0417-pract-vt
InstanceOf: Practitioner
Usage: #example
Title: "VT specialist honour-related violence"
* insert HV0417VeryRestricted
* name[0].text = "A. de Graaf"

Instance: hv0417-pract-lt
InstanceOf: Practitioner
Usage: #example
Title: "Casusregisseur of the local team"
* insert HV0417VeryRestricted
* name[0].text = "M. Verhoeven"

Instance: hv0417-s
InstanceOf: RegiePatient
Usage: #example
Title: "S. (pseudonym), 19"
Description: "No address or telecom is recorded: she lives in a shelter whose location only the shelter knows."
* insert HV0417VeryRestricted
* identifier[bsn].value = "999990263"
* name[0].text = "S. (pseudoniem)"
* gender = #female
* birthDate = "2007-05-02"

Instance: hv0417-father
InstanceOf: RegiePatient
Usage: #example
Title: "Father (pseudonym)"
* insert HV0417VeryRestricted
* identifier[bsn].value = "999990275"
* name[0].text = "Vader van S. (pseudoniem)"
* gender = #male
* birthDate = "1971-11-20"

Instance: hv0417-mother
InstanceOf: RegiePatient
Usage: #example
Title: "Mother (pseudonym)"
* insert HV0417VeryRestricted
* identifier[bsn].value = "999990287"
* name[0].text = "Moeder van S. (pseudoniem)"
* gender = #female
* birthDate = "1975-03-09"

Instance: hv0417-brother
InstanceOf: RegiePatient
Usage: #example
Title: "Older brother (pseudonym), 22"
* insert HV0417VeryRestricted
* identifier[bsn].value = "999990299"
* name[0].text = "Broer van S. (pseudoniem)"
* gender = #male
* birthDate = "2004-01-15"

Instance: household-hv-0417
InstanceOf: RegieHousehold
Usage: #example
Title: "Household HV-0417 (pseudonymised)"
* insert HV0417VeryRestricted
* name = "Huishouden HV-0417"
* quantity = 4
* managingEntity = Reference(hv0417-org-lokaalteam)
* member[0].entity = Reference(hv0417-s)
* member[0].extension[role].valueCodeableConcept = RegieHouseholdRole#child
* member[0].extension[flag][0].valueCodeableConcept = RegieHouseholdFlag#most-vulnerable-adult
* member[0].period.end = "2026-10-03"
* member[0].inactive = true
* member[1].entity = Reference(hv0417-father)
* member[1].extension[role].valueCodeableConcept = RegieHouseholdRole#parent
* member[2].entity = Reference(hv0417-mother)
* member[2].extension[role].valueCodeableConcept = RegieHouseholdRole#parent
* member[3].entity = Reference(hv0417-brother)
* member[3].extension[role].valueCodeableConcept = RegieHouseholdRole#child

Instance: hv0417-alert-father
InstanceOf: RegieAlert
Usage: #example
Title: "Alert: the father is an alleged perpetrator"
* insert HV0417VeryRestricted
* insert SDVLabel
* status = #active
* category[0] = $flag-category#safety "Safety"
* code = RegieHouseholdFlag#alleged-perpetrator
* subject = Reference(hv0417-father)
* period.start = "2026-10-03"
* author = Reference(hv0417-org-vt)

Instance: hv0417-alert-brother
InstanceOf: RegieAlert
Usage: #example
Title: "Alert: the older brother is an alleged perpetrator"
* insert HV0417VeryRestricted
* insert SDVLabel
* status = #active
* category[0] = $flag-category#safety "Safety"
* code = RegieHouseholdFlag#alleged-perpetrator
* subject = Reference(hv0417-brother)
* period.start = "2026-10-03"
* author = Reference(hv0417-org-vt)

Instance: hv0417-danger-1
InstanceOf: RegieConcern
Usage: #example
Title: "Danger statement in her words"
* insert HV0417VeryRestricted
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* category = RegieConcernType#danger-statement
* code.text = "Ik ben bang dat mijn vader en broer me vinden, me meenemen naar het buitenland en me daar laten trouwen, of me iets aandoen omdat ik weg ben gegaan."
* subject = Reference(hv0417-s)
* recordedDate = "2026-10-20"
* asserter = Reference(hv0417-s)

Instance: hv0417-goal-safety
InstanceOf: RegieGoal
Usage: #example
Title: "Safety goal"
* insert HV0417VeryRestricted
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#safety
* lifecycleStatus = #active
* category = RegieGoalType#safety-goal
* description.text = "S. kan veilig haar opleiding afmaken en zelf kiezen met wie ze omgaat; niemand van de familie zoekt haar op zonder dat zij dat wil."
* subject = Reference(hv0417-s)
* startDate = "2026-10-20"
* expressedBy = Reference(hv0417-s)
* addresses[0] = Reference(hv0417-danger-1)

Instance: hv0417-condition-no-contact
InstanceOf: RegieGoal
Usage: #example
Title: "VT safety condition: no contact"
* insert HV0417VeryRestricted
* extension[consequence].valueString = "Veilig Thuis doet aangifte-advies aan S. en schakelt de politie in; het lokale team vraagt een straatverbod aan."
* lifecycleStatus = #active
* category = RegieGoalType#safety-condition
* description.text = "Vader en broer nemen op geen enkele manier contact op met S., ook niet via familie, vrienden of sociale media, en zoeken niet naar haar verblijfplaats."
* subject = Reference(household-hv-0417)
* startDate = "2026-10-20"
* target[0].dueDate = "2026-10-21"

Instance: hv0417-condition-passport
InstanceOf: RegieGoal
Usage: #example
Title: "VT safety condition: hand over her passport"
* insert HV0417VeryRestricted
* extension[consequence].valueString = "Veilig Thuis meldt het vasthouden van haar paspoort bij de politie als mogelijk onderdeel van huwelijksdwang."
* lifecycleStatus = #active
* category = RegieGoalType#safety-condition
* description.text = "De ouders geven het paspoort en de verblijfsdocumenten van S. af aan het lokale team."
* subject = Reference(household-hv-0417)
* startDate = "2026-10-20"
* target[0].dueDate = "2026-11-03"

Instance: hv0417-safety-plan
InstanceOf: RegieSafetyPlan
Usage: #example
Title: "Direct safety plan HV-0417"
* meta.versionId = "1"
* insert HV0417VeryRestricted
* extension[kind].valueCodeableConcept = RegieSafetyPlanKind#direct
* extension[routekaartPhase].valueCodeableConcept = RegieRoutekaartPhase#safety
* extension[dangerStatement][0].extension[statement].valueReference = Reference(hv0417-danger-1)
* extension[dangerStatement][0].extension[priority].valuePositiveInt = 1
* extension[dangerStatement][0].extension[status].valueCode = #active
* status = #active
* title = "Veiligheidsplan HV-0417"
* subject = Reference(hv0417-s)
* period.start = "2026-10-22"
* author = Reference(hv0417-pract-lt)
* addresses[+] = Reference(hv0417-danger-1)
* goal[0] = Reference(hv0417-goal-safety)
* goal[1] = Reference(hv0417-condition-no-contact)
* goal[2] = Reference(hv0417-condition-passport)
* activity[0].reference = Reference(hv0417-agreement-phone)

Instance: hv0417-safety-plan-signed
InstanceOf: RegiePlanSignature
Usage: #example
Title: "Signature on version 1 of hv0417-safety-plan"
* insert HV0417VeryRestricted
* target.reference = "CarePlan/hv0417-safety-plan/_history/1"
* recorded = "2026-10-22T15:00:00+02:00"
* agent[0].who = Reference(hv0417-s)
* signature[0].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[0].when = "2026-10-22T15:00:00+02:00"
* signature[0].who = Reference(hv0417-s)

Instance: hv0417-agreement-phone
InstanceOf: RegieAgreedAction
Usage: #example
Title: "Safety agreement: new phone, no location sharing"
* insert HV0417VeryRestricted
* basedOn = Reference(hv0417-safety-plan)
* status = #in-progress
* code = RegieAgreedActionKind#safety-agreement
* description = "S. gebruikt alleen de nieuwe telefoon, zet locatiedelen uit en deelt het nummer alleen met de opvang en haar casusregisseur."
* reasonReference = Reference(hv0417-goal-safety)
* for = Reference(hv0417-s)
* authoredOn = "2026-10-22"
* owner = Reference(hv0417-s)

Instance: hv0417-consent
InstanceOf: RegieSharingConsent
Usage: #example
Title: "Consent of S. (19) for safety planning"
Description: "She consents for herself. Her whereabouts are excluded for everyone; nothing goes to the family."
* insert HV0417VeryRestricted
* status = #active
* patient = Reference(hv0417-s)
* dateTime = "2026-10-22T15:10:00+02:00"
* performer[0] = Reference(hv0417-s)
* organization = Reference(hv0417-org-lokaalteam)
* verification[0].verified = true
* verification[0].verifiedWith = Reference(hv0417-s)
* verification[0].verificationDate = "2026-10-22T15:10:00+02:00"
* provision.period.start = "2026-10-22"
* provision.period.end = "2027-04-22"
* provision.actor[0].role = $v3-ParticipationType#IRCP
* provision.actor[0].reference = Reference(hv0417-org-lokaalteam)
* provision.actor[1].role = $v3-ParticipationType#IRCP
* provision.actor[1].reference = Reference(hv0417-org-opvang)
* provision.purpose[0] = $v3-ActReason#THREAT "threat"
* provision.class[0] = RegieDataClass#safety-plan
* provision.class[1] = RegieDataClass#agreed-actions
* provision.securityLabel[0] = $v3-Confidentiality#V "very restricted"
* provision.provision[0].type = #deny
* provision.provision[0].class[0] = RegieDataClass#address-location

Instance: hv0417-handover-document
InstanceOf: RegieHandoverDocument
Usage: #example
Title: "Handover document after Onderzoek (warm handover)"
* meta.versionId = "1"
* insert HV0417VeryRestricted
* extension[route].valueCodeableConcept = RegieHandoverRoute#after-onderzoek
* extension[reporterAnonymous].valueBoolean = true
* status = #final
* type = RegieDocumentType#handover-document
* subject = Reference(household-hv-0417)
* date = "2026-10-20T16:00:00+02:00"
* author[0] = Reference(hv0417-org-vt)
* title = "Overdracht na Onderzoek - HV-0417"
* confidentiality = #V
* custodian = Reference(hv0417-org-vt)
* section[reportContent].title = "Inhoud melding"
* section[reportContent].code = RegieHandoverSection#report-content
* section[reportContent].text.status = #generated
* section[reportContent].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Melding dat een jonge vrouw van 19 onder druk wordt gezet om in het land van herkomst te trouwen en na weigering is bedreigd door vader en broer.</p></div>"
* section[safetyAssessment].title = "Uitkomst veiligheidsbeoordeling"
* section[safetyAssessment].code = RegieHandoverSection#safety-assessment
* section[safetyAssessment].extension[vtDecision].valueCodeableConcept = RegieVtDecision#local-team
* section[safetyAssessment].extension[vtService].valueCodeableConcept = RegieVtService#onderzoek
* section[safetyAssessment].extension[unsafetyType][0].valueCodeableConcept = RegieUnsafetyType#acute
* section[safetyAssessment].extension[unsafetyType][1].valueCodeableConcept = RegieUnsafetyType#structural
* section[safetyAssessment].extension[assessedOn].valueDateTime = "2026-10-06"
* section[safetyAssessment].text.status = #generated
* section[safetyAssessment].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Acute en structurele onveiligheid (eergerelateerd geweld, dreiging met huwelijksdwang). S. is in veiligheid gebracht. Casuszwaarte zwaar.</p></div>"
* section[safetyConditions].title = "Veiligheidsvoorwaarden"
* section[safetyConditions].code = RegieHandoverSection#safety-conditions
* section[safetyConditions].entry[0] = Reference(hv0417-condition-no-contact)
* section[safetyConditions].entry[1] = Reference(hv0417-condition-passport)
* section[safetyConditions].text.status = #generated
* section[safetyConditions].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Geen enkel contact van vader en broer met S.; paspoort en verblijfsdocumenten afgeven vóór 3 november.</p></div>"
* section[vtJudgement].title = "Oordeel Veilig Thuis"
* section[vtJudgement].code = RegieHandoverSection#vt-judgement
* section[vtJudgement].extension[judgement].valueCodeableConcept = RegieVtJudgement#abuse-established
* section[vtJudgement].text.status = #generated
* section[vtJudgement].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Na onderzoek stelt Veilig Thuis vast dat er sprake is van eergerelateerd geweld en dreiging met huwelijksdwang.</p></div>"
* section[consequences].title = "Consequenties"
* section[consequences].code = RegieHandoverSection#consequences
* section[consequences].text.status = #generated
* section[consequences].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Bij schending van de voorwaarden volgen aangifte-advies, inschakeling van de politie en een straatverbod.</p></div>"
* section[planAgreements].title = "Afspraken over plannen"
* section[planAgreements].code = RegieHandoverSection#plan-agreements
* section[planAgreements].text.status = #generated
* section[planAgreements].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Het lokale team maakt binnen een week met S. en de opvang het veiligheidsplan, met de specialist eergerelateerd geweld van Veilig Thuis.</p></div>"
* section[monitoringAgreements].title = "Afspraken over monitoring"
* section[monitoringAgreements].code = RegieHandoverSection#monitoring-agreements
* section[monitoringAgreements].text.status = #generated
* section[monitoringAgreements].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Veilig Thuis monitort na 3 en 12 maanden of de voorwaarden worden nageleefd en of de veiligheid stabiel is.</p></div>"

Instance: hv0417-handover
InstanceOf: RegieHandover
Usage: #example
Title: "Warm handover VT -> local team (accepted)"
* insert HV0417VeryRestricted
* extension[route].valueCodeableConcept = RegieHandoverRoute#after-onderzoek
* extension[caseWeight].valueCodeableConcept = RegieCaseWeight#zwaar
* extension[reportDate].valueDateTime = "2026-10-01T08:45:00+02:00"
* status = #accepted
* code = RegieTaskType#handover
* priority = #asap
* focus.reference = "Composition/hv0417-handover-document/_history/1"
* executionPeriod.start = "2026-10-20T16:32:05+02:00"
* output[acceptedDocument].type = RegieHandoverOutput#accepted-document
* output[acceptedDocument].valueReference.reference = "Composition/hv0417-handover-document/_history/1"
* for = Reference(household-hv-0417)
* authoredOn = "2026-10-20T16:05:00+02:00"
* requester = Reference(hv0417-org-vt)
* owner = Reference(hv0417-org-lokaalteam)

Instance: hv0417-disclosure-handover
InstanceOf: RegieDisclosure
Usage: #example
Title: "Disclosure of the handover to the local team"
* insert HV0417VeryRestricted
* extension[basis].extension[legal-basis].valueCodeableConcept = RegieLegalBasis#vt-statutory-task
* extension[basis].extension[justification].valueString = "Wettelijke taak Veilig Thuis: na Onderzoek wordt het vervolg belegd bij het lokale team; alleen wat nodig is voor het veiligheidsplan wordt gedeeld."
* extension[basis].extension[inform-household].valueBoolean = true
* type = $dicom#110106 "Export"
* subtype[lifecycle] = $iso-21089-lifecycle#disclose "Disclose Record Lifecycle Event"
* action = #R
* recorded = "2026-10-20T16:05:12+02:00"
* outcome = #0
* purposeOfEvent = RegieSharingPurpose#handover
* agent[discloser].type = $v3-ParticipationType#CST
* agent[discloser].who = Reference(hv0417-org-vt)
* agent[discloser].requestor = true
* agent[recipient].type = $v3-ParticipationType#IRCP
* agent[recipient].who = Reference(hv0417-org-lokaalteam)
* agent[recipient].requestor = false
* source.observer = Reference(hv0417-org-vt)
* entity[0].what = Reference(hv0417-handover-document)
* entity[0].extension[redaction][0].extension[path].valueString = "Patient.address"
* entity[0].extension[redaction][0].extension[reason].valueString = "De verblijfplaats in de opvang wordt nooit gedeeld."
* entity[1].what = Reference(hv0417-condition-no-contact)
* entity[2].what = Reference(hv0417-condition-passport)

// --------------------------------------------------- the team, her plan, and how safe she feels
Instance: hv0417-careteam
InstanceOf: RegieCareTeam
Usage: #example
Title: "Team around S. (pseudonymised)"
* insert HV0417VeryRestricted
* status = #active
* name = "Team rond S."
* subject = Reference(hv0417-s)
* period.start = "2026-10-22"
* managingOrganization = Reference(hv0417-org-lokaalteam)
* participant[0].role[0] = RegieRole#casusregisseur
* participant[0].role[1] = RegieRole#procesregisseur
* participant[0].member = Reference(hv0417-pract-lt)
* participant[0].onBehalfOf = Reference(hv0417-org-lokaalteam)
* participant[0].period.start = "2026-10-22"
* participant[1].role[0] = RegieRole#professional
* participant[1].member = Reference(hv0417-pract-vt)
* participant[1].onBehalfOf = Reference(hv0417-org-vt)
* participant[1].period.start = "2026-10-22"
* participant[1].period.end = "2027-01-20"
* participant[2].role[0] = RegieRole#professional
* participant[2].member = Reference(hv0417-org-opvang)

Instance: hv0417-strength-school
InstanceOf: RegieStrength
Usage: #example
Title: "Strength: she keeps going to school"
* insert HV0417VeryRestricted
* extension[lifeDomain].valueCodeableConcept = RegieLifeDomain#education
* status = #final
* code = RegieObservationType#strength
* subject = Reference(hv0417-s)
* effectiveDateTime = "2026-10-22T14:30:00+02:00"
* performer[0] = Reference(hv0417-s)
* valueString = "S. gaat elke dag naar haar opleiding (mbo verpleegkunde, tweede jaar) en heeft daar een mentor die ze vertrouwt."

Instance: hv0417-support-plan
InstanceOf: RegieSupportPlan
Usage: #example
Title: "Support plan of S. (pseudonymised)"
* meta.versionId = "1"
* insert HV0417VeryRestricted
* extension[phase].valueCodeableConcept = Regie1g1p1rPhase#progress
* extension[responsibility][0].extension[area].valueCoding = RegieResponsibilityArea#execution
* extension[responsibility][0].extension[statement].valueString = "S., de opvang en de casusregisseur voeren de afspraken uit die op hun naam staan."
* extension[responsibility][1].extension[area].valueCoding = RegieResponsibilityArea#day-to-day-direction
* extension[responsibility][1].extension[statement].valueString = "De casusregisseur van het jeugd- en gezinsteam houdt dagelijks de regie en zicht op de veiligheid van S."
* extension[responsibility][2].extension[area].valueCoding = RegieResponsibilityArea#facilitating-cooperation
* extension[responsibility][2].extension[statement].valueString = "De casusregisseur is ook procesregisseur en zorgt dat opvang, Veilig Thuis en school samenwerken."
* extension[responsibility][3].extension[area].valueCoding = RegieResponsibilityArea#resolving-stagnation
* extension[responsibility][3].extension[statement].valueString = "Lopen afspraken vast, dan lost de procesregisseur dat op, zo nodig met de aandachtsfunctionaris van Veilig Thuis."
* extension[nextMeeting].valueDateTime = "2026-12-03T10:00:00+01:00"
* status = #active
* title = "Plan van S."
* description = "Eerst veilig wonen en haar opleiding afmaken; later, als zij dat wil, kijken naar contact met haar moeder."
* subject = Reference(hv0417-s)
* period.start = "2026-10-22"
* created = "2026-10-22"
* author = Reference(hv0417-pract-lt)
* careTeam = Reference(hv0417-careteam)
* addresses[0] = Reference(hv0417-danger-1)
* supportingInfo[0] = Reference(hv0417-strength-school)
* goal[0] = Reference(hv0417-goal-safety)
* activity[0].reference = Reference(hv0417-agreement-phone)

RuleSet: HV0417Score(when, who, score)
* insert HV0417VeryRestricted
* status = #final
* code = RegieObservationType#safety-scale-score
* subject = Reference(hv0417-s)
* focus = Reference(hv0417-danger-1)
* basedOn = Reference(hv0417-safety-plan)
* effectiveDateTime = {when}
* performer = Reference({who})
* valueInteger = {score}

Instance: hv0417-support-plan-signed
InstanceOf: RegiePlanSignature
Usage: #example
Title: "Signature on version 1 of hv0417-support-plan"
* insert HV0417VeryRestricted
* target.reference = "CarePlan/hv0417-support-plan/_history/1"
* recorded = "2026-10-22T15:00:00+02:00"
* agent[0].who = Reference(hv0417-s)
* signature[0].type = urn:iso-astm:E1762-95:2013#1.2.840.10065.1.12.1.7 "Consent Signature"
* signature[0].when = "2026-10-22T15:00:00+02:00"
* signature[0].who = Reference(hv0417-s)

Instance: hv0417-score-oct22
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score by S., 22 October: 3"
* insert HV0417Score("2026-10-22T15:00:00+02:00", hv0417-s, 3)

Instance: hv0417-score-nov19
InstanceOf: RegieSafetyScaleScore
Usage: #example
Title: "Score by S., 19 November: 6"
* insert HV0417Score("2026-11-19T10:30:00+01:00", hv0417-s, 6)
* note[0].text = "Vader en broer hebben vier weken geen contact gezocht, ook niet via haar nichten. Ze heeft haar paspoort terug en slaapt weer door."

// --------------------------------------------------- notified pull and the terms it started
Instance: hv0417-handover-notification
InstanceOf: RegieHandoverNotification
Usage: #example
Title: "Notification on the local team's server: the handover was pulled and taken in"
Description: "Veilig Thuis left this on the local team's server; it points to the workflow Task on Veilig Thuis's own server by address and version and carries nothing of the case."
* insert HV0417VeryRestricted
* identifier[0].system = "https://fhir-regie.nl/fhir/NamingSystem/handover-notification"
* identifier[0].value = "2f4c1e0a-6b7d-5c39-9a51-0e8d3b6f7a12"
* status = #completed
* businessStatus.text = "Opgehaald en opgenomen door het jeugd- en gezinsteam"
* code = RegieTaskType#handover-notification
* focus.type = "Task"
* focus.identifier.system = "urn:ietf:rfc:3986"
* focus.identifier.value = "https://fhir.veiligthuis-haaglanden.example/fhir/Task/hv0417-handover/_history/1"
* authoredOn = "2026-10-20T16:05:30+02:00"
* lastModified = "2026-10-20T16:31:40+02:00"
* requester.type = "Organization"
* requester.identifier.system = $ura
* requester.identifier.value = "90022110"
* requester.display = "Veilig Thuis Haaglanden"
* owner.type = "Organization"
* owner.identifier.system = $oin
* owner.identifier.value = "00000001812345670000"
* owner.display = "Jeugd- en gezinsteam Laak"
* output[0].type.text = "Opgenomen overdracht"
* output[0].valueReference = Reference(hv0417-handover)

Instance: hv0417-deadline-first-contact
InstanceOf: RegieDeadline
Usage: #example
Title: "Deadline: first contact by the local team (acute: immediately, the next calendar day at the latest), met"
* insert HV0417VeryRestricted
* basedOn = Reference(hv0417-handover)
* status = #completed
* code = RegieDeadlineRule#local-team-first-contact
* description = "Het lokale team neemt contact op met het huishouden (acute onveiligheid: binnen 1 dag)"
* for = Reference(household-hv-0417)
* authoredOn = "2026-10-20T16:32:05+02:00"
* requester = Reference(hv0417-org-vt)
* owner = Reference(hv0417-org-lokaalteam)
* reasonCode[0].text = "Regio Haaglanden: local_team.first_contact_acute_days = 1"
* restriction.period.start = "2026-10-20"
* restriction.period.end = "2026-10-21"
* executionPeriod.end = "2026-10-20"

Instance: hv0417-deadline-monitoring-3
InstanceOf: RegieDeadline
Usage: #example
Title: "Deadline: Veilig Thuis monitoring after 3 months"
* insert HV0417VeryRestricted
* basedOn = Reference(hv0417-handover)
* status = #requested
* code = RegieDeadlineRule#vt-monitoring
* description = "Veilig Thuis monitort 3 maanden na zijn dienst of de voorwaarden worden nageleefd en de veiligheid blijft"
* for = Reference(household-hv-0417)
* authoredOn = "2026-10-20T16:32:05+02:00"
* requester = Reference(hv0417-org-lokaalteam)
* owner = Reference(hv0417-org-vt)
* reasonCode[0].text = "Regio Haaglanden: monitoring.moments_months = 3, 12"
* restriction.period.start = "2026-10-20"
* restriction.period.end = "2027-01-20"
