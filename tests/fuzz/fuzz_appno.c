/*
 * fuzz_appno.c — libFuzzer target for the application number parser.
 *
 * Any input must parse or fail cleanly. A parsed number must re-parse from its compact text and
 * from its display form to the same value, be rebuilt identically from its parts, and carry the
 * ISO 7064 MOD 37-2 check character of its body, which is never '*'. The check character of any
 * input is either '\0' or one of the 37 MOD 37-2 symbols.
 */
#include <stdint.h>
#include <string.h>

#include "core/appno.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char any = jy_appno_check_char(s, size);
    if (any != '\0' && !((any >= '0' && any <= '9') || (any >= 'A' && any <= 'Z') || any == '*'))
        __builtin_trap();

    struct jy_appno a;
    struct jy_error err;
    if (jy_appno_parse(s, size, &a, &err) != JY_OK) {
        if (err.reason[0] == '\0')
            __builtin_trap();
        return 0;
    }
    size_t n = strnlen(a.text, sizeof(a.text));
    if (n < 14 || n > 16 || a.check != a.text[n - 1] || a.check == '*' ||
        jy_appno_check_char(a.text, n - 1) != a.check)
        __builtin_trap();

    struct jy_appno b;
    if (jy_appno_parse(a.text, n, &b, NULL) != JY_OK || memcmp(&a, &b, sizeof(a)) != 0)
        __builtin_trap();

    char disp[JY_APPNO_DISPLAY_SIZE];
    jy_appno_display(&a, disp);
    if (jy_appno_parse(disp, strlen(disp), &b, NULL) != JY_OK || memcmp(&a, &b, sizeof(a)) != 0)
        __builtin_trap();

    if (jy_appno_make(a.centre, a.date, a.seq, &b, NULL) != JY_OK || memcmp(&a, &b, sizeof(a)) != 0)
        __builtin_trap();
    return 0;
}
