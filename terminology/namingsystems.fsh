// The identifier systems this guide defines (one NamingSystem each). BSN, URA, AGB and KvK are
// not here: they live in the Dutch fhir.nl namespace (http://fhir.nl/fhir/NamingSystem/...), and
// the guide uses those. The OIN has no URI there (December 2026), so the guide defines one.
// R4 NamingSystems have no url: each is known by its uniqueId (the identifier system).

RuleSet: RegieNamingSystem(id)
* status = #active
* kind = #identifier
* date = "2026-12-03"
* publisher = "fhir-regie"
* jurisdiction = urn:iso:std:iso:3166#NL "Netherlands"
* uniqueId[0].type = #uri
* uniqueId[0].value = "https://fhir-regie.nl/fhir/NamingSystem/{id}"
* uniqueId[0].preferred = true

Instance: handover-notification
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(handover-notification)
* name = "RegieHandoverNotification"
* responsible = "Veilig Thuis"
* description = "Handover notification: The identifier Veilig Thuis gives the notification Task it leaves on the local team's server for one handover (docs/handover.md); the local team finds a repeated notification by it."

Instance: vt-registratie-dossier
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(vt-registratie-dossier)
* name = "RegieVtRegistratieDossier"
* responsible = "Veilig Thuis"
* description = "Veilig Thuis registration: case file number: The case file (dossier) number of Veilig Thuis's registration system, as the vt-registratie partner mapping carries it onto the household and the handover."

Instance: vt-registratie-condition
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(vt-registratie-condition)
* name = "RegieVtRegistratieCondition"
* responsible = "Veilig Thuis"
* description = "Veilig Thuis registration: safety condition number: The number of a safety condition (voorwaarde) in Veilig Thuis's registration system."

Instance: vt-registratie-team
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(vt-registratie-team)
* name = "RegieVtRegistratieTeam"
* responsible = "Veilig Thuis"
* description = "Veilig Thuis registration: team code: The code of a Veilig Thuis team in its registration system."

Instance: gemeente-suite-client
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(gemeente-suite-client)
* name = "RegieGemeenteSuiteClient"
* responsible = "the municipality"
* description = "Municipal case system: client number: The client number of the municipal case system (the gemeente-suite partner mapping)."

Instance: gemeente-suite-household
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(gemeente-suite-household)
* name = "RegieGemeenteSuiteHousehold"
* responsible = "the municipality"
* description = "Municipal case system: household number: The household (gezin) number of the municipal case system."

Instance: gemeente-suite-plan
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(gemeente-suite-plan)
* name = "RegieGemeenteSuitePlan"
* responsible = "the municipality"
* description = "Municipal case system: plan number: The plan number of the municipal case system."

Instance: gemeente-suite-action
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(gemeente-suite-action)
* name = "RegieGemeenteSuiteAction"
* responsible = "the municipality"
* description = "Municipal case system: action number: The number of an agreed action in the municipal case system."

Instance: gemeente-suite-employee
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(gemeente-suite-employee)
* name = "RegieGemeenteSuiteEmployee"
* responsible = "the municipality"
* description = "Municipal case system: employee number: The employee number of a professional in the municipal case system."

Instance: oin
InstanceOf: NamingSystem
Usage: #definition
* insert RegieNamingSystem(oin)
* name = "RegieOin"
* responsible = "Logius (the OIN register)"
* description = "Organisatie-identificatienummer (OIN): the 20-digit number the Dutch government's OIN register (Logius) gives a government organisation, such as a municipality or one of its parts (sub-OIN). A municipality's local team that has no URA number is known by it. Defined by this guide because no URI for the OIN is published in the fhir.nl namespace; replaced by that one when it is."
