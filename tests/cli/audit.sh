#!/usr/bin/env bash
# `jingyou audit verify`: on a missing database, on files that are not jingyou databases (which
# must be refused and left byte for byte as they were), on an empty jingyou database, a chain
# written by hand, and the same chain after one event row is edited.
#
# The events are not written by jingyou: this script computes their hashes itself with
# sha256sum, from the format documented in src/store/audit.h, and inserts them with the sqlite3
# shell. So the test also proves that the documented format is the one the code checks.
#
# Usage: tests/cli/audit.sh path/to/jingyou
set -euo pipefail
export LC_ALL=C # ${#s} counts bytes

jingyou=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

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
        fail "jingyou $* exited $status, expected $expected; stdout: $out; stderr: $err"
}

# ---- refusals ----

run 2 audit
[[ $err == "jingyou audit: missing the subcommand: verify"* ]] || fail "no subcommand: $err"
run 2 audit check
[[ $err == "jingyou audit: unknown subcommand 'check'"* ]] || fail "unknown subcommand: $err"
run 2 audit verify --bogus
[[ $err == "jingyou audit: unexpected argument '--bogus'"*"usage: jingyou audit"* ]] ||
    fail "unexpected argument: $err"
run 2 audit verify --db
[[ $err == "jingyou audit: --db needs a path"* ]] || fail "--db without a path: $err"
run 1 audit verify # the default var/jingyou.db does not exist here
[[ $err == *"var/jingyou.db does not exist"* ]] || fail "missing default database: $err"
[[ ! -e var ]] || fail "verify created var/"
run 1 audit verify --db nowhere/x.db
[[ ! -e nowhere ]] || fail "verify created a directory"

# ---- files that are not jingyou databases are refused and left exactly as they were ----

# refused FILE MESSAGE — verify FILE exits 1 naming MESSAGE, and FILE is unchanged, with no
# journal files beside it.
refused() {
    local file=$1 message=$2
    cp "$file" before.bin
    run 1 audit verify --db "$file"
    [[ $err == *"$message"* ]] || fail "$file: wanted '$message', got: $err"
    [[ -z $out ]] || fail "$file: printed $out"
    cmp -s "$file" before.bin || fail "$file was changed by audit verify"
    for suffix in -wal -shm -journal; do
        [[ ! -e $file$suffix ]] || fail "audit verify left $file$suffix"
    done
}

: >empty.db
refused empty.db "empty.db is not a jingyou database"

sqlite3 other.db "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2);"
refused other.db "other.db is not a jingyou database"
[[ $(sqlite3 other.db "PRAGMA journal_mode") == delete ]] || fail "other.db switched journal mode"
[[ $(sqlite3 other.db "SELECT count(*) FROM sqlite_schema") == 1 ]] || fail "other.db got tables"

sqlite3 newer.db "CREATE TABLE t (a INTEGER); PRAGMA user_version = 99;"
refused newer.db "database schema version 99 is newer than this jingyou"

for i in {1..200}; do echo "this is not an SQLite database file"; done >text.db
refused text.db "text.db is not a jingyou database"

# A path with control characters is shown escaped, never sent to the terminal as it is.
run 1 audit verify --db $'no\x1b[2Jwhere.db'
[[ $err == *'no\x1b[2Jwhere.db does not exist'* ]] || fail "escaped path: $err"
[[ $err != *$'\x1b'* ]] || fail "an escape character reached the terminal: $err"

# ---- an empty jingyou database ----

db=$tmp/jingyou.db
printf 'audit-test-password\n' | "$jingyou" user add admin --role admin --db "$db" >/dev/null ||
    fail "user add could not create the database"
run 0 audit verify --db "$db"
[[ $out == "audit: 0 events, chain intact" ]] || fail "empty chain: $out"

# ---- a chain written by hand ----

sqlite3 "$db" <<'SQL'
INSERT INTO branches (id, code, name_zh) VALUES (1, 'B001', '彭刘杨路邮政支局');
INSERT INTO users (id, username, role, branch_id, password_hash, created_at)
  VALUES (11, 'clerk', 'clerk', 1, 'x', 1767225600),
         (12, 'review', 'operator', NULL, 'x', 1767225600);
INSERT INTO applications (id, number, business_type, branch_id, clerk_id, state, station,
  fees_json, fee_total_fen, documents_json, accepted_at, due_date, updated_at)
  VALUES (1, 'A0001', 'D01', 1, 11, 'at_station', 'approval', '[]', 1000, '[]', 1767225600,
          '2026-01-06', 1767240000);
SQL

# field VALUE — one field of the canonical form; the word NULL stands for SQL NULL.
field() {
    if [[ $1 == NULL ]]; then printf '~'; else printf '%d:%s,' "${#1}" "$1"; fi
}
# sql_value VALUE — VALUE as an SQL literal.
sql_value() {
    if [[ $1 == NULL ]]; then printf 'NULL'; else printf "'%s'" "$1"; fi
}
# hex_bytes HEX — the bytes a hex string stands for.
hex_bytes() {
    printf "$(sed 's/../\\x&/g' <<<"$1")"
}

prev=$(printf '0%.0s' {1..64})
append() { # id application_id at actor_id actor_role branch_id station from_state from_station
    #        to_state to_station reason note
    local canonical hash sql
    canonical=$(
        field jy-event-1
        for v in "$@"; do field "$v"; done
    )
    hash=$({
        hex_bytes "$prev"
        printf '%s' "$canonical"
    } | sha256sum | cut -d' ' -f1)
    sql="INSERT INTO events VALUES ("
    for v in "$@"; do sql+="$(sql_value "$v"), "; done
    sql+="X'$prev', X'$hash');"
    sqlite3 "$db" "$sql"
    prev=$hash
}
append 1 1 1767225600 11 clerk 1 NULL NULL NULL at_station review NULL NULL
append 2 1 1767229200 12 operator NULL review at_station review at_station approval NULL ""
append 3 1 1767232800 12 operator NULL approval at_station approval correction NULL \
    missing_photo "补正：照片不清晰"
append 4 1 1767236400 11 clerk 1 NULL correction NULL at_station approval NULL "已补正"
append 5 1 1767240000 NULL NULL NULL NULL at_station approval at_station approval lease_lapsed NULL

run 0 audit verify --db "$db"
[[ $out == "audit: 5 events, chain intact"* ]] || fail "intact chain: $out"
[[ $out == *"head is event 5, sha256 $prev"* ]] || fail "head: $out"
run 0 audit verify --db="$db"

# ---- the same chain with one event edited by hand ----

sqlite3 "$db" "UPDATE events SET note = '改过' WHERE id = 3;" 2>/dev/null &&
    fail "the append-only trigger let an UPDATE through"
sqlite3 "$db" "DROP TRIGGER events_no_update; UPDATE events SET note = '改过' WHERE id = 3;"
run 1 audit verify --db "$db"
[[ $out == "audit: event 3 is broken: its hash does not match its content"* ]] ||
    fail "edited note: $out"

# Restored, it verifies again; then one event removed is found at the next one's link.
sqlite3 "$db" "UPDATE events SET note = '补正：照片不清晰' WHERE id = 3;"
run 0 audit verify --db "$db"
sqlite3 "$db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 2;"
run 1 audit verify --db "$db"
[[ $out == "audit: event 3 is broken: its prev_hash is not the hash of event 1"* ]] ||
    fail "removed event: $out"

echo "ok"
