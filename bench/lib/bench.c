/*
 * bench.c — what the benchmark programs share: see bench.h.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

const char *jy_bench_name = "bench";

double jy_bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void jy_bench_die(const char *what, const struct jy_error *err)
{
    fprintf(stderr, "%s: %s: %s\n", jy_bench_name, what, err ? err->message : strerror(errno));
    exit(1);
}

void jy_bench_scratch(const char *base, const char *prefix, char dir[1024], char db[1100])
{
    if (snprintf(dir, 1024, "%s/%s-XXXXXX", base, prefix) >= 1024 || !mkdtemp(dir))
        jy_bench_die(dir, NULL);
    if (snprintf(db, 1100, "%s/jingyou.db", dir) >= 1100)
        jy_bench_die("path too long", NULL);
}

void jy_bench_remove_scratch(const char *dir)
{
    char path[1200];
    const char *names[] = {"jingyou.db", "jingyou.db-wal", "jingyou.db-shm"};
    for (size_t i = 0; i < 3; i++)
        if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) < (int)sizeof(path))
            unlink(path);
    if (snprintf(path, sizeof(path), "%s/documents", dir) < (int)sizeof(path))
        rmdir(path);
    rmdir(dir);
}

double jy_bench_fdatasync_rate(const char *dir, long n, double seconds)
{
    char path[1100];
    if (snprintf(path, sizeof(path), "%s/fsync-probe", dir) >= (int)sizeof(path))
        jy_bench_die("path too long", NULL);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        jy_bench_die(path, NULL);
    char block[4096];
    memset(block, 'x', sizeof(block));
    long done = 0;
    double t0 = jy_bench_now(), t;
    do {
        if (pwrite(fd, block, sizeof(block), 0) != (ssize_t)sizeof(block) || fdatasync(fd) != 0)
            jy_bench_die("fsync probe", NULL);
        done++;
        t = jy_bench_now() - t0;
    } while (n ? done < n : t < seconds);
    close(fd);
    unlink(path);
    return (double)done / t;
}

void jy_bench_open_store(const char *db, struct jy_store **ret_store,
                         struct jy_store_conn **ret_conn)
{
    struct jy_error err;
    if (jy_store_open(db, ret_store, &err) != JY_OK ||
        jy_store_conn_get(*ret_store, ret_conn, &err) != JY_OK)
        jy_bench_die("open", &err);
    if (sqlite3_exec(jy_store_conn_db(*ret_conn),
                     "INSERT INTO branches (id, code, name_zh) VALUES (1, 'B001', '彭刘杨路');"
                     "INSERT INTO users (id, username, role, branch_id, password_hash, created_at)"
                     " VALUES (1, 'clerk', 'clerk', 1, 'x', 0);",
                     NULL, NULL, NULL) != SQLITE_OK)
        jy_bench_die("fixture", NULL);
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

int64_t jy_bench_insert_row(struct jy_store_conn *conn, int64_t n)
{
    struct jy_error err;
    sqlite3_stmt *stmt = jy_store_stmt(conn, insert_sql, &err);
    if (!stmt)
        jy_bench_die("prepare", &err);
    char number[32];
    snprintf(number, sizeof(number), "420100-%012" PRId64, n);
    sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, 1767225600 + n);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
        jy_store_sqlite_error(conn, rc, &err);
        jy_bench_die("insert", &err);
    }
    sqlite3_reset(stmt);
    return sqlite3_last_insert_rowid(jy_store_conn_db(conn));
}
