// Terminology: mappings from local codes to international code systems.

Instance: RegieHouseholdRoleToV3RoleCode
InstanceOf: ConceptMap
Usage: #definition
Title: "Household member roles to HL7 v3 RoleCode"
Description: "Maps the household member roles to HL7 v3 RoleCode personal relationship codes. Only mappings whose meaning is certain are given; the other roles are marked as unmatched."
* id = "regie-household-role-to-v3-rolecode"
* url = "https://fhir-regie.nl/fhir/ConceptMap/regie-household-role-to-v3-rolecode"
* name = "RegieHouseholdRoleToV3RoleCode"
* title = "Household member roles to HL7 v3 RoleCode"
* status = #active
* experimental = false
* description = "Maps the household member roles to HL7 v3 RoleCode personal relationship codes. Only mappings whose meaning is certain are given; the other roles are marked as unmatched."
* sourceCanonical = Canonical(RegieHouseholdRoleVS)
* targetCanonical = "http://terminology.hl7.org/ValueSet/v3-RoleCode"
* group[0].source = Canonical(RegieHouseholdRole)
* group[0].target = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
* group[0].element[0].code = #parent
* group[0].element[0].display = "Ouder"
* group[0].element[0].target[0].code = #PRN
* group[0].element[0].target[0].display = "parent"
* group[0].element[0].target[0].equivalence = #equivalent
* group[0].element[1].code = #child
* group[0].element[1].display = "Kind"
* group[0].element[1].target[0].code = #CHILD
* group[0].element[1].target[0].display = "child"
* group[0].element[1].target[0].equivalence = #equivalent
* group[0].element[2].code = #grandparent
* group[0].element[2].display = "Grootouder"
* group[0].element[2].target[0].code = #GRPRN
* group[0].element[2].target[0].display = "grandparent"
* group[0].element[2].target[0].equivalence = #equivalent
* group[0].element[3].code = #partner
* group[0].element[3].display = "Partner"
* group[0].element[3].target[0].code = #SIGOTHR
* group[0].element[3].target[0].display = "significant other"
* group[0].element[3].target[0].equivalence = #wider
* group[0].element[3].target[0].comment = "Significant other also covers persons who are important to someone without being their spouse or life partner."
* group[0].element[4].code = #carer
* group[0].element[4].display = "Verzorger"
* group[0].element[4].target[0].equivalence = #unmatched
* group[0].element[4].target[0].comment = "A carer may or may not be a relative; no single RoleCode personal relationship code covers this household role."
* group[0].element[5].code = #other
* group[0].element[5].display = "Overig"
* group[0].element[5].target[0].equivalence = #unmatched
* group[0].element[5].target[0].comment = "Other household members are not necessarily family, so family member (FAMMEMB) would not be certain."
* group[0].element[6].code = #unborn-child
* group[0].element[6].display = "Ongeboren kind"
* group[0].element[6].target[0].equivalence = #unmatched
* group[0].element[6].target[0].comment = "RoleCode has no code for an expected child."
