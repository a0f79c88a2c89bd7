/*
 * receipt.h — the acceptance receipt (受理回执) that the counter hands the applicant: who
 * accepted what and when, the application number as QR (the tracking URL, signed — see
 * receipt_sign.h) and as Code 128, the documents received, the fees paid, the expected delivery
 * date and what happens next. On A5 paper or on an 80 mm thermal roll. Labels are bilingual,
 * Chinese first.
 *
 * The applicant's name is masked HERE (jy_render_mask_name: surname and '*'), so that a full
 * name never reaches the paper whatever the caller passes.
 *
 * Thread-safe: each call draws its own document.
 */
#ifndef JY_RECEIPT_H
#define JY_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../error.h"

/* A name in Chinese with its English form. `en` may be NULL (then only `zh` is printed). */
struct jy_receipt_name {
    const char *zh; /* "身份证明" */
    const char *en; /* "Proof of identity" */
};

/* One fee paid at the counter. */
struct jy_receipt_fee {
    struct jy_receipt_name name; /* "工本费" / "Licence card fee" */
    int64_t amount_fen;          /* 0..JY_CATALOG_MAX_FEE_FEN */
};

/*
 * What a receipt shows. Every pointer is borrowed for the duration of the call; every string is
 * UTF-8 without control characters (line feeds allowed in `next_steps`) and at most
 * JY_RENDER_TEXT_MAX_BYTES bytes unless said otherwise; the names of the business, documents
 * and fees at most JY_CATALOG_NAME_MAX_BYTES (they come from the catalog).
 */
struct jy_receipt {
    const char *centre_name;         /* "武汉市车驾管业务邮政代办中心" */
    const char *branch_name;         /* "武昌彭刘杨路邮政支局" */
    const char *number;              /* compact application number, "WH26112900042L": the
                                        Code 128 (printable ASCII, ≤ JY_BARCODE_MAX_BYTES) */
    const char *display_number;      /* "WH-261129-00042-L", printed large */
    const char *qr_payload;          /* what the QR holds: the tracking URL with the receipt's
                                        signature (jy_receipt_sign_payload), ≤ JY_QR_MAX_BYTES */
    const char *business_code;       /* "D01" */
    struct jy_receipt_name business; /* "补领机动车驾驶证" / "Replacement of driving licence" */
    const char *applicant_name;      /* the FULL name (≤ JY_NAME_MAX_BYTES); printed masked */
    const struct jy_receipt_name *documents; /* documents received, in order */
    size_t document_count;                   /* 0..JY_CATALOG_MAX_DOCUMENTS */
    const struct jy_receipt_fee *fees;       /* fees paid; the total is computed here */
    size_t fee_count;                        /* 0..JY_CATALOG_MAX_FEES */
    struct jy_date expected_delivery;        /* expected delivery date; year 0: none (counter-only
                                                business), printed as "—" */
    const char *next_steps;                  /* what happens next, a paragraph; may be NULL */
    const char *clerk;                       /* the clerk's name (经办人) */
    int64_t accepted_at; /* UTC seconds; printed in Asia/Shanghai to the minute */
};

enum jy_receipt_format {
    JY_RECEIPT_A5,       /* A5 portrait, for an office printer */
    JY_RECEIPT_ROLL_80MM /* 80 mm thermal roll, as long as its content */
};

/*
 * Render receipt `r` in `format` as PDF into a buffer allocated with malloc(): `*ret` (the
 * caller frees it with free()) and `*ret_len` bytes; both untouched on failure. An A5 receipt
 * whose content does not fit one page flows onto more pages, each with "n / N".
 * Errors: JY_INVALID / JY_TOO_LONG naming the field (`err->field`, e.g. "fees[1].name.zh") for a
 * missing or unprintable text, a bad number or date; JY_RANGE [bad_amount] for a fee outside
 * 0..JY_CATALOG_MAX_FEE_FEN, [too_many] for too many documents or fees; JY_UNPROCESSABLE
 * [missing_glyph] for a character no installed font has; the errors of jy_pdf_finish().
 */
enum jy_err jy_render_receipt(const struct jy_receipt *r, enum jy_receipt_format format,
                              unsigned char **ret, size_t *ret_len, struct jy_error *err);

#endif /* JY_RECEIPT_H */
