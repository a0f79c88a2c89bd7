/*
 * text.c — free text fit to store and print: see text.h.
 */
#include "text.h"

#include <stdint.h>

#include "../banned.h"

/* Decode one UTF-8 sequence at `s` (at most `n` bytes); 0 on an invalid one. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t need;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        need = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        need = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        need = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return need;
}

static bool combining(uint32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

static bool unfit(uint32_t c, bool multiline)
{
    if (c < 0x20)
        return !(multiline && (c == '\t' || c == '\n' || c == '\r'));
    if (c >= 0x7F && c <= 0x9F)
        return true;
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB))
        return true;
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
        return true;
    if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000)
        return true;
    return c >= 0xE0000 && c <= 0xE007F;
}

bool jy_text_is_clean(const char *s, size_t len, bool multiline, size_t *ret_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    int marks = 0;
    while (i < len) {
        uint32_t c = 0;
        size_t n = decode(p + i, len - i, &c);
        if (n == 0 || unfit(c, multiline) || (combining(c) && ++marks > JY_TEXT_MAX_COMBINING)) {
            if (ret_offset)
                *ret_offset = i;
            return false;
        }
        if (!combining(c))
            marks = 0;
        i += n;
    }
    return true;
}
