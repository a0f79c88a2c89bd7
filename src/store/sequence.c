/*
 * sequence.c — named counters: see sequence.h.
 */
#include "sequence.h"

#include <string.h>

#include "../limits.h"
#include "../banned.h"

static const char next_sql[] = "INSERT INTO sequences (name, value) VALUES (?1, 1)\n"
                               "ON CONFLICT (name) DO UPDATE SET value = value + 1\n"
                               "RETURNING value";

enum jy_err jy_store_sequence_next(struct jy_store_conn *conn, const char *name, int64_t *ret,
                                   struct jy_error *err)
{
    size_t len = name ? strnlen(name, JY_STORE_SEQUENCE_NAME_MAX_BYTES + 1) : 0;
    if (len == 0)
        return jy_error_set(err, JY_INVALID, "no_sequence_name", NULL, "a sequence needs a name");
    if (len > JY_STORE_SEQUENCE_NAME_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "sequence_name_too_long", NULL,
                            "sequence name longer than %d bytes", JY_STORE_SEQUENCE_NAME_MAX_BYTES);

    sqlite3_stmt *stmt = jy_store_stmt(conn, next_sql, err);
    if (!stmt)
        return err ? err->code : JY_INTERNAL;
    enum jy_err e = JY_OK;
    int rc = sqlite3_bind_text(stmt, 1, name, (int)len, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        e = jy_store_sqlite_error(conn, rc, err);
        goto out;
    }
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
        goto out;
    }
    int64_t value = sqlite3_column_int64(stmt, 0);
    /* RETURNING reports the row before the statement completes: step to the end so that the
     * write is finished before the value is handed out. */
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
        e = jy_store_sqlite_error(conn, rc, err);
        goto out;
    }
    *ret = value;
out:
    sqlite3_reset(stmt);
    return e;
}
