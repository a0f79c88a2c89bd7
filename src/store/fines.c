/*
 * fines.c — decisions, fine payments and W01 approvals: see fines.h.
 */
#include "fines.h"

#include <string.h>

#include "rows.h"
#include "../banned.h"

#define DECISION_COLUMNS                                                                           \
    "d.id, d.decision_number, d.plate, d.plate_type, d.licence_number, d.violation_code,"          \
    " d.description, d.fine_fen, d.points, d.decision_date, d.payment_deadline, d.imported_at,"    \
    " (SELECT p.id FROM fine_payments p WHERE p.decision_id = d.id AND p.reversed_at IS NULL)"

static bool column_date(sqlite3_stmt *st, int i, struct jy_date *ret)
{
    char buf[16];
    return jy__store_column_text(st, i, buf, sizeof(buf)) && strlen(buf) == 10 &&
           jy_date_parse(buf, 10, ret, NULL) == JY_OK;
}

static enum jy_err read_decision(sqlite3_stmt *st, struct jy_store_decision *r,
                                 struct jy_error *err)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    struct jy_decision *d = &r->d;
    if (!jy__store_column_text(st, 1, d->number, sizeof(d->number)) ||
        !jy__store_column_text(st, 2, d->plate, sizeof(d->plate)) ||
        !jy__store_column_text(st, 3, d->plate_type, sizeof(d->plate_type)) ||
        !jy__store_column_text(st, 4, d->licence_number, sizeof(d->licence_number)) ||
        !jy__store_column_text(st, 5, d->violation_code, sizeof(d->violation_code)) ||
        !jy__store_column_text(st, 6, d->description, sizeof(d->description)) ||
        !column_date(st, 9, &d->decision_date) || !column_date(st, 10, &d->payment_deadline))
        return jy__store_stored_too_long(err, "decisions");
    d->fine_fen = sqlite3_column_int64(st, 7);
    d->points = sqlite3_column_int(st, 8);
    r->imported_at = sqlite3_column_int64(st, 11);
    r->payment_id = sqlite3_column_int64(st, 12);
    return JY_OK;
}

enum jy_err jy_store_decision_insert(struct jy_store_conn *conn, const struct jy_decision *d,
                                     int64_t now, bool demo, int64_t *ret_id, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO decisions (decision_number, plate, plate_type, licence_number,"
        " violation_code, description, fine_fen, points, decision_date, payment_deadline,"
        " imported_at, demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    char dd[JY_DATE_TEXT_SIZE], pd[JY_DATE_TEXT_SIZE];
    sqlite3_bind_text(st, 1, d->number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, d->plate, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, d->plate_type, -1, SQLITE_TRANSIENT);
    jy__store_bind_text_or_null(st, 4, d->licence_number);
    sqlite3_bind_text(st, 5, d->violation_code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, d->description, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, d->fine_fen);
    sqlite3_bind_int(st, 8, d->points);
    sqlite3_bind_text(st, 9, jy_date_format(d->decision_date, dd), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, jy_date_format(d->payment_deadline, pd), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 11, now);
    sqlite3_bind_int(st, 12, demo ? 1 : 0);
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (e == JY_OK && ret_id)
        *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return e;
}

enum jy_err jy_store_decision_by_number(struct jy_store_conn *conn, const char *number,
                                        struct jy_store_decision *ret, struct jy_error *err)
{
    static const char sql[] =
        "SELECT " DECISION_COLUMNS " FROM decisions d WHERE d.decision_number = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    enum jy_err e;
    if (rc == SQLITE_ROW)
        e = read_decision(st, ret, err);
    else if (rc == SQLITE_DONE)
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "there is no decision %s", number);
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_decisions_open(struct jy_store_conn *conn, const char *plate,
                                    const char *plate_type, const char *licence_number,
                                    bool (*fn)(void *ctx, const struct jy_store_decision *d),
                                    void *ctx, struct jy_error *err)
{
    static const char by_plate[] =
        "SELECT " DECISION_COLUMNS " FROM decisions d WHERE d.plate = ?1 AND d.plate_type = ?2"
        " AND NOT EXISTS (SELECT 1 FROM fine_payments p WHERE p.decision_id = d.id"
        " AND p.reversed_at IS NULL) ORDER BY d.payment_deadline, d.id LIMIT ?3";
    static const char by_licence[] =
        "SELECT " DECISION_COLUMNS " FROM decisions d WHERE d.licence_number = ?1"
        " AND NOT EXISTS (SELECT 1 FROM fine_payments p WHERE p.decision_id = d.id"
        " AND p.reversed_at IS NULL) ORDER BY d.payment_deadline, d.id LIMIT ?3";
    sqlite3_stmt *st = jy_store_stmt(conn, plate ? by_plate : by_licence, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    if (plate) {
        sqlite3_bind_text(st, 1, plate, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, plate_type, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_text(st, 1, licence_number, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(st, 3, JY_PAGE_MAX_ITEMS);
    enum jy_err e = JY_OK;
    int rc;
    struct jy_store_decision d;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((e = read_decision(st, &d, err)) != JY_OK)
            break;
        if (!fn(ctx, &d))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* ---- payments ---- */

#define PAYMENT_SELECT                                                                             \
    "SELECT p.id, p.decision_id, d.decision_number, d.plate, d.plate_type, p.method, p.fine_fen,"  \
    " p.surcharge_fen, p.amount_fen, p.days_overdue, p.reference, p.clerk_id, u.username,"         \
    " coalesce(u.display_name, u.username), p.branch_id, b.code, b.name_zh, p.paid_at,"            \
    " p.paid_date, p.idempotency_key, coalesce(p.reversed_at, 0), coalesce(p.reversed_by, 0),"     \
    " p.reversal_reason FROM fine_payments p JOIN decisions d ON d.id = p.decision_id"             \
    " JOIN users u ON u.id = p.clerk_id JOIN branches b ON b.id = p.branch_id"

static enum jy_err read_payment(sqlite3_stmt *st, struct jy_store_fine_payment *r,
                                struct jy_error *err)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    r->decision_id = sqlite3_column_int64(st, 1);
    r->fine_fen = sqlite3_column_int64(st, 6);
    r->surcharge_fen = sqlite3_column_int64(st, 7);
    r->amount_fen = sqlite3_column_int64(st, 8);
    r->days_overdue = sqlite3_column_int(st, 9);
    r->clerk_id = sqlite3_column_int64(st, 11);
    r->branch_id = sqlite3_column_int64(st, 14);
    r->paid_at = sqlite3_column_int64(st, 17);
    r->reversed_at = sqlite3_column_int64(st, 20);
    r->reversed_by = sqlite3_column_int64(st, 21);
    if (!jy__store_column_text(st, 2, r->decision_number, sizeof(r->decision_number)) ||
        !jy__store_column_text(st, 3, r->plate, sizeof(r->plate)) ||
        !jy__store_column_text(st, 4, r->plate_type, sizeof(r->plate_type)) ||
        !jy__store_column_text(st, 5, r->method, sizeof(r->method)) ||
        !jy__store_column_text(st, 10, r->reference, sizeof(r->reference)) ||
        !jy__store_column_text(st, 12, r->clerk_username, sizeof(r->clerk_username)) ||
        !jy__store_column_text(st, 13, r->clerk_name, sizeof(r->clerk_name)) ||
        !jy__store_column_text(st, 15, r->branch_code, sizeof(r->branch_code)) ||
        !jy__store_column_text(st, 16, r->branch_name, sizeof(r->branch_name)) ||
        !jy__store_column_text(st, 18, r->paid_date, sizeof(r->paid_date)) ||
        !jy__store_column_text(st, 19, r->idempotency_key, sizeof(r->idempotency_key)) ||
        !jy__store_column_text(st, 22, r->reversal_reason, sizeof(r->reversal_reason)))
        return jy__store_stored_too_long(err, "fine_payments");
    return JY_OK;
}

enum jy_err jy_store_fine_payment_insert(struct jy_store_conn *conn,
                                         const struct jy_store_fine_payment *p, int64_t *ret_id,
                                         struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO fine_payments (decision_id, method, fine_fen, surcharge_fen, amount_fen,"
        " days_overdue, reference, clerk_id, branch_id, paid_at, paid_date, idempotency_key)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, p->decision_id);
    sqlite3_bind_text(st, 2, p->method, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, p->fine_fen);
    sqlite3_bind_int64(st, 4, p->surcharge_fen);
    sqlite3_bind_int64(st, 5, p->amount_fen);
    sqlite3_bind_int(st, 6, p->days_overdue);
    jy__store_bind_text_or_null(st, 7, p->reference);
    sqlite3_bind_int64(st, 8, p->clerk_id);
    sqlite3_bind_int64(st, 9, p->branch_id);
    sqlite3_bind_int64(st, 10, p->paid_at);
    sqlite3_bind_text(st, 11, p->paid_date, -1, SQLITE_TRANSIENT);
    jy__store_bind_text_or_null(st, 12, p->idempotency_key);
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (e == JY_OK)
        *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return e;
}

static enum jy_err payment_one(struct jy_store_conn *conn, sqlite3_stmt *st,
                               struct jy_store_fine_payment *ret, struct jy_error *err)
{
    int rc = sqlite3_step(st);
    enum jy_err e;
    if (rc == SQLITE_ROW)
        e = read_payment(st, ret, err);
    else if (rc == SQLITE_DONE)
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "there is no such payment");
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_fine_payment_by_id(struct jy_store_conn *conn, int64_t id,
                                        struct jy_store_fine_payment *ret, struct jy_error *err)
{
    static const char sql[] = PAYMENT_SELECT " WHERE p.id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    return payment_one(conn, st, ret, err);
}

enum jy_err jy_store_fine_payment_by_key(struct jy_store_conn *conn, int64_t clerk_id,
                                         const char *key, struct jy_store_fine_payment *ret,
                                         struct jy_error *err)
{
    static const char sql[] = PAYMENT_SELECT " WHERE p.clerk_id = ?1 AND p.idempotency_key = ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, clerk_id);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    return payment_one(conn, st, ret, err);
}

enum jy_err jy_store_fine_payment_reverse(struct jy_store_conn *conn, int64_t id, int64_t by,
                                          int64_t at, const char *reason, struct jy_error *err)
{
    static const char sql[] = "UPDATE fine_payments SET reversed_at = ?2, reversed_by = ?3,"
                              " reversal_reason = ?4 WHERE id = ?1 AND reversed_at IS NULL";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_int64(st, 3, by);
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_TRANSIENT);
    enum jy_err e = jy__store_step_done(conn, st, err);
    if (e == JY_OK && sqlite3_changes64(jy_store_conn_db(conn)) == 0)
        e = jy_error_set(err, JY_CONFLICT, "already_reversed", NULL,
                         "the payment is already reversed");
    return e;
}

enum jy_err jy_store_fine_payments_day(struct jy_store_conn *conn, const char *date,
                                       bool (*fn)(void *ctx, const struct jy_store_fine_payment *p),
                                       void *ctx, struct jy_error *err)
{
    static const char sql[] = PAYMENT_SELECT " WHERE p.paid_date = ?1 ORDER BY b.code, p.id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
    enum jy_err e = JY_OK;
    int rc;
    struct jy_store_fine_payment p;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((e = read_payment(st, &p, err)) != JY_OK)
            break;
        if (!fn(ctx, &p))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* ---- W01 approvals ---- */

enum jy_err jy_store_violation_approval_insert(struct jy_store_conn *conn, int64_t application_id,
                                               const char *decision_number, int points, int64_t by,
                                               int64_t at, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO violation_approvals (application_id, decision_number, points, approved_by,"
        " approved_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, application_id);
    sqlite3_bind_text(st, 2, decision_number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, points);
    sqlite3_bind_int64(st, 4, by);
    sqlite3_bind_int64(st, 5, at);
    return jy__store_step_done(conn, st, err);
}

enum jy_err jy_store_violation_approval_get(struct jy_store_conn *conn, int64_t application_id,
                                            char ret_number[JY_DECISION_NUMBER_MAX_BYTES + 1],
                                            int *ret_points, struct jy_error *err)
{
    static const char sql[] =
        "SELECT decision_number, points FROM violation_approvals WHERE application_id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    sqlite3_bind_int64(st, 1, application_id);
    int rc = sqlite3_step(st);
    enum jy_err e = JY_OK;
    if (rc == SQLITE_ROW) {
        if (!jy__store_column_text(st, 0, ret_number, JY_DECISION_NUMBER_MAX_BYTES + 1))
            e = jy__store_stored_too_long(err, "violation_approvals");
        else
            *ret_points = sqlite3_column_int(st, 1);
    } else if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no approval is recorded");
    } else {
        e = jy_store_sqlite_error(conn, rc, err);
    }
    sqlite3_reset(st);
    return e;
}
