// Shared metadata for every profile and extension of the guide.
//
// Invariants select extensions with extension.where(url = '...'), never extension('...'): the two
// mean the same in FHIRPath, but fhirpathpy 2.2 returns only the first match for extension(url),
// which would hide a fifth danger statement from rg-sfp-1.
// Texts are written as plain rules in each profile; only the Dutch short description goes through
// a parameter (commas and parentheses in it are escaped with a backslash, as SUSHI requires).

RuleSet: RegieProfile
* insert RegieMetadata
* . ^comment = "Must-support (MS) in this profile: a sender that has the data sends it and never invents a value for it; a receiver accepts the resource without it, and stores, shows to the professional and passes on unchanged what it gets. Which elements are must-support and which are required: docs/ig/must-support.md."

RuleSet: RegieMetadata
* ^status = #active
* ^experimental = false
* ^publisher = "fhir-regie"
* ^jurisdiction = urn:iso:std:iso:3166#NL "Netherlands"

RuleSet: RegieExtension
* insert RegieMetadata

// The Dutch short description of the root element, carried as a core `translation` extension on
// the English short, so tools that do not know Dutch still show a meaningful label.
RuleSet: DutchShort(nl)
* . ^short.extension[0].url = "http://hl7.org/fhir/StructureDefinition/translation"
* . ^short.extension[0].extension[0].url = "lang"
* . ^short.extension[0].extension[0].valueCode = #nl
* . ^short.extension[0].extension[1].url = "content"
* . ^short.extension[0].extension[1].valueString = "{nl}"

// A coded simple extension bound (required) to one of the guide's value sets.
RuleSet: CodedValue(valueset)
* value[x] 1..1
* value[x] only CodeableConcept
* value[x] from {valueset} (required)

// Domestic-violence and meldcode data carry the HL7 v3 ActCode sensitivity label SDV in
// meta.security (docs/ig/README.md, Sensitivity labels): the disclosure guard lets such a resource
// go only on a basis that names SDV (a Consent's provision.securityLabel, as IHE PCF does).
RuleSet: DomesticViolenceSensitive
* meta MS
* meta.security MS
* meta.security ^short = "Labels: SDV (domestic violence) is required here; R or V where the case needs it"
* obeys rg-sdv-1

// The SDV label on an instance (examples).
RuleSet: SDVLabel
* meta.security[+] = $v3-ActCode#SDV "sexual assault, abuse, or domestic violence information sensitivity"
