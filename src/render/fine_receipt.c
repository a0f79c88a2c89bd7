/*
 * fine_receipt.c — the fine payment receipt on the 80 mm roll: see fine_receipt.h.
 *
 * From the top: the title, the decision number as Code 128 (its modules narrowed to fit the
 * 72 mm the roll printer prints) and in text, the decision's lines, the amounts with the
 * total in large type, how and where it was paid, the QR code of the decision number, and the
 * legal basis of the surcharge.
 */
#include "render/fine_receipt.h"

#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "limits.h"
#include "render/pdf.h"
#include "render/render.h"

#include "banned.h"

#define W 80.0
#define MARGIN 4.0
#define CW (W - 2 * MARGIN)
#define LABEL_W 24.0

static struct jy_pdf_style style(double pt, bool bold, enum jy_pdf_align align)
{
    return (struct jy_pdf_style){.size_pt = pt, .bold = bold, .align = align};
}

static enum jy_err validate(const struct jy_fine_receipt *r, struct jy_error *err)
{
    enum jy_err rc;
    if ((rc = jy_render_check_text(r->serial, JY_BARCODE_MAX_BYTES, false, "serial", err)) ||
        (rc = jy_render_check_text(r->decision_number, JY_BARCODE_MAX_BYTES, false,
                                   "decision_number", err)) ||
        (rc = jy_render_check_text(r->plate, JY_IDENT_MAX_BYTES, false, "plate", err)) ||
        (rc = jy_render_check_text(r->violation, JY_RENDER_TEXT_MAX_BYTES, false, "violation",
                                   err)) ||
        (rc = jy_render_check_text(r->method, JY_RENDER_TEXT_MAX_BYTES, false, "method", err)) ||
        (rc = jy_render_check_text(r->branch_name, JY_RENDER_TEXT_MAX_BYTES, false, "branch_name",
                                   err)) ||
        (rc = jy_render_check_text(r->clerk_name, JY_RENDER_TEXT_MAX_BYTES, false, "clerk_name",
                                   err)))
        return rc;
    if (r->reference &&
        (rc = jy_render_check_text(r->reference, JY_IDENT_MAX_BYTES, false, "reference", err)))
        return rc;
    if (r->reversal_reason && (rc = jy_render_check_text(r->reversal_reason, JY_NOTE_MAX_BYTES,
                                                         true, "reversal_reason", err)))
        return rc;
    return JY_OK;
}

/* One "label: value" line; `*y` moves down by its height. */
static enum jy_err line(struct jy_pdf *pdf, double *y, const char *label, const char *value,
                        bool strong, struct jy_error *err)
{
    struct jy_pdf_style ls = style(7.5, false, JY_PDF_LEFT);
    ls.grey = 0.3;
    struct jy_pdf_style vs = style(strong ? 11 : 8.5, strong, JY_PDF_RIGHT);
    double h1 = 0, h2 = 0;
    enum jy_err rc = jy_pdf_text(pdf, MARGIN, *y + (strong ? 1 : 0), LABEL_W, label, &ls, &h1, err);
    if (rc == JY_OK)
        rc = jy_pdf_text(pdf, MARGIN + LABEL_W, *y, CW - LABEL_W, value, &vs, &h2, err);
    *y += (h1 > h2 ? h1 : h2) + 0.8;
    return rc;
}

enum jy_err jy_render_fine_receipt(const struct jy_fine_receipt *r, unsigned char **ret,
                                   size_t *ret_len, struct jy_error *err)
{
    if (!r || !ret || !ret_len)
        return jy_error_set(err, JY_INVALID, "missing", NULL, "no receipt to render");
    enum jy_err rc = validate(r, err);
    if (rc != JY_OK)
        return rc;
    char title[JY_BARCODE_MAX_BYTES + 32];
    snprintf(title, sizeof(title), "罚款缴纳凭证 %s", r->decision_number);
    struct jy_pdf *pdf = NULL;
    if ((rc = jy_pdf_new(JY_PDF_ROLL_80MM, title, &pdf, err)))
        return rc;
    double y = 4, h;
    struct jy_pdf_style st = style(14, true, JY_PDF_CENTRE);
    char text[JY_NOTE_MAX_BYTES + 64];
    char money[JY_MONEY_TEXT_SIZE];

    if ((rc = jy_pdf_text(pdf, MARGIN, y, CW, "交通罚款缴纳凭证", &st, &h, err)))
        goto out;
    y += h;
    st = style(7, false, JY_PDF_CENTRE);
    st.grey = 0.3;
    if ((rc = jy_pdf_text(pdf, MARGIN, y, CW, "Traffic fine payment receipt", &st, &h, err)))
        goto out;
    y += h + 1;
    snprintf(text, sizeof(text), "凭证号 Receipt No. %s", r->serial);
    st = style(7.5, false, JY_PDF_CENTRE);
    if ((rc = jy_pdf_text(pdf, MARGIN, y, CW, text, &st, &h, err)))
        goto out;
    y += h + 2;

    /* The decision number as Code 128, as wide as fits. */
    double module = 0.3, bw = 0;
    while (module >= 0.15) {
        if ((rc = jy_pdf_code128_width(r->decision_number, module, &bw, err)))
            goto out;
        if (bw <= CW)
            break;
        module -= 0.025;
    }
    if (bw <= CW) {
        if ((rc = jy_pdf_code128(pdf, (W - bw) / 2, y, module, 10, r->decision_number, NULL, err)))
            goto out;
        y += 11;
    }
    st = style(10, true, JY_PDF_CENTRE);
    st.mono = true;
    if ((rc = jy_pdf_text(pdf, MARGIN, y, CW, r->decision_number, &st, &h, err)))
        goto out;
    y += h + 1.5;
    jy_pdf_line(pdf, MARGIN, y, W - MARGIN, y, 0.2, 0.4, 0.8);
    y += 1.5;

    if ((rc = line(pdf, &y, "决定书编号 Decision", r->decision_number, false, err)) ||
        (rc = line(pdf, &y, "号牌 Plate", r->plate, false, err)) ||
        (rc = line(pdf, &y, "违法行为 Violation", r->violation, false, err)))
        goto out;
    jy_money_format(r->fine_fen, money);
    if ((rc = line(pdf, &y, "罚款 Fine", money, false, err)))
        goto out;
    jy_money_format(r->surcharge_fen, money);
    snprintf(text, sizeof(text), "%s（逾期 %d 天 / %d days late）", money, r->days_overdue,
             r->days_overdue);
    if ((rc = line(pdf, &y, "加处罚款 Surcharge", text, false, err)))
        goto out;
    jy_money_format(r->amount_fen, money);
    if ((rc = line(pdf, &y, "合计 Total", money, true, err)))
        goto out;
    jy_pdf_line(pdf, MARGIN, y, W - MARGIN, y, 0.2, 0.4, 0.8);
    y += 1.5;
    if ((rc = line(pdf, &y, "缴款方式 Paid by", r->method, false, err)))
        goto out;
    if (r->reference && (rc = line(pdf, &y, "交易参考号 Reference", r->reference, false, err)))
        goto out;
    char at[JY_RENDER_TIME_SIZE];
    jy_render_format_time(r->paid_at, at);
    if ((rc = line(pdf, &y, "缴款时间 Paid at", at, false, err)) ||
        (rc = line(pdf, &y, "代收网点 Branch", r->branch_name, false, err)) ||
        (rc = line(pdf, &y, "经办人 Clerk", r->clerk_name, false, err)))
        goto out;

    if (r->reversed) {
        y += 1;
        jy_pdf_box(pdf, MARGIN, y, CW, 9, 0.6, -1);
        st = style(12, true, JY_PDF_CENTRE);
        if ((rc = jy_pdf_text(pdf, MARGIN, y + 1.5, CW, "已撤销  REVERSED", &st, &h, err)))
            goto out;
        y += 10;
        if (r->reversal_reason) {
            snprintf(text, sizeof(text), "撤销原因 Reason: %s", r->reversal_reason);
            st = style(7.5, false, JY_PDF_LEFT);
            if ((rc = jy_pdf_text(pdf, MARGIN, y, CW, text, &st, &h, err)))
                goto out;
            y += h + 1;
        }
    }

    y += 2;
    if ((rc = jy_pdf_qr(pdf, (W - 26) / 2, y, 26, r->decision_number, NULL, err)))
        goto out;
    y += 27;
    st = style(6.5, false, JY_PDF_LEFT);
    st.grey = 0.3;
    if ((rc = jy_pdf_text(pdf, MARGIN, y, CW,
                          "逾期每日按罚款数额的3%加处罚款，加处罚款不超出罚款数额（《行政处罚法》"
                          "第七十二条）。Late payment: 3% of the fine per day, never more than "
                          "the fine (Administrative Penalty Law, art. 72).",
                          &st, &h, err)))
        goto out;
    rc = jy_pdf_finish(pdf, 4, ret, ret_len, err);
out:
    jy_pdf_free(pdf);
    return rc;
}
