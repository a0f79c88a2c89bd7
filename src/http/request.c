/*
 * request.c — the handler-facing view of a request: parameters, headers, cookies, body.
 */
#include "http/request.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/internal.h"
#include "http/json.h"
#include "http/text.h"

#include "banned.h"

const char *jy_http_request_method(const struct jy_http_request *req)
{
    return req->method_name;
}

enum jy_http_method jy_http_request_method_id(const struct jy_http_request *req)
{
    return req->method;
}

const char *jy_http_request_path(const struct jy_http_request *req)
{
    return req->path;
}

const char *jy_http_request_param(const struct jy_http_request *req, const char *name)
{
    return jy_router_param(&req->match, name);
}

enum jy_err jy__http_request_parse_query(struct jy_http_request *req, struct jy_error *err)
{
    const char *q = req->query;
    size_t len = strlen(q);
    size_t n = 0;
    if (len == 0)
        return JY_OK;
    for (size_t i = 0; i <= len; i++)
        if (i == len || q[i] == '&')
            n++;
    if (n > JY_HTTP_MAX_QUERY_PARAMS)
        return jy_error_set(err, JY_INVALID, "too_many_query_params", NULL,
                            "at most %d query parameters", JY_HTTP_MAX_QUERY_PARAMS);
    req->query_params = jy_pool_calloc(req->pool, n, sizeof(*req->query_params));
    if (!req->query_params)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    size_t start = 0, k = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && q[i] != '&')
            continue;
        const char *part = q + start;
        size_t plen = i - start;
        start = i + 1;
        if (plen == 0)
            continue; /* "a=1&&b=2" */
        const char *eq = memchr(part, '=', plen);
        size_t klen = eq ? (size_t)(eq - part) : plen;
        size_t vlen = eq ? plen - klen - 1 : 0;
        /* Decoded text is never longer than the encoded text. */
        char *key = jy_pool_alloc(req->pool, klen + 1);
        char *value = jy_pool_alloc(req->pool, vlen + 1);
        if (!key || !value)
            return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
        size_t got = 0;
        enum jy_err e = jy_http_percent_decode(part, klen, true, key, klen + 1, &got, "query", err);
        if (e != JY_OK)
            return e;
        e = jy_http_percent_decode(eq ? eq + 1 : "", vlen, true, value, vlen + 1, &got, key, err);
        if (e != JY_OK)
            return e;
        req->query_params[k++] = (struct jy__http_query_param){key, value};
    }
    req->n_query = k;
    return JY_OK;
}

const char *jy_http_request_query(const struct jy_http_request *req, const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < req->n_query; i++)
        if (strcmp(req->query_params[i].key, name) == 0)
            return req->query_params[i].value;
    return NULL;
}

enum jy_err jy_http_request_query_int(const struct jy_http_request *req, const char *name,
                                      int64_t min, int64_t max, int64_t *ret, struct jy_error *err)
{
    const char *s = jy_http_request_query(req, name);
    if (!s)
        return JY_OK;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    bool starts_ok = (s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9');
    if (!starts_ok || *end != '\0')
        return jy_error_set(err, JY_INVALID, "not_an_integer", name, "%s must be an integer", name);
    if (errno == ERANGE || v < min || v > max)
        return jy_error_set(err, JY_RANGE, "out_of_range", name,
                            "%s must be between %" PRId64 " and %" PRId64, name, min, max);
    *ret = (int64_t)v;
    return JY_OK;
}

const char *jy_http_request_header(const struct jy_http_request *req, const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

/* Find cookie `name` in one Cookie header value (RFC 6265 §5.4: "a=b; c=d"). */
static const char *find_cookie(struct jy_pool *pool, const char *h, const char *name)
{
    size_t nlen = strlen(name);
    while (*h) {
        while (*h == ' ' || *h == '\t' || *h == ';')
            h++;
        const char *end = strchr(h, ';');
        size_t plen = end ? (size_t)(end - h) : strlen(h);
        const char *eq = memchr(h, '=', plen);
        if (eq && (size_t)(eq - h) == nlen && memcmp(h, name, nlen) == 0) {
            const char *v = eq + 1;
            size_t vlen = plen - nlen - 1;
            while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                vlen--;
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                v++;
                vlen -= 2;
            }
            return jy_pool_strndup(pool, v, vlen);
        }
        if (!end)
            break;
        h = end + 1;
    }
    return NULL;
}

const char *jy_http_request_cookie(struct jy_http_request *req, const char *name)
{
    if (!name || !name[0])
        return NULL;
    for (size_t i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->headers[i].name, "Cookie") != 0)
            continue;
        const char *v = find_cookie(req->pool, req->headers[i].value, name);
        if (v)
            return v;
    }
    return NULL;
}

const char *jy_http_request_client(const struct jy_http_request *req)
{
    return req->client;
}

const char *jy_http_request_id(const struct jy_http_request *req)
{
    return req->request_id;
}

const void *jy_http_request_body(const struct jy_http_request *req, size_t *ret_len)
{
    if (ret_len)
        *ret_len = req->body_len;
    return req->body_len ? req->body : NULL;
}

/* True when the Content-Type names application/json (RFC 9110 §8.3.1: type and subtype are
 * case-insensitive; parameters follow a ';'). */
static bool is_json_type(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    static const char want[] = "application/json";
    if (strncasecmp(ct, want, sizeof(want) - 1) != 0)
        return false;
    const char *rest = ct + sizeof(want) - 1;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    return *rest == '\0' || *rest == ';';
}

enum jy_err jy_http_request_json(struct jy_http_request *req, json_t **ret, struct jy_error *err)
{
    if (!req->json_done) {
        req->json_done = true;
        jy_error_clear(&req->json_error);
        if (req->body_len > 0 && !is_json_type(jy_http_request_header(req, "Content-Type")))
            jy_error_set(&req->json_error, JY_UNSUPPORTED_MEDIA_TYPE, NULL, NULL,
                         "the body must be sent as Content-Type: application/json");
        else
            jy_json_parse_body(req->body, req->body_len, &req->json, &req->json_error);
    }
    if (!req->json) {
        if (err)
            *err = req->json_error;
        return req->json_error.code != JY_OK ? req->json_error.code : JY_INTERNAL;
    }
    *ret = req->json;
    return JY_OK;
}

struct jy_pool *jy_http_request_pool(struct jy_http_request *req)
{
    return req->pool;
}

void *jy_http_request_app(const struct jy_http_request *req)
{
    return req->app;
}

const void *jy_http_request_route_data(const struct jy_http_request *req)
{
    return req->match.route ? req->match.route->data : NULL;
}

const char *jy_http_request_route_pattern(const struct jy_http_request *req)
{
    return req->match.route ? req->match.route->pattern : NULL;
}

enum jy_err jy_http_request_set_user(struct jy_http_request *req, const char *username,
                                     void *user_data, struct jy_error *err)
{
    const char *copy = NULL;
    if (username) {
        copy = jy_pool_strdup(req->pool, username);
        if (!copy)
            return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    }
    req->user = copy;
    req->user_data = user_data;
    return JY_OK;
}

void jy_http_request_set_csrf_hash(struct jy_http_request *req,
                                   const uint8_t hash[JY_SESSION_HASH_BYTES])
{
    if (!hash) {
        req->have_csrf_hash = false;
        return;
    }
    memcpy(req->csrf_hash, hash, JY_SESSION_HASH_BYTES);
    req->have_csrf_hash = true;
}

const char *jy_http_request_user(const struct jy_http_request *req)
{
    return req->user;
}

void *jy_http_request_user_data(const struct jy_http_request *req)
{
    return req->user_data;
}
