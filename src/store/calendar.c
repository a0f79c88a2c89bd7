/*
 * calendar.c (store) — loaded calendar years, append-only and hash-chained: see calendar.h.
 */
#include "calendar.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "rows.h"
#include "../banned.h"

#define TAG "jy-calendar-1"
#define HASH_BYTES JY_AUDIT_HASH_BYTES

/* One value of the canonical form: NULL, or `len` bytes at `p`. */
struct field {
    bool null;
    const char *p;
    size_t len;
};

static void hash_field(crypto_hash_sha256_state *st, struct field f)
{
    if (f.null) {
        crypto_hash_sha256_update(st, (const unsigned char *)"~", 1);
        return;
    }
    char len_text[24];
    int n = snprintf(len_text, sizeof(len_text), "%zu:", f.len);
    crypto_hash_sha256_update(st, (const unsigned char *)len_text, (unsigned long long)n);
    crypto_hash_sha256_update(st, (const unsigned char *)f.p, f.len);
    crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

static void hash_int(crypto_hash_sha256_state *st, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%" PRId64, v);
    hash_field(st, (struct field){false, buf, (size_t)n});
}

static void text_field(crypto_hash_sha256_state *st, const char *s, size_t n)
{
    hash_field(st, (struct field){false, s, n});
}

/* hash = SHA-256(prev || canonical(load)). */
static void load_hash(const uint8_t prev[HASH_BYTES], int64_t id, int year, int64_t days,
                      const char *csv, size_t csv_len, const char *source, int64_t loaded_by,
                      const char *loaded_by_name, int64_t at, uint8_t out[HASH_BYTES])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, prev, HASH_BYTES);
    text_field(&st, TAG, sizeof(TAG) - 1);
    hash_int(&st, id);
    hash_int(&st, year);
    hash_int(&st, days);
    text_field(&st, csv, csv_len);
    text_field(&st, source, strlen(source));
    if (loaded_by)
        hash_int(&st, loaded_by);
    else
        hash_field(&st, (struct field){true, NULL, 0});
    text_field(&st, loaded_by_name, strlen(loaded_by_name));
    hash_int(&st, at);
    crypto_hash_sha256_final(&st, out);
}

enum jy_err jy_store_calendar_append(struct jy_store_conn *conn, int year, const char *csv,
                                     size_t csv_len, int64_t days, const char *source,
                                     int64_t loaded_by, const char *loaded_by_name, int64_t at,
                                     int64_t *ret_id, struct jy_error *err)
{
    if (!jy_store_in_transaction(conn))
        return jy_error_set(err, JY_INTERNAL, "no_transaction", NULL,
                            "a calendar load must be written inside a transaction");
    if (!source)
        source = "";
    enum jy_err e = jy__store_check_len(source, JY_CALENDAR_SOURCE_MAX_BYTES, "source", err);
    if (e != JY_OK)
        return e;
    uint8_t prev[HASH_BYTES] = {0};
    int64_t id = 1;
    sqlite3_stmt *st =
        jy_store_stmt(conn, "SELECT id, hash FROM calendar_years ORDER BY id DESC LIMIT 1", err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0) + 1;
        if (sqlite3_column_bytes(st, 1) == HASH_BYTES)
            memcpy(prev, sqlite3_column_blob(st, 1), HASH_BYTES);
    } else if (rc != SQLITE_DONE) {
        e = jy_store_sqlite_error(conn, rc, err);
    }
    sqlite3_reset(st);
    if (e != JY_OK)
        return e;

    uint8_t hash[HASH_BYTES];
    load_hash(prev, id, year, days, csv, csv_len, source, loaded_by, loaded_by_name, at, hash);
    st = jy_store_stmt(conn,
                       "INSERT INTO calendar_years (id, year, days, csv, source, loaded_by,"
                       " loaded_by_name, loaded_at, prev_hash, hash)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                       err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int64(st, 3, days);
    sqlite3_bind_text(st, 4, csv, (int)csv_len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_TRANSIENT);
    if (loaded_by)
        sqlite3_bind_int64(st, 6, loaded_by);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_text(st, 7, loaded_by_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 8, at);
    sqlite3_bind_blob(st, 9, prev, HASH_BYTES, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 10, hash, HASH_BYTES, SQLITE_TRANSIENT);
    e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        *ret_id = id;
    return e;
}

/* Read the columns id, year, days, csv, source, loaded_by, loaded_by_name, loaded_at. */
static bool read_load(sqlite3_stmt *st, struct jy_store_calendar_load *l)
{
    memset(l, 0, sizeof(*l));
    l->id = sqlite3_column_int64(st, 0);
    l->year = sqlite3_column_int(st, 1);
    l->days = sqlite3_column_int64(st, 2);
    l->loaded_by = sqlite3_column_int64(st, 5);
    l->loaded_at = sqlite3_column_int64(st, 7);
    return jy__store_column_text(st, 4, l->source, sizeof(l->source)) &&
           jy__store_column_text(st, 6, l->loaded_by_name, sizeof(l->loaded_by_name));
}

enum jy_err jy_store_calendar_current(struct jy_store_conn *conn, jy_store_calendar_each_fn *fn,
                                      void *ctx, struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(
        conn,
        "SELECT id, year, days, csv, source, loaded_by, loaded_by_name, loaded_at"
        " FROM calendar_years c WHERE id = (SELECT max(id) FROM calendar_years WHERE year = c.year)"
        " ORDER BY year",
        err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_calendar_load l;
        if (!read_load(st, &l)) {
            e = jy__store_stored_too_long(err, "calendar_years");
            break;
        }
        const char *csv = (const char *)sqlite3_column_text(st, 3);
        size_t n = (size_t)sqlite3_column_bytes(st, 3);
        if (!fn(ctx, &l, csv ? csv : "", csv ? n : 0))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_calendar_verify(struct jy_store_conn *conn, int64_t *ret_checked,
                                     int64_t *ret_broken_id, struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn,
                                     "SELECT id, year, days, csv, source, loaded_by,"
                                     " loaded_by_name, loaded_at, prev_hash, hash"
                                     " FROM calendar_years ORDER BY id",
                                     err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    uint8_t prev[HASH_BYTES] = {0};
    int64_t checked = 0;
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_calendar_load l;
        bool fits = read_load(st, &l);
        const char *csv = (const char *)sqlite3_column_text(st, 3);
        size_t n = (size_t)sqlite3_column_bytes(st, 3);
        uint8_t want[HASH_BYTES];
        load_hash(prev, l.id, l.year, l.days, csv ? csv : "", csv ? n : 0, l.source, l.loaded_by,
                  l.loaded_by_name, l.loaded_at, want);
        const char *what = NULL;
        if (sqlite3_column_bytes(st, 8) != HASH_BYTES ||
            memcmp(sqlite3_column_blob(st, 8), prev, HASH_BYTES) != 0)
            what = "its prev_hash is not the hash of the load before it";
        else if (!fits || sqlite3_column_bytes(st, 9) != HASH_BYTES ||
                 memcmp(sqlite3_column_blob(st, 9), want, HASH_BYTES) != 0)
            what = "its hash does not match its content";
        if (what) {
            *ret_checked = checked;
            *ret_broken_id = l.id;
            e = jy_error_set(err, JY_CONFLICT, "chain_broken", NULL, "%s", what);
            sqlite3_reset(st);
            return e;
        }
        memcpy(prev, want, HASH_BYTES);
        checked++;
    }
    if (rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    if (e == JY_OK) {
        *ret_checked = checked;
        *ret_broken_id = 0;
    }
    return e;
}
