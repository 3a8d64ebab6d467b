#!/bin/bash
# bench/party.sh — 两新 coverage on a large registry, run by bench/run.sh (or alone).
#
# Fills a fresh demo database with PARTY_BENCH_UNITS units (default 100000) and
# PARTY_BENCH_MEMBERS members (default 1000000) with `jiceng party fill`, then measures in the
# same process and on the same connection (`jiceng party bench`, median of rounds):
#   (a) the coverage of 文化路街道 (every unit and member is below it): 组织覆盖率, 单独组建率,
#       organizations by state, members by stage — the work of GET /api/v1/party/coverage
#   (b) the baseline: a plain SELECT count(*) FROM party_members
#   (c) the same coverage for today rebuilt from the audit log (as_of; the bench data is written
#       without audit records, so this measures the audit scan of the demo's records only)
# and prints (a)/(b) and (c)/(b); then the same request over HTTP (GET /api/v1/party/coverage,
# with login and JSON) against (a), and the server's peak RSS. Nothing is asserted.
#
# Environment: BUILD, JICENG_BIN (as bench/run.sh), PARTY_BENCH_UNITS, PARTY_BENCH_MEMBERS,
# PARTY_BENCH_ROUNDS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
BIN=${JICENG_BIN:-$BUILD/jiceng}
UNITS=${PARTY_BENCH_UNITS:-100000}
MEMBERS=${PARTY_BENCH_MEMBERS:-1000000}
ROUNDS=${PARTY_BENCH_ROUNDS:-5}
AREA=410105008000

[ -x "$BIN" ] || { echo "bench/party: $BIN is not built" >&2; exit 1; }
TMP=$(mktemp -d /tmp/jiceng-bench-party.XXXXXX)
PID=""
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB=$TMP/party.db
PW="bench-$RANDOM$RANDOM"
"$BIN" init --db "$DB" --demo --admin-password "$PW" >"$TMP/init.log" 2>&1 ||
    { echo "bench/party: init failed: $(tail -n 3 "$TMP/init.log")" >&2; exit 1; }
"$BIN" party fill --db "$DB" --units "$UNITS" --members "$MEMBERS" >"$TMP/fill.log" 2>&1 ||
    { echo "bench/party: fill failed: $(tail -n 3 "$TMP/fill.log")" >&2; exit 1; }

TODAY=$(TZ=Asia/Shanghai date +%F)
"$BIN" party bench --db "$DB" --area "$AREA" --rounds "$ROUNDS" --as-of "$TODAY" >"$TMP/bench.out"
val() { awk -v k="$1" '$1 == k {print $2}' "$TMP/bench.out"; }
COV=$(val coverage_ms)
CNT=$(val count_ms)
ASOF=$(val asof_ms)
NMEM=$(val members)

# the same over HTTP: a server, a session, the median of ROUNDS requests
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}
PORT=$(free_port)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
done
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "http://127.0.0.1:$PORT/api/v1/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(jc_session=[^;]*\).*/\1/p')
: >"$TMP/http.times"
for _ in $(seq 1 "$ROUNDS"); do
    curl -s -o "$TMP/cov.json" -w '%{time_total}\n' -H "Cookie: $COOKIE" \
        "http://127.0.0.1:$PORT/api/v1/party/coverage?area=$AREA" >>"$TMP/http.times"
done
HTTP=$(sort -g "$TMP/http.times" | awk '{a[NR] = $1 * 1000} END {print a[int((NR + 1) / 2)]}')
HWM=$(awk '/^VmHWM:/ {print $2}' "/proc/$PID/status")
RSS=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")
OPERATING=$(sed -n 's/.*"operating":\([0-9]*\).*/\1/p' "$TMP/cov.json" | head -n 1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / b}'; }
echo "party bench: coverage of $AREA over $UNITS units ($OPERATING operating) and $NMEM members, SQLite, median of $ROUNDS"
printf '  %-62s %8s\n' "measure" "ratio"
printf '  %-62s %8s\n' "(b) SELECT count(*) FROM party_members (baseline)" "1.0"
printf '  %-62s %8s\n' "(a) coverage: units, organizations, members by stage" "$(ratio "$COV" "$CNT")"
printf '  %-62s %8s\n' "(c) coverage as_of today, rebuilt from the audit log" "$(ratio "$ASOF" "$CNT")"
printf '  %-62s %8s\n' "(d) GET /api/v1/party/coverage over HTTP, against (a)" "$(ratio "$HTTP" "$COV")"
echo "  ratio = time ÷ time of the baseline measured in the same run (same process, same connection)"
echo "  server peak RSS (VmHWM) after the requests: $(awk -v k="$HWM" 'BEGIN {printf "%.1f MiB", k / 1024}')," \
    "resident $(awk -v k="$RSS" 'BEGIN {printf "%.1f MiB", k / 1024}')"
