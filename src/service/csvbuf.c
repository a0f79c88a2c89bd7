/*
 * csvbuf.c — a growing text buffer for CSV files: see csvbuf.h.
 */
#include "csvbuf.h"

#include <stdlib.h>
#include <string.h>

#include "../banned.h"

void jy_csv_put(struct jy_csv_buf *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *m = realloc(b->p, cap);
        if (!m) {
            b->nomem = true;
            return;
        }
        b->p = m;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void jy_csv_puts(struct jy_csv_buf *b, const char *s)
{
    jy_csv_put(b, s, strlen(s));
}

void jy_csv_field(struct jy_csv_buf *b, const char *s, bool guard_formula)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula = guard_formula && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
    if (!quote && !formula) {
        jy_csv_puts(b, s);
        return;
    }
    jy_csv_put(b, "\"", 1);
    if (formula)
        jy_csv_put(b, "'", 1);
    for (const char *c = s; *c; c++) {
        jy_csv_put(b, c, 1);
        if (*c == '"')
            jy_csv_put(b, "\"", 1);
    }
    jy_csv_put(b, "\"", 1);
}
