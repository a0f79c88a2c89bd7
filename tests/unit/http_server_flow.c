/*
 * API tests of the workflow, shipment and tracking endpoints (src/http/api_stations.c,
 * api_workflow.c, api_shipments.c, api_track.c) against the real server with the real route
 * table, over HTTP: a D01 from the review queue to the applicant's door, a return and a
 * resubmission, a refusal, the carrier's feed and the citizen's page; each refused request is
 * checked for its status and code and for having written nothing.
 */
#include "flow_fixture.h"

#include <curl/curl.h>
#include <jansson.h>

#include "core/timestamp.h"
#include "http/api.h"
#include "http/server.h"
#include "http/session.h"
#include "http_reply.h"

#define PASSWORD "flow-test-pass"

static struct jy_http_server *srv;
static unsigned port;
static FILE *log_file;

struct login {
    char cookie[256];
    char csrf[128];
};

/* One request as `who` (NULL: no session), with its CSRF token when `csrf`. */
static void request(const char *method, const char *path, const struct login *who, bool csrf,
                    const char *body, struct reply *r)
{
    memset(r, 0, sizeof(*r));
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[1024], line[512];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
    struct curl_slist *h = NULL;
    if (who) {
        snprintf(line, sizeof(line), "Cookie: %s=%s", JY_SESSION_COOKIE, who->cookie);
        h = curl_slist_append(h, line);
        if (csrf) {
            snprintf(line, sizeof(line), "%s: %s", JY_CSRF_HEADER, who->csrf);
            h = curl_slist_append(h, line);
        }
    }
    if (body) {
        h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    }
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

/* The reply's JSON, expecting `status`. Caller decrefs. */
static json_t *json_of(struct reply *r, long status)
{
    if (r->status != status)
        fail_msg("status %ld, expected %ld: %s", r->status, status, r->body ? r->body : "");
    json_error_t jerr;
    json_t *o = json_loadb(r->body ? r->body : "", r->len, 0, &jerr);
    if (!o)
        fail_msg("not JSON: %s", r->body ? r->body : "");
    free(r->body);
    r->body = NULL;
    return o;
}

/* Make a request expected to fail with `status` and `code` (and `field` when not NULL), and
 * check that it wrote nothing. */
static void refused(struct flow *f, const char *method, const char *path, const struct login *who,
                    bool csrf, const char *body, long status, const char *code, const char *field)
{
    int64_t before = flow_fingerprint(f);
    struct reply r;
    request(method, path, who, csrf, body, &r);
    json_t *o = json_of(&r, status);
    json_t *e = json_object_get(o, "error");
    const char *got = json_string_value(json_object_get(e, "code"));
    if (!got || strcmp(got, code) != 0)
        fail_msg("%s %s: code %s, expected %s", method, path, got ? got : "(none)", code);
    const char *fld = json_string_value(json_object_get(e, "field"));
    if (field && (!fld || strcmp(fld, field) != 0))
        fail_msg("%s %s: field %s, expected %s", method, path, fld ? fld : "(none)", field);
    json_decref(o);
    assert_int_equal(flow_fingerprint(f), before);
}

static struct login login_as(struct flow *f, const char *username)
{
    struct jy_error err;
    assert_int_equal(jy_auth_user_passwd(f->svc, username, PASSWORD, &err), JY_OK);
    struct reply r;
    char body[128];
    snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", username, PASSWORD);
    request("POST", "/api/v1/session", NULL, false, body, &r);
    struct login l;
    memset(&l, 0, sizeof(l));
    const char *p = strstr(r.headers, JY_SESSION_COOKIE "="); /* only in Set-Cookie */
    assert_non_null(p);
    p += strlen(JY_SESSION_COOKIE "=");
    size_t n = strcspn(p, ";\r\n");
    assert_true(n < sizeof(l.cookie));
    memcpy(l.cookie, p, n);
    json_t *o = json_of(&r, 200);
    snprintf(l.csrf, sizeof(l.csrf), "%s", json_string_value(json_object_get(o, "csrf_token")));
    json_decref(o);
    return l;
}

static int setup(void **state)
{
    flow_setup(state);
    struct flow *f = *state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct jy_http_route *routes;
    size_t n = jy_api_routes(&routes);
    log_file = tmpfile();
    struct jy_http_server_config cfg = {
        .port = 0,
        .threads = 2,
        .routes = routes,
        .n_routes = n,
        .app = f->svc,
        .authenticate = jy_api_authenticate,
        .rate_burst = 1000,
        .rate_per_minute = 1000,
        .log = log_file,
    };
    struct jy_error err;
    if (jy_http_server_start(&cfg, &srv, &err) != JY_OK)
        fail_msg("start: %s", err.message);
    port = jy_http_server_port(srv);
    return 0;
}

static int teardown(void **state)
{
    jy_http_server_stop(srv);
    fclose(log_file);
    curl_global_cleanup();
    return flow_teardown(state);
}

/* Exactly these keys, no more. */
static void assert_keys(const json_t *o, const char *const keys[])
{
    size_t n = 0;
    for (; keys[n]; n++)
        if (!json_object_get(o, keys[n]))
            fail_msg("key %s missing", keys[n]);
    assert_int_equal(json_object_size(o), n);
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s)
        fail_msg("%s is not a string", key);
    return s;
}

static const char *const app_keys[] = {"number",
                                       "display_number",
                                       "business_type",
                                       "business_name_zh",
                                       "business_name_en",
                                       "state",
                                       "station",
                                       "branch",
                                       "clerk",
                                       "applicant",
                                       "owner_uscc",
                                       "vehicle",
                                       "licence",
                                       "delivery",
                                       "documents",
                                       "fees",
                                       "fee_total_fen",
                                       "accepted_at",
                                       "due_date",
                                       "due_status",
                                       "lease",
                                       "waybill",
                                       "correction",
                                       "version",
                                       "updated_at",
                                       "custody",
                                       NULL};

static void test_walk(void **state)
{
    struct flow *f = *state;
    struct login review = login_as(f, "review"), police = login_as(f, "police"),
                 production = login_as(f, "production"), archive = login_as(f, "archive"),
                 dispatch = login_as(f, "dispatch"), clerk = login_as(f, "clerk"),
                 clerk2 = login_as(f, "clerk2"), logistics = login_as(f, "logistics"),
                 manager = login_as(f, "manager");
    char no[24], path[256], body[512];
    flow_insert(f, "D01", "at_station", "review", "2020-01-02", 3000, NULL, no);
    struct reply r;
    json_t *o;

    /* The reason lists come with the catalog, for the workbench's menus. */
    request("GET", "/api/v1/catalog", &review, false, NULL, &r);
    o = json_of(&r, 200);
    json_t *reasons = json_object_get(o, "return_reasons");
    assert_int_equal(json_array_size(reasons), 6);
    assert_keys(json_array_get(reasons, 1),
                (const char *const[]){"code", "name_zh", "name_en", "note_required", NULL});
    assert_string_equal(str(json_array_get(reasons, 1), "name_zh"), "材料不清晰");
    assert_true(json_is_true(json_object_get(json_array_get(reasons, 5), "note_required")));
    assert_string_equal(str(json_array_get(json_object_get(o, "refusal_reasons"), 0), "code"),
                        "not_eligible");
    json_decref(o);

    /* The queue. */
    request("GET", "/api/v1/stations/review/queue", &review, false, NULL, &r);
    o = json_of(&r, 200);
    assert_keys(o, (const char *const[]){"items", "next_cursor", NULL});
    assert_true(json_is_null(json_object_get(o, "next_cursor")));
    json_t *item = json_array_get(json_object_get(o, "items"), 0);
    assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
    assert_keys(item, app_keys);
    assert_string_equal(str(item, "number"), no);
    assert_string_equal(str(item, "station"), "review");
    assert_string_equal(str(item, "business_name_zh"), "补领机动车驾驶证");
    assert_string_equal(str(json_object_get(item, "branch"), "code"), "WH001");
    assert_string_equal(str(json_object_get(item, "branch"), "name_zh"), "彭刘杨路邮政支局");
    assert_true(json_is_null(json_object_get(item, "lease")));
    assert_int_equal(json_integer_value(json_object_get(item, "version")), 1);
    json_decref(o);
    request("GET", "/api/v1/stations/review/queue?limit=1", &manager, false, NULL, &r);
    json_decref(json_of(&r, 200));

    /* due_status against today in Asia/Shanghai, in a queue of three, by pages of two. */
    char today[JY_DATE_TEXT_SIZE], p1[24], p2[24], p3[24];
    jy_date_format(jy_date_from_unix_shanghai(jy_service_now(f->svc)), today);
    flow_insert(f, "V03", "at_station", "print", "2099-12-31", 0, NULL, p1);
    flow_insert(f, "V03", "at_station", "print", today, 0, NULL, p2);
    flow_insert(f, "V03", "at_station", "print", "2020-01-01", 0, NULL, p3);
    request("GET", "/api/v1/stations/print/queue?limit=2", &manager, false, NULL, &r);
    o = json_of(&r, 200);
    json_t *items = json_object_get(o, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(str(json_array_get(items, 0), "number"), p3);
    assert_string_equal(str(json_array_get(items, 0), "due_status"), "overdue");
    assert_string_equal(str(json_array_get(items, 1), "number"), p2);
    assert_string_equal(str(json_array_get(items, 1), "due_status"), "due_today");
    char next[128];
    snprintf(next, sizeof(next), "/api/v1/stations/print/queue?limit=2&cursor=%s",
             str(o, "next_cursor"));
    json_decref(o);
    request("GET", next, &police, false, NULL, &r);
    o = json_of(&r, 200);
    items = json_object_get(o, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(str(json_array_get(items, 0), "number"), p1);
    assert_string_equal(str(json_array_get(items, 0), "due_status"), "on_time");
    struct jy_appno parsed;
    char display[JY_APPNO_DISPLAY_SIZE];
    assert_int_equal(jy_appno_parse(p1, strlen(p1), &parsed, NULL), JY_OK);
    jy_appno_display(&parsed, display);
    assert_string_equal(str(json_array_get(items, 0), "display_number"), display);
    assert_int_equal(display[2], '-');
    assert_true(json_is_null(json_object_get(o, "next_cursor")));
    json_decref(o);
    refused(f, "GET", "/api/v1/stations/review/queue?limit=0", &review, false, NULL, 400,
            "out_of_range", "limit");
    refused(f, "GET", "/api/v1/stations/review/queue?cursor=zzz", &review, false, NULL, 400,
            "bad_cursor", "cursor");
    refused(f, "GET", "/api/v1/stations/nowhere/queue", &review, false, NULL, 404, "not_found",
            NULL);
    refused(f, "GET", "/api/v1/stations/review/queue", &clerk, false, NULL, 403, "forbidden", NULL);
    refused(f, "GET", "/api/v1/stations/review/queue", &dispatch, false, NULL, 403, "out_of_scope",
            NULL);
    refused(f, "GET", "/api/v1/stations/review/queue", NULL, false, NULL, 401, "no_session", NULL);

    /* Claim. */
    refused(f, "POST", "/api/v1/stations/review/claim", &review, false, NULL, 403, "csrf_failed",
            NULL);
    refused(f, "POST", "/api/v1/stations/review/claim", &clerk, true, NULL, 403, "forbidden", NULL);
    refused(f, "POST", "/api/v1/stations/approval/claim", &review, true, NULL, 403, "out_of_scope",
            NULL);
    request("POST", "/api/v1/stations/review/claim", &review, true, NULL, &r);
    o = json_of(&r, 200);
    assert_keys(o, app_keys);
    json_t *lease = json_object_get(o, "lease");
    assert_string_equal(str(lease, "user"), "review");
    int64_t expires;
    struct jy_error err;
    assert_int_equal(jy_timestamp_parse(str(lease, "expires_at"), 20, &expires, &err), JY_OK);
    assert_true(llabs(expires - (jy_service_now(f->svc) + JY_LEASE_SECONDS)) <= 5);
    json_decref(o);
    request("POST", "/api/v1/stations/production/claim", &production, true, NULL, &r);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);

    /* Complete: bad bodies, wrong people, then the real thing. */
    snprintf(path, sizeof(path), "/api/v1/applications/%s/complete", no);
    refused(f, "POST", path, &review, true, "{\"station\":", 400, "malformed_json", NULL);
    refused(f, "POST", path, &review, true, "{\"station\":1}", 400, "wrong_type", "station");
    refused(f, "POST", path, &review, true, "{}", 400, "missing_field", "station");
    refused(f, "POST", path, &review, true, "{\"station\":\"review\",\"x\":1}", 400,
            "unknown_field", "x");
    refused(f, "POST", path, &review, true, "{\"station\":\"reveiw\"}", 422, "unknown_station",
            "station");
    refused(f, "POST", path, &production, true, "{\"station\":\"review\"}", 403, "out_of_scope",
            "station");
    refused(f, "POST", path, &production, true, "{\"station\":\"production\"}", 409,
            "not_at_station", NULL);
    refused(f, "POST", path, &manager, true, "{\"station\":\"review\"}", 403, "forbidden", NULL);
    refused(f, "POST", "/api/v1/applications/WH261130999987/complete", &review, true,
            "{\"station\":\"review\"}", 404, "not_found", NULL);
    refused(f, "POST", "/api/v1/applications/WH26113099999X/complete", &review, true,
            "{\"station\":\"review\"}", 400, "invalid_number", "number");
    request("POST", path, &review, true, "{\"station\":\"review\"}", &r);
    o = json_of(&r, 200);
    assert_string_equal(str(o, "state"), "at_station");
    assert_string_equal(str(o, "station"), "approval");
    assert_true(json_is_null(json_object_get(o, "lease")));
    json_decref(o);
    refused(f, "POST", path, &review, true, "{\"station\":\"review\"}", 409, "not_at_station",
            NULL);
    /* Approval without a lease, then with the police's. */
    refused(f, "POST", path, &police, true, "{\"station\":\"approval\"}", 409, "lease_not_held",
            NULL);
    request("POST", "/api/v1/stations/approval/claim", &police, true, NULL, &r);
    json_decref(json_of(&r, 200));

    /* Return and resubmit. */
    snprintf(path, sizeof(path), "/api/v1/applications/%s/return", no);
    refused(f, "POST", path, &police, true, "{\"station\":\"approval\",\"reason\":\"other\"}", 422,
            "note_required", "note");
    refused(f, "POST", path, &police, true, "{\"station\":\"approval\",\"reason\":\"bad\"}", 422,
            "unknown_reason", "reason");
    request(
        "POST", path, &police, true,
        "{\"station\":\"approval\",\"reason\":\"photo_nonconforming\",\"note\":\"背景不是白色\"}",
        &r);
    o = json_of(&r, 200);
    assert_string_equal(str(o, "state"), "correction");
    assert_string_equal(str(o, "station"), "approval");
    json_t *corr = json_object_get(o, "correction");
    assert_keys(corr, (const char *const[]){"station", "reason", "note", NULL});
    assert_string_equal(str(corr, "reason"), "photo_nonconforming");
    assert_string_equal(str(corr, "note"), "背景不是白色");
    assert_string_equal(str(o, "due_status"), "overdue"); /* due 2020-01-02 */
    json_decref(o);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/resubmit", no);
    refused(f, "POST", path, &clerk2, true, NULL, 403, "out_of_scope", NULL);
    refused(f, "POST", path, &clerk, true, "{\"note\":1}", 400, "wrong_type", "note");
    refused(f, "POST", path, &clerk, true, "{\"memo\":\"x\"}", 400, "unknown_field", "memo");
    request("POST", path, &clerk, true, NULL, &r); /* no body at all */
    o = json_of(&r, 200);
    assert_string_equal(str(o, "state"), "at_station");
    assert_string_equal(str(o, "station"), "approval");
    assert_true(json_is_null(json_object_get(o, "correction")));
    json_decref(o);
    refused(f, "POST", path, &clerk, true, "{\"note\":\"again\"}", 409, "not_at_station", NULL);

    /* On to the door. */
    const struct {
        struct login *who;
        const char *station;
    } steps[] = {{&police, "approval"},
                 {&production, "production"},
                 {&archive, "archive"},
                 {&dispatch, "dispatch"}};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/api/v1/stations/%s/claim", steps[i].station);
        request("POST", path, steps[i].who, true, NULL, &r);
        json_decref(json_of(&r, 200));
        snprintf(path, sizeof(path), "/api/v1/applications/%s/complete", no);
        snprintf(body, sizeof(body), "{\"station\":\"%s\"}", steps[i].station);
        request("POST", path, steps[i].who, true, body, &r);
        o = json_of(&r, 200);
        if (i == 3) {
            assert_string_equal(str(o, "state"), "sealed");
            assert_true(json_is_null(json_object_get(o, "station")));
            assert_string_equal(str(o, "waybill"), "EA100000003CN");
            assert_true(json_is_null(json_object_get(o, "due_status")));
        }
        json_decref(o);
    }

    /* The carrier's feed. */
    int64_t now = jy_service_now(f->svc);
    char t1[JY_TIMESTAMP_TEXT_SIZE], t2[JY_TIMESTAMP_TEXT_SIZE];
    jy_timestamp_format(now - 60, t1);
    jy_timestamp_format(now - 30, t2);
    char feed[1024];
    snprintf(feed, sizeof(feed),
             "{\"events\":[{\"waybill\":\"EA100000003CN\",\"status\":\"shipped\",\"at\":\"%s\","
             "\"location\":\"武汉市邮区中心局\"},"
             "{\"waybill\":\"EA100000003CN\",\"status\":\"delivered\",\"at\":\"%s\"},"
             "{\"waybill\":\"EA999999995CN\",\"status\":\"shipped\",\"at\":\"%s\"},"
             "{\"waybill\":\"EA999999995CN\",\"status\":\"in_transit\",\"at\":\"%s\"}]}",
             t1, t2, t1, t2);
    refused(f, "POST", "/api/v1/shipments/events", &review, true, feed, 403, "forbidden", NULL);
    refused(f, "POST", "/api/v1/shipments/events", &logistics, true,
            "{\"events\":[{\"waybill\":\"EA100000003CN\",\"status\":\"shipped\",\"at\":\"soon\"}]}",
            422, "bad_timestamp", "events[0].at");
    refused(f, "POST", "/api/v1/shipments/events", &logistics, true,
            "{\"events\":[{\"waybill\":\"EA100000003CN\",\"status\":\"shipped\",\"at\":\"2026-12-"
            "01T00:00:00Z\",\"colour\":\"red\"}]}",
            400, "unknown_field", "events[0].colour");
    refused(f, "POST", "/api/v1/shipments/events", &logistics, true, "{\"events\":[1]}", 400,
            "wrong_type", "events[0]");
    refused(f, "POST", "/api/v1/shipments/events", &logistics, true, "{\"events\":{}}", 400,
            "wrong_type", "events");
    refused(f, "POST", "/api/v1/shipments/events", &logistics, true,
            "{\"events\":[{\"waybill\":\"EA100000004CN\",\"status\":\"shipped\",\"at\":\"2026-12-"
            "01T00:00:00Z\"}]}",
            422, "invalid_waybill", "events[0].waybill");
    request("POST", "/api/v1/shipments/events", &logistics, true, feed, &r);
    o = json_of(&r, 200);
    assert_keys(
        o, (const char *const[]){"applied", "duplicates", "unknown", "ignored_out_of_order", NULL});
    assert_int_equal(json_integer_value(json_object_get(o, "applied")), 2);
    assert_int_equal(json_integer_value(json_object_get(o, "duplicates")), 0);
    assert_int_equal(json_integer_value(json_object_get(o, "ignored_out_of_order")), 0);
    json_t *unknown = json_object_get(o, "unknown");
    assert_int_equal(json_array_size(unknown), 1); /* listed once */
    assert_string_equal(json_string_value(json_array_get(unknown, 0)), "EA999999995CN");
    json_decref(o);
    request("POST", "/api/v1/shipments/events", &logistics, true, feed, &r);
    o = json_of(&r, 200);
    assert_int_equal(json_integer_value(json_object_get(o, "duplicates")), 4);
    assert_int_equal(json_array_size(json_object_get(o, "unknown")), 0);
    json_decref(o);

    /* The citizen's page: no login, right four characters. */
    snprintf(path, sizeof(path), "/api/v1/track/%s?id_last4=002x", no);
    request("GET", path, NULL, false, NULL, &r);
    char *text = strdup(r.body ? r.body : "");
    o = json_of(&r, 200);
    assert_keys(o, (const char *const[]){"number", "business_name_zh", "business_name_en", "state",
                                         "state_zh", "state_en", "due_date", "waybill", "timeline",
                                         NULL});
    assert_string_equal(str(o, "state"), "delivered");
    assert_string_equal(str(o, "waybill"), "EA100000003CN");
    json_t *timeline = json_object_get(o, "timeline");
    assert_int_equal(json_array_size(timeline), 10);
    json_t *last = json_array_get(timeline, 9);
    assert_keys(last, (const char *const[]){"at", "text_zh", "text_en", NULL});
    assert_string_equal(str(last, "text_zh"), "已签收");
    assert_string_equal(str(last, "at"), t2);
    assert_string_equal(str(json_array_get(timeline, 2), "text_zh"), "退回补正：照片不合格");
    json_decref(o);
    const char *personal[] = {FLOW_NAME,    FLOW_ID_NUMBER, "002X",  FLOW_MOBILE,
                              FLOW_ADDRESS, "背景不是白色", "430060"};
    for (size_t i = 0; i < sizeof(personal) / sizeof(personal[0]); i++)
        if (strstr(text, personal[i]))
            fail_msg("the tracking page shows %s: %s", personal[i], text);
    free(text);
    snprintf(path, sizeof(path), "/api/v1/track/%s?id_last4=0021", no);
    refused(f, "GET", path, NULL, false, NULL, 404, "not_found", NULL);
    refused(f, "GET", "/api/v1/track/WH26113099999X?id_last4=002X", NULL, false, NULL, 404,
            "not_found", NULL);
    snprintf(path, sizeof(path), "/api/v1/track/%s", no);
    refused(f, "GET", path, NULL, false, NULL, 400, "missing_field", "id_last4");

    /* A refusal. */
    char v08[24];
    flow_insert(f, "V08", "at_station", "review", "2026-12-03", 1000, NULL, v08);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/refuse", v08);
    refused(f, "POST", path, &review, true, "{\"reason\":\"not_eligible\"}", 403, "forbidden",
            NULL);
    refused(f, "POST", path, &police, true, "{\"reason\":\"not_eligible\",\"station\":\"review\"}",
            400, "unknown_field", "station");
    request("POST", path, &police, true, "{\"reason\":\"vehicle_abnormal\",\"note\":\"查封\"}", &r);
    o = json_of(&r, 200);
    assert_string_equal(str(o, "state"), "refused");
    assert_true(json_is_null(json_object_get(o, "station")));
    assert_true(json_is_null(json_object_get(o, "due_status")));
    json_decref(o);
    char note[256];
    assert_string_equal(
        flow_text(f, "SELECT note FROM events ORDER BY id DESC LIMIT 1", note, sizeof(note)),
        "应退费 ¥10.00 / refund due ¥10.00; 查封");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
