/*
 * calendar.h — the working-day calendar: which civil dates a post office and the vehicle
 * administration office work, and due dates counted in working days.
 *
 * The rule is Monday to Friday, plus the exceptions the State Council publishes each year in
 * its notice on public holidays (国务院办公厅关于部分节假日安排的通知): holiday days off (休) and
 * Saturdays or Sundays worked as make-up days (班). The exceptions are data, never inferred
 * from the lunar calendar; a year is only usable once its notice has been entered in full and
 * the year declared complete. Any question about a year without data is answered with
 * JY_NO_DATA, never a guess.
 *
 * The data is CSV (RFC 4180 as read by libcsv), UTF-8, header `date,kind,name`, one row per day:
 *
 *     date,kind,name
 *     2026-01-01,year,2026        the data for 2026 is complete (date is YYYY-01-01, name YYYY)
 *     2026-01-01,off,元旦          a holiday day (a weekday off, or a listed day on a weekend)
 *     2026-01-04,work,元旦         a Saturday or Sunday worked as a make-up day
 *
 * Blank lines are ignored, surrounding spaces and tabs in a field are trimmed, a leading UTF-8
 * byte order mark is skipped, and rows may come in any order. A line whose first character
 * other than spaces and tabs is '#' is a comment and is ignored (line numbers still count it),
 * so a file can say where it comes from. See data/holidays.csv (standards.md §6 for its
 * sources).
 *
 * A loaded calendar is immutable: every query is a pure function of it and is thread-safe.
 */
#ifndef JY_CALENDAR_H
#define JY_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"
#include "../limits.h"
#include "date.h"

/* Opaque. Holds the declared years and at most JY_CALENDAR_MAX_DAYS exception days. */
struct jy_calendar;

/* Parse the CSV calendar in `text` (`len` bytes, no NUL needed, at most JY_CALENDAR_MAX_BYTES)
 * and store a new calendar in `*ret`, which the caller frees with jy_calendar_free().
 * `text` is borrowed for the duration of the call only.
 *
 * Errors (`*ret` untouched; the message names the line, and `err->field` the column):
 *   JY_TOO_LARGE  "calendar_too_large" (over JY_CALENDAR_MAX_BYTES),
 *                 "too_many_days" (over JY_CALENDAR_MAX_DAYS exception rows);
 *   JY_INVALID    "bad_csv" (malformed quoting), "bad_header" (first row not `date,kind,name`),
 *                 "bad_field_count" (a row without exactly 3 fields), "bad_date" (not a real
 *                 YYYY-MM-DD), "unknown_kind" (not off/work/year), "bad_name" (empty, longer than
 *                 JY_CALENDAR_MAX_NAME_BYTES, not UTF-8, or with control characters),
 *                 "work_on_weekday" (a make-up day must be a Saturday or Sunday),
 *                 "bad_year_row" (a `year` row not dated YYYY-01-01 with name YYYY),
 *                 "duplicate_year", "duplicate_date" (the same day listed twice with the same
 *                 kind), "conflicting_date" (one day both off and work),
 *                 "year_not_declared" (a day in a year with no `year` row);
 *   JY_RANGE      "year_out_of_range" (outside JY_CALENDAR_MIN_YEAR..JY_CALENDAR_MAX_YEAR);
 *   JY_NOMEM      out of memory. */
enum jy_err jy_calendar_load_csv(const char *text, size_t len, struct jy_calendar **ret,
                                 struct jy_error *err);

/* Release a calendar from jy_calendar_load_csv(). Accepts NULL. */
void jy_calendar_free(struct jy_calendar *cal);

/* True when the data for `year` is complete (a `year` row was loaded). `cal` is borrowed. */
bool jy_calendar_covers_year(const struct jy_calendar *cal, int year);

/* Set `*ret` to whether `d` is a working day: a listed make-up day, or a Monday–Friday that is
 * not a listed holiday day. `cal` is borrowed.
 * Errors: JY_INVALID "bad_date" (`d` is not a real date); JY_NO_DATA "calendar_year_missing"
 * (the message names the year) when d's year is not covered. */
enum jy_err jy_calendar_is_working_day(const struct jy_calendar *cal, struct jy_date d, bool *ret,
                                       struct jy_error *err);

/* Set `*ret` to the due date of a matter accepted on `accepted` with a time limit of
 * `working_days` working days: the `working_days`-th working day AFTER the acceptance day. The
 * acceptance day itself never counts, whether or not it is a working day; 0 working days gives
 * the acceptance day itself. Example: accepted Wed 2026-09-30, 3 working days → 10/1–10/7 are
 * off, Thu 10/8 is 1, Fri 10/9 is 2, Sat 10/10 (make-up day) is 3 → 2026-10-10.
 * `working_days` is in 0..JY_CALENDAR_MAX_WORKING_DAYS. `cal` is borrowed.
 * Errors: JY_INVALID "bad_date"; JY_RANGE "bad_working_days"; JY_NO_DATA
 * "calendar_year_missing" naming the first year without data that the count runs into (the
 * acceptance year itself need not be covered). */
enum jy_err jy_calendar_due_date(const struct jy_calendar *cal, struct jy_date accepted,
                                 int working_days, struct jy_date *ret, struct jy_error *err);

/* Set `*ret` to the number of working days in the half-open interval (from, to]: the
 * turnaround, in working days, of a matter accepted on `from` and finished on `to`, counted the
 * same way as jy_calendar_due_date() (so due_date(from, n) = to implies between(from, to) = n).
 * When `to` is before `from` the result is the negative of between(to, from); when they are
 * equal it is 0. Every day of the interval must lie in a covered year. `cal` is borrowed.
 * Errors: JY_INVALID "bad_date"; JY_NO_DATA "calendar_year_missing" naming the first year
 * without data in the interval. */
enum jy_err jy_calendar_working_days_between(const struct jy_calendar *cal, struct jy_date from,
                                             struct jy_date to, int *ret, struct jy_error *err);

/* ---- calendars loaded at run time (the State Council's notice for a new year) ---- */

/* Set `*ret` to a new calendar (freed with jy_calendar_free()) that is `base` with every year
 * that `over` covers taken from `over` instead: a year of `over` replaces the same year of
 * `base` whole (its declaration and all its off/work days); the other years of `base` stay.
 * Both are borrowed. Errors: JY_TOO_LARGE "too_many_days" (the result would hold more than
 * JY_CALENDAR_MAX_DAYS exception days); JY_NOMEM. */
enum jy_err jy_calendar_merge(const struct jy_calendar *base, const struct jy_calendar *over,
                              struct jy_calendar **ret, struct jy_error *err);

/* The number of off/work rows (exception days) listed for `year`; 0 for a year without any,
 * covered or not. `cal` is borrowed. */
size_t jy_calendar_year_days(const struct jy_calendar *cal, int year);

/* Set `*ret` to the last covered day counting on from `from`: 31 December of the last year of
 * the unbroken run of covered years that starts with from's year. A due date can be counted up
 * to that day and no further. `cal` is borrowed.
 * Errors: JY_INVALID "bad_date"; JY_NO_DATA "calendar_year_missing" when from's year itself is
 * not covered. */
enum jy_err jy_calendar_covered_until(const struct jy_calendar *cal, struct jy_date from,
                                      struct jy_date *ret, struct jy_error *err);

/* Cut the rows of one year out of a calendar CSV: set `*ret` to a NUL-terminated malloc'd text
 * (`*ret_len` bytes without the NUL; the caller frees it) that is the header `date,kind,name`
 * and then every row of `text` dated in `year`, each as written, one per line with LF ends.
 * `text` must be a calendar that jy_calendar_load_csv() accepted (a name never holds a line
 * break there, so each row is one line); other text gives an unspecified selection.
 * Errors: JY_NOMEM. */
enum jy_err jy_calendar_year_rows(const char *text, size_t len, int year, char **ret,
                                  size_t *ret_len, struct jy_error *err);

#endif /* JY_CALENDAR_H */
