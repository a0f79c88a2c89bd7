/*
 * export.c — the day's figures as XLSX (libxlsxwriter) and CSV (RFC 4180).
 */
#include "render/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/money.h"
#include "limits.h"
#include "render/render.h"

#include "banned.h"

/* The largest amount a row may carry (10^12 fen), so that no sum over JY_EXPORT_MAX_ROWS rows
 * can overflow. */
#define FEE_MAX_FEN 1000000000000LL

static const char *const app_headers[] = {
    "受理编号", "业务代码", "业务类型",   "受理网点",   "状态",     "当前工位",
    "经办人",   "受理时间", "应办结日期", "费用（元）", "是否超期",
};
#define APP_COLS (sizeof(app_headers) / sizeof(app_headers[0]))

static const char *const station_headers[] = {"工位", "待办", "今日完成", "超期"};
#define STATION_COLS (sizeof(station_headers) / sizeof(station_headers[0]))

/* Unix times of 1970-01-01 and 9999-12-31 23:59 in Asia/Shanghai: what a row may carry. */
#define TIME_MIN (-8 * 3600LL)
#define TIME_MAX (253402300800LL - 8 * 3600 - 1)

/* ---- input ---- */

static enum jy_err check_text(const char *s, bool optional, const char *what, size_t row,
                              const char *member, struct jy_error *err)
{
    if (optional && !s)
        return JY_OK;
    char field[64];
    snprintf(field, sizeof(field), "%s[%zu].%s", what, row, member);
    return jy_render_check_text(s, JY_RENDER_TEXT_MAX_BYTES, true, field, err);
}

static enum jy_err validate(const struct jy_export_day *d, struct jy_error *err)
{
    enum jy_err rc;
    if ((rc = jy_render_check_text(d->centre, JY_RENDER_TEXT_MAX_BYTES, false, "centre", err)))
        return rc;
    if (!jy_date_is_valid(d->date))
        return jy_error_set(err, JY_RANGE, "bad_date", "date", "not a real date");
    if (d->generated_at < TIME_MIN || d->generated_at > TIME_MAX)
        return jy_error_set(err, JY_RANGE, "bad_time", "generated_at", "time out of range");
    if (d->application_count > JY_EXPORT_MAX_ROWS || d->station_count > JY_EXPORT_MAX_ROWS ||
        (d->application_count && !d->applications) || (d->station_count && !d->stations))
        return jy_error_set(err, JY_RANGE, "too_many", NULL, "an export has at most %d rows",
                            JY_EXPORT_MAX_ROWS);
    for (size_t i = 0; i < d->application_count; i++) {
        const struct jy_export_application *a = &d->applications[i];
        char field[64];
        if ((rc = check_text(a->number, false, "applications", i, "number", err)) ||
            (rc = check_text(a->business_code, false, "applications", i, "business_code", err)) ||
            (rc = check_text(a->business_name, false, "applications", i, "business_name", err)) ||
            (rc = check_text(a->branch, false, "applications", i, "branch", err)) ||
            (rc = check_text(a->state, false, "applications", i, "state", err)) ||
            (rc = check_text(a->station, true, "applications", i, "station", err)) ||
            (rc = check_text(a->clerk, true, "applications", i, "clerk", err)))
            return rc;
        if (a->accepted_at < TIME_MIN || a->accepted_at > TIME_MAX) {
            snprintf(field, sizeof(field), "applications[%zu].accepted_at", i);
            return jy_error_set(err, JY_RANGE, "bad_time", field, "time out of range");
        }
        if (a->due_date.year != 0 && !jy_date_is_valid(a->due_date)) {
            snprintf(field, sizeof(field), "applications[%zu].due_date", i);
            return jy_error_set(err, JY_RANGE, "bad_date", field, "not a real date");
        }
        if (a->fee_fen < -FEE_MAX_FEN || a->fee_fen > FEE_MAX_FEN) {
            snprintf(field, sizeof(field), "applications[%zu].fee_fen", i);
            return jy_error_set(err, JY_RANGE, "bad_amount", field, "amount out of range");
        }
    }
    for (size_t i = 0; i < d->station_count; i++) {
        const struct jy_export_station *s = &d->stations[i];
        if ((rc = check_text(s->station, false, "stations", i, "station", err)))
            return rc;
        if (s->waiting < 0 || s->completed_today < 0 || s->overdue < 0) {
            char field[64];
            snprintf(field, sizeof(field), "stations[%zu]", i);
            return jy_error_set(err, JY_RANGE, "bad_count", field, "a count is never negative");
        }
    }
    return JY_OK;
}

/* ---- CSV ---- */

struct buf {
    char *data;
    size_t len, cap;
    enum jy_err status;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->status != JY_OK)
        return;
    if (n > JY_EXPORT_MAX_BYTES - b->len) {
        b->status = JY_TOO_LARGE;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->status = JY_NOMEM;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void put_str(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A text field: guarded against formulas, quoted when needed (RFC 4180 §2.6, §2.7). */
static void put_text(struct buf *b, const char *s)
{
    if (!s)
        return;
    bool guard = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t';
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        put(b, "\"", 1);
    if (guard)
        put(b, "'", 1);
    for (const char *p = s; *p;) {
        const char *q = strchr(p, '"');
        if (!q) {
            put_str(b, p);
            break;
        }
        put(b, p, (size_t)(q - p) + 1);
        put(b, "\"", 1);
        p = q + 1;
    }
    if (quote)
        put(b, "\"", 1);
}

static void put_row_end(struct buf *b)
{
    put(b, "\r\n", 2);
}

static void put_headers(struct buf *b, const char *const *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(b, ",", 1);
        put_text(b, h[i]);
    }
    put_row_end(b);
}

enum jy_err jy_export_csv(const struct jy_export_day *day, enum jy_export_table table, char **ret,
                          size_t *ret_len, struct jy_error *err)
{
    if (!day || !ret || !ret_len)
        return jy_error_set(err, JY_INVALID, "missing", NULL, "no export to write");
    if (table != JY_EXPORT_APPLICATIONS && table != JY_EXPORT_STATIONS)
        return jy_error_set(err, JY_INVALID, "bad_table", "table", "unknown table");
    enum jy_err rc = validate(day, err);
    if (rc != JY_OK)
        return rc;
    struct buf b = {0};
    put(&b, "\xEF\xBB\xBF", 3); /* UTF-8 byte-order mark: Excel then reads the file as UTF-8 */
    char num[JY_MONEY_TEXT_SIZE + 32];
    if (table == JY_EXPORT_APPLICATIONS) {
        put_headers(&b, app_headers, APP_COLS);
        for (size_t i = 0; i < day->application_count && b.status == JY_OK; i++) {
            const struct jy_export_application *a = &day->applications[i];
            const char *texts[] = {a->number, a->business_code, a->business_name, a->branch,
                                   a->state,  a->station,       a->clerk};
            for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
                put_text(&b, texts[k]);
                put(&b, ",", 1);
            }
            char when[JY_RENDER_TIME_SIZE];
            jy_render_format_time(a->accepted_at, when);
            put_str(&b, when);
            put(&b, ",", 1);
            if (a->due_date.year != 0) {
                char d[JY_DATE_TEXT_SIZE];
                put_str(&b, jy_date_format(a->due_date, d));
            }
            put(&b, ",", 1);
            jy_money_format_yuan(a->fee_fen, num);
            put_str(&b, num);
            put(&b, ",", 1);
            put_str(&b, a->overdue ? "是" : "否");
            put_row_end(&b);
        }
    } else {
        put_headers(&b, station_headers, STATION_COLS);
        for (size_t i = 0; i < day->station_count && b.status == JY_OK; i++) {
            const struct jy_export_station *s = &day->stations[i];
            put_text(&b, s->station);
            snprintf(num, sizeof(num), ",%lld,%lld,%lld", (long long)s->waiting,
                     (long long)s->completed_today, (long long)s->overdue);
            put_str(&b, num);
            put_row_end(&b);
        }
    }
    if (b.status != JY_OK) {
        free(b.data);
        if (b.status == JY_NOMEM)
            return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        return jy_error_set(err, JY_TOO_LARGE, "too_large", NULL, "export larger than %d bytes",
                            JY_EXPORT_MAX_BYTES);
    }
    *ret = b.data;
    *ret_len = b.len;
    return JY_OK;
}

/* ---- XLSX ---- */

static lxw_datetime to_lxw_time(int64_t t)
{
    struct jy_date d = jy_date_from_unix_shanghai(t);
    int s = jy_render_shanghai_seconds(t);
    return (lxw_datetime){d.year, d.month, d.day, s / 3600, s / 60 % 60, s % 60};
}

static lxw_datetime to_lxw_date(struct jy_date d)
{
    return (lxw_datetime){d.year, d.month, d.day, 0, 0, 0};
}

/* Excel holds numbers as doubles; (double)fen / 100 is the double nearest to the exact yuan
 * amount for every |fen| < 2^53. */
static double yuan(int64_t fen)
{
    return (double)fen / 100.0;
}

struct formats {
    lxw_format *head, *date, *time, *money, *bold;
};

/* Accumulate errors of libxlsxwriter calls: the first one wins. */
static void lxw(lxw_error *status, lxw_error e)
{
    if (*status == LXW_NO_ERROR)
        *status = e;
}

static void sheet_applications(lxw_workbook *wb, const struct jy_export_day *d,
                               const struct formats *f, lxw_error *st)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "受理明细");
    if (!ws) {
        lxw(st, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    static const double widths[APP_COLS] = {20, 9, 26, 22, 10, 10, 10, 17, 12, 11, 9};
    for (lxw_col_t c = 0; c < APP_COLS; c++) {
        lxw(st, worksheet_set_column(ws, c, c, widths[c], NULL));
        lxw(st, worksheet_write_string(ws, 0, c, app_headers[c], f->head));
    }
    for (size_t i = 0; i < d->application_count; i++) {
        const struct jy_export_application *a = &d->applications[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        const char *texts[] = {a->number, a->business_code, a->business_name, a->branch,
                               a->state,  a->station,       a->clerk};
        for (lxw_col_t c = 0; c < 7; c++)
            if (texts[c])
                lxw(st, worksheet_write_string(ws, r, c, texts[c], NULL));
        lxw_datetime t = to_lxw_time(a->accepted_at);
        lxw(st, worksheet_write_datetime(ws, r, 7, &t, f->time));
        if (a->due_date.year != 0) {
            lxw_datetime dd = to_lxw_date(a->due_date);
            lxw(st, worksheet_write_datetime(ws, r, 8, &dd, f->date));
        }
        lxw(st, worksheet_write_number(ws, r, 9, yuan(a->fee_fen), f->money));
        lxw(st, worksheet_write_string(ws, r, 10, a->overdue ? "是" : "否", NULL));
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw(st, worksheet_autofilter(ws, 0, 0, (lxw_row_t)d->application_count, APP_COLS - 1));
}

static void sheet_stations(lxw_workbook *wb, const struct jy_export_day *d, const struct formats *f,
                           lxw_error *st)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "工位统计");
    if (!ws) {
        lxw(st, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    lxw(st, worksheet_set_column(ws, 0, 0, 14, NULL));
    lxw(st, worksheet_set_column(ws, 1, STATION_COLS - 1, 11, NULL));
    for (lxw_col_t c = 0; c < STATION_COLS; c++)
        lxw(st, worksheet_write_string(ws, 0, c, station_headers[c], f->head));
    for (size_t i = 0; i < d->station_count; i++) {
        const struct jy_export_station *s = &d->stations[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        lxw(st, worksheet_write_string(ws, r, 0, s->station, NULL));
        lxw(st, worksheet_write_number(ws, r, 1, (double)s->waiting, NULL));
        lxw(st, worksheet_write_number(ws, r, 2, (double)s->completed_today, NULL));
        lxw(st, worksheet_write_number(ws, r, 3, (double)s->overdue, NULL));
    }
    worksheet_freeze_panes(ws, 1, 0);
}

/* Counts and fees by business type, in order of first appearance. */
struct by_type {
    const char *code, *name;
    int64_t count, fen;
};

static void sheet_summary(lxw_workbook *wb, const struct jy_export_day *d, const struct formats *f,
                          struct by_type *types, lxw_error *st)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "汇总");
    if (!ws) {
        lxw(st, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    size_t nt = 0;
    int64_t total = 0;
    for (size_t i = 0; i < d->application_count; i++) {
        const struct jy_export_application *a = &d->applications[i];
        size_t k = 0;
        while (k < nt && strcmp(types[k].code, a->business_code) != 0)
            k++;
        if (k == nt)
            types[nt++] = (struct by_type){a->business_code, a->business_name, 0, 0};
        types[k].count++;
        types[k].fen += a->fee_fen; /* |fee| ≤ 10^12, rows ≤ 10^5: no overflow */
        total += a->fee_fen;
    }
    lxw(st, worksheet_set_column(ws, 0, 0, 16, NULL));
    lxw(st, worksheet_set_column(ws, 1, 1, 30, NULL));
    lxw(st, worksheet_set_column(ws, 2, 3, 14, NULL));
    lxw(st, worksheet_write_string(ws, 0, 0, "中心", f->bold));
    lxw(st, worksheet_write_string(ws, 0, 1, d->centre, NULL));
    lxw_datetime day = to_lxw_date(d->date), gen = to_lxw_time(d->generated_at);
    lxw(st, worksheet_write_string(ws, 1, 0, "日期", f->bold));
    lxw(st, worksheet_write_datetime(ws, 1, 1, &day, f->date));
    lxw(st, worksheet_write_string(ws, 2, 0, "生成时间", f->bold));
    lxw(st, worksheet_write_datetime(ws, 2, 1, &gen, f->time));
    lxw(st, worksheet_write_string(ws, 3, 0, "受理件数", f->bold));
    lxw(st, worksheet_write_number(ws, 3, 1, (double)d->application_count, NULL));
    lxw(st, worksheet_write_string(ws, 4, 0, "费用合计（元）", f->bold));
    lxw(st, worksheet_write_number(ws, 4, 1, yuan(total), f->money));
    static const char *const h[] = {"业务代码", "业务类型", "件数", "费用（元）"};
    for (lxw_col_t c = 0; c < 4; c++)
        lxw(st, worksheet_write_string(ws, 6, c, h[c], f->head));
    for (size_t k = 0; k < nt; k++) {
        lxw_row_t r = (lxw_row_t)(7 + k);
        lxw(st, worksheet_write_string(ws, r, 0, types[k].code, NULL));
        lxw(st, worksheet_write_string(ws, r, 1, types[k].name, NULL));
        lxw(st, worksheet_write_number(ws, r, 2, (double)types[k].count, NULL));
        lxw(st, worksheet_write_number(ws, r, 3, yuan(types[k].fen), f->money));
    }
}

static enum jy_err read_file(const char *path, unsigned char **ret, size_t *ret_len,
                             struct jy_error *err)
{
    enum jy_err rc = JY_OK;
    unsigned char *data = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        rc = jy_error_set(err, JY_IO, "io_error", NULL, "cannot read the export: %s",
                          strerror(errno));
        goto out;
    }
    if (st.st_size > JY_EXPORT_MAX_BYTES) {
        rc = jy_error_set(err, JY_TOO_LARGE, "too_large", NULL, "export larger than %d bytes",
                          JY_EXPORT_MAX_BYTES);
        goto out;
    }
    size_t size = (size_t)st.st_size, len = 0;
    data = malloc(size ? size : 1);
    if (!data) {
        rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        goto out;
    }
    while (len < size) {
        ssize_t n = read(fd, data + len, size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = jy_error_set(err, JY_IO, "io_error", NULL, "cannot read the export");
            goto out;
        }
        len += (size_t)n;
    }
    *ret = data;
    *ret_len = len;
    data = NULL;
out:
    free(data);
    if (fd >= 0)
        close(fd);
    return rc;
}

enum jy_err jy_export_xlsx(const struct jy_export_day *day, const char *tmp_dir,
                           unsigned char **ret, size_t *ret_len, struct jy_error *err)
{
    if (!day || !ret || !ret_len)
        return jy_error_set(err, JY_INVALID, "missing", NULL, "no export to write");
    enum jy_err rc = validate(day, err);
    if (rc != JY_OK)
        return rc;
    const char *dir = tmp_dir ? tmp_dir : "/tmp";
    char path[JY_STORE_PATH_MAX_BYTES];
    int n = snprintf(path, sizeof(path), "%s/jingyou-export-XXXXXX.xlsx", dir);
    if (n < 0 || (size_t)n >= sizeof(path))
        return jy_error_set(err, JY_TOO_LONG, "path_too_long", NULL, "temporary path too long");
    int fd = mkstemps(path, 5);
    if (fd < 0)
        return jy_error_set(err, JY_IO, "io_error", NULL,
                            "cannot create a temporary file in %s: %s", dir, strerror(errno));
    close(fd);
    struct by_type *types = NULL;
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = (char *)dir};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb) {
        rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        goto out;
    }
    types = calloc(day->application_count ? day->application_count : 1, sizeof(*types));
    struct formats f = {
        .head = workbook_add_format(wb),
        .date = workbook_add_format(wb),
        .time = workbook_add_format(wb),
        .money = workbook_add_format(wb),
        .bold = workbook_add_format(wb),
    };
    lxw_error st = LXW_NO_ERROR;
    if (!types || !f.head || !f.date || !f.time || !f.money || !f.bold) {
        lxw(&st, LXW_ERROR_MEMORY_MALLOC_FAILED);
    } else {
        format_set_bold(f.head);
        format_set_bg_color(f.head, 0xE6E6E6);
        format_set_border(f.head, LXW_BORDER_THIN);
        format_set_bold(f.bold);
        format_set_num_format(f.date, "yyyy-mm-dd");
        format_set_num_format(f.time, "yyyy-mm-dd hh:mm");
        format_set_num_format(f.money, "0.00");
        workbook_set_properties(
            wb, &(lxw_doc_properties){.title = "每日受理报表", .company = (char *)day->centre});
        sheet_applications(wb, day, &f, &st);
        sheet_stations(wb, day, &f, &st);
        sheet_summary(wb, day, &f, types, &st);
    }
    lxw_error closed = workbook_close(wb); /* writes the file and frees the workbook */
    if (st == LXW_NO_ERROR)
        st = closed;
    if (st == LXW_ERROR_MEMORY_MALLOC_FAILED) {
        rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        goto out;
    }
    if (st != LXW_NO_ERROR) {
        rc = jy_error_set(err, JY_INTERNAL, "xlsxwriter", NULL, "xlsxwriter: %s", lxw_strerror(st));
        goto out;
    }
    rc = read_file(path, ret, ret_len, err);
out:
    free(types);
    unlink(path);
    return rc;
}
