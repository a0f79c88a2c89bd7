#!/usr/bin/env bash
# run.sh — `make bench`: the machine's limits and the service's figures, measured in one run and
# set side by side. See bench/README.md for what each figure is and how to read the ratios.
#
#   bench/run.sh BUILD_DIR
#
# BUILD_DIR holds a Release build (jingyou and bench_limits). Scratch files go to a temporary
# directory beside BUILD_DIR (the disk the database would use; not a tmpfs) and are removed at
# the end. Prints a table on stdout and writes bench/results.json. Never fails on a figure:
# it fails only when something could not be measured (a server that does not start, a request
# refused).
#
# Environment: JY_BENCH_SECONDS (each wrk run, default 8), JY_BENCH_THREADS (server worker
# threads, default 16).
set -euo pipefail

build=$(realpath "${1:?usage: bench/run.sh BUILD_DIR}")
bench=$(cd "$(dirname "$0")" && pwd)
jingyou=$build/jingyou
seconds=${JY_BENCH_SECONDS:-8}
threads=${JY_BENCH_THREADS:-16}
command -v wrk >/dev/null || { echo "run.sh: wrk is missing (scripts/install-deps --bench)" >&2; exit 1; }

tmp=$(mktemp -d -p "$(dirname "$build")" .bench-XXXXXX)
server=
cleanup() {
    stop_server
    rm -rf "$tmp"
}
stop_server() {
    if [[ -n $server ]]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}
trap cleanup EXIT
fail() {
    echo "run.sh: $*" >&2
    for f in "$tmp"/*.err; do [[ -f $f ]] && grep -v '^{"time"' "$f" | tail -5 >&2; done
    exit 1
}

fstype=$(stat -f -c %T "$tmp")
figures=$tmp/figures.tsv # name value unit
: >"$figures"
put() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$figures"; }
note() { echo "  … $*" >&2; }

# wrk_run NAME CONNECTIONS WRK_THREADS SCRIPT PATH [SECONDS] — run wrk, keep its RESULT line in
# $tmp/NAME.json, and refuse a run in which any request failed.
wrk_run() {
    local name=$1 conns=$2 wthreads=$3 script=$4 path=$5 secs=${6:-$seconds}
    note "$name: $conns connection(s), ${secs}s"
    JY_BENCH=$bench wrk -t "$wthreads" -c "$conns" -d "${secs}s" --timeout 10s \
        -s "$bench/wrk/$script" "$base$path" >"$tmp/$name.wrk" 2>&1 ||
        fail "wrk $name: $(tail -3 "$tmp/$name.wrk")"
    sed -n 's/^RESULT //p' "$tmp/$name.wrk" >"$tmp/$name.json"
    [[ -s $tmp/$name.json ]] || fail "wrk $name printed no result: $(tail -3 "$tmp/$name.wrk")"
    local failed
    failed=$(jq -r '.failed' "$tmp/$name.json")
    [[ $failed == 0 ]] || fail "$name: $failed requests failed or were refused (non-2xx)"
    put "$name" "$(jq -r '.per_s' "$tmp/$name.json")" "requests/s"
    put "${name}_p50" "$(jq -r '.p50_ms' "$tmp/$name.json")" "ms"
    put "${name}_p99" "$(jq -r '.p99_ms' "$tmp/$name.json")" "ms"
    jq -r '"      \(.per_s) requests/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms"' "$tmp/$name.json" >&2
}

# start_server NAME [serve options…] — a demo city on a fresh database under $tmp/NAME.
start_server() {
    local name=$1
    shift
    mkdir -p "$tmp/$name"
    db=$tmp/$name/jingyou.db
    "$jingyou" serve --demo --db "$db" --port 0 --clock 2026-11-30T02:00:00Z \
        --threads "$threads" --track-rate 1000000 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    server=$!
    for _ in $(seq 1 300); do
        [[ -s $tmp/$name.out ]] && break
        kill -0 "$server" 2>/dev/null || fail "the server did not start"
        sleep 0.1
    done
    local port
    port=$(head -1 "$tmp/$name.out" | sed -nE 's#^jingyou serving http://127\.0\.0\.1:([0-9]+)/.*#\1#p')
    [[ -n $port ]] || fail "no port in: $(head -1 "$tmp/$name.out")"
    base=http://127.0.0.1:$port
}

# login USER → $cookie ("jy_session=…") and $csrf
login() {
    curl -s -c "$tmp/$1.jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"jingyou-demo\"}" "$base/api/v1/session" >"$tmp/$1.login"
    csrf=$(jq -re '.csrf_token' "$tmp/$1.login") || fail "login $1: $(cat "$tmp/$1.login")"
    cookie="jy_session=$(awk '$6 == "jy_session" { print $7 }' "$tmp/$1.jar")"
}

rss_kib() { awk "/^$1:/ { print \$2 }" "/proc/$server/status"; }

echo "jingyou bench — $(nproc) core(s), scratch on $tmp ($fstype), ${seconds}s per wrk run," \
    "server with $threads worker threads" >&2
[[ $fstype == tmpfs || $fstype == ramfs ]] &&
    echo "run.sh: warning: $tmp is on $fstype, not a disk; the durable figures mean nothing" >&2

# ---- the limits, measured before, between and after the service runs ----
# A shared disk's fsync rate drifts with what else writes to it and with how busy the cores
# are, so the limits are measured at the start, in the middle and at the end of the run, and
# the median of the three is the limit each figure is set against (all three are in
# results.json under limit_runs).
limits() {
    note "limits ($1): fdatasync, SQLite one row per commit, 100 rows per commit"
    "$build/bench_limits" "$tmp" 3 >"$tmp/limits_$1.jsonl" || fail "bench_limits failed"
    jq -r '"      \(.name) \(.value) \(.unit)"' "$tmp/limits_$1.jsonl" >&2
}
limits start

# ---- the service, committing each request by itself (before group commit) ----
start_server per_request --commit-per-request
login clerk
export JY_COOKIE=$cookie JY_CSRF=$csrf JY_RUN=1
wrk_run intake_per_request_c1 1 1 intake.lua /api/v1/applications
wrk_run intake_per_request_c8 8 2 intake.lua /api/v1/applications
wrk_run intake_per_request_c64 64 2 intake.lua /api/v1/applications
stop_server
limits middle

# ---- the service as it runs: group commit ----
start_server grouped
wrk_run http_minimal 8 2 common.lua /healthz 5
login clerk
export JY_COOKIE=$cookie JY_CSRF=$csrf JY_RUN=2
wrk_run intake_c1 1 1 intake.lua /api/v1/applications
wrk_run intake_c8 8 2 intake.lua /api/v1/applications
wrk_run intake_c64 64 2 intake.lua /api/v1/applications

# Claim + complete at review: four operators, one connection each.
cookies= csrfs=
for i in 1 2 3 4; do
    printf 'jingyou-demo\n' | "$jingyou" user add "benchreview$i" --role operator \
        --stations review --db "$db" >/dev/null 2>>"$tmp/grouped.err" ||
        fail "user add benchreview$i"
    login "benchreview$i"
    cookies+="$cookie " csrfs+="$csrf "
done
export JY_COOKIES=$cookies JY_CSRFS=$csrfs
wrk_run claim_complete 4 4 claim_complete.lua /
# A claim that finds nothing answers 204 quickly: the figure counts only if work was left.
left=$(sqlite3 "$db" "SELECT count(*) FROM applications WHERE state = 'at_station'
                      AND station = 'review'")
[[ $left -gt 0 ]] || fail "claim_complete: the review queue ran dry; the figure would be wrong"
awk -F'\t' '$1 == "claim_complete" { printf "claim_complete_pairs\t%.1f\tpairs/s\n", $2 / 2 }' \
    "$figures" >>"$figures"

# Tracking lookups of the applications just taken (the public route, its rate limit raised).
sqlite3 "$db" "SELECT number || ' ' || substr(applicant_id_number, -4) FROM applications
               ORDER BY id DESC LIMIT 5000" >"$tmp/track.txt"
[[ -s $tmp/track.txt ]] || fail "no applications to track"
export JY_TRACK=$tmp/track.txt
wrk_run track 8 2 track.lua / 5

put rss "$(awk -v k="$(rss_kib VmRSS)" 'BEGIN { printf "%.1f", k / 1024 }')" MiB
put rss_peak "$(awk -v k="$(rss_kib VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')" MiB
stop_server
# The writer's own count, printed by serve as it stops: the mean number of requests per fsync.
read -r writes commits < <(sed -nE 's/.*group commit: ([0-9]+) writes in ([0-9]+) commits.*/\1 \2/p' \
    "$tmp/grouped.err")
[[ -n ${commits:-} && $commits -gt 0 ]] &&
    put writes_per_commit "$(awk -v w="$writes" -v c="$commits" 'BEGIN { printf "%.2f", w / c }')" \
        "writes/commit"

limits end
runs=("$tmp/limits_start.jsonl" "$tmp/limits_middle.jsonl" "$tmp/limits_end.jsonl")
jq -s -r 'group_by(.name)[] | [.[0].name, (map(.value) | sort | .[1]), .[0].unit] | @tsv' \
    "${runs[@]}" >>"$figures"
jq -s 'group_by(.name) | map({key: .[0].name, value: map(.value)}) | from_entries' \
    "${runs[@]}" >"$tmp/limit_runs.json"

# ---- results.json and the table ----
jq -R -s --arg fs "$fstype" --arg cores "$(nproc)" --arg threads "$threads" \
    --arg seconds "$seconds" --arg sqlite "$(sqlite3 --version | cut -d' ' -f1)" \
    --slurpfile runs "$tmp/limit_runs.json" '
  (split("\n") | map(select(length > 0) | split("\t")
     | {key: .[0], value: {value: (.[1] | tonumber), unit: .[2]}}) | from_entries) as $f
  | def v(n): $f[n].value;
    def ratio(a; b; target; cmp): {figure: a, limit: b, ratio: (v(a) / v(b)), target: target,
      met: (if target == null then null elif cmp == "le" then v(a) / v(b) <= target
            else v(a) / v(b) >= target end)};
  {
    machine: {cores: ($cores | tonumber), filesystem: $fs, server_threads: ($threads | tonumber),
              wrk_seconds: ($seconds | tonumber), sqlite: $sqlite},
    figures: $f,
    limit_runs: $runs[0],
    ratios: ([
      ratio("sqlite_1row_durable"; "fdatasync"; null; "ge"),
      ratio("sqlite_batch100"; "sqlite_1row_durable"; null; "ge"),
      ratio("intake_per_request_c1"; "sqlite_1row_durable"; null; "ge"),
      ratio("intake_per_request_c8"; "sqlite_1row_durable"; null; "ge"),
      ratio("intake_per_request_c64"; "sqlite_1row_durable"; null; "ge"),
      ratio("intake_c1"; "sqlite_1row_durable"; null; "ge"),
      ratio("intake_c8"; "sqlite_1row_durable"; null; "ge"),
      ratio("intake_c64"; "sqlite_1row_durable"; 1.5; "ge"),
      ratio("intake_c64"; "intake_per_request_c64"; null; "ge"),
      ratio("intake_c64"; "sqlite_batch100"; null; "ge"),
      ratio("intake_c64"; "http_minimal"; null; "ge"),
      ratio("claim_complete_pairs"; "sqlite_1row_durable"; null; "ge"),
      ratio("track"; "http_minimal"; null; "ge")
    ] + [
      # p99 at the load that reaches 1.5× the one-row limit: the fewest connections that do
      (([1, 8, 64] | map("intake_c\(.)") | map(select(v(.) / v("sqlite_1row_durable") >= 1.5))
        | first // "intake_c64") as $at
       | {figure: "\($at)_p99", limit: "target 20 ms", ratio: (v("\($at)_p99") / 20), target: 1,
          met: (v("\($at)_p99") <= 20)}),
      {figure: "rss", limit: "target 64 MiB", ratio: (v("rss") / 64), target: 1,
       met: (v("rss") <= 64)}
    ])
  }' "$figures" >"$bench/results.json"

jq -r '
  .figures as $f
  | ([.ratios[] | {key: .figure, value: .}] | group_by(.key)
     | map({key: .[0].key, value: [.[].value]}) | from_entries) as $r
  | "figure\tvalue\tunit\tlimit\tratio\ttarget",
    ($f | to_entries | sort_by(if (.key | test("^(fdatasync|sqlite_)")) then 0 else 1 end)
     | .[] | . as $e
     | ($r[$e.key] // [null])[] as $x
     | [$e.key, ($e.value.value | tostring), $e.value.unit,
        (if $x then $x.limit else "" end),
        (if $x then ($x.ratio * 100 | round / 100 | tostring) + "×" else "" end),
        (if $x and $x.target then
           (if ($x.limit | startswith("target")) then "≤ 1" else "≥ \($x.target)" end)
           + (if $x.met then "  met" else "  NOT met" end)
         else "" end)] | @tsv)
' "$bench/results.json" | column -t -s $'\t'
echo
echo "($(nproc) cores, shared with whatever else runs; scratch on $fstype; results in bench/results.json)"
