/*
 * api_calendar.c — the holiday calendar while the service runs (service/calendar.h).
 *
 *   GET /api/v1/calendar                       (logged in) → 200 {"years": [year], "today",
 *        "last_covered_day", "days_left", "warning"}
 *   PUT /api/v1/calendar/{year}[?replace=1][&source=TEXT]
 *        (text/csv body of that year's rows; admin)        → 200 {"year", "days", "replaced",
 *        "calendar": as GET}
 *
 * A year is {"year", "origin": "built_in" | "loaded", "days", "loaded_by", "loaded_at",
 * "source"} (the last three null when built in). "warning" is null, or the warning of
 * jy_calendar_warning_json(). Errors of a load: 400 with field "line.N.COLUMN" for a row that is
 * not a calendar row (the message names the line), 422 for a file that is not that year's
 * arrangement, 409 "year_already_loaded" / "year_built_in" without ?replace=1, 403, 415.
 */
#include "api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/timestamp.h"
#include "limits.h"
#include "service/calendar.h"
#include "../banned.h"

json_t *jy__api_calendar_warning_json(const struct jy_service *svc)
{
    struct jy_calendar_status st;
    jy_calendar_years_status(svc, &st);
    if (!st.warn)
        return json_null();
    char d[JY_DATE_TEXT_SIZE], msg[512];
    return json_pack("{s:s, s:i, s:i, s:s?, s:s}", "code", "calendar_year_missing", "year",
                     st.missing_year, "days_left", st.days_left, "last_covered_day",
                     st.covered ? jy_date_format(st.covered_until, d) : NULL, "message",
                     jy_calendar_years_warning(&st, msg, sizeof(msg)));
}

static bool year_json(void *ctx, const struct jy_calendar_year_info *info)
{
    char t[JY_TIMESTAMP_TEXT_SIZE];
    json_t *o = json_pack("{s:i, s:s, s:I, s:s?, s:s?, s:s?}", "year", info->year, "origin",
                          info->loaded ? "loaded" : "built_in", "days", (json_int_t)info->days,
                          "loaded_by", info->loaded ? info->load.loaded_by_name : NULL, "loaded_at",
                          info->loaded ? jy_timestamp_format(info->load.loaded_at, t) : NULL,
                          "source", info->loaded ? info->load.source : NULL);
    return o && json_array_append_new(ctx, o) == 0;
}

/* The calendar as GET answers it; NULL with `err` set. */
static json_t *calendar_json(struct jy_service *svc, struct jy_error *err)
{
    json_t *years = json_array();
    if (!years) {
        jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        return NULL;
    }
    if (jy_calendar_years_list(svc, year_json, years, err) != JY_OK) {
        json_decref(years);
        return NULL;
    }
    struct jy_calendar_status st;
    jy_calendar_years_status(svc, &st);
    char today[JY_DATE_TEXT_SIZE], last[JY_DATE_TEXT_SIZE];
    return json_pack("{s:o, s:s, s:s?, s:i, s:o}", "years", years, "today",
                     jy_date_format(st.today, today), "last_covered_day",
                     st.covered ? jy_date_format(st.covered_until, last) : NULL, "days_left",
                     st.days_left, "warning", jy__api_calendar_warning_json(svc));
}

void jy_api_calendar_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    json_t *o = calendar_json(jy_api_service(req), &err);
    if (!o) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, o);
}

void jy_api_calendar_put(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *y = jy_http_request_param(req, "year");
    char *end = NULL;
    errno = 0;
    long year = y ? strtol(y, &end, 10) : 0;
    if (!y || errno || !end || *end || end == y || strlen(y) != 4 || year < JY_CALENDAR_MIN_YEAR ||
        year > JY_CALENDAR_MAX_YEAR) {
        jy_http_response_fail(res, JY_INVALID, "bad_year", "year",
                              "the year is four digits, from 1990 to 2199");
        return;
    }
    const char *replace = jy_http_request_query(req, "replace");
    if (replace && strcmp(replace, "1") != 0 && strcmp(replace, "0") != 0) {
        jy_http_response_fail(res, JY_INVALID, "bad_replace", "replace", "replace is 1 or 0");
        return;
    }
    const char *type = jy_http_request_header(req, "Content-Type");
    if (!type || (strncmp(type, "text/csv", 8) != 0 && strncmp(type, "text/plain", 10) != 0)) {
        jy_http_response_fail(res, JY_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL,
                              "send the file as text/csv");
        return;
    }
    size_t len = 0;
    const char *body = jy_http_request_body(req, &len);
    struct jy_service *svc = jy_api_service(req);
    struct jy_calendar_import_result r;
    struct jy_error err;
    if (jy_calendar_years_import(svc, jy_api_actor(req), body ? body : "", body ? len : 0,
                                 (int)year, jy_http_request_query(req, "source"),
                                 replace && strcmp(replace, "1") == 0, &r, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    json_t *cal = calendar_json(svc, &err);
    if (!cal) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:i, s:I, s:b, s:o}", "year", (int)year, "days",
                                    (json_int_t)r.days, "replaced", r.replaced, "calendar", cal));
}
