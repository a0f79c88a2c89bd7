#!/usr/bin/env bash
# `jingyou simulate`: usage errors; two runs of two days with one seed give the same figures;
# the figures reconcile with the database the run wrote (every application in one state, per
# state and per station counts, each application's last event, the days' intakes, the bags and
# dispatch batches and their scans, the archive gate, the audit chain); a what-if with fewer approval operators loads approval more; the human report.
#
# Usage: tests/cli/simulate.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export TMPDIR=$tmp

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# run EXPECTED_STATUS ARGS… — run jingyou, capture stdout in $out and stderr in $err.
run() {
    local expected=$1
    shift
    local status=0
    "$jingyou" "$@" >out.txt 2>err.txt || status=$?
    out=$(cat out.txt)
    err=$(cat err.txt)
    [[ $status -eq $expected ]] ||
        fail "jingyou $* exited $status, expected $expected; stdout: ${out:0:400}; stderr: $err"
}

# ---- bad input: a clear message, exit 2, nothing left behind ----
run 2 simulate --days 0
[[ $err == "jingyou simulate: --days must be 1..400, not '0'"* ]] || fail "--days 0: $err"
run 2 simulate --days x
[[ $err == *"--days must be"* ]] || fail "--days x: $err"
run 2 simulate --operators review=x
[[ $err == *"the number of review operators must be 1..99, not 'x'"* ]] || fail "review=x: $err"
run 2 simulate --operators cashier=2
[[ $err == *"unknown station 'cashier'"* ]] || fail "cashier: $err"
run 2 simulate --operators review
[[ $err == *"'review' is not STATION=N"* ]] || fail "review: $err"
run 2 simulate --start 2026-13-01
[[ $err == *"--start must be a date"* ]] || fail "bad start: $err"
run 2 simulate --start 2027-03-01
[[ $err == *"no holiday data for 2027"* ]] || fail "uncovered year: $err"
run 2 simulate --rate 0
run 2 simulate --seed -1
run 2 simulate --commit-every 0
[[ $err == *"--commit-every must be 1..1440 minutes, not '0'"* ]] || fail "commit-every 0: $err"
run 2 simulate --frobnicate
[[ -z $(ls -A "$tmp" | grep -v -e out.txt -e err.txt) ]] || fail "a refused run left files: $(ls "$tmp")"
run 0 simulate --help
[[ $out == *"usage: jingyou simulate"* ]] || fail "help: $out"

# ---- the same seed, the same figures ----
run 0 simulate --days 2 --seed 7 --json --db a.db
jq 'del(.run)' out.txt >a.json
run 0 simulate --days 2 --seed 7 --json --db b.db
jq 'del(.run)' out.txt >b.json
cmp -s a.json b.json || fail "two runs with seed 7 differ: $(diff a.json b.json | head -20)"
# committing once an hour instead of once a minute changes the speed, not the figures
run 0 simulate --days 2 --seed 7 --json --commit-every 60
jq 'del(.run)' out.txt >h.json
cmp -s a.json h.json || fail "hourly commits changed the figures: $(diff a.json h.json | head -20)"
run 0 simulate --days 2 --seed 8 --rate 300 --json
jq 'del(.run)' out.txt >c.json
cmp -s a.json c.json && fail "seeds 7 and 8 gave the same figures"
# and the temporary database is gone
[[ -z $(ls -d "$tmp"/jingyou-sim-* 2>/dev/null) ]] || fail "the temporary database was left"

j() { jq -r "$1" a.json; }
q() { sqlite3 a.db "$1"; }

accepted=$(j .overall.accepted)
(( accepted > 3000 && accepted < 4300 )) || fail "two days at 1,800 a day accepted $accepted"
[[ $(j '.days | length') == 2 ]] || fail "days: $(j '.days | length')"
[[ $(j '.days[0].date') == 2025-12-01 && $(j '.days[1].date') == 2025-12-02 ]] || fail "dates"

# ---- reconciliation with the database ----
[[ $(q "SELECT count(*) FROM applications") == "$accepted" ]] ||
    fail "the database has $(q "SELECT count(*) FROM applications") applications, the report $accepted"
[[ $(q "SELECT count(DISTINCT number) FROM applications WHERE state IS NOT NULL") == "$accepted" ]] ||
    fail "applications without a state, or numbers twice"
# per state
for state in $(q "SELECT DISTINCT state FROM applications"); do
    want=$(j ".overall.states.\"$state\" // 0")
    got=$(q "SELECT count(*) FROM applications WHERE state = '$state'")
    [[ $got == "$want" ]] || fail "state $state: database $got, report $want"
done
sum=$(j '[.overall.states[]] | add')
[[ $sum == "$accepted" ]] || fail "the report's states add up to $sum, not $accepted"
# per station, and in correction, at the end of the last day
for st in review approval print production archive dispatch; do
    got=$(q "SELECT count(*) FROM applications WHERE state = 'at_station' AND station = '$st'")
    want=$(j ".days[-1].backlog.$st")
    [[ $got == "$want" ]] || fail "backlog at $st: database $got, report $want"
done
[[ $(q "SELECT count(*) FROM applications WHERE state = 'correction'") == $(j '.days[-1].backlog.correction') ]] ||
    fail "correction backlog"
# each application's last event names its state (and station)
bad=$(q "SELECT count(*) FROM applications a JOIN events e ON e.id =
           (SELECT max(id) FROM events WHERE application_id = a.id)
         WHERE e.to_state <> a.state OR (a.state = 'at_station' AND e.to_station IS NOT a.station)")
[[ $bad == 0 ]] || fail "$bad applications whose last event disagrees with their state"
[[ $(q "SELECT count(*) FROM applications a WHERE NOT EXISTS
          (SELECT 1 FROM events WHERE application_id = a.id)") == 0 ]] || fail "applications without events"
# the days' intakes, by the acceptance time in Asia/Shanghai
for d in 0 1; do
    date=$(j ".days[$d].date")
    got=$(q "SELECT count(*) FROM applications WHERE date(accepted_at + 8*3600, 'unixepoch') = '$date'")
    [[ $got == $(j ".days[$d].accepted") ]] || fail "accepted on $date: database $got, report $(j ".days[$d].accepted")"
done
# refusals and returns are events too (custody hand-overs of a file in correction or refused
# are events that keep its state, not more returns or refusals)
[[ $(q "SELECT count(*) FROM events WHERE to_state = 'refused' AND from_state IS NOT 'refused'") == $(j .overall.refused) ]] ||
    fail "refused"
[[ $(q "SELECT count(*) FROM events WHERE to_state = 'correction' AND from_state IS NOT 'correction'") == $(j .overall.returned) ]] ||
    fail "returned"
(( $(j .overall.returned) > 0 && $(j .overall.refused) > 0 )) || fail "no returns or no refusals"
(( $(j '.overall.states.delivered') > 0 )) || fail "nothing delivered in two days"
# every delivered item was shipped by the carrier first, and carries a waybill
[[ $(q "SELECT count(*) FROM applications WHERE state IN ('sealed','shipped','delivered','delivery_failed') AND waybill IS NULL") == 0 ]] ||
    fail "sealed items without a waybill"
# custody went through the real hand-overs: every bag and batch the report counts is in the
# database, every file of a received bag was scanned in, no hand-over found anything wrong
[[ $(q "SELECT count(*) FROM bags") == $(j .overall.custody.bags) ]] || fail "bags: $(q "SELECT count(*) FROM bags")"
(( $(j .overall.custody.bags) > 150 )) || fail "two days closed only $(j .overall.custody.bags) bags"
[[ $(q "SELECT coalesce(sum(received_count), 0) FROM bags") == $(j .overall.custody.files_received) ]] ||
    fail "files received: $(q "SELECT sum(received_count) FROM bags")"
[[ $(q "SELECT count(*) FROM bags WHERE reception = 'received' AND received_count <> item_count") == 0 ]] ||
    fail "a received bag with files not scanned in"
[[ $(q "SELECT count(*) FROM dispatch_batches") == $(j .overall.custody.batches) ]] || fail "batches"
[[ $(q "SELECT coalesce(sum(received_count), 0) FROM dispatch_batches") == $(j .overall.custody.envelopes_handed_over) ]] ||
    fail "envelopes handed over"
[[ $(q "SELECT count(*) FROM applications WHERE state IN ('shipped','delivered','delivery_failed')") == $(j .overall.custody.envelopes_handed_over) ]] ||
    fail "shipped envelopes that no batch handed over"
[[ $(q "SELECT count(*) FROM discrepancies") == 0 ]] || fail "discrepancies: $(q "SELECT kind, count(*) FROM discrepancies GROUP BY kind")"
# the counts kept as scans are written (migration 8) are the counts of the scans
bad=$(q "SELECT count(*) FROM bags h WHERE received_count <> (SELECT count(DISTINCT s.application_id)
          FROM custody_scans s JOIN bag_items i ON i.bag_id = s.bag_id
          AND i.application_id = s.application_id WHERE s.bag_id = h.id)")
[[ $bad == 0 ]] || fail "$bad bags whose received count is not their scans'"
bad=$(q "SELECT count(*) FROM dispatch_batches h WHERE received_count <> (SELECT count(DISTINCT s.application_id)
          FROM custody_scans s JOIN batch_items i ON i.batch_id = s.batch_id
          AND i.application_id = s.application_id WHERE s.batch_id = h.id)")
[[ $bad == 0 ]] || fail "$bad batches whose received count is not their scans'"
# what waits at archive for its paper file is what is there without a scan at the centre
got=$(q "SELECT count(*) FROM applications a WHERE state = 'at_station' AND station = 'archive'
         AND NOT EXISTS (SELECT 1 FROM custody_scans s WHERE s.application_id = a.id AND s.bag_id IS NOT NULL)")
[[ $got == $(j '.days[-1].backlog.archive_waiting_paper') ]] ||
    fail "waiting for paper: database $got, report $(j '.days[-1].backlog.archive_waiting_paper')"
(( got > 0 )) || fail "nothing waits for its paper at the end of a working day"
# the archive gate was on: nothing left archive without its paper scanned in
[[ $(q "SELECT value FROM settings WHERE key = 'custody_archive_gate'") == on ]] || fail "archive gate"
bad=$(q "SELECT count(*) FROM events e WHERE e.from_station = 'archive' AND e.to_station IS NOT 'archive'
         AND NOT EXISTS (SELECT 1 FROM custody_scans s WHERE s.application_id = e.application_id
                         AND s.bag_id IS NOT NULL AND s.at <= e.at)")
[[ $bad == 0 ]] || fail "$bad files left archive before their paper was scanned in"
run 0 audit verify --db a.db
[[ $out == "audit: "*" events, chain intact"* ]] || fail "audit: $out"

# ---- figures that mean something ----
sla=$(j .overall.sla_met_pct)
awk -v s="$sla" 'BEGIN { exit !(s >= 0 && s <= 100) }' || fail "SLA $sla"
[[ $(j .overall.bottleneck) =~ ^(review|approval|print|production|archive|dispatch)$ ]] || fail "bottleneck"
u_default=$(j .overall.utilisation_pct.approval)
run 0 simulate --days 2 --seed 7 --json --operators approval=1
u_one=$(jq -r .overall.utilisation_pct.approval out.txt)
[[ $(jq -r .config.operators.approval out.txt) == 1 ]] || fail "what-if operators not in the report"
# the what-if meets the same customers: the same intakes, day by day
[[ $(jq -c '[.days[].accepted]' out.txt) == "$(jq -c '[.days[].accepted]' a.json)" ]] ||
    fail "the what-if changed the demand: $(jq -c '[.days[].accepted]' out.txt)"
awk -v a="$u_one" -v b="$u_default" 'BEGIN { exit !(a > b) }' ||
    fail "one approval operator is no busier ($u_one %) than two ($u_default %)"

# ---- the human report ----
run 0 simulate --days 1 --seed 7 --rate 300
[[ $out == *"日期"*"Date"* ]] || fail "no per-day table: $out"
[[ $out == *"瓶颈 Bottleneck"* ]] || fail "no bottleneck line"
[[ $out == *"按期率 SLA met"* ]] || fail "no SLA line"
[[ $out == *"运行 Run:"*"目标 target"* ]] || fail "no run time"
# ---- serve --demo=week: the demo city with a simulated week before the clock ----
server=
stop_server() {
    if [[ -n $server ]]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT
"$jingyou" serve --demo=week --db "$tmp/week.db" --port 0 --clock 2026-11-30T02:00:00Z \
    >server.out 2>server.err &
server=$!
for _ in $(seq 1 600); do
    [[ -s server.out ]] && break
    kill -0 "$server" 2>/dev/null || fail "the server did not start: $(cat server.err)"
    sleep 1
done
port=$(head -1 server.out | sed -nE 's#^jingyou serving http://127\.0\.0\.1:([0-9]+)/.*#\1#p')
[[ -n $port ]] || fail "no port in: $(head -1 server.out)"
grep -q "a simulated week: [0-9]* accepted" server.err || fail "no week: $(cat server.err)"
w() { sqlite3 "$tmp/week.db" "$1"; }
(( $(w "SELECT count(*) FROM applications") > 5000 )) || fail "a week holds $(w "SELECT count(*) FROM applications")"
# every day of the week before 2026-11-30 has its intakes, and every state its examples
[[ $(w "SELECT count(DISTINCT date(accepted_at + 8*3600, 'unixepoch')) FROM applications
        WHERE accepted_at >= strftime('%s', '2026-11-22T16:00:00Z')
          AND accepted_at < strftime('%s', '2026-11-29T16:00:00Z')") == 7 ]] || fail "days of the week"
for state in at_station correction shipped delivered completed refused; do
    (( $(w "SELECT count(*) FROM applications WHERE state = '$state'") > 0 )) || fail "no $state in the week"
done
# the clock runs again after the week: a new intake is dated now (2026-11-30T02:00Z on)
base=http://127.0.0.1:$port
csrf=$(curl -sf -c jar -H 'Content-Type: application/json' \
    -d '{"username":"clerk","password":"jingyou-demo"}' $base/api/v1/session | jq -r .csrf_token)
[[ -n $csrf && $csrf != null ]] || fail "login"
number=$(curl -sf -b jar -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{
  "business_type": "D01",
  "applicant": {"name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
                "mobile": "13800138000"},
  "licence": {"number": "11010519491231002X", "class": "C1"},
  "delivery": {"recipient": "张三", "mobile": "13800138000",
               "address": "湖北省武汉市武昌区彭刘杨路1号", "postcode": "430060"},
  "documents": ["id_card", "photo", "application_form", "loss_statement"]}' \
    $base/api/v1/applications | jq -r .number)
[[ -n $number && $number != null ]] || fail "intake after the week"
at=$(w "SELECT accepted_at FROM applications WHERE number = '$number'")
(( at >= $(date -d 2026-11-30T02:00:00Z +%s) )) || fail "the clock stayed pinned: accepted at $at"
stop_server
run 0 audit verify --db "$tmp/week.db"
echo "simulate: ok"
