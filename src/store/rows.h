/*
 * rows.h — small helpers shared by the modules of src/store for binding values and reading
 * rows. Internal to src/store (the jy__ prefix); the rest of the program uses the typed
 * functions of each module.
 */
#ifndef JY_STORE_ROWS_H
#define JY_STORE_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/* Bind `s` as text (copied), or NULL when `s` is NULL or empty. Returns SQLite's result. */
int jy__store_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);

/* Copy column `i` into `buf` of `size` bytes ("" for NULL). False (and `buf` "") when the stored
 * text does not fit: the database was changed by something other than this program. */
bool jy__store_column_text(sqlite3_stmt *st, int i, char *buf, size_t size);

/* Step a write statement to its end and reset it; SQLite's errors mapped as in store.h. */
enum jy_err jy__store_step_done(struct jy_store_conn *conn, sqlite3_stmt *st, struct jy_error *err);

/* JY_TOO_LONG "too_long" naming `field` when `s` is longer than `max` bytes; else JY_OK. */
enum jy_err jy__store_check_len(const char *s, size_t max, const char *field, struct jy_error *err);

/* JY_INTERNAL "stored_value_too_long": a value read from `table` does not fit this program's
 * bounds. Returns the code. */
enum jy_err jy__store_stored_too_long(struct jy_error *err, const char *table);

#endif /* JY_STORE_ROWS_H */
