"""A push-only drop directory in a JSON format: the GP's read-only summary (``huisarts-jgz``:
plain FHIR R4 Bundles as JSON lines), for a household the GP may see (sekmet and HAPI)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from fhir_regie.ig import CANONICAL
from fhir_regie.model import sharing_consent, to_json
from fhir_regie.sync.config import load_config
from fhir_regie.sync.worker import run_once
from tests import identities
from tests.conftest import RunningServer
from tests.integration.sync.conftest import fresh_client
from tests.integration.sync.household import (
    OURS,
    Jansen,
    ensure_organisations,
    load,
    organisation,
)

GP = "Organization/sync-org-huisarts"


def test_a_household_summary_goes_to_the_gps_drop_directory(fhir_server: RunningServer,
                                                            tmp_path: Path) -> None:
    local = fresh_client(fhir_server.base_url)
    ensure_organisations(local)  # the household's own consents name both (HAPI checks)
    load(local, [organisation(GP, "Huisartsenpraktijk De Linde", "90004733")])
    path = tmp_path / "sync.yaml"
    path.write_text(yaml.safe_dump({
        "state": "state.db", "organisation": OURS, "local": {"url": fhir_server.base_url},
        "jobs": [{"name": "huisarts", "partner": {"kind": "files", "outbox": "naar-huisarts"},
                  "mapping": "huisarts-jgz", "direction": "push", "push_scope": "household",
                  "purpose": "shared-plan-view", "recipient": GP, "start": "now"}]}))
    config = load_config(path)
    assert run_once(config).ok  # starts now
    home = Jansen(identities.tag("j"))
    resources = home.resources()
    fenna = f"Patient/{home.tag}-fenna"
    now = datetime.now(UTC)
    consents = [to_json(sharing_consent(
        id=f"{home.tag}-{person}-gp", client=f"Patient/{home.tag}-{person}", given_by=fenna,
        on=now - timedelta(hours=1), recipients=GP, purposes="shared-plan-view",
        data_classes=["household-composition", "support-plan", "agreed-actions"],
        period_start=now.date().isoformat(),
        period_end=(now + timedelta(days=365)).date().isoformat(), verified_with=fenna,
        verified_on=now - timedelta(hours=1), recorded_by=OURS))
        for person in ("fenna", "milan", "sara")]
    load(local, [*resources, *consents, home.action(1), home.action(2, health=True)])
    outcome = run_once(config)
    report = outcome.reports["huisarts"]
    assert report.push.applied >= 1
    [export] = list((tmp_path / "naar-huisarts").iterdir())
    assert export.suffix == ".jsonl"
    [bundle] = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    text = json.dumps(bundle, ensure_ascii=False)
    assert CANONICAL not in text  # plain FHIR R4 only, nothing of the guide
    kinds = sorted({e["resource"]["resourceType"] for e in bundle["entry"]})
    assert {"Composition", "Group", "Patient", "Task"} <= set(kinds)
    tasks = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Task"]
    assert [t["description"] for t in tasks] == ["Afspraak 1: gesprek plannen"]  # not health
    assert "Jansen" in text  # the household the GP may see
    again = run_once(config).reports["huisarts"]
    assert again.push.applied == 0  # nothing changed: nothing sent again
    assert len(list((tmp_path / "naar-huisarts").iterdir())) == 1
