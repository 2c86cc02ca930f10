// Household and network: Patient, RelatedPerson, Group (household), CareTeam.

Profile: RegiePatient
Parent: Patient
Id: regie-patient
Title: "Regie Patient"
Description: "A person who receives support as a member of a household (klant), of any age, including an unborn child. Identified by BSN where known; the birth date drives the consent rules."
* insert RegieProfile
* ^purpose = "Record each member of the household as a client with a verified BSN and a birth date, because who may consent for whom depends on age."
* . ^short = "Client: member of a supported household"
* insert DutchShort(Cliënt: lid van een ondersteund huishouden)
* obeys rg-pat-1
* extension contains RegieExpectedBirthDateExt named expectedBirthDate 0..1 MS
* extension contains RegieParentalAuthorityExt named parentalAuthority 0..* MS
* identifier MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "Slice on the identifier system; BSN is the national citizen service number."
* identifier contains bsn 0..1 MS
* identifier[bsn] ^short = "Citizen service number (BSN)"
* identifier[bsn] obeys rg-bsn-1
* identifier[bsn].system 1..1
* identifier[bsn].system = $bsn
* identifier[bsn].value 1..1 MS
* name 1..* MS
* telecom MS
* gender MS
* birthDate MS
* birthDate ^short = "Date of birth (required except for an unborn child, see rg-pat-1)"
* address MS
* generalPractitioner MS
* managingOrganization MS

Invariant: rg-bsn-1
Description: "A BSN is nine digits and passes the eleven-check (9*d1 + 8*d2 + ... + 2*d8 - d9 is divisible by 11, and not all zeros)."
Severity: #error
Expression: "value.exists() implies (value.matches('^[0-9]{9}$') and value != '000000000' and ((value.substring(0,1).toInteger() * 9 + value.substring(1,1).toInteger() * 8 + value.substring(2,1).toInteger() * 7 + value.substring(3,1).toInteger() * 6 + value.substring(4,1).toInteger() * 5 + value.substring(5,1).toInteger() * 4 + value.substring(6,1).toInteger() * 3 + value.substring(7,1).toInteger() * 2 - value.substring(8,1).toInteger()) mod 11 = 0))"

Invariant: rg-pat-1
Description: "A client has a birth date; only an unborn child carries an expected birth date instead."
Severity: #error
Expression: "birthDate.exists() or extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-expected-birth-date').exists()"


Profile: RegieRelatedPerson
Parent: RelatedPerson
Id: regie-related-person
Title: "Regie Related Person"
Description: "A member of the household's informal network (family, friends, neighbours, club, church): how they relate, what kind of support they give and how much they know of the concerns."
* insert RegieProfile
* ^purpose = "Make the informal network visible in the plan: who supports the household, in what way, and who knows about the concerns, so safety agreements can lean on people who know."
* . ^short = "Informal network member"
* insert DutchShort(Lid van het sociaal netwerk)
* extension contains
    RegieSupportKindExt named supportKind 0..* MS and
    RegieConcernKnowledgeExt named concernKnowledge 0..1 MS
* active MS
* patient only Reference(RegiePatient)
* patient MS
* relationship 1..* MS
* name 1..* MS
* telecom MS
* address MS


Profile: RegieHousehold
Parent: Group
Id: regie-household
Title: "Regie Household"
Description: "The household (huishouden, gezin) that gets one plan: a group of persons, each with a role in the household and, where known, a flag for the most vulnerable adult. The alleged perpetrator is marked with a regie-alert Flag on the person, not here (since 0.2)."
* insert RegieProfile
* ^purpose = "One household, one plan: the unit of support is the household, so plans, actions and safety scores can have the household as their subject."
* . ^short = "Household that gets one plan"
* insert DutchShort(Huishouden met één plan)
* type = #person
* actual = true
* code 1..1 MS
* code = RegieGroupType#household
* name MS
* quantity MS
* managingEntity MS
* member MS
* member.extension contains
    RegieHouseholdRoleExt named role 1..1 MS and
    RegieHouseholdFlagExt named flag 0..* MS
* member.entity only Reference(RegiePatient)
* member.entity MS
* member.period MS
* member.inactive MS


Profile: RegieAlert
Parent: Flag
Id: regie-alert
Title: "Regie Alert"
Description: "An alert about one person, modelled like nl-core-Alert (zib Alert on Flag): today the mark that this person is the alleged perpetrator (vermoedelijke pleger) of the violence or abuse in the household. The mark is a resource of its own, labelled SDV, so that it can be withheld on its own: the disclosure guard reads it to shield victims, and lets it go only where the basis names SDV and never to the alleged perpetrator's side. Must-support: a sender that knows the mark sends it as this Flag; a receiver stores it, shows it to its professionals and applies the shielding rules (docs/ig/household.md)."
* insert RegieProfile
* ^purpose = "Keep the alleged perpetrator mark out of the household record itself (Group.member), so it carries its own sensitivity label, has its own period and author, and can be withheld or corrected without touching the household."
* . ^short = "Alert about a person (alleged perpetrator)"
* insert DutchShort(Signalering over een persoon (vermoedelijke pleger\))
* insert DomesticViolenceSensitive
* status MS
* status ^short = "active while the mark holds; inactive when it is lifted; entered-in-error when it was wrong"
* category 1..* MS
* category = $flag-category#safety
* code MS
* code from RegieAlertCodeVS (required)
* subject MS
* subject only Reference(RegiePatient)
* subject ^short = "The person the mark is about"
* period MS
* period.start MS
* author MS
* author only Reference(Organization or Practitioner or PractitionerRole)

Invariant: rg-sdv-1
Description: "Domestic-violence and meldcode data carry the HL7 v3 ActCode sensitivity label SDV in meta.security."
Severity: #error
Expression: "meta.security.where(system = 'http://terminology.hl7.org/CodeSystem/v3-ActCode' and code = 'SDV').exists()"


Profile: RegieCareTeam
Parent: CareTeam
Id: regie-care-team
Title: "Regie Care Team"
Description: "Everyone involved with the household, formal and informal, with their 1G1P1R role: procesregisseur, casusregisseur, safety planner, safety person, chair of network meetings, and others."
* insert RegieProfile
* ^purpose = "Show who does what around the household and guarantee one process coordinator at a time."
* . ^short = "Team around the household"
* insert DutchShort(Team rond het huishouden)
* obeys rg-ctm-1
* status MS
* name MS
* subject only Reference(RegieHousehold or RegiePatient)
* subject MS
* period MS
* participant 1..* MS
* participant.role 1..* MS
* participant.role from RegieRoleVS (extensible)
* participant.member 1..1 MS
* participant.member only Reference(RegiePatient or RegieRelatedPerson or Practitioner or PractitionerRole or Organization)
* participant.onBehalfOf MS
* participant.period MS
* managingOrganization MS

Invariant: rg-ctm-1
Description: "At most one active procesregisseur (a participant with that role and no end to its period)."
Severity: #error
Expression: "participant.where(role.coding.where(system = 'https://fhir-regie.nl/fhir/CodeSystem/regie-role' and code = 'procesregisseur').exists() and period.end.empty()).count() <= 1"
