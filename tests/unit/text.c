/*
 * Unit tests for src/core/text.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

static bool clean(const char *s)
{
    return jy_text_is_clean(s, strlen(s), false, NULL);
}

static void test_names(void **state)
{
    (void)state;
    assert_true(clean("张三"));
    assert_true(clean("欧阳娜娜"));
    assert_true(clean("阿依古丽·买买提")); /* U+00B7 in minority names */
    assert_true(clean("José Müller"));
    assert_true(clean("e\xcc\x81\xcc\x81")); /* two combining marks: allowed */
    assert_true(clean(""));
}

static void test_refused(void **state)
{
    (void)state;
    size_t off = 99;
    assert_false(jy_text_is_clean("\xe2\x80\xae四李", 9, false, &off)); /* U+202E RLO */
    assert_int_equal(off, 0);
    assert_false(jy_text_is_clean("李\xe2\x80\x8b四", 9, false, &off)); /* U+200B */
    assert_int_equal(off, 3);
    assert_false(clean("李\xef\xbf\xbe四"));          /* U+FFFE noncharacter */
    assert_false(clean("李\xef\xbb\xbf四"));          /* U+FEFF */
    assert_false(clean("李\xee\x80\x80四"));          /* U+E000 private use */
    assert_false(clean("李\xf3\xa0\x80\x81四"));      /* U+E0001 tag */
    assert_false(clean("e\xcc\x81\xcc\x81\xcc\x81")); /* three combining marks */
    assert_false(clean("李\x01四"));
    assert_false(clean("李\xc2\x85四")); /* C1 NEL */
    assert_false(clean("a\tb"));
    assert_true(jy_text_is_clean("a\tb\nc", 5, true, NULL));
    assert_false(clean("\xff"));                                /* not UTF-8 */
    assert_false(clean("\xc0\xaf"));                            /* overlong */
    assert_false(clean("\xed\xa0\x80"));                        /* a surrogate */
    assert_false(jy_text_is_clean("\xe5\xbc", 2, false, NULL)); /* cut short */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
