/*
 * session.c — random tokens, their hashes, and the cookie that carries one.
 */
#include "http/session.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "banned.h"

enum jy_err jy_session_init(struct jy_error *err)
{
    if (sodium_init() < 0)
        return jy_error_set(err, JY_INTERNAL, "sodium_init", NULL, "libsodium failed to start");
    return JY_OK;
}

enum jy_err jy_session_token_new(char ret_token[JY_SESSION_TOKEN_SIZE], struct jy_error *err)
{
    enum jy_err e = jy_session_init(err);
    if (e != JY_OK)
        return e;
    unsigned char raw[JY_SESSION_TOKEN_BYTES];
    char text[JY_SESSION_TOKEN_SIZE];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, sizeof(text), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    memcpy(ret_token, text, sizeof(text));
    sodium_memzero(text, sizeof(text));
    return JY_OK;
}

bool jy_session_token_valid(const char *token)
{
    if (!token || strnlen(token, JY_SESSION_TOKEN_LEN + 1) != JY_SESSION_TOKEN_LEN)
        return false;
    if (sodium_init() < 0)
        return false;
    unsigned char raw[JY_SESSION_TOKEN_BYTES];
    size_t n = 0;
    const char *end = NULL;
    int rc = sodium_base642bin(raw, sizeof(raw), token, JY_SESSION_TOKEN_LEN, NULL, &n, &end,
                               sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    return rc == 0 && n == JY_SESSION_TOKEN_BYTES && end == token + JY_SESSION_TOKEN_LEN;
}

enum jy_err jy_session_token_hash(const char *token, uint8_t ret_hash[JY_SESSION_HASH_BYTES],
                                  struct jy_error *err)
{
    if (!jy_session_token_valid(token))
        return jy_error_set(err, JY_INVALID, "bad_token", NULL, "malformed token");
    crypto_hash_sha256(ret_hash, (const unsigned char *)token, JY_SESSION_TOKEN_LEN);
    return JY_OK;
}

enum jy_err jy_session_token_hash_hex(const char *token, char ret_hex[JY_SESSION_HASH_HEX_SIZE],
                                      struct jy_error *err)
{
    uint8_t hash[JY_SESSION_HASH_BYTES];
    enum jy_err e = jy_session_token_hash(token, hash, err);
    if (e != JY_OK)
        return e;
    sodium_bin2hex(ret_hex, JY_SESSION_HASH_HEX_SIZE, hash, sizeof(hash));
    return JY_OK;
}

bool jy_session_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}

bool jy_session_token_matches(const char *token, const uint8_t hash[JY_SESSION_HASH_BYTES])
{
    uint8_t given[JY_SESSION_HASH_BYTES];
    if (!hash || jy_session_token_hash(token, given, NULL) != JY_OK)
        return false;
    return jy_session_equal(given, hash, JY_SESSION_HASH_BYTES);
}

/* Write the cookie with `value` (already checked) and the common attributes. */
static enum jy_err format_cookie(const char *value, bool secure, int64_t max_age, bool with_age,
                                 char *buf, size_t size, struct jy_error *err)
{
    char age[40] = "";
    if (with_age)
        snprintf(age, sizeof(age), "; Max-Age=%" PRId64, max_age);
    int n = snprintf(buf, size, "%s=%s; HttpOnly; SameSite=Strict; Path=/%s%s", JY_SESSION_COOKIE,
                     value, age, secure ? "; Secure" : "");
    if (n < 0 || (size_t)n >= size)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "cookie buffer too small");
    return JY_OK;
}

enum jy_err jy_session_cookie(const char *token, bool secure, int64_t max_age_seconds, char *buf,
                              size_t size, struct jy_error *err)
{
    if (!jy_session_token_valid(token))
        return jy_error_set(err, JY_INVALID, "bad_token", NULL, "malformed token");
    if (max_age_seconds < 0)
        return jy_error_set(err, JY_RANGE, "out_of_range", NULL, "negative Max-Age");
    return format_cookie(token, secure, max_age_seconds, max_age_seconds > 0, buf, size, err);
}

enum jy_err jy_session_cookie_clear(bool secure, char *buf, size_t size, struct jy_error *err)
{
    return format_cookie("", secure, 0, true, buf, size, err);
}
