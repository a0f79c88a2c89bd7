/*
 * text.h — byte-string helpers shared by the HTTP layer: UTF-8 validation and percent-decoding.
 *
 * Everything that comes off the wire is bytes until checked; these functions are where bytes
 * become text. Pure functions, thread-safe, no allocation.
 */
#ifndef JY_HTTP_TEXT_H
#define JY_HTTP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* True when the `len` bytes at `s` are well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates U+D800..U+DFFF, nothing above U+10FFFF). NUL bytes are well-formed. */
bool jy_utf8_valid(const char *s, size_t len);

/* The length of the longest prefix of `s` (at most `len` bytes) that is well-formed UTF-8 and
 * ends on a character boundary: for text that may have been cut mid-character. */
size_t jy_utf8_valid_prefix(const char *s, size_t len);

/* Decode the `len` bytes at `s` from percent-encoding (RFC 3986 §2.1) into `buf` (`size`
 * bytes), NUL-terminating it, and store the decoded length in `*ret_len`. When `plus_is_space`
 * is true a '+' becomes a space, as in a query string (application/x-www-form-urlencoded).
 * The result must be well-formed UTF-8 without NUL or other control bytes below 0x20 or 0x7f.
 * Errors (buf contents unspecified, `*ret_len` untouched):
 *   JY_INVALID reason "bad_percent_encoding" — '%' not followed by two hex digits;
 *   JY_INVALID reason "invalid_utf8" — the decoded bytes are not UTF-8;
 *   JY_INVALID reason "control_character" — a decoded control byte;
 *   JY_TOO_LONG reason "too_long" — the decoded text does not fit in size - 1 bytes.
 * `field` (may be NULL) names the value in the error. */
enum jy_err jy_http_percent_decode(const char *s, size_t len, bool plus_is_space, char *buf,
                                   size_t size, size_t *ret_len, const char *field,
                                   struct jy_error *err);

#endif /* JY_HTTP_TEXT_H */
