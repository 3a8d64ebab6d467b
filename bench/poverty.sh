#!/bin/bash
# bench/poverty.sh — the poverty registry at the size of a county: an import of 300,000 households
# and 1,000,000 persons from CSV, and the status counts per village on that database, each set
# against a plain SQLite baseline run on the same rows in the same session (bench/poverty_base.c:
# one prepared INSERT per row in one transaction, nothing checked; one GROUP BY for the counts).
# Prints rows per second and the ratio jiceng/baseline, and the peak RSS of each process.
# Asserts nothing (run by bench/run.sh, or alone: BUILD=build bash bench/poverty.sh).
#
# Environment: BUILD=build  JICENG_BIN=$BUILD/jiceng
#              BENCH_POVERTY_HOUSEHOLDS=300000  BENCH_POVERTY_PERSONS=1000000
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
BIN=${JICENG_BIN:-$BUILD/jiceng}
NH=${BENCH_POVERTY_HOUSEHOLDS:-300000}
NP=${BENCH_POVERTY_PERSONS:-1000000}

die() {
    echo "bench/poverty: $*" >&2
    exit 1
}
[ -x "$BIN" ] || die "$BIN is not built (make, or set JICENG_BIN)"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed for the peak RSS (apt-get install time)"

mkdir -p "$BUILD/bench"
for tool in poverty_gen poverty_base; do
    if [ ! -x "$BUILD/bench/$tool" ] || [ "bench/$tool.c" -nt "$BUILD/bench/$tool" ]; then
        # shellcheck disable=SC2046
        ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $(pkg-config --cflags sqlite3) \
            -o "$BUILD/bench/$tool" "bench/$tool.c" $(pkg-config --libs sqlite3) ||
            die "cannot build $tool"
    fi
done

TMP=$(mktemp -d /tmp/jiceng-bench-poverty.XXXXXX)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# "SECONDS PEAK_KB" of a command (its output goes to $TMP/out)
measure() {
    /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" ||
        die "$1 failed: $(tail -n 3 "$TMP/err")"
    cat "$TMP/time"
}
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.0f", n / (s > 0 ? s : 0.001)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / (b > 0 ? b : 1)}'; }

echo "poverty bench: $NH households, $NP persons from CSV; $(nproc) cores"
"$BUILD/bench/poverty_gen" "$NH" "$NP" "$TMP/households.csv" "$TMP/persons.csv"
echo "  CSV: households $(du -h "$TMP/households.csv" | cut -f1), persons $(du -h "$TMP/persons.csv" | cut -f1)"

# the baseline: plain inserts, then plain counts
read -r B_SECS B_KB <<<"$(measure "$BUILD/bench/poverty_base" "$TMP/base.db" "$TMP/households.csv" "$TMP/persons.csv")"
BH_SECS=$(awk '$1 == "households" {print $3}' "$TMP/out")
BP_SECS=$(awk '$1 == "persons" {print $3}' "$TMP/out")
read -r BS_SECS BS_KB <<<"$(measure "$BUILD/bench/poverty_base" "$TMP/base.db" --stats)"
BS_SECS=$(awk '$1 == "stats" {print $3}' "$TMP/out")

# jiceng: a demo database (the 13 villages of 北山口镇), then the two imports and the counts
PW="bench-$RANDOM$RANDOM"
"$BIN" init --db "$TMP/jiceng.db" --demo --admin-password "$PW" >/dev/null || die "init failed"
read -r JH_SECS JH_KB <<<"$(measure "$BIN" import households "$TMP/households.csv" --db "$TMP/jiceng.db")"
read -r JP_SECS JP_KB <<<"$(measure "$BIN" import persons "$TMP/persons.csv" --db "$TMP/jiceng.db")"
read -r JS_SECS JS_KB <<<"$(measure "$BIN" poverty stats --db "$TMP/jiceng.db" --area 410181110000)"
read -r JO_SECS JO_KB <<<"$(measure "$BIN" poverty stats --db "$TMP/jiceng.db" --area 410181110000 --as-of 2016-12-31)"

# the counts over HTTP: GET /api/v1/poverty/stats, with the server's peak RSS
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null || echo 18977)
"$BIN" serve --db "$TMP/jiceng.db" --listen "127.0.0.1:$PORT" --threads 2 >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.1; done
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "http://127.0.0.1:$PORT/api/v1/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(jc_session=[^;]*\).*/\1/p')
H_SECS=$(curl -s -o "$TMP/stats.json" -w '%{time_total}' -H "Cookie: $COOKIE" \
    "http://127.0.0.1:$PORT/api/v1/poverty/stats?area=410181110000")
H_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
grep -q '"persons_total"' "$TMP/stats.json" || die "GET /api/v1/poverty/stats failed: $(head -c 200 "$TMP/stats.json")"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

printf '\n%-44s %12s %12s %7s %11s\n' "import (two passes: check, then write)" "rows/s" "base rows/s" "ratio" "peak RSS"
printf '%-44s %12s %12s %7s %11s\n' "households ($NH: + status row, tags)" "$(rate "$NH" "$JH_SECS")" \
    "$(rate "$NH" "$BH_SECS")" "$(ratio "$(rate "$NH" "$JH_SECS")" "$(rate "$NH" "$BH_SECS")")" "$(mib "$JH_KB")"
printf '%-44s %12s %12s %7s %11s\n' "persons ($NP: + membership row)" "$(rate "$NP" "$JP_SECS")" \
    "$(rate "$NP" "$BP_SECS")" "$(ratio "$(rate "$NP" "$JP_SECS")" "$(rate "$NP" "$BP_SECS")")" "$(mib "$JP_KB")"
echo "  baseline process (both files): peak RSS $(mib "$B_KB")"
printf '\n%-44s %12s %7s %11s\n' "counts per village and status" "÷ baseline" "" "peak RSS"
printf '%-44s %12s %7s %11s\n' "jiceng poverty stats (today)" "$(ratio "$JS_SECS" "$BS_SECS")x" "" "$(mib "$JS_KB")"
printf '%-44s %12s %7s %11s\n' "jiceng poverty stats --as-of 2016-12-31" "$(ratio "$JO_SECS" "$BS_SECS")x" "" "$(mib "$JO_KB")"
printf '%-44s %12s %7s %11s\n' "GET /api/v1/poverty/stats (server)" "$(ratio "$H_SECS" "$BS_SECS")x" "" "$(mib "$H_KB")"
echo "  ÷ baseline = time ÷ the time of one plain GROUP BY over the same rows (no history, no as-of);"
echo "  the baseline counts took $(awk -v s="$BS_SECS" 'BEGIN {printf "%.0f", s * 1000}') ms, peak RSS $(mib "$BS_KB")"
