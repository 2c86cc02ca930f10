"""Benchmark: a household's plan read through the gateway against the same read straight from
the upstream server, measured in the same run (issue 26: the gateway adds at most 2x).

    .venv/bin/python benchmarks/gateway.py [--rounds 5]

The embedded server holds the De Vries household. *Direct*: the Python client reads the
household with its full walk (``fetch_household``: the Group, then every search and read that
connects plans, actions, scores, consents and what they refer to), as a system with full access
would. *Gateway*: the GP's system asks the gateway for the same household
(``GET Group/[id]/$regie-household``); the gateway makes the same walk upstream, lets the consent
guard decide and project, writes the disclosure record and answers. The token is fetched once
before timing (a token lives five minutes). Rounds alternate the two; the median of each is
compared. Exit code 1 when the ratio is above 2.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from joserfc.jwk import ECKey  # noqa: E402

from fhir_regie.client import FhirClient, PrivateKeyJwt, bundle_entry, make_bundle  # noqa: E402
from fhir_regie.client.household import fetch_household  # noqa: E402
from fhir_regie.client.server import EmbeddedServer  # noqa: E402
from fhir_regie.demo import household_resources  # noqa: E402
from fhir_regie.gateway.app import GatewayConfig, create_app  # noqa: E402
from fhir_regie.gateway.registry import Registry  # noqa: E402
from fhir_regie.ig import load_package  # noqa: E402
from fhir_regie.viewer.demo_launcher import free_port, serve  # noqa: E402

HOUSEHOLD = "household-de-vries"
GOAL = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    key = ECKey.generate_key("P-384")
    registry = Registry.from_data({"clients": [{
        "client_id": "his-huisarts", "organization": "Organization/devries-org-huisarts",
        "ura": "00001234", "role": "gp", "purposes": ["shared-plan-view"],
        "scopes": ["system/*.rs"],
        "jwks": {"keys": [{**key.as_dict(private=False), "kid": "k1"}]}}]})
    with EmbeddedServer() as server:
        with FhirClient(server.base_url, timeout=(5, 120)) as client:
            client.transaction(make_bundle("transaction", [
                bundle_entry("PUT", r) for r in
                household_resources(load_package(), HOUSEHOLD).values()]))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        app = create_app(GatewayConfig(upstream=server.base_url, registry=registry,
                                       base_url=base, rate=1000, burst=1000))
        with serve(app, port), FhirClient(server.base_url) as direct, FhirClient(
                base, auth=PrivateKeyJwt(f"{base}/auth/token", "his-huisarts", key, "k1",
                                         scope="system/*.rs")) as gp:
            path = gp._url(f"Group/{HOUSEHOLD}/$regie-household")
            gp._json(gp._request("GET", path))          # warm up: token, caches, imports
            fetch_household(direct, HOUSEHOLD)
            times: dict[str, list[float]] = {"direct": [], "gateway": []}
            sizes = {}
            for _ in range(args.rounds):
                started = time.perf_counter()
                sizes["direct"] = len(fetch_household(direct, HOUSEHOLD))
                times["direct"].append(time.perf_counter() - started)
                started = time.perf_counter()
                sizes["gateway"] = len(gp._json(gp._request("GET", path))["entry"])
                times["gateway"].append(time.perf_counter() - started)
    direct_s, gateway_s = (statistics.median(times[k]) for k in ("direct", "gateway"))
    ratio = gateway_s / direct_s
    print(f"household read, median of {args.rounds} rounds (embedded server, 127.0.0.1)")
    print(f"  direct  (full walk, {sizes['direct']} resources): {direct_s * 1000:8.1f} ms")
    print(f"  gateway (guarded, {sizes['gateway']} go to the GP): {gateway_s * 1000:8.1f} ms")
    print(f"  ratio gateway/direct: {ratio:.2f}x (goal <= {GOAL:g}x)")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
