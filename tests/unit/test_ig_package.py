"""The compiled guide shipped as package data: identity, profiles, loading."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fhir_regie.ig import (
    CANONICAL,
    FHIR_VERSION,
    PACKAGE_ID,
    MissingPackageDataError,
    codesystem_url,
    load_package,
    load_package_from,
    profile_url,
    valueset_url,
)

ROOT = Path(__file__).resolve().parents[2]

# The profiles the guide promises (issue 2), with their base resource types.
PROMISED_PROFILES = {
    "regie-patient": "Patient", "regie-related-person": "RelatedPerson",
    "regie-household": "Group", "regie-alert": "Flag", "regie-care-team": "CareTeam",
    "regie-support-plan": "CarePlan", "regie-safety-plan": "CarePlan", "regie-goal": "Goal",
    "regie-concern": "Condition", "regie-strength": "Observation",
    "regie-agreed-action": "Task", "regie-plan-signature": "Provenance",
    "regie-safety-scale-score": "Observation",
    "regie-safety-log-entry": "Observation", "regie-signal": "Observation",
    "regie-meldcode-step": "Task", "regie-sharing-consent": "Consent",
    "regie-disclosure": "AuditEvent", "regie-handover": "Task",
    "regie-handover-document": "Composition",
    # issue 7: the notified pull and the terms a handover starts
    "regie-handover-notification": "Task", "regie-deadline": "Task",
    # issue 21: the report received by Veilig Thuis
    "regie-report": "Communication",
}


def test_constants_equal_sushi_config():
    config = yaml.safe_load((ROOT / "sushi-config.yaml").read_text(encoding="utf-8"))
    from_config = (config["canonical"], config["id"], config["fhirVersion"])
    assert from_config == (CANONICAL, PACKAGE_ID, FHIR_VERSION)


def test_manifest_matches_sushi_config():
    config = yaml.safe_load((ROOT / "sushi-config.yaml").read_text(encoding="utf-8"))
    manifest = load_package().manifest
    assert manifest["name"] == config["id"]
    assert manifest["version"] == str(config["version"])
    assert manifest["canonical"] == config["canonical"]
    assert manifest["fhirVersions"] == [config["fhirVersion"]]
    assert manifest["dependencies"] == {"hl7.fhir.r4.core": "4.0.1"}


def test_canonical_urls():
    assert profile_url("regie-patient") == f"{CANONICAL}/StructureDefinition/regie-patient"
    assert codesystem_url("regie-role") == f"{CANONICAL}/CodeSystem/regie-role"
    assert valueset_url("regie-role") == f"{CANONICAL}/ValueSet/regie-role"


def test_every_promised_profile_exists_on_its_base_resource():
    package = load_package()
    found = {sd["id"]: sd["type"] for sd in package.profiles()}
    assert found == PROMISED_PROFILES


@pytest.mark.parametrize("profile_id", sorted(PROMISED_PROFILES))
def test_profile_has_purpose_and_dutch_and_english_descriptions(profile_id):
    sd = load_package().by_url(profile_url(profile_id))
    assert sd["fhirVersion"] == FHIR_VERSION
    assert sd.get("purpose"), f"{profile_id} has no purpose line"
    assert sd.get("description"), f"{profile_id} has no description"
    assert sd["snapshot"]["element"], f"{profile_id} was compiled without snapshot"
    root = sd["snapshot"]["element"][0]
    assert root.get("short"), f"{profile_id} has no English short description"
    translations = {
        parts["lang"]: parts["content"]
        for extension in root.get("_short", {}).get("extension", [])
        if extension["url"] == "http://hl7.org/fhir/StructureDefinition/translation"
        for parts in [{e["url"]: next(v for k, v in e.items() if k.startswith("value"))
                       for e in extension["extension"]}]
    }
    assert translations.get("nl"), f"{profile_id} has no Dutch short description"
    must_support = [e for e in sd["differential"]["element"] if e.get("mustSupport")]
    assert must_support, f"{profile_id} flags nothing must-support"


def test_by_url_ignores_a_version_suffix():
    package = load_package()
    url = profile_url("regie-patient")
    assert package.by_url(f"{url}|0.2.0") is package.by_url(url)


def test_missing_package_data_is_a_clear_error(tmp_path):
    with pytest.raises(MissingPackageDataError, match="fhir-regie ig build"):
        load_package_from(tmp_path)
