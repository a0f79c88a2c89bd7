/*
 * bench.h — what the benchmark programs of bench/ share: the clock, dying with a message, the
 * scratch directory and its database, the cost of one fsync'd write, and the applications row an
 * intake writes. Linked into every bench_* program (CMakeLists.txt); never part of the service.
 */
#ifndef JY_BENCH_H
#define JY_BENCH_H

#include <stdint.h>

#include "error.h"
#include "store/store.h"

/* The program's name for its messages ("bench_limits"); main() sets it first. */
extern const char *jy_bench_name;

/* Seconds on the monotonic clock. */
double jy_bench_now(void);

/* Print "NAME: WHAT: why" to stderr — why is err->message, or strerror(errno) without `err` —
 * and exit 1. */
_Noreturn void jy_bench_die(const char *what, const struct jy_error *err);

/* A new scratch directory "BASE/PREFIX-XXXXXX" into `dir`, and its database path
 * "DIR/jingyou.db" into `db`; dies when either does not fit or mkdtemp fails. */
void jy_bench_scratch(const char *base, const char *prefix, char dir[1024], char db[1100]);

/* Remove what a benchmark leaves in the scratch directory `dir` (jingyou.db with its -wal and
 * -shm files, an empty documents/), then `dir` itself. Errors are ignored. */
void jy_bench_remove_scratch(const char *dir);

/* How many 4 KiB writes + fdatasync of a file in `dir` the disk takes per second: over `n` of
 * them, or, when `n` is 0, over as many as fit in `seconds` (at least one). The file is
 * removed. Dies on an I/O error. */
double jy_bench_fdatasync_rate(const char *dir, long n, double seconds);

/* Open the store at `db` (the real schema and connection settings) with one branch (id 1) and one
 * clerk (id 1) for the applications rows of jy_bench_insert_row(); dies on failure. */
void jy_bench_open_store(const char *db, struct jy_store **ret_store,
                         struct jy_store_conn **ret_conn);

/* Insert one applications row of the size an intake writes (about 700 bytes of text and JSON),
 * numbered from `n` and accepted at 2026-01-01T00:00:00Z + `n` seconds; its id. Dies on
 * failure. */
int64_t jy_bench_insert_row(struct jy_store_conn *conn, int64_t n);

#endif /* JY_BENCH_H */
