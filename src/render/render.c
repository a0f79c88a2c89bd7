/*
 * render.c — checks and formats shared by the documents and exports of src/render.
 */
#include "render/render.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "limits.h"

#include "banned.h"

/* The length of the UTF-8 sequence at `s` (at most `n` bytes available), or 0 when it is not
 * well-formed (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). Sets
 * `*cp` to the code point. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

enum jy_err jy_render_check_text(const char *s, size_t max_bytes, bool multiline, const char *field,
                                 struct jy_error *err)
{
    if (!s)
        return jy_error_set(err, JY_INVALID, "missing", field, "a text to print is missing");
    size_t n = strnlen(s, max_bytes + 1);
    if (n > max_bytes)
        return jy_error_set(err, JY_TOO_LONG, "too_long", field,
                            "text longer than %zu bytes cannot be printed", max_bytes);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0)
            return jy_error_set(err, JY_INVALID, "bad_utf8", field, "text is not valid UTF-8");
        if ((cp < 0x20 && !(multiline && cp == '\n')) || cp == 0x7F)
            return jy_error_set(err, JY_INVALID, "control_character", field,
                                "text holds a control character");
        i += len;
    }
    return JY_OK;
}

/* Two-character compound surnames (复姓) in use today; a name that starts with one of them
 * keeps both characters when masked. */
static const char *const compound_surnames[] = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门",
    "百里", "呼延", "澹台", "公冶", "太史", "申屠", "万俟", "闻人", "赫连", "拓跋",
    "第五", "东郭", "司空", "濮阳", "淳于", "单于", "仲孙", "宗政", "左丘", "谷梁",
};

void jy_render_mask_name(const char *name, char ret[JY_RENDER_MASKED_NAME_SIZE])
{
    if (!ret)
        return;
    memcpy(ret, "*", 2);
    if (!name)
        return;
    size_t n = strnlen(name, JY_NAME_MAX_BYTES + 1);
    while (n > 0 && name[0] == ' ') {
        name++;
        n--;
    }
    while (n > 0 && name[n - 1] == ' ')
        n--;
    /* Count characters (up to 3 is enough) and find where the first and second end. */
    size_t ends[3] = {0, 0, 0};
    size_t count = 0;
    for (size_t i = 0; i < n && count < 3;) {
        unsigned cp;
        size_t len = utf8_next((const unsigned char *)name + i, n - i, &cp);
        if (len == 0 || cp < 0x20 || cp == 0x7F)
            return;
        i += len;
        ends[count++] = i;
    }
    if (count < 2)
        return;
    size_t keep = ends[0];
    if (count >= 3) {
        for (size_t k = 0; k < sizeof(compound_surnames) / sizeof(compound_surnames[0]); k++) {
            size_t len = strlen(compound_surnames[k]);
            if (len == ends[1] && memcmp(name, compound_surnames[k], len) == 0) {
                keep = ends[1];
                break;
            }
        }
    }
    /* keep <= 8 bytes (two characters of at most 4 bytes), so it always fits. */
    memcpy(ret, name, keep);
    ret[keep] = '*';
    ret[keep + 1] = '\0';
}

int jy_render_shanghai_seconds(int64_t t)
{
    int64_t local = t + 8 * 3600;
    int64_t s = local % 86400;
    if (s < 0)
        s += 86400;
    return (int)s;
}

void jy_render_format_time(int64_t t, char ret[JY_RENDER_TIME_SIZE])
{
    if (!ret)
        return;
    /* Years 1..9999 span these Unix times (0001-01-01 and 10000-01-01 at 00:00 UTC+8). */
    if (t < -62135596800LL - 8 * 3600 || t >= 253402300800LL - 8 * 3600) {
        memcpy(ret, "0000-00-00 00:00", JY_RENDER_TIME_SIZE);
        return;
    }
    struct jy_date d = jy_date_from_unix_shanghai(t);
    int s = jy_render_shanghai_seconds(t);
    char text[64]; /* room for any int, so that the compiler sees no truncation */
    snprintf(text, sizeof(text), "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day, s / 3600,
             s / 60 % 60);
    jy_strlcpy(ret, text, JY_RENDER_TIME_SIZE);
}
