/*
 * prom.c — the Prometheus text format writer: see prom.h.
 */
#include "prom.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "../banned.h"

void jy_prom_init(struct jy_prom *w)
{
    memset(w, 0, sizeof(*w));
}

void jy_prom_release(struct jy_prom *w)
{
    if (!w)
        return;
    free(w->text);
    memset(w, 0, sizeof(*w));
}

static void put(struct jy_prom *w, const char *s, size_t n)
{
    if (w->nomem || w->too_big)
        return;
    if (w->len + n + 1 > JY_METRICS_MAX_BYTES) {
        w->too_big = true;
        return;
    }
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 8192;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *g = realloc(w->text, cap);
        if (!g) {
            w->nomem = true;
            return;
        }
        w->text = g;
        w->cap = cap;
    }
    memcpy(w->text + w->len, s, n);
    w->len += n;
    w->text[w->len] = '\0';
}

static void puts_(struct jy_prom *w, const char *s)
{
    put(w, s, strlen(s));
}

/* `s` with backslash and line feed escaped, and the double quote too when `quote`. */
static void put_escaped(struct jy_prom *w, const char *s, bool quote)
{
    for (; *s; s++) {
        if (*s == '\\')
            puts_(w, "\\\\");
        else if (*s == '\n')
            puts_(w, "\\n");
        else if (*s == '"' && quote)
            puts_(w, "\\\"");
        else
            put(w, s, 1);
    }
}

void jy_prom_family(struct jy_prom *w, const char *name, const char *type, const char *help)
{
    puts_(w, "# HELP ");
    puts_(w, name);
    puts_(w, " ");
    put_escaped(w, help, false);
    puts_(w, "\n# TYPE ");
    puts_(w, name);
    puts_(w, " ");
    puts_(w, type);
    puts_(w, "\n");
}

static void put_head(struct jy_prom *w, const char *name, const char *const *labels)
{
    puts_(w, name);
    if (labels && labels[0]) {
        puts_(w, "{");
        for (size_t i = 0; labels[i] && labels[i + 1]; i += 2) {
            if (i)
                puts_(w, ",");
            puts_(w, labels[i]);
            puts_(w, "=\"");
            put_escaped(w, labels[i + 1], true);
            puts_(w, "\"");
        }
        puts_(w, "}");
    }
    puts_(w, " ");
}

void jy_prom_sample(struct jy_prom *w, const char *name, const char *const *labels, double value)
{
    char num[64];
    put_head(w, name, labels);
    if (isnan(value))
        snprintf(num, sizeof(num), "NaN\n");
    else if (isinf(value))
        snprintf(num, sizeof(num), "%sInf\n", value > 0 ? "+" : "-");
    else
        snprintf(num, sizeof(num), "%.15g\n", value);
    puts_(w, num);
}

void jy_prom_sample_int(struct jy_prom *w, const char *name, const char *const *labels,
                        int64_t value)
{
    char num[32];
    put_head(w, name, labels);
    snprintf(num, sizeof(num), "%" PRId64 "\n", value);
    puts_(w, num);
}

enum jy_err jy_prom_finish(struct jy_prom *w, char **ret, size_t *ret_len, struct jy_error *err)
{
    if (w->nomem || w->too_big) {
        enum jy_err e = w->nomem
                            ? jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory")
                            : jy_error_set(err, JY_TOO_LARGE, "metrics_too_large", NULL,
                                           "the metrics exceed %d bytes", JY_METRICS_MAX_BYTES);
        jy_prom_release(w);
        return e;
    }
    if (!w->text)
        put(w, "", 0);
    if (!w->text)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    *ret = w->text;
    *ret_len = w->len;
    memset(w, 0, sizeof(*w));
    return JY_OK;
}
