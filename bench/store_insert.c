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
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/audit.h"
#include "store/sequence.h"
#include "store/store.h"
#include "banned.h"

#define THREADS 4

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct jy_error *err)
{
    fprintf(stderr, "bench_store_insert: %s: %s\n", what, err ? err->message : strerror(errno));
    exit(1);
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

/* Insert one applications row numbered `n`; its id into *ret_id. */
static void insert_row(struct jy_store_conn *conn, int64_t n, int64_t *ret_id)
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
    *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
}

static void begin(struct jy_store_conn *conn)
{
    struct jy_error err;
    if (jy_store_begin(conn, &err) != JY_OK)
        die("begin", &err);
}

static void commit(struct jy_store_conn *conn)
{
    struct jy_error err;
    if (jy_store_commit(conn, &err) != JY_OK)
        die("commit", &err);
}

/* One intake: a number, the row and its first event, in one transaction. */
static void intake(struct jy_store_conn *conn)
{
    struct jy_error err;
    begin(conn);
    int64_t n = 0, id = 0, event_id = 0;
    if (jy_store_sequence_next(conn, "appno", &n, &err) != JY_OK)
        die("sequence", &err);
    insert_row(conn, 1000000000 + n, &id); /* numbers apart from phases 1 and 2 */
    struct jy_event ev = {.application_id = id,
                          .at = 1767225600 + n,
                          .actor_id = 1,
                          .actor_role = "clerk",
                          .branch_id = 1,
                          .to_state = "at_station",
                          .to_station = "review"};
    if (jy_store_event_append(conn, &ev, &event_id, &err) != JY_OK)
        die("event", &err);
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

/* The cost of one write + fdatasync of 4 KiB in `dir`, averaged over `n`. */
static double fsync_cost(const char *dir, int n)
{
    char path[1024];
    if (snprintf(path, sizeof(path), "%s/fsync-probe", dir) >= (int)sizeof(path))
        die("path too long", NULL);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        die(path, NULL);
    char block[4096];
    memset(block, 'x', sizeof(block));
    double t0 = now();
    for (int i = 0; i < n; i++) {
        if (pwrite(fd, block, sizeof(block), 0) != (ssize_t)sizeof(block) || fdatasync(fd) != 0)
            die("fsync probe", NULL);
    }
    double t = (now() - t0) / n;
    close(fd);
    unlink(path);
    return t;
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
        die("connection", &err);
    for (long i = 0; i < w->n; i++)
        intake(conn);
    return NULL;
}

static void remove_db(const char *dir, const char *db)
{
    char path[1100];
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        if (snprintf(path, sizeof(path), "%s%s", db, suffixes[i]) >= (int)sizeof(path))
            continue;
        unlink(path);
    }
    rmdir(dir);
}

int main(int argc, char **argv)
{
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
    char dir[1024];
    if (snprintf(dir, sizeof(dir), "%s/bench-store-XXXXXX", base) >= (int)sizeof(dir) ||
        !mkdtemp(dir))
        die(dir, NULL);
    char db[1100];
    if (snprintf(db, sizeof(db), "%s/jingyou.db", dir) >= (int)sizeof(db))
        die("path too long", NULL);

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

    printf("store insert benchmark: SQLite %s, WAL, synchronous=FULL, database %s\n",
           sqlite3_libversion(), db);
    double fs = fsync_cost(dir, 200);
    printf("%-46s %.2f ms, i.e. at most %.0f durable commits/s\n",
           "one 4 KiB write + fdatasync on this disk", fs * 1e3, 1.0 / fs);

    double *lat = calloc((size_t)rows, sizeof(double));
    if (!lat)
        die("memory", NULL);
    int64_t n = 0, id = 0;

    /* 1. One row per transaction. */
    double t0 = now();
    for (long i = 0; i < rows; i++) {
        double c0 = now();
        begin(conn);
        insert_row(conn, ++n, &id);
        commit(conn);
        lat[i] = now() - c0;
    }
    report("1 applications row per transaction", rows, now() - t0, lat, rows);

    /* 2. 100 rows per transaction. */
    long batches = rows > 10000 ? rows / 100 : 100;
    t0 = now();
    for (long b = 0; b < batches; b++) {
        double c0 = now();
        begin(conn);
        for (int i = 0; i < 100; i++)
            insert_row(conn, ++n, &id);
        commit(conn);
        lat[b] = now() - c0;
    }
    report("100 applications rows per transaction", batches * 100, now() - t0, lat, batches);

    /* 3. Intake-shaped transactions, one thread. */
    t0 = now();
    for (long i = 0; i < rows; i++) {
        double c0 = now();
        intake(conn);
        lat[i] = now() - c0;
    }
    report("intake (sequence + row + event), 1 thread", rows, now() - t0, lat, rows);

    /* 4. The same from several threads. */
    struct worker workers[THREADS];
    pthread_t threads[THREADS];
    t0 = now();
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){store, rows / THREADS};
        if (pthread_create(&threads[t], NULL, intake_thread, &workers[t]) != 0)
            die("thread", NULL);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    char label[64];
    snprintf(label, sizeof(label), "intake, %d threads", THREADS);
    report(label, (rows / THREADS) * THREADS, now() - t0, NULL, 0);

    int64_t checked = 0, broken = 0;
    t0 = now();
    if (jy_store_audit_verify(conn, &checked, &broken, &err) != JY_OK)
        die("verify", &err);
    printf("%-46s %8" PRId64 " events %6.2f s\n", "audit verify", checked, now() - t0);

    printf("limits: one city needs ~1,800 intakes a day (peak one every few seconds); the design\n"
           "aims at thousands of durable intakes per second on one machine.\n");
    free(lat);
    jy_store_close(store);
    remove_db(dir, db);
    return 0;
}
