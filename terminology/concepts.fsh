// Terminology for issue 21's domain concepts: parental authority, the report to Veilig Thuis,
// kinds of organisation.

CodeSystem: RegieAuthorityKind
Id: regie-authority-kind
Title: "Kinds of authority over a minor"
Description: "On what footing someone holds authority (gezag) over a minor: a parent with parental authority, a guardian (voogd, a person or a certified institution), or a non-parent sharing authority with a parent. Sole or joint authority follows from how many holders are recorded for the child at a moment."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #parental-authority "Ouderlijk gezag" "A parent holds authority over the child (alone or together with the other parent)."
  * ^designation[0].language = #en
  * ^designation[0].value = "Parental authority"
* #guardianship "Voogdij" "A guardian (voogd) holds authority instead of the parents: a person or a certified youth-protection institution (GI)."
  * ^designation[0].language = #en
  * ^designation[0].value = "Guardianship"
* #joint-authority "Gezamenlijk gezag ouder en niet-ouder" "A non-parent (for example a step-parent) shares authority with a parent."
  * ^designation[0].language = #en
  * ^designation[0].value = "Joint authority of a parent and a non-parent"

ValueSet: RegieAuthorityKindVS
Id: regie-authority-kind
Title: "Kinds of authority over a minor"
Description: "All codes defined in the Kinds of authority over a minor code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieAuthorityKind

CodeSystem: RegieReportChannel
Id: regie-report-channel
Title: "Report channels"
Description: "How a report (melding) reached Veilig Thuis."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #phone "Telefonisch" "By telephone."
  * ^designation[0].language = #en
  * ^designation[0].value = "Telephone"
* #web-form "Online formulier" "Through the online report form."
  * ^designation[0].language = #en
  * ^designation[0].value = "Online form"
* #email "E-mail" "By e-mail."
  * ^designation[0].language = #en
  * ^designation[0].value = "E-mail"
* #letter "Brief" "By letter."
  * ^designation[0].language = #en
  * ^designation[0].value = "Letter"
* #in-person "Persoonlijk" "In person at Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "In person"
* #police "Zorgmelding politie" "A care report (zorgmelding) passed on by the police, including one after a restraining order."
  * ^designation[0].language = #en
  * ^designation[0].value = "Police care report"

ValueSet: RegieReportChannelVS
Id: regie-report-channel
Title: "Report channels"
Description: "All codes defined in the Report channels code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieReportChannel

CodeSystem: RegieReportKind
Id: regie-report-kind
Title: "Kinds of report to Veilig Thuis"
Description: "A first report, a repeated report about the same household (hermelding), or a report for information only (radar), which starts no safety assessment."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #report "Melding" "A report that starts a safety assessment."
  * ^designation[0].language = #en
  * ^designation[0].value = "Report"
* #re-report "Hermelding" "A new report about a household Veilig Thuis already knows; it starts a safety assessment too."
  * ^designation[0].language = #en
  * ^designation[0].value = "Repeated report"
* #radar "Radarmelding" "A report for information only: recorded, no safety assessment."
  * ^designation[0].language = #en
  * ^designation[0].value = "Information-only report"

ValueSet: RegieReportKindVS
Id: regie-report-kind
Title: "Kinds of report to Veilig Thuis"
Description: "All codes defined in the Kinds of report to Veilig Thuis code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieReportKind

CodeSystem: RegieOrganisationKind
Id: regie-organisation-kind
Title: "Kinds of organisation"
Description: "What kind of organisation an Organization is in the coordination of care and safety around a household (on Organization.type). The disclosure guard, the handover and the workflow read Veilig Thuis and the local team from it."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #vt "Veilig Thuis" "The regional advice and report centre for domestic violence and child abuse."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis (advice and report centre)"
* #local-team "Lokaal team" "The municipal (district) team that provides, organises or grants help."
  * ^designation[0].language = #en
  * ^designation[0].value = "Local team"
* #gi "Gecertificeerde instelling" "A certified youth-protection institution."
  * ^designation[0].language = #en
  * ^designation[0].value = "Certified youth-protection institution"
* #rvdk "Raad voor de Kinderbescherming" "The Child Protection Board."
  * ^designation[0].language = #en
  * ^designation[0].value = "Child Protection Board"
* #municipality "Gemeente" "The municipality (its social domain)."
  * ^designation[0].language = #en
  * ^designation[0].value = "Municipality"
* #general-practice "Huisartsenpraktijk" "A general practice."
  * ^designation[0].language = #en
  * ^designation[0].value = "General practice"
* #youth-health-care "Jeugdgezondheidszorg" "Youth health care (JGZ)."
  * ^designation[0].language = #en
  * ^designation[0].value = "Youth health care"
* #school "School" "A school or childcare."
  * ^designation[0].language = #en
  * ^designation[0].value = "School"
* #youth-care "Jeugdhulp" "A youth care provider."
  * ^designation[0].language = #en
  * ^designation[0].value = "Youth care provider"
* #addiction-care "Verslavingszorg" "An addiction care provider."
  * ^designation[0].language = #en
  * ^designation[0].value = "Addiction care"
* #mental-health-care "GGZ" "A mental health care provider."
  * ^designation[0].language = #en
  * ^designation[0].value = "Mental health care"
* #shelter "Opvang" "A shelter (women's shelter, crisis shelter)."
  * ^designation[0].language = #en
  * ^designation[0].value = "Shelter"
* #police "Politie" "The police."
  * ^designation[0].language = #en
  * ^designation[0].value = "Police"
* #other "Andere organisatie" "Another organisation."
  * ^designation[0].language = #en
  * ^designation[0].value = "Other organisation"

ValueSet: RegieOrganisationKindVS
Id: regie-organisation-kind
Title: "Kinds of organisation"
Description: "All codes defined in the Kinds of organisation code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieOrganisationKind
