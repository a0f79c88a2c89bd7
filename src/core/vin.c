/*
 * vin.c — VIN syntax and check digit (ISO 3779, GB 16735-2019 Appendix A); see vin.h.
 */
#include "vin.h"

#include <string.h>

#include "ident.h"
#include "../limits.h"
#include "../banned.h"

/* Weight of each position 1..17; position 9 (the check digit itself) weighs 0. */
static const int weights[JY_VIN_LENGTH] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

/* The transliterated value of a VIN character, or -1 for a byte that is not one (lower case,
 * I, O, Q, anything else). */
static int value(unsigned char c)
{
    /* A..Z; 0 marks I, O and Q, which never appear in a VIN. */
    static const signed char letters[26] = {
        1, 2, 3, 4, 5, 6, 7, 8, 0, /* A-I */
        1, 2, 3, 4, 5, 0, 7, 0, 9, /* J-R */
        2, 3, 4, 5, 6, 7, 8, 9,    /* S-Z */
    };
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z' && letters[c - 'A'] != 0)
        return letters[c - 'A'];
    return -1;
}

char jy_vin_check_digit(const char vin[JY_VIN_LENGTH])
{
    int sum = 0;
    for (int i = 0; i < JY_VIN_LENGTH; i++) {
        if (i == 8)
            continue;
        int v = value((unsigned char)vin[i]);
        if (v < 0)
            return '\0';
        sum += v * weights[i];
    }
    int r = sum % 11;
    return r == 10 ? 'X' : (char)('0' + r);
}

enum jy_err jy_vin_parse(const char *s, size_t len, struct jy_vin *ret, struct jy_error *err)
{
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "a VIN is 17 characters long");
    struct jy_ident f;
    enum jy_err e = jy_ident_fold(s, len, JY_IDENT_DROP_SPACES, &f, err);
    if (e != JY_OK)
        return e;
    /* Every character before the first non-ASCII one is one byte, so the byte-wise loop below
     * meets (and refuses) that character at its own position. */
    s = f.text;
    if (f.chars != JY_VIN_LENGTH)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "a VIN is 17 characters long, not %zu", f.chars);

    struct jy_vin out;
    memset(&out, 0, sizeof(out));
    for (size_t i = 0; i < JY_VIN_LENGTH; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - ('a' - 'A'));
        if (c == 'I' || c == 'O' || c == 'Q')
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "character %zu of the VIN is the letter %c; a VIN never uses I, "
                                "O or Q",
                                i + 1, (char)c);
        if (value(c) < 0)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "character %zu of the VIN is not a digit or a letter A-Z", i + 1);
        out.vin[i] = (char)c;
    }
    out.vin[JY_VIN_LENGTH] = '\0';
    char check = jy_vin_check_digit(out.vin);
    out.check_ok = out.vin[8] == check;
    out.domestic = out.vin[0] == 'L';
    memcpy(out.wmi, out.vin, 3);
    out.wmi[3] = '\0';
    if (!out.check_ok && out.domestic)
        return jy_error_set(err, JY_INVALID, "bad_check_digit", NULL,
                            "position 9 of VIN %s should be the check digit %c (GB 16735-2019)",
                            out.vin, check);
    *ret = out;
    return JY_OK;
}
