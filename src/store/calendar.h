/*
 * calendar.h (store) — the calendar years an administrator loaded at run time: the State
 * Council's notice for a year that the calendar built into the binary (data/holidays.csv) does
 * not have yet, or corrects.
 *
 * Table calendar_years (migration 9) is an append-only log of loads: every load is a new row
 * and no row is ever changed or deleted (triggers refuse it), so the rows are the record of who
 * loaded what, when, and from which notice. The year in force is the newest row of that year;
 * a load with replace adds a newer row, the older one stays as history.
 *
 * The rows are hash-chained like the event log (audit.h), in one chain of their own, because
 * a load is an administrator's action on no application and the event chain is one of
 * applications' changes of state:
 *
 *     hash = SHA-256(prev_hash || canonical(load))
 *
 * canonical(load) is "jy-calendar-1", id, year, days, csv, source, loaded_by, loaded_by_name,
 * loaded_at, each written as in audit.h (NULL "~", else "<bytes>:<value>,"; loaded_by NULL for
 * the system). jy_store_calendar_verify() recomputes it.
 *
 * Thread-safety: the functions use the calling thread's connection `conn`.
 */
#ifndef JY_STORE_CALENDAR_H
#define JY_STORE_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "../limits.h"
#include "store.h"

/* One load, as stored (without its CSV). */
struct jy_store_calendar_load {
    int64_t id;              /* calendar_years.id, the order of loads */
    int year;                /* the year loaded */
    int64_t days;            /* its off/work rows */
    int64_t loaded_by;       /* users.id of the admin; 0: the system (`jingyou calendar import`) */
    char loaded_by_name[33]; /* the admin's username, or "system" */
    int64_t loaded_at;       /* UTC seconds */
    char source[JY_CALENDAR_SOURCE_MAX_BYTES + 1]; /* the notice the admin named, or "" */
};

/* Append a load of `year`: `csv` (`csv_len` bytes; the header and that year's rows, as
 * jy_calendar_year_rows() writes them), `days` its off/work rows, `source` (borrowed, at most
 * JY_CALENDAR_SOURCE_MAX_BYTES, "" for none), the admin `loaded_by` (0: system) and their
 * `loaded_by_name`, at `at` (UTC seconds). Must run inside the caller's transaction. Sets
 * `*ret_id`. Errors: JY_INTERNAL when no transaction is open; JY_TOO_LONG (field "source");
 * JY_CONFLICT "foreign_key" for an unknown user; JY_IO. */
enum jy_err jy_store_calendar_append(struct jy_store_conn *conn, int year, const char *csv,
                                     size_t csv_len, int64_t days, const char *source,
                                     int64_t loaded_by, const char *loaded_by_name, int64_t at,
                                     int64_t *ret_id, struct jy_error *err);

/* Called once per year in force, by year: the load and its CSV (borrowed for the call).
 * Return false to stop. */
typedef bool jy_store_calendar_each_fn(void *ctx, const struct jy_store_calendar_load *load,
                                       const char *csv, size_t csv_len);

/* The load in force of each loaded year (the newest row of the year), in year order.
 * Errors: JY_IO; JY_INTERNAL "stored_value_too_long". */
enum jy_err jy_store_calendar_current(struct jy_store_conn *conn, jy_store_calendar_each_fn *fn,
                                      void *ctx, struct jy_error *err);

/* Walk the chain of loads as audit.h's jy_store_audit_verify() walks events: JY_OK with
 * `*ret_checked` loads when intact; JY_CONFLICT "chain_broken" with `*ret_broken_id` the first
 * wrong row otherwise; JY_IO. */
enum jy_err jy_store_calendar_verify(struct jy_store_conn *conn, int64_t *ret_checked,
                                     int64_t *ret_broken_id, struct jy_error *err);

#endif /* JY_STORE_CALENDAR_H */
