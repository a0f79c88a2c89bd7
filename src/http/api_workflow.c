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

#include <stdlib.h>

#include "store/applications.h"

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

json_t *jy__api_flow_application_json(struct jy_http_request *req,
                                      const struct jy_store_workflow *w)
{
    struct jy_service *svc = jy_api_service(req);
    struct jy_store_conn *conn;
    /* The record is too large for a worker thread's stack. */
    struct jy_store_application *a = malloc(sizeof(*a));
    json_t *out = NULL;
    if (a && jy_service_conn(svc, &conn, NULL) == JY_OK &&
        jy_store_application_by_id(conn, w->id, a, NULL) == JY_OK)
        out = jy_api_application_json(a, svc, jy_service_now(svc));
    free(a);
    return out; /* NULL: the framework answers 500 */
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
    static const char *const allowed[] = {"station", "decision_number", "points", NULL};
    struct jy_error err;
    const char *station = NULL, *decision_number = NULL;
    int64_t points = -1;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "station", true, JY_EVENT_CODE_MAX_BYTES, &station, &err) !=
            JY_OK ||
        /* W01 at approval: the decision issued and the points scored */
        jy_json_get_string(body, "decision_number", false, JY_IDENT_MAX_BYTES, &decision_number,
                           &err) != JY_OK ||
        jy_json_get_int(body, "points", false, 0, 12, &points, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    if ((decision_number != NULL) != (points >= 0)) {
        jy_http_response_fail(res, JY_INVALID, "missing_field",
                              decision_number ? "points" : "decision_number",
                              "decision_number and points go together");
        return;
    }
    struct jy_workflow_violation v = {decision_number, (int)points};
    struct jy_store_workflow w;
    enum jy_err e = jy_workflow_complete_violation(jy_api_service(req), jy_api_actor(req),
                                                   jy_http_request_param(req, "number"), station,
                                                   decision_number ? &v : NULL, &w, &err);
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
