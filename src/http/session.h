/*
 * session.h — session and CSRF tokens, without a store.
 *
 * A token is 32 random bytes from libsodium's CSPRNG, written in base64url without padding
 * (43 characters). The client holds the token itself (the session cookie, or the CSRF token it
 * sends back in X-CSRF-Token); the server keeps only its SHA-256, so a copy of the database does
 * not let anyone act as a logged-in user. Comparisons against a stored hash take the same time
 * whatever the bytes (sodium_memcmp). All functions are thread-safe.
 */
#ifndef JY_HTTP_SESSION_H
#define JY_HTTP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Random bytes in a token. */
#define JY_SESSION_TOKEN_BYTES 32
/* Characters of a token in base64url without padding, and the buffer size with its NUL. */
#define JY_SESSION_TOKEN_LEN 43
#define JY_SESSION_TOKEN_SIZE (JY_SESSION_TOKEN_LEN + 1)
/* Bytes of a token's SHA-256, and the size of its lowercase hex text with NUL. */
#define JY_SESSION_HASH_BYTES 32
#define JY_SESSION_HASH_HEX_SIZE (2 * JY_SESSION_HASH_BYTES + 1)
/* The session cookie's name. */
#define JY_SESSION_COOKIE "jy_session"
/* The request header that carries the CSRF token. */
#define JY_CSRF_HEADER "X-CSRF-Token"
/* Room for a Set-Cookie value made by jy_session_cookie (with Secure and Max-Age). */
#define JY_SESSION_COOKIE_SIZE 160

/* Initialise libsodium (idempotent; called by every function here that needs it). Errors:
 * JY_INTERNAL when the library cannot start. */
enum jy_err jy_session_init(struct jy_error *err);

/* A new random token into `ret_token` (NUL-terminated). Errors: JY_INTERNAL. */
enum jy_err jy_session_token_new(char ret_token[JY_SESSION_TOKEN_SIZE], struct jy_error *err);

/* True when `token` is exactly JY_SESSION_TOKEN_LEN characters of base64url that decode to
 * JY_SESSION_TOKEN_BYTES bytes. NULL is not a token. */
bool jy_session_token_valid(const char *token);

/* SHA-256 of the token's text into `ret_hash` — what the store keeps. Errors: JY_INVALID
 * reason "bad_token" when `token` is not a well-formed token (the hash is not computed then). */
enum jy_err jy_session_token_hash(const char *token, uint8_t ret_hash[JY_SESSION_HASH_BYTES],
                                  struct jy_error *err);

/* The same hash as lowercase hex, for a TEXT column. Errors as jy_session_token_hash. */
enum jy_err jy_session_token_hash_hex(const char *token, char ret_hex[JY_SESSION_HASH_HEX_SIZE],
                                      struct jy_error *err);

/* True when `token` (untrusted, may be NULL or any length) is well-formed and its SHA-256
 * equals `hash`. The hashes are compared in constant time. */
bool jy_session_token_matches(const char *token, const uint8_t hash[JY_SESSION_HASH_BYTES]);

/* Constant-time comparison of two secrets of `len` bytes (sodium_memcmp). */
bool jy_session_equal(const void *a, const void *b, size_t len);

/* The Set-Cookie value for a session:
 *     jy_session=<token>; HttpOnly; SameSite=Strict; Path=/[; Max-Age=<n>][; Secure]
 * `max_age_seconds` 0 leaves Max-Age out (a browser-session cookie). Written NUL-terminated into
 * `buf` of `size` bytes (JY_SESSION_COOKIE_SIZE is enough). Errors: JY_INVALID "bad_token" for a
 * malformed token; JY_TOO_LONG when `buf` is too small. `buf` unspecified on failure. */
enum jy_err jy_session_cookie(const char *token, bool secure, int64_t max_age_seconds, char *buf,
                              size_t size, struct jy_error *err);

/* The Set-Cookie value that removes the session cookie (empty value, Max-Age=0), with the same
 * attributes. Errors: JY_TOO_LONG. */
enum jy_err jy_session_cookie_clear(bool secure, char *buf, size_t size, struct jy_error *err);

#endif /* JY_HTTP_SESSION_H */
