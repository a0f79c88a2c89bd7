#!/usr/bin/env bash
# Intake over HTTP against the real server: `jingyou serve --demo` on a fresh database, the clerk
# logs in (session cookie + X-CSRF-Token), takes a D01 licence replacement, reads it back in both
# number forms, reads its first event, finds it in the list and the search box, uploads a scanned
# PNG (stored once, downloaded byte for byte), repeats the intake with an Idempotency-Key; then the
# refusals: 401 without a session, 403 without the CSRF token / for an operator / for another
# branch's clerk, 400 for malformed or misshapen bodies and a mistyped number, 404, 409, 413,
# 415, 422 — none of which writes a row.
#
# Usage: tests/cli/intake_http.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
. "$(dirname "$0")/lib/server.sh"

# The clock is pinned, so that the due dates do not depend on the day the test runs (and on
# whether the holiday calendar has that year yet).
"$jingyou" serve --demo --db "$tmp/jingyou.db" --port 0 --clock 2026-11-30T02:00:00Z \
    >server.out 2>server.err &
server=$!
wait_for_server 100

# call NAME METHOD PATH [curl args…] — the body goes to NAME.json, the status to $status.
call() {
    local name=$1 method=$2 path=$3
    shift 3
    status=$(curl -s -o "$name.json" -w '%{http_code}' -X "$method" "$@" "$base$path")
}

# expect STATUS CODE [FIELD] — the last call answered STATUS with this error code and field.
expect() {
    local want=$1 code=$2 field=${3:-} got_code got_field
    [[ $status == "$want" ]] || fail "expected $want $code, got $status: $(cat "$last.json")"
    got_code=$(jq -r '.error.code' "$last.json")
    got_field=$(jq -r '.error.field // ""' "$last.json")
    [[ $got_code == "$code" ]] || fail "expected code $code, got $got_code: $(cat "$last.json")"
    [[ $got_field == "$field" ]] || fail "expected field '$field', got '$got_field'"
}

login() { # login NAME → cookie jar NAME.jar, CSRF token in NAME.csrf
    curl -s -c "$1.jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"jingyou-demo\"}" "$base/api/v1/session" >"$1.login"
    jq -re '.csrf_token' "$1.login" >"$1.csrf" || fail "login $1: $(cat "$1.login")"
}

# rows — "applications/events/documents", counted in the database while the server runs.
rows() {
    sqlite3 "$tmp/jingyou.db" "SELECT (SELECT count(*) FROM applications) || '/' ||
        (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM documents)"
}

login clerk
login clerk2
login review
csrf=$(cat clerk.csrf)
json=(-H 'Content-Type: application/json')
clerk=(-b clerk.jar -H "X-CSRF-Token: $csrf")

cat >d01.body <<'JSON'
{"business_type": "D01",
 "applicant": {"name": "张三", "id_type": "resident_id", "id_number": "11010519491231002x",
               "mobile": "13800138000"},
 "licence": {"number": "11010519491231002X", "class": "C1"},
 "delivery": {"recipient": "张三", "mobile": "13800138000",
              "address": "湖北省武汉市武昌区彭刘杨路1号", "postcode": "430060"},
 "documents": ["id_card", "photo", "application_form", "loss_statement"]}
JSON

# ---- the intake ----

before=$(rows)
last=intake
call intake POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @d01.body
[[ $status == 201 ]] || fail "intake: $status $(cat intake.json)"
number=$(jq -r .number intake.json)
[[ $number =~ ^WH[0-9]{11}[0-9A-Z]$ ]] || fail "number $number"
today=2026-11-30
[[ ${number:2:6} == 261130 ]] || fail "number $number is not of $today"
due=$("$jingyou" calendar due "$today" 3) # D01: 3 working days
jq -e --arg due "$due" --arg n "$number" '
    .state == "at_station" and .station == "review" and .business_type == "D01" and
    .business_name_zh == "补领机动车驾驶证" and .branch.code == "WH001" and
    .clerk.username == "clerk" and .applicant.id_number == "11010519491231002X" and
    .licence.class == "C1" and .vehicle == null and .fee_total_fen == 3000 and
    (.fees | map(.amount_fen) | add) == 3000 and .due_date == $due and
    .due_status == "on_time" and .version == 1 and .lease == null and .waybill == null and
    .correction == null and (.display_number | gsub("-"; "")) == $n and
    (.accepted_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))' \
    intake.json >/dev/null || fail "intake answer: $(cat intake.json)"
IFS=/ read -r apps events docs <<<"$before"
[[ $(rows) == "$((apps + 1))/$((events + 1))/$docs" ]] ||
    fail "rows after the intake: $(rows), before: $before"

# Read back: compact, display form in lower case; events; list; search.
display=$(jq -r .display_number intake.json)
call got GET "/api/v1/applications/$number" -b clerk.jar
[[ $status == 200 ]] && jq -e --arg n "$number" '.number == $n' got.json >/dev/null ||
    fail "get: $status $(cat got.json)"
call got GET "/api/v1/applications/${display,,}" -b clerk.jar
[[ $status == 200 ]] && cmp -s <(jq -S 'del(.due_status)' got.json) \
    <(jq -S 'del(.due_status)' intake.json) || fail "get by display form: $(cat got.json)"
call events GET "/api/v1/applications/$number/events" -b clerk.jar
jq -e '.items | length == 1 and .[0].from_state == null and .[0].to_state == "at_station" and
    .[0].to_station == "review" and .[0].reason == "intake" and .[0].actor.username == "clerk" and
    .[0].actor.role == "clerk" and .[0].branch_id == 1' events.json >/dev/null ||
    fail "events: $(cat events.json)"
call page GET "/api/v1/applications?limit=1" -b clerk.jar
jq -e --arg n "$number" '.items[0].number == $n and (.next_cursor | type) == "string"' \
    page.json >/dev/null || fail "list: $(cat page.json)"
cursor=$(jq -r .next_cursor page.json)
call page2 GET "/api/v1/applications?limit=1&cursor=$cursor" -b clerk.jar
jq -e --arg n "$number" '.items | length == 1 and .[0].number != $n' page2.json >/dev/null ||
    fail "second page: $(cat page2.json)"
call search GET "/api/v1/applications?q=11010519491231002x" -b clerk.jar
jq -e --arg n "$number" '[.items[].number] == [$n]' search.json >/dev/null ||
    fail "search: $(cat search.json)"
call queue GET "/api/v1/applications?station=review&limit=200" -b review.jar
jq -e --arg n "$number" '[.items[].number] | index($n) != null' queue.json >/dev/null ||
    fail "the review operator does not see it: $(cat queue.json)"

# ---- a scanned document ----

printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89' >scan.png
sha=$(sha256sum scan.png | cut -c1-64)
last=doc
call doc POST "/api/v1/applications/$number/documents?kind=photo" "${clerk[@]}" \
    -H 'Content-Type: application/octet-stream' --data-binary @scan.png
[[ $status == 201 ]] || fail "upload: $status $(cat doc.json)"
jq -e --arg sha "$sha" '.sha256 == $sha and .kind == "photo" and .content_type == "image/png" and
    .size == 33' doc.json >/dev/null || fail "upload answer: $(cat doc.json)"
[[ -f $tmp/documents/${sha:0:2}/$sha ]] || fail "no file for $sha"
cmp -s scan.png "$tmp/documents/${sha:0:2}/$sha" || fail "stored file differs"
call doc POST "/api/v1/applications/$number/documents?kind=photo" "${clerk[@]}" --data-binary @scan.png
[[ $status == 200 ]] || fail "repeat upload: $status $(cat doc.json)"
call docs GET "/api/v1/applications/$number/documents" -b clerk.jar
jq -e '.items | length == 1' docs.json >/dev/null || fail "documents: $(cat docs.json)"
ctype=$(curl -s -b clerk.jar -o back.png -w '%{content_type}' \
    "$base/api/v1/applications/$number/documents/$sha")
[[ $ctype == image/png ]] || fail "download type $ctype"
cmp -s scan.png back.png || fail "downloaded bytes differ"

# ---- idempotency ----

call idem POST /api/v1/applications "${clerk[@]}" "${json[@]}" -H 'Idempotency-Key: visit-0001' \
    --data-binary @d01.body
[[ $status == 201 ]] || fail "keyed intake: $status"
first=$(jq -r .number idem.json)
jq -c . d01.body >d01.compact # the same JSON written otherwise
call idem POST /api/v1/applications "${clerk[@]}" "${json[@]}" -H 'Idempotency-Key: visit-0001' \
    --data-binary @d01.compact
[[ $status == 200 && $(jq -r .number idem.json) == "$first" ]] ||
    fail "repeat: $status $(cat idem.json)"
sed 's/13800138000/13900139000/' d01.body >d01.other
last=idem
call idem POST /api/v1/applications "${clerk[@]}" "${json[@]}" -H 'Idempotency-Key: visit-0001' \
    --data-binary @d01.other
expect 409 idempotency_key_reused Idempotency-Key

# ---- refusals: nothing is written ----

before=$(rows)
last=r
call r GET /api/v1/applications
expect 401 no_session
call r POST /api/v1/applications -b clerk.jar "${json[@]}" --data-binary @d01.body
expect 403 csrf_failed
call r POST /api/v1/applications -b review.jar -H "X-CSRF-Token: $(cat review.csrf)" "${json[@]}" \
    --data-binary @d01.body
expect 403 forbidden
call r GET "/api/v1/applications/$number" -b clerk2.jar
expect 403 out_of_scope
call r GET "/api/v1/applications?branch=WH001" -b clerk2.jar
expect 403 out_of_scope
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary '{"business_type": "D01",'
expect 400 malformed_json
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary '[1, 2]'
expect 400 not_an_object
jq '.colour = "red"' d01.body >bad.body
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @bad.body
expect 400 unknown_field colour
jq '.applicant.name = 7' d01.body >bad.body
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @bad.body
expect 400 wrong_type applicant.name
jq 'del(.applicant.mobile)' d01.body >bad.body
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @bad.body
expect 400 missing_field applicant.mobile
call r POST /api/v1/applications "${clerk[@]}" -H 'Content-Type: text/plain' --data-binary @d01.body
expect 415 unsupported_media_type
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" -H 'Idempotency-Key;' \
    --data-binary @d01.body # an empty header
expect 400 bad_idempotency_key Idempotency-Key
jq '.applicant.id_number = "110105194912310021"' d01.body >bad.body
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @bad.body
expect 422 invalid_id_number applicant.id_number
jq '.business_type = "W02"' d01.body >bad.body
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @bad.body
expect 422 counter_only_type business_type
jq 'del(.delivery)' d01.body >bad.body
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @bad.body
expect 422 delivery_required delivery
jq '.documents = ["id_card"]' d01.body >bad.body
call r POST /api/v1/applications "${clerk[@]}" "${json[@]}" --data-binary @bad.body
expect 422 missing_document documents
typo=${number:0:13}$([[ ${number:13:1} == A ]] && echo B || echo A)
call r GET "/api/v1/applications/$typo" -b clerk.jar
expect 400 invalid_number number
call r GET "/api/v1/applications?state=lost" -b clerk.jar
expect 400 bad_parameter state
call r GET "/api/v1/applications?limit=0" -b clerk.jar
expect 400 out_of_range limit
call r GET "/api/v1/applications/$number/documents/$(printf '0%.0s' {1..64})" -b clerk.jar
expect 404 not_found sha256
printf 'GIF89a not a scan' >scan.gif
call r POST "/api/v1/applications/$number/documents?kind=photo" "${clerk[@]}" --data-binary @scan.gif
expect 415 unsupported_document_type
head -c $((10 * 1024 * 1024 + 1)) /dev/zero >big.bin
call r POST "/api/v1/applications/$number/documents?kind=photo" "${clerk[@]}" --data-binary @big.bin
expect 413 body_too_large
[[ $(rows) == "$before" ]] || fail "a refusal wrote rows: $(rows), before: $before"

# A number that is well-formed but unknown is 404: today's sequence 90001 with whichever check
# character the server accepts (all others are 400 invalid_number).
for seq in 90001 90002; do
    candidate=${number:0:8}$seq
    for c in {0..9} {A..Z}; do
        call r GET "/api/v1/applications/$candidate$c" -b clerk.jar
        [[ $status == 400 ]] && continue
        expect 404 not_found number
        break 2
    done
done
[[ $status == 404 ]] || fail "no unknown number found to test 404"

echo "intake over HTTP: ok"
