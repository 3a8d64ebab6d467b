#!/bin/bash
# bench/run.sh — `make bench`: jiceng under load, side by side with a bare libmicrohttpd server.
#
# Builds bench/bare.c, makes a fresh demo database, starts `jiceng serve --threads N` (N = cores)
# and two bare servers (same thread model, each sending a constant JSON body: the exact bytes of
# ledger task 1, and of the area list), logs in, and runs wrk with the same settings against
#   (a) jiceng GET /api/v1/ledger/tasks/1   (with the session cookie)   vs (c)  bare, same bytes
#   (b) jiceng GET /api/v1/areas            (with the session cookie)   vs (c2) bare, same bytes
# interleaved round by round (c, a, c2, b, c, a, …) so that each sees the same machine state,
# and prints the median requests/s, the ratio jiceng/bare, latency p50/p99 and the peak RSS of
# each server, and the server CPU time per request (from /proc/PID/stat; it does not depend on
# how much of the machine wrk takes). The issue's aim is a ratio ≥ 0.6 for (a) and (b); it is
# printed, not enforced.
#
# Environment:
#   BUILD=build              where jiceng is (and where bare is built: $BUILD/bench/bare)
#   JICENG_BIN=$BUILD/jiceng the jiceng binary to measure
#   BENCH_DB=postgresql://…  run against this PostgreSQL database instead of a temporary SQLite
#                            file; it must be empty (it is given the demo world)
#   BENCH_DURATION=8s BENCH_ROUNDS=3 BENCH_WRK_THREADS=2 BENCH_CONNECTIONS=32 BENCH_WARMUP=2s
#   BENCH_THREADS=$(nproc)   server threads
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
BIN=${JICENG_BIN:-$BUILD/jiceng}
DURATION=${BENCH_DURATION:-8s}
ROUNDS=${BENCH_ROUNDS:-3}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
WARMUP=${BENCH_WARMUP:-2s}
NCPU=$(nproc)
THREADS=${BENCH_THREADS:-$NCPU}
AIM=0.6

die() {
    echo "bench: $*" >&2
    exit 1
}

[ -x "$BIN" ] || die "$BIN is not built (make, or set JICENG_BIN)"
command -v curl >/dev/null || die "curl is required"
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "bench: installing wrk"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null ||
            { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; } ||
            die "could not install wrk"
    else
        die "wrk is missing: install it as root (apt-get install wrk)"
    fi
fi

# ---- the baseline ----
BARE=$BUILD/bench/bare
mkdir -p "$BUILD/bench"
if [ ! -x "$BARE" ] || [ bench/bare.c -nt "$BARE" ]; then
    # shellcheck disable=SC2046
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(pkg-config --cflags libmicrohttpd) \
        -o "$BARE" bench/bare.c $(pkg-config --libs libmicrohttpd) || die "cannot build $BARE"
fi

TMP=$(mktemp -d /tmp/jiceng-bench.XXXXXX)
PIDS=()
cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ $rc -ne 0 ]; then
        for log in "$TMP"/*.log; do [ -f "$log" ] && { echo "---- $log"; tail -n 20 "$log"; }; done
    fi
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a port nothing listens on (bash /dev/tcp: a refused connection means free)
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free port"
}

wait_http() { # url pid
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# ---- database and servers ----
PW="bench-$RANDOM$RANDOM"
if [ -n "${BENCH_DB:-}" ]; then
    DB=$BENCH_DB
    BACKEND=postgresql
else
    DB=$TMP/bench.db
    BACKEND=sqlite
fi
"$BIN" init --db "$DB" --demo --admin-password "$PW" >"$TMP/init.log" 2>&1 ||
    die "jiceng init failed: $(tail -n 3 "$TMP/init.log")"

JPORT=$(free_port)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$JPORT" --threads "$THREADS" >"$TMP/jiceng.log" 2>&1 &
JPID=$!
PIDS+=("$JPID")
wait_http "http://127.0.0.1:$JPORT/healthz" "$JPID" || die "jiceng did not start"
J=http://127.0.0.1:$JPORT
J_START=$(awk '/^VmRSS:/ {print $2}' "/proc/$JPID/status")

COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$J/api/v1/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(jc_session=[^;]*\).*/\1/p')
[ -n "$COOKIE" ] || die "login failed"

# both measured requests must succeed before they are measured
for path in /api/v1/ledger/tasks/1 /api/v1/areas; do
    code=$(curl -s -o "$TMP/body.json" -w '%{http_code}' -H "Cookie: $COOKIE" "$J$path")
    [ "$code" = 200 ] || die "GET $path answered $code: $(head -c 200 "$TMP/body.json")"
    bytes=$(wc -c <"$TMP/body.json")
    case $path in
    */tasks/1) TASK_BYTES=$bytes && cp "$TMP/body.json" "$TMP/task.json" ;;
    *) AREAS_BYTES=$bytes && cp "$TMP/body.json" "$TMP/areas.json" ;;
    esac
done

# Each jiceng answer is compared with a bare server sending a constant body of the same bytes,
# so that the ratio measures jiceng's work, not the size of the answer.
start_bare() { # body-file → sets BPID_NEW and B_NEW
    local port
    port=$(free_port)
    "$BARE" --listen "127.0.0.1:$port" --threads "$THREADS" --body "$1" >>"$TMP/bare.log" 2>&1 &
    BPID_NEW=$!
    PIDS+=("$BPID_NEW")
    wait_http "http://127.0.0.1:$port/" "$BPID_NEW" || die "bare did not start"
    B_NEW=http://127.0.0.1:$port
}
start_bare "$TMP/task.json"
BPID=$BPID_NEW B=$B_NEW
start_bare "$TMP/areas.json"
BPID2=$BPID_NEW B2=$B_NEW
B_START=$(awk '/^VmRSS:/ {print $2}' "/proc/$BPID/status")
J_LOGIN=$(awk '/^VmHWM:/ {print $2}' "/proc/$JPID/status")

# ---- load ----
# wrk prints latencies as 512.00us, 1.23ms, 1.01s: to milliseconds
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"
}

run_wrk() { # name pid url [cookie] → appends "rps p50 p99 cpu-us-per-request" to $TMP/name.runs
    local name=$1 pid=$2 url=$3 out t0 t1
    local hdr=()
    [ -n "${4:-}" ] && hdr=(-H "Cookie: $4")
    t0=$(cpu_ticks "$pid")
    out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency "${hdr[@]}" "$url")
    t1=$(cpu_ticks "$pid")
    if grep -q 'Non-2xx' <<<"$out"; then
        echo "$out" >&2
        die "$name: some answers were not 2xx"
    fi
    local rps p50 p99 n cpu
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    n=$(awk '/ requests in / {print $1}' <<<"$out")
    cpu=$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN {printf "%.1f", d / hz * 1e6 / n}')
    echo "$rps $p50 $p99 $cpu" >>"$TMP/$name.runs"
}

median() { # column of $TMP/name.runs
    awk -v c="$2" '{print $c}' "$TMP/$1.runs" | sort -g | awk '{a[NR] = $1} END {
        if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }

echo "jiceng bench: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "  $(uname -sr); wrk -t$WRK_THREADS -c$CONNS -d$DURATION, $ROUNDS rounds after a $WARMUP warm-up;" \
    "servers with $THREADS threads; $BACKEND database"
echo "  note: wrk runs on the same machine and competes with the servers for the cores"

for t in "bare $B/" "bare2 $B2/" "task $J/api/v1/ledger/tasks/1 $COOKIE" "areas $J/api/v1/areas $COOKIE"; do
    read -r name url cookie <<<"$t"
    hdr=()
    [ -n "${cookie:-}" ] && hdr=(-H "Cookie: $cookie")
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"$WARMUP" "${hdr[@]}" "$url" >/dev/null
done
last() { tail -n 1 "$TMP/$1.runs" | awk '{printf "%.0f", $1}'; }
for round in $(seq 1 "$ROUNDS"); do
    run_wrk bare "$BPID" "$B/"
    run_wrk task "$JPID" "$J/api/v1/ledger/tasks/1" "$COOKIE"
    run_wrk bare2 "$BPID2" "$B2/"
    run_wrk areas "$JPID" "$J/api/v1/areas" "$COOKIE"
    echo "  round $round/$ROUNDS: bare $(last bare), task $(last task), bare $(last bare2)," \
        "areas $(last areas) req/s"
done

J_HWM=$(hwm_kb "$JPID")
B_HWM=$(hwm_kb "$BPID")

printf '\n%-46s %8s %6s %6s %7s %7s %8s\n' "target (median of $ROUNDS rounds)" "req/s" "ratio" "aim" \
    "p50 ms" "p99 ms" "CPU µs/req"
row() { # label name aim baseline
    local rps ratio base
    rps=$(median "$2" 1)
    base=$(median "${4:-bare}" 1)
    ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
    printf '%-46s %8.0f %6s %6s %7s %7s %8s\n' "$1" "$rps" "$ratio" "$3" "$(median "$2" 2)" \
        "$(median "$2" 3)" "$(median "$2" 4)"
    if [ -n "$3" ] && awk -v r="$ratio" -v a="$AIM" 'BEGIN {exit !(r < a)}'; then BELOW="$BELOW $2"; fi
}
BELOW=""
row "(c) bare libmicrohttpd, constant JSON ${TASK_BYTES} B" bare "" bare
row "(a) jiceng GET /api/v1/ledger/tasks/1 (${TASK_BYTES} B)" task ">=$AIM" bare
row "(c2) bare libmicrohttpd, constant JSON ${AREAS_BYTES} B" bare2 "" bare2
row "(b) jiceng GET /api/v1/areas (${AREAS_BYTES} B)" areas ">=$AIM" bare2
echo "  ratio = jiceng req/s ÷ req/s of the bare server sending a body of the same size"
echo
echo "CPU per request: jiceng task $(awk -v a="$(median task 4)" -v b="$(median bare 4)" \
    'BEGIN {printf "%.1f", a / b}')x bare, areas $(awk -v a="$(median areas 4)" \
    -v b="$(median bare2 4)" 'BEGIN {printf "%.1f", a / b}')x bare"
echo "peak RSS (VmHWM): jiceng $(mib "$J_HWM"), bare $(mib "$B_HWM")"
echo "  jiceng: $(mib "$J_START") at start, peak $(mib "$J_LOGIN") after the one login (argon2id)," \
    "$(mib "$(rss_kb "$JPID")") resident after the load"
echo "  bare:   $(mib "$B_START") at start, $(mib "$(rss_kb "$BPID")") resident after the load"
if [ -n "$BELOW" ]; then
    echo "below the aim of $AIM:$BELOW (reported, not a failure; profile with perf record -g -p PID)"
else
    echo "both jiceng targets meet the aim of $AIM"
fi

# Each domain measures its own hot paths in bench/<domain>.sh (same conventions: a baseline run in
# the same session, ratios printed, nothing asserted).
for extra in bench/*.sh; do
    case $extra in bench/run.sh) continue ;; esac
    echo
    BUILD=$BUILD JICENG_BIN=$BIN bash "$extra" || echo "bench: $extra failed" >&2
done
