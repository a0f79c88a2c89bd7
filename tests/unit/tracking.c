/*
 * tracking.c — unit tests of src/core/tracking (a carrier's tracking export): CSV with English
 * and Chinese headers, quoted fields with commas, a byte-order mark, Chinese statuses turned into
 * codes, times without a zone given +08:00, blank lines, bad rows kept with their line numbers,
 * JSON lines with extra keys, wrong types and lines that are not JSON, and the refusals of the
 * whole file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/tracking.h"
#include "limits.h"

static struct jy_tracking_file parse_ok(const char *text)
{
    struct jy_tracking_file f;
    struct jy_error err;
    if (jy_tracking_parse(text, strlen(text), &f, &err) != JY_OK)
        fail_msg("parse: %s", err.message);
    return f;
}

static void test_csv(void **state)
{
    (void)state;
    struct jy_tracking_file f =
        parse_ok("\xEF\xBB\xBF邮件号, 状态 ,时间,地点,原因,extra\r\n"
                 "EA100000005CN,已收寄,2026-11-28 09:00:00,武汉邮区中心局,,x\r\n"
                 "\r\n"
                 "\"EA100000005CN\",投递失败,2026-11-28 16:00,\"武昌, 彭刘杨路\",收件人不在,y\n"
                 "EA100000005CN,DELIVERED,2026-11-28T17:00:00Z,,,\n"
                 ",shipped,2026-11-28 09:00:00,,,\n");
    assert_false(f.json_lines);
    assert_int_equal(f.count, 4);
    assert_int_equal(f.rows[0].line, 2);
    assert_string_equal(f.rows[0].waybill, "EA100000005CN");
    assert_string_equal(f.rows[0].status, "shipped");
    assert_string_equal(f.rows[0].at, "2026-11-28T09:00:00+08:00");
    assert_string_equal(f.rows[0].location, "武汉邮区中心局");
    assert_null(f.rows[0].failure_reason);
    assert_int_equal(f.rows[1].line, 4);
    assert_string_equal(f.rows[1].status, "delivery_failed");
    assert_string_equal(f.rows[1].at, "2026-11-28T16:00:00+08:00");
    assert_string_equal(f.rows[1].location, "武昌, 彭刘杨路");
    assert_string_equal(f.rows[1].failure_reason, "收件人不在");
    assert_string_equal(f.rows[2].status, "delivered");
    assert_string_equal(f.rows[2].at, "2026-11-28T17:00:00Z");
    assert_true(f.rows[3].bad);
    assert_int_equal(f.rows[3].line, 6);
    assert_string_equal(f.rows[3].error.reason, "missing_field");
    assert_string_equal(f.rows[3].error.field, "waybill");
    jy_tracking_free(&f);
}

static void test_json_lines(void **state)
{
    (void)state;
    struct jy_tracking_file f = parse_ok(
        "  {\"mailno\": \"EA100000005CN\", \"status\": \"派送中\", \"time\": \"2026-11-28 10:00\","
        " \"carrier\": \"EMS\"}\n"
        "\n"
        "not json\n"
        "[1]\n"
        "{\"waybill\": 5, \"status\": \"shipped\", \"at\": \"2026-11-28T09:00:00Z\"}\n"
        "{\"waybill\": \"EA100000005CN\", \"status\": \"shipped\"}\n"
        "{\"item_number\": \"EA100000005CN\", \"status\": \"returned\", \"event_time\": "
        "\"2026-11-28T18:00:00+08:00\", \"reason\": null}");
    assert_true(f.json_lines);
    assert_int_equal(f.count, 6);
    assert_false(f.rows[0].bad);
    assert_string_equal(f.rows[0].status, "out_for_delivery");
    assert_string_equal(f.rows[0].at, "2026-11-28T10:00:00+08:00");
    assert_int_equal(f.rows[1].line, 3);
    assert_string_equal(f.rows[1].error.reason, "bad_json");
    assert_string_equal(f.rows[2].error.reason, "not_an_object");
    assert_int_equal(f.rows[3].line, 5);
    assert_string_equal(f.rows[3].error.reason, "wrong_type");
    assert_string_equal(f.rows[3].error.field, "waybill");
    assert_string_equal(f.rows[4].error.field, "at");
    assert_int_equal(f.rows[5].line, 7);
    assert_false(f.rows[5].bad);
    assert_string_equal(f.rows[5].status, "returned");
    assert_null(f.rows[5].failure_reason);
    jy_tracking_free(&f);
}

static void expect_refused(const char *text, enum jy_err code, const char *reason)
{
    struct jy_tracking_file f;
    struct jy_error err;
    jy_error_clear(&err);
    assert_int_equal(jy_tracking_parse(text, strlen(text), &f, &err), code);
    assert_string_equal(err.reason, reason);
}

static void test_refused(void **state)
{
    (void)state;
    expect_refused("", JY_INVALID, "empty_file");
    expect_refused(" \n\r\n", JY_INVALID, "empty_file");
    expect_refused("waybill,status\nEA100000005CN,shipped\n", JY_INVALID, "bad_header");
    expect_refused("waybill,status,time\n\"EA1,shipped,x\n", JY_INVALID, "bad_csv");
    /* A file over the limit is refused before it is read. */
    struct jy_tracking_file f;
    struct jy_error err;
    assert_int_equal(jy_tracking_parse("x", (size_t)JY_TRACKING_FILE_MAX_BYTES + 1, &f, &err),
                     JY_TOO_LARGE);
    /* A header alone is a file of no rows. */
    f = parse_ok("waybill,status,time\n");
    assert_int_equal(f.count, 0);
    jy_tracking_free(&f);
    jy_tracking_free(NULL);
}

static void test_long_line(void **state)
{
    (void)state;
    size_t n = JY_TRACKING_LINE_MAX_BYTES + 100;
    static const char head[] = "waybill,status,time\nEA100000005CN,shipped,";
    static const char tail[] = "\nEA100000005CN,shipped,2026-11-28 09:00\n";
    char *text = malloc(sizeof(head) + n + sizeof(tail));
    assert_non_null(text);
    memcpy(text, head, sizeof(head) - 1);
    memset(text + sizeof(head) - 1, '9', n);
    memcpy(text + sizeof(head) - 1 + n, tail, sizeof(tail));
    struct jy_tracking_file f = parse_ok(text);
    assert_int_equal(f.count, 2);
    assert_true(f.rows[0].bad);
    assert_string_equal(f.rows[0].error.reason, "line_too_long");
    assert_int_equal(f.rows[1].line, 3);
    assert_false(f.rows[1].bad);
    jy_tracking_free(&f);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
