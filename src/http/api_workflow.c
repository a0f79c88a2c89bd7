/*
 * api_workflow.c — the back office's actions on one application, and the application JSON they
 * answer with.
 *
 *   POST /api/v1/applications/{number}/complete {"station"}                 → 200 application
 *   POST /api/v1/applications/{number}/return   {"station","reason","note"} → 200 application
 *   POST /api/v1/applications/{number}/resubmit {"note"} (body optional)    → 200 application
 *   POST /api/v1/applications/{number}/refuse   {"reason","note"}           → 200 application
 *
 * The rules (who, when, what happens) are the use cases' (src/service/workflow.h); this file
 * reads the body and writes the answer.
 */
#include "api.h"

#include <string.h>

#include "core/appno.h"
#include "core/date.h"
#include "core/timestamp.h"
#include "http/json.h"
#include "limits.h"
#include "service/workflow.h"
#include "store/users.h"
#include "../banned.h"

/* ---- the application object ---- */

static json_t *string_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *time_json(int64_t t)
{
    char buf[JY_TIMESTAMP_TEXT_SIZE];
    return json_string(jy_timestamp_format(t, buf));
}

/* "on_time", "due_today" or "overdue" against today in Asia/Shanghai, while the application is
 * still being worked on; null once it has left the stations. */
static json_t *due_status_json(const struct jy_store_workflow *w, int64_t now)
{
    bool open = strcmp(w->state, "accepted") == 0 || strcmp(w->state, "at_station") == 0 ||
                strcmp(w->state, "correction") == 0;
    struct jy_date due;
    if (!open || jy_date_parse(w->due_date, strlen(w->due_date), &due, NULL) != JY_OK)
        return json_null();
    int c = jy_date_compare(jy_date_from_unix_shanghai(now), due);
    return json_string(c < 0 ? "on_time" : c == 0 ? "due_today" : "overdue");
}

json_t *jy__api_flow_application_json(struct jy_http_request *req,
                                      const struct jy_store_workflow *w)
{
    struct jy_service *svc = jy_api_service(req);
    int64_t now = jy_service_now(svc);
    const struct jy_business_type *type =
        jy_catalog_find(jy_service_catalog(svc), w->business_type, strlen(w->business_type));

    char display[JY_APPNO_DISPLAY_SIZE];
    struct jy_appno no;
    if (jy_appno_parse(w->number, strlen(w->number), &no, NULL) == JY_OK)
        jy_appno_display(&no, display);
    else
        jy_strlcpy(display, w->number, sizeof(display));

    json_t *branch = json_pack("{s:I}", "id", (json_int_t)w->branch_id);
    struct jy_store_conn *conn;
    struct jy_store_branch b;
    if (branch && jy_service_conn(svc, &conn, NULL) == JY_OK &&
        jy_store_branch_by_id(conn, w->branch_id, &b, NULL) == JY_OK) {
        json_object_set_new(branch, "code", json_string(b.code));
        json_object_set_new(branch, "name_zh", json_string(b.name_zh));
    }

    bool at_or_back = strcmp(w->state, "at_station") == 0 || strcmp(w->state, "correction") == 0;
    json_t *lease = json_null();
    if (w->lease_user_id && w->lease_expires_at > now)
        lease = json_pack("{s:s, s:o}", "user", w->lease_username, "expires_at",
                          time_json(w->lease_expires_at));
    json_t *correction = json_null();
    if (strcmp(w->state, "correction") == 0)
        correction = json_pack("{s:s, s:s, s:o}", "station", w->station, "reason",
                               w->correction_reason, "note", string_or_null(w->correction_note));

    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o,"
                     " s:I, s:o}",
                     "number", w->number, "display_number", display, "business_type",
                     w->business_type, "business_name_zh", type ? type->name_zh : "",
                     "business_name_en", type ? type->name_en : "", "state", w->state, "station",
                     at_or_back ? string_or_null(w->station) : json_null(), "branch", branch,
                     "accepted_at", time_json(w->accepted_at), "due_date", w->due_date,
                     "due_status", due_status_json(w, now), "lease", lease, "waybill",
                     string_or_null(w->waybill), "correction", correction, "version",
                     (json_int_t)w->version, "updated_at", time_json(w->updated_at));
}

/* ---- the actions ---- */

/* Answer with the application, or the error. */
static void answer(struct jy_http_request *req, struct jy_http_response *res, enum jy_err e,
                   const struct jy_store_workflow *w, const struct jy_error *err)
{
    if (e != JY_OK) {
        jy_http_response_error(res, err);
        return;
    }
    jy_http_response_json(res, 200, jy__api_flow_application_json(req, w));
}

void jy_api_application_complete(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"station", NULL};
    struct jy_error err;
    const char *station = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "station", true, JY_EVENT_CODE_MAX_BYTES, &station, &err) !=
            JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_store_workflow w;
    enum jy_err e = jy_workflow_complete(jy_api_service(req), jy_api_actor(req),
                                         jy_http_request_param(req, "number"), station, &w, &err);
    answer(req, res, e, &w, &err);
}

void jy_api_application_return(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"station", "reason", "note", NULL};
    struct jy_error err;
    const char *station = NULL, *reason = NULL, *note = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "station", true, JY_EVENT_CODE_MAX_BYTES, &station, &err) !=
            JY_OK ||
        jy_json_get_string(body, "reason", true, JY_EVENT_CODE_MAX_BYTES, &reason, &err) != JY_OK ||
        jy_json_get_string(body, "note", false, JY_NOTE_MAX_BYTES, &note, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_store_workflow w;
    enum jy_err e =
        jy_workflow_return(jy_api_service(req), jy_api_actor(req),
                           jy_http_request_param(req, "number"), station, reason, note, &w, &err);
    answer(req, res, e, &w, &err);
}

void jy_api_application_resubmit(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    const char *note = NULL;
    size_t len = 0;
    jy_http_request_body(req, &len);
    if (len > 0) { /* the body is optional: a resubmission may carry a note */
        json_t *body = jy_api_body(req, res);
        if (!body)
            return;
        static const char *const allowed[] = {"note", NULL};
        if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
            jy_json_get_string(body, "note", false, JY_NOTE_MAX_BYTES, &note, &err) != JY_OK) {
            jy_http_response_error(res, &err);
            return;
        }
    }
    struct jy_store_workflow w;
    enum jy_err e = jy_workflow_resubmit(jy_api_service(req), jy_api_actor(req),
                                         jy_http_request_param(req, "number"), note, &w, &err);
    answer(req, res, e, &w, &err);
}

void jy_api_application_refuse(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"reason", "note", NULL};
    struct jy_error err;
    const char *reason = NULL, *note = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "reason", true, JY_EVENT_CODE_MAX_BYTES, &reason, &err) != JY_OK ||
        jy_json_get_string(body, "note", false, JY_NOTE_MAX_BYTES, &note, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_store_workflow w;
    enum jy_err e =
        jy_workflow_refuse(jy_api_service(req), jy_api_actor(req),
                           jy_http_request_param(req, "number"), reason, note, &w, &err);
    answer(req, res, e, &w, &err);
}
