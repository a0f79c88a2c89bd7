/*
 * Tests of src/http/server.c against a real server: it starts on port 0 with a few test routes
 * and is spoken to over a real socket with libcurl. Each case checks the status, the headers
 * that matter and, for every error, that the body is exactly the error shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "http/json.h"
#include "http/server.h"
#include "http/session.h"
#include "http_reply.h"

/* ---- the application under test ---- */

struct app {
    char session[JY_SESSION_TOKEN_SIZE];
    char csrf[JY_SESSION_TOKEN_SIZE];
    uint8_t session_hash[JY_SESSION_HASH_BYTES];
    uint8_t csrf_hash[JY_SESSION_HASH_BYTES];
};

static enum jy_err authenticate(void *ctx, struct jy_http_request *req, struct jy_error *err)
{
    struct app *app = ctx;
    const char *token = jy_http_request_cookie(req, JY_SESSION_COOKIE);
    if (!token)
        return jy_error_set(err, JY_UNAUTHENTICATED, "no_session", NULL, "log in first");
    if (!jy_session_token_matches(token, app->session_hash))
        return jy_error_set(err, JY_UNAUTHENTICATED, "bad_session", NULL, "session expired");
    jy_http_request_set_csrf_hash(req, app->csrf_hash);
    return jy_http_request_set_user(req, "clerk", app, err);
}

static void h_hello(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *q = jy_http_request_query(req, "q");
    jy_http_response_json(res, 200, json_pack("{s:s, s:s?}", "hello", "world", "q", q));
}

static void h_echo(struct jy_http_request *req, struct jy_http_response *res)
{
    static const char *const keys[] = {"name", "n", "nested", NULL};
    struct jy_error err;
    json_t *body;
    const char *name = NULL;
    int64_t n = 0;
    if (jy_http_request_json(req, &body, &err) != JY_OK ||
        jy_json_check_keys(body, NULL, keys, &err) != JY_OK ||
        jy_json_get_string(body, "name", true, 50, &name, &err) != JY_OK ||
        jy_json_get_int(body, "n", false, 0, 100, &n, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, json_pack("{s:s, s:I}", "name", name, "n", (json_int_t)n));
}

static void h_events(struct jy_http_request *req, struct jy_http_response *res)
{
    jy_http_response_json(res, 200,
                          json_pack("{s:s, s:s}", "number", jy_http_request_param(req, "number"),
                                    "user", jy_http_request_user(req)));
}

static void h_complete(struct jy_http_request *req, struct jy_http_response *res)
{
    jy_http_response_json(res, 200,
                          json_pack("{s:s}", "done", jy_http_request_param(req, "number")));
}

static void h_track(struct jy_http_request *req, struct jy_http_response *res)
{
    jy_http_response_json(res, 200,
                          json_pack("{s:s}", "number", jy_http_request_param(req, "number")));
}

static void h_silent(struct jy_http_request *req, struct jy_http_response *res)
{
    (void)req;
    (void)res;
}

static void h_login(struct jy_http_request *req, struct jy_http_response *res)
{
    struct app *app = jy_http_request_app(req);
    struct jy_error err;
    if (jy_http_response_set_session(res, app->session, 0, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, json_pack("{s:s}", "csrf_token", app->csrf));
}

static char web_dir[256];
static char secret_path[300];

static const struct jy_http_route routes[] = {
    {JY_HTTP_GET, "/api/v1/hello", h_hello, JY_ROUTE_PUBLIC, 0, NULL},
    {JY_HTTP_POST, "/api/v1/echo", h_echo, JY_ROUTE_PUBLIC, 1024, NULL},
    {JY_HTTP_GET, "/api/v1/apps/{number}/events", h_events, 0, 0, NULL},
    {JY_HTTP_POST, "/api/v1/apps/{number}/complete", h_complete, JY_ROUTE_NEEDS_CSRF, 0, NULL},
    {JY_HTTP_GET, "/api/v1/track/{number}", h_track, JY_ROUTE_PUBLIC | JY_ROUTE_RATE_LIMITED, 0,
     NULL},
    {JY_HTTP_GET, "/api/v1/silent", h_silent, JY_ROUTE_PUBLIC, 0, NULL},
    {JY_HTTP_GET, "/api/v1/login", h_login, JY_ROUTE_PUBLIC, 0, NULL},
    {JY_HTTP_GET, "/static/{path*}", jy_http_static_handler, JY_ROUTE_PUBLIC, 0, web_dir},
};

static struct app app;
static struct jy_http_server *srv;
static FILE *log_file;
static unsigned port;
static char tmp_root[64];

/* ---- the client ---- */

struct upload {
    const char *data;
    size_t len, pos;
};

static size_t on_read(char *buf, size_t size, size_t n, void *cls)
{
    struct upload *u = cls;
    size_t k = size * n;
    if (k > u->len - u->pos)
        k = u->len - u->pos;
    if (k > 700) /* several chunks */
        k = 700;
    memcpy(buf, u->data + u->pos, k);
    u->pos += k;
    return k;
}

enum { CHUNKED = 1, NO_EXPECT = 2 };

/* Make one request. `headers` is NULL-terminated (may be NULL). */
static void request(const char *method, const char *path, const char *const *headers,
                    const char *body, size_t body_len, int opts, struct reply *r)
{
    memset(r, 0, sizeof(*r));
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[8192];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
    struct curl_slist *h = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        h = curl_slist_append(h, headers[i]);
    if (opts & NO_EXPECT)
        h = curl_slist_append(h, "Expect:");
    struct upload up = {body, body_len, 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (body && (opts & CHUNKED)) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(c, CURLOPT_READDATA, &up);
        h = curl_slist_append(h, "Transfer-Encoding: chunked");
    } else if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    if (strcmp(method, "HEAD") != 0)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

static void get(const char *path, const char *const *headers, struct reply *r)
{
    request("GET", path, headers, NULL, 0, 0, r);
}

/* The value of response header `name` (the last one given) copied into `buf`, or NULL. */
static const char *header(const struct reply *r, const char *name, char *buf, size_t size)
{
    const char *found = NULL;
    size_t nlen = strlen(name);
    for (const char *line = r->headers; *line;) {
        const char *eol = strstr(line, "\r\n");
        if (!eol)
            break;
        if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            size_t vlen = (size_t)(eol - v);
            if (vlen >= size)
                vlen = size - 1;
            memcpy(buf, v, vlen);
            buf[vlen] = '\0';
            found = buf;
        }
        line = eol + 2;
    }
    return found;
}

static void free_reply(struct reply *r)
{
    free(r->body);
    r->body = NULL;
}

/* The body must be exactly {"error":{"code":…,"message":…[,"field":…]}}. */
static void check_error(struct reply *r, long status, const char *code, const char *field)
{
    if (r->status != status)
        fail_msg("status %ld, expected %ld; body %s", r->status, status, r->body ? r->body : "");
    json_error_t jerr;
    json_t *o = json_loadb(r->body ? r->body : "", r->len, 0, &jerr);
    if (!o)
        fail_msg("error body is not JSON: %s", r->body ? r->body : "(none)");
    assert_int_equal(json_object_size(o), 1);
    json_t *e = json_object_get(o, "error");
    assert_true(json_is_object(e));
    assert_true(json_is_string(json_object_get(e, "code")));
    assert_true(json_is_string(json_object_get(e, "message")));
    assert_true(strlen(json_string_value(json_object_get(e, "message"))) > 0);
    json_t *f = json_object_get(e, "field");
    assert_int_equal(json_object_size(e), f ? 3 : 2);
    if (code && strcmp(json_string_value(json_object_get(e, "code")), code) != 0)
        fail_msg("code %s, expected %s", json_string_value(json_object_get(e, "code")), code);
    if (field)
        assert_string_equal(json_string_value(f), field);
    else
        assert_null(f);
    char ct[128];
    assert_non_null(header(r, "Content-Type", ct, sizeof(ct)));
    assert_string_equal(ct, "application/json; charset=utf-8");
    json_decref(o);
    free_reply(r);
}

static json_t *json_of(struct reply *r, long status)
{
    if (r->status != status)
        fail_msg("status %ld, expected %ld; body %s", r->status, status, r->body ? r->body : "");
    json_error_t jerr;
    json_t *o = json_loadb(r->body, r->len, 0, &jerr);
    assert_non_null(o);
    return o;
}

/* ---- setup ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(tmp_root, sizeof(tmp_root), "/tmp/jyhttp.XXXXXX");
    if (!mkdtemp(tmp_root))
        return -1;
    snprintf(web_dir, sizeof(web_dir), "%s/web", tmp_root);
    snprintf(secret_path, sizeof(secret_path), "%s/secret.txt", tmp_root);
    mkdir(web_dir, 0700);
    char p[512];
    snprintf(p, sizeof(p), "%s/sub", web_dir);
    mkdir(p, 0700);
    write_file(secret_path, "TOP-SECRET");
    snprintf(p, sizeof(p), "%s/index.html", web_dir);
    write_file(p, "<!doctype html><title>jingyou</title>");
    snprintf(p, sizeof(p), "%s/app.js", web_dir);
    write_file(p, "console.log('jingyou');\n");
    snprintf(p, sizeof(p), "%s/.env", web_dir);
    write_file(p, "TOP-SECRET");
    snprintf(p, sizeof(p), "%s/link.txt", web_dir);
    if (symlink(secret_path, p) != 0)
        return -1;

    if (jy_session_token_new(app.session, NULL) != JY_OK ||
        jy_session_token_new(app.csrf, NULL) != JY_OK ||
        jy_session_token_hash(app.session, app.session_hash, NULL) != JY_OK ||
        jy_session_token_hash(app.csrf, app.csrf_hash, NULL) != JY_OK)
        return -1;

    log_file = tmpfile();
    struct jy_http_server_config cfg = {
        .port = 0,
        .threads = 2,
        .routes = routes,
        .n_routes = sizeof(routes) / sizeof(routes[0]),
        .app = &app,
        .authenticate = authenticate,
        .extra_header_name = "X-Jingyou-Demo",
        .extra_header_value = "1",
        .rate_burst = 3,
        .rate_per_minute = 1,
        .log = log_file,
    };
    struct jy_error err;
    if (jy_http_server_start(&cfg, &srv, &err) != JY_OK) {
        fprintf(stderr, "start: %s\n", err.message);
        return -1;
    }
    port = jy_http_server_port(srv);
    return port ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    jy_http_server_stop(srv);
    if (log_file)
        fclose(log_file);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        return -1;
    curl_global_cleanup();
    return 0;
}

/* ---- the cases ---- */

static void test_ok_json(void **state)
{
    (void)state;
    struct reply r;
    char v[256];
    get("/api/v1/hello?q=a%20b+c&q=second&other", NULL, &r);
    json_t *o = json_of(&r, 200);
    assert_string_equal(json_string_value(json_object_get(o, "hello")), "world");
    assert_string_equal(json_string_value(json_object_get(o, "q")), "a b c"); /* first q wins */
    json_decref(o);
    assert_string_equal(header(&r, "Content-Type", v, sizeof(v)),
                        "application/json; charset=utf-8");
    assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof(v)), "nosniff");
    assert_string_equal(header(&r, "Cache-Control", v, sizeof(v)), "no-store");
    assert_string_equal(header(&r, "X-Jingyou-Demo", v, sizeof(v)), "1");
    assert_int_equal(strlen(header(&r, "X-Request-Id", v, sizeof(v))), 16);
    free_reply(&r);

    request("HEAD", "/api/v1/hello", NULL, NULL, 0, 0, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 0);
    free_reply(&r);
}

static void test_not_found_and_method(void **state)
{
    (void)state;
    struct reply r;
    char v[256];
    get("/api/v1/nothing", NULL, &r);
    assert_string_equal(header(&r, "Cache-Control", v, sizeof(v)), "no-store");
    assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof(v)), "nosniff");
    check_error(&r, 404, "no_route", NULL);

    request("DELETE", "/api/v1/hello", NULL, NULL, 0, 0, &r);
    assert_string_equal(header(&r, "Allow", v, sizeof(v)), "GET, HEAD");
    check_error(&r, 405, "method_not_allowed", NULL);

    request("BREW", "/api/v1/hello", NULL, NULL, 0, 0, &r);
    check_error(&r, 405, "method_not_allowed", NULL);

    get("/api/v1/apps/%zz/events", NULL, &r);
    check_error(&r, 400, "bad_percent_encoding", "number");

    get("/api/v1/hello?q=%ff", NULL, &r);
    check_error(&r, 400, "invalid_utf8", "q");

    char many[1024] = "/api/v1/hello?";
    for (int i = 0; i < JY_HTTP_MAX_QUERY_PARAMS + 1; i++)
        snprintf(many + strlen(many), sizeof(many) - strlen(many), "k%d=v&", i);
    get(many, NULL, &r);
    check_error(&r, 400, "too_many_query_params", NULL);

    char *longt = malloc(JY_HTTP_URI_MAX_BYTES + 100);
    snprintf(longt, JY_HTTP_URI_MAX_BYTES + 100, "/api/v1/hello?q=");
    memset(longt + strlen(longt), 'x', JY_HTTP_URI_MAX_BYTES);
    longt[JY_HTTP_URI_MAX_BYTES + 10] = '\0';
    get(longt, NULL, &r);
    check_error(&r, 414, "uri_too_long", NULL);
    free(longt);

    const char *headers[JY_HTTP_MAX_HEADERS + 2];
    char names[JY_HTTP_MAX_HEADERS + 1][32];
    for (int i = 0; i <= JY_HTTP_MAX_HEADERS; i++) {
        snprintf(names[i], sizeof(names[i]), "X-Filler-%d: %d", i, i);
        headers[i] = names[i];
    }
    headers[JY_HTTP_MAX_HEADERS + 1] = NULL;
    get("/api/v1/hello", headers, &r);
    check_error(&r, 431, "too_many_headers", NULL);

    get("/api/v1/silent", NULL, &r);
    check_error(&r, 500, "no_response", NULL);
}

static const char *json_ct[] = {"Content-Type: application/json", NULL};

static void test_bodies(void **state)
{
    (void)state;
    struct reply r;
    const char *ok = "{\"name\":\"张三\",\"n\":7}";
    request("POST", "/api/v1/echo", json_ct, ok, strlen(ok), 0, &r);
    json_t *o = json_of(&r, 200);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "张三");
    assert_int_equal(json_integer_value(json_object_get(o, "n")), 7);
    json_decref(o);
    free_reply(&r);

    /* The same body, chunked, in several pieces. */
    char padded[1000];
    snprintf(padded, sizeof(padded), "{\"name\":\"%0900d\"}", 0);
    request("POST", "/api/v1/echo", json_ct, padded, strlen(padded), CHUNKED, &r);
    assert_int_equal(r.status, 400); /* name is longer than 50: the whole body arrived */
    check_error(&r, 400, "too_long", "name");

    /* Over the route's 1024 bytes: refused from Content-Length, with or without 100-continue. */
    char big[4096];
    memset(big, ' ', sizeof(big));
    big[0] = '{';
    big[sizeof(big) - 1] = '}';
    request("POST", "/api/v1/echo", json_ct, big, sizeof(big), 0, &r);
    check_error(&r, 413, "body_too_large", NULL);
    request("POST", "/api/v1/echo", json_ct, big, sizeof(big), NO_EXPECT, &r);
    check_error(&r, 413, "body_too_large", NULL);
    /* … and chunked, where the length is only known as it arrives. */
    request("POST", "/api/v1/echo", json_ct, big, sizeof(big), CHUNKED | NO_EXPECT, &r);
    check_error(&r, 413, "body_too_large", NULL);
    /* Exactly the limit is accepted (and then judged as JSON). */
    request("POST", "/api/v1/echo", json_ct, big, 1024, CHUNKED, &r);
    check_error(&r, 400, "malformed_json", NULL);

    const char *malformed = "{\"name\": \"x\",}";
    request("POST", "/api/v1/echo", json_ct, malformed, strlen(malformed), 0, &r);
    assert_non_null(strstr(r.body, "line 1, column"));
    check_error(&r, 400, "malformed_json", NULL);

    request("POST", "/api/v1/echo", json_ct, "[1]", 3, 0, &r);
    check_error(&r, 400, "not_an_object", NULL);
    request("POST", "/api/v1/echo", json_ct, "{\"name\":\"a\",\"name\":\"b\"}", 23, 0, &r);
    check_error(&r, 400, "duplicate_key", NULL);
    request("POST", "/api/v1/echo", json_ct, "{\"name\":\"\xff\"}", 12, 0, &r);
    check_error(&r, 400, "invalid_utf8", NULL);
    request("POST", "/api/v1/echo", json_ct, "{\"name\":\"x\",\"extra\":1}", 22, 0, &r);
    check_error(&r, 400, "unknown_field", "extra");
    request("POST", "/api/v1/echo", json_ct, "{\"n\":1}", 7, 0, &r);
    check_error(&r, 400, "missing_field", "name");
    request("POST", "/api/v1/echo", json_ct, "{\"name\":\"x\",\"n\":101}", 20, 0, &r);
    check_error(&r, 400, "out_of_range", "n");
    request("POST", "/api/v1/echo", json_ct, "", 0, 0, &r);
    check_error(&r, 400, "empty_body", NULL);

    char deep[200];
    size_t n = (size_t)snprintf(deep, sizeof(deep), "{\"nested\":");
    for (int i = 0; i < 32; i++)
        deep[n++] = '[';
    for (int i = 0; i < 32; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    request("POST", "/api/v1/echo", json_ct, deep, n, 0, &r);
    check_error(&r, 400, "too_deep", NULL);

    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    request("POST", "/api/v1/echo", form, ok, strlen(ok), 0, &r);
    check_error(&r, 415, "unsupported_media_type", NULL);
}

static void test_auth_and_csrf(void **state)
{
    (void)state;
    struct reply r;
    char cookie[128], bad_cookie[128], csrf[128], bad_csrf[128], other[JY_SESSION_TOKEN_SIZE];
    jy_session_token_new(other, NULL);
    snprintf(cookie, sizeof(cookie), "Cookie: theme=dark; jy_session=%s; x=1", app.session);
    snprintf(bad_cookie, sizeof(bad_cookie), "Cookie: jy_session=%s", other);
    snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", app.csrf);
    snprintf(bad_csrf, sizeof(bad_csrf), "X-CSRF-Token: %s", other);

    get("/api/v1/apps/J1/events", NULL, &r);
    check_error(&r, 401, "no_session", NULL);
    /* 401 comes before what the request carries: a bad query is not looked at. */
    get("/api/v1/apps/J1/events?q=%ff", NULL, &r);
    check_error(&r, 401, "no_session", NULL);
    const char *h1[] = {bad_cookie, NULL};
    get("/api/v1/apps/J1/events", h1, &r);
    check_error(&r, 401, "bad_session", NULL);
    const char *h2[] = {cookie, NULL};
    get("/api/v1/apps/J%201/events", h2, &r);
    json_t *o = json_of(&r, 200);
    assert_string_equal(json_string_value(json_object_get(o, "number")), "J 1");
    assert_string_equal(json_string_value(json_object_get(o, "user")), "clerk");
    json_decref(o);
    free_reply(&r);

    /* State-changing: authentication first, then the CSRF token. */
    const char *h3[] = {csrf, NULL};
    request("POST", "/api/v1/apps/J1/complete", h3, "", 0, 0, &r);
    check_error(&r, 401, "no_session", NULL);
    request("POST", "/api/v1/apps/J1/complete", h2, "", 0, 0, &r);
    check_error(&r, 403, "csrf_failed", NULL);
    const char *h4[] = {cookie, bad_csrf, NULL};
    request("POST", "/api/v1/apps/J1/complete", h4, "", 0, 0, &r);
    check_error(&r, 403, "csrf_failed", NULL);
    char session_as_csrf[128];
    snprintf(session_as_csrf, sizeof(session_as_csrf), "X-CSRF-Token: %s", app.session);
    const char *h5[] = {cookie, session_as_csrf, NULL};
    request("POST", "/api/v1/apps/J1/complete", h5, "", 0, 0, &r);
    check_error(&r, 403, "csrf_failed", NULL);
    const char *h6[] = {cookie, csrf, NULL};
    request("POST", "/api/v1/apps/J1/complete", h6, "", 0, 0, &r);
    o = json_of(&r, 200);
    assert_string_equal(json_string_value(json_object_get(o, "done")), "J1");
    json_decref(o);
    free_reply(&r);
    /* A refused request's body is never read: a big one gets 401, not 413. */
    char big[8192];
    memset(big, 'x', sizeof(big));
    request("POST", "/api/v1/apps/J1/complete", NULL, big, 1000, 0, &r);
    check_error(&r, 401, "no_session", NULL);

    get("/api/v1/login", NULL, &r);
    char v[256];
    char want[256];
    snprintf(want, sizeof(want), "jy_session=%s; HttpOnly; SameSite=Strict; Path=/", app.session);
    assert_string_equal(header(&r, "Set-Cookie", v, sizeof(v)), want);
    free_reply(&r);
}

static void test_rate_limit(void **state)
{
    (void)state;
    struct reply r;
    char v[64];
    for (int i = 0; i < 3; i++) {
        get("/api/v1/track/J42?id_last4=002X", NULL, &r);
        assert_int_equal(r.status, 200);
        free_reply(&r);
    }
    get("/api/v1/track/J42?id_last4=002X", NULL, &r);
    assert_non_null(header(&r, "Retry-After", v, sizeof(v)));
    assert_true(strtol(v, NULL, 10) >= 1 && strtol(v, NULL, 10) <= 60);
    check_error(&r, 429, "rate_limited", NULL);
    /* Other routes are not limited. */
    get("/api/v1/hello", NULL, &r);
    assert_int_equal(r.status, 200);
    free_reply(&r);
}

static void test_static(void **state)
{
    (void)state;
    struct reply r;
    char etag[128], v[256], inm[200];
    get("/static/app.js", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "console.log('jingyou');\n");
    assert_string_equal(header(&r, "Content-Type", v, sizeof(v)), "text/javascript; charset=utf-8");
    assert_string_equal(header(&r, "Cache-Control", v, sizeof(v)), "no-cache");
    assert_string_equal(header(&r, "X-Content-Type-Options", v, sizeof(v)), "nosniff");
    assert_non_null(header(&r, "ETag", etag, sizeof(etag)));
    assert_int_equal(strlen(etag), 34); /* "…32 hex…" */
    assert_int_equal(etag[0], '"');
    free_reply(&r);

    snprintf(inm, sizeof(inm), "If-None-Match: \"other\", %s", etag);
    const char *h1[] = {inm, NULL};
    get("/static/app.js", h1, &r);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_string_equal(header(&r, "ETag", v, sizeof(v)), etag);
    free_reply(&r);
    snprintf(inm, sizeof(inm), "If-None-Match: W/%s", etag);
    const char *h2[] = {inm, NULL};
    get("/static/app.js", h2, &r);
    assert_int_equal(r.status, 304);
    free_reply(&r);
    const char *h3[] = {"If-None-Match: \"nope\"", NULL};
    get("/static/app.js", h3, &r);
    assert_int_equal(r.status, 200);
    free_reply(&r);

    get("/static/", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type", v, sizeof(v)), "text/html; charset=utf-8");
    assert_non_null(strstr(r.body, "jingyou"));
    free_reply(&r);

    const char *refused[] = {
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2e%2e%2fsecret.txt",
        "/static/sub/../../secret.txt",
        "/static/sub/%2E%2E/%2E%2E/secret.txt",
        "/static/.env",
        "/static/link.txt",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/sub",
        "/static/..%5csecret.txt",
        "/static/missing.js",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        get(refused[i], NULL, &r);
        if (r.body && strstr(r.body, "TOP-SECRET"))
            fail_msg("%s leaked the secret", refused[i]);
        if (r.body && strstr(r.body, "root:"))
            fail_msg("%s leaked /etc/passwd", refused[i]);
        check_error(&r, 404, NULL, NULL);
    }
}

/* Send `raw` bytes on a fresh connection, optionally read the reply's first line into `line`,
 * and close. For requests that a well-behaved client library will not send. */
static void raw_exchange(const char *raw, size_t len, char *line, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(send(fd, raw, len, MSG_NOSIGNAL), (ssize_t)len);
    if (line) {
        size_t got = 0;
        while (got + 1 < size) {
            ssize_t n = recv(fd, line + got, size - 1 - got, 0);
            if (n <= 0)
                break;
            got += (size_t)n;
            if (memchr(line, '\n', got))
                break;
        }
        line[got] = '\0';
    }
    close(fd);
}

static void test_protocol_edges(void **state)
{
    (void)state;
    struct reply r;
    char line[256];
    /* Headers over JY_HTTP_HEADERS_MAX_BYTES but within the connection's memory: our 431, in
     * the JSON shape. */
    {
        size_t big = JY_HTTP_HEADERS_MAX_BYTES + 100;
        char *value = malloc(big + 16);
        memcpy(value, "X-Big: ", 7);
        memset(value + 7, 'b', big);
        value[7 + big] = '\0';
        const char *hb[] = {value, NULL};
        get("/api/v1/hello", hb, &r);
        check_error(&r, 431, "headers_too_large", NULL);
        free(value);
        /* Just under the limit: served. */
        size_t ok = JY_HTTP_HEADERS_MAX_BYTES - 1024;
        value = malloc(ok + 16);
        memcpy(value, "X-Big: ", 7);
        memset(value + 7, 'b', ok);
        value[7 + ok] = '\0';
        const char *hs[] = {value, NULL};
        get("/api/v1/hello", hs, &r);
        assert_int_equal(r.status, 200);
        free_reply(&r);
        free(value);
    }
    /* Headers larger than the connection's memory: the server library refuses by itself, with
     * its own page (src/http/README.md, "Over-long headers"). */
    size_t hsize = JY_HTTP_CONNECTION_MEMORY_BYTES + 1000;
    char *huge = malloc(hsize + 16);
    memcpy(huge, "X-Huge: ", 8);
    memset(huge + 8, 'h', hsize);
    huge[8 + hsize] = '\0';
    const char *h[] = {huge, NULL};
    get("/api/v1/hello", h, &r);
    assert_true(r.status >= 400 && r.status < 500);
    free_reply(&r);
    free(huge);

    /* A client that promises a body and hangs up half way; one that sends garbage. */
    const char *partial = "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
                          "\r\nContent-Length: 500\r\n\r\n{\"name\":";
    raw_exchange(partial, strlen(partial), NULL, 0);
    raw_exchange("BLAH\r\n\r\n", 8, line, sizeof(line));
    const char *smuggle = "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                          "Content-Length: 7\r\n\r\n{}";
    raw_exchange(smuggle, strlen(smuggle), line, sizeof(line));
    assert_non_null(strstr(line, " 400 "));
    /* A declared length far beyond the limit is refused without reading anything. */
    const char *liar = "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
                       "\r\nContent-Length: 99999999999\r\n\r\n";
    raw_exchange(liar, strlen(liar), line, sizeof(line));
    assert_non_null(strstr(line, " 413 "));
    /* Still serving. */
    get("/api/v1/hello", NULL, &r);
    assert_int_equal(r.status, 200);
    free_reply(&r);
}

struct hammer {
    int ok;
};

static void *hammer_main(void *arg)
{
    struct hammer *h = arg;
    for (int i = 0; i < 50; i++) {
        struct reply r;
        get("/api/v1/hello?q=x", NULL, &r);
        h->ok += r.status == 200;
        free(r.body);
    }
    return NULL;
}

static void test_concurrent(void **state)
{
    (void)state;
    pthread_t t[6];
    struct hammer h[6];
    for (int i = 0; i < 6; i++) {
        h[i].ok = 0;
        assert_int_equal(pthread_create(&t[i], NULL, hammer_main, &h[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        ok += h[i].ok;
    }
    assert_int_equal(ok, 300);
}

static void test_start_errors(void **state)
{
    (void)state;
    struct jy_http_server *s = NULL;
    struct jy_error err;
    struct jy_http_server_config cfg = {.routes = routes, .n_routes = 2, .log = log_file};
    /* A route that needs authentication and no hook. */
    cfg.n_routes = 3;
    assert_int_equal(jy_http_server_start(&cfg, &s, &err), JY_INVALID);
    cfg.n_routes = 2;
    cfg.address = "localhost"; /* a name, not a literal */
    assert_int_equal(jy_http_server_start(&cfg, &s, &err), JY_INVALID);
    cfg.address = NULL;
    cfg.extra_header_name = "X-Bad\r\nInjected";
    cfg.extra_header_value = "1";
    assert_int_equal(jy_http_server_start(&cfg, &s, &err), JY_INVALID);
    cfg.extra_header_name = NULL;
    cfg.extra_header_value = NULL;
    cfg.port = (uint16_t)port; /* taken by the server under test */
    assert_int_equal(jy_http_server_start(&cfg, &s, &err), JY_IO);
    assert_null(s);
    /* A second server on port 0 gets a port of its own; IPv6 loopback works where present. */
    cfg.port = 0;
    assert_int_equal(jy_http_server_start(&cfg, &s, &err), JY_OK);
    assert_true(jy_http_server_port(s) != 0 && jy_http_server_port(s) != port);
    jy_http_server_stop(s);
    jy_http_server_stop(NULL);
}

/* Runs last: stops the server so that every log line is written, then reads them. */
static void test_log_lines(void **state)
{
    (void)state;
    jy_http_server_stop(srv);
    srv = NULL;
    fflush(log_file);
    rewind(log_file);
    char line[8192];
    int requests = 0, tracks = 0;
    bool show = getenv("JY_TEST_SHOW_LOG") != NULL; /* for a person debugging this test */
    while (fgets(line, sizeof(line), log_file)) {
        if (show)
            fputs(line, stderr);
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        if (!o)
            fail_msg("log line is not JSON: %s", line);
        if (!json_object_get(o, "event")) {
            requests++;
            const char *t = json_string_value(json_object_get(o, "time"));
            assert_non_null(t);
            assert_int_equal(strlen(t), 24);
            assert_int_equal(t[23], 'Z');
            /* The method is unknown only when the server library refused the request itself. */
            if (!json_string_value(json_object_get(o, "method")))
                assert_non_null(json_string_value(json_object_get(o, "outcome")));
            const char *p = json_string_value(json_object_get(o, "path"));
            assert_non_null(p);
            assert_null(strchr(p, '?'));
            assert_true(json_is_integer(json_object_get(o, "status")) ||
                        json_is_null(json_object_get(o, "status")));
            assert_true(json_is_real(json_object_get(o, "duration_ms")));
            assert_true(json_is_integer(json_object_get(o, "bytes")));
            assert_non_null(json_object_get(o, "user"));
            assert_int_equal(strlen(json_string_value(json_object_get(o, "request_id"))), 16);
            if (strncmp(p, "/api/v1/track/", 14) == 0)
                tracks++;
        }
        assert_null(strstr(line, "id_last4"));
        assert_null(strstr(line, app.session)); /* no secrets either */
        json_decref(o);
    }
    assert_true(requests > 300);
    assert_int_equal(tracks, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_json),        cmocka_unit_test(test_not_found_and_method),
        cmocka_unit_test(test_bodies),         cmocka_unit_test(test_auth_and_csrf),
        cmocka_unit_test(test_rate_limit),     cmocka_unit_test(test_static),
        cmocka_unit_test(test_protocol_edges), cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_start_errors),   cmocka_unit_test(test_log_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
