/*
 * receipt.c — the acceptance receipt (受理回执), on A5 or an 80 mm roll.
 *
 * One layout serves both papers; `struct geom` holds what differs (margins, sizes, where the QR
 * goes). A5: header with the centre and branch and the QR at the right, the title, the Code 128
 * with the number, a ruled table, the fees, what happens next, a stamp box and a footer line
 * with "n / N". Roll: everything stacked in one column, rules dashed, the QR centred near the
 * end.
 */
#include "render/receipt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "limits.h"
#include "render/pdf.h"
#include "render/render.h"

#include "banned.h"

/* What differs between the two papers (millimetres, points). */
struct geom {
    enum jy_pdf_paper paper;
    bool roll;
    double margin;                /* left and right */
    double top;                   /* first line of a page */
    double bottom;                /* content ends this far above the page's bottom */
    double centre_pt, branch_pt;  /* header */
    double title_pt, title_en_pt; /* 受理回执 / APPLICATION RECEIPT */
    double module, bar_h;         /* Code 128 */
    double number_pt;             /* the display number under the Code 128 */
    double qr;                    /* QR side, quiet zone included */
    double label_w;               /* label column of the table */
    double amount_w;              /* amount column of the fee table */
    double label_pt, value_pt;    /* table text */
    double small_pt;              /* next steps, captions */
    double pad;                   /* cell padding */
    double line;                  /* table rules; 0 on the roll (dashed separators instead) */
};

static const struct geom geom_a5 = {
    .paper = JY_PDF_A5,
    .margin = 12,
    .top = 9,
    .bottom = 12,
    .centre_pt = 12.5,
    .branch_pt = 9.5,
    .title_pt = 18,
    .title_en_pt = 8,
    .module = 0.33,
    .bar_h = 11,
    .number_pt = 13,
    .qr = 28,
    .label_w = 24,
    .amount_w = 34,
    .label_pt = 8.5,
    .value_pt = 9.5,
    .small_pt = 7,
    .pad = 1.1,
    .line = 0.2,
};

static const struct geom geom_roll = {
    .paper = JY_PDF_ROLL_80MM,
    .roll = true,
    .margin = 4,
    .top = 4,
    .bottom = 0,
    .centre_pt = 10,
    .branch_pt = 8,
    .title_pt = 15,
    .title_en_pt = 7,
    .module = 0.25,
    .bar_h = 11,
    .number_pt = 11.5,
    .qr = 34,
    .label_w = 21,
    .amount_w = 20,
    .label_pt = 7.5,
    .value_pt = 8.5,
    .small_pt = 7,
    .pad = 0.9,
    .line = 0,
};

struct ctx {
    struct jy_pdf *pdf;
    const struct geom *g;
    const struct jy_receipt *r;
    double x, w; /* content column */
    double y;    /* next free line */
    struct jy_error *err;
};

/* ---- input ---- */

static enum jy_err check(const char *s, size_t max, bool multiline, const char *field,
                         struct jy_error *err)
{
    return jy_render_check_text(s, max, multiline, field, err);
}

static enum jy_err check_name(const struct jy_receipt_name *n, const char *field,
                              struct jy_error *err)
{
    char f[64];
    snprintf(f, sizeof(f), "%s.zh", field);
    enum jy_err rc = check(n->zh, JY_CATALOG_NAME_MAX_BYTES, false, f, err);
    if (rc == JY_OK && n->en) {
        snprintf(f, sizeof(f), "%s.en", field);
        rc = check(n->en, JY_CATALOG_NAME_MAX_BYTES, false, f, err);
    }
    return rc;
}

/* Check every field of `r` and add up its fees into `*ret_total`. */
static enum jy_err validate(const struct jy_receipt *r, int64_t *ret_total, struct jy_error *err)
{
    enum jy_err rc;
    if ((rc = check(r->centre_name, JY_RENDER_TEXT_MAX_BYTES, false, "centre_name", err)) ||
        (rc = check(r->branch_name, JY_RENDER_TEXT_MAX_BYTES, false, "branch_name", err)) ||
        (rc = check(r->number, JY_BARCODE_MAX_BYTES, false, "number", err)) ||
        (rc = check(r->display_number, JY_BARCODE_MAX_BYTES, false, "display_number", err)) ||
        (rc = check(r->qr_payload, JY_QR_MAX_BYTES, false, "qr_payload", err)) ||
        (rc = check(r->business_code, JY_CATALOG_CODE_MAX_BYTES, false, "business_code", err)) ||
        (rc = check_name(&r->business, "business", err)) ||
        (rc = check(r->applicant_name, JY_NAME_MAX_BYTES, false, "applicant_name", err)) ||
        (rc = check(r->clerk, JY_NAME_MAX_BYTES, false, "clerk", err)))
        return rc;
    if (r->next_steps &&
        (rc = check(r->next_steps, JY_RENDER_TEXT_MAX_BYTES, true, "next_steps", err)))
        return rc;
    double w;
    if ((rc = jy_pdf_code128_width(r->number, 0.25, &w, err))) {
        if (err)
            jy_strlcpy(err->field, "number", sizeof(err->field));
        return rc;
    }
    if (r->document_count > JY_CATALOG_MAX_DOCUMENTS || (r->document_count && !r->documents))
        return jy_error_set(err, JY_RANGE, "too_many", "documents",
                            "a receipt lists at most %d documents", JY_CATALOG_MAX_DOCUMENTS);
    for (size_t i = 0; i < r->document_count; i++) {
        char f[32];
        snprintf(f, sizeof(f), "documents[%zu]", i);
        if ((rc = check_name(&r->documents[i], f, err)))
            return rc;
    }
    if (r->fee_count > JY_CATALOG_MAX_FEES || (r->fee_count && !r->fees))
        return jy_error_set(err, JY_RANGE, "too_many", "fees", "a receipt lists at most %d fees",
                            JY_CATALOG_MAX_FEES);
    int64_t total = 0;
    for (size_t i = 0; i < r->fee_count; i++) {
        char f[48];
        snprintf(f, sizeof(f), "fees[%zu].name", i);
        if ((rc = check_name(&r->fees[i].name, f, err)))
            return rc;
        int64_t a = r->fees[i].amount_fen;
        if (a < 0 || a > JY_CATALOG_MAX_FEE_FEN) {
            snprintf(f, sizeof(f), "fees[%zu].amount_fen", i);
            return jy_error_set(err, JY_RANGE, "bad_amount", f, "a fee is 0 to %d fen",
                                JY_CATALOG_MAX_FEE_FEN);
        }
        total += a; /* at most JY_CATALOG_MAX_FEES × JY_CATALOG_MAX_FEE_FEN: no overflow */
    }
    if (r->expected_delivery.year != 0 && !jy_date_is_valid(r->expected_delivery))
        return jy_error_set(err, JY_INVALID, "bad_date", "expected_delivery",
                            "the expected delivery date is not a real date");
    *ret_total = total;
    return JY_OK;
}

/* ---- layout ---- */

static struct jy_pdf_style style(double pt, bool bold, enum jy_pdf_align align)
{
    return (struct jy_pdf_style){.size_pt = pt, .bold = bold, .align = align};
}

/* Make room for `h` mm: on A5 a new page (with a short running head) when the current one is
 * full; the roll only grows. */
static enum jy_err ensure(struct ctx *c, double h)
{
    if (c->g->roll || c->y + h <= jy_pdf_height(c->pdf) - c->g->bottom)
        return JY_OK;
    enum jy_err rc = jy_pdf_add_page(c->pdf, c->err);
    if (rc != JY_OK)
        return rc;
    c->y = c->g->top;
    char head[160];
    snprintf(head, sizeof(head), "受理回执 Application receipt  %s（续 continued）",
             c->r->display_number);
    struct jy_pdf_style st = style(8, false, JY_PDF_LEFT);
    st.grey = 0.35;
    double th;
    rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, head, &st, &th, c->err);
    c->y += th + 2;
    return rc;
}

/* A separator across the column: a rule on A5, a dashed line on the roll. */
static void rule(struct ctx *c, double gap_before, double gap_after)
{
    c->y += gap_before;
    if (c->g->roll)
        jy_pdf_line(c->pdf, c->x, c->y, c->x + c->w, c->y, 0.25, 0, 0.8);
    else
        jy_pdf_line(c->pdf, c->x, c->y, c->x + c->w, c->y, 0.35, 0, 0);
    c->y += gap_after;
}

/* One fact: a label in Chinese over its English, and a value. */
struct fact {
    const char *zh, *en;  /* the label */
    const char *value;    /* the value, wrapped */
    const char *value_en; /* a second line in smaller type under it, or NULL */
    bool mono;            /* the value is a number or a time */
    const char *field;    /* the input field of the value, for errors; may be NULL */
};

/* Append the label and value cells of `f`, the value `value_w` wide, to `cells`. */
static size_t fact_cells(const struct ctx *c, const struct fact *f, double value_w,
                         struct jy_pdf_cell *cells)
{
    const struct geom *g = c->g;
    cells[0] = (struct jy_pdf_cell){
        .text = f->zh,
        .subtext = f->en,
        .style = style(g->label_pt, true, JY_PDF_LEFT),
        .sub_size_pt = g->label_pt * 0.78,
        .width = g->label_w,
        .fill_grey = g->roll ? -1 : 0.93,
    };
    cells[1] = (struct jy_pdf_cell){
        .text = f->value,
        .subtext = f->value_en,
        .style = style(g->value_pt, false, JY_PDF_LEFT),
        .sub_size_pt = g->value_pt * 0.8,
        .width = value_w,
        .fill_grey = -1,
        .field = f->field,
    };
    cells[1].style.mono = f->mono;
    return 2;
}

/* A row of the table: fact `a` across the whole width, or `a` and `b` side by side (on the
 * roll, always one fact to a row). */
static enum jy_err fact_row(struct ctx *c, const struct fact *a, const struct fact *b)
{
    const struct geom *g = c->g;
    if (b && g->roll) {
        enum jy_err rc = fact_row(c, a, NULL);
        return rc != JY_OK ? rc : fact_row(c, b, NULL);
    }
    struct jy_pdf_cell cells[4];
    size_t n;
    if (b) {
        double half = c->w / 2;
        n = fact_cells(c, a, half - g->label_w, cells);
        n += fact_cells(c, b, c->w - half - g->label_w, cells + n);
    } else {
        n = fact_cells(c, a, c->w - g->label_w, cells);
    }
    double h;
    enum jy_err rc = jy_pdf_row_height(c->pdf, cells, n, g->pad, &h, c->err);
    if (rc == JY_OK)
        rc = ensure(c, h);
    if (rc == JY_OK)
        rc = jy_pdf_row(c->pdf, c->x, c->y, cells, n, g->pad, g->line, h, NULL, c->err);
    c->y += h;
    if (g->roll)
        jy_pdf_line(c->pdf, c->x, c->y, c->x + c->w, c->y, 0.15, 0.5, 0.5);
    return rc;
}

/* One row of the fee table: the name (Chinese over English) and the amount at the right. */
static enum jy_err fee_row(struct ctx *c, const char *zh, const char *en, const char *amount,
                           bool strong, const char *field)
{
    const struct geom *g = c->g;
    double fill = strong && !g->roll ? 0.93 : -1;
    struct jy_pdf_cell cells[2] = {
        {.text = zh,
         .subtext = en,
         .style = style(g->value_pt, strong, JY_PDF_LEFT),
         .sub_size_pt = g->value_pt * 0.8,
         .sub_inline = true,
         .width = c->w - g->amount_w,
         .fill_grey = fill,
         .field = field},
        {.text = amount,
         .style = style(strong ? g->value_pt + 1 : g->value_pt, strong, JY_PDF_RIGHT),
         .width = g->amount_w,
         .fill_grey = fill},
    };
    double h;
    enum jy_err rc = jy_pdf_row_height(c->pdf, cells, 2, g->pad, &h, c->err);
    if (rc == JY_OK)
        rc = ensure(c, h);
    if (rc == JY_OK)
        rc = jy_pdf_row(c->pdf, c->x, c->y, cells, 2, g->pad, g->line, h, NULL, c->err);
    c->y += h;
    return rc;
}

/* The header: centre and branch (and on A5 the QR at the right). */
static enum jy_err header(struct ctx *c)
{
    const struct geom *g = c->g;
    const struct jy_receipt *r = c->r;
    enum jy_pdf_align align = g->roll ? JY_PDF_CENTRE : JY_PDF_LEFT;
    double text_w = g->roll ? c->w : c->w - g->qr - 4;
    double h1, h2, h3;
    struct jy_pdf_style st = style(g->centre_pt, true, align);
    enum jy_err rc = jy_pdf_text(c->pdf, c->x, c->y, text_w, r->centre_name, &st, &h1, c->err);
    st = style(g->branch_pt, false, align);
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y + h1, text_w, r->branch_name, &st, &h2, c->err);
    st = style(g->small_pt, false, align);
    st.grey = 0.35;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y + h1 + h2 + 0.5, text_w,
                         "机动车和驾驶人业务邮政代办 · Vehicle and driving licence services", &st,
                         &h3, c->err);
    if (rc != JY_OK)
        return rc;
    double bottom = c->y + h1 + h2 + 0.5 + h3;
    if (!g->roll) {
        /* The QR at the top right, its caption under it. */
        double qx = c->x + c->w - g->qr, qy = c->y - 2;
        rc = jy_pdf_qr(c->pdf, qx, qy, g->qr, r->qr_payload, NULL, c->err);
        struct jy_pdf_style cap = style(6, false, JY_PDF_CENTRE);
        double ch1 = 0, ch2 = 0;
        if (rc == JY_OK)
            rc = jy_pdf_text(c->pdf, qx - 4, qy + g->qr - 1.5, g->qr + 8, "扫码查询进度 · 验证真伪",
                             &cap, &ch1, c->err);
        cap.grey = 0.35;
        cap.size_pt = 5.5;
        if (rc == JY_OK)
            rc = jy_pdf_text(c->pdf, qx - 4, qy + g->qr - 1.5 + ch1, g->qr + 8,
                             "Scan to track and verify", &cap, &ch2, c->err);
        if (qy + g->qr - 1.5 + ch1 + ch2 > bottom)
            bottom = qy + g->qr - 1.5 + ch1 + ch2;
    }
    c->y = bottom;
    return rc;
}

/* The title and the number as Code 128 and in large type. */
static enum jy_err title(struct ctx *c)
{
    const struct geom *g = c->g;
    double h;
    rule(c, 1.5, 2);
    struct jy_pdf_style st = style(g->title_pt, true, JY_PDF_CENTRE);
    enum jy_err rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, "受理回执", &st, &h, c->err);
    c->y += h;
    st = style(g->title_en_pt, false, JY_PDF_CENTRE);
    st.grey = 0.3;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y - 0.5, c->w, "APPLICATION RECEIPT", &st, &h, c->err);
    c->y += h + 2;
    double bw;
    if (rc == JY_OK)
        rc = jy_pdf_code128_width(c->r->number, g->module, &bw, c->err);
    if (rc == JY_OK)
        rc = jy_pdf_code128(c->pdf, c->x + (c->w - bw) / 2, c->y, g->module, g->bar_h, c->r->number,
                            NULL, c->err);
    c->y += g->bar_h + 0.8;
    st = style(g->number_pt, true, JY_PDF_CENTRE);
    st.mono = true;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, c->r->display_number, &st, &h, c->err);
    c->y += h + (g->roll ? 1.5 : 2.5);
    return rc;
}

/* The table of the application's facts. */
static enum jy_err facts(struct ctx *c)
{
    const struct jy_receipt *r = c->r;
    char masked[JY_RENDER_MASKED_NAME_SIZE];
    jy_render_mask_name(r->applicant_name, masked);
    char when[JY_RENDER_TIME_SIZE];
    jy_render_format_time(r->accepted_at, when);
    char business[JY_CATALOG_NAME_MAX_BYTES + JY_CATALOG_CODE_MAX_BYTES + 8];
    snprintf(business, sizeof(business), "%s（%s）", r->business.zh, r->business_code);
    char due[JY_DATE_TEXT_SIZE + 4] = "—";
    if (r->expected_delivery.year != 0)
        jy_date_format(r->expected_delivery, due);

    /* Documents: one per line, numbered, Chinese then English. */
    char *docs = NULL;
    if (r->document_count > 0) {
        size_t cap = r->document_count * (2 * JY_CATALOG_NAME_MAX_BYTES + 16) + 1;
        docs = malloc(cap);
        if (!docs)
            return jy_error_set(c->err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        size_t len = 0;
        docs[0] = '\0';
        for (size_t i = 0; i < r->document_count; i++) {
            const struct jy_receipt_name *d = &r->documents[i];
            int n = snprintf(docs + len, cap - len, "%s%zu. %s%s%s", i ? "\n" : "", i + 1, d->zh,
                             d->en ? "  " : "", d->en ? d->en : "");
            if (n > 0)
                len += (size_t)n < cap - len ? (size_t)n : cap - len - 1;
        }
    }
    const struct fact number = {"受理编号", "Application No.", r->display_number, NULL,
                                true,       "display_number"};
    const struct fact accepted = {"受理时间", "Accepted at", when, NULL, true, NULL};
    const struct fact applicant = {"申请人", "Applicant", masked, NULL, false, "applicant_name"};
    const struct fact delivery = {"预计办结寄出", "Expected dispatch", due, NULL, true, NULL};
    const struct fact business_f = {"业务类型",     "Business", business,
                                    r->business.en, false,      "business"};
    const struct fact branch = {"受理网点", "Branch", r->branch_name, NULL, false, "branch_name"};
    const struct fact clerk = {"经办人", "Clerk", r->clerk, NULL, false, "clerk"};
    const struct fact documents = {"已收材料", "Documents received", docs ? docs : "—", NULL,
                                   false,      "documents"};
    enum jy_err rc;
    if (c->g->roll)
        rule(c, 0, 0);
    if ((rc = fact_row(c, &number, &accepted)) || (rc = fact_row(c, &applicant, &delivery)) ||
        (rc = fact_row(c, &business_f, NULL)) || (rc = fact_row(c, &branch, &clerk)))
        goto out;
    rc = fact_row(c, &documents, NULL);
out:
    free(docs);
    return rc;
}

/* A5: the branch's stamp box, `w` × `h` at (`x`, `y`), dashed. */
static enum jy_err stamp_box(struct ctx *c, double x, double y, double w, double h)
{
    jy_pdf_line(c->pdf, x, y, x + w, y, 0.2, 0.45, 1);
    jy_pdf_line(c->pdf, x, y + h, x + w, y + h, 0.2, 0.45, 1);
    jy_pdf_line(c->pdf, x, y, x, y + h, 0.2, 0.45, 1);
    jy_pdf_line(c->pdf, x + w, y, x + w, y + h, 0.2, 0.45, 1);
    struct jy_pdf_style st = style(7, false, JY_PDF_CENTRE);
    st.grey = 0.45;
    double th;
    enum jy_err rc = jy_pdf_text(c->pdf, x, y + 1.5, w, "受理网点（盖章）", &st, &th, c->err);
    st.size_pt = 6;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, x, y + 1.5 + th, w, "Branch stamp", &st, NULL, c->err);
    return rc;
}

/* The fee table across the column: a header, one row per fee, the total. */
static enum jy_err fee_table(struct ctx *c, int64_t total)
{
    const struct jy_receipt *r = c->r;
    enum jy_err rc;
    struct jy_pdf_cell head[2] = {
        {.text = "收费项目",
         .subtext = "Fees paid",
         .sub_inline = true,
         .style = style(c->g->label_pt, true, JY_PDF_LEFT),
         .width = c->w - c->g->amount_w,
         .fill_grey = c->g->roll ? -1 : 0.85},
        {.text = "金额",
         .subtext = "Amount",
         .sub_inline = true,
         .style = style(c->g->label_pt, true, JY_PDF_RIGHT),
         .width = c->g->amount_w,
         .fill_grey = c->g->roll ? -1 : 0.85},
    };
    double h;
    if ((rc = jy_pdf_row_height(c->pdf, head, 2, c->g->pad, &h, c->err)) || (rc = ensure(c, h)) ||
        (rc = jy_pdf_row(c->pdf, c->x, c->y, head, 2, c->g->pad, c->g->line, h, NULL, c->err)))
        return rc;
    c->y += h;
    if (c->g->roll)
        rule(c, 0, 0);
    for (size_t i = 0; i < r->fee_count; i++) {
        char amount[JY_MONEY_TEXT_SIZE], field[32];
        jy_money_format(r->fees[i].amount_fen, amount);
        snprintf(field, sizeof(field), "fees[%zu].name", i);
        if ((rc = fee_row(c, r->fees[i].name.zh, r->fees[i].name.en, amount, false, field)))
            return rc;
    }
    if (r->fee_count == 0 && (rc = fee_row(c, "无", "None", "¥0.00", false, NULL)))
        return rc;
    if (c->g->roll)
        rule(c, 0, 0);
    char amount[JY_MONEY_TEXT_SIZE];
    jy_money_format(total, amount);
    return fee_row(c, "合计（已收）", "Total paid", amount, true, NULL);
}

/* The fees; on A5 the branch's stamp box stands at the right of the table. */
static enum jy_err fees(struct ctx *c, int64_t total)
{
    c->y += c->g->roll ? 2 : 2.5;
    if (c->g->roll)
        return fee_table(c, total);
    double stamp_w = 36, stamp_h = 26, rows_h = (double)(c->r->fee_count + 2) * 8;
    /* Keep the table and the box together on one page. */
    enum jy_err rc = ensure(c, rows_h > stamp_h ? rows_h : stamp_h);
    if (rc != JY_OK)
        return rc;
    double top = c->y, full = c->w;
    if ((rc = stamp_box(c, c->x + full - stamp_w, top, stamp_w, stamp_h)))
        return rc;
    c->w = full - stamp_w - 5;
    rc = fee_table(c, total);
    c->w = full;
    if (c->y < top + stamp_h)
        c->y = top + stamp_h;
    return rc;
}

/* The roll: what happens next, across the column. */
static enum jy_err next_steps(struct ctx *c)
{
    const struct geom *g = c->g;
    if (!c->r->next_steps || !g->roll)
        return JY_OK;
    c->y += 2.5;
    struct jy_pdf_style hs = style(g->label_pt, true, JY_PDF_LEFT);
    struct jy_pdf_style bs = style(g->small_pt + 0.5, false, JY_PDF_LEFT);
    double h;
    enum jy_err rc =
        jy_pdf_text(c->pdf, c->x, c->y, c->w, "办理须知 What happens next", &hs, &h, c->err);
    c->y += h + 0.5;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, c->r->next_steps, &bs, &h, c->err);
    if (rc != JY_OK && c->err)
        jy_strlcpy(c->err->field, "next_steps", sizeof(c->err->field));
    c->y += h;
    return rc;
}

/* The roll: the QR, centred, with its caption. */
static enum jy_err closing_roll(struct ctx *c)
{
    const struct geom *g = c->g;
    rule(c, 2.5, 1.5);
    enum jy_err rc =
        jy_pdf_qr(c->pdf, c->x + (c->w - g->qr) / 2, c->y, g->qr, c->r->qr_payload, NULL, c->err);
    c->y += g->qr;
    struct jy_pdf_style cap = style(g->small_pt, false, JY_PDF_CENTRE);
    double h = 0;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, "扫码查询进度 · 验证真伪", &cap, &h, c->err);
    c->y += h;
    cap.grey = 0.35;
    cap.size_pt = g->small_pt - 0.5;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, "Scan to track and verify this receipt", &cap,
                         &h, c->err);
    c->y += h;
    rule(c, 2.5, 1.5);
    struct jy_pdf_style st = style(6.5, false, JY_PDF_CENTRE);
    st.grey = 0.3;
    if (rc == JY_OK)
        rc = jy_pdf_text(
            c->pdf, c->x, c->y, c->w,
            "凭本回执查询进度、领取证件，请妥善保管\nKeep this receipt: it is your proof "
            "of application",
            &st, &h, c->err);
    c->y += h;
    return rc;
}

/* A5: what happens next, across the column. */
static enum jy_err closing_a5(struct ctx *c)
{
    const struct geom *g = c->g;
    const char *steps = c->r->next_steps;
    if (!steps)
        return JY_OK;
    struct jy_pdf_style hs = style(g->label_pt, true, JY_PDF_LEFT);
    struct jy_pdf_style bs = style(g->small_pt + 0.5, false, JY_PDF_LEFT);
    bs.grey = 0.1;
    double h1 = 0, h2 = 0;
    enum jy_err rc;
    if ((rc = jy_pdf_text_measure(c->pdf, c->w, "办理须知 What happens next", &hs, NULL, &h1,
                                  c->err)) ||
        (rc = jy_pdf_text_measure(c->pdf, c->w, steps, &bs, NULL, &h2, c->err)))
        goto out;
    c->y += 3;
    if ((rc = ensure(c, h1 + 1 + h2)))
        goto out;
    if ((rc =
             jy_pdf_text(c->pdf, c->x, c->y, c->w, "办理须知 What happens next", &hs, &h1, c->err)))
        goto out;
    c->y += h1 + 1;
    rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, steps, &bs, &h2, c->err);
    c->y += h2;
out:
    if (rc != JY_OK && c->err && !c->err->field[0])
        jy_strlcpy(c->err->field, "next_steps", sizeof(c->err->field));
    return rc;
}

enum jy_err jy_render_receipt(const struct jy_receipt *r, enum jy_receipt_format format,
                              unsigned char **ret, size_t *ret_len, struct jy_error *err)
{
    if (!r || !ret || !ret_len)
        return jy_error_set(err, JY_INVALID, "missing", NULL, "no receipt to render");
    const struct geom *g;
    if (format == JY_RECEIPT_A5)
        g = &geom_a5;
    else if (format == JY_RECEIPT_ROLL_80MM)
        g = &geom_roll;
    else
        return jy_error_set(err, JY_INVALID, "bad_format", "format", "unknown receipt format");
    int64_t total = 0;
    enum jy_err rc = validate(r, &total, err);
    if (rc != JY_OK)
        return rc;

    char title_text[JY_BARCODE_MAX_BYTES + 64];
    snprintf(title_text, sizeof(title_text), "受理回执 %s", r->display_number);
    struct jy_pdf *pdf = NULL;
    rc = jy_pdf_new(g->paper, title_text, &pdf, err);
    if (rc != JY_OK)
        return rc;
    struct ctx c = {
        .pdf = pdf,
        .g = g,
        .r = r,
        .x = g->margin,
        .w = jy_pdf_width(pdf) - 2 * g->margin,
        .y = g->top,
        .err = err,
    };
    if ((rc = header(&c)) || (rc = title(&c)) || (rc = facts(&c)) || (rc = fees(&c, total)))
        goto out;
    if (g->roll) {
        if ((rc = next_steps(&c)) || (rc = closing_roll(&c)))
            goto out;
    } else {
        if ((rc = closing_a5(&c)))
            goto out;
        char footer[JY_BARCODE_MAX_BYTES + 96];
        snprintf(footer, sizeof(footer), "受理回执 %s · 请妥善保管 Please keep this receipt",
                 r->display_number);
        if ((rc = jy_pdf_set_footer(pdf, g->margin, 7, footer, true, err)))
            goto out;
    }
    rc = jy_pdf_finish(pdf, 6, ret, ret_len, err);
out:
    jy_pdf_free(pdf);
    return rc;
}
