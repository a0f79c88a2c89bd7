/*
 * appno.c — application numbers: building, parsing and the ISO/IEC 7064 MOD 37-2 check
 * character. The layout and the properties of the check character are described in appno.h.
 */
#include "appno.h"

#include <stdbool.h>
#include <string.h>

#include "ident.h"
#include "../limits.h"
#include "../banned.h"

/* ISO/IEC 7064 MOD 37-2: the modulus, and the character set with the supplementary check
 * symbol '*' as value 36. */
#define MODULUS 37
static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
/* The check value that has no character in 0-9 A-Z. */
#define CHECK_UNUSABLE 36

/* Value 0..35 of an alphanumeric character (either case), or -1. */
static int value_of(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    return -1;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
    return c >= 'A' && c <= 'Z';
}

char jy_appno_check_char(const char *body, size_t len)
{
    /* ISO/IEC 7064 pure system, radix 2: h = Σ value·2^(n−i) over the body by Horner's rule;
     * the check value c completes 2h + c ≡ 1 (mod 37). */
    int h = 0;
    for (size_t i = 0; i < len; i++) {
        int v = value_of((unsigned char)body[i]);
        if (v < 0)
            return '\0';
        h = (2 * h + v) % MODULUS;
    }
    return alphabet[(1 + 2 * (MODULUS - h)) % MODULUS];
}

/* Write the two digits of `v` (0..99) at `out`. */
static void two_digits(char *out, int v)
{
    out[0] = (char)('0' + v / 10 % 10);
    out[1] = (char)('0' + v % 10);
}

enum jy_err jy_appno_make(const char *centre, struct jy_date accepted, uint32_t seq,
                          struct jy_appno *ret, struct jy_error *err)
{
    if (!centre || !ret)
        return jy_error_set(err, JY_INVALID, "bad_centre", "centre", "no centre code given");
    char code[JY_APPNO_CENTRE_MAX + 1];
    size_t n = strnlen(centre, JY_APPNO_CENTRE_MAX + 1);
    bool ok = n >= JY_APPNO_CENTRE_MIN && n <= JY_APPNO_CENTRE_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        char c = centre[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        ok = is_letter(c) || (i > 0 && is_digit(c));
        code[i] = c;
    }
    if (!ok)
        return jy_error_set(err, JY_INVALID, "bad_centre", "centre",
                            "a centre code is %d to %d letters or digits starting with a letter",
                            JY_APPNO_CENTRE_MIN, JY_APPNO_CENTRE_MAX);
    code[n] = '\0';
    if (!jy_date_is_valid(accepted))
        return jy_error_set(err, JY_INVALID, "bad_date", "date",
                            "the acceptance date is not a calendar date");
    if (accepted.year < 2000 || accepted.year > 2099)
        return jy_error_set(err, JY_RANGE, "date_out_of_range", "date",
                            "an application number holds acceptance dates in 2000..2099 only");
    if (seq < 1 || seq > JY_APPNO_SEQ_MAX)
        return jy_error_set(err, JY_RANGE, "bad_sequence", "seq",
                            "the daily sequence number must be 1..%u", JY_APPNO_SEQ_MAX);

    struct jy_appno out;
    memset(&out, 0, sizeof(out));
    memcpy(out.centre, code, n + 1);
    memcpy(out.text, code, n);
    char *t = out.text + n;
    two_digits(t, accepted.year % 100);
    two_digits(t + 2, accepted.month);
    two_digits(t + 4, accepted.day);
    uint32_t v = seq;
    for (int i = 10; i >= 6; i--) {
        t[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out.check = jy_appno_check_char(out.text, n + 11);
    if (out.check == alphabet[CHECK_UNUSABLE])
        return jy_error_set(err, JY_RANGE, "check_unusable", "seq",
                            "sequence number %05u of this centre and date would carry the check "
                            "character '*' and is never issued: take the next one",
                            (unsigned)seq);
    t[11] = out.check;
    t[12] = '\0';
    out.date = accepted;
    out.seq = seq;
    *ret = out;
    return JY_OK;
}

static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

enum jy_err jy_appno_parse(const char *s, size_t len, struct jy_appno *ret, struct jy_error *err)
{
    if (!s && len)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL, "no application number given");
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "an application number is at most %d characters", JY_IDENT_MAX_BYTES);

    struct jy_ident f;
    enum jy_err e = jy_ident_fold(s, len, 0, &f, err);
    if (e != JY_OK)
        return e;
    s = f.text;
    len = f.len;

    /* Compact form: drop grouping, upper-case letters. */
    char c[JY_IDENT_MAX_BYTES + 1];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '-')
            continue;
        /* '*' is a check symbol of MOD 37-2: kept here so that a '*' in the check position is
         * reported as a wrong check character, rejected anywhere else below. */
        int v = ch == '*' ? CHECK_UNUSABLE : value_of(ch);
        if (v < 0)
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "an application number holds only letters, digits, spaces and "
                                "hyphens");
        c[n++] = alphabet[v];
    }
    for (size_t i = 0; i + 1 < n; i++)
        if (c[i] == alphabet[CHECK_UNUSABLE])
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "an application number holds only letters, digits, spaces and "
                                "hyphens");
    const size_t min = JY_APPNO_CENTRE_MIN + JY_APPNO_TAIL_LEN;
    const size_t max = JY_APPNO_CENTRE_MAX + JY_APPNO_TAIL_LEN;
    if (n < min || n > max)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "an application number has %zu to %zu letters and digits, not %zu", min,
                            max, n);
    size_t centre_len = n - JY_APPNO_TAIL_LEN;
    if (!is_letter(c[0]))
        return jy_error_set(err, JY_INVALID, "bad_centre", NULL,
                            "an application number starts with the centre code's letter");
    const char *tail = c + centre_len;
    for (size_t i = 0; i < 11; i++)
        if (!is_digit(tail[i]))
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "the 11 characters after the centre code must be the date "
                                "YYMMDD and a 5-digit sequence number");
    if (c[n - 1] == alphabet[CHECK_UNUSABLE])
        return jy_error_set(err, JY_INVALID, "bad_check_character", NULL,
                            "'*' is never issued as the check character: the number is mistyped");
    char check = jy_appno_check_char(c, n - 1);
    if (check != c[n - 1])
        return jy_error_set(err, JY_INVALID, "bad_check_character", NULL,
                            "the check character does not match: the number is mistyped");

    struct jy_date d = {2000 + digits_value(tail, 2), digits_value(tail + 2, 2),
                        digits_value(tail + 4, 2)};
    if (!jy_date_is_valid(d))
        return jy_error_set(err, JY_INVALID, "bad_date", NULL,
                            "the date part %.6s is not a calendar date", tail);
    uint32_t seq = (uint32_t)digits_value(tail + 6, 5);
    if (seq == 0)
        return jy_error_set(err, JY_INVALID, "bad_sequence", NULL,
                            "the sequence number 00000 is never issued");

    struct jy_appno out;
    memset(&out, 0, sizeof(out));
    memcpy(out.text, c, n);
    out.text[n] = '\0';
    memcpy(out.centre, c, centre_len);
    out.centre[centre_len] = '\0';
    out.date = d;
    out.seq = seq;
    out.check = check;
    *ret = out;
    return JY_OK;
}

void jy_appno_display(const struct jy_appno *no, char ret[JY_APPNO_DISPLAY_SIZE])
{
    size_t n = strnlen(no->text, sizeof(no->text));
    if (n < JY_APPNO_TAIL_LEN) {
        ret[0] = '\0';
        return;
    }
    size_t centre_len = n - JY_APPNO_TAIL_LEN;
    const char *t = no->text;
    size_t o = 0;
    memcpy(ret + o, t, centre_len);
    o += centre_len;
    ret[o++] = '-';
    memcpy(ret + o, t + centre_len, 6);
    o += 6;
    ret[o++] = '-';
    memcpy(ret + o, t + centre_len + 6, 5);
    o += 5;
    ret[o++] = '-';
    ret[o++] = t[n - 1];
    ret[o] = '\0';
}
