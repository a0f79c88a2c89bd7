/*
 * pdf.h — a small drawing layer for the printed documents: pages of a known paper size, text in
 * Noto Sans CJK SC (wrapped in a box when asked), lines, boxes, Code 128 and QR symbols, and
 * page numbers "n / N" on every page. The finished document is a PDF in memory.
 *
 * Coordinates are millimetres from the top-left corner of the page, y growing downwards. Text
 * sizes are typographic points (1/72 inch). Text is laid out by pango and drawn by cairo; the
 * font is embedded as a CID subset, so the text of the PDF can be searched and copied
 * (pdftotext reads it back). Barcodes come from zint's vector output, drawn as filled
 * rectangles, so they stay sharp at any printer resolution.
 *
 * Each page is first recorded (a cairo recording surface) and written to the PDF only by
 * jy_pdf_finish(): by then the number of pages is known, so "n / N" is drawn in one layout
 * pass, and an 80 mm roll page is cut to the height its content used.
 *
 * Errors are sticky, as in cairo: the first failure of any drawing call is kept, later calls
 * do nothing, and jy_pdf_finish() returns it. A caller may therefore check each call or only
 * the finish.
 *
 * A `struct jy_pdf` belongs to one thread at a time; different documents may be drawn on
 * different threads at once (pango keeps one font map per thread).
 */
#ifndef JY_PDF_H
#define JY_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../error.h"

/* The paper sizes of the documents. */
enum jy_pdf_paper {
    JY_PDF_A4,            /* 210 × 297 mm portrait: manifests */
    JY_PDF_A5,            /* 148 × 210 mm portrait: receipts */
    JY_PDF_LABEL_100X150, /* 100 × 150 mm portrait: envelope labels */
    JY_PDF_ROLL_80MM,     /* an 80 mm thermal roll: one page, as long as its content (at most
                             JY_PDF_ROLL_MAX_HEIGHT_MM); a roll printer prints 72 mm of it */
};

/* The fonts every text is drawn in: Chinese in Noto Sans CJK SC, Latin letters, digits and
 * Western punctuation in Noto Sans (pango takes each character from the first family that has
 * it). Noto Sans CJK SC has Latin glyphs of its own, but cairo 1.16 embeds some mixes of its
 * Latin and Chinese glyphs with whole subroutine tables (a receipt grew from 0.1 to 1 MB);
 * with the Latin taken from Noto Sans, a receipt is about 100 KB. JY_PDF_FONT_MONO is for
 * numbers set in columns. Debian: fonts-noto-cjk, fonts-noto-core, fonts-noto-mono. */
#define JY_PDF_FONT "Noto Sans,Noto Sans CJK SC"
#define JY_PDF_FONT_MONO "Noto Sans Mono,Noto Sans Mono CJK SC"

enum jy_pdf_align { JY_PDF_LEFT, JY_PDF_CENTRE, JY_PDF_RIGHT };

/* How a text looks. Plain data; a zeroed struct is not valid (size 0). */
struct jy_pdf_style {
    double size_pt;          /* font size in points, 4..72 */
    bool bold;               /* bold weight, else regular */
    bool mono;               /* JY_PDF_FONT_MONO instead of JY_PDF_FONT */
    enum jy_pdf_align align; /* within the width given to the text */
    double grey;             /* 0 = black … 1 = white */
};

/* Opaque: one document being drawn. */
struct jy_pdf;

/*
 * Start a document on `paper` with its first page. `title` (borrowed, UTF-8, may be NULL) goes
 * into the PDF's metadata. `*ret` is freed with jy_pdf_free().
 * Errors: JY_INVALID [bad_paper]; JY_NOMEM; JY_INTERNAL [cairo] when cairo or pango fail.
 */
enum jy_err jy_pdf_new(enum jy_pdf_paper paper, const char *title, struct jy_pdf **ret,
                       struct jy_error *err);

/* Free `pdf` and everything it recorded. Accepts NULL. */
void jy_pdf_free(struct jy_pdf *pdf);

/* The page's width in millimetres. */
double jy_pdf_width(const struct jy_pdf *pdf);

/* The page's height in millimetres; for the roll, JY_PDF_ROLL_MAX_HEIGHT_MM (the page is cut
 * to its content by jy_pdf_finish). */
double jy_pdf_height(const struct jy_pdf *pdf);

/* Pages so far (1 after jy_pdf_new). */
int jy_pdf_page_count(const struct jy_pdf *pdf);

/*
 * Start a new page; later drawing goes onto it.
 * Errors: JY_RANGE [too_many_pages] beyond JY_PDF_MAX_PAGES, [roll_single_page] on the roll;
 * JY_NOMEM; JY_INTERNAL [cairo].
 */
enum jy_err jy_pdf_add_page(struct jy_pdf *pdf, struct jy_error *err);

/*
 * Measure `text` (borrowed, UTF-8, line feeds allowed) in `style`, wrapped to `width`
 * millimetres (at word boundaries, or between any two characters where a word is too long;
 * `width` ≤ 0: not wrapped). Sets `*ret_width` and `*ret_height` (millimetres; either may be
 * NULL). Errors: those of jy_render_check_text() (at most JY_PDF_TEXT_MAX_BYTES);
 * JY_UNPROCESSABLE [missing_glyph] when a character has no glyph in any installed font (it
 * would print as an empty box).
 */
enum jy_err jy_pdf_text_measure(struct jy_pdf *pdf, double width, const char *text,
                                const struct jy_pdf_style *style, double *ret_width,
                                double *ret_height, struct jy_error *err);

/*
 * Draw `text` with the top of its first line at (`x`, `y`), wrapped to `width` millimetres and
 * aligned within it as `style` says (`width` ≤ 0: not wrapped, left-aligned at `x`). Sets
 * `*ret_height` (may be NULL) to the height used. Errors: those of jy_pdf_text_measure().
 */
enum jy_err jy_pdf_text(struct jy_pdf *pdf, double x, double y, double width, const char *text,
                        const struct jy_pdf_style *style, double *ret_height, struct jy_error *err);

/* Draw a straight line of `width_mm` from (`x1`, `y1`) to (`x2`, `y2`) in `grey` (0 black …
 * 1 white); `dash_mm` > 0 dashes it. */
void jy_pdf_line(struct jy_pdf *pdf, double x1, double y1, double x2, double y2, double width_mm,
                 double grey, double dash_mm);

/* Draw a rectangle: filled with `fill_grey` when it is in 0..1 (else not filled), then
 * outlined with `line_mm` when that is > 0. */
void jy_pdf_box(struct jy_pdf *pdf, double x, double y, double w, double h, double line_mm,
                double fill_grey);

/* One cell of a table row: a text wrapped in a box, with an optional second text under it in
 * smaller grey type (the English under a Chinese label). Plain data; strings borrowed. */
struct jy_pdf_cell {
    const char *text;          /* may be NULL: nothing */
    const char *subtext;       /* may be NULL: nothing */
    struct jy_pdf_style style; /* of `text`; `subtext` uses `sub_size_pt`, regular, grey 0.35,
                                  the same alignment */
    double sub_size_pt;        /* 0: 0.75 × style.size_pt */
    bool sub_inline;           /* `subtext` follows `text` on its line instead of under it */
    double width;              /* millimetres, padding included */
    double fill_grey;          /* background 0..1, or < 0 for none */
    const char *field;         /* the input field the text comes from, for errors; may be NULL */
};

/*
 * The height of a table row of `n` cells (at most 16), `pad_mm` of padding inside each cell
 * around its texts: the tallest cell. Errors: those of jy_pdf_text_measure(), with
 * `err->field` set from the failing cell; JY_RANGE [bad_size] for n = 0 or n > 16.
 */
enum jy_err jy_pdf_row_height(struct jy_pdf *pdf, const struct jy_pdf_cell *cells, size_t n,
                              double pad_mm, double *ret_height, struct jy_error *err);

/*
 * Draw a table row of `n` cells side by side from (`x`, `y`), each `height` mm tall (≤ 0: the
 * height jy_pdf_row_height() gives), filled as the cell says and outlined with `line_mm`
 * (0: no outline). Sets `*ret_height` (may be NULL) to the row's height. Errors: those of
 * jy_pdf_row_height().
 */
enum jy_err jy_pdf_row(struct jy_pdf *pdf, double x, double y, const struct jy_pdf_cell *cells,
                       size_t n, double pad_mm, double line_mm, double height, double *ret_height,
                       struct jy_error *err);

/*
 * Set `*ret_width` to the width, in millimetres, of the Code 128 symbol of `data` with modules
 * (the narrowest bar) `module_mm` wide, quiet zones of 10 modules on both sides included
 * (ISO/IEC 15417). `data`: 1..JY_BARCODE_MAX_BYTES printable ASCII characters (borrowed).
 * Errors: JY_INVALID [bad_barcode_data], JY_TOO_LONG [too_long], JY_RANGE [bad_size]
 * (`module_mm` outside 0.1..2); JY_NOMEM.
 */
enum jy_err jy_pdf_code128_width(const char *data, double module_mm, double *ret_width,
                                 struct jy_error *err);

/*
 * Draw the Code 128 symbol of `data` with its left quiet zone starting at `x` and its bars from
 * `y` down to `y` + `height_mm` (at least 5). The bars are black on the page as it is (the
 * caller keeps the quiet zones and the space between bars empty). Sets `*ret_width` (may be
 * NULL) as jy_pdf_code128_width() does. Errors: those of jy_pdf_code128_width().
 */
enum jy_err jy_pdf_code128(struct jy_pdf *pdf, double x, double y, double module_mm,
                           double height_mm, const char *data, double *ret_width,
                           struct jy_error *err);

/*
 * Draw the QR symbol of `data` (borrowed, 1..JY_QR_MAX_BYTES bytes, UTF-8 or ASCII; error
 * correction level M) as a square of `size_mm` (10..100) at (`x`, `y`), its quiet zone of 4
 * modules (ISO/IEC 18004) inside the square. Sets `*ret_module_mm` (may be NULL) to the
 * module size, which a reader needs to be at least about 0.4 mm on paper.
 * Errors: JY_INVALID [bad_barcode_data], JY_TOO_LONG [too_long], JY_RANGE [bad_size]; JY_NOMEM.
 */
enum jy_err jy_pdf_qr(struct jy_pdf *pdf, double x, double y, double size_mm, const char *data,
                      double *ret_module_mm, struct jy_error *err);

/*
 * Put a footer on every page, drawn by jy_pdf_finish(): `left` (borrowed and copied, may be
 * NULL) at the left, and, when `page_numbers`, "n / N" at the right, in 7.5 pt grey text
 * `bottom_mm` above the bottom edge of the page. Ignored on the roll. Errors: those of
 * jy_render_check_text(); JY_NOMEM.
 */
enum jy_err jy_pdf_set_footer(struct jy_pdf *pdf, double margin_mm, double bottom_mm,
                              const char *left, bool page_numbers, struct jy_error *err);

/* The lowest point (largest y, millimetres) drawn on the current page so far; 0 on an empty
 * page. */
double jy_pdf_bottom(const struct jy_pdf *pdf);

/*
 * Write the document as PDF into a buffer allocated with malloc(): `*ret` (the caller frees it
 * with free()) and `*ret_len` bytes. A roll page is cut `margin_mm` below its lowest drawing.
 * `pdf` stays the caller's to free and may not be drawn on afterwards.
 * Errors: the first error of any drawing call; JY_TOO_LARGE [too_large] beyond
 * JY_PDF_MAX_BYTES; JY_RANGE [roll_too_long] when the roll's content passes
 * JY_PDF_ROLL_MAX_HEIGHT_MM; JY_NOMEM; JY_INTERNAL [cairo]. Outputs untouched on failure.
 */
enum jy_err jy_pdf_finish(struct jy_pdf *pdf, double margin_mm, unsigned char **ret,
                          size_t *ret_len, struct jy_error *err);

/*
 * Release what pango, cairo and fontconfig keep for the life of the process (the font map of the
 * calling thread, cairo's caches, fontconfig's configuration), so that a leak checker sees a
 * clean heap at exit. Call it at most once, at the very end, when no thread draws any more; it is
 * never needed for correctness.
 */
void jy_pdf_shutdown(void);

#endif /* JY_PDF_H */
