#!/usr/bin/env bash
# Install the build and verification toolchain and run the whole test suite.
#   bash tools/test.sh             # what CI runs (.ci/run)
# Steps: Python env, SUSHI (npm ci), FHIR package cache from npm, IG rebuild with a drift
# check, invalid-fixture and core-subset drift checks, then pytest (which runs the HL7
# reference validator).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Python environment"
bash tools/setup.sh

step "Java and Maven (HL7 reference validator)"
missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]} with apt-get"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
java -version 2>&1 | sed -n 1p
mvn -B -version 2>&1 | sed -n 1p

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

step "Tests"
# CI=1 turns a missing reference validator into a failure instead of a skip.
export CI="${CI:-1}"
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
fi
exit "$status"
