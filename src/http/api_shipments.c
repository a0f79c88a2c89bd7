/*
 * api_shipments.c — the carrier's tracking feed.
 *
 *   POST /api/v1/shipments/events
 *     {"events":[{"waybill","status","at","location","failure_reason"}, …]}
 *     → 200 {"applied": n, "duplicates": n, "unknown": ["EA…CN", …], "ignored_out_of_order": n}
 *
 * At most JY_SHIPMENT_EVENTS_MAX events; one bad event refuses the batch (the error's field
 * names it: "events[3].at"). "unknown" lists each unknown waybill once, in feed order.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/json.h"
#include "limits.h"
#include "service/shipments.h"
#include "../banned.h"

/* Put "events[i]." before err->field. */
static void prefix_field(struct jy_error *err, size_t i)
{
    char field[2 * sizeof(err->field)]; /* "events[999].location" needs 21 */
    snprintf(field, sizeof(field), "events[%zu]%s%s", i, err->field[0] ? "." : "", err->field);
    jy_strlcpy(err->field, field, sizeof(err->field));
}

static enum jy_err read_event(const json_t *o, size_t i, struct jy_shipment_event *ev,
                              const char **failure, struct jy_error *err)
{
    static const char *const allowed[] = {"waybill",  "status",         "at",
                                          "location", "failure_reason", NULL};
    if (!json_is_object(o)) {
        jy_error_set(err, JY_INVALID, "wrong_type", NULL, "each event must be an object");
        prefix_field(err, i);
        return JY_INVALID;
    }
    enum jy_err e;
    if ((e = jy_json_check_keys(o, "", allowed, err)) != JY_OK ||
        (e = jy_json_get_string(o, "waybill", true, JY_IDENT_MAX_BYTES, &ev->waybill, err)) !=
            JY_OK ||
        (e = jy_json_get_string(o, "status", true, JY_EVENT_CODE_MAX_BYTES, &ev->status, err)) !=
            JY_OK ||
        (e = jy_json_get_string(o, "at", true, JY_IDENT_MAX_BYTES, &ev->at, err)) != JY_OK ||
        (e = jy_json_get_string(o, "location", false, JY_SHIPMENT_LOCATION_MAX_BYTES, &ev->location,
                                err)) != JY_OK ||
        (e = jy_json_get_string(o, "failure_reason", false, JY_SHIPMENT_LOCATION_MAX_BYTES, failure,
                                err)) != JY_OK) {
        /* check_keys names the key alone ("colour"); the getters the key too. */
        prefix_field(err, i);
        return e;
    }
    return JY_OK;
}

void jy_api_shipments_events(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"events", NULL};
    struct jy_error err;
    const json_t *list = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_array(body, "events", true, JY_SHIPMENT_EVENTS_MAX, &list, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    size_t n = json_array_size(list);
    struct jy_shipment_event *events = calloc(n ? n : 1, sizeof(*events));
    enum jy_shipment_outcome *outcomes = calloc(n ? n : 1, sizeof(*outcomes));
    char(*waybills)[14] = calloc(n ? n : 1, sizeof(*waybills));
    const char **failures = calloc(n ? n : 1, sizeof(*failures));
    json_t *unknown = json_array();
    if (!events || !outcomes || !waybills || !failures || !unknown) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (read_event(json_array_get(list, i), i, &events[i], &failures[i], &err) != JY_OK) {
            jy_http_response_error(res, &err);
            goto out;
        }
    }
    struct jy_shipments_result r;
    if (jy_shipments_apply_ex(jy_api_service(req), jy_api_actor(req), events, failures, n, NULL,
                              outcomes, waybills, &r, NULL, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (outcomes[i] != JY_SHIPMENT_UNKNOWN)
            continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = outcomes[k] == JY_SHIPMENT_UNKNOWN && strcmp(waybills[k], waybills[i]) == 0;
        if (!seen)
            json_array_append_new(unknown, json_string(waybills[i]));
    }
    jy_http_response_json(res, 200,
                          json_pack("{s:I, s:I, s:O, s:I}", "applied", (json_int_t)r.applied,
                                    "duplicates", (json_int_t)r.duplicates, "unknown", unknown,
                                    "ignored_out_of_order", (json_int_t)r.ignored_out_of_order));
out:
    json_decref(unknown);
    free(events);
    free(outcomes);
    free(waybills);
    free(failures);
}
