/*
 * pdf.c — pages recorded with cairo, text laid out by pango in Noto Sans CJK SC, barcodes from
 * zint's vector output, and the PDF written into memory at the end.
 */
#include "render/pdf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <zint.h>

#include "limits.h"
#include "render/render.h"

#include "banned.h"

/* Points per millimetre: cairo's PDF surface measures in points (1/72 inch). */
#define PT_PER_MM (72.0 / 25.4)

/* Quiet zones: 10 modules beside a Code 128 symbol (ISO/IEC 15417), 4 around a QR symbol
 * (ISO/IEC 18004). */
#define CODE128_QUIET_MODULES 10
#define QR_QUIET_MODULES 4

/* The footer's text size. */
#define FOOTER_PT 7.5

struct page {
    cairo_surface_t *rec; /* the recorded drawing, in points */
    cairo_t *cr;          /* drawing on `rec`, user space in millimetres */
    double bottom;        /* lowest y drawn, millimetres */
};

struct jy_pdf {
    enum jy_pdf_paper paper;
    double width, height; /* millimetres; the roll's height is the most it may use */
    char *title;
    struct page *pages;
    size_t page_count, page_cap;
    PangoContext *pango; /* text layout: 1 "pixel" = 1 mm, no hinting */
    char *footer;        /* NULL: no footer text */
    bool footer_numbers;
    double footer_margin, footer_bottom;
    bool finished;
    enum jy_err status; /* the first failure, JY_OK while none */
    struct jy_error status_err;
};

/* Remember the first failure and hand it to the caller's `err`. */
static enum jy_err fail(struct jy_pdf *pdf, enum jy_err rc, const struct jy_error *e,
                        struct jy_error *err)
{
    if (pdf && pdf->status == JY_OK) {
        pdf->status = rc;
        pdf->status_err = *e;
    }
    if (err)
        *err = *e;
    return rc;
}

/* The stored failure, or JY_OK. */
static enum jy_err sticky(const struct jy_pdf *pdf, struct jy_error *err)
{
    if (pdf->status != JY_OK && err)
        *err = pdf->status_err;
    return pdf->status;
}

static struct page *current(struct jy_pdf *pdf)
{
    return &pdf->pages[pdf->page_count - 1];
}

static void note_bottom(struct jy_pdf *pdf, double y)
{
    struct page *p = current(pdf);
    if (y > p->bottom)
        p->bottom = y;
}

/* ---- documents and pages ---- */

static enum jy_err page_open(struct jy_pdf *pdf, struct jy_error *err)
{
    struct jy_error e;
    if (pdf->page_count >= JY_PDF_MAX_PAGES) {
        jy_error_set(&e, JY_RANGE, "too_many_pages", NULL, "a document has at most %d pages",
                     JY_PDF_MAX_PAGES);
        return fail(pdf, JY_RANGE, &e, err);
    }
    if (pdf->page_count == pdf->page_cap) {
        size_t cap = pdf->page_cap ? pdf->page_cap * 2 : 4;
        struct page *pages = realloc(pdf->pages, cap * sizeof(*pages));
        if (!pages) {
            jy_error_set(&e, JY_NOMEM, "out_of_memory", NULL, "out of memory");
            return fail(pdf, JY_NOMEM, &e, err);
        }
        pdf->pages = pages;
        pdf->page_cap = cap;
    }
    cairo_rectangle_t extents = {0, 0, pdf->width * PT_PER_MM, pdf->height * PT_PER_MM};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
    cairo_t *cr = cairo_create(rec);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        jy_error_set(&e, JY_INTERNAL, "cairo", NULL, "cairo: %s",
                     cairo_status_to_string(cairo_status(cr)));
        cairo_destroy(cr);
        cairo_surface_destroy(rec);
        return fail(pdf, JY_INTERNAL, &e, err);
    }
    cairo_scale(cr, PT_PER_MM, PT_PER_MM);
    pango_cairo_update_context(cr, pdf->pango);
    pdf->pages[pdf->page_count++] = (struct page){rec, cr, 0};
    return JY_OK;
}

enum jy_err jy_pdf_new(enum jy_pdf_paper paper, const char *title, struct jy_pdf **ret,
                       struct jy_error *err)
{
    double w, h;
    switch (paper) {
    case JY_PDF_A4:
        w = 210, h = 297;
        break;
    case JY_PDF_A5:
        w = 148, h = 210;
        break;
    case JY_PDF_LABEL_100X150:
        w = 100, h = 150;
        break;
    case JY_PDF_ROLL_80MM:
        w = 80, h = JY_PDF_ROLL_MAX_HEIGHT_MM;
        break;
    default:
        return jy_error_set(err, JY_INVALID, "bad_paper", NULL, "unknown paper size");
    }
    enum jy_err rc = JY_OK;
    cairo_font_options_t *opts = NULL;
    struct jy_pdf *pdf = calloc(1, sizeof(*pdf));
    if (!pdf) {
        rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        goto out;
    }
    pdf->paper = paper;
    pdf->width = w;
    pdf->height = h;
    if (title) {
        rc = jy_render_check_text(title, JY_RENDER_TEXT_MAX_BYTES, false, "title", err);
        if (rc != JY_OK)
            goto out;
        pdf->title = strdup(title);
        if (!pdf->title) {
            rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
            goto out;
        }
    }
    pdf->pango = pango_font_map_create_context(pango_cairo_font_map_get_default());
    opts = cairo_font_options_create();
    if (!pdf->pango || cairo_font_options_status(opts) != CAIRO_STATUS_SUCCESS) {
        rc = jy_error_set(err, JY_INTERNAL, "cairo", NULL, "cannot set up text layout");
        goto out;
    }
    /* Millimetres as pango's pixels: a size in points becomes points × 25.4 / 72 mm. Without
     * hinting, glyph positions are not rounded to whole units (which would be whole mm). */
    pango_cairo_context_set_resolution(pdf->pango, 25.4);
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(pdf->pango, opts);
    pango_context_set_language(pdf->pango, pango_language_from_string("zh-cn"));
    /* Positions in whole "pixels" would be whole millimetres here. */
    pango_context_set_round_glyph_positions(pdf->pango, FALSE);
    rc = page_open(pdf, err);
    if (rc != JY_OK)
        goto out;
    *ret = pdf;
    pdf = NULL;
out:
    cairo_font_options_destroy(opts);
    jy_pdf_free(pdf);
    return rc;
}

void jy_pdf_free(struct jy_pdf *pdf)
{
    if (!pdf)
        return;
    for (size_t i = 0; i < pdf->page_count; i++) {
        cairo_destroy(pdf->pages[i].cr);
        cairo_surface_destroy(pdf->pages[i].rec);
    }
    free(pdf->pages);
    if (pdf->pango)
        g_object_unref(pdf->pango);
    free(pdf->title);
    free(pdf->footer);
    free(pdf);
}

double jy_pdf_width(const struct jy_pdf *pdf)
{
    return pdf->width;
}

double jy_pdf_height(const struct jy_pdf *pdf)
{
    return pdf->height;
}

int jy_pdf_page_count(const struct jy_pdf *pdf)
{
    return (int)pdf->page_count;
}

double jy_pdf_bottom(const struct jy_pdf *pdf)
{
    return pdf->pages[pdf->page_count - 1].bottom;
}

enum jy_err jy_pdf_add_page(struct jy_pdf *pdf, struct jy_error *err)
{
    if (sticky(pdf, err) != JY_OK)
        return pdf->status;
    if (pdf->paper == JY_PDF_ROLL_80MM) {
        struct jy_error e;
        jy_error_set(&e, JY_RANGE, "roll_single_page", NULL, "a roll receipt is one page");
        return fail(pdf, JY_RANGE, &e, err);
    }
    return page_open(pdf, err);
}

/* ---- text ---- */

/* Lay `text` out in `style`, wrapped to `width` mm (≤ 0: not wrapped). `*ret` is unreffed by
 * the caller. */
static enum jy_err layout_runs(struct jy_pdf *pdf, double width, const char *text,
                               const struct jy_pdf_style *style, const char *sub, double sub_pt,
                               PangoLayout **ret, struct jy_error *err);

static enum jy_err layout(struct jy_pdf *pdf, double width, const char *text,
                          const struct jy_pdf_style *style, PangoLayout **ret, struct jy_error *err)
{
    return layout_runs(pdf, width, text, style, NULL, 0, ret, err);
}

/* Lay `text` out as layout() does, followed on the same line by `sub` (may be NULL) in
 * `sub_pt` regular grey type, two spaces between them. */
static enum jy_err layout_runs(struct jy_pdf *pdf, double width, const char *text,
                               const struct jy_pdf_style *style, const char *sub, double sub_pt,
                               PangoLayout **ret, struct jy_error *err)
{
    struct jy_error e;
    enum jy_err rc = sticky(pdf, err);
    if (rc != JY_OK)
        return rc;
    if (pdf->finished) {
        jy_error_set(&e, JY_INTERNAL, "finished", NULL, "the document is already finished");
        return fail(pdf, JY_INTERNAL, &e, err);
    }
    if (!style || !(style->size_pt >= 4 && style->size_pt <= 72) || !(width <= pdf->width + 1)) {
        jy_error_set(&e, JY_RANGE, "bad_size", NULL, "text size or width out of range");
        return fail(pdf, JY_RANGE, &e, err);
    }
    rc = jy_render_check_text(text, JY_PDF_TEXT_MAX_BYTES, true, NULL, &e);
    if (rc == JY_OK && sub)
        rc = jy_render_check_text(sub, JY_PDF_TEXT_MAX_BYTES, true, NULL, &e);
    if (rc != JY_OK)
        return fail(pdf, rc, &e, err);
    if (sub && !(sub_pt >= 4 && sub_pt <= 72)) {
        jy_error_set(&e, JY_RANGE, "bad_size", NULL, "text size out of range");
        return fail(pdf, JY_RANGE, &e, err);
    }
    PangoLayout *l = pango_layout_new(pdf->pango);
    PangoFontDescription *fd = pango_font_description_new();
    if (!l || !fd) {
        if (l)
            g_object_unref(l);
        pango_font_description_free(fd);
        jy_error_set(&e, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        return fail(pdf, JY_NOMEM, &e, err);
    }
    pango_font_description_set_family_static(fd, style->mono ? JY_PDF_FONT_MONO : JY_PDF_FONT);
    pango_font_description_set_size(fd, (gint)lround(style->size_pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, style->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)lround(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(l, style->align == JY_PDF_CENTRE  ? PANGO_ALIGN_CENTER
                                      : style->align == JY_PDF_RIGHT ? PANGO_ALIGN_RIGHT
                                                                     : PANGO_ALIGN_LEFT);
    }
    if (sub) {
        size_t n = strlen(text), m = strlen(sub);
        char *joined = malloc(n + 2 + m + 1);
        PangoAttrList *attrs = pango_attr_list_new();
        if (!joined || !attrs) {
            free(joined);
            if (attrs)
                pango_attr_list_unref(attrs);
            g_object_unref(l);
            jy_error_set(&e, JY_NOMEM, "out_of_memory", NULL, "out of memory");
            return fail(pdf, JY_NOMEM, &e, err);
        }
        memcpy(joined, text, n);
        memcpy(joined + n, "  ", 2);
        memcpy(joined + n + 2, sub, m + 1);
        PangoAttribute *a[] = {
            pango_attr_size_new((int)lround(sub_pt * PANGO_SCALE)),
            pango_attr_weight_new(PANGO_WEIGHT_NORMAL),
            pango_attr_foreground_new(0x5999, 0x5999, 0x5999),
        };
        for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
            a[i]->start_index = (guint)n;
            a[i]->end_index = (guint)(n + 2 + m);
            pango_attr_list_insert(attrs, a[i]);
        }
        pango_layout_set_attributes(l, attrs);
        pango_attr_list_unref(attrs);
        pango_layout_set_text(l, joined, -1);
        free(joined);
    } else {
        pango_layout_set_text(l, text, -1);
    }
    if (pango_layout_get_unknown_glyphs_count(l) > 0) {
        g_object_unref(l);
        jy_error_set(&e, JY_UNPROCESSABLE, "missing_glyph", NULL,
                     "a character has no glyph in the installed fonts");
        return fail(pdf, JY_UNPROCESSABLE, &e, err);
    }
    *ret = l;
    return JY_OK;
}

enum jy_err jy_pdf_text_measure(struct jy_pdf *pdf, double width, const char *text,
                                const struct jy_pdf_style *style, double *ret_width,
                                double *ret_height, struct jy_error *err)
{
    PangoLayout *l;
    enum jy_err rc = layout(pdf, width, text, style, &l, err);
    if (rc != JY_OK)
        return rc;
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    g_object_unref(l);
    if (ret_width)
        *ret_width = (double)logical.width / PANGO_SCALE;
    if (ret_height)
        *ret_height = (double)logical.height / PANGO_SCALE;
    return JY_OK;
}

enum jy_err jy_pdf_text(struct jy_pdf *pdf, double x, double y, double width, const char *text,
                        const struct jy_pdf_style *style, double *ret_height, struct jy_error *err)
{
    PangoLayout *l;
    enum jy_err rc = layout(pdf, width, text, style, &l, err);
    if (rc != JY_OK)
        return rc;
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    double h = (double)logical.height / PANGO_SCALE;
    cairo_t *cr = current(pdf)->cr;
    double g = style->grey < 0 ? 0 : style->grey > 1 ? 1 : style->grey;
    cairo_set_source_rgb(cr, g, g, g);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    note_bottom(pdf, y + h);
    if (ret_height)
        *ret_height = h;
    return JY_OK;
}

/* ---- table rows ---- */

#define ROW_MAX_CELLS 16

static struct jy_pdf_style sub_style(const struct jy_pdf_cell *c)
{
    struct jy_pdf_style st = {
        .size_pt = c->sub_size_pt > 0 ? c->sub_size_pt : 0.75 * c->style.size_pt,
        .align = c->style.align,
        .grey = 0.35,
    };
    return st;
}

/* Put the failing cell's field into the stored error and the caller's. */
static enum jy_err blame(struct jy_pdf *pdf, enum jy_err rc, const struct jy_pdf_cell *c,
                         struct jy_error *err)
{
    if (c->field) {
        jy_strlcpy(pdf->status_err.field, c->field, sizeof(pdf->status_err.field));
        if (err)
            jy_strlcpy(err->field, c->field, sizeof(err->field));
    }
    return rc;
}

/* The height of one cell's texts, padding excluded. */
static enum jy_err cell_height(struct jy_pdf *pdf, const struct jy_pdf_cell *c, double pad,
                               double *ret, struct jy_error *err)
{
    double w = c->width - 2 * pad, h = 0, hs = 0;
    if (c->text && c->subtext && c->sub_inline) {
        PangoLayout *l;
        struct jy_pdf_style st = sub_style(c);
        enum jy_err rc = layout_runs(pdf, w, c->text, &c->style, c->subtext, st.size_pt, &l, err);
        if (rc != JY_OK)
            return blame(pdf, rc, c, err);
        PangoRectangle logical;
        pango_layout_get_extents(l, NULL, &logical);
        g_object_unref(l);
        *ret = (double)logical.height / PANGO_SCALE;
        return JY_OK;
    }
    if (c->text) {
        enum jy_err rc = jy_pdf_text_measure(pdf, w, c->text, &c->style, NULL, &h, err);
        if (rc != JY_OK)
            return blame(pdf, rc, c, err);
    }
    if (c->subtext) {
        struct jy_pdf_style st = sub_style(c);
        enum jy_err rc = jy_pdf_text_measure(pdf, w, c->subtext, &st, NULL, &hs, err);
        if (rc != JY_OK)
            return blame(pdf, rc, c, err);
    }
    *ret = h + hs;
    return JY_OK;
}

enum jy_err jy_pdf_row_height(struct jy_pdf *pdf, const struct jy_pdf_cell *cells, size_t n,
                              double pad_mm, double *ret_height, struct jy_error *err)
{
    enum jy_err rc = sticky(pdf, err);
    if (rc != JY_OK)
        return rc;
    if (n == 0 || n > ROW_MAX_CELLS) {
        struct jy_error e;
        jy_error_set(&e, JY_RANGE, "bad_size", NULL, "a row has 1..%d cells", ROW_MAX_CELLS);
        return fail(pdf, JY_RANGE, &e, err);
    }
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        double h;
        rc = cell_height(pdf, &cells[i], pad_mm, &h, err);
        if (rc != JY_OK)
            return rc;
        if (h > max)
            max = h;
    }
    *ret_height = max + 2 * pad_mm;
    return JY_OK;
}

enum jy_err jy_pdf_row(struct jy_pdf *pdf, double x, double y, const struct jy_pdf_cell *cells,
                       size_t n, double pad_mm, double line_mm, double height, double *ret_height,
                       struct jy_error *err)
{
    double h = height;
    if (!(h > 0)) {
        enum jy_err rc = jy_pdf_row_height(pdf, cells, n, pad_mm, &h, err);
        if (rc != JY_OK)
            return rc;
    } else if (n == 0 || n > ROW_MAX_CELLS) {
        return jy_pdf_row_height(pdf, cells, n, pad_mm, &h, err);
    }
    double cx = x;
    for (size_t i = 0; i < n; i++) {
        const struct jy_pdf_cell *c = &cells[i];
        jy_pdf_box(pdf, cx, y, c->width, h, line_mm, c->fill_grey);
        double w = c->width - 2 * pad_mm, th = 0;
        if (c->text && c->subtext && c->sub_inline) {
            PangoLayout *l;
            struct jy_pdf_style st = sub_style(c);
            enum jy_err rc =
                layout_runs(pdf, w, c->text, &c->style, c->subtext, st.size_pt, &l, err);
            if (rc != JY_OK)
                return blame(pdf, rc, c, err);
            cairo_t *cr = current(pdf)->cr;
            double g = c->style.grey < 0 ? 0 : c->style.grey > 1 ? 1 : c->style.grey;
            cairo_set_source_rgb(cr, g, g, g);
            cairo_move_to(cr, cx + pad_mm, y + pad_mm);
            pango_cairo_show_layout(cr, l);
            g_object_unref(l);
            cx += c->width;
            continue;
        }
        if (c->text) {
            enum jy_err rc =
                jy_pdf_text(pdf, cx + pad_mm, y + pad_mm, w, c->text, &c->style, &th, err);
            if (rc != JY_OK)
                return blame(pdf, rc, c, err);
        }
        if (c->subtext) {
            struct jy_pdf_style st = sub_style(c);
            enum jy_err rc =
                jy_pdf_text(pdf, cx + pad_mm, y + pad_mm + th, w, c->subtext, &st, NULL, err);
            if (rc != JY_OK)
                return blame(pdf, rc, c, err);
        }
        cx += c->width;
    }
    note_bottom(pdf, y + h);
    if (ret_height)
        *ret_height = h;
    return sticky(pdf, err);
}

/* ---- lines and boxes ---- */

void jy_pdf_line(struct jy_pdf *pdf, double x1, double y1, double x2, double y2, double width_mm,
                 double grey, double dash_mm)
{
    if (pdf->status != JY_OK || pdf->finished)
        return;
    cairo_t *cr = current(pdf)->cr;
    cairo_save(cr);
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_set_line_width(cr, width_mm);
    if (dash_mm > 0)
        cairo_set_dash(cr, &dash_mm, 1, 0);
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x2, y2);
    cairo_stroke(cr);
    cairo_restore(cr);
    note_bottom(pdf, fmax(y1, y2) + width_mm / 2);
}

void jy_pdf_box(struct jy_pdf *pdf, double x, double y, double w, double h, double line_mm,
                double fill_grey)
{
    if (pdf->status != JY_OK || pdf->finished)
        return;
    cairo_t *cr = current(pdf)->cr;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    if (fill_grey >= 0 && fill_grey <= 1) {
        cairo_set_source_rgb(cr, fill_grey, fill_grey, fill_grey);
        cairo_fill_preserve(cr);
    }
    if (line_mm > 0) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, line_mm);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
    note_bottom(pdf, y + h + (line_mm > 0 ? line_mm / 2 : 0));
}

/* ---- barcodes ---- */

/* Encode `data` as `symbology` into vector form. `*ret` is freed with ZBarcode_Delete(). */
static enum jy_err encode(int symbology, const char *data, size_t max, struct zint_symbol **ret,
                          struct jy_error *err)
{
    if (!data || !data[0])
        return jy_error_set(err, JY_INVALID, "bad_barcode_data", NULL, "no data to encode");
    size_t n = strnlen(data, max + 1);
    if (n > max)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "barcode data longer than %zu bytes", max);
    if (symbology == BARCODE_CODE128) {
        for (size_t i = 0; i < n; i++)
            if (data[i] < 0x20 || data[i] > 0x7E)
                return jy_error_set(err, JY_INVALID, "bad_barcode_data", NULL,
                                    "a Code 128 holds printable ASCII only");
    } else {
        enum jy_err rc = jy_render_check_text(data, max, false, NULL, err);
        if (rc != JY_OK)
            return rc;
    }
    struct zint_symbol *s = ZBarcode_Create();
    if (!s)
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    s->symbology = symbology;
    s->input_mode = DATA_MODE;
    s->show_hrt = 0;
    s->whitespace_width = 0;
    s->whitespace_height = 0;
    s->border_width = 0;
    s->output_options = BARCODE_NO_QUIET_ZONES;
    if (symbology == BARCODE_QRCODE)
        s->option_1 = 2; /* error correction level M: 15 % of the symbol may be damaged */
    int zrc = ZBarcode_Encode_and_Buffer_Vector(s, (const unsigned char *)data, (int)n, 0);
    if (zrc >= ZINT_ERROR || !s->vector || s->width <= 0 || !(s->vector->width > 0) ||
        !(s->vector->height > 0)) {
        enum jy_err rc = zrc == ZINT_ERROR_MEMORY ? JY_NOMEM : JY_INVALID;
        jy_error_set(err, rc, rc == JY_NOMEM ? "out_of_memory" : "bad_barcode_data", NULL,
                     "barcode: %s", s->errtxt);
        ZBarcode_Delete(s);
        return rc;
    }
    *ret = s;
    return JY_OK;
}

/* Fill the symbol's dark rectangles, mapping zint's vector units by (sx, sy) onto (x, y). */
static void fill_symbol(cairo_t *cr, const struct zint_symbol *s, double x, double y, double sx,
                        double sy)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (const struct zint_vector_rect *r = s->vector->rectangles; r; r = r->next) {
        if (r->colour != -1 && r->colour != 7) /* foreground or black; skip white */
            continue;
        cairo_rectangle(cr, x + r->x * sx, y + r->y * sy, r->width * sx, r->height * sy);
    }
    cairo_fill(cr);
    cairo_restore(cr);
}

enum jy_err jy_pdf_code128_width(const char *data, double module_mm, double *ret_width,
                                 struct jy_error *err)
{
    if (!(module_mm >= 0.1 && module_mm <= 2))
        return jy_error_set(err, JY_RANGE, "bad_size", NULL, "module width out of range");
    struct zint_symbol *s;
    enum jy_err rc = encode(BARCODE_CODE128, data, JY_BARCODE_MAX_BYTES, &s, err);
    if (rc != JY_OK)
        return rc;
    *ret_width = (s->width + 2 * CODE128_QUIET_MODULES) * module_mm;
    ZBarcode_Delete(s);
    return JY_OK;
}

enum jy_err jy_pdf_code128(struct jy_pdf *pdf, double x, double y, double module_mm,
                           double height_mm, const char *data, double *ret_width,
                           struct jy_error *err)
{
    struct jy_error e;
    enum jy_err rc = sticky(pdf, err);
    if (rc != JY_OK)
        return rc;
    if (!(module_mm >= 0.1 && module_mm <= 2) || !(height_mm >= 5 && height_mm <= 200)) {
        jy_error_set(&e, JY_RANGE, "bad_size", NULL, "barcode size out of range");
        return fail(pdf, JY_RANGE, &e, err);
    }
    struct zint_symbol *s;
    rc = encode(BARCODE_CODE128, data, JY_BARCODE_MAX_BYTES, &s, &e);
    if (rc != JY_OK)
        return fail(pdf, rc, &e, err);
    double unit = s->vector->width / s->width; /* zint's units per module */
    fill_symbol(current(pdf)->cr, s, x + CODE128_QUIET_MODULES * module_mm, y, module_mm / unit,
                height_mm / s->vector->height);
    double w = (s->width + 2 * CODE128_QUIET_MODULES) * module_mm;
    ZBarcode_Delete(s);
    note_bottom(pdf, y + height_mm);
    if (ret_width)
        *ret_width = w;
    return JY_OK;
}

enum jy_err jy_pdf_qr(struct jy_pdf *pdf, double x, double y, double size_mm, const char *data,
                      double *ret_module_mm, struct jy_error *err)
{
    struct jy_error e;
    enum jy_err rc = sticky(pdf, err);
    if (rc != JY_OK)
        return rc;
    if (!(size_mm >= 10 && size_mm <= 100)) {
        jy_error_set(&e, JY_RANGE, "bad_size", NULL, "QR size out of range");
        return fail(pdf, JY_RANGE, &e, err);
    }
    struct zint_symbol *s;
    rc = encode(BARCODE_QRCODE, data, JY_QR_MAX_BYTES, &s, &e);
    if (rc != JY_OK)
        return fail(pdf, rc, &e, err);
    double module = size_mm / (s->width + 2 * QR_QUIET_MODULES);
    double unit = s->vector->width / s->width;
    fill_symbol(current(pdf)->cr, s, x + QR_QUIET_MODULES * module, y + QR_QUIET_MODULES * module,
                module / unit, module / unit);
    ZBarcode_Delete(s);
    note_bottom(pdf, y + size_mm);
    if (ret_module_mm)
        *ret_module_mm = module;
    return JY_OK;
}

/* ---- footer and output ---- */

enum jy_err jy_pdf_set_footer(struct jy_pdf *pdf, double margin_mm, double bottom_mm,
                              const char *left, bool page_numbers, struct jy_error *err)
{
    struct jy_error e;
    enum jy_err rc = sticky(pdf, err);
    if (rc != JY_OK)
        return rc;
    char *copy = NULL;
    if (left) {
        rc = jy_render_check_text(left, JY_RENDER_TEXT_MAX_BYTES, false, "footer", &e);
        if (rc != JY_OK)
            return fail(pdf, rc, &e, err);
        copy = strdup(left);
        if (!copy) {
            jy_error_set(&e, JY_NOMEM, "out_of_memory", NULL, "out of memory");
            return fail(pdf, JY_NOMEM, &e, err);
        }
    }
    free(pdf->footer);
    pdf->footer = copy;
    pdf->footer_numbers = page_numbers;
    pdf->footer_margin = margin_mm;
    pdf->footer_bottom = bottom_mm;
    return JY_OK;
}

/* Draw the footer of page `i` (0-based) onto its recording. */
static enum jy_err draw_footer(struct jy_pdf *pdf, size_t i, struct jy_error *err)
{
    static const struct jy_pdf_style st = {.size_pt = FOOTER_PT, .grey = 0.35};
    /* Draw through the normal path, on page i as if it were current. */
    size_t saved = pdf->page_count;
    double saved_bottom = pdf->pages[i].bottom;
    pdf->page_count = i + 1;
    double m = pdf->footer_margin, w = pdf->width - 2 * m;
    double h = 0;
    enum jy_err rc = jy_pdf_text_measure(pdf, 0, "0 / 0", &st, NULL, &h, err);
    double y = pdf->height - pdf->footer_bottom - h;
    if (rc == JY_OK && pdf->footer)
        rc = jy_pdf_text(pdf, m, y, w * 0.75, pdf->footer, &st, NULL, err);
    if (rc == JY_OK && pdf->footer_numbers) {
        char text[32];
        snprintf(text, sizeof(text), "%zu / %zu", i + 1, saved);
        struct jy_pdf_style right = st;
        right.align = JY_PDF_RIGHT;
        rc = jy_pdf_text(pdf, m, y, w, text, &right, NULL, err);
    }
    pdf->page_count = saved;
    pdf->pages[i].bottom = saved_bottom;
    return rc;
}

struct sink {
    unsigned char *data;
    size_t len, cap;
    bool too_large, nomem;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct sink *s = closure;
    if (length > JY_PDF_MAX_BYTES - s->len) {
        s->too_large = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (s->len + length > s->cap) {
        size_t cap = s->cap ? s->cap : 64 * 1024;
        while (cap < s->len + length)
            cap *= 2;
        if (cap > JY_PDF_MAX_BYTES)
            cap = JY_PDF_MAX_BYTES;
        unsigned char *d = realloc(s->data, cap);
        if (!d) {
            s->nomem = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, length);
    s->len += length;
    return CAIRO_STATUS_SUCCESS;
}

enum jy_err jy_pdf_finish(struct jy_pdf *pdf, double margin_mm, unsigned char **ret,
                          size_t *ret_len, struct jy_error *err)
{
    enum jy_err rc = sticky(pdf, err);
    if (rc != JY_OK)
        return rc;
    struct sink sink = {0};
    cairo_surface_t *out = NULL;
    double height = pdf->height;
    if (pdf->paper == JY_PDF_ROLL_80MM) {
        height = ceil(pdf->pages[0].bottom + margin_mm);
        if (height > JY_PDF_ROLL_MAX_HEIGHT_MM) {
            rc = jy_error_set(err, JY_RANGE, "roll_too_long", NULL,
                              "a roll receipt is at most %d mm long", JY_PDF_ROLL_MAX_HEIGHT_MM);
            goto out;
        }
    } else if (pdf->footer || pdf->footer_numbers) {
        for (size_t i = 0; i < pdf->page_count; i++) {
            rc = draw_footer(pdf, i, err);
            if (rc != JY_OK)
                goto out;
        }
    }
    pdf->finished = true;
    out = cairo_pdf_surface_create_for_stream(sink_write, &sink, pdf->width * PT_PER_MM,
                                              height * PT_PER_MM);
    if (pdf->title)
        cairo_pdf_surface_set_metadata(out, CAIRO_PDF_METADATA_TITLE, pdf->title);
    cairo_pdf_surface_set_metadata(out, CAIRO_PDF_METADATA_CREATOR, "jingyou");
    for (size_t i = 0; i < pdf->page_count; i++) {
        cairo_surface_flush(pdf->pages[i].rec);
        cairo_t *cr = cairo_create(out);
        cairo_set_source_surface(cr, pdf->pages[i].rec, 0, 0);
        cairo_paint(cr);
        cairo_show_page(cr);
        cairo_destroy(cr);
    }
    cairo_surface_finish(out);
    cairo_status_t st = cairo_surface_status(out);
    if (sink.too_large) {
        rc = jy_error_set(err, JY_TOO_LARGE, "too_large", NULL, "the PDF is larger than %d bytes",
                          JY_PDF_MAX_BYTES);
        goto out;
    }
    if (sink.nomem || st == CAIRO_STATUS_NO_MEMORY) {
        rc = jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
        goto out;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        rc = jy_error_set(err, JY_INTERNAL, "cairo", NULL, "cairo: %s", cairo_status_to_string(st));
        goto out;
    }
    *ret = sink.data;
    *ret_len = sink.len;
    sink.data = NULL;
out:
    cairo_surface_destroy(out);
    free(sink.data);
    return rc;
}

void jy_pdf_shutdown(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
}
