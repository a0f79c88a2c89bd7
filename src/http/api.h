/*
 * api.h — the HTTP API v1 of jingyou: the route table, the authentication hook, and what every
 * handler shares.
 *
 * Each resource has its own file, src/http/api_<resource>.c, whose handlers are declared here
 * and listed in the one route table of api.c. A handler reads its request, calls one use case
 * of src/service with the request's actor, and turns the result (or the `struct jy_error`) into
 * the response; permissions are checked by the use case, not here.
 */
#ifndef JY_API_H
#define JY_API_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "service/service.h"
#include "store/applications.h"

/* The route table (static). */
size_t jy_api_routes(const struct jy_http_route **ret);

/* The authenticate hook of the server: the jy_session cookie → the actor of the request. */
enum jy_err jy_api_authenticate(void *app, struct jy_http_request *req, struct jy_error *err);

/* The role gate of the request's route (api_roles.c), run by jy_api_authenticate once the
 * actor is known and before the body is read, so that a caller who may not use a route is told
 * 403 "forbidden" whatever its body: 401, then 403, then 413/415/400 (README.md, "The order
 * of the checks"). A route without an entry, or a role it lets through, gives JY_OK; the use
 * case checks role and scope again in full. */
enum jy_err jy__api_route_roles_check(const struct jy_http_request *req, const struct jy_actor *a,
                                      struct jy_error *err);

/* The service of the request's server (borrowed). */
struct jy_service *jy_api_service(const struct jy_http_request *req);

/* The actor the hook found (borrowed from the request pool); NULL on public routes. */
const struct jy_actor *jy_api_actor(const struct jy_http_request *req);

/* The request's JSON body object, or NULL with the error response already set. Borrowed. */
json_t *jy_api_body(struct jy_http_request *req, struct jy_http_response *res);

/* The actor as JSON: {id, username, display_name, role, branch_id, stations: [...]}. New ref. */
json_t *jy_api_actor_json(const struct jy_actor *a);

/* Static files: the web/ directory handed to the catch-all route; set before the server starts. */
void jy_api_set_web_dir(const char *dir);

/* The application object of the API contract for `a` (borrowed): number and display number,
 * business type with its names (from the service's catalog), state, station (null unless
 * at_station or correction), branch, clerk, applicant, owner_uscc, vehicle, licence, delivery,
 * documents, fees and their total, accepted_at, due_date, due_status (against today in
 * Asia/Shanghai at `now`; null once the application has left the pipeline), lease (only while
 * unexpired at `now`), waybill, correction (while in correction), version, updated_at. `now` is
 * UTC seconds, normally jy_service_now(svc). Returns a new reference, or NULL when out of
 * memory (jy_http_response_json answers 500 for NULL). Thread-safe. */
json_t *jy_api_application_json(const struct jy_store_application *a, const struct jy_service *svc,
                                int64_t now);

/* ---- handlers, one group per resource file ---- */

/* api_session.c: POST/GET/DELETE /api/v1/session */
jy_http_handler jy_api_session_create, jy_api_session_get, jy_api_session_delete;

/* api_stations.c: GET /api/v1/stations/{station}/queue, POST /api/v1/stations/{station}/claim */
jy_http_handler jy_api_station_queue, jy_api_station_claim;

/* api_workflow.c: POST /api/v1/applications/{number}/complete, /return, /resubmit, /refuse */
jy_http_handler jy_api_application_complete, jy_api_application_return, jy_api_application_resubmit,
    jy_api_application_refuse;

/* api_shipments.c: POST /api/v1/shipments/events */
jy_http_handler jy_api_shipments_events;

/* api_track.c: GET /api/v1/track/{number} (public, rate-limited) */
jy_http_handler jy_api_track_get;

/* api_carrier.c: the timeline, after a failed delivery, the carrier's unclaimed rows, the
 * outbox. */
jy_http_handler jy_api_application_timeline, jy_api_application_redispatch,
    jy_api_application_contacted, jy_api_deliveries_attention, jy_api_shipments_unmatched,
    jy_api_outbox_list, jy_api_shipments_import;

/* api_workflow.c, for api_stations.c too: the full application object (jy_api_application_json)
 * of the application behind workflow view `w`, read afresh. New reference; NULL when it cannot be
 * read (the framework then answers 500). */
struct jy_store_workflow;
json_t *jy__api_flow_application_json(struct jy_http_request *req,
                                      const struct jy_store_workflow *w);

/* api_reference.c: GET /api/v1/catalog, /api/v1/branches, /healthz */
jy_http_handler jy_api_catalog_get, jy_api_catalog_due_date, jy_api_branches_list, jy_api_healthz;

/* api_applications.c: POST/GET /api/v1/applications, GET /api/v1/applications/{number} and
 * …/{number}/events */
jy_http_handler jy_api_applications_create, jy_api_applications_list, jy_api_application_get,
    jy_api_application_events;

/* api_documents.c: POST/GET /api/v1/applications/{number}/documents, GET …/documents/{sha256} */
jy_http_handler jy_api_documents_upload, jy_api_documents_list, jy_api_document_get;

/* api_print.c: GET /api/v1/applications/{number}/receipt.pdf, …/label.pdf,
 * /api/v1/manifests/outbound.pdf, /api/v1/receipts/verify (public, rate-limited),
 * /api/v1/reports/daily.xlsx, /api/v1/reports/daily.csv */
jy_http_handler jy_api_receipt_pdf, jy_api_label_pdf, jy_api_outbound_manifest_pdf,
    jy_api_receipt_verify, jy_api_daily_xlsx, jy_api_daily_csv;

/* api_custody.c: bags, reception, dispatch batches, discrepancies, custody settings. */
jy_http_handler jy_api_bags_list, jy_api_bags_next, jy_api_bags_close, jy_api_bag_get,
    jy_api_bag_manifest_pdf, jy_api_bag_reception_open, jy_api_bag_scan, jy_api_bag_reception_close,
    jy_api_dispatch_get, jy_api_batches_close, jy_api_batch_get, jy_api_batch_manifest_pdf,
    jy_api_batch_scan, jy_api_batch_handover_close, jy_api_discrepancies_list,
    jy_api_discrepancy_resolve, jy_api_custody_settings_get, jy_api_custody_settings_put;

/* api_custody.c: the custody of application `application_id` (its paper file and envelope) as
 * the application JSON's "custody" member: {"paper_file", "bag", "received_at", "envelope",
 * "batch"}; JSON null when it cannot be read. New reference. */
json_t *jy__api_custody_json(const struct jy_service *svc, int64_t application_id);
/* api_fines.c: penalty decisions, fine payments, receipts, reversal, settlement and
 * reconciliation (GET/POST /api/v1/decisions…, /api/v1/decision-imports,
 * /api/v1/fine-payments/{id}…, /api/v1/fine-settlements/{date}…) */
jy_http_handler jy_api_decision_get, jy_api_decisions_list, jy_api_decisions_import,
    jy_api_decision_pay, jy_api_fine_payment_get, jy_api_fine_payment_receipt,
    jy_api_fine_payment_reverse, jy_api_fine_settlement_get, jy_api_fine_settlement_csv,
    jy_api_fine_reconciliation;
/* api_hall.c: the hall queue. */
jy_http_handler jy_api_hall_categories, jy_api_hall_ticket_take, jy_api_hall_ticket_get,
    jy_api_hall_slip_pdf, jy_api_hall_ticket_requeue, jy_api_hall_windows, jy_api_hall_window_open,
    jy_api_hall_window_call, jy_api_hall_window_act, jy_api_hall_calls, jy_api_hall_stream,
    jy_api_hall_figures;
/* api_dashboard.c: reports, nearest branches, coverage, /metrics */
jy_http_handler jy_api_reports_summary, jy_api_reports_coverage, jy_api_branches_nearest,
    jy_api_metrics;

/* api_calendar.c: the holiday calendar (GET /api/v1/calendar, PUT /api/v1/calendar/{year}) */
jy_http_handler jy_api_calendar_get, jy_api_calendar_put;
/* api_calendar.c: the warning that next year's holiday arrangement is missing, as /healthz and
 * GET /api/v1/calendar give it ({"code": "calendar_year_missing", "year", "days_left",
 * "last_covered_day", "message"}), or JSON null when there is none. New reference. */
json_t *jy__api_calendar_warning_json(const struct jy_service *svc);

#endif /* JY_API_H */
