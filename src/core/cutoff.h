/*
 * cutoff.h — the daily cut-off of a hand-over (DESIGN §3): a branch's bag closes at its cut-off
 * (17:30 by default), the centre's dispatch batch at 17:00. A cut-off is a time of day in
 * Asia/Shanghai, "HH:MM".
 *
 * What a closing takes: closed at or after today's cut-off, what came before the cut-off (what
 * came after it waits for the next one); closed before it, what came until then (an early
 * close). Pure; thread-safe.
 */
#ifndef JY_CUTOFF_H
#define JY_CUTOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse a cut-off "HH:MM" (00:00 to 23:59, exactly five bytes, `len` of them at `s`) into
 * minutes after midnight. False, `*ret_minutes` untouched, for anything else. */
bool jy_cutoff_parse(const char *s, size_t len, int *ret_minutes);

/* The instant a hand-over closed at `now` (UTC seconds) is cut at, for a cut-off of `minutes`
 * after midnight in Asia/Shanghai (0..1439): today's cut-off when `now` is at or past it
 * (`*ret_after` true), else `now` + 1 (everything up to and including this second; false). */
int64_t jy_cutoff_until(int64_t now, int minutes, bool *ret_after);

#endif /* JY_CUTOFF_H */
