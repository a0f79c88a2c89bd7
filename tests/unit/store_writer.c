/*
 * Unit tests for src/store/writer.c: group commit.
 *
 * Threads hand pieces of write work to one writer; each piece inserts one row of a scratch
 * table. The tests check that every caller gets its own result (a piece that fails is rolled
 * back alone, the others of its batch are committed), that what was acknowledged is in the file
 * after it is closed and opened again, and that under concurrency the writer commits fewer times
 * than it is given work. The database lives on the build's own disk, not /dev/shm, so that a
 * commit costs a real fsync and work piles up behind it as it does in the service.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "store/writer.h"

#define THREADS 8
#define PER_THREAD 60

/* ---- fixtures ---- */

struct fixture {
    char dir[256];
    char path[320];
    struct jy_store *store;
    struct jy_store_writer *writer;
};

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char sub[1024];
            snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
            unlink(sub);
        }
        closedir(d);
    }
    rmdir(dir);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    snprintf(fx->dir, sizeof(fx->dir), "jywriter-XXXXXX"); /* the build directory's disk */
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof(fx->path), "%s/jingyou.db", fx->dir);
    struct jy_error err;
    assert_int_equal(jy_store_open(fx->path, &fx->store, &err), JY_OK);
    struct jy_store_conn *conn;
    assert_int_equal(jy_store_conn_get(fx->store, &conn, &err), JY_OK);
    assert_int_equal(sqlite3_exec(jy_store_conn_db(conn),
                                  "CREATE TABLE t (thread INTEGER NOT NULL, i INTEGER NOT NULL,"
                                  " UNIQUE (thread, i)) STRICT",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(jy_store_writer_start(fx->store, &fx->writer, &err), JY_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    jy_store_writer_stop(fx->writer);
    jy_store_close(fx->store);
    remove_dir(fx->dir);
    free(fx);
    return 0;
}

/* ---- the work ---- */

enum outcome {
    WORK_OK,        /* insert the row */
    WORK_REFUSE,    /* insert the row, then refuse: the row must be rolled back */
    WORK_DUPLICATE, /* insert (thread, 0) again: a UNIQUE violation from SQLite */
};

struct work {
    int thread, i;
    enum outcome outcome;
    int64_t rowid; /* out */
};

static enum jy_err insert_row(struct jy_store_conn *conn, void *ctx, struct jy_error *err)
{
    struct work *w = ctx;
    sqlite3_stmt *st = jy_store_stmt(conn, "INSERT INTO t (thread, i) VALUES (?1, ?2)", err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, w->thread);
    sqlite3_bind_int(st, 2, w->outcome == WORK_DUPLICATE ? 0 : w->i);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return jy_store_sqlite_error(conn, rc, err);
    w->rowid = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    /* A little work under the lock, as an intake's few statements take, so that callers pile
     * up behind a batch even when the disk is fast. */
    struct timespec pause = {0, 100 * 1000};
    nanosleep(&pause, NULL);
    if (w->outcome == WORK_REFUSE)
        return jy_error_set(err, JY_UNPROCESSABLE, "refused", "work", "refused by test");
    return JY_OK;
}

static enum outcome outcome_of(int thread, int i)
{
    if (thread == 3 && i % 10 == 5)
        return WORK_REFUSE;
    if (thread == 5 && i % 20 == 7)
        return WORK_DUPLICATE;
    return WORK_OK;
}

struct caller {
    struct jy_store_writer *writer;
    int thread;
    int ok, refused, duplicates, other;
};

static void *call(void *arg)
{
    struct caller *c = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        struct work w = {c->thread, i, outcome_of(c->thread, i), 0};
        struct jy_error err;
        jy_error_clear(&err);
        enum jy_err e = jy_store_writer_run(c->writer, insert_row, &w, &err);
        if (e == JY_OK && w.outcome == WORK_OK && w.rowid > 0)
            c->ok++;
        else if (e == JY_UNPROCESSABLE && w.outcome == WORK_REFUSE &&
                 strcmp(err.reason, "refused") == 0)
            c->refused++;
        else if (e == JY_CONFLICT && w.outcome == WORK_DUPLICATE &&
                 strcmp(err.reason, "duplicate") == 0)
            c->duplicates++;
        else
            c->other++;
    }
    return NULL;
}

/* ---- tests ---- */

/* One caller, one piece: the result and what the work left in its context. */
static void test_one(void **state)
{
    struct fixture *fx = *state;
    struct work w = {1, 1, WORK_OK, 0};
    struct jy_error err;
    assert_int_equal(jy_store_writer_run(fx->writer, insert_row, &w, &err), JY_OK);
    assert_int_equal(w.rowid, 1);
    struct work r = {1, 2, WORK_REFUSE, 0};
    assert_int_equal(jy_store_writer_run(fx->writer, insert_row, &r, &err), JY_UNPROCESSABLE);
    assert_string_equal(err.reason, "refused");
    assert_string_equal(err.field, "work");
    uint64_t commits = 0, work = 0;
    jy_store_writer_counts(fx->writer, &commits, &work);
    assert_int_equal(commits, 2);
    assert_int_equal(work, 2);
}

static int count_rows(const char *path, const char *where)
{
    struct jy_store *store = NULL;
    struct jy_store_conn *conn = NULL;
    struct jy_error err;
    assert_int_equal(jy_store_open_existing(path, &store, &err), JY_OK);
    assert_int_equal(jy_store_conn_get(store, &conn, &err), JY_OK);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM t WHERE %s", where);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(jy_store_conn_db(conn), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    jy_store_close(store);
    return n;
}

/* Many callers at once: each gets its own result, a failing piece takes nothing else with it,
 * every acknowledged row is in the file after reopening, and batches formed. */
static void test_concurrent(void **state)
{
    struct fixture *fx = *state;
    pthread_t tid[THREADS];
    struct caller callers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        callers[t] = (struct caller){.writer = fx->writer, .thread = t};
        assert_int_equal(pthread_create(&tid[t], NULL, call, &callers[t]), 0);
    }
    int ok = 0, refused = 0, duplicates = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        assert_int_equal(callers[t].other, 0);
        ok += callers[t].ok;
        refused += callers[t].refused;
        duplicates += callers[t].duplicates;
    }
    assert_int_equal(refused, PER_THREAD / 10);
    assert_int_equal(duplicates, PER_THREAD / 20);
    assert_int_equal(ok, THREADS * PER_THREAD - refused - duplicates);

    uint64_t commits = 0, work = 0;
    jy_store_writer_counts(fx->writer, &commits, &work);
    assert_int_equal(work, THREADS * PER_THREAD);
    assert_true(commits < work);
    print_message("%d pieces of work in %llu commits\n", THREADS * PER_THREAD,
                  (unsigned long long)commits);

    /* Close everything, open the file again: exactly the acknowledged rows are there. */
    jy_store_writer_stop(fx->writer);
    fx->writer = NULL;
    jy_store_close(fx->store);
    fx->store = NULL;
    assert_int_equal(count_rows(fx->path, "1"), ok);
    assert_int_equal(count_rows(fx->path, "thread = 3 AND i % 10 = 5"), 0);
    assert_int_equal(count_rows(fx->path, "thread = 3"), PER_THREAD - PER_THREAD / 10);
    /* Thread 5's duplicates aimed at (5, 0), which its first piece wrote: one row there. */
    assert_int_equal(count_rows(fx->path, "thread = 5 AND i = 0"), 1);
    assert_int_equal(count_rows(fx->path, "thread = 5"), PER_THREAD - PER_THREAD / 20);
}

/* Work that another writer of the process keeps waiting is not lost: the batch waits for the
 * write gate and then commits. */
static void test_waits_for_other_writer(void **state)
{
    struct fixture *fx = *state;
    struct jy_store_conn *conn;
    struct jy_error err;
    assert_int_equal(jy_store_conn_get(fx->store, &conn, &err), JY_OK);
    assert_int_equal(jy_store_begin(conn, &err), JY_OK);
    struct caller c = {.writer = fx->writer, .thread = 0};
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, call, &c), 0);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_int_equal(c.ok, 0); /* still waiting for the gate */
    assert_int_equal(jy_store_commit(conn, &err), JY_OK);
    pthread_join(tid, NULL);
    assert_int_equal(c.ok, PER_THREAD);
    assert_int_equal(c.other, 0);
}

/* A read-only store has no writer. */
static void test_readonly_refused(void **state)
{
    struct fixture *fx = *state;
    struct jy_store *ro = NULL;
    struct jy_store_writer *w = NULL;
    struct jy_error err;
    assert_int_equal(jy_store_open_readonly(fx->path, &ro, &err), JY_OK);
    assert_int_equal(jy_store_writer_start(ro, &w, &err), JY_IO);
    assert_string_equal(err.reason, "store_readonly");
    assert_null(w);
    jy_store_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waits_for_other_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
