/*
 * Unit tests for src/http/session.c: token shape and randomness, hashing, constant-time match,
 * and the cookie text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/session.h"

static void test_tokens(void **state)
{
    (void)state;
    char a[JY_SESSION_TOKEN_SIZE], b[JY_SESSION_TOKEN_SIZE];
    assert_int_equal(jy_session_token_new(a, NULL), JY_OK);
    assert_int_equal(jy_session_token_new(b, NULL), JY_OK);
    assert_int_equal(strlen(a), 43);
    assert_string_not_equal(a, b);
    assert_true(jy_session_token_valid(a));
    for (const char *p = a; *p; p++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    assert_false(jy_session_token_valid(NULL));
    assert_false(jy_session_token_valid(""));
    char bad[JY_SESSION_TOKEN_SIZE + 1];
    memcpy(bad, a, sizeof(a));
    bad[10] = '+'; /* standard base64, not base64url */
    assert_false(jy_session_token_valid(bad));
    memcpy(bad, a, sizeof(a));
    bad[43] = 'A';
    bad[44] = '\0';
    assert_false(jy_session_token_valid(bad)); /* too long */
}

static void test_hash_and_match(void **state)
{
    (void)state;
    char t[JY_SESSION_TOKEN_SIZE], other[JY_SESSION_TOKEN_SIZE];
    uint8_t h[JY_SESSION_HASH_BYTES], h2[JY_SESSION_HASH_BYTES];
    char hex[JY_SESSION_HASH_HEX_SIZE];
    struct jy_error err;
    jy_session_token_new(t, NULL);
    jy_session_token_new(other, NULL);
    assert_int_equal(jy_session_token_hash(t, h, &err), JY_OK);
    assert_int_equal(jy_session_token_hash(t, h2, &err), JY_OK);
    assert_memory_equal(h, h2, sizeof(h));
    assert_true(jy_session_token_matches(t, h));
    assert_false(jy_session_token_matches(other, h));
    assert_false(jy_session_token_matches(NULL, h));
    assert_false(jy_session_token_matches("short", h));
    assert_int_equal(jy_session_token_hash("nope", h2, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_token");
    /* SHA-256 of the text (as sha256sum gives it). */
    const char *fixed = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_int_equal(jy_session_token_hash_hex(fixed, hex, &err), JY_OK);
    assert_int_equal(strlen(hex), 64);
    assert_string_equal(hex, "0f007385b6f9d4b7eeb2748605afe1a984a0a3bfa3f014d09e2a784ce9e5cd1a");
    assert_true(jy_session_equal("abc", "abc", 3));
    assert_false(jy_session_equal("abc", "abd", 3));
}

static void test_cookie(void **state)
{
    (void)state;
    char t[JY_SESSION_TOKEN_SIZE];
    char c[JY_SESSION_COOKIE_SIZE], want[JY_SESSION_COOKIE_SIZE];
    struct jy_error err;
    jy_session_token_new(t, NULL);
    assert_int_equal(jy_session_cookie(t, false, 0, c, sizeof(c), &err), JY_OK);
    snprintf(want, sizeof(want), "jy_session=%s; HttpOnly; SameSite=Strict; Path=/", t);
    assert_string_equal(c, want);
    assert_int_equal(jy_session_cookie(t, true, 28800, c, sizeof(c), &err), JY_OK);
    snprintf(want, sizeof(want),
             "jy_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800; Secure", t);
    assert_string_equal(c, want);
    assert_int_equal(jy_session_cookie("x; Path=/evil", false, 0, c, sizeof(c), &err), JY_INVALID);
    assert_int_equal(jy_session_cookie(t, false, 0, c, 20, &err), JY_TOO_LONG);
    assert_int_equal(jy_session_cookie_clear(false, c, sizeof(c), &err), JY_OK);
    assert_string_equal(c, "jy_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_hash_and_match),
        cmocka_unit_test(test_cookie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
