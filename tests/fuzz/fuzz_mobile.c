/*
 * fuzz_mobile.c — libFuzzer target for jy_mobile_parse and jy_mobile_mask.
 *
 * Invariants checked on every input: a failure sets a known reason and leaves the output
 * untouched; a success yields 11 digits starting 1[3-9] that parse again to themselves, also
 * written "+86-…"; a mask never shows more than the first three and last four digits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mobile.h"
#include "limits.h"

#include "banned.h"

static void require(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;

    /* Masking arbitrary 12 bytes. */
    if (size >= JY_MOBILE_SIZE) {
        char m[JY_MOBILE_SIZE];
        jy_mobile_mask(s, m);
        require(strlen(m) == 11);
        require(memcmp(m + 3, "****", 4) == 0);
        require(strcmp(m, "***********") == 0 || memcmp(m, s, 3) == 0);
    }

    char out[JY_MOBILE_SIZE] = "untouched!!";
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_mobile_parse(s, size, out, &err);
    require((rc == JY_TOO_LONG) == (size > JY_IDENT_MAX_BYTES));
    if (rc != JY_OK) {
        require(rc == JY_INVALID || rc == JY_TOO_LONG);
        require(err.code == rc);
        require(strcmp(err.reason, "too_long") == 0 || strcmp(err.reason, "bad_length") == 0 ||
                strcmp(err.reason, "bad_character") == 0 || strcmp(err.reason, "bad_prefix") == 0);
        require(strcmp(out, "untouched!!") == 0);
        return 0;
    }

    require(strlen(out) == 11);
    for (int i = 0; i < 11; i++)
        require(out[i] >= '0' && out[i] <= '9');
    require(out[0] == '1' && out[1] >= '3');

    char again[JY_MOBILE_SIZE];
    require(jy_mobile_parse(out, 11, again, NULL) == JY_OK);
    require(strcmp(out, again) == 0);
    char intl[32];
    int n = snprintf(intl, sizeof(intl), "+86-%.3s-%.4s-%.4s", out, out + 3, out + 7);
    require(n == 17);
    require(jy_mobile_parse(intl, (size_t)n, again, NULL) == JY_OK);
    require(strcmp(out, again) == 0);

    char m[JY_MOBILE_SIZE];
    jy_mobile_mask(out, m);
    require(memcmp(m, out, 3) == 0 && memcmp(m + 3, "****", 4) == 0 && strcmp(m + 7, out + 7) == 0);
    return 0;
}
