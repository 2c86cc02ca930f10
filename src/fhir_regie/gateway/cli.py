"""``fhir-regie gateway``: run the consent-enforcing gateway on 127.0.0.1 until Ctrl-C.

Exit codes: 0 stopped, 2 usage or configuration errors (one line).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO


def register(commands: Any) -> None:
    """Add ``gateway`` to the ``fhir-regie`` subcommands."""
    gateway = commands.add_parser("gateway", help="consent-enforcing FHIR gateway for partner "
                                                  "systems (SMART Backend Services)")
    gateway.add_argument("--upstream", required=True, metavar="URL",
                         help="FHIR base URL of the care record's server")
    gateway.add_argument("--registry", required=True, metavar="FILE",
                         help="client registry (YAML or JSON, docs/gateway.md)")
    gateway.add_argument("--port", type=int, default=8090, help="port on 127.0.0.1")
    gateway.add_argument("--public-url", metavar="URL", help="where partners reach the gateway "
                         "(behind a TLS proxy); default http://127.0.0.1:PORT")
    gateway.add_argument("--discloser", metavar="Organization/ID",
                         help="recorded as discloser when a household names no managing "
                              "organisation")
    gateway.add_argument("--rate", type=float, default=20.0, metavar="N",
                         help="requests per second per client (default 20)")
    gateway.set_defaults(handler=run_gateway)


def run_gateway(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        import uvicorn

        from fhir_regie.gateway.app import GatewayConfig, create_app
        from fhir_regie.gateway.registry import Registry, RegistryError
    except ImportError as error:
        print(f"fhir-regie gateway: {error}", file=err)
        return 2
    if args.rate <= 0 or not 0 < args.port < 65536:
        print("fhir-regie gateway: --rate and --port must be positive", file=err)
        return 2
    try:
        registry = Registry.load(args.registry)
    except RegistryError as error:
        print(f"fhir-regie gateway: {error}", file=err)
        return 2
    base = args.public_url or f"http://127.0.0.1:{args.port}"
    app = create_app(GatewayConfig(upstream=args.upstream, registry=registry, base_url=base,
                                   discloser=args.discloser, rate=args.rate))
    print(f"fhir-regie gateway: {base} -> {args.upstream} ({len(registry.clients)} "
          "client(s)); Ctrl-C stops", file=out, flush=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, access_log=False, log_level="warning")
    return 0
