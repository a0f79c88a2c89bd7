/*
 * rows.c — binding values and reading rows: see rows.h.
 */
#include "rows.h"

#include <string.h>

#include "../banned.h"

int jy__store_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

bool jy__store_column_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= size) {
        buf[0] = '\0';
        return false;
    }
    if (n)
        memcpy(buf, t, n);
    buf[n] = '\0';
    return true;
}

enum jy_err jy__store_step_done(struct jy_store_conn *conn, sqlite3_stmt *st, struct jy_error *err)
{
    int rc = sqlite3_step(st);
    enum jy_err e = rc == SQLITE_DONE ? JY_OK : jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy__store_check_len(const char *s, size_t max, const char *field, struct jy_error *err)
{
    if (s && strnlen(s, max + 1) > max)
        return jy_error_set(err, JY_TOO_LONG, "too_long", field, "%s is longer than %zu bytes",
                            field, max);
    return JY_OK;
}

enum jy_err jy__store_stored_too_long(struct jy_error *err, const char *table)
{
    return jy_error_set(err, JY_INTERNAL, "stored_value_too_long", NULL,
                        "a value in table %s is longer or other than this program allows", table);
}

enum jy_err jy__store_prepare_failed(struct jy_error *err)
{
    return err ? err->code : JY_INTERNAL;
}

enum jy_err jy__store_need_transaction(struct jy_store_conn *conn, const char *what,
                                       struct jy_error *err)
{
    if (!jy_store_in_transaction(conn))
        return jy_error_set(err, JY_INTERNAL, "no_transaction", NULL,
                            "%s must run inside a transaction", what);
    return JY_OK;
}

int jy__store_bind_int64_or_null(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        return sqlite3_bind_int64(st, i, v);
    return sqlite3_bind_null(st, i);
}

const char *jy__store_column_text_or_empty(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

enum jy_err jy__store_each_row(struct jy_store_conn *conn, sqlite3_stmt *st, jy__store_row_fn *row,
                               void *ctx, struct jy_error *err)
{
    enum jy_err e = JY_OK;
    bool more = true;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((e = row(ctx, st, &more, err)) != JY_OK || !more)
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy__store_one_row(struct jy_store_conn *conn, sqlite3_stmt *st, jy__store_row_fn *row,
                              void *ctx, bool *ret_found, struct jy_error *err)
{
    enum jy_err e = JY_OK;
    bool more = true;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if ((e = row(ctx, st, &more, err)) == JY_OK)
            *ret_found = true;
    } else if (rc == SQLITE_DONE) {
        *ret_found = false;
    } else {
        e = jy_store_sqlite_error(conn, rc, err);
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy__store_row_int64(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)ret_more;
    (void)err;
    *(int64_t *)ctx = sqlite3_column_int64(st, 0);
    return JY_OK;
}

enum jy_err jy__store_step_int64(struct jy_store_conn *conn, sqlite3_stmt *st, int64_t *ret,
                                 struct jy_error *err)
{
    int64_t v = 0;
    bool found = false;
    enum jy_err e = jy__store_one_row(conn, st, jy__store_row_int64, &v, &found, err);
    if (e == JY_OK)
        *ret = found ? v : 0;
    return e;
}
