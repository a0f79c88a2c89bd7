/*
 * ident.h — the first step of every identifier parser: the text as a person typed it, folded to
 * the plain form the rules are written for.
 *
 * An identifier reaches jingyou from a keyboard with a Chinese input method, from a copy of a
 * scanned document or from a web form, so the same number arrives as "11010519491231002X",
 * "11010519491231002Ｘ" (full-width X), " 110105 19491231 002X\t" or with an ideographic space.
 * Every parser (resident ID, plate, VIN, S10, USCC, mobile, application number) calls
 * jy_ident_fold() first, so that all of them accept the same variations and report the same
 * error for the same fault:
 *   - the input must be well-formed UTF-8 (RFC 3629); otherwise "bad_character";
 *   - full-width ASCII (U+FF01..U+FF5E, the Halfwidth and Fullwidth Forms block of Unicode) is
 *     folded to ASCII (U+0021..U+007E), and the ideographic space U+3000 to a space;
 *   - leading and trailing white space (space, tab, CR, LF, and the ideographic space) is
 *     dropped;
 *   - optionally, single spaces between two characters are dropped (for numbers printed in
 *     groups, "110105 19491231 002X"); two spaces in a row are "bad_character".
 * Upper-casing and the characters each kind allows stay with each parser.
 *
 * Pure functions, no global state, thread-safe.
 */
#ifndef JY_IDENT_H
#define JY_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"
#include "../limits.h"

/* Flag for jy_ident_fold: drop each single ASCII space that stands between two other
 * characters (after folding, so an ideographic space counts as a space). */
#define JY_IDENT_DROP_SPACES 1u

/* An identifier after folding. Folding never lengthens the text, so JY_IDENT_MAX_BYTES bytes of
 * input always fit. */
struct jy_ident {
    char text[JY_IDENT_MAX_BYTES + 1]; /* UTF-8, NUL-terminated; may hold NUL bytes that were in
                                          the input, so `len` is the length */
    size_t len;                        /* bytes in `text` before the terminating NUL */
    size_t chars;                      /* characters (Unicode code points) in `text` */
};

/*
 * Fold the `len` bytes at `s` (borrowed; need not be NUL-terminated; may hold any bytes,
 * including NUL) as described above, into `*ret` (caller-owned, written only on success).
 * `flags` is 0 or JY_IDENT_DROP_SPACES. `s` may be NULL only when `len` is 0; a NULL `s` with a
 * non-zero `len` is taken as empty input.
 *
 * Empty input, or input that is all white space, is not an error here: `*ret` is then empty and
 * the caller reports its own "bad_length".
 *
 * Errors (`*err` filled when not NULL; reason in brackets):
 *   JY_TOO_LONG [too_long]      more than JY_IDENT_MAX_BYTES bytes of input;
 *   JY_INVALID  [bad_character] a byte sequence that is not well-formed UTF-8 (the message
 *                               gives the byte's position, counted from 1 in the input), or,
 *                               with JY_IDENT_DROP_SPACES, two spaces in a row.
 */
enum jy_err jy_ident_fold(const char *s, size_t len, unsigned flags, struct jy_ident *ret,
                          struct jy_error *err);

/*
 * Decode one UTF-8 character from the `len` bytes at `s` (borrowed; `len` > 0) into `*ret_cp`.
 * Returns the number of bytes it takes (1 to 4), or 0 when the bytes at `s` do not start a
 * well-formed character (RFC 3629: no overlong forms, no surrogates U+D800..U+DFFF, nothing
 * above U+10FFFF, no sequence cut short by `len`); `*ret_cp` is then untouched. Never reads
 * past `len` bytes. Returns 0 when `s` is NULL or `len` is 0.
 */
size_t jy_ident_utf8_decode(const char *s, size_t len, uint32_t *ret_cp);

#endif /* JY_IDENT_H */
