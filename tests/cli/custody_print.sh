#!/usr/bin/env bash
# The branch-bag manifest (交接清单) and the dispatch batch's, over HTTP against the real server
# (`jingyou serve --demo` on a fresh database, clock pinned): the demo city's first bag of
# 彭刘杨路 (WH001) as the clerk prints it — pdftotext finds the seal number, every file's number,
# the count and "1 / N"; pdffonts shows the CJK font embedded; zbarimg reads from the pages
# rendered at 300 dpi a Code 128 for every file, each equal to its compact number, and the
# seal's. The demo's dispatch batch: every item number scans. Roles that may not: 403; an
# unknown seal: 404. Then `jingyou s10`: a range added, an overlapping one refused (exit 1),
# the list with the numbers left. The first page is left in build/screens/.
#
# Usage: tests/cli/custody_print.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
screens=$(dirname "$jingyou")/screens
mkdir -p "$screens"
. "$(dirname "$0")/lib/server.sh"

for tool in pdftotext pdffonts pdftoppm pdfinfo zbarimg jq curl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done

"$jingyou" serve --demo --db "$tmp/db/jingyou.db" --port 0 --clock 2026-11-30T02:00:00Z \
    >server.out 2>server.err &
server=$!
wait_for_server 200

login() {
    curl -s -c "$1.jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"jingyou-demo\"}" "$base/api/v1/session" >"$1.login"
    jq -re '.csrf_token' "$1.login" >/dev/null || fail "login $1: $(cat "$1.login")"
}
for u in clerk clerk2 dispatch logistics review; do login "$u"; done
get() { # get NAME USER PATH — body to NAME, status in $status
    status=$(curl -s -o "$1" -w '%{http_code}' -b "$2.jar" "$base$3")
}

# ---- the branch bag ----
get bags.json clerk /api/v1/bags
seal=$(jq -r '.items[-1].seal' bags.json)
[[ $seal == WH001-20261130-1 ]] || fail "the demo's first bag is $seal"
get bag.json clerk "/api/v1/bags/$seal"
count=$(jq -r '.item_count' bag.json)
(( count >= 3 )) || fail "the bag holds $count files"
get bag.pdf clerk "/api/v1/bags/$seal/manifest.pdf"
[[ $status == 200 ]] || fail "manifest: $status $(head -c 300 bag.pdf)"
pdftotext -layout bag.pdf bag.txt
text=$(tr -d ' ' <bag.txt)
grep -qF "$seal" <<<"$text" || fail "the manifest does not name the seal $seal"
grep -qF "交接清单" <<<"$text" || fail "no 交接清单 title"
for d in $(jq -r '.items[].display_number' bag.json); do
    grep -qF "$d" <<<"$text" || fail "the manifest text lacks $d"
done
grep -qF "$count" <<<"$text" || fail "no count $count"
pages=$(pdfinfo bag.pdf | awk '/^Pages:/ {print $2}')
grep -qF "1/$pages" <<<"$text" || fail "no page number 1 / $pages"
pdffonts bag.pdf | grep -q 'NotoSansCJK' || fail "the CJK font is not embedded"
: >bag.codes
for p in $(seq 1 "$pages"); do
    pdftoppm -r 300 -f "$p" -l "$p" -singlefile -png bag.pdf "bag-$p"
    zbarimg -q "bag-$p.png" >>bag.codes 2>/dev/null || true
done
for n in $(jq -r '.items[].number' bag.json); do
    grep -qx "CODE-128:$n" bag.codes || fail "no Code 128 decodes to $n"
done
grep -qx "CODE-128:$seal" bag.codes || fail "no Code 128 of the seal"
cp bag-1.png "$screens/manifest_branch_bag.png"

get r.json clerk2 "/api/v1/bags/$seal/manifest.pdf"
[[ $status == 403 && $(jq -r .error.code r.json) == out_of_scope ]] || fail "clerk2: $status"
get r.json review "/api/v1/bags/$seal/manifest.pdf"
[[ $status == 403 ]] || fail "review: $status"
get r.json clerk "/api/v1/bags/WH001-19990101-1/manifest.pdf"
[[ $status == 404 && $(jq -r .error.code r.json) == unknown_bag ]] || fail "unknown bag: $status"

# ---- the dispatch batch ----
get d.json dispatch /api/v1/dispatch
batch=$(jq -r '.batches[0].batch' d.json)
[[ $batch == WHOB20261130-1 ]] || fail "the demo's batch is $batch"
get batch.json logistics "/api/v1/dispatch/batches/$batch"
get batch.pdf logistics "/api/v1/dispatch/batches/$batch/manifest.pdf"
[[ $status == 200 ]] || fail "batch manifest: $status"
pdftoppm -r 300 -f 1 -l 1 -singlefile -png batch.pdf batch-1
zbarimg -q batch-1.png >batch.codes 2>/dev/null || true
for w in $(jq -r '.items[].waybill' batch.json); do
    grep -qx "CODE-128:$w" batch.codes || fail "no Code 128 decodes to $w"
done

# ---- jingyou s10 ----
login police
get all.json police "/api/v1/applications?limit=200"
used=$(jq '[.items[] | select(.waybill != null)] | length' all.json)
# The server stops cleanly (under the sanitizers, this is where a leak or an error shows).
stop_server
"$jingyou" s10 add-range --first 20000000 --last 20000999 --db db/jingyou.db >add.out ||
    fail "add-range: $(cat add.out)"
grep -q '^range 2 added: EA20000000 .. EA20000999 CN, 1000 numbers$' add.out ||
    fail "add-range said: $(cat add.out)"
if "$jingyou" s10 add-range --first 10099999 --last 10100999 --db db/jingyou.db 2>err.out; then
    fail "an overlapping range was added"
fi
grep -q 'overlaps range 1' err.out || fail "overlap message: $(cat err.out)"
"$jingyou" s10 list --db db/jingyou.db >list.out
grep -qP '^1\tEA100000003CN\t' list.out || fail "list: $(cat list.out)"
grep -qP '^2\tEA200000006CN\t.*\t1000 left$' list.out || fail "list: $(cat list.out)"
left=$(awk -F'\t' '$1 == "left" {print $2}' list.out)
(( left == 100000 + 1000 - used )) || fail "left $left, $used numbers used"
set +e
"$jingyou" s10 add-range --first 1 --db db/jingyou.db 2>/dev/null
[[ $? == 2 ]] || fail "a missing --last is not a usage error"
echo "custody print: bag $seal ($count files, $pages pages), batch $batch, s10 ranges ok"
