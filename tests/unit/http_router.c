/*
 * Unit tests for src/http/router.c and src/http/text.c: pattern checks, matching and its
 * precedence, parameters and their percent-decoding, 404 and 405 with the allowed methods.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"
#include "http/text.h"

static void h_a(struct jy_http_request *req, struct jy_http_response *res)
{
    (void)req;
    (void)res;
}

static void h_b(struct jy_http_request *req, struct jy_http_response *res)
{
    (void)req;
    (void)res;
}

#define NEEDS JY_ROUTE_NEEDS_CSRF
static const struct jy_http_route routes[] = {
    {JY_HTTP_GET, "/", h_a, JY_ROUTE_PUBLIC, 0, "root"},
    {JY_HTTP_GET, "/api/v1/applications", h_a, 0, 0, "list"},
    {JY_HTTP_POST, "/api/v1/applications", h_a, NEEDS, 0, "create"},
    {JY_HTTP_GET, "/api/v1/applications/{number}", h_a, 0, 0, "one"},
    {JY_HTTP_GET, "/api/v1/applications/{number}/events", h_a, 0, 0, "events"},
    {JY_HTTP_POST, "/api/v1/applications/{number}/complete", h_b, NEEDS, 0, "complete"},
    {JY_HTTP_GET, "/api/v1/applications/search", h_a, 0, 0, "search"},
    {JY_HTTP_GET, "/api/v1/stations/{station}/queue/{page}", h_a, 0, 0, "queue"},
    {JY_HTTP_GET, "/static/{path*}", h_a, JY_ROUTE_PUBLIC, 0, "static"},
    {JY_HTTP_GET, "/static/special", h_a, JY_ROUTE_PUBLIC, 0, "special"},
    {JY_HTTP_DELETE, "/api/v1/session", h_a, NEEDS, 0, "logout"},
    {JY_HTTP_POST, "/api/v1/session", h_a, JY_ROUTE_PUBLIC, 0, "login"},
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

static enum jy_err match(enum jy_http_method m, const char *path, struct jy_router_match *ret,
                         unsigned *allowed, struct jy_error *err)
{
    return jy_router_match(routes, N_ROUTES, m, path, strlen(path), ret, allowed, err);
}

static const char *data_of(const struct jy_router_match *m)
{
    return m->route->data;
}

static void test_table_is_valid(void **state)
{
    (void)state;
    struct jy_error err;
    assert_int_equal(jy_router_check(routes, N_ROUTES, true, &err), JY_OK);
    /* Without an authenticate hook, a route that needs one is refused at start. */
    assert_int_equal(jy_router_check(routes, N_ROUTES, false, &err), JY_INVALID);
    assert_non_null(strstr(err.message, "authenticate"));
}

static void test_literal_and_params(void **state)
{
    (void)state;
    struct jy_router_match m;
    struct jy_error err;
    assert_int_equal(match(JY_HTTP_GET, "/", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "root");
    assert_int_equal(m.n_params, 0);

    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "list");
    assert_int_equal(match(JY_HTTP_POST, "/api/v1/applications", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "create");

    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/J4201ABC/events", &m, NULL, &err),
                     JY_OK);
    assert_string_equal(data_of(&m), "events");
    assert_int_equal(m.n_params, 1);
    assert_string_equal(jy_router_param(&m, "number"), "J4201ABC");
    assert_null(jy_router_param(&m, "station"));

    assert_int_equal(match(JY_HTTP_GET, "/api/v1/stations/review/queue/3", &m, NULL, &err), JY_OK);
    assert_string_equal(jy_router_param(&m, "station"), "review");
    assert_string_equal(jy_router_param(&m, "page"), "3");
}

static void test_precedence(void **state)
{
    (void)state;
    struct jy_router_match m;
    struct jy_error err;
    /* A literal segment beats a parameter, whatever the table order. */
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/search", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "search");
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/searcher", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "one");
    /* A literal beats a trailing {path*}. */
    assert_int_equal(match(JY_HTTP_GET, "/static/special", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "special");
    assert_int_equal(match(JY_HTTP_GET, "/static/css/app.css", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "static");
    assert_string_equal(jy_router_param(&m, "path"), "css/app.css");
    assert_int_equal(match(JY_HTTP_GET, "/static/", &m, NULL, &err), JY_OK);
    assert_string_equal(jy_router_param(&m, "path"), "");
}

static void test_percent_decoding(void **state)
{
    (void)state;
    struct jy_router_match m;
    struct jy_error err;
    /* "%2F" inside a segment is data, not a separator. */
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/a%2Fb", &m, NULL, &err), JY_OK);
    assert_string_equal(data_of(&m), "one");
    assert_string_equal(jy_router_param(&m, "number"), "a/b");
    /* UTF-8 (鄂A12345, a plate) and '+' kept as '+' in a path. */
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/%E9%84%82A12345+x", &m, NULL, &err),
                     JY_OK);
    assert_string_equal(jy_router_param(&m, "number"), "鄂A12345+x");
    /* Bad encodings are 400s naming the parameter. */
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/%zz", &m, NULL, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_percent_encoding");
    assert_string_equal(err.field, "number");
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/ab%2", &m, NULL, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_percent_encoding");
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/%00x", &m, NULL, &err), JY_INVALID);
    assert_string_equal(err.reason, "control_character");
    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/%C0%AF", &m, NULL, &err), JY_INVALID);
    assert_string_equal(err.reason, "invalid_utf8");
    /* Longer than JY_HTTP_PATH_PARAM_MAX_BYTES once decoded. */
    char path[64 + 3 * (JY_HTTP_PATH_PARAM_MAX_BYTES + 1)];
    int n = snprintf(path, sizeof(path), "/api/v1/applications/");
    for (int i = 0; i <= JY_HTTP_PATH_PARAM_MAX_BYTES; i++)
        n += snprintf(path + n, sizeof(path) - (size_t)n, "%%41");
    assert_int_equal(match(JY_HTTP_GET, path, &m, NULL, &err), JY_TOO_LONG);
    assert_string_equal(err.field, "number");
    /* Exactly the limit is fine. */
    path[strlen(path) - 3] = '\0';
    assert_int_equal(match(JY_HTTP_GET, path, &m, NULL, &err), JY_OK);
    assert_int_equal(strlen(jy_router_param(&m, "number")), JY_HTTP_PATH_PARAM_MAX_BYTES);
}

static void test_not_found(void **state)
{
    (void)state;
    struct jy_router_match m;
    struct jy_error err;
    unsigned allowed = 0;
    const char *missing[] = {
        "/api/v1/nothing",
        "/api/v1/applications/", /* empty parameter */
        "/api/v1/applications//events",
        "/api/v1/applications/x/events/more",
        "/api/v1/Applications",   /* literals are case-sensitive */
        "/api/v1/%61pplications", /* and compared as sent */
        "/static",                /* {path*} needs the slash */
        "",
        "api/v1/applications",
        "//",
    };
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        assert_int_equal(match(JY_HTTP_GET, missing[i], &m, &allowed, &err), JY_NOT_FOUND);
        assert_int_equal(jy_err_http_status(err.code), 404);
    }
}

static void test_method_not_allowed(void **state)
{
    (void)state;
    struct jy_router_match m;
    struct jy_error err;
    unsigned allowed = 0;
    char allow[64];
    assert_int_equal(match(JY_HTTP_PUT, "/api/v1/applications", &m, &allowed, &err),
                     JY_METHOD_NOT_ALLOWED);
    assert_int_equal(jy_err_http_status(err.code), 405);
    jy_http_allow_format(allowed, allow, sizeof(allow));
    assert_string_equal(allow, "GET, HEAD, POST");

    assert_int_equal(match(JY_HTTP_GET, "/api/v1/applications/x/complete", &m, &allowed, &err),
                     JY_METHOD_NOT_ALLOWED);
    jy_http_allow_format(allowed, allow, sizeof(allow));
    assert_string_equal(allow, "POST");

    assert_int_equal(match(JY_HTTP_GET, "/api/v1/session", &m, &allowed, &err),
                     JY_METHOD_NOT_ALLOWED);
    jy_http_allow_format(allowed, allow, sizeof(allow));
    assert_string_equal(allow, "POST, DELETE");

    /* An unknown method never matches. */
    assert_int_equal(match(JY_HTTP_OTHER, "/", &m, &allowed, &err), JY_METHOD_NOT_ALLOWED);
    /* HEAD is answered by the GET route. */
    assert_int_equal(match(JY_HTTP_HEAD, "/api/v1/applications/x", &m, &allowed, &err), JY_OK);
    assert_string_equal(data_of(&m), "one");
}

static void test_methods(void **state)
{
    (void)state;
    assert_int_equal(jy_http_method_parse("GET"), JY_HTTP_GET);
    assert_int_equal(jy_http_method_parse("DELETE"), JY_HTTP_DELETE);
    assert_int_equal(jy_http_method_parse("get"), JY_HTTP_OTHER);
    assert_int_equal(jy_http_method_parse("BREW"), JY_HTTP_OTHER);
    assert_int_equal(jy_http_method_parse(NULL), JY_HTTP_OTHER);
    assert_true(jy_http_method_changes_state(JY_HTTP_PATCH));
    assert_false(jy_http_method_changes_state(JY_HTTP_HEAD));
    char small[8];
    jy_http_allow_format(JY_HTTP_GET | JY_HTTP_POST | JY_HTTP_DELETE, small, sizeof(small));
    assert_string_equal(small, "GET"); /* cut at a whole method */
}

static void check_bad(const struct jy_http_route *r, size_t n, const char *needle)
{
    struct jy_error err;
    assert_int_equal(jy_router_check(r, n, true, &err), JY_INVALID);
    if (!strstr(err.message, needle))
        fail_msg("expected '%s' in '%s'", needle, err.message);
}

static void test_bad_tables(void **state)
{
    (void)state;
    const struct jy_http_route r1[] = {{JY_HTTP_GET, "api", h_a, 0, 0, NULL}};
    check_bad(r1, 1, "start with '/'");
    const struct jy_http_route r2[] = {{JY_HTTP_GET, "/a/{Number}", h_a, 0, 0, NULL}};
    check_bad(r2, 1, "[a-z_]");
    const struct jy_http_route r3[] = {{JY_HTTP_GET, "/a/{x}/{x}", h_a, 0, 0, NULL}};
    check_bad(r3, 1, "repeats");
    const struct jy_http_route r4[] = {{JY_HTTP_GET, "/a/{p*}/b", h_a, 0, 0, NULL}};
    check_bad(r4, 1, "not last");
    const struct jy_http_route r5[] = {{JY_HTTP_GET | JY_HTTP_POST, "/a", h_a, 0, 0, NULL}};
    check_bad(r5, 1, "one known method");
    const struct jy_http_route r6[] = {{JY_HTTP_GET, "/a", NULL, 0, 0, NULL}};
    check_bad(r6, 1, "no handler");
    const struct jy_http_route r7[] = {{JY_HTTP_POST, "/a", h_a, 0, 0, NULL}};
    check_bad(r7, 1, "NEEDS_CSRF or JY_ROUTE_NO_CSRF");
    const struct jy_http_route r8[] = {{JY_HTTP_POST, "/a", h_a, JY_ROUTE_PUBLIC | NEEDS, 0, NULL}};
    check_bad(r8, 1, "public");
    const struct jy_http_route r9[] = {{JY_HTTP_GET, "/a", h_a, NEEDS, 0, NULL}};
    check_bad(r9, 1, "changes nothing");
    const struct jy_http_route r10[] = {{JY_HTTP_GET, "/a/{x}", h_a, 0, 0, NULL},
                                        {JY_HTTP_GET, "/a/{y}", h_b, 0, 0, NULL}};
    check_bad(r10, 2, "overlaps");
    const struct jy_http_route r11[] = {
        {JY_HTTP_POST, "/a", h_a, NEEDS, JY_HTTP_DOCUMENT_MAX_BYTES + 1, NULL}};
    check_bad(r11, 1, "body above");
    const struct jy_http_route r12[] = {{JY_HTTP_GET, "/a/../b", h_a, 0, 0, NULL}};
    check_bad(r12, 1, "'..'");
    const struct jy_http_route r13[] = {{JY_HTTP_GET, "/a b", h_a, 0, 0, NULL}};
    check_bad(r13, 1, "needs encoding");
    const struct jy_http_route r14[] = {
        {JY_HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", h_a, 0, 0, NULL}};
    check_bad(r14, 1, "too many parameters");
    /* Same pattern, different methods: fine. */
    const struct jy_http_route ok[] = {{JY_HTTP_GET, "/a/{x}", h_a, 0, 0, NULL},
                                       {JY_HTTP_DELETE, "/a/{y}", h_b, JY_ROUTE_NO_CSRF, 0, NULL}};
    assert_int_equal(jy_router_check(ok, 2, true, NULL), JY_OK);
}

static void test_text(void **state)
{
    (void)state;
    char buf[16];
    size_t len = 99;
    struct jy_error err;
    assert_int_equal(jy_http_percent_decode("a+b%20c", 7, true, buf, sizeof(buf), &len, "q", &err),
                     JY_OK);
    assert_string_equal(buf, "a b c");
    assert_int_equal(len, 5);
    assert_int_equal(jy_http_percent_decode("a+b", 3, false, buf, sizeof(buf), &len, "q", &err),
                     JY_OK);
    assert_string_equal(buf, "a+b");
    assert_int_equal(
        jy_http_percent_decode("%e9%84%82", 9, false, buf, sizeof(buf), &len, NULL, &err), JY_OK);
    assert_string_equal(buf, "鄂");
    /* Exactly fits (15 bytes + NUL), then one too many. */
    assert_int_equal(jy_http_percent_decode("123456789012345", 15, false, buf, 16, &len, "q", &err),
                     JY_OK);
    len = 7;
    assert_int_equal(
        jy_http_percent_decode("1234567890123456", 16, false, buf, 16, &len, "q", &err),
        JY_TOO_LONG);
    assert_int_equal(len, 7); /* untouched on failure */
    assert_int_equal(jy_http_percent_decode("%7f", 3, false, buf, 16, &len, "q", &err), JY_INVALID);
    assert_int_equal(jy_http_percent_decode("%0a", 3, false, buf, 16, &len, "q", &err), JY_INVALID);
    assert_int_equal(jy_http_percent_decode("%", 1, false, buf, 16, &len, "q", &err), JY_INVALID);

    assert_true(jy_utf8_valid("鄂A", strlen("鄂A")));
    assert_false(jy_utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
    assert_false(jy_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(jy_utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
    assert_false(jy_utf8_valid("\xff", 1));
    assert_int_equal(jy_utf8_valid_prefix("ab\xe9\x84", 4), 2); /* cut mid-character */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_valid), cmocka_unit_test(test_literal_and_params),
        cmocka_unit_test(test_precedence),     cmocka_unit_test(test_percent_decoding),
        cmocka_unit_test(test_not_found),      cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_methods),        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
