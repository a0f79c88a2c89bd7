/*
 * fine_receipt.h — the payment receipt of a traffic fine (罚款缴纳凭证) on the 80 mm roll:
 * the decision number as Code 128 and as a QR code, the plate and the violation, the fine, the
 * late-payment surcharge with its days, the total, how it was paid, the branch, the clerk and
 * the time; "已撤销 REVERSED" across it when the payment was reversed.
 */
#ifndef JY_RENDER_FINE_RECEIPT_H
#define JY_RENDER_FINE_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../error.h"

/* What the receipt shows. Every string is borrowed UTF-8 without control characters. */
struct jy_fine_receipt {
    const char *serial;          /* the receipt's number, "FK00000012" (printable ASCII) */
    const char *decision_number; /* printable ASCII: goes into the barcodes */
    const char *plate;
    const char *violation; /* the decision's description */
    int64_t fine_fen, surcharge_fen, amount_fen;
    int days_overdue;
    const char *method;    /* as shown: "现金 Cash" */
    const char *reference; /* NULL: none */
    const char *branch_name;
    const char *clerk_name;
    int64_t paid_at; /* UTC seconds; shown in Asia/Shanghai */
    bool reversed;
    const char *reversal_reason; /* NULL unless reversed */
};

/* Render `r` as a PDF into `*ret` (malloc; the caller frees) of `*ret_len` bytes. Errors:
 * JY_INVALID naming the field of a missing or unprintable text; those of pdf.h. */
enum jy_err jy_render_fine_receipt(const struct jy_fine_receipt *r, unsigned char **ret,
                                   size_t *ret_len, struct jy_error *err);

#endif /* JY_RENDER_FINE_RECEIPT_H */
