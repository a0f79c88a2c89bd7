/*
 * manifest.h — the hand-over manifest (交接清单) that travels with a branch's bag to the centre,
 * or with the 17:00 outbound batch to the mail centre: what it is, from where to where, the
 * seal or batch number, when it closed, a table of the items (each with its Code 128, so the
 * receiving desk can scan the paper when an item is missing), the counts by business type, and
 * signature boxes for the one who hands over and the one who receives. A4, as many pages as
 * needed, "n / N" on every page; the table's header is repeated on every page.
 *
 * Thread-safe: each call draws its own document.
 */
#ifndef JY_MANIFEST_H
#define JY_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"

enum jy_manifest_kind {
    JY_MANIFEST_BRANCH_BAG,     /* 网点邮袋: a branch's paper files to the centre */
    JY_MANIFEST_OUTBOUND_BATCH, /* 出口批次: sealed EMS envelopes to the mail centre */
};

/* One item. Strings borrowed, UTF-8 without control characters. */
struct jy_manifest_item {
    const char *barcode;   /* the Code 128's data: the compact application number in a
                              branch bag, the S10 item number in an outbound batch
                              (printable ASCII, ≤ JY_BARCODE_MAX_BYTES) */
    const char *number;    /* the same number as people read it, "WH-261129-00042-L" or
                              "EA 123 456 785 CN" */
    const char *reference; /* a second number, e.g. an envelope's application number; may
                              be NULL */
    const char *business_name; /* "补领机动车驾驶证" (≤ JY_CATALOG_NAME_MAX_BYTES); the counts are
                                  by this name */
    const char *note;          /* may be NULL (≤ JY_NOTE_MAX_BYTES) */
};

/* A manifest. Pointers borrowed for the call. */
struct jy_manifest {
    enum jy_manifest_kind kind;
    const char *from;        /* "武昌彭刘杨路邮政支局" */
    const char *to;          /* "武汉市车驾管业务邮政代办中心" */
    const char *reference;   /* the seal number of the bag or the batch number; also
                                printed as Code 128 (printable ASCII,
                                ≤ JY_BARCODE_MAX_BYTES) */
    int64_t closed_at;       /* UTC seconds, printed in Asia/Shanghai */
    const char *prepared_by; /* who closed it (制单人); may be NULL */
    const struct jy_manifest_item *items;
    size_t item_count; /* 0..JY_MANIFEST_MAX_ITEMS */
};

/*
 * Render manifest `m` as an A4 PDF into a buffer allocated with malloc(): `*ret` (the caller
 * frees it with free()) and `*ret_len` bytes; untouched on failure.
 * Errors: JY_INVALID / JY_TOO_LONG with `err->field` naming the field ("items[12].barcode");
 * JY_RANGE [too_many] beyond JY_MANIFEST_MAX_ITEMS; JY_UNPROCESSABLE [missing_glyph]; the
 * errors of jy_pdf_finish().
 */
enum jy_err jy_render_manifest(const struct jy_manifest *m, unsigned char **ret, size_t *ret_len,
                               struct jy_error *err);

#endif /* JY_MANIFEST_H */
