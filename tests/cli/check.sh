#!/usr/bin/env bash
# The `jingyou check` and `jingyou calendar` commands against the published vectors
# (shared reference: GB 11643-1999, GA 36-2018, GB 16735-2019, UPU S10, GB 32100-2015, the State
# Council holiday notices for 2025 and 2026). Usage: check.sh PATH_TO_JINGYOU
set -u
bin=${1:?usage: check.sh PATH_TO_JINGYOU}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
errfile=$tmp/stderr

# expect EXIT SUBSTRING -- ARGS…: run jingyou ARGS, require the exit code and a substring of stdout.
expect() {
  local want_rc=$1 want_out=$2
  shift 3
  local out rc
  out=$("$bin" "$@" 2>"$errfile")
  rc=$?
  if [[ $rc -ne $want_rc || "$out" != *"$want_out"* ]]; then
    echo "FAIL: jingyou $* → exit $rc, stdout: $out, stderr: $(cat "$errfile")"
    echo "      wanted exit $want_rc and stdout containing: $want_out"
    fails=$((fails + 1))
  fi
}
# expect_err EXIT SUBSTRING -- ARGS…: the same, on stderr.
expect_err() {
  local want_rc=$1 want_err=$2
  shift 3
  local err rc
  err=$("$bin" "$@" 2>&1 >/dev/null)
  rc=$?
  if [[ $rc -ne $want_rc || "$err" != *"$want_err"* ]]; then
    echo "FAIL: jingyou $* → exit $rc, stderr: $err"
    echo "      wanted exit $want_rc and stderr containing: $want_err"
    fails=$((fails + 1))
  fi
}

# expect_not EXIT SUBSTRING -- ARGS…: the exit code, and stdout must NOT contain SUBSTRING.
expect_not() {
  local want_rc=$1 unwanted=$2
  shift 3
  local out rc
  out=$("$bin" "$@" 2>"$errfile")
  rc=$?
  if [[ $rc -ne $want_rc || "$out" == *"$unwanted"* ]]; then
    echo "FAIL: jingyou $* → exit $rc, stdout: $out"
    echo "      wanted exit $want_rc and stdout without: $unwanted"
    fails=$((fails + 1))
  fi
}

# Resident ID numbers (GB 11643-1999)
expect 0 '"valid":true,"normalized":"11010519491231002X"' -- check idcard 11010519491231002X
expect 0 '"birth_date":"1949-12-31","sex":"female"' -- check idcard 11010519491231002X
expect 0 '"normalized":"11010519491231002X"' -- check idcard 11010519491231002x
expect 0 '"valid":true' -- check idcard 360426199101010071
expect 0 '"valid":true' -- check idcard 44011320141005001X
expect 0 '"normalized":"11010519491231002X"' -- check idcard 110105491231002
expect 0 '"converted_from_15":true' -- check idcard 110105491231002
expect 1 '"valid":false' -- check idcard 36042619910102009X
expect 1 '"error":"bad_check_character"' -- check idcard 36042619910102009X
expect 1 '"error":"no_such_date"' -- check idcard 360426199113010079
expect 1 '"valid":false' -- check idcard T60426199101010078
expect 1 '"error":"unknown_province"' -- check idcard 990426199112010074
# Full-width characters, white space and single spaces between groups are folded away.
expect 0 '"normalized":"11010519491231002X"' -- check idcard 11010519491231002Ｘ
expect 0 '"normalized":"11010519491231002X"' -- check idcard "110105 19491231 002X"
expect 0 '"normalized":"11010519491231002X"' -- check idcard $'\t11010519491231002X\r\n'
expect 0 '"normalized":"11010519491231002X"' -- check idcard "　11010519491231002X　"
expect 1 '"error":"bad_character"' -- check idcard "110105  19491231 002X"
expect 1 '"error":"bad_character"' -- check idcard $'1101051949123100\xff'
expect 1 '"error":"bad_length"' -- check idcard 1101051949123100中

# Plates (GA 36-2018) and plate types
for p in 京A12345 沪AB1234 粤BD12345 京AFA1234 粤B12345D 粤B1234学 粤Z1234港 使014578; do
  expect 0 '"valid":true' -- check plate "$p"
done
for p in 京AI2345 京A1234 粤BM12345 粤B12345M; do
  expect 1 '"valid":false' -- check plate "$p"
done
expect 0 '"plate_type_name":"小型新能源汽车"' -- check plate 粤BD12345 --type 52
expect 0 '"kind":"new_energy_large"' -- check plate 粤B12345D --type 51
expect 1 '"error":"plate_type_mismatch"' -- check plate 粤BD12345 --type 02
expect 1 '"error":"unknown_plate_type"' -- check plate 京A12345 --type 77
expect 0 '"plate_type_name":"小型汽车"' -- check plate 鄂A12345 --type 02
expect 0 '"normalized":"京A12345"' -- check plate $'\t京ａ１２３４５\n'
expect 1 '"message":"an embassy plate (使) takes plate type 03 or 09' -- check plate 使014578 --type 01

# VIN (GB 16735-2019 / ISO 3779)
expect 0 '"check_digit_ok":true' -- check vin 1M8GDM9AXKP042788
expect 0 '"valid":true' -- check vin LDC613P23A1305189
expect 0 '"domestic":true' -- check vin LSJA24U62JG269225
expect 0 '"valid":true' -- check vin 11111111111111111
expect 0 '"check_digit_ok":false' -- check vin 1M8GDM9AYKP042788
expect 0 '"check_digit_ok":false' -- check vin 9BWZZZ377VT004251
expect 1 '"valid":false' -- check vin SALVO2AE4EH877322
expect 1 '"error":"bad_check_digit"' -- check vin LSJA24U61JG269225
expect 0 '"normalized":"LSJA24U62JG269225"' -- check vin ＬＳＪＡ２４Ｕ６２ＪＧ２６９２２５
expect 0 '"normalized":"LSJA24U62JG269225"' -- check vin "LSJ A24U62 JG269225"

# UPU S10
expect 1 '"valid":false' -- check s10 EA123456789CN
expect 0 '"check_digit":5' -- check s10 EA123456785CN
expect 0 '"ems":true' -- check s10 EA000000005CN
expect 0 '"normalized":"EA123456785CN"' -- check s10 "EA 123 456 785 CN"
expect 0 '"normalized":"EA123456785CN"' -- check s10 ＥＡ１２３４５６７８５ＣＮ
expect 1 '"error":"unknown_country"' -- check s10 EA123456785XX
expect 1 '"error":"unknown_country"' -- check s10 EA123456785UK

# Unified social credit code (GB 32100-2015)
expect 0 '"valid":true' -- check uscc 91110000600037341L
expect 0 '"valid":true' -- check uscc 91310115MA1K3BTP2B
expect 0 '"valid":true' -- check uscc 121200004013590816
expect 1 '"valid":false' -- check uscc 91110000600037341N
expect 1 '"valid":false' -- check uscc A1110000600037341L
expect 1 '"valid":false' -- check uscc 9111000060003IOZSV
expect 0 '"department_name":"工商","category":"1","category_name":"企业"' -- check uscc 91110000600037341L
expect 0 '"normalized":"91110000600037341L"' -- check uscc ９１１１００００６０００３７３４１Ｌ
expect 0 '"normalized":"91110000600037341L"' -- check uscc "9 1 110000 600037341L"
expect 1 '"error":"unknown_department"' -- check uscc 01110000600037341X
expect 1 '"error":"unknown_category"' -- check uscc 94110000600037341B

# Mobile numbers
expect 0 '"normalized":"13800138000"' -- check mobile 13800138000
expect 0 '"masked":"138****8000"' -- check mobile +86-138-0013-8000
expect 1 '"valid":false' -- check mobile 12800138000
expect 1 '"valid":false' -- check mobile 1380013800
expect 0 '"normalized":"13800138000"' -- check mobile "0086 138 0013 8000"
expect 0 '"normalized":"13800138000"' -- check mobile 008613800138000
expect 0 '"normalized":"13800138000"' -- check mobile ＋８６－１３８００１３８０００

# Application numbers (ISO 7064 MOD 37-2)
expect 0 '"normalized":"WH26112900042L"' -- check appno WH-261129-00042-L
expect 0 '"display":"WH-261129-00042-L"' -- check appno wh26112900042l
expect 1 '"error":"bad_check_character"' -- check appno WH-261129-00042-M
expect 1 '"valid":false' -- check appno WH-261129-00024-L
expect 0 '"normalized":"WH26112900042L"' -- check appno ＷＨ－２６１１２９－０００４２－Ｌ

# The output shape: a valid result has no "message"; an invalid one has it.
expect 0 '{"valid":true,"normalized":"11010519491231002X","error":null,"details":{' -- check idcard 11010519491231002X
expect_not 0 '"message"' -- check idcard 11010519491231002X
expect 1 '{"valid":false,"normalized":null,"error":"bad_check_character","message":"' -- check idcard 110105194912310021

# Usage errors: what was wrong comes first, then the usage.
expect_err 2 'jingyou check: missing KIND and VALUE' -- check
expect_err 2 'jingyou check: missing the VALUE to check' -- check idcard
expect_err 2 "jingyou check: unknown kind 'passport'" -- check passport X1
expect_err 2 'jingyou check: --type applies only to plate' -- check vin LSJA24U62JG269225 --type 02
expect_err 2 'jingyou check: --type needs a plate-type code' -- check plate 京A12345 --type
expect_err 2 "jingyou check: unexpected argument 'extra'"$'\n\n''usage: jingyou check' -- check idcard 11010519491231002X extra
expect_err 2 'jingyou calendar: --holidays needs a file'$'\n\n''usage: jingyou calendar' -- calendar day 2026-10-01 --holidays
expect_err 2 "jingyou calendar: unexpected argument 'x'" -- calendar day 2026-10-01 x
expect_err 2 "jingyou calendar: unknown subcommand 'week'" -- calendar week 2026-10-01
expect_err 2 'jingyou calendar: due needs a number N after the date' -- calendar due 2026-10-01
expect_err 2 "jingyou: no command 'frobnicate'" -- frobnicate

# Arguments quoted in messages: control characters and invalid UTF-8 escaped, cut at 64 bytes.
expect_err 2 "unknown kind 'pass\\x1b[31mport'" -- check $'pass\x1b[31mport' X1
expect_err 2 "unknown kind 'a\\xff\\xfeb\\x0a'" -- check $'a\xff\xfeb\n' X1
expect_err 2 "unknown kind 'a\\xc2\\x9bb'" -- check $'a\xc2\x9bb' X1   # C1 control CSI
expect_err 2 "unknown kind '护照'" -- check 护照 X1
long=$(printf 'k%.0s' {1..100})
expect_err 2 "unknown kind '$(printf 'k%.0s' {1..64})…'" -- check "$long" X1
expect_err 2 "unknown kind '$(printf '中%.0s' {1..21})…'" -- check "$(printf '中%.0s' {1..30})" X1
raw=$("$bin" check $'pass\x1b[31mport' X1 2>&1 >/dev/null)
if [[ $raw == *$'\x1b'* ]]; then
  echo "FAIL: an escape character from an argument reached the terminal"
  fails=$((fails + 1))
fi
if [[ $("$bin" check "$long" X1 2>&1 >/dev/null) == *"$(printf 'k%.0s' {1..65})"* ]]; then
  echo "FAIL: a long argument was echoed beyond 64 bytes"
  fails=$((fails + 1))
fi

# Working-day calendar (State Council notices 2025, 2026)
expect 0 '2026-10-10' -- calendar due 2026-09-30 3   # 10/1–10/7 off; 10/8, 10/9, 10/10 (make-up Sat)
expect 0 '2026-01-04' -- calendar due 2025-12-31 1   # 1/1–1/3 off; 1/4 Sun is a make-up day
expect 0 '2025-01-27' -- calendar due 2025-01-24 2   # 1/26 Sun make-up = 1, 1/27 Mon = 2
expect 0 '2026-02-24' -- calendar due 2026-02-13 2   # 2/14 Sat make-up = 1, 2/15–2/23 off, 2/24 = 2
expect 0 '2026-11-30' -- calendar due 2026-11-27 1   # an ordinary weekend
expect 0 'rest' -- calendar day 2026-10-01
expect 0 'working' -- calendar day 2026-10-10
expect_err 1 '2027' -- calendar due 2026-12-30 3
expect_err 1 '2024' -- calendar day 2024-06-03
expect 2 '' -- calendar due 2026-02-30 1
expect 2 '' -- calendar due 2026-02-03 -1
expect 2 '' -- calendar due 2026-02-03 x

# Help and version
expect 0 'usage: jingyou check' -- help check
expect 0 'jingyou' -- --version
expect 0 'check' -- --help
expect 0 'usage: jingyou [--help]' -- help
expect 0 'usage: jingyou [--help]' -- help help
expect 0 'usage: jingyou check' -- check --help
expect 0 'usage: jingyou check' -- check idcard --help
expect 0 'usage: jingyou check' -- check idcard 11010519491231002X --help
expect 0 'usage: jingyou calendar' -- calendar due 2026-10-01 --help
expect 0 'usage: jingyou audit' -- audit verify --db nowhere.db -h
# The usage promises "message" for an invalid result only.
expect 0 $'\n  valid:   {"valid": true, "normalized": …, "error": null, "details": {…}}\n' -- help check
expect 0 '"message": …' -- help check

# A write that fails is a failure: the answer did not reach its destination.
if [[ -w /dev/full ]]; then
  for args in "check idcard 11010519491231002X" "calendar day 2026-10-01" "--version" "help check"; do
    # shellcheck disable=SC2086 # split the arguments on purpose
    "$bin" $args >/dev/full 2>"$errfile"
    rc=$?
    if [[ $rc -ne 1 || $(cat "$errfile") != *"jingyou: cannot write the output"* ]]; then
      echo "FAIL: jingyou $args > /dev/full → exit $rc, stderr: $(cat "$errfile")"
      fails=$((fails + 1))
    fi
  done
  # A command that failed already keeps its own exit code.
  "$bin" check idcard 11010519491231002Y >/dev/full 2>"$errfile"
  rc=$?
  if [[ $rc -ne 1 ]]; then
    echo "FAIL: invalid idcard > /dev/full → exit $rc"
    fails=$((fails + 1))
  fi
  "$bin" check passport X >/dev/full 2>"$errfile"
  rc=$?
  if [[ $rc -ne 2 ]]; then
    echo "FAIL: usage error > /dev/full → exit $rc"
    fails=$((fails + 1))
  fi
else
  echo "note: /dev/full is not writable here; the write-failure checks were skipped"
fi

if [[ $fails -gt 0 ]]; then
  echo "$fails failures"
  exit 1
fi
echo "all checks passed"
