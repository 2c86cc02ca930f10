// Shared metadata for every profile and extension of the guide.

// Metadata of a profile: purpose line plus a Dutch and an English short description of the root
// element. The Dutch text is carried as a core `translation` extension on the English short, so
// tools that do not know Dutch still show a meaningful label.
RuleSet: RegieProfile(purpose, en, nl)
* ^status = #draft
* ^experimental = false
* ^publisher = "fhir-regie"
* ^jurisdiction = urn:iso:std:iso:3166#NL "Netherlands"
* ^purpose = {purpose}
* . ^short = {en}
* . ^short.extension[0].url = "http://hl7.org/fhir/StructureDefinition/translation"
* . ^short.extension[0].extension[0].url = "lang"
* . ^short.extension[0].extension[0].valueCode = #nl
* . ^short.extension[0].extension[1].url = "content"
* . ^short.extension[0].extension[1].valueString = {nl}

RuleSet: RegieExtension(en, nl)
* ^status = #draft
* ^experimental = false
* ^publisher = "fhir-regie"
* ^jurisdiction = urn:iso:std:iso:3166#NL "Netherlands"
* . ^short = {en}
* . ^short.extension[0].url = "http://hl7.org/fhir/StructureDefinition/translation"
* . ^short.extension[0].extension[0].url = "lang"
* . ^short.extension[0].extension[0].valueCode = #nl
* . ^short.extension[0].extension[1].url = "content"
* . ^short.extension[0].extension[1].valueString = {nl}

// A coded simple extension bound (required) to one of the guide's value sets.
RuleSet: CodedValue(valueset)
* value[x] 1..1
* value[x] only CodeableConcept
* value[x] from {valueset} (required)
