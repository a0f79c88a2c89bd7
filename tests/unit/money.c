/*
 * Unit tests for src/core/money.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/money.h"
#include "limits.h"

static void check_format(int64_t fen, const char *display, const char *yuan)
{
    char buf[JY_MONEY_TEXT_SIZE];
    memset(buf, 'x', sizeof(buf));
    jy_money_format(fen, buf);
    assert_string_equal(buf, display);
    memset(buf, 'x', sizeof(buf));
    jy_money_format_yuan(fen, buf);
    assert_string_equal(buf, yuan);
}

static void test_format(void **state)
{
    (void)state;
    check_format(1234, "¥12.34", "12.34");
    check_format(-5, "-¥0.05", "-0.05");
    check_format(0, "¥0.00", "0.00");
    check_format(1, "¥0.01", "0.01");
    check_format(10, "¥0.10", "0.10");
    check_format(100, "¥1.00", "1.00");
    check_format(-100, "-¥1.00", "-1.00");
    check_format(20000, "¥200.00", "200.00");
    check_format(123456789, "¥1234567.89", "1234567.89");
    check_format(INT64_MAX, "¥92233720368547758.07", "92233720368547758.07");
    check_format(INT64_MIN, "-¥92233720368547758.08", "-92233720368547758.08");
    /* The yuan sign is U+00A5, two bytes. */
    char buf[JY_MONEY_TEXT_SIZE];
    jy_money_format(0, buf);
    assert_int_equal((unsigned char)buf[0], 0xC2);
    assert_int_equal((unsigned char)buf[1], 0xA5);
    assert_true(strlen("-¥92233720368547758.08") < JY_MONEY_TEXT_SIZE);
}

static int64_t parse_ok(const char *s)
{
    int64_t v = 7777;
    struct jy_error err;
    enum jy_err rc = jy_money_parse_yuan(s, strlen(s), &v, &err);
    if (rc != JY_OK)
        fail_msg("'%s': %s", s, err.message);
    return v;
}

static void parse_bad(const char *s, size_t len, enum jy_err code, const char *reason)
{
    int64_t v = 7777;
    struct jy_error err;
    enum jy_err rc = jy_money_parse_yuan(s, len, &v, &err);
    if (rc != code || strcmp(err.reason, reason) != 0)
        fail_msg("'%.*s': got %d %s, want %d %s", (int)len, s, rc, err.reason, code, reason);
    assert_int_equal(v, 7777);
}

#define BAD(s, code, reason) parse_bad((s), strlen(s), (code), (reason))

static void test_parse(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("12"), 1200);
    assert_int_equal(parse_ok("12.3"), 1230);
    assert_int_equal(parse_ok("12.34"), 1234);
    assert_int_equal(parse_ok("0"), 0);
    assert_int_equal(parse_ok("0.05"), 5);
    assert_int_equal(parse_ok("-0.05"), -5);
    assert_int_equal(parse_ok("-0"), 0);
    assert_int_equal(parse_ok("200"), 20000);
    assert_int_equal(parse_ok("  12.34 "), 1234);
    assert_int_equal(parse_ok("007.5"), 750);
    assert_int_equal(parse_ok("92233720368547758.07"), INT64_MAX);
    assert_int_equal(parse_ok("-92233720368547758.08"), INT64_MIN);

    BAD("", JY_INVALID, "empty");
    BAD("   ", JY_INVALID, "empty");
    BAD("12.345", JY_INVALID, "too_many_decimals");
    BAD("12.340", JY_INVALID, "too_many_decimals"); /* never silently dropped */
    BAD("0.001", JY_INVALID, "too_many_decimals");
    BAD("12.", JY_INVALID, "bad_character");
    BAD(".5", JY_INVALID, "bad_character");
    BAD("-", JY_INVALID, "bad_character");
    BAD("+12", JY_INVALID, "bad_character");
    BAD("1,234.00", JY_INVALID, "bad_character");
    BAD("¥12", JY_INVALID, "bad_character");
    BAD("12 .34", JY_INVALID, "bad_character");
    BAD("12.3a", JY_INVALID, "bad_character");
    BAD("12.345a", JY_INVALID, "bad_character");
    BAD("1e3", JY_INVALID, "bad_character");
    BAD("--1", JY_INVALID, "bad_character");
    BAD("92233720368547758.08", JY_RANGE, "overflow");
    BAD("-92233720368547758.09", JY_RANGE, "overflow");
    BAD("92233720368547759", JY_RANGE, "overflow");
    BAD("99999999999999999999999999999", JY_RANGE, "overflow");
    parse_bad("12\0", 3, JY_INVALID, "bad_character");
    char long_input[JY_IDENT_MAX_BYTES + 2];
    memset(long_input, '1', sizeof(long_input));
    parse_bad(long_input, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
    /* Leading zeros up to the length limit are fine. */
    memset(long_input, '0', sizeof(long_input));
    long_input[JY_IDENT_MAX_BYTES - 1] = '9';
    int64_t v = 0;
    assert_int_equal(jy_money_parse_yuan(long_input, JY_IDENT_MAX_BYTES, &v, NULL), JY_OK);
    assert_int_equal(v, 900);
}

static void test_roundtrip(void **state)
{
    (void)state;
    const int64_t values[] = {0,     1,   -1,       99,        100,       -100,
                              12345, -12, 20000000, INT64_MAX, INT64_MIN, INT64_MAX - 1};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char buf[JY_MONEY_TEXT_SIZE];
        jy_money_format_yuan(values[i], buf);
        assert_int_equal(parse_ok(buf), values[i]);
    }
    for (int64_t f = -100000; f <= 100000; f += 7) {
        char buf[JY_MONEY_TEXT_SIZE];
        jy_money_format_yuan(f, buf);
        assert_int_equal(parse_ok(buf), f);
    }
}

static void test_add(void **state)
{
    (void)state;
    int64_t r = 7;
    assert_int_equal(jy_money_add(1234, 5, &r), JY_OK);
    assert_int_equal(r, 1239);
    assert_int_equal(jy_money_add(-5, 5, &r), JY_OK);
    assert_int_equal(r, 0);
    assert_int_equal(jy_money_add(INT64_MAX, -1, &r), JY_OK);
    assert_int_equal(r, INT64_MAX - 1);
    assert_int_equal(jy_money_add(INT64_MAX, INT64_MIN, &r), JY_OK);
    assert_int_equal(r, -1);
    r = 7;
    assert_int_equal(jy_money_add(INT64_MAX, 1, &r), JY_RANGE);
    assert_int_equal(jy_money_add(INT64_MIN, -1, &r), JY_RANGE);
    assert_int_equal(jy_money_add(INT64_MIN, INT64_MIN, &r), JY_RANGE);
    assert_int_equal(r, 7);
}

static void test_surcharge(void **state)
{
    (void)state;
    /* A 200-yuan fine (20000 fen). 10 days: 20000 × 3 × 10 / 100 = 6000 (¥60.00). */
    assert_int_equal(jy_money_fine_surcharge(20000, 10), 6000);
    /* 1 day: 600. 33 days: 99% = 19800. 34 days: 102% → capped at the fine, 20000. */
    assert_int_equal(jy_money_fine_surcharge(20000, 1), 600);
    assert_int_equal(jy_money_fine_surcharge(20000, 33), 19800);
    assert_int_equal(jy_money_fine_surcharge(20000, 34), 20000);
    assert_int_equal(jy_money_fine_surcharge(20000, 1000), 20000);
    assert_int_equal(jy_money_fine_surcharge(20000, INT32_MAX), 20000);
    /* 1 fen, 1 day: 0.03 fen rounds to 0. 17 fen, 1 day: 0.51 → 1. 50 fen, 1 day: 1.5 → 2 (half
     * up). 49 fen, 1 day: 1.47 → 1. */
    assert_int_equal(jy_money_fine_surcharge(1, 1), 0);
    assert_int_equal(jy_money_fine_surcharge(17, 1), 1);
    assert_int_equal(jy_money_fine_surcharge(50, 1), 2);
    assert_int_equal(jy_money_fine_surcharge(49, 1), 1);
    /* 1 fen after 17 days: 0.51 → 1 = the fine; after 33 days 0.99 → 1; never above 1. */
    assert_int_equal(jy_money_fine_surcharge(1, 16), 0); /* 0.48 */
    assert_int_equal(jy_money_fine_surcharge(1, 17), 1);
    assert_int_equal(jy_money_fine_surcharge(1, 33), 1);
    /* A 50-yuan fine (5000 fen), 15 days: 45% = 2250. A 2000-yuan fine, 20 days: 60% = 120000. */
    assert_int_equal(jy_money_fine_surcharge(5000, 15), 2250);
    assert_int_equal(jy_money_fine_surcharge(200000, 20), 120000);
    /* 1234 fen × 7 days: 1234 × 21 / 100 = 259.14 → 259. 1235 × 7: 259.35 → 259. 1250 × 7:
     * 262.5 → 263. */
    assert_int_equal(jy_money_fine_surcharge(1234, 7), 259);
    assert_int_equal(jy_money_fine_surcharge(1235, 7), 259);
    assert_int_equal(jy_money_fine_surcharge(1250, 7), 263);
    /* Nothing owed. */
    assert_int_equal(jy_money_fine_surcharge(20000, 0), 0);
    assert_int_equal(jy_money_fine_surcharge(20000, -5), 0);
    assert_int_equal(jy_money_fine_surcharge(20000, INT32_MIN), 0);
    assert_int_equal(jy_money_fine_surcharge(0, 10), 0);
    assert_int_equal(jy_money_fine_surcharge(-100, 10), 0);
    assert_int_equal(jy_money_fine_surcharge(INT64_MIN, 10), 0);
    /* No overflow at the top: INT64_MAX × 99 / 100, computed exactly.
     * INT64_MAX = 9223372036854775807 = 92233720368547758 × 100 + 7;
     * 92233720368547758 × 99 = 9131138316486228042; 7 × 99 = 693 → 6.93 → 7;
     * total 9131138316486228049. */
    assert_int_equal(jy_money_fine_surcharge(INT64_MAX, 33), INT64_C(9131138316486228049));
    assert_int_equal(jy_money_fine_surcharge(INT64_MAX, 34), INT64_MAX);
    assert_int_equal(jy_money_fine_surcharge(INT64_MAX, INT32_MAX), INT64_MAX);
    /* Against the direct formula wherever the direct product fits. */
    for (int64_t fine = 0; fine <= 30000; fine += 13)
        for (int days = 0; days <= 40; days++) {
            int64_t exact = (fine * 3 * days + 50) / 100;
            int64_t want = exact < fine ? exact : fine;
            assert_int_equal(jy_money_fine_surcharge(fine, days), want);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),    cmocka_unit_test(test_parse),
        cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_add),
        cmocka_unit_test(test_surcharge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
