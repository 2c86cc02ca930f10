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
