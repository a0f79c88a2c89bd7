/*
 * slip.h — the hall queue's ticket slip (排队号票) on the 80 mm roll of the kiosk's printer.
 *
 * Chinese first, English under it: the centre's name, the service category, the ticket number
 * very large, how many wait ahead, the time it was taken (Asia/Shanghai), and a QR code of the
 * ticket's status page, with its caption.
 */
#ifndef JY_RENDER_SLIP_H
#define JY_RENDER_SLIP_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"

/* What a slip shows. Strings borrowed, UTF-8, printable (jy_render_check_text). */
struct jy_slip {
    const char *centre_name; /* may be NULL: not printed */
    const char *number;      /* "A007" */
    const char *category_zh; /* 机动车业务 */
    const char *category_en; /* Vehicle services */
    int64_t waiting_ahead;   /* tickets of the category ahead of this one, >= 0 */
    int64_t issued_at;       /* UTC seconds */
    const char *status_url;  /* the QR's payload, 1..JY_QR_MAX_BYTES bytes */
};

/* Render `s` as a one-page PDF on the 80 mm roll into `*ret` (malloc'd; the caller frees it)
 * of `*ret_len` bytes. Errors: JY_INVALID "missing" for a NULL or empty field; those of
 * src/render/pdf.h (bad text, a missing glyph, the QR). */
enum jy_err jy_render_slip(const struct jy_slip *s, unsigned char **ret, size_t *ret_len,
                           struct jy_error *err);

#endif /* JY_RENDER_SLIP_H */
