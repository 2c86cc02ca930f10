"""``fhir-regie consent decide`` and ``consent share``: output, files, exit codes, one-line
errors."""

from __future__ import annotations

import io
import json
import stat

from fhir_regie.cli import main
from fhir_regie.ig import profile_url
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count

from .conftest import example

BASE = ["--recipient", "Organization/devries-org-school", "--purpose", "care-coordination",
        "--at", "2026-11-20"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_decide_prints_the_overall_decision_and_each_resource():
    code, out, _ = run("consent", "decide", *BASE)
    assert code == 0
    # 17: the PractitionerRole of the casusregisseur brings her Practitioner along
    assert out.startswith("partial: 19 of 55 resource(s) may go to "
                          "Organization/devries-org-school for care-coordination at "
                          "2026-11-20T12:00:00+01:00")
    assert "  permit  CarePlan/devries-safety-plan  basis Consent/devries-consent-lotte" in out
    assert "  deny    Observation/devries-log-near-miss" in out
    assert "Consent/devries-consent-lotte does not cover safety-log" in out


def test_decide_as_json():
    code, out, _ = run("consent", "decide", *BASE, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["decision"] == "partial"
    found = {r["resource"]: r for r in data["resources"]}
    assert found["CarePlan/devries-safety-plan"]["basis"] == {
        "legalBasis": "consent", "consent": "Consent/devries-consent-lotte"}


def test_decide_shows_obligations():
    code, out, _ = run("consent", "decide", "--recipient",
                       "Organization/devries-org-verslavingszorg", "--purpose",
                       "care-coordination", "--at", "2026-11-20T10:00:00+01:00")
    assert code == 0
    assert "redact Patient.telecom: adversary rule" in out


def test_a_legal_basis_from_the_command_line():
    code, out, _ = run("consent", "decide", "--recipient", "Organization/devries-org-vt",
                       "--purpose", "meldcode-report", "--discloser",
                       "Organization/devries-org-school", "--legal-basis",
                       "meldcode-reporting-right", "--justification", "Stap 5.",
                       "--at", "2026-11-20")
    assert code == 0
    assert "basis meldcode-reporting-right" in out
    assert "inform-household" in out


def test_nothing_may_go_exits_1():
    code, out, _ = run("consent", "decide", "--recipient", "Organization/elsewhere",
                       "--purpose", "care-coordination", "--at", "2026-11-20")
    assert code == 1
    assert out.startswith("deny: 0 of 55")


def test_share_writes_the_bundle_and_valid_disclosure_records(tmp_path):
    target = tmp_path / "school.json"
    code, out, _ = run("consent", "share", *BASE, "-o", str(target))
    assert code == 0
    assert "wrote 19 of 55 resource(s)" in out
    bundle = json.loads(target.read_text(encoding="utf-8"))
    audit = json.loads((tmp_path / "school.audit.json").read_text(encoding="utf-8"))
    assert len(bundle["entry"]) == 19
    assert [e["resource"]["resourceType"] for e in audit["entry"]] == ["AuditEvent"]
    outcome = validate_resource(audit["entry"][0]["resource"],
                                profile=profile_url("regie-disclosure"))
    assert error_count(outcome) == 0
    # Personal data: both files readable by their owner only.
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "school.audit.json").stat().st_mode) == 0o600


def test_share_from_a_bundle_file(tmp_path):
    source = tmp_path / "household.json"
    source.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": r} for r in example().values()]}), encoding="utf-8")
    code, _, _ = run("consent", "share", "--bundle", str(source), *BASE,
                     "-o", str(tmp_path / "out.json"))
    assert code == 0
    assert len(json.loads((tmp_path / "out.json").read_text())["entry"]) == 19


def test_usage_errors_are_one_line_and_exit_2(tmp_path):
    cases = [
        (["--purpose", "gossip"], "--purpose 'gossip': not a sharing purpose"),
        (["--at", "gisteren"], "--at 'gisteren': expected an ISO date or date-time"),
        (["--recipient", "Patient/devries-mark"],
         "--recipient 'Patient/devries-mark': expected Organization/<id>"),
        (["--legal-basis", "consent"], "--legal-basis 'consent': not a regie-legal-basis"),
        (["--example", "household-onbekend"], "unknown example household"),
        (["--bundle", str(tmp_path / "missing.json")], "missing.json: cannot read"),
    ]
    for extra, message in cases:
        argv = [*BASE]
        for i in range(0, len(extra), 2):
            if extra[i] in argv:
                argv[argv.index(extra[i]) + 1] = extra[i + 1]
            else:
                argv += extra[i:i + 2]
        code, out, err = run("consent", "decide", *argv)
        assert code == 2, extra
        assert out == ""
        assert err.count("\n") == 1
        assert err.startswith("fhir-regie consent decide: ")
        assert message in err


def test_an_unwritable_output_is_a_one_line_error(tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    code, _, err = run("consent", "share", *BASE, "-o", str(tmp_path / "a-file" / "out.json"))
    assert code == 2
    assert err.startswith("fhir-regie consent share: ")
    assert "cannot write" in err
    assert err.count("\n") == 1


def test_a_missing_output_folder_is_made_and_the_trail_is_written_with_the_bundle(tmp_path):
    output = tmp_path / "new" / "folder" / "out.json"
    code, _, err = run("consent", "share", *BASE, "-o", str(output))
    assert code == 0, err
    assert output.exists()
    assert (output.parent / "out.audit.json").exists()


def test_data_selects_the_resources_decided_on_and_shared(tmp_path):
    code, out, _ = run("consent", "decide", *BASE, "--data", "CarePlan/devries-safety-plan",
                       "--data", "Observation/devries-log-near-miss")
    assert code == 0
    assert out.startswith("partial: 1 of 2 resource(s)")
    assert "  permit  CarePlan/devries-safety-plan" in out
    assert "  deny    Observation/devries-log-near-miss" in out
    target = tmp_path / "plan.json"
    code, out, _ = run("consent", "share", *BASE, "--data", "CarePlan/devries-safety-plan",
                       "-o", str(target))
    assert code == 0
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["CarePlan"]


def test_data_that_is_not_in_the_household_is_a_one_line_error():
    code, _, err = run("consent", "decide", *BASE, "--data", "Patient/t-nobody")
    assert code == 2
    assert err.strip() == "fhir-regie consent decide: --data Patient/t-nobody: not in the " \
                          "household"
    code, _, err = run("consent", "decide", *BASE, "--data", "Patient")
    assert code == 2
    assert "expected Type/<id>" in err


ADVICE = ["--recipient", "Organization/devries-org-vt", "--purpose", "anonymous-advice",
          "--legal-basis", "meldcode-reporting-right", "--justification",
          "Anoniem advies, meldcode stap 2", "--at", "2026-11-20"]


def test_anonymous_advice_output_claims_no_profile_and_validates(tmp_path):
    target = tmp_path / "advies.json"
    code, _, _ = run("consent", "share", *ADVICE, "--data", "Patient/devries-lotte",
                     "--data", "Condition/devries-concern-school",
                     "--data", "Task/devries-agreement-daan", "-o", str(target))
    assert code == 0
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert len(bundle["entry"]) == 3
    for entry in bundle["entry"]:
        assert "profile" not in entry["resource"].get("meta", {})
    assert error_count(validate_resource(bundle)) == 0
    # the whole household as well: nothing in it breaks a profile it still claims
    code, _, _ = run("consent", "share", *ADVICE, "-o", str(target))
    assert error_count(validate_resource(json.loads(target.read_text(encoding="utf-8")))) == 0


def test_a_share_with_nothing_permitted_is_still_a_valid_bundle(tmp_path):
    target = tmp_path / "niets.json"
    code, _, _ = run("consent", "share", "--recipient", "Organization/devries-org-vt",
                     "--purpose", "anonymous-advice", "--at", "2026-11-20", "-o", str(target))
    assert code == 1
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert "entry" not in bundle
    assert error_count(validate_resource(bundle)) == 0
