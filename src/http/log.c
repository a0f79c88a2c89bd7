/*
 * log.c — JSON log lines and personal-data masks.
 */
#include "http/log.h"

#include <string.h>
#include <time.h>

#include <jansson.h>

#include "http/text.h"

#include "banned.h"

int64_t jy_log_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t jy_log_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

char *jy_log_time(int64_t ms, char buf[25])
{
    time_t secs = (time_t)(ms / 1000);
    int frac = (int)(ms % 1000);
    if (frac < 0) {
        frac += 1000;
        secs -= 1;
    }
    struct tm tm;
    if (!gmtime_r(&secs, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
        jy_strlcpy(buf, "0000-00-00T00:00:00.000Z", 25);
        return buf;
    }
    char text[64]; /* 24 characters; the compiler cannot see the ranges checked above */
    snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    return jy_strlcpy(buf, text, 25);
}

/* A JSON string for bytes that may not be UTF-8: invalid bytes become '?', and such text is cut
 * to JY_LOG_PATH_MAX bytes. NULL → null. */
static json_t *text_or_null(const char *s, size_t len)
{
    if (!s)
        return json_null();
    if (jy_utf8_valid(s, len))
        return json_stringn(s, len);
    char buf[JY_LOG_PATH_MAX];
    size_t out = 0, i = 0;
    while (i < len && out < sizeof(buf)) {
        size_t room = sizeof(buf) - out;
        size_t ok = jy_utf8_valid_prefix(s + i, len - i < room ? len - i : room);
        if (ok == 0 && jy_utf8_valid_prefix(s + i, len - i) > 0)
            break; /* a whole character that does not fit */
        if (ok == 0) {
            buf[out++] = '?';
            i++;
            continue;
        }
        memcpy(buf + out, s + i, ok);
        out += ok;
        i += ok;
    }
    return json_stringn(buf, out);
}

/* Write `obj` as one line and release it. */
static void write_line(FILE *out, json_t *obj)
{
    if (!obj)
        return;
    char *line = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(obj);
    if (!line)
        return;
    size_t n = strlen(line);
    line[n] = '\n'; /* replaces the NUL; the length is known */
    flockfile(out);
    fwrite(line, 1, n + 1, out);
    fflush(out);
    funlockfile(out);
    free(line);
}

void jy_log_request(FILE *out, const struct jy_log_request *e)
{
    if (!out || !e)
        return;
    char when[25];
    const char *target = e->target ? e->target : "";
    size_t plen = strcspn(target, "?");
    char pbuf[JY_LOG_PATH_MAX + sizeof("…")];
    if (plen > JY_LOG_PATH_MAX) {
        size_t keep = jy_utf8_valid_prefix(target, JY_LOG_PATH_MAX);
        if (keep == 0)
            keep = JY_LOG_PATH_MAX;
        memcpy(pbuf, target, keep);
        memcpy(pbuf + keep, "…", sizeof("…") - 1);
        plen = keep + sizeof("…") - 1;
    } else {
        memcpy(pbuf, target, plen);
    }
    json_t *path = text_or_null(pbuf, plen);
    json_t *obj = json_object();
    if (!obj) {
        json_decref(path);
        return;
    }
    json_object_set_new(obj, "time", json_string(jy_log_time(e->start_ms, when)));
    json_object_set_new(obj, "request_id",
                        e->request_id ? json_string(e->request_id) : json_null());
    json_object_set_new(obj, "method", text_or_null(e->method, e->method ? strlen(e->method) : 0));
    json_object_set_new(obj, "path", path ? path : json_null());
    json_object_set_new(obj, "status", e->status ? json_integer(e->status) : json_null());
    json_object_set_new(obj, "duration_ms", json_real((double)e->duration_us / 1000.0));
    json_object_set_new(obj, "bytes", json_integer((json_int_t)e->bytes));
    json_object_set_new(obj, "user", text_or_null(e->user, e->user ? strlen(e->user) : 0));
    if (e->outcome)
        json_object_set_new(obj, "outcome", json_string(e->outcome));
    write_line(out, obj);
}

void jy_log_event(FILE *out, const char *event, const char *message)
{
    if (!out)
        return;
    char when[25];
    json_t *obj = json_object();
    if (!obj)
        return;
    json_object_set_new(obj, "time", json_string(jy_log_time(jy_log_now_ms(), when)));
    json_object_set_new(obj, "event", text_or_null(event, event ? strlen(event) : 0));
    json_object_set_new(obj, "message", text_or_null(message, message ? strlen(message) : 0));
    write_line(out, obj);
}

/* ---- masks ---- */

static bool printable_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

char *jy_log_mask_id(const char *id, char buf[JY_LOG_MASK_SIZE])
{
    buf[0] = '\0';
    if (!id)
        return buf;
    size_t n = strnlen(id, 64);
    if (n < 11 || n >= 64 || !printable_ascii(id, n)) {
        jy_strlcpy(buf, "********", JY_LOG_MASK_SIZE);
        return buf;
    }
    snprintf(buf, JY_LOG_MASK_SIZE, "%.6s********%.4s", id, id + n - 4);
    return buf;
}

char *jy_log_mask_mobile(const char *mobile, char buf[JY_LOG_MASK_SIZE])
{
    buf[0] = '\0';
    if (!mobile)
        return buf;
    size_t n = strnlen(mobile, 64);
    if (n < 8 || n >= 64 || !printable_ascii(mobile, n)) {
        jy_strlcpy(buf, "****", JY_LOG_MASK_SIZE);
        return buf;
    }
    snprintf(buf, JY_LOG_MASK_SIZE, "%.3s****%.4s", mobile, mobile + n - 4);
    return buf;
}

/* Common two-character Chinese surnames (复姓). */
static const char *const compound_surnames[] = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "司空", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫",
    "西门", "百里", "呼延", "万俟", "澹台", "公冶", "太史", "申屠", "濮阳", "闻人",
};

char *jy_log_mask_name(const char *name, char buf[JY_LOG_MASK_SIZE])
{
    buf[0] = '\0';
    if (!name)
        return buf;
    size_t n = strnlen(name, 256);
    size_t first = jy_utf8_valid_prefix(name, n);
    if (n == 0 || first == 0) {
        jy_strlcpy(buf, "*", JY_LOG_MASK_SIZE);
        return buf;
    }
    /* Length of the first character. */
    unsigned char c = (unsigned char)name[0];
    size_t k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    for (size_t i = 0; i < sizeof(compound_surnames) / sizeof(compound_surnames[0]); i++) {
        size_t cl = strlen(compound_surnames[i]);
        if (cl < n && memcmp(name, compound_surnames[i], cl) == 0) {
            k = cl;
            break;
        }
    }
    if (k > first)
        k = first > 0 ? first : 0;
    snprintf(buf, JY_LOG_MASK_SIZE, "%.*s*", (int)k, name);
    return buf;
}
