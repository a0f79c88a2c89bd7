/*
 * Unit tests for src/core/plate.c: plate shapes of GA 36-2018, normalisation, hostile bytes,
 * the plate-type table and the plate/type pairing rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/plate.h"
#include "limits.h"

/* Parse the NUL-terminated `s` and expect success with the given normalised text and kind. */
static struct jy_plate ok(const char *s, const char *text, enum jy_plate_kind kind)
{
    struct jy_plate p;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_plate_parse(s, strlen(s), &p, &err);
    if (e != JY_OK)
        fail_msg("'%s' refused: %s (%s)", s, err.reason, err.message);
    assert_string_equal(p.text, text);
    assert_int_equal(p.kind, kind);
    return p;
}

/* Parse `len` bytes of `s` and expect `code` with `reason`, leaving the result untouched. */
static void bad_n(const char *s, size_t len, enum jy_err code, const char *reason)
{
    struct jy_plate p, before;
    memset(&p, 0x5A, sizeof(p));
    before = p;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_plate_parse(s, len, &p, &err);
    if (e != code || strcmp(err.reason, reason) != 0)
        fail_msg("'%.*s': got %d %s, expected %d %s", (int)len, s, e, err.reason, code, reason);
    assert_memory_equal(&p, &before, sizeof(p));
    assert_true(err.message[0] != '\0');
}

static void bad(const char *s, const char *reason)
{
    bad_n(s, strlen(s), JY_INVALID, reason);
}

static void test_standard_vectors(void **state)
{
    (void)state;
    struct jy_plate p = ok("京A12345", "京A12345", JY_PLATE_ORDINARY);
    assert_string_equal(p.province, "京");
    assert_int_equal(p.authority, 'A');
    assert_int_equal(p.energy, 0);
    assert_false(p.warn_letter_o);

    p = ok("沪AB1234", "沪AB1234", JY_PLATE_ORDINARY);
    assert_string_equal(p.province, "沪");

    p = ok("粤BD12345", "粤BD12345", JY_PLATE_NEW_ENERGY_SMALL);
    assert_string_equal(p.province, "粤");
    assert_int_equal(p.authority, 'B');
    assert_int_equal(p.energy, 'D');

    p = ok("京AFA1234", "京AFA1234", JY_PLATE_NEW_ENERGY_SMALL);
    assert_int_equal(p.energy, 'F');

    p = ok("粤B12345D", "粤B12345D", JY_PLATE_NEW_ENERGY_LARGE);
    assert_int_equal(p.energy, 'D');

    p = ok("粤B1234学", "粤B1234学", JY_PLATE_COACH);
    assert_int_equal(p.energy, 0);
    p = ok("粤Z1234港", "粤Z1234港", JY_PLATE_HONGKONG);
    assert_int_equal(p.authority, 'Z');

    p = ok("使014578", "使014578", JY_PLATE_EMBASSY);
    assert_string_equal(p.province, "使");
    assert_int_equal(p.authority, 0);
    assert_int_equal(p.energy, 0);

    bad("京AI2345", "bad_character");
    bad("京A1234", "bad_length");
    bad("粤BM12345", "bad_energy_letter");
    bad("粤B12345M", "bad_energy_letter");
}

static void test_suffixes(void **state)
{
    (void)state;
    ok("粤B1234学", "粤B1234学", JY_PLATE_COACH);
    ok("京A0001警", "京A0001警", JY_PLATE_POLICE);
    ok("鲁B1234挂", "鲁B1234挂", JY_PLATE_TRAILER);
    ok("粤Z1234港", "粤Z1234港", JY_PLATE_HONGKONG);
    ok("粤ZA123澳", "粤ZA123澳", JY_PLATE_MACAO);
    ok("沪A1234领", "沪A1234领", JY_PLATE_CONSULATE);
    /* The suffix replaces the 5th serial character: 4 before it, no more, no fewer. */
    bad("粤B12345学", "bad_length");
    bad("粤B123学", "bad_length");
    /* Only the six suffix characters; 使 is a prefix, not a suffix. */
    bad("粤B1234使", "bad_character");
    bad("粤B1234车", "bad_character");
    /* A suffix only at the end. */
    bad("粤B12学34", "bad_character");
    bad("粤B1234学5", "bad_character");
    /* The serial before a suffix follows the serial rules. */
    bad("粤B12I4学", "bad_character");
}

static void test_new_energy(void **state)
{
    (void)state;
    const char *energy = "DABCEFGHJK";
    for (const char *e = energy; *e; e++) {
        char small[32], large[32];
        snprintf(small, sizeof(small), "苏E%c12345", *e);
        snprintf(large, sizeof(large), "苏E12345%c", *e);
        struct jy_plate p = ok(small, small, JY_PLATE_NEW_ENERGY_SMALL);
        assert_int_equal(p.energy, *e);
        p = ok(large, large, JY_PLATE_NEW_ENERGY_LARGE);
        assert_int_equal(p.energy, *e);
    }
    for (char c = 'A'; c <= 'Z'; c++) {
        if (strchr(energy, c))
            continue;
        char small[32], large[32];
        snprintf(small, sizeof(small), "苏E%c12345", c);
        snprintf(large, sizeof(large), "苏E12345%c", c);
        bad(small, c == 'I' || c == 'O' ? "bad_character" : "bad_energy_letter");
        bad(large, c == 'I' || c == 'O' ? "bad_character" : "bad_energy_letter");
    }
    /* Second character of a small plate: any serial character. */
    ok("京AD01234", "京AD01234", JY_PLATE_NEW_ENERGY_SMALL);
    ok("京ADZ1234", "京ADZ1234", JY_PLATE_NEW_ENERGY_SMALL);
    bad("京ADI1234", "bad_character");
    bad("京ADO1234", "bad_character");
    /* The last four of a small plate are digits. */
    bad("京ADA123B", "bad_serial");
    bad("京ADAB123", "bad_serial");
    /* Six digits is neither shape (the energy letter is missing). */
    bad("京A123456", "bad_energy_letter");
    /* Starting with a digit means the large shape: 5 digits then the letter. */
    bad("京A1A345D", "bad_serial");
    bad("京A1234DD", "bad_serial");
}

static void test_serial_edges(void **state)
{
    (void)state;
    bad("京A", "bad_length");
    bad("京", "bad_length");
    bad("京A123", "bad_length");
    bad("京A1234567", "bad_length");
    bad("", "bad_length");
    bad("   ", "bad_length");
    ok("京A00000", "京A00000", JY_PLATE_ORDINARY);
    ok("京AZZZZZ", "京AZZZZZ", JY_PLATE_ORDINARY);
    ok("京AHJKNP", "京AHJKNP", JY_PLATE_ORDINARY);
    /* I and O never appear in a serial, in any position. */
    for (int pos = 0; pos < 5; pos++) {
        for (int k = 0; k < 2; k++) {
            char s[32] = "京A12345";
            s[4 + pos] = k ? 'O' : 'I';
            bad(s, "bad_character");
        }
    }
    bad("京A1234-", "bad_character");
    bad("京A12 345", "bad_character");
}

static void test_authority_letter(void **state)
{
    (void)state;
    for (char c = 'A'; c <= 'Z'; c++) {
        char s[32];
        snprintf(s, sizeof(s), "京%c12345", c);
        if (c == 'I') {
            bad(s, "bad_authority_letter");
            continue;
        }
        struct jy_plate p = ok(s, s, JY_PLATE_ORDINARY);
        assert_int_equal(p.authority, c);
        assert_int_equal(p.warn_letter_o, c == 'O');
    }
    bad("京112345", "bad_authority_letter");
    bad("京京12345", "bad_authority_letter");
    bad("京i12345", "bad_authority_letter");
}

static void test_provinces(void **state)
{
    (void)state;
    static const char all[] = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    int count = 0;
    for (size_t i = 0; i + 3 < sizeof(all); i += 3) {
        char s[32], prov[4];
        memcpy(prov, all + i, 3);
        prov[3] = '\0';
        snprintf(s, sizeof(s), "%sC12345", prov);
        struct jy_plate p = ok(s, s, JY_PLATE_ORDINARY);
        assert_string_equal(p.province, prov);
        count++;
    }
    assert_int_equal(count, 31);
    bad("台A12345", "unknown_province");
    bad("港A12345", "unknown_province");
    bad("领A12345", "unknown_province");
    bad("AA12345", "unknown_province");
    bad("1A12345", "unknown_province");
    bad("·A12345", "unknown_province");
}

static void test_embassy(void **state)
{
    (void)state;
    ok("使014578", "使014578", JY_PLATE_EMBASSY);
    ok("使 014578", "使014578", JY_PLATE_EMBASSY);
    ok("使·014578", "使014578", JY_PLATE_EMBASSY);
    bad("使01457", "bad_length");
    bad("使0145789", "bad_length");
    bad("使01457A", "bad_character");
    bad("使A14578", "bad_character");
    bad("使", "bad_length");
}

static void test_normalisation(void **state)
{
    (void)state;
    ok("  京a12345  ", "京A12345", JY_PLATE_ORDINARY);
    ok("京A·12345", "京A12345", JY_PLATE_ORDINARY);
    ok("京A 12345", "京A12345", JY_PLATE_ORDINARY);
    ok("京A•12345", "京A12345", JY_PLATE_ORDINARY);
    ok("京A・12345", "京A12345", JY_PLATE_ORDINARY);
    ok("京A\xe3\x80\x80"
       "12345",
       "京A12345", JY_PLATE_ORDINARY);
    ok("粤bd12345", "粤BD12345", JY_PLATE_NEW_ENERGY_SMALL);
    ok("粤b·1234学", "粤B1234学", JY_PLATE_COACH);
    ok("京ａ１２３４５", "京A12345", JY_PLATE_ORDINARY);
    ok("京Ａ·ＤＦ１２３", "京ADF123", JY_PLATE_ORDINARY);
    /* One separator, only after the letter. */
    bad("京A··12345", "bad_character");
    bad("京A  12345", "bad_character");
    bad("京·A12345", "bad_authority_letter");
    bad("京A1·2345", "bad_character");
    bad("京A12345·", "bad_character");
    /* Surrounding white space (tab, CR, LF, ideographic space) is trimmed; inside it is not. */
    ok("\t京A12345\r\n", "京A12345", JY_PLATE_ORDINARY);
    ok("\xe3\x80\x80京A12345\xe3\x80\x80", "京A12345", JY_PLATE_ORDINARY);
    bad("京A\t12345", "bad_character");
    bad("京A1234\n5", "bad_character");
    /* Full-width letters of the energy kinds and suffix plates. */
    ok("粤Ｂ１２３４５Ｄ", "粤B12345D", JY_PLATE_NEW_ENERGY_LARGE);
}

static void test_hostile_bytes(void **state)
{
    (void)state;
    /* Truncated 3-byte sequence at the end (学 is E5 AD A6). */
    bad("粤B1234\xe5\xad", "bad_character");
    /* Lone continuation byte, overlong '/', surrogate U+D800, beyond U+10FFFF, 0xFF. */
    bad("京A\x80"
        "12345",
        "bad_character");
    bad("京A\xc0\xaf"
        "12345",
        "bad_character");
    bad("京A\xed\xa0\x80"
        "12345",
        "bad_character");
    bad("京A\xf4\x90\x80\x80"
        "12345",
        "bad_character");
    bad("\xff", "bad_character");
    bad("\xe4\xba", "bad_character");
    /* An embedded NUL is a character like any other, and not allowed. */
    bad_n("京A12\0"
          "45",
          9, JY_INVALID, "bad_character");
    bad_n("京\0"
          "12345",
          9, JY_INVALID, "bad_authority_letter");

    /* A length that cuts a character in two is invalid UTF-8, not an overread: the input is
     * copied to a heap block of exactly `len` bytes so the sanitizer would catch one. */
    const char *full = "粤B1234学";
    size_t flen = strlen(full);
    for (size_t len = 0; len <= flen; len++) {
        char *buf = malloc(len ? len : 1);
        assert_non_null(buf);
        memcpy(buf, full, len);
        struct jy_plate p;
        enum jy_err e = jy_plate_parse(buf, len, &p, NULL);
        assert_int_equal(e, len == flen ? JY_OK : JY_INVALID);
        free(buf);
    }
    /* NULL with no bytes. */
    struct jy_plate p;
    assert_int_equal(jy_plate_parse(NULL, 0, &p, NULL), JY_INVALID);

    /* Too long: the limit is on the raw input. */
    char big[JY_IDENT_MAX_BYTES + 2];
    memset(big, ' ', sizeof(big));
    memcpy(big, "京A12345", strlen("京A12345"));
    bad_n(big, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
    struct jy_error err;
    assert_int_equal(jy_plate_parse(big, JY_IDENT_MAX_BYTES, &p, &err), JY_OK);
    assert_string_equal(p.text, "京A12345");
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(jy_plate_kind_name(JY_PLATE_ORDINARY), "ordinary");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_NEW_ENERGY_SMALL), "new_energy_small");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_NEW_ENERGY_LARGE), "new_energy_large");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_COACH), "coach");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_POLICE), "police");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_TRAILER), "trailer");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_HONGKONG), "hongkong");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_MACAO), "macao");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_CONSULATE), "consulate");
    assert_string_equal(jy_plate_kind_name(JY_PLATE_EMBASSY), "embassy");
    assert_string_equal(jy_plate_kind_name((enum jy_plate_kind)99), "unknown");
}

static void test_type_table(void **state)
{
    (void)state;
    static const char *expected[][2] = {
        {"01", "大型汽车"},       {"02", "小型汽车"},     {"03", "使馆汽车"},
        {"04", "领馆汽车"},       {"05", "境外汽车"},     {"06", "外籍汽车"},
        {"07", "普通摩托车"},     {"08", "轻便摩托车"},   {"09", "使馆摩托车"},
        {"10", "领馆摩托车"},     {"11", "境外摩托车"},   {"12", "外籍摩托车"},
        {"13", "低速车"},         {"14", "拖拉机"},       {"15", "挂车"},
        {"16", "教练汽车"},       {"17", "教练摩托车"},   {"18", "试验汽车"},
        {"19", "试验摩托车"},     {"20", "临时入境汽车"}, {"21", "临时入境摩托车"},
        {"22", "临时行驶车"},     {"23", "警用汽车"},     {"24", "警用摩托"},
        {"25", "原农机号牌"},     {"26", "香港入出境车"}, {"27", "澳门入出境车"},
        {"31", "武警号牌"},       {"32", "军队号牌"},     {"41", "无号牌"},
        {"42", "假号牌"},         {"43", "挪用号牌"},     {"51", "大型新能源汽车"},
        {"52", "小型新能源汽车"}, {"99", "其他号牌"},
    };
    const struct jy_plate_type *t = NULL;
    size_t n = jy_plate_types(&t);
    assert_int_equal(n, 35);
    assert_int_equal(n, sizeof(expected) / sizeof(expected[0]));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(t[i].code, expected[i][0]);
        assert_string_equal(t[i].name_zh, expected[i][1]);
        assert_ptr_equal(jy_plate_type_find(expected[i][0], 2), &t[i]);
    }
    assert_int_equal(jy_plate_types(NULL), 35);

    assert_string_equal(jy_plate_type_find(" 02 ", 4)->name_zh, "小型汽车");
    assert_string_equal(jy_plate_type_find("520", 2)->code, "52");
    assert_null(jy_plate_type_find("2", 1));
    assert_null(jy_plate_type_find("00", 2));
    assert_null(jy_plate_type_find("28", 2));
    assert_null(jy_plate_type_find("30", 2));
    assert_null(jy_plate_type_find("44", 2));
    assert_null(jy_plate_type_find("53", 2));
    assert_null(jy_plate_type_find("002", 3));
    assert_null(jy_plate_type_find("", 0));
    assert_null(jy_plate_type_find(NULL, 2));
    assert_null(jy_plate_type_find("0\0"
                                   "2",
                                   3));
}

/* Check plate `s` against each code in `codes` (space-separated) and expect `code`. */
static void pair(const char *s, const char *codes, enum jy_err expect, const char *reason)
{
    struct jy_plate p;
    assert_int_equal(jy_plate_parse(s, strlen(s), &p, NULL), JY_OK);
    for (const char *c = codes; *c;) {
        struct jy_error err;
        jy_error_clear(&err);
        enum jy_err e = jy_plate_check_type(&p, c, 2, &err);
        if (e != expect || strcmp(err.reason, reason) != 0)
            fail_msg("%s with type %.2s: got %d %s, expected %d %s", s, c, e, err.reason, expect,
                     reason);
        c += c[2] ? 3 : 2;
    }
}

static void test_check_type(void **state)
{
    (void)state;
    const char *all_but_ne = "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 "
                             "23 24 25 26 27 31 32 41 42 43 99";
    /* Ordinary plates: anything but the new-energy types. */
    pair("京A12345", all_but_ne, JY_OK, "");
    pair("京A12345", "51 52", JY_INVALID, "plate_type_mismatch");
    /* New-energy plates: small → 52, large → 51. */
    pair("粤BD12345", "52", JY_OK, "");
    pair("粤BD12345", "51 01 02 15 16 99", JY_INVALID, "plate_type_mismatch");
    pair("粤B12345D", "51", JY_OK, "");
    pair("粤B12345D", "52 01 02 99", JY_INVALID, "plate_type_mismatch");
    /* Suffix and prefix plates. */
    pair("粤B1234学", "16 17", JY_OK, "");
    pair("粤B1234学", "01 02 15 23 51 52 99", JY_INVALID, "plate_type_mismatch");
    pair("京A1234警", "23 24", JY_OK, "");
    pair("京A1234警", "01 02 16 31 32 51", JY_INVALID, "plate_type_mismatch");
    pair("鲁B1234挂", "15", JY_OK, "");
    pair("鲁B1234挂", "01 02 14 51 52", JY_INVALID, "plate_type_mismatch");
    pair("使014578", "03 09", JY_OK, "");
    pair("使014578", "01 02 04 10 52", JY_INVALID, "plate_type_mismatch");
    pair("沪A1234领", "04 10", JY_OK, "");
    pair("沪A1234领", "01 02 03 09 51", JY_INVALID, "plate_type_mismatch");
    pair("粤Z1234港", "26", JY_OK, "");
    pair("粤Z1234港", "01 02 27 52", JY_INVALID, "plate_type_mismatch");
    pair("粤Z1234澳", "27", JY_OK, "");
    pair("粤Z1234澳", "01 02 26 51", JY_INVALID, "plate_type_mismatch");
    /* Unknown codes. */
    pair("京A12345", "00 28 30 44 50 53 98", JY_INVALID, "unknown_plate_type");

    struct jy_plate p;
    struct jy_error err;
    assert_int_equal(jy_plate_parse("京A12345", strlen("京A12345"), &p, NULL), JY_OK);
    assert_int_equal(jy_plate_check_type(&p, " 02", 3, &err), JY_OK);

    /* The messages read as English: "an embassy plate", "a small new-energy plate". */
    struct jy_plate e;
    assert_int_equal(jy_plate_parse("使014578", strlen("使014578"), &e, NULL), JY_OK);
    assert_int_equal(jy_plate_check_type(&e, "01", 2, &err), JY_INVALID);
    assert_string_equal(err.message,
                        "an embassy plate (使) takes plate type 03 or 09, not 01 大型汽车");
    assert_int_equal(jy_plate_parse("粤BD12345", strlen("粤BD12345"), &e, NULL), JY_OK);
    assert_int_equal(jy_plate_check_type(&e, "02", 2, &err), JY_INVALID);
    assert_string_equal(err.message,
                        "a small new-energy plate takes plate type 52, not 02 小型汽车");
    assert_int_equal(jy_plate_check_type(&p, "2", 1, &err), JY_INVALID);
    assert_string_equal(err.reason, "unknown_plate_type");
    assert_int_equal(jy_plate_check_type(&p, NULL, 0, &err), JY_INVALID);
    assert_string_equal(err.reason, "unknown_plate_type");
    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    assert_int_equal(jy_plate_check_type(&p, big, sizeof(big), &err), JY_TOO_LONG);
    assert_int_equal(jy_plate_check_type(NULL, "02", 2, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_plate");
    p.kind = (enum jy_plate_kind)42;
    assert_int_equal(jy_plate_check_type(&p, "02", 2, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_plate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_vectors), cmocka_unit_test(test_suffixes),
        cmocka_unit_test(test_new_energy),       cmocka_unit_test(test_serial_edges),
        cmocka_unit_test(test_authority_letter), cmocka_unit_test(test_provinces),
        cmocka_unit_test(test_embassy),          cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_hostile_bytes),    cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_type_table),       cmocka_unit_test(test_check_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
