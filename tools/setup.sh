#!/usr/bin/env bash
# Set up the Python environment of fhir-regie in .venv from the pinned lock file.
# Idempotent: a second run only checks that everything is in place.
#   bash tools/setup.sh            # then: .venv/bin/fhir-regie demo
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "setup: $PYTHON not found; fhir-regie needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $("$PYTHON" --version)"
    "$PYTHON" -m venv .venv
fi

# Plan documents (docs/render.md): WeasyPrint renders PDF with Pango and HarfBuzz from the
# system, and needs a font; the demo writes a PDF, so these belong to the runtime.
# shellcheck source=tools/system_packages.sh
. tools/system_packages.sh
mapfile -t pdf_missing < <(missing_packages libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
                                           libharfbuzz-subset0 fonts-dejavu-core)
if [ "${#pdf_missing[@]}" -gt 0 ] && ! ensure_packages "${pdf_missing[@]}"; then
    echo "setup: without ${pdf_missing[*]} PDF output fails (HTML still works)" >&2
fi

stamp=.venv/.fhir-regie-lock
wanted="$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    echo "setup: .venv up to date with requirements.lock"
    exit 0
fi

echo "setup: installing pinned dependencies (requirements.lock) ..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
echo "setup: installing fhir-regie (editable) ..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    --no-deps --no-build-isolation -e .
.venv/bin/python -m pip check
echo "$wanted" > "$stamp"
echo "setup: done; try: .venv/bin/fhir-regie demo"
