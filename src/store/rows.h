/*
 * rows.h — small helpers shared by the modules of src/store for binding values and reading
 * rows. Internal to src/store (the jy__ prefix); the rest of the program uses the typed
 * functions of each module.
 */
#ifndef JY_STORE_ROWS_H
#define JY_STORE_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* What a failed jy_store_stmt() returns: the code it left in `err` (JY_INTERNAL without one). */
enum jy_err jy__store_prepare_failed(struct jy_error *err);

/* JY_INTERNAL "no_transaction" unless `conn` is inside a transaction; `what` names the write in
 * the message ("queueing a message must run inside a transaction"). */
enum jy_err jy__store_need_transaction(struct jy_store_conn *conn, const char *what,
                                       struct jy_error *err);

/* Bind `v` at `i`, or NULL when `v` is 0 (a time or an id that is not there). Returns SQLite's
 * result. */
int jy__store_bind_int64_or_null(sqlite3_stmt *st, int i, int64_t v);

/* Column `i` as text, "" for NULL. Points into the statement: valid until it steps or resets. */
const char *jy__store_column_text_or_empty(sqlite3_stmt *st, int i);

/*
 * Reads the row `st` stands on, for jy__store_each_row() and jy__store_one_row(). Sets
 * `*ret_more` false to end the walk early (JY_OK); an error ends it and is what the walk
 * returns. `ctx` is the caller's.
 */
typedef enum jy_err jy__store_row_fn(void *ctx, sqlite3_stmt *st, bool *ret_more,
                                     struct jy_error *err);

/* Step `st` until it is done, `row` ends the walk or fails, handing `row` each row; then reset
 * `st` (bindings stay). SQLite's errors mapped as in store.h. */
enum jy_err jy__store_each_row(struct jy_store_conn *conn, sqlite3_stmt *st, jy__store_row_fn *row,
                               void *ctx, struct jy_error *err);

/* Step `st` once: a row goes to `row` and, when it reads it (JY_OK), `*ret_found` is true; no
 * row sets `*ret_found` false. Then `st` is reset. SQLite's errors mapped as in store.h. */
enum jy_err jy__store_one_row(struct jy_store_conn *conn, sqlite3_stmt *st, jy__store_row_fn *row,
                              void *ctx, bool *ret_found, struct jy_error *err);

/* A jy__store_row_fn: column 0 as an integer (NULL reads as 0) into the int64_t at `ctx`. */
enum jy_err jy__store_row_int64(void *ctx, sqlite3_stmt *st, bool *ret_more, struct jy_error *err);

/* Step `st` (a count, min or max) for the one integer it selects into `*ret`: NULL, or no row,
 * reads as 0. Then `st` is reset. */
enum jy_err jy__store_step_int64(struct jy_store_conn *conn, sqlite3_stmt *st, int64_t *ret,
                                 struct jy_error *err);

#endif /* JY_STORE_ROWS_H */
