/*
 * reports.c — the daily report: see reports.h.
 */
#include "reports.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/catalog.h"
#include "limits.h"
#include "service/receipts.h"
#include "store/applications.h"
#include "store/reports.h"
#include "store/users.h"
#include "../banned.h"

/* A state as people read it. */
static const char *state_zh(const char *state)
{
    static const char *const names[][2] = {
        {"accepted", "已受理"},  {"at_station", "在办"},  {"sealed", "已封发"},
        {"shipped", "已寄出"},   {"delivered", "已妥投"}, {"correction", "待补正"},
        {"refused", "不予受理"}, {"cancelled", "已撤销"}, {"delivery_failed", "投递未成功"},
        {"returned", "已退回"},  {"paid", "已缴款"},      {"completed", "已办结"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i][0], state) == 0)
            return names[i][1];
    return state;
}

/* The text a row points at. */
struct row_text {
    char display[JY_APPNO_DISPLAY_SIZE];
    char business_code[JY_APP_CODE_SIZE];
    char branch[121];
    char clerk[JY_DISPLAY_NAME_MAX + 1];
};

struct rows {
    struct jy_service *svc;
    struct jy_store_conn *conn;
    struct jy_date today;
    int64_t *ids;
    size_t count, cap;
    bool too_many, nomem;
};

static bool row_id(void *p, int64_t id)
{
    struct rows *r = p;
    if (r->count >= JY_EXPORT_MAX_ROWS) {
        r->too_many = true;
        return false;
    }
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        int64_t *n = realloc(r->ids, cap * sizeof(*n));
        if (!n) {
            r->nomem = true;
            return false;
        }
        r->ids = n;
        r->cap = cap;
    }
    r->ids[r->count++] = id;
    return true;
}

static bool in_pipeline(const char *state)
{
    return strcmp(state, "at_station") == 0 || strcmp(state, "correction") == 0 ||
           strcmp(state, "accepted") == 0;
}

enum jy_err jy_report_daily(struct jy_service *svc, const struct jy_actor *actor,
                            struct jy_date day, enum jy_report_format format,
                            enum jy_export_table table, unsigned char **ret, size_t *ret_len,
                            struct jy_error *err)
{
    if (actor->role != JY_ROLE_MANAGER && actor->role != JY_ROLE_SUPERVISOR &&
        actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only managers, supervisors and admins export the daily report");
    struct rows r = {.svc = svc};
    struct row_text *texts = NULL;
    struct jy_export_application *apps = NULL;
    struct jy_store_application *a = malloc(sizeof(*a));
    enum jy_err e;
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if ((e = jy_service_conn(svc, &r.conn, err)) != JY_OK)
        goto out;
    int64_t now = jy_service_now(svc), from, to;
    struct jy_date today = jy_date_from_unix_shanghai(now);
    jy_receipts_day_range(day, &from, &to);
    if ((e = jy_store_report_accepted(r.conn, from, to, row_id, &r, err)) != JY_OK)
        goto out;
    if (r.nomem || r.too_many) {
        e = r.nomem ? jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory")
                    : jy_error_set(err, JY_RANGE, "too_many", NULL,
                                   "more than %d applications that day", JY_EXPORT_MAX_ROWS);
        goto out;
    }
    size_t n = r.count ? r.count : 1;
    texts = calloc(n, sizeof(*texts));
    apps = calloc(n, sizeof(*apps));
    if (!texts || !apps) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    const struct jy_catalog *cat = jy_service_catalog(svc);
    for (size_t i = 0; i < r.count; i++) {
        if ((e = jy_store_application_by_id(r.conn, r.ids[i], a, err)) != JY_OK)
            goto out;
        struct row_text *x = &texts[i];
        struct jy_appno no;
        if (jy_appno_parse(a->number, strlen(a->number), &no, NULL) == JY_OK)
            jy_appno_display(&no, x->display);
        else
            jy_strlcpy(x->display, a->number, sizeof(x->display));
        jy_strlcpy(x->business_code, a->business_type, sizeof(x->business_code));
        jy_strlcpy(x->branch, a->branch_name_zh, sizeof(x->branch));
        if ((e = jy_store_user_display_name(r.conn, a->clerk_id, x->clerk, err)) != JY_OK)
            goto out;
        const struct jy_business_type *t =
            jy_catalog_find(cat, a->business_type, strlen(a->business_type));
        const char *station = NULL;
        enum jy_station st;
        if ((strcmp(a->state, "at_station") == 0 || strcmp(a->state, "correction") == 0) &&
            jy_station_parse(a->station, strlen(a->station), &st)) {
            const struct jy_catalog_station *cs = jy_catalog_station(cat, st);
            station = cs ? cs->name_zh : jy_station_name_zh(st);
        }
        struct jy_date due = {0, 0, 0};
        if (a->due_date[0] && !(t && t->counter_only))
            (void)jy_date_parse(a->due_date, strlen(a->due_date), &due, NULL);
        apps[i] = (struct jy_export_application){
            .number = x->display,
            .business_code = x->business_code,
            .business_name = t ? t->name_zh : x->business_code,
            .branch = x->branch,
            .state = state_zh(a->state),
            .station = station,
            .clerk = x->clerk,
            .accepted_at = a->accepted_at,
            .due_date = due,
            .fee_fen = a->fee_total_fen,
            .overdue = due.year != 0 && in_pipeline(a->state) && jy_date_compare(today, due) > 0,
        };
    }
    struct jy_export_station stations[JY__STATION_COUNT];
    char today_text[JY_DATE_TEXT_SIZE];
    jy_date_format(today, today_text);
    for (int s = 0; s < JY__STATION_COUNT; s++) {
        struct jy_store_station_figures f;
        if ((e = jy_store_report_station(r.conn, jy_station_code((enum jy_station)s), today_text,
                                         from, to, &f, err)) != JY_OK)
            goto out;
        const struct jy_catalog_station *cs = jy_catalog_station(cat, (enum jy_station)s);
        stations[s] = (struct jy_export_station){
            .station = cs ? cs->name_zh : jy_station_name_zh((enum jy_station)s),
            .waiting = f.waiting,
            .completed_today = f.completed,
            .overdue = f.overdue,
        };
    }
    char centre[256];
    if ((e = jy_receipts_centre_name(svc, r.conn, centre, sizeof(centre), err)) != JY_OK)
        goto out;
    struct jy_export_day d = {
        .centre = centre,
        .date = day,
        .generated_at = now,
        .applications = apps,
        .application_count = r.count,
        .stations = stations,
        .station_count = JY__STATION_COUNT,
    };
    if (format == JY_REPORT_XLSX) {
        e = jy_export_xlsx(&d, NULL, ret, ret_len, err);
    } else {
        char *csv = NULL;
        size_t len = 0;
        e = jy_export_csv(&d, table, &csv, &len, err);
        if (e == JY_OK) {
            *ret = (unsigned char *)csv;
            *ret_len = len;
        }
    }
out:
    free(apps);
    free(texts);
    free(r.ids);
    free(a);
    return e;
}
