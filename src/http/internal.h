/*
 * internal.h — the layout of a request and a response, shared by the files of src/http only.
 *
 * Handlers see `struct jy_http_request` and `struct jy_http_response` as opaque types and use
 * the functions in request.h and response.h; server.c fills these structures in. Nothing here
 * is part of the public API.
 */
#ifndef JY_HTTP_INTERNAL_H
#define JY_HTTP_INTERNAL_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "http/pool.h"
#include "http/response.h"
#include "http/router.h"
#include "http/session.h"
#include "limits.h"

/* A header: name and value, both NUL-terminated and borrowed (from the server library for
 * request headers, from the request's pool for response headers). */
struct jy__http_header {
    const char *name;
    const char *value;
};

/* A decoded query parameter; strings in the request's pool. */
struct jy__http_query_param {
    const char *key;
    const char *value;
};

/* A streamed body (jy_http_response_stream): its source and the state shared between the
 * worker thread that sends it and the threads that wake it. `mu` guards suspended, pending
 * and closed; the connection is suspended only with `mu` held, and resumed only with `mu` held
 * and `suspended` set, so that a wake-up is never lost and never resumes a running connection. */
struct jy_http_stream {
    pthread_mutex_t mu;
    jy_http_stream_read_fn *read;
    jy_http_stream_free_fn *free_fn;
    void *source;
    struct MHD_Connection *conn; /* set when the response is queued */
    struct jy_http_server *srv;  /* likewise; the server's list of live streams */
    struct jy_http_stream *prev, *next;
    bool suspended; /* the connection is suspended waiting for bytes */
    bool pending;   /* woken while running: read again before suspending */
    bool closed;    /* the server is stopping: end the body */
};

/* Wake `s` (from any thread): resume its connection or mark the wake-up pending. */
void jy__http_stream_wake_locked(struct jy_http_stream *s);

struct jy_http_response {
    int status;                    /* 0 until a jy_http_response_… call sets one */
    struct jy_http_stream *stream; /* owned until sent; a streamed body instead of `body` */
    char *body;                    /* malloc'd, owned; NULL for no body */
    size_t body_len;
    const char *content_type; /* static or pool string; NULL with no body */
    size_t n_headers;
    struct jy__http_header headers[JY_HTTP_MAX_RESPONSE_HEADERS];
    bool header_refused;  /* a header could not be added: the response becomes a 500 */
    bool cacheable;       /* a static file: "no-cache" (revalidate) instead of "no-store" */
    struct jy_pool *pool; /* the request's, borrowed */
    bool secure_cookies;  /* from the server's configuration */
};

struct MHD_Connection;
struct jy_http_server;

struct jy_http_request {
    struct jy_pool *pool;
    void *app;               /* the server's application context, borrowed */
    const char *target;      /* request target as sent (pool) */
    const char *method_name; /* as sent (borrowed from the server library) */
    enum jy_http_method method;
    char *path; /* raw path, percent-encoded (pool) */
    size_t path_len;
    const char *query; /* raw query string without '?', or "" (pool) */
    size_t n_query;
    struct jy__http_query_param *query_params; /* pool */
    size_t n_headers;
    struct jy__http_header headers[JY_HTTP_MAX_HEADERS];
    char client[INET6_ADDRSTRLEN]; /* peer address as text, "" when unknown */
    char request_id[17];           /* 16 hex digits */
    struct jy_router_match match;

    /* the body, collected up to body_max */
    char *body; /* malloc'd, owned */
    size_t body_len, body_cap, body_max;
    uint64_t drained; /* bytes thrown away after the body crossed body_max */
    bool body_overflow;

    /* jy_http_request_json's result, computed once */
    bool json_done;
    json_t *json; /* owned */
    struct jy_error json_error;

    /* set by the authenticate hook */
    const char *user; /* pool */
    void *user_data;
    bool have_csrf_hash;
    uint8_t csrf_hash[JY_SESSION_HASH_BYTES];

    int64_t start_ms; /* wall clock at arrival */
    int64_t start_us; /* monotonic clock at arrival */
    bool started;     /* the first call (headers complete) has been handled */
    bool queued;      /* a response went to the server library */
    int sent_status;
    uint64_t sent_bytes;

    struct jy_http_response res;
};

/* Parse req->query into req->query_params (percent-decoded, '+' as space). Errors: JY_INVALID
 * reasons "bad_percent_encoding", "invalid_utf8", "control_character", "too_many_query_params";
 * JY_NOMEM. */
enum jy_err jy__http_request_parse_query(struct jy_http_request *req, struct jy_error *err);

/* Release what the response owns (its body) and reset it to "no response". */
void jy__http_response_reset(struct jy_http_response *res);

/* Add a header without the handler-facing checks on its name (for the server's own headers).
 * Returns false when the header table is full or the value has CR or LF. */
bool jy__http_response_add_header(struct jy_http_response *res, const char *name,
                                  const char *value);

#endif /* JY_HTTP_INTERNAL_H */
