/*
 * Unit tests for src/render/render.c: the printable-text check, masked names, Shanghai times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render/render.h"

static void mask(const char *name, const char *want)
{
    char buf[JY_RENDER_MASKED_NAME_SIZE];
    memset(buf, 'x', sizeof(buf));
    jy_render_mask_name(name, buf);
    assert_string_equal(buf, want);
}

static void test_mask_name(void **state)
{
    (void)state;
    mask("张三", "张*");
    mask("张三丰", "张*");
    mask("  李四  ", "李*");
    mask("欧阳娜娜", "欧阳*");
    mask("欧阳", "欧*"); /* too short to be a compound surname with a given name */
    mask("司马懿", "司马*");
    mask("王", "*"); /* one character would show the whole name */
    mask("Zhang San", "Z*");
    mask("买买提·艾力", "买*");
    mask("𠀀小明", "𠀀*"); /* a 4-byte character is kept whole */
    mask("", "*");
    mask(NULL, "*");
    mask("\xE5\xBC", "*");             /* cut UTF-8 */
    mask("张\x01三", "*");             /* a control character */
    jy_render_mask_name("张三", NULL); /* no crash */
}

static void test_check_text(void **state)
{
    (void)state;
    struct jy_error err;
    assert_int_equal(jy_render_check_text("受理回执 ¥30.00", 100, false, "f", &err), JY_OK);
    assert_int_equal(jy_render_check_text(NULL, 100, false, "f", &err), JY_INVALID);
    assert_string_equal(err.reason, "missing");
    assert_string_equal(err.field, "f");
    assert_int_equal(jy_render_check_text("abcdef", 5, false, "f", &err), JY_TOO_LONG);
    assert_int_equal(jy_render_check_text("abcde", 5, false, "f", &err), JY_OK);
    assert_int_equal(jy_render_check_text("a\nb", 5, false, "f", &err), JY_INVALID);
    assert_string_equal(err.reason, "control_character");
    assert_int_equal(jy_render_check_text("a\nb", 5, true, "f", &err), JY_OK);
    assert_int_equal(jy_render_check_text("a\rb", 5, true, "f", &err), JY_INVALID);
    assert_int_equal(jy_render_check_text("a\x7f", 5, true, "f", &err), JY_INVALID);
    /* Malformed UTF-8: overlong, surrogate, beyond U+10FFFF, cut, stray continuation. */
    const char *bad[] = {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE5\xBC", "\x80"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(jy_render_check_text(bad[i], 10, true, "f", &err), JY_INVALID);
        assert_string_equal(err.reason, "bad_utf8");
    }
    assert_int_equal(jy_render_check_text("\xF0\x9F\x98\x80", 10, false, NULL, NULL), JY_OK);
}

static void test_format_time(void **state)
{
    (void)state;
    char buf[JY_RENDER_TIME_SIZE];
    /* 2026-11-29 09:36:00 UTC is 17:36 in Shanghai. */
    jy_render_format_time(1795944960, buf);
    assert_string_equal(buf, "2026-11-29 17:36");
    /* 16:00 UTC is midnight of the next day in Shanghai. */
    jy_render_format_time(1795881600, buf);
    assert_string_equal(buf, "2026-11-29 00:00");
    jy_render_format_time(1795881599, buf);
    assert_string_equal(buf, "2026-11-28 23:59");
    jy_render_format_time(0, buf);
    assert_string_equal(buf, "1970-01-01 08:00");
    jy_render_format_time(-8 * 3600 - 60, buf);
    assert_string_equal(buf, "1969-12-31 23:59");
    jy_render_format_time(INT64_MAX, buf);
    assert_string_equal(buf, "0000-00-00 00:00");
    jy_render_format_time(INT64_MIN, buf);
    assert_string_equal(buf, "0000-00-00 00:00");
    assert_int_equal(jy_render_shanghai_seconds(1795944960), 17 * 3600 + 36 * 60);
    assert_int_equal(jy_render_shanghai_seconds(-8 * 3600 - 1), 86399);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_name),
        cmocka_unit_test(test_check_text),
        cmocka_unit_test(test_format_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
