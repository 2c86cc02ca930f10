"""Builders of docs/ig/handover.md: handover task and handover document."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fhir.resources.R4B.identifier import Identifier

from fhir_regie.ig import CANONICAL
from fhir_regie.model import (
    AssessmentSection,
    JudgementSection,
    Organisation,
    Output,
    Section,
    deadline,
    handover,
    handover_document,
    handover_notification,
    to_json,
)
from tests.unit.model.support import assert_rebuilds, assert_rule, example, rejected


def _section_text(reference: str, code: str) -> str:
    """The plain text of a section of an example (its XHTML paragraph, unescaped)."""
    for section in example(reference)["section"]:
        if section["code"]["coding"][0]["code"] == code:
            inner = re.sub(r"^<div[^>]*><p>|</p></div>$", "", section["text"]["div"])
            return inner.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    raise KeyError(code)


def _sections_by_code(resource: dict[str, Any]) -> dict[str, Any]:
    return {**resource, "section": sorted(resource["section"],
                                          key=lambda s: s["code"]["coding"][0]["code"])}


def test_handover_rebuilds_the_de_vries_handover():
    task = handover(
        id="devries-handover", route="direct-after-assessment", case_weight="middelzwaar",
        acute=False, reported_on="2026-09-16T11:20:00+02:00",
        responsibility_transferred_at="2026-09-24T09:12:44+02:00",
        identifier=Identifier(system=f"{CANONICAL}/NamingSystem/example-vt-case",
                              value="VTGM-2026-08813"),
        status="accepted", business_status="Ontvangen door het wijkteam",
        document="Composition/devries-handover-document/_history/1",
        subject="Group/household-de-vries",
        authored_on="2026-09-23T14:05:00+02:00", last_modified="2026-09-24T09:12:44+02:00",
        vt="Organization/devries-org-vt", local_team="Organization/devries-org-wijkteam",
        report="Communication/devries-report")
    assert_rebuilds(task, "Task/devries-handover")


HANDOVER = {"route": "after-onderzoek", "case_weight": "zwaar", "acute": True,
            "reported_on": "2026-10-01T08:45:00+02:00", "vt": "Organization/hv0417-org-vt",
            "local_team": "Organization/hv0417-org-lokaalteam",
            "subject": "Group/household-hv-0417",
            "document": "Composition/hv0417-handover-document/_history/1",
            "authored_on": "2026-10-20T16:05:00+02:00"}


def test_handover_rebuilds_the_hv_0417_handover():
    task = handover(id="hv0417-handover", security_label="V", status="accepted",
                    responsibility_transferred_at="2026-10-20T16:32:05+02:00", **HANDOVER)
    assert_rebuilds(task, "Task/hv0417-handover")


def test_accepted_handover_without_the_transfer_moment_names_rg_hnd_1():
    assert_rule(rejected(handover, status="accepted", **HANDOVER), "rg-hnd-1", "Task")


def test_rejected_handover_without_reason_names_rg_hnd_2():
    assert_rule(rejected(handover, status="rejected", **HANDOVER), "rg-hnd-2", "Task")
    refused = handover(status="rejected", status_reason="Niet ons werkgebied.", **HANDOVER)
    assert refused.statusReason.text == "Niet ons werkgebied."


def test_handover_unknown_codes_and_wrong_organisations():
    with pytest.raises(ValueError, match=r"'heavy' in code system regie-case-weight"):
        handover(status="requested", **{**HANDOVER, "case_weight": "heavy"})
    with pytest.raises(ValueError, match=r"local_team: must refer to Organization"):
        handover(status="requested", **{**HANDOVER, "local_team": "Practitioner/p"})


def test_handover_document_rebuilds_de_vries():
    ref = "Composition/devries-handover-document"
    document = handover_document(
        id="devries-handover-document", subject="Group/household-de-vries",
        route="direct-after-assessment", reporter_anonymous=False,
        report_content=_section_text(ref, "report-content"),
        reporter_contact=Section(_section_text(ref, "reporter-contact"),
                                 entries=["Practitioner/devries-pract-hendriks"]),
        safety_assessment=AssessmentSection(_section_text(ref, "safety-assessment"),
                                            vt_decision="local-team", unsafety=["structural"],
                                            assessed_on="2026-09-22"),
        plan_agreements=_section_text(ref, "plan-agreements"),
        date="2026-09-23T14:00:00+02:00", author="Organization/devries-org-vt",
        title="Overdracht na veiligheidsbeoordeling - gezin De Vries", confidentiality="R",
        custodian="Organization/devries-org-vt")
    assert_rebuilds(document, ref)


def test_handover_document_rebuilds_hv_0417_after_onderzoek():
    ref = "Composition/hv0417-handover-document"
    document = handover_document(
        id="hv0417-handover-document", security_label="V", subject="Group/household-hv-0417",
        route="after-onderzoek", reporter_anonymous=True,
        report_content=_section_text(ref, "report-content"),
        safety_assessment=AssessmentSection(_section_text(ref, "safety-assessment"),
                                            vt_decision="local-team", vt_service="onderzoek",
                                            unsafety=["acute", "structural"],
                                            assessed_on="2026-10-06"),
        vt_judgement=JudgementSection(_section_text(ref, "vt-judgement"),
                                      judgement="abuse-established"),
        safety_conditions=Section(_section_text(ref, "safety-conditions"),
                                  entries=["Goal/hv0417-condition-no-contact",
                                           "Goal/hv0417-condition-passport"]),
        consequences=Section(_section_text(ref, "consequences"), title="Consequenties"),
        plan_agreements=_section_text(ref, "plan-agreements"),
        monitoring_agreements=_section_text(ref, "monitoring-agreements"),
        date="2026-10-20T16:00:00+02:00", author="Organization/hv0417-org-vt",
        title="Overdracht na Onderzoek - HV-0417", confidentiality="V",
        custodian="Organization/hv0417-org-vt")
    # The builder writes sections in the profile's order; the example lists the safety
    # conditions before the judgement. Section order carries no meaning, so compare by code.
    assert_rebuilds(document, ref, same_up_to=_sections_by_code)
    codes = [s.code.coding[0].code for s in document.section]
    assert codes.index("vt-judgement") < codes.index("safety-conditions")


def test_section_titles_default_to_the_dutch_name_and_text_is_escaped():
    document = handover_document(
        subject="Group/household-de-vries", route="direct-after-assessment",
        reporter_anonymous=True, report_content="Vader <schreeuwt> & gooit.\n\nTweede alinea.",
        safety_assessment=AssessmentSection("Geen acute onveiligheid."),
        date="2026-09-23T14:00:00+02:00", author="Organization/devries-org-vt", title="t")
    first = to_json(document)["section"][0]
    assert first["title"] == "Inhoud melding"
    assert first["text"]["div"] == ('<div xmlns="http://www.w3.org/1999/xhtml"><p>Vader '
                                    "&lt;schreeuwt&gt; &amp; gooit.</p><p>Tweede alinea.</p></div>")


DOCUMENT = {"subject": "Group/household-hv-0417", "date": "2026-10-20T16:00:00+02:00",
            "author": "Organization/hv0417-org-vt", "title": "Overdracht",
            "report_content": "Melding over S."}


def test_anonymous_reporter_with_contact_data_names_rg_hdc_2_without_the_contact():
    secret = "Jan Jansen, 06-99999999"
    error = rejected(handover_document, route="direct-after-assessment",
                     reporter_anonymous=True, reporter_contact=secret,
                     safety_assessment=AssessmentSection("Structureel."), **DOCUMENT)
    assert_rule(error, "rg-hdc-2", "Composition", secret, "Jan")


@pytest.mark.parametrize(("route", "extra", "rule"), [
    ("direct-after-assessment",
     {"safety_assessment": AssessmentSection("a"),
      "vt_judgement": JudgementSection("j", judgement="undetermined")}, "rg-hdc-1"),
    ("direct-after-assessment", {}, "rg-hdc-3"),
    ("after-onderzoek", {}, "rg-hdc-4"),
])
def test_route_rules(route, extra, rule):
    error = rejected(handover_document, route=route, reporter_anonymous=False, **extra,
                     **DOCUMENT)
    assert_rule(error, rule, "Composition", "Melding over S.")


def test_judgement_section_without_judgement_names_the_extension_slice():
    error = rejected(handover_document, route="after-onderzoek", reporter_anonymous=False,
                     vt_judgement=JudgementSection("j"), safety_conditions=Section("c"),
                     monitoring_agreements="m", **DOCUMENT)
    assert_rule(error, "Composition.section:vtJudgement.extension:judgement",
                "Composition.section[1]")


def test_handover_document_unknown_codes():
    with pytest.raises(ValueError, match=r"'maybe' in code system regie-vt-judgement"):
        handover_document(route="after-onderzoek", reporter_anonymous=False,
                          vt_judgement=JudgementSection("j", judgement="maybe"), **DOCUMENT)
    with pytest.raises(ValueError, match=r"'shortcut' in code system regie-handover-route"):
        handover_document(route="shortcut", reporter_anonymous=False, **DOCUMENT)
    with pytest.raises(ValueError, match=r"confidentiality: unknown code 'secret'"):
        handover_document(route="after-onderzoek", reporter_anonymous=False,
                          confidentiality="secret", **DOCUMENT)


# ------------------------------------------------------------ notified pull and deadlines
NOTIFIED = {
    "identifier": "2f4c1e0a-6b7d-5c39-9a51-0e8d3b6f7a12",
    "task_url": "https://fhir.veiligthuis-haaglanden.example/fhir/Task/hv0417-handover"
                "/_history/1",
    "vt": Organisation("Veilig Thuis Haaglanden", "90022110"),
    "local_team": Organisation("Jeugd- en gezinsteam Laak", oin="00000001812345670000"),
    "authored_on": "2026-10-20T16:05:30+02:00",
}


def test_notification_rebuilds_the_hv_0417_notification():
    note = handover_notification(
        id="hv0417-handover-notification", security_label="V", status="completed",
        business_status="Opgehaald en opgenomen door het jeugd- en gezinsteam",
        last_modified="2026-10-20T16:31:40+02:00",
        outputs=[Output("Opgenomen overdracht", "Task/hv0417-handover")], **NOTIFIED)
    assert_rebuilds(note, "Task/hv0417-handover-notification")


def test_notification_needs_the_task_address_with_its_version():
    unversioned = {**NOTIFIED, "task_url": "https://vt.example/fhir/Task/hv0417-handover"}
    assert_rule(rejected(handover_notification, **unversioned), "rg-hnn-1", "Task")
    relative = {**NOTIFIED, "task_url": "Task/hv0417-handover/_history/1"}
    assert_rule(rejected(handover_notification, **relative), "rg-hnn-1", "Task")


def test_failed_notification_without_reason_names_rg_hnn_2():
    assert_rule(rejected(handover_notification, status="failed", **NOTIFIED), "rg-hnn-2",
                "Task")
    failed = handover_notification(status="failed", status_reason="rg-hdc-4 at Composition",
                                   **NOTIFIED)
    assert failed.statusReason.text == "rg-hdc-4 at Composition"


def test_notification_carries_no_case_content():
    data = to_json(handover_notification(**NOTIFIED))
    assert not {"for", "description", "note", "input", "basedOn"} & set(data)
    assert data["requester"] == {"type": "Organization", "display": "Veilig Thuis Haaglanden",
                                 "identifier": {"system": "http://fhir.nl/fhir/NamingSystem/ura",
                                                "value": "90022110"}}


DEADLINE = {"handover": "Task/hv0417-handover", "subject": "Group/household-hv-0417",
            "authored_on": "2026-10-20T16:32:05+02:00"}


def test_deadline_rebuilds_the_hv_0417_first_contact():
    term = deadline(
        id="hv0417-deadline-first-contact", security_label="V", rule="local-team-first-contact",
        description="Het lokale team neemt contact op met het huishouden (acute onveiligheid: "
                    "binnen 1 dag)",
        owner="Organization/hv0417-org-lokaalteam", requester="Organization/hv0417-org-vt",
        regional_setting="Regio Haaglanden: local_team.first_contact_acute_days = 1",
        start="2026-10-20", due="2026-10-21", status="completed", met_on="2026-10-20",
        **DEADLINE)
    assert_rebuilds(term, "Task/hv0417-deadline-first-contact")


def test_deadline_rebuilds_the_hv_0417_monitoring_moment():
    term = deadline(
        id="hv0417-deadline-monitoring-3", security_label="V", rule="vt-monitoring",
        description="Veilig Thuis monitort 3 maanden na zijn dienst of de voorwaarden worden "
                    "nageleefd en de veiligheid blijft",
        owner="Organization/hv0417-org-vt", requester="Organization/hv0417-org-lokaalteam",
        regional_setting="Regio Haaglanden: monitoring.moments_months = 3, 12",
        start="2026-10-20", due="2027-01-20", **DEADLINE)
    assert_rebuilds(term, "Task/hv0417-deadline-monitoring-3")


def test_met_deadline_without_the_moment_names_rg_ddl_2():
    assert_rule(rejected(deadline, rule="vt-monitoring", description="Monitoring",
                         owner="Organization/hv0417-org-vt", due="2027-01-20",
                         status="completed", **DEADLINE), "rg-ddl-2", "Task")


def test_deadline_unknown_rule_and_wrong_handover():
    with pytest.raises(ValueError, match=r"'first-contact' in code system regie-deadline-rule"):
        deadline(rule="first-contact", description="x", owner="Organization/o", due="2027-01-20",
                 **DEADLINE)
    with pytest.raises(ValueError, match=r"handover: must refer to Task"):
        deadline(rule="vt-monitoring", description="x", owner="Organization/o",
                 due="2027-01-20", **{**DEADLINE, "handover": "CarePlan/p"})


def test_handover_needs_the_version_of_its_document():
    """What is handed over must not change under the reference (rg-hnd-3)."""
    with pytest.raises(ValueError, match="version of the Composition"):
        handover(status="requested", **{**HANDOVER,
                                        "document": "Composition/hv0417-handover-document"})
    task = handover(status="requested", document_version="4",
                    **{**HANDOVER, "document": "Composition/hv0417-handover-document"})
    assert task.focus.reference == "Composition/hv0417-handover-document/_history/4"
    assert task.priority == "asap"
    assert not task.output


def test_acceptance_records_the_version_accepted():
    """The acceptance names the version handed over, or the one given; a later version of the
    document is another reference, so the acceptance does not carry over to it."""
    task = handover(status="accepted", responsibility_transferred_at="2026-10-20T16:32:05+02:00",
                    **HANDOVER)
    assert task.executionPeriod.start is not None
    assert task.output[0].valueReference.reference == task.focus.reference
    later = handover(status="accepted", accepted_version="1",
                     responsibility_transferred_at="2026-10-20T16:32:05+02:00",
                     **{**HANDOVER, "document": "Composition/hv0417-handover-document/_history/2"})
    assert later.output[0].valueReference.reference.endswith("/_history/1")
    assert later.focus.reference.endswith("/_history/2")
