/*
 * vin.h — vehicle identification numbers (车辆识别代号, VIN) by ISO 3779 and GB 16735-2019.
 *
 * An application names its vehicle by VIN as well as by plate. This module checks the
 * character set and length, normalises the VIN, and verifies the check digit in position 9.
 * GB 16735-2019 (Appendix A, normative) makes position 9 a check digit for every VIN issued in
 * China, so a domestic VIN (starting with L) that fails it is refused. ISO 3779 leaves the check
 * digit optional, so an imported vehicle's VIN may legitimately fail it (many European and
 * Brazilian VINs do); such a VIN is accepted with `check_ok` false and the caller warns.
 * Pure functions; thread-safe.
 */
#ifndef JY_VIN_H
#define JY_VIN_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"

/* Characters in a VIN. */
#define JY_VIN_LENGTH 17

/* One parsed VIN. Strings are NUL-terminated inside the struct. */
struct jy_vin {
    char vin[JY_VIN_LENGTH + 1]; /* normalised: 17 characters of [A-HJ-NPR-Z0-9] */
    bool check_ok;               /* position 9 equals jy_vin_check_digit(vin) */
    bool domestic;               /* starts with L (a WMI assigned to China) */
    char wmi[4];                 /* positions 1–3, the world manufacturer identifier */
};

/* The check digit of `vin` (its first 17 bytes are read; no NUL needed): '0'..'9' or 'X'.
 *
 * ISO 3779 / GB 16735-2019 Appendix A: letters are transliterated A1 B2 C3 D4 E5 F6 G7 H8 J1 K2
 * L3 M4 N5 P7 R9 S2 T3 U4 V5 W6 X7 Y8 Z9, digits keep their value; the values are weighted
 * 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2 by position; the check digit is the sum mod 11, 10 being
 * written X. Position 9 has weight 0 and may hold anything (a placeholder, when computing the
 * digit for a new VIN). Upper-case letters only. Returns 0 (the NUL character) when any other
 * position holds a byte outside [A-HJ-NPR-Z0-9]. `vin` is borrowed. */
char jy_vin_check_digit(const char vin[JY_VIN_LENGTH]);

/* Parse the VIN in `s` (`len` bytes, no NUL needed, any bytes) into `*ret` (caller-owned,
 * written only when JY_OK is returned). The input is first folded by jy_ident_fold() with
 * JY_IDENT_DROP_SPACES (full-width letters and digits become ASCII, surrounding white space is
 * trimmed, single spaces between groups are dropped: "LSJA24U6 2JG269225"); ASCII letters are
 * upper-cased.
 *
 * JY_OK with `check_ok` true: a well-formed VIN whose check digit is right.
 * JY_OK with `check_ok` false: a well-formed VIN not starting with L whose position 9 is not
 *   its check digit; the caller should warn.
 * Errors (`*err` filled when not NULL; reason in brackets):
 *   JY_TOO_LONG [too_long]        more than JY_IDENT_MAX_BYTES bytes of input;
 *   JY_INVALID  [bad_length]      not 17 characters after folding;
 *               [bad_character]   invalid UTF-8, two spaces in a row, or a character outside
 *                                 [A-HJ-NPR-Z0-9]; the message names I, O
 *                                 or Q when one of those is the cause (they are never used, to
 *                                 avoid confusion with 1 and 0);
 *               [bad_check_digit] a VIN starting with L whose position 9 is not its check
 *                                 digit (GB 16735-2019 makes it mandatory in China).
 * `s` is borrowed; it may be NULL only when `len` is 0. */
enum jy_err jy_vin_parse(const char *s, size_t len, struct jy_vin *ret, struct jy_error *err);

#endif /* JY_VIN_H */
