/*
 * fuzz_cutoff.c — libFuzzer target for jy_cutoff_parse and jy_cutoff_until.
 *
 * Invariants: no crash or overread on the whole input; an accepted cut-off (the first five
 * bytes) is 0..1439 minutes and prints back to the same five bytes; a refused one leaves the
 * result untouched. With the input's next eight bytes as an instant (bounded to years 6..9500),
 * the cut is now + 1 exactly when the cut-off has not passed, and otherwise lies at or before
 * now, less than a day before it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/cutoff.h"

#include "../../src/banned.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int m = -7;
    if (!jy_cutoff_parse((const char *)data, size, &m))
        CHECK(m == -7);
    else
        CHECK(size == 5 && m >= 0 && m < 1440);
    if (size < 5)
        return 0;
    m = -7;
    if (!jy_cutoff_parse((const char *)data, 5, &m)) {
        CHECK(m == -7);
        return 0;
    }
    CHECK(m >= 0 && m < 1440);
    char back[16];
    snprintf(back, sizeof(back), "%02d:%02d", m / 60, m % 60);
    CHECK(memcmp(back, data, 5) == 0);
    if (size < 13)
        return 0;
    uint64_t raw = 0;
    for (int i = 0; i < 8; i++)
        raw = raw << 8 | data[5 + i];
    /* Within years 6 to 9500 (the civil dates of core/date.h are years 1 to 9999). */
    int64_t now = (int64_t)(raw % 300000000000ULL) - 62000000000LL;
    bool after = false;
    int64_t until = jy_cutoff_until(now, m, &after);
    if (!after)
        CHECK(until == now + 1);
    else
        CHECK(until <= now && now - until < 86400);
    return 0;
}
