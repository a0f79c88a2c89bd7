/*
 * timestamp.h — instants as text: RFC 3339 (ISO 8601) date-times to and from UTC seconds.
 *
 * The store keeps time as int64 UTC seconds since 1970-01-01T00:00:00Z; the API shows it as
 * "2026-11-29T09:36:05Z" and reads times that carry their zone ("2026-11-29T17:36:05+08:00"),
 * such as a carrier's tracking feed. Leap seconds are not counted (POSIX time). Pure functions,
 * thread-safe; no use of the C library's time-zone state.
 */
#ifndef JY_TIMESTAMP_H
#define JY_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"

/* Bytes of "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define JY_TIMESTAMP_TEXT_SIZE 21

/* The first and last instants this module handles: 0001-01-01T00:00:00Z and
 * 9999-12-31T23:59:59Z, in seconds since 1970. */
#define JY_TIMESTAMP_MIN (-62135596800LL)
#define JY_TIMESTAMP_MAX 253402300799LL

/* Write `t` (UTC seconds) as "YYYY-MM-DDTHH:MM:SSZ" into `buf` (caller's, at least
 * JY_TIMESTAMP_TEXT_SIZE bytes, always NUL-terminated) and return `buf`. A `t` outside
 * JY_TIMESTAMP_MIN..JY_TIMESTAMP_MAX is written as the nearer of the two. */
char *jy_timestamp_format(int64_t t, char buf[JY_TIMESTAMP_TEXT_SIZE]);

/*
 * Parse an RFC 3339 date-time from `s` (`len` bytes, no NUL needed, borrowed; NULL only with
 * `len` 0) into UTC seconds in `*ret` (untouched on failure). Accepted, after trimming ASCII
 * spaces at either end:
 *
 *     YYYY-MM-DD T hh:mm:ss [.fraction] zone
 *
 * where T may be 't' or a single space, the fraction is 1..9 digits and is dropped (the result
 * is the whole second it falls in), and zone is 'Z', 'z' or ±hh:mm (hours 00..23, minutes
 * 00..59). A time without a zone is refused: a carrier's "10:15" is ambiguous by eight hours.
 * hh is 00..23, mm 00..59, ss 00..59 (a leap second 60 is refused).
 *
 * Errors: JY_TOO_LONG "too_long" (over JY_IDENT_MAX_BYTES bytes); JY_INVALID "bad_timestamp"
 * (not that shape, or not a real date or time; the message says which part), "missing_zone";
 * JY_RANGE "out_of_range" (the instant in UTC falls outside JY_TIMESTAMP_MIN..MAX).
 */
enum jy_err jy_timestamp_parse(const char *s, size_t len, int64_t *ret, struct jy_error *err);

#endif /* JY_TIMESTAMP_H */
