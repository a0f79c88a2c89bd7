#!/usr/bin/env bash
# durability.sh — an acknowledged write survives a crash.
#
# Starts `jingyou serve --demo` on a temporary database, logs the clerk in, and fires a burst of
# D01 intakes from 8 parallel workers, each with its own applicants (valid resident ID numbers
# made here) and its own Idempotency-Keys, recording every application number that came back
# with a 201. In the middle of the burst the server is killed with SIGKILL. It is then restarted
# on the same database, and:
#   - every recorded number is found (GET /api/v1/applications/{number} → 200),
#   - no number was given twice, and the database holds at least as many applications,
#   - each request that was in flight when the server died, sent again with its Idempotency-Key,
#     answers 200 (it had been committed) or 201 (it had not) — and either way its applicant has
#     exactly one application,
#   - `sqlite3 DB 'PRAGMA integrity_check'` prints ok,
#   - `jingyou audit verify --db DB` exits 0: the hash chain of events is intact.
#
# Usage: tests/crash/durability.sh path/to/jingyou
# Environment: CRASH_WORKERS (default 8), CRASH_AFTER (201s to wait for before the kill; default
# 60), CRASH_KEEP=1 keeps the temporary directory.
set -euo pipefail
export LC_ALL=C

jingyou=$(realpath "$1")
workers=${CRASH_WORKERS:-8}
after=${CRASH_AFTER:-60}
dir=$(mktemp -d "${TMPDIR:-/tmp}/jy-crash-XXXXXX")
db=$dir/j.db
server_pid=
worker_pids=()

cleanup() {
    local rc=$?
    touch "$dir/stop" 2>/dev/null || true
    # The workers' own children (curl) too, so that nothing still writes into $dir.
    for p in "${worker_pids[@]}"; do
        pkill -P "$p" 2>/dev/null || true
        kill "$p" 2>/dev/null || true
    done
    if [[ -n $server_pid ]]; then kill -9 "$server_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    if [[ ${CRASH_KEEP:-0} == 1 ]]; then
        echo "kept $dir"
    else
        rm -rf "$dir" 2>/dev/null || { sleep 0.5; rm -rf "$dir" || true; }
    fi
    exit "$rc"
}
trap cleanup EXIT
# An unexpected failure names its line, instead of leaving only the cleanup's output.
trap 'echo "durability.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR

fail() {
    echo "FAIL: $*" >&2
    for f in "$dir"/err.*; do
        [[ -e $f ]] && { echo "--- $f (last lines)" >&2; tail -n 15 "$f" >&2; }
    done
    exit 1
}

# start_server NAME — start the server on $db; sets $server_pid and $base.
start_server() {
    "$jingyou" serve --demo --db "$db" --port 0 >"$dir/out.$1" 2>"$dir/err.$1" &
    server_pid=$!
    local i
    for ((i = 0; i < 1200; i++)); do
        if [[ -s $dir/out.$1 ]] && [[ $(wc -l <"$dir/out.$1") -ge 1 ]]; then
            base=$(sed -n '1s|.*\(http://[^/]*\)/.*|\1|p' "$dir/out.$1")
            [[ -n $base ]] || fail "cannot read the address from: $(head -n 1 "$dir/out.$1")"
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || fail "the server ($1) exited before it served"
        sleep 0.05
    done
    fail "the server ($1) did not start"
}

# login — log the clerk in; sets $cookie and $csrf.
login() {
    curl -s --max-time 30 -D "$dir/login.h" -o "$dir/login.json" \
        -H 'Content-Type: application/json' \
        --data-binary '{"username":"clerk","password":"jingyou-demo"}' "$base/api/v1/session" ||
        fail "login: curl failed"
    cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: jy_session=\([^;]*\);.*/\1/p' "$dir/login.h" | tr -d '\r')
    csrf=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$dir/login.json")
    [[ -n $cookie && -n $csrf ]] || fail "login: no session in the answer: $(cat "$dir/login.json")"
}

# id_number BODY17 — the resident ID number with its GB 11643 MOD 11-2 check character.
id_number() {
    local body=$1 sum=0 i
    local -a w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
    local checks=10X98765432
    for ((i = 0; i < 17; i++)); do sum=$((sum + ${body:i:1} * w[i])); done
    echo "$body${checks:sum%11:1}"
}

# intake_body ID — a valid D01 intake for the applicant with that ID number.
intake_body() {
    printf '{"business_type":"D01","applicant":{"name":"压测申请人","id_type":"resident_id","id_number":"%s","mobile":"13800138000"},"licence":{"number":"%s","class":"C1"},"delivery":{"recipient":"压测申请人","mobile":"13800138000","address":"湖北省武汉市武昌区彭刘杨路1号","postcode":"430060"},"documents":["id_card","photo","application_form","loss_statement"]}' "$1" "$1"
}

# post_intake KEY BODY OUTFILE — prints the HTTP status (000 when no answer came).
post_intake() {
    curl -s --max-time 20 -o "$3" -w '%{http_code}' \
        -H 'Content-Type: application/json' -H "Cookie: jy_session=$cookie" \
        -H "X-CSRF-Token: $csrf" -H "Idempotency-Key: $1" \
        --data-binary "$2" "$base/api/v1/applications" 2>/dev/null || true
}

# The application number of a 201/200 answer (the licence number is digits; this is WH…).
number_of() {
    grep -o '"number": *"[A-Z][A-Z0-9]*"' "$1" | head -n 1 | sed 's/.*"\([A-Z0-9]*\)"$/\1/'
}

# worker W — post intakes until told to stop or the server stops answering. Records
# "number" lines in w$W.numbers and the request in flight when the server died in w$W.inflight.
worker() {
    local w=$1 i=0 code id key body misses=0
    : >"$dir/w$w.numbers"
    while [[ ! -e $dir/stop ]]; do
        i=$((i + 1))
        # 420106 (武昌区), born in 1970+w on a day picked by i, sequence i: distinct per (w, i).
        id=$(id_number "420106$((1970 + w))$(printf '%02d%02d%03d' $(((i / 28) % 12 + 1)) $((i % 28 + 1)) $((i % 1000)))")
        key="crash-$w-$i"
        body=$(intake_body "$id")
        printf '%s\n%s\n' "$key" "$id" >"$dir/w$w.current"
        code=$(post_intake "$key" "$body" "$dir/w$w.body")
        case $code in
        201)
            misses=0
            number_of "$dir/w$w.body" >>"$dir/w$w.numbers"
            ;;
        000)
            # No answer: the server is gone. This request may or may not have been committed.
            cp "$dir/w$w.current" "$dir/w$w.inflight"
            misses=$((misses + 1))
            [[ $misses -ge 3 ]] && break
            sleep 0.05
            ;;
        *)
            echo "worker $w: intake answered $code: $(head -c 300 "$dir/w$w.body")" >>"$dir/err.workers"
            break
            ;;
        esac
    done
}

# ---- the burst, and the crash ----

start_server first
login
for ((w = 1; w <= workers; w++)); do
    worker "$w" &
    worker_pids+=($!)
done

deadline=$((SECONDS + 60))
while :; do
    count=$(cat "$dir"/w*.numbers 2>/dev/null | wc -l)
    [[ $count -ge $after ]] && break
    if [[ -s $dir/err.workers ]]; then
        fail "the burst did not get going: $(head -n 3 "$dir/err.workers")"
    fi
    [[ $SECONDS -ge $deadline ]] && fail "only $count intakes got a 201 in 60 s"
    sleep 0.02
done
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=
killed_at=$(cat "$dir"/w*.numbers | wc -l)
touch "$dir/stop"
for p in "${worker_pids[@]}"; do wait "$p" 2>/dev/null || true; done
worker_pids=()

cat "$dir"/w*.numbers >"$dir/acknowledged"
acked=$(wc -l <"$dir/acknowledged")
inflight=$(cat "$dir"/w*.inflight 2>/dev/null | wc -l)
echo "killed the server with SIGKILL after $killed_at acknowledged intakes; $acked in all, $((inflight / 2)) in flight"
grep -qv '^WH' "$dir/acknowledged" && fail "a 201 without an application number: $(grep -v '^WH' "$dir/acknowledged" | head -n 1)"
dups=$(sort "$dir/acknowledged" | uniq -d)
[[ -z $dups ]] || fail "numbers given twice: $dups"

# ---- after the restart ----

start_server second
login
missing=0
while read -r number; do
    code=$(curl -s --max-time 10 -o "$dir/get.json" -w '%{http_code}' \
        -H "Cookie: jy_session=$cookie" "$base/api/v1/applications/$number" || true)
    if [[ $code != 200 ]] || [[ $(number_of "$dir/get.json") != "$number" ]]; then
        echo "lost: $number (GET answered $code)" >&2
        missing=$((missing + 1))
    fi
done <"$dir/acknowledged"
[[ $missing -eq 0 ]] || fail "$missing of $acked acknowledged applications are gone after the crash"
echo "all $acked acknowledged applications are there after the restart"

# The requests that were in flight: sent again with the same key, one application each.
for f in "$dir"/w*.inflight; do
    [[ -e $f ]] || continue
    key=$(sed -n 1p "$f")
    id=$(sed -n 2p "$f")
    code=$(post_intake "$key" "$(intake_body "$id")" "$dir/retry.json")
    [[ $code == 200 || $code == 201 ]] ||
        fail "retrying $key after the restart answered $code: $(head -c 300 "$dir/retry.json")"
    curl -s --max-time 10 -o "$dir/q.json" -H "Cookie: jy_session=$cookie" \
        "$base/api/v1/applications?q=$id" || fail "search for $id failed"
    n=$(grep -o '"number": *"[A-Z][A-Z0-9]*"' "$dir/q.json" | sort -u | wc -l)
    [[ $n -eq 1 ]] || fail "the applicant of $key has $n applications after a retry (answer $code)"
    echo "in flight at the crash: $key → $code, one application"
done

kill -TERM "$server_pid"
wait "$server_pid" || fail "the restarted server did not stop cleanly"
server_pid=

rows=$(sqlite3 "$db" 'SELECT count(*) FROM applications')
[[ $rows -ge $acked ]] || fail "the database holds $rows applications, fewer than the $acked acknowledged"
check=$(sqlite3 "$db" 'PRAGMA integrity_check')
[[ $check == ok ]] || fail "PRAGMA integrity_check: $check"
timeout 300 "$jingyou" audit verify --db "$db" >"$dir/audit.out" 2>&1 ||
    fail "jingyou audit verify: $(cat "$dir/audit.out")"
echo "integrity_check ok; $(head -n 1 "$dir/audit.out")"
echo "PASS"
