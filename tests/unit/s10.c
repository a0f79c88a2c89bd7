/*
 * Unit tests for src/core/s10.c: the published vectors, what the S10 check digit does and does
 * not catch, parsing edges (folding, spaces, UTF-8), the country table, formatting and serial
 * blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/s10.h"
#include "limits.h"
#include "parse_checks.h"

static const int weights[8] = {8, 6, 4, 2, 3, 5, 9, 7};

/* The weighted sum of an 8-digit serial mod 11 (the test's own computation). */
static int remainder11(const int d[8])
{
    int s = 0;
    for (int i = 0; i < 8; i++)
        s += d[i] * weights[i];
    return s % 11;
}

static uint32_t serial_of(const int d[8])
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 10 + (uint32_t)d[i];
    return v;
}

static void digits_of(uint32_t v, int d[8])
{
    for (int i = 7; i >= 0; i--) {
        d[i] = (int)(v % 10);
        v /= 10;
    }
}

/* Remainders 0 and 6 both map to check digit 5: the one blind spot of the scheme. */
static bool blind_pair(int r1, int r2)
{
    return (r1 == 0 && r2 == 6) || (r1 == 6 && r2 == 0);
}

static struct jy_s10 ok(const char *s, const char *number)
{
    struct jy_s10 v;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_s10_parse(s, strlen(s), &v, &err);
    if (e != JY_OK)
        fail_msg("'%s' refused: %s (%s)", s, err.reason, err.message);
    assert_string_equal(v.number, number);
    return v;
}

JY_TEST_BAD_PARSE(struct jy_s10, jy_s10_parse)

static void test_vectors(void **state)
{
    (void)state;
    bad("EA123456789CN", "bad_check_digit");
    struct jy_s10 v = ok("EA123456785CN", "EA123456785CN");
    assert_string_equal(v.service, "EA");
    assert_int_equal(v.serial, 12345678);
    assert_int_equal(v.check, 5);
    assert_string_equal(v.country, "CN");
    assert_true(v.ems);
    assert_int_equal(jy_s10_check_digit(0), 5);
    assert_int_equal(jy_s10_check_digit(12345678), 5);
    v = ok("EA000000005CN", "EA000000005CN");
    assert_int_equal(v.serial, 0);
    assert_int_equal(v.check, 5);
}

static void test_check_digit_values(void **state)
{
    (void)state;
    /* Hand-computed: 1*7 = 7 → 11-7 = 4. */
    assert_int_equal(jy_s10_check_digit(1), 4);
    /* 9*8+9*6+9*4+9*2+9*3+9*5+9*9+9*7 = 396 = 36*11 → remainder 0 → 11 → 5. */
    assert_int_equal(jy_s10_check_digit(99999999), 5);
    /* 1*8 = 8 → 3. */
    assert_int_equal(jy_s10_check_digit(10000000), 3);
    /* Remainder 1 → 10 → 0: 2*6 = 12 ≡ 1. */
    assert_int_equal(jy_s10_check_digit(2000000), 0);
    assert_int_equal(jy_s10_check_digit(100000000), -1);
    assert_int_equal(jy_s10_check_digit(UINT32_MAX), -1);
    /* Agreement with the test's own computation over a spread of serials. */
    for (uint32_t s = 0; s <= JY_S10_SERIAL_MAX; s += 9973) {
        int d[8];
        digits_of(s, d);
        int c = 11 - remainder11(d);
        c = c == 10 ? 0 : c == 11 ? 5 : c;
        assert_int_equal(jy_s10_check_digit(s), c);
    }
}

/* Every change of the check digit of a valid number is refused. */
static void test_check_digit_changes(void **state)
{
    (void)state;
    const char *valid[] = {"EA123456785CN", "EA000000005CN", "RR987654326CN", "CP000000014DE"};
    for (size_t k = 0; k < sizeof(valid) / sizeof(valid[0]); k++) {
        ok(valid[k], valid[k]);
        for (char c = '0'; c <= '9'; c++) {
            char s[14];
            memcpy(s, valid[k], 14);
            if (s[10] == c)
                continue;
            s[10] = c;
            bad(s, "bad_check_digit");
        }
    }
}

/* The weights 8 6 4 2 3 5 9 7 are each coprime to 11, so changing one digit by 1..9 always
 * changes the weighted sum mod 11. The final mapping, however, sends remainders 0 and 6 both
 * to check digit 5, so a substitution moving the sum between those two remainders is NOT
 * caught. Tested exhaustively over every position and digit for a spread of serials: the
 * remainder always changes, and the check digit changes except on that blind pair. */
static void test_serial_substitutions(void **state)
{
    (void)state;
    long caught = 0, blind = 0;
    for (uint32_t s = 0; s <= JY_S10_SERIAL_MAX; s += 104729) {
        int d[8];
        digits_of(s, d);
        int r = remainder11(d);
        int c = jy_s10_check_digit(s);
        for (int pos = 0; pos < 8; pos++) {
            int orig = d[pos];
            for (int x = 0; x <= 9; x++) {
                if (x == orig)
                    continue;
                d[pos] = x;
                int r2 = remainder11(d);
                assert_int_not_equal(r2, r);
                int c2 = jy_s10_check_digit(serial_of(d));
                if (blind_pair(r, r2)) {
                    assert_int_equal(c2, c);
                    blind++;
                } else {
                    assert_int_not_equal(c2, c);
                    caught++;
                }
            }
            d[pos] = orig;
        }
    }
    assert_true(caught > 0);
    assert_true(blind > 0);
    /* The concrete counterexample: both numbers are valid and differ in one digit. */
    ok("EA000000005CN", "EA000000005CN");
    ok("EA900000005CN", "EA900000005CN");
}

/* Adjacent weights differ by 2, 2, 2, -1, -2, -4, 2: never 0 mod 11, so swapping two different
 * neighbouring digits always changes the remainder; the check digit changes except on the
 * same 0/6 blind pair. */
static void test_serial_transpositions(void **state)
{
    (void)state;
    long caught = 0, blind = 0;
    for (uint32_t s = 0; s <= JY_S10_SERIAL_MAX; s += 7919) {
        int d[8];
        digits_of(s, d);
        int r = remainder11(d);
        int c = jy_s10_check_digit(s);
        for (int pos = 0; pos < 7; pos++) {
            if (d[pos] == d[pos + 1])
                continue;
            int t = d[pos];
            d[pos] = d[pos + 1];
            d[pos + 1] = t;
            int r2 = remainder11(d);
            assert_int_not_equal(r2, r);
            int c2 = jy_s10_check_digit(serial_of(d));
            if (blind_pair(r, r2)) {
                assert_int_equal(c2, c);
                blind++;
            } else {
                assert_int_not_equal(c2, c);
                caught++;
            }
            d[pos + 1] = d[pos];
            d[pos] = t;
        }
    }
    assert_true(caught > 0);
    assert_true(blind > 0);
}

static void test_service(void **state)
{
    (void)state;
    struct jy_s10 v = ok("EZ123456785CN", "EZ123456785CN");
    assert_true(v.ems);
    v = ok("RR123456785CN", "RR123456785CN");
    assert_false(v.ems);
    v = ok("CP123456785CN", "CP123456785CN");
    assert_false(v.ems);
    v = ok("LE123456785CN", "LE123456785CN");
    assert_false(v.ems);
    for (char c = 'A'; c <= 'Z'; c++) {
        char j[14] = "JA123456785CN", k[14] = "KA123456785CN";
        j[1] = k[1] = c;
        bad(j, "reserved_service");
        bad(k, "reserved_service");
    }
    bad("ja123456785cn", "reserved_service");
}

static void test_parse_edges(void **state)
{
    (void)state;
    ok(" ea123456785cn  ", "EA123456785CN");
    ok("EA 123 456 785 CN", "EA123456785CN");
    ok("EA 123456785 CN", "EA123456785CN");
    ok("EA123 456785CN", "EA123456785CN");
    /* Single spaces between characters are dropped wherever they stand (the same rule as
     * for the other identifiers); two in a row, or other white space inside, are refused. */
    ok("E A123456785CN", "EA123456785CN");
    ok("EA1234 56785CN", "EA123456785CN");
    ok("EA\xe3\x80\x80"
       "123456785\xe3\x80\x80"
       "CN",
       "EA123456785CN");
    ok("\tEA123456785CN\r\n", "EA123456785CN");
    bad("EA  123 456 785 CN", "bad_character");
    bad("EA\t23456785CN", "bad_character");
    bad("EA 123 456 785 CN x", "bad_length");
    bad("EA 123 456 785 CN\xe3\x80\x80 x", "bad_character"); /* U+3000 and space: two */
    /* Full-width: ＥＡ１２３４５６７８５ＣＮ, and full-width lower case. */
    ok("\xef\xbc\xa5\xef\xbc\xa1\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95"
       "\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98\xef\xbc\x95\xef\xbc\xa3\xef\xbc\xae",
       "EA123456785CN");
    ok("\xef\xbd\x85\xef\xbd\x81"
       "123456785cn",
       "EA123456785CN");
    bad("", "bad_length");
    bad("EA12345678CN", "bad_length");
    bad("EA1234567855CN", "bad_length");
    bad("EA1234567X5CN", "bad_character");
    bad("EA12345678-CN", "bad_character");
    bad("1A123456785CN", "bad_character");
    bad("EA123456785C1", "bad_character");
    bad("EA123456785\xc3\x87N", "bad_character"); /* 13 characters, 14 bytes */
    bad("EA123456785\xc3", "bad_character");      /* invalid UTF-8, not a length error */
    bad("EA12345678\xe4\xb8\xad"
        "CN",
        "bad_character");
    bad("\xc3\x87"
        "A12345678CN",
        "bad_length"); /* 12 characters, 13 bytes */
    bad("\xc3\x87"
        "A123456785CN",
        "bad_character");
    bad_n("EA1234\0"
          "6785CN",
          13, JY_INVALID, "bad_character");
    struct jy_s10 v;
    assert_int_equal(jy_s10_parse(NULL, 0, &v, NULL), JY_INVALID);

    for (size_t len = 0; len <= 13; len++) {
        char *buf = malloc(len ? len : 1);
        assert_non_null(buf);
        memcpy(buf, "EA123456785CN", len);
        assert_int_equal(jy_s10_parse(buf, len, &v, NULL), len == 13 ? JY_OK : JY_INVALID);
        free(buf);
    }
    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    memcpy(big, "EA123456785CN", 13);
    assert_int_equal(jy_s10_parse(big, JY_IDENT_MAX_BYTES, &v, NULL), JY_OK);
    bad_n(big, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
}

/* The country is an assigned ISO 3166-1 alpha-2 code. */
static void test_country(void **state)
{
    (void)state;
    static const char *const known[] = {"AD", "CN", "DE", "GB", "HK", "MO", "TW",
                                        "US", "ZW", "SS", "BQ", "CW", "SX"};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        char s[14] = "EA123456785..";
        memcpy(s + 11, known[i], 2);
        struct jy_s10 v = ok(s, s);
        assert_string_equal(v.country, known[i]);
    }
    /* User-assigned, reserved, withdrawn and never-assigned codes. */
    static const char *const unknown[] = {"AA", "QM", "QZ", "XA", "XK", "XX", "ZZ", "UK",
                                          "EU", "AN", "YU", "CS", "SU", "ZR", "AB", "OO"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        char s[14] = "EA123456785..";
        memcpy(s + 11, unknown[i], 2);
        bad(s, "unknown_country");
    }
    ok("ea123456785cn", "EA123456785CN");

    /* Every pair of letters: exactly 249 are accepted. */
    int accepted = 0;
    for (char a = 'A'; a <= 'Z'; a++) {
        for (char b = 'A'; b <= 'Z'; b++) {
            char s[14] = "EA123456785..";
            s[11] = a;
            s[12] = b;
            struct jy_s10 v;
            struct jy_error err;
            enum jy_err rc = jy_s10_parse(s, 13, &v, &err);
            if (rc == JY_OK)
                accepted++;
            else
                assert_string_equal(err.reason, "unknown_country");
        }
    }
    assert_int_equal(accepted, 249);

    /* Formatting and serial blocks refuse an unknown country too. */
    char out[14] = "unchanged....";
    struct jy_error err;
    assert_int_equal(jy_s10_format("EA", 1, "XX", out, &err), JY_INVALID);
    assert_string_equal(err.reason, "unknown_country");
    assert_string_equal(out, "unchanged....");
    struct jy_s10_range r = {"EA", "UK", 0, 9, 0};
    assert_int_equal(jy_s10_range_next(&r, out, &err), JY_INVALID);
    assert_string_equal(err.reason, "unknown_country");
    assert_int_equal(r.next, 0);
}

static void test_format(void **state)
{
    (void)state;
    char out[14];
    struct jy_error err;
    assert_int_equal(jy_s10_format("EA", 12345678, "CN", out, &err), JY_OK);
    assert_string_equal(out, "EA123456785CN");
    assert_int_equal(jy_s10_format("ea", 0, "cn", out, &err), JY_OK);
    assert_string_equal(out, "EA000000005CN");
    assert_int_equal(jy_s10_format("RR", 99999999, "DE", out, &err), JY_OK);
    assert_string_equal(out, "RR999999995DE");

    /* Every formatted number parses back to itself. */
    for (uint32_t s = 0; s <= JY_S10_SERIAL_MAX; s += 999983) {
        struct jy_s10 v;
        assert_int_equal(jy_s10_format("EB", s, "CN", out, &err), JY_OK);
        assert_int_equal(jy_s10_parse(out, 13, &v, &err), JY_OK);
        assert_int_equal(v.serial, s);
        assert_string_equal(v.number, out);
    }

    char untouched[14] = "unchanged....";
    assert_int_equal(jy_s10_format("EA", 100000000, "CN", untouched, &err), JY_RANGE);
    assert_string_equal(err.reason, "serial_out_of_range");
    assert_int_equal(jy_s10_format("JA", 1, "CN", untouched, &err), JY_INVALID);
    assert_string_equal(err.reason, "reserved_service");
    assert_int_equal(jy_s10_format("E1", 1, "CN", untouched, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_character");
    assert_int_equal(jy_s10_format("EA", 1, "C\0", untouched, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_character");
    assert_string_equal(untouched, "unchanged....");
}

static void test_range(void **state)
{
    (void)state;
    struct jy_s10_range r = {"EA", "CN", 5, 7, 5};
    struct jy_error err;
    char out[14], seen[3][14];
    assert_int_equal(jy_s10_range_left(&r), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(jy_s10_range_next(&r, out, &err), JY_OK);
        memcpy(seen[i], out, 14);
        assert_int_equal(jy_s10_range_left(&r), 2 - i);
    }
    assert_string_equal(seen[0], "EA000000059CN");
    assert_string_equal(seen[1], "EA000000062CN");
    assert_string_equal(seen[2], "EA000000076CN");
    for (int i = 0; i < 3; i++) {
        struct jy_s10 v;
        assert_int_equal(jy_s10_parse(seen[i], 13, &v, &err), JY_OK);
        assert_int_equal(v.serial, 5u + (uint32_t)i);
    }
    /* Used up: refused, and nothing changes, however often it is asked. */
    char untouched[14] = "unchanged....";
    for (int i = 0; i < 3; i++) {
        assert_int_equal(jy_s10_range_next(&r, untouched, &err), JY_CONFLICT);
        assert_string_equal(err.reason, "range_exhausted");
        assert_int_equal(r.next, 8);
        assert_int_equal(jy_s10_range_left(&r), 0);
    }
    assert_string_equal(untouched, "unchanged....");

    /* The top of the serial space: the last serial is given once, and next cannot wrap. */
    struct jy_s10_range top = {"EA", "CN", JY_S10_SERIAL_MAX - 1, JY_S10_SERIAL_MAX,
                               JY_S10_SERIAL_MAX - 1};
    assert_int_equal(jy_s10_range_next(&top, out, &err), JY_OK);
    assert_int_equal(jy_s10_range_next(&top, out, &err), JY_OK);
    assert_string_equal(out, "EA999999995CN");
    assert_int_equal(jy_s10_range_next(&top, out, &err), JY_CONFLICT);
    assert_int_equal(top.next, JY_S10_SERIAL_MAX + 1);

    /* The whole space. */
    struct jy_s10_range whole = {"RR", "CN", 0, JY_S10_SERIAL_MAX, 0};
    assert_int_equal(jy_s10_range_left(&whole), JY_S10_SERIAL_MAX + 1);

    /* Malformed blocks. */
    struct jy_s10_range bad_ranges[] = {
        {"EA", "CN", 8, 7, 8},                     /* first > last */
        {"EA", "CN", 0, JY_S10_SERIAL_MAX + 1, 0}, /* last beyond 8 digits */
        {"EA", "CN", 5, 9, 4},                     /* next before first */
    };
    for (size_t i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
        struct jy_s10_range before = bad_ranges[i];
        assert_int_equal(jy_s10_range_next(&bad_ranges[i], out, &err), JY_INVALID);
        assert_string_equal(err.reason, "bad_range");
        assert_memory_equal(&before, &bad_ranges[i], sizeof(before));
        assert_int_equal(jy_s10_range_left(&bad_ranges[i]), 0);
    }
    assert_int_equal(jy_s10_range_next(NULL, out, &err), JY_INVALID);
    assert_int_equal(jy_s10_range_left(NULL), 0);

    /* A bad service is refused without advancing. */
    struct jy_s10_range ks = {"KA", "CN", 0, 9, 0};
    assert_int_equal(jy_s10_range_next(&ks, out, &err), JY_INVALID);
    assert_string_equal(err.reason, "reserved_service");
    assert_int_equal(ks.next, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_check_digit_values),
        cmocka_unit_test(test_check_digit_changes),
        cmocka_unit_test(test_serial_substitutions),
        cmocka_unit_test(test_serial_transpositions),
        cmocka_unit_test(test_service),
        cmocka_unit_test(test_parse_edges),
        cmocka_unit_test(test_country),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
