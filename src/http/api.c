/*
 * api.c — the route table of the API and the authentication hook.
 */
#include "api.h"

#include <string.h>

#include "http/pool.h"
#include "service/auth.h"
#include "../banned.h"

static const char *web_dir = "web";

void jy_api_set_web_dir(const char *dir)
{
    web_dir = dir;
}

#define KiB 1024
#define PUB JY_ROUTE_PUBLIC
#define CSRF JY_ROUTE_NEEDS_CSRF

/* Every route of the API. Permissions beyond "logged in" are checked by the use cases. */
static struct jy_http_route routes[] = {
    {JY_HTTP_POST, "/api/v1/session", jy_api_session_create, PUB, 8 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/session", jy_api_session_get, 0, 0, NULL},
    {JY_HTTP_DELETE, "/api/v1/session", jy_api_session_delete, CSRF, 0, NULL},
    {JY_HTTP_GET, "/api/v1/stations/{station}/queue", jy_api_station_queue, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/stations/{station}/claim", jy_api_station_claim, CSRF, 1 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/applications/{number}/complete", jy_api_application_complete, CSRF,
     1 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/applications/{number}/return", jy_api_application_return, CSRF,
     16 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/applications/{number}/resubmit", jy_api_application_resubmit, CSRF,
     16 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/applications/{number}/refuse", jy_api_application_refuse, CSRF,
     16 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/shipments/events", jy_api_shipments_events, CSRF, 0, NULL},
    {JY_HTTP_GET, "/api/v1/track/{number}", jy_api_track_get, PUB | JY_ROUTE_RATE_LIMITED, 0, NULL},
    {JY_HTTP_GET, "/api/v1/catalog", jy_api_catalog_get, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/catalog/{code}/due-date", jy_api_catalog_due_date, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/branches", jy_api_branches_list, 0, 0, NULL},
    {JY_HTTP_GET, "/healthz", jy_api_healthz, PUB, 0, NULL},
    {JY_HTTP_POST, "/api/v1/applications", jy_api_applications_create, CSRF, 0, NULL},
    {JY_HTTP_GET, "/api/v1/applications", jy_api_applications_list, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/applications/{number}", jy_api_application_get, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/applications/{number}/events", jy_api_application_events, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/applications/{number}/documents", jy_api_documents_upload, CSRF,
     JY_HTTP_DOCUMENT_MAX_BYTES, NULL},
    {JY_HTTP_GET, "/api/v1/applications/{number}/documents", jy_api_documents_list, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/applications/{number}/documents/{sha256}", jy_api_document_get, 0, 0,
     NULL},
    {JY_HTTP_GET, "/api/v1/applications/{number}/receipt.pdf", jy_api_receipt_pdf, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/applications/{number}/label.pdf", jy_api_label_pdf, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/manifests/outbound.pdf", jy_api_outbound_manifest_pdf, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/receipts/verify", jy_api_receipt_verify, PUB | JY_ROUTE_RATE_LIMITED, 0,
     NULL},
    {JY_HTTP_GET, "/api/v1/reports/daily.xlsx", jy_api_daily_xlsx, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/reports/daily.csv", jy_api_daily_csv, 0, 0, NULL},
    /* custody: bags, reception, dispatch batches, discrepancies (api_custody.c) */
    {JY_HTTP_GET, "/api/v1/bags", jy_api_bags_list, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/bags/next", jy_api_bags_next, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/bags", jy_api_bags_close, CSRF, 1 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/bags/{seal}", jy_api_bag_get, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/bags/{seal}/manifest.pdf", jy_api_bag_manifest_pdf, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/bags/{seal}/reception", jy_api_bag_reception_open, CSRF, 1 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/bags/{seal}/scans", jy_api_bag_scan, CSRF, 1 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/bags/{seal}/reception/close", jy_api_bag_reception_close, CSRF, 1 * KiB,
     NULL},
    {JY_HTTP_GET, "/api/v1/dispatch", jy_api_dispatch_get, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/dispatch/batches", jy_api_batches_close, CSRF, 1 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/dispatch/batches/{batch}", jy_api_batch_get, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/dispatch/batches/{batch}/manifest.pdf", jy_api_batch_manifest_pdf, 0, 0,
     NULL},
    {JY_HTTP_POST, "/api/v1/dispatch/batches/{batch}/scans", jy_api_batch_scan, CSRF, 1 * KiB,
     NULL},
    {JY_HTTP_POST, "/api/v1/dispatch/batches/{batch}/handover/close", jy_api_batch_handover_close,
     CSRF, 1 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/discrepancies", jy_api_discrepancies_list, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/discrepancies/{id}/resolve", jy_api_discrepancy_resolve, CSRF, 16 * KiB,
     NULL},
    {JY_HTTP_GET, "/api/v1/custody/settings", jy_api_custody_settings_get, 0, 0, NULL},
    {JY_HTTP_PUT, "/api/v1/custody/settings", jy_api_custody_settings_put, CSRF, 1 * KiB, NULL},
    /* fines (W02): decisions, payments, settlement */
    {JY_HTTP_GET, "/api/v1/decisions", jy_api_decisions_list, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/decisions/{decision_number}", jy_api_decision_get, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/decision-imports", jy_api_decisions_import, CSRF,
     JY_DECISIONS_CSV_MAX_BYTES, NULL},
    {JY_HTTP_POST, "/api/v1/decisions/{decision_number}/payments", jy_api_decision_pay, CSRF,
     4 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/fine-payments/{id}", jy_api_fine_payment_get, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/fine-payments/{id}/receipt.pdf", jy_api_fine_payment_receipt, 0, 0,
     NULL},
    {JY_HTTP_POST, "/api/v1/fine-payments/{id}/reverse", jy_api_fine_payment_reverse, CSRF,
     16 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/fine-settlements/{date}", jy_api_fine_settlement_get, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/fine-settlements/{date}/settlement.csv", jy_api_fine_settlement_csv, 0,
     0, NULL},
    {JY_HTTP_POST, "/api/v1/fine-settlements/{date}/reconciliation", jy_api_fine_reconciliation,
     CSRF, JY_DECISIONS_CSV_MAX_BYTES, NULL},
    /* the hall queue (api_hall.c); the kiosk's ticket route has its own limiter */
    {JY_HTTP_GET, "/api/v1/hall/categories", jy_api_hall_categories, PUB, 0, NULL},
    {JY_HTTP_POST, "/api/v1/hall/tickets", jy_api_hall_ticket_take, PUB, 1 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/hall/tickets/{number}", jy_api_hall_ticket_get,
     PUB | JY_ROUTE_RATE_LIMITED, 0, NULL},
    {JY_HTTP_GET, "/api/v1/hall/tickets/{number}/slip.pdf", jy_api_hall_slip_pdf, PUB, 0, NULL},
    {JY_HTTP_POST, "/api/v1/hall/tickets/{number}/requeue", jy_api_hall_ticket_requeue, CSRF,
     1 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/hall/windows", jy_api_hall_windows, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/open", jy_api_hall_window_open, CSRF, 1 * KiB,
     "open"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/close", jy_api_hall_window_open, CSRF, 1 * KiB,
     "close"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/call", jy_api_hall_window_call, CSRF, 1 * KiB,
     NULL},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/recall", jy_api_hall_window_act, CSRF, 1 * KiB,
     "recall"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/skip", jy_api_hall_window_act, CSRF, 1 * KiB,
     "skip"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/start", jy_api_hall_window_act, CSRF, 1 * KiB,
     "start"},
    {JY_HTTP_POST, "/api/v1/hall/windows/{window}/finish", jy_api_hall_window_act, CSRF, 1 * KiB,
     "finish"},
    {JY_HTTP_GET, "/api/v1/hall/calls", jy_api_hall_calls, PUB, 0, NULL},
    {JY_HTTP_GET, "/api/v1/hall/stream", jy_api_hall_stream, PUB, 0, NULL},
    {JY_HTTP_GET, "/api/v1/hall/figures", jy_api_hall_figures, 0, 0, NULL},
    /* carrier and notifications (api_carrier.c) */
    {JY_HTTP_GET, "/api/v1/applications/{number}/timeline", jy_api_application_timeline, 0, 0,
     NULL},
    {JY_HTTP_POST, "/api/v1/applications/{number}/redispatch", jy_api_application_redispatch, CSRF,
     16 * KiB, NULL},
    {JY_HTTP_POST, "/api/v1/applications/{number}/contacted", jy_api_application_contacted, CSRF,
     16 * KiB, NULL},
    {JY_HTTP_GET, "/api/v1/deliveries/attention", jy_api_deliveries_attention, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/shipments/unmatched", jy_api_shipments_unmatched, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/shipments/import", jy_api_shipments_import, CSRF,
     JY_TRACKING_HTTP_MAX_BYTES, NULL},
    {JY_HTTP_GET, "/api/v1/outbox", jy_api_outbox_list, 0, 0, NULL},
    /* reports, the branch network and metrics (api_dashboard.c) */
    {JY_HTTP_GET, "/api/v1/reports/summary", jy_api_reports_summary, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/reports/coverage", jy_api_reports_coverage, 0, 0, NULL},
    {JY_HTTP_GET, "/api/v1/branches/nearest", jy_api_branches_nearest, PUB | JY_ROUTE_RATE_LIMITED,
     0, NULL},
    {JY_HTTP_GET, "/metrics", jy_api_metrics, PUB, 0, NULL},
    /* the holiday calendar (api_calendar.c) */
    {JY_HTTP_GET, "/api/v1/calendar", jy_api_calendar_get, 0, 0, NULL},
    {JY_HTTP_PUT, "/api/v1/calendar/{year}", jy_api_calendar_put, CSRF, JY_CALENDAR_MAX_BYTES,
     NULL},
    {JY_HTTP_GET, "/{path*}", jy_http_static_handler, PUB, 0, NULL},
};

size_t jy_api_routes(const struct jy_http_route **ret)
{
    size_t n = sizeof(routes) / sizeof(routes[0]);
    routes[n - 1].data = web_dir;
    *ret = routes;
    return n;
}

enum jy_err jy_api_authenticate(void *app, struct jy_http_request *req, struct jy_error *err)
{
    struct jy_service *svc = app;
    const char *token = jy_http_request_cookie(req, JY_SESSION_COOKIE);
    struct jy_actor actor;
    uint8_t csrf_hash[JY_SESSION_HASH_BYTES];
    enum jy_err e = jy_auth_session(svc, token, &actor, csrf_hash, err);
    if (e != JY_OK)
        return e;
    struct jy_actor *copy = jy_pool_alloc(jy_http_request_pool(req), sizeof(*copy));
    if (!copy)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    *copy = actor;
    if ((e = jy__api_route_roles_check(req, copy, err)) != JY_OK)
        return e;
    jy_http_request_set_csrf_hash(req, csrf_hash);
    return jy_http_request_set_user(req, copy->username, copy, err);
}

struct jy_service *jy_api_service(const struct jy_http_request *req)
{
    return jy_http_request_app(req);
}

const struct jy_actor *jy_api_actor(const struct jy_http_request *req)
{
    return jy_http_request_user_data(req);
}

json_t *jy_api_body(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = NULL;
    struct jy_error err;
    if (jy_http_request_json(req, &body, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return NULL;
    }
    return body;
}

json_t *jy_api_actor_json(const struct jy_actor *a)
{
    json_t *stations = json_array();
    for (int s = 0; s < JY__STATION_COUNT; s++)
        if (a->stations & (1u << s))
            json_array_append_new(stations, json_string(jy_station_code((enum jy_station)s)));
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)a->user_id, "username",
                     a->username, "display_name", a->display_name, "role", jy_role_code(a->role),
                     "branch_id", a->branch_id ? json_integer(a->branch_id) : json_null(),
                     "stations", stations);
}
