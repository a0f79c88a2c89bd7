/*
 * text.h — whether free text a person typed is fit to store and print.
 *
 * Names, addresses and notes end up on receipts, envelope labels and the police's screens.
 * Characters that are invisible or that reorder what is shown (bidirectional overrides,
 * zero-width characters), that are not characters at all (noncharacters, private use), or that
 * stack without limit (long runs of combining marks) could make two different records look the
 * same on paper. Pure; thread-safe.
 */
#ifndef JY_TEXT_H
#define JY_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The most combining marks (U+0300..U+036F, U+1AB0..U+1AFF, U+1DC0..U+1DFF, U+20D0..U+20FF,
 * U+FE20..U+FE2F) allowed in a row after one base character. */
#define JY_TEXT_MAX_COMBINING 2

/*
 * True when the `len` bytes at `s` are valid UTF-8 and hold none of: C0 and C1 control
 * characters (tab, CR and LF only when `multiline`), DEL, the zero-width and directional
 * formatting characters U+200B..U+200F, U+202A..U+202E, U+2060..U+206F, U+FEFF, U+FFF9..U+FFFB,
 * noncharacters (U+FDD0..U+FDEF and every U+xxFFFE / U+xxFFFF), private use (U+E000..U+F8FF,
 * planes 15 and 16), tag characters (U+E0000..U+E007F), or more than JY_TEXT_MAX_COMBINING
 * combining marks in a row. `*ret_offset` (may be NULL) gets the byte offset of the first
 * offending character when false.
 */
bool jy_text_is_clean(const char *s, size_t len, bool multiline, size_t *ret_offset);

#endif /* JY_TEXT_H */
