/*
 * mobile.h — mainland China mobile telephone numbers, as given by an applicant for delivery
 * notices and pick-up codes, and their masked form for labels and logs.
 *
 * A mainland mobile number is 11 digits: 1, then 3-9, then 9 more digits (the numbering plan of
 * the Ministry of Industry and Information Technology). People write it with the country code
 * (+86, 86, or 0086 with the international call prefix) and with spaces or hyphens between
 * groups ("138 0013 8000", "+86-138-0013-8000", "0086 138 0013 8000"); the normalised form is
 * the bare 11 digits.
 *
 * Pure functions, no global state, thread-safe. Error messages never repeat the number.
 */
#ifndef JY_MOBILE_H
#define JY_MOBILE_H

#include <stddef.h>

#include "../error.h"

/* Size of a normalised or masked number: 11 characters and the NUL. */
#define JY_MOBILE_SIZE 12

/*
 * Parse a mainland mobile number into its 11-digit form.
 *
 * `s` is `len` bytes (borrowed, need not be NUL-terminated, may hold any bytes). It is first
 * folded by jy_ident_fold() (full-width digits, '+' and '-' become ASCII, the ideographic space
 * a space, surrounding white space is ignored). What remains is an optional '+', then digits,
 * where any run of spaces and hyphens may stand between two digits (not before the first or
 * after the last). The digits are the 11-digit number, or 86 or 0086 followed by it; after a
 * '+' the 86 is required (+0086 is refused). The number must start with 1 and a second digit
 * 3-9.
 *
 * On success writes the 11 digits and a NUL to `ret` (caller-owned, JY_MOBILE_SIZE bytes) and
 * returns JY_OK. On failure returns the error below, fills `*err` when it is not NULL, and
 * leaves `ret` untouched. Checked in this order: size, characters, country code, digit count,
 * leading digits:
 *   JY_TOO_LONG  "too_long"       more than JY_IDENT_MAX_BYTES bytes before trimming
 *   JY_INVALID   "bad_character"  invalid UTF-8, or anything but digits, inner spaces/hyphens
 *                                  and a leading '+'
 *   JY_INVALID   "bad_prefix"     a '+' not followed by 86
 *   JY_INVALID   "bad_length"     not 11 digits once the country code is taken off
 *   JY_INVALID   "bad_prefix"     the 11 digits do not start with 1 and then 3-9
 */
enum jy_err jy_mobile_parse(const char *s, size_t len, char ret[JY_MOBILE_SIZE],
                            struct jy_error *err);

/*
 * Write the masked form of `number` to `ret` (both JY_MOBILE_SIZE bytes, caller-owned; they may
 * be the same buffer): the first three and last four digits kept and the middle four replaced by
 * '*', "13800138000" -> "138****8000". This is the only form of a number that goes on a label or
 * into a log. When `number` is NULL or not 11 ASCII digits followed by a NUL, `ret` gets
 * "***********" so that nothing leaks. Does nothing when `ret` is NULL.
 */
void jy_mobile_mask(const char number[JY_MOBILE_SIZE], char ret[JY_MOBILE_SIZE]);

#endif /* JY_MOBILE_H */
