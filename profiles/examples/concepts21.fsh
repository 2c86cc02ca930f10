// Examples of issue 21's concepts: parental authority, the report received by Veilig Thuis, a
// guardian. The De Vries and HV-0417 cases carry organisation kinds and assessment dates in
// their own files; the rule sets here keep those additions to one line each.

// Joint parental authority of two parents over a child, since the child's birth.
RuleSet: JointAuthority(first, second, since)
* extension[parentalAuthority][+].extension[holder].valueReference = Reference({first})
* extension[parentalAuthority][=].extension[kind].valueCodeableConcept = RegieAuthorityKind#parental-authority
* extension[parentalAuthority][=].extension[period].valuePeriod.start = "{since}"
* extension[parentalAuthority][+].extension[holder].valueReference = Reference({second})
* extension[parentalAuthority][=].extension[kind].valueCodeableConcept = RegieAuthorityKind#parental-authority
* extension[parentalAuthority][=].extension[period].valuePeriod.start = "{since}"

Instance: devries-report
InstanceOf: RegieReport
Usage: #example
Title: "Report from Lotte's school to Veilig Thuis"
* extension[reporterAnonymous].valueBoolean = false
* identifier[0].system = "https://fhir-regie.nl/fhir/NamingSystem/example-vt-case"
* identifier[0].value = "VTGM-2026-08813-M1"
* status = #completed
* category = RegieReportKind#report
* medium = RegieReportChannel#phone
* subject = Reference(household-de-vries)
* about[0] = Reference(devries-lotte)
* about[1] = Reference(devries-daan)
* about[2] = Reference(devries-sanne)
* received = "2026-09-16T11:20:00+02:00"
* recipient = Reference(devries-org-vt)
* sender = Reference(devries-pract-hendriks)
* payload[0].contentString = "De leerkracht van Lotte belt: Lotte vertelde vanochtend in de kring dat papa en mama elkaar hadden geduwd en dat Daan ertussen sprong. Lotte is de laatste weken stil en moe. De school heeft dit met moeder besproken; zij weet dat de school Veilig Thuis belt."

Instance: example-org-gi
InstanceOf: Organization
Usage: #example
Title: "Certified youth-protection institution (guardian)"
* type = RegieOrganisationKind#gi
* identifier[0].system = $ura
* identifier[0].value = "90009911"
* active = true
* name = "Jeugdbescherming Gelderland"

Instance: example-child-guardianship
InstanceOf: RegiePatient
Usage: #example
Title: "A child under guardianship of a certified institution"
* extension[parentalAuthority][0].extension[holder].valueReference = Reference(example-org-gi)
* extension[parentalAuthority][0].extension[kind].valueCodeableConcept = RegieAuthorityKind#guardianship
* extension[parentalAuthority][0].extension[period].valuePeriod.start = "2025-03-12"
* identifier[bsn].value = "999990445"
* name[0].family = "Bos"
* name[0].given[0] = "Milan"
* gender = #male
* birthDate = "2016-08-30"
