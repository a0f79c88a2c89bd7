/*
 * fuzz_tracking.c — libFuzzer target for jy_tracking_parse (a carrier's tracking export, CSV or
 * JSON lines).
 *
 * Invariants: no crash, overread or leak; a refused file has a reason and nothing to free; an
 * accepted one has rows whose line numbers never go down and lie within the file's lines, and
 * every row is either bad (with a reason) or has a waybill, a status and a time, each a
 * NUL-terminated string no longer than the file; a status is never empty.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/tracking.h"

#include "../../src/banned.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += buf[i] == '\n';

    struct jy_tracking_file f;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_tracking_parse(buf, size, &f, &err);
    if (e != JY_OK) {
        CHECK(err.code == e && err.reason[0] != '\0');
    } else {
        size_t prev = 0;
        for (size_t i = 0; i < f.count; i++) {
            const struct jy_tracking_row *r = &f.rows[i];
            CHECK(r->line >= 1 && r->line <= lines && r->line >= prev);
            prev = r->line;
            if (r->bad) {
                CHECK(r->error.reason[0] != '\0');
                continue;
            }
            CHECK(r->waybill && r->status && r->at);
            CHECK(r->status[0] != '\0');
            CHECK(strlen(r->waybill) <= size && strlen(r->at) <= size + 16);
        }
        jy_tracking_free(&f);
        jy_tracking_free(&f); /* twice is harmless */
    }
    free(buf);
    return 0;
}
