/*
 * server.h — the HTTP server: libmicrohttpd with its own thread pool, in front of a route table.
 *
 * One call starts a server that listens on an address and port and answers every request from a
 * worker thread (one per core by default, epoll where the system has it). For each request the
 * server, in order: checks the framing (target length 414, header count 431, one
 * Content-Length or Transfer-Encoding 400), matches the route (404, 405 with Allow), parses the
 * query string (400),
 * refuses a declared Content-Length over the route's limit before reading the body (413), takes
 * a rate-limit token (429 with Retry-After), calls the authenticate hook for non-public routes,
 * checks the CSRF token of state-changing requests to JY_ROUTE_NEEDS_CSRF routes (403
 * csrf_failed), collects the body up to the route's limit (413, whatever the transfer encoding),
 * calls the handler, sends its response with the common headers, and writes one log line.
 * Everything up to the CSRF check happens on the headers alone, so a client that may not make a
 * request cannot make the server read its body. See docs/architecture.md.
 */
#ifndef JY_HTTP_SERVER_H
#define JY_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

/* The authenticate hook: called before the handler of every route without JY_ROUTE_PUBLIC, on
 * the request's worker thread (so it must be thread-safe), with `app` from the configuration.
 * It identifies the caller (typically from jy_http_request_cookie(req, JY_SESSION_COOKIE)) and
 * records it with jy_http_request_set_user() and jy_http_request_set_csrf_hash(). It returns
 * JY_OK to let the request through, or an error with `err` filled (JY_UNAUTHENTICATED → 401,
 * JY_FORBIDDEN → 403, anything else → its status); the error is sent in the error shape. */
typedef enum jy_err jy_http_auth_fn(void *app, struct jy_http_request *req, struct jy_error *err);

/* How to run a server. Zero-initialise and set what you need; zeros mean the defaults noted. */
struct jy_http_server_config {
    const char *address; /* IPv4 or IPv6 literal to listen on; NULL: "127.0.0.1" */
    uint16_t port;       /* 0: any free port (see jy_http_server_port) */
    unsigned threads;    /* worker threads; 0: one per online core; at most JY_HTTP_MAX_THREADS */
    const struct jy_http_route *routes; /* borrowed; must outlive the server */
    size_t n_routes;
    void *app;                      /* borrowed; given to the hook and to handlers */
    jy_http_auth_fn *authenticate;  /* required when any route is not public */
    bool secure_cookies;            /* add Secure to the session cookie (behind TLS) */
    const char *extra_header_name;  /* copied; with the value, added to every response */
    const char *extra_header_value; /* e.g. "X-Jingyou-Demo: 1" */
    uint32_t rate_burst;            /* JY_ROUTE_RATE_LIMITED buckets; 0: JY_RATELIMIT_TRACK_BURST */
    uint32_t rate_per_minute;       /* 0: JY_RATELIMIT_TRACK_PER_MINUTE */
    size_t rate_entries;            /* 0: JY_RATELIMIT_MAX_ENTRIES */
    FILE *log;                      /* request log, one JSON line each; NULL: stderr. Borrowed. */
};

struct jy_http_server;

/* Check `cfg` (the route table with jy_router_check, the address, the extra header) and start
 * listening. On success `*ret` is the running server; stop and free it with
 * jy_http_server_stop(). Errors (`*ret` untouched): JY_INVALID for a bad configuration (the
 * message says what); JY_IO when the address cannot be bound (in use, not local); JY_NOMEM;
 * JY_INTERNAL when libsodium or libmicrohttpd cannot start. */
enum jy_err jy_http_server_start(const struct jy_http_server_config *cfg,
                                 struct jy_http_server **ret, struct jy_error *err);

/* The TCP port the server listens on (the one picked when the configuration said 0). */
uint16_t jy_http_server_port(const struct jy_http_server *server);

/* Stop accepting, close every connection (requests in flight are cut off), wait for the worker
 * threads, and free the server. Accepts NULL. Must not be called from a handler. */
void jy_http_server_stop(struct jy_http_server *server);

#endif /* JY_HTTP_SERVER_H */
