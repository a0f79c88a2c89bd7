/*
 * writer.h — group commit: one writer thread that runs the write work of many requests in one
 * transaction and makes them durable with one commit.
 *
 * A durable commit costs one or two fsyncs of the database's disk, a few milliseconds on most
 * disks, and SQLite admits one writer at a time: with one transaction per request, a service
 * takes at most as many writes per second as the disk takes fsyncs, however many requests wait.
 * The writer lifts that bound. A request hands its write work (a function and its context) to
 * jy_store_writer_run() and sleeps; the writer thread takes every piece of work waiting at that
 * moment (at most JY_STORE_WRITER_BATCH_MAX), runs them in order in ONE write transaction on
 * its own connection — each inside its own SAVEPOINT, so that a piece that fails is rolled back
 * alone and its caller gets its own error while the others go on — commits once, and only then
 * wakes each caller with its result. A result of JY_OK therefore means what jy_store_commit()'s
 * JY_OK means: the work is on disk and survives a crash or a power cut. While one batch
 * commits, the next one gathers, so the more requests wait the more each fsync carries.
 *
 * What the work may do: read and write through the typed store functions with the connection
 * it is given (never the calling thread's own, never jy_store_conn_get()), and fill its
 * context. It runs on the writer thread, inside a transaction and a savepoint that the writer
 * owns, so it must not begin, commit or roll back, must not call jy_store_writer_run() (that
 * would wait for itself), and must not use thread-local state of the caller. It must be quick:
 * every request of its batch waits for it. Validation, hashing and formatting belong before
 * the call, on the caller's thread; only what needs the write lock belongs in the work.
 *
 * Results, per piece of work:
 *   - the work's own error (its savepoint rolled back, nothing of it written);
 *   - JY_OK once the batch's commit returned JY_OK;
 *   - the commit's error when the commit failed (then nothing of the batch was written);
 *   - the error of jy_store_begin() (JY_CONFLICT "store_busy": another writer, in this process
 *     or another, held the store past the busy timeout) when the batch could not start;
 *   - JY_IO "batch_rolled_back" for work that had succeeded when a later piece's failure made
 *     SQLite roll back the whole transaction (a full disk, an I/O error): that work was not
 *     written, and its caller may retry it as a whole.
 *
 * Thread-safety: jy_store_writer_run() may be called from any number of threads at once (but
 * not from the writer's own work). jy_store_writer_start() and jy_store_writer_stop() are
 * called by one thread, before and after every other use.
 */
#ifndef JY_STORE_WRITER_H
#define JY_STORE_WRITER_H

#include <stdint.h>

#include "store.h"

/* The writer: its thread, its queue and its counters. Opaque. */
struct jy_store_writer;

/* A piece of write work: run by the writer thread on `conn` (borrowed, the writer's connection,
 * inside an open transaction and a savepoint) with the caller's `ctx`. Returns JY_OK, or an
 * error with `err` filled (then everything it wrote is rolled back). */
typedef enum jy_err (*jy_store_work_fn)(struct jy_store_conn *conn, void *ctx,
                                        struct jy_error *err);

/*
 * Start the writer of `store` (borrowed; must outlive the writer, and must not be read-only):
 * its thread and its connection, opened before this returns. `*ret` is released with
 * jy_store_writer_stop(). Errors: those of jy_store_conn_get(); JY_IO "store_readonly" for a
 * read-only store; JY_NOMEM or JY_INTERNAL when the thread cannot be created.
 */
enum jy_err jy_store_writer_start(struct jy_store *store, struct jy_store_writer **ret,
                                  struct jy_error *err);

/*
 * Run `fn(conn, ctx, err)` on the writer thread in the next batch, and return once its result
 * is known: JY_OK only after the batch's commit is on disk. `ctx` (borrowed) is handed to `fn`
 * as it is; the caller may read what `fn` left in it once this returns. The results are listed
 * at the top of this file; JY_INTERNAL "writer_stopped" when the writer is stopping.
 */
enum jy_err jy_store_writer_run(struct jy_store_writer *w, jy_store_work_fn fn, void *ctx,
                                struct jy_error *err);

/* Counters since the start: `*ret_commits` transactions committed (or attempted), `*ret_work`
 * pieces of work run. Their ratio is the mean batch size. Either pointer may be NULL. */
void jy_store_writer_counts(const struct jy_store_writer *w, uint64_t *ret_commits,
                            uint64_t *ret_work);

/* Finish the work already queued, stop the thread, close its connection and free `w`. Work
 * submitted afterwards is refused. Accepts NULL. */
void jy_store_writer_stop(struct jy_store_writer *w);

#endif /* JY_STORE_WRITER_H */
