/*
 * api_stations.c — the station workbench: a station's queue and claiming its next item.
 *
 *   GET  /api/v1/stations/{station}/queue?limit=&cursor=  → 200 {"items":[application…],
 *                                                                 "next_cursor": "…" | null}
 *   POST /api/v1/stations/{station}/claim                  → 200 application with its lease,
 *                                                            or 204 when nothing waits
 *
 * An unknown station in the path is 404, like any path that names nothing.
 */
#include "api.h"

#include "http/json.h"

#include <string.h>

#include "limits.h"
#include "service/workflow.h"
#include "../banned.h"

/* The station of the path, or NULL with 404 answered. */
static bool path_station(struct jy_http_request *req, struct jy_http_response *res,
                         enum jy_station *ret)
{
    const char *s = jy_http_request_param(req, "station");
    if (!s || !jy_station_parse(s, strlen(s), ret)) {
        jy_http_response_fail(res, JY_NOT_FOUND, "not_found", "station", "no such station");
        return false;
    }
    return true;
}

struct page {
    struct jy_http_request *req;
    json_t *items;
};

static bool add_item(void *ctx, const struct jy_store_workflow *w)
{
    struct page *p = ctx;
    json_array_append_new(p->items, jy__api_flow_application_json(p->req, w));
    return true;
}

void jy_api_station_queue(struct jy_http_request *req, struct jy_http_response *res)
{
    enum jy_station st;
    if (!path_station(req, res, &st))
        return;
    struct jy_error err;
    int64_t limit = JY_PAGE_DEFAULT_ITEMS;
    if (jy_http_request_query_int(req, "limit", 1, JY_PAGE_MAX_ITEMS, &limit, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct page p = {req, json_array()};
    char next[JY_WORKFLOW_CURSOR_SIZE];
    if (jy_workflow_queue(jy_api_service(req), jy_api_actor(req), st,
                          jy_http_request_query(req, "cursor"), (size_t)limit, add_item, &p, next,
                          &err) != JY_OK) {
        json_decref(p.items);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:o, s:o}", "items", p.items, "next_cursor",
                                    next[0] ? json_string(next) : json_null()));
}

void jy_api_station_claim(struct jy_http_request *req, struct jy_http_response *res)
{
    enum jy_station st;
    if (!path_station(req, res, &st))
        return;
    struct jy_error err;
    struct jy_store_workflow w;
    bool claimed = false;
    /* With a body {"number": …}: that application, scanned from the envelope in hand. */
    size_t body_len = 0;
    (void)jy_http_request_body(req, &body_len);
    if (body_len > 0) {
        json_t *body = jy_api_body(req, res);
        if (!body)
            return;
        static const char *const allowed[] = {"number", NULL};
        const char *number = NULL;
        if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
            jy_json_get_string(body, "number", true, JY_IDENT_MAX_BYTES, &number, &err) != JY_OK ||
            jy_workflow_claim_number(jy_api_service(req), jy_api_actor(req), st, number, &w,
                                     &err) != JY_OK) {
            jy_http_response_error(res, &err);
            return;
        }
        jy_http_response_json(res, 200, jy__api_flow_application_json(req, &w));
        return;
    }
    if (jy_workflow_claim(jy_api_service(req), jy_api_actor(req), st, &w, &claimed, &err) !=
        JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    if (!claimed) {
        jy_http_response_empty(res, 204);
        return;
    }
    jy_http_response_json(res, 200, jy__api_flow_application_json(req, &w));
}
