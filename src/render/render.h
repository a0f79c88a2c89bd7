/*
 * render.h — what every printed document and export of src/render shares: the check that a
 * text may go on paper, the masked form of a person's name, and times written as people in the
 * centre read them (Asia/Shanghai).
 *
 * The render layer takes plain structs of borrowed strings and numbers, never the store or
 * JSON, so that each document can be built and tested alone. Pure functions, thread-safe.
 */
#ifndef JY_RENDER_H
#define JY_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../error.h"

/* Bytes of a masked name, NUL included: at most two characters of a surname (4 bytes each in
 * UTF-8), the '*' and the NUL. */
#define JY_RENDER_MASKED_NAME_SIZE 16

/* Bytes of a time written by jy_render_format_time(), NUL included ("2026-11-29 17:36"). */
#define JY_RENDER_TIME_SIZE 17

/*
 * Check that `s` may be drawn or exported: not NULL, at most `max_bytes` bytes, valid UTF-8,
 * and free of control characters (U+0000..U+001F and U+007F), except that a line feed is
 * allowed when `multiline` is true. `field` names the input field for the error (borrowed,
 * may be NULL); the error never repeats the text, which may be personal data.
 * Errors: JY_INVALID [missing] NULL, [bad_utf8], [control_character]; JY_TOO_LONG [too_long].
 */
enum jy_err jy_render_check_text(const char *s, size_t max_bytes, bool multiline, const char *field,
                                 struct jy_error *err);

/*
 * Write the form of a person's name that goes on a receipt: the surname followed by one '*',
 * whatever the length of the given name, so that neither the given name nor its length is
 * shown: "张三" → "张*", "张三丰" → "张*", "欧阳娜娜" → "欧阳*" (a two-character compound
 * surname from the list in render.c is kept whole when at least one character follows it).
 * A name of one character gives "*" (it would otherwise be shown whole); for a name in Latin
 * letters the first letter is kept ("Zhang San" → "Z*"). Surrounding ASCII spaces are ignored.
 * NULL, empty or invalid UTF-8 gives "*". `ret` is the caller's buffer of
 * JY_RENDER_MASKED_NAME_SIZE bytes, always NUL-terminated; `name` is borrowed.
 */
void jy_render_mask_name(const char *name, char ret[JY_RENDER_MASKED_NAME_SIZE]);

/*
 * Write the Unix time `t` (UTC seconds) as the wall-clock time in Asia/Shanghai (UTC+8, no
 * daylight saving since 1991) to the minute: "2026-11-29 17:36". `t` must lie in years
 * 1..9999 (otherwise "0000-00-00 00:00" is written). `ret` is the caller's buffer of
 * JY_RENDER_TIME_SIZE bytes, always NUL-terminated.
 */
void jy_render_format_time(int64_t t, char ret[JY_RENDER_TIME_SIZE]);

/* Seconds after midnight in Asia/Shanghai at Unix time `t`: 0..86399. */
int jy_render_shanghai_seconds(int64_t t);

#endif /* JY_RENDER_H */
