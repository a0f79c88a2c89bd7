#!/usr/bin/env bash
# selftest.sh — the API runner checks itself: tests/api/selftest/pass_*.json must pass, and each
# fail_*.json must fail with the reason its "expect_failure" names (so that a matcher which
# passes everything, or a step that is never run, cannot go unnoticed).
#
#   usage: selftest.sh API_RUNNER JINGYOU
set -euo pipefail
unset JY_API_ONLY JY_API_URL # the self-test runs its own cases, on its own servers
runner=$1
jingyou=$2
dir=$(cd "$(dirname "$0")/selftest" && pwd)
failed=0

for f in "$dir"/pass_*.json; do
  if out=$("$runner" "$jingyou" "$f" 2>&1); then
    echo "ok   $(basename "$f") passes"
  else
    echo "FAIL $(basename "$f") should pass:"; echo "$out"; failed=1
  fi
done

for f in "$dir"/fail_*.json; do
  want=$(sed -n 's/^ *"expect_failure": "\(.*\)",$/\1/p' "$f")
  if [[ -z "$want" ]]; then
    echo "FAIL $(basename "$f") has no expect_failure line"; failed=1; continue
  fi
  set +e
  out=$("$runner" "$jingyou" "$f" 2>&1)
  rc=$?
  set -e
  if [[ $rc -ne 1 ]]; then
    echo "FAIL $(basename "$f") exited $rc, not 1:"; echo "$out"; failed=1
  elif ! grep -qF -- "$want" <<<"$out"; then
    echo "FAIL $(basename "$f") failed, but not with: $want"; echo "$out"; failed=1
  else
    echo "ok   $(basename "$f") fails with: $want"
  fi
done

# A case left out by --only is skipped: exit 77.
set +e
"$runner" --only nothing "$jingyou" "$dir/pass_matchers.json" >/dev/null 2>&1
rc=$?
set -e
if [[ $rc -ne 77 ]]; then echo "FAIL --only did not skip (exit $rc)"; failed=1; else echo "ok   --only skips"; fi

exit $failed
