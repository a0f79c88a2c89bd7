/*
 * label.c — the 100 × 150 mm envelope label.
 *
 * From the top: the service band, the S10 item number as Code 128 and in its printed form, the
 * recipient (name, masked mobile, address, postcode), the sender, and a last band with the
 * application number, the contents and the date. The address is set in the largest of three
 * sizes at which it fits its box.
 */
#include "render/label.h"

#include <stdio.h>
#include <string.h>

#include "core/mobile.h"
#include "core/s10.h"
#include "limits.h"
#include "render/pdf.h"
#include "render/render.h"

#include "banned.h"

#define W 100.0
#define H 150.0
#define FRAME 3.0   /* the frame's inset from the edge */
#define SIDE 13.0   /* the column of section labels */
#define MODULE 0.42 /* Code 128 module: about 5 dots of a 300 dpi label printer */
#define BAR_H 20.0
/* The address box: from under the name to above the sender section. */
#define ADDRESS_MAX_H 38.0

static struct jy_pdf_style style(double pt, bool bold, enum jy_pdf_align align)
{
    return (struct jy_pdf_style){.size_pt = pt, .bold = bold, .align = align};
}

static enum jy_err check(const char *s, size_t max, const char *field, struct jy_error *err)
{
    return jy_render_check_text(s, max, false, field, err);
}

static enum jy_err validate(const struct jy_label *l, struct jy_s10 *s10,
                            char mobile[JY_MOBILE_SIZE], struct jy_error *err)
{
    enum jy_err rc;
    if ((rc = check(l->item_number, JY_IDENT_MAX_BYTES, "item_number", err)) ||
        (rc = check(l->recipient, JY_NAME_MAX_BYTES, "recipient", err)) ||
        (rc = check(l->mobile, JY_IDENT_MAX_BYTES, "mobile", err)) ||
        (rc = check(l->address, JY_ADDRESS_MAX_BYTES, "address", err)) ||
        (rc = check(l->sender_name, JY_RENDER_TEXT_MAX_BYTES, "sender_name", err)) ||
        (rc = check(l->application_number, JY_BARCODE_MAX_BYTES, "application_number", err)))
        return rc;
    if ((l->sender_address &&
         (rc = check(l->sender_address, JY_ADDRESS_MAX_BYTES, "sender_address", err))) ||
        (l->sender_phone &&
         (rc = check(l->sender_phone, JY_IDENT_MAX_BYTES, "sender_phone", err))) ||
        (l->contents && (rc = check(l->contents, JY_RENDER_TEXT_MAX_BYTES, "contents", err))))
        return rc;
    if ((rc = jy_s10_parse(l->item_number, strlen(l->item_number), s10, err))) {
        if (err)
            jy_strlcpy(err->field, "item_number", sizeof(err->field));
        return rc;
    }
    if ((rc = jy_mobile_parse(l->mobile, strlen(l->mobile), mobile, err))) {
        if (err)
            jy_strlcpy(err->field, "mobile", sizeof(err->field));
        return rc;
    }
    if (l->postcode) {
        size_t n = strnlen(l->postcode, 7);
        bool ok = n == 6;
        for (size_t i = 0; ok && i < n; i++)
            ok = l->postcode[i] >= '0' && l->postcode[i] <= '9';
        if (!ok)
            return jy_error_set(err, JY_INVALID, "bad_postcode", "postcode",
                                "a postcode is 6 digits");
    }
    if (l->date.year != 0 && !jy_date_is_valid(l->date))
        return jy_error_set(err, JY_INVALID, "bad_date", "date", "not a real date");
    return JY_OK;
}

/* A section label in the left column: Chinese over English, in a grey box. */
static enum jy_err side_label(struct jy_pdf *pdf, double y, double h, const char *zh,
                              const char *en, struct jy_error *err)
{
    jy_pdf_box(pdf, FRAME, y, SIDE, h, 0, 0.9);
    jy_pdf_line(pdf, FRAME + SIDE, y, FRAME + SIDE, y + h, 0.3, 0, 0);
    struct jy_pdf_style st = style(9, true, JY_PDF_CENTRE);
    double th;
    enum jy_err rc = jy_pdf_text(pdf, FRAME, y + 2, SIDE, zh, &st, &th, err);
    st = style(6, false, JY_PDF_CENTRE);
    st.grey = 0.3;
    if (rc == JY_OK)
        rc = jy_pdf_text(pdf, FRAME, y + 2 + th, SIDE, en, &st, NULL, err);
    return rc;
}

enum jy_err jy_render_label(const struct jy_label *l, unsigned char **ret, size_t *ret_len,
                            struct jy_error *err)
{
    if (!l || !ret || !ret_len)
        return jy_error_set(err, JY_INVALID, "missing", NULL, "no label to render");
    struct jy_s10 s10;
    char mobile[JY_MOBILE_SIZE];
    enum jy_err rc = validate(l, &s10, mobile, err);
    if (rc != JY_OK)
        return rc;
    char masked[JY_MOBILE_SIZE];
    jy_mobile_mask(mobile, masked);
    char printed[JY_S10_LENGTH + 8];
    snprintf(printed, sizeof(printed), "%.2s %.3s %.3s %.3s %.2s", s10.number, s10.number + 2,
             s10.number + 5, s10.number + 8, s10.number + 11);

    char title[JY_S10_LENGTH + 32];
    snprintf(title, sizeof(title), "邮件标签 %s", s10.number);
    struct jy_pdf *pdf = NULL;
    if ((rc = jy_pdf_new(JY_PDF_LABEL_100X150, title, &pdf, err)))
        return rc;
    const double x = FRAME, w = W - 2 * FRAME, cx = FRAME + SIDE + 2, cw = w - SIDE - 4;
    double y = FRAME, h;
    struct jy_pdf_style st;

    /* The service band. */
    st = style(20, true, JY_PDF_LEFT);
    if ((rc = jy_pdf_text(pdf, x + 2, y + 1, 0, "EMS", &st, &h, err)))
        goto out;
    st = style(10, true, JY_PDF_LEFT);
    double h2;
    if ((rc = jy_pdf_text(pdf, x + 22, y + 2.2, 0, "邮政特快专递", &st, &h2, err)))
        goto out;
    st = style(6.5, false, JY_PDF_LEFT);
    st.grey = 0.3;
    if ((rc = jy_pdf_text(pdf, x + 22, y + 2.2 + h2, 0, "Express Mail Service", &st, NULL, err)))
        goto out;
    jy_pdf_box(pdf, x + w - 27, y + 2, 25, 9, 0, 0);
    st = style(9, true, JY_PDF_CENTRE);
    st.grey = 1;
    if ((rc = jy_pdf_text(pdf, x + w - 27, y + 2.2, 25, "证件专递", &st, &h2, err)))
        goto out;
    st = style(5.5, false, JY_PDF_CENTRE);
    st.grey = 1;
    if ((rc = jy_pdf_text(pdf, x + w - 27, y + 2.2 + h2 - 0.3, 25, "DOCUMENTS", &st, NULL, err)))
        goto out;
    y += 13;
    jy_pdf_line(pdf, x, y, x + w, y, 0.4, 0, 0);

    /* The item number. */
    double bw;
    if ((rc = jy_pdf_code128_width(s10.number, MODULE, &bw, err)) ||
        (rc = jy_pdf_code128(pdf, (W - bw) / 2, y + 3, MODULE, BAR_H, s10.number, NULL, err)))
        goto out;
    y += 3 + BAR_H + 0.8;
    st = style(15, true, JY_PDF_CENTRE);
    st.mono = true;
    if ((rc = jy_pdf_text(pdf, x, y, w, printed, &st, &h, err)))
        goto out;
    y += h + 1.5;
    jy_pdf_line(pdf, x, y, x + w, y, 0.4, 0, 0);

    /* The recipient: name and mobile, the address in the largest size that fits. */
    double top = y;
    y += 2;
    st = style(14, true, JY_PDF_LEFT);
    if ((rc = jy_pdf_text(pdf, cx, y, cw - 30, l->recipient, &st, &h, err)))
        goto field;
    st = style(12, true, JY_PDF_RIGHT);
    st.mono = true;
    if ((rc = jy_pdf_text(pdf, cx, y + 0.8, cw, masked, &st, NULL, err)))
        goto out;
    y += h + 1;
    static const double sizes[] = {11, 9.5, 8, 7};
    double size = 0, ah = 0;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        st = style(sizes[i], false, JY_PDF_LEFT);
        if ((rc = jy_pdf_text_measure(pdf, cw, l->address, &st, NULL, &ah, err))) {
            if (err)
                jy_strlcpy(err->field, "address", sizeof(err->field));
            goto out;
        }
        if (ah <= ADDRESS_MAX_H) {
            size = sizes[i];
            break;
        }
    }
    if (size == 0) {
        rc = jy_error_set(err, JY_RANGE, "too_long_for_label", "address",
                          "the address does not fit on the label");
        goto out;
    }
    st = style(size, false, JY_PDF_LEFT);
    if ((rc = jy_pdf_text(pdf, cx, y, cw, l->address, &st, &ah, err)))
        goto out;
    y += ah + 1;
    if (l->postcode) {
        char pc[32];
        snprintf(pc, sizeof(pc), "邮编 %s", l->postcode);
        st = style(9, false, JY_PDF_LEFT);
        if ((rc = jy_pdf_text(pdf, cx, y, cw, pc, &st, &h, err)))
            goto out;
        y += h;
    }
    y += 2;
    if (y < top + 46)
        y = top + 46;
    if ((rc = side_label(pdf, top, y - top, "收件人", "To", err)))
        goto out;
    jy_pdf_line(pdf, x, y, x + w, y, 0.4, 0, 0);

    /* The sender. */
    top = y;
    y += 2;
    st = style(9, true, JY_PDF_LEFT);
    if ((rc = jy_pdf_text(pdf, cx, y, cw, l->sender_name, &st, &h, err)))
        goto out;
    y += h;
    st = style(8, false, JY_PDF_LEFT);
    if (l->sender_address) {
        if ((rc = jy_pdf_text(pdf, cx, y, cw, l->sender_address, &st, &h, err)))
            goto out;
        y += h;
    }
    if (l->sender_phone) {
        char phone[JY_IDENT_MAX_BYTES + 32];
        snprintf(phone, sizeof(phone), "电话 Tel. %s", l->sender_phone);
        if ((rc = jy_pdf_text(pdf, cx, y, cw, phone, &st, &h, err)))
            goto out;
        y += h;
    }
    y += 2;
    if (y < top + 22)
        y = top + 22;
    if ((rc = side_label(pdf, top, y - top, "寄件人", "From", err)))
        goto out;
    jy_pdf_line(pdf, x, y, x + w, y, 0.4, 0, 0);

    /* The last band: application number (small), contents, date; the recipient's signature
     * at the bottom. */
    y += 2;
    char line[JY_BARCODE_MAX_BYTES + JY_RENDER_TEXT_MAX_BYTES + 64];
    double tw = w - 4;
    st = style(7.5, false, JY_PDF_LEFT);
    snprintf(line, sizeof(line), "受理编号 Application No.  %s", l->application_number);
    if ((rc = jy_pdf_text(pdf, x + 2, y, tw, line, &st, &h, err)))
        goto out;
    y += h + 0.5;
    if (l->contents) {
        snprintf(line, sizeof(line), "内件 Contents  %s", l->contents);
        if ((rc = jy_pdf_text(pdf, x + 2, y, tw, line, &st, &h, err)))
            goto out;
        y += h;
    }
    if (l->date.year != 0) {
        char d[JY_DATE_TEXT_SIZE];
        snprintf(line, sizeof(line), "交寄日期 Posted  %s", jy_date_format(l->date, d));
        if ((rc = jy_pdf_text(pdf, x + 2, y, tw, line, &st, &h, err)))
            goto out;
        y += h;
    }
    y += 3;
    double sig_y = H - FRAME - 9;
    if (y > sig_y) {
        rc = jy_error_set(err, JY_RANGE, "too_long_for_label", NULL,
                          "the label's content does not fit on 100 × 150 mm");
        goto out;
    }
    jy_pdf_line(pdf, x, sig_y - 2, x + w, sig_y - 2, 0.2, 0.4, 0.8);
    st = style(7.5, false, JY_PDF_LEFT);
    st.grey = 0.25;
    if ((rc = jy_pdf_text(pdf, x + 2, sig_y + 1.5, w - 4,
                          "收件人签名 Signature ______________    日期 Date __________", &st, NULL,
                          err)))
        goto out;
    jy_pdf_box(pdf, x, FRAME, w, H - 2 * FRAME, 0.5, -1);
    rc = jy_pdf_finish(pdf, 0, ret, ret_len, err);
    goto out;
field:
    if (err)
        jy_strlcpy(err->field, "recipient", sizeof(err->field));
out:
    jy_pdf_free(pdf);
    return rc;
}
