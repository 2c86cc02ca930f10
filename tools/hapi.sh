#!/usr/bin/env bash
# Build, start, stop the HAPI FHIR JPA server with the fhir-regie package (docs/hapi.md).
#   bash tools/hapi.sh build                      # mvn package when tools/hapi changed
#   bash tools/hapi.sh start [--port N] [--data DIR] [--heap 1g]
#   bash tools/hapi.sh status                     # base URL, pid, RSS; exit 1 when not running
#   bash tools/hapi.sh stop
# The pid file and state live in tools/hapi/target/run/. Needs Java 17, Maven and .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python tools/hapi.py "$@"
