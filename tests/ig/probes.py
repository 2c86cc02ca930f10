"""Probes: examples changed to break a rule the invalid fixtures do not reach (those break the
guide's own rules, one each), so that both validators are compared on the rest too: the types a
profile allows, nested extensions, R4 core's extensible bindings, resolve() of contained
resources and Bundle entries, dom-3, codes and displays of known code systems, required bindings
without a usable coding, fullUrls, the narrative's XHTML.

Each probe names the verdict both validators must reach and, when invalid, what ours reports
(message id and FHIRPath location). They are written to a temporary folder once per test
session, validated by the same single HL7 JVM run as the examples and fixtures
(``tests/ig/conftest.py``), and compared in ``tests/ig/test_agreement.py``.

Known and accepted difference, so not a probe: a standalone CareTeam whose member is a Patient
in another file breaks ctm-1 for the HL7 runner, which resolves references between the files of
one run; ours validates one resource (or Bundle) at a time and cannot see the other file.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fhir_regie.ig import load_package, profile_url

Resource = dict[str, Any]
V3 = "http://terminology.hl7.org/CodeSystem"
REGIE = "https://fhir-regie.nl/fhir/CodeSystem"


@dataclass(frozen=True)
class Probe:
    name: str
    build: Callable[[], Resource]
    # (message id, FHIRPath location) ours must report as an error; None: valid for both
    expected: tuple[str, str] | None


def _example(reference: str) -> Resource:
    resource_type, resource_id = reference.split("/")
    return copy.deepcopy(load_package().get(resource_type, resource_id))


def _changed(reference: str, change: Callable[[Resource], object]) -> Callable[[], Resource]:
    def build() -> Resource:
        resource = _example(reference)
        change(resource)
        return resource
    return build


def _score_as(key: str, value: Any) -> Callable[[Resource], object]:
    def change(score: Resource) -> None:
        del score["valueInteger"]
        score[key] = value
    return change


def _statement_part(url: str, part: Resource | None) -> Callable[[Resource], object]:
    """Replace (or with ``part`` None: drop) a part of the plan's first danger statement;
    a part with a url it does not have yet is added."""
    def change(plan: Resource) -> None:
        statement = next(e for e in plan["extension"]
                         if e["url"] == profile_url("regie-danger-statement"))
        parts = [e for e in statement["extension"] if e["url"] != url]
        statement["extension"] = parts + ([part] if part else [])
    return change


def _marital(value: Resource) -> Callable[[Resource], object]:
    return lambda patient: patient.__setitem__("maritalStatus", value)


def _participant(member: str) -> Resource:
    return {"role": [{"coding": [{"system": f"{REGIE}/regie-role",
                                  "code": "informeel-netwerk"}]}],
            "member": {"reference": member},
            "onBehalfOf": {"reference": "Organization/devries-org-wijkteam"}}


def _contained_member(team: Resource) -> None:
    team["contained"] = [{"resourceType": "Patient", "id": "buurvrouw",
                          "name": [{"family": "Bakker", "given": ["Anja"]}]}]
    team["participant"].append(_participant("#buurvrouw"))


def _bundle_with_member() -> Resource:
    team = _example("CareTeam/devries-careteam")
    team["participant"].append(_participant("Patient/devries-sanne"))
    base = "https://fhir.gemeente-zwolle.example/fhir"
    return {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"{base}/CareTeam/devries-careteam", "resource": team},
        {"fullUrl": f"{base}/Patient/devries-sanne",
         "resource": _example("Patient/devries-sanne")}]}


def _bundle_wrong_full_url() -> Resource:
    bundle = _bundle_with_member()
    bundle["entry"][0]["resource"]["participant"].pop()
    bundle["entry"][1]["fullUrl"] = "https://fhir.gemeente-zwolle.example/fhir/Patient/other"
    return bundle


def _narrative(body: str) -> Callable[[Resource], object]:
    div = f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'
    return lambda resource: resource.__setitem__("text", {"status": "generated", "div": div})


def _safety_kind(value: Resource) -> Callable[[Resource], object]:
    return lambda plan: plan["extension"][0].__setitem__("valueCodeableConcept", value)


def _safe_object_boolean(plan: Resource) -> None:
    index = next(i for i, e in enumerate(plan["extension"])
                 if e["url"] == profile_url("regie-safe-object"))
    plan["extension"][index] = {"url": profile_url("regie-safe-object"), "valueBoolean": True}


PARTNER = "https://fhir.zorgpartner-zwolle.example/StructureDefinition"


def _add_extension(key: str, extension: Resource) -> Callable[[Resource], object]:
    return lambda resource: resource.setdefault(key, []).append(extension)


def _member_typed(agrees: bool) -> Callable[[Resource], object]:
    """Reference.type on the first member: the type its reference names, or Device."""
    def change(team: Resource) -> None:
        member = team["participant"][0]["member"]
        member["type"] = member["reference"].split("/")[0] if agrees else "Device"
    return change


def _bundle_full_url(url: str) -> Callable[[], Resource]:
    def build() -> Resource:
        bundle = _bundle_with_member()
        bundle["entry"][0]["resource"]["participant"].pop()
        bundle["entry"][0]["fullUrl"] = url
        return bundle
    return build


SCORE = "Observation/devries-score-1-sanne-nov05"
PLAN = "CarePlan/devries-safety-plan"
SANNE = "Patient/devries-sanne"
TEAM = "CareTeam/devries-careteam"
STATEMENT = "CarePlan.extension[2]"  # the plan's first danger statement

PROBES = [
    # the types a profile allows for a choice element
    Probe("score-as-string", _changed(SCORE, _score_as("valueString", "7")),
          ("regie-type", "Observation.valueString")),
    Probe("score-as-quantity", _changed(SCORE, _score_as("valueQuantity", {"value": 7})),
          ("regie-type", "Observation.valueQuantity")),
    # nested extensions
    Probe("danger-priority-as-string", _changed(PLAN, _statement_part(
        "priority", {"url": "priority", "valueString": "1"})),
        ("regie-type", f"{STATEMENT}.extension[2].valueString")),
    Probe("danger-unknown-part", _changed(PLAN, _statement_part(
        "urgentie", {"url": "urgentie", "valueString": "hoog"})),
        ("regie-extension-unknown-part", f"{STATEMENT}.extension[3]")),
    Probe("danger-without-statement", _changed(PLAN, _statement_part("statement", None)),
          ("regie-min", STATEMENT)),
    Probe("danger-status-unknown", _changed(PLAN, _statement_part(
        "status", {"url": "status", "valueCode": "bogus"})),
        ("regie-binding", f"{STATEMENT}.extension[2].valueCode")),
    Probe("safe-object-as-boolean", _changed(PLAN, _safe_object_boolean),
          ("regie-type", "CarePlan.extension[4].valueBoolean")),
    # R4 core's extensible bindings: warnings only (compared in the warnings test)
    Probe("marital-null-flavor", _changed(SANNE, _marital(
        {"coding": [{"system": f"{V3}/v3-NullFlavor", "code": "NI"}]})), None),
    Probe("marital-other-system", _changed(SANNE, _marital(
        {"coding": [{"system": "https://example.org/burgerlijke-staat", "code": "x"}]})), None),
    Probe("marital-text-only", _changed(SANNE, _marital({"text": "getrouwd"})), None),
    Probe("marital-in-the-set", _changed(SANNE, _marital(
        {"coding": [{"system": f"{V3}/v3-MaritalStatus", "code": "M"}]})), None),
    Probe("identifier-type-outside-the-set", _changed(SANNE, lambda p: p["identifier"][0].
          __setitem__("type", {"coding": [{"system": f"{V3}/v2-0203", "code": "XX"}]})), None),
    # resolve(): a contained member, a member elsewhere in the Bundle (ctm-1)
    Probe("careteam-contained-member-on-behalf", _changed(TEAM, _contained_member),
          ("regie-invariant", "CareTeam.participant[6]")),
    Probe("bundle-member-on-behalf", _bundle_with_member,
          ("regie-invariant", "Bundle.entry[0].resource.participant[6]")),
    Probe("bundle-full-url-of-another", _bundle_wrong_full_url,
          ("regie-bundle-full-url", "Bundle.entry[1]")),
    # dom-3: a contained resource nothing refers to
    Probe("contained-orphan", _changed(SANNE, lambda p: p.__setitem__("contained", [
        {"resourceType": "Organization", "id": "buurtteam", "name": "Buurtteam"}])),
        ("regie-invariant", "Patient")),
    # codes, displays, required bindings without a usable coding
    Probe("required-unknown-code", _changed(PLAN, _safety_kind(
        {"coding": [{"system": f"{REGIE}/regie-safety-plan-kind", "code": "urgent"}]})),
        ("regie-code-unknown", "CarePlan.extension[0].valueCodeableConcept.coding[0]")),
    Probe("required-text-only", _changed(PLAN, _safety_kind({"text": "direct"})),
          ("regie-binding-required-no-code", "CarePlan.extension[0].valueCodeableConcept")),
    Probe("required-without-system", _changed(PLAN, _safety_kind(
        {"coding": [{"code": "direct"}]})),
        ("regie-binding", "CarePlan.extension[0].valueCodeableConcept")),
    Probe("unbound-unknown-code", _changed(SCORE, lambda s: s["code"]["coding"].append(
        {"system": f"{REGIE}/regie-observation-type", "code": "bestaat-niet"})),
        ("regie-code-unknown", "Observation.code.coding[1]")),
    Probe("wrong-display", _changed(SCORE, lambda s: s["code"]["coding"][0].__setitem__(
        "display", "Iets heel anders")),
        ("regie-display", "Observation.code.coding[0].display")),
    # the narrative's XHTML (txt-1, txt-2: htmlChecks())
    Probe("narrative-fine", _changed(SANNE, _narrative(
        '<p>Sanne de <b>Vries</b></p><table><tr><td>BSN</td></tr></table>')), None),
    Probe("narrative-script", _changed(SANNE, _narrative("<p>Sanne</p><script>x()</script>")),
          ("regie-narrative", "Patient.text.div")),
    Probe("narrative-event-handler", _changed(SANNE, _narrative('<p onclick="x()">Sanne</p>')),
          ("regie-narrative", "Patient.text.div")),
    Probe("narrative-block-in-paragraph", _changed(SANNE, _narrative(
        "<p>Sanne <div>de Vries</div></p>")), ("regie-narrative", "Patient.text.div")),
    Probe("narrative-whitespace-only", _changed(SANNE, _narrative("  ")),
          ("regie-narrative", "Patient.text.div")),
    Probe("narrative-without-namespace", _changed(SANNE, lambda p: p.__setitem__(
        "text", {"status": "generated", "div": "<div><p>Sanne</p></div>"})),
        ("regie-narrative", "Patient.text.div")),
    Probe("english-display", _changed(SCORE, lambda s: s["code"]["coding"][0].__setitem__(
        "display", "Safety scale score")), None),
    # what partners send: extensions this guide never saw, references and fullUrls
    Probe("modifier-extension-unknown", _changed(SANNE, _add_extension(
        "modifierExtension", {"url": f"{PARTNER}/niet-reanimeren", "valueBoolean": True})),
        ("regie-modifier-unknown", "Patient.modifierExtension[0]")),
    Probe("extension-unknown", _changed(SANNE, _add_extension(
        "extension", {"url": f"{PARTNER}/voorkeurstaal", "valueString": "nl"})),
        ("regie-extension-unknown", "Patient.extension[0]")),
    Probe("extension-outside-context", _changed(SANNE, _add_extension(
        "extension", {"url": profile_url("regie-next-meeting"),
                      "valueDateTime": "2025-12-01T10:00:00+01:00"})),
        ("regie-extension-context", "Patient.extension[0]")),
    Probe("core-extension-wrong-type", _changed(SANNE, _add_extension(
        "extension", {"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                      "valueString": "Zwolle"})),
        ("regie-type", "Patient.extension[0].valueString")),
    Probe("core-extension-fine", _changed(SANNE, _add_extension(
        "extension", {"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                      "valueAddress": {"city": "Zwolle", "country": "NL"}})), None),
    Probe("reference-type-contradicts", _changed(TEAM, _member_typed(agrees=False)),
          ("regie-reference-type-mismatch", "CareTeam.participant[0].member.type")),
    Probe("reference-type-agrees", _changed(TEAM, _member_typed(agrees=True)), None),
    Probe("bundle-full-url-relative", _bundle_full_url("CareTeam/devries-careteam"),
          ("regie-bundle-full-url-relative", "Bundle.entry[0].fullUrl")),
    Probe("bundle-full-url-bad-uuid", _bundle_full_url("urn:uuid:3f2b-zwolle-0001"),
          ("regie-format", "Bundle.entry[0].fullUrl")),
    Probe("bundle-full-url-uuid", _bundle_full_url(
        "urn:uuid:6a1c2f0e-4d7b-4c2a-9f1e-2b7d8c9e0a11"), None),
    Probe("profile-outside-the-packages", _changed(SANNE, lambda p: p["meta"]["profile"].append(
        "https://fhir.zorgpartner-zwolle.example/StructureDefinition/patient")), None),
]


def write_probes(folder: Path) -> dict[str, Path]:
    """Each probe as a JSON file in ``folder``, by name. A probe of a single resource gets an
    id of its own, so that the HL7 runner's references between files still find the
    examples."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for probe in PROBES:
        resource = probe.build()
        if resource["resourceType"] != "Bundle":
            resource["id"] = f"probe-{probe.name}"
        path = folder / f"probe-{probe.name}.json"
        path.write_text(json.dumps(resource, indent=1, ensure_ascii=False), encoding="utf-8")
        written[probe.name] = path
    return written
