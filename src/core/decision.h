/*
 * decision.h — penalty decisions (处罚决定书) as the police send them: one row of the decisions
 * file checked field by field, the whole file read with libcsv row by row, the police's
 * confirmation file of the day's settlement, and the days a decision is overdue.
 *
 * The decisions file is CSV (RFC 4180; UTF-8; CRLF or LF) with this header row, in this order:
 *   decision_number,plate,plate_type,licence_number,violation_code,description,fine_fen,points,
 *   decision_date,payment_deadline
 * The confirmation file is CSV with the header decision_number,amount_fen.
 *
 * Pure: no I/O, thread-safe.
 */
#ifndef JY_DECISION_H
#define JY_DECISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../error.h"
#include "../limits.h"
#include "date.h"
#include "plate.h"

/* The number of columns of the decisions file. */
#define JY_DECISION_COLUMNS 10

/* One checked decision. Every string is NUL-terminated UTF-8 inside the struct. */
struct jy_decision {
    char number[JY_DECISION_NUMBER_MAX_BYTES + 1]; /* 决定书编号, ASCII letters/digits/'-' */
    char plate[JY_PLATE_TEXT_SIZE];                /* normalised: 鄂A12345 */
    char plate_type[3];                            /* GA 24.7 code, "02" */
    char licence_number[19]; /* the driver's licence number = ID number, normalised; "" when
                                the decision names no driver (the vehicle's owner pays) */
    char violation_code[6];  /* 4 or 5 digits: "1345", "13451" */
    char description[JY_DECISION_DESCRIPTION_MAX_BYTES + 1]; /* 违法行为, clean text */
    int64_t fine_fen;                                        /* 1 .. JY_FINE_MAX_FEN */
    int points;                      /* 0, 1, 3, 6, 9 or 12 (公安部令第163号 bands) */
    struct jy_date decision_date;    /* not after today */
    struct jy_date payment_deadline; /* on or after decision_date */
};

/*
 * Check one data row: `fields[i]` (`lens[i]` bytes, borrowed, no NUL needed) in the column
 * order above. `today` (Asia/Shanghai) bounds the decision date and the ID number's birth date.
 * Rules: decision_number 1..JY_DECISION_NUMBER_MAX_BYTES of [0-9A-Za-z-] (letters upper-cased);
 * plate by jy_plate_parse() and plate_type by jy_plate_check_type(); licence_number empty or
 * an ID number (jy_idcard_parse: 公安部令第162号 — the licence number is the ID number);
 * violation_code 4 or 5 digits; description 1..JY_DECISION_DESCRIPTION_MAX_BYTES bytes of clean
 * single-line text (jy_text_is_clean); fine_fen whole fen, digits only, 1..JY_FINE_MAX_FEN;
 * points one of the bands 0 1 3 6 9 12; decision_date and payment_deadline YYYY-MM-DD, the
 * decision not after `today`, the deadline not before the decision.
 * Errors (field = the column's name): JY_INVALID "missing_field", "bad_decision_number",
 * "bad_violation_code", "bad_description", "bad_amount", "bad_points", "bad_date", and the
 * plate's and ID number's own reasons; JY_RANGE "fine_out_of_range"; JY_UNPROCESSABLE
 * "decision_in_future", "deadline_before_decision". `*ret` is written only on success.
 */
enum jy_err jy_decision_check_row(const char *const fields[JY_DECISION_COLUMNS],
                                  const size_t lens[JY_DECISION_COLUMNS], struct jy_date today,
                                  struct jy_decision *ret, struct jy_error *err);

/* Called once per data row of a decisions file, in file order: `line` is the physical line
 * (1-based; the header is line 1) the row starts on; `d` the checked row, or NULL when the row
 * is bad, `row_err` then saying why (`field` naming the column). Return false to stop. */
typedef bool (*jy_decision_row_fn)(void *ctx, long line, const struct jy_decision *d,
                                   const struct jy_error *row_err);

/*
 * Read the decisions file `text` (`len` bytes, borrowed) with libcsv in strict mode and call `fn`
 * for every data row. A row with another number of fields than JY_DECISION_COLUMNS, or a field
 * over JY_DECISION_FIELD_MAX_BYTES, is a bad row ("bad_field_count", "too_long"); blank lines are
 * skipped; a UTF-8 byte-order mark is ignored. Errors of the whole file (nothing was called for
 * the rows after it): JY_INVALID "bad_header" (line 1 is not the header above), "bad_csv" (a
 * stray quote, an unclosed quoted field: message "line N: …"), "empty"; JY_TOO_LARGE
 * "too_large" over JY_DECISIONS_CSV_MAX_BYTES, "too_many_rows" over JY_DECISIONS_MAX_ROWS;
 * JY_NOMEM.
 */
enum jy_err jy_decision_csv_read(const char *text, size_t len, struct jy_date today,
                                 jy_decision_row_fn fn, void *ctx, struct jy_error *err);

/* Called once per data row of a confirmation file: `number` (normalised decision number) and
 * `amount_fen` (≥ 0), or `number` NULL and `row_err` saying why the row is bad. */
typedef bool (*jy_confirmation_row_fn)(void *ctx, long line, const char *number, int64_t amount_fen,
                                       const struct jy_error *row_err);

/* Read the police's confirmation file (header decision_number,amount_fen) as
 * jy_decision_csv_read() reads a decisions file. Same errors. */
enum jy_err jy_decision_confirmations_read(const char *text, size_t len, jy_confirmation_row_fn fn,
                                           void *ctx, struct jy_error *err);

/* Normalise decision number `s` (`len` bytes) into `ret`: surrounding spaces trimmed, ASCII
 * letters upper-cased. JY_INVALID "bad_decision_number" (field "decision_number") when it is
 * empty, too long or holds anything but letters, digits and '-'. */
enum jy_err jy_decision_number_parse(const char *s, size_t len,
                                     char ret[JY_DECISION_NUMBER_MAX_BYTES + 1],
                                     struct jy_error *err);

/* Days `today` is past `deadline`: 0 on or before the deadline (payment on the deadline day is
 * on time), else the difference in days. */
int jy_decision_days_overdue(struct jy_date deadline, struct jy_date today);

#endif /* JY_DECISION_H */
