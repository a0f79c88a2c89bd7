/*
 * Unit tests for src/core/timestamp.c: RFC 3339 times to and from UTC seconds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/timestamp.h"

static void test_format_parse(void **state)
{
    (void)state;
    struct jy_error err;
    int64_t t = 0;
    char buf[JY_TIMESTAMP_TEXT_SIZE];
    assert_string_equal(jy_timestamp_format(0, buf), "1970-01-01T00:00:00Z");
    assert_string_equal(jy_timestamp_format(1795944965, buf), "2026-11-29T09:36:05Z");
    assert_string_equal(jy_timestamp_format(-1, buf), "1969-12-31T23:59:59Z");
    assert_string_equal(jy_timestamp_format(INT64_MAX, buf), "9999-12-31T23:59:59Z");
    assert_string_equal(jy_timestamp_format(INT64_MIN, buf), "0001-01-01T00:00:00Z");
    static const struct {
        const char *text;
        int64_t t;
    } good[] = {
        {"2026-11-29T09:36:05Z", 1795944965},           {"2026-11-29T17:36:05+08:00", 1795944965},
        {"2026-11-29 17:36:05.999+08:00", 1795944965},  {"  2026-11-29t09:36:05z ", 1795944965},
        {"2026-11-29T04:36:05-05:00", 1795944965},      {"1970-01-01T00:00:00Z", 0},
        {"2024-02-29T23:59:59.123456789Z", 1709251199},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        if (jy_timestamp_parse(good[i].text, strlen(good[i].text), &t, &err) != JY_OK)
            fail_msg("%s: %s", good[i].text, err.message);
        assert_int_equal(t, good[i].t);
    }
    static const struct {
        const char *text, *reason;
    } bad[] = {
        {"2026-11-29T09:36:05", "missing_zone"},
        {"2026-11-29", "bad_timestamp"},
        {"2026-11-29T24:00:00Z", "bad_timestamp"},
        {"2026-11-29T23:59:60Z", "bad_timestamp"},
        {"2025-02-29T00:00:00Z", "bad_timestamp"},
        {"2026-11-29T09:36:05+0800", "bad_timestamp"},
        {"2026-11-29T09:36:05+24:00", "bad_timestamp"},
        {"2026-11-29T09:36:05.Z", "bad_timestamp"},
        {"2026-11-29T09:36:05.1234567890Z", "bad_timestamp"},
        {"2026-11-29T09:36:05Zjunk", "bad_timestamp"},
        {"26-11-29T09:36:05Z", "bad_timestamp"},
        {"0000-01-01T00:00:00Z", "bad_timestamp"},
        {"", "bad_timestamp"},
    };
    t = 42;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (jy_timestamp_parse(bad[i].text, strlen(bad[i].text), &t, &err) == JY_OK)
            fail_msg("accepted %s", bad[i].text);
        assert_string_equal(err.reason, bad[i].reason);
        assert_int_equal(t, 42);
    }
    /* 0001-01-01 minus an hour is out of range; 9999-12-31T23:59:59-01:00 too. */
    assert_int_equal(jy_timestamp_parse("0001-01-01T00:00:00+01:00", 25, &t, &err), JY_RANGE);
    assert_int_equal(jy_timestamp_parse("9999-12-31T23:59:59-01:00", 25, &t, &err), JY_RANGE);
    char big[80];
    memset(big, '1', sizeof(big));
    assert_int_equal(jy_timestamp_parse(big, sizeof(big), &t, &err), JY_TOO_LONG);
    assert_int_equal(jy_timestamp_parse(NULL, 0, &t, &err), JY_INVALID);
    /* Every second of a day round-trips through text, in steps. */
    for (int64_t s = -86400 * 400; s < 86400 * 400; s += 7919) {
        int64_t back;
        jy_timestamp_format(1795944965 + s, buf);
        assert_int_equal(jy_timestamp_parse(buf, strlen(buf), &back, &err), JY_OK);
        assert_int_equal(back, 1795944965 + s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
