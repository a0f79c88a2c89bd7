/*
 * prom.h — a writer of the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): "# HELP" and "# TYPE" lines
 * before each family's samples, label values escaped (backslash, double quote, line feed),
 * values as Go's ParseFloat reads them ("+Inf", "NaN").
 *
 * The writer grows a buffer up to JY_METRICS_MAX_BYTES; a failure (out of memory, too big) is
 * remembered and reported once by jy_prom_finish(), so that writers need not check each call.
 * Names are the caller's constants and are not checked here; the tests parse the output with a
 * strict parser.
 */
#ifndef JY_CORE_PROM_H
#define JY_CORE_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct jy_prom {
    char *text; /* malloc'd, NUL-terminated; owned until jy_prom_finish() hands it out */
    size_t len, cap;
    bool nomem, too_big;
};

/* An empty writer. */
void jy_prom_init(struct jy_prom *w);

/* Free the text. Accepts NULL. */
void jy_prom_release(struct jy_prom *w);

/* Begin family `name` of `type` ("counter", "gauge", "histogram") with `help` (one line). */
void jy_prom_family(struct jy_prom *w, const char *name, const char *type, const char *help);

/*
 * One sample: `name` (the family's name, or with _bucket, _sum, _count), labels as pairs of
 * strings in `labels` ending in NULL (NULL for none; values are escaped), and the value.
 */
void jy_prom_sample(struct jy_prom *w, const char *name, const char *const *labels, double value);
void jy_prom_sample_int(struct jy_prom *w, const char *name, const char *const *labels,
                        int64_t value);

/* Hand the text out: `*ret` (malloc'd, NUL-terminated, `*ret_len` bytes) becomes the caller's
 * and `w` is emptied. Errors: JY_NOMEM; JY_TOO_LARGE beyond JY_METRICS_MAX_BYTES. */
enum jy_err jy_prom_finish(struct jy_prom *w, char **ret, size_t *ret_len, struct jy_error *err);

#endif /* JY_CORE_PROM_H */
