/*
 * tracking.c — reading a carrier's tracking export: see tracking.h.
 */
#include "tracking.h"

#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "../banned.h"

enum { COL_WAYBILL, COL_STATUS, COL_AT, COL_LOCATION, COL_FAILURE, N_COLS };

static const struct {
    const char *name;
    int col;
} names[] = {
    {"waybill", COL_WAYBILL},   {"item_number", COL_WAYBILL}, {"mailno", COL_WAYBILL},
    {"mail_no", COL_WAYBILL},   {"邮件号", COL_WAYBILL},      {"运单号", COL_WAYBILL},
    {"status", COL_STATUS},     {"状态", COL_STATUS},         {"at", COL_AT},
    {"time", COL_AT},           {"event_time", COL_AT},       {"时间", COL_AT},
    {"location", COL_LOCATION}, {"地点", COL_LOCATION},       {"failure_reason", COL_FAILURE},
    {"reason", COL_FAILURE},    {"失败原因", COL_FAILURE},    {"原因", COL_FAILURE},
};

static const char *const col_names[N_COLS] = {"waybill", "status", "at", "location",
                                              "failure_reason"};

/* The carrier's words for its statuses. */
static const struct {
    const char *word, *code;
} status_words[] = {
    {"已收寄", "shipped"},          {"收寄", "shipped"},
    {"运输中", "in_transit"},       {"派送中", "out_for_delivery"},
    {"投递中", "out_for_delivery"}, {"已签收", "delivered"},
    {"妥投", "delivered"},          {"投递失败", "delivery_failed"},
    {"未妥投", "delivery_failed"},  {"已退回", "returned"},
    {"退回", "returned"},
};

/* `s` (`n` bytes) without surrounding ASCII white space, lower-cased ASCII, into `buf`. */
static void fold(const char *s, size_t n, char *buf, size_t size)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    buf[n] = '\0';
}

static int col_of(const char *s, size_t n)
{
    char buf[64];
    fold(s, n, buf, sizeof(buf));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(buf, names[i].name) == 0)
            return names[i].col;
    return -1;
}

/* Keep a copy of `s` (`n` bytes) in `f`; NULL when out of memory. */
static const char *keep(struct jy_tracking_file *f, const char *s, size_t n)
{
    if (f->n_strings == f->cap_strings) {
        size_t cap = f->cap_strings ? f->cap_strings * 2 : 64;
        char **p = realloc(f->strings, cap * sizeof(*p));
        if (!p)
            return NULL;
        f->strings = p;
        f->cap_strings = cap;
    }
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    if (n)
        memcpy(c, s, n);
    c[n] = '\0';
    f->strings[f->n_strings++] = c;
    return c;
}

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* What keep_value() gives for a value with a NUL byte in it: the row is bad. */
static const char nul_value[] = "";
#define NUL_VALUE nul_value

/* Keep value `s` (`n` bytes) of column `col`, normalised: trimmed; a status word turned into
 * its code; a time without a zone given +08:00. */
static const char *keep_value(struct jy_tracking_file *f, int col, const char *s, size_t n,
                              bool *nomem)
{
    char buf[JY_TRACKING_LINE_MAX_BYTES + 16];
    if (memchr(s, '\0', n))
        return NUL_VALUE;
    while (n && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n == 0)
        return NULL;
    if (col == COL_STATUS) {
        fold(s, n, buf, sizeof(buf));
        s = buf;
        for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
            if (strcmp(buf, status_words[i].word) == 0)
                s = status_words[i].code;
        n = strlen(s);
    } else if (col == COL_AT && (n == 19 || n == 16) && s[4] == '-' && s[7] == '-' &&
               (s[10] == ' ' || s[10] == 'T') && s[13] == ':' && is_digits(s, 4) &&
               is_digits(s + 5, 2) && is_digits(s + 8, 2) && is_digits(s + 11, 2) &&
               is_digits(s + 14, 2) && (n == 16 || (s[16] == ':' && is_digits(s + 17, 2)))) {
        snprintf(buf, sizeof(buf), "%.10sT%.5s:%.2s+08:00", s, s + 11, n == 19 ? s + 17 : "00");
        s = buf;
        n = strlen(buf);
    }
    const char *k = keep(f, s, n);
    if (!k)
        *nomem = true;
    return k;
}

static struct jy_tracking_row *new_row(struct jy_tracking_file *f, size_t line)
{
    if (f->count == f->cap_rows) {
        size_t cap = f->cap_rows ? f->cap_rows * 2 : 64;
        struct jy_tracking_row *p = realloc(f->rows, cap * sizeof(*p));
        if (!p)
            return NULL;
        f->rows = p;
        f->cap_rows = cap;
    }
    struct jy_tracking_row *r = &f->rows[f->count++];
    memset(r, 0, sizeof(*r));
    r->line = line;
    return r;
}

static void set_value(struct jy_tracking_row *r, int col, const char *v)
{
    if (v == NUL_VALUE) {
        if (!r->bad) {
            r->bad = true;
            jy_error_set(&r->error, JY_INVALID, "invalid_text", col_names[col],
                         "%s contains a NUL byte", col_names[col]);
        }
        return;
    }
    switch (col) {
    case COL_WAYBILL:
        r->waybill = v;
        break;
    case COL_STATUS:
        r->status = v;
        break;
    case COL_AT:
        r->at = v;
        break;
    case COL_LOCATION:
        r->location = v;
        break;
    case COL_FAILURE:
        r->failure_reason = v;
        break;
    default:
        break;
    }
}

/* Mark `r` bad when a required value is missing. */
static void check_required(struct jy_tracking_row *r)
{
    const char *missing = !r->waybill  ? col_names[COL_WAYBILL]
                          : !r->status ? col_names[COL_STATUS]
                          : !r->at     ? col_names[COL_AT]
                                       : NULL;
    if (missing && !r->bad) {
        r->bad = true;
        jy_error_set(&r->error, JY_INVALID, "missing_field", missing, "%s is empty", missing);
    }
}

/* ---- JSON lines ---- */

static enum jy_err parse_json_line(struct jy_tracking_file *f, const char *s, size_t n, size_t line,
                                   struct jy_error *err)
{
    struct jy_tracking_row *r = new_row(f, line);
    if (!r)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    json_error_t jerr;
    json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(o)) {
        r->bad = true;
        jy_error_set(&r->error, JY_INVALID, o ? "not_an_object" : "bad_json", NULL, "%s",
                     o ? "the line is not a JSON object" : jerr.text);
        json_decref(o);
        return JY_OK;
    }
    const char *key;
    json_t *v;
    bool nomem = false;
    json_object_foreach(o, key, v)
    {
        int col = col_of(key, strlen(key));
        if (col < 0 || json_is_null(v))
            continue;
        if (!json_is_string(v)) {
            r->bad = true;
            jy_error_set(&r->error, JY_INVALID, "wrong_type", col_names[col], "%s must be a string",
                         col_names[col]);
            break;
        }
        set_value(r, col, keep_value(f, col, json_string_value(v), json_string_length(v), &nomem));
    }
    json_decref(o);
    if (nomem)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    check_required(r);
    return JY_OK;
}

/* ---- CSV ---- */

struct csv_state {
    struct jy_tracking_file *f;
    bool header_done;
    int cols[64];  /* column index → COL_*, or -1 */
    size_t n_cols; /* header columns */
    size_t field;  /* the next field's index in the record */
    size_t line;   /* the physical line being fed */
    size_t rec_line;
    struct jy_tracking_row *row; /* the record being read */
    bool nomem;
    struct jy_error header_err;
    bool header_bad;
};

static void on_field(void *s, size_t n, void *ctx)
{
    struct csv_state *c = ctx;
    if (c->rec_line == 0)
        c->rec_line = c->line;
    size_t i = c->field++;
    if (!c->header_done) {
        if (i < sizeof(c->cols) / sizeof(c->cols[0])) {
            c->cols[i] = col_of(s, n);
            c->n_cols = i + 1;
        }
        return;
    }
    if (!c->row) {
        c->row = new_row(c->f, c->rec_line);
        if (!c->row) {
            c->nomem = true;
            return;
        }
    }
    if (i < c->n_cols && c->cols[i] >= 0)
        set_value(c->row, c->cols[i], keep_value(c->f, c->cols[i], s, n, &c->nomem));
}

static void on_record(int ch, void *ctx)
{
    (void)ch;
    struct csv_state *c = ctx;
    if (!c->header_done) {
        c->header_done = true;
        bool have[N_COLS] = {false};
        for (size_t i = 0; i < c->n_cols; i++)
            if (c->cols[i] >= 0)
                have[c->cols[i]] = true;
        for (int k = COL_WAYBILL; k <= COL_AT; k++) {
            if (!have[k] && !c->header_bad) {
                c->header_bad = true;
                jy_error_set(&c->header_err, JY_INVALID, "bad_header", NULL,
                             "the header line has no %s column (waybill, status and time are "
                             "required)",
                             col_names[k]);
            }
        }
    } else if (c->row) {
        check_required(c->row);
    } else if (c->field > 0 && !c->nomem) {
        /* a record with no fields at all is skipped by libcsv; one with fields always has a
         * row by now */
    }
    c->row = NULL;
    c->field = 0;
    c->rec_line = 0;
}

static enum jy_err parse_csv(struct jy_tracking_file *f, const char *text, size_t len,
                             struct jy_error *err)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT_FINI) != 0)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    struct csv_state *c = calloc(1, sizeof(*c));
    if (!c) {
        csv_free(&p);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    c->f = f;
    enum jy_err e = JY_OK;
    size_t pos = 0, line = 0;
    while (pos < len && e == JY_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
        line++;
        c->line = line;
        if (n > JY_TRACKING_LINE_MAX_BYTES) {
            struct jy_tracking_row *r = new_row(f, line);
            if (!r) {
                e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
                break;
            }
            r->bad = true;
            jy_error_set(&r->error, JY_TOO_LONG, "line_too_long", NULL,
                         "the line is longer than %d bytes", JY_TRACKING_LINE_MAX_BYTES);
            pos += n;
            continue;
        }
        if (csv_parse(&p, text + pos, n, on_field, on_record, c) != n)
            e = jy_error_set(err, JY_INVALID, "bad_csv", NULL, "line %zu: %s", line,
                             csv_strerror(csv_error(&p)));
        else if (c->nomem)
            e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        else if (c->header_bad)
            e = jy_error_set(err, JY_INVALID, "bad_header", NULL, "%s", c->header_err.message);
        else if (f->count > JY_TRACKING_FILE_MAX_ROWS)
            e = jy_error_set(err, JY_TOO_LARGE, "too_many_rows", NULL,
                             "a tracking file has at most %d rows", JY_TRACKING_FILE_MAX_ROWS);
        pos += n;
    }
    /* libcsv's CSV_STRICT_FINI lets an unclosed quote at the end through (it ends the field at
     * the end of the text); its public state says so: a quoted field begun and not ended (2 is
     * libcsv's FIELD_BEGUN). */
    if (e == JY_OK && p.quoted && p.pstate == 2)
        e = jy_error_set(err, JY_INVALID, "bad_csv", NULL,
                         "line %zu: a quoted field is never closed", line);
    if (e == JY_OK && csv_fini(&p, on_field, on_record, c) != 0)
        e = jy_error_set(err, JY_INVALID, "bad_csv", NULL, "line %zu: %s", line,
                         csv_strerror(csv_error(&p)));
    if (e == JY_OK && c->nomem)
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if (e == JY_OK && c->header_bad)
        e = jy_error_set(err, JY_INVALID, "bad_header", NULL, "%s", c->header_err.message);
    if (e == JY_OK && !c->header_done)
        e = jy_error_set(err, JY_INVALID, "empty_file", NULL, "the file has no header line");
    csv_free(&p);
    free(c);
    return e;
}

/* ---- the file ---- */

enum jy_err jy_tracking_parse(const char *text, size_t len, struct jy_tracking_file *ret,
                              struct jy_error *err)
{
    if (len > JY_TRACKING_FILE_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LARGE, "file_too_large", NULL,
                            "a tracking file is at most %d bytes", JY_TRACKING_FILE_MAX_BYTES);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    if (i == len)
        return jy_error_set(err, JY_INVALID, "empty_file", NULL, "the file is empty");
    struct jy_tracking_file f;
    memset(&f, 0, sizeof(f));
    f.json_lines = text[i] == '{';
    enum jy_err e = JY_OK;
    if (!f.json_lines) {
        e = parse_csv(&f, text, len, err);
    } else {
        size_t pos = 0, line = 0;
        while (pos < len && e == JY_OK) {
            const char *nl = memchr(text + pos, '\n', len - pos);
            size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
            line++;
            size_t k = 0;
            while (k < n &&
                   (text[pos + k] == ' ' || text[pos + k] == '\t' || text[pos + k] == '\r'))
                k++;
            if (k < n) {
                if (n > JY_TRACKING_LINE_MAX_BYTES) {
                    struct jy_tracking_row *r = new_row(&f, line);
                    if (!r) {
                        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
                        break;
                    }
                    r->bad = true;
                    jy_error_set(&r->error, JY_TOO_LONG, "line_too_long", NULL,
                                 "the line is longer than %d bytes", JY_TRACKING_LINE_MAX_BYTES);
                } else {
                    e = parse_json_line(&f, text + pos, n, line, err);
                }
                if (e == JY_OK && f.count > JY_TRACKING_FILE_MAX_ROWS)
                    e = jy_error_set(err, JY_TOO_LARGE, "too_many_rows", NULL,
                                     "a tracking file has at most %d rows",
                                     JY_TRACKING_FILE_MAX_ROWS);
            }
            pos += n + (nl ? 1 : 0);
        }
    }
    if (e != JY_OK) {
        jy_tracking_free(&f);
        return e;
    }
    *ret = f;
    return JY_OK;
}

void jy_tracking_free(struct jy_tracking_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_strings; i++)
        free(f->strings[i]);
    free(f->strings);
    free(f->rows);
    memset(f, 0, sizeof(*f));
}
