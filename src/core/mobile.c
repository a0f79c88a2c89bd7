/*
 * mobile.c — parsing, normalising and masking of mainland China mobile numbers.
 */
#include "mobile.h"

#include <stdbool.h>
#include <string.h>

#include "ident.h"
#include "../limits.h"

#include "../banned.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

enum jy_err jy_mobile_parse(const char *s, size_t len, char ret[JY_MOBILE_SIZE],
                            struct jy_error *err)
{
    if (!s)
        len = 0;
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "a mobile number is 11 digits; got %zu bytes", len);
    struct jy_ident f;
    enum jy_err e = jy_ident_fold(s, len, 0, &f, err);
    if (e != JY_OK)
        return e;
    s = f.text;
    len = f.len;

    size_t i = 0;
    bool plus = len > 0 && s[0] == '+';
    if (plus)
        i = 1;
    char digits[JY_IDENT_MAX_BYTES];
    size_t n = 0;
    bool after_separator = false;
    for (; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            digits[n++] = c;
            after_separator = false;
        } else if ((c == ' ' || c == '-') && n > 0) {
            after_separator = true;
        } else {
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "a mobile number may hold only digits, a leading + and spaces "
                                "or hyphens between digits");
        }
    }
    if (after_separator)
        return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                            "a mobile number may not end with a space or hyphen");

    const char *num = digits;
    if (plus) {
        if (n < 2 || digits[0] != '8' || digits[1] != '6')
            return jy_error_set(err, JY_INVALID, "bad_prefix", NULL,
                                "only mainland China mobile numbers (country code +86) are "
                                "accepted");
        num += 2;
        n -= 2;
    } else if (n == 13 && digits[0] == '8' && digits[1] == '6') {
        num += 2;
        n -= 2;
    } else if (n == 15 && memcmp(digits, "0086", 4) == 0) {
        /* 00 is the international call prefix dialled from China and most countries. */
        num += 4;
        n -= 4;
    }
    if (n != 11)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "a mobile number is 11 digits; got %zu", n);
    if (num[0] != '1' || num[1] < '3')
        return jy_error_set(err, JY_INVALID, "bad_prefix", NULL,
                            "a mainland mobile number starts with 13 to 19");

    memcpy(ret, num, 11);
    ret[11] = '\0';
    return JY_OK;
}

void jy_mobile_mask(const char number[JY_MOBILE_SIZE], char ret[JY_MOBILE_SIZE])
{
    if (!ret)
        return;
    char out[JY_MOBILE_SIZE];
    bool ok = number != NULL;
    for (size_t i = 0; ok && i < 11; i++)
        ok = is_digit(number[i]);
    if (ok && number[11] != '\0')
        ok = false;
    if (ok) {
        memcpy(out, number, 3);
        memset(out + 3, '*', 4);
        memcpy(out + 7, number + 7, 4);
    } else {
        memset(out, '*', 11);
    }
    out[11] = '\0';
    memcpy(ret, out, JY_MOBILE_SIZE);
}
