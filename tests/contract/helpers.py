"""Small builders for contract-test data (synthetic, no real persons)."""

from __future__ import annotations

from typing import Any


def patient(system: str, value: str = "1", family: str = "Contract") -> dict[str, Any]:
    return {"resourceType": "Patient", "identifier": [{"system": system, "value": value}],
            "name": [{"family": family, "given": ["Test"]}], "gender": "unknown"}


def observation(system: str, subject: str, value: str = "1") -> dict[str, Any]:
    return {"resourceType": "Observation", "status": "final",
            "identifier": [{"system": system, "value": value}],
            "code": {"text": "contract test"}, "subject": {"reference": subject}}
