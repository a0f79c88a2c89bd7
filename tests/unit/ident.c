/*
 * Unit tests for src/core/ident.c: folding of full-width ASCII and the ideographic space,
 * trimming, dropping of single spaces, strict UTF-8, lengths in bytes and characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/ident.h"
#include "limits.h"

/* Fold NUL-terminated `s` with `flags`, expect success with text `want` of `chars` characters. */
static void fold_ok(const char *s, unsigned flags, const char *want, size_t chars)
{
    struct jy_ident f;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_ident_fold(s, strlen(s), flags, &f, &err);
    if (rc != JY_OK)
        fail_msg("'%s' refused: %s (%s)", s, err.reason, err.message);
    assert_string_equal(f.text, want);
    assert_int_equal(f.len, strlen(want));
    assert_int_equal(f.chars, chars);
}

/* Fold the `len` bytes at `s`, expect `code`/`reason` and `*ret` untouched. */
static void fold_bad_n(const char *s, size_t len, unsigned flags, enum jy_err code,
                       const char *reason)
{
    struct jy_ident f, before;
    memset(&f, 0x5A, sizeof(f));
    memcpy(&before, &f, sizeof(f));
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_ident_fold(s, len, flags, &f, &err);
    if (rc != code || strcmp(err.reason, reason) != 0)
        fail_msg("'%.*s': got %d %s, want %d %s", (int)len, s, rc, err.reason, code, reason);
    assert_true(err.message[0] != '\0');
    assert_memory_equal(&f, &before, sizeof(f));
    assert_int_equal(jy_ident_fold(s, len, flags, &f, NULL), code);
}

static void fold_bad(const char *s, unsigned flags, const char *reason)
{
    fold_bad_n(s, strlen(s), flags, JY_INVALID, reason);
}

static void test_full_width(void **state)
{
    (void)state;
    /* U+FF01 ！ .. U+FF5E ～ map to 0x21 .. 0x7E, every one of them. */
    for (uint32_t cp = 0xFF01; cp <= 0xFF5E; cp++) {
        char s[4] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                     (char)(0x80 | (cp & 0x3F)), '\0'};
        char want[2] = {(char)(cp - 0xFEE0), '\0'};
        if (want[0] == ' ')
            continue;
        struct jy_ident f;
        assert_int_equal(jy_ident_fold(s, 3, 0, &f, NULL), JY_OK);
        assert_string_equal(f.text, want);
        assert_int_equal(f.chars, 1);
    }
    fold_ok("11010519491231002\xef\xbc\xb8", 0, "11010519491231002X", 18);
    fold_ok("\xef\xbc\xac\xef\xbc\xb3\xef\xbc\xaa\xef\xbc\xa1", 0, "LSJA", 4);
    /* Lower case stays lower case: upper-casing is each parser's business. */
    fold_ok("\xef\xbd\x81\xef\xbd\x9a", 0, "az", 2);
    /* Just outside the block: U+FF00 and U+FF5F are kept as they are. */
    fold_ok("\xef\xbc\x80\xef\xbd\x9f", 0, "\xef\xbc\x80\xef\xbd\x9f", 2);
    /* Chinese characters and other non-ASCII pass through. */
    fold_ok("\xe4\xba\xac\xef\xbc\xa1\xc2\xb7"
            "12345",
            0,
            "\xe4\xba\xac"
            "A\xc2\xb7"
            "12345",
            8);
}

static void test_trim(void **state)
{
    (void)state;
    fold_ok("  ab  ", 0, "ab", 2);
    fold_ok("\t\r\n ab \n\r\t", 0, "ab", 2);
    fold_ok("\xe3\x80\x80"
            "ab\xe3\x80\x80",
            0, "ab", 2);
    fold_ok("", 0, "", 0);
    fold_ok(" \t\xe3\x80\x80\n", 0, "", 0);
    /* Inside, without the flag, spaces and tabs stay; U+3000 becomes a space. */
    fold_ok("a  b\tc\xe3\x80\x80"
            "d",
            0, "a  b\tc d", 8);
    /* Other white space (vertical tab, form feed, NBSP) is not trimmed. */
    fold_ok("\va\f", 0, "\va\f", 3);
    fold_ok("\xc2\xa0"
            "a",
            0,
            "\xc2\xa0"
            "a",
            2);
    /* NUL is a character like any other; the parsers refuse it. */
    struct jy_ident f;
    assert_int_equal(jy_ident_fold(" a\0b ", 5, 0, &f, NULL), JY_OK);
    assert_int_equal(f.len, 3);
    assert_int_equal(f.chars, 3);
    assert_memory_equal(f.text, "a\0b", 4);
    /* NULL is empty input. */
    assert_int_equal(jy_ident_fold(NULL, 5, 0, &f, NULL), JY_OK);
    assert_int_equal(f.len, 0);
}

static void test_drop_spaces(void **state)
{
    (void)state;
    fold_ok("110105 19491231 002X", JY_IDENT_DROP_SPACES, "11010519491231002X", 18);
    fold_ok(" 110105\xe3\x80\x80"
            "19491231 002X\t",
            JY_IDENT_DROP_SPACES, "11010519491231002X", 18);
    fold_ok("a b c", JY_IDENT_DROP_SPACES, "abc", 3);
    fold_bad("a  b", JY_IDENT_DROP_SPACES, "bad_character");
    fold_bad("a \xe3\x80\x80"
             "b",
             JY_IDENT_DROP_SPACES, "bad_character");
    /* Tabs inside are kept (and refused by the parsers). */
    fold_ok("a\tb", JY_IDENT_DROP_SPACES, "a\tb", 3);
}

static void test_bad_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80",             /* lone continuation byte */
        "a\xc3",            /* cut short */
        "\xe4\xba",         /* cut short */
        "\xc0\xaf",         /* overlong '/' */
        "\xe0\x80\xaf",     /* overlong '/' */
        "\xed\xa0\x80",     /* surrogate U+D800 */
        "\xf4\x90\x80\x80", /* beyond U+10FFFF */
        "\xf5\x80\x80\x80", /* lead byte that never occurs */
        "\xff",
        "\xfe",
        "ab\xe4"
        "cd", /* continuation byte missing */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fold_bad(bad[i], 0, "bad_character");
        fold_bad(bad[i], JY_IDENT_DROP_SPACES, "bad_character");
    }
    struct jy_ident f;
    struct jy_error err;
    assert_int_equal(jy_ident_fold("abc\xff", 4, 0, &f, &err), JY_INVALID);
    assert_string_equal(err.message, "byte 4 of the input is not valid UTF-8");
    /* The largest code point and the last before the surrogates are fine. */
    fold_ok("\xf4\x8f\xbf\xbf\xed\x9f\xbf", 0, "\xf4\x8f\xbf\xbf\xed\x9f\xbf", 2);
}

static void test_lengths(void **state)
{
    (void)state;
    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, 'a', sizeof(big));
    struct jy_ident f;
    assert_int_equal(jy_ident_fold(big, JY_IDENT_MAX_BYTES, 0, &f, NULL), JY_OK);
    assert_int_equal(f.len, JY_IDENT_MAX_BYTES);
    assert_int_equal(f.chars, JY_IDENT_MAX_BYTES);
    assert_int_equal(f.text[JY_IDENT_MAX_BYTES], '\0');
    fold_bad_n(big, JY_IDENT_MAX_BYTES + 1, 0, JY_TOO_LONG, "too_long");

    /* 21 full-width characters (63 bytes) fold to 21 bytes. */
    char wide[JY_IDENT_MAX_BYTES];
    for (int i = 0; i < 21; i++)
        memcpy(wide + 3 * i, "\xef\xbc\x91", 3);
    assert_int_equal(jy_ident_fold(wide, 63, 0, &f, NULL), JY_OK);
    assert_int_equal(f.len, 21);
    assert_int_equal(f.chars, 21);
    /* Characters versus bytes. */
    fold_ok("\xe4\xb8\xad\xe6\x96\x87", 0, "\xe4\xb8\xad\xe6\x96\x87", 2);
}

static void test_decode(void **state)
{
    (void)state;
    uint32_t cp = 7;
    assert_int_equal(jy_ident_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(jy_ident_utf8_decode("\xc2\xb7", 2, &cp), 2);
    assert_int_equal(cp, 0xB7);
    assert_int_equal(jy_ident_utf8_decode("\xe4\xba\xac", 3, &cp), 3);
    assert_int_equal(cp, 0x4EAC);
    assert_int_equal(jy_ident_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    cp = 7;
    assert_int_equal(jy_ident_utf8_decode("\xe4\xba\xac", 2, &cp), 0); /* len cuts it short */
    assert_int_equal(jy_ident_utf8_decode(NULL, 3, &cp), 0);
    assert_int_equal(jy_ident_utf8_decode("A", 0, &cp), 0);
    assert_int_equal(cp, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_width),  cmocka_unit_test(test_trim),
        cmocka_unit_test(test_drop_spaces), cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_lengths),     cmocka_unit_test(test_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
