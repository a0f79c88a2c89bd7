/*
 * fuzz_s10.c — libFuzzer target for jy_s10_parse, jy_s10_format and the serial blocks.
 *
 * Invariants: no crash or overread; a refused input leaves the result untouched with a reason;
 * an accepted number agrees with its parts, formats back to itself and parses again to the
 * same; a serial block built from the input's bytes never gives a number twice, never goes
 * past its end, and counts down by one per number given.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/s10.h"

#include "../../src/banned.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static uint32_t u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Drive a serial block whose bounds come from the input. */
static void fuzz_range(const uint8_t *data, size_t size)
{
    if (size < 16)
        return;
    struct jy_s10_range r;
    memcpy(r.service, data, 2);
    r.service[2] = '\0';
    /* Mostly an assigned country, so that the block logic is reached; sometimes any bytes. */
    memcpy(r.country, (data[15] & 2) ? (const char *)data + 2 : "CN", 2);
    r.country[2] = '\0';
    /* Mostly small, sometimes arbitrary, bounds. */
    r.first = u32(data + 4) % (JY_S10_SERIAL_MAX + 2);
    r.last = (data[15] & 1) ? u32(data + 8) : r.first + (u32(data + 8) % 8);
    r.next = r.first + (u32(data + 12) % 4);

    uint32_t prev = 0;
    bool have_prev = false;
    for (int i = 0; i < 12; i++) {
        struct jy_s10_range before = r;
        uint32_t left = jy_s10_range_left(&r);
        char out[14];
        memset(out, 0x5A, sizeof(out));
        struct jy_error err;
        jy_error_clear(&err);
        enum jy_err e = jy_s10_range_next(&r, out, &err);
        if (e != JY_OK) {
            CHECK(memcmp(&before, &r, sizeof(r)) == 0);
            CHECK(err.reason[0] != '\0');
            if (e == JY_CONFLICT)
                CHECK(left == 0 && strcmp(err.reason, "range_exhausted") == 0);
            continue;
        }
        CHECK(left >= 1 && jy_s10_range_left(&r) == left - 1);
        CHECK(r.next == before.next + 1 && before.next <= r.last);
        struct jy_s10 v;
        CHECK(jy_s10_parse(out, 13, &v, NULL) == JY_OK);
        CHECK(v.serial == before.next);
        CHECK(!have_prev || v.serial > prev);
        prev = v.serial;
        have_prev = true;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);

    struct jy_s10 v, before;
    memset(&v, 0xA5, sizeof(v));
    before = v;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_s10_parse(buf, size, &v, &err);
    if (e != JY_OK) {
        CHECK(e == JY_INVALID || e == JY_TOO_LONG);
        CHECK(err.code == e && err.reason[0] != '\0');
        CHECK(memcmp(&v, &before, sizeof(v)) == 0);
    } else {
        CHECK(strnlen(v.number, sizeof(v.number)) == JY_S10_LENGTH);
        CHECK(v.serial <= JY_S10_SERIAL_MAX);
        CHECK(v.check == jy_s10_check_digit(v.serial));
        CHECK(v.number[10] == '0' + v.check);
        CHECK(memcmp(v.number, v.service, 2) == 0 && memcmp(v.number + 11, v.country, 2) == 0);
        CHECK(v.service[0] != 'J' && v.service[0] != 'K');
        CHECK(v.ems == (v.service[0] == 'E'));
        char out[14];
        CHECK(jy_s10_format(v.service, v.serial, v.country, out, NULL) == JY_OK);
        CHECK(strcmp(out, v.number) == 0);
        struct jy_s10 again;
        CHECK(jy_s10_parse(v.number, JY_S10_LENGTH, &again, NULL) == JY_OK);
        CHECK(strcmp(again.number, v.number) == 0 && again.serial == v.serial);
    }
    fuzz_range(data, size);
    free(buf);
    return 0;
}
