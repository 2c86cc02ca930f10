"""Benchmark: a household's plan read through the gateway against the same read straight from
the upstream server, measured in the same run (issue 26: the gateway adds at most 2x).

    .venv/bin/python benchmarks/gateway.py [--rounds 5] [--upstream URL]

The embedded server holds the De Vries household. *Direct*: the Python client reads the
household with its full walk (``fetch_household``: the Group, then every search and read that
connects plans, actions, scores, consents and what they refer to), as a system with full access
would. *Gateway*: the GP's system asks the gateway for the same household
(``GET Group/[id]/$regie-household``); the gateway makes the same walk upstream, lets the consent
guard decide and project, writes the disclosure record and answers. The token is fetched once
before timing (a token lives five minutes). Rounds alternate the two; the median of each is
compared. Exit code 1 when the ratio is above 2.

``--upstream URL`` uses a running server instead of a new embedded one (e.g. HAPI:
``--upstream "$FHIR_REGIE_HAPI_URL"``); the household goes there under new ids of this run.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
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
    parser.add_argument("--upstream", metavar="URL", help="a running FHIR server (default: a new "
                        "embedded one)")
    args = parser.parse_args(argv)
    prefix = f"bench{secrets.token_hex(3)}-" if args.upstream else ""
    household = f"{prefix}{HOUSEHOLD}"
    key = ECKey.generate_key("P-384")
    registry = Registry.from_data({"clients": [{
        "client_id": "his-huisarts",
        "organization": f"Organization/{prefix}devries-org-huisarts",
        "ura": "00001234", "role": "gp", "purposes": ["shared-plan-view"],
        "scopes": ["system/*.rs"],
        "jwks": {"keys": [{**key.as_dict(private=False), "kid": "k1"}]}}]})
    with contextlib.ExitStack() as stack:
        upstream = args.upstream.rstrip("/") if args.upstream else \
            stack.enter_context(EmbeddedServer()).base_url
        with FhirClient(upstream, timeout=(5, 300)) as client:
            client.transaction(make_bundle("transaction", [
                bundle_entry("PUT", r) for r in _renamed(prefix)]))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        app = create_app(GatewayConfig(upstream=upstream, registry=registry,
                                       base_url=base, rate=1000, burst=1000))
        stack.enter_context(serve(app, port))
        direct = stack.enter_context(FhirClient(upstream, timeout=(5, 120)))
        gp = stack.enter_context(FhirClient(
            base, timeout=(5, 120), auth=PrivateKeyJwt(f"{base}/auth/token", "his-huisarts", key,
                                                       "k1", scope="system/*.rs")))
        path = gp._url(f"Group/{household}/$regie-household")
        gp._json(gp._request("GET", path))          # warm up: token, caches, imports
        fetch_household(direct, household, fresh=True)
        times: dict[str, list[float]] = {"direct": [], "gateway": []}
        sizes = {}
        for _ in range(args.rounds):
            started = time.perf_counter()
            sizes["direct"] = len(fetch_household(direct, household, fresh=True))
            times["direct"].append(time.perf_counter() - started)
            started = time.perf_counter()
            sizes["gateway"] = len(gp._json(gp._request("GET", path))["entry"])
            times["gateway"].append(time.perf_counter() - started)
    direct_s, gateway_s = (statistics.median(times[k]) for k in ("direct", "gateway"))
    ratio = gateway_s / direct_s
    where = args.upstream or "embedded server, 127.0.0.1"
    print(f"household read, median of {args.rounds} rounds (upstream: {where})")
    print(f"  direct  (full walk, {sizes['direct']} resources): {direct_s * 1000:8.1f} ms")
    print(f"  gateway (guarded, {sizes['gateway']} go to the GP): {gateway_s * 1000:8.1f} ms")
    print(f"  ratio gateway/direct: {ratio:.2f}x (goal <= {GOAL:g}x)")
    return 0 if ratio <= GOAL else 1


def _renamed(prefix: str) -> list[dict]:
    """De Vries with every id and reference prefixed (a shared server keeps its own data)."""
    resources = household_resources(load_package(), HOUSEHOLD)
    if not prefix:
        return list(resources.values())
    ids = {key: f"{key.split('/')[0]}/{prefix}{key.split('/')[1]}" for key in resources}

    def walk(value: object) -> object:
        if isinstance(value, dict):
            out = {k: walk(v) for k, v in value.items()}
            if isinstance(out.get("reference"), str) and out["reference"] in ids:
                out["reference"] = ids[out["reference"]]
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    moved = [walk(r) for r in resources.values()]
    for resource in moved:
        resource["id"] = f"{prefix}{resource['id']}"   # type: ignore[index]
    return moved  # type: ignore[return-value]


if __name__ == "__main__":
    raise SystemExit(main())
