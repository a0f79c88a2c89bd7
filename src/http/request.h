/*
 * request.h — what a handler can ask about the request it is answering.
 *
 * A `struct jy_http_request` lives from the moment the request line arrives until its response
 * has been sent; every pointer returned here is borrowed from it (or from its memory pool) and
 * is valid for exactly that long — a handler that needs something later copies it. A request is
 * handled by one thread at a time, so none of these functions lock.
 */
#ifndef JY_HTTP_REQUEST_H
#define JY_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "http/pool.h"
#include "http/router.h"
#include "http/session.h"

struct jy_http_request;

/* The method as sent ("GET") and as an enum value. */
const char *jy_http_request_method(const struct jy_http_request *req);
enum jy_http_method jy_http_request_method_id(const struct jy_http_request *req);

/* The path as sent, still percent-encoded, without the query string ("/api/v1/track/J…"). */
const char *jy_http_request_path(const struct jy_http_request *req);

/* The value of path parameter `name` ("number" for a pattern with "{number}"), percent-decoded,
 * UTF-8, at most JY_HTTP_PATH_PARAM_MAX_BYTES; NULL when the route has no such parameter. */
const char *jy_http_request_param(const struct jy_http_request *req, const char *name);

/* The value of query parameter `name`, percent-decoded with '+' as space, UTF-8 without control
 * characters; the first one when the key repeats; "" for "?name" or "?name="; NULL when absent.
 * (Requests with malformed or more than JY_HTTP_MAX_QUERY_PARAMS parameters never reach a
 * handler: they get a 400.) */
const char *jy_http_request_query(const struct jy_http_request *req, const char *name);

/* Query parameter `name` as a decimal integer in [min, max]. Absent: JY_OK with `*ret`
 * untouched (the caller's default). Errors: JY_INVALID reason "not_an_integer" or JY_RANGE
 * reason "out_of_range", with the parameter's name as the field; `*ret` untouched. */
enum jy_err jy_http_request_query_int(const struct jy_http_request *req, const char *name,
                                      int64_t min, int64_t max, int64_t *ret, struct jy_error *err);

/* The first request header called `name` (compared without regard to case), or NULL. */
const char *jy_http_request_header(const struct jy_http_request *req, const char *name);

/* The value of cookie `name` (compared exactly; surrounding double quotes removed), or NULL.
 * The string is in the request's pool; NULL also when the pool is exhausted. */
const char *jy_http_request_cookie(struct jy_http_request *req, const char *name);

/* The client's address as text ("127.0.0.1", "::1"): the socket's peer, not a forwarded-for
 * header. "" when unknown. */
const char *jy_http_request_client(const struct jy_http_request *req);

/* The request's id (16 hex digits), also sent as X-Request-Id and written to the log. */
const char *jy_http_request_id(const struct jy_http_request *req);

/* The raw body and its length in bytes (`*ret_len` may be NULL). NULL with length 0 when there
 * was none. At most the route's max_body_bytes: a larger body is refused before the handler. */
const void *jy_http_request_body(const struct jy_http_request *req, size_t *ret_len);

/* The body parsed as a JSON object (see jy_json_parse_body for the checks and error reasons).
 * The body's Content-Type must be application/json (parameters such as charset=utf-8 allowed),
 * else JY_UNSUPPORTED_MEDIA_TYPE (415). Parsed once; later calls give the same result. On success
 * `*ret` is borrowed from the request (do not json_decref it). `*ret` untouched on failure. */
enum jy_err jy_http_request_json(struct jy_http_request *req, json_t **ret, struct jy_error *err);

/* The request's memory pool, for scratch allocations freed with the request. */
struct jy_pool *jy_http_request_pool(struct jy_http_request *req);

/* The application context given in the server's configuration (borrowed). */
void *jy_http_request_app(const struct jy_http_request *req);

/* The `data` of the matched route (borrowed), or NULL. */
const void *jy_http_request_route_data(const struct jy_http_request *req);

/* The pattern of the matched route ("/api/v1/bags/{seal}/scans"; borrowed), or NULL. */
const char *jy_http_request_route_pattern(const struct jy_http_request *req);

/* ---- for the authenticate hook ---- */

/* Record who is making the request: `username` (copied; written to the log line) and
 * `user_data` (borrowed; the hook's own record of the user, which must outlive the request).
 * Errors: JY_NOMEM. */
enum jy_err jy_http_request_set_user(struct jy_http_request *req, const char *username,
                                     void *user_data, struct jy_error *err);

/* Record the SHA-256 of the session's CSRF token (as kept by the store), against which the
 * server checks the X-CSRF-Token header of requests to JY_ROUTE_NEEDS_CSRF routes. Without it,
 * every such request fails the check. */
void jy_http_request_set_csrf_hash(struct jy_http_request *req,
                                   const uint8_t hash[JY_SESSION_HASH_BYTES]);

/* The username and user data recorded by the hook; NULL before or without one. */
const char *jy_http_request_user(const struct jy_http_request *req);
void *jy_http_request_user_data(const struct jy_http_request *req);

#endif /* JY_HTTP_REQUEST_H */
