/*
 * slip.c — the ticket slip: see slip.h.
 */
#include "slip.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pdf.h"
#include "render.h"
#include "../limits.h"
#include "../banned.h"

static struct jy_pdf_style style(double pt, bool bold, double grey)
{
    return (struct jy_pdf_style){.size_pt = pt, .bold = bold, .align = JY_PDF_CENTRE, .grey = grey};
}

enum jy_err jy_render_slip(const struct jy_slip *s, unsigned char **ret, size_t *ret_len,
                           struct jy_error *err)
{
    if (!s || !s->number || !*s->number || !s->category_zh || !s->category_en || !s->status_url ||
        !*s->status_url || s->waiting_ahead < 0)
        return jy_error_set(err, JY_INVALID, "missing", NULL, "a slip needs every field");
    struct jy_pdf *pdf = NULL;
    char title[64];
    snprintf(title, sizeof(title), "排队号 %s", s->number);
    enum jy_err rc = jy_pdf_new(JY_PDF_ROLL_80MM, title, &pdf, err);
    if (rc != JY_OK)
        return rc;
    const double margin = 5, w = jy_pdf_width(pdf) - 2 * margin, qr = 30;
    double y = 5, h = 0;
    struct jy_pdf_style st;
    char line[160];
    char when[JY_RENDER_TIME_SIZE];
    jy_render_format_time(s->issued_at, when);

#define TEXT(text, st_)                                                                            \
    do {                                                                                           \
        struct jy_pdf_style st__ = st_;                                                            \
        if (rc == JY_OK)                                                                           \
            rc = jy_pdf_text(pdf, margin, y, w, text, &st__, &h, err);                             \
        y += h;                                                                                    \
        h = 0;                                                                                     \
    } while (0)

    if (s->centre_name && *s->centre_name)
        TEXT(s->centre_name, style(8, false, 0.2));
    TEXT("排队叫号 · Queue ticket", style(9, true, 0));
    jy_pdf_line(pdf, margin, y + 1.5, margin + w, y + 1.5, 0.3, 0, 1.0);
    y += 3;
    TEXT(s->category_zh, style(14, true, 0));
    TEXT(s->category_en, style(9, false, 0.35));
    y += 1;
    st = style(60, true, 0);
    st.mono = false;
    TEXT(s->number, st);
    snprintf(line, sizeof(line), "您前面还有 %" PRId64 " 人等候", s->waiting_ahead);
    TEXT(line, style(12, true, 0));
    snprintf(line, sizeof(line), "%" PRId64 " waiting ahead of you", s->waiting_ahead);
    TEXT(line, style(8.5, false, 0.35));
    y += 1;
    snprintf(line, sizeof(line), "取号时间 Taken %s", when);
    TEXT(line, style(8, false, 0.2));
    jy_pdf_line(pdf, margin, y + 1.5, margin + w, y + 1.5, 0.3, 0, 1.0);
    y += 3.5;
    if (rc == JY_OK)
        rc = jy_pdf_qr(pdf, margin + (w - qr) / 2, y, qr, s->status_url, NULL, err);
    y += qr;
    TEXT("扫码查看叫号进度", style(8, false, 0));
    TEXT("Scan to follow your place in the queue", style(7, false, 0.35));
    y += 1;
    TEXT("请留意叫号屏幕与广播，过号请到窗口重新排队\nWatch the screen; if your number "
         "is passed, ask at a window",
         style(6.5, false, 0.3));
#undef TEXT
    if (rc == JY_OK)
        rc = jy_pdf_finish(pdf, 6, ret, ret_len, err);
    jy_pdf_free(pdf);
    return rc;
}
