#!/usr/bin/env bash
# The hall display's live stream against the real server: display clients hold
# GET /api/v1/hall/stream open (curl -N) while two windows call tickets at the same moment, in
# parallel loops. Every ticket is called exactly once (no two windows get the same one), every
# display receives every call as a server-sent event with its number and window, the 64 streams
# allowed by JY_HALL_STREAM_MAX_SUBSCRIBERS are held without starving the server's two worker
# threads (other requests still answer at once), a 65th display is refused with 503, and the
# server stops cleanly (exit 0) with every stream still open.
#
# Usage: tests/cli/hall_stream.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
. "$(dirname "$0")/lib/server.sh"

"$jingyou" serve --demo --db "$tmp/jingyou.db" --port 0 --threads 2 \
    --clock 2026-11-30T02:00:00Z >server.out 2>server.err &
server=$!
wait_for_server 100

# Displays: 64 streams, the most there may be.
for i in $(seq 1 64); do
    curl -sN "$base/api/v1/hall/stream" >"sse$i.txt" 2>/dev/null &
    pids+=($!)
done
for _ in $(seq 1 100); do
    n=0
    for i in $(seq 1 64); do grep -q '^: connected' "sse$i.txt" 2>/dev/null && n=$((n + 1)); done
    [[ $n == 64 ]] && break
    sleep 0.1
done
[[ $n == 64 ]] || fail "only $n of 64 displays connected"
status=$(curl -s -o full.json -w '%{http_code}' --max-time 5 "$base/api/v1/hall/stream")
[[ $status == 503 ]] || fail "a 65th display: expected 503, got $status"
[[ $(jq -r .error.code full.json) == stream_full ]] || fail "65th display: $(cat full.json)"
# With 64 streams open on two worker threads, an ordinary request still answers at once.
t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 "$base/api/v1/hall/categories")
awk -v t="$t" 'BEGIN { exit !(t < 1.0) }' || fail "a request took $t s with 64 streams open"
echo "64 display streams open; /api/v1/hall/categories answered in ${t} s"

# The kiosk: 24 more tickets (the demo morning left 9 waiting).
for k in $(seq 1 8); do
    for c in vehicle licence fines; do
        status=$(curl -s -o t.json -w '%{http_code}' -H 'Content-Type: application/json' \
            -d "{\"category\":\"$c\"}" "$base/api/v1/hall/tickets")
        [[ $status == 201 ]] || fail "ticket: $status $(cat t.json)"
    done
done

login() {
    curl -s -c "$1.cookies" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"jingyou-demo\"}" "$base/api/v1/session" |
        jq -r .csrf_token >"$1.csrf"
}
post() { # USER PATH [BODY]
    curl -s -w '\n%{http_code}' -X POST -b "$1.cookies" -H "X-CSRF-Token: $(cat "$1.csrf")" \
        -H 'Content-Type: application/json' ${3:+-d "$3"} "$base$2"
}
# work USER WINDOW — open the window, then call, start and finish until nothing waits.
work() {
    local user=$1 w=$2 out status number
    post "$user" "/api/v1/hall/windows/$w/open" >/dev/null
    while :; do
        out=$(post "$user" "/api/v1/hall/windows/$w/call")
        status=${out##*$'\n'}
        [[ $status == 204 ]] && break
        [[ $status == 200 ]] || { echo "ERROR $status $out"; break; }
        number=$(jq -r .number <<<"${out%$'\n'*}")
        echo "$number $w"
        post "$user" "/api/v1/hall/windows/$w/start" "{\"ticket\":\"$number\"}" >/dev/null
        post "$user" "/api/v1/hall/windows/$w/finish" "{\"ticket\":\"$number\"}" >/dev/null
    done
}
login window2
login window4
work window2 2 >w2.txt &
a=$!
work window4 4 >w4.txt &
b=$!
wait $a $b
grep -h ERROR w2.txt w4.txt && fail "a window's call failed"
cat w2.txt w4.txt | sort >called.txt
total=$(wc -l <called.txt)
dups=$(cut -d' ' -f1 called.txt | sort | uniq -d)
[[ -z $dups ]] || fail "called twice: $dups"
[[ $total == 33 ]] || fail "expected 33 tickets called, got $total"
[[ $(wc -l <w2.txt) -gt 0 && $(wc -l <w4.txt) -gt 0 ]] || fail "one window called nothing"
echo "33 tickets called by windows 2 and 4 in parallel ($(wc -l <w2.txt) and $(wc -l <w4.txt)), none twice"

# Every display received every call, with its window.
sleep 0.5
for i in 1 32 64; do
    grep '^data: ' "sse$i.txt" | sed 's/^data: //' | jq -r '"\(.number) \(.window)"' | sort >got$i.txt
    diff called.txt got$i.txt >/dev/null || fail "display $i: $(diff called.txt got$i.txt | head -5)"
    [[ $(grep -c '^event: call$' "sse$i.txt") == 33 ]] || fail "display $i: not 33 call events"
done
echo "displays 1, 32 and 64 each received the 33 calls with their windows"

# A clean stop with every stream open.
kill -TERM "$server"
start=$(date +%s%N)
rc=0
wait "$server" || rc=$?
server=
ms=$((($(date +%s%N) - start) / 1000000))
[[ $rc == 0 ]] || fail "the server exited $rc with streams open"
echo "stopped with 64 streams open in $ms ms, exit 0"
echo "hall_stream: ok"
