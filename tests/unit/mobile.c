/*
 * Unit tests for src/core/mobile.c: accepted spellings of a mainland mobile number, each reason
 * for refusing one, and masking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mobile.h"
#include "limits.h"

static void expect_ok(const char *s, const char *want)
{
    char out[JY_MOBILE_SIZE];
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_mobile_parse(s, strlen(s), out, &err);
    if (rc != JY_OK)
        print_error("\"%s\": %s (%s)\n", s, err.reason, err.message);
    assert_int_equal(rc, JY_OK);
    assert_string_equal(out, want);
}

/* Parse the `len` bytes at `s`, expect failure `code` with `reason`, and `ret` untouched. */
static void expect_fail_n(const char *s, size_t len, enum jy_err code, const char *reason)
{
    char out[JY_MOBILE_SIZE] = "untouched!!";
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_mobile_parse(s, len, out, &err);
    if (rc != code || strcmp(err.reason, reason) != 0)
        print_error("\"%.*s\": got %d %s, want %d %s\n", (int)len, s ? s : "", rc, err.reason, code,
                    reason);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.reason, reason);
    assert_true(err.message[0] != '\0');
    assert_string_equal(out, "untouched!!");
    assert_int_equal(jy_mobile_parse(s, len, out, NULL), code);
    assert_string_equal(out, "untouched!!");
}

static void expect_fail(const char *s, const char *reason)
{
    expect_fail_n(s, strlen(s), JY_INVALID, reason);
}

static void test_accepted_spellings(void **state)
{
    (void)state;
    expect_ok("13800138000", "13800138000");
    expect_ok("138 0013 8000", "13800138000");
    expect_ok("138-0013-8000", "13800138000");
    expect_ok("+86-138-0013-8000", "13800138000");
    expect_ok("+86 138 0013 8000", "13800138000");
    expect_ok("+8613800138000", "13800138000");
    expect_ok("8613800138000", "13800138000");
    expect_ok("86 138 0013 8000", "13800138000");
    expect_ok("86-13800138000", "13800138000");
    expect_ok("  13800138000   ", "13800138000");
    expect_ok("138  0013 - 8000", "13800138000");
    expect_ok("+86 - 138 0013 8000", "13800138000");
    expect_ok("1 3 8 0 0 1 3 8 0 0 0", "13800138000");

    /* Second digit 3 to 9. */
    expect_ok("13012345678", "13012345678");
    expect_ok("14512345678", "14512345678");
    expect_ok("15012345678", "15012345678");
    expect_ok("16612345678", "16612345678");
    expect_ok("17012345678", "17012345678");
    expect_ok("18912345678", "18912345678");
    expect_ok("19912345678", "19912345678");
    /* The international call prefix 00 before the country code. */
    expect_ok("0086 138 0013 8000", "13800138000");
    expect_ok("008613800138000", "13800138000");
    expect_ok("0086-138-0013-8000", "13800138000");
    /* Full-width digits, plus and hyphen, the ideographic space, surrounding white space. */
    expect_ok("\xef\xbc\x91\x33\x38\x30\x30\x31\x33\x38\x30\x30\x30", "13800138000");
    expect_ok("\xef\xbc\x8b\xef\xbc\x98\xef\xbc\x96\xef\xbc\x8d"
              "138\xe3\x80\x80"
              "0013 8000",
              "13800138000"); /* ＋８６－138　0013 8000 */
    expect_ok("\t13800138000\r\n", "13800138000");
    /* 86 followed by a number that itself starts 86 is not a mobile number. */
    expect_ok("8618612345678", "18612345678");

    /* A slice: the bytes after `len` are not read. */
    char out[JY_MOBILE_SIZE];
    assert_int_equal(jy_mobile_parse("13800138000999", 11, out, NULL), JY_OK);
    assert_string_equal(out, "13800138000");
}

static void test_bad_prefix(void **state)
{
    (void)state;
    expect_fail("10012345678", "bad_prefix");
    expect_fail("11012345678", "bad_prefix");
    expect_fail("12012345678", "bad_prefix");
    expect_fail("23800138000", "bad_prefix");
    expect_fail("01380013800", "bad_prefix");
    expect_fail("+86 12012345678", "bad_prefix");
    expect_fail("+1 202 555 0123", "bad_prefix");
    expect_fail("+852 9123 4567", "bad_prefix");
    expect_fail("+13800138000", "bad_prefix"); /* + without the country code */
    expect_fail("+8", "bad_prefix");
    expect_fail("+", "bad_prefix");
    expect_fail("8612012345678", "bad_prefix");
}

static void test_bad_length(void **state)
{
    (void)state;
    expect_fail("", "bad_length");
    expect_fail("    ", "bad_length");
    expect_fail("1380013800", "bad_length");
    expect_fail("138001380001", "bad_length");
    expect_fail("+86", "bad_length");
    expect_fail("+86 1380013800", "bad_length");
    expect_fail("+86 138001380001", "bad_length");
    expect_fail("86 1380013800", "bad_length"); /* 12 digits: no country code taken off */
    expect_fail("0086 1380013800", "bad_length");
    expect_fail("0086 138001380001", "bad_length");
    expect_fail("00 86 1380013800", "bad_length");
    expect_fail("1238613800138000", "bad_length");
    expect_fail_n(NULL, 11, JY_INVALID, "bad_length");

    char big[JY_IDENT_MAX_BYTES + 1];
    memset(big, ' ', sizeof(big));
    memcpy(big + 30, "13800138000", 11);
    char out[JY_MOBILE_SIZE];
    assert_int_equal(jy_mobile_parse(big, JY_IDENT_MAX_BYTES, out, NULL), JY_OK);
    assert_string_equal(out, "13800138000");
    expect_fail_n(big, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
    /* 64 digits fit the working buffer exactly. */
    memset(big, '1', sizeof(big));
    expect_fail_n(big, JY_IDENT_MAX_BYTES, JY_INVALID, "bad_length");
    expect_fail_n(big, JY_IDENT_MAX_BYTES + 1, JY_TOO_LONG, "too_long");
}

static void test_bad_character(void **state)
{
    (void)state;
    expect_fail("138.0013.8000", "bad_character");
    expect_fail("(138)00138000", "bad_character");
    expect_fail("-13800138000", "bad_character");
    expect_fail("13800138000-", "bad_character");
    expect_fail("138\t00138000", "bad_character");
    expect_fail("+0086 13800138000", "bad_prefix");
    expect_fail("++8613800138000", "bad_character");
    expect_fail("+ 86 13800138000", "bad_character");
    expect_fail("86+13800138000", "bad_character");
    expect_fail("1380013800O", "bad_character");
    expect_fail("138\xe4\xb8\xad"
                "00138000",
                "bad_character");
    expect_fail("1380013800\xc3", "bad_character"); /* invalid UTF-8, not a length error */
    expect_fail_n("138\0"
                  "0138000",
                  11, JY_INVALID, "bad_character");
    expect_fail("13800138000\xff", "bad_character");
}

static void test_mask(void **state)
{
    (void)state;
    char out[JY_MOBILE_SIZE];
    jy_mobile_mask("13800138000", out);
    assert_string_equal(out, "138****8000");
    jy_mobile_mask("19912345678", out);
    assert_string_equal(out, "199****5678");

    /* In place. */
    char buf[JY_MOBILE_SIZE] = "15012345678";
    jy_mobile_mask(buf, buf);
    assert_string_equal(buf, "150****5678");

    /* Anything that is not 11 digits is fully masked. */
    jy_mobile_mask(buf, out);
    assert_string_equal(out, "***********");
    static const char not_numbers[][JY_MOBILE_SIZE] = {"1380013800", "1380013800a", "",
                                                       "138****8000", "+8613800138"};
    for (size_t i = 0; i < sizeof(not_numbers) / sizeof(not_numbers[0]); i++) {
        jy_mobile_mask(not_numbers[i], out);
        assert_string_equal(out, "***********");
    }
    char no_nul[JY_MOBILE_SIZE];
    memset(no_nul, '1', sizeof(no_nul));
    jy_mobile_mask(no_nul, out);
    assert_string_equal(out, "***********");
    jy_mobile_mask(NULL, out);
    assert_string_equal(out, "***********");
    jy_mobile_mask("13800138000", NULL); /* nothing happens */

    /* The output of the parser masks as expected. */
    char num[JY_MOBILE_SIZE];
    assert_int_equal(jy_mobile_parse("+86 186-1234-5678", 17, num, NULL), JY_OK);
    jy_mobile_mask(num, out);
    assert_string_equal(out, "186****5678");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_spellings),
        cmocka_unit_test(test_bad_prefix),
        cmocka_unit_test(test_bad_length),
        cmocka_unit_test(test_bad_character),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
