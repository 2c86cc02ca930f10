"""The household's own copy of its plan (consent/household.py): whose data, which classes,
labels, and the adversary rule when an alleged perpetrator reads along."""

from __future__ import annotations

import json

from fhir_regie.consent import decide, share

from .conftest import example, request, verdict

DE_VRIES = "Group/household-de-vries"


def test_the_household_gets_its_plan_but_never_the_report_or_the_reporter():
    decision = decide(example().values(), request(DE_VRIES))
    assert verdict(decision, "CarePlan/devries-safety-plan").permit
    assert verdict(decision, "CarePlan/devries-safety-plan").basis.legal_basis == \
        "household-own-plan"
    assert verdict(decision, "Observation/devries-score-1-sanne-nov05").permit
    document = verdict(decision, "Composition/devries-handover-document")
    assert not document.permit
    assert "report-content" in document.reasons[0]
    assert not verdict(decision, "Task/devries-handover").permit


def test_signals_and_the_meldcode_trail_stay_with_the_professionals():
    decision = decide(example("household-van-den-berg").values(),
                      request("Group/household-van-den-berg"))
    assert not verdict(decision, "Observation/vdberg-signal-bruises").permit
    assert "signals" in verdict(decision, "Observation/vdberg-signal-bruises").reasons[0]
    assert not verdict(decision, "Task/vdberg-meldcode-step-1").permit
    assert verdict(decision, "CarePlan/vdberg-safety-plan").permit


def test_an_alleged_perpetrator_reading_along_gets_no_contact_data_of_the_others():
    shared = share(example().values(), request(DE_VRIES))
    text = json.dumps(shared.bundle, ensure_ascii=False)
    assert "06-12345678" not in text          # Sanne's phone
    assert "Klarendalseweg" not in text       # Sanne's address
    assert "06-23456789" not in text          # grandmother Ria, the safety person
    oma = verdict(shared.decision, "RelatedPerson/devries-oma-ria")
    assert [o.path for o in oma.obligations] == ["RelatedPerson.telecom"]
    assert "adversary rule" in oma.obligations[0].reason


def test_without_a_perpetrator_among_the_readers_contact_data_goes():
    resources = example()
    members = resources["Group/household-de-vries"]["member"]
    resources["Group/household-de-vries"]["member"] = [m for m in members
                                                      if "mark" not in m["entity"]["reference"]]
    shared = share(resources.values(), request(DE_VRIES))
    text = json.dumps(shared.bundle, ensure_ascii=False)
    assert "06-23456789" in text
    assert "Patient/devries-mark" not in {e["resource"]["resourceType"] + "/" +
                                          e["resource"]["id"] for e in shared.bundle["entry"]}


def test_very_restricted_data_goes_to_the_person_it_is_about_never_to_the_family():
    resources = example("household-hv-0417")
    family = decide(resources.values(), request("Group/household-hv-0417"))
    assert family.overall == "deny"
    assert "very restricted" in verdict(family, "Goal/hv0417-condition-no-contact").reasons[0]
    hers = decide(resources.values(), request("Patient/hv0417-s"))
    assert verdict(hers, "CarePlan/hv0417-safety-plan").permit
    assert verdict(hers, "Goal/hv0417-condition-passport").permit     # about the household
    father = verdict(hers, "Patient/hv0417-father")
    assert not father.permit
    assert father.reasons == ("about someone who does not read this copy",)


def test_the_household_copy_is_no_disclosure_to_an_organisation():
    shared = share(example().values(), request(DE_VRIES))
    assert shared.bundle["entry"]
    assert shared.audit_events == ()


def test_an_organisation_request_is_unchanged():
    decision = decide(example().values(), request("Organization/devries-org-school"))
    assert all(v.basis is None or v.basis.legal_basis != "household-own-plan"
               for v in decision.resources)


def test_a_shared_practitioner_role_brings_its_practitioner_along():
    # The casusregisseur is a PractitionerRole; without her Practitioner the plan would name
    # "a colleague" instead of the household's fixed face (DOMAIN.md §1 casusregisseur).
    decision = decide(example().values(), request("Organization/devries-org-school"))
    jansen = verdict(decision, "Practitioner/devries-pract-jansen")
    assert jansen.permit
    assert jansen.reasons == ("context of PractitionerRole/devries-role-jansen",)
    assert not verdict(decision, "Organization/devries-org-jgz").permit


def test_her_own_copy_keeps_her_network_contacts_and_marks_its_audience():
    """Sanne's own copy (no alleged perpetrator reads it) keeps oma Ria's number, as before
    the projection (issue 17); the Group's copy, which Mark reads, does not."""
    own = share(example().values(), request("Patient/devries-sanne"))
    assert own.decision.audience == "household"
    assert "06-23456789" in json.dumps(own.bundle)
    group = share(example().values(), request("Group/household-de-vries"))
    assert group.decision.audience == "household-with-perpetrator"
    assert "06-23456789" not in json.dumps(group.bundle)


PROTECTED = ("Patient/devries-sanne", "Patient/devries-daan", "Patient/devries-lotte")


def test_a_copy_made_for_the_protected_parent_and_children_carries_their_networks_numbers():
    """The audience is explicit (issue 22): the copy for Sanne and the children, which Mark
    does not read, is not under the adversary rule: oma Ria's number is in it. Mark's own
    data stays out, since he is not a reader."""
    shared = share(example().values(), request(DE_VRIES, readers=PROTECTED))
    text = json.dumps(shared.bundle, ensure_ascii=False)
    assert shared.decision.audience == "household"
    assert "06-23456789" in text                                   # oma Ria
    assert not verdict(shared.decision, "Patient/devries-mark").permit
    assert "does not read this copy" in verdict(shared.decision,
                                                "Patient/devries-mark").reasons[0]


def test_a_copy_the_alleged_perpetrator_may_read_withholds_the_numbers():
    """Naming him among the readers (or naming none: every active member) brings the
    adversary rule back, whoever else reads along."""
    for readers in ((*PROTECTED, "Patient/devries-mark"), ()):
        shared = share(example().values(), request(DE_VRIES, readers=readers))
        text = json.dumps(shared.bundle, ensure_ascii=False)
        assert shared.decision.audience == "household-with-perpetrator", readers
        assert "06-23456789" not in text, readers
        assert "06-12345678" not in text, readers


def test_readers_outside_the_household_refuse_the_whole_copy():
    for recipient, readers in ((DE_VRIES, ("Patient/somebody-else",)),
                               ("Patient/devries-sanne", ("Patient/devries-sanne",))):
        decision = decide(example().values(), request(recipient, readers=readers))
        assert not any(v.permit for v in decision.resources), (recipient, readers)


def test_an_organisations_own_name_is_not_scrubbed_for_a_members_place():
    """Under the adversary rule Sanne's address (Arnhem) is cut and scrubbed from all text;
    the team's name "Sociaal Wijkteam Arnhem-Noord" is the organisation's own and goes
    whole. Free text still loses the place."""
    resources = example()
    plan = resources["CarePlan/devries-safety-plan"]
    plan["description"] = "Sanne woont in Arnhem."
    shared = share(resources.values(), request(DE_VRIES))
    assert shared.decision.audience == "household-with-perpetrator"
    copies = {f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"]
              for e in shared.bundle["entry"]}
    assert copies["Organization/devries-org-wijkteam"]["name"] == \
        "Sociaal Wijkteam Arnhem-Noord"
    assert "Arnhem" not in copies["CarePlan/devries-safety-plan"]["description"]


def test_an_organisations_name_that_is_a_whereabouts_still_goes():
    """An organisation with its own address on record (a shelter), shielded under the
    adversary rule: its name is a whereabouts and a scrub term of its own (redact.py)."""
    resources = example()
    team = resources["Organization/devries-org-wijkteam"]
    team["address"] = [{"line": ["Opvangstraat 1"], "city": "Ede"}]
    shared = share(resources.values(), request(DE_VRIES))
    text = json.dumps(shared.bundle, ensure_ascii=False)
    assert "Sociaal Wijkteam Arnhem-Noord" not in text
