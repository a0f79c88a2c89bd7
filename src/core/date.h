/*
 * date.h — civil dates (proleptic Gregorian), as used for birth dates, due dates and holidays.
 *
 * A civil date is a calendar day with no time zone. Days are counted from 1970-01-01 (day 0)
 * so that two dates subtract to a number of days. Pure functions, thread-safe.
 */
#ifndef JY_DATE_H
#define JY_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../error.h"

struct jy_date {
    int year;  /* 1..9999 */
    int month; /* 1..12 */
    int day;   /* 1..31, at most the month's length */
};

/* Length of the date text "YYYY-MM-DD" plus its NUL. */
#define JY_DATE_TEXT_SIZE 11

/* True when `y` is a leap year (divisible by 4, not by 100 unless by 400). */
bool jy_date_is_leap(int year);

/* Days in `month` (1..12) of `year`; 0 when month is out of range. */
int jy_date_days_in_month(int year, int month);

/* True when `d` names a real day between 0001-01-01 and 9999-12-31. */
bool jy_date_is_valid(struct jy_date d);

/* Days since 1970-01-01 (negative before). `d` must be valid. */
int64_t jy_date_to_days(struct jy_date d);

/* The date `days` days after 1970-01-01. `days` must lie within years 1..9999. */
struct jy_date jy_date_from_days(int64_t days);

/* ISO weekday: 1 = Monday … 7 = Sunday. `d` must be valid. */
int jy_date_weekday(struct jy_date d);

/* -1, 0 or 1 as `a` is before, equal to or after `b`. */
int jy_date_compare(struct jy_date a, struct jy_date b);

/* Parse exactly "YYYY-MM-DD" from `s` (`len` bytes, no NUL needed) into `*ret`.
 * Errors: JY_INVALID (reason "bad_date_format" or "no_such_date"); `*ret` untouched then. */
enum jy_err jy_date_parse(const char *s, size_t len, struct jy_date *ret, struct jy_error *err);

/* Write `d` as "YYYY-MM-DD" into `buf` (at least JY_DATE_TEXT_SIZE bytes). Returns `buf`. */
char *jy_date_format(struct jy_date d, char buf[JY_DATE_TEXT_SIZE]);

/* The civil date in Asia/Shanghai (UTC+8, no daylight saving since 1991) at Unix time `t`. */
struct jy_date jy_date_from_unix_shanghai(int64_t t);

#endif /* JY_DATE_H */
