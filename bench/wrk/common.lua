-- common.lua — shared by the bench's wrk scripts: numbering of threads, and the report that
-- bench/run.sh reads (one line "RESULT {json}" printed by done()).

threads = {}

-- Give every wrk thread its number (1..), as the global `tid` of its own Lua state.
function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

-- Throughput, latency percentiles (milliseconds) and failures, for bench/run.sh.
function done(summary, latency, requests)
   local s = summary.duration / 1e6
   local e = summary.errors
   local failed = e.connect + e.read + e.write + e.timeout + e.status
   io.write(string.format(
      'RESULT {"requests":%d,"seconds":%.3f,"per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,' ..
      '"max_ms":%.3f,"non_2xx":%d,"failed":%d}\n',
      summary.requests, s, summary.requests / s, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, e.status, failed))
end
