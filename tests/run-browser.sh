#!/usr/bin/env bash
# Browser test of the web UI: a fresh demo database in a temporary directory, `jiceng serve` on a
# free loopback port, then `node --test tests/browser/` (playwright-core driving Debian's
# chromium). Exits with the test status.
#
#   tests/run-browser.sh                       # uses build/jiceng
#   JICENG_BIN=build-web/jiceng tests/run-browser.sh
#   CHROMIUM=/path/to/chromium tests/run-browser.sh
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${JICENG_BIN:-build/jiceng}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$BIN" ]; then
    echo "run-browser: $BIN not found or not executable (run make first)" >&2
    exit 2
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "run-browser: chromium not found at $CHROMIUM (apt-get install chromium fonts-noto-cjk)" >&2
    exit 2
fi
if ! command -v node >/dev/null; then
    echo "run-browser: node not found (apt-get install nodejs npm)" >&2
    exit 2
fi
if [ ! -f node_modules/playwright-core/package.json ]; then
    echo "run-browser: installing playwright-core (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-browser.XXXXXX")
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSWORD="browser-$(date +%s)-$$"
DB="$TMP/demo.db"
"$BIN" init --db "$DB" --demo --admin-password "$PASSWORD" >"$TMP/init.log" 2>&1 || {
    cat "$TMP/init.log" >&2
    exit 1
}

# a free port: ask the kernel for one, then let the server take it (retry if someone was faster)
free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

started=
for attempt in 1 2 3 4 5; do
    PORT=$(free_port)
    "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
            started=1
            break
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$started" ] && break
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
done
if [ -z "$started" ]; then
    echo "run-browser: the server did not start" >&2
    cat "$TMP/server.log" >&2
    exit 1
fi
echo "run-browser: $BIN serving on http://127.0.0.1:$PORT"

mkdir -p tests/browser/screenshots
status=0
BASE_URL="http://127.0.0.1:$PORT" JICENG_TEST_PASSWORD="$PASSWORD" CHROMIUM="$CHROMIUM" \
    node --test --test-concurrency=1 tests/browser/ || status=$?

if [ "$status" -ne 0 ]; then
    echo "run-browser: FAILED — server log:" >&2
    tail -n 50 "$TMP/server.log" >&2
fi
exit "$status"
