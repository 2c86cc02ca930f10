// Aliases for external code systems and naming systems used across the profiles.
Alias: $bsn = http://fhir.nl/fhir/NamingSystem/bsn
Alias: $ura = http://fhir.nl/fhir/NamingSystem/ura
Alias: $agb = http://fhir.nl/fhir/NamingSystem/agb-z
Alias: $v3-Confidentiality = http://terminology.hl7.org/CodeSystem/v3-Confidentiality
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $v3-ParticipationType = http://terminology.hl7.org/CodeSystem/v3-ParticipationType
Alias: $consentscope = http://terminology.hl7.org/CodeSystem/consentscope
Alias: $v3-ObservationValue = http://terminology.hl7.org/CodeSystem/v3-ObservationValue
Alias: $flag-category = http://terminology.hl7.org/CodeSystem/flag-category
