/*
 * money.c — formatting, parsing and arithmetic of amounts in integer fen.
 *
 * Magnitudes are handled as uint64_t so that INT64_MIN formats and parses exactly.
 */
#include "money.h"

#include <stdbool.h>
#include <string.h>

#include "../limits.h"
#include "../banned.h"

/* Write the magnitude |fen| as "Y.FF" after `prefix` and an optional '-' into `ret`. */
static void format_with(int64_t fen, const char *prefix, char ret[JY_MONEY_TEXT_SIZE])
{
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char digits[24];
    size_t n = 0;
    uint64_t yuan = mag / 100;
    do {
        digits[n++] = (char)('0' + yuan % 10);
        yuan /= 10;
    } while (yuan);

    size_t o = 0;
    if (fen < 0)
        ret[o++] = '-';
    size_t plen = strlen(prefix);
    memcpy(ret + o, prefix, plen);
    o += plen;
    while (n)
        ret[o++] = digits[--n];
    ret[o++] = '.';
    ret[o++] = (char)('0' + mag % 100 / 10);
    ret[o++] = (char)('0' + mag % 10);
    ret[o] = '\0';
}

void jy_money_format(int64_t fen, char ret[JY_MONEY_TEXT_SIZE])
{
    format_with(fen, "\xC2\xA5", ret); /* ¥ */
}

void jy_money_format_yuan(int64_t fen, char ret[JY_MONEY_TEXT_SIZE])
{
    format_with(fen, "", ret);
}

enum jy_err jy_money_parse_yuan(const char *s, size_t len, int64_t *ret, struct jy_error *err)
{
    if (!s && len)
        return jy_error_set(err, JY_INVALID, "empty", NULL, "no amount given");
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "an amount is at most %d characters", JY_IDENT_MAX_BYTES);
    while (len && s[0] == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ')
        len--;
    if (len == 0)
        return jy_error_set(err, JY_INVALID, "empty", NULL, "no amount given");

    size_t i = 0;
    bool negative = false;
    if (s[0] == '-') {
        negative = true;
        i = 1;
    }
    /* The largest magnitude allowed: INT64_MAX, or one more for a negative amount. */
    const uint64_t limit = (uint64_t)INT64_MAX + (negative ? 1u : 0u);
    uint64_t yuan = 0;
    size_t int_digits = 0;
    bool overflow = false;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, int_digits++) {
        unsigned dgt = (unsigned)(s[i] - '0');
        if (yuan > (UINT64_MAX - dgt) / 10)
            overflow = true;
        else
            yuan = yuan * 10 + dgt;
    }
    if (int_digits == 0)
        return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                            "an amount in yuan is written like 12, 12.3 or 12.34");
    uint64_t cents = 0;
    if (i < len && s[i] == '.') {
        i++;
        size_t dec = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, dec++) {
            if (dec < 2)
                cents = cents * 10 + (uint64_t)(s[i] - '0');
        }
        if (dec == 0)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "an amount in yuan is written like 12, 12.3 or 12.34");
        if (i == len && dec > 2)
            return jy_error_set(
                err, JY_INVALID, "too_many_decimals", NULL,
                "an amount has at most 2 decimals (whole fen); it is never rounded");
        if (dec == 1)
            cents *= 10;
    }
    if (i != len)
        return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                            "an amount in yuan is written like 12, 12.3 or 12.34");

    if (overflow || yuan > (limit - cents) / 100)
        return jy_error_set(err, JY_RANGE, "overflow", NULL, "the amount is too large");
    uint64_t mag = yuan * 100 + cents;
    *ret = negative ? (int64_t)((uint64_t)0 - mag) : (int64_t)mag;
    return JY_OK;
}

enum jy_err jy_money_add(int64_t a, int64_t b, int64_t *ret)
{
    int64_t sum;
    if (__builtin_add_overflow(a, b, &sum))
        return JY_RANGE;
    *ret = sum;
    return JY_OK;
}

int64_t jy_money_fine_surcharge(int64_t fine_fen, int days_overdue)
{
    if (fine_fen <= 0 || days_overdue <= 0)
        return 0;
    /* 3% a day reaches 100% after 33⅓ days: from day 34 on the cap applies whatever the fine,
     * so below the rate is at most 99%. */
    if (days_overdue >= 34)
        return fine_fen;
    int64_t percent = 3 * (int64_t)days_overdue; /* 3..99 */
    /* fine × percent / 100 without forming the product: fine = q × 100 + r, so the exact value
     * is q × percent + r × percent / 100, where q × percent < fine and r × percent < 10000. */
    int64_t q = fine_fen / 100, r = fine_fen % 100;
    int64_t surcharge = q * percent + (r * percent + 50) / 100;
    return surcharge < fine_fen ? surcharge : fine_fen;
}
