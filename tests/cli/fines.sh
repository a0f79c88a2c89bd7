#!/usr/bin/env bash
# Fines (W02) and violation handling (W01) end to end, with the clock pinned at
# 2026-11-30T02:00:00Z (10:00 in Asia/Shanghai, so today is 2026-11-30):
# - `jingyou import decisions`: bad rows reported with line number and reason, good rows in;
#   the same file again changes nothing; a changed row is reported and not overwritten; a file
#   that is not a decisions file writes nothing; the police's import over HTTP.
# - The surcharge vectors through GET /api/v1/decisions/{n}: a fine of 20000 fen at 0, 1, 10,
#   33, 34 and 100 days overdue (0, 600, 6000, 19800, 20000, 20000), and fines whose 3% is not a
#   whole number of fen (17 fen and 50 fen, one day: 0.51 → 1, 1.5 → 2, half up).
# - Lookup by plate and type, and by licence number.
# - Payment: a wrong amount 422, the right one 201, again 409, a retry with the same
#   Idempotency-Key 200 with the same payment; the receipt PDF; the police's reversal (then the
#   decision is open again), twice 409, by a clerk 403.
# - Settlement: the totals equal the sum of the day's payments (API, database), the settlement
#   file's SHA-256 line verifies with sha256sum, and `jingyou settle` writes the same bytes;
#   reconciliation (upload and --confirmation): matched, missing, unexpected.
# - W01: intake, review, approval by the police with decision number and points (validated),
#   archive; the application shows what was recorded.
# - The next day (the server restarted with the clock a day on): a reversal of yesterday's
#   payment is 409 not_same_day, the surcharge has grown by a day, yesterday's settlement is
#   unchanged.
#
# Usage: tests/cli/fines.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
. "$(dirname "$0")/lib/server.sh"
clock=2026-11-30T02:00:00Z
db=$tmp/jingyou.db

# ---- import from the command line ----

cat >decisions.csv <<'EOF'
decision_number,plate,plate_type,licence_number,violation_code,description,fine_fen,points,decision_date,payment_deadline
T0000,鄂A10000,02,11010519491231002X,1345,违反禁止标线指示,20000,1,2026-11-15,2026-11-30
T0001,鄂A10001,02,11010519491231002X,1345,违反禁止标线指示,20000,1,2026-11-14,2026-11-29
T0010,鄂A10010,02,,1625,驾驶机动车违反道路交通信号灯通行,20000,6,2026-11-05,2026-11-20
T0033,鄂A10033,02,,1345,违反禁止标线指示,20000,1,2026-10-13,2026-10-28
T0034,鄂AD12345,52,,1345,违反禁止标线指示,20000,1,2026-10-12,2026-10-27
T0100,鄂A10100,02,,1345,违反禁止标线指示,20000,1,2026-08-07,2026-08-22
bad-plate,鄂A1234,02,,1345,x,100,1,2026-11-01,2026-11-30
bad-id,鄂A12345,02,110105194912310021,1345,x,100,1,2026-11-01,2026-11-30
bad-points,鄂A12345,02,,1345,x,100,2,2026-11-01,2026-11-30
bad-deadline,鄂A12345,02,,1345,x,100,1,2026-11-10,2026-11-01
bad-type,鄂AD12345,02,,1345,x,100,1,2026-11-01,2026-11-30
bad-amount,鄂A12345,02,,1345,x,1.50,1,2026-11-01,2026-11-30
bad-fields,鄂A12345,02
R0017,"鄂B12345",02,,13451,"未按规定停车, 驾驶人不在现场",17,0,2026-11-01,2026-11-29
R0050,鄂B12346,02,,1039,违反规定停放,50,0,2026-11-01,2026-11-29
EOF

set +e
"$jingyou" import decisions decisions.csv --db "$db" --clock $clock >import1.out 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || fail "import with bad rows: exit $rc, expected 1: $(cat import1.out)"
expect_line() { # expect_line FILE PATTERN
    grep -qE "$2" "$1" || fail "no line matching '$2' in $(cat "$1")"
}
expect_line import1.out '^line 8: bad \(plate: bad_length\)'
expect_line import1.out '^line 9: bad \(licence_number: bad_check_character\)'
expect_line import1.out '^line 10: bad \(points: bad_points\)'
expect_line import1.out '^line 11: bad \(payment_deadline: deadline_before_decision\)'
expect_line import1.out '^line 12: bad \(plate_type: plate_type_mismatch\)'
expect_line import1.out '^line 13: bad \(fine_fen: bad_amount\)'
expect_line import1.out '^line 14: bad \(bad_field_count\)'
expect_line import1.out '^import: 8 imported, 0 unchanged, 0 changed, 7 bad$'
[[ $(grep -c '^line ' import1.out) == 7 ]] || fail "7 bad rows expected: $(cat import1.out)"
[[ $(sqlite3 "$db" 'SELECT count(*) FROM decisions') == 8 ]] || fail "8 decisions expected"
[[ $(sqlite3 "$db" "SELECT description FROM decisions WHERE decision_number = 'R0017'") == \
    "未按规定停车, 驾驶人不在现场" ]] || fail "a quoted field with a comma"

dump() { sqlite3 "$db" 'SELECT * FROM decisions ORDER BY id'; }
dump >before.txt
set +e
"$jingyou" import decisions decisions.csv --db "$db" --clock $clock >import2.out 2>&1
set -e
expect_line import2.out '^import: 0 imported, 8 unchanged, 0 changed, 7 bad$'
dump >after.txt
cmp -s before.txt after.txt || fail "re-importing the same file changed the decisions"

sed 's/^T0001,\(.*\),20000,1,/T0001,\1,30000,1,/' decisions.csv | head -3 >changed.csv
set +e
"$jingyou" import decisions changed.csv --db "$db" --clock $clock >import3.out 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || fail "a changed row: exit $rc, expected 1"
expect_line import3.out '^line 3: changed T0001 \(fine_fen: decision_changed\)'
expect_line import3.out '^import: 0 imported, 1 unchanged, 1 changed, 0 bad$'
dump >after.txt
cmp -s before.txt after.txt || fail "a changed row was overwritten"

printf 'number,plate\nX,Y\n' >notdecisions.csv
set +e
"$jingyou" import decisions notdecisions.csv --db "$db" --clock $clock >import4.out 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || fail "a file with another header: exit $rc"
expect_line import4.out 'the header must be decision_number'
printf '%s\n' "$(head -1 decisions.csv)" 'N1,鄂A55555,02,,1345,x,100,1,2026-11-01,2026-11-30' \
    'N2,"鄂A55556,02' >badcsv.csv
set +e
"$jingyou" import decisions badcsv.csv --db "$db" --clock $clock >import5.out 2>&1
set -e
expect_line import5.out 'malformed CSV'
dump >after.txt
cmp -s before.txt after.txt || fail "a malformed file wrote something"

# ---- the server ----

"$jingyou" serve --demo --db "$db" --port 0 --clock $clock >server.out 2>server.err &
server=$!
wait_for_server 100

login() { # login NAME → cookie jar NAME.jar, CSRF token in NAME.csrf
    curl -s -c "$1.jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"jingyou-demo\"}" "$base/api/v1/session" >"$1.login"
    jq -re '.csrf_token' "$1.login" >"$1.csrf" || fail "login $1: $(cat "$1.login")"
}
# call USER METHOD PATH [curl args…] — the body goes to out.json, the status to $status.
call() {
    local user=$1 method=$2 path=$3
    shift 3
    status=$(curl -s -o out.json -w '%{http_code}' -X "$method" -b "$user.jar" \
        -H "X-CSRF-Token: $(cat "$user.csrf")" "$@" "$base$path")
}
json=(-H 'Content-Type: application/json')
expect() { # expect STATUS [ERROR_CODE]
    [[ $status == "$1" ]] || fail "expected $1 ${2:-}, got $status: $(cat out.json)"
    if [[ -n ${2:-} ]]; then
        [[ $(jq -r .error.code out.json) == "$2" ]] || fail "expected $2: $(cat out.json)"
    fi
}
login clerk
login clerk2
login police
login manager
login review

# ---- the surcharge vectors ----

check_fine() { # check_fine NUMBER DAYS SURCHARGE TOTAL
    call clerk GET "/api/v1/decisions/$1"
    expect 200
    local got
    got=$(jq -c '[.days_overdue, .surcharge_fen, .total_fen, .open]' out.json)
    [[ $got == "[$2,$3,$4,true]" ]] || fail "$1: [days, surcharge, total, open] = $got, expected [$2,$3,$4,true]"
}
check_fine T0000 0 0 20000
check_fine T0001 1 600 20600
check_fine T0010 10 6000 26000
check_fine T0033 33 19800 39800
check_fine T0034 34 20000 40000
check_fine T0100 100 20000 40000
check_fine R0017 1 1 18 # 0.51 fen rounds up to 1
check_fine R0050 1 2 52 # 1.5 fen rounds half up to 2
check_fine t0010 10 6000 26000 # the number in any case
call clerk GET /api/v1/decisions/NOSUCH
expect 404 not_found
call review GET /api/v1/decisions/T0000
expect 403 forbidden

# ---- lookup by plate and type, by licence number ----

call clerk GET "/api/v1/decisions?plate=%E9%84%82AD12345&plate_type=52"
expect 200
[[ $(jq -c '[.items[].decision_number]' out.json) == '["T0034"]' ]] || fail "by plate: $(cat out.json)"
call clerk GET "/api/v1/decisions?plate=%E9%84%82AD12345&plate_type=02"
expect 200
[[ $(jq '.items | length' out.json) == 0 ]] || fail "by plate, another type: $(cat out.json)"
call clerk GET "/api/v1/decisions?licence_number=11010519491231002x"
expect 200
[[ $(jq -c '[.items[].decision_number]' out.json) == '["T0001","T0000"]' ]] ||
    fail "by licence (oldest deadline first): $(cat out.json)"
call clerk GET "/api/v1/decisions?plate=%E9%84%82A1234&plate_type=02"
expect 400 bad_length
call clerk GET "/api/v1/decisions"
expect 400 missing_field

# ---- payment ----

call clerk POST /api/v1/decisions/T0010/payments "${json[@]}" -d '{"method":"cash","amount_fen":20000}'
expect 422 wrong_amount
[[ $(jq -r .error.field out.json) == amount_fen ]] || fail "wrong amount names the field"
call clerk POST /api/v1/decisions/T0010/payments "${json[@]}" -d '{"method":"qr","amount_fen":26000}'
expect 400 missing_field
call clerk POST /api/v1/decisions/T0010/payments "${json[@]}" -d '{"method":"cheque","amount_fen":26000}'
expect 400 bad_method
call police POST /api/v1/decisions/T0010/payments "${json[@]}" -d '{"method":"cash","amount_fen":26000}'
expect 403 forbidden
call clerk POST /api/v1/decisions/T0010/payments "${json[@]}" -H 'Idempotency-Key: pay-t0010' \
    -d '{"method":"bank_card","amount_fen":26000,"reference":"POS-889901"}'
expect 201
pay10=$(jq -r .id out.json)
[[ $(jq -c '[.fine_fen, .surcharge_fen, .amount_fen, .days_overdue, .branch.code, .clerk.username]' out.json) == \
    '[20000,6000,26000,10,"WH001","clerk"]' ]] || fail "payment: $(cat out.json)"
call clerk POST /api/v1/decisions/T0010/payments "${json[@]}" -H 'Idempotency-Key: pay-t0010' \
    -d '{"method":"bank_card","amount_fen":26000,"reference":"POS-889901"}'
expect 200
[[ $(jq -r .id out.json) == "$pay10" ]] || fail "the retry made another payment"
call clerk POST /api/v1/decisions/T0010/payments "${json[@]}" \
    -d '{"method":"cash","amount_fen":26000}'
expect 409 already_paid
call clerk GET /api/v1/decisions/T0010
[[ $(jq -c '[.open, .payment_id]' out.json) == "[false,$pay10]" ]] || fail "paid: $(cat out.json)"
call clerk GET "/api/v1/decisions?plate=%E9%84%82A10010&plate_type=02"
[[ $(jq '.items | length' out.json) == 0 ]] || fail "a paid decision is not open"

call clerk GET "/api/v1/fine-payments/$pay10/receipt.pdf"
expect 200
head -c 5 out.json | grep -q '%PDF-' || fail "the receipt is not a PDF"
if command -v pdftotext >/dev/null; then
    pdftotext out.json receipt.txt
    grep -q 'T0010' receipt.txt && grep -q '¥260.00' receipt.txt && grep -q '¥60.00' receipt.txt ||
        fail "the receipt lacks the number or amounts: $(cat receipt.txt)"
fi
call clerk2 GET "/api/v1/fine-payments/$pay10/receipt.pdf"
expect 403 out_of_scope

for n in T0000:20000:cash T0034:40000:qr R0017:18:cash; do
    IFS=: read -r num amount method <<<"$n"
    ref=
    [[ $method == qr ]] && ref=',"reference":"WX20261130001"'
    call clerk2 POST "/api/v1/decisions/$num/payments" "${json[@]}" \
        -d "{\"method\":\"$method\",\"amount_fen\":$amount$ref}"
    expect 201
done
r17=$(jq -r .id out.json)

# ---- reversal ----

call clerk POST "/api/v1/fine-payments/$r17/reverse" "${json[@]}" -d '{"reason":"x"}'
expect 403 forbidden
call police POST "/api/v1/fine-payments/$r17/reverse" "${json[@]}" -d '{}'
expect 400 missing_field
call police POST "/api/v1/fine-payments/$r17/reverse" "${json[@]}" -d '{"reason":"金额录错"}'
expect 200
[[ $(jq -r .reversal.reason out.json) == 金额录错 ]] || fail "reversal: $(cat out.json)"
call police POST "/api/v1/fine-payments/$r17/reverse" "${json[@]}" -d '{"reason":"again"}'
expect 409 already_reversed
check_fine R0017 1 1 18 # open again
call clerk POST /api/v1/decisions/R0017/payments "${json[@]}" -d '{"method":"cash","amount_fen":18}'
expect 201

# ---- HTTP import by the police ----

printf '%s\n' "$(head -1 decisions.csv)" 'H0001,鄂A20001,02,,1345,违反禁止标线指示,10000,1,2026-11-20,2026-12-05' \
    'H0002,鄂A2000,02,,1345,x,100,1,2026-11-01,2026-11-30' >http.csv
call clerk POST /api/v1/decision-imports -H 'Content-Type: text/csv' --data-binary @http.csv
expect 403 forbidden
call police POST /api/v1/decision-imports -H 'Content-Type: text/csv' --data-binary @http.csv
expect 200
[[ $(jq -c '[.imported, .bad, .rows[0].line, .rows[0].reason, .rows[0].field]' out.json) == \
    '[1,1,3,"bad_length","plate"]' ]] || fail "http import: $(cat out.json)"
call police POST /api/v1/decision-imports -H 'Content-Type: text/csv' --data-binary @http.csv
[[ $(jq -c '[.imported, .unchanged, .bad]' out.json) == '[0,1,1]' ]] || fail "http re-import: $(cat out.json)"

# ---- settlement ----

call manager GET /api/v1/fine-settlements/2026-11-30
expect 200
cp out.json settlement.json
sum_api=$(jq '[.payments[] | select(.reversal == null) | .amount_fen] | add' settlement.json)
sum_db=$(sqlite3 "$db" "SELECT sum(amount_fen) FROM fine_payments WHERE paid_date = '2026-11-30' AND reversed_at IS NULL")
total=$(jq .amount_fen settlement.json)
[[ $total == "$sum_api" && $total == "$sum_db" ]] ||
    fail "settlement total $total, payments $sum_api, database $sum_db"
branch_sum=$(jq '[.branches[].amount_fen] | add' settlement.json)
[[ $branch_sum == "$total" ]] || fail "branch totals $branch_sum, total $total"
[[ $(jq .reversed settlement.json) -ge 1 ]] || fail "the reversal is not counted"
call clerk GET /api/v1/fine-settlements/2026-11-30
expect 403 forbidden

call police GET /api/v1/fine-settlements/2026-11-30/settlement.csv
expect 200
cp out.json settlement.csv
want=$(tail -n 1 settlement.csv | tr -d '\r' | sed -n 's/^sha256,//p')
got=$(head -n -1 settlement.csv | sha256sum | cut -d' ' -f1)
[[ -n $want && $want == "$got" ]] || fail "the SHA-256 line '$want' does not match '$got'"
csv_total=$(grep '^total,' settlement.csv | tr -d '\r' | awk -F, '{print $NF}')
[[ $csv_total == "$total" ]] || fail "the file's total $csv_total, the day's $total"
csv_sum=$(grep '^payment,' settlement.csv | tr -d '\r' | awk -F, '{s += $NF} END {print s}')
[[ $csv_sum == "$total" ]] || fail "the file's payment rows add up to $csv_sum, not $total"
csv_reversed=$(grep -c '^reversed,' settlement.csv || true)
[[ $csv_reversed == "$(jq .reversed settlement.json)" ]] ||
    fail "the file lists $csv_reversed reversed payments, the day $(jq .reversed settlement.json)"
grep -q "^reversed,2026-11-30,[^,]*,[^,]*,$r17," settlement.csv || fail "payment $r17's reversal not in the file"

"$jingyou" settle 2026-11-30 --db "$db" --out cli.csv >settle.out ||
    fail "jingyou settle: $(cat settle.out)"
cmp -s cli.csv settlement.csv || fail "jingyou settle wrote another file than the API"
expect_line settle.out "\\($total fen\\)"

"$jingyou" settle 2026-11-30 --db "$tmp/nosuch.db" >nosuch.out 2>&1 && fail "settle on no database"
[[ ! -e $tmp/nosuch.db ]] || fail "settle created a database"

# The police's confirmation: every payment but T0000, one they know and we do not, and T0034
# with another amount.
{
    echo decision_number,amount_fen
    jq -r '.payments[] | select(.reversal == null) | select(.decision_number != "T0000")
           | select(.decision_number != "T0034") | "\(.decision_number),\(.amount_fen)"' settlement.json
    echo T0034,39999
    echo UNKNOWN-1,5000
} >confirmation.csv
n_payments=$(jq '[.payments[] | select(.reversal == null)] | length' settlement.json)
call police POST /api/v1/fine-settlements/2026-11-30/reconciliation -H 'Content-Type: text/csv' \
    --data-binary @confirmation.csv
expect 200
[[ $(jq '.matched | length' out.json) == $((n_payments - 2)) ]] || fail "matched: $(cat out.json)"
[[ $(jq -c '[.missing[].decision_number]' out.json) == '["T0000"]' ]] || fail "missing: $(cat out.json)"
[[ $(jq -c '[.unexpected[] | [.decision_number, .reason]]' out.json) == \
    '[["T0034","amount_differs"],["UNKNOWN-1","not_paid_that_day"]]' ]] || fail "unexpected: $(cat out.json)"
[[ $(jq .balanced out.json) == false ]] || fail "not balanced"
set +e
"$jingyou" settle 2026-11-30 --db "$db" --confirmation confirmation.csv >recon.out
rc=$?
set -e
[[ $rc == 1 ]] || fail "an unbalanced reconciliation: exit $rc"
expect_line recon.out "^matched: $((n_payments - 2))$"
expect_line recon.out '^missing: 1$'
expect_line recon.out '^unexpected: 2$'
expect_line recon.out 'NOT balanced'

# ---- W01: the driver's acknowledgement, review, approval with decision and points, archive ----

cat >w01.json <<'EOF'
{"business_type": "W01",
 "applicant": {"name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
               "mobile": "13800138000"},
 "vehicle": {"plate": "鄂A10033", "plate_type": "02", "vin": "LSJA24U62JG269225"},
 "licence": {"number": "11010519491231002X", "class": "C1"},
 "documents": ["id_card", "driving_licence", "vehicle_licence"]}
EOF
call clerk POST /api/v1/applications "${json[@]}" -d @w01.json
expect 201
w01=$(jq -r .number out.json)
[[ $(jq -r .station out.json) == review ]] || fail "W01 starts at review: $(cat out.json)"
call review POST /api/v1/stations/review/claim "${json[@]}" -d "{\"number\":\"$w01\"}"
expect 200
call review POST "/api/v1/applications/$w01/complete" "${json[@]}" \
    -d '{"station":"review","decision_number":"4201001","points":3}'
expect 422 not_applicable
call review POST "/api/v1/applications/$w01/complete" "${json[@]}" -d '{"station":"review"}'
expect 200
call police POST /api/v1/stations/approval/claim "${json[@]}" -d "{\"number\":\"$w01\"}"
expect 200
call police POST "/api/v1/applications/$w01/complete" "${json[@]}" -d '{"station":"approval"}'
expect 400 missing_field
call police POST "/api/v1/applications/$w01/complete" "${json[@]}" \
    -d '{"station":"approval","decision_number":"4201 001","points":3}'
expect 400 bad_decision_number
call police POST "/api/v1/applications/$w01/complete" "${json[@]}" \
    -d '{"station":"approval","decision_number":"420120261130001","points":2}'
expect 422 bad_points
call police POST "/api/v1/applications/$w01/complete" "${json[@]}" \
    -d '{"station":"approval","decision_number":"420120261130001"}'
expect 400 missing_field
call police POST "/api/v1/applications/$w01/complete" "${json[@]}" \
    -d '{"station":"approval","decision_number":"420120261130001","points":3}'
expect 200
[[ $(jq -c '[.state, .station, .violation.decision_number, .violation.points]' out.json) == \
    '["at_station","archive","420120261130001",3]' ]] || fail "W01 after approval: $(cat out.json)"
call police GET "/api/v1/applications/$w01/events"
jq -e '[.. | .note? // empty | strings | select(contains("决定书 420120261130001，记 3 分"))] | length == 1' \
    out.json >/dev/null || fail "the approval's event does not record the decision: $(cat out.json)"
login archive
call archive POST /api/v1/stations/archive/claim "${json[@]}" -d "{\"number\":\"$w01\"}"
expect 200
call archive POST "/api/v1/applications/$w01/complete" "${json[@]}" -d '{"station":"archive"}'
expect 200
[[ $(jq -c '[.state, .violation.points]' out.json) == '["completed",3]' ]] ||
    fail "W01 archived: $(cat out.json)"

# ---- the next day: yesterday's payments are settled; a reversal is refused ----

kill "$server"
wait "$server" || fail "the server did not stop cleanly"
server=
"$jingyou" serve --db "$db" --port 0 --clock 2026-12-01T02:00:00Z >server.out 2>server.err &
server=$!
for _ in $(seq 1 100); do
    [[ -s server.out ]] && break
    kill -0 "$server" 2>/dev/null || fail "the server did not start again"
    sleep 0.1
done
port=$(head -1 server.out | sed -nE 's#^jingyou serving http://127\.0\.0\.1:([0-9]+)/.*#\1#p')
base=http://127.0.0.1:$port
login clerk
login police
login manager
call police POST "/api/v1/fine-payments/$pay10/reverse" "${json[@]}" -d '{"reason":"too late"}'
expect 409 not_same_day
call clerk GET /api/v1/decisions/T0010
[[ $(jq -c '[.open, .payment_id]' out.json) == "[false,$pay10]" ]] || fail "still paid: $(cat out.json)"
call clerk GET /api/v1/decisions/T0001
[[ $(jq -c '[.days_overdue, .surcharge_fen, .total_fen]' out.json) == '[2,1200,21200]' ]] ||
    fail "a day later: $(cat out.json)"
call manager GET /api/v1/fine-settlements/2026-11-30
[[ $(jq .amount_fen out.json) == "$total" ]] || fail "yesterday's settlement changed: $(cat out.json)"
call manager GET /api/v1/fine-settlements/today
[[ $(jq -c '[.date, .count]' out.json) == '["2026-12-01",0]' ]] || fail "today: $(cat out.json)"

"$jingyou" audit verify --db "$db" >/dev/null || fail "the event chain is broken"
echo "fines: all checks passed"
