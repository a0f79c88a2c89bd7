/*
 * api_reference.c — reference data and liveness.
 *
 *   GET /api/v1/catalog   → the business catalog: stations, the 16 business types, and the
 *                           reasons a station may give for a return or a refusal
 *   GET /api/v1/branches  → every branch
 *   GET /api/v1/catalog/{code}/due-date → the due date of an intake taken now:
 *                          {"business_type", "accepted_date", "sla_working_days", "due_date"}
 *   GET /healthz          → 200 {"status":"ok"} when the database answers, else 503
 */
#include "api.h"

#include "core/reasons.h"
#include <string.h>

#include "core/date.h"
#include "store/users.h"
#include "../banned.h"

static json_t *type_json(const struct jy_business_type *t)
{
    json_t *docs = json_array(), *fees = json_array(), *route = json_array(),
           *requires = json_array();
    for (size_t i = 0; i < t->document_count; i++)
        json_array_append_new(docs, json_pack("{s:s, s:s, s:s, s:b}", "code", t->documents[i].code,
                                              "name_zh", t->documents[i].name_zh, "name_en",
                                              t->documents[i].name_en, "required",
                                              t->documents[i].required));
    int64_t total = 0;
    for (size_t i = 0; i < t->fee_count; i++) {
        total += t->fees[i].amount_fen;
        json_array_append_new(fees,
                              json_pack("{s:s, s:s, s:s, s:I}", "code", t->fees[i].code, "name_zh",
                                        t->fees[i].name_zh, "name_en", t->fees[i].name_en,
                                        "amount_fen", (json_int_t)t->fees[i].amount_fen));
    }
    for (size_t i = 0; i < t->route_len; i++)
        json_array_append_new(route, json_string(jy_station_code(t->route[i])));
    static const struct {
        unsigned bit;
        const char *code;
    } parts[] = {{JY_REQUIRES_APPLICANT, "applicant"},
                 {JY_REQUIRES_VEHICLE, "vehicle"},
                 {JY_REQUIRES_LICENCE, "licence"},
                 {JY_REQUIRES_DELIVERY, "delivery"},
                 {JY_REQUIRES_OWNER_ORG_ALLOWED, "owner_org_allowed"}};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        if (t->requires & parts[i].bit)
            json_array_append_new(requires, json_string(parts[i].code));
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:b, s:i, s:b, s:s, s:s, s:o}", "code",
                  t->code, "name_zh", t->name_zh, "name_en", t->name_en, "category",
                  jy_catalog_category_code(t->category), "documents", docs, "fees", fees,
                  "fee_total_fen", (json_int_t)total, "route", route, "counter_only",
                  t->counter_only, "sla_working_days", t->sla_working_days, "police_approval",
                  t->police_approval, "output", jy_catalog_output_code(t->output), "delivery",
                  jy_catalog_delivery_code(t->delivery), "requires", requires);
    if (t->rules.renewal_window_days)
        json_object_set_new(o, "renewal_window_days", json_integer(t->rules.renewal_window_days));
    return o;
}

static json_t *reasons_json(enum jy_reason_kind kind)
{
    const struct jy_reason *list = NULL;
    size_t n = jy_reasons(kind, &list);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}", "code", list[i].code, "name_zh",
                                           list[i].name_zh, "name_en", list[i].name_en,
                                           "note_required", list[i].note_required));
    return a;
}

void jy_api_catalog_get(struct jy_http_request *req, struct jy_http_response *res)
{
    const struct jy_catalog *cat = jy_service_catalog(jy_api_service(req));
    json_t *stations = json_array(), *types = json_array();
    for (int s = 0; s < JY__STATION_COUNT; s++)
        json_array_append_new(stations, json_pack("{s:s, s:s, s:s}", "code",
                                                  jy_station_code((enum jy_station)s), "name_zh",
                                                  jy_station_name_zh((enum jy_station)s), "name_en",
                                                  jy_station_name_en((enum jy_station)s)));
    for (size_t i = 0; i < jy_catalog_count(cat); i++)
        json_array_append_new(types, type_json(jy_catalog_at(cat, i)));
    jy_http_response_json(res, 200,
                          json_pack("{s:b, s:o, s:o, s:o, s:o}", "demo_fees",
                                    jy_catalog_demo_fees(cat), "stations", stations,
                                    "business_types", types, "return_reasons",
                                    reasons_json(JY_REASON_RETURN), "refusal_reasons",
                                    reasons_json(JY_REASON_REFUSAL)));
}

void jy_api_catalog_due_date(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_service *svc = jy_api_service(req);
    const char *code = jy_http_request_param(req, "code");
    const struct jy_business_type *t =
        code ? jy_catalog_find(jy_service_catalog(svc), code, strlen(code)) : NULL;
    if (!t) {
        jy_http_response_fail(res, JY_NOT_FOUND, "unknown_business_type", "code",
                              "no such business type");
        return;
    }
    struct jy_date today = jy_date_from_unix_shanghai(jy_service_now(svc)), due = today;
    struct jy_error err;
    if (t->sla_working_days > 0 && jy_calendar_due_date(jy_service_calendar(svc), today,
                                                        t->sla_working_days, &due, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    char a[JY_DATE_TEXT_SIZE], d[JY_DATE_TEXT_SIZE];
    jy_http_response_json(res, 200,
                          json_pack("{s:s, s:s, s:i, s:s}", "business_type", t->code,
                                    "accepted_date", jy_date_format(today, a), "sla_working_days",
                                    t->sla_working_days, "due_date", jy_date_format(due, d)));
}

static bool add_branch(void *ctx, const struct jy_store_branch *b)
{
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)b->id, "code",
                  b->code, "name_zh", b->name_zh, "name_en", b->name_en, "district", b->district,
                  "bag_cutoff", b->bag_cutoff, "is_open", b->is_open, "demo", b->demo);
    if (b->lat != 0.0 || b->lon != 0.0) {
        json_object_set_new(o, "lat", json_real(b->lat));
        json_object_set_new(o, "lon", json_real(b->lon));
    }
    json_array_append_new(ctx, o);
    return true;
}

void jy_api_branches_list(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_store_conn *conn;
    json_t *items = json_array();
    if (jy_service_conn(jy_api_service(req), &conn, &err) != JY_OK ||
        jy_store_branch_each(conn, add_branch, items, &err) != JY_OK) {
        json_decref(items);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, json_pack("{s:o}", "items", items));
}

void jy_api_healthz(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_store_conn *conn;
    int64_t users = 0;
    if (jy_service_conn(jy_api_service(req), &conn, &err) != JY_OK ||
        jy_store_user_count(conn, &users, &err) != JY_OK) {
        jy_http_response_error_status(res, 503, &err);
        return;
    }
    /* Warnings leave the status ok: the service works, but someone must act soon. */
    json_t *warnings = json_array();
    json_t *cal = jy__api_calendar_warning_json(jy_api_service(req));
    if (json_is_object(cal))
        json_array_append(warnings, cal);
    json_decref(cal);
    jy_http_response_json(res, 200, json_pack("{s:s, s:o}", "status", "ok", "warnings", warnings));
}
