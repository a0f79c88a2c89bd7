/*
 * timestamp.c — RFC 3339 date-times: see timestamp.h.
 */
#include "timestamp.h"

#include <stdbool.h>
#include <stdio.h>

#include "../limits.h"
#include "date.h"

#include "../banned.h"

char *jy_timestamp_format(int64_t t, char buf[JY_TIMESTAMP_TEXT_SIZE])
{
    if (t < JY_TIMESTAMP_MIN)
        t = JY_TIMESTAMP_MIN;
    if (t > JY_TIMESTAMP_MAX)
        t = JY_TIMESTAMP_MAX;
    /* Floor division, so that instants before 1970 fall in the right day. */
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    struct jy_date d = jy_date_from_days(days);
    int h = (int)(secs / 3600), m = (int)(secs / 60 % 60), s = (int)(secs % 60);
    char text[64]; /* 20 characters; the compiler cannot see the ranges */
    snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, h, m, s);
    return jy_strlcpy(buf, text, JY_TIMESTAMP_TEXT_SIZE);
}

/* Read exactly `n` ASCII digits at s[*pos] as a number into *ret. */
static bool digits(const char *s, size_t len, size_t *pos, int n, int *ret)
{
    if (*pos + (size_t)n > len)
        return false;
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = s[*pos + (size_t)i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *pos += (size_t)n;
    *ret = v;
    return true;
}

static bool expect(const char *s, size_t len, size_t *pos, char c)
{
    if (*pos >= len || s[*pos] != c)
        return false;
    (*pos)++;
    return true;
}

static enum jy_err bad(struct jy_error *err, const char *what)
{
    return jy_error_set(err, JY_INVALID, "bad_timestamp", NULL,
                        "a time is YYYY-MM-DDThh:mm:ss with a zone (Z or +08:00): %s", what);
}

enum jy_err jy_timestamp_parse(const char *s, size_t len, int64_t *ret, struct jy_error *err)
{
    if (!s)
        len = 0;
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "a time is at most %d bytes",
                            JY_IDENT_MAX_BYTES);
    while (len > 0 && s[0] == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;

    size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!digits(s, len, &pos, 4, &y) || !expect(s, len, &pos, '-') ||
        !digits(s, len, &pos, 2, &mo) || !expect(s, len, &pos, '-') || !digits(s, len, &pos, 2, &d))
        return bad(err, "bad date");
    struct jy_date date = {y, mo, d};
    if (!jy_date_is_valid(date))
        return bad(err, "no such date");
    if (pos >= len || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' '))
        return bad(err, "no time after the date");
    pos++;
    if (!digits(s, len, &pos, 2, &h) || !expect(s, len, &pos, ':') ||
        !digits(s, len, &pos, 2, &mi) || !expect(s, len, &pos, ':') ||
        !digits(s, len, &pos, 2, &sec))
        return bad(err, "bad time of day");
    if (h > 23 || mi > 59 || sec > 59)
        return bad(err, "no such time of day");
    if (pos < len && s[pos] == '.') {
        pos++;
        size_t start = pos;
        while (pos < len && s[pos] >= '0' && s[pos] <= '9')
            pos++;
        if (pos == start || pos - start > 9)
            return bad(err, "a fraction of a second has 1 to 9 digits");
    }
    if (pos >= len)
        return jy_error_set(err, JY_INVALID, "missing_zone", NULL,
                            "a time needs its zone: Z for UTC or an offset such as +08:00");
    int offset = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        pos++;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int sign = s[pos] == '-' ? -1 : 1, oh, om;
        pos++;
        if (!digits(s, len, &pos, 2, &oh) || !expect(s, len, &pos, ':') ||
            !digits(s, len, &pos, 2, &om) || oh > 23 || om > 59)
            return bad(err, "an offset is +hh:mm or -hh:mm");
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return bad(err, "unexpected character before the zone");
    }
    if (pos != len)
        return bad(err, "unexpected characters after the zone");

    int64_t t = jy_date_to_days(date) * 86400 + h * 3600 + mi * 60 + sec - offset;
    if (t < JY_TIMESTAMP_MIN || t > JY_TIMESTAMP_MAX)
        return jy_error_set(err, JY_RANGE, "out_of_range", NULL,
                            "the time falls outside the years 1 to 9999 in UTC");
    *ret = t;
    return JY_OK;
}
