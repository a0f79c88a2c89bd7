/*
 * fuzz_ident.c — libFuzzer target for jy_ident_fold and jy_ident_utf8_decode.
 *
 * Invariants checked on every input, with and without JY_IDENT_DROP_SPACES: a refusal gives a
 * known reason and leaves the output untouched; a success is no longer than the input, is
 * well-formed UTF-8 with no full-width ASCII and no ideographic space left, has no white space
 * at either end (and no space at all when spaces are dropped), counts its characters right, and
 * folds again to itself.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/ident.h"
#include "limits.h"

#include "../../src/banned.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void one(const char *s, size_t size, unsigned flags)
{
    struct jy_ident f, before;
    memset(&f, 0xA5, sizeof(f));
    memcpy(&before, &f, sizeof(f));
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_ident_fold(s, size, flags, &f, &err);
    CHECK((rc == JY_TOO_LONG) == (size > JY_IDENT_MAX_BYTES));
    if (rc != JY_OK) {
        CHECK(rc == JY_INVALID || rc == JY_TOO_LONG);
        CHECK(err.code == rc);
        CHECK(strcmp(err.reason, rc == JY_TOO_LONG ? "too_long" : "bad_character") == 0);
        CHECK(memcmp(&f, &before, sizeof(f)) == 0);
        return;
    }
    CHECK(f.len <= size && f.text[f.len] == '\0');
    CHECK(f.chars <= f.len);
    if (f.len > 0) {
        CHECK(!is_space(f.text[0]) && !is_space(f.text[f.len - 1]));
    }
    size_t chars = 0;
    for (size_t i = 0; i < f.len;) {
        uint32_t cp = 0;
        size_t k = jy_ident_utf8_decode(f.text + i, f.len - i, &cp);
        CHECK(k >= 1 && k <= 4);
        CHECK(!(cp >= 0xFF01 && cp <= 0xFF5E) && cp != 0x3000);
        if (flags & JY_IDENT_DROP_SPACES)
            CHECK(cp != ' ');
        chars++;
        i += k;
    }
    CHECK(chars == f.chars);

    struct jy_ident again;
    CHECK(jy_ident_fold(f.text, f.len, flags, &again, NULL) == JY_OK);
    CHECK(again.len == f.len && again.chars == f.chars);
    CHECK(memcmp(again.text, f.text, f.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    one(s, size, 0);
    one(s, size, JY_IDENT_DROP_SPACES);
    if (size > 0) {
        uint32_t cp = 0x5A5A5A5A;
        size_t k = jy_ident_utf8_decode(s, size, &cp);
        CHECK(k <= 4 && k <= size);
        CHECK(k == 0 ? cp == 0x5A5A5A5A : cp <= 0x10FFFF);
    }
    return 0;
}
