"""``fhir-regie handover``: usage errors are one line with exit 2, no server needed."""

from __future__ import annotations

import io
import json

import pytest

from fhir_regie.cli import main
from fhir_regie.demo_case import vt_case
from fhir_regie.handover.cli import load_cases

VT, TEAM = "http://127.0.0.1:9/fhir", "http://127.0.0.1:10/fhir"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_a_missing_case_file_is_one_line(tmp_path):
    code, _, err = run("handover", "send", "--from", VT, "--to", TEAM, "--case",
                       str(tmp_path / "geen.json"))
    assert code == 2
    assert err == f"fhir-regie handover send: {tmp_path / 'geen.json'}: cannot read (No such " \
                  "file or directory)\n"


@pytest.mark.parametrize(("content", "message"), [
    ("{oops", "not JSON or JSON lines (line 1)"),
    ('{"resourceType": "Patient"}', "document 1 is not a FHIR Bundle"),
    ("[]", "no Bundle in the file"),
])
def test_a_case_file_that_is_not_bundles_is_one_line(tmp_path, content, message):
    path = tmp_path / "case.json"
    path.write_text(content, encoding="utf-8")
    code, _, err = run("handover", "send", "--from", VT, "--to", TEAM, "--case", str(path))
    assert code == 2
    assert err == f"fhir-regie handover send: {path}: {message}\n"


def test_cases_come_as_a_bundle_an_array_or_json_lines(tmp_path):
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in vt_case()]}
    for text in (json.dumps(bundle), json.dumps([bundle, bundle]),
                 json.dumps(bundle) + "\n" + json.dumps(bundle) + "\n"):
        path = tmp_path / "cases.json"
        path.write_text(text, encoding="utf-8")
        cases = load_cases(path)
        assert all(len(case) == len(vt_case()) for case in cases)
    assert len(load_cases(path)) == 2


def test_reject_and_cancel_need_a_real_reason():
    code, _, err = run("handover", "reject", "vt-1", "--server", TEAM, "--reason", "  ")
    assert (code, err) == (2, "fhir-regie handover reject: --reason must say why (it goes to "
                              "Veilig Thuis)\n")
    code, _, err = run("handover", "cancel", "vt-1", "--from", VT, "--to", TEAM, "--reason", "")
    assert code == 2
    assert err.startswith("fhir-regie handover cancel: --reason must say why")
    assert run("handover", "reject", "vt-1", "--server", TEAM)[0] == 2   # --reason required


def test_bad_credentials_in_the_environment_are_one_line(monkeypatch):
    monkeypatch.setenv("FHIR_REGIE_TOKEN_URL", "https://auth.example/token")
    code, _, err = run("handover", "inbox", "--server", TEAM)
    assert (code, err) == (2, "fhir-regie handover inbox: FHIR_REGIE_TOKEN_URL needs "
                              "FHIR_REGIE_CLIENT_ID\n")


def test_an_unknown_region_is_a_usage_error(monkeypatch):
    code, _, err = run("handover", "accept", "vt-1", "--server", TEAM, "--region", "atlantis")
    assert code == 2
    assert err.startswith("fhir-regie handover accept: ")
    assert "atlantis" in err
