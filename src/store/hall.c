/*
 * hall.c — the hall queue's tables: see hall.h.
 */
#include "hall.h"

#include <string.h>

#include "rows.h"
#include "../banned.h"

#define TICKET_COLUMNS                                                                             \
    "id, day, category, seq, number, status, issued_at, queued_at,"                                \
    " coalesce(first_called_at, 0), coalesce(called_at, 0), coalesce(window, 0),"                  \
    " coalesce(staff_user_id, 0), recalls, coalesce(started_at, 0), coalesce(finished_at, 0),"     \
    " coalesce(skipped_at, 0), coalesce(call_seq, 0), queue_seq"

static enum jy_err read_ticket(sqlite3_stmt *st, struct jy_store_hall_ticket *t,
                               struct jy_error *err)
{
    memset(t, 0, sizeof(*t));
    t->id = sqlite3_column_int64(st, 0);
    if (!jy__store_column_text(st, 1, t->day, sizeof(t->day)) ||
        !jy__store_column_text(st, 2, t->category, sizeof(t->category)) ||
        !jy__store_column_text(st, 4, t->number, sizeof(t->number)) ||
        !jy__store_column_text(st, 5, t->status, sizeof(t->status)))
        return jy__store_stored_too_long(err, "hall_tickets");
    t->seq = sqlite3_column_int64(st, 3);
    t->issued_at = sqlite3_column_int64(st, 6);
    t->queued_at = sqlite3_column_int64(st, 7);
    t->first_called_at = sqlite3_column_int64(st, 8);
    t->called_at = sqlite3_column_int64(st, 9);
    t->window = sqlite3_column_int(st, 10);
    t->staff_user_id = sqlite3_column_int64(st, 11);
    t->recalls = sqlite3_column_int64(st, 12);
    t->started_at = sqlite3_column_int64(st, 13);
    t->finished_at = sqlite3_column_int64(st, 14);
    t->skipped_at = sqlite3_column_int64(st, 15);
    t->call_seq = sqlite3_column_int64(st, 16);
    t->queue_seq = sqlite3_column_int64(st, 17);
    return JY_OK;
}

/* A jy__store_row_fn: the ticket into the struct jy_store_hall_ticket at `ctx`, which is left
 * as it was when the ticket cannot be read. */
static enum jy_err ticket_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)ret_more;
    struct jy_store_hall_ticket t;
    enum jy_err e = read_ticket(st, &t, err);
    if (e == JY_OK)
        *(struct jy_store_hall_ticket *)ctx = t;
    return e;
}

/* Step `st` for at most one ticket. */
static enum jy_err one_ticket(struct jy_store_conn *conn, sqlite3_stmt *st,
                              struct jy_store_hall_ticket *ret, bool *ret_found,
                              struct jy_error *err)
{
    return jy__store_one_row(conn, st, ticket_row, ret, ret_found, err);
}

/* Rows read into an array of `max`: a row past the last slot ends the walk unread. */
struct category_fill {
    struct jy_store_hall_category *ret;
    size_t max, n;
};

static enum jy_err category_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    struct category_fill *f = ctx;
    if (f->n >= f->max) {
        *ret_more = false;
        return JY_OK;
    }
    struct jy_store_hall_category *c = &f->ret[f->n];
    memset(c, 0, sizeof(*c));
    if (!jy__store_column_text(st, 0, c->code, sizeof(c->code)) ||
        !jy__store_column_text(st, 1, c->prefix, sizeof(c->prefix)) ||
        !jy__store_column_text(st, 2, c->name_zh, sizeof(c->name_zh)) ||
        !jy__store_column_text(st, 3, c->name_en, sizeof(c->name_en)))
        return jy__store_stored_too_long(err, "hall_categories");
    c->sort = sqlite3_column_int(st, 4);
    c->active = sqlite3_column_int(st, 5) != 0;
    f->n++;
    return JY_OK;
}

enum jy_err jy_store_hall_categories(struct jy_store_conn *conn, struct jy_store_hall_category *ret,
                                     size_t max, size_t *ret_n, struct jy_error *err)
{
    static const char sql[] = "SELECT code, prefix, name_zh, name_en, sort, active"
                              " FROM hall_categories ORDER BY sort, code";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    struct category_fill f = {ret, max, 0};
    enum jy_err e = jy__store_each_row(conn, st, category_row, &f, err);
    if (e == JY_OK)
        *ret_n = f.n;
    return e;
}

static enum jy_err read_window(sqlite3_stmt *st, struct jy_store_hall_window *w,
                               struct jy_error *err)
{
    memset(w, 0, sizeof(*w));
    w->number = sqlite3_column_int(st, 0);
    if (!jy__store_column_text(st, 1, w->name_zh, sizeof(w->name_zh)) ||
        !jy__store_column_text(st, 2, w->name_en, sizeof(w->name_en)) ||
        !jy__store_column_text(st, 3, w->categories, sizeof(w->categories)) ||
        !jy__store_column_text(st, 5, w->staff_username, sizeof(w->staff_username)) ||
        !jy__store_column_text(st, 6, w->staff_display_name, sizeof(w->staff_display_name)))
        return jy__store_stored_too_long(err, "hall_windows");
    w->staff_user_id = sqlite3_column_int64(st, 4);
    w->staffed_at = sqlite3_column_int64(st, 7);
    return JY_OK;
}

/* Rows read into an array of `max`: a row past the last slot ends the walk unread. */
struct window_fill {
    struct jy_store_hall_window *ret;
    size_t max, n;
};

static enum jy_err window_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    struct window_fill *f = ctx;
    if (f->n >= f->max) {
        *ret_more = false;
        return JY_OK;
    }
    enum jy_err e = read_window(st, &f->ret[f->n], err);
    if (e == JY_OK)
        f->n++;
    return e;
}

/* A jy__store_row_fn: the window into the struct jy_store_hall_window at `ctx`, which is left as
 * it was when the window cannot be read. */
static enum jy_err one_window_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)ret_more;
    struct jy_store_hall_window w;
    enum jy_err e = read_window(st, &w, err);
    if (e == JY_OK)
        *(struct jy_store_hall_window *)ctx = w;
    return e;
}

enum jy_err jy_store_hall_windows(struct jy_store_conn *conn, struct jy_store_hall_window *ret,
                                  size_t max, size_t *ret_n, struct jy_error *err)
{
    static const char sql[] =
        "SELECT w.number, w.name_zh, w.name_en, w.categories, coalesce(w.staff_user_id, 0),"
        " coalesce(u.username, ''), coalesce(u.display_name, ''), coalesce(w.staffed_at, 0)"
        " FROM hall_windows w LEFT JOIN users u ON u.id = w.staff_user_id ORDER BY w.number";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    struct window_fill f = {ret, max, 0};
    enum jy_err e = jy__store_each_row(conn, st, window_row, &f, err);
    if (e == JY_OK)
        *ret_n = f.n;
    return e;
}

enum jy_err jy_store_hall_window_get(struct jy_store_conn *conn, int number,
                                     struct jy_store_hall_window *ret, struct jy_error *err)
{
    static const char sql[] =
        "SELECT w.number, w.name_zh, w.name_en, w.categories, coalesce(w.staff_user_id, 0),"
        " coalesce(u.username, ''), coalesce(u.display_name, ''), coalesce(w.staffed_at, 0)"
        " FROM hall_windows w LEFT JOIN users u ON u.id = w.staff_user_id WHERE w.number = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int(st, 1, number);
    bool found = false;
    enum jy_err e = jy__store_one_row(conn, st, one_window_row, ret, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "no_such_window", "window", "no window %d", number);
    return e;
}

enum jy_err jy_store_hall_window_put(struct jy_store_conn *conn,
                                     const struct jy_store_hall_window *w, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO hall_windows (number, name_zh, name_en, categories) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (number) DO UPDATE SET name_zh = excluded.name_zh,"
        " name_en = excluded.name_en, categories = excluded.categories";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int(st, 1, w->number);
    sqlite3_bind_text(st, 2, w->name_zh, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, w->name_en, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, w->categories, -1, SQLITE_TRANSIENT);
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_hall_window_staff(struct jy_store_conn *conn, int number, int64_t user_id,
                                       int64_t at, struct jy_error *err)
{
    static const char sql[] =
        "UPDATE hall_windows SET staff_user_id = ?2, staffed_at = ?3 WHERE number = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int(st, 1, number);
    if (user_id) {
        sqlite3_bind_int64(st, 2, user_id);
        sqlite3_bind_int64(st, 3, at);
    }
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_hall_ticket_insert(struct jy_store_conn *conn,
                                        const struct jy_store_hall_ticket *t, int64_t *ret_id,
                                        struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO hall_tickets (day, category, seq, number, status, issued_at, queued_at,"
        " queue_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, t->day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, t->category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, t->seq);
    sqlite3_bind_text(st, 4, t->number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, t->status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, t->issued_at);
    sqlite3_bind_int64(st, 7, t->queued_at);
    sqlite3_bind_int64(st, 8, t->queue_seq);
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return e;
}

enum jy_err jy_store_hall_ticket_update(struct jy_store_conn *conn,
                                        const struct jy_store_hall_ticket *t, struct jy_error *err)
{
    static const char sql[] =
        "UPDATE hall_tickets SET status = ?2, queued_at = ?3, first_called_at = ?4,"
        " called_at = ?5, window = ?6, staff_user_id = ?7, recalls = ?8, started_at = ?9,"
        " finished_at = ?10, skipped_at = ?11, call_seq = ?12, queue_seq = ?13 WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, t->id);
    sqlite3_bind_text(st, 2, t->status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, t->queued_at);
    jy__store_bind_int64_or_null(st, 4, t->first_called_at);
    jy__store_bind_int64_or_null(st, 5, t->called_at);
    jy__store_bind_int64_or_null(st, 6, t->window);
    jy__store_bind_int64_or_null(st, 7, t->staff_user_id);
    sqlite3_bind_int64(st, 8, t->recalls);
    jy__store_bind_int64_or_null(st, 9, t->started_at);
    jy__store_bind_int64_or_null(st, 10, t->finished_at);
    jy__store_bind_int64_or_null(st, 11, t->skipped_at);
    jy__store_bind_int64_or_null(st, 12, t->call_seq);
    sqlite3_bind_int64(st, 13, t->queue_seq);
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_hall_ticket_get(struct jy_store_conn *conn, const char *day,
                                     const char *number, struct jy_store_hall_ticket *ret,
                                     struct jy_error *err)
{
    static const char sql[] =
        "SELECT " TICKET_COLUMNS " FROM hall_tickets WHERE day = ?1 AND number = ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, number, -1, SQLITE_TRANSIENT);
    bool found = false;
    enum jy_err e = one_ticket(conn, st, ret, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "no_such_ticket", "ticket", "no ticket %s on %s",
                         number, day);
    return e;
}

enum jy_err jy_store_hall_ticket_at_window(struct jy_store_conn *conn, const char *day, int window,
                                           struct jy_store_hall_ticket *ret, bool *ret_found,
                                           struct jy_error *err)
{
    static const char sql[] = "SELECT " TICKET_COLUMNS " FROM hall_tickets"
                              " WHERE day = ?1 AND window = ?2 AND status IN ('called', 'serving')"
                              " ORDER BY called_at DESC, id DESC LIMIT 1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, window);
    return one_ticket(conn, st, ret, ret_found, err);
}

enum jy_err jy_store_hall_next_waiting(struct jy_store_conn *conn, const char *day,
                                       const char *category, struct jy_store_hall_ticket *ret,
                                       bool *ret_found, struct jy_error *err)
{
    static const char sql[] = "SELECT " TICKET_COLUMNS " FROM hall_tickets"
                              " WHERE day = ?1 AND category = ?2 AND status = 'waiting'"
                              " ORDER BY queue_seq LIMIT 1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, category, -1, SQLITE_TRANSIENT);
    return one_ticket(conn, st, ret, ret_found, err);
}

enum jy_err jy_store_hall_waiting_ahead(struct jy_store_conn *conn, const char *day,
                                        const char *category, int64_t queue_seq, int64_t *ret,
                                        struct jy_error *err)
{
    static const char sql[] = "SELECT count(*) FROM hall_tickets WHERE day = ?1 AND category = ?2"
                              " AND status = 'waiting' AND queue_seq < ?3";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, queue_seq);
    return jy__store_step_int64(conn, st, ret, err);
}

struct ticket_walk {
    jy_store_hall_ticket_fn *fn;
    void *ctx;
};

static enum jy_err walk_ticket_row(void *ctx, sqlite3_stmt *st, bool *ret_more,
                                   struct jy_error *err)
{
    const struct ticket_walk *w = ctx;
    struct jy_store_hall_ticket t;
    enum jy_err e = read_ticket(st, &t, err);
    if (e == JY_OK)
        *ret_more = w->fn(w->ctx, &t);
    return e;
}

/* Run `st` and hand each ticket to `fn`. */
static enum jy_err each_ticket(struct jy_store_conn *conn, sqlite3_stmt *st,
                               jy_store_hall_ticket_fn *fn, void *ctx, struct jy_error *err)
{
    struct ticket_walk w = {fn, ctx};
    return jy__store_each_row(conn, st, walk_ticket_row, &w, err);
}

enum jy_err jy_store_hall_tickets_of_day(struct jy_store_conn *conn, const char *day,
                                         jy_store_hall_ticket_fn *fn, void *ctx,
                                         struct jy_error *err)
{
    static const char sql[] =
        "SELECT " TICKET_COLUMNS " FROM hall_tickets WHERE day = ?1 ORDER BY id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    return each_ticket(conn, st, fn, ctx, err);
}

enum jy_err jy_store_hall_recent_calls(struct jy_store_conn *conn, const char *day, size_t limit,
                                       jy_store_hall_ticket_fn *fn, void *ctx, struct jy_error *err)
{
    static const char sql[] = "SELECT " TICKET_COLUMNS " FROM hall_tickets"
                              " WHERE day = ?1 AND called_at IS NOT NULL"
                              " ORDER BY call_seq DESC LIMIT ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    return each_ticket(conn, st, fn, ctx, err);
}
