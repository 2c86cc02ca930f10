// Search parameters the flows rely on that R4 core does not define (docs/ig/actors.md).
// Each is a plain FHIRPath a stock server can index; the CapabilityStatements name them.

RuleSet: RegieSearchParameter(code, base, type)
* status = #active
* experimental = false
* publisher = "fhir-regie"
* jurisdiction = urn:iso:std:iso:3166#NL "Netherlands"
* date = "2026-12-03"
* code = #{code}
* base = #{base}
* type = #{type}

Instance: regie-careplan-household
InstanceOf: SearchParameter
Usage: #definition
Title: "CarePlan: the household the plan is for"
* insert RegieSearchParameter(household, CarePlan, reference)
* url = "https://fhir-regie.nl/fhir/SearchParameter/regie-careplan-household"
* name = "RegieCarePlanHousehold"
* description = "A household's plans (support plan and safety plan): the CarePlans whose subject is the household Group. `CarePlan?household=Group/{id}`; chained on the Group's members, `CarePlan?household.member=Patient/{id}` finds the plans of a member's household (as `CarePlan?subject:Group.member=Patient/{id}` does)."
* chain[0] = "member"
* expression = "CarePlan.subject.where(resolve() is Group)"
* xpathUsage = #normal
* target = #Group

Instance: regie-task-handover-status
InstanceOf: SearchParameter
Usage: #definition
Title: "Task: status of a handover"
* insert RegieSearchParameter(handover-status, Task, token)
* url = "https://fhir-regie.nl/fhir/SearchParameter/regie-task-handover-status"
* name = "RegieTaskHandoverStatus"
* description = "Handovers by status: the status of Tasks whose code is the handover task type (Veilig Thuis's workflow Task). `Task?handover-status=requested`."
* expression = "Task.where(code.coding.where(system = 'https://fhir-regie.nl/fhir/CodeSystem/regie-task-type' and code = 'handover').exists()).status"
* xpathUsage = #normal

Instance: regie-task-handover-route
InstanceOf: SearchParameter
Usage: #definition
Title: "Task: route of a handover"
* insert RegieSearchParameter(handover-route, Task, token)
* url = "https://fhir-regie.nl/fhir/SearchParameter/regie-task-handover-route"
* name = "RegieTaskHandoverRoute"
* description = "Handovers by route (the regie-handover-route extension): `Task?handover-route=https://fhir-regie.nl/fhir/CodeSystem/regie-handover-route|{code}`."
* expression = "Task.extension.where(url = 'https://fhir-regie.nl/fhir/StructureDefinition/regie-handover-route').value"
* xpathUsage = #normal
