/*
 * export.h — the day's applications and station figures as a spreadsheet (XLSX, written by
 * libxlsxwriter) and as CSV, for managers.
 *
 * XLSX: sheet 受理明细 (the applications), sheet 工位统计 (the stations), sheet 汇总 (centre,
 * date, counts and fees by business type). Headers in Chinese; times and dates are real date
 * cells (Excel serial numbers with a date format, Asia/Shanghai wall-clock time); money is a
 * number in yuan with the format 0.00, never text. Text cells are always strings, so a text that
 * starts with '=' is never a formula.
 *
 * CSV (RFC 4180): one table per file, chosen by `enum jy_export_table`; UTF-8 with a byte-order
 * mark so that Excel opens it as Chinese; CRLF line ends; a field is quoted when it holds a
 * comma, a quote or a line end, quotes doubled. Money is yuan with two decimals ("30.00"),
 * times "2026-11-29 17:36", dates "2026-12-04". A text field that starts with = + - @ or a tab
 * gets a leading apostrophe, so a spreadsheet never runs it as a formula (OWASP "CSV injection");
 * numbers and dates are never changed.
 *
 * Thread-safe: each call builds its own file.
 */
#ifndef JY_EXPORT_H
#define JY_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../error.h"

/* One application. Strings borrowed, UTF-8 without control characters, at most
 * JY_RENDER_TEXT_MAX_BYTES; NULL is an empty cell where said. */
struct jy_export_application {
    const char *number;        /* display form, "WH-261129-00042-L" */
    const char *business_code; /* "D01" */
    const char *business_name; /* "补领机动车驾驶证" */
    const char *branch;        /* the accepting branch's name */
    const char *state;         /* the state as people read it, "在办" / "已寄出" */
    const char *station;       /* the current station's name, "审核"; NULL: none */
    const char *clerk;         /* NULL: none */
    int64_t accepted_at;       /* UTC seconds */
    struct jy_date due_date;   /* year 0: none (empty cell) */
    int64_t fee_fen;           /* -10^12..10^12 */
    bool overdue;              /* past its due date and not done: 是 / 否 */
};

/* One station's figures for the day. */
struct jy_export_station {
    const char *station;     /* "审核" */
    int64_t waiting;         /* items in its queue at the time of the export */
    int64_t completed_today; /* items completed there on the day */
    int64_t overdue;         /* items in its queue past their due date */
};

/* The day's export. Pointers borrowed for the call. */
struct jy_export_day {
    const char *centre;   /* the centre's name */
    struct jy_date date;  /* the day exported */
    int64_t generated_at; /* UTC seconds */
    const struct jy_export_application *applications;
    size_t application_count; /* 0..JY_EXPORT_MAX_ROWS */
    const struct jy_export_station *stations;
    size_t station_count; /* 0..JY_EXPORT_MAX_ROWS */
};

/* The tables a CSV can hold. */
enum jy_export_table {
    JY_EXPORT_APPLICATIONS, /* 受理编号,业务代码,业务类型,受理网点,状态,当前工位,经办人,受理时间,
                               应办结日期,费用（元）,是否超期 */
    JY_EXPORT_STATIONS, /* 工位,待办,今日完成,超期 */
};

/*
 * Write `day` as an XLSX workbook into a buffer allocated with malloc(): `*ret` (the caller
 * frees it with free()) and `*ret_len` bytes; untouched on failure. libxlsxwriter writes to a
 * file: a temporary file (mode 0600) is made in `tmp_dir` (NULL: "/tmp"), read back and removed.
 * Errors: JY_INVALID / JY_TOO_LONG with `err->field` naming the row and field
 * ("applications[3].branch"); JY_RANGE [too_many], [bad_amount], [bad_date]; JY_TOO_LARGE
 * beyond JY_EXPORT_MAX_BYTES; JY_IO [io_error]; JY_INTERNAL [xlsxwriter]; JY_NOMEM.
 */
enum jy_err jy_export_xlsx(const struct jy_export_day *day, const char *tmp_dir,
                           unsigned char **ret, size_t *ret_len, struct jy_error *err);

/*
 * Write table `table` of `day` as CSV into a buffer allocated with malloc(): `*ret` (NUL-
 * terminated for convenience; the caller frees it with free()) and `*ret_len` bytes, the NUL not
 * counted; untouched on failure. Errors: as jy_export_xlsx(), without JY_IO and JY_INTERNAL.
 */
enum jy_err jy_export_csv(const struct jy_export_day *day, enum jy_export_table table, char **ret,
                          size_t *ret_len, struct jy_error *err);

#endif /* JY_EXPORT_H */
