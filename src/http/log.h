/*
 * log.h — the server's log: one JSON line per request or event, and masks for personal data.
 *
 * This is the one place in src/http that writes to a stream; library code elsewhere returns
 * errors and never logs. A request line looks like
 *
 *   {"time":"2026-03-02T01:02:03.456Z","request_id":"9f1c…","method":"GET","path":"/api/v1/…",
 *    "status":200,"duration_ms":0.412,"bytes":85,"user":"clerk"}
 *
 * with the query string never written (it may carry id_last4 and other personal data). Each
 * line is written with one locked fwrite, so lines from many threads never interleave.
 * Anything else a caller wants to log about a person goes through the jy_log_mask_… helpers.
 */
#ifndef JY_HTTP_LOG_H
#define JY_HTTP_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Longest path written into a log line, in bytes; longer paths are cut and marked "…". */
#define JY_LOG_PATH_MAX 512
/* Size of a buffer that holds any masked value made here. */
#define JY_LOG_MASK_SIZE 32

/* One finished request. All strings are borrowed for the call; NULL strings are written as
 * JSON null. */
struct jy_log_request {
    int64_t start_ms;       /* when it arrived: Unix time in milliseconds, UTC */
    const char *request_id; /* the X-Request-Id the response carried */
    const char *method;
    const char *target;  /* the request target as sent; the query string is dropped here */
    int status;          /* the status sent; 0 when none was (written as null) */
    int64_t duration_us; /* arrival to completion, microseconds */
    uint64_t bytes;      /* response body bytes */
    const char *user;    /* the authenticated username, or NULL */
    const char *outcome; /* NULL when the response was sent, else why not ("timeout", …) */
};

/* Write `e` as one JSON line to `out`. Failures to write are ignored (a log must not fail the
 * request). Thread-safe. */
void jy_log_request(FILE *out, const struct jy_log_request *e);

/* Write {"time":…,"event":`event`,"message":`message`} as one line to `out`. `message` is
 * written as UTF-8, invalid bytes replaced. Thread-safe. */
void jy_log_event(FILE *out, const char *event, const char *message);

/* Format Unix time `ms` (milliseconds) as "YYYY-MM-DDTHH:MM:SS.mmmZ" into `buf` (at least 25
 * bytes). Returns `buf`. */
char *jy_log_time(int64_t ms, char buf[25]);

/* Mask a resident ID number: the first 6 and last 4 characters kept, 8 asterisks between
 * ("110105********002X"). Input of fewer than 11 characters, or with bytes outside printable
 * ASCII, becomes "********". NULL becomes "". Writes into `buf`, returns it. */
char *jy_log_mask_id(const char *id, char buf[JY_LOG_MASK_SIZE]);

/* Mask a mobile number: the first 3 and last 4 digits kept, 4 asterisks between
 * ("138****8000"). Input of fewer than 8 characters, or not printable ASCII, becomes "****".
 * NULL becomes "". Writes into `buf`, returns it. */
char *jy_log_mask_mobile(const char *mobile, char buf[JY_LOG_MASK_SIZE]);

/* Mask a person's name: the surname and one asterisk ("张三" → "张*", "欧阳娜娜" → "欧阳*",
 * "Smith" → "S*"). The surname is the first character, or the first two when they form one of
 * the common two-character (compound) surnames. Invalid UTF-8 becomes "*". NULL becomes "".
 * Writes into `buf`, returns it. */
char *jy_log_mask_name(const char *name, char buf[JY_LOG_MASK_SIZE]);

/* Milliseconds since the Unix epoch (CLOCK_REALTIME), and on a monotonic clock. */
int64_t jy_log_now_ms(void);
int64_t jy_log_monotonic_us(void);

#endif /* JY_HTTP_LOG_H */
