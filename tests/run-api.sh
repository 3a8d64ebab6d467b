#!/bin/bash
# Black-box API tests over real HTTP against a running jiceng, on one backend.
#
#   tests/run-api.sh sqlite|pg
#
# Builds nothing: uses ${JICENG_BIN:-build/jiceng}. Makes a fresh demo database (SQLite: a temp
# file; pg: a private PostgreSQL cluster on a free loopback port, or a fresh database on
# $JICENG_TEST_PG_URI when set), serves it on a free port, runs node --test tests/api/*.test.mjs,
# then checks durability (kill -9, restart, the acknowledged task is there), two servers on one
# database sharing sessions and records, a clean SIGTERM
# shutdown, no sanitizer report in the server log, and `jiceng verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=${1:-}
case "$backend" in
sqlite | pg) ;;
*)
    echo "usage: $0 sqlite|pg" >&2
    exit 2
    ;;
esac

BIN=${JICENG_BIN:-build/jiceng}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
    echo "run-api: $BIN is not built (make, or set JICENG_BIN)" >&2
    exit 2
fi
command -v node >/dev/null || { echo "run-api: node is required" >&2; exit 2; }
command -v curl >/dev/null || { echo "run-api: curl is required" >&2; exit 2; }

echo "== API tests on $backend ($BIN)"

PW="api-test-$RANDOM$RANDOM"
TMP=$(mktemp -d /tmp/jiceng-api.XXXXXX)
chmod 755 "$TMP"
SERVER_PID=""
PG_STARTED=""
PG_DROP_DB=""
PGBIN=${PGBIN:-}
SERVER_LOGS=()

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    local rc=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$PG_DROP_DB" ]; then
        "$PGBIN/dropdb" --if-exists --maintenance-db="$JICENG_TEST_PG_URI" "$PG_DROP_DB" \
            2>/dev/null || true
    fi
    if [ -n "$PG_STARTED" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$TMP/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ $rc -ne 0 ]; then
        for log in "${SERVER_LOGS[@]}"; do
            [ -f "$log" ] && { echo "---- $log (last 40 lines)"; tail -n 40 "$log"; }
        done
        [ -f "$TMP/pg.log" ] && { echo "---- PostgreSQL log"; tail -n 20 "$TMP/pg.log"; }
    fi
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# ---- the database ----
if [ "$backend" = sqlite ]; then
    DB="$TMP/api.db"
else
    if [ -z "$PGBIN" ]; then
        for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
            [ -x "$d/pg_ctl" ] && { PGBIN=$d; break; }
        done
    fi
    [ -x "$PGBIN/pg_ctl" ] || { echo "run-api: PostgreSQL binaries not found (PGBIN)" >&2; exit 2; }
    dbname="jiceng_api_$$_$RANDOM"
    if [ -n "${JICENG_TEST_PG_URI:-}" ]; then
        # a fresh database on the given server; the URI's own database is the maintenance db
        "$PGBIN/createdb" --maintenance-db="$JICENG_TEST_PG_URI" "$dbname"
        PG_DROP_DB=$dbname
        uri=${JICENG_TEST_PG_URI%%\?*}
        query=""
        [ "$uri" != "$JICENG_TEST_PG_URI" ] && query="?${JICENG_TEST_PG_URI#*\?}"
        rest=${uri#*://}
        case "$rest" in */*) uri=${uri%/*} ;; esac
        DB="$uri/$dbname$query"
        echo "   PostgreSQL: database $dbname on \$JICENG_TEST_PG_URI"
    else
        mkdir -p "$TMP/pgdata" "$TMP/pgsock"
        [ "$(id -u)" = 0 ] && chown postgres: "$TMP/pgdata" "$TMP/pgsock"
        as_postgres "$PGBIN/initdb" -D "$TMP/pgdata" -A trust -U postgres -E UTF8 \
            --locale=C >"$TMP/initdb.log" 2>&1 || { cat "$TMP/initdb.log" >&2; exit 1; }
        PGPORT=$(free_port)
        touch "$TMP/pg.log"
        [ "$(id -u)" = 0 ] && chown postgres: "$TMP/pg.log"
        PG_STARTED=1
        as_postgres "$PGBIN/pg_ctl" -D "$TMP/pgdata" -l "$TMP/pg.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $TMP/pgsock -c fsync=off" start \
            >/dev/null
        "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$dbname"
        DB="postgresql://postgres@127.0.0.1:$PGPORT/$dbname"
        echo "   PostgreSQL: private cluster on 127.0.0.1:$PGPORT"
    fi
fi

"$BIN" init --db "$DB" --demo --admin-password "$PW" >"$TMP/init.log" 2>&1 ||
    { cat "$TMP/init.log" >&2; exit 1; }

# ---- the server ----
PORT=""
start_server() {
    local log=$1
    SERVER_LOGS+=("$log")
    for attempt in 1 2 3; do
        PORT=$(free_port)
        "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 4 >>"$log" 2>&1 &
        SERVER_PID=$!
        for _ in $(seq 1 150); do
            if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
                return 0
            fi
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
        echo "run-api: server did not come up on port $PORT (attempt $attempt)" >&2
    done
    return 1
}

stop_server() { # SIGTERM and a clean exit status
    local pid=$SERVER_PID rc=0
    kill -TERM "$pid"
    wait "$pid" || rc=$?
    SERVER_PID=""
    if [ $rc -ne 0 ]; then
        echo "FAIL: the server exited with status $rc after SIGTERM" >&2
        return 1
    fi
}

start_server "$TMP/server1.log"
BASE_URL="http://127.0.0.1:$PORT"

# ---- the node tests ----
node_args=(--test)
# run the files side by side where the runner lets us choose (they are written for it)
if node --help 2>/dev/null | grep -q -- '--test-concurrency'; then
    node_args+=(--test-concurrency=4)
fi
test_rc=0
BASE_URL=$BASE_URL JICENG_BIN=$BIN JICENG_DB=$DB JICENG_PW=$PW JICENG_SERVER_PID=$SERVER_PID \
    node "${node_args[@]}" tests/api/*.test.mjs || test_rc=$?

# ---- durability: an acknowledged write survives kill -9 ----
dur_rc=0
durability() {
    local jar="$TMP/cookies" title="断电测试-$RANDOM$RANDOM" out status id
    curl -fsS -c "$jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"leader\",\"password\":\"$PW\"}" "$BASE_URL/api/v1/session" >/dev/null
    out=$(curl -sS -b "$jar" -o "$TMP/created.json" -w '%{http_code}' \
        -H 'Content-Type: application/json' \
        -d "{\"title\":\"$title\",\"area\":\"410104007000\",\"category\":\"组织建设\",\"deadline\":\"2030-01-31\"}" \
        "$BASE_URL/api/v1/ledger/tasks")
    if [ "$out" != 201 ]; then
        echo "FAIL durability: create answered $out: $(cat "$TMP/created.json")" >&2
        return 1
    fi
    id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).id)' \
        "$TMP/created.json")
    kill -KILL "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    start_server "$TMP/server2.log" || { echo "FAIL durability: no restart" >&2; return 1; }
    BASE_URL="http://127.0.0.1:$PORT"
    curl -fsS -c "$jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"leader\",\"password\":\"$PW\"}" "$BASE_URL/api/v1/session" >/dev/null
    status=$(curl -sS -b "$jar" -o "$TMP/got.json" -w '%{http_code}' \
        "$BASE_URL/api/v1/ledger/tasks/$id")
    if [ "$status" != 200 ] || ! grep -q "$title" "$TMP/got.json"; then
        echo "FAIL durability: task $id after kill -9 and restart: $status $(cat "$TMP/got.json")" >&2
        return 1
    fi
    echo "ok - durability: task $id acknowledged with 201 is there after kill -9 and restart"
}
durability || dur_rc=$?

# ---- two servers on one database: sessions and records are shared ----
# (as behind a load balancer; B keeps sessions in memory for 1 s, so a logout on A reaches it
# within that time)
pair_rc=0
two_servers() {
    local jar="$TMP/pair-cookies" portb pidb code out id
    portb=$(free_port)
    "$BIN" serve --db "$DB" --listen "127.0.0.1:$portb" --threads 2 --session-cache 1 \
        >>"$TMP/serverB.log" 2>&1 &
    pidb=$!
    SERVER_LOGS+=("$TMP/serverB.log")
    for _ in $(seq 1 150); do
        curl -fsS -o /dev/null "http://127.0.0.1:$portb/healthz" 2>/dev/null && break
        sleep 0.1
    done
    local B="http://127.0.0.1:$portb"
    curl -fsS -c "$jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"leader\",\"password\":\"$PW\"}" "$BASE_URL/api/v1/session" >/dev/null
    code=$(curl -sS -b "$jar" -o /dev/null -w '%{http_code}' "$B/api/v1/me")
    [ "$code" = 200 ] || { echo "FAIL two servers: session of A not accepted by B ($code)" >&2; kill "$pidb"; return 1; }
    out=$(curl -sS -b "$jar" -o "$TMP/pair.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"title":"两台服务器","area":"410104007000","category":"组织建设","deadline":"2030-02-28"}' \
        "$B/api/v1/ledger/tasks")
    id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).id)' "$TMP/pair.json")
    code=$(curl -sS -b "$jar" -o /dev/null -w '%{http_code}' "$BASE_URL/api/v1/ledger/tasks/$id")
    [ "$out" = 201 ] && [ "$code" = 200 ] ||
        { echo "FAIL two servers: created on B ($out), read on A ($code)" >&2; kill "$pidb"; return 1; }
    curl -sS -b "$jar" -o /dev/null -X DELETE "$BASE_URL/api/v1/session"
    sleep 1.5
    code=$(curl -sS -b "$jar" -o /dev/null -w '%{http_code}' "$B/api/v1/me")
    kill -TERM "$pidb"
    wait "$pidb" || true
    [ "$code" = 401 ] || { echo "FAIL two servers: B still accepts a session ended on A ($code)" >&2; return 1; }
    echo "ok - two servers on one database share sessions and records; a logout on one ends it on both"
}
two_servers || pair_rc=$?

# ---- clean shutdown ----
stop_rc=0
if [ -n "$SERVER_PID" ]; then
    stop_server || stop_rc=1
    [ $stop_rc = 0 ] && echo "ok - the server exits cleanly on SIGTERM"
fi

# ---- sanitizers: any report in a server log fails the run ----
san_rc=0
for log in "${SERVER_LOGS[@]}"; do
    if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|ThreadSanitizer' "$log"; then
        echo "FAIL: sanitizer report in $log:" >&2
        grep -m 20 -E -A 12 'runtime error|Sanitizer' "$log" >&2 || true
        san_rc=1
    fi
done

# ---- the audit chain after the whole suite ----
verify_rc=0
if "$BIN" verify --db "$DB" >"$TMP/verify.log" 2>&1 && grep -q 'audit chain intact' "$TMP/verify.log"; then
    echo "ok - jiceng verify: $(grep 'audit chain' "$TMP/verify.log")"
else
    verify_rc=1
    echo "FAIL: jiceng verify:" >&2
    cat "$TMP/verify.log" >&2
fi

rc=0
for x in $test_rc $dur_rc $pair_rc $stop_rc $san_rc $verify_rc; do [ "$x" = 0 ] || rc=1; done
if [ $rc = 0 ]; then
    echo "== API tests on $backend: PASSED"
else
    echo "== API tests on $backend: FAILED (node tests $test_rc, durability $dur_rc, two servers $pair_rc," \
        "shutdown $stop_rc, sanitizer $san_rc, verify $verify_rc)" >&2
fi
exit $rc
