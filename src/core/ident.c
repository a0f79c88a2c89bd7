/*
 * ident.c — folding identifiers as typed into their plain form: strict UTF-8, full-width ASCII
 * to ASCII, white space trimmed, optionally the spaces between groups dropped; see ident.h.
 */
#include "ident.h"

#include <stdbool.h>
#include <string.h>

#include "../banned.h"

size_t jy_ident_utf8_decode(const char *s, size_t len, uint32_t *ret_cp)
{
    if (!s || len == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[0];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *ret_cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *ret_cp = v;
    return n;
}

/* Full-width ASCII to ASCII, the ideographic space to a space; anything else unchanged. */
static uint32_t fold(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFEE0;
    if (cp == 0x3000)
        return ' ';
    return cp;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum jy_err jy_ident_fold(const char *s, size_t len, unsigned flags, struct jy_ident *ret,
                          struct jy_error *err)
{
    if (!s)
        len = 0;
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "an identifier is at most %d bytes long", JY_IDENT_MAX_BYTES);

    /* Decode and fold. A folded character is never longer than the original (a full-width
     * character or U+3000 takes 3 bytes and becomes 1), so `buf` cannot overflow. */
    char buf[JY_IDENT_MAX_BYTES + 1];
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t k = jy_ident_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "byte %zu of the input is not valid UTF-8", i + 1);
        uint32_t f = fold(cp);
        if (f != cp) {
            buf[n++] = (char)f;
        } else {
            memcpy(buf + n, s + i, k);
            n += k;
        }
        i += k;
    }

    /* Trim white space; U+3000 is a space by now. */
    size_t start = 0;
    while (start < n && is_space(buf[start]))
        start++;
    while (n > start && is_space(buf[n - 1]))
        n--;

    struct jy_ident out;
    memset(&out, 0, sizeof(out));
    for (size_t i = start; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == ' ' && (flags & JY_IDENT_DROP_SPACES)) {
            /* Trimmed, so a space here has a character on either side unless another space
             * follows. */
            if (buf[i + 1] == ' ')
                return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                    "two spaces in a row; groups are separated by one space");
            continue;
        }
        out.text[out.len++] = (char)c;
        if ((c & 0xC0) != 0x80)
            out.chars++;
    }
    out.text[out.len] = '\0';
    memcpy(ret, &out, sizeof(out));
    return JY_OK;
}
