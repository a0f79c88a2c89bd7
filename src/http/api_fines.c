/*
 * api_fines.c — fines at the counter and their settlement.
 *
 *   GET  /api/v1/decisions/{decision_number}                      → 200 decision
 *   GET  /api/v1/decisions?plate=&plate_type= | ?licence_number=  → 200 {"items": [decision]}
 *   POST /api/v1/decision-imports          (text/csv body; police) → 200 {"imported", …, "rows"}
 *   POST /api/v1/decisions/{decision_number}/payments
 *        {"method","amount_fen","reference"} [Idempotency-Key]    → 201 payment (200 repeated)
 *   GET  /api/v1/fine-payments/{id}                               → 200 payment
 *   GET  /api/v1/fine-payments/{id}/receipt.pdf                   → 200 application/pdf
 *   POST /api/v1/fine-payments/{id}/reverse {"reason"}            → 200 payment
 *   GET  /api/v1/fine-settlements/{date}  ({date}: YYYY-MM-DD or "today") → 200 settlement
 *   GET  /api/v1/fine-settlements/{date}/settlement.csv           → 200 text/csv
 *   POST /api/v1/fine-settlements/{date}/reconciliation (text/csv) → 200 reconciliation
 *
 * A decision is {"decision_number", "plate", "plate_type", "licence_number", "violation_code",
 * "description", "fine_fen", "points", "decision_date", "payment_deadline", "days_overdue",
 * "surcharge_fen", "total_fen", "open", "payment_id"} as of today in Asia/Shanghai. The rules
 * are the use cases' (src/service/fines.h).
 */
#include "api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/timestamp.h"
#include "http/json.h"
#include "limits.h"
#include "service/fines.h"
#include "../banned.h"

static json_t *time_json(int64_t t)
{
    char buf[JY_TIMESTAMP_TEXT_SIZE];
    return json_string(jy_timestamp_format(t, buf));
}

static json_t *fine_json(const struct jy_fine *f)
{
    const struct jy_decision *d = &f->decision.d;
    char dd[JY_DATE_TEXT_SIZE], pd[JY_DATE_TEXT_SIZE];
    return json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:I, s:i, s:s, s:s, s:i, s:I, s:I, s:b,"
                     " s:o}",
                     "decision_number", d->number, "plate", d->plate, "plate_type", d->plate_type,
                     "licence_number", d->licence_number[0] ? d->licence_number : NULL,
                     "violation_code", d->violation_code, "description", d->description, "fine_fen",
                     (json_int_t)d->fine_fen, "points", d->points, "decision_date",
                     jy_date_format(d->decision_date, dd), "payment_deadline",
                     jy_date_format(d->payment_deadline, pd), "days_overdue", f->days_overdue,
                     "surcharge_fen", (json_int_t)f->surcharge_fen, "total_fen",
                     (json_int_t)f->total_fen, "open", f->open, "payment_id",
                     f->decision.payment_id ? json_integer(f->decision.payment_id) : json_null());
}

static json_t *payment_json(const struct jy_store_fine_payment *p)
{
    char receipt[96];
    snprintf(receipt, sizeof(receipt), "/api/v1/fine-payments/%" PRId64 "/receipt.pdf", p->id);
    json_t *rev = json_null();
    if (p->reversed_at)
        rev = json_pack("{s:o, s:I, s:s}", "at", time_json(p->reversed_at), "by",
                        (json_int_t)p->reversed_by, "reason", p->reversal_reason);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:s?, s:{s:I, s:s, s:s},"
                     " s:{s:I, s:s, s:s}, s:o, s:s, s:s, s:o}",
                     "id", (json_int_t)p->id, "decision_number", p->decision_number, "plate",
                     p->plate, "plate_type", p->plate_type, "method", p->method, "fine_fen",
                     (json_int_t)p->fine_fen, "surcharge_fen", (json_int_t)p->surcharge_fen,
                     "amount_fen", (json_int_t)p->amount_fen, "days_overdue", p->days_overdue,
                     "reference", p->reference[0] ? p->reference : NULL, "clerk", "id",
                     (json_int_t)p->clerk_id, "username", p->clerk_username, "display_name",
                     p->clerk_name, "branch", "id", (json_int_t)p->branch_id, "code",
                     p->branch_code, "name_zh", p->branch_name, "paid_at", time_json(p->paid_at),
                     "paid_date", p->paid_date, "receipt_url", receipt, "reversal", rev);
}

/* ---- decisions ---- */

void jy_api_decision_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_fine f;
    struct jy_error err;
    if (jy_fines_get(jy_api_service(req), jy_api_actor(req),
                     jy_http_request_param(req, "decision_number"), &f, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, fine_json(&f));
}

static bool list_each(void *ctx, const struct jy_fine *f)
{
    json_t *o = fine_json(f);
    return o && json_array_append_new(ctx, o) == 0;
}

void jy_api_decisions_list(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *items = json_array();
    struct jy_error err;
    if (!items)
        return;
    if (jy_fines_find(jy_api_service(req), jy_api_actor(req), jy_http_request_query(req, "plate"),
                      jy_http_request_query(req, "plate_type"),
                      jy_http_request_query(req, "licence_number"), list_each, items,
                      &err) != JY_OK) {
        json_decref(items);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, json_pack("{s:o}", "items", items));
}

/* The raw body as CSV: text/csv or text/plain (parameters allowed). False with 415 answered. */
static bool csv_body(struct jy_http_request *req, struct jy_http_response *res, const char **ret,
                     size_t *ret_len)
{
    const char *type = jy_http_request_header(req, "Content-Type");
    if (!type || (strncmp(type, "text/csv", 8) != 0 && strncmp(type, "text/plain", 10) != 0)) {
        jy_http_response_fail(res, JY_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL,
                              "send the file as text/csv");
        return false;
    }
    size_t len = 0;
    const char *body = jy_http_request_body(req, &len);
    *ret = body ? body : "";
    *ret_len = body ? len : 0;
    return true;
}

struct report_ctx {
    json_t *rows;
};

static void import_report(void *ctx, long line, const char *number, const char *status,
                          const struct jy_error *row_err)
{
    struct report_ctx *rc = ctx;
    if (json_array_size(rc->rows) >= JY_PAGE_MAX_ITEMS * 5)
        return;
    json_array_append_new(rc->rows,
                          json_pack("{s:I, s:s?, s:s, s:s?, s:s?, s:s?}", "line", (json_int_t)line,
                                    "decision_number", number, "status", status, "reason",
                                    row_err ? row_err->reason : NULL, "field",
                                    row_err && row_err->field[0] ? row_err->field : NULL, "message",
                                    row_err ? row_err->message : NULL));
}

void jy_api_decisions_import(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *text;
    size_t len;
    if (!csv_body(req, res, &text, &len))
        return;
    struct report_ctx rc = {json_array()};
    struct jy_fines_import_result r;
    struct jy_error err;
    if (jy_fines_import(jy_api_service(req), jy_api_actor(req), text, len, import_report, &rc, &r,
                        &err) != JY_OK) {
        json_decref(rc.rows);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:I, s:I, s:I, s:I, s:o}", "imported", (json_int_t)r.imported,
                                    "unchanged", (json_int_t)r.unchanged, "changed",
                                    (json_int_t)r.changed, "bad", (json_int_t)r.bad, "rows",
                                    rc.rows));
}

/* ---- payments ---- */

void jy_api_decision_pay(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"method", "amount_fen", "reference", NULL};
    struct jy_error err;
    struct jy_fine_payment_request rq = {0};
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "method", true, JY_EVENT_CODE_MAX_BYTES, &rq.method, &err) !=
            JY_OK ||
        jy_json_get_int(body, "amount_fen", true, 0, INT64_C(1) << 52, &rq.amount_fen, &err) !=
            JY_OK ||
        jy_json_get_string(body, "reference", false, JY_FINE_REFERENCE_MAX_BYTES, &rq.reference,
                           &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    rq.idempotency_key = jy_http_request_header(req, "Idempotency-Key");
    struct jy_store_fine_payment p;
    bool repeated = false;
    if (jy_fines_pay(jy_api_service(req), jy_api_actor(req),
                     jy_http_request_param(req, "decision_number"), &rq, &p, &repeated,
                     &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, repeated ? 200 : 201, payment_json(&p));
}

/* The {id} path parameter. False with 404 answered when it is not a payment id. */
static bool payment_id(struct jy_http_request *req, struct jy_http_response *res, int64_t *ret)
{
    const char *s = jy_http_request_param(req, "id");
    int64_t v = 0;
    size_t n = s ? strlen(s) : 0;
    bool ok = n > 0 && n <= 15;
    for (size_t i = 0; ok && i < n; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = v * 10 + (s[i] - '0');
    }
    if (!ok || v == 0) {
        jy_http_response_fail(res, JY_NOT_FOUND, "not_found", NULL, "there is no such payment");
        return false;
    }
    *ret = v;
    return true;
}

void jy_api_fine_payment_get(struct jy_http_request *req, struct jy_http_response *res)
{
    int64_t id;
    if (!payment_id(req, res, &id))
        return;
    struct jy_store_fine_payment p;
    struct jy_error err;
    if (jy_fines_payment_get(jy_api_service(req), jy_api_actor(req), id, &p, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, payment_json(&p));
}

void jy_api_fine_payment_receipt(struct jy_http_request *req, struct jy_http_response *res)
{
    int64_t id;
    if (!payment_id(req, res, &id))
        return;
    unsigned char *pdf = NULL;
    size_t len = 0;
    struct jy_error err;
    if (jy_fines_receipt_pdf(jy_api_service(req), jy_api_actor(req), id, &pdf, &len, &err) !=
        JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    char value[96];
    snprintf(value, sizeof(value), "inline; filename=\"fine-receipt-%" PRId64 ".pdf\"", id);
    if (jy_http_response_header(res, "Content-Disposition", value, &err) != JY_OK) {
        free(pdf);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_bytes(res, 200, "application/pdf", pdf, len);
}

void jy_api_fine_payment_reverse(struct jy_http_request *req, struct jy_http_response *res)
{
    int64_t id;
    if (!payment_id(req, res, &id))
        return;
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"reason", NULL};
    struct jy_error err;
    const char *reason = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "reason", true, JY_NOTE_MAX_BYTES, &reason, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_store_fine_payment p;
    if (jy_fines_reverse(jy_api_service(req), jy_api_actor(req), id, reason, &p, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, payment_json(&p));
}

/* ---- settlement ---- */

/* The settlement of the {date} path parameter. NULL with the error answered. */
static struct jy_fines_settlement *settlement(struct jy_http_request *req,
                                              struct jy_http_response *res)
{
    const char *s = jy_http_request_param(req, "date");
    struct jy_date day;
    struct jy_error err;
    if (s && strcmp(s, "today") == 0) /* the service's today, in Asia/Shanghai */
        day = jy_date_from_unix_shanghai(jy_service_now(jy_api_service(req)));
    else if (!s || strlen(s) != 10 || jy_date_parse(s, 10, &day, &err) != JY_OK) {
        jy_http_response_fail(res, JY_INVALID, "invalid_date", "date",
                              "date must be a calendar date YYYY-MM-DD");
        return NULL;
    }
    struct jy_fines_settlement *st = NULL;
    if (jy_fines_settlement(jy_api_service(req), jy_api_actor(req), day, &st, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return NULL;
    }
    return st;
}

void jy_api_fine_settlement_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_fines_settlement *s = settlement(req, res);
    if (!s)
        return;
    json_t *branches = json_array(), *payments = json_array();
    for (size_t i = 0; i < s->n_branches; i++) {
        const struct jy_fines_branch_total *b = &s->branches[i];
        json_array_append_new(branches, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "id",
                                                  (json_int_t)b->branch_id, "code", b->code,
                                                  "name_zh", b->name, "count", (json_int_t)b->count,
                                                  "fine_fen", (json_int_t)b->fine_fen,
                                                  "surcharge_fen", (json_int_t)b->surcharge_fen,
                                                  "amount_fen", (json_int_t)b->amount_fen));
    }
    for (size_t i = 0; i < s->n_payments; i++)
        json_array_append_new(payments, payment_json(&s->payments[i]));
    char today[JY_DATE_TEXT_SIZE];
    jy_date_format(jy_date_from_unix_shanghai(jy_service_now(jy_api_service(req))), today);
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "date", s->date, "today",
                          today, "count", (json_int_t)s->count, "fine_fen", (json_int_t)s->fine_fen,
                          "surcharge_fen", (json_int_t)s->surcharge_fen, "amount_fen",
                          (json_int_t)s->amount_fen, "reversed", (json_int_t)s->reversed,
                          "branches", branches, "payments", payments);
    jy_fines_settlement_free(s);
    jy_http_response_json(res, 200, o);
}

void jy_api_fine_settlement_csv(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_fines_settlement *s = settlement(req, res);
    if (!s)
        return;
    char *csv = NULL;
    size_t len = 0;
    struct jy_error err;
    char value[96];
    snprintf(value, sizeof(value), "attachment; filename=\"fine-settlement-%s.csv\"", s->date);
    enum jy_err e = jy_fines_settlement_csv(s, &csv, &len, &err);
    jy_fines_settlement_free(s);
    if (e == JY_OK &&
        (e = jy_http_response_header(res, "Content-Disposition", value, &err)) != JY_OK)
        free(csv);
    if (e != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_bytes(res, 200, "text/csv; charset=utf-8", (unsigned char *)csv, len);
}

static json_t *items_json(const struct jy_fines_recon_item *items, size_t n, bool with_reason)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct jy_fines_recon_item *it = &items[i];
        json_t *o = json_pack("{s:s, s:I}", "decision_number", it->decision_number, "amount_fen",
                              (json_int_t)it->amount_fen);
        if (it->line)
            json_object_set_new(o, "line", json_integer(it->line));
        if (with_reason) {
            json_object_set_new(o, "reason", json_string(it->reason));
            if (it->our_amount_fen)
                json_object_set_new(o, "our_amount_fen", json_integer(it->our_amount_fen));
        }
        json_array_append_new(a, o);
    }
    return a;
}

void jy_api_fine_reconciliation(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *text;
    size_t len;
    if (!csv_body(req, res, &text, &len))
        return;
    struct jy_fines_settlement *s = settlement(req, res);
    if (!s)
        return;
    struct jy_fines_reconciliation *r = NULL;
    struct jy_error err;
    enum jy_err e = jy_fines_reconcile(s, text, len, &r, &err);
    if (e != JY_OK) {
        jy_fines_settlement_free(s);
        jy_http_response_error(res, &err);
        return;
    }
    json_t *bad = json_array();
    for (size_t i = 0; i < r->n_bad; i++)
        json_array_append_new(bad, json_pack("{s:I, s:s}", "line", (json_int_t)r->bad[i].line,
                                             "reason", r->bad[i].reason));
    json_t *o = json_pack("{s:s, s:b, s:o, s:o, s:o, s:o}", "date", s->date, "balanced",
                          r->n_missing == 0 && r->n_unexpected == 0 && r->n_bad == 0, "matched",
                          items_json(r->matched, r->n_matched, false), "missing",
                          items_json(r->missing, r->n_missing, false), "unexpected",
                          items_json(r->unexpected, r->n_unexpected, true), "bad_rows", bad);
    jy_fines_reconciliation_free(r);
    jy_fines_settlement_free(s);
    jy_http_response_json(res, 200, o);
}
