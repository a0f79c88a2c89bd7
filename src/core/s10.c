/*
 * s10.c — UPU S10 item numbers: check digit, parsing, formatting and serial blocks; see s10.h.
 */
#include "s10.h"

#include <string.h>

#include "ident.h"
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

/* The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted (ISO 3166 Maintenance Agency,
 * as carried by Debian's iso-codes 4.15.0, iso_3166-1.json). UPU S10 ends a number with the
 * code of the issuing postal operator's country; user-assigned (AA, QM-QZ, XA-XZ, ZZ),
 * reserved and withdrawn codes name no country and are refused. */
static const char countries[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};
_Static_assert(sizeof(countries) / sizeof(countries[0]) == 249, "249 assigned codes");

/* True when the 2 upper-case letters at `code` are an assigned ISO 3166-1 alpha-2 code. */
static bool country_known(const char code[2])
{
    size_t lo = 0, hi = sizeof(countries) / sizeof(countries[0]);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(countries[mid], code, 2);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
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
    if (!service && !country_known(out))
        return jy_error_set(err, JY_INVALID, "unknown_country", NULL,
                            "an S10 number ends with the ISO 3166-1 code of a country; %s is "
                            "not one",
                            out);
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
    struct jy_ident f;
    enum jy_err e = jy_ident_fold(s, len, JY_IDENT_DROP_SPACES, &f, err);
    if (e != JY_OK)
        return e;
    if (f.chars != JY_S10_LENGTH)
        return jy_error_set(err, JY_INVALID, "bad_length", NULL,
                            "an S10 number is 13 characters long, not %zu", f.chars);
    /* Upper-cased. Every character before the first non-ASCII one is one byte, so the
     * byte-wise checks below meet (and refuse) that character at its own position. */
    char t[JY_S10_LENGTH];
    for (size_t i = 0; i < JY_S10_LENGTH; i++)
        t[i] = (char)upper((unsigned char)f.text[i]);
    for (size_t i = 2; i < 11; i++)
        if (t[i] < '0' || t[i] > '9')
            return jy_error_set(err, JY_INVALID, "bad_character", NULL,
                                "characters 3 to 11 of an S10 number are digits; character %zu "
                                "is not",
                                i + 1);

    struct jy_s10 out;
    memset(&out, 0, sizeof(out));
    e = two_letters(t, true, out.service, err);
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
