/*
 * api_track.c — the citizen's tracking page (public, rate-limited per client).
 *
 *   GET /api/v1/track/{number}?id_last4=1234
 *     → 200 {"number","business_name_zh","business_name_en","state","state_zh","state_en",
 *            "due_date","waybill","timeline":[{"at","text_zh","text_en"}]}
 *     → 404 not_found for an unknown number and a wrong id_last4 alike
 *     → 400 missing_field when id_last4 is absent
 */
#include "api.h"

#include "core/timestamp.h"
#include "service/track.h"
#include "../banned.h"

void jy_api_track_get(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *last4 = jy_http_request_query(req, "id_last4");
    if (!last4 || !*last4) {
        jy_http_response_fail(res, JY_INVALID, "missing_field", "id_last4",
                              "id_last4 (the last four characters of the ID number) is required");
        return;
    }
    struct jy_error err;
    struct jy_track t;
    if (jy_track_get(jy_api_service(req), jy_http_request_param(req, "number"), last4, &t, &err) !=
        JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    json_t *timeline = json_array();
    for (size_t i = 0; timeline && i < t.count; i++) {
        char at[JY_TIMESTAMP_TEXT_SIZE];
        json_array_append_new(timeline,
                              json_pack("{s:s, s:s, s:s}", "at",
                                        jy_timestamp_format(t.timeline[i].at, at), "text_zh",
                                        t.timeline[i].text_zh, "text_en", t.timeline[i].text_en));
    }
    json_t *out = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "number", t.number, "business_name_zh",
        t.business_name_zh, "business_name_en", t.business_name_en, "state", t.state, "state_zh",
        t.state_zh, "state_en", t.state_en, "due_date", t.due_date, "waybill",
        t.waybill[0] ? json_string(t.waybill) : json_null(), "timeline", timeline);
    jy_track_release(&t);
    jy_http_response_json(res, 200, out);
}
