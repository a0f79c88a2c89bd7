/*
 * server.c — libmicrohttpd glue: one request's journey from the request line to the log line.
 *
 * libmicrohttpd calls us at four points per request, always on the connection's worker thread:
 *   on_uri        the request line has arrived: make the request object (pool, id, clock);
 *   on_access #1  the headers are complete: route, limits, rate, authentication, CSRF — any
 *                 failure answers at once, before the body is read;
 *   on_access #n  a piece of the body: collected up to the route's limit, then thrown away;
 *   on_access end the body is complete: 413 if it overflowed, else the handler; send;
 *   on_completed  the response is out (or the connection died): log line, free everything.
 * We parse the request target ourselves from the raw URI given to on_uri, because the `url`
 * that libmicrohttpd hands the access callback is already percent-decoded, which would make
 * "/a%2Fb" and "/a/b" the same path.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "http/internal.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/ratelimit.h"
#include "http/session.h"
#include "limits.h"

#include "banned.h"

/* The first allocation for a request body; it doubles from there up to the route's limit. */
#define JY__BODY_FIRST_BYTES (16 * 1024)

struct jy_http_server {
    struct MHD_Daemon *mhd;
    const struct jy_http_route *routes;
    size_t n_routes;
    void *app;
    jy_http_auth_fn *authenticate;
    bool secure_cookies;
    char *extra_name, *extra_value;
    struct jy_ratelimit *rl;
    FILE *log;
    uint16_t port;
    /* Streamed responses being sent (jy_http_response_stream), so that stop can end them. */
    pthread_mutex_t streams_mu;
    struct jy_http_stream *streams;
    bool stopping;
    struct jy_http_metrics *metrics; /* requests by route and status, latency (metrics.h) */
};

/* ---- request lifecycle ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct jy_http_server *srv = cls;
    struct jy_pool *pool = jy_pool_new(JY_HTTP_REQUEST_POOL_MAX_BYTES);
    if (!pool)
        return NULL;
    struct jy_http_request *req = jy_pool_calloc(pool, 1, sizeof(*req));
    if (!req) {
        jy_pool_free(pool);
        return NULL;
    }
    req->pool = pool;
    req->app = srv->app;
    req->metrics = srv->metrics;
    req->res.pool = pool;
    req->res.secure_cookies = srv->secure_cookies;
    req->start_ms = jy_log_now_ms();
    req->start_us = jy_log_monotonic_us();
    /* Keep one byte more than allowed, so that a too long target is seen as such. */
    req->target = jy_pool_strndup(pool, uri, strnlen(uri, JY_HTTP_URI_MAX_BYTES + 1));

    unsigned char id[8];
    randombytes_buf(id, sizeof(id));
    sodium_bin2hex(req->request_id, sizeof(req->request_id), id, sizeof(id));

    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                      req->client, sizeof(req->client));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      req->client, sizeof(req->client));
    }
    return req;
}

static const char *termination_name(enum MHD_RequestTerminationCode toe)
{
    switch (toe) {
    case MHD_REQUEST_TERMINATED_COMPLETED_OK:
        return NULL;
    case MHD_REQUEST_TERMINATED_WITH_ERROR:
        return "connection_error";
    case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
        return "timeout";
    case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
        return "shutdown";
    case MHD_REQUEST_TERMINATED_READ_ERROR:
        return "read_error";
    case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
        return "client_abort";
    }
    return "unknown";
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct jy_http_server *srv = cls;
    struct jy_http_request *req = *con_cls;
    (void)conn;
    if (!req)
        return;
    const char *outcome = termination_name(toe);
    if (!outcome && !req->queued)
        outcome = "refused_by_protocol_layer"; /* libmicrohttpd answered by itself */
    struct jy_log_request line = {
        .start_ms = req->start_ms,
        .request_id = req->request_id,
        .method = req->method_name,
        .target = req->target,
        .status = req->queued ? req->sent_status : 0,
        .duration_us = jy_log_monotonic_us() - req->start_us,
        .bytes = req->sent_bytes,
        .user = req->user,
        .outcome = outcome,
    };
    jy_log_request(srv->log, &line);
    if (req->queued)
        jy_http_metrics_record(srv->metrics, req->match.route, req->sent_status, line.duration_us);
    free(req->body);
    json_decref(req->json);
    jy__http_response_reset(&req->res);
    *con_cls = NULL;
    jy_pool_free(req->pool); /* `req` lives in its own pool: last */
}

/* ---- answering ---- */

static bool add_header(struct MHD_Response *r, const char *name, const char *value)
{
    return MHD_add_response_header(r, name, value) == MHD_YES;
}

static bool starts_api(const char *path)
{
    return strncmp(path, "/api", 4) == 0 && (path[4] == '\0' || path[4] == '/');
}

/* ---- streamed bodies ----
 *
 * libmicrohttpd pulls a streamed body through stream_reader on the connection's worker thread.
 * With nothing to send, the reader suspends the connection (with the stream's lock held, see
 * internal.h) and returns 0; jy_http_stream_wake() resumes it. A suspended connection costs a
 * connection slot (JY_HTTP_MAX_CONNECTIONS) but no thread and no polling, so open display
 * streams cannot starve the worker pool. */

static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct jy_http_stream *s = cls;
    (void)pos;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        bool closed = s->closed;
        s->pending = false;
        pthread_mutex_unlock(&s->mu);
        if (closed)
            return MHD_CONTENT_READER_END_OF_STREAM;
        ssize_t n = s->read(s->source, buf, max);
        if (n > 0)
            return n;
        if (n < 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
        pthread_mutex_lock(&s->mu);
        if (s->closed) {
            pthread_mutex_unlock(&s->mu);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (s->pending) { /* woken since the read: read again */
            pthread_mutex_unlock(&s->mu);
            continue;
        }
        s->suspended = true;
        MHD_suspend_connection(s->conn);
        pthread_mutex_unlock(&s->mu);
        return 0;
    }
}

static void stream_done(void *cls)
{
    struct jy_http_stream *s = cls;
    struct jy_http_server *srv = s->srv;
    if (srv) {
        pthread_mutex_lock(&srv->streams_mu);
        if (s->prev)
            s->prev->next = s->next;
        else if (srv->streams == s)
            srv->streams = s->next;
        if (s->next)
            s->next->prev = s->prev;
        pthread_mutex_unlock(&srv->streams_mu);
    }
    jy_http_stream_free(s);
}

/* Hand the response in req->res to libmicrohttpd with the common headers. */
static enum MHD_Result send_response(struct jy_http_server *srv, struct MHD_Connection *conn,
                                     struct jy_http_request *req)
{
    struct jy_http_response *res = &req->res;
    if (res->status == 0 || res->header_refused) {
        bool refused = res->header_refused;
        res->n_headers = 0;
        res->header_refused = false;
        jy_http_response_fail(res, JY_INTERNAL, refused ? "bad_response_header" : "no_response",
                              NULL, "the server failed to answer this request");
    }
    struct MHD_Response *r;
    struct jy_http_stream *stream = res->stream;
    if (stream) {
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_reader, stream,
                                              stream_done);
        if (!r)
            return MHD_NO;  /* the stream stays ours and is freed on completion */
        res->stream = NULL; /* now libmicrohttpd's: stream_done frees it */
        stream->conn = conn;
        stream->srv = srv;
        pthread_mutex_lock(&srv->streams_mu);
        stream->next = srv->streams;
        if (srv->streams)
            srv->streams->prev = stream;
        srv->streams = stream;
        if (srv->stopping)
            stream->closed = true;
        pthread_mutex_unlock(&srv->streams_mu);
    } else if (res->body_len > 0)
        r = MHD_create_response_from_buffer_with_free_callback(res->body_len, res->body, free);
    else
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO; /* the body stays ours and is freed on completion */
    if (!stream && res->body_len > 0)
        res->body = NULL; /* now libmicrohttpd's */

    bool ok = add_header(r, "X-Content-Type-Options", "nosniff") &&
              add_header(r, "X-Request-Id", req->request_id);
    if (res->content_type)
        ok = ok && add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    const char *path = req->path ? req->path : "";
    if (starts_api(path) || res->status >= 400)
        ok = ok && add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    else if (res->cacheable)
        ok = ok && add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    if (srv->extra_name)
        ok = ok && add_header(r, srv->extra_name, srv->extra_value);
    for (size_t i = 0; i < res->n_headers; i++)
        ok = ok && add_header(r, res->headers[i].name, res->headers[i].value);
    if (!ok) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    if (rc == MHD_YES) {
        req->queued = true;
        req->sent_status = res->status;
        req->sent_bytes = res->body_len;
    }
    return rc;
}

/* Answer with an error now. Returns true, for `return fail(…)` in prepare(). */
static bool fail(struct jy_http_request *req, int status, const struct jy_error *err)
{
    jy_http_response_error_status(&req->res, status, err);
    return true;
}

struct header_walk {
    struct jy_http_request *req;
    size_t count;
    size_t bytes; /* names and values, with ": " and CRLF, as on the wire */
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    struct header_walk *w = cls;
    (void)kind;
    if (w->count < JY_HTTP_MAX_HEADERS && key)
        w->req->headers[w->count] = (struct jy__http_header){key, value ? value : ""};
    w->count++;
    w->bytes += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* Parse a Content-Length value; false when it is not a plain decimal number. */
static bool parse_length(const char *s, uint64_t *ret)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *ret = v;
    return true;
}

/* Everything that can be decided from the headers. Returns true when a response has been set
 * (the request ends here), false to go on and read the body. */
static bool prepare(struct jy_http_server *srv, struct MHD_Connection *conn,
                    struct jy_http_request *req)
{
    struct jy_error err;
    jy_error_clear(&err);

    if (!req->target) {
        jy_error_set(&err, JY_NOMEM, NULL, NULL, NULL);
        return fail(req, 500, &err);
    }
    size_t tlen = strlen(req->target);
    if (tlen > JY_HTTP_URI_MAX_BYTES) {
        jy_error_set(&err, JY_TOO_LONG, "uri_too_long", NULL,
                     "the request target may be at most %d bytes", JY_HTTP_URI_MAX_BYTES);
        return fail(req, 414, &err);
    }
    size_t plen = strcspn(req->target, "?");
    req->path = jy_pool_strndup(req->pool, req->target, plen);
    req->path_len = plen;
    req->query = req->target[plen] == '?' ? req->target + plen + 1 : "";
    if (!req->path) {
        jy_error_set(&err, JY_NOMEM, NULL, NULL, NULL);
        return fail(req, 500, &err);
    }
    req->method = jy_http_method_parse(req->method_name);

    struct header_walk walk = {req, 0, 0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &walk);
    if (walk.count > JY_HTTP_MAX_HEADERS) {
        jy_error_set(&err, JY_TOO_LARGE, "too_many_headers", NULL,
                     "a request may have at most %d headers", JY_HTTP_MAX_HEADERS);
        return fail(req, 431, &err);
    }
    /* Larger still, and libmicrohttpd answers by itself (README.md, "Over-long headers"). */
    if (walk.bytes > JY_HTTP_HEADERS_MAX_BYTES) {
        jy_error_set(&err, JY_TOO_LARGE, "headers_too_large", NULL,
                     "the request headers may be at most %d bytes", JY_HTTP_HEADERS_MAX_BYTES);
        return fail(req, 431, &err);
    }
    req->n_headers = walk.count;
    /* Two lengths, or a length with a transfer coding, let a proxy in front and this server
     * disagree on where the body ends (request smuggling): refused (RFC 9112 §6.3). */
    size_t n_length = 0, n_coding = 0;
    for (size_t i = 0; i < req->n_headers; i++) {
        n_length += strcasecmp(req->headers[i].name, "Content-Length") == 0;
        n_coding += strcasecmp(req->headers[i].name, "Transfer-Encoding") == 0;
    }
    if (n_length > 1 || (n_length && n_coding)) {
        jy_error_set(&err, JY_INVALID, "bad_framing", NULL,
                     "give one Content-Length or Transfer-Encoding, not both or two");
        return fail(req, 400, &err);
    }

    if (req->path[0] != '/') {
        jy_error_set(&err, JY_INVALID, "bad_target", NULL, "the request target must be a path");
        return fail(req, 400, &err);
    }
    unsigned allowed = 0;
    enum jy_err e = jy_router_match(srv->routes, srv->n_routes, req->method, req->path,
                                    req->path_len, &req->match, &allowed, &err);
    if (e == JY_METHOD_NOT_ALLOWED) {
        char allow[64];
        jy_http_allow_format(allowed, allow, sizeof(allow));
        jy__http_response_add_header(&req->res, "Allow", allow);
        return fail(req, 405, &err);
    }
    if (e != JY_OK)
        return fail(req, jy_err_http_status(e), &err);
    const struct jy_http_route *route = req->match.route;

    if ((route->flags & JY_ROUTE_RATE_LIMITED) && srv->rl) {
        uint32_t retry = 0;
        if (!jy_ratelimit_take(srv->rl, req->client, route->pattern, jy_log_monotonic_us() / 1000,
                               &retry)) {
            char value[16];
            snprintf(value, sizeof(value), "%" PRIu32, retry);
            jy__http_response_add_header(&req->res, "Retry-After", value);
            jy_error_set(&err, JY_RATE_LIMITED, NULL, NULL,
                         "too many requests; try again in %" PRIu32 " s", retry);
            return fail(req, 429, &err);
        }
    }

    if (!(route->flags & JY_ROUTE_PUBLIC)) {
        e = srv->authenticate(srv->app, req, &err);
        if (e != JY_OK) {
            if (err.code == JY_OK) /* the hook did not say why */
                jy_error_set(&err, e, NULL, NULL, NULL);
            return fail(req, jy_err_http_status(e), &err);
        }
        jy_error_clear(&err);
    }

    if ((route->flags & JY_ROUTE_NEEDS_CSRF) && jy_http_method_changes_state(req->method)) {
        const char *given = jy_http_request_header(req, JY_CSRF_HEADER);
        if (!req->have_csrf_hash || !jy_session_token_matches(given, req->csrf_hash)) {
            jy_error_set(&err, JY_FORBIDDEN, "csrf_failed", NULL, "missing or wrong %s header",
                         JY_CSRF_HEADER);
            return fail(req, 403, &err);
        }
    }

    /* What the request carries comes last: 401, then 403, then 400/413 (and 415/400 in the
     * handler), so that a caller who may not use the route learns nothing about its rules
     * (README.md, "The order of the checks"). */
    e = jy__http_request_parse_query(req, &err);
    if (e != JY_OK)
        return fail(req, jy_err_http_status(e), &err);

    req->body_max = route->max_body_bytes ? route->max_body_bytes : JY_HTTP_JSON_BODY_MAX_BYTES;
    const char *cl = jy_http_request_header(req, "Content-Length");
    uint64_t declared = 0;
    if (cl && parse_length(cl, &declared) && declared > req->body_max) {
        jy_error_set(&err, JY_TOO_LARGE, "body_too_large", NULL,
                     "the request body may be at most %zu bytes", req->body_max);
        return fail(req, 413, &err);
    }

    /* The buffer grows with the bytes that arrive, not with the length a client declares, so
     * that connections which promise a body and send nothing hold almost no memory. */
    if (declared > 0) {
        size_t first = declared < JY__BODY_FIRST_BYTES ? (size_t)declared : JY__BODY_FIRST_BYTES;
        req->body = malloc(first);
        if (!req->body) {
            jy_error_set(&err, JY_NOMEM, NULL, NULL, NULL);
            return fail(req, 500, &err);
        }
        req->body_cap = first;
    }
    return false;
}

/* Take `n` bytes of body; past the limit, count and drop them. */
static void collect_body(struct jy_http_request *req, const char *data, size_t n)
{
    if (req->body_overflow || n > req->body_max - req->body_len) {
        req->body_overflow = true;
        req->drained += n;
        return;
    }
    if (n > req->body_cap - req->body_len) {
        size_t cap = req->body_cap ? req->body_cap : JY__BODY_FIRST_BYTES;
        while (cap < req->body_len + n)
            cap = cap > req->body_max / 2 ? req->body_max : cap * 2;
        char *grown = realloc(req->body, cap);
        if (!grown) { /* answered as too large: the server cannot hold it now */
            req->body_overflow = true;
            req->drained += n;
            return;
        }
        req->body = grown;
        req->body_cap = cap;
    }
    memcpy(req->body + req->body_len, data, n);
    req->body_len += n;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    struct jy_http_server *srv = cls;
    struct jy_http_request *req = *con_cls;
    (void)url;
    (void)version;
    if (!req)
        return MHD_NO; /* on_uri ran out of memory: drop the connection */

    if (!req->started) {
        req->started = true;
        req->method_name = method;
        if (prepare(srv, conn, req))
            return send_response(srv, conn, req);
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        collect_body(req, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (req->drained > JY_HTTP_BODY_DRAIN_MAX_BYTES)
            return MHD_NO; /* not worth reading further to say 413 */
        return MHD_YES;
    }
    if (req->body_overflow) {
        struct jy_error err;
        jy_error_set(&err, JY_TOO_LARGE, "body_too_large", NULL,
                     "the request body may be at most %zu bytes", req->body_max);
        jy_http_response_error_status(&req->res, 413, &err);
    } else {
        req->match.route->handler(req, &req->res);
    }
    return send_response(srv, conn, req);
}

__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct jy_http_server *srv = cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    jy_log_event(srv->log, "http_library", msg);
}

/* ---- start and stop ---- */

static bool header_name_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > JY_HTTP_MAX_THREADS ? JY_HTTP_MAX_THREADS : (unsigned)n;
}

void jy_http_server_stop(struct jy_http_server *srv)
{
    if (!srv)
        return;
    /* End every stream first: libmicrohttpd must not be stopped with a connection suspended. */
    pthread_mutex_lock(&srv->streams_mu);
    srv->stopping = true;
    for (struct jy_http_stream *s = srv->streams; s; s = s->next) {
        pthread_mutex_lock(&s->mu);
        s->closed = true;
        jy__http_stream_wake_locked(s);
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_unlock(&srv->streams_mu);
    if (srv->mhd)
        MHD_stop_daemon(srv->mhd);
    pthread_mutex_destroy(&srv->streams_mu);
    jy_ratelimit_free(srv->rl);
    jy_http_metrics_free(srv->metrics);
    free(srv->extra_name);
    free(srv->extra_value);
    free(srv);
}

enum jy_err jy_http_server_start(const struct jy_http_server_config *cfg,
                                 struct jy_http_server **ret, struct jy_error *err)
{
    struct jy_http_server *srv = NULL;
    enum jy_err e;
    if (!cfg)
        return jy_error_set(err, JY_INVALID, NULL, NULL, "no server configuration");
    e = jy_router_check(cfg->routes, cfg->n_routes, cfg->authenticate != NULL, err);
    if (e != JY_OK)
        return e;
    if (cfg->threads > JY_HTTP_MAX_THREADS)
        return jy_error_set(err, JY_INVALID, NULL, NULL, "at most %d threads", JY_HTTP_MAX_THREADS);
    if ((cfg->extra_header_name != NULL) != (cfg->extra_header_value != NULL) ||
        (cfg->extra_header_name &&
         (!header_name_ok(cfg->extra_header_name) || strpbrk(cfg->extra_header_value, "\r\n") ||
          strlen(cfg->extra_header_value) > JY_HTTP_HEADER_VALUE_MAX_BYTES)))
        return jy_error_set(err, JY_INVALID, NULL, NULL, "bad extra header");
    if (sodium_init() < 0)
        return jy_error_set(err, JY_INTERNAL, "sodium_init", NULL, "libsodium failed to start");

    const char *address = cfg->address ? cfg->address : "127.0.0.1";
    struct sockaddr_in sa4;
    struct sockaddr_in6 sa6;
    const struct sockaddr *sa;
    bool ipv6 = false;
    memset(&sa4, 0, sizeof(sa4));
    memset(&sa6, 0, sizeof(sa6));
    if (inet_pton(AF_INET, address, &sa4.sin_addr) == 1) {
        sa4.sin_family = AF_INET;
        sa4.sin_port = htons(cfg->port);
        sa = (const struct sockaddr *)&sa4;
    } else if (inet_pton(AF_INET6, address, &sa6.sin6_addr) == 1) {
        sa6.sin6_family = AF_INET6;
        sa6.sin6_port = htons(cfg->port);
        sa = (const struct sockaddr *)&sa6;
        ipv6 = true;
    } else {
        return jy_error_set(err, JY_INVALID, "bad_address", NULL,
                            "listen address %.64s is not an IPv4 or IPv6 literal", address);
    }

    srv = calloc(1, sizeof(*srv));
    if (!srv)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    pthread_mutex_init(&srv->streams_mu, NULL);
    srv->routes = cfg->routes;
    srv->n_routes = cfg->n_routes;
    srv->app = cfg->app;
    srv->authenticate = cfg->authenticate;
    srv->secure_cookies = cfg->secure_cookies;
    srv->log = cfg->log ? cfg->log : stderr;
    srv->metrics = jy_http_metrics_new(cfg->routes, cfg->n_routes);
    if (!srv->metrics) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
        goto fail;
    }
    if (cfg->extra_header_name) {
        srv->extra_name = strdup(cfg->extra_header_name);
        srv->extra_value = strdup(cfg->extra_header_value);
        if (!srv->extra_name || !srv->extra_value) {
            e = jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
            goto fail;
        }
    }
    for (size_t i = 0; i < cfg->n_routes; i++) {
        if (!(cfg->routes[i].flags & JY_ROUTE_RATE_LIMITED))
            continue;
        e = jy_ratelimit_new(cfg->rate_entries ? cfg->rate_entries : JY_RATELIMIT_MAX_ENTRIES,
                             cfg->rate_burst ? cfg->rate_burst : JY_RATELIMIT_TRACK_BURST,
                             cfg->rate_per_minute ? cfg->rate_per_minute
                                                  : JY_RATELIMIT_TRACK_PER_MINUTE,
                             &srv->rl, err);
        if (e != JY_OK)
            goto fail;
        break;
    }

    unsigned threads = cfg->threads ? cfg->threads : default_threads();
    /* Suspend/resume: streamed bodies park their connection while they wait (see above). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    else if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES)
        flags |= MHD_USE_POLL;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    /* The logger comes first so that libmicrohttpd's messages about the other options reach it. */
    /* clang-format off */
    srv->mhd = MHD_start_daemon(flags, cfg->port, NULL, NULL, on_access, srv,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
        MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)JY_HTTP_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)JY_HTTP_CONNECTION_TIMEOUT_SECONDS,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)JY_HTTP_CONNECTION_MEMORY_BYTES,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_END);
    /* clang-format on */
    if (!srv->mhd) {
        e = jy_error_set(err, JY_IO, "cannot_listen", NULL, "cannot listen on %.64s port %u",
                         address, (unsigned)cfg->port);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
    *ret = srv;
    return JY_OK;

fail:
    jy_http_server_stop(srv);
    return e;
}

uint16_t jy_http_server_port(const struct jy_http_server *server)
{
    return server ? server->port : 0;
}
