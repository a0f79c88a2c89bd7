/*
 * Unit tests for src/core/date.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

static struct jy_date D(int y, int m, int d) {
    return (struct jy_date){y, m, d};
}

static void
test_days_roundtrip(void **state)
{
    (void)state;
    assert_int_equal(jy_date_to_days(D(1970, 1, 1)), 0);
    assert_int_equal(jy_date_to_days(D(2000, 3, 1)), 11017);
    assert_int_equal(jy_date_to_days(D(1969, 12, 31)), -1);
    for (int64_t n = -700000; n < 2900000; n += 97) {
        struct jy_date d = jy_date_from_days(n);
        assert_true(jy_date_is_valid(d));
        assert_int_equal(jy_date_to_days(d), n);
    }
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(jy_date_weekday(D(1970, 1, 1)), 4);   /* Thursday */
    assert_int_equal(jy_date_weekday(D(2026, 11, 29)), 7); /* Sunday */
    assert_int_equal(jy_date_weekday(D(2025, 1, 26)), 7);  /* a make-up Sunday */
    assert_int_equal(jy_date_weekday(D(2026, 2, 14)), 6);  /* a make-up Saturday */
    assert_int_equal(jy_date_weekday(D(1949, 12, 31)), 6);
}

static void test_validity(void **state)
{
    (void)state;
    assert_true(jy_date_is_valid(D(2024, 2, 29)));
    assert_false(jy_date_is_valid(D(2025, 2, 29)));
    assert_true(jy_date_is_valid(D(2000, 2, 29)));
    assert_false(jy_date_is_valid(D(1900, 2, 29)));
    assert_false(jy_date_is_valid(D(2025, 13, 1)));
    assert_false(jy_date_is_valid(D(2025, 0, 1)));
    assert_false(jy_date_is_valid(D(2025, 4, 31)));
    assert_false(jy_date_is_valid(D(2025, 1, 0)));
}

static void test_parse_format(void **state)
{
    (void)state;
    struct jy_date d = D(1, 1, 1);
    struct jy_error err;
    assert_int_equal(jy_date_parse("2026-02-28", 10, &d, &err), JY_OK);
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 28);
    char buf[JY_DATE_TEXT_SIZE];
    assert_string_equal(jy_date_format(d, buf), "2026-02-28");

    struct jy_date untouched = D(7, 7, 7);
    assert_int_equal(jy_date_parse("2026-02-29", 10, &untouched, &err), JY_INVALID);
    assert_string_equal(err.reason, "no_such_date");
    assert_int_equal(untouched.year, 7);
    assert_int_equal(jy_date_parse("2026-2-28", 9, &untouched, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_date_format");
    assert_int_equal(jy_date_parse("2026/02/28", 10, &untouched, &err), JY_INVALID);
    assert_int_equal(jy_date_parse("2026-0a-28", 10, &untouched, &err), JY_INVALID);
    assert_int_equal(jy_date_parse("2026-13-01", 10, &untouched, &err), JY_INVALID);
}

static void test_shanghai(void **state)
{
    (void)state;
    /* 2026-11-28T16:00:00Z is 2026-11-29 00:00 in Shanghai. */
    struct jy_date d = jy_date_from_unix_shanghai(1795881600);
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 11);
    assert_int_equal(d.day, 29);
    d = jy_date_from_unix_shanghai(1795881600 - 1);
    assert_int_equal(d.day, 28);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_roundtrip), cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_validity),       cmocka_unit_test(test_parse_format),
        cmocka_unit_test(test_shanghai),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
