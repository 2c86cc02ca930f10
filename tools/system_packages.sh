#!/usr/bin/env bash
# Sourced by tools/setup.sh and tools/test.sh: install Debian packages that are missing.
#   ensure_packages PKG...     installs the missing ones with apt-get (sudo when not root)
# A package counts as present when dpkg says "install ok installed"; a command that exists
# without its package (say a Java from elsewhere) is checked by the caller with `command -v`.

missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || printf '%s\n' "$pkg"
    done
}

ensure_packages() {
    [ "$#" -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "missing system packages (no apt-get here; install them yourself): $*" >&2
        return 1
    fi
    echo "installing $* with apt-get"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# The sync state store's second implementation and the several-workers tests run on Debian's
# PostgreSQL (15 on bookworm): tools/test.sh installs it when missing, tools/postgres.py runs it.
POSTGRES_PACKAGES=(postgresql)
