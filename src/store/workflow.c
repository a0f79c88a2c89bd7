/*
 * workflow.c — the workflow columns of applications, station queues, the carrier's feed and
 * the events as a timeline: see workflow.h.
 */
#include "workflow.h"

#include <string.h>

#include "rows.h"
#include "../banned.h"

/* ---- helpers ---- */

static enum jy_err need_transaction(struct jy_store_conn *conn, const char *what,
                                    struct jy_error *err)
{
    if (!jy_store_in_transaction(conn))
        return jy_error_set(err, JY_INTERNAL, "no_transaction", NULL,
                            "%s must run inside a transaction", what);
    return JY_OK;
}

static enum jy_err prepare_failed(struct jy_error *err)
{
    return err ? err->code : JY_INTERNAL;
}

/* ---- reading applications ---- */

/* The columns read into a struct jy_store_workflow, in read_workflow()'s order. The note of the
 * return is read only while the application is in correction. */
#define WORKFLOW_SELECT                                                                            \
    "SELECT a.id, a.number, a.business_type, a.state, a.station, a.branch_id, a.clerk_id,"         \
    " a.lease_user_id, a.lease_expires_at, u.username, a.waybill, a.correction_reason,"            \
    " CASE WHEN a.state = 'correction' THEN (SELECT e.note FROM events e"                          \
    "   WHERE e.application_id = a.id AND e.to_state = 'correction'"                               \
    "   AND e.from_state IS NOT 'correction'"                                                      \
    "   ORDER BY e.id DESC LIMIT 1) END,"                                                          \
    " a.due_date, a.accepted_at, a.fee_total_fen, a.version, a.updated_at"                         \
    " FROM applications a LEFT JOIN users u ON u.id = a.lease_user_id "

static bool read_workflow(sqlite3_stmt *st, struct jy_store_workflow *w)
{
    w->id = sqlite3_column_int64(st, 0);
    bool ok = jy__store_column_text(st, 1, w->number, sizeof(w->number)) &&
              jy__store_column_text(st, 2, w->business_type, sizeof(w->business_type)) &&
              jy__store_column_text(st, 3, w->state, sizeof(w->state)) &&
              jy__store_column_text(st, 4, w->station, sizeof(w->station)) &&
              jy__store_column_text(st, 9, w->lease_username, sizeof(w->lease_username)) &&
              jy__store_column_text(st, 10, w->waybill, sizeof(w->waybill)) &&
              jy__store_column_text(st, 11, w->correction_reason, sizeof(w->correction_reason)) &&
              jy__store_column_text(st, 12, w->correction_note, sizeof(w->correction_note)) &&
              jy__store_column_text(st, 13, w->due_date, sizeof(w->due_date));
    w->branch_id = sqlite3_column_int64(st, 5);
    w->clerk_id = sqlite3_column_int64(st, 6);
    w->lease_user_id = sqlite3_column_int64(st, 7);
    w->lease_expires_at = sqlite3_column_int64(st, 8);
    w->accepted_at = sqlite3_column_int64(st, 14);
    w->fee_total_fen = sqlite3_column_int64(st, 15);
    w->version = sqlite3_column_int64(st, 16);
    w->updated_at = sqlite3_column_int64(st, 17);
    return ok;
}

/* Step `st` (bound by the caller) for one row into `*ret`; `missing` is the reason when there
 * is none. Resets `st`. */
static enum jy_err one_workflow(struct jy_store_conn *conn, sqlite3_stmt *st, const char *missing,
                                struct jy_store_workflow *ret, struct jy_error *err)
{
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, missing, NULL, "no such application");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        struct jy_store_workflow w;
        if (read_workflow(st, &w))
            *ret = w;
        else
            e = jy__store_stored_too_long(err, "applications");
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_workflow_by_number(struct jy_store_conn *conn, const char *number,
                                        struct jy_store_workflow *ret, struct jy_error *err)
{
    static const char sql[] = WORKFLOW_SELECT "WHERE a.number = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, number ? number : "", -1, SQLITE_TRANSIENT);
    return one_workflow(conn, st, "not_found", ret, err);
}

enum jy_err jy_store_workflow_by_id(struct jy_store_conn *conn, int64_t id,
                                    struct jy_store_workflow *ret, struct jy_error *err)
{
    static const char sql[] = WORKFLOW_SELECT "WHERE a.id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    return one_workflow(conn, st, "not_found", ret, err);
}

enum jy_err jy_store_workflow_by_waybill(struct jy_store_conn *conn, const char *waybill,
                                         struct jy_store_workflow *ret, struct jy_error *err)
{
    static const char sql[] = WORKFLOW_SELECT "WHERE a.waybill = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, waybill ? waybill : "", -1, SQLITE_TRANSIENT);
    return one_workflow(conn, st, "unknown_waybill", ret, err);
}

enum jy_err jy_store_workflow_lease_of(struct jy_store_conn *conn, const char *station,
                                       int64_t user_id, int64_t now, struct jy_store_workflow *ret,
                                       struct jy_error *err)
{
    /* "+": search by applications_lease (a few rows), not by the station's whole queue. */
    static const char sql[] =
        WORKFLOW_SELECT "WHERE +a.state = 'at_station' AND +a.station = ?1 AND a.lease_user_id = ?2"
                        " AND a.lease_expires_at > ?3 ORDER BY a.due_date, a.id LIMIT 1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, station ? station : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now);
    return one_workflow(conn, st, "no_lease", ret, err);
}

/* ---- changing applications ---- */

enum jy_err jy_store_workflow_claim_next(struct jy_store_conn *conn, const char *station,
                                         int64_t user_id, int64_t now, int64_t expires_at,
                                         struct jy_store_workflow *ret, struct jy_error *err)
{
    static const char pick_sql[] = "SELECT id, version FROM applications"
                                   " WHERE state = 'at_station' AND station = ?1"
                                   " AND (lease_user_id IS NULL OR lease_expires_at <= ?2)"
                                   " ORDER BY due_date, id LIMIT 1";
    static const char lease_sql[] =
        "UPDATE applications SET lease_user_id = ?3, lease_expires_at = ?4,"
        " version = version + 1, updated_at = ?5 WHERE id = ?1 AND version = ?2";
    enum jy_err e = need_transaction(conn, "claiming", err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, pick_sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, station ? station : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    int64_t id = 0, version = 0;
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        version = sqlite3_column_int64(st, 1);
    } else if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "queue_empty", NULL, "nothing waits at %s",
                         station ? station : "");
    } else {
        e = jy_store_sqlite_error(conn, rc, err);
    }
    sqlite3_reset(st);
    if (e != JY_OK)
        return e;

    st = jy_store_stmt(conn, lease_sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, version);
    sqlite3_bind_int64(st, 3, user_id);
    sqlite3_bind_int64(st, 4, expires_at);
    sqlite3_bind_int64(st, 5, now);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    else if (sqlite3_changes64(jy_store_conn_db(conn)) != 1)
        e = jy_error_set(err, JY_CONFLICT, "version_conflict", NULL,
                         "the application changed while it was being claimed");
    sqlite3_reset(st);
    if (e != JY_OK)
        return e;
    return jy_store_workflow_by_id(conn, id, ret, err);
}

enum jy_err jy_store_workflow_update(struct jy_store_conn *conn,
                                     const struct jy_store_workflow_change *c, struct jy_error *err)
{
    /* Two forms: the waybill's unique index is only touched by the change that sets it (the
     * dispatch), not by every move between stations. */
    static const char sql_waybill[] =
        "UPDATE applications SET state = ?3, station = ?4, lease_user_id = ?5,"
        " lease_expires_at = ?6, waybill = ?7, correction_reason = ?8,"
        " version = version + 1, updated_at = ?9 WHERE id = ?1 AND version = ?2";
    static const char sql_plain[] =
        "UPDATE applications SET state = ?3, station = ?4, lease_user_id = ?5,"
        " lease_expires_at = ?6, correction_reason = ?8,"
        " version = version + 1, updated_at = ?9 WHERE id = ?1 AND version = ?2";
    enum jy_err e = need_transaction(conn, "an application's update", err);
    if (e != JY_OK)
        return e;
    if (!c->state || !*c->state)
        return jy_error_set(err, JY_INVALID, "missing_field", "state", "a change needs a state");
    if ((e = jy__store_check_len(c->state, JY_EVENT_CODE_MAX_BYTES, "state", err)) != JY_OK ||
        (e = jy__store_check_len(c->station, JY_EVENT_CODE_MAX_BYTES, "station", err)) != JY_OK ||
        (e = jy__store_check_len(c->waybill, JY_WORKFLOW_WAYBILL_SIZE - 1, "waybill", err)) !=
            JY_OK ||
        (e = jy__store_check_len(c->correction_reason, JY_EVENT_CODE_MAX_BYTES, "correction_reason",
                                 err)) != JY_OK)
        return e;
    bool set_waybill = c->waybill != NULL;
    sqlite3_stmt *st = jy_store_stmt(conn, set_waybill ? sql_waybill : sql_plain, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, c->id);
    sqlite3_bind_int64(st, 2, c->version);
    sqlite3_bind_text(st, 3, c->state, -1, SQLITE_TRANSIENT);
    jy__store_bind_text_or_null(st, 4, c->station);
    if (c->lease_user_id) {
        sqlite3_bind_int64(st, 5, c->lease_user_id);
        sqlite3_bind_int64(st, 6, c->lease_expires_at);
    }
    if (set_waybill)
        sqlite3_bind_text(st, 7, c->waybill, -1, SQLITE_TRANSIENT);
    jy__store_bind_text_or_null(st, 8, c->correction_reason);
    sqlite3_bind_int64(st, 9, c->now);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    else if (sqlite3_changes64(jy_store_conn_db(conn)) != 1)
        e = jy_error_set(err, JY_CONFLICT, "version_conflict", NULL,
                         "the application was changed by someone else; reload it");
    sqlite3_reset(st);
    return e;
}

/* ---- queues ---- */

enum jy_err jy_store_workflow_queue(struct jy_store_conn *conn, const char *station,
                                    int64_t viewer_id, int64_t now,
                                    const struct jy_store_queue_cursor *after, size_t limit,
                                    bool (*fn)(void *ctx, const struct jy_store_workflow *w),
                                    void *ctx, struct jy_error *err)
{
    static const char sql[] = WORKFLOW_SELECT
        "WHERE a.state = 'at_station' AND a.station = ?1"
        " AND (a.lease_user_id IS NULL OR a.lease_expires_at <= ?2 OR a.lease_user_id = ?3)"
        " AND (a.due_date > ?4 OR (a.due_date = ?4 AND a.id > ?5))"
        " ORDER BY a.due_date, a.id LIMIT ?6";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, station ? station : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, viewer_id);
    sqlite3_bind_text(st, 4, after ? after->due_date : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, after ? after->id : 0);
    sqlite3_bind_int64(st, 6, limit > (size_t)INT32_MAX ? INT32_MAX : (int64_t)limit);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_workflow w;
        if (!read_workflow(st, &w)) {
            e = jy__store_stored_too_long(err, "applications");
            break;
        }
        if (!fn(ctx, &w))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* ---- events ---- */

enum jy_err jy_store_workflow_last_move_at(struct jy_store_conn *conn, int64_t id, int64_t *ret,
                                           struct jy_error *err)
{
    static const char sql[] = "SELECT at FROM events WHERE application_id = ?1"
                              " AND (from_state IS NOT to_state OR from_station IS NOT to_station)"
                              " ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        *ret = 0;
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_workflow_id_last4(struct jy_store_conn *conn, int64_t id, char ret[5],
                                       struct jy_error *err)
{
    static const char sql[] = "SELECT CASE WHEN length(applicant_id_number) >= 4"
                              " THEN upper(substr(applicant_id_number, -4)) ELSE '' END"
                              " FROM applications WHERE id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no such application");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        char buf[5];
        if (jy__store_column_text(st, 0, buf, sizeof(buf)))
            memcpy(ret, buf, sizeof(buf));
        else
            e = jy__store_stored_too_long(err, "applications");
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_workflow_events(struct jy_store_conn *conn, int64_t id, size_t limit,
                                     bool (*fn)(void *ctx,
                                                const struct jy_store_timeline_event *ev),
                                     void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT * FROM (SELECT e.id, e.at, e.actor_id, u.username, e.actor_role, e.branch_id,"
        " b.code, b.name_zh, b.name_en, e.station, e.from_state, e.from_station, e.to_state,"
        " e.to_station, e.reason, e.note"
        " FROM events e LEFT JOIN users u ON u.id = e.actor_id"
        " LEFT JOIN branches b ON b.id = e.branch_id"
        " WHERE e.application_id = ?1 ORDER BY e.id DESC LIMIT ?2) ORDER BY id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, limit > (size_t)INT32_MAX ? INT32_MAX : (int64_t)limit);
    enum jy_err e = JY_OK;
    int rc;
    struct jy_store_timeline_event *ev =
        sqlite3_malloc(sizeof(*ev)); /* 2.5 KiB: not on the stack */
    if (!ev) {
        sqlite3_reset(st);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ev->id = sqlite3_column_int64(st, 0);
        ev->at = sqlite3_column_int64(st, 1);
        ev->actor_id = sqlite3_column_int64(st, 2);
        ev->branch_id = sqlite3_column_int64(st, 5);
        bool ok = jy__store_column_text(st, 3, ev->actor_username, sizeof(ev->actor_username)) &&
                  jy__store_column_text(st, 4, ev->actor_role, sizeof(ev->actor_role)) &&
                  jy__store_column_text(st, 6, ev->branch_code, sizeof(ev->branch_code)) &&
                  jy__store_column_text(st, 7, ev->branch_name_zh, sizeof(ev->branch_name_zh)) &&
                  jy__store_column_text(st, 8, ev->branch_name_en, sizeof(ev->branch_name_en)) &&
                  jy__store_column_text(st, 9, ev->station, sizeof(ev->station)) &&
                  jy__store_column_text(st, 10, ev->from_state, sizeof(ev->from_state)) &&
                  jy__store_column_text(st, 11, ev->from_station, sizeof(ev->from_station)) &&
                  jy__store_column_text(st, 12, ev->to_state, sizeof(ev->to_state)) &&
                  jy__store_column_text(st, 13, ev->to_station, sizeof(ev->to_station)) &&
                  jy__store_column_text(st, 14, ev->reason, sizeof(ev->reason)) &&
                  jy__store_column_text(st, 15, ev->note, sizeof(ev->note));
        if (!ok) {
            e = jy__store_stored_too_long(err, "events");
            break;
        }
        if (!fn(ctx, ev))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    sqlite3_free(ev);
    return e;
}

/* ---- the carrier's feed ---- */

enum jy_err jy_store_shipment_insert(struct jy_store_conn *conn, const struct jy_store_shipment *s,
                                     bool *ret_inserted, struct jy_error *err)
{
    /* ON CONFLICT on the key only: a repeat is "already recorded", while a NOT NULL or type
     * error still fails (OR IGNORE would swallow those too). */
    static const char sql[] =
        "INSERT INTO shipment_events (waybill, status, at, location, received_at, failure_reason)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (waybill, status, at) DO NOTHING";
    enum jy_err e = need_transaction(conn, "recording a shipment event", err);
    if (e != JY_OK)
        return e;
    if ((e = jy__store_check_len(s->waybill, JY_IDENT_MAX_BYTES, "waybill", err)) != JY_OK ||
        (e = jy__store_check_len(s->status, JY_EVENT_CODE_MAX_BYTES, "status", err)) != JY_OK ||
        (e = jy__store_check_len(s->location, JY_SHIPMENT_LOCATION_MAX_BYTES, "location", err)) !=
            JY_OK ||
        (e = jy__store_check_len(s->failure_reason, JY_SHIPMENT_LOCATION_MAX_BYTES,
                                 "failure_reason", err)) != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return prepare_failed(err);
    sqlite3_bind_text(st, 1, s->waybill ? s->waybill : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, s->status ? s->status : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, s->at);
    jy__store_bind_text_or_null(st, 4, s->location);
    sqlite3_bind_int64(st, 5, s->received_at);
    jy__store_bind_text_or_null(st, 6, s->failure_reason);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    else
        *ret_inserted = sqlite3_changes64(jy_store_conn_db(conn)) == 1;
    sqlite3_reset(st);
    return e;
}
