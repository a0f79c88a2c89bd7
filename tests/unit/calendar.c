/*
 * Unit tests for src/core/calendar.c.
 *
 * The real data/holidays.csv is loaded from the source tree and checked day by day against the
 * State Council notices as transcribed in standards.md §6 (the tables below are typed from the
 * notices, independently of the CSV). Expected due dates are counted by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"

extern const unsigned char jy_data_holidays_csv[];
extern const size_t jy_data_holidays_csv_len;

static struct jy_date D(int y, int m, int d) {
    return (struct jy_date){y, m, d};
}

/* ---- the notices, as ranges ---- */

struct range {
    struct jy_date first, last;
};

/* Days off (休), standards.md §6. */
static const struct range offs[] = {
    /* 2025 (国办发明电〔2024〕12号) */
    {{2025, 1, 1}, {2025, 1, 1}},   /* 元旦 */
    {{2025, 1, 28}, {2025, 2, 4}},  /* 春节, 8 days */
    {{2025, 4, 4}, {2025, 4, 6}},   /* 清明节 */
    {{2025, 5, 1}, {2025, 5, 5}},   /* 劳动节 */
    {{2025, 5, 31}, {2025, 6, 2}},  /* 端午节 */
    {{2025, 10, 1}, {2025, 10, 8}}, /* 国庆节、中秋节, 8 days */
    /* 2026 (notice of 2025-11-04) */
    {{2026, 1, 1}, {2026, 1, 3}},   /* 元旦 */
    {{2026, 2, 15}, {2026, 2, 23}}, /* 春节, 9 days */
    {{2026, 4, 4}, {2026, 4, 6}},   /* 清明节 */
    {{2026, 5, 1}, {2026, 5, 5}},   /* 劳动节 */
    {{2026, 6, 19}, {2026, 6, 21}}, /* 端午节 */
    {{2026, 9, 25}, {2026, 9, 27}}, /* 中秋节 */
    {{2026, 10, 1}, {2026, 10, 7}}, /* 国庆节 */
};

/* Saturdays and Sundays worked (班), standards.md §6, with their weekday (6 Sat, 7 Sun). */
static const struct {
    struct jy_date d;
    int weekday;
} works[] = {
    {{2025, 1, 26}, 7},  {{2025, 2, 8}, 6},  {{2025, 4, 27}, 7},  {{2025, 9, 28}, 7},
    {{2025, 10, 11}, 6}, {{2026, 1, 4}, 7},  {{2026, 2, 14}, 6},  {{2026, 2, 28}, 6},
    {{2026, 5, 9}, 6},   {{2026, 9, 20}, 7}, {{2026, 10, 10}, 6},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool listed_off(struct jy_date d)
{
    for (size_t i = 0; i < COUNT(offs); i++)
        if (jy_date_compare(d, offs[i].first) >= 0 && jy_date_compare(d, offs[i].last) <= 0)
            return true;
    return false;
}

static bool listed_work(struct jy_date d)
{
    for (size_t i = 0; i < COUNT(works); i++)
        if (jy_date_compare(d, works[i].d) == 0)
            return true;
    return false;
}

/* ---- fixtures ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(JY_CALENDAR_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, JY_CALENDAR_MAX_BYTES + 1, f) : 0;
    fclose(f);
    *len = n;
    return buf;
}

static int setup_real(void **state)
{
    size_t len;
    char *text = read_file(JY_SOURCE_DIR "/data/holidays.csv", &len);
    if (!text)
        return -1;
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    enum jy_err rc = jy_calendar_load_csv(text, len, &cal, &err);
    free(text);
    if (rc != JY_OK) {
        fprintf(stderr, "data/holidays.csv: %s\n", err.message);
        return -1;
    }
    *state = cal;
    return 0;
}

static int teardown_real(void **state)
{
    jy_calendar_free(*state);
    return 0;
}

static bool working(const struct jy_calendar *cal, struct jy_date d)
{
    bool w = false;
    struct jy_error err;
    enum jy_err rc = jy_calendar_is_working_day(cal, d, &w, &err);
    assert_int_equal(rc, JY_OK);
    return w;
}

static struct jy_date due(const struct jy_calendar *cal, struct jy_date accepted, int n)
{
    struct jy_date r = {0, 0, 0};
    struct jy_error err;
    enum jy_err rc = jy_calendar_due_date(cal, accepted, n, &r, &err);
    if (rc != JY_OK)
        fail_msg("due date: %s", err.message);
    return r;
}

#define assert_date(got, y, m, d)                                                                  \
    do {                                                                                           \
        struct jy_date g_ = (got);                                                                 \
        assert_int_equal(g_.year, (y));                                                            \
        assert_int_equal(g_.month, (m));                                                           \
        assert_int_equal(g_.day, (d));                                                             \
    } while (0)

/* ---- the real data ---- */

static void test_years_covered(void **state)
{
    const struct jy_calendar *cal = *state;
    assert_true(jy_calendar_covers_year(cal, 2025));
    assert_true(jy_calendar_covers_year(cal, 2026));
    assert_false(jy_calendar_covers_year(cal, 2024));
    assert_false(jy_calendar_covers_year(cal, 2027));
    assert_false(jy_calendar_covers_year(cal, 0));
    assert_false(jy_calendar_covers_year(NULL, 2025));
}

static void test_every_holiday_day_is_off(void **state)
{
    const struct jy_calendar *cal = *state;
    int n = 0;
    for (size_t i = 0; i < COUNT(offs); i++) {
        int64_t a = jy_date_to_days(offs[i].first), b = jy_date_to_days(offs[i].last);
        for (int64_t x = a; x <= b; x++, n++)
            assert_false(working(cal, jy_date_from_days(x)));
    }
    /* 2025: 1 + 8 + 3 + 5 + 3 + 8 = 28; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33. */
    assert_int_equal(n, 61);
}

static void test_every_makeup_day_is_working(void **state)
{
    const struct jy_calendar *cal = *state;
    for (size_t i = 0; i < COUNT(works); i++) {
        assert_int_equal(jy_date_weekday(works[i].d), works[i].weekday);
        assert_true(working(cal, works[i].d));
    }
}

/* Every day of both years: working exactly when it is a make-up day, or a Monday–Friday that is
 * not a holiday day. */
static void test_whole_years(void **state)
{
    const struct jy_calendar *cal = *state;
    int count[2] = {0, 0};
    for (int64_t x = jy_date_to_days(D(2025, 1, 1)); x <= jy_date_to_days(D(2026, 12, 31)); x++) {
        struct jy_date d = jy_date_from_days(x);
        bool expect = listed_work(d) || (jy_date_weekday(d) <= 5 && !listed_off(d));
        assert_int_equal(working(cal, d), expect);
        count[d.year - 2025] += expect;
    }
    /* 2025 starts on a Wednesday: 52 weeks + 1 day = 261 weekdays. Holiday weekdays: 1/1;
     * 1/28-1/31, 2/3, 2/4 (6); 4/4; 5/1, 5/2, 5/5 (3); 6/2; 10/1-10/3, 10/6-10/8 (6) = 18.
     * Make-up days 5. 261 - 18 + 5 = 248. */
    assert_int_equal(count[0], 248);
    /* 2026 starts on a Thursday: 261 weekdays. Holiday weekdays: 1/1, 1/2 (2); 2/16-2/20, 2/23
     * (6); 4/6; 5/1, 5/4, 5/5 (3); 6/19; 9/25; 10/1, 10/2, 10/5-10/7 (5) = 19. Make-up days 6.
     * 261 - 19 + 6 = 248. */
    assert_int_equal(count[1], 248);
}

static void test_embedded_copy_is_the_file(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file(JY_SOURCE_DIR "/data/holidays.csv", &len);
    assert_non_null(text);
    assert_int_equal(jy_data_holidays_csv_len, len);
    assert_memory_equal(jy_data_holidays_csv, text, len);
    free(text);
    struct jy_calendar *cal = NULL;
    assert_int_equal(jy_calendar_load_csv((const char *)jy_data_holidays_csv,
                                          jy_data_holidays_csv_len, &cal, NULL),
                     JY_OK);
    jy_calendar_free(cal);
}

/* ---- due dates across each holiday ---- */

static void test_due_2025(void **state)
{
    const struct jy_calendar *cal = *state;

    /* 元旦: accepted Tue 2024-12-31 (2024 has no data, but the acceptance day never counts).
     * 1/1 Wed off; Thu 1/2 is 1. */
    assert_date(due(cal, D(2024, 12, 31), 1), 2025, 1, 2);

    /* 春节: accepted Fri 1/24. Sat 1/25 no; Sun 1/26 make-up = 1; Mon 1/27 = 2; 1/28-2/4 off;
     * Wed 2/5 = 3, Thu 2/6 = 4, Fri 2/7 = 5, Sat 2/8 make-up = 6, Sun 2/9 no, Mon 2/10 = 7. */
    assert_date(due(cal, D(2025, 1, 24), 1), 2025, 1, 26);
    assert_date(due(cal, D(2025, 1, 24), 2), 2025, 1, 27);
    assert_date(due(cal, D(2025, 1, 24), 3), 2025, 2, 5);
    assert_date(due(cal, D(2025, 1, 24), 5), 2025, 2, 7);
    assert_date(due(cal, D(2025, 1, 24), 6), 2025, 2, 8);
    assert_date(due(cal, D(2025, 1, 24), 7), 2025, 2, 10);

    /* 清明: accepted Thu 4/3. 4/4 Fri, 4/5 Sat, 4/6 Sun off; Mon 4/7 = 1. */
    assert_date(due(cal, D(2025, 4, 3), 1), 2025, 4, 7);

    /* 劳动节: accepted Fri 4/25. Sat 4/26 no; Sun 4/27 make-up = 1; Mon 4/28 = 2, Tue 4/29 = 3,
     * Wed 4/30 = 4; 5/1 Thu - 5/5 Mon off; Tue 5/6 = 5. */
    assert_date(due(cal, D(2025, 4, 25), 1), 2025, 4, 27);
    assert_date(due(cal, D(2025, 4, 25), 4), 2025, 4, 30);
    assert_date(due(cal, D(2025, 4, 25), 5), 2025, 5, 6);

    /* 端午: accepted Fri 5/30. 5/31 Sat - 6/2 Mon off; Tue 6/3 = 1. */
    assert_date(due(cal, D(2025, 5, 30), 1), 2025, 6, 3);

    /* 国庆节、中秋节: accepted Fri 9/26. Sat 9/27 no; Sun 9/28 make-up = 1; Mon 9/29 = 2,
     * Tue 9/30 = 3; 10/1 Wed - 10/8 Wed off; Thu 10/9 = 4, Fri 10/10 = 5, Sat 10/11 make-up = 6,
     * Sun 10/12 no, Mon 10/13 = 7. */
    assert_date(due(cal, D(2025, 9, 26), 1), 2025, 9, 28);
    assert_date(due(cal, D(2025, 9, 26), 4), 2025, 10, 9);
    assert_date(due(cal, D(2025, 9, 26), 6), 2025, 10, 11);
    assert_date(due(cal, D(2025, 9, 26), 7), 2025, 10, 13);

    /* Accepted on a holiday (Wed 10/1): the day itself does not count; 10/2-10/8 off, Thu 10/9
     * is 1. Accepted on a make-up day (Sun 9/28): Mon 9/29 is 1. */
    assert_date(due(cal, D(2025, 10, 1), 1), 2025, 10, 9);
    assert_date(due(cal, D(2025, 9, 28), 1), 2025, 9, 29);
}

static void test_due_2026(void **state)
{
    const struct jy_calendar *cal = *state;

    /* 元旦, across the year end: accepted Wed 2025-12-31. 1/1 Thu - 1/3 Sat off; Sun 1/4
     * make-up = 1; Mon 1/5 = 2. */
    assert_date(due(cal, D(2025, 12, 31), 1), 2026, 1, 4);
    assert_date(due(cal, D(2025, 12, 31), 2), 2026, 1, 5);

    /* 春节: accepted Fri 2/13. Sat 2/14 make-up = 1; 2/15 Sun - 2/23 Mon off; Tue 2/24 = 2,
     * Wed 2/25 = 3, Thu 2/26 = 4, Fri 2/27 = 5, Sat 2/28 make-up = 6, Sun 3/1 no, Mon 3/2 = 7. */
    assert_date(due(cal, D(2026, 2, 13), 1), 2026, 2, 14);
    assert_date(due(cal, D(2026, 2, 13), 2), 2026, 2, 24);
    assert_date(due(cal, D(2026, 2, 13), 6), 2026, 2, 28);
    assert_date(due(cal, D(2026, 2, 13), 7), 2026, 3, 2);

    /* 清明: accepted Fri 4/3. 4/4 Sat - 4/6 Mon off; Tue 4/7 = 1. */
    assert_date(due(cal, D(2026, 4, 3), 1), 2026, 4, 7);

    /* 劳动节: accepted Thu 4/30. 5/1 Fri - 5/5 Tue off; Wed 5/6 = 1, Thu 5/7 = 2, Fri 5/8 = 3,
     * Sat 5/9 make-up = 4, Sun 5/10 no, Mon 5/11 = 5. */
    assert_date(due(cal, D(2026, 4, 30), 1), 2026, 5, 6);
    assert_date(due(cal, D(2026, 4, 30), 4), 2026, 5, 9);
    assert_date(due(cal, D(2026, 4, 30), 5), 2026, 5, 11);

    /* 端午: accepted Thu 6/18. 6/19 Fri - 6/21 Sun off; Mon 6/22 = 1. */
    assert_date(due(cal, D(2026, 6, 18), 1), 2026, 6, 22);

    /* 国庆 make-up before 中秋: accepted Fri 9/18. Sat 9/19 no; Sun 9/20 make-up = 1. */
    assert_date(due(cal, D(2026, 9, 18), 1), 2026, 9, 20);
    /* 中秋: accepted Thu 9/24. 9/25 Fri - 9/27 Sun off; Mon 9/28 = 1. */
    assert_date(due(cal, D(2026, 9, 24), 1), 2026, 9, 28);

    /* 国庆: accepted Wed 9/30. 10/1 Thu - 10/7 Wed off; Thu 10/8 = 1, Fri 10/9 = 2, Sat 10/10
     * make-up = 3, Sun 10/11 no, Mon 10/12 = 4. */
    assert_date(due(cal, D(2026, 9, 30), 3), 2026, 10, 10);
    assert_date(due(cal, D(2026, 9, 30), 4), 2026, 10, 12);

    /* The last day with data: accepted Wed 12/30, Thu 12/31 = 1. */
    assert_date(due(cal, D(2026, 12, 30), 1), 2026, 12, 31);
}

static void test_due_long_and_zero(void **state)
{
    const struct jy_calendar *cal = *state;

    /* 0 working days: the acceptance day itself, whatever it is and whether or not its year
     * has data. */
    assert_date(due(cal, D(2026, 10, 1), 0), 2026, 10, 1);
    assert_date(due(cal, D(2024, 6, 1), 0), 2024, 6, 1);

    /* 248 working days after 2024-12-31 are exactly the 248 of 2025; the last, Wed 12/31, is a
     * working day. */
    assert_date(due(cal, D(2024, 12, 31), 248), 2025, 12, 31);

    /* 365 = 248 (2025) + 117 in 2026. 2026 by month: Jan 22 weekdays - 2 + 1 (1/4) = 21;
     * Feb 20 - 6 + 2 = 16 (37); Mar 22 (59); Apr 22 - 1 = 21 (80); May 21 - 3 + 1 = 19 (99);
     * June: 6/1-6/5 5, 6/8-6/12 5, 6/15-6/18 4 (6/19 off), 6/22-6/25 4 = 18 (117) → Thu 6/25. */
    assert_date(due(cal, D(2024, 12, 31), JY_CALENDAR_MAX_WORKING_DAYS), 2026, 6, 25);
}

static void test_due_errors(void **state)
{
    const struct jy_calendar *cal = *state;
    struct jy_date r = D(7, 7, 7);
    struct jy_error err;

    /* Crossing into 2027: Thu 2026-12-31 is 1, then 2027-01-01 has no data. */
    assert_int_equal(jy_calendar_due_date(cal, D(2026, 12, 30), 2, &r, &err), JY_NO_DATA);
    assert_string_equal(err.reason, "calendar_year_missing");
    assert_non_null(strstr(err.message, "2027"));
    assert_int_equal(r.year, 7);

    /* Starting in 2024 with more than one day to go into 2024. */
    assert_int_equal(jy_calendar_due_date(cal, D(2024, 12, 30), 1, &r, &err), JY_NO_DATA);
    assert_non_null(strstr(err.message, "2024"));
    assert_int_equal(r.year, 7);

    assert_int_equal(jy_calendar_due_date(cal, D(2025, 3, 3), -1, &r, &err), JY_RANGE);
    assert_string_equal(err.reason, "bad_working_days");
    assert_int_equal(
        jy_calendar_due_date(cal, D(2025, 3, 3), JY_CALENDAR_MAX_WORKING_DAYS + 1, &r, &err),
        JY_RANGE);
    assert_int_equal(jy_calendar_due_date(cal, D(2025, 2, 29), 1, &r, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_date");
    assert_int_equal(jy_calendar_due_date(cal, D(9999, 12, 31), 1, &r, &err), JY_NO_DATA);
    assert_non_null(strstr(err.message, "10000"));
    assert_int_equal(jy_calendar_due_date(NULL, D(2025, 3, 3), 1, &r, &err), JY_INVALID);
    assert_int_equal(r.year, 7);
    /* err may be NULL. */
    assert_int_equal(jy_calendar_due_date(cal, D(2026, 12, 31), 1, &r, NULL), JY_NO_DATA);
}

static void test_is_working_day_errors(void **state)
{
    const struct jy_calendar *cal = *state;
    bool w = true;
    struct jy_error err;
    assert_int_equal(jy_calendar_is_working_day(cal, D(2024, 6, 3), &w, &err), JY_NO_DATA);
    assert_string_equal(err.reason, "calendar_year_missing");
    assert_non_null(strstr(err.message, "2024"));
    assert_int_equal(jy_calendar_is_working_day(cal, D(2027, 1, 4), &w, &err), JY_NO_DATA);
    assert_string_equal(err.reason, "calendar_year_missing");
    assert_non_null(strstr(err.message, "2027"));
    assert_int_equal(jy_calendar_is_working_day(cal, D(2025, 4, 31), &w, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_date");
    assert_int_equal(jy_calendar_is_working_day(cal, D(1, 1, 1), &w, &err), JY_NO_DATA);
    assert_true(w); /* untouched */
    /* Ordinary days. */
    assert_true(working(cal, D(2025, 3, 3)));    /* Monday */
    assert_false(working(cal, D(2025, 3, 8)));   /* Saturday */
    assert_false(working(cal, D(2026, 11, 29))); /* Sunday */
}

static void test_between(void **state)
{
    const struct jy_calendar *cal = *state;
    int n = 99;
    struct jy_error err;

    /* (2024-12-31, 2025-12-31] is the whole of 2025: 248; both years: 496. */
    assert_int_equal(
        jy_calendar_working_days_between(cal, D(2024, 12, 31), D(2025, 12, 31), &n, &err), JY_OK);
    assert_int_equal(n, 248);
    assert_int_equal(
        jy_calendar_working_days_between(cal, D(2024, 12, 31), D(2026, 12, 31), &n, &err), JY_OK);
    assert_int_equal(n, 496);
    /* Reversed: the negative. Equal: 0 (no data needed). */
    assert_int_equal(
        jy_calendar_working_days_between(cal, D(2026, 12, 31), D(2024, 12, 31), &n, &err), JY_OK);
    assert_int_equal(n, -496);
    assert_int_equal(jy_calendar_working_days_between(cal, D(2023, 5, 5), D(2023, 5, 5), &n, &err),
                     JY_OK);
    assert_int_equal(n, 0);

    /* 国庆 2026: accepted Wed 9/30, finished Sat 10/10 (make-up) → 10/8, 10/9, 10/10 = 3, the
     * inverse of the due date. Finished on a holiday, Sat 10/3: 0. */
    assert_int_equal(
        jy_calendar_working_days_between(cal, D(2026, 9, 30), D(2026, 10, 10), &n, &err), JY_OK);
    assert_int_equal(n, 3);
    assert_int_equal(
        jy_calendar_working_days_between(cal, D(2026, 9, 30), D(2026, 10, 3), &n, &err), JY_OK);
    assert_int_equal(n, 0);

    /* Every due date of 2025-2026 inverts. */
    for (int64_t x = jy_date_to_days(D(2025, 1, 1)); x <= jy_date_to_days(D(2026, 12, 1)); x += 3) {
        struct jy_date a = jy_date_from_days(x), r;
        for (int k = 0; k <= 15; k++) {
            assert_int_equal(jy_calendar_due_date(cal, a, k, &r, &err), JY_OK);
            assert_int_equal(jy_calendar_working_days_between(cal, a, r, &n, &err), JY_OK);
            assert_int_equal(n, k);
            if (k > 0)
                assert_true(working(cal, r));
        }
    }

    n = 99;
    assert_int_equal(
        jy_calendar_working_days_between(cal, D(2024, 12, 30), D(2025, 1, 2), &n, &err),
        JY_NO_DATA);
    assert_non_null(strstr(err.message, "2024"));
    assert_int_equal(
        jy_calendar_working_days_between(cal, D(2026, 12, 31), D(2027, 1, 1), &n, &err),
        JY_NO_DATA);
    assert_non_null(strstr(err.message, "2027"));
    assert_int_equal(jy_calendar_working_days_between(cal, D(1, 1, 1), D(9999, 12, 31), &n, &err),
                     JY_NO_DATA);
    assert_int_equal(jy_calendar_working_days_between(cal, D(2025, 1, 1), D(2025, 2, 30), &n, &err),
                     JY_INVALID);
    assert_int_equal(n, 99);
}

/* ---- loading ---- */

#define HDR "date,kind,name\n"

/* Load `text`; expect `code` and `reason`, and the message to contain `needle`. The result
 * pointer must stay untouched. */
static void expect_load_error(const char *text, enum jy_err code, const char *reason,
                              const char *field, const char *needle)
{
    struct jy_calendar *sentinel = (struct jy_calendar *)&sentinel, *cal = sentinel;
    struct jy_error err;
    enum jy_err rc = jy_calendar_load_csv(text, strlen(text), &cal, &err);
    if (rc != code || strcmp(err.reason, reason) != 0 || !strstr(err.message, needle))
        fail_msg("for %s\n got %d %s: %s", text, rc, err.reason, err.message);
    assert_ptr_equal(cal, sentinel);
    if (field)
        assert_string_equal(err.field, field);
}

static void test_load_errors(void **state)
{
    (void)state;
    expect_load_error("", JY_INVALID, "bad_header", NULL, "line 1");
    expect_load_error("\n\n", JY_INVALID, "bad_header", NULL, "line 1");
    expect_load_error("2025-01-01,year,2025\n", JY_INVALID, "bad_header", NULL, "line 1");
    expect_load_error("date,kind\n", JY_INVALID, "bad_header", NULL, "line 1");
    expect_load_error("\n\ndate,kind,nom\n", JY_INVALID, "bad_header", NULL, "line 3");

    expect_load_error(HDR "2025-01-01,year,2025\n2025-02-30,off,春节\n", JY_INVALID, "bad_date",
                      "date", "line 3, field date: '2025-02-30'");
    expect_load_error(HDR "2025-01-01,year,2025\n2025/02/03,off,春节\n", JY_INVALID, "bad_date",
                      "date", "line 3");
    expect_load_error(HDR "2025-01-01,year,2025\n\xff\xfe,off,春节\n", JY_INVALID, "bad_date",
                      "date", "'\\xff\\xfe'");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-02-03,holiday,春节\n", JY_INVALID,
                      "unknown_kind", "kind", "line 3, field kind: unknown kind 'holiday'");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-02-03,OFF,春节\n", JY_INVALID, "unknown_kind",
                      "kind", "line 3");
    /* 2025-01-27 is a Monday. */
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-26,work,春节\n2025-01-27,work,春节\n",
                      JY_INVALID, "work_on_weekday", "kind", "line 4");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,春节\n2025-01-28,off,春节\n",
                      JY_INVALID, "duplicate_date", "date",
                      "line 4, field date: 2025-01-28 is "
                      "already listed as off on line 3");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-26,work,春节\n\n2025-01-26,off,春节\n",
                      JY_INVALID, "conflicting_date", "date", "line 5");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,春节\n2026-01-01,off,元旦\n",
                      JY_INVALID, "year_not_declared", "date", "line 4");
    expect_load_error(HDR "2026-01-01,off,元旦\n2025-01-01,year,2025\n", JY_INVALID,
                      "year_not_declared", "date", "line 2");
    expect_load_error(HDR "1989-10-01,off,x\n", JY_RANGE, "year_out_of_range", "date", "line 2");
    expect_load_error(HDR "2200-01-01,year,2200\n", JY_RANGE, "year_out_of_range", "date",
                      "line 2");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off\n", JY_INVALID, "bad_field_count",
                      NULL, "line 3: expected 3 fields");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,春节,x\n", JY_INVALID,
                      "bad_field_count", NULL, "found 4");
    expect_load_error(HDR "2025-02-01,year,2025\n", JY_INVALID, "bad_year_row", "date", "line 2");
    expect_load_error(HDR "2025-01-01,year,2026\n", JY_INVALID, "bad_year_row", "name", "line 2");
    expect_load_error(HDR "2025-01-01,year,\n", JY_INVALID, "bad_year_row", "name", "line 2");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-01,year,2025\n", JY_INVALID,
                      "duplicate_year", "kind", "line 3");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,\n", JY_INVALID, "bad_name", "name",
                      "line 3");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,\xe6\x98\n", JY_INVALID, "bad_name",
                      "name", "line 3");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,\"a\tb\"\n", JY_INVALID, "bad_name",
                      "name", "line 3");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,"
                          "\"0123456789012345678901234567890123456789012345678901234567890123"
                          "4\"\n",
                      JY_INVALID, "bad_name", "name", "line 3");
    /* A quoted line break inside a field: the record is refused where it starts. */
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,\"春\n节\"\n", JY_INVALID,
                      "bad_name", "name", "line 3");
    /* Malformed CSV, and where. */
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,春\"节\n", JY_INVALID, "bad_csv",
                      NULL, "line 3");
    expect_load_error(HDR "2025-01-01,year,2025\n\n2025-01-28,off,\"春节\"x\n", JY_INVALID,
                      "bad_csv", NULL, "line 4");
    expect_load_error(HDR "2025-01-01,year,2025\n2025-01-28,off,\"春节\n", JY_INVALID, "bad_csv",
                      NULL, "line 3");
    /* Line numbers with CR LF and with lone CR line ends. */
    expect_load_error("date,kind,name\r\n\r\n2025-01-01,year,2025\r\n2025-13-01,off,x\r\n",
                      JY_INVALID, "bad_date", "date", "line 4");
    expect_load_error("date,kind,name\r2025-01-01,year,2025\r\r2025-13-01,off,x\r", JY_INVALID,
                      "bad_date", "date", "line 4");
}

static void test_load_limits(void **state)
{
    (void)state;
    struct jy_calendar *cal = NULL;
    struct jy_error err;

    /* Over the byte limit: refused before parsing. */
    char *big = calloc(1, JY_CALENDAR_MAX_BYTES + 1);
    assert_non_null(big);
    assert_int_equal(jy_calendar_load_csv(big, JY_CALENDAR_MAX_BYTES + 1, &cal, &err),
                     JY_TOO_LARGE);
    assert_string_equal(err.reason, "calendar_too_large");
    free(big);

    /* JY_CALENDAR_MAX_DAYS days load; one more does not. Years 2000-2019 are declared and every
     * day from 2000-01-01 on is listed off. */
    size_t cap = 200000, o = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    o += (size_t)snprintf(text + o, cap - o, HDR);
    for (int y = 2000; y < 2020; y++)
        o += (size_t)snprintf(text + o, cap - o, "%d-01-01,year,%d\n", y, y);
    int64_t first = jy_date_to_days(D(2000, 1, 1));
    for (int i = 0; i < JY_CALENDAR_MAX_DAYS; i++) {
        char ds[JY_DATE_TEXT_SIZE];
        o += (size_t)snprintf(text + o, cap - o, "%s,off,x\n",
                              jy_date_format(jy_date_from_days(first + i), ds));
    }
    assert_true(o < cap - 32);
    assert_int_equal(jy_calendar_load_csv(text, o, &cal, &err), JY_OK);
    bool w = true;
    assert_int_equal(jy_calendar_is_working_day(cal, D(2005, 3, 1), &w, &err), JY_OK);
    assert_false(w);
    jy_calendar_free(cal);
    cal = NULL;
    o += (size_t)snprintf(text + o, cap - o, "2019-12-31,off,x\n");
    assert_int_equal(jy_calendar_load_csv(text, o, &cal, &err), JY_TOO_LARGE);
    assert_string_equal(err.reason, "too_many_days");
    assert_null(cal);
    free(text);

    assert_int_equal(jy_calendar_load_csv(NULL, 5, &cal, &err), JY_INVALID);
    jy_calendar_free(NULL);
}

static void test_load_forms(void **state)
{
    (void)state;
    /* A byte order mark, CR LF line ends, blank lines, spaces around fields, quoted fields with
     * commas, rows out of order, no final line end: all accepted. */
    const char text[] = "\xEF\xBB\xBF"
                        "date,kind,name\r\n"
                        "\r\n"
                        "2026-10-01 , off , \"国庆节,中秋节\"\r\n"
                        "  2026-01-01,year,\"2026\"\r\n"
                        "2026-10-10,work,国庆节";
    struct jy_calendar *cal = NULL;
    struct jy_error err;
    assert_int_equal(jy_calendar_load_csv(text, sizeof(text) - 1, &cal, &err), JY_OK);
    assert_false(working(cal, D(2026, 10, 1))); /* listed off */
    assert_true(working(cal, D(2026, 10, 2)));  /* a Friday this small file does not list */
    assert_false(working(cal, D(2026, 10, 3))); /* a Saturday */
    assert_true(working(cal, D(2026, 10, 10))); /* listed work */
    jy_calendar_free(cal);

    /* A header alone: a calendar with no years; every question is JY_NO_DATA. */
    cal = NULL;
    assert_int_equal(jy_calendar_load_csv(HDR, strlen(HDR), &cal, &err), JY_OK);
    bool w;
    assert_int_equal(jy_calendar_is_working_day(cal, D(2025, 3, 3), &w, &err), JY_NO_DATA);
    jy_calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest real[] = {
        cmocka_unit_test(test_years_covered),
        cmocka_unit_test(test_every_holiday_day_is_off),
        cmocka_unit_test(test_every_makeup_day_is_working),
        cmocka_unit_test(test_whole_years),
        cmocka_unit_test(test_embedded_copy_is_the_file),
        cmocka_unit_test(test_due_2025),
        cmocka_unit_test(test_due_2026),
        cmocka_unit_test(test_due_long_and_zero),
        cmocka_unit_test(test_due_errors),
        cmocka_unit_test(test_is_working_day_errors),
        cmocka_unit_test(test_between),
    };
    const struct CMUnitTest loading[] = {
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_limits),
        cmocka_unit_test(test_load_forms),
    };
    int failed = cmocka_run_group_tests_name("real data", real, setup_real, teardown_real);
    failed += cmocka_run_group_tests_name("loading", loading, NULL, NULL);
    return failed;
}
