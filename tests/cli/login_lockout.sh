#!/usr/bin/env bash
# Login lockout per (username, client address), end to end: `jingyou serve --demo`, then five
# wrong passwords for the clerk from 127.0.0.2 lock her name from that address (429 with
# Retry-After in seconds, even with the right password), while the clerk herself, at
# 127.0.0.1, still logs in. Linux routes all of 127.0.0.0/8 to the loopback interface, so curl
# --interface gives the server a second client address.
#
# Usage: tests/cli/login_lockout.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
. "$(dirname "$(realpath "$0")")/lib/server.sh"

"$jingyou" serve --demo --db "$tmp/jingyou.db" --port 0 --clock 2026-11-30T02:00:00Z \
    >server.out 2>server.err &
server=$!
wait_for_server 100

# login FROM PASSWORD — POST /api/v1/session as the clerk from address FROM; the status to
# $status, the body to login.json, the headers to login.h.
login() {
    status=$(curl -s --interface "$1" -o login.json -D login.h -w '%{http_code}' \
        -H 'Content-Type: application/json' \
        --data "{\"username\":\"clerk\",\"password\":\"$2\"}" "$base/api/v1/session")
}
retry_after() {
    tr -d '\r' <login.h | sed -nE 's/^[Rr]etry-[Aa]fter: *([0-9]+)$/\1/p'
}

# The second address must reach the server (it does on Linux); skip if this host cannot.
if ! curl -s --interface 127.0.0.2 -o /dev/null "$base/healthz"; then
    echo "SKIP: no route from 127.0.0.2"
    exit 77
fi

for i in 1 2 3 4; do
    login 127.0.0.2 "guess-$i"
    [[ $status == 401 ]] || fail "guess $i: status $status, $(cat login.json)"
    grep -q '"bad_credentials"' login.json || fail "guess $i: $(cat login.json)"
done
login 127.0.0.2 guess-5
[[ $status == 429 ]] || fail "guess 5: status $status, $(cat login.json)"
grep -q '"login_locked"' login.json || fail "guess 5: $(cat login.json)"
[[ $(retry_after) =~ ^(89[0-9]|900)$ ]] || fail "guess 5: Retry-After '$(retry_after)', expected 900"

# Locked from there, even with the right password (the clock runs on from its start).
login 127.0.0.2 jingyou-demo
[[ $status == 429 ]] || fail "right password from 127.0.0.2: status $status"
[[ $(retry_after) =~ ^(8[0-9][0-9]|900)$ ]] || fail "Retry-After '$(retry_after)'"

# The clerk at her own counter is not locked out.
login 127.0.0.1 jingyou-demo
[[ $status == 200 ]] || fail "the clerk from 127.0.0.1: status $status, $(cat login.json)"
grep -q '"csrf_token"' login.json || fail "no csrf_token: $(cat login.json)"
[[ -z $(retry_after) ]] || fail "a Retry-After on a good login"

echo "ok: login lockout per (username, address)"
