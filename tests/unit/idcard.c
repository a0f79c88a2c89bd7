/*
 * Unit tests for src/core/idcard.c: the vectors of GB 11643-1999 and python-stdnum, every single
 * substitution and adjacent transposition of the valid vectors, birth-date and province edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/idcard.h"
#include "limits.h"
#include "parse_checks.h"

/* The reference "today" of these tests. */
static const struct jy_date TODAY = {2026, 1, 1};

static const char *const VALID[] = {"11010519491231002X", "360426199101010071",
                                    "44011320141005001X"};

/* Parse NUL-terminated `s` and expect success. */
static struct jy_idcard parse_ok(const char *s)
{
    struct jy_idcard id;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_idcard_parse(s, strlen(s), TODAY, &id, &err);
    if (rc != JY_OK)
        print_error("%s: %s (%s)\n", s, err.reason, err.message);
    assert_int_equal(rc, JY_OK);
    return id;
}

/* Parse the `len` bytes at `s`, expect failure `code` with `reason`, and `*ret` untouched. */
static void expect_fail_n(const char *s, size_t len, struct jy_date today, enum jy_err code,
                          const char *reason)
{
    struct jy_idcard id, before;
    memset(&id, 0xA5, sizeof(id));
    memcpy(&before, &id, sizeof(id));
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_idcard_parse(s, len, today, &id, &err);
    if (rc != code || strcmp(err.reason, reason) != 0)
        print_error("%.*s: got %d %s, want %d %s\n", (int)len, s, rc, err.reason, code, reason);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.reason, reason);
    assert_true(err.message[0] != '\0');
    assert_memory_equal(&id, &before, sizeof(id));
    /* A NULL error record is allowed and gives the same result. */
    assert_int_equal(jy_idcard_parse(s, len, today, &id, NULL), code);
    assert_memory_equal(&id, &before, sizeof(id));
}

static void expect_fail(const char *s, const char *reason)
{
    expect_fail_n(s, strlen(s), TODAY, JY_INVALID, reason);
}

static void test_valid_vectors(void **state)
{
    (void)state;
    struct jy_idcard id = parse_ok("11010519491231002X"); /* GB 11643-1999 Appendix A */
    assert_string_equal(id.number, "11010519491231002X");
    assert_int_equal(id.birth.year, 1949);
    assert_int_equal(id.birth.month, 12);
    assert_int_equal(id.birth.day, 31);
    assert_int_equal(id.sex, 'F'); /* sequence 002 */
    assert_int_equal(id.province, 11);
    assert_false(id.from_legacy15);

    id = parse_ok("360426199101010071");
    assert_string_equal(id.number, "360426199101010071");
    assert_int_equal(id.birth.year, 1991);
    assert_int_equal(id.birth.month, 1);
    assert_int_equal(id.birth.day, 1);
    assert_int_equal(id.sex, 'M'); /* sequence 007 */
    assert_int_equal(id.province, 36);
    assert_false(id.from_legacy15);

    id = parse_ok("44011320141005001X");
    assert_string_equal(id.number, "44011320141005001X");
    assert_int_equal(id.birth.year, 2014);
    assert_int_equal(id.birth.month, 10);
    assert_int_equal(id.birth.day, 5);
    assert_int_equal(id.sex, 'M'); /* sequence 001 */
    assert_int_equal(id.province, 44);
}

static void test_legacy15(void **state)
{
    (void)state;
    struct jy_idcard id = parse_ok("110105491231002");
    assert_string_equal(id.number, "11010519491231002X");
    assert_true(id.from_legacy15);
    assert_int_equal(id.birth.year, 1949);
    assert_int_equal(id.birth.month, 12);
    assert_int_equal(id.birth.day, 31);
    assert_int_equal(id.sex, 'F');
    assert_int_equal(id.province, 11);

    id = parse_ok(" 110105960229002 ");
    assert_string_equal(id.number, "11010519960229002X");
    assert_int_equal(id.birth.year, 1996);

    /* The century is always 19, so 00-02-29 is 1900-02-29, which does not exist. */
    expect_fail("110105000229002", "no_such_date");
    expect_fail("110105491331002", "no_such_date");
    expect_fail("990105491231002", "unknown_province");
    expect_fail("11010549123100X", "bad_character");
    expect_fail("11010549123100x", "bad_character");
    expect_fail("1101054912310O2", "bad_character");
}

static void test_invalid_vectors(void **state)
{
    (void)state;
    expect_fail("36042619910102009X", "bad_check_character"); /* check is 3 */
    expect_fail("360426199113010079", "no_such_date");        /* month 13 */
    expect_fail("T60426199101010078", "bad_character");
    expect_fail("990426199112010074", "unknown_province");
}

static void test_normalisation(void **state)
{
    (void)state;
    struct jy_idcard id = parse_ok("11010519491231002x");
    assert_string_equal(id.number, "11010519491231002X");
    id = parse_ok("   11010519491231002x  ");
    assert_string_equal(id.number, "11010519491231002X");

    /* A slice: the bytes after `len` are not read. */
    const char buf[] = "360426199101010071GARBAGE";
    struct jy_idcard id2;
    assert_int_equal(jy_idcard_parse(buf, 18, TODAY, &id2, NULL), JY_OK);
    assert_string_equal(id2.number, "360426199101010071");

    /* Surrounding white space: space, tab, CR, LF and the ideographic space U+3000. */
    id = parse_ok("\t360426199101010071\r\n");
    assert_string_equal(id.number, "360426199101010071");
    id = parse_ok("\xe3\x80\x80"
                  "360426199101010071"
                  "\xe3\x80\x80 ");
    assert_string_equal(id.number, "360426199101010071");
    expect_fail("\t36042619910101007", "bad_length");

    /* Full-width digits and X (U+FF10..U+FF19, U+FF38, U+FF58) fold to ASCII. */
    id = parse_ok("11010519491231002\xef\xbc\xb8"); /* 11010519491231002Ｘ */
    assert_string_equal(id.number, "11010519491231002X");
    id = parse_ok("11010519491231002\xef\xbd\x98"); /* ｘ */
    assert_string_equal(id.number, "11010519491231002X");
    id = parse_ok("\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x95"
                  "\xef\xbc\x91\xef\xbc\x99\xef\xbc\x94\xef\xbc\x99\xef\xbc\x91\xef\xbc\x92"
                  "\xef\xbc\x93\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\x92\xef\xbc\xb8");
    assert_string_equal(id.number, "11010519491231002X");

    /* Single spaces between groups are dropped, also in a 15-digit number; two in a row, or
     * any other white space inside, are bad characters. */
    id = parse_ok("110105 19491231 002X");
    assert_string_equal(id.number, "11010519491231002X");
    id = parse_ok(" 110105\xe3\x80\x80"
                  "19491231 002x ");
    assert_string_equal(id.number, "11010519491231002X");
    id = parse_ok("110105 491231 002");
    assert_string_equal(id.number, "11010519491231002X");
    assert_true(id.from_legacy15);
    expect_fail("110105  19491231 002X", "bad_character");
    expect_fail("110105\t9491231002X", "bad_character"); /* 18 characters */
    expect_fail("11010-19491231002X", "bad_character");
    expect_fail("3604261991010100\n1", "bad_character");
}

/* Every single change of the check character of a valid vector is rejected. */
static void test_every_check_character_change(void **state)
{
    (void)state;
    static const char symbols[] = "0123456789X";
    int rejected = 0;
    for (size_t v = 0; v < sizeof(VALID) / sizeof(VALID[0]); v++) {
        for (size_t k = 0; k < 11; k++) {
            char s[19];
            memcpy(s, VALID[v], 19);
            if (s[17] == symbols[k])
                continue;
            s[17] = symbols[k];
            expect_fail(s, "bad_check_character");
            rejected++;
        }
    }
    assert_int_equal(rejected, 3 * 10);
}

/* MOD 11-2 detects every single substitution: the sum changes by d * 2^(18-i) with 0 < |d| < 11
 * and 11 prime. So every one of the 17 x 9 digit changes of each vector is rejected. */
static void substituted(const char s[19], size_t i, size_t k)
{
    (void)i;
    (void)k;
    expect_fail(s, "bad_check_character");
}

static void test_every_single_substitution(void **state)
{
    (void)state;
    int rejected =
        each_substitution(VALID, sizeof(VALID) / sizeof(VALID[0]), "0123456789", substituted);
    assert_int_equal(rejected, 3 * 17 * 9);
}

/* Swapping distinct a, b at positions i, i+1 changes the sum by (a - b)(w(i) - w(i+1)) =
 * (a - b) w(i+1) mod 11, never 0; with the check character (weight 1, position 17 weight 2) the
 * change is (a - c), never 0 either. So every adjacent transposition of distinct characters is
 * rejected: by the check character, or as a bad character when X moves into position 17. */
static void transposed(const char s[19])
{
    expect_fail(s, s[16] == 'X' ? "bad_character" : "bad_check_character");
}

static void test_every_adjacent_transposition(void **state)
{
    (void)state;
    int rejected = each_transposition(VALID, sizeof(VALID) / sizeof(VALID[0]), transposed);
    /* Pairs of distinct neighbours: 15 in 11010519491231002X, 15 in 360426199101010071, 13 in
     * 44011320141005001X. */
    assert_int_equal(rejected, 15 + 15 + 13);
}

static void test_birth_dates(void **state)
{
    (void)state;
    struct jy_idcard id = parse_ok("110105200002290013"); /* 2000 is a leap year */
    assert_int_equal(id.birth.month, 2);
    assert_int_equal(id.birth.day, 29);
    id = parse_ok("11010519960229002X");
    assert_int_equal(id.birth.year, 1996);
    expect_fail("110105190002290017", "no_such_date"); /* 1900 is not */
    expect_fail("110105200102290010", "no_such_date"); /* nor 2001 */
    expect_fail("110105199100010016", "no_such_date"); /* month 00 */
    expect_fail("110105199101000012", "no_such_date"); /* day 00 */
    expect_fail("110105199104310016", "no_such_date"); /* 31 April */

    id = parse_ok("11010519000101001X");
    assert_int_equal(id.birth.year, 1900);
    expect_fail("110105189912310015", "birth_date_too_early");

    /* Born today is fine, tomorrow is in the future. */
    id = parse_ok("110105202601010019");
    assert_int_equal(jy_date_compare(id.birth, TODAY), 0);
    expect_fail("110105202601020014", "future_birth_date");
    struct jy_date later = {2026, 1, 2};
    struct jy_idcard id2;
    assert_int_equal(jy_idcard_parse("110105202601020014", 18, later, &id2, NULL), JY_OK);

    /* `today` must be a date. */
    struct jy_date bad = {0, 0, 0};
    expect_fail_n("360426199101010071", 18, bad, JY_INTERNAL, "bad_today");
    struct jy_date feb30 = {2026, 2, 30};
    expect_fail_n("360426199101010071", 18, feb30, JY_INTERNAL, "bad_today");
}

static void test_provinces(void **state)
{
    (void)state;
    static const int known[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
    int count = 0;
    for (int code = -5; code < 120; code++) {
        bool want = false;
        for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
            want = want || known[k] == code;
        assert_int_equal(jy_idcard_province_name(code) != NULL, want);
        count += want;
    }
    assert_int_equal(count, 35);
    assert_string_equal(jy_idcard_province_name(11), "北京");
    assert_string_equal(jy_idcard_province_name(12), "天津");
    assert_string_equal(jy_idcard_province_name(15), "内蒙古");
    assert_string_equal(jy_idcard_province_name(23), "黑龙江");
    assert_string_equal(jy_idcard_province_name(36), "江西");
    assert_string_equal(jy_idcard_province_name(44), "广东");
    assert_string_equal(jy_idcard_province_name(50), "重庆");
    assert_string_equal(jy_idcard_province_name(65), "新疆");
    assert_string_equal(jy_idcard_province_name(71), "台湾");
    assert_string_equal(jy_idcard_province_name(81), "香港");
    assert_string_equal(jy_idcard_province_name(82), "澳门");
    assert_string_equal(jy_idcard_province_name(83), "台湾");
    assert_null(jy_idcard_province_name(0));
    assert_null(jy_idcard_province_name(16));
    assert_null(jy_idcard_province_name(99));

    /* Residence permits for Hong Kong, Macao and Taiwan residents. */
    struct jy_idcard id = parse_ok("810000199001010027");
    assert_int_equal(id.province, 81);
    id = parse_ok("820000199001010037");
    assert_int_equal(id.province, 82);
    id = parse_ok("830000199001010012");
    assert_int_equal(id.province, 83);
    assert_int_equal(id.sex, 'M');
    expect_fail("100000199001010011", "unknown_province");
    expect_fail("000000000000000001", "unknown_province");
}

static void test_lengths_and_characters(void **state)
{
    (void)state;
    expect_fail("", "bad_length");
    expect_fail("   ", "bad_length");
    expect_fail("36042619910101007", "bad_length");
    expect_fail("3604261991010100711", "bad_length");
    expect_fail("11010549123100", "bad_length");
    expect_fail("1101054912310020", "bad_length");
    expect_fail("360426 1991010100711", "bad_length");
    expect_fail("360426 1991010100", "bad_length");
    expect_fail_n(NULL, 18, TODAY, JY_INVALID, "bad_length");

    char big[JY_IDENT_MAX_BYTES + 2];
    memset(big, ' ', sizeof(big));
    memcpy(big + 10, "360426199101010071", 18);
    /* Exactly the limit is parsed (and trimmed); one byte more is refused as too long. */
    struct jy_idcard id;
    assert_int_equal(jy_idcard_parse(big, JY_IDENT_MAX_BYTES, TODAY, &id, NULL), JY_OK);
    expect_fail_n(big, JY_IDENT_MAX_BYTES + 1, TODAY, JY_TOO_LONG, "too_long");
    expect_fail_n(big, JY_IDENT_MAX_BYTES + 2, TODAY, JY_TOO_LONG, "too_long");

    expect_fail_n("36042619910101\0\x30\x37\x31", 18, TODAY, JY_INVALID, "bad_character");
    expect_fail("36042619910101007Y", "bad_character");
    expect_fail("3604261991010100X1", "bad_character");
    expect_fail("X60426199101010071", "bad_character");
    expect_fail("36042619910101007\xff", "bad_character");
    /* Invalid UTF-8 is a bad character whatever the length. */
    expect_fail("3604261991010100\xff", "bad_character");
    expect_fail("360426199101010071\xc3", "bad_character");
    expect_fail("\xed\xa0\x80"
                "360426199101010071",
                "bad_character"); /* a surrogate */
    expect_fail("\xc0\xb1"
                "60426199101010071",
                "bad_character"); /* overlong '1' */
    /* Lengths count characters: 18 characters with a Chinese one is a bad character, 17 is a
     * bad length (the message counts characters too). */
    expect_fail("36042619910101007\xe4\xb8\xad", "bad_character"); /* 中 */
    expect_fail("3604261991010100\xe4\xb8\xad", "bad_length");
    struct jy_error err;
    assert_int_equal(jy_idcard_parse("3604261991010100\xe4\xb8\xad", 19, TODAY, &id, &err),
                     JY_INVALID);
    assert_non_null(strstr(err.message, "got 17 characters"));
    /* A full-width digit is three bytes of UTF-8 but one character. */
    expect_fail("360426199101010\xef\xbc\x91", "bad_length");
}

static void test_check_char(void **state)
{
    (void)state;
    assert_int_equal(jy_idcard_check_char("11010519491231002"), 'X');
    assert_int_equal(jy_idcard_check_char("36042619910101007"), '1');
    assert_int_equal(jy_idcard_check_char("36042619910102009"), '3');
    assert_int_equal(jy_idcard_check_char("00000000000000000"), '1');
    assert_int_equal(jy_idcard_check_char("11010519960229002"), 'X');
    /* Only 17 bytes are read. */
    assert_int_equal(jy_idcard_check_char("36042619910101007????"), '1');
    assert_int_equal(jy_idcard_check_char("3604261991010100X"), '\0');
    assert_int_equal(jy_idcard_check_char("36042619910101 07"), '\0');
    assert_int_equal(jy_idcard_check_char(NULL), '\0');
    /* Weight of position i is 2^(18-i) mod 11: a 1 in position i alone gives that weight. */
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char by_sum[] = "10X98765432";
    for (int i = 0; i < 17; i++) {
        char s[18];
        memset(s, '0', 17);
        s[i] = '1';
        assert_int_equal(jy_idcard_check_char(s), by_sum[weights[i]]);
    }
}

static void test_last4(void **state)
{
    (void)state;
    struct jy_idcard id = parse_ok("11010519491231002X");
    assert_true(jy_idcard_last4_matches(&id, "002X", 4));
    assert_true(jy_idcard_last4_matches(&id, "002x", 4));
    assert_true(jy_idcard_last4_matches(&id, " 002x ", 6));
    assert_true(jy_idcard_last4_matches(&id, "002Xjunk", 4));
    assert_true(jy_idcard_last4_matches(&id, "002\xef\xbc\xb8", 6));    /* 002Ｘ */
    assert_true(jy_idcard_last4_matches(&id, "\t002X\xe3\x80\x80", 8)); /* tab, U+3000 */
    assert_false(jy_idcard_last4_matches(&id, "002\xff", 4));
    assert_false(jy_idcard_last4_matches(&id, "002Y", 4));
    assert_false(jy_idcard_last4_matches(&id, "102X", 4));
    assert_false(jy_idcard_last4_matches(&id, "002", 3));
    assert_false(jy_idcard_last4_matches(&id, "02X", 3));
    assert_false(jy_idcard_last4_matches(&id, "1002X", 5));
    assert_false(jy_idcard_last4_matches(&id, "", 0));
    assert_false(jy_idcard_last4_matches(&id, NULL, 4));
    assert_false(jy_idcard_last4_matches(NULL, "002X", 4));
    assert_false(jy_idcard_last4_matches(&id, "00\0X", 4));

    id = parse_ok("360426199101010071");
    assert_true(jy_idcard_last4_matches(&id, "0071", 4));
    assert_false(jy_idcard_last4_matches(&id, "007X", 4));
    assert_false(jy_idcard_last4_matches(&id, "0070", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_vectors),
        cmocka_unit_test(test_legacy15),
        cmocka_unit_test(test_invalid_vectors),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_every_check_character_change),
        cmocka_unit_test(test_every_single_substitution),
        cmocka_unit_test(test_every_adjacent_transposition),
        cmocka_unit_test(test_birth_dates),
        cmocka_unit_test(test_provinces),
        cmocka_unit_test(test_lengths_and_characters),
        cmocka_unit_test(test_check_char),
        cmocka_unit_test(test_last4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
