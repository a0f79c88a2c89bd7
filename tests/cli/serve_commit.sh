#!/usr/bin/env bash
# The serve options the benchmarks use, against the real server: with group commit (the
# default) and with --commit-per-request, sixteen concurrent intakes with distinct
# Idempotency-Keys all answer 201 with sixteen distinct numbers, a repeat of one key answers
# 200 with the same number, and after the server stops the database holds exactly those
# applications; serve says on stopping how many writes its commits carried (group commit only).
# --track-rate N lifts the public tracking limit (N lookups in a row pass, where the default
# answers 429 after its burst of 10).
#
# Usage: tests/cli/serve_commit.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
. "$(dirname "$0")/lib/server.sh"

# The last lines of every server's log (each server writes NAME.err).
fail() {
    echo "FAIL: $*" >&2
    for f in *.err; do [[ -f $f ]] && grep -v '^{"time"' "$f" | tail -5 >&2; done
    exit 1
}

# start NAME [options…] — serve the demo city on a fresh database NAME.db; $base is its URL.
start() {
    local name=$1
    shift
    rm -f "$name.out" # a restart under the same name must not read the last server's port
    "$jingyou" serve --demo --db "$tmp/$name.db" --port 0 --clock 2026-11-30T02:00:00Z "$@" \
        >"$name.out" 2>"$name.err" &
    server=$!
    wait_for_server 300 "$name.out"
}

stop() {
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
}

# GB 11643-1999 check character of 17 digits.
check_char() {
    local body=$1 sum=0 w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) c=(1 0 X 9 8 7 6 5 4 3 2)
    for i in $(seq 0 16); do sum=$((sum + ${body:i:1} * w[i])); done
    echo "${c[sum % 11]}"
}

# intake I KEY — one D01 for applicant I with Idempotency-Key KEY; the status and the number to
# intake.I (and the body to intake.I.json).
intake() {
    local i=$1 key=$2 body id
    body=$(printf '42010619800101%03d' "$i")
    id=$body$(check_char "$body")
    curl -s -o "intake.$i.json" -w '%{http_code}' -b clerk.jar -H "X-CSRF-Token: $csrf" \
        -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
        --data-binary "{\"business_type\":\"D01\",\"applicant\":{\"name\":\"张$i\",
          \"id_type\":\"resident_id\",\"id_number\":\"$id\",\"mobile\":\"13800138000\"},
          \"licence\":{\"number\":\"$id\",\"class\":\"C1\"},
          \"delivery\":{\"recipient\":\"张$i\",\"mobile\":\"13800138000\",
            \"address\":\"湖北省武汉市武昌区彭刘杨路1号\",\"postcode\":\"430060\"},
          \"documents\":[\"id_card\",\"photo\",\"application_form\",\"loss_statement\"]}" \
        "$base/api/v1/applications" >"intake.$i"
}

# burst NAME — sixteen intakes at once, then the checks above; the server is stopped after.
burst() {
    local name=$1 before after
    curl -s -c clerk.jar -H 'Content-Type: application/json' \
        -d '{"username":"clerk","password":"jingyou-demo"}' "$base/api/v1/session" >clerk.login
    csrf=$(jq -re '.csrf_token' clerk.login) || fail "login: $(cat clerk.login)"
    before=$(sqlite3 "$tmp/$name.db" 'SELECT count(*) FROM applications')
    local pids=()
    for i in $(seq 1 16); do
        intake "$i" "$name-$i" &
        pids+=($!)
    done
    wait "${pids[@]}"
    for i in $(seq 1 16); do
        [[ $(cat "intake.$i") == 201 ]] || fail "$name intake $i: $(cat "intake.$i") $(cat "intake.$i.json")"
        jq -r '.number' "intake.$i.json"
    done | sort -u >numbers
    [[ $(wc -l <numbers) == 16 ]] || fail "$name: $(wc -l <numbers) distinct numbers, not 16"
    local first
    first=$(jq -r '.number' intake.1.json)
    intake 1 "$name-1"
    [[ $(cat intake.1) == 200 ]] || fail "$name: a repeated key answered $(cat intake.1)"
    [[ $(jq -r '.number' intake.1.json) == "$first" ]] || fail "$name: a repeat gave another number"
    stop
    after=$(sqlite3 "$tmp/$name.db" 'SELECT count(*) FROM applications')
    [[ $((after - before)) == 16 ]] || fail "$name: $((after - before)) applications written, not 16"
    while read -r n; do
        [[ $(sqlite3 "$tmp/$name.db" "SELECT count(*) FROM applications WHERE number = '$n'") == 1 ]] ||
            fail "$name: $n acknowledged but not in the database"
    done <numbers
}

start grouped
burst grouped
grep -qE 'group commit: [0-9]+ writes in [0-9]+ commits' grouped.err ||
    fail "serve did not report its group commits"

start per_request --commit-per-request
burst per_request
if grep -q 'group commit' per_request.err; then fail "--commit-per-request still grouped"; fi

# The tracking limit: the default answers 429 within 20 lookups; --track-rate 100 lets 30 pass.
number=$(head -1 numbers)
track() {
    local n=0
    for _ in $(seq 1 "$1"); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/track/$number?id_last4=0000") == 429 ]] &&
            n=$((n + 1))
    done
    echo "$n"
}
start per_request
[[ $(track 20) -gt 0 ]] || fail "the default tracking limit let 20 lookups in a row through"
stop
start per_request --track-rate 100
[[ $(track 30) == 0 ]] || fail "--track-rate 100 still refused lookups"
stop

"$jingyou" serve --track-rate 0 >/dev/null 2>&1 && fail "--track-rate 0 was accepted"
echo "ok"
