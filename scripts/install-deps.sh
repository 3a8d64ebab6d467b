#!/bin/sh
# Installs what jiceng needs on Debian 12, and nothing when it is all there (idempotent).
#   scripts/install-deps.sh build   compiler and libraries (make run)
#   scripts/install-deps.sh test    + PostgreSQL, Node.js, Chromium, fonts, wrk (make test, bench)
set -eu
what=${1:-build}
cd "$(dirname "$0")/.."

build_pkgs="gcc make pkg-config libc6-dev libmicrohttpd-dev libjansson-dev libsodium-dev
  libsqlite3-dev libpq-dev libxlsxwriter-dev libzip-dev libexpat1-dev"
test_pkgs="$build_pkgs libcmocka-dev postgresql-15 nodejs npm chromium fonts-noto-cjk wrk
  clang libclang-rt-14-dev clang-format sqlite3 curl procps ca-certificates"

case "$what" in
build) pkgs=$build_pkgs ;;
test) pkgs=$test_pkgs ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in *" installed") ;; *) missing="$missing $p" ;; esac
done
# Node.js may come from elsewhere than Debian (a newer build): a working node + npm is enough.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    missing=$(echo "$missing" | tr ' ' '\n' | grep -vx -e nodejs -e npm | tr '\n' ' ')
fi
missing=$(echo $missing)

if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "jiceng: missing Debian packages: $missing" >&2
        echo "jiceng: run this as root, or: sudo apt-get install -y $missing" >&2
        exit 1
    fi
    echo "jiceng: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "$what" = test ]; then
    # browser tests: playwright-core from the npm registry, exactly as locked (no browser download)
    if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "jiceng: npm ci (playwright-core)"
        # trust the system's certificate store (it may hold a local or proxy CA), not only npm's
        ca=""
        [ -f /etc/ssl/certs/ca-certificates.crt ] && ca="--cafile=/etc/ssl/certs/ca-certificates.crt"
        # shellcheck disable=SC2086
        npm ci --no-audit --no-fund --loglevel=error $ca
    fi
fi
