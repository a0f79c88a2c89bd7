/*
 * metrics.h — the HTTP framework's own figures for /metrics: requests by route pattern, method
 * and status (a counter), and the time to answer by route (a histogram).
 *
 * The server keeps one `struct jy_http_metrics` with a row per route of its table and one for
 * requests that matched no route (route "(unmatched)": a bad target, a 414). A request is
 * counted when its response has gone out (or the connection ended after a response was
 * queued), on the worker thread, with relaxed atomic additions: no lock, no allocation, and a
 * reader sees each number whole, though not all numbers from one instant. Statuses are counted
 * in a fixed table of the codes this server answers; any other is counted as "other".
 *
 * Latency is from the request line's arrival to the end of sending, in the buckets
 * JY_HTTP_LATENCY_BUCKETS (seconds): 1 ms … 10 s, as the Prometheus client libraries' defaults
 * extended down to a millisecond, since most answers here take less than 5 ms.
 */
#ifndef JY_HTTP_METRICS_H
#define JY_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/prom.h"
#include "error.h"
#include "http/router.h"

struct jy_http_metrics;

/* New metrics for the `n_routes` routes of `routes` (borrowed; must outlive the metrics).
 * NULL when out of memory. */
struct jy_http_metrics *jy_http_metrics_new(const struct jy_http_route *routes, size_t n_routes);

/* Free. Accepts NULL. */
void jy_http_metrics_free(struct jy_http_metrics *m);

/* Count one answered request: `route` (from the table, or NULL when none matched), `status`,
 * and `duration_us` microseconds. Thread-safe, lock-free. */
void jy_http_metrics_record(struct jy_http_metrics *m, const struct jy_http_route *route,
                            int status, int64_t duration_us);

/* Write the families jingyou_http_requests_total and jingyou_http_request_duration_seconds to
 * `w`. Thread-safe. */
void jy_http_metrics_write(const struct jy_http_metrics *m, struct jy_prom *w);

/* The metrics of the server that is answering `req` (borrowed), or NULL when it keeps none. */
struct jy_http_request;
const struct jy_http_metrics *jy_http_request_metrics(const struct jy_http_request *req);

#endif /* JY_HTTP_METRICS_H */
