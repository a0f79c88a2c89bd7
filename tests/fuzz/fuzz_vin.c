/*
 * fuzz_vin.c — libFuzzer target for jy_vin_parse and jy_vin_check_digit.
 *
 * Invariants: no crash or overread; a refused input leaves the result untouched with a reason;
 * an accepted VIN is 17 characters of the VIN alphabet, its flags agree with its text (a
 * domestic VIN always passes the check digit), and it parses again to the same VIN.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vin.h"

#include "../../src/banned.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);

    if (size >= JY_VIN_LENGTH) {
        char c = jy_vin_check_digit(buf);
        CHECK(c == 0 || (c >= '0' && c <= '9') || c == 'X');
    }

    struct jy_vin v, before;
    memset(&v, 0xA5, sizeof(v));
    before = v;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err e = jy_vin_parse(buf, size, &v, &err);
    if (e != JY_OK) {
        CHECK(e == JY_INVALID || e == JY_TOO_LONG);
        CHECK(err.code == e && err.reason[0] != '\0');
        CHECK(memcmp(&v, &before, sizeof(v)) == 0);
        free(buf);
        return 0;
    }

    CHECK(strnlen(v.vin, sizeof(v.vin)) == JY_VIN_LENGTH);
    for (int i = 0; i < JY_VIN_LENGTH; i++)
        CHECK(strchr(alphabet, v.vin[i]) != NULL && v.vin[i] != '\0');
    char c = jy_vin_check_digit(v.vin);
    CHECK(c != 0);
    CHECK(v.check_ok == (v.vin[8] == c));
    CHECK(v.domestic == (v.vin[0] == 'L'));
    CHECK(v.check_ok || !v.domestic);
    CHECK(strnlen(v.wmi, sizeof(v.wmi)) == 3 && memcmp(v.wmi, v.vin, 3) == 0);

    struct jy_vin again;
    CHECK(jy_vin_parse(v.vin, JY_VIN_LENGTH, &again, NULL) == JY_OK);
    CHECK(strcmp(again.vin, v.vin) == 0 && again.check_ok == v.check_ok &&
          again.domestic == v.domestic && strcmp(again.wmi, v.wmi) == 0);
    free(buf);
    return 0;
}
