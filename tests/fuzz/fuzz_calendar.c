/*
 * fuzz_calendar.c — libFuzzer target for the working-day calendar loader.
 *
 * Any input must load or fail cleanly. When it loads, due-date and working-day queries derived
 * from the input must not crash and must agree with each other: a due date is never before the
 * acceptance day, counting working days back from it gives the same number, and it is itself a
 * working day (for a non-zero count).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "banned.h"

static uint32_t mix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x7feb352dU;
    h ^= h >> 15;
    h *= 0x846ca68bU;
    h ^= h >> 16;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    enum jy_err rc = jy_calendar_load_csv((const char *)data, size, &cal, &err);
    if (rc != JY_OK) {
        if (cal != NULL || err.code != rc || err.reason[0] == '\0' ||
            memchr(err.message, '\0', sizeof(err.message)) == NULL)
            __builtin_trap();
        return 0;
    }
    if (cal == NULL)
        __builtin_trap();

    /* The years with data, to aim the queries at. */
    int years[JY_CALENDAR_MAX_YEAR - JY_CALENDAR_MIN_YEAR + 1];
    int ny = 0;
    for (int y = JY_CALENDAR_MIN_YEAR; y <= JY_CALENDAR_MAX_YEAR; y++)
        if (jy_calendar_covers_year(cal, y))
            years[ny++] = y;

    uint32_t h = 2166136261U;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619U;

    for (int q = 0; q < 8; q++) {
        h = mix(h + (uint32_t)q);
        int year = ny ? years[h % (uint32_t)ny] : JY_CALENDAR_MIN_YEAR + (int)(h % 210U);
        /* Day of year 0..365, from the year's 1 January, may step into the next year. */
        int64_t first = jy_date_to_days((struct jy_date){year, 1, 1});
        struct jy_date accepted = jy_date_from_days(first + (int64_t)((h >> 8) % 366U));
        int n = (int)((h >> 20) % (JY_CALENDAR_MAX_WORKING_DAYS + 1));

        struct jy_date due;
        rc = jy_calendar_due_date(cal, accepted, n, &due, &err);
        if (rc == JY_OK) {
            int back = -1;
            bool w = false;
            if (jy_date_compare(due, accepted) < 0)
                __builtin_trap();
            if (jy_calendar_working_days_between(cal, accepted, due, &back, NULL) != JY_OK ||
                back != n)
                __builtin_trap();
            if (n > 0 && (jy_calendar_is_working_day(cal, due, &w, NULL) != JY_OK || !w))
                __builtin_trap();
        } else if (rc != JY_NO_DATA) {
            __builtin_trap();
        }
        bool w;
        rc = jy_calendar_is_working_day(cal, accepted, &w, NULL);
        if (rc != JY_OK && rc != JY_NO_DATA)
            __builtin_trap();
    }
    jy_calendar_free(cal);
    return 0;
}
