/*
 * date.c — civil date arithmetic.
 *
 * Day counting follows Howard Hinnant's "chrono-compatible low-level date algorithms"
 * (days_from_civil / civil_from_days), which are exact over the proleptic Gregorian calendar.
 */
#include "date.h"

#include "../banned.h"

bool jy_date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int jy_date_days_in_month(int year, int month)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && jy_date_is_leap(year))
        return 29;
    return len[month - 1];
}

bool jy_date_is_valid(struct jy_date d)
{
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= jy_date_days_in_month(d.year, d.month);
}

int64_t jy_date_to_days(struct jy_date d)
{
    int64_t y = d.year - (d.month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (d.month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct jy_date jy_date_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (struct jy_date){(int)y, (int)m, (int)d};
}

int jy_date_weekday(struct jy_date d)
{
    int64_t days = jy_date_to_days(d);
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t w = (days % 7 + 7 + 3) % 7; /* 0 = Monday */
    return (int)w + 1;
}

int jy_date_compare(struct jy_date a, struct jy_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

enum jy_err jy_date_parse(const char *s, size_t len, struct jy_date *ret, struct jy_error *err)
{
    if (!s || len != 10 || s[4] != '-' || s[7] != '-')
        return jy_error_set(err, JY_INVALID, "bad_date_format", NULL,
                            "a date must be written YYYY-MM-DD");
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return jy_error_set(err, JY_INVALID, "bad_date_format", NULL,
                            "a date must be written YYYY-MM-DD");
    struct jy_date out = {y, m, d};
    if (!jy_date_is_valid(out))
        return jy_error_set(err, JY_INVALID, "no_such_date", NULL, "%.10s is not a calendar date",
                            s);
    *ret = out;
    return JY_OK;
}

char *jy_date_format(struct jy_date d, char buf[JY_DATE_TEXT_SIZE])
{
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u,
             dd = (unsigned)d.day % 100u;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + dd / 10);
    buf[9] = (char)('0' + dd % 10);
    buf[10] = '\0';
    return buf;
}

struct jy_date jy_date_from_unix_shanghai(int64_t t)
{
    int64_t local = t + 8 * 3600;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    return jy_date_from_days(days);
}
