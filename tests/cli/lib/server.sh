# tests/cli/lib/server.sh — sourced by the tests of tests/cli that run `jingyou serve`: a scratch
# directory made the current one ($tmp, removed on exit with the server and any process in
# $pids stopped), fail (prints the server's last errors), and wait_for_server.
#
# Usage, after `set -euo pipefail`:
#   . "$(dirname "$0")/lib/server.sh"
#   "$jingyou" serve … --port 0 >server.out 2>server.err &
#   server=$!
#   wait_for_server 100        # then $port and $base (http://127.0.0.1:PORT)
# A test may define its own fail (or cleanup) after sourcing this file; wait_for_server and
# stop_server call whichever is defined.

tmp=$(mktemp -d)
server=
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    if [[ -n $server ]]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    [[ -f server.err ]] && tail -5 server.err >&2
    exit 1
}

# wait_for_server TRIES [OUT] — wait up to TRIES × 0.1 s for the server's first line in OUT
# (default server.out; failing when the server has exited), then read its port: sets $port and
# $base.
wait_for_server() {
    local out=${2:-server.out}
    for _ in $(seq 1 "$1"); do
        [[ -s $out ]] && break
        kill -0 "$server" 2>/dev/null || fail "the server did not start"
        sleep 0.1
    done
    port=$(head -1 "$out" | sed -nE 's#^jingyou serving http://127\.0\.0\.1:([0-9]+)/.*#\1#p')
    [[ -n $port ]] || fail "no port in: $(head -1 "$out")"
    base=http://127.0.0.1:$port
}

# stop_server — stop the server with SIGTERM; fail unless it exits 0 with no sanitizer report in
# server.err.
stop_server() {
    kill -TERM "$server"
    local rc=0
    wait "$server" || rc=$?
    server=
    [[ $rc == 0 ]] || fail "the server exited with status $rc"
    if grep -q 'ERROR: AddressSanitizer\|runtime error:' server.err; then
        fail "sanitizer report in the server's log"
    fi
}
