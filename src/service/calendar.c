/*
 * calendar.c (service) — loading calendar years at run time, the years covered, the warning:
 * see calendar.h.
 */
#include "calendar.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/prom.h"
#include "limits.h"
#include "store/calendar.h"
#include "../banned.h"

#define YEAR_SLOTS (JY_CALENDAR_MAX_YEAR - JY_CALENDAR_MIN_YEAR + 1)

/* Serialises loads (write, then rebuild and install) within this process, so that two admins
 * loading at once install calendars in the order their writes committed. Readers never take
 * it: they read the installed pointer (service.c). */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- rebuilding the calendar in force ---- */

struct reload_ctx {
    const struct jy_calendar *builtin;
    struct jy_calendar *cal; /* NULL: the built-in one as it is */
    enum jy_err e;
    struct jy_error *err;
};

static bool reload_each(void *c, const struct jy_store_calendar_load *load, const char *csv,
                        size_t csv_len)
{
    struct reload_ctx *ctx = c;
    struct jy_calendar *year = NULL, *merged = NULL;
    struct jy_error perr;
    if (jy_calendar_load_csv(csv, csv_len, &year, &perr) != JY_OK) {
        ctx->e = jy_error_set(ctx->err, JY_INTERNAL, "bad_stored_calendar", NULL,
                              "the stored calendar of %d (load %lld) does not load: %s", load->year,
                              (long long)load->id, perr.message);
        return false;
    }
    ctx->e = jy_calendar_merge(ctx->cal ? ctx->cal : ctx->builtin, year, &merged, ctx->err);
    jy_calendar_free(year);
    if (ctx->e != JY_OK)
        return false;
    jy_calendar_free(ctx->cal);
    ctx->cal = merged;
    return true;
}

static enum jy_err reload_locked(struct jy_service *svc, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct reload_ctx ctx = {jy_service_calendar_builtin(svc), NULL, JY_OK, err};
    e = jy_store_calendar_current(conn, reload_each, &ctx, err);
    if (e == JY_OK)
        e = ctx.e;
    if (e != JY_OK) {
        jy_calendar_free(ctx.cal);
        return e;
    }
    return jy_service_calendar_install(
        svc, ctx.cal ? ctx.cal : (struct jy_calendar *)jy_service_calendar_builtin(svc), err);
}

enum jy_err jy_calendar_years_reload(struct jy_service *svc, struct jy_error *err)
{
    pthread_mutex_lock(&load_lock);
    enum jy_err e = reload_locked(svc, err);
    pthread_mutex_unlock(&load_lock);
    return e;
}

/* ---- loading ---- */

static bool mark_loaded(void *c, const struct jy_store_calendar_load *load, const char *csv,
                        size_t csv_len)
{
    (void)csv;
    (void)csv_len;
    bool *loaded = c;
    if (load->year >= JY_CALENDAR_MIN_YEAR && load->year <= JY_CALENDAR_MAX_YEAR)
        loaded[load->year - JY_CALENDAR_MIN_YEAR] = true;
    return true;
}

struct write_ctx {
    struct jy_service *svc;
    const struct jy_actor *actor;
    const char *text;
    size_t len;
    const struct jy_calendar *parsed;
    const char *source;
    bool replace;
    struct jy_calendar_import_result *res;
};

static enum jy_err write_loads(struct jy_store_conn *conn, void *c, struct jy_error *err)
{
    struct write_ctx *ctx = c;
    bool loaded[YEAR_SLOTS] = {false};
    enum jy_err e = jy_store_calendar_current(conn, mark_loaded, loaded, err);
    if (e != JY_OK)
        return e;
    const struct jy_calendar *builtin = jy_service_calendar_builtin(ctx->svc);
    int64_t now = jy_service_now(ctx->svc);
    ctx->res->replaced = false;
    for (int i = 0; i < ctx->res->nyears; i++) {
        int y = ctx->res->years[i];
        bool was_loaded = loaded[y - JY_CALENDAR_MIN_YEAR];
        bool built_in = jy_calendar_covers_year(builtin, y);
        if (!ctx->replace && was_loaded)
            return jy_error_set(err, JY_CONFLICT, "year_already_loaded", "year",
                                "the calendar of %d is already loaded; load it again with "
                                "replace to put this one in its place",
                                y);
        if (!ctx->replace && built_in)
            return jy_error_set(err, JY_CONFLICT, "year_built_in", "year",
                                "the calendar of %d is built in; load it with replace to put "
                                "this one in its place",
                                y);
        ctx->res->replaced = ctx->res->replaced || was_loaded || built_in;
        char *csv = NULL;
        size_t csv_len = 0;
        if ((e = jy_calendar_year_rows(ctx->text, ctx->len, y, &csv, &csv_len, err)) != JY_OK)
            return e;
        int64_t id = 0;
        e = jy_store_calendar_append(conn, y, csv, csv_len,
                                     (int64_t)jy_calendar_year_days(ctx->parsed, y), ctx->source,
                                     ctx->actor->user_id, ctx->actor->username, now, &id, err);
        free(csv);
        if (e != JY_OK)
            return e;
    }
    return JY_OK;
}

/* The parser names the line in its message ("line 5, field date: …"): put it into the field as
 * well ("line.5.date"), so that a caller shows the line without reading the sentence. */
static void field_with_line(struct jy_error *err)
{
    long line = 0;
    if (!err || sscanf(err->message, "line %ld", &line) != 1)
        return;
    char field[sizeof(err->field)];
    if (err->field[0])
        snprintf(field, sizeof(field), "line.%ld.%.40s", line, err->field);
    else
        snprintf(field, sizeof(field), "line.%ld", line);
    jy_strlcpy(err->field, field, sizeof(err->field));
}

enum jy_err jy_calendar_years_import(struct jy_service *svc, const struct jy_actor *actor,
                                     const char *text, size_t len, int only_year,
                                     const char *source, bool replace,
                                     struct jy_calendar_import_result *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only an administrator loads the holiday calendar");
    if (source && strlen(source) > JY_CALENDAR_SOURCE_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "source",
                            "the source is longer than %d bytes", JY_CALENDAR_SOURCE_MAX_BYTES);
    if (only_year && (only_year < JY_CALENDAR_MIN_YEAR || only_year > JY_CALENDAR_MAX_YEAR))
        return jy_error_set(err, JY_RANGE, "year_out_of_range", "year",
                            "the year must be from %d to %d", JY_CALENDAR_MIN_YEAR,
                            JY_CALENDAR_MAX_YEAR);
    struct jy_calendar *parsed = NULL;
    enum jy_err e = jy_calendar_load_csv(text, len, &parsed, err);
    if (e != JY_OK) {
        field_with_line(err);
        return e;
    }
    struct jy_calendar_import_result res;
    memset(&res, 0, sizeof(res));
    for (int y = JY_CALENDAR_MIN_YEAR; y <= JY_CALENDAR_MAX_YEAR; y++) {
        if (!jy_calendar_covers_year(parsed, y))
            continue;
        if (res.nyears >= (int)(sizeof(res.years) / sizeof(res.years[0]))) {
            e = jy_error_set(err, JY_TOO_LARGE, "too_many_years", NULL,
                             "a load holds at most %zu years",
                             sizeof(res.years) / sizeof(res.years[0]));
            goto out;
        }
        res.years[res.nyears++] = y;
        size_t days = jy_calendar_year_days(parsed, y);
        if (days == 0) {
            e = jy_error_set(err, JY_UNPROCESSABLE, "year_without_days", "year",
                             "%d is declared complete but lists no holiday (off) or make-up "
                             "(work) day; every year's notice has some",
                             y);
            goto out;
        }
        if (only_year && y != only_year) {
            e = jy_error_set(err, JY_UNPROCESSABLE, "year_mismatch", "year",
                             "the file holds %d; only rows of %d belong in this load", y,
                             only_year);
            goto out;
        }
        res.days += (int64_t)days;
    }
    if (res.nyears == 0) {
        e = jy_error_set(err, JY_UNPROCESSABLE, "no_year", "year",
                         "the file declares no year: add a row YYYY-01-01,year,YYYY");
        goto out;
    }

    pthread_mutex_lock(&load_lock);
    /* The result must fit in one calendar before anything is written. */
    struct jy_calendar *merged = NULL;
    e = jy_calendar_merge(jy_service_calendar(svc), parsed, &merged, err);
    jy_calendar_free(merged);
    if (e == JY_OK) {
        struct write_ctx ctx = {svc, actor, text, len, parsed, source ? source : "", replace, &res};
        e = jy_service_write(svc, write_loads, &ctx, err);
    }
    if (e == JY_OK)
        e = reload_locked(svc, err);
    pthread_mutex_unlock(&load_lock);
    if (e == JY_OK)
        *ret = res;
out:
    jy_calendar_free(parsed);
    return e;
}

/* ---- status ---- */

void jy_calendar_years_status(const struct jy_service *svc, struct jy_calendar_status *ret)
{
    memset(ret, 0, sizeof(*ret));
    ret->today = jy_date_from_unix_shanghai(jy_service_now(svc));
    const struct jy_calendar *cal = jy_service_calendar(svc);
    if (jy_calendar_covered_until(cal, ret->today, &ret->covered_until, NULL) != JY_OK) {
        ret->missing_year = ret->today.year;
        ret->warn = true;
        return;
    }
    ret->covered = true;
    ret->days_left = (int)(jy_date_to_days(ret->covered_until) + 1 - jy_date_to_days(ret->today));
    ret->missing_year = ret->covered_until.year + 1;
    ret->warn = ret->days_left <= JY_CALENDAR_WARN_DAYS;
}

const char *jy_calendar_years_warning(const struct jy_calendar_status *st, char *buf, size_t size)
{
    if (!st->covered)
        snprintf(buf, size,
                 "%d 年节假日安排尚未导入，现已无法计算办结时限 / The %d public holiday "
                 "arrangement has not been loaded: due dates cannot be computed",
                 st->missing_year, st->missing_year);
    else
        snprintf(buf, size,
                 "%d 年节假日安排尚未导入，%d 天后起无法计算办结时限 / The %d public holiday "
                 "arrangement has not been loaded: due dates cannot be computed from %d days "
                 "on",
                 st->missing_year, st->days_left, st->missing_year, st->days_left);
    return buf;
}

/* ---- listing ---- */

struct collect_ctx {
    struct jy_store_calendar_load *loads; /* by year slot; id 0 when not loaded */
};

static bool collect_load(void *c, const struct jy_store_calendar_load *load, const char *csv,
                         size_t csv_len)
{
    (void)csv;
    (void)csv_len;
    struct collect_ctx *ctx = c;
    if (load->year >= JY_CALENDAR_MIN_YEAR && load->year <= JY_CALENDAR_MAX_YEAR)
        ctx->loads[load->year - JY_CALENDAR_MIN_YEAR] = *load;
    return true;
}

enum jy_err jy_calendar_years_list(struct jy_service *svc,
                                   bool (*fn)(void *ctx, const struct jy_calendar_year_info *info),
                                   void *ctx, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    struct collect_ctx cc = {calloc(YEAR_SLOTS, sizeof(struct jy_store_calendar_load))};
    if (!cc.loads)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    e = jy_store_calendar_current(conn, collect_load, &cc, err);
    const struct jy_calendar *cal = jy_service_calendar(svc);
    for (int y = JY_CALENDAR_MIN_YEAR; e == JY_OK && y <= JY_CALENDAR_MAX_YEAR; y++) {
        if (!jy_calendar_covers_year(cal, y))
            continue;
        struct jy_calendar_year_info info;
        memset(&info, 0, sizeof(info));
        info.year = y;
        info.days = (int64_t)jy_calendar_year_days(cal, y);
        info.load = cc.loads[y - JY_CALENDAR_MIN_YEAR];
        info.loaded = info.load.id != 0;
        if (!fn(ctx, &info))
            break;
    }
    free(cc.loads);
    return e;
}

enum jy_err jy_calendar_metrics(struct jy_service *svc, struct jy_store_conn *conn,
                                struct jy_prom *w, struct jy_error *err)
{
    (void)conn;
    (void)err;
    struct jy_calendar_status st;
    jy_calendar_years_status(svc, &st);
    jy_prom_family(w, "jingyou_calendar_days_left", "gauge",
                   "Days from today to the first day without a holiday calendar (due dates "
                   "running into it are refused); load next year's notice before it reaches 0");
    jy_prom_sample_int(w, "jingyou_calendar_days_left", NULL, st.days_left);
    return JY_OK;
}
