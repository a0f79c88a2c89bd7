/*
 * text.c — UTF-8 validation (RFC 3629, table 3-7 of the Unicode standard) and percent-decoding.
 */
#include "http/text.h"

#include <stdint.h>

#include "banned.h"

/* The length of the well-formed UTF-8 sequence at `p` (at most `n` bytes), or 0 when the bytes
 * there do not start one. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (n >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
            return 0;
        if (c == 0xe0 && p[1] < 0xa0) /* overlong */
            return 0;
        if (c == 0xed && p[1] > 0x9f) /* surrogates */
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            return 0;
        if (c == 0xf0 && p[1] < 0x90) /* overlong */
            return 0;
        if (c == 0xf4 && p[1] > 0x8f) /* above U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

size_t jy_utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t k = utf8_seq(p + i, len - i);
        if (k == 0)
            break;
        i += k;
    }
    return i;
}

bool jy_utf8_valid(const char *s, size_t len)
{
    return jy_utf8_valid_prefix(s, len) == len;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum jy_err jy_http_percent_decode(const char *s, size_t len, bool plus_is_space, char *buf,
                                   size_t size, size_t *ret_len, const char *field,
                                   struct jy_error *err)
{
    size_t out = 0;
    if (size == 0)
        return jy_error_set(err, JY_TOO_LONG, "too_long", field, "no room to decode");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 1 < len ? hex_value(s[i + 1]) : -1;
            int lo = i + 2 < len ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return jy_error_set(err, JY_INVALID, "bad_percent_encoding", field,
                                    "%s: '%%' must be followed by two hexadecimal digits",
                                    field ? field : "value");
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c < 0x20 || c == 0x7f)
            return jy_error_set(err, JY_INVALID, "control_character", field,
                                "%s contains a control character", field ? field : "value");
        if (out + 1 >= size)
            return jy_error_set(err, JY_TOO_LONG, "too_long", field, "%s is longer than %zu bytes",
                                field ? field : "value", size - 1);
        buf[out++] = (char)c;
    }
    buf[out] = '\0';
    if (!jy_utf8_valid(buf, out))
        return jy_error_set(err, JY_INVALID, "invalid_utf8", field, "%s is not valid UTF-8",
                            field ? field : "value");
    *ret_len = out;
    return JY_OK;
}
