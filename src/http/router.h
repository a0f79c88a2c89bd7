/*
 * router.h — the route table: which handler answers which method and path.
 *
 * Routes are data: an array of `struct jy_http_route`, checked once when the server starts
 * (jy_router_check) and matched for every request (jy_router_match). A pattern is a path whose
 * segments are literals or named parameters:
 *
 *     /api/v1/applications/{number}/events     "{number}" matches one non-empty segment
 *     /static/{path*}                           "{path*}" (last only) matches the rest, '/' too
 *
 * When several patterns match a path, the most specific wins: segment by segment from the left,
 * a literal beats a parameter, which beats a trailing "{name*}". A GET route also answers HEAD.
 * Parameters are percent-decoded and checked (UTF-8, no control bytes, at most
 * JY_HTTP_PATH_PARAM_MAX_BYTES). Literal segments are compared with the path as sent, byte for
 * byte. Everything here is pure and thread-safe; routes are borrowed and never modified.
 */
#ifndef JY_HTTP_ROUTER_H
#define JY_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "limits.h"

/* Request methods, one bit each so that a set of them (for an Allow header) is a bitmask. */
enum jy_http_method {
    JY_HTTP_OTHER = 0, /* a method this server does not know; never matches a route */
    JY_HTTP_GET = 1u << 0,
    JY_HTTP_HEAD = 1u << 1,
    JY_HTTP_POST = 1u << 2,
    JY_HTTP_PUT = 1u << 3,
    JY_HTTP_PATCH = 1u << 4,
    JY_HTTP_DELETE = 1u << 5,
    JY_HTTP_OPTIONS = 1u << 6,
};

/* Route flags. */
/* No authentication: the server's authenticate hook is not called (login, tracking, health). */
#define JY_ROUTE_PUBLIC (1u << 0)
/* A state-changing request must carry an X-CSRF-Token equal to the session's (else 403). */
#define JY_ROUTE_NEEDS_CSRF (1u << 1)
/* A state-changing, authenticated route that deliberately takes no CSRF token (say, one used by
 * a machine with its own credentials). Every non-public POST/PUT/PATCH/DELETE route must carry
 * exactly one of JY_ROUTE_NEEDS_CSRF and JY_ROUTE_NO_CSRF, so forgetting is a start-up error. */
#define JY_ROUTE_NO_CSRF (1u << 2)
/* Requests are counted per client address in the server's token buckets (else 429). */
#define JY_ROUTE_RATE_LIMITED (1u << 3)

/* Longest parameter name in a pattern, in bytes. */
#define JY_ROUTE_PARAM_NAME_MAX 31
/* Longest pattern, in bytes. */
#define JY_ROUTE_PATTERN_MAX 512

struct jy_http_request;
struct jy_http_response;

/* A handler answers one request by calling one of the jy_http_response_… functions on `res`
 * (the last call wins; none at all is a 500). Both pointers are borrowed for the call only.
 * Handlers run on the server's worker threads, several at once. */
typedef void jy_http_handler(struct jy_http_request *req, struct jy_http_response *res);

struct jy_http_route {
    enum jy_http_method method; /* exactly one method */
    const char *pattern;        /* borrowed; see above */
    jy_http_handler *handler;
    unsigned flags;        /* JY_ROUTE_… */
    size_t max_body_bytes; /* 0: JY_HTTP_JSON_BODY_MAX_BYTES; at most JY_HTTP_DOCUMENT_MAX_BYTES */
    const void *data;      /* borrowed; handed to the handler by jy_http_request_route_data() */
};

/* One decoded path parameter. */
struct jy_http_path_param {
    char name[JY_ROUTE_PARAM_NAME_MAX + 1];
    char value[JY_HTTP_PATH_PARAM_MAX_BYTES + 1]; /* NUL-terminated, UTF-8 */
    size_t len;                                   /* bytes in value */
};

/* The result of a successful match. */
struct jy_router_match {
    const struct jy_http_route *route; /* borrowed from the table */
    size_t n_params;
    struct jy_http_path_param params[JY_HTTP_MAX_PATH_PARAMS];
};

/* The method named by `s` ("GET", exact case as HTTP requires); JY_HTTP_OTHER otherwise. */
enum jy_http_method jy_http_method_parse(const char *s);

/* "GET", "POST", …; "OTHER" for JY_HTTP_OTHER. A static string. */
const char *jy_http_method_name(enum jy_http_method m);

/* True for POST, PUT, PATCH and DELETE: the methods a CSRF token guards. */
bool jy_http_method_changes_state(enum jy_http_method m);

/* Write the methods in `allowed` (a bitmask of enum jy_http_method) as an Allow header value
 * ("GET, HEAD, POST") into `buf` of `size` bytes, NUL-terminated. Returns the length written;
 * a too small buffer truncates (the full list fits in 64 bytes). */
size_t jy_http_allow_format(unsigned allowed, char *buf, size_t size);

/* Check a route table before use: every pattern well-formed (see above; parameter names
 * [a-z_][a-z0-9_]*, unique within the pattern, at most JY_HTTP_MAX_PATH_PARAMS, at most
 * JY_HTTP_PATH_MAX_SEGMENTS segments), one known method per route, a handler, a body limit in
 * range, consistent flags (see JY_ROUTE_NO_CSRF), no two routes for the same method and the same
 * shape of pattern, and — when `have_auth` is false — no route that needs authentication.
 * Errors: JY_INVALID naming the route by index and pattern in the message. */
enum jy_err jy_router_check(const struct jy_http_route *routes, size_t n_routes, bool have_auth,
                            struct jy_error *err);

/* Find the route for `method` and the raw (still percent-encoded, query string removed) path
 * `path` of `path_len` bytes, in a table that passed jy_router_check. On success fill `*ret`.
 * Errors (`*ret` untouched):
 *   JY_NOT_FOUND — no pattern matches the path;
 *   JY_METHOD_NOT_ALLOWED — some pattern matches but not for this method; `*ret_allowed` (may be
 *     NULL) receives the methods that would match, for the Allow header;
 *   JY_INVALID / JY_TOO_LONG — a parameter does not decode (see jy_http_percent_decode); the
 *     error's field is the parameter's name. */
enum jy_err jy_router_match(const struct jy_http_route *routes, size_t n_routes,
                            enum jy_http_method method, const char *path, size_t path_len,
                            struct jy_router_match *ret, unsigned *ret_allowed,
                            struct jy_error *err);

/* The decoded value of the parameter `name` in `m`, or NULL when the pattern has none. The
 * string is borrowed from `m`. */
const char *jy_router_param(const struct jy_router_match *m, const char *name);

#endif /* JY_HTTP_ROUTER_H */
