/*
 * label.h — the 100 × 150 mm envelope label put on a sealed envelope at dispatch: the EMS item
 * number (UPU S10) as a large Code 128 and in text, the recipient with the address and the
 * mobile number masked (138****8000), the sender (the centre), the application number small.
 *
 * The mobile number is masked HERE (jy_mobile_mask), so a full number never reaches the label.
 * Thread-safe: each call draws its own document.
 */
#ifndef JY_LABEL_H
#define JY_LABEL_H

#include <stddef.h>

#include "../core/date.h"
#include "../error.h"

/* What a label shows. Pointers are borrowed for the call; strings are UTF-8 without control
 * characters, at most JY_RENDER_TEXT_MAX_BYTES unless said otherwise. */
struct jy_label {
    const char *item_number;        /* S10 item number, "EA123456785CN" (any form that
                                       jy_s10_parse accepts); the Code 128 holds the compact
                                       form, the text the printed one "EA 123 456 785 CN" */
    const char *recipient;          /* the recipient's name, in full (≤ JY_NAME_MAX_BYTES) */
    const char *mobile;             /* the recipient's mobile (any form jy_mobile_parse
                                       accepts); printed masked */
    const char *address;            /* the delivery address (≤ JY_ADDRESS_MAX_BYTES) */
    const char *postcode;           /* 6 digits, or NULL */
    const char *sender_name;        /* the centre, "武汉市车驾管业务邮政代办中心" */
    const char *sender_address;     /* may be NULL */
    const char *sender_phone;       /* a service line printed as given, may be NULL */
    const char *application_number; /* display form, "WH-261129-00042-L" */
    const char *contents;           /* what is inside, "机动车驾驶证", may be NULL */
    struct jy_date date;            /* the dispatch date; year 0: not printed */
};

/*
 * Render label `l` as a one-page 100 × 150 mm PDF into a buffer allocated with malloc():
 * `*ret` (the caller frees it with free()) and `*ret_len` bytes; untouched on failure.
 * Errors: JY_INVALID / JY_TOO_LONG with `err->field` naming the field: "item_number" (the
 * reasons of jy_s10_parse), "mobile" (those of jy_mobile_parse), "postcode" [bad_postcode], a
 * missing or unprintable text; JY_RANGE [too_long_for_label] when the address does not fit the
 * label; JY_UNPROCESSABLE [missing_glyph]; the errors of jy_pdf_finish().
 */
enum jy_err jy_render_label(const struct jy_label *l, unsigned char **ret, size_t *ret_len,
                            struct jy_error *err);

#endif /* JY_LABEL_H */
