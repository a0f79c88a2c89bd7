/*
 * appno.h — application numbers (受理编号): the number a post office counter gives each
 * application it accepts, printed on the receipt and quoted by the applicant on the phone.
 * Short, readable, unique per acceptance centre, and protected by a check character.
 *
 * Layout of the compact form (14 to 16 characters from 0-9 A-Z):
 *
 *     WH   261129   00042   L
 *     |    |        |       check character, ISO/IEC 7064 MOD 37-2 over everything before it
 *     |    |        daily sequence number at the centre, 5 decimal digits, 00001..99999
 *     |    acceptance date YYMMDD (20YY: years 2000..2099)
 *     centre code, 2..4 characters A-Z 0-9, starting with a letter
 *
 * The centre code's length is what is left before the 12 trailing characters (6 date, 5
 * sequence, 1 check). For display the parts are joined with hyphens: "WH-261129-00042-L".
 *
 * Check character (ISO/IEC 7064:2003, pure system MOD 37-2: modulus 37, radix 2). Values:
 * 0-9 → 0..9, A-Z → 10..35, and the standard's supplementary check symbol '*' → 36. Counting
 * positions from the right with the check character at position 1, position i has weight
 * w(i) = 2^(i−1) mod 37, and a number is valid when Σ value(i)·w(i) ≡ 1 (mod 37). Equivalently,
 * with h = 0 and h = (2h + value) mod 37 for each body character, the check value is
 * (1 − 2h) mod 37. Published vectors: "G123489654321" → "Y", "G123498654321" → "H"
 * (python-stdnum's ISO 7064 MOD 37-2 doctests).
 *
 * What it catches, and why: 37 is prime, so every non-zero residue has an inverse mod 37, and
 * 2 has order 36 mod 37 (2^12 ≡ 26, 2^18 ≡ 36 ≡ −1, 2^36 ≡ 1), so the weights of positions
 * 1..36 are 36 distinct non-zero residues.
 *   - A substitution a → b at position i changes the sum by (b − a)·w(i). Since 0 < |b − a| ≤ 36
 *     and w(i) ≢ 0, the product is not ≡ 0 mod 37 (37 prime): EVERY single substitution is
 *     caught.
 *   - Swapping a ≠ b at positions i+1 and i changes the sum by (a − b)·(w(i+1) − w(i)) =
 *     (a − b)·w(i), again not ≡ 0: EVERY adjacent transposition is caught, including the one
 *     between the last body character and the check character. Since all weights within 36
 *     positions differ, the same holds for a swap of any two characters of a number up to 36
 *     characters long (ours are at most 16).
 * The unit tests verify these statements exhaustively over all positions and values.
 *
 * The price of the pure system is the 37th check value. So that numbers use only 0-9 A-Z, a
 * body whose check value would be 36 ('*') is never issued: jy_appno_make() refuses it with
 * JY_RANGE "check_unusable" and the caller takes the next sequence number. About 1 sequence
 * value in 37 is skipped, so the daily sequence has gaps and a centre can issue 97,293 to
 * 97,300 numbers a day (depending on centre and date) rather than 99,999.
 *
 * Pure functions, thread-safe.
 */
#ifndef JY_APPNO_H
#define JY_APPNO_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"
#include "date.h"

/* Bounds of the parts. */
#define JY_APPNO_CENTRE_MIN 2
#define JY_APPNO_CENTRE_MAX 4
#define JY_APPNO_SEQ_MAX 99999u
/* Characters after the centre code: YYMMDD, 5-digit sequence, check character. */
#define JY_APPNO_TAIL_LEN 12
/* Bytes for the display form, NUL included ("ABCD-261129-00042-L" is 19 characters). */
#define JY_APPNO_DISPLAY_SIZE 32

/* A valid application number, in parts and in its compact form. */
struct jy_appno {
    char text[24];       /* compact form, NUL-terminated: "WH26112900042L" */
    char centre[5];      /* centre code, NUL-terminated: "WH" */
    struct jy_date date; /* acceptance date, year 2000..2099 */
    uint32_t seq;        /* daily sequence number, 1..JY_APPNO_SEQ_MAX */
    char check;          /* the check character, '0'-'9' or 'A'-'Z' (never '*') */
};

/* The ISO/IEC 7064 MOD 37-2 check character of `body` (`len` bytes of 0-9 A-Z; a-z count as
 * A-Z; borrowed), as '0'-'9', 'A'-'Z', or '*' for check value 36 (a body that is never issued
 * as an application number). Returns '\0' when `body` holds any other byte. */
char jy_appno_check_char(const char *body, size_t len);

/* Build the application number for sequence `seq` accepted on `accepted` at the centre
 * `centre` (a NUL-terminated code, borrowed; lower-case letters are upper-cased) into `*ret`.
 * Errors (`*ret` untouched): JY_INVALID "bad_centre" (not 2..4 of A-Z 0-9 starting with a
 * letter), "bad_date" (not a real date); JY_RANGE "date_out_of_range" (year outside
 * 2000..2099), "bad_sequence" (not 1..JY_APPNO_SEQ_MAX), "check_unusable" (the check character
 * of this centre, date and sequence would be '*': the sequence number is skipped and the
 * caller takes the next one; about 1 in 37). */
enum jy_err jy_appno_make(const char *centre, struct jy_date accepted, uint32_t seq,
                          struct jy_appno *ret, struct jy_error *err);

/* Parse an application number from `s` (`len` bytes, no NUL needed; borrowed) into `*ret`.
 * The input is first folded by jy_ident_fold() (full-width letters, digits and hyphens become
 * ASCII, the ideographic space a space, surrounding white space is ignored). Spaces and hyphens
 * anywhere are then ignored (they only group the characters) and lower-case letters are read
 * as upper case, so "wh-261129-00042-l", "WH 261129 00042 L" and "WH26112900042L" are the same
 * number; `ret->text` is the compact upper-case form.
 * Errors (`*ret` untouched): JY_TOO_LONG "too_long" (over JY_IDENT_MAX_BYTES bytes);
 * JY_INVALID "bad_character" (invalid UTF-8, a character other than 0-9 A-Z a-z, space or
 * hyphen, a '*' anywhere
 * but last, or a letter where the date or sequence digits belong), "bad_length" (not
 * 14..16 characters once grouping is removed), "bad_centre" (the centre code does not start
 * with a letter), "bad_check_character" (the check character does not match, or is '*', which
 * is never issued), "bad_date" (YYMMDD is not a real date), "bad_sequence" (00000). */
enum jy_err jy_appno_parse(const char *s, size_t len, struct jy_appno *ret, struct jy_error *err);

/* Write the display form of `no` ("WH-261129-00042-L") into `ret`, JY_APPNO_DISPLAY_SIZE bytes,
 * always NUL-terminated. `no` is borrowed and must come from jy_appno_make() or
 * jy_appno_parse(). */
void jy_appno_display(const struct jy_appno *no, char ret[JY_APPNO_DISPLAY_SIZE]);

#endif /* JY_APPNO_H */
