/*
 * fuzz_uscc.c — libFuzzer target for jy_uscc_parse and jy_uscc_org_code_ok.
 *
 * Invariants checked on every input: a failure sets a known reason and leaves the output
 * untouched; a success yields an 18-symbol upper-case code whose parts are slices of it, whose
 * department and category are in the GB 32100 table, and which parses again to the same result,
 * also in lower case.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/uscc.h"
#include "limits.h"

#include "banned.h"

static void require(int ok)
{
    if (!ok)
        abort();
}

static int same(const struct jy_uscc *a, const struct jy_uscc *b)
{
    return strcmp(a->code, b->code) == 0 && a->department == b->department &&
           a->category == b->category && strcmp(a->division, b->division) == 0 &&
           strcmp(a->org_code, b->org_code) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct jy_uscc u, before;
    memset(&u, 0x5A, sizeof(u));
    memcpy(&before, &u, sizeof(u));
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_uscc_parse(s, size, &u, &err);
    require((rc == JY_TOO_LONG) == (size > JY_IDENT_MAX_BYTES));
    if (rc != JY_OK) {
        require(rc == JY_INVALID || rc == JY_TOO_LONG);
        require(err.code == rc);
        require(strcmp(err.reason, "too_long") == 0 || strcmp(err.reason, "bad_length") == 0 ||
                strcmp(err.reason, "bad_character") == 0 ||
                strcmp(err.reason, "bad_check_character") == 0 ||
                strcmp(err.reason, "unknown_department") == 0 ||
                strcmp(err.reason, "unknown_category") == 0);
        require(memcmp(&u, &before, sizeof(u)) == 0);
        /* Whatever the bytes, the advisory check must not misbehave on a hand-filled record. */
        memset(&u, 0, sizeof(u));
        memcpy(u.org_code, s, size < 9 ? size : 9);
        (void)jy_uscc_org_code_ok(&u);
        return 0;
    }

    require(strlen(u.code) == 18);
    for (int i = 0; i < 18; i++) {
        char c = u.code[i];
        require((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
        require(strchr("IOZSV", c) == NULL);
    }
    for (int i = 2; i < 8; i++)
        require(u.code[i] >= '0' && u.code[i] <= '9');
    require(u.department == u.code[0] && u.category == u.code[1]);
    require(jy_uscc_department_name(u.department) != NULL);
    require(jy_uscc_category_name(u.department, u.category) != NULL);
    require(strlen(u.division) == 6 && memcmp(u.division, u.code + 2, 6) == 0);
    require(strlen(u.org_code) == 9 && memcmp(u.org_code, u.code + 8, 9) == 0);
    (void)jy_uscc_org_code_ok(&u);

    struct jy_uscc again;
    require(jy_uscc_parse(u.code, 18, &again, NULL) == JY_OK);
    require(same(&u, &again));
    char lower[19];
    for (int i = 0; i < 19; i++) {
        char c = u.code[i];
        lower[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    require(jy_uscc_parse(lower, 18, &again, NULL) == JY_OK);
    require(same(&u, &again));
    return 0;
}
