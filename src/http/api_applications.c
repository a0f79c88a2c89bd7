/*
 * api_applications.c — applications: intake, lists, one application, its events; and the one
 * function that renders the application object of the API contract.
 *
 *   POST /api/v1/applications                   → 201 application (200 on an idempotent repeat)
 *   GET  /api/v1/applications?state=&branch=&type=&station=&q=&limit=&cursor=
 *                                               → 200 {"items": [application…], "next_cursor"}
 *   GET  /api/v1/applications/{number}          → 200 application
 *   GET  /api/v1/applications/{number}/events   → 200 {"items": [event…]}
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/date.h"
#include "core/plate.h"
#include "core/timestamp.h"
#include "limits.h"
#include "service/intake.h"
#include "service/query.h"
#include "store/fines.h"
#include "../banned.h"

/* ---- rendering ---- */

/* `s`, or NULL for "" (json_pack's "s?" turns NULL into JSON null). */
static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

static json_t *time_json(int64_t t)
{
    char buf[JY_TIMESTAMP_TEXT_SIZE];
    return json_string(jy_timestamp_format(t, buf));
}

/* on_time / due_today / overdue while the application is in the pipeline, else NULL. */
static const char *due_status(const struct jy_store_application *a, int64_t now)
{
    if (strcmp(a->state, "at_station") != 0 && strcmp(a->state, "correction") != 0 &&
        strcmp(a->state, "accepted") != 0)
        return NULL;
    struct jy_date due;
    if (jy_date_parse(a->due_date, strlen(a->due_date), &due, NULL) != JY_OK)
        return NULL;
    int c = jy_date_compare(jy_date_from_unix_shanghai(now), due);
    return c < 0 ? "on_time" : c == 0 ? "due_today" : "overdue";
}

json_t *jy_api_application_json(const struct jy_store_application *a, const struct jy_service *svc,
                                int64_t now)
{
    char display[JY_APPNO_DISPLAY_SIZE];
    struct jy_appno no;
    if (jy_appno_parse(a->number, strlen(a->number), &no, NULL) == JY_OK)
        jy_appno_display(&no, display);
    else
        jy_strlcpy(display, a->number, sizeof(display));
    const struct jy_business_type *type =
        jy_catalog_find(jy_service_catalog(svc), a->business_type, strlen(a->business_type));
    bool queued = strcmp(a->state, "at_station") == 0;
    bool correction = strcmp(a->state, "correction") == 0;

    json_t *vehicle = json_null(), *licence = json_null(), *delivery = json_null();
    if (a->vehicle_plate[0]) {
        const struct jy_plate_type *pt =
            jy_plate_type_find(a->vehicle_plate_type, strlen(a->vehicle_plate_type));
        vehicle = json_pack("{s:s, s:s, s:s?, s:s}", "plate", a->vehicle_plate, "plate_type",
                            a->vehicle_plate_type, "plate_type_name", pt ? pt->name_zh : NULL,
                            "vin", a->vehicle_vin);
    }
    if (a->licence_number[0])
        licence = json_pack("{s:s, s:s, s:s?}", "number", a->licence_number, "class",
                            a->licence_class, "expiry", nz(a->licence_expiry));
    if (a->delivery_recipient[0])
        delivery = json_pack("{s:s, s:s, s:s, s:s?}", "recipient", a->delivery_recipient, "mobile",
                             a->delivery_mobile, "address", a->delivery_address, "postcode",
                             nz(a->delivery_postcode));
    json_t *docs = json_array(), *fees = json_array();
    for (size_t i = 0; docs && i < a->document_count; i++)
        json_array_append_new(docs, json_string(a->documents[i]));
    for (size_t i = 0; fees && i < a->fee_count; i++)
        json_array_append_new(fees, json_pack("{s:s, s:s, s:I}", "code", a->fees[i].code, "name",
                                              a->fees[i].name, "amount_fen",
                                              (json_int_t)a->fees[i].amount_fen));
    json_t *lease = json_null();
    if (a->lease_user_id && a->lease_expires_at > now)
        lease = json_pack("{s:s, s:o}", "user", a->lease_username, "expires_at",
                          time_json(a->lease_expires_at));
    json_t *corr = json_null();
    if (correction)
        corr = json_pack("{s:s?, s:s?, s:s?}", "station", nz(a->station), "reason",
                         nz(a->correction_reason), "note", nz(a->correction_note));

    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s, s:s?,"
                          " s:{s:I, s:s, s:s}, s:{s:I, s:s},"
                          " s:{s:s, s:s?, s:s?, s:s?}, s:s?, s:o, s:o, s:o}",
                          "number", a->number, "display_number", display, "business_type",
                          a->business_type, "business_name_zh", type ? type->name_zh : NULL,
                          "business_name_en", type ? type->name_en : NULL, "state", a->state,
                          "station", queued || correction ? nz(a->station) : NULL, "branch", "id",
                          (json_int_t)a->branch_id, "code", a->branch_code, "name_zh",
                          a->branch_name_zh, "clerk", "id", (json_int_t)a->clerk_id, "username",
                          a->clerk_username, "applicant", "name", a->applicant_name, "id_type",
                          nz(a->applicant_id_type), "id_number", nz(a->applicant_id_number),
                          "mobile", nz(a->applicant_mobile), "owner_uscc", nz(a->owner_uscc),
                          "vehicle", vehicle, "licence", licence, "delivery", delivery);
    if (!o) {
        json_decref(docs);
        json_decref(fees);
        json_decref(lease);
        json_decref(corr);
        return NULL;
    }
    int bad = 0;
    bad |= json_object_set_new(o, "documents", docs);
    bad |= json_object_set_new(o, "fees", fees);
    bad |= json_object_set_new(o, "fee_total_fen", json_integer(a->fee_total_fen));
    bad |= json_object_set_new(o, "accepted_at", time_json(a->accepted_at));
    bad |= json_object_set_new(o, "due_date", json_string(a->due_date));
    const char *ds = due_status(a, now);
    bad |= json_object_set_new(o, "due_status", ds ? json_string(ds) : json_null());
    bad |= json_object_set_new(o, "lease", lease);
    bad |= json_object_set_new(o, "waybill", a->waybill[0] ? json_string(a->waybill) : json_null());
    bad |= json_object_set_new(o, "correction", corr);
    bad |= json_object_set_new(o, "version", json_integer(a->version));
    bad |= json_object_set_new(o, "updated_at", time_json(a->updated_at));
    bad |= json_object_set_new(o, "custody", jy__api_custody_json(svc, a->id));
    /* W01: what the police recorded at approval, once they have */
    struct jy_store_conn *conn;
    char decision[JY_DECISION_NUMBER_MAX_BYTES + 1];
    int points = 0;
    if (strcmp(a->business_type, "W01") == 0 && jy_service_conn(svc, &conn, NULL) == JY_OK &&
        jy_store_violation_approval_get(conn, a->id, decision, &points, NULL) == JY_OK)
        bad |= json_object_set_new(
            o, "violation", json_pack("{s:s, s:i}", "decision_number", decision, "points", points));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- handlers ---- */

/* A record for one answer; the records are too large for a worker thread's stack. */
static struct jy_store_application *new_record(struct jy_http_response *res)
{
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a)
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
    return a;
}

void jy_api_applications_create(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    const struct jy_actor *actor = jy_api_actor(req);
    if (jy_intake_check_actor(actor, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    struct jy_store_application *a = new_record(res);
    if (!a)
        return;
    struct jy_service *svc = jy_api_service(req);
    bool replayed = false;
    if (jy_intake(svc, actor, body, jy_http_request_header(req, "Idempotency-Key"), a, &replayed,
                  &err) != JY_OK) {
        jy_http_response_error(res, &err);
        free(a);
        return;
    }
    char location[96];
    snprintf(location, sizeof(location), "/api/v1/applications/%s", a->number);
    if (jy_http_response_header(res, "Location", location, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        free(a);
        return;
    }
    jy_http_response_json(res, replayed ? 200 : 201,
                          jy_api_application_json(a, svc, jy_service_now(svc)));
    free(a);
}

struct list_ctx {
    json_t *items;
    const struct jy_service *svc;
    int64_t now;
    bool failed;
};

static bool list_add(void *p, const struct jy_store_application *a)
{
    struct list_ctx *c = p;
    json_t *o = jy_api_application_json(a, c->svc, c->now);
    if (!o || json_array_append_new(c->items, o) != 0) {
        c->failed = true;
        return false;
    }
    return true;
}

void jy_api_applications_list(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_query_filter f = {
        .state = jy_http_request_query(req, "state"),
        .branch = jy_http_request_query(req, "branch"),
        .type = jy_http_request_query(req, "type"),
        .station = jy_http_request_query(req, "station"),
        .q = jy_http_request_query(req, "q"),
        .cursor = jy_http_request_query(req, "cursor"),
        .limit = JY_PAGE_DEFAULT_ITEMS,
    };
    if (jy_http_request_query_int(req, "limit", 1, JY_PAGE_MAX_ITEMS, &f.limit, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_service *svc = jy_api_service(req);
    struct list_ctx c = {
        .items = json_array(), .svc = svc, .now = jy_service_now(svc), .failed = false};
    char next[JY_QUERY_CURSOR_SIZE];
    if (!c.items) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    if (jy_query_list(svc, jy_api_actor(req), &f, list_add, &c, next, &err) != JY_OK) {
        json_decref(c.items);
        jy_http_response_error(res, &err);
        return;
    }
    if (c.failed) {
        json_decref(c.items);
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:o, s:s?}", "items", c.items, "next_cursor", nz(next)));
}

void jy_api_application_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_store_application *a = new_record(res);
    if (!a)
        return;
    struct jy_service *svc = jy_api_service(req);
    if (jy_query_get(svc, jy_api_actor(req), jy_http_request_param(req, "number"), a, &err) !=
        JY_OK)
        jy_http_response_error(res, &err);
    else
        jy_http_response_json(res, 200, jy_api_application_json(a, svc, jy_service_now(svc)));
    free(a);
}

struct events_ctx {
    json_t *items;
    bool failed;
};

static bool event_add(void *p, const struct jy_store_event_row *e)
{
    struct events_ctx *c = p;
    char at[JY_TIMESTAMP_TEXT_SIZE];
    json_t *actor = json_null();
    if (e->actor_id)
        actor =
            json_pack("{s:s?, s:s?}", "username", nz(e->actor_username), "role", nz(e->actor_role));
    json_t *o =
        json_pack("{s:I, s:s, s:o, s:o, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?}", "id",
                  (json_int_t)e->id, "at", jy_timestamp_format(e->at, at), "actor", actor,
                  "branch_id", e->branch_id ? json_integer(e->branch_id) : json_null(), "station",
                  nz(e->station), "from_state", nz(e->from_state), "from_station",
                  nz(e->from_station), "to_state", e->to_state, "to_station", nz(e->to_station),
                  "reason", nz(e->reason), "note", e->has_note ? e->note : NULL);
    if (!o || json_array_append_new(c->items, o) != 0) {
        c->failed = true;
        return false;
    }
    return true;
}

void jy_api_application_events(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct events_ctx c = {.items = json_array(), .failed = false};
    bool truncated = false;
    if (!c.items) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    if (jy_query_events(jy_api_service(req), jy_api_actor(req),
                        jy_http_request_param(req, "number"), event_add, &c, &truncated,
                        &err) != JY_OK) {
        json_decref(c.items);
        jy_http_response_error(res, &err);
        return;
    }
    if (c.failed) {
        json_decref(c.items);
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    json_t *out = json_pack("{s:o}", "items", c.items);
    if (out && truncated)
        json_object_set_new(out, "truncated", json_true());
    jy_http_response_json(res, 200, out);
}
