#!/bin/bash
# bench/cases.sh — city management under load, run by bench/run.sh after the main bench (or
# alone: `bash bench/cases.sh`). With 100 000 cases in the database (`jiceng cases fill`):
#   (a) GET  /open311/v2/requests.json                 the spec's default answer (up to 1000)
#   (b) GET  /open311/v2/requests.json?page_size=50    what a polling client asks for
#   (c) POST /open311/v2/requests.json                 a report (form-encoded, keyed client)
# each against bench/bare.c answering a constant body of the same bytes, round by round in the
# same session, printed as ratios (jiceng req/s ÷ bare req/s), with latency, CPU per request and
# peak memory. Nothing is asserted. A POST is one durable transaction (the case, the audit
# record, fsync on SQLite): its ratio measures that, not the HTTP layer.
#
# Environment: BUILD, JICENG_BIN, CASES_COUNT=100000, CASES_BENCH_DURATION=5s,
# CASES_BENCH_ROUNDS=2, BENCH_WRK_THREADS=2, BENCH_CONNECTIONS=16, BENCH_THREADS=$(nproc),
# BENCH_DB=postgresql://… (an empty database) instead of a temporary SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
BIN=${JICENG_BIN:-$BUILD/jiceng}
COUNT=${CASES_COUNT:-100000}
DURATION=${CASES_BENCH_DURATION:-5s}
ROUNDS=${CASES_BENCH_ROUNDS:-2}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-$(nproc)}

die() {
    echo "bench cases: $*" >&2
    exit 1
}
[ -x "$BIN" ] || die "$BIN is not built"
command -v wrk >/dev/null || die "wrk is missing"
command -v curl >/dev/null || die "curl is missing"

BARE=$BUILD/bench/bare
if [ ! -x "$BARE" ] || [ bench/bare.c -nt "$BARE" ]; then
    mkdir -p "$BUILD/bench"
    # shellcheck disable=SC2046
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $(pkg-config --cflags libmicrohttpd) \
        -o "$BARE" bench/bare.c $(pkg-config --libs libmicrohttpd) || die "cannot build $BARE"
fi

TMP=$(mktemp -d /tmp/jiceng-bench-cases.XXXXXX)
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

free_port() {
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
wait_http() {
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# ---- the database: the demo world and COUNT synthetic cases ----
PW="bench-$RANDOM$RANDOM"
if [ -n "${BENCH_DB:-}" ]; then DB=$BENCH_DB BACKEND=postgresql; else DB=$TMP/cases.db BACKEND=sqlite; fi
"$BIN" init --db "$DB" --demo --admin-password "$PW" >"$TMP/init.log" 2>&1 || die "init failed"
t0=$(date +%s.%N)
"$BIN" cases fill --db "$DB" --count "$COUNT" >"$TMP/fill.log" 2>&1 || die "fill failed: $(tail -n 2 "$TMP/fill.log")"
t1=$(date +%s.%N)
KEY=$("$BIN" token create --db "$DB" --user admin --name bench 2>"$TMP/token.log") || die "token failed"

JPORT=$(free_port)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$JPORT" --threads "$THREADS" >"$TMP/jiceng.log" 2>&1 &
JPID=$!
PIDS+=("$JPID")
wait_http "http://127.0.0.1:$JPORT/healthz" "$JPID" || die "jiceng did not start"
J=http://127.0.0.1:$JPORT

# the measured requests, checked once, their answers kept as the baselines' bodies
GET_ALL=/open311/v2/requests.json
GET_PAGE="/open311/v2/requests.json?page_size=50"
FORM="service_code=litter&lat=34.7358&long=113.6850&description=%E8%B7%AF%E8%BE%B9%E5%9E%83%E5%9C%BE&api_key=$KEY"
for t in "all $GET_ALL" "page $GET_PAGE"; do
    read -r name path <<<"$t"
    code=$(curl -s -o "$TMP/$name.body" -w '%{http_code}' "$J$path")
    [ "$code" = 200 ] || die "GET $path answered $code"
done
code=$(curl -s -o "$TMP/post.body" -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "$FORM" "$J/open311/v2/requests.json")
[ "$code" = 201 ] || die "POST answered $code: $(head -c 200 "$TMP/post.body")"
ITEMS=$(grep -o '"service_request_id"' "$TMP/all.body" | wc -l)
cat >"$TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "$FORM"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

declare -A BURL BPID
for name in all page post; do
    port=$(free_port)
    "$BARE" --listen "127.0.0.1:$port" --threads "$THREADS" --body "$TMP/$name.body" >>"$TMP/bare.log" 2>&1 &
    BPID[$name]=$!
    PIDS+=("${BPID[$name]}")
    BURL[$name]=http://127.0.0.1:$port/
    wait_http "${BURL[$name]}" "${BPID[$name]}" || die "bare did not start"
done

to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }'
}
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
run_wrk() { # name pid url [lua]
    local name=$1 pid=$2 url=$3 out t0 t1 extra=()
    [ -n "${4:-}" ] && extra=(-s "$4")
    t0=$(cpu_ticks "$pid")
    out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency "${extra[@]}" "$url")
    t1=$(cpu_ticks "$pid")
    grep -q 'Non-2xx' <<<"$out" && { echo "$out" >&2; die "$name: answers that were not 2xx"; }
    local rps p50 p99 n
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    n=$(awk '/ requests in / {print $1}' <<<"$out")
    echo "$rps $p50 $p99 $(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN {printf "%.1f", d / hz * 1e6 / n}')" \
        >>"$TMP/$name.runs"
}
median() {
    awk -v c="$2" '{print $c}' "$TMP/$1.runs" | sort -g | awk '{a[NR] = $1} END {
        if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

echo "city management (cases) bench: $COUNT synthetic cases (filled in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s)," \
    "$BACKEND; wrk -t$WRK_THREADS -c$CONNS -d$DURATION, $ROUNDS rounds; servers with $THREADS threads"
for round in $(seq 1 "$ROUNDS"); do
    run_wrk bare_all "${BPID[all]}" "${BURL[all]}"
    run_wrk all "$JPID" "$J$GET_ALL"
    run_wrk bare_page "${BPID[page]}" "${BURL[page]}"
    run_wrk page "$JPID" "$J$GET_PAGE"
    run_wrk bare_post "${BPID[post]}" "${BURL[post]}" "$TMP/post.lua"
    run_wrk post "$JPID" "$J/open311/v2/requests.json" "$TMP/post.lua"
    echo "  round $round/$ROUNDS done"
done

printf '\n%-58s %8s %6s %7s %7s %9s\n' "target (median)" "req/s" "ratio" "p50 ms" "p99 ms" "CPU µs/req"
row() { # label name baseline
    local rps base ratio
    rps=$(median "$2" 1)
    base=$(median "$3" 1)
    ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.3f", a / b}')
    printf '%-58s %8.0f %6s %7s %7s %9s\n' "$1" "$rps" "$ratio" "$(median "$2" 2)" "$(median "$2" 3)" "$(median "$2" 4)"
}
row "bare, constant $(wc -c <"$TMP/all.body") B" bare_all bare_all
row "(a) GET requests.json ($ITEMS requests, $(wc -c <"$TMP/all.body") B)" all bare_all
row "bare, constant $(wc -c <"$TMP/page.body") B" bare_page bare_page
row "(b) GET requests.json?page_size=50" page bare_page
row "bare, POST answered with $(wc -c <"$TMP/post.body") B" bare_post bare_post
row "(c) POST requests.json (one durable case + audit each)" post bare_post
echo "  ratio = jiceng req/s ÷ req/s of the bare server answering the same bytes, same run"
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
echo "peak RSS (VmHWM): jiceng $(awk -v k="$(hwm "$JPID")" 'BEGIN {printf "%.1f MiB", k / 1024}')," \
    "bare $(awk -v k="$(hwm "${BPID[all]}")" 'BEGIN {printf "%.1f MiB", k / 1024}')"
[ "$BACKEND" = sqlite ] && echo "database file: $(du -m "$DB" | cut -f1) MiB after the run"
exit 0
