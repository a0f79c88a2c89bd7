#!/usr/bin/env bash
# `jingyou init`: creates the database and the receipt signing key pair beside it (directory
# 0700, files 0600), says where; a second run keeps the key; --keys puts it elsewhere; --demo
# loads the demo city; a secret key readable by others is refused by serve; usage errors exit 2.
#
# Usage: tests/cli/init.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

"$jingyou" init --db "$tmp/a/b/j.db" >out 2>err || fail "init: $(cat err)"
grep -qF "database    $tmp/a/b/j.db" out || fail "init output: $(cat out)"
grep -qF "signing key $tmp/a/b/keys/receipt_sign.key (new)" out || fail "init output: $(cat out)"
[[ -f a/b/j.db ]] || fail "no database"
[[ $(stat -c %a a/b/keys) == 700 ]] || fail "key directory mode $(stat -c %a a/b/keys)"
[[ $(stat -c %a a/b/keys/receipt_sign.key) == 600 ]] || fail "secret key mode"
[[ $(stat -c %a a/b/keys/receipt_sign.pub) == 600 ]] || fail "public key mode"
key=$(sha256sum <a/b/keys/receipt_sign.key)

"$jingyou" init --db "$tmp/a/b/j.db" >out 2>err || fail "second init: $(cat err)"
grep -qF "(kept)" out || fail "second init: $(cat out)"
[[ $(sha256sum <a/b/keys/receipt_sign.key) == "$key" ]] || fail "the key was replaced"

"$jingyou" init --db "$tmp/c.db" --keys "$tmp/elsewhere/k" --demo >out 2>err ||
    fail "init --keys --demo: $(cat err)"
[[ -f elsewhere/k/receipt_sign.key && ! -e keys ]] || fail "--keys not honoured"
grep -q "demo city loaded" out || fail "no demo: $(cat out)"
[[ $(sqlite3 c.db 'SELECT count(*) FROM applications') -gt 0 ]] || fail "no demo applications"

# serve refuses a secret key that others may read.
chmod 644 a/b/keys/receipt_sign.key
if "$jingyou" serve --db "$tmp/a/b/j.db" --port 0 >out 2>err; then
    fail "serve started with a world-readable secret key"
fi
grep -q "receipt signing key" err || fail "serve's message: $(cat err)"

set +e
"$jingyou" init --bogus >/dev/null 2>err
rc=$?
set -e
[[ $rc == 2 ]] || fail "usage error exit $rc"
"$jingyou" init --db >/dev/null 2>&1 && fail "--db without a value accepted"
echo "init: ok"
