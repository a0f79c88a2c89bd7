/*
 * parse_checks.h — checks the tests of the code parsers share: a text refused with the given
 * error and the result left untouched, and the single substitutions and adjacent
 * transpositions of 18-character codes that a check character must catch.
 *
 * Included by tests/unit/{idcard,uscc,s10,vin}.c after <cmocka.h>; every function is static and
 * may go unused in one of them.
 */
#ifndef JY_TEST_PARSE_CHECKS_H
#define JY_TEST_PARSE_CHECKS_H

#include <stddef.h>
#include <string.h>

/*
 * Defines bad_n(s, len, code, reason) — parsing the `len` bytes at `s` with
 * `parse(s, len, type *ret, struct jy_error *err)` fails with `code` and `reason` and leaves
 * `*ret` as it was — and bad(s, reason), the same for a NUL-terminated `s` and JY_INVALID.
 */
#define JY_TEST_BAD_PARSE(type, parse)                                                             \
    static void bad_n(const char *s, size_t len, enum jy_err code, const char *reason)             \
    {                                                                                              \
        type v, before;                                                                            \
        memset(&v, 0x5A, sizeof(v));                                                               \
        before = v;                                                                                \
        struct jy_error err;                                                                       \
        jy_error_clear(&err);                                                                      \
        enum jy_err e = parse(s, len, &v, &err);                                                   \
        if (e != code || strcmp(err.reason, reason) != 0)                                          \
            fail_msg("'%.*s': got %d %s, expected %d %s", (int)len, s, e, err.reason, code,        \
                     reason);                                                                      \
        assert_memory_equal(&v, &before, sizeof(v));                                               \
    }                                                                                              \
                                                                                                   \
    static void bad(const char *s, const char *reason)                                             \
    {                                                                                              \
        bad_n(s, strlen(s), JY_INVALID, reason);                                                   \
    }

/* Hands `check` every copy of each of the `n` 18-character `vectors` with one of its first 17
 * characters replaced by another character of `alphabet` (`i` the position, `k` the index of the
 * new character in `alphabet`). Returns how many copies it handed. */
static inline int each_substitution(const char *const vectors[], size_t n, const char *alphabet,
                                    void (*check)(const char s[19], size_t i, size_t k))
{
    int handed = 0;
    for (size_t v = 0; v < n; v++) {
        for (size_t i = 0; i < 17; i++) {
            for (size_t k = 0; alphabet[k]; k++) {
                char s[19];
                memcpy(s, vectors[v], 19);
                if (s[i] == alphabet[k])
                    continue;
                s[i] = alphabet[k];
                check(s, i, k);
                handed++;
            }
        }
    }
    return handed;
}

/* Hands `check` every copy of each of the `n` 18-character `vectors` with two distinct
 * neighbouring characters swapped. Returns how many copies it handed. */
static inline int each_transposition(const char *const vectors[], size_t n,
                                     void (*check)(const char s[19]))
{
    int handed = 0;
    for (size_t v = 0; v < n; v++) {
        for (size_t i = 0; i + 1 < 18; i++) {
            char s[19];
            memcpy(s, vectors[v], 19);
            if (s[i] == s[i + 1])
                continue;
            char t = s[i];
            s[i] = s[i + 1];
            s[i + 1] = t;
            check(s);
            handed++;
        }
    }
    return handed;
}

#endif /* JY_TEST_PARSE_CHECKS_H */
