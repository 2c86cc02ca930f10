#!/usr/bin/env bash
# The library as a pip user gets it: build the wheel and the sdist, install the wheel into fresh
# venvs OUTSIDE the checkout, and run the command line from there (docs/development.md).
#   bash tools/package_check.sh
# 1. core install (no extras): `validate` an example, `map` a partner export, `ig package`, and
#    a command that needs an extra must fail with one line naming it;
# 2. with the extras [server,render]: `demo`, and `ig site` (narrative from the package data).
# Dependencies come from requirements.lock (pip's constraint), so nothing unpinned is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
work="$(mktemp -d /tmp/fhir-regie-package-XXXXXX)"
trap 'rm -rf "$work"' EXIT
py="${PYTHON:-python3.11}"

echo "package: building wheel and sdist (no build isolation: offline) ..."
.venv/bin/python -m build --no-isolation --wheel --sdist --outdir "$work/dist" . >"$work/build.log" 2>&1 \
    || { tail -20 "$work/build.log"; exit 1; }
wheel="$(ls "$work"/dist/fhir_regie-*.whl)"
sdist="$(ls "$work"/dist/fhir_regie-*.tar.gz)"
echo "package: $(basename "$wheel"), $(basename "$sdist")"
# The sdist must hold what the wheel is built from: the mappings and the package data.
tar tzf "$sdist" >"$work/sdist.txt"
grep -q "mappings/gemeente-suite/mapping.yaml" "$work/sdist.txt" \
    || { echo "package: the sdist lacks mappings/" >&2; exit 1; }
python3 - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for wanted in ("fhir_regie/mapping/maps/gemeente-suite/mapping.yaml",
               "fhir_regie/mapping/maps/vt-registratie/to-fhir.jsonata",
               "fhir_regie/ig/package/package.json", "fhir_regie/ig/package/.index.json",
               "fhir_regie/ig/package/example/.index.json", "fhir_regie/validation/r4core.json"):
    if wanted not in names:
        sys.exit(f"package: the wheel lacks {wanted}")
if any("fixtures/" in name for name in names if "/maps/" in name):
    sys.exit("package: the wheel carries the mappings' test fixtures")
PY

install() {  # venv folder, wheel spec
    "$py" -m venv "$1"
    "$1/bin/python" -m pip install --quiet --disable-pip-version-check -c "$root/requirements.lock" "$2"
}

cd "$work"   # outside the checkout from here on: nothing may be found through it
echo "package: core install (no extras) ..."
install "$work/core" "$wheel"
unset FHIR_REGIE_MAPPINGS  # the installed maps, never a checkout's
core="$work/core/bin/fhir-regie"
"$core" --version
example="$("$work/core/bin/python" -c 'from importlib import resources; print(resources.files("fhir_regie.ig") / "package" / "example" / "Group-household-de-vries.json")')"
"$core" validate "$example"
cp -r "$root/mappings/gemeente-suite/fixtures/export" "$work/export"
"$core" map --partner gemeente-suite --to-fhir "$work/export" -o "$work/mapped.jsonl"
test -s "$work/mapped.jsonl" || { echo "package: map wrote nothing" >&2; exit 1; }
echo "package: map wrote $(wc -l <"$work/mapped.jsonl") Bundles"
"$core" ig package -o "$work/tgz"
ls "$work"/tgz/nl.fhir-regie.r4-*.tgz >/dev/null
for module in sekmet weasyprint starlette fhirclient uvicorn; do
    if "$work/core/bin/python" -c "import $module" 2>/dev/null; then
        echo "package: $module is installed without its extra" >&2; exit 1
    fi
done
status=0
"$core" demo --out "$work/demo-core" >"$work/demo-core.out" 2>"$work/demo-core.err" || status=$?
if [ "$status" -eq 0 ] || ! grep -q "fhir-regie\[server\]" "$work/demo-core.err" \
        || [ "$(wc -l <"$work/demo-core.err")" -ne 1 ]; then
    echo "package: demo without [server] should fail with one line naming the extra:" >&2
    cat "$work/demo-core.err" >&2; exit 1
fi
echo "package: without the extra, demo says: $(cat "$work/demo-core.err")"

echo "package: install with extras [server,render] ..."
install "$work/full" "$wheel[server,render]"
"$work/full/bin/fhir-regie" demo --out "$work/demo" >"$work/demo.out"
tail -3 "$work/demo.out"
"$work/full/bin/fhir-regie" ig site -o "$work/site"
test -s "$work/site/narrative-README.html" || { echo "package: the site lacks the narrative" >&2; exit 1; }
echo "package: wheel and sdist build, install and run outside the checkout"
