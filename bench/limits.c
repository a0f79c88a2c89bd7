/*
 * limits.c — the machine's own limits for durable writes, as figures for `make bench`.
 *
 *   build/bench_limits DIR [SECONDS]
 *
 * In a scratch directory under DIR (which must be on the disk the database will use; not a
 * tmpfs), for about SECONDS (default 3) each:
 *   fdatasync_per_s          a 4 KiB write + fdatasync, as often as the disk takes it;
 *   sqlite_1row_durable      one applications row per transaction, WAL, synchronous=FULL, the
 *                            real schema and connection settings (src/store): the most durable
 *                            one-request-one-commit writes the disk allows;
 *   sqlite_batch100          100 such rows per transaction (rows per second): what the same
 *                            disk takes when commits are shared.
 * Rows are the size an intake writes (about 700 bytes of text and JSON). Prints one JSON object
 * per figure on stdout ({"name","value","unit"}), for bench/run.sh. Never fails on time.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"
#include "lib/bench.h"
#include "banned.h"

static void figure(const char *name, double value, const char *unit)
{
    printf("{\"name\":\"%s\",\"value\":%.1f,\"unit\":\"%s\"}\n", name, value, unit);
    fflush(stdout);
}

/* Commit `rows_per_txn` rows per transaction for about `seconds`; rows per second. */
static double insert_rate(struct jy_store_conn *conn, int rows_per_txn, double seconds, int64_t *n)
{
    struct jy_error err;
    long rows = 0;
    double t0 = jy_bench_now(), t;
    do {
        if (jy_store_begin(conn, &err) != JY_OK)
            jy_bench_die("begin", &err);
        for (int i = 0; i < rows_per_txn; i++)
            jy_bench_insert_row(conn, ++*n);
        if (jy_store_commit(conn, &err) != JY_OK)
            jy_bench_die("commit", &err);
        rows += rows_per_txn;
        t = jy_bench_now() - t0;
    } while (t < seconds);
    return (double)rows / t;
}

int main(int argc, char **argv)
{
    jy_bench_name = "bench_limits";
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_limits DIR [SECONDS]\n");
        return 2;
    }
    double seconds = 3;
    if (argc == 3) {
        char *end = NULL;
        seconds = strtod(argv[2], &end);
        if (!end || *end || seconds < 0.2 || seconds > 600) {
            fprintf(stderr, "bench_limits: SECONDS is 0.2..600\n");
            return 2;
        }
    }
    char dir[1024], db[1100];
    jy_bench_scratch(argv[1], "bench-limits", dir, db);

    figure("fdatasync", jy_bench_fdatasync_rate(dir, 0, seconds), "calls/s");

    struct jy_store *store = NULL;
    struct jy_store_conn *conn = NULL;
    jy_bench_open_store(db, &store, &conn);
    int64_t n = 0;
    /* Warm up until the write-ahead log has been checkpointed and is being written again from
     * its start, as it is in a service that has run for a while: a fresh log grows with every
     * commit, and on most file systems a commit that grows a file costs a metadata journal
     * write on top of the fsync. */
    insert_rate(conn, 100, seconds / 2 > 1 ? 1 : seconds / 2, &n);
    figure("sqlite_1row_durable", insert_rate(conn, 1, seconds, &n), "rows/s");
    figure("sqlite_batch100", insert_rate(conn, 100, seconds, &n), "rows/s");
    jy_store_close(store);
    jy_bench_remove_scratch(dir);
    return 0;
}
