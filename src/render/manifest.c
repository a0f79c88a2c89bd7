/*
 * manifest.c — the hand-over manifest (交接清单) on A4.
 *
 * Page 1 carries the title, the reference as Code 128 and a table of the manifest's facts; every
 * later page a one-line running head. The item table's header row is repeated at the top of
 * each page. After the items: the total and the counts by business type, then the two signature
 * boxes, kept together on one page.
 */
#include "render/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "render/pdf.h"
#include "render/render.h"

#include "banned.h"

#define MARGIN 15.0
#define TOP 14.0
#define BOTTOM 16.0 /* content ends this far above the bottom edge; the footer is below */
#define PAD 1.5
#define BAR_MODULE 0.28 /* mm; narrowed for a long number down to BAR_MODULE_MIN */
#define BAR_MODULE_MIN 0.19
#define BAR_H 8.0

/* Columns of the item table (mm, 180 in all). */
static const double col_w[5] = {12, 62, 46, 36, 24};

struct ctx {
    struct jy_pdf *pdf;
    const struct jy_manifest *m;
    double x, w, y;
    bool in_items; /* a page break repeats the item table's header */
    struct jy_error *err;
};

static struct jy_pdf_style style(double pt, bool bold, enum jy_pdf_align align)
{
    return (struct jy_pdf_style){.size_pt = pt, .bold = bold, .align = align};
}

static const char *kind_zh(enum jy_manifest_kind k)
{
    return k == JY_MANIFEST_BRANCH_BAG ? "网点邮袋" : "出口批次";
}

static const char *kind_en(enum jy_manifest_kind k)
{
    return k == JY_MANIFEST_BRANCH_BAG ? "Branch bag" : "Outbound batch";
}

static enum jy_err validate(const struct jy_manifest *m, struct jy_error *err)
{
    enum jy_err rc;
    if (m->kind != JY_MANIFEST_BRANCH_BAG && m->kind != JY_MANIFEST_OUTBOUND_BATCH)
        return jy_error_set(err, JY_INVALID, "bad_kind", "kind", "unknown manifest kind");
    if ((rc = jy_render_check_text(m->from, JY_RENDER_TEXT_MAX_BYTES, false, "from", err)) ||
        (rc = jy_render_check_text(m->to, JY_RENDER_TEXT_MAX_BYTES, false, "to", err)) ||
        (rc = jy_render_check_text(m->reference, JY_BARCODE_MAX_BYTES, false, "reference", err)))
        return rc;
    if (m->prepared_by &&
        (rc = jy_render_check_text(m->prepared_by, JY_NAME_MAX_BYTES, false, "prepared_by", err)))
        return rc;
    double w;
    if ((rc = jy_pdf_code128_width(m->reference, 0.3, &w, err))) {
        if (err)
            jy_strlcpy(err->field, "reference", sizeof(err->field));
        return rc;
    }
    if (m->item_count > JY_MANIFEST_MAX_ITEMS || (m->item_count && !m->items))
        return jy_error_set(err, JY_RANGE, "too_many", "items", "a manifest has at most %d items",
                            JY_MANIFEST_MAX_ITEMS);
    for (size_t i = 0; i < m->item_count; i++) {
        const struct jy_manifest_item *it = &m->items[i];
        char f[48];
#define CHECK(member, max, optional)                                                               \
    do {                                                                                           \
        snprintf(f, sizeof(f), "items[%zu]." #member, i);                                          \
        if ((!(optional) || it->member) &&                                                         \
            (rc = jy_render_check_text(it->member, max, false, f, err)))                           \
            return rc;                                                                             \
    } while (0)
        CHECK(barcode, JY_BARCODE_MAX_BYTES, false);
        CHECK(number, JY_BARCODE_MAX_BYTES, false);
        CHECK(reference, JY_BARCODE_MAX_BYTES, true);
        CHECK(business_name, JY_CATALOG_NAME_MAX_BYTES, false);
        CHECK(note, JY_NOTE_MAX_BYTES, true);
#undef CHECK
        snprintf(f, sizeof(f), "items[%zu].barcode", i);
        if ((rc = jy_pdf_code128_width(it->barcode, BAR_MODULE, &w, err))) {
            if (err)
                jy_strlcpy(err->field, f, sizeof(err->field));
            return rc;
        }
        if (w * BAR_MODULE_MIN / BAR_MODULE > col_w[1] - 2)
            return jy_error_set(err, JY_RANGE, "barcode_too_long", f,
                                "the item's barcode does not fit the table");
    }
    return JY_OK;
}

/* The item table's header row. */
static enum jy_err table_head(struct ctx *c)
{
    static const char *zh[5] = {"序号", "条码", "编号", "业务类型", "备注"};
    static const char *en[5] = {"No.", "Barcode", "Number", "Business", "Note"};
    struct jy_pdf_cell cells[5];
    for (int i = 0; i < 5; i++)
        cells[i] = (struct jy_pdf_cell){.text = zh[i],
                                        .subtext = en[i],
                                        .style = style(8, true, JY_PDF_LEFT),
                                        .sub_size_pt = 6.5,
                                        .width = col_w[i],
                                        .fill_grey = 0.85};
    double h;
    enum jy_err rc = jy_pdf_row(c->pdf, c->x, c->y, cells, 5, PAD, 0.25, 0, &h, c->err);
    c->y += h;
    return rc;
}

/* A new page: the running head, and the item table's header when inside the table. */
static enum jy_err new_page(struct ctx *c)
{
    enum jy_err rc = jy_pdf_add_page(c->pdf, c->err);
    if (rc != JY_OK)
        return rc;
    c->y = TOP;
    char head[JY_BARCODE_MAX_BYTES + 128];
    snprintf(head, sizeof(head), "交接清单 Hand-over manifest · %s %s · %s（续 continued）",
             kind_zh(c->m->kind), kind_en(c->m->kind), c->m->reference);
    struct jy_pdf_style st = style(8.5, true, JY_PDF_LEFT);
    double h;
    if ((rc = jy_pdf_text(c->pdf, c->x, c->y, c->w, head, &st, &h, c->err)))
        return rc;
    c->y += h + 3;
    return c->in_items ? table_head(c) : JY_OK;
}

static enum jy_err ensure(struct ctx *c, double h)
{
    if (c->y + h <= jy_pdf_height(c->pdf) - BOTTOM)
        return JY_OK;
    return new_page(c);
}

/* Page 1: title, reference as Code 128, the facts. */
static enum jy_err first_page(struct ctx *c)
{
    const struct jy_manifest *m = c->m;
    struct jy_pdf_style st = style(22, true, JY_PDF_LEFT);
    double h1, h2;
    enum jy_err rc = jy_pdf_text(c->pdf, c->x, c->y, 0, "交接清单", &st, &h1, c->err);
    st = style(9, false, JY_PDF_LEFT);
    st.grey = 0.3;
    if (rc == JY_OK)
        rc = jy_pdf_text(c->pdf, c->x, c->y + h1, 0, "HAND-OVER MANIFEST", &st, &h2, c->err);
    if (rc != JY_OK)
        return rc;
    double bw;
    if ((rc = jy_pdf_code128_width(m->reference, 0.3, &bw, c->err)) ||
        (rc = jy_pdf_code128(c->pdf, c->x + c->w - bw, c->y + 1, 0.3, 11, m->reference, NULL,
                             c->err)))
        return rc;
    st = style(9, true, JY_PDF_CENTRE);
    st.mono = true;
    if ((rc = jy_pdf_text(c->pdf, c->x + c->w - bw, c->y + 12.5, bw, m->reference, &st, NULL,
                          c->err)))
        return rc;
    c->y += (h1 + h2 > 19 ? h1 + h2 : 19) + 3;

    char when[JY_RENDER_TIME_SIZE], count[32];
    jy_render_format_time(m->closed_at, when);
    snprintf(count, sizeof(count), "%zu 件 items", m->item_count);
    const char *ref_zh = m->kind == JY_MANIFEST_BRANCH_BAG ? "封号" : "批次号";
    const char *ref_en = m->kind == JY_MANIFEST_BRANCH_BAG ? "Seal No." : "Batch No.";
    char kind[64];
    snprintf(kind, sizeof(kind), "%s %s", kind_zh(m->kind), kind_en(m->kind));
    const char *rows[4][4] = {
        {"类型", kind, ref_zh, m->reference},
        {"交出", m->from, "接收", m->to},
        {"封发时间", when, "制单人", m->prepared_by ? m->prepared_by : "—"},
        {"件数", count, "", ""},
    };
    const char *rows_en[4][2] = {
        {"Kind", ref_en}, {"From", "To"}, {"Closed at", "Prepared by"}, {"Items", NULL}};
    for (int r = 0; r < 4; r++) {
        struct jy_pdf_cell cells[4];
        for (int k = 0; k < 2; k++) {
            cells[2 * k] = (struct jy_pdf_cell){.text = rows[r][2 * k],
                                                .subtext = rows_en[r][k],
                                                .style = style(8.5, true, JY_PDF_LEFT),
                                                .sub_size_pt = 6.5,
                                                .width = 24,
                                                .fill_grey = 0.93};
            cells[2 * k + 1] = (struct jy_pdf_cell){.text = rows[r][2 * k + 1],
                                                    .style = style(10, false, JY_PDF_LEFT),
                                                    .width = c->w / 2 - 24,
                                                    .fill_grey = -1};
        }
        size_t n = 4;
        if (!rows_en[r][1]) { /* a fact alone on its row spans it */
            cells[1].width = c->w - 24;
            n = 2;
        }
        double h;
        if ((rc = jy_pdf_row(c->pdf, c->x, c->y, cells, n, PAD, 0.25, 0, &h, c->err)))
            return rc;
        c->y += h;
    }
    c->y += 5;
    return JY_OK;
}

/* One item row; index is 1-based. */
static enum jy_err item_row(struct ctx *c, size_t index, const struct jy_manifest_item *it)
{
    char idx[24], field[48];
    snprintf(idx, sizeof(idx), "%zu", index);
    snprintf(field, sizeof(field), "items[%zu]", index - 1);
    struct jy_pdf_style mono = style(9, true, JY_PDF_LEFT);
    mono.mono = true;
    struct jy_pdf_cell cells[5] = {
        {.text = idx, .style = style(9, false, JY_PDF_RIGHT), .width = col_w[0], .fill_grey = -1},
        {.text = NULL, .width = col_w[1], .fill_grey = -1},
        {.text = it->number,
         .subtext = it->reference,
         .style = mono,
         .sub_size_pt = 7.5,
         .width = col_w[2],
         .fill_grey = -1,
         .field = field},
        {.text = it->business_name,
         .style = style(8.5, false, JY_PDF_LEFT),
         .width = col_w[3],
         .fill_grey = -1,
         .field = field},
        {.text = it->note,
         .style = style(7.5, false, JY_PDF_LEFT),
         .width = col_w[4],
         .fill_grey = -1,
         .field = field},
    };
    double h;
    enum jy_err rc = jy_pdf_row_height(c->pdf, cells, 5, PAD, &h, c->err);
    if (rc != JY_OK)
        return rc;
    if (h < BAR_H + 2 * PAD + 1)
        h = BAR_H + 2 * PAD + 1;
    if ((rc = ensure(c, h)) ||
        (rc = jy_pdf_row(c->pdf, c->x, c->y, cells, 5, PAD, 0.2, h, NULL, c->err)))
        return rc;
    /* The barcode, centred in its cell, narrowed when the number is long. */
    double bw, module = BAR_MODULE;
    if ((rc = jy_pdf_code128_width(it->barcode, module, &bw, c->err)))
        return rc;
    if (bw > col_w[1] - 1) {
        module = BAR_MODULE * (col_w[1] - 1) / bw;
        bw = col_w[1] - 1;
    }
    rc = jy_pdf_code128(c->pdf, c->x + col_w[0] + (col_w[1] - bw) / 2, c->y + (h - BAR_H) / 2,
                        module, BAR_H, it->barcode, NULL, c->err);
    c->y += h;
    return rc;
}

/* Counts by business type, in order of first appearance. */
struct count {
    const char *name;
    size_t n;
};

static enum jy_err summary(struct ctx *c)
{
    const struct jy_manifest *m = c->m;
    struct count *counts = NULL;
    size_t nc = 0;
    enum jy_err rc = JY_OK;
    if (m->item_count) {
        counts = calloc(m->item_count, sizeof(*counts));
        if (!counts)
            return jy_error_set(c->err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    }
    for (size_t i = 0; i < m->item_count; i++) {
        size_t k = 0;
        while (k < nc && strcmp(counts[k].name, m->items[i].business_name) != 0)
            k++;
        if (k == nc)
            counts[nc++].name = m->items[i].business_name;
        counts[k].n++;
    }
    /* Keep the counts and the signature boxes together when they fit on one page. */
    double need = 5 + (double)(nc + 2) * 7 + 8 + 32;
    if (need < jy_pdf_height(c->pdf) - TOP - BOTTOM - 20 && (rc = ensure(c, need)))
        goto out;
    c->y += 5;
    struct jy_pdf_cell head[2] = {
        {.text = "业务类型",
         .subtext = "Business",
         .sub_inline = true,
         .style = style(8.5, true, JY_PDF_LEFT),
         .width = 80,
         .fill_grey = 0.85},
        {.text = "件数",
         .subtext = "Items",
         .sub_inline = true,
         .style = style(8.5, true, JY_PDF_RIGHT),
         .width = 30,
         .fill_grey = 0.85},
    };
    double h;
    if ((rc = jy_pdf_row_height(c->pdf, head, 2, PAD, &h, c->err)) || (rc = ensure(c, 3 * h)) ||
        (rc = jy_pdf_row(c->pdf, c->x, c->y, head, 2, PAD, 0.25, h, NULL, c->err)))
        goto out;
    c->y += h;
    for (size_t k = 0; k <= nc; k++) {
        char n[32];
        bool total = k == nc;
        snprintf(n, sizeof(n), "%zu", total ? m->item_count : counts[k].n);
        struct jy_pdf_cell cells[2] = {
            {.text = total ? "合计" : counts[k].name,
             .subtext = total ? "Total" : NULL,
             .sub_inline = true,
             .style = style(9, total, JY_PDF_LEFT),
             .width = 80,
             .fill_grey = total ? 0.93 : -1},
            {.text = n,
             .style = style(9, total, JY_PDF_RIGHT),
             .width = 30,
             .fill_grey = total ? 0.93 : -1},
        };
        if ((rc = jy_pdf_row_height(c->pdf, cells, 2, PAD, &h, c->err)) || (rc = ensure(c, h)) ||
            (rc = jy_pdf_row(c->pdf, c->x, c->y, cells, 2, PAD, 0.25, h, NULL, c->err)))
            goto out;
        c->y += h;
    }
out:
    free(counts);
    return rc;
}

/* The two signature boxes, side by side. */
static enum jy_err signatures(struct ctx *c)
{
    const double bh = 32, gap = 8, bw = (c->w - gap) / 2;
    c->y += 8;
    enum jy_err rc = ensure(c, bh);
    if (rc != JY_OK)
        return rc;
    static const char *zh[2] = {"交出人（签名）", "接收人（签名）"};
    static const char *en[2] = {"Handed over by (signature)", "Received by (signature)"};
    for (int k = 0; k < 2; k++) {
        double bx = c->x + k * (bw + gap), h;
        jy_pdf_box(c->pdf, bx, c->y, bw, bh, 0.3, -1);
        struct jy_pdf_style st = style(9.5, true, JY_PDF_LEFT);
        if ((rc = jy_pdf_text(c->pdf, bx + 3, c->y + 2.5, bw - 6, zh[k], &st, &h, c->err)))
            return rc;
        st = style(7, false, JY_PDF_LEFT);
        st.grey = 0.35;
        if ((rc = jy_pdf_text(c->pdf, bx + 3, c->y + 2.5 + h, bw - 6, en[k], &st, NULL, c->err)))
            return rc;
        jy_pdf_line(c->pdf, bx + 3, c->y + 19, bx + bw - 3, c->y + 19, 0.2, 0.5, 0);
        st = style(8.5, false, JY_PDF_LEFT);
        if ((rc = jy_pdf_text(c->pdf, bx + 3, c->y + 22.5, bw - 6,
                              "时间 Time：        年     月     日     时     分", &st, NULL,
                              c->err)))
            return rc;
    }
    c->y += bh;
    return JY_OK;
}

enum jy_err jy_render_manifest(const struct jy_manifest *m, unsigned char **ret, size_t *ret_len,
                               struct jy_error *err)
{
    if (!m || !ret || !ret_len)
        return jy_error_set(err, JY_INVALID, "missing", NULL, "no manifest to render");
    enum jy_err rc = validate(m, err);
    if (rc != JY_OK)
        return rc;
    char title[JY_BARCODE_MAX_BYTES + 32];
    snprintf(title, sizeof(title), "交接清单 %s", m->reference);
    struct jy_pdf *pdf = NULL;
    if ((rc = jy_pdf_new(JY_PDF_A4, title, &pdf, err)))
        return rc;
    struct ctx c = {.pdf = pdf, .m = m, .x = MARGIN, .w = 210 - 2 * MARGIN, .y = TOP, .err = err};
    if ((rc = first_page(&c)) || (rc = ensure(&c, 30)) || (rc = table_head(&c)))
        goto out;
    c.in_items = true;
    for (size_t i = 0; i < m->item_count; i++)
        if ((rc = item_row(&c, i + 1, &m->items[i])))
            goto out;
    c.in_items = false;
    if ((rc = summary(&c)) || (rc = signatures(&c)))
        goto out;
    char footer[JY_BARCODE_MAX_BYTES + 128];
    snprintf(footer, sizeof(footer), "交接清单 %s %s · %s", kind_zh(m->kind), kind_en(m->kind),
             m->reference);
    if ((rc = jy_pdf_set_footer(pdf, MARGIN, 8, footer, true, err)))
        goto out;
    rc = jy_pdf_finish(pdf, 0, ret, ret_len, err);
out:
    jy_pdf_free(pdf);
    return rc;
}
