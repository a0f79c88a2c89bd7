/*
 * api_carrier.c — one timeline per application, what follows a failed delivery, the carrier's
 * unclaimed rows, the notification outbox.
 *
 *   GET  /api/v1/applications/{number}/timeline
 *     → 200 {"number","state","waybill","items":[{"at","kind","code","state","label_zh",
 *            "label_en","actor","station","branch","waybill","location","failure_reason",
 *            "note"}]}   (empty fields left out)
 *   POST /api/v1/applications/{number}/redispatch {"note"?}   → 200 the application
 *   POST /api/v1/applications/{number}/contacted {"note"}     → 200 the application
 *   GET  /api/v1/deliveries/attention?branch=ID
 *     → 200 {"items":[{"number","business_type","state","waybill","branch_id","recipient",
 *            "mobile","address","failure_reason","since"}]}
 *   GET  /api/v1/shipments/unmatched?limit=N
 *     → 200 {"total": n, "items":[{"waybill","status","at","location","failure_reason",
 *            "received_at"}]}
 *   POST /api/v1/shipments/import   (body: the carrier's file, CSV or JSON lines, any type)
 *     → 200 the report of tracking_import.h (bad rows listed with their line numbers)
 *   GET  /api/v1/outbox?state=&number=&limit=
 *     → 200 {"counts":{"queued","sent","dead"},"depth": n,"items":[{"id","number","template",
 *            "mobile" (masked),"body_zh","body_en","state","attempts","last_error",
 *            "created_at","sent_at"}]}
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "core/mobile.h"
#include "core/timestamp.h"
#include "http/json.h"
#include "limits.h"
#include "service/carrier.h"
#include "service/outbox.h"
#include "service/timeline.h"
#include "service/tracking_import.h"
#include "../banned.h"

/* Set `key` to `value` when it is not empty. */
static void put(json_t *o, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(o, key, json_string(value));
}

static void put_time(json_t *o, const char *key, int64_t t)
{
    char at[JY_TIMESTAMP_TEXT_SIZE];
    if (t)
        json_object_set_new(o, key, json_string(jy_timestamp_format(t, at)));
}

/* ---- the timeline ---- */

void jy_api_application_timeline(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_timeline *t = malloc(sizeof(*t));
    if (!t) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    if (jy_timeline_get(jy_api_service(req), jy_api_actor(req),
                        jy_http_request_param(req, "number"), t, &err) != JY_OK) {
        free(t);
        jy_http_response_error(res, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items && i < t->count; i++) {
        const struct jy_timeline_entry *te = &t->entries[i];
        json_t *o = json_object();
        put_time(o, "at", te->at);
        put(o, "kind", te->kind);
        put(o, "code", te->code);
        put(o, "state", te->state);
        put(o, "label_zh", te->label_zh);
        put(o, "label_en", te->label_en);
        put(o, "actor", te->actor);
        put(o, "station", te->station);
        put(o, "branch", te->branch);
        put(o, "waybill", te->waybill);
        put(o, "location", te->location);
        put(o, "failure_reason", te->failure_reason);
        put(o, "note", te->note);
        json_array_append_new(items, o);
    }
    json_t *out =
        json_pack("{s:s, s:s, s:o, s:o}", "number", t->number, "state", t->state, "waybill",
                  t->waybill[0] ? json_string(t->waybill) : json_null(), "items", items);
    jy_timeline_release(t);
    free(t);
    jy_http_response_json(res, 200, out);
}

/* ---- after a failed delivery ---- */

static void note_action(struct jy_http_request *req, struct jy_http_response *res, bool redispatch)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"note", NULL};
    struct jy_error err;
    const char *note = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "note", !redispatch, JY_NOTE_MAX_BYTES, &note, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_store_workflow w;
    const char *number = jy_http_request_param(req, "number");
    enum jy_err e =
        redispatch
            ? jy_carrier_redispatch(jy_api_service(req), jy_api_actor(req), number, note, &w, &err)
            : jy_carrier_contacted(jy_api_service(req), jy_api_actor(req), number, note, &w, &err);
    if (e != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, jy__api_flow_application_json(req, &w));
}

void jy_api_application_redispatch(struct jy_http_request *req, struct jy_http_response *res)
{
    note_action(req, res, true);
}

void jy_api_application_contacted(struct jy_http_request *req, struct jy_http_response *res)
{
    note_action(req, res, false);
}

static bool attention_row(void *ctx, const struct jy_store_attention *a)
{
    json_t *o = json_object();
    put(o, "number", a->number);
    put(o, "business_type", a->business_type);
    put(o, "state", a->state);
    put(o, "waybill", a->waybill);
    json_object_set_new(o, "branch_id", json_integer(a->branch_id));
    put(o, "recipient", a->recipient);
    put(o, "mobile", a->mobile);
    put(o, "address", a->address);
    put(o, "failure_reason", a->failure_reason);
    put_time(o, "since", a->since);
    json_array_append_new(ctx, o);
    return true;
}

void jy_api_deliveries_attention(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    int64_t branch = 0;
    if (jy_http_request_query_int(req, "branch", 1, INT64_MAX, &branch, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    json_t *items = json_array();
    if (jy_carrier_attention(jy_api_service(req), jy_api_actor(req), branch, attention_row, items,
                             &err) != JY_OK) {
        json_decref(items);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, json_pack("{s:o}", "items", items));
}

/* ---- the carrier's unclaimed rows ---- */

static bool unmatched_row(void *ctx, const struct jy_store_shipment_row *r)
{
    json_t *o = json_object();
    put(o, "waybill", r->waybill);
    put(o, "status", r->status);
    put_time(o, "at", r->at);
    put(o, "location", r->location);
    put(o, "failure_reason", r->failure_reason);
    put_time(o, "received_at", r->received_at);
    json_array_append_new(ctx, o);
    return true;
}

void jy_api_shipments_unmatched(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    int64_t limit = 100, total = 0;
    if (jy_http_request_query_int(req, "limit", 1, JY_CARRIER_LIST_MAX, &limit, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    json_t *items = json_array();
    if (jy_carrier_unmatched(jy_api_service(req), jy_api_actor(req), (size_t)limit, unmatched_row,
                             items, &total, &err) != JY_OK) {
        json_decref(items);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", items));
}

/* ---- a tracking file over HTTP ---- */

void jy_api_shipments_import(struct jy_http_request *req, struct jy_http_response *res)
{
    size_t len = 0;
    const char *text = jy_http_request_body(req, &len);
    struct jy_error err;
    json_t *report = NULL;
    if (jy_tracking_import(jy_api_service(req), jy_api_actor(req), text ? text : "", len, &report,
                           NULL, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, report);
}

/* ---- the outbox ---- */

static bool outbox_row(void *ctx, const struct jy_store_outbox *m)
{
    char masked[JY_MOBILE_SIZE];
    jy_mobile_mask(m->mobile, masked);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    put(o, "number", m->number);
    put(o, "template", m->template_code);
    put(o, "mobile", masked);
    put(o, "body_zh", m->body_zh);
    put(o, "body_en", m->body_en);
    put(o, "state", m->state);
    json_object_set_new(o, "attempts", json_integer(m->attempts));
    put(o, "last_error", m->last_error);
    put_time(o, "created_at", m->created_at);
    put_time(o, "sent_at", m->sent_at);
    json_array_append_new(ctx, o);
    return true;
}

void jy_api_outbox_list(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    int64_t limit = 100;
    if (jy_http_request_query_int(req, "limit", 1, JY_CARRIER_LIST_MAX, &limit, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_outbox_counts c;
    json_t *items = json_array();
    if (jy_outbox_list(jy_api_service(req), jy_api_actor(req), jy_http_request_query(req, "state"),
                       jy_http_request_query(req, "number"), (size_t)limit, &c, outbox_row, items,
                       &err) != JY_OK) {
        json_decref(items);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:{s:I, s:I, s:I}, s:I, s:o}", "counts", "queued",
                                    (json_int_t)c.queued, "sent", (json_int_t)c.sent, "dead",
                                    (json_int_t)c.dead, "depth", (json_int_t)c.queued, "items",
                                    items));
}
