/*
 * settings.c — run-time settings: see settings.h.
 */
#include "settings.h"

#include <string.h>

#include "../banned.h"

enum jy_err jy_store_setting_get(struct jy_store_conn *conn, const char *key, char *buf,
                                 size_t size, struct jy_error *err)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "no_setting", NULL, "setting %s is not set", key);
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        const unsigned char *t = sqlite3_column_text(st, 0);
        size_t n = t ? (size_t)sqlite3_column_bytes(st, 0) : 0;
        if (n >= size) {
            if (size)
                buf[0] = '\0';
            e = jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "setting %s is too long", key);
        } else {
            if (n)
                memcpy(buf, t, n);
            buf[n] = '\0';
        }
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_setting_set(struct jy_store_conn *conn, const char *key, const char *value,
                                 struct jy_error *err)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    bool own = !jy_store_in_transaction(conn);
    enum jy_err e = JY_OK;
    if (own && (e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st) {
        e = err ? err->code : JY_INTERNAL;
        goto out;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
out:
    if (own) {
        if (e == JY_OK)
            e = jy_store_commit(conn, err);
        else
            jy_store_rollback(conn);
    }
    return e;
}
