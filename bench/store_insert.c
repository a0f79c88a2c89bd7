/*
 * store_insert.c — how fast the SQLite store takes durable writes on this disk.
 *
 *   build/bench_store_insert [DIR] [ROWS]
 *
 * Creates a scratch database under DIR (default: the current directory, which should be on the
 * disk the service will use; not a tmpfs) with the real schema and the real connection settings
 * (WAL, synchronous=FULL), and times:
 *   1. one applications row per transaction (each commit is fsync'd);
 *   2. 100 applications rows per transaction;
 *   3. an intake-shaped transaction: number sequence + applications row + hash-chained event;
 *   4. the same from several threads at once (the write gate queues them; SQLite has one writer);
 * next to the cost of one fsync'd 4 KiB write on the same disk, which bounds (1) and (3).
 * Rows are of the size an intake writes (about 700 bytes of text and JSON). Prints figures; it
 * never fails on time. The scratch database is removed at the end.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/sequence.h"
#include "store/store.h"
#include "lib/bench.h"
#include "banned.h"

#define THREADS 4

static void begin(struct jy_store_conn *conn)
{
    struct jy_error err;
    if (jy_store_begin(conn, &err) != JY_OK)
        jy_bench_die("begin", &err);
}

static void commit(struct jy_store_conn *conn)
{
    struct jy_error err;
    if (jy_store_commit(conn, &err) != JY_OK)
        jy_bench_die("commit", &err);
}

/* One intake: a number, the row and its first event, in one transaction. */
static void intake(struct jy_store_conn *conn)
{
    struct jy_error err;
    begin(conn);
    int64_t n = 0, id = 0, event_id = 0;
    if (jy_store_sequence_next(conn, "appno", &n, &err) != JY_OK)
        jy_bench_die("sequence", &err);
    id = jy_bench_insert_row(conn, 1000000000 + n); /* numbers apart from phases 1 and 2 */
    struct jy_event ev = {.application_id = id,
                          .at = 1767225600 + n,
                          .actor_id = 1,
                          .actor_role = "clerk",
                          .branch_id = 1,
                          .to_state = "at_station",
                          .to_station = "review"};
    if (jy_store_event_append(conn, &ev, &event_id, &err) != JY_OK)
        jy_bench_die("event", &err);
    commit(conn);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Print a line: rows per second, and commit latency percentiles when `lat` is given. */
static void report(const char *what, long rows, double seconds, double *lat, long n_lat)
{
    printf("%-46s %8ld rows %8.2f s %9.0f rows/s", what, rows, seconds, (double)rows / seconds);
    if (lat && n_lat > 0) {
        qsort(lat, (size_t)n_lat, sizeof(double), cmp_double);
        printf("   per commit p50 %.2f ms, p99 %.2f ms", lat[n_lat / 2] * 1e3,
               lat[(n_lat * 99) / 100] * 1e3);
    }
    printf("\n");
}

struct worker {
    struct jy_store *store;
    long n;
};

static void *intake_thread(void *arg)
{
    struct worker *w = arg;
    struct jy_store_conn *conn = NULL;
    struct jy_error err;
    if (jy_store_conn_get(w->store, &conn, &err) != JY_OK)
        jy_bench_die("connection", &err);
    for (long i = 0; i < w->n; i++)
        intake(conn);
    return NULL;
}

int main(int argc, char **argv)
{
    jy_bench_name = "bench_store_insert";
    const char *base = argc > 1 ? argv[1] : ".";
    long rows = 1000;
    if (argc > 2) {
        char *end = NULL;
        rows = strtol(argv[2], &end, 10);
        if (!end || *end || rows < 100 || rows > 10000000) {
            fprintf(stderr, "usage: bench_store_insert [DIR] [ROWS (100..10000000)]\n");
            return 2;
        }
    }
    char dir[1024], db[1100];
    jy_bench_scratch(base, "bench-store", dir, db);

    struct jy_error err;
    struct jy_store *store = NULL;
    struct jy_store_conn *conn = NULL;
    jy_bench_open_store(db, &store, &conn);

    printf("store insert benchmark: SQLite %s, WAL, synchronous=FULL, database %s\n",
           sqlite3_libversion(), db);
    double fs = 1.0 / jy_bench_fdatasync_rate(dir, 200, 0);
    printf("%-46s %.2f ms, i.e. at most %.0f durable commits/s\n",
           "one 4 KiB write + fdatasync on this disk", fs * 1e3, 1.0 / fs);

    double *lat = calloc((size_t)rows, sizeof(double));
    if (!lat)
        jy_bench_die("memory", NULL);
    int64_t n = 0;

    /* 1. One row per transaction. */
    double t0 = jy_bench_now();
    for (long i = 0; i < rows; i++) {
        double c0 = jy_bench_now();
        begin(conn);
        jy_bench_insert_row(conn, ++n);
        commit(conn);
        lat[i] = jy_bench_now() - c0;
    }
    report("1 applications row per transaction", rows, jy_bench_now() - t0, lat, rows);

    /* 2. 100 rows per transaction. */
    long batches = rows > 10000 ? rows / 100 : 100;
    t0 = jy_bench_now();
    for (long b = 0; b < batches; b++) {
        double c0 = jy_bench_now();
        begin(conn);
        for (int i = 0; i < 100; i++)
            jy_bench_insert_row(conn, ++n);
        commit(conn);
        lat[b] = jy_bench_now() - c0;
    }
    report("100 applications rows per transaction", batches * 100, jy_bench_now() - t0, lat,
           batches);

    /* 3. Intake-shaped transactions, one thread. */
    t0 = jy_bench_now();
    for (long i = 0; i < rows; i++) {
        double c0 = jy_bench_now();
        intake(conn);
        lat[i] = jy_bench_now() - c0;
    }
    report("intake (sequence + row + event), 1 thread", rows, jy_bench_now() - t0, lat, rows);

    /* 4. The same from several threads. */
    struct worker workers[THREADS];
    pthread_t threads[THREADS];
    t0 = jy_bench_now();
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){store, rows / THREADS};
        if (pthread_create(&threads[t], NULL, intake_thread, &workers[t]) != 0)
            jy_bench_die("thread", NULL);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    char label[64];
    snprintf(label, sizeof(label), "intake, %d threads", THREADS);
    report(label, (rows / THREADS) * THREADS, jy_bench_now() - t0, NULL, 0);

    int64_t checked = 0, broken = 0;
    t0 = jy_bench_now();
    if (jy_store_audit_verify(conn, &checked, &broken, &err) != JY_OK)
        jy_bench_die("verify", &err);
    printf("%-46s %8" PRId64 " events %6.2f s\n", "audit verify", checked, jy_bench_now() - t0);

    printf("limits: one city needs ~1,800 intakes a day (peak one every few seconds); the design\n"
           "aims at thousands of durable intakes per second on one machine.\n");
    free(lat);
    jy_store_close(store);
    jy_bench_remove_scratch(dir);
    return 0;
}
