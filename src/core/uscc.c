/*
 * uscc.c — parsing and validation of unified social credit codes (GB 32100-2015), with the
 * advisory GB 11714 check of the embedded organisation code.
 */
#include "uscc.h"

#include <string.h>

#include "../limits.h"

#include "../banned.h"

/* The 31 symbols in value order (GB 32100-2015): no I, O, Z, S, V. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weights 3^(i-1) mod 31 for positions i = 1..17. */
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

/* Weights of GB 11714 over the first 8 symbols of an organisation code. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* The value 0..30 of symbol `c` (upper case), or -1 when it is not in the alphabet. */
static int symbol_value(char c)
{
    if (c == '\0')
        return -1;
    const char *p = memchr(uscc_alphabet, c, sizeof(uscc_alphabet) - 1);
    return p ? (int)(p - uscc_alphabet) : -1;
}

static char to_upper_ascii(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Narrow [*s, *s + *len) to exclude leading and trailing ASCII spaces. */
static void trim_spaces(const char **s, size_t *len)
{
    while (*len > 0 && (*s)[0] == ' ') {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && (*s)[*len - 1] == ' ')
        (*len)--;
}

enum jy_err jy_uscc_parse(const char *s, size_t len, struct jy_uscc *ret, struct jy_error *err)
{
    if (!s)
        len = 0;
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "a unified social credit code is 18 characters; got %zu bytes", len);
    trim_spaces(&s, &len);
    if (len != 18)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "a unified social credit code is 18 characters; got %zu bytes", len);

    struct jy_uscc out;
    memset(&out, 0, sizeof(out));
    int sum = 0;
    for (size_t i = 0; i < 18; i++) {
        char c = to_upper_ascii(s[i]);
        int v = symbol_value(c);
        if (v < 0)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "character %zu of a unified social credit code is not one of "
                                "0-9 and A-Z without I, O, Z, S, V",
                                i + 1);
        if (i >= 2 && i < 8 && v > 9)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "characters 3 to 8 of a unified social credit code (the division "
                                "code) must be digits");
        if (i < 17)
            sum += v * uscc_weights[i];
        out.code[i] = c;
    }
    out.code[18] = '\0';
    if (out.code[17] != uscc_alphabet[(31 - sum % 31) % 31])
        return jy_error_set(err, JY_INVALID, "bad_check_character", NULL,
                            "the check character of the unified social credit code does not "
                            "match: a character is mistyped");

    out.department = out.code[0];
    out.category = out.code[1];
    memcpy(out.division, out.code + 2, 6);
    out.division[6] = '\0';
    memcpy(out.org_code, out.code + 8, 9);
    out.org_code[9] = '\0';
    *ret = out;
    return JY_OK;
}

bool jy_uscc_org_code_ok(const struct jy_uscc *code)
{
    if (!code)
        return false;
    const char *o = code->org_code;
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        int v;
        if (o[i] >= '0' && o[i] <= '9')
            v = o[i] - '0';
        else if (o[i] >= 'A' && o[i] <= 'Z')
            v = o[i] - 'A' + 10;
        else
            return false;
        sum += v * org_weights[i];
    }
    int c = 11 - sum % 11;
    char want = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
    return o[8] == want;
}
