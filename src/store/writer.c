/*
 * writer.c — group commit: the writer thread, its queue and its batches. See writer.h.
 *
 * The queue is a singly linked list of jobs that live on their callers' stacks: a caller links
 * its job in under the mutex, wakes the writer and waits on the job's own condition variable
 * until the writer marks it done. The writer unlinks the whole queue (up to the batch limit) at
 * once, so that work arriving while a batch runs forms the next batch, runs it without the
 * mutex, and then marks each job done under the mutex. A job is never touched after it is
 * marked done: its caller may return at once and its stack frame be gone.
 */
#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../limits.h"
#include "../banned.h"

/* One caller's piece of work, on the caller's stack. */
struct job {
    jy_store_work_fn fn;
    void *ctx;
    enum jy_err result;
    struct jy_error err;
    bool done;           /* under w->lock */
    pthread_cond_t wake; /* signalled when done turns true */
    struct job *next;    /* in the queue, then in the batch */
};

struct jy_store_writer {
    struct jy_store *store; /* borrowed */
    pthread_t thread;
    pthread_mutex_t lock; /* guards everything below but the counters */
    pthread_cond_t work;  /* signalled when a job is queued or stop is set */
    struct job *head, *tail;
    bool stop;
    bool started; /* the thread has its connection, or failed to get one */
    enum jy_err start_result;
    struct jy_error start_err;
    atomic_uint_fast64_t commits, jobs;
};

/* ---- one batch ---- */

/* Step one of the writer's fixed statements (SAVEPOINT, RELEASE, ROLLBACK TO). */
static enum jy_err exec(struct jy_store_conn *conn, const char *sql, struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return err ? err->code : JY_INTERNAL;
    int rc = sqlite3_step(st);
    enum jy_err e = rc == SQLITE_DONE ? JY_OK : jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* Run one job inside its own savepoint: released when the job succeeds, rolled back to (and
 * released) when it fails, so that its failure undoes its own writes and nothing else. */
static void run_job(struct jy_store_conn *conn, struct job *j)
{
    j->result = exec(conn, "SAVEPOINT jy_writer_job", &j->err);
    if (j->result != JY_OK)
        return;
    jy_error_clear(&j->err);
    j->result = j->fn(conn, j->ctx, &j->err);
    if (!jy_store_in_transaction(conn) || sqlite3_get_autocommit(jy_store_conn_db(conn)))
        return; /* SQLite rolled the whole transaction back; the caller sees to it */
    if (j->result == JY_OK) {
        struct jy_error e2;
        if (exec(conn, "RELEASE jy_writer_job", &e2) == JY_OK)
            return;
        j->result = e2.code;
        j->err = e2;
    }
    jy__store_reset_busy(conn);
    struct jy_error ignored;
    if (exec(conn, "ROLLBACK TO jy_writer_job", &ignored) == JY_OK)
        exec(conn, "RELEASE jy_writer_job", &ignored);
}

/* Give every job from `from` up to (not including) `to` the result `e` / `err`. */
static void fail_range(struct job *from, struct job *to, enum jy_err e, const struct jy_error *err)
{
    for (struct job *j = from; j != to; j = j->next) {
        j->result = e;
        j->err = *err;
    }
}

/* Run the jobs of `batch` (linked by next) in as few transactions as possible: one, unless
 * SQLite itself rolls a transaction back part way, in which case the jobs that had run in it are
 * failed and the rest go on in a new one. */
static void run_batch(struct jy_store_writer *w, struct jy_store_conn *conn, struct job *batch)
{
    struct job *start = batch;
    while (start) {
        struct jy_error err;
        enum jy_err e = jy_store_begin(conn, &err);
        atomic_fetch_add(&w->commits, 1);
        if (e != JY_OK) {
            fail_range(start, NULL, e, &err);
            return;
        }
        struct job *j = start;
        for (; j; j = j->next) {
            atomic_fetch_add(&w->jobs, 1);
            run_job(conn, j);
            if (sqlite3_get_autocommit(jy_store_conn_db(conn)))
                break;
        }
        if (j) {
            /* The transaction is gone (a full disk, an I/O error): `j` has its own error; the
             * jobs before it succeeded in a transaction that no longer exists. */
            jy_store_rollback(conn);
            if (j->result == JY_OK)
                jy_error_set(&j->err, j->result = JY_IO, "store_io", NULL,
                             "the store rolled back the transaction");
            jy_error_set(&err, JY_IO, "batch_rolled_back", NULL,
                         "the store rolled back the transaction this write was part of (%s); "
                         "nothing of it was written",
                         j->err.message);
            for (struct job *k = start; k != j; k = k->next)
                if (k->result == JY_OK) {
                    k->result = JY_IO;
                    k->err = err;
                }
            start = j->next;
            continue;
        }
        e = jy_store_commit(conn, &err);
        if (e != JY_OK)
            for (struct job *k = start; k; k = k->next)
                if (k->result == JY_OK) {
                    k->result = e;
                    k->err = err;
                }
        return;
    }
}

/* ---- the thread ---- */

static void *writer_main(void *arg)
{
    struct jy_store_writer *w = arg;
    struct jy_store_conn *conn = NULL;
    struct jy_error err;
    enum jy_err e = jy_store_conn_get(w->store, &conn, &err);
    pthread_mutex_lock(&w->lock);
    w->started = true;
    w->start_result = e;
    if (e != JY_OK)
        w->start_err = err;
    pthread_cond_broadcast(&w->work);
    if (e != JY_OK) {
        pthread_mutex_unlock(&w->lock);
        return NULL;
    }
    for (;;) {
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->work, &w->lock);
        if (!w->head)
            break; /* stopping, and nothing left */
        struct job *batch = w->head, *last = batch;
        for (int n = 1; n < JY_STORE_WRITER_BATCH_MAX && last->next; n++)
            last = last->next;
        w->head = last->next;
        if (!w->head)
            w->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&w->lock);

        run_batch(w, conn, batch);

        pthread_mutex_lock(&w->lock);
        for (struct job *j = batch; j;) {
            struct job *next = j->next; /* read before done: the caller may be gone after */
            j->done = true;
            pthread_cond_signal(&j->wake);
            j = next;
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL; /* the connection is closed by the store's thread-exit destructor */
}

enum jy_err jy_store_writer_start(struct jy_store *store, struct jy_store_writer **ret,
                                  struct jy_error *err)
{
    if (jy_store_is_readonly(store))
        return jy_error_set(err, JY_IO, "store_readonly", NULL,
                            "the database was opened read-only; nothing can be written");
    struct jy_store_writer *w = calloc(1, sizeof(*w));
    if (!w)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    w->store = store;
    atomic_init(&w->commits, 0);
    atomic_init(&w->jobs, 0);
    int rc = pthread_mutex_init(&w->lock, NULL);
    if (rc != 0)
        goto fail_mutex;
    rc = pthread_cond_init(&w->work, NULL);
    if (rc != 0)
        goto fail_cond;
    rc = pthread_create(&w->thread, NULL, writer_main, w);
    if (rc != 0)
        goto fail_thread;
    pthread_mutex_lock(&w->lock);
    while (!w->started)
        pthread_cond_wait(&w->work, &w->lock);
    enum jy_err e = w->start_result;
    if (e != JY_OK && err)
        *err = w->start_err;
    pthread_mutex_unlock(&w->lock);
    if (e != JY_OK) {
        pthread_join(w->thread, NULL);
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return e;
    }
    *ret = w;
    return JY_OK;

fail_thread:
    pthread_cond_destroy(&w->work);
fail_cond:
    pthread_mutex_destroy(&w->lock);
fail_mutex:
    free(w);
    return jy_error_set(err, rc == ENOMEM || rc == EAGAIN ? JY_NOMEM : JY_INTERNAL, "pthread", NULL,
                        "cannot start the store's writer: %s", strerror(rc));
}

enum jy_err jy_store_writer_run(struct jy_store_writer *w, jy_store_work_fn fn, void *ctx,
                                struct jy_error *err)
{
    struct job j = {.fn = fn, .ctx = ctx};
    int rc = pthread_cond_init(&j.wake, NULL);
    if (rc != 0)
        return jy_error_set(err, JY_NOMEM, "pthread", NULL, "cannot wait for the writer: %s",
                            strerror(rc));
    pthread_mutex_lock(&w->lock);
    if (w->stop) {
        pthread_mutex_unlock(&w->lock);
        pthread_cond_destroy(&j.wake);
        return jy_error_set(err, JY_INTERNAL, "writer_stopped", NULL,
                            "the store's writer is stopping");
    }
    if (w->tail)
        w->tail->next = &j;
    else
        w->head = &j;
    w->tail = &j;
    pthread_cond_signal(&w->work);
    while (!j.done)
        pthread_cond_wait(&j.wake, &w->lock);
    pthread_mutex_unlock(&w->lock);
    pthread_cond_destroy(&j.wake);
    if (j.result != JY_OK && err)
        *err = j.err;
    return j.result;
}

void jy_store_writer_counts(const struct jy_store_writer *w, uint64_t *ret_commits,
                            uint64_t *ret_work)
{
    if (ret_commits)
        *ret_commits = atomic_load(&w->commits);
    if (ret_work)
        *ret_work = atomic_load(&w->jobs);
}

void jy_store_writer_stop(struct jy_store_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_broadcast(&w->work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
