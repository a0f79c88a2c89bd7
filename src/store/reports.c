/*
 * reports.c — reading for printed paper and exports: see reports.h.
 */
#include "reports.h"

#include <string.h>

#include <sqlite3.h>

#include "../banned.h"

static enum jy_err prepare_failed(struct jy_error *err)
{
    return err ? err->code : JY_INTERNAL;
}

enum jy_err jy_store_user_display_name(struct jy_store_conn *conn, int64_t user_id,
                                       char ret[JY_DISPLAY_NAME_MAX + 1], struct jy_error *err)
{
    static const char sql[] =
        "SELECT coalesce(nullif(display_name, ''), username) FROM users WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, user_id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        size_t n = t ? (size_t)sqlite3_column_bytes(st, 0) : 0;
        if (n > JY_DISPLAY_NAME_MAX)
            e = jy_error_set(err, JY_INTERNAL, "stored_value_too_long", "display_name",
                             "user %lld has a display name longer than %d bytes",
                             (long long)user_id, JY_DISPLAY_NAME_MAX);
        else {
            if (n)
                memcpy(ret, t, n);
            ret[n] = '\0';
        }
    } else if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no user %lld", (long long)user_id);
    } else {
        e = jy_store_sqlite_error(conn, rc, err);
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_report_accepted(struct jy_store_conn *conn, int64_t from, int64_t to,
                                     bool (*fn)(void *ctx, int64_t application_id), void *ctx,
                                     struct jy_error *err)
{
    static const char sql[] = "SELECT id FROM applications WHERE accepted_at >= ?1"
                              " AND accepted_at < ?2 ORDER BY accepted_at, id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!fn(ctx, sqlite3_column_int64(st, 0)))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_report_sealed(struct jy_store_conn *conn, int64_t from, int64_t to,
                                   bool (*fn)(void *ctx, int64_t application_id, int64_t sealed_at),
                                   void *ctx, struct jy_error *err)
{
    static const char sql[] = "SELECT application_id, min(at) AS sealed_at FROM events"
                              " WHERE to_state = 'sealed' AND at >= ?1 AND at < ?2"
                              " GROUP BY application_id ORDER BY sealed_at, application_id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* The one number `sql` selects. Its parameters are ?1 the station, ?2 today, ?3 from and ?4 to;
 * a statement names only those it uses, and only those are bound. */
static enum jy_err count(struct jy_store_conn *conn, const char *sql, const char *station,
                         const char *today, int64_t from, int64_t to, int64_t *ret,
                         struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    int p;
    if ((p = sqlite3_bind_parameter_index(st, "?1")) > 0)
        sqlite3_bind_text(st, p, station, -1, SQLITE_STATIC);
    if ((p = sqlite3_bind_parameter_index(st, "?2")) > 0)
        sqlite3_bind_text(st, p, today, -1, SQLITE_STATIC);
    if ((p = sqlite3_bind_parameter_index(st, "?3")) > 0)
        sqlite3_bind_int64(st, p, from);
    if ((p = sqlite3_bind_parameter_index(st, "?4")) > 0)
        sqlite3_bind_int64(st, p, to);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_int64(st, 0);
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e;
}

enum jy_err jy_store_report_station(struct jy_store_conn *conn, const char *station,
                                    const char *today, int64_t from, int64_t to,
                                    struct jy_store_station_figures *ret, struct jy_error *err)
{
    static const char waiting_sql[] =
        "SELECT count(*) FROM applications WHERE state = 'at_station' AND station = ?1";
    static const char overdue_sql[] = "SELECT count(*) FROM applications"
                                      " WHERE state = 'at_station' AND station = ?1"
                                      " AND due_date < ?2";
    /* Completing at a station moves the application on: to the next station, or out of the
     * route (sealed, completed). A return (correction) or a refusal is not a completion. */
    static const char completed_sql[] =
        "SELECT count(*) FROM events WHERE from_state = 'at_station' AND from_station = ?1"
        " AND at >= ?3 AND at < ?4 AND to_state NOT IN ('correction', 'refused', 'cancelled')"
        " AND (to_station IS NULL OR to_station <> ?1)";
    struct jy_store_station_figures f;
    enum jy_err e;
    if ((e = count(conn, waiting_sql, station, today, from, to, &f.waiting, err)) != JY_OK ||
        (e = count(conn, overdue_sql, station, today, from, to, &f.overdue, err)) != JY_OK ||
        (e = count(conn, completed_sql, station, today, from, to, &f.completed, err)) != JY_OK)
        return e;
    *ret = f;
    return JY_OK;
}
