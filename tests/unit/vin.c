/*
 * Unit tests for src/core/vin.c: the published vectors, the check digit's error detection,
 * the domestic/imported rule, normalisation and length/charset edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/vin.h"
#include "limits.h"
#include "parse_checks.h"

static const char *const domestic_valid[] = {"LDC613P23A1305189", "LSJA24U62JG269225"};
static const char vin_chars[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

/* Transliterated value of a VIN character (the test's own table, ISO 3779). */
static int tv(char c)
{
    static const char *const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    static const int values[] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
                                 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9};
    if (c >= '0' && c <= '9')
        return c - '0';
    return values[strchr(letters, c) - letters];
}

static struct jy_vin ok(const char *s, bool check_ok)
{
    struct jy_vin v;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_vin_parse(s, strlen(s), &v, &err);
    if (e != JY_OK)
        fail_msg("'%s' refused: %s (%s)", s, err.reason, err.message);
    assert_int_equal(v.check_ok, check_ok);
    return v;
}

JY_TEST_BAD_PARSE(struct jy_vin, jy_vin_parse)

static void test_vectors(void **state)
{
    (void)state;
    struct jy_vin v = ok("1M8GDM9AXKP042788", true);
    assert_string_equal(v.vin, "1M8GDM9AXKP042788");
    assert_string_equal(v.wmi, "1M8");
    assert_false(v.domestic);

    v = ok("LDC613P23A1305189", true);
    assert_string_equal(v.wmi, "LDC");
    assert_true(v.domestic);
    v = ok("LSJA24U62JG269225", true);
    assert_string_equal(v.wmi, "LSJ");
    assert_true(v.domestic);
    v = ok("11111111111111111", true);
    assert_false(v.domestic);

    /* Imported VINs failing the check digit: accepted, flagged for a warning. */
    v = ok("1M8GDM9AYKP042788", false);
    assert_string_equal(v.vin, "1M8GDM9AYKP042788");
    v = ok("9BWZZZ377VT004251", false);
    assert_string_equal(v.wmi, "9BW");
    assert_false(v.domestic);

    struct jy_error err;
    assert_int_equal(jy_vin_parse("SALVO2AE4EH877322", 17, &v, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_character");
    assert_non_null(strstr(err.message, "letter O"));
    assert_non_null(strstr(err.message, "character 5"));
}

static void test_check_digit(void **state)
{
    (void)state;
    assert_int_equal(jy_vin_check_digit("1M8GDM9AXKP042788"), 'X');
    assert_int_equal(jy_vin_check_digit("1M8GDM9A?KP042788"), 'X'); /* position 9 is ignored */
    assert_int_equal(jy_vin_check_digit("LDC613P23A1305189"), '3');
    assert_int_equal(jy_vin_check_digit("LSJA24U62JG269225"), '2');
    assert_int_equal(jy_vin_check_digit("11111111111111111"), '1');
    assert_int_equal(jy_vin_check_digit("9BWZZZ377VT004251"), '2'); /* position 9 holds 7 */
    assert_int_equal(jy_vin_check_digit("00000000000000000"), '0');
    /* Characters outside the VIN alphabet (lower case, I, O, Q) give 0. */
    assert_int_equal(jy_vin_check_digit("ldc613P23A1305189"), 0);
    assert_int_equal(jy_vin_check_digit("LDC6I3P23A1305189"), 0);
    assert_int_equal(jy_vin_check_digit("LDC613P23A13051Q9"), 0);
    assert_int_equal(jy_vin_check_digit("LDC613P23A130518\0"), 0);
}

/* Every change of position 9 of a domestic VIN, to any other VIN character, is refused. */
static void test_domestic_position9(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(domestic_valid) / sizeof(domestic_valid[0]); k++) {
        int tried = 0;
        for (const char *c = vin_chars; *c; c++) {
            char s[18];
            memcpy(s, domestic_valid[k], 18);
            if (s[8] == *c)
                continue;
            s[8] = *c;
            bad(s, "bad_check_digit");
            tried++;
        }
        assert_int_equal(tried, (int)strlen(vin_chars) - 1);
    }
    /* The same changes to an imported VIN are accepted, with check_ok false. */
    char s[18] = "1M8GDM9AXKP042788";
    for (const char *c = vin_chars; *c; c++) {
        s[8] = *c;
        ok(s, *c == 'X');
    }
}

/* A substitution elsewhere changes the weighted sum by (v' - v) * w with 1 <= w <= 10 and
 * |v' - v| <= 9, which 11 (prime) never divides: every substitution that changes the
 * transliterated value is caught. Characters sharing a value (A and J, B K S, …) are
 * interchangeable by design and NOT caught; that is tested too. */
static void test_domestic_substitutions(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(domestic_valid) / sizeof(domestic_valid[0]); k++) {
        int caught = 0, same_value = 0;
        for (int pos = 0; pos < 17; pos++) {
            if (pos == 8)
                continue;
            for (const char *c = vin_chars; *c; c++) {
                char s[18];
                memcpy(s, domestic_valid[k], 18);
                if (s[pos] == *c)
                    continue;
                bool same = tv(s[pos]) == tv(*c);
                s[pos] = *c;
                if (pos == 0 && *c != 'L') {
                    /* No longer domestic: accepted, flagged unless the value is the same. */
                    ok(s, same);
                    continue;
                }
                if (same) {
                    ok(s, true);
                    same_value++;
                } else {
                    bad(s, "bad_check_digit");
                    caught++;
                }
            }
        }
        assert_true(caught > 400);
        assert_true(same_value > 0);
    }
}

/* Swapping positions i and i+1 changes the sum by (a - b) * (w_i - w_{i+1}); neighbouring
 * weights differ by 1 to 8 away from position 9, so every swap of two characters with
 * different values is caught. Swaps involving position 9 (weight 0, and the check digit
 * itself) are not guaranteed and not tested. */
static void test_domestic_transpositions(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(domestic_valid) / sizeof(domestic_valid[0]); k++) {
        int caught = 0;
        for (int pos = 1; pos < 16; pos++) { /* keep position 1 = L */
            if (pos == 7 || pos == 8)
                continue;
            char s[18];
            memcpy(s, domestic_valid[k], 18);
            if (tv(s[pos]) == tv(s[pos + 1]))
                continue;
            char t = s[pos];
            s[pos] = s[pos + 1];
            s[pos + 1] = t;
            bad(s, "bad_check_digit");
            caught++;
        }
        assert_true(caught >= 10);
    }
}

static void test_normalisation(void **state)
{
    (void)state;
    struct jy_vin v = ok("  ldc613p23a1305189 ", true);
    assert_string_equal(v.vin, "LDC613P23A1305189");
    assert_string_equal(v.wmi, "LDC");
    assert_true(v.domestic);
    v = ok("1m8gdm9axkp042788", true);
    assert_string_equal(v.vin, "1M8GDM9AXKP042788");
    /* A lower-case domestic VIN is still domestic. */
    bad("lDC613P23A1305188", "bad_check_digit");

    /* Full-width: ＬＳＪＡ２４Ｕ６２ＪＧ２６９２２５, and full-width lower case. */
    v = ok("\xef\xbc\xac\xef\xbc\xb3\xef\xbc\xaa\xef\xbc\xa1\xef\xbc\x92\xef\xbc\x94"
           "\xef\xbc\xb5\xef\xbc\x96\xef\xbc\x92\xef\xbc\xaa\xef\xbc\xa7\xef\xbc\x92"
           "\xef\xbc\x96\xef\xbc\x99\xef\xbc\x92\xef\xbc\x92\xef\xbc\x95",
           true);
    assert_string_equal(v.vin, "LSJA24U62JG269225");
    v = ok("\xef\xbd\x8c"
           "sja24u62jg269225",
           true); /* ｌ */
    assert_string_equal(v.vin, "LSJA24U62JG269225");

    /* Surrounding white space; single spaces between groups. */
    v = ok("\tLSJA24U62JG269225\r\n", true);
    assert_string_equal(v.vin, "LSJA24U62JG269225");
    v = ok("LSJ A24U62 JG269225", true);
    assert_string_equal(v.vin, "LSJA24U62JG269225");
    v = ok("\xe3\x80\x80LSJA24U6\xe3\x80\x80"
           "2JG269225",
           true);
    assert_string_equal(v.vin, "LSJA24U62JG269225");
    bad("LSJ  A24U62JG269225", "bad_character");
    bad("LSJ\t24U62JG269225", "bad_character");
}

static void test_edges(void **state)
{
    (void)state;
    bad("", "bad_length");
    bad("LDC613P23A130518", "bad_length");
    bad("LDC613P23A13051899", "bad_length");
    bad("LDC613P2 A1305189", "bad_length");               /* the space is dropped: 16 left */
    bad("LDC613P23A13051\xe4\xb8\xad", "bad_length");     /* 16 characters, 18 bytes */
    bad("LDC613P23A130518\xe4\xb8\xad", "bad_character"); /* 17 characters */
    bad("LDC613P23A13051\xff", "bad_character");          /* not a length error */
    bad("LDC613P2-A1305189", "bad_character");
    bad("LDC613P23A130518\xc3", "bad_character");
    bad_n("LDC613P23A13\0"
          "5189",
          17, JY_INVALID, "bad_character");
    struct jy_error err;
    struct jy_vin v;
    for (const char *c = "IOQioq"; *c; c++) {
        char s[18] = "LDC613P23A1305189";
        s[3] = *c;
        assert_int_equal(jy_vin_parse(s, 17, &v, &err), JY_INVALID);
        assert_string_equal(err.reason, "bad_character");
        char letter[12] = "letter ";
        letter[7] = (char)(*c & ~0x20);
        assert_non_null(strstr(err.message, letter));
    }
    assert_int_equal(jy_vin_parse(NULL, 0, &v, NULL), JY_INVALID);

    /* No overread: every prefix of a valid VIN in an exactly sized heap block. */
    for (size_t len = 0; len <= 17; len++) {
        char *buf = malloc(len ? len : 1);
        assert_non_null(buf);
        memcpy(buf, "LSJA24U62JG269225", len);
        assert_int_equal(jy_vin_parse(buf, len, &v, NULL), len == 17 ? JY_OK : JY_INVALID);
        free(buf);
    }

    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    memcpy(big, "LSJA24U62JG269225", 17);
    assert_int_equal(jy_vin_parse(big, JY_IDENT_MAX_BYTES, &v, NULL), JY_OK);
    bad_n(big, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_domestic_position9),
        cmocka_unit_test(test_domestic_substitutions),
        cmocka_unit_test(test_domestic_transpositions),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
