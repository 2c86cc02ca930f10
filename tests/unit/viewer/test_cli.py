"""``fhir-regie viewer`` and ``fhir-regie audit`` refuse clear-text servers with one line."""

from __future__ import annotations

import io

import pytest

from fhir_regie.cli import main


@pytest.mark.parametrize("command", [["viewer"], ["audit", "--plan", "devries-safety-plan"]])
def test_a_clear_text_server_off_this_machine_is_a_usage_error(command):
    out, err = io.StringIO(), io.StringIO()
    code = main([*command, "--server", "http://fhir.example.nl/fhir"], stdout=out, stderr=err)
    assert code == 2
    assert err.getvalue() == (f"fhir-regie {command[0]}: --server: needs https (http only on "
                              "this machine)\n")
    assert out.getvalue() == ""


@pytest.mark.parametrize("option", ["--idle-minutes", "--session-hours", "--max-sessions"])
@pytest.mark.parametrize("value", ["0", "-5", "kwartier"])
def test_session_limits_must_be_positive(option, value, capsys):
    assert main(["viewer", "--server", "https://fhir.example.nl/fhir", option, value]) == 2
    assert f"{option}: needs a whole number of at least 1, not '{value}'" in capsys.readouterr().err
