#!/usr/bin/env bash
# The unit suite on the newest supported Python (3.13), in .venv-3.13 with the pinned
# requirements.lock and the checkout installed editable.
#   bash tools/py313.sh [pytest args]
# Python 3.13 is used when the machine has it (on PATH, or under pyenv); a machine without it
# skips this step and says so: the kind of machine CI runs on has pyenv's 3.13 today, but it is
# not promised (docs/development.md).
set -euo pipefail
cd "$(dirname "$0")/.."
py=""
# pyenv's shim exists for every installed version but runs only the selected one: try the real
# binaries first, and keep a candidate only if it runs.
candidates=()
if command -v pyenv >/dev/null 2>&1; then
    mapfile -t candidates < <(ls -d "$(pyenv root)"/versions/3.13*/bin/python3.13 2>/dev/null | sort -rV)
fi
candidates+=("$(command -v python3.13 || true)")
for candidate in "${candidates[@]}"; do
    if [ -n "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then
        py="$candidate"
        break
    fi
done
if [ -z "$py" ]; then
    echo "py313: no Python 3.13 on this machine: the unit suite on 3.13 is SKIPPED"
    exit 0
fi
echo "py313: $("$py" --version) ($py)"
venv=.venv-3.13
stamp="$venv/.fhir-regie-lock"
wanted="$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --no-deps --no-build-isolation -e .
    echo "$wanted" >"$stamp"
fi
exec "$venv/bin/python" -m pytest tests/unit -q -m "not hapi" "$@"
