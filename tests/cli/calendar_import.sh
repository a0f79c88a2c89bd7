#!/usr/bin/env bash
# `jingyou calendar import|list` and `calendar due --db`: a good file (the 2027 test fixture)
# loaded into a database, then seen by `list`, by `due` and by `audit verify` (the loads' chain);
# bad files refused with the line and nothing written; a built-in or loaded year only with
# --replace; a load row edited by hand is found by `audit verify`.
#
# Usage: tests/cli/calendar_import.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
fixture=$src/tests/data/calendar_2027_fixture.csv
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

db=$tmp/j.db
clock=2026-11-30T02:00:00Z

# ---- usage ----
run 2 calendar import
[[ $err == *"import needs the FILE"* ]] || fail "no file: $err"
run 2 calendar import "$fixture" --bogus
run 2 calendar due 2026-12-28 3 --db "$db" --holidays "$fixture"

# ---- a mistyped database is an error, never a new empty database ----
run 1 calendar list --db "$db" --clock $clock
[[ $err == *"no database at $db"* ]] || fail "missing database: $err"
run 1 calendar import "$fixture" --db "$db"
[[ ! -e $db ]] || fail "calendar import created $db"
echo "not a database" >"$tmp/notdb"
run 1 calendar list --db "$tmp/notdb"
[[ $err == *"$tmp/notdb: "* ]] || fail "a file that is not a database is not named: $err"
run 0 init --db "$db" --keys "$tmp/keys"

# ---- before: the built-in years, the warning ----
run 0 calendar list --db "$db" --clock $clock
[[ $out == *"2025  built-in  33 days"* && $out == *"2026  built-in  39 days"* ]] || fail "list before: $out"
[[ $out == *"covered until 2026-12-31 (32 days from 2026-11-30)"* ]] || fail "coverage before: $out"
[[ $out == *"warning: 2027 年节假日安排尚未导入，32 天后起无法计算办结时限"* ]] || fail "warning: $out"
run 1 calendar due 2026-12-29 3 --db "$db"
[[ $err == *"no working-day calendar for 2027"* ]] || fail "due before: $err"

# ---- bad files: refused with the line, nothing written ----
printf 'date,kind,name\n2027-01-01,year,2027\n2027-01-01,off,元旦\n2027-02-30,off,春节\n' >bad_date.csv
run 1 calendar import bad_date.csv --db "$db"
[[ $err == *"line 4, field date"*"(bad_date, line.4.date)" ]] || fail "bad date: $err"
printf 'date,kind,name\n2027-01-01,year,2027\n2027-01-01,off,元旦\n2027-01-01,off,元旦\n' >dup.csv
run 1 calendar import dup.csv --db "$db"
[[ $err == *"line 4"*"already listed as off on line 3"*"duplicate_date"* ]] || fail "duplicate: $err"
printf 'date,kind,name\n2027-01-01,year,2027\n' >empty_year.csv
run 1 calendar import empty_year.csv --db "$db"
[[ $err == *"2027 is declared complete but lists no holiday"*"year_without_days"* ]] || fail "empty year: $err"
printf 'date,kind,name\n2027-01-01,off,元旦\n' >undeclared.csv
run 1 calendar import undeclared.csv --db "$db"
[[ $err == *"line 2"*"year_not_declared"* ]] || fail "undeclared: $err"
# The fixture with 2026 mixed in: refused whole unless --replace.
{ cat "$fixture"; printf '2026-01-01,year,2026\n2026-01-01,off,元旦\n'; } >mixed.csv
run 1 calendar import mixed.csv --db "$db"
[[ $err == *"the calendar of 2026 is built in"*"year_built_in"* ]] || fail "mixed: $err"
run 0 calendar list --db "$db" --clock $clock
[[ $out != *"2027  loaded"* && $out == *"warning: 2027"* ]] || fail "a refused file wrote: $out"

# ---- the good file ----
run 0 calendar import "$fixture" --db "$db" --source "测试数据 TEST FIXTURE"
[[ $out == "calendar: loaded 2027 (30 days)" ]] || fail "import: $out"
run 0 calendar list --db "$db" --clock $clock
[[ $out == *"2027  loaded    30 days  by system at "*"  from 测试数据 TEST FIXTURE"* ]] || fail "list after: $out"
[[ $out == *"covered until 2027-12-31 (397 days from 2026-11-30)"* ]] || fail "coverage after: $out"
[[ $out != *warning* ]] || fail "warning after: $out"
run 0 calendar due 2026-12-29 3 --db "$db"
[[ $out == 2027-01-04 ]] || fail "due after: $out"
# The fixture's Spring Festival: Fri 02-05 + 1 → 02-06..02-13 off, 02-14 Sunday, Mon 02-15.
run 0 calendar due 2027-02-05 1 --db "$db"
[[ $out == 2027-02-15 ]] || fail "due over the festival: $out"
run 0 audit verify --db "$db"
[[ $out == *"audit: 1 calendar loads, chain intact"* ]] || fail "audit: $out"

# Again: only with --replace; then both loads are in the chain.
run 1 calendar import "$fixture" --db "$db"
[[ $err == *"already loaded"*"year_already_loaded"* ]] || fail "again: $err"
run 0 calendar import mixed.csv --db "$db" --replace --source second
[[ $out == "calendar: loaded 2026 2027 (31 days, replacing)" ]] || fail "replace: $out"
run 0 calendar list --db "$db" --clock $clock
[[ $out == *"2026  loaded     1 days"*"from second"* ]] || fail "2026 replaced: $out"
run 0 audit verify --db "$db"
[[ $out == *"audit: 3 calendar loads, chain intact"* ]] || fail "audit after replace: $out"

# ---- an edited load is found ----
sqlite3 "$db" "DROP TRIGGER calendar_years_no_update; UPDATE calendar_years SET source = 'forged' WHERE id = 2;"
run 1 audit verify --db "$db"
[[ $out == *"audit: calendar load 2 is broken: its hash does not match its content"* ]] || fail "forged: $out"

echo "calendar_import: ok"
