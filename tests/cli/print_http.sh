#!/usr/bin/env bash
# Printed paper and exports over HTTP against the real server (`jingyou serve --demo` on a fresh
# database, clock pinned): the clerk takes a D01 intake and downloads its receipt (A5 and 80 mm);
# pdftotext finds the number, the business name and the fee, pdffonts the CJK font embedded, and
# zbarimg reads the Code 128 (= the number) and the QR (= the signed tracking URL) from the page
# rendered at 300 dpi; the QR's token verifies as genuine, and with one byte changed as not issued
# by this centre. Then the envelope label of every sealed demo application (Code 128 = waybill),
# the outbound manifest of a day (every waybill sealed that day scans), the daily XLSX read back
# by openpyxl (the applications accepted that day per the API list, money numeric) and the CSVs;
# 403 for roles that may not, 400 for a bad date or format, 409 for a label before sealing.
# The receipt's rendering is left in build/screens/.
#
# Usage: tests/cli/print_http.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
screens=$(dirname "$jingyou")/screens
. "$(dirname "$0")/lib/server.sh"

for tool in pdftotext pdffonts pdftoppm zbarimg jq curl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || fail "python3-openpyxl is not installed"

"$jingyou" serve --demo --db "$tmp/db/jingyou.db" --port 0 --clock 2026-11-30T02:00:00Z \
    >server.out 2>server.err &
server=$!
wait_for_server 200

# The key pair beside the database, outside it: a directory of mode 0700, files of mode 0600.
[[ $(stat -c %a db/keys) == 700 ]] || fail "key directory mode $(stat -c %a db/keys)"
for f in receipt_sign.key receipt_sign.pub; do
    [[ $(stat -c %a "db/keys/$f") == 600 ]] || fail "$f mode $(stat -c %a "db/keys/$f")"
done

login() { # login NAME → cookie jar NAME.jar
    curl -s -c "$1.jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"jingyou-demo\"}" "$base/api/v1/session" >"$1.login"
    jq -re '.csrf_token' "$1.login" >"$1.csrf" || fail "login $1: $(cat "$1.login")"
}
for u in clerk clerk2 review dispatch logistics police manager admin; do login "$u"; done

# get NAME USER PATH — body to NAME, headers to NAME.h, status in $status.
get() {
    local name=$1 user=$2 path=$3
    local auth=()
    [[ $user != - ]] && auth=(-b "$user.jar")
    status=$(curl -s -o "$name" -D "$name.h" -w '%{http_code}' "${auth[@]}" "$base$path")
}
# refused STATUS CODE — the last get answered STATUS with error code CODE.
refused() {
    [[ $status == "$1" ]] || fail "expected $1 $2, got $status: $(head -c 300 "$last")"
    [[ $(jq -r .error.code "$last") == "$2" ]] || fail "expected code $2: $(cat "$last")"
}
header() { # header FILE NAME → the value
    grep -i "^$2:" "$1.h" | head -1 | cut -d' ' -f2- | tr -d '\r'
}
# barcodes PDF PNG — the page rendered at 300 dpi, decoded by zbarimg
barcodes() {
    pdftoppm -r 300 -f 1 -l 1 -singlefile -png "$1" "${2%.png}"
    zbarimg -q "$2" 2>/dev/null || true
}

# ---- the receipt ----

cat >d01.body <<'JSON'
{"business_type": "D01",
 "applicant": {"name": "张三", "id_type": "resident_id", "id_number": "11010519491231002x",
               "mobile": "13800138000"},
 "licence": {"number": "11010519491231002X", "class": "C1"},
 "delivery": {"recipient": "张三", "mobile": "13800138000",
              "address": "湖北省武汉市武昌区彭刘杨路1号", "postcode": "430060"},
 "documents": ["id_card", "photo", "application_form", "loss_statement"]}
JSON
curl -s -o intake.json -b clerk.jar -H "X-CSRF-Token: $(cat clerk.csrf)" \
    -H 'Content-Type: application/json' --data-binary @d01.body "$base/api/v1/applications"
number=$(jq -r .number intake.json)
display=$(jq -r .display_number intake.json)
[[ $number =~ ^WH261130[0-9]{5}[0-9A-Z]$ ]] || fail "intake: $(cat intake.json)"

last=receipt.pdf
get receipt.pdf clerk "/api/v1/applications/$number/receipt.pdf"
[[ $status == 200 ]] || fail "receipt: $status $(head -c 300 receipt.pdf)"
[[ $(header receipt.pdf Content-Type) == application/pdf ]] || fail "receipt content type"
[[ $(header receipt.pdf Content-Disposition) == "inline; filename=\"receipt-$number.pdf\"" ]] ||
    fail "receipt disposition: $(header receipt.pdf Content-Disposition)"
[[ $(head -c 5 receipt.pdf) == %PDF- ]] || fail "not a PDF"
pdftotext receipt.pdf receipt.txt
for want in "$display" 补领机动车驾驶证 "¥30.00" 张\* 彭刘杨路邮政支局 王敏; do
    grep -qF -- "$want" receipt.txt || fail "receipt text lacks '$want'"
done
grep -qF 张三 receipt.txt && fail "the receipt shows the applicant's full name"
pdffonts receipt.pdf | grep NotoSansCJK | grep -q ' yes ' || fail "CJK font not embedded: $(pdffonts receipt.pdf)"

codes=$(barcodes receipt.pdf receipt.png)
grep -qx "CODE-128:$number" <<<"$codes" || fail "Code 128 not read as $number: $codes"
qr=$(sed -n 's/^QR-Code://p' <<<"$codes")
[[ $qr =~ ^$base/track\.html\?number=$number\&r=$number\.20261130\.3000\.[A-Za-z0-9_-]{86}$ ]] ||
    fail "QR payload: $qr"
mkdir -p "$screens"
cp receipt.png "$screens/receipt_service_a5.png"

get receipt80.pdf clerk "/api/v1/applications/$number/receipt.pdf?format=80mm"
[[ $status == 200 ]] || fail "80 mm receipt: $status"
codes80=$(barcodes receipt80.pdf receipt80.png)
grep -qx "CODE-128:$number" <<<"$codes80" || fail "80 mm Code 128: $codes80"
grep -qxF "QR-Code:$qr" <<<"$codes80" || fail "80 mm QR differs: $codes80"
cp receipt80.png "$screens/receipt_service_80mm.png"

# Who may: the clerk of another branch may not, the supervisor may; a bad format is 400.
last=r.json
get r.json clerk2 "/api/v1/applications/$number/receipt.pdf"
refused 403 out_of_scope
get r.json police "/api/v1/applications/$number/receipt.pdf"
[[ $status == 200 ]] || fail "supervisor's receipt: $status"
get r.json clerk "/api/v1/applications/$number/receipt.pdf?format=a4"
refused 400 bad_parameter
get r.json - "/api/v1/applications/$number/receipt.pdf"
refused 401 "$(jq -r .error.code r.json)"

# ---- the receipt's QR, checked ----

token=${qr##*r=}
get v.json - "/api/v1/receipts/verify?r=$token"
[[ $status == 200 ]] || fail "verify: $status $(cat v.json)"
jq -e --arg n "$number" '.genuine == true and .number == $n and .date == "2026-11-30" and
    .fee_fen == 3000 and .message_zh == "本中心出具的真实回执" and .record == "matches" and
    .differs == []' v.json >/dev/null || fail "verify genuine: $(cat v.json)"
# The whole scanned URL works as well, percent-encoded.
get v.json - "/api/v1/receipts/verify?r=$(jq -rn --arg q "$qr" '$q|@uri')"
jq -e '.genuine == true' v.json >/dev/null || fail "verify the whole URL: $(cat v.json)"
# One byte changed, in the signature, the fee, the number, the date.
sig=${token: -86}
flip=$([[ ${sig:40:1} == A ]] && echo B || echo A)
forged=(
    "${token:0:$((${#token} - 86 + 40))}$flip${token:$((${#token} - 86 + 41))}"
    "${token/.3000./.3001.}"
    "${token/.20261130./.20261131.}"
    "${token/#WH/WJ}"
)
for f in "${forged[@]}"; do
    [[ $f != "$token" ]] || fail "forgery equals the token"
    get v.json - "/api/v1/receipts/verify?r=$f"
    [[ $status == 200 ]] || fail "verify forged: $status $(cat v.json)"
    jq -e '.genuine == false and .message_zh == "非本中心出具"' v.json >/dev/null ||
        fail "forged token $f: $(cat v.json)"
done
last=v.json
get v.json - "/api/v1/receipts/verify"
refused 400 missing_field

# ---- labels of sealed applications ----

get sealed.json police "/api/v1/applications?state=sealed&limit=200"
mapfile -t sealed < <(jq -r '.items[] | "\(.number) \(.waybill)"' sealed.json)
(( ${#sealed[@]} > 0 )) || fail "the demo city has no sealed application"
for row in "${sealed[@]}"; do
    read -r n waybill <<<"$row"
    get label.pdf dispatch "/api/v1/applications/$n/label.pdf"
    [[ $status == 200 ]] || fail "label $n: $status $(head -c 300 label.pdf)"
    [[ $(header label.pdf Content-Disposition) == "inline; filename=\"label-$n.pdf\"" ]] ||
        fail "label disposition"
    codes=$(barcodes label.pdf label.png)
    grep -qx "CODE-128:$waybill" <<<"$codes" || fail "label $n: Code 128 is not $waybill: $codes"
    pdftotext label.pdf - | grep -qE '1[0-9]{2}\*{4}[0-9]{4}' || fail "label $n: no masked mobile"
done
cp label.png "$screens/label_service.png"
read -r n waybill <<<"${sealed[0]}"
for who in logistics police; do
    get label.pdf "$who" "/api/v1/applications/$n/label.pdf"
    [[ $status == 200 ]] || fail "label as $who: $status"
done
last=r.json
for who in clerk manager review; do
    get r.json "$who" "/api/v1/applications/$n/label.pdf"
    refused 403 forbidden
done
get r.json dispatch "/api/v1/applications/$number/label.pdf"
refused 409 not_sealed

# ---- the outbound manifest of the day the first sealed application was sealed ----

get ev.json police "/api/v1/applications/$n/events"
sealed_at=$(jq -r '[.items[] | select(.to_state == "sealed")][0].at' ev.json)
day=$(TZ=Asia/Shanghai date -d "$sealed_at" +%F)
get manifest.pdf dispatch "/api/v1/manifests/outbound.pdf?date=$day"
[[ $status == 200 ]] || fail "manifest: $status $(head -c 300 manifest.pdf)"
[[ $(header manifest.pdf Content-Disposition) == "inline; filename=\"outbound-$day.pdf\"" ]] ||
    fail "manifest disposition"
pages=$(pdfinfo manifest.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
: >manifest.codes
for p in $(seq 1 "${pages:-1}"); do
    pdftoppm -r 300 -f "$p" -l "$p" -singlefile -png manifest.pdf "manifest-$p"
    zbarimg -q "manifest-$p.png" >>manifest.codes 2>/dev/null || true
done
# Every application sealed that day (from the history of those now sealed or beyond) is there.
expected=0
get all.json police "/api/v1/applications?limit=200"
for row in $(jq -r '.items[] | select(.waybill != null) | "\(.number),\(.waybill)"' all.json); do
    get ev.json police "/api/v1/applications/${row%,*}/events"
    at=$(jq -r '[.items[] | select(.to_state == "sealed")][0].at // empty' ev.json)
    [[ -n $at && $(TZ=Asia/Shanghai date -d "$at" +%F) == "$day" ]] || continue
    expected=$((expected + 1))
    grep -qx "CODE-128:${row#*,}" manifest.codes || fail "manifest lacks ${row#*,}"
    pdftotext manifest.pdf - | tr -d ' ' | grep -qF "${row#*,}" || fail "manifest text lacks ${row#*,}"
done
(( expected > 0 )) || fail "no application sealed on $day"
[[ $(grep -c '^CODE-128:E' manifest.codes) == "$expected" ]] ||
    fail "manifest has $(grep -c '^CODE-128:E' manifest.codes) waybills, $expected expected"
cp manifest-1.png "$screens/manifest_outbound_service.png"
for who in logistics police manager; do
    get manifest.pdf "$who" "/api/v1/manifests/outbound.pdf?date=$day"
    [[ $status == 200 ]] || fail "manifest as $who: $status"
done
last=r.json
for who in clerk review admin; do
    get r.json "$who" "/api/v1/manifests/outbound.pdf?date=$day"
    refused 403 forbidden
done
for bad in 2026-13-01 2026-11-31 20261130 yesterday; do
    get r.json dispatch "/api/v1/manifests/outbound.pdf?date=$bad"
    refused 400 invalid_date
done

# ---- the daily report ----

today=2026-11-30
get all.json manager "/api/v1/applications?limit=200"
# The applications accepted on the day (Asia/Shanghai), per the API, oldest first.
jq -r '.items | map(select(.accepted_at | fromdateiso8601 + 8 * 3600 | strftime("%Y-%m-%d")
    == "'$today'")) | sort_by(.accepted_at, .number) | .[] | "\(.display_number),\(.fee_total_fen)"' \
    all.json >expected.csv
(( $(wc -l <expected.csv) > 0 )) || fail "no application accepted on $today"
grep -qF "$display," expected.csv || fail "the new intake is not among the day's"

get daily.xlsx manager "/api/v1/reports/daily.xlsx?date=$today"
[[ $status == 200 ]] || fail "xlsx: $status $(head -c 300 daily.xlsx)"
[[ $(header daily.xlsx Content-Type) == application/vnd.openxmlformats-officedocument.spreadsheetml.sheet ]] ||
    fail "xlsx content type"
[[ $(header daily.xlsx Content-Disposition) == "attachment; filename=\"daily-$today.xlsx\"" ]] ||
    fail "xlsx disposition"
/usr/bin/python3 - daily.xlsx expected.csv <<'PY' || fail "the XLSX does not hold the day's applications"
import datetime, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["受理明细"]
rows = list(ws.iter_rows(values_only=True))
head, body = rows[0], rows[1:]
assert head[0] == "受理编号" and "费用（元）" in head, head
fee = head.index("费用（元）")
got = [(r[0], r[fee]) for r in body]
want = [tuple(l.strip().split(",")) for l in open(sys.argv[2]) if l.strip()]
assert len(got) == len(want), (len(got), len(want))
for (n, y), (wn, wf) in zip(got, want):
    assert n == wn, (n, wn)
    assert isinstance(y, (int, float)) and not isinstance(y, bool), (n, y)
    assert round(y * 100) == int(wf), (n, y, wf)
accepted = head.index("受理时间")
assert all(isinstance(r[accepted], datetime.datetime) for r in body)
for r in ws.iter_rows(min_row=2, min_col=fee + 1, max_col=fee + 1):
    assert r[0].number_format == "0.00", r[0].number_format
st = wb["工位统计"]
srows = list(st.iter_rows(values_only=True))
assert len(srows) == 7, srows
assert all(isinstance(v, (int, float)) for r in srows[1:] for v in r[1:]), srows
PY

get daily.csv manager "/api/v1/reports/daily.csv?date=$today"
[[ $status == 200 ]] || fail "csv: $status"
[[ $(header daily.csv Content-Type) == "text/csv; charset=utf-8" ]] || fail "csv content type"
/usr/bin/python3 - daily.csv expected.csv <<'PY' || fail "the CSV does not hold the day's applications"
import csv, sys
text = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
rows = list(csv.reader(text.splitlines()))
head, body = rows[0], rows[1:]
fee = head.index("费用（元）")
want = [l.strip().split(",") for l in open(sys.argv[2]) if l.strip()]
assert [r[0] for r in body] == [w[0] for w in want], ([r[0] for r in body], want)
assert [r[fee] for r in body] == ["%d.%02d" % (int(w[1]) // 100, int(w[1]) % 100) for w in want]
PY
get stations.csv police "/api/v1/reports/daily.csv?date=$today&table=stations"
[[ $status == 200 ]] || fail "stations csv: $status"
[[ $(sed -n '1s/^\xef\xbb\xbf//p' stations.csv | tr -d '\r') == "工位,待办,今日完成,超期" ]] ||
    fail "stations header: $(sed -n 1p stations.csv)"
[[ $(wc -l <stations.csv) == 7 ]] || fail "stations rows: $(cat stations.csv)"
# The review station's waiting count is the API's queue of everything at review.
get atreview.json manager "/api/v1/applications?state=at_station&station=review&limit=200"
want_review=$(jq '.items | length' atreview.json)
got_review=$(grep '^审核,' stations.csv | cut -d, -f2)
[[ $got_review == "$want_review" ]] || fail "review waiting $got_review, the API lists $want_review"
get daily.xlsx admin "/api/v1/reports/daily.xlsx"
[[ $status == 200 ]] || fail "xlsx as admin without a date: $status"

last=r.json
for who in clerk dispatch logistics review; do
    get r.json "$who" "/api/v1/reports/daily.xlsx?date=$today"
    refused 403 forbidden
    get r.json "$who" "/api/v1/reports/daily.csv?date=$today"
    refused 403 forbidden
done
get r.json manager "/api/v1/reports/daily.csv?date=2026-02-30"
refused 400 invalid_date
get r.json manager "/api/v1/reports/daily.csv?date=$today&table=users"
refused 400 bad_parameter

# The server stops cleanly (under the sanitizers, this is where a leak or an error shows).
stop_server

echo "print_http: ok ($number, ${#sealed[@]} labels, manifest of $day with $expected items)"
