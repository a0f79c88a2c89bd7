/*
 * idcard.c — parsing and validation of citizen identity numbers (GB 11643-1999, and the 15-digit
 * numbers of GB 11643-1989), with the ISO 7064 MOD 11-2 check character.
 */
#include "idcard.h"

#include <string.h>

#include "ident.h"
#include "../limits.h"

#include "../banned.h"

/* Weights 2^(18-i) mod 11 for positions i = 1..17 (GB 11643-1999 Appendix A). */
static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

/* Check character by (sum mod 11). */
static const char id_check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

/* Province-level codes of GB/T 2260, plus 83 for residence permits of Taiwan residents. */
static const struct {
    int code;
    const char *name;
} provinces[] = {
    {11, "北京"}, {12, "天津"},   {13, "河北"}, {14, "山西"}, {15, "内蒙古"}, {21, "辽宁"},
    {22, "吉林"}, {23, "黑龙江"}, {31, "上海"}, {32, "江苏"}, {33, "浙江"},   {34, "安徽"},
    {35, "福建"}, {36, "江西"},   {37, "山东"}, {41, "河南"}, {42, "湖北"},   {43, "湖南"},
    {44, "广东"}, {45, "广西"},   {46, "海南"}, {50, "重庆"}, {51, "四川"},   {52, "贵州"},
    {53, "云南"}, {54, "西藏"},   {61, "陕西"}, {62, "甘肃"}, {63, "青海"},   {64, "宁夏"},
    {65, "新疆"}, {71, "台湾"},   {81, "香港"}, {82, "澳门"}, {83, "台湾"},
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The value of the `n` ASCII digits at `s` (the caller has checked they are digits). */
static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

char jy_idcard_check_char(const char first17[17])
{
    if (!first17)
        return '\0';
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i]))
            return '\0';
        sum += (first17[i] - '0') * id_weights[i];
    }
    return id_check_chars[sum % 11];
}

const char *jy_idcard_province_name(int code)
{
    for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++) {
        if (provinces[i].code == code)
            return provinces[i].name;
    }
    return NULL;
}

enum jy_err jy_idcard_parse(const char *s, size_t len, struct jy_date today, struct jy_idcard *ret,
                            struct jy_error *err)
{
    if (!s)
        len = 0;
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "an identity number is 18 characters; got %zu bytes", len);
    if (!jy_date_is_valid(today))
        return jy_error_set(err, JY_INTERNAL, "bad_today", NULL,
                            "the current date given for the birth-date check is not a date");
    struct jy_ident f;
    enum jy_err e = jy_ident_fold(s, len, JY_IDENT_DROP_SPACES, &f, err);
    if (e != JY_OK)
        return e;
    /* From here on `len` counts characters. When some are not ASCII, `f.text` is longer than
     * `len` bytes, and the first such character is met (and refused) at its own position by
     * the byte-wise checks below, since every character before it is one byte. */
    s = f.text;
    len = f.chars;
    if (len != 18 && len != 15)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "an identity number is 18 characters (or 15 digits on a "
                            "first-generation card); got %zu characters",
                            len);

    /* Build the 18-character form in `num`. */
    struct jy_idcard out;
    memset(&out, 0, sizeof(out));
    char *num = out.number;
    size_t ndigits = len == 18 ? 17 : 15;
    for (size_t i = 0; i < ndigits; i++) {
        if (!is_digit(s[i]))
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "character %zu of an identity number must be a digit", i + 1);
    }
    if (len == 18) {
        char c = s[17] == 'x' ? 'X' : s[17];
        if (!is_digit(c) && c != 'X')
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "the last character of an identity number must be a digit or X");
        memcpy(num, s, 17);
        num[17] = c;
        if (jy_idcard_check_char(num) != c)
            return jy_error_set(err, JY_INVALID, "bad_check_character", NULL,
                                "the check character does not match: a character is mistyped");
    } else {
        /* GB 11643-1989: address(6) YYMMDD(6) sequence(3); the century is 19. */
        memcpy(num, s, 6);
        num[6] = '1';
        num[7] = '9';
        memcpy(num + 8, s + 6, 9);
        num[17] = jy_idcard_check_char(num);
        out.from_legacy15 = true;
    }
    num[18] = '\0';

    out.province = digits_value(num, 2);
    if (!jy_idcard_province_name(out.province))
        return jy_error_set(err, JY_INVALID, "unknown_province", NULL,
                            "%02d is not a province code (GB/T 2260)", out.province);

    out.birth = (struct jy_date){digits_value(num + 6, 4), digits_value(num + 10, 2),
                                 digits_value(num + 12, 2)};
    if (!jy_date_is_valid(out.birth))
        return jy_error_set(err, JY_INVALID, "no_such_date", NULL,
                            "the birth date in the identity number is not a calendar date");
    if (out.birth.year < JY_IDCARD_MIN_BIRTH_YEAR)
        return jy_error_set(err, JY_INVALID, "birth_date_too_early", NULL,
                            "the birth date in the identity number is before %d-01-01",
                            JY_IDCARD_MIN_BIRTH_YEAR);
    if (jy_date_compare(out.birth, today) > 0)
        return jy_error_set(err, JY_INVALID, "future_birth_date", NULL,
                            "the birth date in the identity number is in the future");

    out.sex = (num[16] - '0') % 2 ? 'M' : 'F';
    *ret = out;
    return JY_OK;
}

bool jy_idcard_last4_matches(const struct jy_idcard *id, const char *last4, size_t len)
{
    if (!id || !last4)
        return false;
    struct jy_ident f;
    if (jy_ident_fold(last4, len, 0, &f, NULL) != JY_OK || f.len != 4)
        return false;
    last4 = f.text;
    /* No early exit: the time taken does not tell which character differs. */
    unsigned diff = 0;
    for (size_t i = 0; i < 4; i++) {
        char c = last4[i] == 'x' ? 'X' : last4[i];
        diff |= (unsigned char)c ^ (unsigned char)id->number[14 + i];
    }
    return diff == 0;
}
