"""``fhir-regie viewer`` (the read-only web app) and ``fhir-regie audit`` (who viewed a plan).

Exit codes: 0 fine, 1 the server failed, 2 usage errors (one line).
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO


def register(commands: Any) -> None:
    """Add ``viewer`` and ``audit`` to the ``fhir-regie`` subcommands."""
    viewer = commands.add_parser("viewer", help="read-only plan viewer for GP and youth health "
                                                "care (SMART app)")
    source = viewer.add_mutually_exclusive_group(required=True)
    source.add_argument("--server", metavar="URL",
                        help="FHIR base URL (https; http only on this machine)")
    source.add_argument("--demo", action="store_true",
                        help="try it: an embedded FHIR server with the example households and a "
                             "local demo sign-in (never for real data); prints the URL to open")
    viewer.add_argument("--client-id", default="fhir-regie-viewer",
                        help="the viewer's client id at the authorization server")
    viewer.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1")
    viewer.add_argument("--public-url", metavar="URL", help="where users reach the viewer "
                        "(behind a TLS proxy); default http://127.0.0.1:PORT")
    viewer.add_argument("--region", default="default", help="region name or YAML file")
    viewer.add_argument("--idle-minutes", type=_positive, default=15, metavar="N",
                        help="a session ends after N minutes without a request (default 15)")
    viewer.add_argument("--session-hours", type=_positive, default=8, metavar="N",
                        help="a session ends N hours after sign-in, in use or not (default 8)")
    viewer.add_argument("--max-sessions", type=_positive, default=500, metavar="N",
                        help="at most N signed-in sessions; the least recently used goes "
                             "first (default 500)")
    viewer.set_defaults(handler=run_viewer)
    audit = commands.add_parser("audit", help="who viewed a plan, and when")
    audit.add_argument("--plan", required=True, metavar="ID", help="id of the CarePlan")
    audit.add_argument("--server", required=True, metavar="URL", help="FHIR base URL")
    audit.add_argument("--format", choices=("text", "json"), default="text")
    audit.set_defaults(handler=run_audit)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"needs a whole number of at least 1, not {text!r}")
    return number


def run_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``fhir-regie viewer --demo``: everything on this machine until Ctrl-C."""
    import time

    from fhir_regie.client.server import ServerError
    from fhir_regie.viewer.demo_launcher import demo
    from fhir_regie.workflow.regions import RegionError

    try:
        with demo(args.port, region=args.region) as url:
            print(f"Demo van de regie-viewer (verzonnen gezinnen): open {url} en kies "
                  "'huisarts' of 'JGZ'. Ctrl-C stopt de demo.", file=out, flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    except (ServerError, RegionError, RuntimeError, OSError) as error:
        print(f"fhir-regie viewer --demo: {error}", file=err)
        return 1
    return 0


def run_viewer(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import timedelta

    try:
        import uvicorn
    except ImportError as error:
        from fhir_regie.extras import missing_extra

        raise missing_extra("viewer", error, "the plan viewer") from None

    from fhir_regie.viewer.app import ViewerConfig, create_app
    from fhir_regie.viewer.sessions import SessionLimits
    from fhir_regie.viewer.smart import LaunchError
    from fhir_regie.workflow.regions import RegionError, load_region

    if args.demo:
        return run_demo(args, out, err)
    try:
        config = ViewerConfig(server=args.server, client_id=args.client_id,
                              base_url=args.public_url or f"http://127.0.0.1:{args.port}",
                              region=load_region(args.region),
                              sessions=SessionLimits(idle=timedelta(minutes=args.idle_minutes),
                                                     absolute=timedelta(hours=args.session_hours),
                                                     max_sessions=args.max_sessions))
    except (LaunchError, RegionError) as error:
        print(f"fhir-regie viewer: {error}", file=err)
        return 2
    print(f"{config.base_url}/ (EHR launch: {config.base_url}/launch); Ctrl-C stops it",
          file=out, flush=True)
    # uvicorn bounds the request line and headers (h11: 16 KiB); at most 200 connections are
    # served at once, more get 503
    uvicorn.run(create_app(config), host="127.0.0.1", port=args.port, access_log=False,
                log_level="warning", limit_concurrency=200)
    return 0


def run_audit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from fhir_regie.client import FhirClientError
    from fhir_regie.client.environment import ClientConfigError, client_from_env
    from fhir_regie.viewer.audit import fetch_views, view_lines
    from fhir_regie.viewer.smart import LaunchError, check_url

    try:
        check_url(args.server)
        client = client_from_env(args.server)
    except (LaunchError, ClientConfigError) as error:
        print(f"fhir-regie audit: {error}", file=err)
        return 2
    try:
        views = fetch_views(client, args.plan)
    except FhirClientError as error:
        print(f"fhir-regie audit: {error}", file=err)
        return 1
    if args.format == "json":
        print(json.dumps([v.to_dict() for v in views], ensure_ascii=False, indent=2), file=out)
    else:
        for line in view_lines(views, args.plan):
            print(line, file=out)
    return 0
