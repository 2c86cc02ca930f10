// Aliases for external code systems and naming systems used across the profiles.
Alias: $bsn = http://fhir.nl/fhir/NamingSystem/bsn
Alias: $ura = http://fhir.nl/fhir/NamingSystem/ura
Alias: $agb = http://fhir.nl/fhir/NamingSystem/agb-z
Alias: $v3-Confidentiality = http://terminology.hl7.org/CodeSystem/v3-Confidentiality
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $v3-ParticipationType = http://terminology.hl7.org/CodeSystem/v3-ParticipationType
Alias: $consentscope = http://terminology.hl7.org/CodeSystem/consentscope
Alias: $v3-ActReason = http://terminology.hl7.org/CodeSystem/v3-ActReason
Alias: $dicom = http://dicom.nema.org/resources/ontology/DCM
Alias: $iso-21089-lifecycle = http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle
Alias: $uri = urn:ietf:rfc:3986
Alias: $kvk = http://fhir.nl/fhir/NamingSystem/kvk
Alias: $oin = https://fhir-regie.nl/fhir/NamingSystem/oin
Alias: $v3-ObservationValue = http://terminology.hl7.org/CodeSystem/v3-ObservationValue
Alias: $flag-category = http://terminology.hl7.org/CodeSystem/flag-category
