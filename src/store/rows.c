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
