/*
 * idcard.h — the citizen identity number of the People's Republic of China (公民身份号码,
 * GB 11643-1999), as printed on the resident identity card and used as the driving-licence
 * number.
 *
 * An identity number is 18 characters: a 6-digit address code (GB/T 2260; its first two digits
 * are the province), the birth date YYYYMMDD, a 3-digit sequence number whose parity gives the
 * sex (odd male, even female), and a check character computed with ISO 7064 MOD 11-2 (0-9 or X).
 * First-generation cards (GB 11643-1989) carried a 15-digit number with a two-digit year and no
 * check character; those are accepted and converted to the 18-character form, since they still
 * turn up in old vehicle records.
 *
 * Pure functions, no global state, thread-safe. Error messages never repeat the number itself
 * (it is personal data and messages end up in logs).
 */
#ifndef JY_IDCARD_H
#define JY_IDCARD_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"
#include "date.h"

/* Earliest birth year accepted. GB 11643-1999 numbers are issued to living residents; an earlier
 * year is taken as a keying error. */
#define JY_IDCARD_MIN_BIRTH_YEAR 1900

/* A parsed, validated identity number. */
struct jy_idcard {
    char number[19];      /* normalised: 17 digits then 0-9 or upper-case X, NUL-terminated */
    struct jy_date birth; /* birth date, 1900-01-01 .. the `today` given to the parser */
    char sex;             /* 'M' (sequence number odd) or 'F' (even) */
    int province;         /* the first two digits, one of the codes jy_idcard_province_name knows */
    bool from_legacy15;   /* true when the input was a 15-digit first-generation number */
};

/*
 * Parse and validate an identity number.
 *
 * `s` is `len` bytes (borrowed, need not be NUL-terminated, may hold any bytes). It is first
 * folded by jy_ident_fold() with JY_IDENT_DROP_SPACES: full-width digits and X become ASCII,
 * surrounding white space is ignored, and single spaces between groups are dropped
 * ("110105 19491231 002X"). A lower-case check character x is accepted as X. Accepted forms:
 *   - 18 characters: 17 digits and a check character [0-9X] that satisfies ISO 7064 MOD 11-2
 *     (GB 11643-1999 §5, Appendix A);
 *   - 15 digits (GB 11643-1989): "19" is inserted before the two-digit year and the check
 *     character computed; `from_legacy15` is then true. A 15-digit number has no check
 *     character, so a keying error in it can go unnoticed.
 * In both forms the birth date must be a real calendar day no earlier than
 * JY_IDCARD_MIN_BIRTH_YEAR-01-01 and no later than `today` (a valid date, normally today in
 * Asia/Shanghai), and the first two digits must be a province code known to
 * jy_idcard_province_name (including 81/82/83 on residence permits for Hong Kong, Macao and
 * Taiwan residents).
 *
 * On success fills `*ret` (caller-owned) and returns JY_OK. On failure returns the error below,
 * fills `*err` when it is not NULL, and leaves `*ret` untouched. The checks run in this order
 * and the first failure is reported (a mistyped digit thus shows up as a bad check character,
 * not as a strange date or province):
 *   JY_TOO_LONG  "too_long"               more than JY_IDENT_MAX_BYTES bytes before trimming
 *   JY_INVALID   "bad_length"             not 18 (or 15) characters after folding
 *   JY_INVALID   "bad_character"          invalid UTF-8, two spaces in a row, a non-digit, or
 *                                         a check character other than 0-9/X
 *   JY_INVALID   "bad_check_character"    the MOD 11-2 check character does not match
 *   JY_INVALID   "unknown_province"       the first two digits are no province code
 *   JY_INVALID   "no_such_date"           the birth date is not a calendar day
 *   JY_INVALID   "birth_date_too_early"   the birth date is before JY_IDCARD_MIN_BIRTH_YEAR
 *   JY_INVALID   "future_birth_date"      the birth date is after `today`
 *   JY_INTERNAL  "bad_today"              `today` is not a valid date (a caller bug)
 */
enum jy_err jy_idcard_parse(const char *s, size_t len, struct jy_date today, struct jy_idcard *ret,
                            struct jy_error *err);

/*
 * The check character ('0'..'9' or 'X') of an identity number whose first 17 characters are
 * `first17` (borrowed; exactly 17 bytes are read, no NUL needed). ISO 7064 MOD 11-2 as in
 * GB 11643-1999: weights 2^(18-i) mod 11, check = (12 - sum mod 11) mod 11, 10 written X.
 * Returns '\0' when any of the 17 bytes is not an ASCII digit or `first17` is NULL.
 */
char jy_idcard_check_char(const char first17[17]);

/*
 * The short Chinese name (UTF-8, static storage) of province-level code `code`, the first two
 * digits of an identity number: 11 北京 … 65 新疆 per GB/T 2260, 71 台湾, 81 香港, 82 澳门, and
 * 83 台湾 (address code 830000 of residence permits for Taiwan residents). NULL for any other
 * value.
 */
const char *jy_idcard_province_name(int code);

/*
 * True when the last four characters of `id->number` equal `last4` (`len` bytes, borrowed).
 * Citizens use the last four characters of their number to follow an application; the input
 * is folded by jy_ident_fold() (full-width characters, surrounding white space) and x matches X.
 * The comparison takes the same time whichever character differs. False when either pointer is NULL
 * or `last4` is not four characters.
 */
bool jy_idcard_last4_matches(const struct jy_idcard *id, const char *last4, size_t len);

#endif /* JY_IDCARD_H */
