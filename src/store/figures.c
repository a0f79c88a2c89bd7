/*
 * figures.c — reading for the dashboard, the reports and /metrics: see figures.h.
 */
#include "figures.h"
#include "store/custody.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rows.h"
#include "../banned.h"

static enum jy_err prepare_failed(struct jy_error *err)
{
    return err ? err->code : JY_INTERNAL;
}

static const char *text_or_empty(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

enum jy_err jy_store_figures_cohort(struct jy_store_conn *conn, int64_t from, int64_t to,
                                    bool (*fn)(void *ctx, const struct jy_store_cohort_row *r),
                                    void *ctx, struct jy_error *err)
{
    /* Every column is in applications_report: the scan reads the index only. */
    static const char sql[] =
        "SELECT accepted_at, branch_id, business_type, clerk_id, state, due_date,"
        " finished_at, corrections FROM applications INDEXED BY applications_report"
        " WHERE accepted_at >= ?1 AND accepted_at < ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_cohort_row r = {
            .accepted_at = sqlite3_column_int64(st, 0),
            .branch_id = sqlite3_column_int64(st, 1),
            .business_type = text_or_empty(st, 2),
            .clerk_id = sqlite3_column_int64(st, 3),
            .state = text_or_empty(st, 4),
            .due_date = text_or_empty(st, 5),
            .finished_at = sqlite3_column_int64(st, 6),
            .corrections = sqlite3_column_int64(st, 7),
        };
        if (!fn(ctx, &r))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_figures_work(struct jy_store_conn *conn, const char *from_day,
                                  const char *to_day,
                                  bool (*fn)(void *ctx, const struct jy_store_work_row *r),
                                  void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT from_state, from_station, to_state, to_station, reason, actor_id, sum(n)"
        " FROM work_counts WHERE day >= ?1 AND day <= ?2 GROUP BY 1, 2, 3, 4, 5, 6";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, from_day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to_day, -1, SQLITE_STATIC);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_work_row r = {
            .from_state = text_or_empty(st, 0),
            .from_station = text_or_empty(st, 1),
            .to_state = text_or_empty(st, 2),
            .to_station = text_or_empty(st, 3),
            .reason = text_or_empty(st, 4),
            .actor_id = sqlite3_column_int64(st, 5),
            .count = sqlite3_column_int64(st, 6),
        };
        if (!fn(ctx, &r))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e;
}

enum jy_err jy_store_figures_fines(struct jy_store_conn *conn, const char *from_day,
                                   const char *to_day,
                                   bool (*fn)(void *ctx, const struct jy_store_fines_row *r),
                                   void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT paid_date, branch_id, count(*), sum(fine_fen), sum(surcharge_fen),"
        " sum(amount_fen) FROM fine_payments INDEXED BY fine_payments_day"
        " WHERE paid_date >= ?1 AND paid_date <= ?2 AND reversed_at IS NULL"
        " GROUP BY paid_date, branch_id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, from_day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to_day, -1, SQLITE_STATIC);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_fines_row r = {
            .paid_date = text_or_empty(st, 0),
            .branch_id = sqlite3_column_int64(st, 1),
            .count = sqlite3_column_int64(st, 2),
            .fine_fen = sqlite3_column_int64(st, 3),
            .surcharge_fen = sqlite3_column_int64(st, 4),
            .amount_fen = sqlite3_column_int64(st, 5),
        };
        if (!fn(ctx, &r))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e;
}

enum jy_err jy_store_figures_backlog(struct jy_store_conn *conn, const char *today, int64_t now,
                                     bool (*fn)(void *ctx, const struct jy_store_backlog *b),
                                     void *ctx, struct jy_error *err)
{
    /* The queue index (state, station, due_date, id) answers this without the table, but for
     * the acceptance time and the lease of the waiting items, which are few. */
    static const char sql[] =
        "SELECT station, count(*), sum(lease_expires_at IS NOT NULL AND lease_expires_at > ?2),"
        " sum(due_date < ?1), sum(due_date = ?1), min(accepted_at) FROM applications"
        " WHERE state = 'at_station' GROUP BY station ORDER BY station";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_backlog b = {
            .station = text_or_empty(st, 0),
            .waiting = sqlite3_column_int64(st, 1),
            .leased = sqlite3_column_int64(st, 2),
            .overdue = sqlite3_column_int64(st, 3),
            .due_today = sqlite3_column_int64(st, 4),
            .oldest_accepted_at = sqlite3_column_int64(st, 5),
        };
        if (!fn(ctx, &b))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e;
}

/* The one integer `sql` selects (NULL reads as `null_value`), with ?1 bound to `p1`. */
static enum jy_err one_int(struct jy_store_conn *conn, const char *sql, int64_t p1,
                           int64_t null_value, int64_t *ret, struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, p1);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_type(st, 0) == SQLITE_NULL ? null_value : sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        *ret = null_value;
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_figures_totals(struct jy_store_conn *conn, int64_t now,
                                    struct jy_store_totals *ret, struct jy_error *err)
{
    struct jy_store_totals t;
    int64_t pages = 0, page_size = 0;
    enum jy_err e;
    if ((e = one_int(conn, "SELECT count(*) FROM applications", 0, 0, &t.applications, err)) ||
        (e = one_int(conn,
                     "SELECT count(*) FROM applications WHERE lease_user_id IS NOT NULL"
                     " AND lease_expires_at > ?1",
                     now, 0, &t.leases_held, err)) ||
        (e = one_int(conn, "PRAGMA page_count", 0, 0, &pages, err)) ||
        (e = one_int(conn, "PRAGMA page_size", 0, 0, &page_size, err)) ||
        (e = jy_store_s10_left(conn, &t.s10_left, err)))
        return e;
    t.db_bytes = pages * page_size;
    *ret = t;
    return JY_OK;
}

enum jy_err jy_store_figures_user(struct jy_store_conn *conn, int64_t id, char username[33],
                                  char display_name[121], struct jy_error *err)
{
    static const char sql[] = "SELECT username, coalesce(display_name, username) FROM users"
                              " WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (!jy__store_column_text(st, 0, username, 33) ||
            !jy__store_column_text(st, 1, display_name, 121))
            e = jy__store_stored_too_long(err, "users");
    } else if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no user %lld", (long long)id);
    } else {
        e = jy_store_sqlite_error(conn, rc, err);
    }
    sqlite3_reset(st);
    return e;
}
