/*
 * fuzz_plate.c — libFuzzer target for jy_plate_parse and jy_plate_check_type.
 *
 * Invariants checked on every input: no crash or overread; a refused input leaves the result
 * untouched and gives a reason and a message that is valid UTF-8; an accepted plate is
 * self-consistent (kind, energy letter, authority letter, province) and its normalised text
 * parses again to the same plate; checking it against any type code gives OK or a mismatch.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/plate.h"

#include "../../src/banned.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

/* True when `s` is well-formed UTF-8 (RFC 3629). */
static bool utf8_ok(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned char c = *u;
        size_t n;
        uint32_t v, min;
        if (c < 0x80) {
            u++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2, v = c & 0x1Fu, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3, v = c & 0x0Fu, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4, v = c & 0x07u, min = 0x10000;
        } else {
            return false;
        }
        for (size_t i = 1; i < n; i++) {
            if ((u[i] & 0xC0) != 0x80)
                return false;
            v = (v << 6) | (u[i] & 0x3Fu);
        }
        if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return false;
        u += n;
    }
    return true;
}

static bool same_plate(const struct jy_plate *a, const struct jy_plate *b)
{
    return strcmp(a->text, b->text) == 0 && strcmp(a->province, b->province) == 0 &&
           a->authority == b->authority && a->kind == b->kind && a->energy == b->energy &&
           a->warn_letter_o == b->warn_letter_o;
}

static void check_error(const struct jy_error *err, enum jy_err e)
{
    CHECK(err->code == e);
    CHECK(err->reason[0] != '\0');
    CHECK(memchr(err->message, '\0', sizeof(err->message)) != NULL);
    CHECK(utf8_ok(err->message));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so that any overread is caught by the sanitizer. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);

    struct jy_plate p, before;
    memset(&p, 0xA5, sizeof(p));
    before = p;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_plate_parse(buf, size, &p, &err);
    if (e != JY_OK) {
        CHECK(e == JY_INVALID || e == JY_TOO_LONG);
        CHECK(memcmp(&p, &before, sizeof(p)) == 0);
        check_error(&err, e);
        free(buf);
        return 0;
    }

    size_t n = strnlen(p.text, sizeof(p.text));
    CHECK(n < sizeof(p.text) && n >= 9 && n <= 11);
    CHECK(utf8_ok(p.text));
    CHECK(strnlen(p.province, sizeof(p.province)) == 3);
    CHECK(strncmp(p.text, p.province, 3) == 0);
    CHECK((unsigned)p.kind <= (unsigned)JY_PLATE_EMBASSY);
    CHECK(strcmp(jy_plate_kind_name(p.kind), "unknown") != 0);
    bool ne = p.kind == JY_PLATE_NEW_ENERGY_SMALL || p.kind == JY_PLATE_NEW_ENERGY_LARGE;
    CHECK(ne == (p.energy != 0));
    CHECK(ne ? strchr("DABCEFGHJK", p.energy) != NULL : true);
    if (p.kind == JY_PLATE_EMBASSY) {
        CHECK(strcmp(p.province, "使") == 0 && p.authority == 0 && !p.warn_letter_o);
    } else {
        CHECK(p.authority >= 'A' && p.authority <= 'Z' && p.authority != 'I');
        CHECK(p.text[3] == p.authority);
        CHECK(p.warn_letter_o == (p.authority == 'O'));
    }

    /* The normalised text is a fixed point. */
    struct jy_plate again;
    CHECK(jy_plate_parse(p.text, n, &again, NULL) == JY_OK);
    CHECK(same_plate(&p, &again));

    /* Every type code: OK or a mismatch, and exactly the new-energy pairing for 51/52. */
    const struct jy_plate_type *types;
    size_t count = jy_plate_types(&types);
    size_t accepted = 0;
    for (size_t i = 0; i < count; i++) {
        jy_error_clear(&err);
        e = jy_plate_check_type(&p, types[i].code, 2, &err);
        if (e == JY_OK) {
            accepted++;
            if (strcmp(types[i].code, "51") == 0)
                CHECK(p.kind == JY_PLATE_NEW_ENERGY_LARGE);
            if (strcmp(types[i].code, "52") == 0)
                CHECK(p.kind == JY_PLATE_NEW_ENERGY_SMALL);
        } else {
            CHECK(e == JY_INVALID && strcmp(err.reason, "plate_type_mismatch") == 0);
            check_error(&err, e);
        }
    }
    CHECK(accepted >= 1);
    /* The input's own bytes as a type code. */
    jy_error_clear(&err);
    e = jy_plate_check_type(&p, buf, size, &err);
    if (e != JY_OK)
        check_error(&err, e);
    free(buf);
    return 0;
}
