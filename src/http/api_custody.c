/*
 * api_custody.c — the van hand-overs, the dispatch desk, discrepancies and custody settings.
 *
 *   GET  /api/v1/bags?branch=&state=&limit=              → 200 {"items": [bag]}
 *   GET  /api/v1/bags/next?branch=                       → 200 the next bag (preview)
 *   POST /api/v1/bags                                    → 201 bag (clerk closes its bag)
 *   GET  /api/v1/bags/{seal}                             → 200 bag with "items"
 *   GET  /api/v1/bags/{seal}/manifest.pdf                → 200 application/pdf
 *   POST /api/v1/bags/{seal}/reception                   → 200 bag (open reception)
 *   POST /api/v1/bags/{seal}/scans {"number"}            → 200 scan
 *   POST /api/v1/bags/{seal}/reception/close             → 200 {bag, discrepancies}
 *   GET  /api/v1/dispatch                                → 200 the dispatch desk's figures
 *   POST /api/v1/dispatch/batches                        → 201 batch
 *   GET  /api/v1/dispatch/batches/{batch}                → 200 batch with "items"
 *   GET  /api/v1/dispatch/batches/{batch}/manifest.pdf   → 200 application/pdf
 *   POST /api/v1/dispatch/batches/{batch}/scans {"number"} → 200 scan
 *   POST /api/v1/dispatch/batches/{batch}/handover/close → 200 {batch, discrepancies}
 *   GET  /api/v1/discrepancies?state=open|all&limit=     → 200 {"items": [discrepancy]}
 *   POST /api/v1/discrepancies/{id}/resolve {"resolution","note"} → 200 discrepancy
 *   GET  /api/v1/custody/settings, PUT (admin)           → 200 settings
 *
 * The rules are the use cases' (src/service/custody.h); this file reads and writes JSON.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/timestamp.h"
#include "http/json.h"
#include "limits.h"
#include "service/custody.h"
#include "../banned.h"

/* ---- JSON ---- */

static json_t *time_or_null(int64_t t)
{
    char buf[JY_TIMESTAMP_TEXT_SIZE];
    return t ? json_string(jy_timestamp_format(t, buf)) : json_null();
}

static json_t *display(const char *number)
{
    struct jy_appno no;
    char d[JY_APPNO_DISPLAY_SIZE];
    if (jy_appno_parse(number, strlen(number), &no, NULL) != JY_OK)
        return json_string(number);
    jy_appno_display(&no, d);
    return json_string(d);
}

static json_t *handover_json(const struct jy_store_handover *h)
{
    bool bag = h->kind == JY_CUSTODY_BAG;
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:s, s:I, s:I, s:I, s:o}", bag ? "seal" : "batch", h->reference,
        "covers_until", time_or_null(h->covers_until), "closed_at", time_or_null(h->closed_at),
        "closed_by", h->closed_by_name, "item_count", (json_int_t)h->item_count, "received_count",
        (json_int_t)h->received_count, "open_discrepancies", (json_int_t)h->open_discrepancies,
        "received_at", time_or_null(h->received_at));
    if (!o)
        return NULL;
    json_object_set_new(o, bag ? "reception" : "handover", json_string(h->state));
    if (bag)
        json_object_set_new(o, "branch",
                            json_pack("{s:I, s:s, s:s}", "id", (json_int_t)h->branch_id, "code",
                                      h->branch_code, "name_zh", h->branch_name_zh));
    return o;
}

static bool item_add(void *ctx, const struct jy_store_handover_item *it)
{
    json_t *items = ctx;
    json_t *o = json_pack("{s:s, s:o, s:s, s:s?, s:I, s:b}", "number", it->number, "display_number",
                          display(it->number), "business_type", it->business_type, "waybill",
                          it->waybill[0] ? it->waybill : NULL, "scans", (json_int_t)it->scans,
                          "received", it->scans > 0);
    return o && json_array_append_new(items, o) == 0;
}

static json_t *discrepancy_json(const struct jy_store_discrepancy *d)
{
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:o, s:s?, s:o, s:s?, s:o, s:s?, s:s?}", "id", (json_int_t)d->id,
        "kind", d->kind, "on", d->on == JY_CUSTODY_BAG ? "bag" : "batch", "reference", d->reference,
        "number", d->number, "display_number", display(d->number), "detail",
        d->detail[0] ? d->detail : NULL, "opened_at", time_or_null(d->opened_at), "resolution",
        d->resolution[0] ? d->resolution : NULL, "resolved_at", time_or_null(d->resolved_at),
        "resolved_by", d->resolved_by[0] ? d->resolved_by : NULL, "note",
        d->note[0] ? d->note : NULL);
}

static bool disc_add(void *ctx, const struct jy_store_discrepancy *d)
{
    json_t *o = discrepancy_json(d);
    return o && json_array_append_new(ctx, o) == 0;
}

static json_t *preview_json(const struct jy_custody_preview *p)
{
    char buf[JY_TIMESTAMP_TEXT_SIZE];
    return json_pack("{s:s?, s:s, s:s, s:I, s:b}", "branch",
                     p->branch_code[0] ? p->branch_code : NULL, "cutoff", p->cutoff, "until",
                     jy_timestamp_format(p->until, buf), "pending", (json_int_t)p->pending,
                     "after_cutoff", p->after_cutoff);
}

/* The status of `e` for the framework, or the JSON `o` with `status`. */
static void answer(struct jy_http_response *res, enum jy_err e, const struct jy_error *err,
                   int status, json_t *o)
{
    if (e != JY_OK) {
        json_decref(o);
        jy_http_response_error(res, err);
        return;
    }
    jy_http_response_json(res, status, o);
}

static bool query_limit(struct jy_http_request *req, struct jy_http_response *res, int64_t *ret)
{
    struct jy_error err;
    *ret = JY_PAGE_DEFAULT_ITEMS;
    if (jy_http_request_query_int(req, "limit", 1, JY_PAGE_MAX_ITEMS, ret, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return false;
    }
    return true;
}

/* The optional JSON body of a POST without fields: empty or {}. */
static bool empty_body(struct jy_http_request *req, struct jy_http_response *res)
{
    size_t len = 0;
    jy_http_request_body(req, &len);
    if (len == 0)
        return true;
    json_t *body = jy_api_body(req, res);
    if (!body)
        return false;
    static const char *const allowed[] = {NULL};
    struct jy_error err;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return false;
    }
    return true;
}

static void send_pdf(struct jy_http_response *res, const char *reference, unsigned char *pdf,
                     size_t len)
{
    char value[128];
    struct jy_error err;
    snprintf(value, sizeof(value), "inline; filename=\"manifest-%s.pdf\"", reference);
    if (jy_http_response_header(res, "Content-Disposition", value, &err) != JY_OK) {
        free(pdf);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_bytes(res, 200, "application/pdf", pdf, len);
}

/* ---- bags and batches ---- */

static bool list_add(void *ctx, const struct jy_store_handover *h)
{
    json_t *o = handover_json(h);
    return o && json_array_append_new(ctx, o) == 0;
}

static void list(struct jy_http_request *req, struct jy_http_response *res,
                 enum jy_custody_kind kind)
{
    int64_t limit;
    if (!query_limit(req, res, &limit))
        return;
    struct jy_error err;
    json_t *items = json_array();
    enum jy_err e = jy_custody_list(
        jy_api_service(req), jy_api_actor(req), kind, jy_http_request_query(req, "branch"),
        jy_http_request_query(req, "state"), (size_t)limit, list_add, items, &err);
    answer(res, e, &err, 200, e == JY_OK ? json_pack("{s:o}", "items", items) : items);
}

void jy_api_bags_list(struct jy_http_request *req, struct jy_http_response *res)
{
    list(req, res, JY_CUSTODY_BAG);
}

void jy_api_bags_next(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_custody_preview p;
    enum jy_err e = jy_custody_bag_preview(jy_api_service(req), jy_api_actor(req),
                                           jy_http_request_query(req, "branch"), &p, &err);
    answer(res, e, &err, 200, e == JY_OK ? preview_json(&p) : NULL);
}

static void close_answer(struct jy_http_response *res, enum jy_err e, const struct jy_error *err,
                         const struct jy_store_handover *h)
{
    answer(res, e, err, 201, e == JY_OK ? handover_json(h) : NULL);
}

void jy_api_bags_close(struct jy_http_request *req, struct jy_http_response *res)
{
    if (!empty_body(req, res))
        return;
    struct jy_error err;
    struct jy_store_handover h;
    enum jy_err e = jy_custody_bag_close(jy_api_service(req), jy_api_actor(req), &h, &err);
    close_answer(res, e, &err, &h);
}

void jy_api_batches_close(struct jy_http_request *req, struct jy_http_response *res)
{
    if (!empty_body(req, res))
        return;
    struct jy_error err;
    struct jy_store_handover h;
    enum jy_err e = jy_custody_batch_close(jy_api_service(req), jy_api_actor(req), &h, &err);
    close_answer(res, e, &err, &h);
}

static void get(struct jy_http_request *req, struct jy_http_response *res,
                enum jy_custody_kind kind, const char *param)
{
    struct jy_error err;
    struct jy_store_handover h;
    json_t *items = json_array();
    enum jy_err e = jy_custody_get(jy_api_service(req), jy_api_actor(req), kind,
                                   jy_http_request_param(req, param), &h, item_add, items, &err);
    json_t *o = NULL;
    if (e == JY_OK && (o = handover_json(&h)) != NULL)
        json_object_set_new(o, "items", items);
    else
        json_decref(items);
    answer(res, e, &err, 200, o);
}

void jy_api_bag_get(struct jy_http_request *req, struct jy_http_response *res)
{
    get(req, res, JY_CUSTODY_BAG, "seal");
}

void jy_api_batch_get(struct jy_http_request *req, struct jy_http_response *res)
{
    get(req, res, JY_CUSTODY_BATCH, "batch");
}

static void manifest(struct jy_http_request *req, struct jy_http_response *res,
                     enum jy_custody_kind kind, const char *param)
{
    struct jy_error err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    const char *reference = jy_http_request_param(req, param);
    if (jy_custody_manifest_pdf(jy_api_service(req), jy_api_actor(req), kind, reference, &pdf, &len,
                                &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    send_pdf(res, reference, pdf, len);
}

void jy_api_bag_manifest_pdf(struct jy_http_request *req, struct jy_http_response *res)
{
    manifest(req, res, JY_CUSTODY_BAG, "seal");
}

void jy_api_batch_manifest_pdf(struct jy_http_request *req, struct jy_http_response *res)
{
    manifest(req, res, JY_CUSTODY_BATCH, "batch");
}

void jy_api_bag_reception_open(struct jy_http_request *req, struct jy_http_response *res)
{
    if (!empty_body(req, res))
        return;
    struct jy_error err;
    struct jy_store_handover h;
    enum jy_err e = jy_custody_reception_open(jy_api_service(req), jy_api_actor(req),
                                              jy_http_request_param(req, "seal"), &h, &err);
    answer(res, e, &err, 200, e == JY_OK ? handover_json(&h) : NULL);
}

static void scan(struct jy_http_request *req, struct jy_http_response *res,
                 enum jy_custody_kind kind, const char *param)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"number", NULL};
    struct jy_error err;
    const char *number = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "number", true, JY_IDENT_MAX_BYTES, &number, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_custody_scan_result r;
    enum jy_err e = jy_custody_scan(jy_api_service(req), jy_api_actor(req), kind,
                                    jy_http_request_param(req, param), number, &r, &err);
    json_t *o = NULL;
    if (e == JY_OK)
        o = json_pack("{s:s, s:o, s:s?, s:s, s:s?, s:s, s:o}", "number", r.number, "display_number",
                      display(r.number), "waybill", r.waybill[0] ? r.waybill : NULL, "outcome",
                      r.outcome, "in", r.other[0] ? r.other : NULL, "state", r.state,
                      kind == JY_CUSTODY_BAG ? "bag" : "batch", handover_json(&r.handover));
    if (o)
        json_object_set_new(o, "resolved",
                            r.resolved_id ? json_pack("{s:I, s:s}", "id", (json_int_t)r.resolved_id,
                                                      "reference", r.resolved_reference)
                                          : json_null());
    answer(res, e, &err, 200, o);
}

void jy_api_bag_scan(struct jy_http_request *req, struct jy_http_response *res)
{
    scan(req, res, JY_CUSTODY_BAG, "seal");
}

void jy_api_batch_scan(struct jy_http_request *req, struct jy_http_response *res)
{
    scan(req, res, JY_CUSTODY_BATCH, "batch");
}

static void close_reception(struct jy_http_request *req, struct jy_http_response *res,
                            enum jy_custody_kind kind, const char *param)
{
    if (!empty_body(req, res))
        return;
    struct jy_error err;
    struct jy_store_handover h;
    struct jy_service *svc = jy_api_service(req);
    const struct jy_actor *actor = jy_api_actor(req);
    const char *reference = jy_http_request_param(req, param);
    enum jy_err e = jy_custody_reception_close(svc, actor, kind, reference, &h, &err);
    if (e != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    /* What it found: read by the system, since logistics closes but may not list them all. */
    struct jy_actor system = *actor;
    system.role = JY_ROLE_SUPERVISOR;
    json_t *found = json_array();
    e = jy_custody_discrepancies(svc, &system, false, kind, reference, JY_PAGE_MAX_ITEMS, disc_add,
                                 found, &err);
    json_t *o = NULL;
    if (e == JY_OK && (o = json_object()) != NULL) {
        json_object_set_new(o, kind == JY_CUSTODY_BAG ? "bag" : "batch", handover_json(&h));
        json_object_set_new(o, "discrepancies", found);
        found = NULL;
    }
    json_decref(found);
    answer(res, e, &err, 200, o);
}

void jy_api_bag_reception_close(struct jy_http_request *req, struct jy_http_response *res)
{
    close_reception(req, res, JY_CUSTODY_BAG, "seal");
}

void jy_api_batch_handover_close(struct jy_http_request *req, struct jy_http_response *res)
{
    close_reception(req, res, JY_CUSTODY_BATCH, "batch");
}

/* ---- the dispatch desk ---- */

void jy_api_dispatch_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_custody_dispatch d;
    struct jy_service *svc = jy_api_service(req);
    const struct jy_actor *actor = jy_api_actor(req);
    enum jy_err e = jy_custody_dispatch_status(svc, actor, &d, &err);
    if (e != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    json_t *batches = json_array();
    e = jy_custody_list(svc, actor, JY_CUSTODY_BATCH, NULL, NULL, 10, list_add, batches, &err);
    json_t *o = NULL;
    if (e == JY_OK) {
        o = json_pack("{s:o, s:{s:I, s:I, s:b}, s:o}", "next", preview_json(&d.next), "s10", "left",
                      (json_int_t)d.s10_left, "threshold", (json_int_t)d.s10_threshold, "low",
                      d.s10_low, "batches", batches);
        batches = NULL;
    }
    json_decref(batches);
    answer(res, e, &err, 200, o);
}

/* ---- discrepancies ---- */

void jy_api_discrepancies_list(struct jy_http_request *req, struct jy_http_response *res)
{
    int64_t limit;
    if (!query_limit(req, res, &limit))
        return;
    const char *state = jy_http_request_query(req, "state");
    if (state && strcmp(state, "open") != 0 && strcmp(state, "all") != 0) {
        jy_http_response_fail(res, JY_INVALID, "bad_parameter", "state", "state is open or all");
        return;
    }
    struct jy_error err;
    json_t *items = json_array();
    enum jy_err e = jy_custody_discrepancies(jy_api_service(req), jy_api_actor(req),
                                             !state || strcmp(state, "open") == 0, JY_CUSTODY_BAG,
                                             NULL, (size_t)limit, disc_add, items, &err);
    answer(res, e, &err, 200, e == JY_OK ? json_pack("{s:o}", "items", items) : items);
}

void jy_api_discrepancy_resolve(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *p = jy_http_request_param(req, "id");
    int64_t id = 0;
    for (size_t i = 0; p && p[i]; i++) {
        if (p[i] < '0' || p[i] > '9' || id > (INT64_MAX - 9) / 10) {
            id = -1;
            break;
        }
        id = id * 10 + (p[i] - '0');
    }
    if (id <= 0) {
        jy_http_response_fail(res, JY_NOT_FOUND, "unknown_discrepancy", "id",
                              "there is no discrepancy with this id");
        return;
    }
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"resolution", "note", NULL};
    struct jy_error err;
    const char *resolution = NULL, *note = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "resolution", true, JY_EVENT_CODE_MAX_BYTES, &resolution, &err) !=
            JY_OK ||
        jy_json_get_string(body, "note", false, JY_NOTE_MAX_BYTES, &note, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_store_discrepancy *d = malloc(sizeof(*d));
    if (!d) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    enum jy_err e =
        jy_custody_resolve(jy_api_service(req), jy_api_actor(req), id, resolution, note, d, &err);
    answer(res, e, &err, 200, e == JY_OK ? discrepancy_json(d) : NULL);
    free(d);
}

/* ---- settings ---- */

static json_t *settings_json(const struct jy_custody_settings *s)
{
    return json_pack("{s:b, s:s, s:I}", "archive_requires_paper", s->archive_gate,
                     "dispatch_cutoff", s->dispatch_cutoff, "s10_low_threshold",
                     (json_int_t)s->s10_low_threshold);
}

void jy_api_custody_settings_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_custody_settings s;
    enum jy_err e = jy_custody_settings_get(jy_api_service(req), &s, &err);
    answer(res, e, &err, 200, e == JY_OK ? settings_json(&s) : NULL);
}

void jy_api_custody_settings_put(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"archive_requires_paper", "dispatch_cutoff",
                                          "s10_low_threshold", NULL};
    struct jy_error err;
    struct jy_custody_settings s;
    struct jy_service *svc = jy_api_service(req);
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_custody_settings_get(svc, &s, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    const char *cutoff = NULL;
    bool gate = s.archive_gate;
    int64_t threshold = s.s10_low_threshold;
    if (jy_json_get_bool(body, "archive_requires_paper", false, &gate, &err) != JY_OK ||
        jy_json_get_string(body, "dispatch_cutoff", false, 8, &cutoff, &err) != JY_OK ||
        jy_json_get_int(body, "s10_low_threshold", false, 0, JY_S10_SERIAL_MAX, &threshold, &err) !=
            JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    s.archive_gate = gate;
    s.s10_low_threshold = threshold;
    if (cutoff)
        snprintf(s.dispatch_cutoff, sizeof(s.dispatch_cutoff), "%.5s", cutoff);
    if (cutoff && strlen(cutoff) != 5)
        s.dispatch_cutoff[0] = '\0';
    enum jy_err e = jy_custody_settings_set(svc, jy_api_actor(req), &s, &err);
    answer(res, e, &err, 200, e == JY_OK ? settings_json(&s) : NULL);
}

/* ---- an application's custody, for the application JSON ---- */

json_t *jy__api_custody_json(const struct jy_service *svc, int64_t application_id)
{
    struct jy_custody_status s;
    if (jy_custody_status(svc, application_id, &s, NULL) != JY_OK)
        return json_null();
    return json_pack("{s:s, s:s?, s:o, s:s?, s:s?}", "paper_file", s.paper, "bag",
                     s.bag[0] ? s.bag : NULL, "received_at", time_or_null(s.received_at),
                     "envelope", s.envelope, "batch", s.batch[0] ? s.batch : NULL);
}
