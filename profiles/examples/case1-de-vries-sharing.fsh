// Case 1, sharing — who else around the De Vries family asks for information, so the consent
// engine has real cases to decide: youth health care (JGZ) follows Lotte, and Mark has started
// with addiction care, an organisation that serves only him (the alleged perpetrator). Sanne
// agreed that the addiction care may know the safety agreements and even wrote down her phone
// number; the disclosure guard still never gives her contact data or address to Mark's side
// (the adversary rule), whatever this consent says.

Instance: devries-org-jgz
InstanceOf: Organization
Usage: #example
Title: "Jeugdgezondheidszorg Gelderland-Midden, team Arnhem-Noord"
* identifier[0].system = $ura
* identifier[0].value = "90007901"
* active = true
* name = "Jeugdgezondheidszorg Gelderland-Midden, team Arnhem-Noord"

Instance: devries-org-verslavingszorg
InstanceOf: Organization
Usage: #example
Title: "Verslavingszorg Rijnstroom, locatie Arnhem"
* identifier[0].system = $ura
* identifier[0].value = "90008123"
* active = true
* name = "Verslavingszorg Rijnstroom, locatie Arnhem"

Instance: devries-careteam-mark
InstanceOf: RegieCareTeam
Usage: #example
Title: "Addiction care around Mark"
Description: "A team about Mark alone: the addiction care serves him, not the household."
* status = #active
* name = "Behandelteam verslavingszorg Mark de Vries"
* subject = Reference(devries-mark)
* period.start = "2026-11-02"
* managingOrganization = Reference(devries-org-verslavingszorg)
* participant[0].role[0] = RegieRole#professional
* participant[0].member = Reference(devries-org-verslavingszorg)
* participant[0].period.start = "2026-11-02"

Instance: devries-consent-lotte-jgz
InstanceOf: RegieSharingConsent
Usage: #example
Title: "Consent: youth health care views Lotte's safety plan"
Description: "Lotte is 7: both parents with authority consent. The JGZ doctor sees Lotte at school and may see her safety plan, the agreements, the scores and health data."
* status = #active
* patient = Reference(devries-lotte)
* dateTime = "2026-10-08T16:05:00+02:00"
* performer[0] = Reference(devries-sanne)
* performer[1] = Reference(devries-mark)
* organization = Reference(devries-org-wijkteam)
* verification[0].verified = true
* verification[0].verifiedWith = Reference(devries-sanne)
* verification[0].verificationDate = "2026-10-08T16:05:00+02:00"
* provision.period.start = "2026-10-08"
* provision.period.end = "2027-10-08"
* provision.actor[0].role = $v3-ParticipationType#IRCP
* provision.actor[0].reference = Reference(devries-org-jgz)
* provision.purpose[0] = RegieSharingPurpose#shared-plan-view
* provision.class[0] = RegieDataClass#safety-plan
* provision.class[1] = RegieDataClass#agreed-actions
* provision.class[2] = $uri#https://fhir-regie.nl/fhir/StructureDefinition/regie-safety-scale-score "Regie Safety Scale Score"
* provision.class[3] = RegieDataClass#health-data

Instance: devries-consent-mark
InstanceOf: RegieSharingConsent
Usage: #example
Title: "Consent: Mark shares his plan with the addiction care"
Description: "Mark (39) consents for himself: the addiction care may know the household, the plans and his agreements, including his health data."
* status = #active
* patient = Reference(devries-mark)
* dateTime = "2026-11-02T10:00:00+01:00"
* performer[0] = Reference(devries-mark)
* organization = Reference(devries-org-wijkteam)
* verification[0].verified = true
* verification[0].verifiedWith = Reference(devries-mark)
* verification[0].verificationDate = "2026-11-02T10:00:00+01:00"
* provision.period.start = "2026-11-02"
* provision.period.end = "2027-05-02"
* provision.actor[0].role = $v3-ParticipationType#IRCP
* provision.actor[0].reference = Reference(devries-org-verslavingszorg)
* provision.purpose[0] = $v3-ActReason#COC "coordination of care"
* provision.class[0] = RegieDataClass#household-composition
* provision.class[1] = RegieDataClass#support-plan
* provision.class[2] = RegieDataClass#safety-plan
* provision.class[3] = RegieDataClass#agreed-actions
* provision.class[4] = RegieDataClass#health-data

Instance: devries-consent-sanne-verslavingszorg
InstanceOf: RegieSharingConsent
Usage: #example
Title: "Consent: Sanne lets the addiction care know the safety agreements"
Description: "Sanne (36) consents for herself, including her contact details and address; the adversary rule of the disclosure guard withholds those from an organisation that serves only Mark."
* status = #active
* patient = Reference(devries-sanne)
* dateTime = "2026-11-02T10:15:00+01:00"
* performer[0] = Reference(devries-sanne)
* organization = Reference(devries-org-wijkteam)
* verification[0].verified = true
* verification[0].verifiedWith = Reference(devries-sanne)
* verification[0].verificationDate = "2026-11-02T10:15:00+01:00"
* provision.period.start = "2026-11-02"
* provision.period.end = "2027-05-02"
* provision.actor[0].role = $v3-ParticipationType#IRCP
* provision.actor[0].reference = Reference(devries-org-verslavingszorg)
* provision.purpose[0] = $v3-ActReason#COC "coordination of care"
* provision.class[0] = RegieDataClass#household-composition
* provision.class[1] = RegieDataClass#contact-details
* provision.class[2] = RegieDataClass#address-location
* provision.class[3] = RegieDataClass#safety-plan
* provision.class[4] = RegieDataClass#agreed-actions
