"""Sources: Bundle files, examples and servers; one-line errors."""

from __future__ import annotations

import json

import pytest

from fhir_regie.workflow.sources import (
    SourceError,
    load_household_from_bundle,
    load_household_from_example,
    load_household_from_server,
)

from .conftest import example_resources


@pytest.mark.parametrize("kind", ["collection", "searchset", "transaction"])
def test_bundle_of_any_type(tmp_path, kind):
    resources = example_resources("household-de-vries")
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": kind, "entry": [
        {"resource": r} for r in resources.values()]}), encoding="utf-8")
    household = load_household_from_bundle(path)
    assert household.id == "household-de-vries"
    assert len(household.resources) == len(resources)


@pytest.mark.parametrize(("content", "message"), [
    ("{oops", "not valid JSON"),
    ('{"resourceType": "Patient"}', "not a FHIR Bundle"),
    ('{"resourceType": "Bundle", "entry": []}', "expected one household Group, found 0"),
])
def test_bad_bundles_are_one_line(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=message) as caught:
        load_household_from_bundle(path)
    assert str(caught.value).startswith(str(path))


def test_missing_file_and_unknown_example():
    with pytest.raises(SourceError, match=r"cannot read \(FileNotFoundError\)"):
        load_household_from_bundle("/nonexistent/bundle.json")
    with pytest.raises(SourceError, match="unknown example household 'nope'"):
        load_household_from_example("nope")


def test_server_auth_misconfiguration_is_one_line(monkeypatch):
    monkeypatch.setenv("FHIR_REGIE_TOKEN_URL", "https://auth.example.nl/token")
    monkeypatch.delenv("FHIR_REGIE_CLIENT_ID", raising=False)
    with pytest.raises(SourceError) as caught:
        load_household_from_server("http://127.0.0.1:9/fhir", "household-de-vries")
    assert str(caught.value) == ("http://127.0.0.1:9/fhir: FHIR_REGIE_TOKEN_URL needs "
                                 "FHIR_REGIE_CLIENT_ID")
