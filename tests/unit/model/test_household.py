"""Builders of docs/ig/household.md: Patient, RelatedPerson, household (Group), CareTeam."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fhir.resources.R4B.address import Address
from fhir.resources.R4B.group import Group

from fhir_regie.ig import profile_url
from fhir_regie.model import (
    Member,
    Participant,
    alleged_perpetrator_alert,
    care_team,
    household,
    patient,
    related_person,
    to_json,
    v3_role,
)
from tests.unit.model.support import assert_rebuilds, assert_rule, example, rejected


def test_patient_rebuilds_sanne():
    sanne = patient(id="devries-sanne", given="Sanne", family="de Vries", birth_date="1990-04-12",
                    bsn="999990007", gender="female", phone="06-12345678",
                    address=Address(line=["Klarendalseweg 101"], city="Arnhem",
                                    postalCode="6822 GD"),
                    general_practitioner="Practitioner/devries-pract-visser")
    assert sanne.meta.profile == [profile_url("regie-patient")]
    assert_rebuilds(sanne, "Patient/devries-sanne")


def test_patient_rebuilds_a_pseudonymised_very_restricted_client():
    s = patient(id="hv0417-s", name_text="S. (pseudoniem)", bsn="999990263", gender="female",
                birth_date=date(2007, 5, 2), security_label="V")
    assert_rebuilds(s, "Patient/hv0417-s")


def test_unborn_child_has_an_expected_birth_date_instead():
    unborn = patient(family="de Vries", expected_birth_date="2027-01-15")
    assert to_json(unborn)["extension"][0]["valueDate"] == "2027-01-15"


def test_patient_bsn_failing_the_eleven_check_names_rg_bsn_1_without_the_bsn():
    error = rejected(patient, given="Sanne", family="de Vries", birth_date="1990-04-12",
                     bsn="123456789")
    assert_rule(error, "rg-bsn-1", "Patient.identifier[0]", "123456789", "Sanne", "de Vries")
    assert error.rules == ["rg-bsn-1"]


def test_patient_without_birth_date_names_rg_pat_1():
    error = rejected(patient, given="Sanne", family="de Vries", bsn="999990007")
    assert_rule(error, "rg-pat-1", "Patient", "Sanne", "999990007")


def test_patient_malformed_birth_date_is_a_structure_error_without_the_value():
    error = rejected(patient, given="Sanne", birth_date="12-04-1990")
    assert_rule(error, "regie-structure", "Patient.birthDate", "12-04-1990", "Sanne")


def test_patient_refuses_a_datetime_as_birth_date_and_unknown_gender():
    with pytest.raises(ValueError, match="birth_date"):
        patient(given="Sanne", birth_date=datetime(1990, 4, 12, 8, 0))
    with pytest.raises(ValueError, match=r"'vrouw'.*administrative-gender"):
        patient(given="Sanne", birth_date="1990-04-12", gender="vrouw")


def test_related_person_rebuilds_oma_ria():
    ria = related_person(id="devries-oma-ria", patient="Patient/devries-sanne", given="Ria",
                         family="Mulder",
                         relationship=v3_role("MTH", "mother",
                                              text="Moeder van Sanne, oma van Daan en Lotte"),
                         support=["practical", "emotional"], concern_knowledge="all",
                         phone="06-23456789")
    assert_rebuilds(ria, "RelatedPerson/devries-oma-ria")


def test_related_person_rebuilds_ellen_with_two_relationships():
    relationship = example("RelatedPerson/vdberg-ellen")["relationship"]
    ellen = related_person(id="vdberg-ellen", patient="Patient/vdberg-henk", given="Ellen",
                           family="Hartman-van den Berg",
                           relationship=[v3_role("DAU", "natural daughter"),
                                         v3_role("GUARD", "guardian",
                                                 text=relationship[1]["text"])],
                           support=["practical", "thinking-along"], concern_knowledge="all",
                           phone="06-34567890")
    assert_rebuilds(ellen, "RelatedPerson/vdberg-ellen")


def test_related_person_without_relationship_names_the_element():
    error = rejected(related_person, patient="Patient/devries-sanne", relationship=[],
                     given="Ria", family="Mulder")
    assert_rule(error, "RelatedPerson.relationship", "RelatedPerson", "Ria", "Mulder")


def test_related_person_unknown_support_kind():
    with pytest.raises(ValueError, match=r"'money'.*regie-support-kind"):
        related_person(patient="Patient/a", relationship="buurvrouw", given="X",
                       support="money")


def test_household_rebuilds_the_hv_0417_household_with_a_former_member():
    built = household(
        id="household-hv-0417", name="Huishouden HV-0417", security_label="V",
        managing_organisation="Organization/hv0417-org-lokaalteam",
        members=[
            Member(person="Patient/hv0417-s", role="child", vulnerable_adult=True,
                   period_end="2026-10-03", inactive=True),
            Member(person="Patient/hv0417-father", role="parent"),
            Member(person="Patient/hv0417-mother", role="parent"),
            Member(person="Patient/hv0417-brother", role="child")])
    assert isinstance(built, Group)
    assert_rebuilds(built, "Group/household-hv-0417")
    for who in ("father", "brother"):
        mark = alleged_perpetrator_alert(id=f"hv0417-alert-{who}", person=f"Patient/hv0417-{who}",
                                         author="Organization/hv0417-org-vt", start="2026-10-03",
                                         security_label="V")
        assert_rebuilds(mark, f"Flag/hv0417-alert-{who}", same_up_to=_labels_as_a_set)


def _labels_as_a_set(resource: dict) -> dict:
    """The order of meta.security carries no meaning."""
    meta = resource.get("meta", {})
    meta["security"] = sorted(meta.get("security", []), key=lambda c: c["code"])
    return resource


def test_the_alleged_perpetrator_is_an_alert_of_its_own_labelled_sdv():
    mark = to_json(alleged_perpetrator_alert(
        person="Patient/devries-mark", author="Organization/devries-org-vt", start="2026-09-10"))
    assert mark["resourceType"] == "Flag"
    assert [(c["system"], c["code"]) for c in mark["meta"]["security"]] == [
        ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "SDV")]
    assert mark["code"]["coding"][0]["code"] == "alleged-perpetrator"
    with pytest.raises(ValueError, match=r"status: unknown code 'open' in code system flag-status"):
        alleged_perpetrator_alert(person="Patient/a", author="Organization/b", start="2026-01-01",
                                  status="open")
    with pytest.raises(ValueError, match=r"person: must refer to Patient"):
        alleged_perpetrator_alert(person="Group/a", author="Organization/b", start="2026-01-01")


def test_household_rebuilds_de_vries_from_built_patients():
    people = {name: patient(id=f"devries-{name}", given=name.title(), family="de Vries",
                            birth_date="2000-01-01") for name in ("sanne", "mark", "daan", "lotte")}
    built = household(
        id="household-de-vries", name="Huishouden De Vries",
        managing_organisation="Organization/devries-org-wijkteam",
        members=[Member(person=people["sanne"], role="parent", vulnerable_adult=True),
                 Member(person=people["mark"], role="parent"),
                 Member(person=people["daan"], role="child"),
                 Member(person=people["lotte"], role="child")])
    assert_rebuilds(built, "Group/household-de-vries")


def test_household_refuses_a_malformed_period_and_a_non_patient_member():
    error = rejected(household, members=[Member(person="Patient/a", role="parent",
                                                period_end="gisteren")])
    assert_rule(error, "regie-structure", "Period.end", "gisteren")
    with pytest.raises(ValueError, match=r"members.person: must refer to Patient"):
        household(members=[Member(person="RelatedPerson/devries-oma-ria", role="grandparent")])


def test_household_unknown_role_names_code_system_and_code():
    with pytest.raises(ValueError, match=r"unknown code 'mum' in code system regie-household-role"):
        household(members=[Member(person="Patient/a", role="mum")])


def test_care_team_rebuilds_de_vries():
    built = care_team(
        id="devries-careteam", name="Team rond gezin De Vries",
        subject="Group/household-de-vries", period_start="2026-09-24",
        managing_organisation="Organization/devries-org-wijkteam",
        participants=[
            Participant("Practitioner/devries-pract-smit", "procesregisseur",
                        on_behalf_of="Organization/devries-org-wijkteam",
                        period_start="2026-09-24"),
            Participant("PractitionerRole/devries-role-jansen",
                        ["casusregisseur", "veiligheidsplanner"], period_start="2026-09-24"),
            Participant("RelatedPerson/devries-oma-ria",
                        ["veiligheidspersoon", "netwerkberaad-voorzitter"]),
            Participant("RelatedPerson/devries-buurman-ahmed", "informeel-netwerk"),
            Participant("Practitioner/devries-pract-visser", "life-time-betrokkene",
                        on_behalf_of="Organization/devries-org-huisarts"),
            Participant("Practitioner/devries-pract-hendriks", "professional",
                        on_behalf_of="Organization/devries-org-school")])
    assert_rebuilds(built, "CareTeam/devries-careteam")


def test_care_team_with_two_active_procesregisseurs_names_rg_ctm_1():
    error = rejected(care_team, participants=[
        Participant("Practitioner/a", "procesregisseur"),
        Participant("Practitioner/b", "procesregisseur")])
    assert_rule(error, "rg-ctm-1", "CareTeam")


def test_care_team_handover_of_the_procesregisseur_is_valid():
    team = care_team(participants=[
        Participant("Practitioner/a", "procesregisseur", period_end="2026-10-01"),
        Participant("Practitioner/b", "procesregisseur", period_start="2026-10-01")])
    assert len(team.participant) == 2


def test_care_team_without_participants_names_the_element():
    assert_rule(rejected(care_team, participants=[]), "CareTeam.participant", "CareTeam")


def test_care_team_unknown_role():
    with pytest.raises(ValueError, match=r"'regisseur' in code system regie-role"):
        care_team(participants=[Participant("Practitioner/a", "regisseur")])
