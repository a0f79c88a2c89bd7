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

/* A walk's row, handed to the caller's function. */
struct cohort_walk {
    bool (*fn)(void *ctx, const struct jy_store_cohort_row *r);
    void *ctx;
};

static enum jy_err cohort_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)err;
    const struct cohort_walk *w = ctx;
    struct jy_store_cohort_row r = {
        .accepted_at = sqlite3_column_int64(st, 0),
        .branch_id = sqlite3_column_int64(st, 1),
        .business_type = jy__store_column_text_or_empty(st, 2),
        .clerk_id = sqlite3_column_int64(st, 3),
        .state = jy__store_column_text_or_empty(st, 4),
        .due_date = jy__store_column_text_or_empty(st, 5),
        .finished_at = sqlite3_column_int64(st, 6),
        .corrections = sqlite3_column_int64(st, 7),
    };
    *ret_more = w->fn(w->ctx, &r);
    return JY_OK;
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
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    struct cohort_walk w = {fn, ctx};
    return jy__store_each_row(conn, st, cohort_row, &w, err);
}

struct work_walk {
    bool (*fn)(void *ctx, const struct jy_store_work_row *r);
    void *ctx;
};

static enum jy_err work_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)err;
    const struct work_walk *w = ctx;
    struct jy_store_work_row r = {
        .from_state = jy__store_column_text_or_empty(st, 0),
        .from_station = jy__store_column_text_or_empty(st, 1),
        .to_state = jy__store_column_text_or_empty(st, 2),
        .to_station = jy__store_column_text_or_empty(st, 3),
        .reason = jy__store_column_text_or_empty(st, 4),
        .actor_id = sqlite3_column_int64(st, 5),
        .count = sqlite3_column_int64(st, 6),
    };
    *ret_more = w->fn(w->ctx, &r);
    return JY_OK;
}

/* Walk `st`, whose ?1 and ?2 are the days bound SQLITE_STATIC, and let go of the days. */
static enum jy_err walk_days(struct jy_store_conn *conn, sqlite3_stmt *st, const char *from_day,
                             const char *to_day, jy__store_row_fn *row, void *ctx,
                             struct jy_error *err)
{
    sqlite3_bind_text(st, 1, from_day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to_day, -1, SQLITE_STATIC);
    enum jy_err e = jy__store_each_row(conn, st, row, ctx, err);
    sqlite3_clear_bindings(st);
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
        return jy__store_prepare_failed(err);
    struct work_walk w = {fn, ctx};
    return walk_days(conn, st, from_day, to_day, work_row, &w, err);
}

struct fines_walk {
    bool (*fn)(void *ctx, const struct jy_store_fines_row *r);
    void *ctx;
};

static enum jy_err fines_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)err;
    const struct fines_walk *w = ctx;
    struct jy_store_fines_row r = {
        .paid_date = jy__store_column_text_or_empty(st, 0),
        .branch_id = sqlite3_column_int64(st, 1),
        .count = sqlite3_column_int64(st, 2),
        .fine_fen = sqlite3_column_int64(st, 3),
        .surcharge_fen = sqlite3_column_int64(st, 4),
        .amount_fen = sqlite3_column_int64(st, 5),
    };
    *ret_more = w->fn(w->ctx, &r);
    return JY_OK;
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
        return jy__store_prepare_failed(err);
    struct fines_walk w = {fn, ctx};
    return walk_days(conn, st, from_day, to_day, fines_row, &w, err);
}

struct backlog_walk {
    bool (*fn)(void *ctx, const struct jy_store_backlog *b);
    void *ctx;
};

static enum jy_err backlog_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)err;
    const struct backlog_walk *w = ctx;
    struct jy_store_backlog b = {
        .station = jy__store_column_text_or_empty(st, 0),
        .waiting = sqlite3_column_int64(st, 1),
        .leased = sqlite3_column_int64(st, 2),
        .overdue = sqlite3_column_int64(st, 3),
        .due_today = sqlite3_column_int64(st, 4),
        .oldest_accepted_at = sqlite3_column_int64(st, 5),
    };
    *ret_more = w->fn(w->ctx, &b);
    return JY_OK;
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
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    struct backlog_walk w = {fn, ctx};
    enum jy_err e = jy__store_each_row(conn, st, backlog_row, &w, err);
    sqlite3_clear_bindings(st);
    return e;
}

/* The one integer `sql` selects (NULL reads as 0), with ?1 bound to `p1`. */
static enum jy_err one_int(struct jy_store_conn *conn, const char *sql, int64_t p1, int64_t *ret,
                           struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, p1);
    return jy__store_step_int64(conn, st, ret, err);
}

enum jy_err jy_store_figures_totals(struct jy_store_conn *conn, int64_t now,
                                    struct jy_store_totals *ret, struct jy_error *err)
{
    struct jy_store_totals t;
    int64_t pages = 0, page_size = 0;
    enum jy_err e;
    if ((e = one_int(conn, "SELECT count(*) FROM applications", 0, &t.applications, err)) ||
        (e = one_int(conn,
                     "SELECT count(*) FROM applications WHERE lease_user_id IS NOT NULL"
                     " AND lease_expires_at > ?1",
                     now, &t.leases_held, err)) ||
        (e = one_int(conn, "PRAGMA page_count", 0, &pages, err)) ||
        (e = one_int(conn, "PRAGMA page_size", 0, &page_size, err)) ||
        (e = jy_store_s10_left(conn, &t.s10_left, err)))
        return e;
    t.db_bytes = pages * page_size;
    *ret = t;
    return JY_OK;
}

/* The user's two names, read into the buffers of jy_store_figures_user(). */
struct user_names {
    char *username, *display_name;
};

static enum jy_err user_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)ret_more;
    const struct user_names *u = ctx;
    if (!jy__store_column_text(st, 0, u->username, 33) ||
        !jy__store_column_text(st, 1, u->display_name, 121))
        return jy__store_stored_too_long(err, "users");
    return JY_OK;
}

enum jy_err jy_store_figures_user(struct jy_store_conn *conn, int64_t id, char username[33],
                                  char display_name[121], struct jy_error *err)
{
    static const char sql[] = "SELECT username, coalesce(display_name, username) FROM users"
                              " WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    struct user_names u = {username, display_name};
    bool found = false;
    enum jy_err e = jy__store_one_row(conn, st, user_row, &u, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no user %lld", (long long)id);
    return e;
}
