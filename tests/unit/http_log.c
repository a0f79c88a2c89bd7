/*
 * Unit tests for src/http/log.c: the request line (fields, query string dropped, invalid bytes,
 * long paths) and the personal-data masks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "http/log.h"

/* Log `e` into a memory stream and parse the one line back. */
static json_t *log_and_parse(const struct jy_log_request *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    jy_log_request(f, e);
    fclose(f);
    assert_true(len > 0);
    assert_int_equal(buf[len - 1], '\n');
    assert_null(memchr(buf, '\n', len - 1)); /* exactly one line */
    json_error_t jerr;
    json_t *obj = json_loadb(buf, len, 0, &jerr);
    free(buf);
    assert_non_null(obj);
    return obj;
}

static void test_request_line(void **state)
{
    (void)state;
    struct jy_log_request e = {
        .start_ms = 1767225600123, /* 2026-01-01T00:00:00.123Z */
        .request_id = "0123456789abcdef",
        .method = "GET",
        .target = "/api/v1/track/J42?id_last4=002X",
        .status = 200,
        .duration_us = 1234,
        .bytes = 85,
        .user = NULL,
    };
    json_t *o = log_and_parse(&e);
    assert_string_equal(json_string_value(json_object_get(o, "time")), "2026-01-01T00:00:00.123Z");
    assert_string_equal(json_string_value(json_object_get(o, "method")), "GET");
    assert_string_equal(json_string_value(json_object_get(o, "path")), "/api/v1/track/J42");
    assert_int_equal(json_integer_value(json_object_get(o, "status")), 200);
    assert_true(json_real_value(json_object_get(o, "duration_ms")) > 1.233 &&
                json_real_value(json_object_get(o, "duration_ms")) < 1.235);
    assert_int_equal(json_integer_value(json_object_get(o, "bytes")), 85);
    assert_true(json_is_null(json_object_get(o, "user")));
    assert_string_equal(json_string_value(json_object_get(o, "request_id")), "0123456789abcdef");
    assert_null(json_object_get(o, "outcome"));
    json_decref(o);

    /* Not answered, a user, invalid bytes in the path. */
    e.status = 0;
    e.user = "clerk";
    e.outcome = "timeout";
    e.target = "/bad\xff\xfepath";
    o = log_and_parse(&e);
    assert_true(json_is_null(json_object_get(o, "status")));
    assert_string_equal(json_string_value(json_object_get(o, "user")), "clerk");
    assert_string_equal(json_string_value(json_object_get(o, "outcome")), "timeout");
    assert_string_equal(json_string_value(json_object_get(o, "path")), "/bad??path");
    json_decref(o);

    /* A very long path is cut and marked. */
    char *longp = malloc(5000);
    memset(longp, 'a', 4999);
    longp[0] = '/';
    longp[4999] = '\0';
    e.target = longp;
    o = log_and_parse(&e);
    const char *p = json_string_value(json_object_get(o, "path"));
    assert_int_equal(strlen(p), JY_LOG_PATH_MAX + strlen("…"));
    assert_string_equal(p + JY_LOG_PATH_MAX, "…");
    json_decref(o);
    free(longp);
}

static void test_masks(void **state)
{
    (void)state;
    char b[JY_LOG_MASK_SIZE];
    assert_string_equal(jy_log_mask_id("11010519491231002X", b), "110105********002X");
    assert_string_equal(jy_log_mask_id("110105491231002", b), "110105********1002"); /* 15 */
    assert_string_equal(jy_log_mask_id("1234567890", b), "********");
    assert_string_equal(jy_log_mask_id("11010519491231002\xe5", b), "********");
    assert_string_equal(jy_log_mask_id(NULL, b), "");

    assert_string_equal(jy_log_mask_mobile("13800138000", b), "138****8000");
    assert_string_equal(jy_log_mask_mobile("+8613800138000", b), "+86****8000");
    assert_string_equal(jy_log_mask_mobile("12345", b), "****");

    assert_string_equal(jy_log_mask_name("张三", b), "张*");
    assert_string_equal(jy_log_mask_name("欧阳娜娜", b), "欧阳*");
    assert_string_equal(jy_log_mask_name("司马光", b), "司马*");
    assert_string_equal(jy_log_mask_name("欧阳", b), "欧*"); /* a one-character given name */
    assert_string_equal(jy_log_mask_name("Smith", b), "S*");
    assert_string_equal(jy_log_mask_name("\xff\xfe", b), "*");
    assert_string_equal(jy_log_mask_name("\xe5\xbc", b), "*"); /* cut mid-character */
    assert_string_equal(jy_log_mask_name("", b), "*");
}

static void test_time(void **state)
{
    (void)state;
    char t[25];
    assert_string_equal(jy_log_time(0, t), "1970-01-01T00:00:00.000Z");
    assert_string_equal(jy_log_time(-1, t), "1969-12-31T23:59:59.999Z");
    assert_string_equal(jy_log_time(951782400000, t), "2000-02-29T00:00:00.000Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_line),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
