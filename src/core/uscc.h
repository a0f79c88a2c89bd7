/*
 * uscc.h — the unified social credit code of an organisation (统一社会信用代码, GB 32100-2015),
 * as written on the business licence of a company or institution that applies for a vehicle.
 *
 * A code is 18 characters from the 31 symbols 0-9 and A-Z without I, O, Z, S and V:
 * position 1 the registering department (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他, …),
 * position 2 the organisation category, positions 3-8 the GB/T 2260 division code (digits),
 * positions 9-17 the organisation code (GB 11714), position 18 a check character over the
 * first 17 (MOD 31).
 *
 * Pure functions, no global state, thread-safe.
 */
#ifndef JY_USCC_H
#define JY_USCC_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"

/* A parsed, validated code. Every string is NUL-terminated. */
struct jy_uscc {
    char code[19];     /* normalised: 18 upper-case symbols from the 31-symbol alphabet */
    char department;   /* position 1: registering department, e.g. '9' */
    char category;     /* position 2: organisation category within the department, e.g. '1' */
    char division[7];  /* positions 3-8: GB/T 2260 division code, 6 digits */
    char org_code[10]; /* positions 9-17: GB 11714 organisation code, 9 symbols */
};

/*
 * Parse and validate a unified social credit code.
 *
 * `s` is `len` bytes (borrowed, need not be NUL-terminated, may hold any bytes). Surrounding
 * ASCII spaces are ignored and ASCII letters are taken in upper case. The code must be 18
 * symbols of the alphabet 0123456789ABCDEFGHJKLMNPQRTUWXY, positions 3-8 must be digits, and
 * position 18 must be the check character of GB 32100-2015: with symbol values 0..30 in
 * that order and weights W(i) = 3^(i-1) mod 31, C18 = (31 - sum mod 31) mod 31.
 *
 * The department and category (positions 1-2) are not checked against a table: GB 32100 lets
 * the code authority add departments (Y is already a letter), and a table that lags behind would
 * refuse real organisations. The GB 11714 check of positions 9-17 is not applied either; see
 * jy_uscc_org_code_ok.
 *
 * On success fills `*ret` (caller-owned) and returns JY_OK. On failure returns the error below,
 * fills `*err` when it is not NULL, and leaves `*ret` untouched; checks run in this order:
 *   JY_TOO_LONG  "too_long"             more than JY_IDENT_MAX_BYTES bytes before trimming
 *   JY_INVALID   "bad_length"           not 18 characters after trimming
 *   JY_INVALID   "bad_character"        a byte outside the alphabet (I O Z S V, punctuation,
 *                                        non-ASCII), or a non-digit in positions 3-8
 *   JY_INVALID   "bad_check_character"  position 18 is not the MOD 31 check character
 */
enum jy_err jy_uscc_parse(const char *s, size_t len, struct jy_uscc *ret, struct jy_error *err);

/*
 * True when the organisation code in `code->org_code` (positions 9-17) carries a valid GB 11714
 * check character: weights 3 7 9 10 5 8 4 2 over its first 8 symbols (digits their value,
 * letters A=10 … Z=35), C = 11 - (sum mod 11), with 10 written X and 11 written 0, compared with
 * its 9th symbol. False when `code` (borrowed) is NULL or holds anything else.
 *
 * This is advisory and jy_uscc_parse does not reject on it: the validity rule of GB 32100 is its
 * own check character, which already covers positions 9-17 and catches every single-symbol
 * error; the GB 11714 check is a property of how the organisation code was allocated, confirmed
 * on sample codes but not a condition GB 32100 states, and a code the registration authority
 * issued is the organisation's legal identifier even if its body fails it. Refusing such a code
 * at the counter would turn away a real organisation; reporting it lets a clerk look twice at
 * the licence.
 */
bool jy_uscc_org_code_ok(const struct jy_uscc *code);

#endif /* JY_USCC_H */
