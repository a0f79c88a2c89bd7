#!/usr/bin/env bash
# `jingyou user add|passwd|disable|enable` against a temporary database. Usage: user.sh JINGYOU
set -u
bin=${1:?usage: user.sh PATH_TO_JINGYOU}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/j.db
fails=0
check() { # check WANT_RC DESCRIPTION -- command…
  local want=$1 what=$2
  shift 3
  "$@" >"$dir/out" 2>"$dir/err"
  local rc=$?
  if [[ $rc -ne $want ]]; then
    echo "FAIL: $what: exit $rc (wanted $want): $(cat "$dir/out" "$dir/err")"
    fails=$((fails + 1))
  fi
}
check 0 "add admin" -- bash -c "printf 'long enough pw\n' | '$bin' user add boss --role admin --db '$db'"
check 1 "duplicate" -- bash -c "printf 'long enough pw\n' | '$bin' user add boss --role admin --db '$db'"
grep -q 'taken' "$dir/err" || { echo "FAIL: duplicate message: $(cat "$dir/err")"; fails=$((fails + 1)); }
check 1 "clerk without branch" -- bash -c "printf 'long enough pw\n' | '$bin' user add li --role clerk --db '$db'"
grep -q 'branch' "$dir/err" || { echo "FAIL: branch message: $(cat "$dir/err")"; fails=$((fails + 1)); }
check 1 "short password" -- bash -c "printf 'short\n' | '$bin' user add li --role manager --db '$db'"
check 2 "unknown role" -- bash -c "printf 'long enough pw\n' | '$bin' user add li --role chief --db '$db'"
check 2 "no password" -- bash -c "'$bin' user add li --role manager --db '$db' </dev/null"
check 0 "operator" -- bash -c "printf 'long enough pw\n' | '$bin' user add op1 --role operator --stations review,print --db '$db'"
check 0 "passwd" -- bash -c "printf 'another good pw\n' | '$bin' user passwd op1 --db '$db'"
check 1 "passwd unknown" -- bash -c "printf 'another good pw\n' | '$bin' user passwd nobody --db '$db'"
check 0 "disable" -- "$bin" user disable op1 --db "$db"
check 0 "enable" -- "$bin" user enable op1 --db "$db"
check 2 "bad verb" -- "$bin" user frobnicate op1 --db "$db"
# The password is stored as an argon2id hash, never as given.
hash=$(sqlite3 "$db" "SELECT password_hash FROM users WHERE username = 'op1'")
[[ $hash == '$argon2id$'* ]] || { echo "FAIL: stored hash is '$hash'"; fails=$((fails + 1)); }
if sqlite3 "$db" "SELECT count(*) FROM users WHERE password_hash LIKE '%good pw%'" | grep -qv '^0$'; then
  echo "FAIL: a password is stored in clear"
  fails=$((fails + 1))
fi
[[ $fails -eq 0 ]] && echo "all user checks passed"
exit $((fails > 0))
