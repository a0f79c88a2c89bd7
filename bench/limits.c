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
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "banned.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct jy_error *err)
{
    fprintf(stderr, "bench_limits: %s: %s\n", what, err ? err->message : strerror(errno));
    exit(1);
}

static void figure(const char *name, double value, const char *unit)
{
    printf("{\"name\":\"%s\",\"value\":%.1f,\"unit\":\"%s\"}\n", name, value, unit);
    fflush(stdout);
}

static const char insert_sql[] =
    "INSERT INTO applications (number, business_type, branch_id, clerk_id, state, station,\n"
    "  applicant_name, applicant_id_type, applicant_id_number, applicant_mobile,\n"
    "  vehicle_plate, vehicle_plate_type, vehicle_vin, licence_number, licence_class,\n"
    "  delivery_recipient, delivery_mobile, delivery_address, delivery_postcode,\n"
    "  fees_json, fee_total_fen, documents_json, accepted_at, due_date, updated_at)\n"
    "VALUES (?1, 'D01', 1, 1, 'at_station', 'review', '张三', 'resident_id', "
    "'11010519491231002X',\n"
    "  '13800138000', '鄂A12345', '02', 'LSVAM4187C2184847', '11010519491231002X', 'C1',\n"
    "  '张三', '13800138000', '湖北省武汉市武昌区彭刘杨路1号中南花园小区7栋2单元1502室',\n"
    "  '430060',\n"
    "  '[{\"code\":\"licence_fee\",\"name\":\"工本费\",\"amount_fen\":1000},"
    "{\"code\":\"ems\",\"name\":\"邮寄费\",\"amount_fen\":1500}]',\n"
    "  2500, '[\"id_card\",\"photo\",\"application_form\",\"medical_certificate\"]', ?2,\n"
    "  '2026-01-09', ?2)";

static void insert_row(struct jy_store_conn *conn, int64_t n)
{
    struct jy_error err;
    sqlite3_stmt *stmt = jy_store_stmt(conn, insert_sql, &err);
    if (!stmt)
        die("prepare", &err);
    char number[32];
    snprintf(number, sizeof(number), "420100-%012" PRId64, n);
    sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, 1767225600 + n);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
        jy_store_sqlite_error(conn, rc, &err);
        die("insert", &err);
    }
    sqlite3_reset(stmt);
}

/* Commit `rows_per_txn` rows per transaction for about `seconds`; rows per second. */
static double insert_rate(struct jy_store_conn *conn, int rows_per_txn, double seconds, int64_t *n)
{
    struct jy_error err;
    long rows = 0;
    double t0 = now(), t;
    do {
        if (jy_store_begin(conn, &err) != JY_OK)
            die("begin", &err);
        for (int i = 0; i < rows_per_txn; i++)
            insert_row(conn, ++*n);
        if (jy_store_commit(conn, &err) != JY_OK)
            die("commit", &err);
        rows += rows_per_txn;
        t = now() - t0;
    } while (t < seconds);
    return (double)rows / t;
}

static double fdatasync_rate(const char *dir, double seconds)
{
    char path[1100];
    if (snprintf(path, sizeof(path), "%s/fsync-probe", dir) >= (int)sizeof(path))
        die("path too long", NULL);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        die(path, NULL);
    char block[4096];
    memset(block, 'x', sizeof(block));
    long n = 0;
    double t0 = now(), t;
    do {
        if (pwrite(fd, block, sizeof(block), 0) != (ssize_t)sizeof(block) || fdatasync(fd) != 0)
            die("fsync probe", NULL);
        n++;
        t = now() - t0;
    } while (t < seconds);
    close(fd);
    unlink(path);
    return (double)n / t;
}

int main(int argc, char **argv)
{
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
    char dir[1024];
    if (snprintf(dir, sizeof(dir), "%s/bench-limits-XXXXXX", argv[1]) >= (int)sizeof(dir) ||
        !mkdtemp(dir))
        die(dir, NULL);
    char db[1100];
    snprintf(db, sizeof(db), "%s/jingyou.db", dir);

    figure("fdatasync", fdatasync_rate(dir, seconds), "calls/s");

    struct jy_error err;
    struct jy_store *store = NULL;
    struct jy_store_conn *conn = NULL;
    if (jy_store_open(db, &store, &err) != JY_OK || jy_store_conn_get(store, &conn, &err) != JY_OK)
        die("open", &err);
    if (sqlite3_exec(jy_store_conn_db(conn),
                     "INSERT INTO branches (id, code, name_zh) VALUES (1, 'B001', '彭刘杨路');"
                     "INSERT INTO users (id, username, role, branch_id, password_hash, created_at)"
                     " VALUES (1, 'clerk', 'clerk', 1, 'x', 0);",
                     NULL, NULL, NULL) != SQLITE_OK)
        die("fixture", NULL);
    int64_t n = 0;
    /* Warm up until the write-ahead log has been checkpointed and is being written again from
     * its start, as it is in a service that has run for a while: a fresh log grows with every
     * commit, and on most file systems a commit that grows a file costs a metadata journal
     * write on top of the fsync. */
    insert_rate(conn, 100, seconds / 2 > 1 ? 1 : seconds / 2, &n);
    figure("sqlite_1row_durable", insert_rate(conn, 1, seconds, &n), "rows/s");
    figure("sqlite_batch100", insert_rate(conn, 100, seconds, &n), "rows/s");
    jy_store_close(store);

    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[1200];
        snprintf(path, sizeof(path), "%s%s", db, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
