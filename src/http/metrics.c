/*
 * metrics.c — request counters and latency histograms: see metrics.h.
 */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/internal.h"
#include "../banned.h"

/* The statuses counted one by one; anything else is "other" (the last slot). */
static const int statuses[] = {200, 201, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405,
                               406, 409, 411, 412, 413, 414, 415, 422, 429, 431, 500, 503};
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)

/* Upper bounds of the latency buckets, microseconds (JY_HTTP_LATENCY_BUCKETS in seconds). */
static const int64_t bounds_us[] = {1000,   2500,   5000,    10000,   25000,   50000,   100000,
                                    250000, 500000, 1000000, 2500000, 5000000, 10000000};
static const char *const bounds_text[] = {"0.001", "0.0025", "0.005", "0.01", "0.025",
                                          "0.05",  "0.1",    "0.25",  "0.5",  "1",
                                          "2.5",   "5",      "10"};
#define N_BUCKET (sizeof(bounds_us) / sizeof(bounds_us[0]))

struct row {
    atomic_uint_fast64_t by_status[N_STATUS];
    atomic_uint_fast64_t buckets[N_BUCKET + 1]; /* not cumulative; the last is above 10 s */
    atomic_uint_fast64_t sum_us;
};

struct jy_http_metrics {
    const struct jy_http_route *routes;
    size_t n_routes;
    struct row *rows; /* n_routes + 1: the last for unmatched requests */
};

struct jy_http_metrics *jy_http_metrics_new(const struct jy_http_route *routes, size_t n_routes)
{
    struct jy_http_metrics *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->routes = routes;
    m->n_routes = n_routes;
    m->rows = calloc(n_routes + 1, sizeof(*m->rows));
    if (!m->rows) {
        free(m);
        return NULL;
    }
    for (size_t r = 0; r <= n_routes; r++) {
        for (size_t i = 0; i < N_STATUS; i++)
            atomic_init(&m->rows[r].by_status[i], 0);
        for (size_t i = 0; i <= N_BUCKET; i++)
            atomic_init(&m->rows[r].buckets[i], 0);
        atomic_init(&m->rows[r].sum_us, 0);
    }
    return m;
}

void jy_http_metrics_free(struct jy_http_metrics *m)
{
    if (!m)
        return;
    free(m->rows);
    free(m);
}

void jy_http_metrics_record(struct jy_http_metrics *m, const struct jy_http_route *route,
                            int status, int64_t duration_us)
{
    if (!m)
        return;
    size_t r = m->n_routes;
    if (route && route >= m->routes && route < m->routes + m->n_routes)
        r = (size_t)(route - m->routes);
    size_t s = N_STATUS - 1;
    for (size_t i = 0; i + 1 < N_STATUS; i++)
        if (statuses[i] == status)
            s = i;
    size_t b = 0;
    while (b < N_BUCKET && duration_us > bounds_us[b])
        b++;
    if (duration_us < 0)
        duration_us = 0;
    atomic_fetch_add_explicit(&m->rows[r].by_status[s], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->rows[r].buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->rows[r].sum_us, (uint_fast64_t)duration_us, memory_order_relaxed);
}

static void route_labels(const struct jy_http_metrics *m, size_t r, const char **method,
                         const char **pattern)
{
    if (r < m->n_routes) {
        *method = jy_http_method_name(m->routes[r].method);
        *pattern = m->routes[r].pattern;
    } else {
        *method = "any";
        *pattern = "(unmatched)";
    }
}

void jy_http_metrics_write(const struct jy_http_metrics *m, struct jy_prom *w)
{
    if (!m)
        return;
    jy_prom_family(w, "jingyou_http_requests_total", "counter",
                   "HTTP requests answered, by route pattern, method and status");
    for (size_t r = 0; r <= m->n_routes; r++) {
        const char *method, *pattern;
        route_labels(m, r, &method, &pattern);
        for (size_t s = 0; s < N_STATUS; s++) {
            uint_fast64_t v = atomic_load_explicit(&m->rows[r].by_status[s], memory_order_relaxed);
            if (v == 0)
                continue;
            char code[16];
            if (s + 1 < N_STATUS)
                snprintf(code, sizeof(code), "%d", statuses[s]);
            else
                snprintf(code, sizeof(code), "other");
            const char *labels[] = {"route", pattern, "method", method, "status", code, NULL};
            jy_prom_sample_int(w, "jingyou_http_requests_total", labels, (int64_t)v);
        }
    }
    jy_prom_family(w, "jingyou_http_request_duration_seconds", "histogram",
                   "Time from the request line to the end of the answer, by route pattern");
    for (size_t r = 0; r <= m->n_routes; r++) {
        const char *method, *pattern;
        route_labels(m, r, &method, &pattern);
        uint_fast64_t counts[N_BUCKET + 1], total = 0;
        for (size_t b = 0; b <= N_BUCKET; b++) {
            counts[b] = atomic_load_explicit(&m->rows[r].buckets[b], memory_order_relaxed);
            total += counts[b];
        }
        if (total == 0)
            continue;
        uint_fast64_t sum_us = atomic_load_explicit(&m->rows[r].sum_us, memory_order_relaxed);
        uint_fast64_t cum = 0;
        for (size_t b = 0; b <= N_BUCKET; b++) {
            cum += counts[b];
            const char *labels[] = {"route", pattern, "method",
                                    method,  "le",    b < N_BUCKET ? bounds_text[b] : "+Inf",
                                    NULL};
            jy_prom_sample_int(w, "jingyou_http_request_duration_seconds_bucket", labels,
                               (int64_t)cum);
        }
        const char *labels[] = {"route", pattern, "method", method, NULL};
        jy_prom_sample(w, "jingyou_http_request_duration_seconds_sum", labels,
                       (double)sum_us / 1e6);
        jy_prom_sample_int(w, "jingyou_http_request_duration_seconds_count", labels, (int64_t)cum);
    }
}

const struct jy_http_metrics *jy_http_request_metrics(const struct jy_http_request *req)
{
    return req ? req->metrics : NULL;
}
