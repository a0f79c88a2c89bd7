/*
 * cutoff.c — the daily cut-off of a hand-over: see cutoff.h.
 */
#include "cutoff.h"

#include "date.h"
#include "../banned.h"

bool jy_cutoff_parse(const char *s, size_t len, int *ret_minutes)
{
    if (!s || len != 5 || s[2] != ':')
        return false;
    for (size_t i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return false;
    *ret_minutes = h * 60 + m;
    return true;
}

int64_t jy_cutoff_until(int64_t now, int minutes, bool *ret_after)
{
    if (minutes < 0 || minutes > 24 * 60 - 1)
        minutes = 24 * 60 - 1;
    /* Midnight of today in Asia/Shanghai (UTC+8, no daylight saving since 1991), in UTC. */
    int64_t midnight = jy_date_to_days(jy_date_from_unix_shanghai(now)) * 86400 - 8 * 3600;
    int64_t cut = midnight + (int64_t)minutes * 60;
    *ret_after = now >= cut;
    return now >= cut ? cut : now + 1;
}
