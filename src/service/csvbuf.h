/*
 * csvbuf.h — a growing text buffer for the CSV files the service writes (the report summary, the
 * fines settlement file, the dashboard's export), and the one way a field is quoted in them
 * (RFC 4180 §2.6, §2.7). Not thread-safe: one buffer per caller.
 */
#ifndef JY_SERVICE_CSVBUF_H
#define JY_SERVICE_CSVBUF_H

#include <stdbool.h>
#include <stddef.h>

/* Start as {0}. `p` is NUL-terminated text of `len` bytes (NULL while empty), owned by the
 * caller, who frees it with free(). After a failed allocation `nomem` is true, what came
 * before stays and every later write is dropped. */
struct jy_csv_buf {
    char *p;
    size_t len, cap;
    bool nomem;
};

/* Append the `n` bytes at `s`. */
void jy_csv_put(struct jy_csv_buf *b, const char *s, size_t n);

/* Append the NUL-terminated `s`. */
void jy_csv_puts(struct jy_csv_buf *b, const char *s);

/*
 * Append `s` as one CSV field: as it is, or in double quotes (a quote in it doubled) when it
 * holds a comma, a double quote, CR or LF. With `guard_formula`, a field that starts with
 * = + - or @ (which a spreadsheet would run as a formula) is quoted too and starts with an
 * apostrophe inside the quotes. No separator is appended.
 */
void jy_csv_field(struct jy_csv_buf *b, const char *s, bool guard_formula);

#endif /* JY_SERVICE_CSVBUF_H */
