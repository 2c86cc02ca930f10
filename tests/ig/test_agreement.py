"""Our validator and the HL7 reference validator give the same verdict on every input.

Valid means: no issue of severity error or fatal. The HL7 results come from the same single
JVM run the reference tests use (``reference_results``), so this costs no extra start-up.
Which rule each invalid fixture breaks is checked per validator in
``test_python_validator.py`` and ``test_reference_validator.py``. And where a binding is only
extensible, both warn at the same places.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count
from tests.ig.conftest import example_files, invalid_fixture_files, load_json
from tests.ig.probes import PROBES

INPUTS = example_files() + invalid_fixture_files()


def _ours_valid(path: Path) -> bool:
    return error_count(validate_resource(load_json(path))) == 0


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_verdict_as_the_reference(reference_results, path):
    theirs = [i for i in reference_results[str(path.resolve())] if i.is_error]
    ours_valid = _ours_valid(path)
    assert ours_valid == (not theirs), (
        f"{path.name}: ours says {'valid' if ours_valid else 'invalid'}, HL7 says "
        f"{'valid' if not theirs else 'invalid'}: "
        + "; ".join(f"{i.location}: {i.message}" for i in theirs[:5]))


def test_agreement_covers_every_example_and_fixture():
    assert len(example_files()) >= 100
    assert len(invalid_fixture_files()) >= 100
    assert len(INPUTS) == len(set(INPUTS))


def _hl7_location(location: str) -> str:
    """The HL7 validator's location as a FHIRPath location of ours: no ``/*Type/id*/`` notes,
    ``value.ofType(string)`` as ``valueString``."""
    location = re.sub(r"/\*[^*]*\*/", "", location)
    return re.sub(r"\.(\w+)\.ofType\((\w)(\w*)\)",
                  lambda m: f".{m.group(1)}{m.group(2).upper()}{m.group(3)}", location)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_binding_warnings_as_the_reference(reference_results, path):
    """Where a coding should come from an extensible value set (the guide's or R4 core's), we
    warn exactly where the HL7 validator does (its Terminology_TX_* warnings)."""
    theirs = sorted({_hl7_location(i.location) for i in reference_results[str(path.resolve())]
                     if i.severity == "warning" and (i.message_id or "").startswith(
                         "Terminology_TX")})
    ours = sorted({i["expression"][0] for i in validate_resource(load_json(path))["issue"]
                   if i["severity"] == "warning" and i["details"]["coding"][0]["code"]
                   in ("regie-binding-extensible", "regie-binding-no-code")})
    assert _comparable(ours) == _comparable(theirs)


#: A known difference (docs/development.md): where a profile binds a Coding extensibly to a
#: value set of its own over an extensible R4 core binding (Consent.provision.purpose over
#: v3-PurposeOfUse, Consent.provision.class over consent-content-class), the HL7 validator
#: also warns against the core's set, code by code; ours checks the profile's binding only.
#: Warnings, never a different verdict.
_CORE_REBOUND_CODINGS = re.compile(r"^Consent\.provision\.(purpose|class)\[\d+\]$")


def _comparable(locations: list[str]) -> list[str]:
    return [where for where in locations if not _CORE_REBOUND_CODINGS.match(where)]


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.name)
def test_same_verdict_on_the_probes(reference_results, probe_paths, probe):
    """Rules beyond the guide's own (tests/ig/probes.py): same verdict, ours for the reason
    and at the place the probe names, and the same binding warnings."""
    path = probe_paths[probe.name]
    reported = reference_results[str(path.resolve())]
    theirs = [i for i in reported if i.is_error]
    outcome = validate_resource(load_json(path))
    ours = [(i["details"]["coding"][0]["code"], i["expression"][0]) for i in outcome["issue"]
            if i["severity"] in ("error", "fatal")]
    assert bool(ours) == bool(theirs), (
        f"ours: {ours}; HL7: " + "; ".join(f"{i.location}: {i.message}" for i in theirs[:5]))
    if probe.expected is not None:
        assert probe.expected in ours, ours
    warned = sorted({i["expression"][0] for i in outcome["issue"] if i["severity"] == "warning"
                     and i["details"]["coding"][0]["code"] in (
                         "regie-binding-extensible", "regie-binding-no-code")})
    assert warned == sorted({_hl7_location(i.location) for i in reported
                             if i.severity == "warning"
                             and (i.message_id or "").startswith("Terminology_TX")})
