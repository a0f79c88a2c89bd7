/*
 * response.c — building responses: JSON, errors, bytes, headers, cookies and static files.
 */
#include "http/response.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "http/internal.h"
#include "http/request.h"
#include "http/session.h"
#include "http/text.h"

#include "banned.h"

static int valid_status(int status)
{
    return status >= 100 && status <= 599 ? status : 500;
}

void jy__http_response_reset(struct jy_http_response *res)
{
    jy_http_stream_free(res->stream);
    res->stream = NULL;
    free(res->body);
    res->body = NULL;
    res->body_len = 0;
    res->content_type = NULL;
    res->status = 0;
    res->cacheable = false;
}

/* Set the response to `status` with `body` (owned, malloc'd) of `len` bytes. */
static void set_body(struct jy_http_response *res, int status, const char *content_type, char *body,
                     size_t len)
{
    jy__http_response_reset(res);
    res->status = valid_status(status);
    res->body = body;
    res->body_len = len;
    res->content_type = body ? content_type : NULL;
}

/* A JSON string from a jy_error buffer, trimmed to its longest valid UTF-8 prefix. */
static json_t *diag_string(const char *s)
{
    return json_stringn(s, jy_utf8_valid_prefix(s, strlen(s)));
}

json_t *jy_http_error_body(const struct jy_error *err)
{
    enum jy_err code = err ? err->code : JY_INTERNAL;
    const char *reason = err && err->reason[0] ? err->reason : jy_err_name(code);
    const char *message = err && err->message[0] ? err->message : jy_err_message(code);
    json_t *inner = json_object();
    json_t *outer = json_object();
    if (!inner || !outer)
        goto fail;
    if (json_object_set_new(inner, "code", diag_string(reason)) != 0 ||
        json_object_set_new(inner, "message", diag_string(message)) != 0)
        goto fail;
    if (err && err->field[0] && json_object_set_new(inner, "field", diag_string(err->field)) != 0)
        goto fail;
    if (json_object_set_new(outer, "error", inner) != 0) {
        inner = NULL; /* set_new released it */
        goto fail;
    }
    return outer;
fail:
    json_decref(inner);
    json_decref(outer);
    return NULL;
}

/* The last resort when even the error body cannot be built. */
static void set_oom(struct jy_http_response *res)
{
    static const char text[] =
        "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}";
    char *copy = malloc(sizeof(text) - 1);
    if (copy)
        memcpy(copy, text, sizeof(text) - 1);
    set_body(res, 500, "application/json; charset=utf-8", copy, copy ? sizeof(text) - 1 : 0);
}

void jy_http_response_json(struct jy_http_response *res, int status, json_t *body)
{
    if (!body) {
        set_oom(res);
        return;
    }
    /* 15 significant digits: 0.95 rather than 0.94999999999999996 (shares, rates,
     * coordinates); every figure the API gives as a real is far coarser than that. */
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    json_decref(body);
    if (!text) {
        set_oom(res);
        return;
    }
    set_body(res, status, "application/json; charset=utf-8", text, strlen(text));
}

void jy_http_response_error_status(struct jy_http_response *res, int status,
                                   const struct jy_error *err)
{
    jy_http_response_json(res, status, jy_http_error_body(err));
}

void jy_http_response_error(struct jy_http_response *res, const struct jy_error *err)
{
    int status = err ? jy_err_http_status(err->code) : 500;
    if (err && err->code == JY_OK)
        status = 500; /* an error that is not one is a bug in the caller */
    jy_http_response_error_status(res, status, err);
}

void jy_http_response_fail(struct jy_http_response *res, enum jy_err code, const char *reason,
                           const char *field, const char *fmt, ...)
{
    struct jy_error err;
    jy_error_set(&err, code, reason, field, NULL);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err.message, sizeof(err.message), fmt, ap);
        va_end(ap);
    }
    jy_http_response_error(res, &err);
}

void jy_http_response_bytes(struct jy_http_response *res, int status, const char *content_type,
                            void *data, size_t len)
{
    if (!data && len > 0) {
        set_oom(res);
        return;
    }
    if (content_type &&
        (strpbrk(content_type, "\r\n") || strlen(content_type) > JY_HTTP_HEADER_VALUE_MAX_BYTES)) {
        free(data);
        jy_http_response_fail(res, JY_INTERNAL, "bad_response_header", NULL,
                              "the server failed to answer this request");
        return;
    }
    const char *ct = content_type ? jy_pool_strdup(res->pool, content_type) : NULL;
    if (content_type && !ct) {
        free(data);
        set_oom(res);
        return;
    }
    set_body(res, status, ct ? ct : "application/octet-stream", data, len);
}

void jy_http_response_empty(struct jy_http_response *res, int status)
{
    set_body(res, status, NULL, NULL, 0);
}

/* ---- headers ---- */

static bool is_token(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr("!#$%&'*+-.^_`|~", c) != NULL;
        if (!ok)
            return false;
    }
    return true;
}

bool jy__http_response_add_header(struct jy_http_response *res, const char *name, const char *value)
{
    if (res->n_headers >= JY_HTTP_MAX_RESPONSE_HEADERS || strpbrk(value, "\r\n")) {
        res->header_refused = true;
        return false;
    }
    const char *n = jy_pool_strdup(res->pool, name);
    const char *v = jy_pool_strdup(res->pool, value);
    if (!n || !v) {
        res->header_refused = true;
        return false;
    }
    res->headers[res->n_headers++] = (struct jy__http_header){n, v};
    return true;
}

enum jy_err jy_http_response_header(struct jy_http_response *res, const char *name,
                                    const char *value, struct jy_error *err)
{
    static const char *const reserved[] = {"Content-Length", "Content-Type", "Transfer-Encoding",
                                           "Connection", "Date"};
    if (!is_token(name) || !value)
        return jy_error_set(err, JY_INVALID, "bad_header", NULL, "not a header name");
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcasecmp(name, reserved[i]) == 0)
            return jy_error_set(err, JY_INVALID, "bad_header", NULL, "%s is set by the server",
                                reserved[i]);
    if (strpbrk(value, "\r\n"))
        return jy_error_set(err, JY_INVALID, "bad_header", NULL,
                            "a header value may not contain CR or LF");
    if (strlen(value) > JY_HTTP_HEADER_VALUE_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "header value too long");
    if (res->n_headers >= JY_HTTP_MAX_RESPONSE_HEADERS)
        return jy_error_set(err, JY_TOO_LONG, "too_many_headers", NULL,
                            "at most %d response headers", JY_HTTP_MAX_RESPONSE_HEADERS);
    if (!jy__http_response_add_header(res, name, value)) {
        res->header_refused = false; /* reported to the caller instead */
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    }
    return JY_OK;
}

enum jy_err jy_http_response_set_session(struct jy_http_response *res, const char *token,
                                         int64_t max_age_seconds, struct jy_error *err)
{
    char cookie[JY_SESSION_COOKIE_SIZE];
    enum jy_err e =
        jy_session_cookie(token, res->secure_cookies, max_age_seconds, cookie, sizeof(cookie), err);
    if (e == JY_OK)
        e = jy_http_response_header(res, "Set-Cookie", cookie, err);
    sodium_memzero(cookie, sizeof(cookie));
    return e;
}

enum jy_err jy_http_response_clear_session(struct jy_http_response *res, struct jy_error *err)
{
    char cookie[JY_SESSION_COOKIE_SIZE];
    enum jy_err e = jy_session_cookie_clear(res->secure_cookies, cookie, sizeof(cookie), err);
    if (e != JY_OK)
        return e;
    return jy_http_response_header(res, "Set-Cookie", cookie, err);
}

/* ---- static files ---- */

static const struct {
    const char *ext;
    const char *type;
} content_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"map", "application/json; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"xml", "application/xml; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/vnd.microsoft.icon"},
    {"pdf", "application/pdf"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"wasm", "application/wasm"},
    {"webmanifest", "application/manifest+json"},
};

const char *jy_http_content_type_for(const char *filename)
{
    const char *slash = filename ? strrchr(filename, '/') : NULL;
    const char *base = slash ? slash + 1 : filename;
    const char *dot = base ? strrchr(base, '.') : NULL;
    if (dot && dot != base)
        for (size_t i = 0; i < sizeof(content_types) / sizeof(content_types[0]); i++)
            if (strcasecmp(dot + 1, content_types[i].ext) == 0)
                return content_types[i].type;
    return "application/octet-stream";
}

/* True when `relpath` is a path we are willing to look up: relative, '/'-separated segments
 * that are non-empty (a trailing '/' aside), none starting with '.', no backslash. */
static bool safe_relpath(const char *relpath)
{
    size_t len = strlen(relpath);
    if (len > JY_HTTP_PATH_PARAM_MAX_BYTES || strchr(relpath, '\\'))
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && relpath[i] != '/')
            continue;
        size_t slen = i - start;
        if (slen == 0 && i != len) /* "/x", "a//b" */
            return false;
        if (slen > 0 && relpath[start] == '.')
            return false;
        start = i + 1;
    }
    return true;
}

/* Open `relpath` (which passed safe_relpath) under the directory `dir` one segment at a time,
 * refusing symbolic links on the way, so that nothing outside `dir` can be reached. An empty
 * last segment means "index.html". O_NONBLOCK keeps a FIFO from blocking the open; the caller
 * accepts only regular files. Returns an fd or -1. */
static int open_beneath(const char *dir, const char *relpath)
{
    int cur = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cur < 0)
        return -1;
    char seg[JY_HTTP_PATH_PARAM_MAX_BYTES + 1];
    const char *p = relpath;
    for (;;) {
        const char *slash = strchr(p, '/');
        if (!slash) {
            int fd =
                openat(cur, *p ? p : "index.html", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            close(cur);
            return fd;
        }
        size_t slen = (size_t)(slash - p);
        memcpy(seg, p, slen);
        seg[slen] = '\0';
        int next = openat(cur, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(cur);
        if (next < 0)
            return -1;
        cur = next;
        p = slash + 1;
    }
}

/* Read the whole regular file `fd` (closed here) into a new buffer. */
static int read_file(int fd, char **ret, size_t *ret_len, bool *ret_too_big)
{
    struct stat st;
    char *buf = NULL;
    int rc = -1;
    *ret_too_big = false;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto out;
    if (st.st_size > JY_HTTP_STATIC_MAX_BYTES) {
        *ret_too_big = true;
        goto out;
    }
    size_t size = (size_t)st.st_size;
    buf = malloc(size ? size : 1);
    if (!buf)
        goto out;
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto out;
        got += (size_t)n;
    }
    *ret = buf;
    *ret_len = size;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

/* True when the If-None-Match header `inm` names `etag` (weak comparison, RFC 9110 §13.1.2). */
static bool etag_matches(const char *inm, const char *etag)
{
    size_t elen = strlen(etag);
    const char *p = inm;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == elen && memcmp(p, etag, elen) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

void jy_http_response_file(struct jy_http_request *req, struct jy_http_response *res,
                           const char *dir, const char *relpath)
{
    char *data = NULL;
    size_t len = 0;
    bool too_big = false;
    if (!dir || !relpath || !safe_relpath(relpath))
        goto not_found;
    int fd = open_beneath(dir, relpath);
    if (fd < 0)
        goto not_found;
    if (read_file(fd, &data, &len, &too_big) != 0) {
        if (too_big) {
            jy_http_response_fail(res, JY_INTERNAL, "file_too_large", NULL,
                                  "the file is too large to serve");
            return;
        }
        goto not_found;
    }

    unsigned char hash[crypto_hash_sha256_BYTES];
    char hex[2 * 16 + 1];
    char etag[sizeof(hex) + 2];
    crypto_hash_sha256(hash, (const unsigned char *)data, len);
    sodium_bin2hex(hex, sizeof(hex), hash, 16);
    snprintf(etag, sizeof(etag), "\"%s\"", hex);

    const char *inm = jy_http_request_header(req, "If-None-Match");
    if (inm && etag_matches(inm, etag)) {
        free(data);
        jy_http_response_empty(res, 304);
    } else {
        const char *slash = strrchr(relpath, '/');
        bool index = relpath[0] == '\0' || (slash && slash[1] == '\0');
        jy_http_response_bytes(res, 200, jy_http_content_type_for(index ? "index.html" : relpath),
                               data, len);
    }
    res->cacheable = true;
    jy__http_response_add_header(res, "ETag", etag);
    return;

not_found:
    jy_http_response_fail(res, JY_NOT_FOUND, "not_found", NULL, "no such file");
}

void jy_http_static_handler(struct jy_http_request *req, struct jy_http_response *res)
{
    const char *dir = jy_http_request_route_data(req);
    const char *path = jy_http_request_param(req, "path");
    jy_http_response_file(req, res, dir, path ? path : "");
}
