/*
 * audit.c — appending to the hash-chained event log and verifying it. The format of the hash is
 * in audit.h; both directions build the same list of fields and feed it to one encoder, so
 * what is appended and what is verified cannot drift apart.
 */
#include "audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../limits.h"
#include "../banned.h"

/* The format tag, the first field of every canonical event. */
#define CANONICAL_TAG "jy-event-1"

/* Fields after the tag: id … note. */
#define N_FIELDS 13

/* Bytes of the decimal text of any int64_t, with sign and NUL. */
#define INT_TEXT_SIZE 24

/* One field of the canonical form: NULL, or `len` bytes at `p` (borrowed). */
struct field {
    bool null;
    const char *p;
    size_t len;
};

/* The events columns, in canonical order, followed by prev_hash and hash. */
#define EVENT_COLUMNS                                                                              \
    "id, application_id, at, actor_id, actor_role, branch_id, station, from_state, "               \
    "from_station, to_state, to_station, reason, note"

static const char last_sql[] = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";

static const char insert_sql[] =
    "INSERT INTO events (" EVENT_COLUMNS ", prev_hash, hash)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

static const char walk_sql[] = "SELECT " EVENT_COLUMNS ", prev_hash, hash FROM events ORDER BY id";

/* Which of the N_FIELDS are integers (the others are text). */
static const bool field_is_int[N_FIELDS] = {true,  true,  true,  true,  false, true, false,
                                            false, false, false, false, false, false};

/* Where a null pointer or an error code means "the caller gave no err". */
static enum jy_err code_of(const struct jy_error *err)
{
    return err ? err->code : JY_INTERNAL;
}

/* Feed one field to the hash. */
static void hash_field(crypto_hash_sha256_state *st, const struct field *f)
{
    if (f->null) {
        crypto_hash_sha256_update(st, (const unsigned char *)"~", 1);
        return;
    }
    char len_text[INT_TEXT_SIZE + 1];
    int n = snprintf(len_text, sizeof(len_text), "%zu:", f->len);
    crypto_hash_sha256_update(st, (const unsigned char *)len_text, (unsigned long long)n);
    crypto_hash_sha256_update(st, (const unsigned char *)f->p, f->len);
    crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

/* hash = SHA-256(prev || canonical(fields)). */
static void event_hash(const uint8_t prev[JY_AUDIT_HASH_BYTES], const struct field fields[N_FIELDS],
                       uint8_t out[JY_AUDIT_HASH_BYTES])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, prev, JY_AUDIT_HASH_BYTES);
    struct field tag = {false, CANONICAL_TAG, sizeof(CANONICAL_TAG) - 1};
    hash_field(&st, &tag);
    for (size_t i = 0; i < N_FIELDS; i++)
        hash_field(&st, &fields[i]);
    crypto_hash_sha256_final(&st, out);
}

/* Set `f` to the decimal text of `v`, written into `buf`. */
static void int_field(struct field *f, int64_t v, char buf[INT_TEXT_SIZE])
{
    int n = snprintf(buf, INT_TEXT_SIZE, "%" PRId64, v);
    *f = (struct field){false, buf, (size_t)n};
}

/* Set `f` to an id that is NULL when 0. */
static void id_field(struct field *f, int64_t v, char buf[INT_TEXT_SIZE])
{
    if (v == 0)
        *f = (struct field){true, NULL, 0};
    else
        int_field(f, v, buf);
}

static void text_field(struct field *f, const char *s)
{
    if (s)
        *f = (struct field){false, s, strlen(s)};
    else
        *f = (struct field){true, NULL, 0};
}

/* Check the length of string `s` (may be NULL) against `max`; `name` names the field. */
static enum jy_err check_len(const char *s, size_t max, const char *name, struct jy_error *err)
{
    if (s && strnlen(s, max + 1) > max)
        return jy_error_set(err, JY_TOO_LONG, "too_long", name,
                            "event field %s is longer than %zu bytes", name, max);
    return JY_OK;
}

static enum jy_err check_event(const struct jy_event *ev, struct jy_error *err)
{
    if (ev->application_id <= 0)
        return jy_error_set(err, JY_INVALID, "required", "application_id",
                            "an event needs its application");
    if (!ev->to_state || !*ev->to_state)
        return jy_error_set(err, JY_INVALID, "required", "to_state",
                            "an event needs the state it leads to");
    const struct {
        const char *s;
        const char *name;
    } codes[] = {{ev->actor_role, "actor_role"}, {ev->station, "station"},
                 {ev->from_state, "from_state"}, {ev->from_station, "from_station"},
                 {ev->to_state, "to_state"},     {ev->to_station, "to_station"},
                 {ev->reason, "reason"}};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        enum jy_err e = check_len(codes[i].s, JY_EVENT_CODE_MAX_BYTES, codes[i].name, err);
        if (e != JY_OK)
            return e;
    }
    return check_len(ev->note, JY_NOTE_MAX_BYTES, "note", err);
}

/* Bind field `f` as parameter `i` of `stmt`, as an integer or text. */
static int bind_field(sqlite3_stmt *stmt, int i, const struct field *f, int64_t int_value,
                      bool is_int)
{
    if (f->null)
        return sqlite3_bind_null(stmt, i);
    if (is_int)
        return sqlite3_bind_int64(stmt, i, int_value);
    return sqlite3_bind_text(stmt, i, f->p, (int)f->len, SQLITE_STATIC);
}

/* Read the newest event's id and hash; 0 and zeros for an empty chain. */
static enum jy_err read_head(struct jy_store_conn *conn, int64_t *ret_id,
                             uint8_t ret_hash[JY_AUDIT_HASH_BYTES], struct jy_error *err)
{
    sqlite3_stmt *stmt = jy_store_stmt(conn, last_sql, err);
    if (!stmt)
        return code_of(err);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) {
        *ret_id = 0;
        memset(ret_hash, 0, JY_AUDIT_HASH_BYTES);
    } else if (rc == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(stmt, 1);
        if (!h || sqlite3_column_bytes(stmt, 1) != JY_AUDIT_HASH_BYTES) {
            e = jy_error_set(err, JY_IO, "store_corrupt", NULL,
                             "the newest event's hash is not %d bytes", JY_AUDIT_HASH_BYTES);
        } else {
            *ret_id = sqlite3_column_int64(stmt, 0);
            memcpy(ret_hash, h, JY_AUDIT_HASH_BYTES);
        }
    } else {
        e = jy_store_sqlite_error(conn, rc, err);
    }
    sqlite3_reset(stmt);
    return e;
}

enum jy_err jy_store_event_append(struct jy_store_conn *conn, const struct jy_event *event,
                                  int64_t *ret_id, struct jy_error *err)
{
    if (!jy_store_in_transaction(conn))
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "an event is appended inside the transaction of its change");
    enum jy_err e = check_event(event, err);
    if (e != JY_OK)
        return e;

    /* The write lock is held (BEGIN IMMEDIATE), so no one appends between this read and the
     * insert: the new event is the chain's next link. */
    int64_t last_id = 0;
    uint8_t prev[JY_AUDIT_HASH_BYTES];
    e = read_head(conn, &last_id, prev, err);
    if (e != JY_OK)
        return e;
    if (last_id == INT64_MAX)
        return jy_error_set(err, JY_RANGE, "out_of_range", NULL, "event ids exhausted");
    int64_t id = last_id + 1;

    char bufs[5][INT_TEXT_SIZE];
    struct field f[N_FIELDS];
    int64_t ints[N_FIELDS] = {id, event->application_id, event->at, event->actor_id,
                              0,  event->branch_id};
    int_field(&f[0], id, bufs[0]);
    int_field(&f[1], event->application_id, bufs[1]);
    int_field(&f[2], event->at, bufs[2]);
    id_field(&f[3], event->actor_id, bufs[3]);
    text_field(&f[4], event->actor_role);
    id_field(&f[5], event->branch_id, bufs[4]);
    text_field(&f[6], event->station);
    text_field(&f[7], event->from_state);
    text_field(&f[8], event->from_station);
    text_field(&f[9], event->to_state);
    text_field(&f[10], event->to_station);
    text_field(&f[11], event->reason);
    text_field(&f[12], event->note);
    uint8_t hash[JY_AUDIT_HASH_BYTES];
    event_hash(prev, f, hash);

    sqlite3_stmt *stmt = jy_store_stmt(conn, insert_sql, err);
    if (!stmt)
        return code_of(err);
    int rc = SQLITE_OK;
    for (int i = 0; i < N_FIELDS && rc == SQLITE_OK; i++)
        rc = bind_field(stmt, i + 1, &f[i], ints[i], field_is_int[i]);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(stmt, N_FIELDS + 1, prev, JY_AUDIT_HASH_BYTES, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(stmt, N_FIELDS + 2, hash, JY_AUDIT_HASH_BYTES, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
        e = jy_store_sqlite_error(conn, rc, err);
        sqlite3_reset(stmt);
        return e;
    }
    sqlite3_reset(stmt);
    *ret_id = id;
    return JY_OK;
}

/* Read column `col` of the current row into `f` (integer columns through `buf`). */
static void column_field(sqlite3_stmt *stmt, int col, bool is_int, struct field *f,
                         char buf[INT_TEXT_SIZE])
{
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL) {
        *f = (struct field){true, NULL, 0};
    } else if (is_int) {
        int_field(f, sqlite3_column_int64(stmt, col), buf);
    } else {
        const unsigned char *p = sqlite3_column_text(stmt, col);
        int n = sqlite3_column_bytes(stmt, col);
        *f = (struct field){false, p ? (const char *)p : "", n > 0 ? (size_t)n : 0};
    }
}

enum jy_err jy_store_audit_verify(struct jy_store_conn *conn, int64_t *ret_checked,
                                  int64_t *ret_broken_id, struct jy_error *err)
{
    /* One statement is one read transaction: the walk sees one snapshot even while the
     * service appends. */
    sqlite3_stmt *stmt = jy_store_stmt(conn, walk_sql, err);
    if (!stmt)
        return code_of(err);
    uint8_t prev[JY_AUDIT_HASH_BYTES] = {0};
    int64_t checked = 0;
    int64_t prev_id = 0;
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(stmt, 0);
        char bufs[N_FIELDS][INT_TEXT_SIZE];
        struct field f[N_FIELDS];
        for (int i = 0; i < N_FIELDS; i++)
            column_field(stmt, i, field_is_int[i], &f[i], bufs[i]);
        const void *stored_prev = sqlite3_column_blob(stmt, N_FIELDS);
        int stored_prev_len = sqlite3_column_bytes(stmt, N_FIELDS);
        const void *stored = sqlite3_column_blob(stmt, N_FIELDS + 1);
        int stored_len = sqlite3_column_bytes(stmt, N_FIELDS + 1);

        const char *why = NULL;
        char why_buf[128];
        if (!stored_prev || stored_prev_len != JY_AUDIT_HASH_BYTES ||
            memcmp(stored_prev, prev, JY_AUDIT_HASH_BYTES) != 0) {
            if (prev_id == 0)
                why = "it is the first event but its prev_hash is not zero (events before it "
                      "were removed, or it was altered)";
            else {
                snprintf(why_buf, sizeof(why_buf),
                         "its prev_hash is not the hash of event %" PRId64
                         " (an event was removed, inserted or altered)",
                         prev_id);
                why = why_buf;
            }
        } else {
            uint8_t computed[JY_AUDIT_HASH_BYTES];
            event_hash(prev, f, computed);
            if (!stored || stored_len != JY_AUDIT_HASH_BYTES ||
                memcmp(stored, computed, JY_AUDIT_HASH_BYTES) != 0)
                why = "its hash does not match its content (a field was altered)";
        }
        if (why) {
            e = jy_error_set(err, JY_CONFLICT, "chain_broken", NULL, "%s", why);
            *ret_checked = checked;
            *ret_broken_id = id;
            sqlite3_reset(stmt);
            return e;
        }
        memcpy(prev, stored, JY_AUDIT_HASH_BYTES);
        prev_id = id;
        checked++;
    }
    if (rc != SQLITE_DONE) {
        e = jy_store_sqlite_error(conn, rc, err);
        sqlite3_reset(stmt);
        return e;
    }
    sqlite3_reset(stmt);
    *ret_checked = checked;
    *ret_broken_id = 0;
    return JY_OK;
}

enum jy_err jy_store_audit_head(struct jy_store_conn *conn, int64_t *ret_id,
                                uint8_t ret_hash[JY_AUDIT_HASH_BYTES], struct jy_error *err)
{
    int64_t id = 0;
    uint8_t hash[JY_AUDIT_HASH_BYTES];
    enum jy_err e = read_head(conn, &id, hash, err);
    if (e != JY_OK)
        return e;
    *ret_id = id;
    memcpy(ret_hash, hash, JY_AUDIT_HASH_BYTES);
    return JY_OK;
}
