/*
 * metrics.c — the collectors of /metrics: see metrics.h.
 */
#include "metrics.h"

#include <stdio.h>
#include <sys/stat.h>

#include "core/date.h"
#include "service/calendar.h"
#include "service/outbox.h"
#include "store/figures.h"
#include "../banned.h"

static enum jy_err collect_applications(struct jy_service *svc, struct jy_store_conn *conn,
                                        struct jy_prom *w, struct jy_error *err)
{
    struct jy_store_totals t;
    enum jy_err e = jy_store_figures_totals(conn, jy_service_now(svc), &t, err);
    if (e != JY_OK)
        return e;
    jy_prom_family(w, "jingyou_applications_accepted_total", "counter",
                   "Applications accepted, since the database was made");
    jy_prom_sample_int(w, "jingyou_applications_accepted_total", NULL, t.applications);
    jy_prom_family(w, "jingyou_leases_held", "gauge",
                   "Applications leased to an operator, lease not lapsed");
    jy_prom_sample_int(w, "jingyou_leases_held", NULL, t.leases_held);
    return JY_OK;
}

struct backlog_ctx {
    struct jy_prom *w;
    bool overdue;
};

static bool on_station(void *ctx, const struct jy_store_backlog *b)
{
    struct backlog_ctx *c = ctx;
    const char *labels[] = {"station", b->station, NULL};
    jy_prom_sample_int(c->w, c->overdue ? "jingyou_station_overdue" : "jingyou_station_backlog",
                       labels, c->overdue ? b->overdue : b->waiting);
    return true;
}

static enum jy_err collect_backlog(struct jy_service *svc, struct jy_store_conn *conn,
                                   struct jy_prom *w, struct jy_error *err)
{
    int64_t now = jy_service_now(svc);
    char today[JY_DATE_TEXT_SIZE];
    jy_date_format(jy_date_from_unix_shanghai(now), today);
    struct backlog_ctx c = {w, false};
    jy_prom_family(w, "jingyou_station_backlog", "gauge", "Applications waiting at each station");
    enum jy_err e = jy_store_figures_backlog(conn, today, now, on_station, &c, err);
    if (e != JY_OK)
        return e;
    c.overdue = true;
    jy_prom_family(w, "jingyou_station_overdue", "gauge",
                   "Applications waiting at each station past their due date");
    return jy_store_figures_backlog(conn, today, now, on_station, &c, err);
}

static enum jy_err collect_database(struct jy_service *svc, struct jy_store_conn *conn,
                                    struct jy_prom *w, struct jy_error *err)
{
    struct jy_store_totals t;
    enum jy_err e = jy_store_figures_totals(conn, jy_service_now(svc), &t, err);
    if (e != JY_OK)
        return e;
    char wal[4200];
    struct stat st;
    int64_t wal_bytes = 0;
    snprintf(wal, sizeof(wal), "%s-wal", jy_store_path(jy_service_store(svc)));
    if (stat(wal, &st) == 0)
        wal_bytes = (int64_t)st.st_size;
    jy_prom_family(w, "jingyou_database_bytes", "gauge", "Size of the database file, bytes");
    jy_prom_sample_int(w, "jingyou_database_bytes", NULL, t.db_bytes);
    jy_prom_family(w, "jingyou_database_wal_bytes", "gauge",
                   "Size of the database's write-ahead log, bytes");
    jy_prom_sample_int(w, "jingyou_database_wal_bytes", NULL, wal_bytes);
    jy_prom_family(w, "jingyou_s10_numbers_left", "gauge",
                   "EMS item numbers (S10) left over the centre's ranges");
    jy_prom_sample_int(w, "jingyou_s10_numbers_left", NULL, t.s10_left);
    return JY_OK;
}

static enum jy_err collect_outbox(struct jy_service *svc, struct jy_store_conn *conn,
                                  struct jy_prom *w, struct jy_error *err)
{
    (void)conn;
    int64_t depth;
    enum jy_err e = jy_outbox_depth(svc, &depth, err);
    if (e != JY_OK)
        return e;
    jy_prom_family(w, "jingyou_outbox_depth", "gauge",
                   "Text messages waiting in the outbox (neither sent nor dead)");
    jy_prom_sample_int(w, "jingyou_outbox_depth", NULL, depth);
    return JY_OK;
}

/*
 * The registry: every collector of /metrics, in the order of the output. To show a module's
 * figures, add one line {"name", function} here (e.g. the SMS outbox's depth, the bags in
 * transit); the function writes its own families (HELP, TYPE, samples) with core/prom.h.
 */
static const struct {
    const char *name;
    jy_metrics_collect_fn *fn;
} collectors[] = {
    {"applications", collect_applications},
    {"stations", collect_backlog},
    {"database", collect_database},
    {"outbox", collect_outbox},
    /* days of holiday calendar left (service/calendar.h) */
    {"calendar", jy_calendar_metrics},
};

enum jy_err jy_metrics_collect(struct jy_service *svc, struct jy_prom *w, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    for (size_t i = 0; e == JY_OK && i < sizeof(collectors) / sizeof(collectors[0]); i++)
        e = collectors[i].fn(svc, conn, w, err);
    return e;
}
