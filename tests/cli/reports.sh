#!/usr/bin/env bash
# The reports' figures against counts made directly in SQL (sqlite3 over the same database, from
# the base tables: applications and their events, not the columns migration 7 keeps), over the
# demo city served with its clock pinned: the summary by branch, type, day and district
# (accepted, completed, refused, returned, corrections, SLA met and missed, overdue, due today,
# turnaround P50/P90 in working days — November 2026 has no holidays, so a working day is a
# weekday), the backlog by station, `jingyou report daily` for each day of the week, and
# /metrics read by a strict parser of the text format (tests/cli/lib/promtext.py) with its
# counters matching the requests made and the backlog gauges matching SQL.
#
# Usage: tests/cli/reports.sh path/to/jingyou
set -euo pipefail

jingyou=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/lib/server.sh"
for tool in sqlite3 jq curl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done

clock=2026-11-30T02:00:00Z
today=2026-11-30
"$jingyou" serve --demo --db "$tmp/db/j.db" --port 0 --clock $clock >server.out 2>server.err &
server=$!
wait_for_server 200
db=$tmp/db/j.db

curl -s -c manager.jar -H 'Content-Type: application/json' \
    -d '{"username":"manager","password":"jingyou-demo"}' "$base/api/v1/session" >/dev/null
from=2026-11-20
# [from 00:00, today 24:00) in Asia/Shanghai, as UTC seconds
t0=$(date -u -d "${from}T00:00:00+08:00" +%s)
t1=$(date -u -d "${today}T00:00:00+08:00 + 1 day" +%s)

# The figures per group, from the base tables. KEY is the SQL of the group's key over a
# (applications) and b (branches).
sql_figures() {
    local key=$1
    sqlite3 -json "$db" "
WITH RECURSIVE days(d) AS (SELECT '2026-11-01' UNION ALL
                           SELECT date(d, '+1 day') FROM days WHERE d < '2026-12-31'),
fin AS (SELECT application_id AS id, min(at) AS at FROM events
        WHERE to_state IN ('sealed', 'completed', 'paid') GROUP BY application_id),
ret AS (SELECT application_id AS id, count(*) AS n FROM events
        WHERE to_state = 'correction' AND from_state IS NOT 'correction'
        GROUP BY application_id),
rows AS (
  SELECT $key AS key, a.state, a.due_date, fin.at AS fin_at, coalesce(ret.n, 0) AS ret_n,
         date(a.accepted_at + 28800, 'unixepoch') AS acc_day,
         date(fin.at + 28800, 'unixepoch') AS fin_day
  FROM applications a JOIN branches b ON b.id = a.branch_id
  LEFT JOIN fin ON fin.id = a.id LEFT JOIN ret ON ret.id = a.id
  WHERE a.accepted_at >= $t0 AND a.accepted_at < $t1),
turn AS (
  SELECT key, (SELECT count(*) FROM days WHERE d > acc_day AND d <= fin_day
               AND strftime('%w', d) NOT IN ('0', '6')) AS wd
  FROM rows WHERE fin_at IS NOT NULL),
ranked AS (
  SELECT key, wd, row_number() OVER (PARTITION BY key ORDER BY wd) AS rn,
         count(*) OVER (PARTITION BY key) AS n FROM turn),
pct AS (
  SELECT key, min(CASE WHEN rn * 100 >= n * 50 THEN wd END) AS p50,
              min(CASE WHEN rn * 100 >= n * 90 THEN wd END) AS p90, max(n) AS n
  FROM ranked GROUP BY key)
SELECT r.key, count(*) AS accepted, sum(fin_at IS NOT NULL) AS completed,
       sum(state = 'refused') AS refused, sum(ret_n > 0) AS returned, sum(ret_n) AS corrections,
       sum(fin_at IS NOT NULL AND fin_day <= due_date) AS sla_met,
       sum(fin_at IS NOT NULL AND fin_day > due_date) AS sla_missed,
       sum(fin_at IS NULL AND state NOT IN ('refused', 'cancelled') AND due_date < '$today')
         AS overdue,
       sum(fin_at IS NULL AND state NOT IN ('refused', 'cancelled') AND due_date = '$today')
         AS due_today,
       pct.p50 AS turnaround_p50, pct.p90 AS turnaround_p90, coalesce(pct.n, 0) AS turnaround_n
FROM rows r LEFT JOIN pct ON pct.key = r.key GROUP BY r.key ORDER BY r.key"
}
fields='[.[] | {key, accepted, completed, refused, returned, corrections, sla_met, sla_missed,
         overdue, due_today, turnaround_p50, turnaround_p90, turnaround_n}]'

compare() { # compare GROUP_BY KEY_SQL
    curl -s -b manager.jar "$base/api/v1/reports/summary?from=$from&to=$today&group_by=$1" \
        >"api_$1.json"
    # A group with fines collected but nothing accepted is not in the applications' SQL.
    jq -S "(.groups | map(select(.accepted > 0 or .fines_count == 0)) | $fields)" "api_$1.json" \
        >"api_$1.cmp" || fail "summary $1: $(cat "api_$1.json")"
    sql_figures "$2" | jq -S "$fields" >"sql_$1.cmp"
    [[ $(jq length "sql_$1.cmp") -gt 0 ]] || fail "no rows from SQL for $1"
    diff -u "sql_$1.cmp" "api_$1.cmp" >&2 || fail "summary by $1 differs from SQL (- SQL, + API)"
    echo "ok summary by $1: $(jq length "sql_$1.cmp") groups equal to SQL"
}
compare branch b.code
compare type a.business_type
compare day "date(a.accepted_at + 28800, 'unixepoch')"
compare district b.district
compare hour "printf('%02d', (a.accepted_at + 28800) % 86400 / 3600)"

# Totals
want=$(sqlite3 "$db" "SELECT count(*) FROM applications WHERE accepted_at >= $t0 AND accepted_at < $t1")
got=$(jq .totals.accepted api_branch.json)
[[ $got == "$want" && $want -eq 40 ]] || fail "totals.accepted $got, SQL $want"

# Fines collected: payments in force by settlement day, in total and per branch, district and
# day, from fine_payments itself (the demo collects eight today at two branches, reverses one)
sqlite3 -json "$db" "SELECT count(*) AS count, sum(fine_fen) AS fine_fen,
    sum(surcharge_fen) AS surcharge_fen, sum(amount_fen) AS amount_fen FROM fine_payments
    WHERE reversed_at IS NULL AND paid_date BETWEEN '$from' AND '$today'" | jq -S '.[0]' >sql_fines.cmp
jq -S .fines api_branch.json >api_fines.cmp
diff -u sql_fines.cmp api_fines.cmp >&2 || fail "fines in the summary differ from SQL"
[[ $(jq .count sql_fines.cmp) == 7 ]] || fail "the demo's fines in force: $(jq .count sql_fines.cmp), not 7"
fines_by() { # fines_by GROUP_BY KEY_SQL
    jq -S '[.groups[] | select(.fines_count > 0) | {key, fines_count, fines_amount_fen}]' \
        "api_$1.json" >"api_fines_$1.cmp"
    sqlite3 -json "$db" "SELECT $2 AS key, count(*) AS fines_count, sum(p.amount_fen) AS fines_amount_fen
        FROM fine_payments p JOIN branches b ON b.id = p.branch_id WHERE p.reversed_at IS NULL
        AND p.paid_date BETWEEN '$from' AND '$today' GROUP BY 1 ORDER BY 1" | jq -S . >"sql_fines_$1.cmp"
    diff -u "sql_fines_$1.cmp" "api_fines_$1.cmp" >&2 || fail "fines by $1 differ from SQL"
    [[ $(jq "[.groups[] | select(.fines_count == 0 and .fines_amount_fen == 0)] | length" "api_$1.json") == \
       $(jq "[.groups[] | select(.fines_count == 0)] | length" "api_$1.json") ]] || fail "fines by $1: a count without an amount"
}
fines_by branch b.code
fines_by day p.paid_date
fines_by district b.district
[[ $(jq '.groups[0] | has("fines_count")' api_type.json) == false ]] || fail "fines per type"
[[ $(jq .fines.count api_type.json) == 7 ]] || fail "fines in the summary by type"
code=$(curl -s -b manager.jar "$base/api/v1/reports/summary?from=$from&to=$today&group_by=branch&format=csv" |
    tail -1 | tr -d '\r' | awk -F, '{print $(NF-1) "," $NF}')
[[ $code == "$(jq -r '"\(.count),\(.amount_fen)"' sql_fines.cmp)" ]] || fail "fines in the CSV's total row: $code"
echo "ok fines collected in total, by branch, day and district, and in the CSV equal to SQL"

# Backlog by station, now
curl -s -b manager.jar "$base/api/v1/reports/summary?from=$from&to=$today&group_by=station" >st.json
jq -S '[.groups[] | select(.waiting > 0) | {key, waiting, overdue, due_today}]' st.json >api_st.cmp
sqlite3 -json "$db" "SELECT station AS key, count(*) AS waiting, sum(due_date < '$today') AS overdue,
    sum(due_date = '$today') AS due_today FROM applications WHERE state = 'at_station'
    GROUP BY station ORDER BY station" | jq -S . >sql_st.cmp
diff -u sql_st.cmp api_st.cmp >&2 || fail "backlog by station differs from SQL"
# Work by station: items that left each station onward in the period
jq -S '[.groups[] | {key, completed}]' st.json >api_work.cmp
sqlite3 -json "$db" "SELECT s.code AS key, (SELECT count(*) FROM events e
    WHERE e.from_state = 'at_station' AND e.from_station = s.code AND e.at >= $t0 AND e.at < $t1
    AND e.to_state NOT IN ('correction', 'refused', 'cancelled')
    AND coalesce(e.to_station, '') <> s.code) AS completed
    FROM (SELECT 'review' AS code UNION ALL SELECT 'approval' UNION ALL SELECT 'print'
          UNION ALL SELECT 'production' UNION ALL SELECT 'archive' UNION ALL SELECT 'dispatch') s
    ORDER BY key" | jq -S . >sql_work.cmp
diff -u sql_work.cmp api_work.cmp >&2 || fail "work by station differs from SQL"
# Returns and refusals by reason, and each operator's work, from the events themselves
curl -s -b manager.jar "$base/api/v1/reports/summary?from=$from&to=$today&group_by=reason" |
    jq -S '[.groups[] | {key, returned, refused}]' >api_reason.cmp
sqlite3 -json "$db" "SELECT reason AS key, sum(to_state = 'correction') AS returned,
    sum(to_state = 'refused') AS refused FROM events WHERE at >= $t0 AND at < $t1
    AND to_state IN ('correction', 'refused') AND from_state IS NOT to_state
    GROUP BY reason ORDER BY reason" | jq -S . >sql_reason.cmp
diff -u sql_reason.cmp api_reason.cmp >&2 || fail "returns and refusals by reason differ from SQL"
curl -s -b manager.jar "$base/api/v1/reports/summary?from=$from&to=$today&group_by=operator" |
    jq -S '[.groups[] | {key, completed, returned, refused}] | sort_by(.key)' >api_op.cmp
sqlite3 -json "$db" "SELECT coalesce(u.username, 'system') AS key,
    sum(e.from_state = 'at_station' AND e.to_state NOT IN ('correction', 'refused', 'cancelled')
        AND coalesce(e.to_station, '') <> e.from_station) AS completed,
    sum(e.to_state = 'correction') AS returned, sum(e.to_state = 'refused') AS refused
    FROM events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.at >= $t0 AND e.at < $t1
    AND (e.from_state = 'at_station' OR e.to_state IN ('correction', 'refused'))
    AND (e.from_state IS NOT e.to_state OR e.from_station IS NOT e.to_station)
    GROUP BY e.actor_id" | jq -S 'sort_by(.key)' >sql_op.cmp
diff -u sql_op.cmp api_op.cmp >&2 || fail "work by operator differs from SQL"
echo "ok backlog and work by station, reason and operator equal to SQL"

# The day's report on the command line, for each day of the week
for day in 2026-11-24 2026-11-25 2026-11-26 2026-11-27 2026-11-28 2026-11-29 2026-11-30; do
    "$jingyou" report daily $day --db "$db" --clock $clock >daily.txt 2>daily.err ||
        fail "report daily $day: $(cat daily.err)"
    d0=$(date -u -d "${day}T00:00:00+08:00" +%s)
    d1=$((d0 + 86400))
    n=$(sqlite3 "$db" "SELECT count(*) FROM applications WHERE accepted_at >= $d0 AND accepted_at < $d1")
    r=$(sqlite3 "$db" "SELECT count(*) FROM applications WHERE state = 'refused'
        AND accepted_at >= $d0 AND accepted_at < $d1")
    grep -q "^警邮合作业务日报 Daily report $day" daily.txt || fail "report daily $day: no heading"
    grep -Eq "^受理 accepted +$n$" daily.txt || fail "report daily $day: accepted is not $n: $(cat daily.txt)"
    grep -Eq "^不予受理 refused +$r$" daily.txt || fail "report daily $day: refused is not $r"
    grep -q "== 各岗位 By station" daily.txt || fail "report daily $day: no station part"
done
echo "ok report daily for a week, accepted and refused equal to SQL"
status=0
"$jingyou" report daily 2026-02-30 --db "$db" >/dev/null 2>&1 || status=$?
[[ $status == 2 ]] || fail "report daily with a bad date: exit $status, expected 2"
status=0
"$jingyou" report daily 2026-11-30 --db "$tmp/none.db" >/dev/null 2>&1 || status=$?
[[ $status == 1 && ! -e $tmp/none.db ]] || fail "report daily on a missing database: exit $status"

# /metrics: strict parse, counters and gauges
for _ in 1 2 3; do curl -s -o /dev/null "$base/api/v1/branches/nearest?lat=30.5&lon=114.3"; done
curl -s -o /dev/null "$base/api/v1/branches/nearest?lat=95&lon=114.3"
curl -s -D metrics.h "$base/metrics" >metrics.txt
grep -qi '^Content-Type: text/plain; version=0.0.4' metrics.h || fail "metrics content type"
/usr/bin/python3 "$here/lib/promtext.py" metrics.txt >samples.json ||
    fail "metrics do not parse: $(cat samples.json)"
sample() { # sample NAME [LABELS-JSON] → value
    jq -rs --arg n "$1" --argjson l "${2:-{\}}" \
        'map(select(.name == $n and (.labels | contains($l)))) | map(.value) | add // "none"' samples.json
}
[[ $(sample jingyou_http_requests_total \
     '{"route":"/api/v1/branches/nearest","status":"200"}') == 3 ]] || fail "nearest 200 count"
[[ $(sample jingyou_http_requests_total \
     '{"route":"/api/v1/branches/nearest","status":"400"}') == 1 ]] || fail "nearest 400 count"
[[ $(sample jingyou_http_request_duration_seconds_count \
     '{"route":"/api/v1/branches/nearest"}') == 4 ]] || fail "nearest latency count"
[[ $(sample jingyou_applications_accepted_total) == \
   $(sqlite3 "$db" "SELECT count(*) FROM applications") ]] || fail "accepted_total"
for st in review approval; do
    [[ $(sample jingyou_station_backlog "{\"station\":\"$st\"}") == \
       $(sqlite3 "$db" "SELECT count(*) FROM applications WHERE state='at_station' AND station='$st'") ]] ||
        fail "backlog gauge of $st"
done
[[ $(sample jingyou_leases_held) == $(sqlite3 "$db" "SELECT count(*) FROM applications
    WHERE lease_expires_at > strftime('%s', '2026-11-30 02:00:00')") ]] || fail "leases_held"
[[ $(sample jingyou_database_bytes) -gt 0 ]] || fail "database_bytes"
[[ $(sample jingyou_database_wal_bytes) != none ]] || fail "database_wal_bytes"
[[ $(sample jingyou_s10_numbers_left) == $(sqlite3 "$db" "SELECT sum(last - next + 1) FROM s10_ranges") ]] ||
    fail "s10_numbers_left"
[[ $(sample jingyou_outbox_depth) == $(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE state = 'queued'") ]] ||
    fail "outbox_depth"
echo "ok /metrics parses strictly; counters, histograms and gauges agree"

# /metrics from another machine: refused, but for an admin's session. The server listens on
# this machine's first address that is not loopback (skipped when it has none).
ip=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | grep -v '^127\.' | head -1 || true)
if [[ -n $ip ]]; then
    "$jingyou" serve --db "$db" --listen "$ip" --port 0 --clock $clock >remote.out 2>remote.err &
    remote=$!
    for _ in $(seq 1 100); do [[ -s remote.out ]] && break; sleep 0.1; done
    rport=$(head -1 remote.out | sed -nE 's#^jingyou serving http://[^:]+:([0-9]+)/.*#\1#p')
    rbase=http://$ip:$rport
    code=$(curl -s -o remote.json -w '%{http_code}' "$rbase/metrics")
    [[ $code == 403 && $(jq -r .error.code remote.json) == metrics_local_only ]] ||
        { kill $remote; fail "remote /metrics without a session: $code"; }
    curl -s -c remote_manager.jar -H 'Content-Type: application/json' \
        -d '{"username":"manager","password":"jingyou-demo"}' "$rbase/api/v1/session" >/dev/null
    code=$(curl -s -o /dev/null -w '%{http_code}' -b remote_manager.jar "$rbase/metrics")
    [[ $code == 403 ]] || { kill $remote; fail "remote /metrics as a manager: $code"; }
    curl -s -c remote_admin.jar -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"jingyou-demo"}' "$rbase/api/v1/session" >/dev/null
    code=$(curl -s -o remote.txt -w '%{http_code}' -b remote_admin.jar "$rbase/metrics")
    kill $remote
    wait $remote 2>/dev/null || true
    [[ $code == 200 ]] && /usr/bin/python3 "$here/lib/promtext.py" remote.txt >/dev/null ||
        fail "remote /metrics as an admin: $code"
    echo "ok /metrics from $ip: 403 without a session or as a manager, 200 as an admin"
else
    echo "skip /metrics from another address: this machine has none"
fi

# /healthz reads the database
[[ $(curl -s -o /dev/null -w '%{http_code}' "$base/healthz") == 200 ]] || fail "healthz"
echo "ok"
