#!/usr/bin/env bash
# `jingyou import tracking FILE` on the demo city: a CSV export (with Chinese statuses, times
# without a zone, a duplicate row, a late "in_transit" after "delivered", an unknown item number,
# a mistyped item number and a bad time) and a JSON-lines export (with a line that is not JSON
# and a value of the wrong type). The good rows are applied, each bad row is reported with its
# line number and reason, the unknown number is kept (shipment_events_unmatched), the same file
# again adds nothing, and the state never moves back.
#
# Usage: tests/cli/import_tracking.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

db=$tmp/j.db
"$jingyou" init --demo --db "$db" >/dev/null
q() { sqlite3 "$db" "$1"; }
# Two sealed items of the demo city.
mapfile -t sealed < <(q "SELECT waybill FROM applications WHERE state = 'sealed' ORDER BY id LIMIT 2")
[[ ${#sealed[@]} == 2 ]] || fail "the demo city has no two sealed items"
w1=${sealed[0]}
w2=${sealed[1]}
events_before=$(q "SELECT count(*) FROM events")

cat >feed.csv <<CSV
邮件号,状态,时间,地点,原因
$w1,已收寄,2026-11-28 09:00:00,武汉邮区中心局,
$w1,运输中,2026-11-28 11:00:00,武汉市武昌区,
$w1,已签收,2026-11-28 15:30:00,彭刘杨路营业部,
$w1,已收寄,2026-11-28 09:00:00,武汉邮区中心局,
$w1,in_transit,2026-11-28 16:00:00,武汉市武昌区,
EA999999995CN,shipped,2026-11-28 09:00:00,北京,
EA100000005CX,shipped,2026-11-28 09:00:00,武汉,
$w2,shipped,yesterday,武汉,
CSV

# Exit 1: some rows were bad; the others are applied.
rc=0
"$jingyou" import tracking feed.csv --db "$db" >csv.json || rc=$?
[[ $rc == 1 ]] || fail "exit $rc, expected 1: $(cat csv.json)"
jq -e --arg w "$w1" '
    .rows == 8 and .applied == 3 and .duplicates == 1 and .ignored_out_of_order == 1 and
    .unknown == ["EA999999995CN"] and .rejected == 2 and
    .errors[0].line == 8 and .errors[0].code == "invalid_waybill" and .errors[0].field == "waybill" and
    .errors[1].line == 9 and .errors[1].code == "bad_timestamp" and .errors[1].field == "at"
' csv.json >/dev/null || fail "csv result: $(cat csv.json)"
[[ $(q "SELECT state FROM applications WHERE waybill = '$w1'") == delivered ]] ||
    fail "$w1 not delivered"
[[ $(q "SELECT state FROM applications WHERE waybill = '$w2'") == sealed ]] ||
    fail "$w2 moved on a bad row"
[[ $(q "SELECT count(*) FROM shipment_events_unmatched WHERE waybill = 'EA999999995CN'") == 1 ]] ||
    fail "the unknown row was not kept"
# Beijing time: 09:00 +08:00 is 01:00 UTC.
[[ $(q "SELECT at FROM shipment_events WHERE waybill = '$w1' AND status = 'shipped'") == \
    $(date -u -d '2026-11-28T01:00:00Z' +%s) ]] || fail "the zone-less time was not read as +08:00"
# Two changes of state (shipped, delivered), each one event.
[[ $(q "SELECT count(*) FROM events") == $((events_before + 2)) ]] || fail "events written"
# The messages: shipped and delivered for w1, in the outbox with the events.
[[ $(q "SELECT group_concat(template) FROM (SELECT template FROM outbox o JOIN applications a
        ON a.id = o.application_id WHERE a.waybill = '$w1' AND template <> 'accepted'
        ORDER BY o.id)") == "shipped,delivered" ]] || fail "messages for $w1"

# The same file again: nothing new.
rows_before=$(q "SELECT count(*) FROM shipment_events")
"$jingyou" import tracking feed.csv --db "$db" >again.json || true
jq -e '.applied == 0 and .duplicates == 6 and .rejected == 2' again.json >/dev/null ||
    fail "again: $(cat again.json)"
[[ $(q "SELECT count(*) FROM shipment_events") == "$rows_before" ]] || fail "rows added again"

# JSON lines: w2 goes out, fails (with the carrier's reason), then a bad line and a wrong type.
cat >feed.jsonl <<JSONL
{"mailno": "$w2", "status": "shipped", "time": "2026-11-28T09:00:00+08:00", "location": "武汉邮区中心局"}

{"mailno": "$w2", "status": "delivery_failed", "time": "2026-11-28 14:00", "reason": "收件人不在"}
this is not json
{"mailno": 12345, "status": "shipped", "time": "2026-11-28 14:00"}
{"mailno": "$w2", "status": "out_for_delivery", "time": "2026-11-28 08:00"}
JSONL
rc=0
"$jingyou" import tracking feed.jsonl --db "$db" >jsonl.json || rc=$?
[[ $rc == 1 ]] || fail "jsonl exit $rc: $(cat jsonl.json)"
jq -e '.rows == 5 and .applied == 2 and .ignored_out_of_order == 1 and .rejected == 2 and
       .errors[0].line == 4 and .errors[0].code == "bad_json" and
       .errors[1].line == 5 and .errors[1].code == "wrong_type" and .errors[1].field == "waybill"
' jsonl.json >/dev/null || fail "jsonl result: $(cat jsonl.json)"
[[ $(q "SELECT state FROM applications WHERE waybill = '$w2'") == delivery_failed ]] ||
    fail "$w2 not delivery_failed"
[[ $(q "SELECT failure_reason FROM shipment_events WHERE waybill = '$w2' AND status = 'delivery_failed'") == 收件人不在 ]] ||
    fail "failure reason not kept"
q "SELECT body_zh FROM outbox WHERE template = 'delivery_failed' AND dedupe_key LIKE '%$w2%'" |
    grep -q '收件人不在' || fail "the failure message does not give the reason"

# A clean file exits 0; a file without the required columns is refused whole.
printf 'waybill,status,time\n%s,delivered,2026-11-28 18:00:00\n' "$w2" >ok.csv
"$jingyou" import tracking ok.csv --db "$db" >ok.json || fail "clean file: $(cat ok.json)"
printf 'waybill,where\nEA100000005CN,x\n' >bad.csv
rc=0
"$jingyou" import tracking bad.csv --db "$db" >/dev/null 2>bad.err || rc=$?
[[ $rc == 1 ]] && grep -q 'no status column' bad.err || fail "bad header: rc $rc $(cat bad.err)"
rc=0
"$jingyou" import tracking --db "$db" >/dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "usage: rc $rc"
echo "import tracking: CSV and JSON lines applied, bad rows reported by line"
