/*
 * Unit tests for src/http/json.c: body parsing with its limits (depth 32 vs 33, duplicates,
 * invalid UTF-8, malformed text with its position, non-objects), the typed getters and the names
 * they give in errors, and unknown-field rejection. Also the error shape of src/http/response.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/json.h"
#include "http/response.h"
#include "limits.h"

static enum jy_err parse(const char *text, json_t **ret, struct jy_error *err)
{
    return jy_json_parse_body(text, strlen(text), ret, err);
}

/* An object nested `depth` deep: {"a":{"a":…{}…}}. */
static char *nested_objects(int depth)
{
    size_t size = (size_t)depth * 6 + 1;
    char *s = malloc(size);
    size_t n = 0;
    for (int i = 0; i < depth - 1; i++)
        n += (size_t)snprintf(s + n, size - n, "{\"a\":");
    n += (size_t)snprintf(s + n, size - n, "{}");
    for (int i = 0; i < depth - 1; i++)
        s[n++] = '}';
    s[n] = '\0';
    return s;
}

/* {"a":[[[…]]]} with `depth` levels in all. */
static char *nested_arrays(int depth)
{
    size_t size = (size_t)depth * 2 + 16;
    char *s = malloc(size);
    size_t n = (size_t)snprintf(s, size, "{\"a\":");
    for (int i = 0; i < depth - 1; i++)
        s[n++] = '[';
    for (int i = 0; i < depth - 1; i++)
        s[n++] = ']';
    s[n++] = '}';
    s[n] = '\0';
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    struct jy_error err;
    json_t *root = NULL;
    char *ok = nested_objects(JY_JSON_MAX_DEPTH);
    char *deep = nested_objects(JY_JSON_MAX_DEPTH + 1);
    assert_int_equal(JY_JSON_MAX_DEPTH, 32);
    assert_int_equal(parse(ok, &root, &err), JY_OK);
    json_decref(root);
    root = NULL;
    assert_int_equal(parse(deep, &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "too_deep");
    assert_null(root);
    free(ok);
    free(deep);

    ok = nested_arrays(32);
    deep = nested_arrays(33);
    assert_int_equal(parse(ok, &root, &err), JY_OK);
    json_decref(root);
    root = NULL;
    assert_int_equal(parse(deep, &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "too_deep");
    free(ok);
    free(deep);

    /* Brackets inside strings, escaped quotes included, do not count. */
    const char *strings = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[[[[\"}";
    assert_int_equal(parse(strings, &root, &err), JY_OK);
    json_decref(root);

    /* A million '[' is refused by the scan, quickly, without reaching the parser. */
    size_t big = 1000000;
    char *flood = malloc(big + 1);
    memset(flood, '[', big);
    flood[big] = '\0';
    assert_int_equal(parse(flood, &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "too_deep");
    free(flood);
}

static void test_refusals(void **state)
{
    (void)state;
    struct jy_error err;
    json_t *root = NULL;

    assert_int_equal(parse("{\"a\":1,\"a\":2}", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "duplicate_key");
    assert_int_equal(parse("{\"o\":{\"k\":1,\"k\":1}}", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "duplicate_key");

    assert_int_equal(parse("{\"name\":\"\xe5\xbc\"}", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "invalid_utf8");
    assert_non_null(strstr(err.message, "byte 9"));
    assert_int_equal(parse("{\"name\":\"\xc0\xaf\"}", &root, &err), JY_INVALID); /* overlong */
    assert_string_equal(err.reason, "invalid_utf8");
    assert_int_equal(parse("{\"name\":\"\xed\xa0\x80\"}", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "invalid_utf8");
    /* An escaped lone surrogate is not UTF-8 either; jansson refuses it. */
    assert_int_equal(parse("{\"name\":\"\\ud800\"}", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "malformed_json");
    /* NUL inside a string. */
    assert_int_equal(parse("{\"name\":\"a\\u0000b\"}", &root, &err), JY_INVALID);

    assert_int_equal(parse("{\"a\":1,}", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "malformed_json");
    assert_non_null(strstr(err.message, "line 1, column"));
    assert_int_equal(parse("{\n  \"a\": tru\n}", &root, &err), JY_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
    assert_int_equal(parse("{\"a\":1} x", &root, &err), JY_INVALID); /* trailing garbage */
    assert_string_equal(err.reason, "malformed_json");
    assert_int_equal(parse("{\"n\":123456789012345678901234567890}", &root, &err), JY_INVALID);

    assert_int_equal(parse("[1,2]", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "not_an_object");
    assert_int_equal(parse("\"text\"", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "not_an_object");
    assert_int_equal(parse("", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "empty_body");
    assert_int_equal(parse(" \r\n", &root, &err), JY_INVALID);
    assert_string_equal(err.reason, "empty_body");
    assert_null(root); /* untouched through every failure */
    assert_int_equal(jy_err_http_status(err.code), 400);
}

static const char *intake =
    "{\"business_type\":\"D01\",\"count\":3,\"urgent\":true,\"note\":null,"
    "\"applicant\":{\"name\":\"张三\",\"id_type\":\"resident_id\",\"mobile\":\"13800138000\","
    "\"age\":1.5,\"empty\":\"\"},"
    "\"documents\":[\"id_card\",\"photo\"],\"vehicle\":\"oops\"}";

static void test_getters(void **state)
{
    (void)state;
    struct jy_error err;
    json_t *root = NULL;
    assert_int_equal(parse(intake, &root, &err), JY_OK);

    const char *s = NULL;
    assert_int_equal(jy_json_get_string(root, "business_type", true, 3, &s, &err), JY_OK);
    assert_string_equal(s, "D01");
    assert_int_equal(jy_json_get_string(root, "applicant.name", true, 200, &s, &err), JY_OK);
    assert_string_equal(s, "张三");

    /* Too long counts bytes: 张三 is 6. */
    s = "untouched";
    assert_int_equal(jy_json_get_string(root, "applicant.name", true, 5, &s, &err), JY_TOO_LONG);
    assert_string_equal(err.reason, "too_long");
    assert_string_equal(err.field, "applicant.name");
    assert_string_equal(s, "untouched");

    assert_int_equal(jy_json_get_string(root, "applicant.surname", true, 10, &s, &err), JY_INVALID);
    assert_string_equal(err.reason, "missing_field");
    assert_string_equal(err.field, "applicant.surname");
    assert_string_equal(err.message, "applicant.surname is required");
    assert_int_equal(jy_json_get_string(root, "applicant.empty", true, 10, &s, &err), JY_INVALID);
    assert_string_equal(err.reason, "missing_field");
    assert_int_equal(jy_json_get_string(root, "count", true, 10, &s, &err), JY_INVALID);
    assert_string_equal(err.reason, "wrong_type");
    assert_string_equal(err.field, "count");
    /* Through a non-object on the way: names the part that is wrong. */
    assert_int_equal(jy_json_get_string(root, "vehicle.plate", true, 10, &s, &err), JY_INVALID);
    assert_string_equal(err.reason, "wrong_type");
    assert_string_equal(err.field, "vehicle");

    /* Optional and absent (or null): JY_OK, output untouched. */
    s = "default";
    assert_int_equal(jy_json_get_string(root, "applicant.alias", false, 10, &s, &err), JY_OK);
    assert_string_equal(s, "default");
    assert_int_equal(jy_json_get_string(root, "note", false, 10, &s, &err), JY_OK);
    assert_string_equal(s, "default");
    assert_int_equal(jy_json_get_string(root, "licence.number", false, 10, &s, &err), JY_OK);
    assert_int_equal(jy_json_get_string(root, "note", true, 10, &s, &err), JY_INVALID);
    assert_string_equal(err.reason, "missing_field");

    int64_t n = -1;
    assert_int_equal(jy_json_get_int(root, "count", true, 1, 10, &n, &err), JY_OK);
    assert_int_equal(n, 3);
    assert_int_equal(jy_json_get_int(root, "count", true, 4, 10, &n, &err), JY_RANGE);
    assert_string_equal(err.reason, "out_of_range");
    assert_string_equal(err.field, "count");
    assert_int_equal(jy_json_get_int(root, "applicant.age", true, 0, 10, &n, &err), JY_INVALID);
    assert_string_equal(err.reason, "wrong_type");
    assert_string_equal(err.field, "applicant.age");
    assert_int_equal(n, 3);

    bool b = false;
    assert_int_equal(jy_json_get_bool(root, "urgent", true, &b, &err), JY_OK);
    assert_true(b);
    assert_int_equal(jy_json_get_bool(root, "count", true, &b, &err), JY_INVALID);
    assert_string_equal(err.field, "count");

    const json_t *o = NULL;
    assert_int_equal(jy_json_get_object(root, "applicant", true, &o, &err), JY_OK);
    assert_true(json_is_object(o));
    assert_int_equal(jy_json_get_object(root, "vehicle", true, &o, &err), JY_INVALID);
    assert_string_equal(err.reason, "wrong_type");

    const json_t *a = NULL;
    assert_int_equal(jy_json_get_array(root, "documents", true, 16, &a, &err), JY_OK);
    assert_int_equal(json_array_size(a), 2);
    assert_int_equal(jy_json_get_array(root, "documents", true, 1, &a, &err), JY_INVALID);
    assert_string_equal(err.reason, "too_many_items");
    assert_string_equal(err.field, "documents");
    json_decref(root);
}

static void test_unknown_fields(void **state)
{
    (void)state;
    struct jy_error err;
    json_t *root = NULL;
    assert_int_equal(parse(intake, &root, &err), JY_OK);
    static const char *const top[] = {"business_type", "count",     "urgent",  "note",
                                      "applicant",     "documents", "vehicle", NULL};
    static const char *const applicant[] = {"name", "id_type", "mobile", "age", NULL};
    assert_int_equal(jy_json_check_keys(root, NULL, top, &err), JY_OK);
    assert_int_equal(jy_json_check_keys(root, "applicant", applicant, &err), JY_INVALID);
    assert_string_equal(err.reason, "unknown_field");
    assert_string_equal(err.field, "applicant.empty");
    assert_int_equal(jy_err_http_status(err.code), 400);
    /* The first unknown key in document order is the one named. */
    static const char *const few[] = {"business_type", NULL};
    assert_int_equal(jy_json_check_keys(root, "", few, &err), JY_INVALID);
    assert_string_equal(err.field, "count");
    /* Absent object: nothing to check. A non-object: wrong_type. */
    assert_int_equal(jy_json_check_keys(root, "delivery", few, &err), JY_OK);
    assert_int_equal(jy_json_check_keys(root, "vehicle", few, &err), JY_INVALID);
    assert_string_equal(err.reason, "wrong_type");
    json_decref(root);

    /* A long hostile key is cut in the error but still named. */
    char body[400];
    snprintf(body, sizeof(body), "{\"%0300d\":1}", 7);
    assert_int_equal(parse(body, &root, &err), JY_OK);
    assert_int_equal(jy_json_check_keys(root, NULL, few, &err), JY_INVALID);
    assert_string_equal(err.reason, "unknown_field");
    assert_true(strlen(err.field) > 0 && strlen(err.field) < sizeof(err.field));
    json_decref(root);
}

static void test_error_shape(void **state)
{
    (void)state;
    struct jy_error err;
    jy_error_set(&err, JY_INVALID, "invalid_plate", "vehicle.plate", "plate %s is not valid",
                 "鄂Z");
    json_t *body = jy_http_error_body(&err);
    char *text = json_dumps(body, JSON_COMPACT);
    assert_string_equal(text, "{\"error\":{\"code\":\"invalid_plate\",\"message\":\"plate 鄂Z is "
                              "not valid\",\"field\":\"vehicle.plate\"}}");
    free(text);
    json_decref(body);

    /* No reason: the error's name; no field: left out. */
    jy_error_set(&err, JY_NOT_FOUND, NULL, NULL, NULL);
    body = jy_http_error_body(&err);
    text = json_dumps(body, JSON_COMPACT);
    assert_string_equal(text, "{\"error\":{\"code\":\"not_found\",\"message\":\"not found\"}}");
    free(text);
    json_decref(body);

    /* A message cut mid-character by the fixed buffer is trimmed to valid UTF-8. */
    char longmsg[400] = "";
    for (int i = 0; i < 100; i++)
        memcpy(longmsg + 3 * i, "鄂", 3);
    jy_error_set(&err, JY_INVALID, "x", NULL, "a%s", longmsg);
    assert_int_equal(strlen(err.message), 255);
    body = jy_http_error_body(&err);
    assert_non_null(body);
    const char *msg = json_string_value(json_object_get(json_object_get(body, "error"), "message"));
    assert_int_equal(strlen(msg), 253); /* "a" + 84 whole characters */
    json_decref(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_limit), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_getters),     cmocka_unit_test(test_unknown_fields),
        cmocka_unit_test(test_error_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
