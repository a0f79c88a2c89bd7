/*
 * s10.c — UPU S10 item numbers: check digit, parsing, formatting and serial blocks; see s10.h.
 */
#include "s10.h"

#include <string.h>

#include "../limits.h"
#include "../banned.h"

static bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static unsigned char upper(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? (unsigned char)(c - ('a' - 'A')) : c;
}

int jy_s10_check_digit(uint32_t serial)
{
    static const int weights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
    if (serial > JY_S10_SERIAL_MAX)
        return -1;
    int sum = 0;
    for (int i = 7; i >= 0; i--) {
        sum += (int)(serial % 10) * weights[i];
        serial /= 10;
    }
    int c = 11 - sum % 11;
    if (c == 10)
        return 0;
    if (c == 11)
        return 5;
    return c;
}

/* Check and upper-case a 2-letter service indicator or country code into `out` (3 bytes). */
static enum jy_err two_letters(const char in[2], bool service, char out[3], struct jy_error *err)
{
    for (int i = 0; i < 2; i++) {
        unsigned char c = upper((unsigned char)in[i]);
        if (!is_upper(c))
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                service ? "an S10 number starts with 2 letters (the service)"
                                        : "an S10 number ends with 2 letters (the country)");
        out[i] = (char)c;
    }
    out[2] = '\0';
    if (service && (out[0] == 'J' || out[0] == 'K'))
        return jy_error_set(err, JY_INVALID, "reserved_service", NULL,
                            "service indicators starting with %c are reserved by UPU S10", out[0]);
    return JY_OK;
}

enum jy_err jy_s10_format(const char service[2], uint32_t serial, const char country[2],
                          char ret[JY_S10_LENGTH + 1], struct jy_error *err)
{
    char sv[3], co[3];
    enum jy_err e = two_letters(service, true, sv, err);
    if (e != JY_OK)
        return e;
    e = two_letters(country, false, co, err);
    if (e != JY_OK)
        return e;
    if (serial > JY_S10_SERIAL_MAX)
        return jy_error_set(err, JY_RANGE, "serial_out_of_range", NULL,
                            "an S10 serial has 8 digits; %lu is too large", (unsigned long)serial);
    char out[JY_S10_LENGTH + 1];
    out[0] = sv[0];
    out[1] = sv[1];
    uint32_t v = serial;
    for (int i = 9; i >= 2; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[10] = (char)('0' + jy_s10_check_digit(serial));
    out[11] = co[0];
    out[12] = co[1];
    out[13] = '\0';
    memcpy(ret, out, sizeof(out));
    return JY_OK;
}

enum jy_err jy_s10_parse(const char *s, size_t len, struct jy_s10 *ret, struct jy_error *err)
{
    if (len > JY_IDENT_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "an S10 number is 13 characters long");
    if (!s)
        len = 0;
    while (len > 0 && s[0] == ' ')
        s++, len--;
    while (len > 0 && s[len - 1] == ' ')
        len--;

    /* Collect the characters, dropping the single spaces of the printed form. */
    char t[JY_IDENT_MAX_BYTES];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = upper((unsigned char)s[i]);
        if (c == ' ') {
            if ((n == 2 || n == 5 || n == 8 || n == 11) && s[i - 1] != ' ')
                continue;
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "an S10 number has no space at byte %zu", i + 1);
        }
        t[n++] = (char)c;
    }
    if (n != JY_S10_LENGTH)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "an S10 number is 13 characters long, not %zu", n);
    for (size_t i = 2; i < 11; i++)
        if (t[i] < '0' || t[i] > '9')
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "characters 3 to 11 of an S10 number are digits; character %zu "
                                "is not",
                                i + 1);

    struct jy_s10 out;
    memset(&out, 0, sizeof(out));
    enum jy_err e = two_letters(t, true, out.service, err);
    if (e != JY_OK)
        return e;
    e = two_letters(t + 11, false, out.country, err);
    if (e != JY_OK)
        return e;
    uint32_t serial = 0;
    for (size_t i = 2; i < 10; i++)
        serial = serial * 10 + (uint32_t)(t[i] - '0');
    int check = jy_s10_check_digit(serial);
    if (t[10] - '0' != check)
        return jy_error_set(err, JY_INVALID, "bad_check_digit", NULL,
                            "the check digit of serial %08lu is %d, not %c", (unsigned long)serial,
                            check, t[10]);
    memcpy(out.number, t, JY_S10_LENGTH);
    out.number[JY_S10_LENGTH] = '\0';
    out.serial = serial;
    out.check = check;
    out.ems = out.service[0] == 'E';
    *ret = out;
    return JY_OK;
}

/* True when `r` describes a usable block (it may still be used up). */
static bool range_ok(const struct jy_s10_range *r)
{
    return r && r->first <= r->last && r->last <= JY_S10_SERIAL_MAX && r->next >= r->first;
}

enum jy_err jy_s10_range_next(struct jy_s10_range *r, char ret[JY_S10_LENGTH + 1],
                              struct jy_error *err)
{
    if (!range_ok(r))
        return jy_error_set(err, JY_INVALID, "bad_range", NULL,
                            "an S10 serial block needs first <= next, first <= last <= 99999999");
    if (r->next > r->last)
        return jy_error_set(err, JY_CONFLICT, "range_exhausted", NULL,
                            "every serial of the block %.2s %08lu-%08lu has been used", r->service,
                            (unsigned long)r->first, (unsigned long)r->last);
    char out[JY_S10_LENGTH + 1];
    enum jy_err e = jy_s10_format(r->service, r->next, r->country, out, err);
    if (e != JY_OK)
        return e;
    memcpy(ret, out, sizeof(out));
    r->next++; /* next <= last <= JY_S10_SERIAL_MAX, so this cannot wrap */
    return JY_OK;
}

uint32_t jy_s10_range_left(const struct jy_s10_range *r)
{
    if (!range_ok(r) || r->next > r->last)
        return 0;
    return r->last - r->next + 1;
}
