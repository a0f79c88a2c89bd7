/*
 * decision.c — penalty decision rows and files: see decision.h.
 *
 * The files are read with libcsv in strict mode, every line end reported, so that each row is
 * known by the physical line it starts on (a quoted field may hold a line break). Fields are
 * kept up to JY_DECISION_FIELD_MAX_BYTES; a longer one only marks its row bad.
 */
#include "decision.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "idcard.h"
#include "text.h"
#include "../banned.h"

static const char *const decision_columns[JY_DECISION_COLUMNS] = {
    "decision_number", "plate",    "plate_type", "licence_number", "violation_code",
    "description",     "fine_fen", "points",     "decision_date",  "payment_deadline"};

static const char *const confirmation_columns[2] = {"decision_number", "amount_fen"};

/* ---- one row ---- */

/* Trim ASCII spaces and tabs around [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
    while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

enum jy_err jy_decision_number_parse(const char *s, size_t len,
                                     char ret[JY_DECISION_NUMBER_MAX_BYTES + 1],
                                     struct jy_error *err)
{
    if (!s)
        len = 0;
    trim(&s, &len);
    if (len == 0 || len > JY_DECISION_NUMBER_MAX_BYTES)
        return jy_error_set(err, JY_INVALID, "bad_decision_number", "decision_number",
                            "a decision number is 1 to %d letters, digits or '-'",
                            JY_DECISION_NUMBER_MAX_BYTES);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-'))
            return jy_error_set(err, JY_INVALID, "bad_decision_number", "decision_number",
                                "a decision number holds only letters, digits and '-'");
        ret[i] = c;
    }
    ret[len] = '\0';
    return JY_OK;
}

/* Whole non-negative decimal number of at most 18 digits. */
static bool parse_uint(const char *s, size_t len, int64_t *ret)
{
    if (len == 0 || len > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *ret = v;
    return true;
}

static enum jy_err parse_date(const char *s, size_t len, const char *field, struct jy_date *ret,
                              struct jy_error *err)
{
    trim(&s, &len);
    if (len != 10 || jy_date_parse(s, len, ret, NULL) != JY_OK)
        return jy_error_set(err, JY_INVALID, "bad_date", field,
                            "%s must be a calendar date YYYY-MM-DD", field);
    return JY_OK;
}

/* Put the column's name into the error a parser filled. */
static enum jy_err in_field(enum jy_err e, const char *field, struct jy_error *err)
{
    if (e != JY_OK && err)
        jy_strlcpy(err->field, field, sizeof(err->field));
    return e;
}

enum jy_err jy_decision_check_row(const char *const fields[JY_DECISION_COLUMNS],
                                  const size_t lens[JY_DECISION_COLUMNS], struct jy_date today,
                                  struct jy_decision *ret, struct jy_error *err)
{
    struct jy_decision d;
    memset(&d, 0, sizeof(d));
    const char *f[JY_DECISION_COLUMNS];
    size_t n[JY_DECISION_COLUMNS];
    for (int i = 0; i < JY_DECISION_COLUMNS; i++) {
        f[i] = fields[i] ? fields[i] : "";
        n[i] = fields[i] ? lens[i] : 0;
        trim(&f[i], &n[i]);
        if (n[i] == 0 && i != 3)
            return jy_error_set(err, JY_INVALID, "missing_field", decision_columns[i],
                                "%s is empty", decision_columns[i]);
    }
    enum jy_err e;
    if ((e = jy_decision_number_parse(f[0], n[0], d.number, err)) != JY_OK)
        return e;

    struct jy_plate plate;
    if ((e = in_field(jy_plate_parse(f[1], n[1], &plate, err), "plate", err)) != JY_OK)
        return e;
    jy_strlcpy(d.plate, plate.text, sizeof(d.plate));
    const struct jy_plate_type *type = jy_plate_type_find(f[2], n[2]);
    if (!type)
        return jy_error_set(err, JY_INVALID, "unknown_plate_type", "plate_type",
                            "plate_type is not a GA 24.7 plate type code");
    if ((e = in_field(jy_plate_check_type(&plate, type->code, strlen(type->code), err),
                      "plate_type", err)) != JY_OK)
        return e;
    jy_strlcpy(d.plate_type, type->code, sizeof(d.plate_type));

    if (n[3] > 0) {
        struct jy_idcard id;
        if ((e = in_field(jy_idcard_parse(f[3], n[3], today, &id, err), "licence_number", err)) !=
            JY_OK)
            return e;
        jy_strlcpy(d.licence_number, id.number, sizeof(d.licence_number));
    }

    bool code_ok = n[4] == 4 || n[4] == 5;
    for (size_t i = 0; code_ok && i < n[4]; i++)
        code_ok = f[4][i] >= '0' && f[4][i] <= '9';
    if (!code_ok)
        return jy_error_set(err, JY_INVALID, "bad_violation_code", "violation_code",
                            "a violation code is 4 or 5 digits");
    memcpy(d.violation_code, f[4], n[4]);

    if (n[5] > JY_DECISION_DESCRIPTION_MAX_BYTES || !jy_text_is_clean(f[5], n[5], false, NULL))
        return jy_error_set(err, JY_INVALID, "bad_description", "description",
                            "the description is at most %d bytes of text without control, "
                            "invisible or direction-changing characters",
                            JY_DECISION_DESCRIPTION_MAX_BYTES);
    memcpy(d.description, f[5], n[5]);

    if (!parse_uint(f[6], n[6], &d.fine_fen))
        return jy_error_set(err, JY_INVALID, "bad_amount", "fine_fen",
                            "fine_fen is a whole number of fen, digits only");
    if (d.fine_fen < 1 || d.fine_fen > JY_FINE_MAX_FEN)
        return jy_error_set(err, JY_RANGE, "fine_out_of_range", "fine_fen",
                            "fine_fen must be 1 to %d fen", JY_FINE_MAX_FEN);

    int64_t points;
    if (!parse_uint(f[7], n[7], &points) ||
        !(points == 0 || points == 1 || points == 3 || points == 6 || points == 9 || points == 12))
        return jy_error_set(err, JY_INVALID, "bad_points", "points",
                            "points is one of 0, 1, 3, 6, 9, 12 (公安部令第163号)");
    d.points = (int)points;

    if ((e = parse_date(f[8], n[8], "decision_date", &d.decision_date, err)) != JY_OK ||
        (e = parse_date(f[9], n[9], "payment_deadline", &d.payment_deadline, err)) != JY_OK)
        return e;
    if (jy_date_compare(d.decision_date, today) > 0)
        return jy_error_set(err, JY_UNPROCESSABLE, "decision_in_future", "decision_date",
                            "the decision date is after today");
    if (jy_date_compare(d.payment_deadline, d.decision_date) < 0)
        return jy_error_set(err, JY_UNPROCESSABLE, "deadline_before_decision", "payment_deadline",
                            "the payment deadline is before the decision date");
    *ret = d;
    return JY_OK;
}

int jy_decision_days_overdue(struct jy_date deadline, struct jy_date today)
{
    int64_t d = jy_date_to_days(today) - jy_date_to_days(deadline);
    if (d <= 0)
        return 0;
    return d > 1000000 ? 1000000 : (int)d;
}

/* ---- the files ---- */

/* The state of one read, shared with the libcsv callbacks. */
struct reader {
    const char *const *columns; /* the header's names */
    size_t ncolumns;
    void (*row)(struct reader *rd, long line); /* a complete data row */
    struct jy_error *err;
    enum jy_err rc; /* the first error of the whole file; once set, rows are ignored */
    bool stop;      /* the callback asked to stop */

    long line;       /* physical line the parser is on (1-based) */
    bool pending_cr; /* the last line end was a CR, which an LF may complete */
    long rec_line;   /* line the current record began on */
    bool header_seen;
    long rows;

    size_t nfields;
    char field[JY_DECISION_COLUMNS][JY_DECISION_FIELD_MAX_BYTES];
    size_t flen[JY_DECISION_COLUMNS];
    bool too_long[JY_DECISION_COLUMNS];

    /* the caller's */
    struct jy_date today;
    jy_decision_row_fn decision_fn;
    jy_confirmation_row_fn confirmation_fn;
    void *ctx;
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *rd = data;
    rd->pending_cr = false;
    if (rd->nfields == 0)
        rd->rec_line = rd->line;
    if (rd->nfields < rd->ncolumns) {
        size_t i = rd->nfields;
        rd->too_long[i] = len > JY_DECISION_FIELD_MAX_BYTES;
        rd->flen[i] = rd->too_long[i] ? JY_DECISION_FIELD_MAX_BYTES : len;
        if (rd->flen[i])
            memcpy(rd->field[i], s, rd->flen[i]);
    }
    if (rd->nfields < SIZE_MAX)
        rd->nfields++;
    /* A quoted field may hold line breaks: the next record starts that many lines further. */
    const char *t = s;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n' || (t[i] == '\r' && !(i + 1 < len && t[i + 1] == '\n')))
            rd->line++;
}

/* libcsv calls this at the end of a record, and with c == -1 for a bare line end (blank line,
 * reported because of CSV_REPALL_NL). */
static void on_record(int c, void *data)
{
    struct reader *rd = data;
    size_t nfields = rd->nfields;
    rd->nfields = 0;
    if (c == '\n' && rd->pending_cr) { /* the LF of a CRLF whose CR ended the record */
        rd->pending_cr = false;
        return;
    }
    rd->pending_cr = c == '\r';
    long here = rd->line;
    if (c == '\n' || c == '\r')
        rd->line++;
    if (nfields == 0 || rd->rc != JY_OK || rd->stop)
        return;
    if (nfields == 1 && rd->flen[0] == 0 && !rd->too_long[0])
        return; /* an empty line */
    long line = rd->rec_line ? rd->rec_line : here;
    if (!rd->header_seen) {
        rd->header_seen = true;
        bool ok = nfields == rd->ncolumns;
        for (size_t i = 0; ok && i < rd->ncolumns; i++) {
            const char *f = rd->field[i];
            size_t n = rd->flen[i];
            if (i == 0 && n >= 3 && memcmp(f, "\xEF\xBB\xBF", 3) == 0) { /* byte-order mark */
                f += 3;
                n -= 3;
            }
            trim(&f, &n);
            ok = n == strlen(rd->columns[i]) && memcmp(f, rd->columns[i], n) == 0;
        }
        if (!ok) {
            rd->rc = jy_error_set(rd->err, JY_INVALID, "bad_header", NULL,
                                  "line %ld: the header must be %s%s…", line, rd->columns[0],
                                  rd->ncolumns > 1 ? "," : "");
        }
        return;
    }
    if (++rd->rows > JY_DECISIONS_MAX_ROWS) {
        rd->rc = jy_error_set(rd->err, JY_TOO_LARGE, "too_many_rows", NULL,
                              "more than %d rows in one file", JY_DECISIONS_MAX_ROWS);
        return;
    }
    struct jy_error row_err;
    jy_error_clear(&row_err);
    if (nfields != rd->ncolumns) {
        jy_error_set(&row_err, JY_INVALID, "bad_field_count", NULL,
                     "the row has %zu fields, the header %zu", nfields, rd->ncolumns);
    } else {
        for (size_t i = 0; i < rd->ncolumns; i++)
            if (rd->too_long[i]) {
                jy_error_set(&row_err, JY_TOO_LONG, "too_long", rd->columns[i],
                             "%s is longer than %d bytes", rd->columns[i],
                             JY_DECISION_FIELD_MAX_BYTES);
                break;
            }
    }
    if (row_err.code != JY_OK) {
        if (rd->decision_fn)
            rd->stop = !rd->decision_fn(rd->ctx, line, NULL, &row_err);
        else
            rd->stop = !rd->confirmation_fn(rd->ctx, line, NULL, 0, &row_err);
        return;
    }
    rd->row(rd, line);
}

static void decision_row(struct reader *rd, long line)
{
    const char *f[JY_DECISION_COLUMNS];
    for (int i = 0; i < JY_DECISION_COLUMNS; i++)
        f[i] = rd->field[i];
    struct jy_decision d;
    struct jy_error row_err;
    jy_error_clear(&row_err);
    if (jy_decision_check_row(f, rd->flen, rd->today, &d, &row_err) == JY_OK)
        rd->stop = !rd->decision_fn(rd->ctx, line, &d, NULL);
    else
        rd->stop = !rd->decision_fn(rd->ctx, line, NULL, &row_err);
}

static void confirmation_row(struct reader *rd, long line)
{
    char number[JY_DECISION_NUMBER_MAX_BYTES + 1];
    struct jy_error row_err;
    jy_error_clear(&row_err);
    if (jy_decision_number_parse(rd->field[0], rd->flen[0], number, &row_err) != JY_OK) {
        rd->stop = !rd->confirmation_fn(rd->ctx, line, NULL, 0, &row_err);
        return;
    }
    const char *s = rd->field[1];
    size_t n = rd->flen[1];
    trim(&s, &n);
    int64_t amount;
    if (!parse_uint(s, n, &amount)) {
        jy_error_set(&row_err, JY_INVALID, "bad_amount", "amount_fen",
                     "amount_fen is a whole number of fen, digits only");
        rd->stop = !rd->confirmation_fn(rd->ctx, line, NULL, 0, &row_err);
        return;
    }
    rd->stop = !rd->confirmation_fn(rd->ctx, line, number, amount, NULL);
}

/* The line `offset` bytes into `text` lies on (1-based). */
static long line_at(const char *text, size_t offset)
{
    long line = 1;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n' || (text[i] == '\r' && !(i + 1 < offset && text[i + 1] == '\n')))
            line++;
    return line;
}

static enum jy_err read_file(struct reader *rd, const char *text, size_t len)
{
    struct jy_error *err = rd->err;
    if (len > JY_DECISIONS_CSV_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LARGE, "too_large", NULL,
                            "the file is larger than %d bytes", JY_DECISIONS_CSV_MAX_BYTES);
    rd->rc = JY_OK;
    rd->line = 1;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    enum jy_err rc;
    size_t done = len ? csv_parse(&p, text, len, on_field, on_record, rd) : 0;
    if (done != len) {
        int status = csv_error(&p);
        if (status == CSV_ENOMEM || status == CSV_ETOOBIG)
            rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        else if (rd->rc != JY_OK)
            rc = rd->rc;
        else
            rc = jy_error_set(err, JY_INVALID, "bad_csv", NULL,
                              "line %ld: malformed CSV: a quote inside an unquoted field, or "
                              "text after a closing quote",
                              line_at(text, done));
        csv_free(&p);
        return rc;
    }
    if (csv_fini(&p, on_field, on_record, rd) != 0 && rd->rc == JY_OK)
        rd->rc = jy_error_set(err, JY_INVALID, "bad_csv", NULL,
                              "line %ld: malformed CSV: a quoted field is not closed before the "
                              "end of the file",
                              rd->line);
    csv_free(&p);
    if (rd->rc == JY_OK && !rd->header_seen)
        rd->rc = jy_error_set(err, JY_INVALID, "empty", NULL, "the file has no header row");
    return rd->rc;
}

enum jy_err jy_decision_csv_read(const char *text, size_t len, struct jy_date today,
                                 jy_decision_row_fn fn, void *ctx, struct jy_error *err)
{
    struct reader *rd = calloc(1, sizeof(*rd));
    if (!rd)
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    rd->columns = decision_columns;
    rd->ncolumns = JY_DECISION_COLUMNS;
    rd->row = decision_row;
    rd->err = err;
    rd->today = today;
    rd->decision_fn = fn;
    rd->ctx = ctx;
    enum jy_err rc = read_file(rd, text, len);
    free(rd);
    return rc;
}

enum jy_err jy_decision_confirmations_read(const char *text, size_t len, jy_confirmation_row_fn fn,
                                           void *ctx, struct jy_error *err)
{
    struct reader *rd = calloc(1, sizeof(*rd));
    if (!rd)
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    rd->columns = confirmation_columns;
    rd->ncolumns = 2;
    rd->row = confirmation_row;
    rd->err = err;
    rd->confirmation_fn = fn;
    rd->ctx = ctx;
    enum jy_err rc = read_file(rd, text, len);
    free(rd);
    return rc;
}
