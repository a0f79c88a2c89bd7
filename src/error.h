/*
 * error.h — the one error enum of jingyou, and the detail record that goes with it.
 *
 * Every function named as a command returns `enum jy_err`; JY_OK is zero. Detail for a person
 * (which field, what was wrong) goes into a `struct jy_error` out-parameter that the caller
 * owns. The table below is the single source of each error's name (stable, used as the
 * machine-readable `code` when no more specific reason is given), its HTTP status and its
 * English message.
 */
#ifndef JY_ERROR_H
#define JY_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* X(NAME, "name", http_status, "message") */
#define JY_ERR_TABLE(X)                                                                            \
    X(OK, "ok", 200, "success")                                                                    \
    X(INVALID, "invalid", 400, "invalid value")                                                    \
    X(TOO_LONG, "too_long", 400, "value too long")                                                 \
    X(RANGE, "out_of_range", 400, "value out of range")                                            \
    X(NO_DATA, "no_data", 422, "no reference data for this value")                                 \
    X(NOT_FOUND, "not_found", 404, "not found")                                                    \
    X(CONFLICT, "conflict", 409, "state conflict")                                                 \
    X(UNAUTHENTICATED, "unauthenticated", 401, "not logged in")                                    \
    X(FORBIDDEN, "forbidden", 403, "not allowed")                                                  \
    X(TOO_LARGE, "too_large", 413, "request too large")                                            \
    X(METHOD_NOT_ALLOWED, "method_not_allowed", 405, "method not allowed")                         \
    X(UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415, "unsupported media type")             \
    X(RATE_LIMITED, "rate_limited", 429, "too many requests")                                      \
    X(UNPROCESSABLE, "unprocessable", 422, "request cannot be processed")                          \
    X(NOMEM, "out_of_memory", 500, "out of memory")                                                \
    X(IO, "io_error", 500, "input/output error")                                                   \
    X(INTERNAL, "internal", 500, "internal error")

enum jy_err {
#define JY__ERR_ENUM(name, str, status, msg) JY_##name,
    JY_ERR_TABLE(JY__ERR_ENUM)
#undef JY__ERR_ENUM
        JY__ERR_COUNT
};

/* Detail about one failure, filled by the function that failed.
 * `reason` is a short machine-readable code ("bad_check_character", "unknown_province"),
 * `field` the input field at fault when known (dotted path, "vehicle.plate"), `message` a
 * sentence for a person. All three are NUL-terminated and truncated to fit (they are
 * diagnostics, not data). */
struct jy_error {
    enum jy_err code;
    char reason[48];
    char field[64];
    char message[256];
};

/* The stable name of `e` ("invalid", "not_found"); "unknown" for a value outside the table.
 * Returns a static string. */
const char *jy_err_name(enum jy_err e);

/* The English message of `e`. Returns a static string. */
const char *jy_err_message(enum jy_err e);

/* The HTTP status that `e` maps to (400, 404, 409, …; 500 for unknown values). */
int jy_err_http_status(enum jy_err e);

/* Fill `err` (which may be NULL, then nothing happens) and return `code`, so that a failing
 * function can `return jy_error_set(err, JY_INVALID, "bad_check_character", NULL, "…")`.
 * `reason` and `field` may be NULL (stored as ""). `fmt` is printf-style. */
enum jy_err jy_error_set(struct jy_error *err, enum jy_err code, const char *reason,
                         const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Clear `err` to JY_OK with empty strings. Accepts NULL. */
void jy_error_clear(struct jy_error *err);

/* Copy a string into a fixed buffer of `size` bytes, always NUL-terminating; truncates.
 * For diagnostics only — data is never truncated silently. Returns `dst`. */
char *jy_strlcpy(char *dst, const char *src, size_t size);

#endif /* JY_ERROR_H */
