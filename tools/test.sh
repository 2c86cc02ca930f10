#!/usr/bin/env bash
# Install the build and verification toolchain and run the whole test suite.
#   bash tools/test.sh             # what CI runs (.ci/run)
# Steps: Python env, SUSHI (npm ci), FHIR package cache from npm, IG rebuild with a drift
# check, invalid-fixture and core-subset drift checks, HAPI FHIR server build and start,
# PostgreSQL (sync state), lint,
# the wheel installed outside the checkout, the unit suite on Python 3.13, then pytest (which runs the HL7 reference validator, and the contract and integration suites on
# sekmet and HAPI).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Python environment"
bash tools/setup.sh

step "System packages: Java and Maven (HL7 validator, HAPI), Node, Chromium"
# (The PDF libraries of the plan documents come with tools/setup.sh: the demo needs them.)
# shellcheck source=tools/system_packages.sh
. tools/system_packages.sh
missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
# The viewer's browser tests: Debian's Chromium, driven by Playwright with executable_path
# (never `playwright install`: browser downloads are not reachable), docs/render.md.
mapfile -t -O "${#missing[@]}" missing < <(missing_packages chromium)
# The plan PDF's tests render pages with pdftoppm and read their text (docs/render.md).
mapfile -t -O "${#missing[@]}" missing < <(missing_packages poppler-utils)
# The sync state store on PostgreSQL and the several-workers tests (docs/sync.md): Debian's
# PostgreSQL 15, run by tools/postgres.py in a directory of its own.
mapfile -t -O "${#missing[@]}" missing < <(missing_packages "${POSTGRES_PACKAGES[@]}")
ensure_packages "${missing[@]}"
java -version 2>&1 | sed -n 1p
mvn -B -version 2>&1 | sed -n 1p

step "HAPI FHIR server (tools/hapi): build, then start in the background"
# It starts (about a minute or two) while the guide is rebuilt and linted below; the tests find it
# through FHIR_REGIE_HAPI_URL, the two-server tests start their own pair. A server left over from
# an interrupted run is stopped first; this one is stopped on exit. It installs our package with
# HAPI's default settings (only `active` resources), as a vendor's server does, so every HAPI test
# also shows the released package loads there (tests/integration/test_hapi_stock_install.py
# checks each resource; FHIR_REGIE_HAPI_STOCK_URL).
bash tools/hapi.sh stop >/dev/null
bash tools/hapi.sh build
hapi_log="$(mktemp)"
bash tools/hapi.sh start --stock-package-install >"$hapi_log" 2>&1 &
hapi_pid=$!
pg_dir="$(mktemp -d)"
trap 'kill "$hapi_pid" 2>/dev/null || true; bash tools/hapi.sh status || true; bash tools/hapi.sh stop; rm -f "$hapi_log"; .venv/bin/python tools/postgres.py stop --dir "$pg_dir" || true; rm -rf "$pg_dir"' EXIT

step "PostgreSQL (tools/postgres.py): a throw-away cluster for the sync state tests"
FHIR_REGIE_PG_URL="$(.venv/bin/python tools/postgres.py start --dir "$pg_dir")"
export FHIR_REGIE_PG_URL
echo "$FHIR_REGIE_PG_URL"

step "SUSHI (npm ci)"
if [ ! -x node_modules/.bin/sushi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/sushi --version 2>&1 | sed -n "$ p"

step "FHIR package cache"
.venv/bin/python tools/fhir_cache.py

step "Implementation guide: rebuild and compare with the committed package"
.venv/bin/fhir-regie ig build --check

step "Invalid fixtures: regenerate and compare"
.venv/bin/python tools/invalid_fixtures.py --check

step "FHIR R4 core subset (validator package data): regenerate and compare"
.venv/bin/python tools/core_subset.py --check

step "Lint"
.venv/bin/ruff check .

step "The guide's site (fhir-regie ig site; the browser test checks every page)"
rm -rf build/site
.venv/bin/fhir-regie ig site -o build/site

step "Packaging: wheel and sdist, installed outside the checkout (core, then [server,render])"
bash tools/package_check.sh

step "Unit suite on Python 3.13 (when the machine has it)"
bash tools/py313.sh

step "HAPI FHIR server: wait until it answers"
hapi_status=0
wait "$hapi_pid" || hapi_status=$?
cat "$hapi_log"
if [ "$hapi_status" -ne 0 ]; then
    echo "the HAPI FHIR server did not start (see tools/hapi/target/run/data/server.log)" >&2
    exit 1
fi
FHIR_REGIE_HAPI_URL="$(.venv/bin/python -c 'import json; print(json.load(open("tools/hapi/target/run/hapi.json"))["base_url"])')"
export FHIR_REGIE_HAPI_URL
FHIR_REGIE_HAPI_STOCK_URL="$FHIR_REGIE_HAPI_URL"
export FHIR_REGIE_HAPI_STOCK_URL

step "Tests"
# CI=1 turns a missing reference validator or HAPI server into a failure instead of a skip.
export CI="${CI:-1}"
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
fi
exit "$status"
