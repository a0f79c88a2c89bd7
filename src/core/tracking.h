/*
 * tracking.h — reading a carrier's tracking export: CSV with a header line, or JSON lines (one
 * object per line), as EMS and other carriers export them, into rows for the tracking feed
 * (src/service/shipments.h). Pure: the caller reads the file.
 *
 * The format is told by the first character that is not white space (after a UTF-8 byte-order
 * mark): '{' is JSON lines, anything else CSV (RFC 4180, libcsv). Columns (CSV header names or
 * JSON keys; case and surrounding spaces ignored; other columns are ignored):
 *   waybill          waybill, item_number, mailno, mail_no, 邮件号, 运单号          (required)
 *   status           status, 状态                                                  (required)
 *   at               at, time, event_time, 时间                                    (required)
 *   location         location, 地点                                                (optional)
 *   failure_reason   failure_reason, reason, 失败原因, 原因                         (optional)
 * A status is one of the feed's codes (shipped, in_transit, out_for_delivery, delivered,
 * delivery_failed, returned; any case) or the carrier's Chinese word for it (已收寄, 运输中,
 * 派送中, 已签收/妥投, 投递失败/未妥投, 已退回/退回), which is turned into the code. A time
 * without a zone, "2026-11-30 10:15:00" or "2026-11-30T10:15:00", is Beijing time and is given
 * "+08:00"; a time with its zone is kept as it is. Whether the values are valid (S10 check
 * digit, status, time) is the feed's check; this module only finds them.
 *
 * A row this module cannot read (a JSON line that is not an object, a CSV row without one of
 * the required columns, a value that is not a string) is kept with `bad` set and its error, so
 * that the caller reports it with its line number and goes on with the others. Blank lines are
 * skipped.
 *
 * Limits (src/limits.h): JY_TRACKING_FILE_MAX_BYTES, JY_TRACKING_FILE_MAX_ROWS,
 * JY_TRACKING_LINE_MAX_BYTES (a longer line is a bad row).
 */
#ifndef JY_TRACKING_H
#define JY_TRACKING_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* One row. Strings owned by the file; NULL when absent. */
struct jy_tracking_row {
    size_t line; /* 1-based line of the file where the row starts */
    const char *waybill, *status, *at, *location, *failure_reason;
    bool bad;              /* could not be read: see error */
    struct jy_error error; /* when bad */
};

/* A parsed file. Release with jy_tracking_free(). */
struct jy_tracking_file {
    bool json_lines; /* the format found */
    size_t count;
    struct jy_tracking_row *rows; /* owned */
    char **strings;               /* owned: every string the rows point to */
    size_t n_strings, cap_strings;
    size_t cap_rows;
};

/* Parse `len` bytes of `text` (borrowed; need not be NUL-terminated) into `*ret` (caller's;
 * release it with jy_tracking_free() after success). Errors (nothing to release): JY_TOO_LARGE
 * "file_too_large", "too_many_rows"; JY_INVALID "bad_header" (a CSV header without the
 * waybill, status or time column; the message names it), "bad_csv" (libcsv's error, e.g. an
 * unclosed quote), "empty_file"; JY_NOMEM. */
enum jy_err jy_tracking_parse(const char *text, size_t len, struct jy_tracking_file *ret,
                              struct jy_error *err);

/* Free what a parsed file holds. Accepts NULL and a freed one. */
void jy_tracking_free(struct jy_tracking_file *f);

#endif /* JY_TRACKING_H */
