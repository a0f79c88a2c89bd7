/*
 * api_dashboard.c — reports, the branch network and the operations endpoints.
 *
 *   GET /api/v1/reports/summary?from=&to=&group_by=&format=json|csv  → 200 summary (JSON or CSV)
 *   GET /api/v1/reports/coverage?format=json|csv                      → 200 coverage
 *   GET /api/v1/branches/nearest?lat=&lon=&n=   (public, rate-limited) → 200 {"items": […]}
 *   GET /metrics                                                      → 200 Prometheus text
 *
 * Who may read /metrics: a client on this machine (the peer address is loopback: 127.0.0.0/8,
 * ::1, ::ffff:127.0.0.0/104), where a Prometheus server or its agent scrapes; from elsewhere, a
 * logged-in admin (the session cookie). Anyone else gets 403 "metrics_local_only". The figures
 * name no person, but they tell how busy the centre is, which is not for the public.
 */
#include "api.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/metrics.h"
#include "service/dashboard.h"
#include "service/metrics.h"
#include "../banned.h"

/* The `format` parameter: false (csv) or true (json, the default); false with a 400 answered
 * in `*bad` for anything else. */
static bool want_csv(struct jy_http_request *req, struct jy_http_response *res, bool *bad)
{
    const char *f = jy_http_request_query(req, "format");
    *bad = false;
    if (!f || strcmp(f, "json") == 0)
        return false;
    if (strcmp(f, "csv") == 0)
        return true;
    jy_http_response_fail(res, JY_INVALID, "bad_parameter", "format", "format is json or csv");
    *bad = true;
    return false;
}

static void send_csv(struct jy_http_response *res, const char *name, char *data, size_t len)
{
    char value[160];
    struct jy_error err;
    snprintf(value, sizeof(value), "attachment; filename=\"%s\"", name);
    if (jy_http_response_header(res, "Content-Disposition", value, &err) != JY_OK) {
        free(data);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_bytes(res, 200, "text/csv; charset=utf-8", data, len);
}

void jy_api_reports_summary(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_service *svc = jy_api_service(req);
    bool bad;
    bool csv = want_csv(req, res, &bad);
    if (bad)
        return;
    struct jy_report_period p;
    json_t *sum = NULL;
    if (jy_report_period_parse(svc, jy_http_request_query(req, "from"),
                               jy_http_request_query(req, "to"),
                               jy_http_request_query(req, "group_by"), &p, &err) != JY_OK ||
        jy_report_summary(svc, jy_api_actor(req), &p, &sum, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    if (!csv) {
        jy_http_response_json(res, 200, sum);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    enum jy_err e = jy_report_summary_csv(sum, &text, &len, &err);
    char name[96];
    snprintf(name, sizeof(name), "summary-%s-%s-%s.csv",
             json_string_value(json_object_get(sum, "group_by")),
             json_string_value(json_object_get(sum, "from")),
             json_string_value(json_object_get(sum, "to")));
    json_decref(sum);
    if (e != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    send_csv(res, name, text, len);
}

void jy_api_reports_coverage(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    bool bad;
    bool csv = want_csv(req, res, &bad);
    if (bad)
        return;
    json_t *c = NULL;
    if (jy_report_coverage(jy_api_service(req), jy_api_actor(req), &c, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    if (!csv) {
        jy_http_response_json(res, 200, c);
        return;
    }
    /* The uncovered cells, one per row, under a line of the totals. */
    size_t n = json_array_size(json_object_get(c, "uncovered"));
    size_t cap = 256 + n * 48;
    char *text = malloc(cap);
    if (!text) {
        json_decref(c);
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    size_t len = (size_t)snprintf(
        text, cap,
        "city_cells,covered_cells,share,cell_m,radius_m\r\n%lld,%lld,%.4f,%.0f,%.0f\r\n"
        "uncovered_lat,uncovered_lon\r\n",
        (long long)json_integer_value(json_object_get(c, "city_cells")),
        (long long)json_integer_value(json_object_get(c, "covered_cells")),
        json_real_value(json_object_get(c, "share")), json_real_value(json_object_get(c, "cell_m")),
        json_real_value(json_object_get(c, "radius_m")));
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(c, "uncovered"), i, cell)
    {
        len += (size_t)snprintf(text + len, cap - len, "%.5f,%.5f\r\n",
                                json_real_value(json_array_get(cell, 0)),
                                json_real_value(json_array_get(cell, 1)));
    }
    json_decref(c);
    send_csv(res, "coverage.csv", text, len);
}

/* Query parameter `name` as a decimal number into `*ret`; false with the 400 answered. */
static bool query_number(struct jy_http_request *req, struct jy_http_response *res,
                         const char *name, double *ret)
{
    const char *s = jy_http_request_query(req, name);
    if (!s || !*s) {
        jy_http_response_fail(res, JY_INVALID, "missing_field", name, "%s is required", name);
        return false;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(v) || strlen(s) > 32 ||
        strspn(s, "0123456789.+-") != strlen(s)) {
        jy_http_response_fail(res, JY_INVALID, "bad_parameter", name,
                              "%s must be a decimal number of degrees", name);
        return false;
    }
    *ret = v;
    return true;
}

void jy_api_branches_nearest(struct jy_http_request *req, struct jy_http_response *res)
{
    double lat, lon;
    int64_t n = 3;
    struct jy_error err;
    if (!query_number(req, res, "lat", &lat) || !query_number(req, res, "lon", &lon))
        return;
    json_t *out = NULL;
    if (jy_http_request_query_int(req, "n", 1, JY_GEO_NEAREST_MAX, &n, &err) != JY_OK ||
        jy_branches_nearest(jy_api_service(req), lat, lon, (int)n, &out, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, out);
}

static bool loopback(const char *addr)
{
    return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
           strncmp(addr, "::ffff:127.", 11) == 0;
}

void jy_api_metrics(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    jy_error_clear(&err);
    if (!loopback(jy_http_request_client(req))) {
        const struct jy_actor *actor = NULL;
        if (jy_http_request_cookie(req, JY_SESSION_COOKIE) &&
            jy_api_authenticate(jy_api_service(req), req, &err) == JY_OK)
            actor = jy_api_actor(req);
        if (!actor || actor->role != JY_ROLE_ADMIN) {
            jy_http_response_fail(res, JY_FORBIDDEN, "metrics_local_only", NULL,
                                  "/metrics answers this machine, or an admin's session");
            return;
        }
    }
    struct jy_prom w;
    jy_prom_init(&w);
    jy_http_metrics_write(jy_http_request_metrics(req), &w);
    if (jy_metrics_collect(jy_api_service(req), &w, &err) != JY_OK) {
        jy_prom_release(&w);
        jy_http_response_error_status(res, 503, &err);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    if (jy_prom_finish(&w, &text, &len, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_bytes(res, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
