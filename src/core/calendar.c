/*
 * calendar.c — the working-day calendar: loading the CSV of official exceptions, and counting
 * working days over it.
 *
 * Loading runs libcsv over the whole buffer in strict mode with every line end reported, so the
 * loader can count physical lines and name the line of any bad row. Rows are checked one by one
 * as they complete and collected with their line numbers; once the whole file is read, the
 * checks that need every row (each day's year declared complete, no day listed twice) run over
 * the collection, and the exceptions are kept sorted by day number for binary search.
 */
#include "calendar.h"

#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../banned.h"

#define YEAR_SLOTS (JY_CALENDAR_MAX_YEAR - JY_CALENDAR_MIN_YEAR + 1)

enum day_kind { KIND_OFF = 1, KIND_WORK = 2 };

/* One exception day: a day number (days since 1970-01-01) and whether it is off or worked. */
struct exception_day {
    int32_t day;
    unsigned char kind; /* enum day_kind */
};

struct jy_calendar {
    unsigned char years[YEAR_SLOTS]; /* 1 when the year's data is complete */
    size_t ndays;
    struct exception_day days[]; /* sorted by day, no two equal */
};

/* ------------------------------------------------------------------------------------------ */
/* Text helpers                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* Length (2..4) of the well-formed UTF-8 multi-byte sequence at `s` (`n` bytes available), or 0
 * when there is none (ASCII, a stray continuation byte, an overlong form, a surrogate, a code
 * point above U+10FFFF, or a truncated sequence). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* Write a field value into `out` (`size` bytes) for an error message: printable ASCII and
 * well-formed UTF-8 as they are, any other byte as \xNN, cut with "..." when long. */
static const char *show(char *out, size_t size, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0;
    while (i < n) {
        size_t k = (u[i] >= 0x20 && u[i] < 0x7F) ? 1 : utf8_seq_len(u + i, n - i);
        size_t need = k ? k : 4;
        if (o + need + 4 > size) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (k) {
            memcpy(out + o, u + i, k);
            o += k;
            i += k;
        } else {
            static const char hex[] = "0123456789abcdef";
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[u[i] >> 4];
            out[o++] = hex[u[i] & 15];
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

/* True when `s` (`n` bytes) is a usable holiday name: 1..JY_CALENDAR_MAX_NAME_BYTES bytes of
 * well-formed UTF-8 without control characters. */
static bool name_ok(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0 || n > JY_CALENDAR_MAX_NAME_BYTES)
        return false;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            if (u[i] < 0x20 || u[i] == 0x7F)
                return false;
            i++;
            continue;
        }
        size_t k = utf8_seq_len(u + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

static bool field_is(const char *s, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(s, word, n) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Bytes kept of each field: enough for any valid value (the name is the longest). A longer
 * field is remembered as too long and is invalid in every column. */
#define FIELD_CAP JY_CALENDAR_MAX_NAME_BYTES

/* One off/work row as read, with the line it came from. */
struct row {
    int32_t day;
    unsigned char kind;
    long line;
};

/* The state of one load, shared with the libcsv callbacks. */
struct loader {
    struct jy_error *err;
    enum jy_err rc; /* the first error; once set, further rows are ignored */

    long line;       /* physical line the parser is on (1-based), quoted line breaks aside */
    bool pending_cr; /* the last line end was a CR, which an LF may complete */
    long rec_line;   /* line on which the current record began */
    bool header_seen;

    size_t nfields; /* fields of the current record so far (those past 3 only counted) */
    char field[3][FIELD_CAP];
    size_t flen[3];
    bool ftoo_long[3];

    long year_line[YEAR_SLOTS]; /* line of each year's `year` row, 0 when none */
    struct row *rows;
    size_t nrows;
};

static const char *const column_name[3] = {"date", "kind", "name"};

/* Record the first error of the load, in the shape "line N, field F: …". */
static void fail(struct loader *ld, enum jy_err code, const char *reason, int column, long line,
                 const char *what)
{
    if (ld->rc != JY_OK)
        return;
    ld->rc = code;
    if (column >= 0)
        jy_error_set(ld->err, code, reason, column_name[column], "line %ld, field %s: %s", line,
                     column_name[column], what);
    else
        jy_error_set(ld->err, code, reason, NULL, "line %ld: %s", line, what);
}

static void on_field(void *s, size_t len, void *data)
{
    struct loader *ld = data;
    ld->pending_cr = false;
    if (ld->nfields == 0)
        ld->rec_line = ld->line;
    if (ld->nfields < 3) {
        size_t i = ld->nfields;
        ld->ftoo_long[i] = len > FIELD_CAP;
        ld->flen[i] = len > FIELD_CAP ? FIELD_CAP : len;
        if (ld->flen[i])
            memcpy(ld->field[i], s, ld->flen[i]);
    }
    if (ld->nfields < SIZE_MAX)
        ld->nfields++;
}

/* Check the header row `date,kind,name`. */
static void take_header(struct loader *ld)
{
    if (ld->nfields != 3 || ld->ftoo_long[0] || ld->ftoo_long[1] || ld->ftoo_long[2] ||
        !field_is(ld->field[0], ld->flen[0], "date") ||
        !field_is(ld->field[1], ld->flen[1], "kind") ||
        !field_is(ld->field[2], ld->flen[2], "name"))
        fail(ld, JY_INVALID, "bad_header", -1, ld->rec_line,
             "the first row must be the header date,kind,name");
    ld->header_seen = true;
}

/* Check one data row and collect it. */
static void take_row(struct loader *ld)
{
    char shown[96], what[200];
    long line = ld->rec_line;

    if (ld->nfields != 3) {
        snprintf(what, sizeof(what), "expected 3 fields (date,kind,name), found %zu", ld->nfields);
        fail(ld, JY_INVALID, "bad_field_count", -1, line, what);
        return;
    }

    /* date */
    struct jy_date d;
    if (ld->ftoo_long[0] || jy_date_parse(ld->field[0], ld->flen[0], &d, NULL) != JY_OK) {
        snprintf(what, sizeof(what), "'%s' is not a calendar date written YYYY-MM-DD",
                 show(shown, sizeof(shown), ld->field[0], ld->flen[0]));
        fail(ld, JY_INVALID, "bad_date", 0, line, what);
        return;
    }
    if (d.year < JY_CALENDAR_MIN_YEAR || d.year > JY_CALENDAR_MAX_YEAR) {
        snprintf(what, sizeof(what), "year %d is outside %d..%d", d.year, JY_CALENDAR_MIN_YEAR,
                 JY_CALENDAR_MAX_YEAR);
        fail(ld, JY_RANGE, "year_out_of_range", 0, line, what);
        return;
    }

    /* kind */
    const char *kind = ld->field[1];
    size_t klen = ld->ftoo_long[1] ? FIELD_CAP + 1 : ld->flen[1];
    if (field_is(kind, klen, "year")) {
        char want[8];
        snprintf(want, sizeof(want), "%04d", d.year);
        if (d.month != 1 || d.day != 1 || ld->ftoo_long[2] ||
            !field_is(ld->field[2], ld->flen[2], want)) {
            snprintf(what, sizeof(what),
                     "a year row is dated YYYY-01-01 and named YYYY, as in %d-01-01,year,%d",
                     d.year, d.year);
            fail(ld, JY_INVALID, "bad_year_row", d.month != 1 || d.day != 1 ? 0 : 2, line, what);
            return;
        }
        int slot = d.year - JY_CALENDAR_MIN_YEAR;
        if (ld->year_line[slot]) {
            snprintf(what, sizeof(what), "year %d is already declared on line %ld", d.year,
                     ld->year_line[slot]);
            fail(ld, JY_INVALID, "duplicate_year", 1, line, what);
            return;
        }
        ld->year_line[slot] = line;
        return;
    }
    unsigned char k;
    if (field_is(kind, klen, "off")) {
        k = KIND_OFF;
    } else if (field_is(kind, klen, "work")) {
        k = KIND_WORK;
    } else {
        snprintf(what, sizeof(what), "unknown kind '%s' (expected off, work or year)",
                 show(shown, sizeof(shown), kind, ld->flen[1]));
        fail(ld, JY_INVALID, "unknown_kind", 1, line, what);
        return;
    }

    /* name */
    if (ld->ftoo_long[2] || !name_ok(ld->field[2], ld->flen[2])) {
        snprintf(what, sizeof(what),
                 "the holiday name must be 1 to %d bytes of UTF-8 without control characters",
                 JY_CALENDAR_MAX_NAME_BYTES);
        fail(ld, JY_INVALID, "bad_name", 2, line, what);
        return;
    }

    if (k == KIND_WORK && jy_date_weekday(d) <= 5) {
        char ds[JY_DATE_TEXT_SIZE];
        snprintf(what, sizeof(what),
                 "%s is a weekday; a make-up working day is a Saturday or Sunday",
                 jy_date_format(d, ds));
        fail(ld, JY_INVALID, "work_on_weekday", 1, line, what);
        return;
    }

    if (ld->nrows >= JY_CALENDAR_MAX_DAYS) {
        snprintf(what, sizeof(what), "more than %d off/work days", JY_CALENDAR_MAX_DAYS);
        fail(ld, JY_TOO_LARGE, "too_many_days", -1, line, what);
        return;
    }
    ld->rows[ld->nrows++] = (struct row){(int32_t)jy_date_to_days(d), k, line};
}

static void on_record(int c, void *data)
{
    struct loader *ld = data;
    if (ld->nfields > 0 && ld->rc == JY_OK) {
        if (!ld->header_seen)
            take_header(ld);
        else
            take_row(ld);
    }
    ld->nfields = 0;

    /* Count lines: LF, CR LF and a lone CR each end one line. */
    if (c == '\n') {
        if (!ld->pending_cr)
            ld->line++;
        ld->pending_cr = false;
    } else if (c == '\r') {
        ld->line++;
        ld->pending_cr = true;
    } else {
        ld->pending_cr = false;
    }
}

static int compare_rows(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* The checks that need the whole file; then build the calendar. */
static enum jy_err finish(struct loader *ld, struct jy_calendar **ret)
{
    char what[200], ds[JY_DATE_TEXT_SIZE];

    if (!ld->header_seen) {
        fail(ld, JY_INVALID, "bad_header", -1, 1,
             "the calendar is empty; the first row must be the header date,kind,name");
        return ld->rc;
    }
    for (size_t i = 0; i < ld->nrows; i++) {
        struct jy_date d = jy_date_from_days(ld->rows[i].day);
        if (!ld->year_line[d.year - JY_CALENDAR_MIN_YEAR]) {
            snprintf(what, sizeof(what),
                     "%s lies in %d, which has no row '%d-01-01,year,%d' declaring it complete",
                     jy_date_format(d, ds), d.year, d.year, d.year);
            fail(ld, JY_INVALID, "year_not_declared", 0, ld->rows[i].line, what);
            return ld->rc;
        }
    }
    if (ld->nrows > 1)
        qsort(ld->rows, ld->nrows, sizeof(ld->rows[0]), compare_rows);
    for (size_t i = 1; i < ld->nrows; i++) {
        const struct row *a = &ld->rows[i - 1], *b = &ld->rows[i];
        if (a->day != b->day)
            continue;
        jy_date_format(jy_date_from_days(b->day), ds);
        if (a->kind == b->kind) {
            snprintf(what, sizeof(what), "%s is already listed as %s on line %ld", ds,
                     a->kind == KIND_OFF ? "off" : "work", a->line);
            fail(ld, JY_INVALID, "duplicate_date", 0, b->line, what);
        } else {
            snprintf(what, sizeof(what), "%s is listed both as off and as work (other on line %ld)",
                     ds, a->line);
            fail(ld, JY_INVALID, "conflicting_date", 0, b->line, what);
        }
        return ld->rc;
    }

    struct jy_calendar *cal =
        calloc(1, sizeof(*cal) + (ld->nrows ? ld->nrows : 1) * sizeof(cal->days[0]));
    if (!cal)
        return jy_error_set(ld->err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    for (int y = 0; y < YEAR_SLOTS; y++)
        cal->years[y] = ld->year_line[y] != 0;
    for (size_t i = 0; i < ld->nrows; i++)
        cal->days[i] = (struct exception_day){ld->rows[i].day, ld->rows[i].kind};
    cal->ndays = ld->nrows;
    *ret = cal;
    return JY_OK;
}

/* 1 + the number of LF (or lone CR) line ends in the first `n` bytes of `s`. */
static long line_at(const char *s, size_t n)
{
    long line = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
            line++;
    return line;
}

/* Where the line starting at `i` is a comment: its first byte other than space and tab is '#'. */
static bool comment_at(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i < n && s[i] == '#';
}

static bool has_comment(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || s[i - 1] == '\n' || s[i - 1] == '\r') && comment_at(s, n, i))
            return true;
    return false;
}

/* A malloc'd copy of `s` with every comment line's bytes (not its line end) made spaces. */
static char *blank_comments(const char *s, size_t n)
{
    char *c = malloc(n ? n : 1);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    bool blank = false;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || s[i - 1] == '\n' || s[i - 1] == '\r')
            blank = comment_at(s, n, i);
        if (blank && s[i] != '\n' && s[i] != '\r')
            c[i] = ' ';
    }
    return c;
}

enum jy_err jy_calendar_load_csv(const char *text, size_t len, struct jy_calendar **ret,
                                 struct jy_error *err)
{
    if (!ret || (!text && len))
        return jy_error_set(err, JY_INVALID, "bad_argument", NULL, "no calendar text given");
    if (len > JY_CALENDAR_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LARGE, "calendar_too_large", NULL,
                            "the calendar is %zu bytes, more than the limit of %d", len,
                            JY_CALENDAR_MAX_BYTES);

    /* A byte order mark, as some spreadsheet programs write, is not part of the header. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }

    /* Comment lines are blanked in a copy (their line ends kept, so lines keep their numbers)
     * before the CSV parser sees the text. */
    char *copy = NULL;
    if (has_comment(text, len)) {
        if (!(copy = blank_comments(text, len)))
            return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        text = copy;
    }

    struct loader *ld = calloc(1, sizeof(*ld));
    if (!ld) {
        free(copy);
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    }
    ld->err = err;
    ld->rc = JY_OK;
    ld->line = 1;
    ld->rows = malloc(JY_CALENDAR_MAX_DAYS * sizeof(ld->rows[0]));
    if (!ld->rows) {
        free(ld);
        free(copy);
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    }

    struct csv_parser p;
    enum jy_err rc;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        goto out;
    }
    size_t done = len ? csv_parse(&p, text, len, on_field, on_record, ld) : 0;
    if (done != len) {
        int status = csv_error(&p);
        if (status == CSV_ENOMEM || status == CSV_ETOOBIG) {
            rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        } else {
            fail(ld, JY_INVALID, "bad_csv", -1, line_at(text, done),
                 "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
            rc = ld->rc;
        }
        goto out_parser;
    }
    if (csv_fini(&p, on_field, on_record, ld) != 0) {
        fail(ld, JY_INVALID, "bad_csv", -1, ld->line,
             "malformed CSV: a quoted field is not closed before the end of the file");
        rc = ld->rc;
        goto out_parser;
    }
    rc = ld->rc != JY_OK ? ld->rc : finish(ld, ret);

out_parser:
    csv_free(&p);
out:
    free(ld->rows);
    free(ld);
    free(copy);
    return rc;
}

void jy_calendar_free(struct jy_calendar *cal)
{
    free(cal);
}

/* ------------------------------------------------------------------------------------------ */
/* Queries                                                                                    */
/* ------------------------------------------------------------------------------------------ */

bool jy_calendar_covers_year(const struct jy_calendar *cal, int year)
{
    return cal && year >= JY_CALENDAR_MIN_YEAR && year <= JY_CALENDAR_MAX_YEAR &&
           cal->years[year - JY_CALENDAR_MIN_YEAR];
}

static enum jy_err year_missing(struct jy_error *err, int year)
{
    return jy_error_set(err, JY_NO_DATA, "calendar_year_missing", "date",
                        "no working-day calendar for %d: the public holiday notice for that year "
                        "has not been loaded",
                        year);
}

static enum jy_err bad_date(struct jy_error *err, const char *field)
{
    return jy_error_set(err, JY_INVALID, "bad_date", field, "%s is not a valid calendar date",
                        field);
}

/* Whether day number `n` (the date `d`, in a covered year) is a working day. */
static bool working(const struct jy_calendar *cal, int64_t n, struct jy_date d)
{
    size_t lo = 0, hi = cal->ndays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].day < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < cal->ndays && cal->days[lo].day == n)
        return cal->days[lo].kind == KIND_WORK;
    return jy_date_weekday(d) <= 5;
}

/* Count working days from the day after `from` on, in a covered stretch of years. With
 * `target` ≥ 0, stop at the `target`-th working day and store its date in `*stop`; otherwise
 * stop after `last` (a day number) and store the count in `*count`. */
static enum jy_err walk(const struct jy_calendar *cal, struct jy_date from, int target,
                        int64_t last, struct jy_date *stop, int *count, struct jy_error *err)
{
    struct jy_date d = from;
    int64_t n = jy_date_to_days(from);
    int seen = 0;
    while (target >= 0 ? seen < target : n < last) {
        /* Before stepping, check the next day's year: this also keeps the step inside the
         * calendar's years, so date arithmetic never leaves its domain. */
        int next_year = (d.month == 12 && d.day == 31) ? d.year + 1 : d.year;
        if (!jy_calendar_covers_year(cal, next_year))
            return year_missing(err, next_year);
        n++;
        d = jy_date_from_days(n);
        if (working(cal, n, d))
            seen++;
    }
    if (stop)
        *stop = d;
    if (count)
        *count = seen;
    return JY_OK;
}

enum jy_err jy_calendar_is_working_day(const struct jy_calendar *cal, struct jy_date d, bool *ret,
                                       struct jy_error *err)
{
    if (!cal || !ret)
        return jy_error_set(err, JY_INVALID, "bad_argument", NULL, "no calendar given");
    if (!jy_date_is_valid(d))
        return bad_date(err, "date");
    if (!jy_calendar_covers_year(cal, d.year))
        return year_missing(err, d.year);
    *ret = working(cal, jy_date_to_days(d), d);
    return JY_OK;
}

enum jy_err jy_calendar_due_date(const struct jy_calendar *cal, struct jy_date accepted,
                                 int working_days, struct jy_date *ret, struct jy_error *err)
{
    if (!cal || !ret)
        return jy_error_set(err, JY_INVALID, "bad_argument", NULL, "no calendar given");
    if (!jy_date_is_valid(accepted))
        return bad_date(err, "accepted");
    if (working_days < 0 || working_days > JY_CALENDAR_MAX_WORKING_DAYS)
        return jy_error_set(err, JY_RANGE, "bad_working_days", "working_days",
                            "a time limit of %d working days is outside 0..%d", working_days,
                            JY_CALENDAR_MAX_WORKING_DAYS);
    struct jy_date due;
    enum jy_err rc = walk(cal, accepted, working_days, 0, &due, NULL, err);
    if (rc != JY_OK)
        return rc;
    *ret = due;
    return JY_OK;
}

enum jy_err jy_calendar_working_days_between(const struct jy_calendar *cal, struct jy_date from,
                                             struct jy_date to, int *ret, struct jy_error *err)
{
    if (!cal || !ret)
        return jy_error_set(err, JY_INVALID, "bad_argument", NULL, "no calendar given");
    if (!jy_date_is_valid(from))
        return bad_date(err, "from");
    if (!jy_date_is_valid(to))
        return bad_date(err, "to");
    int sign = 1;
    if (jy_date_compare(to, from) < 0) {
        struct jy_date t = from;
        from = to;
        to = t;
        sign = -1;
    }
    int count;
    enum jy_err rc = walk(cal, from, -1, jy_date_to_days(to), NULL, &count, err);
    if (rc != JY_OK)
        return rc;
    *ret = sign * count;
    return JY_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Calendars loaded at run time                                                               */
/* ------------------------------------------------------------------------------------------ */

static int day_year(int32_t day)
{
    return jy_date_from_days(day).year;
}

enum jy_err jy_calendar_merge(const struct jy_calendar *base, const struct jy_calendar *over,
                              struct jy_calendar **ret, struct jy_error *err)
{
    size_t n = over->ndays;
    for (size_t i = 0; i < base->ndays; i++)
        if (!jy_calendar_covers_year(over, day_year(base->days[i].day)))
            n++;
    if (n > JY_CALENDAR_MAX_DAYS)
        return jy_error_set(err, JY_TOO_LARGE, "too_many_days", NULL,
                            "the calendar would hold more than %d off/work days",
                            JY_CALENDAR_MAX_DAYS);
    struct jy_calendar *cal = calloc(1, sizeof(*cal) + (n ? n : 1) * sizeof(cal->days[0]));
    if (!cal)
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    for (int y = 0; y < YEAR_SLOTS; y++)
        cal->years[y] = base->years[y] || over->years[y];
    /* Both lists are sorted by day: merge them, dropping base's days of over's years. */
    size_t i = 0, j = 0, k = 0;
    while (i < base->ndays || j < over->ndays) {
        if (i < base->ndays && jy_calendar_covers_year(over, day_year(base->days[i].day))) {
            i++;
        } else if (j >= over->ndays || (i < base->ndays && base->days[i].day < over->days[j].day)) {
            cal->days[k++] = base->days[i++];
        } else {
            cal->days[k++] = over->days[j++];
        }
    }
    cal->ndays = k;
    *ret = cal;
    return JY_OK;
}

size_t jy_calendar_year_days(const struct jy_calendar *cal, int year)
{
    size_t n = 0;
    for (size_t i = 0; cal && i < cal->ndays; i++)
        if (day_year(cal->days[i].day) == year)
            n++;
    return n;
}

enum jy_err jy_calendar_covered_until(const struct jy_calendar *cal, struct jy_date from,
                                      struct jy_date *ret, struct jy_error *err)
{
    if (!jy_date_is_valid(from))
        return bad_date(err, "date");
    if (!jy_calendar_covers_year(cal, from.year))
        return year_missing(err, from.year);
    int y = from.year;
    while (jy_calendar_covers_year(cal, y + 1))
        y++;
    *ret = (struct jy_date){y, 12, 31};
    return JY_OK;
}

enum jy_err jy_calendar_year_rows(const char *text, size_t len, int year, char **ret,
                                  size_t *ret_len, struct jy_error *err)
{
    static const char header[] = "date,kind,name\n";
    char *out = malloc(sizeof(header) + len + 1);
    if (!out)
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    memcpy(out, header, sizeof(header) - 1);
    size_t o = sizeof(header) - 1;
    char want[8];
    snprintf(want, sizeof(want), "%04d-", year);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && text[i] != '\n' && text[i] != '\r')
            i++;
        size_t end = i;
        while (i < len && (text[i] == '\n' || text[i] == '\r'))
            i++;
        size_t p = start;
        while (p < end && (text[p] == ' ' || text[p] == '\t'))
            p++;
        if (p < end && text[p] == '"')
            p++;
        if (end - p >= 5 && memcmp(text + p, want, 5) == 0) {
            memcpy(out + o, text + start, end - start);
            o += end - start;
            out[o++] = '\n';
        }
    }
    out[o] = '\0';
    *ret = out;
    *ret_len = o;
    return JY_OK;
}
