/*
 * fuzz_idcard.c — libFuzzer target for jy_idcard_parse and the other identity-number functions.
 *
 * Invariants checked on every input: a failure sets a known reason and leaves the output
 * untouched; a success yields a normalised 18-character number whose fields agree with its
 * characters and which parses again to the same result, also in lower case.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "limits.h"

#include "banned.h"

static const char *const reasons[] = {
    "too_long",         "bad_length",   "bad_character",        "bad_check_character",
    "unknown_province", "no_such_date", "birth_date_too_early", "future_birth_date"};

static void require(int ok)
{
    if (!ok)
        abort();
}

static int known_reason(const char *r)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        if (strcmp(r, reasons[i]) == 0)
            return 1;
    }
    return 0;
}

static int same(const struct jy_idcard *a, const struct jy_idcard *b)
{
    return strcmp(a->number, b->number) == 0 && jy_date_compare(a->birth, b->birth) == 0 &&
           a->sex == b->sex && a->province == b->province;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const struct jy_date today = {2026, 1, 1};

    if (size >= 17) {
        char c = jy_idcard_check_char(s);
        require(c == '\0' || (c >= '0' && c <= '9') || c == 'X');
    }

    struct jy_idcard id, before;
    memset(&id, 0xA5, sizeof(id));
    memcpy(&before, &id, sizeof(id));
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_idcard_parse(s, size, today, &id, &err);
    require((rc == JY_TOO_LONG) == (size > JY_IDENT_MAX_BYTES));
    if (rc != JY_OK) {
        require(rc == JY_INVALID || rc == JY_TOO_LONG);
        require(err.code == rc);
        require(known_reason(err.reason));
        require(memcmp(&id, &before, sizeof(id)) == 0);
        return 0;
    }

    /* The shape of a valid result. */
    require(strlen(id.number) == 18);
    for (int i = 0; i < 17; i++)
        require(id.number[i] >= '0' && id.number[i] <= '9');
    require(jy_idcard_check_char(id.number) == id.number[17]);
    require(id.province == (id.number[0] - '0') * 10 + (id.number[1] - '0'));
    require(jy_idcard_province_name(id.province) != NULL);
    require(jy_date_is_valid(id.birth));
    require(id.birth.year >= JY_IDCARD_MIN_BIRTH_YEAR);
    require(jy_date_compare(id.birth, today) <= 0);
    require(id.sex == ((id.number[16] - '0') % 2 ? 'M' : 'F'));
    require(jy_idcard_last4_matches(&id, id.number + 14, 4));

    /* The normalised number parses to the same thing, as does its lower-case form. */
    struct jy_idcard again;
    require(jy_idcard_parse(id.number, 18, today, &again, NULL) == JY_OK);
    require(same(&id, &again) && !again.from_legacy15);
    char lower[19];
    memcpy(lower, id.number, sizeof(lower));
    if (lower[17] == 'X')
        lower[17] = 'x';
    require(jy_idcard_parse(lower, 18, today, &again, NULL) == JY_OK);
    require(same(&id, &again));
    require(jy_idcard_last4_matches(&id, lower + 14, 4));
    return 0;
}
