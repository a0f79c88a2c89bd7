#!/usr/bin/env bash
# run.sh JINGYOU SCRIPT — the CTest entry of the browser tests: installs tests/browser's node
# modules from the lockfile when they are missing or older than the lockfile, then runs SCRIPT
# (one of tests/browser/*.mjs; lib.mjs is the harness they share).
# Fails (never skips) when node, npm or chromium is missing: scripts/install-deps provides them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jingyou=$1
script=${2:-pages.mjs}
command -v node >/dev/null || { echo "browser: FAIL: node is missing (scripts/install-deps installs nodejs)" >&2; exit 1; }
command -v npm >/dev/null || { echo "browser: FAIL: npm is missing (scripts/install-deps installs npm)" >&2; exit 1; }
[[ -x /usr/bin/chromium ]] || { echo "browser: FAIL: /usr/bin/chromium is missing (scripts/install-deps installs chromium)" >&2; exit 1; }
stamp=$here/node_modules/.package-lock.json
if [[ ! -f $stamp || $here/package-lock.json -nt $stamp ]]; then
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
fi
exec node "$here/$script" "$jingyou"
