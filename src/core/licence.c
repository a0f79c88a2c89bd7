/*
 * licence.c — driving-licence classes of 公安部令第162号 and the D03 renewal window.
 *
 * The class table is written out by hand from the regulation's table of 准驾车型; the
 * `permits` masks are the "also permits" column plus the class itself.
 */
#include "licence.h"

#include <limits.h>
#include <string.h>

#include "../limits.h"

#include "../banned.h"

_Static_assert(JY__LICENCE_CLASS_COUNT <= sizeof(unsigned) * CHAR_BIT,
               "licence class masks must fit in an unsigned");

#define B(x) JY_LICENCE_BIT(JY_LICENCE_##x)

static const struct jy_licence_class classes[JY__LICENCE_CLASS_COUNT] = {
    {JY_LICENCE_A1, "A1", "大型客车", "Large bus",
     B(A1) | B(A3) | B(B1) | B(B2) | B(C1) | B(C2) | B(C3) | B(C4) | B(M)},
    {JY_LICENCE_A2, "A2", "重型牵引挂车", "Heavy tractor-trailer",
     B(A2) | B(B1) | B(B2) | B(C1) | B(C2) | B(C3) | B(C4) | B(C6) | B(M)},
    {JY_LICENCE_A3, "A3", "城市公交车", "City bus", B(A3) | B(C1) | B(C2) | B(C3) | B(C4)},
    {JY_LICENCE_B1, "B1", "中型客车", "Medium bus", B(B1) | B(C1) | B(C2) | B(C3) | B(C4) | B(M)},
    {JY_LICENCE_B2, "B2", "大型货车", "Large truck", B(B2) | B(C1) | B(C2) | B(C3) | B(C4) | B(M)},
    {JY_LICENCE_C1, "C1", "小型汽车", "Small car", B(C1) | B(C2) | B(C3) | B(C4)},
    {JY_LICENCE_C2, "C2", "小型自动挡汽车", "Small automatic car", B(C2)},
    {JY_LICENCE_C3, "C3", "低速载货汽车", "Low-speed truck", B(C3) | B(C4)},
    {JY_LICENCE_C4, "C4", "三轮汽车", "Three-wheeled vehicle", B(C4)},
    {JY_LICENCE_C5, "C5", "残疾人专用小型自动挡载客汽车",
     "Small automatic passenger car for disabled drivers", B(C5)},
    {JY_LICENCE_C6, "C6", "轻型牵引挂车", "Light tractor-trailer", B(C6)},
    {JY_LICENCE_D, "D", "普通三轮摩托车", "Three-wheeled motorcycle", B(D) | B(E) | B(F)},
    {JY_LICENCE_E, "E", "普通二轮摩托车", "Two-wheeled motorcycle", B(E) | B(F)},
    {JY_LICENCE_F, "F", "轻便摩托车", "Moped", B(F)},
    {JY_LICENCE_M, "M", "轮式专用机械车", "Wheeled special machinery", B(M)},
    {JY_LICENCE_N, "N", "无轨电车", "Trolleybus", B(N)},
    {JY_LICENCE_P, "P", "有轨电车", "Tram", B(P)},
};

#undef B

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* Narrow [*s, *s + *len) to its part without surrounding ASCII spaces. */
static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (*s)[0] == ' ') {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && (*s)[*len - 1] == ' ')
        (*len)--;
}

/* The class whose code is exactly the `n` (1 or 2) bytes at `s`, compared without case. */
static const struct jy_licence_class *lookup(const char *s, size_t n)
{
    for (size_t i = 0; i < JY__LICENCE_CLASS_COUNT; i++) {
        const char *code = classes[i].code;
        if (strlen(code) != n)
            continue;
        if (upper(s[0]) == code[0] && (n == 1 || upper(s[1]) == code[1]))
            return &classes[i];
    }
    return NULL;
}

const struct jy_licence_class *jy_licence_class_find(const char *code, size_t len)
{
    if (!code || len > JY_IDENT_MAX_BYTES)
        return NULL;
    trim(&code, &len);
    if (len < 1 || len > 2)
        return NULL;
    return lookup(code, len);
}

const struct jy_licence_class *jy_licence_class_at(enum jy_licence_class_id id)
{
    if ((int)id < 0 || id >= JY__LICENCE_CLASS_COUNT)
        return NULL;
    return &classes[id];
}

/* Show byte `c` in a message: itself when printable ASCII, else its hex value. */
static const char *show_byte(unsigned char c, char buf[8])
{
    static const char hex[] = "0123456789ABCDEF";
    if (c >= 0x21 && c <= 0x7e) {
        buf[0] = '\'';
        buf[1] = (char)c;
        buf[2] = '\'';
        buf[3] = '\0';
    } else {
        buf[0] = '0';
        buf[1] = 'x';
        buf[2] = hex[c >> 4];
        buf[3] = hex[c & 15];
        buf[4] = '\0';
    }
    return buf;
}

static bool is_letter(char c)
{
    c = upper(c);
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

enum jy_err jy_licence_classes_parse(const char *s, size_t len, unsigned *ret_mask,
                                     struct jy_error *err)
{
    static const char field[] = "licence.class";
    if (!s)
        len = 0;
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", field,
                            "licence class longer than %d bytes", JY_IDENT_MAX_BYTES);
    trim(&s, &len);
    if (len == 0)
        return jy_error_set(err, JY_INVALID, "empty", field, "licence class is empty");

    unsigned mask = 0;
    size_t i = 0;
    while (i < len) {
        char b[8];
        if (!is_letter(s[i]))
            return jy_error_set(err, JY_INVALID, "bad_character", field,
                                "unexpected character %s at position %zu of the licence class",
                                show_byte((unsigned char)s[i], b), i + 1);
        /* A, B and C are always followed by their digit; the other letters stand alone. */
        char letter = upper(s[i]);
        size_t n = (letter == 'A' || letter == 'B' || letter == 'C') ? 2 : 1;
        if (n == 2 && (i + 1 >= len || !is_digit(s[i + 1])))
            return jy_error_set(err, JY_INVALID, "unknown_licence_class", field,
                                "unknown licence class '%c' (A, B and C take a digit, as in C1)",
                                letter);
        const struct jy_licence_class *c = lookup(s + i, n);
        if (!c) {
            if (n == 2)
                return jy_error_set(err, JY_INVALID, "unknown_licence_class", field,
                                    "unknown licence class '%c%c'", letter, s[i + 1]);
            return jy_error_set(err, JY_INVALID, "unknown_licence_class", field,
                                "unknown licence class '%c'", letter);
        }
        if (mask & JY_LICENCE_BIT(c->id))
            return jy_error_set(err, JY_INVALID, "duplicate_licence_class", field,
                                "licence class %s is written twice", c->code);
        mask |= JY_LICENCE_BIT(c->id);
        i += n;
    }
    *ret_mask = mask;
    return JY_OK;
}

char *jy_licence_classes_format(unsigned mask, char buf[JY_LICENCE_CLASSES_TEXT_SIZE])
{
    size_t n = 0;
    for (size_t i = 0; i < JY__LICENCE_CLASS_COUNT; i++) {
        if (!(mask & JY_LICENCE_BIT(i)))
            continue;
        size_t k = strlen(classes[i].code);
        memcpy(buf + n, classes[i].code, k);
        n += k;
    }
    buf[n] = '\0';
    return buf;
}

unsigned jy_licence_classes_permitted(unsigned held_mask)
{
    unsigned all = 0;
    for (size_t i = 0; i < JY__LICENCE_CLASS_COUNT; i++)
        if (held_mask & JY_LICENCE_BIT(i))
            all |= classes[i].permits;
    return all;
}

bool jy_licence_class_permits(const char *held, const char *wanted)
{
    if (!held || !wanted)
        return false;
    unsigned mask;
    if (jy_licence_classes_parse(held, strnlen(held, JY_IDENT_MAX_BYTES + 1), &mask, NULL) != JY_OK)
        return false;
    const struct jy_licence_class *w =
        jy_licence_class_find(wanted, strnlen(wanted, JY_IDENT_MAX_BYTES + 1));
    if (!w)
        return false;
    return (jy_licence_classes_permitted(mask) & JY_LICENCE_BIT(w->id)) != 0;
}

enum jy_err jy_licence_renewal_window(struct jy_date expiry, struct jy_date today, int window_days,
                                      struct jy_error *err)
{
    static const char field[] = "licence.expiry";
    if (!jy_date_is_valid(expiry) || !jy_date_is_valid(today))
        return jy_error_set(err, JY_INVALID, "bad_date", field, "not a real date");
    if (window_days < 0 || window_days > JY_CATALOG_MAX_WINDOW_DAYS)
        return jy_error_set(err, JY_RANGE, "bad_window", field,
                            "renewal window of %d days is outside 0..%d", window_days,
                            JY_CATALOG_MAX_WINDOW_DAYS);
    int64_t e = jy_date_to_days(expiry);
    int64_t t = jy_date_to_days(today);
    char ebuf[JY_DATE_TEXT_SIZE];
    if (t > e)
        return jy_error_set(err, JY_UNPROCESSABLE, "licence_expired", field,
                            "the licence expired on %s; an expired licence cannot be renewed "
                            "as an expiry renewal",
                            jy_date_format(expiry, ebuf));
    if (e - t > window_days) {
        /* e - window_days > t >= day of 0001-01-01, so the first date is a real date. */
        char fbuf[JY_DATE_TEXT_SIZE];
        return jy_error_set(err, JY_UNPROCESSABLE, "too_early_for_renewal", field,
                            "a licence expiring on %s can be renewed from %s (%d days before)",
                            jy_date_format(expiry, ebuf),
                            jy_date_format(jy_date_from_days(e - window_days), fbuf), window_days);
    }
    return JY_OK;
}
