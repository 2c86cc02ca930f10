"""The sync configuration file (fhir_regie.sync.config): one-line errors naming file and key,
secrets by reference only, paths relative to the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from fhir_regie.sync.config import ConfigError, load_config, parse_duration

GOOD = """\
state: state/sync.db
organisation: Organization/devries-org-wijkteam
local:
  url: https://fhir.wijkteam.example/fhir
  auth: {token_url: "https://auth.wijkteam.example/token", client_id: regie-sync,
         private_key_file: keys/sync.pem, key_id: "2026-01"}
jobs:
  - name: gemeente
    partner: {kind: files, inbox: drop/uit, outbox: drop/in}
    mapping: gemeente-suite
    recipient: Organization/gemeente-arnhem
    schedule: {every: 5m}
  - name: jeugdhulp
    partner:
      kind: fhir
      url: https://fhir.jeugdhulp.example/fhir
      auth: {token_env: JEUGDHULP_TOKEN}
      timeout: [3, 20]
    direction: push
    recipient: Organization/jeugdhulp
    purpose: care-coordination
    overlap: 90s
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sync.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return str(caught.value)


def test_a_good_file_loads_with_paths_relative_to_it(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.state == tmp_path / "state" / "sync.db"
    files, fhir = config.jobs
    assert files.partner.inbox == tmp_path / "drop" / "uit"
    assert files.partner.outbox == tmp_path / "drop" / "in"
    assert files.schedule.every == 300
    assert files.direction == "both"
    assert files.pulls
    assert files.pushes
    assert files.files
    assert config.local.auth.private_key_file == tmp_path / "keys" / "sync.pem"
    assert fhir.partner.timeout == (3.0, 20.0)
    assert fhir.overlap == 90
    assert not fhir.pulls
    assert fhir.pushes
    assert config.job("jeugdhulp") is fhir


def test_a_missing_key_is_named_with_the_file(tmp_path):
    text = GOOD.replace("      url: https://fhir.jeugdhulp.example/fhir\n", "")
    assert error_of(tmp_path, text) == f"{tmp_path / 'sync.yaml'}: jobs[1].partner.url: required"


def test_a_secret_written_in_the_file_is_refused(tmp_path):
    text = GOOD.replace("auth: {token_env: JEUGDHULP_TOKEN}", "auth: {token: abc123}")
    message = error_of(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'sync.yaml'}: jobs[1].partner.auth.token: "
                              "secrets are never written in the file")
    assert "abc123" not in message


@pytest.mark.parametrize(("change", "expected"), [
    (("direction: push", "direction: sideways"), "jobs[1].direction: Input should be 'pull', "
                                                 "'push' or 'both'"),
    (("purpose: care-coordination", "purpose: curiosity"), "jobs[1].purpose: not a "
                                                           "sharing purpose"),
    (("overlap: 90s", "overlap: soon"), "jobs[1].overlap: expected a duration like 30s, 5m "
                                        "or 2h"),
    (("recipient: Organization/jeugdhulp", "recipient: Patient/x"), "jobs[1].recipient: "
                                                                    "String should match"),
    (("name: jeugdhulp", "name: gemeente"), "jobs: job names must be unique (gemeente)"),
    (("    mapping: gemeente-suite\n", ""),
     "jobs[0]: a file partner needs the name of its mapping"),
    (("outbox: drop/in", "archive: x"), "jobs[0].partner.archive: unknown key"),
    (("    purpose: care-coordination\n", "    mapping: gemeente-suite\n"),
     "jobs[1]: a FHIR partner speaks the guide's profiles: mapping must be regie"),
    (("auth: {token_env: JEUGDHULP_TOKEN}", "auth: {token_url: 'https://a/t'}"),
     "jobs[1].partner.auth: token_url and client_id go together"),
])
def test_mistakes_are_one_line_naming_the_key(tmp_path, change, expected):
    message = error_of(tmp_path, GOOD.replace(*change))
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'sync.yaml'}: {expected}"), message


def test_consents_and_audit_records_are_never_synchronised(tmp_path):
    text = GOOD.replace("    overlap: 90s\n", "    overlap: 90s\n    types: [Task, Consent]\n")
    assert "Consent are an organisation's own records" in error_of(tmp_path, text)


def test_unreadable_and_broken_files(tmp_path):
    assert error_of(tmp_path, "state: [") .endswith("not valid YAML at line 1")
    assert error_of(tmp_path, "- a\n- b\n").endswith("expected a mapping of keys (state, "
                                                     "organisation, local, jobs)")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.yaml")


def test_durations():
    assert parse_duration("250ms") == 0.25
    assert parse_duration("2h") == 7200
    assert parse_duration(12) == 12.0
    for bad in ("-1s", "five", True, -3):
        with pytest.raises(ValueError, match="duration"):
            parse_duration(bad)
