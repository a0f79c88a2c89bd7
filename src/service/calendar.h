/*
 * calendar.h (service) — the holiday calendar an administrator keeps up to date while the
 * service runs: loading a year's official arrangement (the State Council's notice, published
 * each November for the next year), listing the years covered, and the warning that the next
 * year is missing.
 *
 * The calendar in force (jy_service_calendar) is the one built into the binary
 * (data/holidays.csv) with every year loaded into the store (store/calendar.h) in place of the
 * same year built in. A load is written to the store and then takes effect at once in this
 * process (jy_service_calendar_install); another process on the same database (a running
 * `serve` while `jingyou calendar import` writes) sees it when it next opens the service.
 *
 * The rules of a load:
 * - Who: an admin, or the system actor of a command. Others: JY_FORBIDDEN "forbidden".
 * - The text is a calendar CSV (core/calendar.h), checked whole by jy_calendar_load_csv() —
 *   its errors come back as they are, naming the line and the column — before anything is
 *   written. It must declare at least one year (JY_UNPROCESSABLE "no_year"), each declared year
 *   must list at least one off/work day (JY_UNPROCESSABLE "year_without_days", field "year"),
 *   and for a load of one given year every row must be of that year (JY_UNPROCESSABLE
 *   "year_mismatch", field "year").
 * - A year already in the calendar (built in, or loaded before) is only loaded again with
 *   `replace`; otherwise JY_CONFLICT "year_built_in" or "year_already_loaded" (field "year").
 * - All the file's years are written in one transaction, each as its own load, with the
 *   admin, the time and the notice the admin names (`source`, at most
 *   JY_CALENDAR_SOURCE_MAX_BYTES bytes: JY_TOO_LONG field "source"). Bad input writes nothing.
 * Every function may be called from any thread.
 */
#ifndef JY_SERVICE_CALENDAR_H
#define JY_SERVICE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "service/service.h"
#include "store/calendar.h"

/* Rebuild the calendar in force from the built-in one and the years loaded into the store, and
 * install it. Called by jy_service_open() and after every load. Errors: a stored year that no
 * longer loads (JY_INTERNAL "bad_stored_calendar", naming the year), the store's, JY_NOMEM. */
enum jy_err jy_calendar_years_reload(struct jy_service *svc, struct jy_error *err);

/* What a load did. */
struct jy_calendar_import_result {
    int years[16]; /* the years loaded, ascending */
    int nyears;
    int64_t days;  /* off/work rows loaded, over all the years */
    bool replaced; /* at least one year replaced one already in the calendar */
};

/* Load the calendar CSV `text` (`len` bytes, borrowed) by `actor`. `only_year` > 0 requires
 * every row to be of that year (the API's PUT /calendar/{year}); 0 takes the years the file
 * declares. `source` (borrowed, NULL or "" for none) names the notice. The rules are above. */
enum jy_err jy_calendar_years_import(struct jy_service *svc, const struct jy_actor *actor,
                                     const char *text, size_t len, int only_year,
                                     const char *source, bool replace,
                                     struct jy_calendar_import_result *ret, struct jy_error *err);

/* How far the calendar in force reaches from today (jy_service_now, Asia/Shanghai). */
struct jy_calendar_status {
    struct jy_date today;
    bool covered;                 /* today's year is covered */
    struct jy_date covered_until; /* the last covered day (jy_calendar_covered_until), when
                                     covered */
    int days_left;    /* days from today to the first day without calendar (covered_until + 1);
                         0 when today's year itself is not covered */
    int missing_year; /* the first year without calendar from today on */
    bool warn;        /* days_left <= JY_CALENDAR_WARN_DAYS: next year's notice is wanted now */
};

/* Fill `*ret` for today. Never fails. */
void jy_calendar_years_status(const struct jy_service *svc, struct jy_calendar_status *ret);

/* The warning of `st` as one sentence in Chinese then English, into `buf` (`size` bytes;
 * cut to fit): "2027 年节假日安排尚未导入，32 天后起无法计算办结时限 / The 2027 public holiday
 * arrangement has not been loaded: due dates cannot be computed from 32 days on". Returns `buf`.
 * Meaningful when st->warn. */
const char *jy_calendar_years_warning(const struct jy_calendar_status *st, char *buf, size_t size);

/* One year of the calendar in force. */
struct jy_calendar_year_info {
    int year;
    bool loaded;                        /* from the store; false: built into the binary */
    int64_t days;                       /* its off/work rows */
    struct jy_store_calendar_load load; /* when loaded: who, when, from which notice */
};

/* Each year of the calendar in force, in order: `fn(ctx, info)`; return false to stop. Any
 * logged-in role may look. Errors: the store's. */
enum jy_err jy_calendar_years_list(struct jy_service *svc,
                                   bool (*fn)(void *ctx, const struct jy_calendar_year_info *info),
                                   void *ctx, struct jy_error *err);

/* The /metrics collector (service/metrics.h's jy_metrics_collect_fn): gauge
 * jingyou_calendar_days_left, the days from today to the first day without calendar (0 when
 * today's year has none). Never fails. */
struct jy_prom;
enum jy_err jy_calendar_metrics(struct jy_service *svc, struct jy_store_conn *conn,
                                struct jy_prom *w, struct jy_error *err);

#endif /* JY_SERVICE_CALENDAR_H */
