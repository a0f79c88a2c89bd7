/*
 * custody.c — bags, batches, scans, discrepancies and S10 ranges: see custody.h.
 */
#include "custody.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rows.h"
#include "../banned.h"

/* ---- binding ---- */

/*
 * Fetch `sql` and bind its parameters ?1, ?2 … from the variable arguments, one per character
 * of `types`: 'i' an int64_t, 't' a const char * (NULL or "" binds NULL). NULL with `err` set
 * when the statement cannot be prepared or a value not bound.
 */
static sqlite3_stmt *prep(struct jy_store_conn *conn, const char *sql, struct jy_error *err,
                          const char *types, ...)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return NULL;
    va_list ap;
    va_start(ap, types);
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        if (types[i] == 'i')
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        else
            rc = jy__store_bind_text_or_null(st, i + 1, va_arg(ap, const char *));
    }
    va_end(ap);
    if (rc != SQLITE_OK) {
        jy_store_sqlite_error(conn, rc, err);
        sqlite3_reset(st);
        return NULL;
    }
    return st;
}

static enum jy_err failed(struct jy_error *err)
{
    return err ? err->code : JY_INTERNAL;
}

/* Step `st` once for a row. JY_OK with *ret_row false at the end. */
static enum jy_err step(struct jy_store_conn *conn, sqlite3_stmt *st, bool *ret_row,
                        struct jy_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *ret_row = true;
        return JY_OK;
    }
    *ret_row = false;
    return rc == SQLITE_DONE ? JY_OK : jy_store_sqlite_error(conn, rc, err);
}

static enum jy_err need_txn(struct jy_store_conn *conn, struct jy_error *err)
{
    if (!jy_store_in_transaction(conn))
        return jy_error_set(err, JY_INTERNAL, "no_transaction", NULL,
                            "custody changes must run inside a transaction");
    return JY_OK;
}

static const char *table_of(enum jy_custody_kind k)
{
    return k == JY_CUSTODY_BAG ? "bags" : "dispatch_batches";
}

/* ---- S10 ranges ---- */

static const char s10_cols[] = "id, service, country, first, last, next, added_at";

static bool read_range(sqlite3_stmt *st, struct jy_store_s10_range *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    if (!jy__store_column_text(st, 1, r->range.service, sizeof(r->range.service)) ||
        !jy__store_column_text(st, 2, r->range.country, sizeof(r->range.country)))
        return false;
    r->range.first = (uint32_t)sqlite3_column_int64(st, 3);
    r->range.last = (uint32_t)sqlite3_column_int64(st, 4);
    r->range.next = (uint32_t)sqlite3_column_int64(st, 5);
    r->added_at = sqlite3_column_int64(st, 6);
    return true;
}

enum jy_err jy_store_s10_next(struct jy_store_conn *conn, char ret[JY_S10_LENGTH + 1],
                              struct jy_error *err)
{
    enum jy_err e = need_txn(conn, err);
    if (e != JY_OK)
        return e;
    static const char sql[] = "SELECT id, service, country, first, last, next, added_at"
                              " FROM s10_ranges WHERE next <= last ORDER BY id LIMIT 1";
    sqlite3_stmt *st = prep(conn, sql, err, "");
    if (!st)
        return failed(err);
    bool row;
    struct jy_store_s10_range r;
    e = step(conn, st, &row, err);
    if (e == JY_OK && row && !read_range(st, &r))
        e = jy__store_stored_too_long(err, "s10_ranges");
    sqlite3_reset(st);
    if (e != JY_OK)
        return e;
    if (!row) {
        int64_t ranges = 0;
        st = prep(conn, "SELECT count(*) FROM s10_ranges", err, "");
        if (!st)
            return failed(err);
        if ((e = step(conn, st, &row, err)) == JY_OK && row)
            ranges = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (e != JY_OK)
            return e;
        if (ranges == 0)
            return jy_error_set(err, JY_INTERNAL, "s10_not_configured", NULL,
                                "no EMS item-number range is allocated to the centre; add one "
                                "with `jingyou s10 add-range`");
        return jy_error_set(err, JY_CONFLICT, "range_exhausted", NULL,
                            "every EMS item-number range of the centre is used up; an "
                            "administrator must add a new range");
    }
    uint32_t was = r.range.next;
    char number[JY_S10_LENGTH + 1];
    if ((e = jy_s10_range_next(&r.range, number, err)) != JY_OK)
        return e;
    st = prep(conn, "UPDATE s10_ranges SET next = ?1 WHERE id = ?2 AND next = ?3", err, "iii",
              (int64_t)r.range.next, r.id, (int64_t)was);
    if (!st)
        return failed(err);
    if ((e = jy__store_step_done(conn, st, err)) != JY_OK)
        return e;
    if (sqlite3_changes(jy_store_conn_db(conn)) != 1)
        return jy_error_set(err, JY_CONFLICT, "version_conflict", NULL,
                            "the EMS range changed while a number was taken");
    memcpy(ret, number, sizeof(number));
    return JY_OK;
}

enum jy_err jy_store_s10_left(struct jy_store_conn *conn, int64_t *ret, struct jy_error *err)
{
    sqlite3_stmt *st =
        prep(conn, "SELECT coalesce(sum(last - next + 1), 0) FROM s10_ranges", err, "");
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e = step(conn, st, &row, err);
    if (e == JY_OK)
        *ret = row ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return e;
}

static bool two_capitals(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}

enum jy_err jy_store_s10_add(struct jy_store_conn *conn, const struct jy_s10_range *r, int64_t now,
                             int64_t user_id, int64_t *ret_id, struct jy_error *err)
{
    if (!two_capitals(r->service) || !two_capitals(r->country) || r->first > r->last ||
        r->last > JY_S10_SERIAL_MAX)
        return jy_error_set(err, JY_INVALID, "bad_range", NULL,
                            "a range is two capital letters of service, 8-digit serials first <= "
                            "last, and two capital letters of country");
    enum jy_err e = need_txn(conn, err);
    if (e != JY_OK)
        return e;
    static const char overlap[] =
        "SELECT id, service, country, first, last, next, added_at FROM s10_ranges"
        " WHERE service = ?1 AND country = ?2 AND first <= ?4 AND last >= ?3 ORDER BY id LIMIT 1";
    sqlite3_stmt *st = prep(conn, overlap, err, "ttii", r->service, r->country, (int64_t)r->first,
                            (int64_t)r->last);
    if (!st)
        return failed(err);
    bool row;
    struct jy_store_s10_range o;
    e = step(conn, st, &row, err);
    if (e == JY_OK && row && !read_range(st, &o))
        e = jy__store_stored_too_long(err, "s10_ranges");
    sqlite3_reset(st);
    if (e != JY_OK)
        return e;
    if (row)
        return jy_error_set(err, JY_CONFLICT, "range_overlaps", NULL,
                            "the range overlaps range %lld, %s%08u..%s%08u %s", (long long)o.id,
                            o.range.service, o.range.first, o.range.service, o.range.last,
                            o.range.country);
    st = prep(conn,
              "INSERT INTO s10_ranges (service, country, first, last, next, added_at, added_by)"
              " VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6)",
              err, "ttiiii", r->service, r->country, (int64_t)r->first, (int64_t)r->last, now,
              user_id);
    if (!st)
        return failed(err);
    if (user_id == 0)
        sqlite3_bind_null(st, 6);
    if ((e = jy__store_step_done(conn, st, err)) != JY_OK)
        return e;
    *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return JY_OK;
}

enum jy_err jy_store_s10_list(struct jy_store_conn *conn,
                              bool (*fn)(void *ctx, const struct jy_store_s10_range *r), void *ctx,
                              struct jy_error *err)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT %s FROM s10_ranges ORDER BY id", s10_cols);
    sqlite3_stmt *st = prep(conn, sql, err, "");
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e;
    struct jy_store_s10_range r;
    while ((e = step(conn, st, &row, err)) == JY_OK && row) {
        if (!read_range(st, &r)) {
            e = jy__store_stored_too_long(err, "s10_ranges");
            break;
        }
        if (!fn(ctx, &r))
            break;
    }
    sqlite3_reset(st);
    return e;
}

/* ---- bags and batches ---- */

enum jy_err jy_store_handover_pending(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                      int64_t branch_id, int64_t until, size_t limit,
                                      bool (*fn)(void *ctx, int64_t application_id), void *ctx,
                                      bool *ret_more, struct jy_error *err)
{
    static const char bag_sql[] =
        "SELECT a.id FROM applications a WHERE a.branch_id = ?1 AND a.accepted_at < ?2"
        " AND NOT EXISTS (SELECT 1 FROM bag_items b WHERE b.application_id = a.id)"
        " ORDER BY a.accepted_at, a.id LIMIT ?3";
    static const char batch_sql[] =
        "SELECT a.id FROM applications a WHERE a.state = 'sealed' AND a.waybill IS NOT NULL"
        " AND ?1 = ?1"
        " AND (SELECT max(at) FROM events e WHERE e.application_id = a.id"
        "      AND e.to_state = 'sealed' AND e.from_state <> 'sealed') < ?2"
        " AND NOT EXISTS (SELECT 1 FROM batch_items b WHERE b.application_id = a.id)"
        " ORDER BY a.id LIMIT ?3";
    sqlite3_stmt *st = prep(conn, kind == JY_CUSTODY_BAG ? bag_sql : batch_sql, err, "iii",
                            branch_id, until, (int64_t)limit + 1);
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e;
    size_t n = 0;
    *ret_more = false;
    while ((e = step(conn, st, &row, err)) == JY_OK && row) {
        if (n == limit) {
            *ret_more = true;
            break;
        }
        n++;
        if (!fn(ctx, sqlite3_column_int64(st, 0)))
            break;
    }
    sqlite3_reset(st);
    return e;
}

/* The columns of a hand-over, in read_handover()'s order; %s is the table. */
static const char bag_select[] =
    "SELECT h.id, h.seal, h.branch_id, br.code, br.name_zh, h.covers_until, h.closed_at,"
    " h.closed_by, coalesce(nullif(u.display_name, ''), u.username), h.item_count, h.reception,"
    " coalesce(h.received_at, 0),"
    " h.received_count,"
    " (SELECT count(*) FROM discrepancies d WHERE d.bag_id = h.id AND d.resolution IS NULL)"
    " FROM bags h JOIN branches br ON br.id = h.branch_id JOIN users u ON u.id = h.closed_by";
static const char batch_select[] =
    "SELECT h.id, h.number, 0, '', '', h.covers_until, h.closed_at,"
    " h.closed_by, coalesce(nullif(u.display_name, ''), u.username), h.item_count, h.handover,"
    " coalesce(h.received_at, 0),"
    " h.received_count,"
    " (SELECT count(*) FROM discrepancies d WHERE d.batch_id = h.id AND d.resolution IS NULL)"
    " FROM dispatch_batches h JOIN users u ON u.id = h.closed_by";

static bool read_handover(sqlite3_stmt *st, enum jy_custody_kind kind, struct jy_store_handover *h)
{
    memset(h, 0, sizeof(*h));
    h->kind = kind;
    h->id = sqlite3_column_int64(st, 0);
    h->branch_id = sqlite3_column_int64(st, 2);
    h->covers_until = sqlite3_column_int64(st, 5);
    h->closed_at = sqlite3_column_int64(st, 6);
    h->closed_by = sqlite3_column_int64(st, 7);
    h->item_count = sqlite3_column_int64(st, 9);
    h->received_at = sqlite3_column_int64(st, 11);
    h->received_count = sqlite3_column_int64(st, 12);
    h->open_discrepancies = sqlite3_column_int64(st, 13);
    return jy__store_column_text(st, 1, h->reference, sizeof(h->reference)) &&
           jy__store_column_text(st, 3, h->branch_code, sizeof(h->branch_code)) &&
           jy__store_column_text(st, 4, h->branch_name_zh, sizeof(h->branch_name_zh)) &&
           jy__store_column_text(st, 8, h->closed_by_name, sizeof(h->closed_by_name)) &&
           jy__store_column_text(st, 10, h->state, sizeof(h->state));
}

/* Run `sql` (a hand-over select) and read its rows into `fn`, or the first into `one`. */
static enum jy_err handovers(struct jy_store_conn *conn, enum jy_custody_kind kind,
                             sqlite3_stmt *st, struct jy_store_handover *one,
                             bool (*fn)(void *ctx, const struct jy_store_handover *h), void *ctx,
                             bool *ret_found, struct jy_error *err)
{
    bool row;
    enum jy_err e;
    struct jy_store_handover h;
    *ret_found = false;
    while ((e = step(conn, st, &row, err)) == JY_OK && row) {
        if (!read_handover(st, kind, &h)) {
            e = jy__store_stored_too_long(err, table_of(kind));
            break;
        }
        *ret_found = true;
        if (one) {
            *one = h;
            break;
        }
        if (!fn(ctx, &h))
            break;
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_handover_last(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                   int64_t branch_id, struct jy_store_handover *ret,
                                   struct jy_error *err)
{
    char sql[1200];
    snprintf(sql, sizeof(sql), "%s WHERE %s ORDER BY h.id DESC LIMIT 1",
             kind == JY_CUSTODY_BAG ? bag_select : batch_select,
             kind == JY_CUSTODY_BAG ? "h.branch_id = ?1" : "?1 = ?1");
    sqlite3_stmt *st = prep(conn, sql, err, "i", branch_id);
    if (!st)
        return failed(err);
    bool found;
    enum jy_err e = handovers(conn, kind, st, ret, NULL, NULL, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no hand-over yet");
    return e;
}

enum jy_err jy_store_handover_insert(struct jy_store_conn *conn, const struct jy_store_handover *h,
                                     int64_t *ret_id, struct jy_error *err)
{
    enum jy_err e = need_txn(conn, err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st;
    if (h->kind == JY_CUSTODY_BAG)
        st = prep(conn,
                  "INSERT INTO bags (seal, branch_id, covers_until, closed_at, closed_by,"
                  " item_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  err, "tiiiii", h->reference, h->branch_id, h->covers_until, h->closed_at,
                  h->closed_by, h->item_count);
    else
        st = prep(conn,
                  "INSERT INTO dispatch_batches (number, covers_until, closed_at, closed_by,"
                  " item_count) VALUES (?1, ?2, ?3, ?4, ?5)",
                  err, "tiiii", h->reference, h->covers_until, h->closed_at, h->closed_by,
                  h->item_count);
    if (!st)
        return failed(err);
    if ((e = jy__store_step_done(conn, st, err)) != JY_OK)
        return e;
    *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return JY_OK;
}

enum jy_err jy_store_handover_add_item(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                       int64_t id, int64_t application_id, const char *waybill,
                                       struct jy_error *err)
{
    sqlite3_stmt *st =
        kind == JY_CUSTODY_BAG
            ? prep(conn, "INSERT INTO bag_items (bag_id, application_id) VALUES (?1, ?2)", err,
                   "ii", id, application_id)
            : prep(conn,
                   "INSERT INTO batch_items (batch_id, application_id, waybill)"
                   " VALUES (?1, ?2, ?3)",
                   err, "iit", id, application_id, waybill);
    if (!st)
        return failed(err);
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_handover_by_reference(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                           const char *reference, struct jy_store_handover *ret,
                                           struct jy_error *err)
{
    char sql[1200];
    snprintf(sql, sizeof(sql), "%s WHERE %s = ?1",
             kind == JY_CUSTODY_BAG ? bag_select : batch_select,
             kind == JY_CUSTODY_BAG ? "h.seal" : "h.number");
    sqlite3_stmt *st = prep(conn, sql, err, "t", reference);
    if (!st)
        return failed(err);
    bool found;
    enum jy_err e = handovers(conn, kind, st, ret, NULL, NULL, &found, err);
    if (e == JY_OK && !found)
        e = kind == JY_CUSTODY_BAG ? jy_error_set(err, JY_NOT_FOUND, "unknown_bag", "seal",
                                                  "there is no bag with this seal number")
                                   : jy_error_set(err, JY_NOT_FOUND, "unknown_batch", "batch",
                                                  "there is no dispatch batch with this number");
    return e;
}

enum jy_err jy_store_handover_of(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                 int64_t application_id, struct jy_store_handover *ret,
                                 struct jy_error *err)
{
    char sql[1200];
    snprintf(sql, sizeof(sql), "%s WHERE h.id = (SELECT %s FROM %s WHERE application_id = ?1)",
             kind == JY_CUSTODY_BAG ? bag_select : batch_select,
             kind == JY_CUSTODY_BAG ? "bag_id" : "batch_id",
             kind == JY_CUSTODY_BAG ? "bag_items" : "batch_items");
    sqlite3_stmt *st = prep(conn, sql, err, "i", application_id);
    if (!st)
        return failed(err);
    bool found;
    enum jy_err e = handovers(conn, kind, st, ret, NULL, NULL, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "in no hand-over");
    return e;
}

enum jy_err jy_store_handover_list(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                   int64_t branch_id, const char *state, size_t limit,
                                   bool (*fn)(void *ctx, const struct jy_store_handover *h),
                                   void *ctx, struct jy_error *err)
{
    char sql[1400];
    snprintf(sql, sizeof(sql),
             "%s WHERE (?1 = 0 OR %s = ?1) AND (?2 IS NULL OR h.%s = ?2)"
             " ORDER BY h.id DESC LIMIT ?3",
             kind == JY_CUSTODY_BAG ? bag_select : batch_select,
             kind == JY_CUSTODY_BAG ? "h.branch_id" : "0",
             kind == JY_CUSTODY_BAG ? "reception" : "handover");
    sqlite3_stmt *st = prep(conn, sql, err, "iti", branch_id, state, (int64_t)limit);
    if (!st)
        return failed(err);
    bool found;
    return handovers(conn, kind, st, NULL, fn, ctx, &found, err);
}

enum jy_err jy_store_handover_set_state(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                        int64_t id, const char *state, int64_t at, int64_t user_id,
                                        struct jy_error *err)
{
    enum jy_err e = need_txn(conn, err);
    if (e != JY_OK)
        return e;
    bool received = strcmp(state, "received") == 0;
    sqlite3_stmt *st;
    if (kind == JY_CUSTODY_BAG)
        st = prep(conn,
                  "UPDATE bags SET reception = ?2,"
                  " reception_opened_at = coalesce(reception_opened_at, ?3),"
                  " received_at = CASE WHEN ?5 THEN ?3 END,"
                  " received_by = CASE WHEN ?5 THEN ?4 END WHERE id = ?1",
                  err, "itiii", id, state, at, user_id, (int64_t)received);
    else
        st = prep(conn,
                  "UPDATE dispatch_batches SET handover = ?2,"
                  " received_at = CASE WHEN ?5 THEN ?3 END,"
                  " received_by = CASE WHEN ?5 THEN ?4 END WHERE id = ?1",
                  err, "itiii", id, state, at, user_id, (int64_t)received);
    if (!st)
        return failed(err);
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_handover_items(struct jy_store_conn *conn, enum jy_custody_kind kind,
                                    int64_t id,
                                    bool (*fn)(void *ctx, const struct jy_store_handover_item *it),
                                    void *ctx, struct jy_error *err)
{
    static const char bag_sql[] =
        "SELECT a.id, a.number, a.business_type, '',"
        " (SELECT count(*) FROM custody_scans s WHERE s.bag_id = i.bag_id"
        "  AND s.application_id = a.id)"
        " FROM bag_items i JOIN applications a ON a.id = i.application_id WHERE i.bag_id = ?1"
        " ORDER BY a.accepted_at, a.id";
    static const char batch_sql[] =
        "SELECT a.id, a.number, a.business_type, i.waybill,"
        " (SELECT count(*) FROM custody_scans s WHERE s.batch_id = i.batch_id"
        "  AND s.application_id = a.id)"
        " FROM batch_items i JOIN applications a ON a.id = i.application_id"
        " WHERE i.batch_id = ?1 ORDER BY a.id";
    sqlite3_stmt *st = prep(conn, kind == JY_CUSTODY_BAG ? bag_sql : batch_sql, err, "i", id);
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e;
    struct jy_store_handover_item it;
    while ((e = step(conn, st, &row, err)) == JY_OK && row) {
        memset(&it, 0, sizeof(it));
        it.application_id = sqlite3_column_int64(st, 0);
        it.scans = sqlite3_column_int64(st, 4);
        if (!jy__store_column_text(st, 1, it.number, sizeof(it.number)) ||
            !jy__store_column_text(st, 2, it.business_type, sizeof(it.business_type)) ||
            !jy__store_column_text(st, 3, it.waybill, sizeof(it.waybill))) {
            e = jy__store_stored_too_long(err, "applications");
            break;
        }
        if (!fn(ctx, &it))
            break;
    }
    sqlite3_reset(st);
    return e;
}

/* ---- scans ---- */

enum jy_err jy_store_scan_insert(struct jy_store_conn *conn, const struct jy_store_scan *s,
                                 struct jy_error *err)
{
    enum jy_err e = need_txn(conn, err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = prep(conn,
                            "INSERT INTO custody_scans (bag_id, batch_id, application_id, outcome,"
                            " place, at, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            err, "iiittii", s->handover_id, s->handover_id, s->application_id,
                            s->outcome, s->place, s->at, s->user_id);
    if (!st)
        return failed(err);
    sqlite3_bind_null(st, s->kind == JY_CUSTODY_BAG ? 2 : 1);
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_scan_count(struct jy_store_conn *conn, enum jy_custody_kind kind, int64_t id,
                                int64_t application_id, int64_t *ret, struct jy_error *err)
{
    sqlite3_stmt *st =
        prep(conn,
             kind == JY_CUSTODY_BAG
                 ? "SELECT count(*) FROM custody_scans WHERE bag_id = ?1 AND application_id = ?2"
                 : "SELECT count(*) FROM custody_scans WHERE batch_id = ?1 AND application_id = ?2",
             err, "ii", id, application_id);
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e = step(conn, st, &row, err);
    if (e == JY_OK)
        *ret = row ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_scan_extras(struct jy_store_conn *conn, enum jy_custody_kind kind, int64_t id,
                                 bool (*fn)(void *ctx, int64_t application_id, const char *number),
                                 void *ctx, struct jy_error *err)
{
    static const char bag_sql[] =
        "SELECT s.application_id, a.number FROM custody_scans s"
        " JOIN applications a ON a.id = s.application_id WHERE s.bag_id = ?1"
        " AND NOT EXISTS (SELECT 1 FROM bag_items i WHERE i.bag_id = ?1"
        "                 AND i.application_id = s.application_id)"
        " GROUP BY s.application_id ORDER BY min(s.id)";
    static const char batch_sql[] =
        "SELECT s.application_id, a.number FROM custody_scans s"
        " JOIN applications a ON a.id = s.application_id WHERE s.batch_id = ?1"
        " AND NOT EXISTS (SELECT 1 FROM batch_items i WHERE i.batch_id = ?1"
        "                 AND i.application_id = s.application_id)"
        " GROUP BY s.application_id ORDER BY min(s.id)";
    sqlite3_stmt *st = prep(conn, kind == JY_CUSTODY_BAG ? bag_sql : batch_sql, err, "i", id);
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e;
    char number[JY_WORKFLOW_NUMBER_SIZE];
    while ((e = step(conn, st, &row, err)) == JY_OK && row) {
        if (!jy__store_column_text(st, 1, number, sizeof(number))) {
            e = jy__store_stored_too_long(err, "applications");
            break;
        }
        if (!fn(ctx, sqlite3_column_int64(st, 0), number))
            break;
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_scan_received(struct jy_store_conn *conn, int64_t application_id,
                                   int64_t *ret_at, char ret_seal[JY_CUSTODY_REF_SIZE],
                                   struct jy_error *err)
{
    sqlite3_stmt *st =
        prep(conn,
             "SELECT s.at, b.seal FROM custody_scans s JOIN bags b ON b.id = s.bag_id"
             " WHERE s.application_id = ?1 ORDER BY s.id DESC LIMIT 1",
             err, "i", application_id);
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e = step(conn, st, &row, err);
    if (e == JY_OK) {
        *ret_at = row ? sqlite3_column_int64(st, 0) : 0;
        ret_seal[0] = '\0';
        if (row && !jy__store_column_text(st, 1, ret_seal, JY_CUSTODY_REF_SIZE))
            e = jy__store_stored_too_long(err, "bags");
    }
    sqlite3_reset(st);
    return e;
}

/* ---- discrepancies ---- */

enum jy_err jy_store_discrepancy_insert(struct jy_store_conn *conn, const char *kind,
                                        enum jy_custody_kind on, int64_t id, int64_t application_id,
                                        const char *detail, int64_t now, struct jy_error *err)
{
    enum jy_err e = need_txn(conn, err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st =
        prep(conn,
             "INSERT INTO discrepancies (kind, bag_id, batch_id, application_id, detail,"
             " opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
             err, "tiiiti", kind, id, id, application_id, detail, now);
    if (!st)
        return failed(err);
    sqlite3_bind_null(st, on == JY_CUSTODY_BAG ? 3 : 2);
    return jy__store_step_done(conn, st, err);
}

static const char disc_select[] =
    "SELECT d.id, d.kind, d.bag_id IS NULL, coalesce(d.bag_id, d.batch_id),"
    " coalesce(b.seal, t.number), d.application_id, a.number, a.branch_id,"
    " coalesce(d.detail, ''), d.opened_at, coalesce(d.resolution, ''),"
    " coalesce(d.resolved_at, 0), coalesce(u.username, ''), coalesce(d.note, '')"
    " FROM discrepancies d JOIN applications a ON a.id = d.application_id"
    " LEFT JOIN bags b ON b.id = d.bag_id LEFT JOIN dispatch_batches t ON t.id = d.batch_id"
    " LEFT JOIN users u ON u.id = d.resolved_by";

static bool read_disc(sqlite3_stmt *st, struct jy_store_discrepancy *d)
{
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(st, 0);
    d->on = sqlite3_column_int(st, 2) ? JY_CUSTODY_BATCH : JY_CUSTODY_BAG;
    d->handover_id = sqlite3_column_int64(st, 3);
    d->application_id = sqlite3_column_int64(st, 5);
    d->branch_id = sqlite3_column_int64(st, 7);
    d->opened_at = sqlite3_column_int64(st, 9);
    d->resolved_at = sqlite3_column_int64(st, 11);
    return jy__store_column_text(st, 1, d->kind, sizeof(d->kind)) &&
           jy__store_column_text(st, 4, d->reference, sizeof(d->reference)) &&
           jy__store_column_text(st, 6, d->number, sizeof(d->number)) &&
           jy__store_column_text(st, 8, d->detail, sizeof(d->detail)) &&
           jy__store_column_text(st, 10, d->resolution, sizeof(d->resolution)) &&
           jy__store_column_text(st, 12, d->resolved_by, sizeof(d->resolved_by)) &&
           jy__store_column_text(st, 13, d->note, sizeof(d->note));
}

static enum jy_err discs(struct jy_store_conn *conn, sqlite3_stmt *st,
                         struct jy_store_discrepancy *one,
                         bool (*fn)(void *ctx, const struct jy_store_discrepancy *d), void *ctx,
                         bool *ret_found, struct jy_error *err)
{
    bool row;
    enum jy_err e;
    *ret_found = false;
    struct jy_store_discrepancy d;
    while ((e = step(conn, st, &row, err)) == JY_OK && row) {
        if (!read_disc(st, &d)) {
            e = jy__store_stored_too_long(err, "discrepancies");
            break;
        }
        *ret_found = true;
        if (one) {
            *one = d;
            break;
        }
        if (!fn(ctx, &d))
            break;
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_discrepancy_get(struct jy_store_conn *conn, int64_t id,
                                     struct jy_store_discrepancy *ret, struct jy_error *err)
{
    char sql[1200];
    snprintf(sql, sizeof(sql), "%s WHERE d.id = ?1", disc_select);
    sqlite3_stmt *st = prep(conn, sql, err, "i", id);
    if (!st)
        return failed(err);
    bool found;
    enum jy_err e = discs(conn, st, ret, NULL, NULL, &found, err);
    if (e == JY_OK && !found)
        e = jy_error_set(err, JY_NOT_FOUND, "unknown_discrepancy", "id",
                         "there is no discrepancy with this id");
    return e;
}

enum jy_err jy_store_discrepancy_list(struct jy_store_conn *conn, bool open,
                                      enum jy_custody_kind on, int64_t handover_id, size_t limit,
                                      bool (*fn)(void *ctx, const struct jy_store_discrepancy *d),
                                      void *ctx, struct jy_error *err)
{
    char sql[1400];
    snprintf(sql, sizeof(sql),
             "%s WHERE (?1 = 0 OR d.resolution IS NULL) AND (?2 = 0 OR %s = ?2)"
             " ORDER BY d.id DESC LIMIT ?3",
             disc_select, on == JY_CUSTODY_BAG ? "d.bag_id" : "d.batch_id");
    sqlite3_stmt *st = prep(conn, sql, err, "iii", (int64_t)open, handover_id, (int64_t)limit);
    if (!st)
        return failed(err);
    bool found;
    return discs(conn, st, NULL, fn, ctx, &found, err);
}

enum jy_err jy_store_discrepancy_resolve(struct jy_store_conn *conn, int64_t id,
                                         const char *resolution, const char *note, int64_t user_id,
                                         int64_t now, struct jy_error *err)
{
    enum jy_err e = need_txn(conn, err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = prep(conn,
                            "UPDATE discrepancies SET resolution = ?2, note = ?3, resolved_by = ?4,"
                            " resolved_at = ?5 WHERE id = ?1 AND resolution IS NULL",
                            err, "ittii", id, resolution, note, user_id, now);
    if (!st)
        return failed(err);
    if ((e = jy__store_step_done(conn, st, err)) != JY_OK)
        return e;
    if (sqlite3_changes(jy_store_conn_db(conn)) != 1)
        return jy_error_set(err, JY_CONFLICT, "already_resolved", NULL,
                            "this discrepancy is already resolved");
    return JY_OK;
}

enum jy_err jy_store_discrepancy_open_missing(struct jy_store_conn *conn, enum jy_custody_kind on,
                                              int64_t application_id, int64_t *ret_ids, size_t max,
                                              size_t *ret_n, struct jy_error *err)
{
    sqlite3_stmt *st =
        prep(conn,
             on == JY_CUSTODY_BAG
                 ? "SELECT id FROM discrepancies WHERE application_id = ?1 AND kind = 'missing'"
                   " AND bag_id IS NOT NULL AND resolution IS NULL ORDER BY id LIMIT ?2"
                 : "SELECT id FROM discrepancies WHERE application_id = ?1 AND kind = 'missing'"
                   " AND batch_id IS NOT NULL AND resolution IS NULL ORDER BY id LIMIT ?2",
             err, "ii", application_id, (int64_t)max);
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e;
    size_t n = 0;
    while ((e = step(conn, st, &row, err)) == JY_OK && row && n < max)
        ret_ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (e == JY_OK)
        *ret_n = n;
    return e;
}

enum jy_err jy_store_discrepancy_paper_resolution(struct jy_store_conn *conn,
                                                  int64_t application_id, char ret[16],
                                                  struct jy_error *err)
{
    sqlite3_stmt *st = prep(conn,
                            "SELECT resolution FROM discrepancies WHERE application_id = ?1"
                            " AND kind = 'missing' AND bag_id IS NOT NULL"
                            " AND resolution IS NOT NULL ORDER BY resolved_at DESC, id DESC"
                            " LIMIT 1",
                            err, "i", application_id);
    if (!st)
        return failed(err);
    bool row;
    enum jy_err e = step(conn, st, &row, err);
    if (e == JY_OK) {
        ret[0] = '\0';
        if (row && !jy__store_column_text(st, 0, ret, 16))
            e = jy__store_stored_too_long(err, "discrepancies");
    }
    sqlite3_reset(st);
    return e;
}
