/*
 * fuzz_money.c — libFuzzer target for the yuan amount parser and the fine surcharge.
 *
 * Any input must parse or fail cleanly; a parsed amount must format with format_yuan() to text
 * that parses back to the same fen, and the display form must be that text with the yuan sign.
 * The input's first 12 bytes, read as a fine and a day count, must give a surcharge between 0
 * and the fine that never decreases as the days grow.
 */
#include <stdint.h>
#include <string.h>

#include "core/money.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t v;
    struct jy_error err;
    if (jy_money_parse_yuan((const char *)data, size, &v, &err) == JY_OK) {
        char yuan[JY_MONEY_TEXT_SIZE], shown[JY_MONEY_TEXT_SIZE];
        jy_money_format_yuan(v, yuan);
        int64_t back;
        if (jy_money_parse_yuan(yuan, strlen(yuan), &back, NULL) != JY_OK || back != v)
            __builtin_trap();
        jy_money_format(v, shown);
        size_t off = v < 0 ? 1 : 0;
        if (memcmp(shown + off, "\xC2\xA5", 2) != 0 || strcmp(shown + off + 2, yuan + off) != 0)
            __builtin_trap();
    } else if (err.reason[0] == '\0') {
        __builtin_trap();
    }

    if (size >= 12) {
        int64_t fine;
        int32_t days;
        memcpy(&fine, data, 8);
        memcpy(&days, data + 8, 4);
        int64_t s = jy_money_fine_surcharge(fine, days);
        int64_t cap = fine > 0 ? fine : 0;
        if (s < 0 || s > cap)
            __builtin_trap();
        if (days < INT32_MAX && jy_money_fine_surcharge(fine, days + 1) < s)
            __builtin_trap();
    }
    return 0;
}
