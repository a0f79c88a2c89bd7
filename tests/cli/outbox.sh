#!/usr/bin/env bash
# The outbox's sender against a test SMS gateway (tests/cli/sms_gateway.py): `jingyou serve
# --demo --sms-url …` sends every message the demo city queued (accepted, correction, refused,
# shipped, delivered, delivery_failed). First a gateway that fails each message twice and then
# takes it: every message is delivered exactly once, after 3 attempts, and none is dead. Then a
# gateway that always fails: every message is dead after JY_OUTBOX_MAX_ATTEMPTS (6) attempts and
# was posted exactly that often. The backoff is 50 ms (--sms-backoff-ms), so the test takes
# seconds. Also: the outbox list (manager) with its counts, a clerk refused it, mobiles masked in
# the log and the list, and serve stops cleanly (exit 0) with the sender running.
#
# Usage: tests/cli/outbox.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
. "$here/lib/server.sh"
gateway=

# start_gateway NAME [options…] — the test gateway; its port in $gport.
start_gateway() {
    local name=$1
    shift
    python3 "$here/sms_gateway.py" "$name.port" "$name.log" "$@" &
    gateway=$!
    pids+=("$gateway")
    for _ in $(seq 1 100); do
        [[ -s $name.port ]] && break
        sleep 0.05
    done
    gport=$(cat "$name.port")
    [[ -n $gport ]] || fail "the gateway did not start"
}

# start_server DB URL — serve the demo city, sending to URL; $base is its address.
start_server() {
    : >server.out
    "$jingyou" serve --demo --db "$tmp/$1" --port 0 --clock 2026-11-30T02:00:00Z \
        --sms-url "$2" --sms-backoff-ms 50 >server.out 2>server.err &
    server=$!
    wait_for_server 300
}

stop_server() {
    kill -TERM "$server"
    local rc=0
    wait "$server" || rc=$?
    server=
    [[ $rc == 0 ]] || fail "serve exited with $rc after SIGTERM"
}

login() { # login NAME → cookie jar NAME.jar
    curl -s -c "$1.jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"jingyou-demo\"}" "$base/api/v1/session" >"$1.login"
    jq -re '.csrf_token' "$1.login" >/dev/null || fail "login $1: $(cat "$1.login")"
}

# wait_drained — until nothing is queued (at most 30 s); the list in outbox.json.
wait_drained() {
    for _ in $(seq 1 300); do
        curl -s -b manager.jar "$base/api/v1/outbox?limit=500" >outbox.json
        [[ $(jq -r '.counts.queued' outbox.json) == 0 ]] && return 0
        sleep 0.1
    done
    fail "messages still queued after 30 s: $(jq -c .counts outbox.json)"
}

# ---- a gateway that fails each message twice, then takes it ----
start_gateway flaky --fail-first 2
start_server one.db "http://127.0.0.1:$gport/sms"
login manager
login clerk
wait_drained
total=$(jq '.items | length' outbox.json)
[[ $total -ge 20 ]] || fail "expected the demo city's messages, got $total"
jq -e '.counts.dead == 0 and .counts.sent == ([.items[]] | length) and .depth == 0' outbox.json \
    >/dev/null || fail "counts: $(jq -c .counts outbox.json)"
jq -e '[.items[] | select(.state != "sent" or .attempts != 3)] | length == 0' outbox.json \
    >/dev/null || fail "not every message sent after 3 attempts: $(jq -c '.items[0]' outbox.json)"
# The gateway: each id posted 3 times, answered 200 exactly once.
python3 - flaky.log "$total" <<'PY' || fail "gateway log"
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
posts = collections.Counter(r["id"] for r in rows)
ok = collections.Counter(r["id"] for r in rows if r["status"] == 200)
assert len(posts) == int(sys.argv[2]), (len(posts), sys.argv[2])
assert set(posts.values()) == {3}, posts
assert set(ok.values()) == {1} and len(ok) == len(posts), ok
assert all(r["to"] and len(r["to"]) == 11 for r in rows)  # the gateway gets the real number
texts = {r["template"]: r["text"] for r in rows}
assert "accepted" in texts and texts["accepted"].startswith("【警邮】"), texts
assert any(t == "shipped" for t in texts), texts
assert "EA" in texts["shipped"], texts["shipped"]
PY
# Mobiles are masked in the list and in the log.
jq -e '[.items[].mobile | test("^1[0-9]{2}\\*{4}[0-9]{4}$")] | all' outbox.json >/dev/null ||
    fail "an unmasked mobile in the list"
grep -q '"outbox":"attempt"' server.err || fail "no attempt logged"
if grep '"outbox":"attempt"' server.err | grep -qE '"to":"1[0-9]{10}"'; then
    fail "an unmasked mobile in the log"
fi
# Filters and roles.
curl -s -b manager.jar "$base/api/v1/outbox?state=dead" | jq -e '.items == []' >/dev/null ||
    fail "state=dead"
status=$(curl -s -o clerk.json -w '%{http_code}' -b clerk.jar "$base/api/v1/outbox")
[[ $status == 403 ]] || fail "a clerk read the outbox: $status"
status=$(curl -s -o bad.json -w '%{http_code}' -b manager.jar "$base/api/v1/outbox?state=lost")
[[ $status == 422 ]] || fail "state=lost: $status"
stop_server
kill "$gateway"
wait "$gateway" 2>/dev/null || true
gateway=

# ---- a gateway that always fails: dead letters ----
start_gateway down --always-fail
start_server two.db "http://127.0.0.1:$gport/sms"
login manager
wait_drained
jq -e '.counts.sent == 0 and .counts.dead == (.items | length) and .counts.dead >= 20' \
    outbox.json >/dev/null || fail "dead letters: $(jq -c .counts outbox.json)"
jq -e '[.items[] | select(.attempts != 6 or (.last_error | test("503") | not))] | length == 0' \
    outbox.json >/dev/null || fail "attempts or error: $(jq -c '.items[0]' outbox.json)"
python3 - down.log <<'PY' || fail "gateway log (dead)"
import json, sys, collections
posts = collections.Counter(json.loads(l)["id"] for l in open(sys.argv[1], encoding="utf-8"))
assert set(posts.values()) == {6}, posts
PY
# Dead letters are never tried again.
sleep 0.5
before=$(wc -l <down.log)
sleep 0.5
[[ $(wc -l <down.log) == "$before" ]] || fail "a dead message was posted again"
stop_server
echo "outbox: $total messages sent once after 3 attempts; all dead after 6 against a failing gateway"
