/*
 * response.h — how a handler answers: JSON, the error shape, raw bytes, static files, cookies.
 *
 * A handler calls one jy_http_response_… function that sets the status and body; the last such
 * call wins, and a handler that makes none answers 500. Headers added with
 * jy_http_response_header() are kept across those calls. The server adds, to every response,
 * X-Content-Type-Options: nosniff, X-Request-Id, Cache-Control: no-store under /api, and the
 * configured extra header. Errors have one shape:
 *
 *     {"error": {"code": "invalid_plate", "message": "…", "field": "vehicle.plate"}}
 *
 * where code is the jy_error's reason, or the name of its jy_err when it has none, and field is
 * left out when empty. A response belongs to its request (same lifetime, same thread).
 */
#ifndef JY_HTTP_RESPONSE_H
#define JY_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "error.h"

struct jy_http_request;
struct jy_http_response;

/* The error shape for `err` as a new JSON object (caller releases it), or NULL when out of
 * memory. Strings cut mid-character by jy_error's fixed buffers are trimmed to valid UTF-8. */
json_t *jy_http_error_body(const struct jy_error *err);

/* Answer `status` with `body` serialised compactly as UTF-8 (Content-Type: application/json;
 * charset=utf-8). Takes ownership of `body` (one reference), so a handler can pass json_pack()
 * straight in; a NULL `body` (failed allocation) answers 500 out_of_memory. */
void jy_http_response_json(struct jy_http_response *res, int status, json_t *body);

/* Answer with the error shape for `err`, the status from jy_err_http_status(err->code). A NULL
 * `err` answers 500 internal. */
void jy_http_response_error(struct jy_http_response *res, const struct jy_error *err);

/* As jy_http_response_error with an explicit status (100..599). */
void jy_http_response_error_status(struct jy_http_response *res, int status,
                                   const struct jy_error *err);

/* Fill a jy_error from the arguments (as jy_error_set) and answer with it. */
void jy_http_response_fail(struct jy_http_response *res, enum jy_err code, const char *reason,
                           const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Answer `status` with `len` bytes of `content_type` (for documents, PDFs, CSV). Takes
 * ownership of `data`, which must come from malloc (freed with free once sent). NULL `data`
 * with `len` > 0, or a content type with CR or LF, answers 500. */
void jy_http_response_bytes(struct jy_http_response *res, int status, const char *content_type,
                            void *data, size_t len);

/* ---- streamed bodies (server-sent events) ----
 *
 * A body of unknown length, sent chunked as its source produces it and kept open until the
 * source ends or the server stops. The source is pulled on the connection's worker thread by
 * `read(source, buf, max)`, which returns the bytes copied (> 0), 0 for "nothing now", or -1 for
 * the end. On 0 the server suspends the connection — it then holds no worker thread and is not
 * polled — until someone calls jy_http_stream_wake() from any thread. `free_fn(source)` is
 * called once, on a worker thread, when the response is finished with (sent, the client gone,
 * the server stopped, or never sent at all); after it returns nothing touches the source.
 * jy_http_server_stop() ends every open stream before it stops the server library, so streams
 * never hold up a shutdown. */
struct jy_http_stream;
typedef ssize_t jy_http_stream_read_fn(void *source, char *buf, size_t max);
typedef void jy_http_stream_free_fn(void *source);

/* A new stream pulling from `read`; attach its source with jy_http_stream_attach(). `*ret` is
 * given to jy_http_response_stream(), or freed with jy_http_stream_free(). JY_NOMEM. */
enum jy_err jy_http_stream_new(jy_http_stream_read_fn *read, jy_http_stream_free_fn *free_fn,
                               struct jy_http_stream **ret, struct jy_error *err);

/* Give the stream its source (owned from now on: released with free_fn). */
void jy_http_stream_attach(struct jy_http_stream *stream, void *source);

/* The source has bytes (or has ended): resume the connection if it waits. Any thread. */
void jy_http_stream_wake(void *stream);

/* Free a stream that was never given to a response (its source with free_fn). Accepts NULL. */
void jy_http_stream_free(struct jy_http_stream *stream);

/* Answer `status` with the streamed body of `stream` (taken over) as `content_type`. */
void jy_http_response_stream(struct jy_http_response *res, int status, const char *content_type,
                             struct jy_http_stream *stream);

/* Answer `status` with no body (204, 304). */
void jy_http_response_empty(struct jy_http_response *res, int status);

/* Add a header. `name` must be a token (RFC 9110 §5.1) and may not be one the server sets
 * itself (Content-Length, Content-Type, Transfer-Encoding, Connection, Date); `value` may not
 * contain CR, LF or NUL and is at most JY_HTTP_HEADER_VALUE_MAX_BYTES. Both are copied.
 * Errors: JY_INVALID reason "bad_header"; JY_TOO_LONG when the table of
 * JY_HTTP_MAX_RESPONSE_HEADERS is full; JY_NOMEM. */
enum jy_err jy_http_response_header(struct jy_http_response *res, const char *name,
                                    const char *value, struct jy_error *err);

/* Set the session cookie to `token` (see jy_session_cookie; Secure when the server is
 * configured so; `max_age_seconds` 0 for a browser-session cookie). Errors as
 * jy_session_cookie and jy_http_response_header. */
enum jy_err jy_http_response_set_session(struct jy_http_response *res, const char *token,
                                         int64_t max_age_seconds, struct jy_error *err);

/* Remove the session cookie in the browser (logout). Errors as jy_http_response_header. */
enum jy_err jy_http_response_clear_session(struct jy_http_response *res, struct jy_error *err);

/* Answer with the file `relpath` (percent-decoded, relative, '/'-separated) under directory
 * `dir`: 200 with its bytes, a Content-Type from its extension, and a strong ETag (from the
 * SHA-256 of the content); 304 without a body when If-None-Match names that ETag (or is "*").
 * A path that is empty or ends in '/' means its index.html. Refused with 404 (not revealing
 * whether anything is there): a ".." or "." segment, any segment starting with '.', a backslash,
 * a symbolic link, anything but a regular file, a file outside `dir` however reached. A file
 * over JY_HTTP_STATIC_MAX_BYTES answers 500. Only GET and HEAD make sense here. */
void jy_http_response_file(struct jy_http_request *req, struct jy_http_response *res,
                           const char *dir, const char *relpath);

/* A ready-made handler for a route like "/static/{path*}" whose `data` is the directory (a
 * const char *): serves the "path" parameter with jy_http_response_file(). */
void jy_http_static_handler(struct jy_http_request *req, struct jy_http_response *res);

/* The Content-Type for a file name by its extension ("text/html; charset=utf-8"); application/
 * octet-stream when unknown. A static string. */
const char *jy_http_content_type_for(const char *filename);

#endif /* JY_HTTP_RESPONSE_H */
