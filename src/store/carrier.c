/*
 * carrier.c — the outbox, superseded item numbers, the carrier's rows: see carrier.h.
 */
#include "carrier.h"

#include <string.h>

#include "rows.h"
#include "../banned.h"

/* Read text column `i` into `buf`; false (and the error set) when it does not fit. */
#define TEXT(st, i, buf, table)                                                                    \
    do {                                                                                           \
        if (!jy__store_column_text((st), (i), (buf), sizeof(buf))) {                               \
            e = jy__store_stored_too_long(err, (table));                                           \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

/* ---- the outbox ---- */

enum jy_err jy_store_outbox_insert(struct jy_store_conn *conn, const struct jy_store_outbox *m,
                                   bool *ret_inserted, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO outbox (application_id, template, dedupe_key, mobile, body_zh, body_en,"
        " next_attempt_ms, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT (dedupe_key) DO NOTHING";
    enum jy_err e = jy__store_need_transaction(conn, "queueing a message", err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, m->application_id);
    sqlite3_bind_text(st, 2, m->template_code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, m->dedupe_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, m->mobile, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, m->body_zh, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, m->body_en, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, m->next_ms);
    sqlite3_bind_int64(st, 8, m->created_at);
    e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        *ret_inserted = sqlite3_changes64(jy_store_conn_db(conn)) == 1;
    return e;
}

#define OUTBOX_SELECT                                                                              \
    "SELECT o.id, o.application_id, a.number, o.template, o.dedupe_key, o.mobile, o.body_zh,"      \
    " o.body_en, o.state, o.attempts, o.next_attempt_ms, o.last_error, o.created_at,"              \
    " o.sent_at FROM outbox o JOIN applications a ON a.id = o.application_id "

static enum jy_err read_outbox(sqlite3_stmt *st, struct jy_store_outbox *m, struct jy_error *err)
{
    enum jy_err e = JY_OK;
    memset(m, 0, sizeof(*m));
    m->id = sqlite3_column_int64(st, 0);
    m->application_id = sqlite3_column_int64(st, 1);
    TEXT(st, 2, m->number, "applications");
    TEXT(st, 3, m->template_code, "outbox");
    TEXT(st, 4, m->dedupe_key, "outbox");
    TEXT(st, 5, m->mobile, "outbox");
    TEXT(st, 6, m->body_zh, "outbox");
    TEXT(st, 7, m->body_en, "outbox");
    TEXT(st, 8, m->state, "outbox");
    m->attempts = sqlite3_column_int64(st, 9);
    m->next_ms = sqlite3_column_int64(st, 10);
    TEXT(st, 11, m->last_error, "outbox");
    m->created_at = sqlite3_column_int64(st, 12);
    m->sent_at = sqlite3_column_int64(st, 13);
done:
    return e;
}

/* A jy__store_row_fn: the message into the struct jy_store_outbox at `ctx`. */
static enum jy_err outbox_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)ret_more;
    return read_outbox(st, ctx, err);
}

enum jy_err jy_store_outbox_next_due(struct jy_store_conn *conn, int64_t now_ms,
                                     struct jy_store_outbox *ret, struct jy_error *err)
{
    static const char sql[] = OUTBOX_SELECT "WHERE o.state = 'queued' AND o.next_attempt_ms <= ?1"
                                            " ORDER BY o.next_attempt_ms, o.id LIMIT 1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, now_ms);
    bool found = false;
    enum jy_err e = jy__store_one_row(conn, st, outbox_row, ret, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "outbox_empty", NULL, "no message is due");
    return e;
}

enum jy_err jy_store_outbox_next_time(struct jy_store_conn *conn, int64_t *ret,
                                      struct jy_error *err)
{
    static const char sql[] = "SELECT min(next_attempt_ms) FROM outbox WHERE state = 'queued'";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    return jy__store_step_int64(conn, st, ret, err); /* NULL reads as 0 */
}

enum jy_err jy_store_outbox_record(struct jy_store_conn *conn, int64_t id, const char *state,
                                   int64_t attempts, int64_t next_ms, const char *error,
                                   int64_t sent_at, struct jy_error *err)
{
    static const char sql[] =
        "UPDATE outbox SET state = ?2, attempts = ?3, next_attempt_ms = ?4, last_error = ?5,"
        " sent_at = ?6 WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, attempts);
    sqlite3_bind_int64(st, 4, next_ms);
    jy__store_bind_text_or_null(st, 5, error);
    jy__store_bind_int64_or_null(st, 6, sent_at);
    return jy__store_step_done(conn, st, err);
}

/* A jy__store_row_fn: one state's count into the int64_t[3] at `ctx` (queued, sent, dead). */
static enum jy_err count_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)ret_more;
    (void)err;
    int64_t *ret = ctx;
    const char *s = (const char *)sqlite3_column_text(st, 0);
    int64_t n = sqlite3_column_int64(st, 1);
    if (s && strcmp(s, JY_OUTBOX_QUEUED) == 0)
        ret[0] = n;
    else if (s && strcmp(s, JY_OUTBOX_SENT) == 0)
        ret[1] = n;
    else if (s && strcmp(s, JY_OUTBOX_DEAD) == 0)
        ret[2] = n;
    return JY_OK;
}

enum jy_err jy_store_outbox_counts(struct jy_store_conn *conn, int64_t ret[3], struct jy_error *err)
{
    static const char sql[] = "SELECT state, count(*) FROM outbox GROUP BY state";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    ret[0] = ret[1] = ret[2] = 0;
    return jy__store_each_row(conn, st, count_row, ret, err);
}

struct outbox_walk {
    bool (*fn)(void *ctx, const struct jy_store_outbox *m);
    void *ctx;
};

static enum jy_err outbox_list_row(void *ctx, sqlite3_stmt *st, bool *ret_more,
                                   struct jy_error *err)
{
    const struct outbox_walk *w = ctx;
    struct jy_store_outbox m;
    enum jy_err e = read_outbox(st, &m, err);
    if (e == JY_OK)
        *ret_more = w->fn(w->ctx, &m);
    return e;
}

enum jy_err jy_store_outbox_list(struct jy_store_conn *conn, const char *state,
                                 int64_t application_id, int64_t before_id, size_t limit,
                                 bool (*fn)(void *ctx, const struct jy_store_outbox *m), void *ctx,
                                 struct jy_error *err)
{
    static const char sql[] =
        OUTBOX_SELECT "WHERE (?1 IS NULL OR o.state = ?1) AND (?2 = 0 OR o.application_id = ?2)"
                      " AND (?3 = 0 OR o.id < ?3) ORDER BY o.id DESC LIMIT ?4";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    jy__store_bind_text_or_null(st, 1, state);
    sqlite3_bind_int64(st, 2, application_id);
    sqlite3_bind_int64(st, 3, before_id);
    sqlite3_bind_int64(st, 4, (int64_t)limit);
    struct outbox_walk w = {fn, ctx};
    return jy__store_each_row(conn, st, outbox_list_row, &w, err);
}

/* A jy__store_row_fn: the mobile into the JY_OUTBOX_MOBILE_SIZE bytes at `ctx`. */
static enum jy_err mobile_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    (void)ret_more;
    if (!jy__store_column_text(st, 0, ctx, JY_OUTBOX_MOBILE_SIZE))
        return jy__store_stored_too_long(err, "applications");
    return JY_OK;
}

enum jy_err jy_store_application_mobile(struct jy_store_conn *conn, int64_t id,
                                        char ret[JY_OUTBOX_MOBILE_SIZE], struct jy_error *err)
{
    static const char sql[] =
        "SELECT coalesce(nullif(delivery_mobile, ''), applicant_mobile) FROM applications"
        " WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    bool found = false;
    enum jy_err e = jy__store_one_row(conn, st, mobile_row, ret, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no application %lld",
                         (long long)id);
    return e;
}

/* ---- item numbers carried before ---- */

enum jy_err jy_store_waybill_supersede(struct jy_store_conn *conn, const char *waybill,
                                       int64_t application_id, int64_t now, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO superseded_waybills (waybill, application_id, superseded_at)"
        " VALUES (?1, ?2, ?3) ON CONFLICT (waybill) DO NOTHING";
    enum jy_err e = jy__store_need_transaction(conn, "superseding an item number", err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, waybill, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, application_id);
    sqlite3_bind_int64(st, 3, now);
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_waybill_superseded_by(struct jy_store_conn *conn, const char *waybill,
                                           int64_t *ret_id, struct jy_error *err)
{
    static const char sql[] = "SELECT application_id FROM superseded_waybills WHERE waybill = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_text(st, 1, waybill, -1, SQLITE_TRANSIENT);
    bool found = false;
    enum jy_err e = jy__store_one_row(conn, st, jy__store_row_int64, ret_id, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "unknown_waybill", NULL, "no application carried %s",
                         waybill);
    return e;
}

/* ---- the carrier's rows ---- */

struct shipment_walk {
    bool (*fn)(void *ctx, const struct jy_store_shipment_row *r);
    void *ctx;
};

static enum jy_err shipment_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    const struct shipment_walk *w = ctx;
    enum jy_err e = JY_OK;
    struct jy_store_shipment_row r;
    memset(&r, 0, sizeof(r));
    TEXT(st, 0, r.waybill, "shipment_events");
    TEXT(st, 1, r.status, "shipment_events");
    r.at = sqlite3_column_int64(st, 2);
    TEXT(st, 3, r.location, "shipment_events");
    TEXT(st, 4, r.failure_reason, "shipment_events");
    r.received_at = sqlite3_column_int64(st, 5);
    *ret_more = w->fn(w->ctx, &r);
done:
    return e;
}

static enum jy_err walk_rows(struct jy_store_conn *conn, sqlite3_stmt *st,
                             bool (*fn)(void *ctx, const struct jy_store_shipment_row *r),
                             void *ctx, struct jy_error *err)
{
    struct shipment_walk w = {fn, ctx};
    return jy__store_each_row(conn, st, shipment_row, &w, err);
}

enum jy_err jy_store_shipment_unmatched(struct jy_store_conn *conn, size_t limit,
                                        bool (*fn)(void *ctx,
                                                   const struct jy_store_shipment_row *r),
                                        void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT waybill, status, at, location, failure_reason, received_at"
        " FROM shipment_events_unmatched ORDER BY received_at DESC, waybill, at LIMIT ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, (int64_t)limit);
    return walk_rows(conn, st, fn, ctx, err);
}

enum jy_err jy_store_shipment_unmatched_count(struct jy_store_conn *conn, int64_t *ret,
                                              struct jy_error *err)
{
    static const char sql[] = "SELECT count(*) FROM shipment_events_unmatched";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    return jy__store_step_int64(conn, st, ret, err);
}

enum jy_err jy_store_shipment_rows_of(struct jy_store_conn *conn, int64_t id, size_t limit,
                                      bool (*fn)(void *ctx, const struct jy_store_shipment_row *r),
                                      void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT waybill, status, at, location, failure_reason, received_at FROM shipment_events"
        " WHERE waybill IN (SELECT waybill FROM applications WHERE id = ?1 AND waybill IS NOT NULL"
        "                   UNION SELECT waybill FROM superseded_waybills WHERE application_id = "
        "?1)"
        " ORDER BY at, status LIMIT ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    return walk_rows(conn, st, fn, ctx, err);
}

/* ---- deliveries that need the branch ---- */

struct attention_walk {
    bool (*fn)(void *ctx, const struct jy_store_attention *a);
    void *ctx;
};

static enum jy_err attention_row(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err)
{
    const struct attention_walk *w = ctx;
    enum jy_err e = JY_OK;
    struct jy_store_attention a;
    memset(&a, 0, sizeof(a));
    a.id = sqlite3_column_int64(st, 0);
    TEXT(st, 1, a.number, "applications");
    TEXT(st, 2, a.business_type, "applications");
    TEXT(st, 3, a.state, "applications");
    TEXT(st, 4, a.waybill, "applications");
    a.branch_id = sqlite3_column_int64(st, 5);
    TEXT(st, 6, a.recipient, "applications");
    TEXT(st, 7, a.mobile, "applications");
    TEXT(st, 8, a.address, "applications");
    TEXT(st, 9, a.failure_reason, "shipment_events");
    a.since = sqlite3_column_int64(st, 10);
    *ret_more = w->fn(w->ctx, &a);
done:
    return e;
}

enum jy_err jy_store_delivery_attention(struct jy_store_conn *conn, int64_t branch_id, size_t limit,
                                        bool (*fn)(void *ctx, const struct jy_store_attention *a),
                                        void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT a.id, a.number, a.business_type, a.state, a.waybill, a.branch_id,"
        " a.delivery_recipient, coalesce(nullif(a.delivery_mobile, ''), a.applicant_mobile),"
        " a.delivery_address,"
        " (SELECT s.failure_reason FROM shipment_events s WHERE s.waybill = a.waybill"
        "    AND s.failure_reason IS NOT NULL ORDER BY s.at DESC LIMIT 1),"
        " a.updated_at FROM applications a"
        " WHERE a.state IN ('delivery_failed', 'returned') AND (?1 = 0 OR a.branch_id = ?1)"
        " ORDER BY a.updated_at, a.id LIMIT ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return jy__store_prepare_failed(err);
    sqlite3_bind_int64(st, 1, branch_id);
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    struct attention_walk w = {fn, ctx};
    return jy__store_each_row(conn, st, attention_row, &w, err);
}
