/*
 * fines.c — decisions, payments, reversals, receipts, settlement and reconciliation: see
 * fines.h.
 */
#include "fines.h"
#include "csvbuf.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/money.h"
#include "core/plate.h"
#include "core/text.h"
#include "limits.h"
#include "render/fine_receipt.h"
#include "render/render.h"
#include "../banned.h"

/* ---- who ---- */

static enum jy_err may_look(const struct jy_actor *a, struct jy_error *err)
{
    if (a->role == JY_ROLE_CLERK || a->role == JY_ROLE_SUPERVISOR || a->role == JY_ROLE_MANAGER ||
        a->role == JY_ROLE_ADMIN)
        return JY_OK;
    return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                        "only clerks, the police, managers and admins look fines up");
}

static enum jy_err may_settle(const struct jy_actor *a, struct jy_error *err)
{
    if (a->role == JY_ROLE_SUPERVISOR || a->role == JY_ROLE_MANAGER || a->role == JY_ROLE_ADMIN)
        return JY_OK;
    return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                        "only the police, managers and admins settle the day's fines");
}

static struct jy_date today(struct jy_service *svc)
{
    return jy_date_from_unix_shanghai(jy_service_now(svc));
}

/* ---- looking up ---- */

static void view(const struct jy_store_decision *d, struct jy_date day, struct jy_fine *ret)
{
    ret->decision = *d;
    ret->open = d->payment_id == 0;
    ret->days_overdue = jy_decision_days_overdue(d->d.payment_deadline, day);
    ret->surcharge_fen = jy_money_fine_surcharge(d->d.fine_fen, ret->days_overdue);
    ret->total_fen = d->d.fine_fen + ret->surcharge_fen;
}

enum jy_err jy_fines_get(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                         struct jy_fine *ret, struct jy_error *err)
{
    enum jy_err e = may_look(actor, err);
    if (e != JY_OK)
        return e;
    char no[JY_DECISION_NUMBER_MAX_BYTES + 1];
    if ((e = jy_decision_number_parse(number, number ? strnlen(number, 256) : 0, no, err)) != JY_OK)
        return e;
    struct jy_store_conn *conn;
    struct jy_store_decision d;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK ||
        (e = jy_store_decision_by_number(conn, no, &d, err)) != JY_OK)
        return e;
    view(&d, today(svc), ret);
    return JY_OK;
}

struct find_ctx {
    struct jy_date day;
    bool (*fn)(void *ctx, const struct jy_fine *f);
    void *ctx;
};

static bool find_each(void *ctx, const struct jy_store_decision *d)
{
    struct find_ctx *fc = ctx;
    struct jy_fine f;
    view(d, fc->day, &f);
    return fc->fn(fc->ctx, &f);
}

enum jy_err jy_fines_find(struct jy_service *svc, const struct jy_actor *actor, const char *plate,
                          const char *plate_type, const char *licence_number,
                          bool (*fn)(void *ctx, const struct jy_fine *f), void *ctx,
                          struct jy_error *err)
{
    enum jy_err e = may_look(actor, err);
    if (e != JY_OK)
        return e;
    struct jy_plate p;
    struct jy_idcard id;
    const char *type_code = NULL;
    struct jy_date day = today(svc);
    if (plate && *plate) {
        if (!plate_type || !*plate_type)
            return jy_error_set(err, JY_INVALID, "missing_field", "plate_type",
                                "plate_type is required with plate");
        if ((e = jy_plate_parse(plate, strnlen(plate, 256), &p, err)) != JY_OK) {
            if (err)
                jy_strlcpy(err->field, "plate", sizeof(err->field));
            return e;
        }
        const struct jy_plate_type *t = jy_plate_type_find(plate_type, strnlen(plate_type, 256));
        if (!t)
            return jy_error_set(err, JY_INVALID, "unknown_plate_type", "plate_type",
                                "plate_type is not a GA 24.7 plate type code");
        type_code = t->code;
    } else if (licence_number && *licence_number) {
        if ((e = jy_idcard_parse(licence_number, strnlen(licence_number, 256), day, &id, err)) !=
            JY_OK) {
            if (err)
                jy_strlcpy(err->field, "licence_number", sizeof(err->field));
            return e;
        }
    } else {
        return jy_error_set(err, JY_INVALID, "missing_field", "plate",
                            "give plate and plate_type, or licence_number");
    }
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct find_ctx fc = {day, fn, ctx};
    return jy_store_decisions_open(conn, type_code ? p.text : NULL, type_code,
                                   type_code ? NULL : id.number, find_each, &fc, err);
}

/* ---- paying ---- */

bool jy_fines_method_valid(const char *m)
{
    return m && (strcmp(m, "cash") == 0 || strcmp(m, "bank_card") == 0 || strcmp(m, "qr") == 0);
}

static bool printable_token(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return false;
    return true;
}

enum jy_err jy_fines_pay(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                         const struct jy_fine_payment_request *rq,
                         struct jy_store_fine_payment *ret, bool *ret_repeated,
                         struct jy_error *err)
{
    *ret_repeated = false;
    if (actor->role != JY_ROLE_CLERK || actor->branch_id == 0)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only a branch's counter clerk takes a fine's payment");
    if (!jy_fines_method_valid(rq->method))
        return jy_error_set(err, JY_INVALID, "bad_method", "method",
                            "method is cash, bank_card or qr");
    bool cash = strcmp(rq->method, "cash") == 0;
    const char *ref = rq->reference && *rq->reference ? rq->reference : NULL;
    if (!cash && !ref)
        return jy_error_set(err, JY_INVALID, "missing_field", "reference",
                            "a card or QR payment needs its reference");
    if (ref && !printable_token(ref, JY_FINE_REFERENCE_MAX_BYTES))
        return jy_error_set(err, JY_INVALID, "bad_reference", "reference",
                            "a reference is 1 to %d printable ASCII characters, no spaces",
                            JY_FINE_REFERENCE_MAX_BYTES);
    const char *key = rq->idempotency_key;
    if (key && !printable_token(key, JY_IDEMPOTENCY_KEY_MAX_BYTES))
        return jy_error_set(err, JY_INVALID, "bad_idempotency_key", "Idempotency-Key",
                            "an Idempotency-Key is 1 to %d printable ASCII characters, no spaces",
                            JY_IDEMPOTENCY_KEY_MAX_BYTES);
    char no[JY_DECISION_NUMBER_MAX_BYTES + 1];
    enum jy_err e = jy_decision_number_parse(number, number ? strnlen(number, 256) : 0, no, err);
    if (e != JY_OK)
        return e;

    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    struct jy_date day = jy_date_from_unix_shanghai(now);
    struct jy_store_decision d;
    struct jy_fine f;
    struct jy_store_fine_payment p;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = jy_store_decision_by_number(conn, no, &d, err)) != JY_OK)
        goto out;
    if (key) {
        e = jy_store_fine_payment_by_key(conn, actor->user_id, key, &p, err);
        if (e == JY_OK) {
            if (p.decision_id != d.id || p.amount_fen != rq->amount_fen ||
                strcmp(p.method, rq->method) != 0) {
                e = jy_error_set(err, JY_CONFLICT, "idempotency_key_reused", "Idempotency-Key",
                                 "this Idempotency-Key was used for a different payment");
                goto out;
            }
            jy_store_rollback(conn);
            *ret = p;
            *ret_repeated = true;
            return JY_OK;
        }
        if (e != JY_NOT_FOUND)
            goto out;
    }
    view(&d, day, &f);
    if (!f.open) {
        e = jy_error_set(err, JY_CONFLICT, "already_paid", NULL,
                         "decision %s is already paid (payment %" PRId64 ")", no, d.payment_id);
        goto out;
    }
    if (rq->amount_fen != f.total_fen) {
        char due[JY_MONEY_TEXT_SIZE];
        jy_money_format(f.total_fen, due);
        e = jy_error_set(err, JY_UNPROCESSABLE, "wrong_amount", "amount_fen",
                         "the amount due today is %s (%" PRId64 " fen: fine %" PRId64
                         " + surcharge %" PRId64 ")",
                         due, f.total_fen, d.d.fine_fen, f.surcharge_fen);
        goto out;
    }
    memset(&p, 0, sizeof(p));
    p.decision_id = d.id;
    jy_strlcpy(p.method, rq->method, sizeof(p.method));
    p.fine_fen = d.d.fine_fen;
    p.surcharge_fen = f.surcharge_fen;
    p.amount_fen = f.total_fen;
    p.days_overdue = f.days_overdue;
    if (ref)
        jy_strlcpy(p.reference, ref, sizeof(p.reference));
    p.clerk_id = actor->user_id;
    p.branch_id = actor->branch_id;
    p.paid_at = now;
    jy_date_format(day, p.paid_date);
    if (key)
        jy_strlcpy(p.idempotency_key, key, sizeof(p.idempotency_key));
    int64_t id;
    if ((e = jy_store_fine_payment_insert(conn, &p, &id, err)) != JY_OK) {
        if (e == JY_CONFLICT)
            e = jy_error_set(err, JY_CONFLICT, "already_paid", NULL, "decision %s is already paid",
                             no);
        goto out;
    }
    if ((e = jy_store_fine_payment_by_id(conn, id, ret, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK)
        goto out;
    return JY_OK;
out:
    jy_store_rollback(conn);
    return e;
}

enum jy_err jy_fines_reverse(struct jy_service *svc, const struct jy_actor *actor,
                             int64_t payment_id, const char *reason,
                             struct jy_store_fine_payment *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_SUPERVISOR)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only the police supervisor reverses a payment");
    if (!reason || !*reason)
        return jy_error_set(err, JY_INVALID, "missing_field", "reason",
                            "a reversal needs its reason");
    size_t rn = strnlen(reason, JY_NOTE_MAX_BYTES + 1);
    if (rn > JY_NOTE_MAX_BYTES || !jy_text_is_clean(reason, rn, true, NULL))
        return jy_error_set(err, JY_INVALID, "invalid_reason", "reason",
                            "the reason is at most %d bytes of text without control characters",
                            JY_NOTE_MAX_BYTES);
    struct jy_store_conn *conn;
    enum jy_err e;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    char day[JY_DATE_TEXT_SIZE];
    jy_date_format(jy_date_from_unix_shanghai(now), day);
    struct jy_store_fine_payment p;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = jy_store_fine_payment_by_id(conn, payment_id, &p, err)) != JY_OK)
        goto out;
    if (p.reversed_at) {
        e = jy_error_set(err, JY_CONFLICT, "already_reversed", NULL,
                         "the payment is already reversed");
        goto out;
    }
    if (strcmp(p.paid_date, day) != 0) {
        e = jy_error_set(err, JY_CONFLICT, "not_same_day", NULL,
                         "a payment is reversed only on the day it was made (%s); it is "
                         "settled now",
                         p.paid_date);
        goto out;
    }
    if ((e = jy_store_fine_payment_reverse(conn, payment_id, actor->user_id, now, reason, err)) !=
            JY_OK ||
        (e = jy_store_fine_payment_by_id(conn, payment_id, ret, err)) != JY_OK ||
        (e = jy_store_commit(conn, err)) != JY_OK)
        goto out;
    return JY_OK;
out:
    jy_store_rollback(conn);
    return e;
}

enum jy_err jy_fines_payment_get(struct jy_service *svc, const struct jy_actor *actor,
                                 int64_t payment_id, struct jy_store_fine_payment *ret,
                                 struct jy_error *err)
{
    enum jy_err e = may_look(actor, err);
    struct jy_store_conn *conn;
    if (e != JY_OK || (e = jy_service_conn(svc, &conn, err)) != JY_OK ||
        (e = jy_store_fine_payment_by_id(conn, payment_id, ret, err)) != JY_OK)
        return e;
    if (actor->role == JY_ROLE_CLERK && ret->branch_id != actor->branch_id)
        return jy_error_set(err, JY_FORBIDDEN, "out_of_scope", NULL,
                            "the payment was taken at another branch");
    return JY_OK;
}

enum jy_err jy_fines_receipt_pdf(struct jy_service *svc, const struct jy_actor *actor,
                                 int64_t payment_id, unsigned char **ret, size_t *ret_len,
                                 struct jy_error *err)
{
    struct jy_store_fine_payment p;
    struct jy_store_decision d;
    struct jy_store_conn *conn;
    enum jy_err e;
    if ((e = jy_fines_payment_get(svc, actor, payment_id, &p, err)) != JY_OK ||
        (e = jy_service_conn(svc, &conn, err)) != JY_OK ||
        (e = jy_store_decision_by_number(conn, p.decision_number, &d, err)) != JY_OK)
        return e;
    char serial[32];
    snprintf(serial, sizeof(serial), "FK%08" PRId64, p.id);
    static const char *const methods[][2] = {
        {"cash", "现金 Cash"}, {"bank_card", "银行卡 Bank card"}, {"qr", "扫码 QR payment"}};
    const char *method = p.method;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(p.method, methods[i][0]) == 0)
            method = methods[i][1];
    struct jy_fine_receipt r = {
        .serial = serial,
        .decision_number = p.decision_number,
        .plate = p.plate,
        .violation = d.d.description,
        .fine_fen = p.fine_fen,
        .surcharge_fen = p.surcharge_fen,
        .amount_fen = p.amount_fen,
        .days_overdue = p.days_overdue,
        .method = method,
        .reference = p.reference[0] ? p.reference : NULL,
        .branch_name = p.branch_name,
        .clerk_name = p.clerk_name,
        .paid_at = p.paid_at,
        .reversed = p.reversed_at != 0,
        .reversal_reason = p.reversed_at ? p.reversal_reason : NULL,
    };
    return jy_render_fine_receipt(&r, ret, ret_len, err);
}

/* ---- import ---- */

struct import_ctx {
    struct jy_store_conn *conn;
    int64_t now;
    jy_fines_import_report_fn report;
    void *rctx;
    struct jy_fines_import_result *res;
    enum jy_err rc; /* a store failure: stops the import */
    struct jy_error *err;
};

/* The first field in which `a` and `b` differ, or NULL. */
static const char *first_difference(const struct jy_decision *a, const struct jy_decision *b)
{
    if (strcmp(a->plate, b->plate) != 0)
        return "plate";
    if (strcmp(a->plate_type, b->plate_type) != 0)
        return "plate_type";
    if (strcmp(a->licence_number, b->licence_number) != 0)
        return "licence_number";
    if (strcmp(a->violation_code, b->violation_code) != 0)
        return "violation_code";
    if (strcmp(a->description, b->description) != 0)
        return "description";
    if (a->fine_fen != b->fine_fen)
        return "fine_fen";
    if (a->points != b->points)
        return "points";
    if (jy_date_compare(a->decision_date, b->decision_date) != 0)
        return "decision_date";
    if (jy_date_compare(a->payment_deadline, b->payment_deadline) != 0)
        return "payment_deadline";
    return NULL;
}

static bool import_row(void *ctx, long line, const struct jy_decision *d,
                       const struct jy_error *row_err)
{
    struct import_ctx *ic = ctx;
    if (!d) {
        ic->res->bad++;
        if (ic->report)
            ic->report(ic->rctx, line, NULL, "bad", row_err);
        return true;
    }
    struct jy_store_decision old;
    struct jy_error e2;
    enum jy_err e = jy_store_decision_by_number(ic->conn, d->number, &old, &e2);
    if (e == JY_NOT_FOUND) {
        e = jy_store_decision_insert(ic->conn, d, ic->now, false, NULL, &e2);
        if (e == JY_OK) {
            ic->res->imported++;
            return true;
        }
    }
    if (e != JY_OK) {
        ic->rc = e;
        if (ic->err)
            *ic->err = e2;
        return false;
    }
    const char *diff = first_difference(d, &old.d);
    if (!diff) {
        ic->res->unchanged++;
        if (ic->report)
            ic->report(ic->rctx, line, d->number, "unchanged", NULL);
        return true;
    }
    ic->res->changed++;
    jy_error_set(&e2, JY_CONFLICT, "decision_changed", diff,
                 "decision %s is stored with another %s; it is not overwritten", d->number, diff);
    if (ic->report)
        ic->report(ic->rctx, line, d->number, "changed", &e2);
    return true;
}

enum jy_err jy_fines_import(struct jy_service *svc, const struct jy_actor *actor, const char *text,
                            size_t len, jy_fines_import_report_fn report, void *ctx,
                            struct jy_fines_import_result *ret, struct jy_error *err)
{
    if (actor->role != JY_ROLE_SUPERVISOR && actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only the police import penalty decisions");
    memset(ret, 0, sizeof(*ret));
    struct jy_store_conn *conn;
    enum jy_err e;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    struct import_ctx ic = {conn, now, report, ctx, ret, JY_OK, err};
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    e = jy_decision_csv_read(text, len, jy_date_from_unix_shanghai(now), import_row, &ic, err);
    if (e == JY_OK && ic.rc != JY_OK)
        e = ic.rc;
    if (e == JY_OK)
        e = jy_store_commit(conn, err);
    else
        jy_store_rollback(conn);
    if (e != JY_OK)
        memset(ret, 0, sizeof(*ret));
    return e;
}

/* ---- settlement ---- */

struct day_ctx {
    struct jy_fines_settlement *s;
    size_t cap;
    bool nomem;
};

static bool day_each(void *ctx, const struct jy_store_fine_payment *p)
{
    struct day_ctx *dc = ctx;
    struct jy_fines_settlement *s = dc->s;
    if (s->n_payments == dc->cap) {
        size_t cap = dc->cap ? dc->cap * 2 : 16;
        void *m = realloc(s->payments, cap * sizeof(*s->payments));
        if (!m) {
            dc->nomem = true;
            return false;
        }
        s->payments = m;
        dc->cap = cap;
    }
    s->payments[s->n_payments++] = *p;
    return true;
}

void jy_fines_settlement_free(struct jy_fines_settlement *s)
{
    if (!s)
        return;
    free(s->payments);
    free(s->branches);
    free(s);
}

enum jy_err jy_fines_settlement(struct jy_service *svc, const struct jy_actor *actor,
                                struct jy_date date, struct jy_fines_settlement **ret,
                                struct jy_error *err)
{
    enum jy_err e = may_settle(actor, err);
    if (e != JY_OK)
        return e;
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct jy_fines_settlement *s = calloc(1, sizeof(*s));
    if (!s)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    jy_date_format(date, s->date);
    struct day_ctx dc = {s, 0, false};
    e = jy_store_fine_payments_day(conn, s->date, day_each, &dc, err);
    if (e == JY_OK && dc.nomem)
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if (e == JY_OK && s->n_payments) {
        s->branches = calloc(s->n_payments, sizeof(*s->branches));
        if (!s->branches)
            e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    for (size_t i = 0; e == JY_OK && i < s->n_payments; i++) {
        const struct jy_store_fine_payment *p = &s->payments[i];
        if (p->reversed_at) {
            s->reversed++;
            continue;
        }
        /* payments come by branch code: a new branch starts a new total */
        struct jy_fines_branch_total *b = s->n_branches ? &s->branches[s->n_branches - 1] : NULL;
        if (!b || b->branch_id != p->branch_id) {
            b = &s->branches[s->n_branches++];
            b->branch_id = p->branch_id;
            jy_strlcpy(b->code, p->branch_code, sizeof(b->code));
            jy_strlcpy(b->name, p->branch_name, sizeof(b->name));
        }
        b->count++;
        b->fine_fen += p->fine_fen;
        b->surcharge_fen += p->surcharge_fen;
        b->amount_fen += p->amount_fen;
        s->count++;
        s->fine_fen += p->fine_fen;
        s->surcharge_fen += p->surcharge_fen;
        s->amount_fen += p->amount_fen;
    }
    if (e != JY_OK) {
        jy_fines_settlement_free(s);
        return e;
    }
    *ret = s;
    return JY_OK;
}

/* One CSV field guarded against formulas (csvbuf.h), then "," or, when `last`, the line's end. */
static void field(struct jy_csv_buf *b, const char *s, bool last)
{
    jy_csv_field(b, s, true);
    jy_csv_put(b, last ? "\r\n" : ",", last ? 2 : 1);
}

static void field_int(struct jy_csv_buf *b, int64_t v, bool last)
{
    char t[32];
    snprintf(t, sizeof(t), "%" PRId64, v);
    field(b, t, last);
}

/* One payment's row of the settlement file. */
static void payment_row(struct jy_csv_buf *b, const char *date,
                        const struct jy_store_fine_payment *p)
{
    char at[JY_RENDER_TIME_SIZE];
    jy_render_format_time(p->paid_at, at);
    field(b, p->reversed_at ? "reversed" : "payment", false);
    field(b, date, false);
    field(b, p->branch_code, false);
    field(b, p->branch_name, false);
    field_int(b, p->id, false);
    field(b, p->decision_number, false);
    field(b, p->plate, false);
    field(b, p->plate_type, false);
    field(b, p->method, false);
    field(b, p->reference, false);
    field(b, p->clerk_username, false);
    field(b, at, false);
    field_int(b, p->days_overdue, false);
    field_int(b, p->fine_fen, false);
    field_int(b, p->surcharge_fen, false);
    field_int(b, p->amount_fen, true);
}

enum jy_err jy_fines_settlement_csv(const struct jy_fines_settlement *s, char **ret,
                                    size_t *ret_len, struct jy_error *err)
{
    struct jy_csv_buf b = {0};
    static const char header[] =
        "record,date,branch_code,branch_name,payment_id,decision_number,plate,plate_type,method,"
        "reference,clerk,paid_at,days_overdue,fine_fen,surcharge_fen,amount_fen\r\n";
    jy_csv_put(&b, header, sizeof(header) - 1);
    /* The payments in force, then the day's reversed payments (record "reversed", left out of
     * every total), so that finance sees what was taken back and by whom it was taken. */
    for (int reversed = 0; reversed <= 1; reversed++)
        for (size_t i = 0; i < s->n_payments; i++)
            if ((s->payments[i].reversed_at != 0) == (reversed != 0))
                payment_row(&b, s->date, &s->payments[i]);
    for (size_t i = 0; i < s->n_branches; i++) {
        const struct jy_fines_branch_total *t = &s->branches[i];
        field(&b, "branch_total", false);
        field(&b, s->date, false);
        field(&b, t->code, false);
        field(&b, t->name, false);
        field_int(&b, t->count, false);
        jy_csv_put(&b, ",,,,,,,,", 8);
        field_int(&b, t->fine_fen, false);
        field_int(&b, t->surcharge_fen, false);
        field_int(&b, t->amount_fen, true);
    }
    field(&b, "total", false);
    field(&b, s->date, false);
    jy_csv_put(&b, ",,", 2);
    field_int(&b, s->count, false);
    jy_csv_put(&b, ",,,,,,,,", 8);
    field_int(&b, s->fine_fen, false);
    field_int(&b, s->surcharge_fen, false);
    field_int(&b, s->amount_fen, true);
    if (!b.nomem) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)b.p, b.len);
        char line[16 + 2 * crypto_hash_sha256_BYTES];
        memcpy(line, "sha256,", 7);
        sodium_bin2hex(line + 7, sizeof(line) - 7, h, sizeof(h));
        jy_csv_put(&b, line, strlen(line));
        jy_csv_put(&b, "\r\n", 2);
    }
    if (b.nomem) {
        free(b.p);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    *ret = b.p;
    *ret_len = b.len;
    return JY_OK;
}

/* ---- reconciliation ---- */

struct list {
    struct jy_fines_recon_item *items;
    size_t n, cap;
};

static struct jy_fines_recon_item *add(struct list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        void *m = realloc(l->items, cap * sizeof(*l->items));
        if (!m)
            return NULL;
        l->items = m;
        l->cap = cap;
    }
    struct jy_fines_recon_item *it = &l->items[l->n++];
    memset(it, 0, sizeof(*it));
    return it;
}

struct recon_ctx {
    const struct jy_fines_settlement *s;
    bool *seen; /* per payment of s */
    struct list matched, unexpected, bad;
    bool nomem;
};

static bool recon_row(void *ctx, long line, const char *number, int64_t amount,
                      const struct jy_error *row_err)
{
    struct recon_ctx *rc = ctx;
    struct jy_fines_recon_item *it;
    if (!number) {
        if (!(it = add(&rc->bad)))
            return !(rc->nomem = true);
        it->line = line;
        jy_strlcpy(it->reason, row_err->reason, sizeof(it->reason));
        return true;
    }
    const struct jy_fines_settlement *s = rc->s;
    size_t found = s->n_payments;
    for (size_t i = 0; i < s->n_payments; i++)
        if (!s->payments[i].reversed_at && strcmp(s->payments[i].decision_number, number) == 0) {
            found = i;
            break;
        }
    const char *reason = NULL;
    if (found == s->n_payments)
        reason = "not_paid_that_day";
    else if (rc->seen[found])
        reason = "duplicate";
    else if (s->payments[found].amount_fen != amount)
        reason = "amount_differs";
    if (found < s->n_payments)
        rc->seen[found] = true;
    if (!(it = add(reason ? &rc->unexpected : &rc->matched)))
        return !(rc->nomem = true);
    jy_strlcpy(it->decision_number, number, sizeof(it->decision_number));
    it->amount_fen = amount;
    it->line = line;
    if (reason) {
        jy_strlcpy(it->reason, reason, sizeof(it->reason));
        if (found < s->n_payments)
            it->our_amount_fen = s->payments[found].amount_fen;
    }
    return true;
}

void jy_fines_reconciliation_free(struct jy_fines_reconciliation *r)
{
    if (!r)
        return;
    free(r->matched);
    free(r->missing);
    free(r->unexpected);
    free(r->bad);
    free(r);
}

enum jy_err jy_fines_reconcile(const struct jy_fines_settlement *s, const char *text, size_t len,
                               struct jy_fines_reconciliation **ret, struct jy_error *err)
{
    struct recon_ctx rc;
    memset(&rc, 0, sizeof(rc));
    rc.s = s;
    rc.seen = calloc(s->n_payments + 1, sizeof(bool));
    struct jy_fines_reconciliation *r = calloc(1, sizeof(*r));
    struct list missing = {0};
    enum jy_err e = JY_OK;
    if (!rc.seen || !r) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto fail;
    }
    if ((e = jy_decision_confirmations_read(text, len, recon_row, &rc, err)) != JY_OK)
        goto fail;
    for (size_t i = 0; !rc.nomem && i < s->n_payments; i++) {
        const struct jy_store_fine_payment *p = &s->payments[i];
        if (p->reversed_at || rc.seen[i])
            continue;
        struct jy_fines_recon_item *it = add(&missing);
        if (!it) {
            rc.nomem = true;
            break;
        }
        jy_strlcpy(it->decision_number, p->decision_number, sizeof(it->decision_number));
        it->amount_fen = p->amount_fen;
    }
    if (rc.nomem) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto fail;
    }
    free(rc.seen);
    r->matched = rc.matched.items;
    r->n_matched = rc.matched.n;
    r->unexpected = rc.unexpected.items;
    r->n_unexpected = rc.unexpected.n;
    r->bad = rc.bad.items;
    r->n_bad = rc.bad.n;
    r->missing = missing.items;
    r->n_missing = missing.n;
    *ret = r;
    return JY_OK;
fail:
    free(rc.seen);
    free(rc.matched.items);
    free(rc.unexpected.items);
    free(rc.bad.items);
    free(missing.items);
    free(r);
    return e;
}
